//! Sending a request: a signed POST to `<base>/<MessageName>/1.0/urn:referenceId:<refId>`, answered at once by a
//! signed Ack for the same refId and msgId.

use std::sync::Arc;

use reqwest::header::CONTENT_TYPE;

use crate::archive::Archive;
use crate::codes::{AckCode, MessageKind};
use crate::config::{ConfigError, KeySource, NpciConfig};
use crate::envelope::{Envelope, Refusal};
use crate::message::{Ack, Message};

/// A request whose fate is unknown: it may or may not have reached the BBPCU.
#[derive(Debug, thiserror::Error)]
pub enum PostError {
    #[error("could not write the request: {0}")]
    Seal(String),
    #[error("POST {url}: {detail}")]
    Transport { url: String, detail: String },
    #[error("the answer to POST {url} (HTTP {status}) was refused: {refusal}")]
    Refused { url: String, status: u16, refusal: Refusal },
    #[error("the Ack to POST {url} is for refId {ref_id:?}, msgId {msg_id:?}")]
    Mismatch { url: String, ref_id: Option<String>, msg_id: Option<String> },
}

/// The path of a message on the wire, for both directions.
pub fn path_of(message: &Message) -> String {
    let ref_id = message.ref_id().map(|r| r.as_str()).unwrap_or_default();
    format!("/{}/1.0/urn:referenceId:{ref_id}", message.kind())
}

pub struct Client {
    http: reqwest::Client,
    base: String,
    envelope: Arc<Envelope>,
    archive: Arc<Archive>,
}

fn tls_error(e: impl std::fmt::Display) -> ConfigError {
    ConfigError::Tls(e.to_string())
}

impl Client {
    pub fn new(config: &NpciConfig, envelope: Arc<Envelope>, archive: Arc<Archive>) -> Result<Client, ConfigError> {
        config.check()?;
        let mut builder = reqwest::Client::builder()
            .timeout(config.post_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .use_rustls_tls();
        if let Some(tls) = &config.tls {
            let identity = match &tls.client {
                KeySource::Pem { key, certificate } => {
                    let read =
                        |p: &std::path::Path| std::fs::read(p).map_err(|e| tls_error(format!("{}: {e}", p.display())));
                    [read(key)?, read(certificate)?].concat()
                }
                KeySource::Pkcs12 { .. } => tls
                    .client
                    .signing_key()?
                    .identity_pem()
                    .ok_or_else(|| tls_error("the PKCS#12 client key cannot be used for TLS"))?
                    .into_bytes(),
            };
            let bundle =
                std::fs::read(&tls.ca_bundle).map_err(|e| tls_error(format!("{}: {e}", tls.ca_bundle.display())))?;
            builder = builder
                .identity(reqwest::Identity::from_pem(&identity).map_err(tls_error)?)
                .tls_built_in_root_certs(false);
            for ca in reqwest::Certificate::from_pem_bundle(&bundle).map_err(tls_error)? {
                builder = builder.add_root_certificate(ca);
            }
        }
        if !config.test_mode {
            builder = builder.https_only(true);
        }
        let http = builder.build().map_err(tls_error)?;
        Ok(Client { http, base: config.central_url.trim_end_matches('/').to_owned(), envelope, archive })
    }

    /// Sends `message` and returns its Ack, whatever the Ack says. Both are archived as they went.
    pub async fn post(&self, message: &Message) -> Result<Ack, PostError> {
        let sealed = self.envelope.seal(message).map_err(|e| PostError::Seal(e.to_string()))?;
        self.archive.sent(message, sealed.as_bytes()).await;
        let url = format!("{}{}", self.base, path_of(message));
        let transport = |e: reqwest::Error| PostError::Transport { url: url.clone(), detail: e.to_string() };
        let mut answer = self
            .http
            .post(&url)
            .header(CONTENT_TYPE, "application/xml")
            .body(sealed)
            .send()
            .await
            .map_err(transport)?;
        let status = answer.status().as_u16();
        // Read at most one byte past the limit: enough to know the answer is too large, without holding it all.
        let limit = self.envelope.max_bytes();
        let mut body = Vec::new();
        while let Some(chunk) = answer.chunk().await.map_err(transport)? {
            body.extend_from_slice(&chunk);
            if body.len() > limit {
                break;
            }
        }
        let opened = self.envelope.open(&body).and_then(|m| match m {
            Message::Ack(_) => Ok(m),
            other => Err(Refusal::Unexpected(other.kind())),
        });
        let refusal = opened.as_ref().err().map(ToString::to_string);
        self.archive.received(&body, opened.as_ref().ok(), refusal, Some(MessageKind::Ack)).await;
        let refused = |refusal| PostError::Refused { url: url.clone(), status, refusal };
        let ack = match opened {
            Ok(Message::Ack(ack)) => ack,
            Ok(other) => return Err(refused(Refusal::Unexpected(other.kind()))),
            Err(refusal) => return Err(refused(refusal)),
        };
        let same_ref = ack.ref_id.as_deref() == message.ref_id().map(|r| r.as_str());
        // Kinds without a Txn have no msgId for the Ack to repeat.
        let same_msg = message.msg_id().is_none_or(|m| ack.msg_id.as_ref() == Some(m));
        // A refusal of a body the BBPCU could not open names no request: it refuses whatever was posted here.
        let unopened = ack.rsp_cd != AckCode::Successful && ack.ref_id.is_none() && ack.msg_id.is_none();
        if !unopened && (!same_ref || !same_msg) {
            return Err(PostError::Mismatch {
                url,
                ref_id: ack.ref_id.clone(),
                msg_id: ack.msg_id.as_ref().map(|m| m.to_string()),
            });
        }
        Ok(ack)
    }
}
