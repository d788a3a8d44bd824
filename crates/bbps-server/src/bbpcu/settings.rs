//! The BBPS network's settings: which BBPCU, who we are to it (institution, agent, our gateway's MAC), the keys
//! on both sides, mutual TLS, the time limit of each kind of message, our callback listener, and the wire
//! archive. Test mode fills what is missing with the BBPCU simulator and key pairs made beside the database;
//! live mode has no defaults for any of it.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use bbps_core::{AgentId, Secret};
use bbps_npci_xml::dsig::{PeerCertificate, SigningKey};
use bbps_npci_xml::ids::InstitutionId;
use bbps_npci_xml::{KeySource, Timeouts, TlsConfig};

use crate::config::RunMode;

/// Who the test-mode server is to the BBPCU simulator.
pub const SANDBOX_INSTITUTION: &str = "SB01";
pub const SANDBOX_AGENT: &str = "SB01SB01INT000000001";
/// A locally administered address: no network card has it.
pub const SANDBOX_MAC: &str = "02-00-00-00-00-01";

/// An Ethernet address, as the agent's `MAC` device tag reports it: six pairs of upper-case hex digits joined by
/// `-` (written with `-` or `:`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MacAddress(String);

impl std::str::FromStr for MacAddress {
    type Err = String;
    fn from_str(s: &str) -> Result<MacAddress, String> {
        let pairs: Vec<&str> = s.trim().split(['-', ':']).collect();
        let hex = |p: &&str| p.len() == 2 && p.bytes().all(|b| b.is_ascii_hexdigit());
        if pairs.len() == 6 && pairs.iter().all(hex) {
            Ok(MacAddress(pairs.join("-").to_ascii_uppercase()))
        } else {
            Err(format!("{s:?} is not a MAC address (six pairs of hex digits, e.g. 00-16-3E-2A-5B-7C)"))
        }
    }
}

impl MacAddress {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A key with its certificate as the settings give it: PEM files, or a PKCS#12 store and its password.
#[derive(Debug, Clone, Default)]
pub struct KeySettings {
    pub key: Option<PathBuf>,
    pub certificate: Option<PathBuf>,
    pub pkcs12: Option<PathBuf>,
    pub pkcs12_password: Option<Secret>,
}

impl KeySettings {
    fn given(&self) -> bool {
        self.key.is_some() || self.certificate.is_some() || self.pkcs12.is_some() || self.pkcs12_password.is_some()
    }

    /// The key source, `None` when nothing is set, or what is wrong, naming the settings (`prefix` is
    /// `BBPS_BBPCU_SIGNING` or `BBPS_BBPCU_TLS`).
    pub fn source(&self, prefix: &str) -> Result<Option<KeySource>, String> {
        match (&self.key, &self.certificate, &self.pkcs12, &self.pkcs12_password) {
            (None, None, None, None) => Ok(None),
            (Some(key), Some(certificate), None, None) => {
                Ok(Some(KeySource::Pem { key: key.clone(), certificate: certificate.clone() }))
            }
            (None, None, Some(path), Some(password)) => {
                Ok(Some(KeySource::Pkcs12 { path: path.clone(), password: password.clone() }))
            }
            _ => Err(format!(
                "set either {prefix}_KEY and {prefix}_CERTIFICATE (PEM files) or {prefix}_PKCS12 and \
                 {prefix}_PKCS12_PASSWORD, not part of both"
            )),
        }
    }
}

/// The time limit of each kind of request; an unset one follows the engine's (`BBPS_FETCH_TIMEOUT` for fetch
/// and validation, `BBPS_PROVIDER_TIMEOUT` for the rest, five minutes for the biller master data).
#[derive(Debug, Clone, Default)]
pub struct MessageTimeouts {
    pub fetch: Option<Duration>,
    pub validation: Option<Duration>,
    pub payment: Option<Duration>,
    pub status: Option<Duration>,
    pub complaint: Option<Duration>,
    pub biller_fetch: Option<Duration>,
}

/// The default limit of a biller master data pull (the whole catalogue is one message of several MB).
pub const BILLER_FETCH_TIMEOUT: Duration = Duration::from_secs(300);

impl MessageTimeouts {
    pub fn resolve(&self, fetch: Duration, provider: Duration) -> Timeouts {
        Timeouts {
            fetch: self.fetch.unwrap_or(fetch),
            validation: self.validation.unwrap_or(fetch),
            payment: self.payment.unwrap_or(provider),
            status: self.status.unwrap_or(provider),
            complaint: self.complaint.unwrap_or(provider),
            biller_fetch: self.biller_fetch.unwrap_or(BILLER_FETCH_TIMEOUT),
            diagnostic: provider,
        }
    }

    fn named(&self) -> [(&'static str, Option<Duration>); 6] {
        [
            ("BBPS_BBPCU_FETCH_TIMEOUT", self.fetch),
            ("BBPS_BBPCU_VALIDATION_TIMEOUT", self.validation),
            ("BBPS_BBPCU_PAYMENT_TIMEOUT", self.payment),
            ("BBPS_BBPCU_STATUS_TIMEOUT", self.status),
            ("BBPS_BBPCU_COMPLAINT_TIMEOUT", self.complaint),
            ("BBPS_BBPCU_BILLER_FETCH_TIMEOUT", self.biller_fetch),
        ]
    }
}

#[derive(Debug, Clone)]
pub struct BbpcuSettings {
    /// The BBPCU's base URL. `None` in test mode runs the BBPCU simulator in this process.
    pub url: Option<String>,
    /// The BBPCU's signing certificate (PEM): every message it sends must verify with it.
    pub certificate: Option<PathBuf>,
    /// Our signing key and certificate. `None` in test mode makes a key pair beside the database.
    pub signing: KeySettings,
    /// Our TLS client identity towards the BBPCU.
    pub tls_client: KeySettings,
    /// The authorities the BBPCU's TLS server certificate must chain to (PEM bundle).
    pub tls_ca_bundle: Option<PathBuf>,
    pub agent_id: Option<AgentId>,
    pub institution_id: Option<InstitutionId>,
    /// Our gateway's MAC address, reported in the agent's device tags.
    pub agent_mac: Option<MacAddress>,
    pub timeouts: MessageTimeouts,
    /// Where the BBPCU's responses are received. Test mode: a free loopback port unless set; live: required (the
    /// BBPCU is given its address, through the TLS proxy in front).
    pub callback_listen: Option<SocketAddr>,
    /// Where the in-process BBPCU simulator listens (test mode without `url`).
    pub sim_listen: SocketAddr,
    /// Where test mode keeps the key pairs it makes (ours and the simulator's); `None`: `bbpcu-keys/` beside the
    /// database.
    pub test_keys: Option<PathBuf>,
    /// Also writes every message of the wire to a file in this directory.
    pub wire_dir: Option<PathBuf>,
    /// How long the wire archive keeps messages.
    pub wire_retention: Duration,
}

impl Default for BbpcuSettings {
    fn default() -> BbpcuSettings {
        BbpcuSettings {
            url: None,
            certificate: None,
            signing: KeySettings::default(),
            tls_client: KeySettings::default(),
            tls_ca_bundle: None,
            agent_id: None,
            institution_id: None,
            agent_mac: None,
            timeouts: MessageTimeouts::default(),
            callback_listen: None,
            sim_listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            test_keys: None,
            wire_dir: None,
            wire_retention: Duration::from_secs(180 * 24 * 3600),
        }
    }
}

impl BbpcuSettings {
    /// Whether a BBPCU is configured at all (live mode refuses to start without one, saying so).
    pub fn configured(&self) -> bool {
        self.url.is_some()
            || self.certificate.is_some()
            || self.signing.given()
            || self.tls_client.given()
            || self.tls_ca_bundle.is_some()
            || self.agent_id.is_some()
            || self.institution_id.is_some()
            || self.agent_mac.is_some()
    }

    /// Mutual TLS as configured: both parts or neither.
    pub fn tls(&self) -> Result<Option<TlsConfig>, String> {
        let client = self.tls_client.source("BBPS_BBPCU_TLS")?;
        match (client, &self.tls_ca_bundle) {
            (Some(client), Some(ca)) => Ok(Some(TlsConfig { client, ca_bundle: ca.clone() })),
            (None, None) => Ok(None),
            _ => Err("mutual TLS needs both the client identity (BBPS_BBPCU_TLS_KEY and BBPS_BBPCU_TLS_CERTIFICATE, \
                      or BBPS_BBPCU_TLS_PKCS12) and BBPS_BBPCU_TLS_CA_BUNDLE"
                .to_owned()),
        }
    }

    /// What keeps these settings from running in `mode`, each problem naming its setting. In live mode with no
    /// BBPCU configured at all there is nothing to check here: start-up refuses with "no BBPS network".
    pub fn problems(&self, mode: RunMode) -> Vec<String> {
        let mut problems = Vec::new();
        for (setting, limit) in self.timeouts.named() {
            if limit == Some(Duration::ZERO) {
                problems.push(format!("{setting} must be longer than zero"));
            }
        }
        if self.wire_retention.is_zero() {
            problems.push("BBPS_WIRE_RETENTION must be longer than zero: disputes are settled on the archive".into());
        }
        let signing = self.signing.source("BBPS_BBPCU_SIGNING").unwrap_or_else(|e| {
            problems.push(e);
            None
        });
        let tls = self.tls().unwrap_or_else(|e| {
            problems.push(e);
            None
        });
        if mode == RunMode::Sandbox {
            // An external BBPCU (a simulator of its own, as the crash audit runs) is verified like a live one.
            if self.url.is_some() && self.certificate.is_none() {
                problems
                    .push("BBPS_BBPCU_CERTIFICATE must name the BBPCU's certificate when BBPS_BBPCU_URL is set".into());
            }
            return problems;
        }
        if !self.configured() {
            return problems;
        }
        match self.url.as_deref() {
            Some(url) if url.starts_with("https://") => {}
            _ => problems.push("BBPS_BBPCU_URL must be the BBPCU's https:// base URL".into()),
        }
        match &self.certificate {
            None => problems.push("BBPS_BBPCU_CERTIFICATE must name the BBPCU's signing certificate (PEM)".into()),
            Some(path) => {
                if let Err(e) = PeerCertificate::from_pem_file(path) {
                    problems.push(format!("BBPS_BBPCU_CERTIFICATE: {e}"));
                }
            }
        }
        match &signing {
            None if !self.signing.given() => problems.push(
                "our signing key must be set: BBPS_BBPCU_SIGNING_KEY and BBPS_BBPCU_SIGNING_CERTIFICATE, or \
                 BBPS_BBPCU_SIGNING_PKCS12 and BBPS_BBPCU_SIGNING_PKCS12_PASSWORD"
                    .into(),
            ),
            None => {}
            // Loading checks the pair belongs together and the key is RSA of at least 2048 bits.
            Some(source) => {
                if let Err(e) = source.signing_key() {
                    problems.push(format!("the signing key (BBPS_BBPCU_SIGNING_*): {e}"));
                }
            }
        }
        match &tls {
            None if self.tls_client.given() || self.tls_ca_bundle.is_some() => {}
            None => problems.push(
                "live mode needs mutual TLS to the BBPCU: set BBPS_BBPCU_TLS_KEY and BBPS_BBPCU_TLS_CERTIFICATE (or \
                 BBPS_BBPCU_TLS_PKCS12 and BBPS_BBPCU_TLS_PKCS12_PASSWORD) and BBPS_BBPCU_TLS_CA_BUNDLE"
                    .into(),
            ),
            Some(tls) => {
                if let KeySource::Pkcs12 { .. } = &tls.client
                    && let Err(e) = tls.client.signing_key()
                {
                    problems.push(format!("the TLS client identity (BBPS_BBPCU_TLS_PKCS12): {e}"));
                }
                if let KeySource::Pem { key, certificate } = &tls.client
                    && let Err(e) = SigningKey::from_pem_files(key, certificate)
                {
                    problems
                        .push(format!("the TLS client identity (BBPS_BBPCU_TLS_KEY, BBPS_BBPCU_TLS_CERTIFICATE): {e}"));
                }
                let bundle = std::fs::read(&tls.ca_bundle).map_err(|e| e.to_string()).and_then(|pem| {
                    reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| e.to_string()).and_then(|certs| {
                        if certs.is_empty() { Err("no certificate in it".to_owned()) } else { Ok(()) }
                    })
                });
                if let Err(e) = bundle {
                    problems.push(format!("BBPS_BBPCU_TLS_CA_BUNDLE {}: {e}", tls.ca_bundle.display()));
                }
            }
        }
        if self.agent_id.is_none() {
            problems.push("BBPS_BBPCU_AGENT_ID must be set to the agent id NPCI assigned (20 characters)".into());
        }
        if self.institution_id.is_none() {
            problems.push("BBPS_BBPCU_INSTITUTION_ID must be set to our BBPOU's institution id".into());
        }
        // An agent id's first four characters are its operating unit's id.
        if let (Some(agent), Some(institution)) = (&self.agent_id, &self.institution_id)
            && !institution.as_str().starts_with(&agent.as_str()[..4])
        {
            problems
                .push("BBPS_BBPCU_AGENT_ID must begin with our operating unit's id (BBPS_BBPCU_INSTITUTION_ID)".into());
        }
        if self.agent_mac.is_none() {
            problems.push(
                "BBPS_BBPCU_AGENT_MAC must be set to the MAC address of the gateway our requests leave by".into(),
            );
        }
        match self.callback_listen {
            Some(addr) if addr.port() != 0 => {}
            _ => problems.push(
                "BBPS_BBPCU_CALLBACK_LISTEN must be a fixed address: the BBPCU is given it (through the TLS proxy in \
                 front) to post its responses to"
                    .into(),
            ),
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mac_addresses_are_read_in_either_notation() {
        assert_eq!("00:16:3e:2a:5b:7c".parse::<MacAddress>().map(|m| m.0), Ok("00-16-3E-2A-5B-7C".to_owned()));
        assert!("00-16-3E-2A-5B".parse::<MacAddress>().is_err());
        assert!("00-16-3E-2A-5B-7G".parse::<MacAddress>().is_err());
    }

    #[test]
    fn a_key_is_pem_or_pkcs12_never_half() {
        let half = KeySettings { key: Some("k.pem".into()), ..KeySettings::default() };
        assert!(half.source("BBPS_BBPCU_SIGNING").unwrap_err().contains("BBPS_BBPCU_SIGNING_CERTIFICATE"));
        let both = KeySettings { pkcs12: Some("k.p12".into()), pkcs12_password: Some(Secret::new("x")), ..half };
        assert!(both.source("BBPS_BBPCU_TLS").is_err());
        assert!(KeySettings::default().source("BBPS_BBPCU_TLS").unwrap().is_none());
    }
}
