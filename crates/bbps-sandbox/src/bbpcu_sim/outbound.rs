//! Responses on their way to the BBPOU's callback listener, signed with the simulator's key. The BBPOU's Ack is
//! opened like any message it sends. A response whose POST fails is tried again a few times, then given up: the
//! BBPOU asks for the status of anything it does not hear about.

use std::time::Duration;

use bbps_npci_xml::codes::AckCode;
use bbps_npci_xml::message::Message;
use bbps_npci_xml::transport::client::path_of;
use reqwest::header::CONTENT_TYPE;

use super::Sim;

/// Waits before the second and third attempts.
const RETRIES: [Duration; 2] = [Duration::from_millis(200), Duration::from_secs(1)];

impl Sim {
    pub(super) async fn deliver(&self, response: Message) {
        let (kind, ref_id) = (response.kind(), response.ref_id().cloned());
        let body = match self.envelope.seal(&response) {
            Ok(body) => body,
            Err(e) => return tracing::error!(%kind, error = %e, "BBPCU simulator: could not sign a response"),
        };
        let url = format!("{}{}", self.callback, path_of(&response));
        for wait in std::iter::once(Duration::ZERO).chain(RETRIES) {
            tokio::time::sleep(wait).await;
            let sent = self.http.post(&url).header(CONTENT_TYPE, "application/xml").body(body.clone()).send().await;
            let answer = match sent {
                Ok(answer) => answer,
                Err(e) => {
                    tracing::warn!(%kind, ?ref_id, error = %e, "BBPCU simulator: the callback did not answer");
                    continue;
                }
            };
            let status = answer.status();
            let bytes = answer.bytes().await.unwrap_or_default();
            match self.envelope.open(&bytes) {
                Ok(Message::Ack(ack)) if ack.rsp_cd == AckCode::Successful => {
                    tracing::debug!(%kind, ?ref_id, "BBPCU simulator: response delivered")
                }
                Ok(Message::Ack(ack)) => {
                    tracing::warn!(%kind, ?ref_id, code = %ack.rsp_cd, errors = ?ack.errors, "BBPCU simulator: the BBPOU refused a response")
                }
                Ok(other) => {
                    tracing::warn!(%kind, answer = %other.kind(), "BBPCU simulator: the callback answered no Ack")
                }
                Err(e) => {
                    tracing::warn!(%kind, %status, error = %e, "BBPCU simulator: the callback's Ack does not open")
                }
            }
            return;
        }
        tracing::warn!(%kind, ?ref_id, "BBPCU simulator: gave up delivering a response");
    }
}
