//! What the integration tests share: key pairs made with `openssl`, a sample of every message, the NPCI schemas'
//! location, and a minimal BBPCU peer (`peer.rs`).
// Each test binary compiles this module and uses only part of it.
#![allow(dead_code)]

pub mod peer;
pub mod samples;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use std::sync::Arc;

use bbps_engine::ports::Store;
use bbps_npci_xml::Archive;
use bbps_npci_xml::dsig::{C14nMethod, PeerCertificate, Signer, SigningKey, Verifier};
use bbps_npci_xml::envelope::Envelope;

/// One party's RSA key and self-signed certificate, as PEM files and as a PKCS#12 store (password `secret`).
pub struct Party {
    pub key: PathBuf,
    pub cert: PathBuf,
    pub p12: PathBuf,
}

impl Party {
    pub fn signing_key(&self) -> SigningKey {
        SigningKey::from_pem_files(&self.key, &self.cert).expect("test key loads")
    }

    pub fn certificate(&self) -> PeerCertificate {
        PeerCertificate::from_pem_file(&self.cert).expect("test certificate loads")
    }
}

/// Our BBPOU, the BBPCU, and a stranger whose signatures nobody should accept.
pub struct Keys {
    pub dir: tempfile::TempDir,
    pub ours: Party,
    pub central: Party,
    pub stranger: Party,
}

fn run(cmd: &mut Command) {
    let out = cmd.output().expect("openssl runs (Debian package openssl)");
    assert!(out.status.success(), "{cmd:?}: {}", String::from_utf8_lossy(&out.stderr));
}

fn party(dir: &Path, name: &str) -> Party {
    let (key, cert, p12) =
        (dir.join(format!("{name}.key")), dir.join(format!("{name}.crt")), dir.join(format!("{name}.p12")));
    run(Command::new("openssl")
        .args(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj"])
        .arg(format!("/CN={name}"))
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert));
    run(Command::new("openssl")
        .args(["pkcs12", "-export", "-passout", "pass:secret", "-inkey"])
        .arg(&key)
        .arg("-in")
        .arg(&cert)
        .arg("-out")
        .arg(&p12));
    Party { key, cert, p12 }
}

/// Made once per test binary: RSA key generation is slow.
pub fn keys() -> &'static Keys {
    static KEYS: OnceLock<Keys> = OnceLock::new();
    KEYS.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let ours = party(dir.path(), "bbpou");
        let central = party(dir.path(), "bbpcu");
        let stranger = party(dir.path(), "stranger");
        Keys { dir, ours, central, stranger }
    })
}

pub const MAX_BYTES: usize = 1 << 20;

/// A wire archive over a fresh SQLite store (the directory lives as long as the guard).
pub fn archive() -> (tempfile::TempDir, Arc<dyn Store>, Archive) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store: Arc<dyn Store> =
        Arc::new(bbps_store_sqlite::SqliteStore::open(&dir.path().join("archive.sqlite3")).expect("store"));
    let archive = Archive::new(Arc::clone(&store), None);
    (dir, store, archive)
}

/// Our side: signs with our key, believes the central unit.
pub fn our_envelope() -> Envelope {
    let k = keys();
    Envelope::new(
        Signer::new(k.ours.signing_key(), C14nMethod::Inclusive),
        Verifier::new(k.central.certificate()),
        MAX_BYTES,
    )
}

/// The central unit's side: signs with its key, believes us.
pub fn central_envelope() -> Envelope {
    let k = keys();
    Envelope::new(
        Signer::new(k.central.signing_key(), C14nMethod::Exclusive),
        Verifier::new(k.ours.certificate()),
        MAX_BYTES,
    )
}

/// Where NPCI's schemas are: `BBPS_NPCI_XSD_DIR`, else `.tools/npci-xsd` at the workspace root. `None`, said
/// loudly, when they are not there: they are not ours to ship in the repository.
pub fn xsd_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("BBPS_NPCI_XSD_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.tools/npci-xsd"));
    if dir.join("BBPS-Common.xsd").is_file() {
        Some(dir)
    } else {
        eprintln!(
            "\n*** SKIPPED: NPCI's BBPS XSDs are not at {} (set BBPS_NPCI_XSD_DIR); schema validation did not run ***\n",
            dir.display()
        );
        None
    }
}

/// `xmllint --schema`: `Ok` when `xml` is valid against the schema of its root.
pub fn validate(xsd: &Path, root: &str, xml: &str) -> Result<(), String> {
    let file = tempfile::NamedTempFile::new().expect("temp file");
    std::fs::write(file.path(), xml).expect("write");
    let out = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(xsd.join(format!("{root}.xsd")))
        .arg(file.path())
        .output()
        .expect("xmllint runs (Debian package libxml2-utils)");
    if out.status.success() { Ok(()) } else { Err(String::from_utf8_lossy(&out.stderr).into_owned()) }
}
