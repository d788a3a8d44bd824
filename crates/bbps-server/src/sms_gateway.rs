//! The live SMS port: an HTTP SMS gateway. One JSON POST per message with a bearer key; the gateway holds the
//! sender id and DLT template registration India requires, and answers 2xx once it accepts the message. Any
//! gateway that cannot take this shape is reached through a small relay on the operator's side.

use std::time::Duration;

use async_trait::async_trait;
use bbps_core::Secret;
use bbps_engine::ports::{CodeMessage, SmsError, SmsSender};
use serde::Serialize;

/// Where and as whom codes are sent.
#[derive(Debug, Clone)]
pub struct SmsSettings {
    /// The gateway's send endpoint, `https://…`.
    pub url: String,
    pub api_key: Secret,
    /// The registered sender id (header), e.g. `BBPSPY`.
    pub sender: String,
    /// The DLT template id the text is registered under.
    pub template_id: String,
}

pub struct HttpSmsGateway {
    settings: SmsSettings,
    http: reqwest::Client,
}

#[derive(Serialize)]
struct SendSms<'a> {
    /// E.164: `+91` and the ten digits.
    to: String,
    sender: &'a str,
    template_id: &'a str,
    text: String,
}

impl HttpSmsGateway {
    pub fn new(settings: SmsSettings, timeout: Duration) -> Result<HttpSmsGateway, reqwest::Error> {
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("bbps-server/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(HttpSmsGateway { settings, http })
    }
}

#[async_trait]
impl SmsSender for HttpSmsGateway {
    async fn send_code(&self, message: &CodeMessage) -> Result<(), SmsError> {
        let body = SendSms {
            to: format!("+91{}", message.to.as_str()),
            sender: &self.settings.sender,
            template_id: &self.settings.template_id,
            text: message.text(),
        };
        let answer = self
            .http
            .post(&self.settings.url)
            .bearer_auth(self.settings.api_key.expose())
            .json(&body)
            .send()
            .await
            // Not the error's text: it may carry the URL, and the caller only needs to know to try later.
            .map_err(|e| SmsError::Unavailable(if e.is_timeout() { "timed out" } else { "unreachable" }.to_owned()))?;
        let status = answer.status();
        match status.as_u16() {
            200..=299 => Ok(()),
            408 | 429 | 500..=599 => Err(SmsError::Unavailable(format!("HTTP {status}"))),
            _ => Err(SmsError::Rejected(format!("HTTP {status}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::Json;
    use axum::http::{HeaderMap, StatusCode};
    use axum::routing::post;
    use bbps_core::api::MobileNumber;
    use std::sync::{Arc, Mutex};

    type Seen = Arc<Mutex<Vec<(Option<String>, serde_json::Value)>>>;

    async fn gateway(answer: StatusCode) -> (String, Seen) {
        let seen: Seen = Arc::default();
        let kept = seen.clone();
        let app = axum::Router::new().route(
            "/send",
            post(move |headers: HeaderMap, Json(body): Json<serde_json::Value>| {
                let kept = kept.clone();
                async move {
                    let auth = headers.get("authorization").and_then(|v| v.to_str().ok()).map(str::to_owned);
                    kept.lock().unwrap().push((auth, body));
                    answer
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/send", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        (url, seen)
    }

    fn sender(url: String) -> HttpSmsGateway {
        let settings = SmsSettings {
            url,
            api_key: Secret::new("sms-key-0123456789abcdef0123456789"),
            sender: "BBPSPY".to_owned(),
            template_id: "1107160000000000001".to_owned(),
        };
        HttpSmsGateway::new(settings, Duration::from_secs(5)).unwrap()
    }

    fn message() -> CodeMessage {
        CodeMessage {
            to: MobileNumber::parse("9876543210").unwrap(),
            code: "482913".to_owned(),
            sender_name: "Acme Bills".to_owned(),
            valid_minutes: 5,
        }
    }

    #[tokio::test]
    async fn posts_the_code_with_the_bearer_key_sender_and_template() {
        let (url, seen) = gateway(StatusCode::ACCEPTED).await;
        sender(url).send_code(&message()).await.unwrap();
        let seen = seen.lock().unwrap();
        let (auth, body) = &seen[0];
        assert_eq!(auth.as_deref(), Some("Bearer sms-key-0123456789abcdef0123456789"));
        assert_eq!(body["to"], "+919876543210");
        assert_eq!(body["sender"], "BBPSPY");
        assert_eq!(body["template_id"], "1107160000000000001");
        assert!(body["text"].as_str().unwrap().starts_with("482913 is your code"));
    }

    #[tokio::test]
    async fn a_refusal_and_an_outage_are_told_apart() {
        let (url, _) = gateway(StatusCode::BAD_REQUEST).await;
        assert!(matches!(sender(url).send_code(&message()).await, Err(SmsError::Rejected(_))));
        let (url, _) = gateway(StatusCode::SERVICE_UNAVAILABLE).await;
        assert!(matches!(sender(url).send_code(&message()).await, Err(SmsError::Unavailable(_))));
        let closed = "http://127.0.0.1:9/send".to_owned();
        assert!(matches!(sender(closed).send_code(&message()).await, Err(SmsError::Unavailable(_))));
    }
}
