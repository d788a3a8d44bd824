//! Tracking tokens: proof, after a one-time code matched, that a session holds a mobile number. Signed, not
//! stored: `trk.<expiry in Unix seconds>.<HMAC>` over the session, the number and the expiry, so the token works
//! only for that session, that number and until then; rotating the session key ends every token.

use bbps_core::api::MobileNumber;
use bbps_core::{SessionId, Timestamp};

use crate::util::{hmac_hex, hmac_verify_hex};

/// Kept apart from session signatures and client secrets by its own derived key.
const DOMAIN: &[u8] = b"bbps tracking token v1";

pub struct TrackingTokens {
    key: Vec<u8>,
}

fn message(session: &SessionId, mobile: &MobileNumber, expires: i64) -> String {
    format!("{session}|{}|{expires}", mobile.as_str())
}

impl TrackingTokens {
    pub fn new(session_key: &[u8]) -> TrackingTokens {
        TrackingTokens { key: hmac_hex(session_key, DOMAIN).into_bytes() }
    }

    pub fn issue(&self, session: &SessionId, mobile: &MobileNumber, expires_at: Timestamp) -> String {
        let expires = expires_at.unix_seconds();
        format!("trk.{expires}.{}", hmac_hex(&self.key, message(session, mobile, expires).as_bytes()))
    }

    /// Whether `token` proves `mobile` for `session` at `now`.
    pub fn opens(&self, token: &str, session: &SessionId, mobile: &MobileNumber, now: Timestamp) -> bool {
        let mut parts = token.splitn(3, '.');
        let (Some("trk"), Some(expires), Some(mac)) = (parts.next(), parts.next(), parts.next()) else { return false };
        // Digits only and short: an expiry parses without overflow or it is refused.
        let Some(expires) = (expires.len() <= 12 && expires.bytes().all(|b| b.is_ascii_digit()))
            .then(|| expires.parse::<i64>().ok())
            .flatten()
        else {
            return false;
        };
        mac.len() == 64
            && expires > now.unix_seconds()
            && hmac_verify_hex(&self.key, message(session, mobile, expires).as_bytes(), mac)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_opens_its_session_and_number_until_it_expires() {
        let tokens = TrackingTokens::new(b"session key");
        let session = SessionId::generate(&mut rand::rng());
        let mobile = MobileNumber::parse("9876543210").unwrap();
        let now = Timestamp::from_unix_seconds(1_800_000_000).unwrap();
        let later = Timestamp::from_unix_seconds(1_800_000_900).unwrap();
        let token = tokens.issue(&session, &mobile, later);
        assert!(tokens.opens(&token, &session, &mobile, now));
        assert!(!tokens.opens(&token, &session, &mobile, later), "expired");
        assert!(!tokens.opens(&token, &SessionId::generate(&mut rand::rng()), &mobile, now), "another session");
        assert!(!tokens.opens(&token, &session, &MobileNumber::parse("9123456789").unwrap(), now), "another number");
        let stretched = token.replacen("1800000900", "1900000900", 1);
        assert!(!tokens.opens(&stretched, &session, &mobile, now), "a longer life is not signed");
        assert!(!TrackingTokens::new(b"rotated").opens(&token, &session, &mobile, now));
        for junk in ["", "trk", "trk..", "trk.99999999999999999999.ab", "trk.-1.00", "x.1.2"] {
            assert!(!tokens.opens(junk, &session, &mobile, now), "{junk}");
        }
    }

    proptest::proptest! {
        #[test]
        fn no_made_up_token_opens(token in "(trk\\.)?[0-9-]{0,24}(\\.[0-9a-f]{0,70})?") {
            let tokens = TrackingTokens::new(b"session key");
            let session = SessionId::generate(&mut rand::rng());
            let mobile = MobileNumber::parse("9876543210").unwrap();
            let now = Timestamp::from_unix_seconds(1_800_000_000).unwrap();
            proptest::prop_assert!(!tokens.opens(&token, &session, &mobile, now));
        }
    }
}
