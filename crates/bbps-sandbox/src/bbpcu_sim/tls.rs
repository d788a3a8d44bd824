//! Mutual TLS on the simulator's listener, as a live BBPCU serves it: its own server certificate, and only
//! BBPOUs whose client certificate chains to the configured authority get a connection. A live-mode server can
//! then run against the simulator exactly as against the real BBPCU.

use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto::Builder;
use hyper_util::service::TowerToHyperService;
use rustls::RootCertStore;
use rustls::server::{ServerConfig, WebPkiClientVerifier};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio_rustls::TlsAcceptor;

/// The simulator's TLS identity and the authority of its clients.
#[derive(Debug, Clone)]
pub struct SimTls {
    /// Its private key and certificate chain, in one PEM file.
    pub identity: PathBuf,
    /// The authority (PEM) a BBPOU's client certificate must chain to.
    pub client_ca: PathBuf,
}

fn read(path: &PathBuf) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))
}

pub(super) fn acceptor(tls: &SimTls) -> Result<TlsAcceptor, String> {
    let identity = read(&tls.identity)?;
    let chain = CertificateDer::pem_slice_iter(&identity)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("{}: {e}", tls.identity.display()))?;
    let key = PrivateKeyDer::from_pem_slice(&identity).map_err(|e| format!("{}: {e}", tls.identity.display()))?;
    let mut roots = RootCertStore::empty();
    for ca in CertificateDer::pem_slice_iter(&read(&tls.client_ca)?) {
        let ca = ca.map_err(|e| format!("{}: {e}", tls.client_ca.display()))?;
        roots.add(ca).map_err(|e| format!("{}: {e}", tls.client_ca.display()))?;
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let clients = WebPkiClientVerifier::builder_with_provider(Arc::new(roots), Arc::clone(&provider))
        .build()
        .map_err(|e| e.to_string())?;
    let config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_client_cert_verifier(clients)
        .with_single_cert(chain, key)
        .map_err(|e| e.to_string())?;
    Ok(TlsAcceptor::from(Arc::new(config)))
}

/// Serves `router` over TLS on `listener` until `stop` turns true.
pub(super) async fn serve(
    listener: TcpListener,
    acceptor: TlsAcceptor,
    router: Router,
    mut stop: watch::Receiver<bool>,
) {
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    tracing::warn!(%e, "BBPCU simulator: accepting a connection failed");
                    continue;
                }
            },
            _ = stop.wait_for(|s| *s) => return,
        };
        let (acceptor, router) = (acceptor.clone(), router.clone());
        tokio::spawn(async move {
            let stream = match acceptor.accept(stream).await {
                Ok(stream) => stream,
                Err(e) => return tracing::warn!(%peer, %e, "BBPCU simulator: refused a TLS connection"),
            };
            let service = TowerToHyperService::new(router);
            if let Err(e) = Builder::new(TokioExecutor::new()).serve_connection(TokioIo::new(stream), service).await {
                tracing::debug!(%peer, %e, "BBPCU simulator: connection ended");
            }
        });
    }
}
