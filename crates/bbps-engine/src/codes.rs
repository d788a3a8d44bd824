//! One-time codes: proof that whoever asks to list a mobile number's payments holds that number. A code is six
//! digits, good for a few minutes and for one match; wrong guesses are counted per code (a few, then it dies) and
//! dead codes per number (a few, then the number is locked for a while); codes are rate limited per number
//! (against SMS bombing of one person) and per merchant (against a merchant's key being used to spray numbers).

use std::time::Duration;

use bbps_core::api::MobileNumber;
use bbps_core::{ApiError, ErrorCode, MerchantId, OtpChallengeId, Timestamp};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::model::{Merchant, OtpChallenge, OtpState};
use crate::ports::CodeMessage;
use crate::{Engine, Error, Result};

/// The rules of one-time codes.
#[derive(Debug, Clone)]
pub struct OtpPolicy {
    /// How long a code is good for.
    pub code_ttl: Duration,
    /// Wrong codes a challenge takes before it dies.
    pub max_attempts: u32,
    /// The wait before another code to the same number.
    pub resend_after: Duration,
    /// Codes to one number per hour.
    pub per_mobile_per_hour: u32,
    /// Dead challenges within an hour that lock the number, and for how long.
    pub lock_after: u32,
    pub lock_for: Duration,
    /// Codes one merchant's widgets may send per hour.
    pub per_merchant_per_hour: u32,
}

impl Default for OtpPolicy {
    fn default() -> OtpPolicy {
        OtpPolicy {
            code_ttl: Duration::from_secs(5 * 60),
            max_attempts: 5,
            resend_after: Duration::from_secs(60),
            per_mobile_per_hour: 5,
            lock_after: 3,
            lock_for: Duration::from_secs(60 * 60),
            per_merchant_per_hour: 2000,
        }
    }
}

/// A code on its way to the number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeSent {
    pub challenge_id: OtpChallengeId,
    pub expires_at: Timestamp,
    /// When another code may be asked for.
    pub resend_at: Timestamp,
}

const HOUR: Duration = Duration::from_secs(3600);

fn code_hash(challenge: &OtpChallengeId, code: &str) -> String {
    hex::encode(Sha256::digest(format!("{challenge}:{code}").as_bytes()))
}

fn wait(from: Timestamp, until: Timestamp) -> u32 {
    u32::try_from((until.unix_seconds() - from.unix_seconds()).max(1)).unwrap_or(u32::MAX)
}

fn refused(code: ErrorCode, message: &str, retry_after: Option<u32>) -> Error {
    let e = ApiError::new(code, message);
    Error::Refused(match retry_after {
        Some(secs) => e.with_retry_after(secs),
        None => e,
    })
}

impl Engine {
    fn until(&self, d: Duration) -> Timestamp {
        Self::after(self.now(), d)
    }

    /// When the number's lock ends, if it is locked.
    fn locked_until(&self, recent: &[OtpChallenge]) -> Option<Timestamp> {
        let policy = &self.config.otp;
        let dead: Vec<&OtpChallenge> = recent.iter().filter(|c| c.state == OtpState::Exhausted).collect();
        if dead.len() < policy.lock_after as usize {
            return None;
        }
        // Locked from the latest dead challenge on.
        let until = Self::after(dead.iter().map(|c| c.created_at).max()?, policy.lock_for);
        (until > self.now()).then_some(until)
    }

    /// Sends a one-time code to `mobile` for finding its payments through `merchant`'s widget.
    pub async fn send_tracking_code(&self, merchant: &Merchant, mobile: &MobileNumber) -> Result<CodeSent> {
        let policy = &self.config.otp;
        let now = self.now();
        let since = Self::before(now, HOUR.max(policy.lock_for));
        let recent = self.store.otps_for_mobile(mobile, since).await?;
        if let Some(until) = self.locked_until(&recent) {
            return Err(refused(
                ErrorCode::OtpLocked,
                "too many wrong codes for this number; try again later",
                Some(wait(now, until)),
            ));
        }
        let hour_ago = Self::before(now, HOUR);
        let last_hour: Vec<&OtpChallenge> = recent.iter().filter(|c| c.created_at >= hour_ago).collect();
        if let Some(last) = last_hour.first() {
            let resend_at = Self::after(last.created_at, policy.resend_after);
            if resend_at > now {
                return Err(refused(
                    ErrorCode::RateLimited,
                    "a code was just sent; wait before asking again",
                    Some(wait(now, resend_at)),
                ));
            }
        }
        if last_hour.len() >= policy.per_mobile_per_hour as usize {
            let oldest = last_hour.iter().map(|c| c.created_at).min().unwrap_or(now);
            return Err(refused(
                ErrorCode::RateLimited,
                "too many codes to this number; try again later",
                Some(wait(now, Self::after(oldest, HOUR))),
            ));
        }
        if self.store.otps_sent_by_merchant(&merchant.id, hour_ago).await? >= policy.per_merchant_per_hour {
            return Err(refused(
                ErrorCode::RateLimited,
                "too many codes sent through this merchant; try again later",
                Some(300),
            ));
        }
        let (id, code) = (self.ids.challenge_id(), self.ids.one_time_code());
        let challenge = OtpChallenge {
            code_hash: code_hash(&id, &code),
            id,
            merchant_id: merchant.id.clone(),
            mobile: mobile.clone(),
            state: OtpState::Open { attempts: 0 },
            created_at: now,
            expires_at: self.until(policy.code_ttl),
        };
        self.store.insert_otp(&challenge).await?;
        let message = CodeMessage {
            to: mobile.clone(),
            code,
            sender_name: merchant.name.clone(),
            valid_minutes: u32::try_from(policy.code_ttl.as_secs().div_ceil(60)).unwrap_or(u32::MAX),
        };
        self.sms.send_code(&message).await.map_err(|e| {
            tracing::warn!(challenge = %challenge.id, %e, "the one-time code was not sent");
            refused(ErrorCode::ServiceUnavailable, "the code could not be sent; try again", Some(30))
        })?;
        Ok(CodeSent {
            challenge_id: challenge.id,
            expires_at: challenge.expires_at,
            resend_at: Self::after(now, policy.resend_after),
        })
    }

    /// Checks a code; the number it proves when it matches (once).
    pub async fn verify_tracking_code(
        &self,
        merchant: &MerchantId,
        challenge_id: &OtpChallengeId,
        code: &str,
    ) -> Result<MobileNumber> {
        let expired = || refused(ErrorCode::OtpExpired, "this code is no longer good; ask for a new one", None);
        let challenge =
            self.store.otp(challenge_id).await?.filter(|c| &c.merchant_id == merchant).ok_or_else(expired)?;
        let OtpState::Open { attempts } = challenge.state else { return Err(expired()) };
        if challenge.expires_at <= self.now() {
            return Err(expired());
        }
        let matches = code.len() == 6
            && bool::from(code_hash(&challenge.id, code).as_bytes().ct_eq(challenge.code_hash.as_bytes()));
        let next_state = if matches {
            OtpState::Verified { at: self.now() }
        } else if attempts + 1 >= self.config.otp.max_attempts {
            OtpState::Exhausted
        } else {
            OtpState::Open { attempts: attempts + 1 }
        };
        let next = OtpChallenge { state: next_state, ..challenge.clone() };
        if !self.store.update_otp(challenge.state, &next).await? {
            // Another guess at the same moment moved it: this one counts as stale.
            return Err(refused(ErrorCode::OtpInvalid, "the code was checked at the same moment; try again", None));
        }
        match next_state {
            OtpState::Verified { .. } => Ok(challenge.mobile),
            OtpState::Exhausted => Err(refused(ErrorCode::OtpExpired, "too many wrong codes; ask for a new one", None)),
            OtpState::Open { attempts } => {
                let left = self.config.otp.max_attempts - attempts;
                Err(Error::Refused(
                    ApiError::new(ErrorCode::OtpInvalid, format!("that is not the code; {left} tries left"))
                        .with_field("code"),
                ))
            }
        }
    }
}
