//! The ids the XML wire adds to the core's: the message id of one request and its response, the id of an
//! institution (an operating unit), and the transaction reference id this BBPOU mints for a payment.

use std::fmt;

use bbps_core::ids::IdError;
use bbps_core::{AgentId, RefId, TxnRef};
use rand::Rng;
use ring::digest::{SHA256, digest};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

macro_rules! wire_id {
    ($(#[$meta:meta])* $name:ident, $kind:literal, $expected:literal, $check:expr) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            pub fn parse(s: &str) -> Result<Self, IdError> {
                let check: fn(&str) -> bool = $check;
                if check(s) { Ok(Self(s.to_owned())) } else { Err(IdError { kind: $kind, expected: $expected }) }
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
    };
}

wire_id!(
    /// `Txn@msgId`: names one request and the response that answers it. We mint it in the shape of a refId (27
    /// random characters and a `YDDDhhmm` stamp); what a counterparty sends back is only checked to be 1 to 35
    /// letters or digits, since matching it against what we sent is the real check.
    MsgId, "a msgId", "1 to 35 letters or digits", |s| (1..=35).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric())
);

wire_id!(
    /// `Head@origInst`: the institution (operating unit) a message comes from, e.g. our BBPOU id `AI01` or the
    /// central unit's.
    InstitutionId, "an institution id", "2 to 10 upper-case letters or digits",
    |s| (2..=10).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
);

impl MsgId {
    pub fn generate<R: Rng + ?Sized>(rng: &mut R, now: OffsetDateTime) -> MsgId {
        MsgId(RefId::generate(rng, now).into())
    }
}

/// The transaction reference id of the payment of `ref_id`: the first four characters of our agent id (the OU
/// id), the refId's `YDDD` day stamp, and twelve characters of the refId's SHA-256 digest in base 36.
///
/// The customer BBPOU mints this id and sends it in `Txn@txnReferenceId`. Deriving it from the refId rather than
/// drawing it at random makes a repeated payment of one bill carry the same id (the network sees one transaction
/// however often we ask), and lets the status of a refId's payment be asked by its id after a restart, or after
/// the payment's own answer was lost, without having stored anything.
pub fn txn_ref_for(agent: &AgentId, ref_id: &RefId) -> TxnRef {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let hash = digest(&SHA256, ref_id.as_str().as_bytes());
    let mut n = u128::from_be_bytes(hash.as_ref()[..16].try_into().unwrap_or([0; 16]));
    let mut tail = [0u8; 12];
    for c in tail.iter_mut().rev() {
        *c = ALPHABET[(n % 36) as usize];
        n /= 36;
    }
    let day = &ref_id.as_str()[27..31];
    let id = format!("{}{day}{}", &agent.as_str()[..4], String::from_utf8_lossy(&tail));
    // Every part is upper-case alphanumeric and the lengths add up to 20.
    TxnRef::parse(&id).unwrap_or_else(|_| unreachable!("a derived txn reference has the TxnRef shape: {id}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn msg_ids_have_the_ref_id_shape() {
        let id = MsgId::generate(&mut rand::rng(), datetime!(2026-02-01 20:10 UTC));
        assert_eq!(id.as_str().len(), 35);
        assert!(RefId::parse(id.as_str()).is_ok());
        assert!(MsgId::parse("").is_err());
        assert!(MsgId::parse(&"A".repeat(36)).is_err());
        assert!(MsgId::parse("AB-12").is_err());
    }

    #[test]
    fn txn_refs_are_stable_per_ref_id_and_carry_the_ou_and_day() {
        let agent = AgentId::parse("AI01AI02INT512345678").unwrap();
        let a = RefId::parse("ABCDEFGHIJKLMNOPQRSTUVWXYZ060330140").unwrap();
        let b = RefId::parse("ABCDEFGHIJKLMNOPQRSTUVWXYZ160330140").unwrap();
        let ta = txn_ref_for(&agent, &a);
        assert_eq!(ta, txn_ref_for(&agent, &a));
        assert_ne!(ta, txn_ref_for(&agent, &b));
        assert!(ta.as_str().starts_with("AI016033"), "{ta}");
    }
}
