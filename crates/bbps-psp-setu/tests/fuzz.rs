//! The PSP's notifications are outside input before their signature is checked: the bearer token and the body
//! parse without panicking whatever arrives, and anything unsigned is refused.

use bbps_core::Secret;
use bbps_psp_setu::notify::{NotificationVerifier, events};
use proptest::prelude::*;
use serde_json::json;

fn verifier() -> NotificationVerifier {
    NotificationVerifier::new("bbps-sandbox", &Secret::new("a-notification-secret-of-enough-length"))
}

/// Bodies near the real shape: the right keys with values of any JSON type.
fn near_notification() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just(json!(null)),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|n| json!(n)),
        ".{0,24}".prop_map(|s| json!(s)),
        Just(json!([])),
        Just(json!({})),
    ];
    let kinds = prop_oneof![
        Just("BBPS_BILL_FULFILMENT_STATUS"),
        Just("PAYMENT_SUCCESSFUL"),
        Just("REFUND_STATUS"),
        Just("SETTLEMENT"),
        Just("x"),
    ];
    (kinds, proptest::collection::vec(("[a-zA-Z]{1,16}", leaf), 0..8)).prop_map(|(kind, fields)| {
        let data: serde_json::Map<_, _> = fields.into_iter().collect();
        json!({ "partnerDetails": {}, "events": [{ "type": kind, "id": "e", "timeStamp": 0, "data": data }] })
            .to_string()
    })
}

proptest! {
    #[test]
    fn any_body_parses_or_is_refused(body in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = events(&body);
    }

    #[test]
    fn bodies_near_the_real_shape_parse_or_are_refused(body in near_notification()) {
        let _ = events(body.as_bytes());
    }

    #[test]
    fn unsigned_tokens_are_refused(token in "(Bearer |bearer |)[A-Za-z0-9_=.-]{0,300}") {
        prop_assert!(verifier().verify(Some(&token)).is_err());
    }

    #[test]
    fn tokens_with_forged_claims_are_refused(iat in any::<i64>(), jti in ".{0,40}") {
        let claims = json!({ "aud": "bbps-sandbox", "iat": iat, "jti": jti });
        let key = jsonwebtoken::EncodingKey::from_secret(b"another-secret-of-enough-length-000000");
        let token = jsonwebtoken::encode(&jsonwebtoken::Header::default(), &claims, &key).expect("jwt");
        let authorization = format!("Bearer {token}");
        prop_assert!(verifier().verify(Some(&authorization)).is_err());
    }
}
