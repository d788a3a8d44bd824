//! TLS towards the database. The server's certificate is always verified, chain and host name, against the
//! system's trust store (`SSL_CERT_FILE` or `SSL_CERT_DIR` name another); a private CA, as managed databases use,
//! is added there. Whether TLS is used is the URL's `sslmode`: `disable`, `prefer` (the default: TLS when the
//! server offers it) or `require`.

use std::sync::Arc;

use bbps_engine::ports::StoreError;
use tokio_postgres_rustls::MakeRustlsConnect;

pub(crate) fn connector() -> Result<MakeRustlsConnect, StoreError> {
    let mut roots = rustls::RootCertStore::empty();
    // Certificates that do not parse are skipped; with none at all, a TLS connection fails naming the issuer.
    roots.add_parsable_certificates(rustls_native_certs::load_native_certs().certs);
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .map_err(|e| StoreError::Backend(format!("TLS: {e}")))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(MakeRustlsConnect::new(config))
}
