//! The SMS port: one-time codes to a customer's mobile number (proof that they hold it before their payments are
//! listed by it). In test mode the sandbox's outbox; in live an SMS gateway.

use async_trait::async_trait;
use bbps_core::api::MobileNumber;

/// A one-time code to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeMessage {
    pub to: MobileNumber,
    pub code: String,
    /// Who asks (the merchant's name), for the text.
    pub sender_name: String,
    /// How long the code is good for, in minutes.
    pub valid_minutes: u32,
}

impl CodeMessage {
    /// The text: the code first (phones offer to copy it), who asks, how long it lasts, and the warning every
    /// bank's code carries. India's DLT registration fixes an SMS template: register this one.
    pub fn text(&self) -> String {
        format!(
            "{code} is your code to see your bill payments with {sender}. It is valid for {minutes} minutes. Do not share it with anyone.",
            code = self.code,
            sender = self.sender_name,
            minutes = self.valid_minutes,
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SmsError {
    #[error("the SMS gateway refused the message: {0}")]
    Rejected(String),
    #[error("the SMS gateway could not be reached: {0}")]
    Unavailable(String),
}

#[async_trait]
pub trait SmsSender: Send + Sync {
    async fn send_code(&self, message: &CodeMessage) -> Result<(), SmsError>;
}
