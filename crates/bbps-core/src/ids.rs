//! Typed identifiers. Each is a validated string: a value of the type is proof that its shape was checked, so a
//! biller id can never be passed where a payment id is expected, and nothing malformed reaches the network.

use std::fmt;

use rand_core::Rng;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::clock::IST;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind} must be {expected}")]
pub struct IdError {
    pub kind: &'static str,
    pub expected: &'static str,
}

const UPPER_ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const LOWER_ALNUM: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";

/// Draws `n` characters uniformly from `alphabet` (rejection sampling, so no modulo bias).
pub fn random_string<R: Rng + ?Sized>(rng: &mut R, alphabet: &[u8], n: usize) -> String {
    let len = alphabet.len() as u32;
    let zone = u32::MAX - (u32::MAX % len);
    let mut out = String::with_capacity(n);
    while out.len() < n {
        let v = rng.next_u32();
        if v < zone {
            out.push(char::from(alphabet[(v % len) as usize]));
        }
    }
    out
}

// The pattern is a `tt` rather than a `literal` fragment: a `literal` capture reaches derive macros wrapped in an
// invisible group, which utoipa's attribute parser does not read.
macro_rules! string_id {
    ($(#[$meta:meta])* $name:ident, $kind:literal, $expected:literal, $pattern:tt, $check:expr) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, pattern = $pattern))]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            pub fn parse(s: &str) -> Result<Self, IdError> {
                let check: fn(&str) -> bool = $check;
                if check(s) {
                    Ok(Self(s.to_owned()))
                } else {
                    Err(IdError { kind: $kind, expected: $expected })
                }
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = IdError;
            fn try_from(s: String) -> Result<Self, IdError> {
                Self::parse(&s)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::str::FromStr for $name {
            type Err = IdError;
            fn from_str(s: &str) -> Result<Self, IdError> {
                Self::parse(s)
            }
        }
    };
}

fn all_of(s: &str, len: usize, allowed: fn(u8) -> bool) -> bool {
    s.len() == len && s.bytes().all(allowed)
}

fn upper_alnum(b: u8) -> bool {
    b.is_ascii_uppercase() || b.is_ascii_digit()
}

fn lower_alnum(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit()
}

string_id!(
    /// A BBPS biller id: 14 upper-case letters and digits, e.g. `VODA00000MUM03`.
    BillerId, "a biller id", "14 upper-case letters or digits", "^[A-Z0-9]{14}$", |s| all_of(s, 14, upper_alnum)
);

string_id!(
    /// The BBPS `refId` of one bill's fetch and payment: 27 random upper-case alphanumerics followed by
    /// `YDDDhhmm` (last digit of the year, day of the year, hour and minute, in IST).
    RefId, "a BBPS refId", "35 characters: 27 letters or digits and a YDDDhhmm stamp", "^[A-Z0-9]{27}[0-9]{8}$",
    |s| s.len() == 35 && s.bytes().take(27).all(upper_alnum) && s.bytes().skip(27).all(|b| b.is_ascii_digit())
);

string_id!(
    /// The BBPS transaction reference id a customer sees (the Bharat Connect Txn Ref): 20 upper-case
    /// alphanumerics.
    TxnRef, "a BBPS transaction reference", "20 upper-case letters or digits", "^[A-Z0-9]{20}$", |s| all_of(s, 20, upper_alnum)
);

string_id!(
    /// A BBPS complaint id as the network assigns it: 15 upper-case alphanumerics.
    ComplaintId, "a complaint id", "15 upper-case letters or digits", "^[A-Z0-9]{15}$", |s| all_of(s, 15, upper_alnum)
);

string_id!(
    /// A biller's plan id (`PlanDetail/Id`): 1 to 32 letters or digits.
    PlanId, "a plan id", "1 to 32 letters or digits", "^[A-Za-z0-9]{1,32}$",
    |s| (1..=32).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric())
);

string_id!(
    /// A biller's approval reference number for a paid bill: 1 to 35 letters, digits or `-`.
    ApprovalRef, "an approval reference", "1 to 35 letters, digits or '-'", "^[A-Za-z0-9-]{1,35}$",
    |s| (1..=35).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
);

string_id!(
    /// A BBPS agent id: 20 upper-case letters or digits, the first four the agent institution's OU id
    /// (`AI01AI02INT512345678`). A service complaint names the agent by it.
    AgentId, "an agent id", "20 upper-case letters or digits", "^[A-Z0-9]{20}$", |s| all_of(s, 20, upper_alnum)
);

string_id!(
    /// The `Idempotency-Key` of a payment creation: 8 to 64 letters, digits, `-` or `_`. The same key with the
    /// same body answers the same payment.
    IdempotencyKey, "the Idempotency-Key", "8 to 64 letters, digits, '-' or '_'", "^[A-Za-z0-9_-]{8,64}$",
    |s| (8..=64).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
);

string_id!(
    /// Where a merchant receives webhooks: an `http(s)://` URL with a host and no credentials, at most 2,048
    /// characters.
    WebhookUrl, "a webhook URL", "an http(s) URL with a host, without spaces or user info", "^https?://[^@/?#]+",
    |s| {
        let host = s.strip_prefix("https://").or_else(|| s.strip_prefix("http://")).map(|r| r.split(['/', '?', '#']).next().unwrap_or(""));
        s.len() <= 2048
            && host.is_some_and(|h| !h.is_empty() && !h.contains('@'))
            && !s.chars().any(|c| c.is_whitespace() || c.is_control())
    }
);

macro_rules! prefixed_id {
    ($(#[$meta:meta])* $name:ident, $prefix:literal, $kind:literal, $expected:literal, $pattern:tt) => {
        string_id!($(#[$meta])* $name, $kind, $expected, $pattern, |s| {
            s.strip_prefix($prefix).is_some_and(|rest| all_of(rest, 24, lower_alnum))
        });

        impl $name {
            pub const PREFIX: &'static str = $prefix;

            pub fn generate<R: Rng + ?Sized>(rng: &mut R) -> Self {
                Self(format!("{}{}", $prefix, random_string(rng, LOWER_ALNUM, 24)))
            }
        }
    };
}

prefixed_id!(
    /// Our id for one payment attempt.
    PaymentId, "pay_", "a payment id", "'pay_' and 24 lower-case letters or digits",
    "^pay_[a-z0-9]{24}$"
);
prefixed_id!(
    /// Our id for one fetched (or validated) bill, which a payment must reference.
    QuoteId, "quo_", "a bill quote id", "'quo_' and 24 lower-case letters or digits",
    "^quo_[a-z0-9]{24}$"
);
prefixed_id!(
    /// A merchant account.
    MerchantId, "mer_", "a merchant id", "'mer_' and 24 lower-case letters or digits",
    "^mer_[a-z0-9]{24}$"
);
prefixed_id!(
    /// A one-time code sent to a customer's mobile number (the code itself is never shown by its id).
    OtpChallengeId, "otp_", "a code challenge id", "'otp_' and 24 lower-case letters or digits",
    "^otp_[a-z0-9]{24}$"
);
prefixed_id!(
    /// One widget session.
    SessionId, "ses_", "a session id", "'ses_' and 24 lower-case letters or digits",
    "^ses_[a-z0-9]{24}$"
);

string_id!(
    /// Who holds it may read its payment (with the publishable key's session): `<payment id>_secret_` and 32
    /// lower-case letters or digits. Given once, in the answer that creates the payment; the widget keeps it with
    /// the payment id to follow the payment after a reload.
    ClientSecret, "a payment's client secret", "'pay_…_secret_' and 32 lower-case letters or digits",
    "^pay_[a-z0-9]{24}_secret_[a-z0-9]{32}$",
    |s| s.split_once("_secret_").is_some_and(|(id, tail)| PaymentId::parse(id).is_ok() && all_of(tail, 32, lower_alnum))
);

impl ClientSecret {
    /// The secret of `payment` whose random part is `tail` (32 lower-case letters or digits).
    pub fn new(payment: &PaymentId, tail: &str) -> Result<ClientSecret, IdError> {
        ClientSecret::parse(&format!("{payment}_secret_{tail}"))
    }

    /// The payment it opens.
    pub fn payment_id(&self) -> PaymentId {
        PaymentId(self.0.split_once("_secret_").map_or("", |(id, _)| id).to_owned())
    }
}

impl RefId {
    /// A fresh `refId` stamped with `now` in IST.
    pub fn generate<R: Rng + ?Sized>(rng: &mut R, now: OffsetDateTime) -> RefId {
        let ist = now.to_offset(IST);
        let stamp = format!("{}{:03}{:02}{:02}", ist.year().rem_euclid(10), ist.ordinal(), ist.hour(), ist.minute());
        RefId(random_string(rng, UPPER_ALNUM, 27) + &stamp)
    }
}

impl TxnRef {
    pub fn generate<R: Rng + ?Sized>(rng: &mut R) -> TxnRef {
        TxnRef(random_string(rng, UPPER_ALNUM, 20))
    }
}

impl ComplaintId {
    pub fn generate<R: Rng + ?Sized>(rng: &mut R) -> ComplaintId {
        ComplaintId(random_string(rng, UPPER_ALNUM, 15))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{SeedableRng, rngs::StdRng};
    use time::macros::datetime;

    #[test]
    fn client_secrets_name_their_payment() {
        let id = PaymentId::generate(&mut rand::rng());
        let secret = ClientSecret::new(&id, "0123456789abcdefghijklmnopqrstuv").unwrap();
        assert_eq!(secret.payment_id(), id);
        assert!(ClientSecret::new(&id, "short").is_err());
        assert!(ClientSecret::parse(&format!("{id}_secret_0123456789ABCDEFGHIJKLMNOPQRSTUV")).is_err());
        assert!(ClientSecret::parse("pay_x_secret_0123456789abcdefghijklmnopqrstuv").is_err());
    }

    #[test]
    fn biller_id_shape() {
        assert!(BillerId::parse("VODA00000MUM03").is_ok());
        assert!(BillerId::parse("voda00000MUM03").is_err());
        assert!(BillerId::parse("VODA00000MUM0").is_err());
        assert!(BillerId::parse("VODA00000MUM03X").is_err());
        assert_eq!(
            BillerId::parse("x").unwrap_err().to_string(),
            "a biller id must be 14 upper-case letters or digits"
        );
    }

    #[test]
    fn ref_id_is_35_chars_with_an_ist_julian_stamp() {
        let mut rng = StdRng::seed_from_u64(7);
        // 2026-02-01 20:10 UTC is 2026-02-02 01:40 IST: day 33 of 2026.
        let id = RefId::generate(&mut rng, datetime!(2026-02-01 20:10 UTC));
        assert_eq!(id.as_str().len(), 35);
        assert!(id.as_str().ends_with("60330140"), "{id}");
        assert!(RefId::parse(id.as_str()).is_ok());
    }

    #[test]
    fn generated_ids_parse_back() {
        let mut rng = StdRng::seed_from_u64(1);
        for _ in 0..100 {
            let p = PaymentId::generate(&mut rng);
            assert_eq!(PaymentId::parse(p.as_str()), Ok(p.clone()));
            assert!(QuoteId::parse(p.as_str()).is_err(), "prefixes keep kinds apart");
            let t = TxnRef::generate(&mut rng);
            assert_eq!(TxnRef::parse(t.as_str()), Ok(t));
            let c = ComplaintId::generate(&mut rng);
            assert_eq!(ComplaintId::parse(c.as_str()), Ok(c));
        }
    }

    #[test]
    fn agent_ids_are_twenty_upper_alphanumerics() {
        assert!(AgentId::parse("AI01AI02INT512345678").is_ok());
        assert!(AgentId::parse("AI01AI02INT51234567").is_err(), "19");
        assert!(AgentId::parse("AI01AI02INT5123456789").is_err(), "21");
        assert!(AgentId::parse("ai01ai02int512345678").is_err(), "upper case");
        assert!(AgentId::parse("AI01AI02INT51234567-").is_err());
    }

    #[test]
    fn idempotency_keys() {
        assert!(IdempotencyKey::parse("abc-DEF_12").is_ok());
        assert!(IdempotencyKey::parse("short").is_err());
        assert!(IdempotencyKey::parse(&"k".repeat(64)).is_ok());
        assert!(IdempotencyKey::parse(&"k".repeat(65)).is_err());
        assert!(IdempotencyKey::parse("has space1").is_err());
    }

    #[test]
    fn serde_validates() {
        let ok: Result<BillerId, _> = serde_json::from_str("\"VODA00000MUM03\"");
        assert!(ok.is_ok());
        let bad: Result<BillerId, _> = serde_json::from_str("\"nope\"");
        assert!(bad.is_err());
    }
}
