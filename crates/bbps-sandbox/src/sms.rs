//! The sandbox SMS gateway: one-time codes land in an outbox instead of on a phone. A tester reads them on
//! `/sandbox/sms`, tests through `/sandbox/sms/messages`. Kept in memory and bounded: a code is good for minutes,
//! and the outbox is the sandbox's alone.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use bbps_core::Timestamp;
use bbps_core::api::MobileNumber;
use bbps_engine::ports::{CodeMessage, SmsError, SmsSender};
use bbps_http::{ApiQuery, ApiResult};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::page::{escape, html};
use crate::upi_app::pages::page;

/// Messages kept: the newest win.
const KEEP: usize = 500;

/// One SMS the sandbox gateway "sent".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SandboxSms {
    #[schema(value_type = String, example = "9876543210")]
    pub to: MobileNumber,
    /// The text as a phone would show it.
    pub text: String,
    /// The one-time code in it, for tests.
    pub code: String,
    #[schema(value_type = String, format = DateTime)]
    pub sent_at: Timestamp,
}

/// The outbox: the SMS port of a test-mode server.
#[derive(Debug, Default)]
pub struct SmsOutbox {
    sent: Mutex<VecDeque<SandboxSms>>,
}

impl SmsOutbox {
    /// The newest first, to `to` only when given.
    pub fn messages(&self, to: Option<&MobileNumber>) -> Vec<SandboxSms> {
        let sent = self.sent.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        sent.iter().rev().filter(|m| to.is_none_or(|to| &m.to == to)).cloned().collect()
    }
}

#[async_trait]
impl SmsSender for SmsOutbox {
    async fn send_code(&self, message: &CodeMessage) -> Result<(), SmsError> {
        let sms = SandboxSms {
            to: message.to.clone(),
            text: message.text(),
            code: message.code.clone(),
            sent_at: crate::util::now(),
        };
        let mut sent = self.sent.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if sent.len() == KEEP {
            sent.pop_front();
        }
        sent.push_back(sms);
        Ok(())
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OutboxQuery {
    /// Only the messages to this 10-digit mobile number.
    #[param(value_type = Option<String>, example = "9876543210")]
    pub to: Option<MobileNumber>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OutboxMessages {
    /// Newest first.
    pub messages: Vec<SandboxSms>,
}

/// The sandbox SMS outbox, newest first: the one-time codes a live server would have sent by SMS.
#[utoipa::path(
    get,
    path = "/sandbox/sms/messages",
    tag = "sandbox",
    params(OutboxQuery),
    responses((status = 200, description = "Messages sent", body = OutboxMessages))
)]
pub async fn messages(
    State(outbox): State<Arc<SmsOutbox>>,
    ApiQuery(q): ApiQuery<OutboxQuery>,
) -> ApiResult<Json<OutboxMessages>> {
    Ok(Json(OutboxMessages { messages: outbox.messages(q.to.as_ref()) }))
}

/// The sandbox SMS outbox as a page, for a tester to read a code from.
#[utoipa::path(
    get,
    path = "/sandbox/sms",
    tag = "sandbox",
    responses((status = 200, description = "The outbox page", content_type = "text/html"))
)]
pub async fn outbox_page(State(outbox): State<Arc<SmsOutbox>>) -> Response {
    let rows: String = outbox
        .messages(None)
        .iter()
        .take(50)
        .map(|m| {
            format!(
                "<tr><td>{at}</td><td>{to}</td><td>{text}</td></tr>",
                at = escape(&m.sent_at.to_string()),
                to = escape(m.to.as_str()),
                text = escape(&m.text)
            )
        })
        .collect();
    let table = if rows.is_empty() {
        "<p class=\"note\">No messages yet. Ask for a code in the widget's “Track by mobile number”.</p>".to_owned()
    } else {
        format!(
            "<table><caption>Newest first</caption><thead><tr><th scope=\"col\">Sent</th><th scope=\"col\">To</th><th scope=\"col\">Text</th></tr></thead><tbody>{rows}</tbody></table>"
        )
    };
    let body = format!(
        "<h1>Sandbox SMS outbox</h1><section class=\"card\">{table}<p class=\"note\">Sandbox only: no SMS leaves this server.</p></section>"
    );
    html(StatusCode::OK, page("Sandbox SMS outbox", &body))
}

pub fn router<S: Clone + Send + Sync + 'static>(outbox: Arc<SmsOutbox>) -> OpenApiRouter<S> {
    OpenApiRouter::new().routes(routes!(outbox_page)).routes(routes!(messages)).with_state(outbox)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(to: &str, code: &str) -> CodeMessage {
        CodeMessage {
            to: MobileNumber::parse(to).unwrap(),
            code: code.to_owned(),
            sender_name: "Demo".to_owned(),
            valid_minutes: 5,
        }
    }

    #[tokio::test]
    async fn keeps_the_newest_messages_per_number() {
        let outbox = SmsOutbox::default();
        for i in 0..KEEP + 3 {
            outbox.send_code(&message("9876543210", &format!("{i:06}"))).await.unwrap();
        }
        outbox.send_code(&message("9123456789", "111111")).await.unwrap();
        let mine = outbox.messages(MobileNumber::parse("9876543210").as_ref());
        assert_eq!(mine.len(), KEEP - 1);
        assert_eq!(mine[0].code, format!("{:06}", KEEP + 2));
        assert!(mine[0].text.starts_with(&mine[0].code) && mine[0].text.contains("valid for 5 minutes"));
        assert_eq!(outbox.messages(None)[0].code, "111111");
    }
}
