//! Our signing key and certificate, and the counterparty's certificate, from PEM or PKCS#12 files. Each is checked
//! when loaded, so a wrong file fails at start-up rather than on the first payment: our key must match our
//! certificate, and the counterparty's certificate must parse.

use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ring::rand::SystemRandom;
use ring::signature::{RSA_PKCS1_SHA256, RsaKeyPair};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("{path}: {detail}")]
    File { path: String, detail: String },
    #[error("no RSA private key: {0}")]
    Key(String),
    #[error("the certificate does not parse: {0}")]
    Certificate(String),
    #[error("the private key does not belong to the certificate")]
    Mismatch,
    #[error("the PKCS#12 file holds no key with a certificate")]
    EmptyPkcs12,
}

fn read(path: &Path) -> Result<Vec<u8>, KeyError> {
    std::fs::read(path).map_err(|e| KeyError::File { path: path.display().to_string(), detail: e.to_string() })
}

/// Our RSA key and its certificate: what signs every message we send.
pub struct SigningKey {
    pair: RsaKeyPair,
    /// PKCS#8 DER of the key, kept to hand the same identity to TLS when configured so.
    pkcs8: Option<Vec<u8>>,
    certificate: CertificateDer<'static>,
    rng: SystemRandom,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKey").finish_non_exhaustive()
    }
}

impl SigningKey {
    /// A PEM private key (PKCS#8 or PKCS#1) and a PEM certificate.
    pub fn from_pem(key_pem: &[u8], cert_pem: &[u8]) -> Result<SigningKey, KeyError> {
        let key = PrivateKeyDer::from_pem_slice(key_pem).map_err(|e| KeyError::Key(e.to_string()))?;
        let cert = CertificateDer::from_pem_slice(cert_pem).map_err(|e| KeyError::Certificate(e.to_string()))?;
        let (pair, pkcs8) = match &key {
            PrivateKeyDer::Pkcs8(k) => {
                (RsaKeyPair::from_pkcs8(k.secret_pkcs8_der()), Some(k.secret_pkcs8_der().to_vec()))
            }
            PrivateKeyDer::Pkcs1(k) => (RsaKeyPair::from_der(k.secret_pkcs1_der()), None),
            _ => return Err(KeyError::Key("only RSA keys sign BBPS messages".into())),
        };
        let pair = pair.map_err(|e| KeyError::Key(e.to_string()))?;
        SigningKey::checked(pair, pkcs8, cert)
    }

    pub fn from_pem_files(key: &Path, cert: &Path) -> Result<SigningKey, KeyError> {
        SigningKey::from_pem(&read(key)?, &read(cert)?)
    }

    /// The first key with its certificate in a PKCS#12 store.
    pub fn from_pkcs12(der: &[u8], password: &str) -> Result<SigningKey, KeyError> {
        let store = p12_keystore::KeyStore::from_pkcs12(der, password, p12_keystore::Pkcs12ImportPolicy::Strict)
            .map_err(|e| KeyError::Key(e.to_string()))?;
        let (_, chain) = store.private_key_chain().ok_or(KeyError::EmptyPkcs12)?;
        let cert = chain.certs().first().ok_or(KeyError::EmptyPkcs12)?;
        let pkcs8 = chain.key().as_der().to_vec();
        let pair = RsaKeyPair::from_pkcs8(&pkcs8).map_err(|e| KeyError::Key(e.to_string()))?;
        SigningKey::checked(pair, Some(pkcs8), CertificateDer::from(cert.as_der().to_vec()))
    }

    pub fn from_pkcs12_file(path: &Path, password: &str) -> Result<SigningKey, KeyError> {
        SigningKey::from_pkcs12(&read(path)?, password)
    }

    fn checked(
        pair: RsaKeyPair,
        pkcs8: Option<Vec<u8>>,
        certificate: CertificateDer<'static>,
    ) -> Result<SigningKey, KeyError> {
        let key = SigningKey { pair, pkcs8, certificate, rng: SystemRandom::new() };
        let peer = PeerCertificate::from_der(key.certificate.to_vec())?;
        let probe = b"does this key belong to this certificate";
        let signature = key.sign(probe).map_err(|_| KeyError::Mismatch)?;
        if !peer.verifies(probe, &signature) {
            return Err(KeyError::Mismatch);
        }
        Ok(key)
    }

    /// RSASSA-PKCS1-v1_5 with SHA-256 over `message`.
    pub(crate) fn sign(&self, message: &[u8]) -> Result<Vec<u8>, ring::error::Unspecified> {
        let mut signature = vec![0; self.pair.public().modulus_len()];
        self.pair.sign(&RSA_PKCS1_SHA256, &self.rng, message, &mut signature)?;
        Ok(signature)
    }

    pub fn certificate(&self) -> &CertificateDer<'static> {
        &self.certificate
    }

    /// The key and certificate as one PEM document (what reqwest takes as a TLS client identity); `None` for a
    /// PKCS#1 key, which we do not re-encode.
    pub fn identity_pem(&self) -> Option<String> {
        let key = self.pkcs8.as_ref()?;
        Some(pem("PRIVATE KEY", key) + &pem("CERTIFICATE", &self.certificate))
    }
}

fn pem(label: &str, der: &[u8]) -> String {
    let body = STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for line in body.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(line));
        out.push('\n');
    }
    out + &format!("-----END {label}-----\n")
}

/// The counterparty's certificate: every message it sends must carry a signature its key made. It is pinned (the
/// configured certificate, not a chain to some authority), so a certificate inside a message means nothing.
#[derive(Clone)]
pub struct PeerCertificate {
    der: CertificateDer<'static>,
}

impl std::fmt::Debug for PeerCertificate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PeerCertificate").finish_non_exhaustive()
    }
}

impl PeerCertificate {
    pub fn from_der(der: Vec<u8>) -> Result<PeerCertificate, KeyError> {
        let der = CertificateDer::from(der);
        webpki::EndEntityCert::try_from(&der).map_err(|e| KeyError::Certificate(format!("{e:?}")))?;
        Ok(PeerCertificate { der })
    }

    pub fn from_pem(pem: &[u8]) -> Result<PeerCertificate, KeyError> {
        let der = CertificateDer::from_pem_slice(pem).map_err(|e| KeyError::Certificate(e.to_string()))?;
        PeerCertificate::from_der(der.to_vec())
    }

    pub fn from_pem_file(path: &Path) -> Result<PeerCertificate, KeyError> {
        PeerCertificate::from_pem(&read(path)?)
    }

    /// Whether `signature` is an RSA-SHA256 signature of `message` by this certificate's key (2048 bits or more).
    pub(crate) fn verifies(&self, message: &[u8], signature: &[u8]) -> bool {
        match webpki::EndEntityCert::try_from(&self.der) {
            Ok(cert) => cert.verify_signature(webpki::ring::RSA_PKCS1_2048_8192_SHA256, message, signature).is_ok(),
            Err(_) => false,
        }
    }
}
