//! What the adapter needs to reach a BBPCU: where it is, who we are, the keys on both sides, TLS, and the time
//! limits of each kind of request.

use std::path::PathBuf;
use std::time::Duration;

use bbps_core::Secret;

use crate::codes::MessageKind;
use crate::dsig::{C14nMethod, KeyError, PeerCertificate, SigningKey};
use crate::map::Originator;

/// A key with its certificate: PEM files, or a PKCS#12 store.
#[derive(Debug, Clone)]
pub enum KeySource {
    Pem { key: PathBuf, certificate: PathBuf },
    Pkcs12 { path: PathBuf, password: Secret },
}

impl KeySource {
    pub fn signing_key(&self) -> Result<SigningKey, KeyError> {
        match self {
            KeySource::Pem { key, certificate } => SigningKey::from_pem_files(key, certificate),
            KeySource::Pkcs12 { path, password } => SigningKey::from_pkcs12_file(path, password.expose()),
        }
    }
}

/// Mutual TLS towards the BBPCU: our client certificate and the authorities we accept its server certificate from.
#[derive(Debug, Clone)]
pub struct TlsConfig {
    pub client: KeySource,
    pub ca_bundle: PathBuf,
}

/// How long to wait for the response to each kind of request, after its Ack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    pub fetch: Duration,
    pub validation: Duration,
    pub payment: Duration,
    pub status: Duration,
    pub complaint: Duration,
    pub biller_fetch: Duration,
    pub diagnostic: Duration,
}

impl Default for Timeouts {
    fn default() -> Timeouts {
        Timeouts {
            fetch: Duration::from_secs(30),
            validation: Duration::from_secs(30),
            payment: Duration::from_secs(60),
            status: Duration::from_secs(30),
            complaint: Duration::from_secs(30),
            biller_fetch: Duration::from_secs(300),
            diagnostic: Duration::from_secs(10),
        }
    }
}

impl Timeouts {
    /// The limit for the response to a request of `kind`.
    pub fn of(&self, kind: MessageKind) -> Duration {
        match kind {
            MessageKind::BillFetchRequest => self.fetch,
            MessageKind::BillValidationRequest => self.validation,
            MessageKind::BillPaymentRequest => self.payment,
            MessageKind::TxnStatusRequest => self.status,
            MessageKind::TxnStatusComplainRequest => self.complaint,
            MessageKind::BillerFetchRequest | MessageKind::PlanPull => self.biller_fetch,
            _ => self.diagnostic,
        }
    }
}

#[derive(Debug, Clone)]
pub struct NpciConfig {
    /// The BBPCU's base URL; requests go to `<base>/<MessageName>/1.0/urn:referenceId:<refId>`.
    pub central_url: String,
    pub originator: Originator,
    /// Our signing key and certificate.
    pub signing: KeySource,
    /// The BBPCU's certificate, which every message it sends must be signed with.
    pub central_certificate: PathBuf,
    pub c14n: C14nMethod,
    /// Required unless `test_mode`.
    pub tls: Option<TlsConfig>,
    /// Allows plain HTTP to the BBPCU (the simulator on loopback); never in live.
    pub test_mode: bool,
    pub timeouts: Timeouts,
    /// The POST itself, until its Ack is read.
    pub post_timeout: Duration,
    /// The largest message read, either way (a full biller master data response is the largest).
    pub max_body_bytes: usize,
    /// How long a request is remembered after its answer or its timeout: a response within it is late (and still
    /// delivered) or a duplicate; after it, a response is for a request we never sent.
    pub retention: Duration,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("live mode needs mutual TLS: set the client certificate and the CA bundle")]
    TlsRequired,
    #[error("live mode talks to the BBPCU over https only, not {0}")]
    PlainHttp(String),
    #[error("{0}")]
    Key(#[from] KeyError),
    #[error("TLS: {0}")]
    Tls(String),
}

impl NpciConfig {
    /// Refuses a live configuration without TLS.
    pub fn check(&self) -> Result<(), ConfigError> {
        if self.test_mode {
            return Ok(());
        }
        if !self.central_url.starts_with("https://") {
            return Err(ConfigError::PlainHttp(self.central_url.clone()));
        }
        self.tls.as_ref().map(|_| ()).ok_or(ConfigError::TlsRequired)
    }

    pub fn central(&self) -> Result<PeerCertificate, KeyError> {
        PeerCertificate::from_pem_file(&self.central_certificate)
    }
}
