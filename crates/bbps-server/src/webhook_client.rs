//! Webhook delivery over HTTP: the engine's webhook transport, a POST of the signed body.

use std::time::Duration;

use async_trait::async_trait;
use bbps_engine::ports::{WebhookAnswer, WebhookTransport};
use bbps_engine::signature::SIGNATURE_HEADER;

pub struct HttpWebhooks {
    http: reqwest::Client,
    timeout: Duration,
}

impl HttpWebhooks {
    pub fn new(http: reqwest::Client, timeout: Duration) -> HttpWebhooks {
        HttpWebhooks { http, timeout }
    }
}

#[async_trait]
impl WebhookTransport for HttpWebhooks {
    async fn deliver(&self, url: &str, signature: &str, body: &str) -> WebhookAnswer {
        let sent = self
            .http
            .post(url)
            .timeout(self.timeout)
            .header("content-type", "application/json")
            .header(SIGNATURE_HEADER, signature)
            .header("user-agent", "bbps-server-webhooks/1")
            .body(body.to_owned())
            .send()
            .await;
        match sent {
            Ok(r) => WebhookAnswer::Status(r.status().as_u16()),
            Err(e) if e.is_timeout() => WebhookAnswer::NoAnswer("timed out".to_owned()),
            Err(e) => WebhookAnswer::NoAnswer(format!("could not deliver: {e}")),
        }
    }
}
