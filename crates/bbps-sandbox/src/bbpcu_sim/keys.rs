//! Key pairs made on first start and kept beside the data: the BBPCU simulator's own, and, in test mode, the
//! server's (its BBPOU signing key). Each is an RSA-2048 key with a self-signed certificate, in one private PEM
//! file (`<name>.pem`: key and certificate) and the certificate alone (`<name>.crt`) to hand to the other party.
//!
//! A key is made once: the file is written under a temporary name and linked into place only if none is there,
//! so two processes starting on one directory end up with the same key.

use std::io::Write;
use std::path::{Path, PathBuf};

use rsa::pkcs8::EncodePrivateKey;

/// Where a party's key and certificate are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyFiles {
    /// The private key and its certificate, one PEM file (readable by its owner only).
    pub key: PathBuf,
    /// The certificate alone.
    pub certificate: PathBuf,
}

#[derive(Debug, thiserror::Error)]
pub enum KeyFileError {
    #[error("{path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("cannot make a key pair: {0}")]
    Generate(String),
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> KeyFileError + '_ {
    move |source| KeyFileError::Io { path: path.display().to_string(), source }
}

/// A fresh RSA key and a self-signed certificate for `name`, as PEM.
fn generate(name: &str) -> Result<String, KeyFileError> {
    let fail = |e: &dyn std::fmt::Display| KeyFileError::Generate(e.to_string());
    let key = rsa::RsaPrivateKey::new(&mut rsa::rand_core::OsRng, 2048).map_err(|e| fail(&e))?;
    let der = key.to_pkcs8_der().map_err(|e| fail(&e))?;
    let pair = rcgen::KeyPair::from_pkcs8_der_and_sign_algo(
        &rustls_pki_types::PrivatePkcs8KeyDer::from(der.as_bytes()),
        &rcgen::PKCS_RSA_SHA256,
    )
    .map_err(|e| fail(&e))?;
    let mut params = rcgen::CertificateParams::new(vec![name.to_owned()]).map_err(|e| fail(&e))?;
    params.distinguished_name.push(rcgen::DnType::CommonName, name);
    let certificate = params.self_signed(&pair).map_err(|e| fail(&e))?;
    Ok(pair.serialize_pem() + &certificate.pem())
}

/// Writes `contents` to `path` only if nothing is there yet; `false` when something was.
fn create_once(path: &Path, contents: &[u8]) -> Result<bool, KeyFileError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let temp =
        dir.join(format!(".{}.{}", path.file_name().and_then(|n| n.to_str()).unwrap_or("key"), std::process::id()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&temp).map_err(io(&temp))?;
    file.write_all(contents).and_then(|()| file.sync_all()).map_err(io(&temp))?;
    let linked = match std::fs::hard_link(&temp, path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(io(path)(e)),
    };
    let _ = std::fs::remove_file(&temp);
    linked
}

/// The key pair `name` in `dir`, made (with `dir`) if it is not there.
pub fn ensure(dir: &Path, name: &str) -> Result<KeyFiles, KeyFileError> {
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let files = KeyFiles { key: dir.join(format!("{name}.pem")), certificate: dir.join(format!("{name}.crt")) };
    if !files.key.exists() && create_once(&files.key, generate(name)?.as_bytes())? {
        tracing::info!(key = %files.key.display(), "made a key pair");
    }
    // The certificate file is derived from the key file that won, whoever made it.
    let pem = std::fs::read_to_string(&files.key).map_err(io(&files.key))?;
    let certificate = pem.find("-----BEGIN CERTIFICATE-----").map(|at| &pem[at..]).unwrap_or_default();
    if std::fs::read_to_string(&files.certificate).ok().as_deref() != Some(certificate) {
        let temp = dir.join(format!(".{name}.crt.{}", std::process::id()));
        std::fs::write(&temp, certificate).map_err(io(&temp))?;
        std::fs::rename(&temp, &files.certificate).map_err(io(&files.certificate))?;
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_made_once_and_its_certificate_matches() {
        let dir = tempfile::tempdir().expect("dir");
        let first = ensure(dir.path(), "party").expect("made");
        let key_pem = std::fs::read(&first.key).expect("key");
        let again = ensure(dir.path(), "party").expect("kept");
        assert_eq!(first, again);
        assert_eq!(std::fs::read(&again.key).expect("key"), key_pem, "not made twice");
        let key = bbps_npci_xml::dsig::SigningKey::from_pem_files(&first.key, &first.key).expect("the pair matches");
        let alone = bbps_npci_xml::dsig::PeerCertificate::from_pem_file(&first.certificate).expect("certificate");
        let _ = (key, alone);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&first.key).expect("meta").permissions().mode();
            assert_eq!(mode & 0o077, 0, "the private key is its owner's only");
        }
    }
}
