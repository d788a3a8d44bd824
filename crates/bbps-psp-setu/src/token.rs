//! The OAuth token of `POST /auth/token`: obtained on first use, shared by concurrent calls, renewed a minute
//! before Setu says it expires, and at once when a call is refused with 401.

use std::time::{Duration, Instant};

use bbps_core::Secret;
use bbps_engine::ports::PspError;
use tokio::sync::Mutex;

use crate::SetuConfig;
use crate::wire::{Envelope, Token, TokenRequest};

/// Renewed this long before it expires, so a call never goes out with a token about to lapse.
const MARGIN: Duration = Duration::from_secs(60);

pub struct Tokens {
    current: Mutex<Option<(Secret, Instant)>>,
}

impl Tokens {
    pub fn new() -> Tokens {
        Tokens { current: Mutex::new(None) }
    }

    /// A token good for a call; `renew` drops the cached one first (the last call was refused).
    pub async fn get(&self, http: &reqwest::Client, config: &SetuConfig, renew: bool) -> Result<Secret, PspError> {
        let mut current = self.current.lock().await;
        if renew {
            *current = None;
        }
        if let Some((token, until)) = current.as_ref()
            && Instant::now() + MARGIN < *until
        {
            return Ok(token.clone());
        }
        let body =
            TokenRequest { client_id: config.client_id.clone(), secret: config.client_secret.expose().to_owned() };
        let url = format!("{}/auth/token", config.base_url.trim_end_matches('/'));
        let answer = http.post(url).json(&body).send().await.map_err(|e| PspError::Unavailable(e.to_string()))?;
        let status = answer.status();
        let envelope: Envelope<Token> =
            answer.json().await.map_err(|e| PspError::Unavailable(format!("Setu's token answer: {e}")))?;
        let token = match envelope.data {
            Some(token) if status.is_success() && envelope.success => token,
            _ => {
                let why = envelope.error.map(|e| format!("{} {}", e.code, e.detail)).unwrap_or_default();
                return Err(if status.is_server_error() {
                    PspError::Unavailable(format!("Setu's token endpoint: {status} {why}"))
                } else {
                    PspError::Rejected(format!("Setu refused the credentials: {status} {why}"))
                });
            }
        };
        let secret = Secret::new(token.token);
        *current = Some((secret.clone(), Instant::now() + Duration::from_secs(token.expires_in)));
        tracing::debug!(expires_in = token.expires_in, "obtained a Setu token");
        Ok(secret)
    }
}
