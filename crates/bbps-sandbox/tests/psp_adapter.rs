//! The live PSP adapter (`bbps-psp-setu`) against the PSP simulator, over real HTTP on loopback: links, payments
//! and their notifications, status, expiry, refunds, token renewal, and the PSP being down or refusing.

use std::time::Duration;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::routing::post;
use bbps_core::{Paise, Secret, Timestamp, UpiLink};
use bbps_engine::ports::{
    IdSource, LinkRequest, LinkState, NotificationError, PspError, PspEvent, PspLink, RandomIds, RefundAnswer,
    RefundRequest, RefundState, Returned, UpiPsp,
};
use bbps_psp_setu::{SetuConfig, SetuPsp};
use bbps_sandbox::PayerConfig;
use bbps_sandbox::psp_sim::{self, PspSimConfig, RunningPspSim, SimStatus};
use bbps_sandbox::upi_app::payer::{Payer, PayerAction};
use serde_json::json;
use tokio::sync::mpsc;

const CLIENT: &str = "adapter-test-client";
const CLIENT_SECRET: &str = "adapter-test-client-secret-0123456789";
const INSTANCE: &str = "adapter-test-instance";
const AUDIENCE: &str = "adapter-test-scheme";
const NOTIFY_SECRET: &str = "adapter-test-notify-secret-0123456789abcdef";

/// A notification as it reached the merchant's endpoint.
struct Received {
    authorization: Option<String>,
    body: Vec<u8>,
}

struct Rig {
    sim: RunningPspSim,
    psp: SetuPsp,
    payer: Payer,
    notifications: mpsc::UnboundedReceiver<Received>,
    http: reqwest::Client,
    _dir: tempfile::TempDir,
}

async fn receive(
    State(tx): State<mpsc::UnboundedSender<Received>>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> &'static str {
    let authorization = headers.get("authorization").and_then(|v| v.to_str().ok()).map(str::to_owned);
    let _ = tx.send(Received { authorization, body: body.to_vec() });
    "ok"
}

fn psp_config(base_url: String) -> SetuConfig {
    SetuConfig {
        base_url,
        client_id: CLIENT.into(),
        client_secret: Secret::new(CLIENT_SECRET),
        product_instance_id: INSTANCE.into(),
        notify_audience: AUDIENCE.into(),
        notify_secret: Secret::new(NOTIFY_SECRET),
        timeout: Duration::from_secs(5),
    }
}

async fn rig(token_ttl: Duration) -> Rig {
    let dir = tempfile::tempdir().expect("dir");
    let (tx, notifications) = mpsc::unbounded_channel();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let callback = format!("http://{}/psp", listener.local_addr().expect("addr"));
    let app = axum::Router::new().route("/psp/notifications", post(receive)).with_state(tx);
    tokio::spawn(async move { axum::serve(listener, app).await });
    let sim = psp_sim::start(PspSimConfig {
        listen: "127.0.0.1:0".parse().expect("addr"),
        database: dir.path().join("psp.sqlite3"),
        client_id: CLIENT.into(),
        client_secret: Secret::new(CLIENT_SECRET),
        product_instance_id: INSTANCE.into(),
        callback_url: callback,
        notify_audience: AUDIENCE.into(),
        notify_secret: Secret::new(NOTIFY_SECRET),
        token_ttl,
        refund_delay: Duration::from_millis(300),
    })
    .await
    .expect("simulator");
    let psp = SetuPsp::new(psp_config(sim.base_url())).expect("adapter");
    let payer = Payer::new(
        PayerConfig {
            psp_root: format!("http://{}", sim.addr),
            client_id: CLIENT.into(),
            client_secret: Secret::new(CLIENT_SECRET),
            product_instance_id: INSTANCE.into(),
        },
        reqwest::Client::new(),
    );
    Rig { sim, psp, payer, notifications, http: reqwest::Client::new(), _dir: dir }
}

fn request(rupees: u64, expires_in: Duration) -> LinkRequest {
    let now = time::OffsetDateTime::now_utc();
    LinkRequest {
        reference: RandomIds.upi_txn_ref(),
        amount: Paise::new(rupees * 100).expect("paise"),
        payee_name: "Society Portal".into(),
        note: "MSEDCL bill".into(),
        expires_at: Timestamp::from_offset_date_time(now + expires_in),
    }
}

impl Rig {
    async fn control(&self, body: serde_json::Value) {
        let r = self.http.post(format!("http://{}/sim/control", self.sim.addr)).json(&body).send().await;
        assert!(r.is_ok_and(|r| r.status().is_success()), "control {body}");
    }

    async fn status(&self) -> SimStatus {
        let r = self.http.get(format!("http://{}/sim/status", self.sim.addr)).send().await.expect("status");
        r.json().await.expect("status body")
    }

    /// The next notification, authenticated and read by the adapter.
    async fn next_events(&mut self) -> (Received, Vec<PspEvent>) {
        let n = tokio::time::timeout(Duration::from_secs(10), self.notifications.recv())
            .await
            .expect("a notification within 10 s")
            .expect("channel open");
        let events = self.psp.read_notification(n.authorization.as_deref(), &n.body).expect("a valid notification");
        (n, events)
    }

    async fn pay(&self, link: &PspLink, action: PayerAction) -> bbps_sandbox::upi_app::payer::SimulatedPayment {
        let parsed = UpiLink::parse(&link.upi_link).expect("a UPI link");
        self.payer.act(&parsed, action).await.expect("the payer's action")
    }
}

#[tokio::test]
async fn a_link_is_created_paid_notified_and_read_back() {
    let mut r = rig(Duration::from_secs(1800)).await;
    let req = request(1827, Duration::from_secs(600));
    let link = r.psp.create_link(&req).await.expect("link");
    let parsed = UpiLink::parse(&link.upi_link).expect("Setu's upiLink parses as a UPI link");
    assert_eq!(parsed.amount, Some(req.amount));
    assert_eq!(parsed.txn_ref.as_ref(), Some(&req.reference));
    assert_eq!(parsed.payee_name, "Society Portal");
    assert_eq!(parsed.note.as_deref(), Some("MSEDCL bill"));
    assert_eq!(r.psp.create_link(&req).await.expect("again"), link, "a repeated request answers the same link");
    assert_eq!(r.psp.link_state(&link.id).await.expect("state"), LinkState::Open);

    let paid = r.pay(&link, PayerAction::Approve).await;
    let (n, events) = r.next_events().await;
    let [PspEvent::DebitHonoured { link: id, reference, debit }] = events.as_slice() else {
        panic!("one honoured debit: {events:?}");
    };
    assert_eq!((id, reference.as_ref()), (&link.id, Some(&req.reference)));
    assert_eq!(debit.amount, req.amount);
    assert_eq!(debit.rrn.as_deref(), Some(paid.debits[0].transaction_id.as_str()));
    let LinkState::Paid(asked) = r.psp.link_state(&link.id).await.expect("state") else { panic!("paid") };
    assert_eq!((asked.id.as_str(), asked.amount), (debit.id.as_str(), req.amount), "status and notice agree");

    // The same signed notification a second time is a replay.
    let replay = r.psp.read_notification(n.authorization.as_deref(), &n.body);
    assert!(
        matches!(replay, Err(NotificationError::Unauthenticated(ref why)) if why.contains("used before")),
        "{replay:?}"
    );
}

#[tokio::test]
async fn notifications_are_believed_only_with_a_fresh_token_of_ours() {
    let mut r = rig(Duration::from_secs(1800)).await;
    let link = r.psp.create_link(&request(500, Duration::from_secs(600))).await.expect("link");
    r.pay(&link, PayerAction::Approve).await;
    let (n, _) = r.next_events().await;
    let sign = |claims: serde_json::Value, key: &str| {
        let key = jsonwebtoken::EncodingKey::from_secret(key.as_bytes());
        let token = jsonwebtoken::encode(&jsonwebtoken::Header::default(), &claims, &key).expect("sign");
        format!("Bearer {token}")
    };
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let cases = [
        (None, "no Authorization"),
        (Some("Basic Zm9vOmJhcg==".to_owned()), "not a bearer token"),
        (
            Some(sign(
                json!({ "aud": AUDIENCE, "iat": now, "jti": "a1" }),
                "another-key-of-the-same-length-0123456789ab",
            )),
            "wrong key",
        ),
        (Some(sign(json!({ "aud": "someone-else", "iat": now, "jti": "a2" }), NOTIFY_SECRET)), "wrong audience"),
        (Some(sign(json!({ "aud": AUDIENCE, "iat": now - 600, "jti": "a3" }), NOTIFY_SECRET)), "stale"),
        (Some(sign(json!({ "aud": AUDIENCE, "iat": now }), NOTIFY_SECRET)), "no jti"),
    ];
    for (authorization, what) in cases {
        let read = r.psp.read_notification(authorization.as_deref(), &n.body);
        assert!(matches!(read, Err(NotificationError::Unauthenticated(_))), "{what}: {read:?}");
    }
    let good = sign(json!({ "aud": AUDIENCE, "iat": now, "jti": "fresh-one" }), NOTIFY_SECRET);
    assert!(r.psp.read_notification(Some(&good), &n.body).is_ok(), "a fresh token of ours");
    let garbage = sign(json!({ "aud": AUDIENCE, "iat": now, "jti": "fresh-two" }), NOTIFY_SECRET);
    let read = r.psp.read_notification(Some(&garbage), b"{\"events\": 7}");
    assert!(matches!(read, Err(NotificationError::Malformed(_))), "{read:?}");
}

#[tokio::test]
async fn a_second_payment_and_a_wrong_amount_are_returned_by_the_psp() {
    let mut r = rig(Duration::from_secs(1800)).await;
    let link = r.psp.create_link(&request(300, Duration::from_secs(600))).await.expect("link");
    r.pay(&link, PayerAction::PayTwice).await;
    let mut seen = Vec::new();
    while seen.len() < 3 {
        seen.extend(r.next_events().await.1);
    }
    assert!(matches!(seen[0], PspEvent::DebitHonoured { .. }), "{seen:?}");
    let PspEvent::DebitReturned { debit: second, why, .. } = &seen[1] else { panic!("{seen:?}") };
    assert_eq!(*why, Returned::AlreadyPaid);
    let PspEvent::Refund { debit, state, link: of, .. } = &seen[2] else { panic!("{seen:?}") };
    assert_eq!((debit.as_ref(), *state, of), (second.rrn.as_ref(), RefundState::Initiated, &link.id));

    let other = r.psp.create_link(&request(300, Duration::from_secs(600))).await.expect("link");
    r.pay(&other, PayerAction::WrongAmount).await;
    let events = r.next_events().await.1;
    assert!(matches!(events[..], [PspEvent::DebitReturned { why: Returned::WrongAmount, .. }]), "{events:?}");
    assert_eq!(r.psp.link_state(&other.id).await.expect("state"), LinkState::Refused);
}

#[tokio::test]
async fn an_expired_link_takes_no_payment() {
    let mut r = rig(Duration::from_secs(1800)).await;
    let link = r.psp.create_link(&request(250, Duration::from_secs(600))).await.expect("link");
    r.psp.expire_link(&link.id).await.expect("expire");
    assert_eq!(r.psp.link_state(&link.id).await.expect("state"), LinkState::Expired);
    let paid = r.pay(&link, PayerAction::Approve).await;
    assert!(!paid.debits[0].honoured);
    let events = r.next_events().await.1;
    assert!(matches!(events[..], [PspEvent::DebitReturned { why: Returned::LinkExpired, .. }]), "{events:?}");
    let err = r.psp.expire_link("000000000000000000").await.expect_err("unknown link");
    assert!(matches!(err, PspError::Rejected(ref why) if why.contains("404")), "{err}");
}

#[tokio::test]
async fn a_refund_is_requested_followed_and_never_made_twice() {
    let mut r = rig(Duration::from_secs(1800)).await;
    let req = request(1200, Duration::from_secs(600));
    let link = r.psp.create_link(&req).await.expect("link");
    r.pay(&link, PayerAction::Approve).await;
    r.next_events().await;
    let full = RefundRequest { link: link.id.clone(), amount: req.amount, full: true };
    let RefundAnswer::Created { id, state } = r.psp.refund(&full).await.expect("refund") else { panic!("created") };
    assert_eq!(state, RefundState::Accepted);
    assert_eq!(r.psp.refund_state(&id).await.expect("state"), RefundState::Accepted);
    assert_eq!(r.psp.refund(&full).await.expect("again"), RefundAnswer::NothingLeft, "one refund per debit");
    let events = r.next_events().await.1;
    assert_eq!(
        events,
        vec![PspEvent::Refund {
            refund: Some(id.clone()),
            link: link.id.clone(),
            debit: None,
            state: RefundState::Initiated
        }]
    );
    assert_eq!(r.psp.refund_state(&id).await.expect("state"), RefundState::Initiated);

    let unpaid = r.psp.create_link(&request(100, Duration::from_secs(600))).await.expect("link");
    let err = r
        .psp
        .refund(&RefundRequest { link: unpaid.id, amount: Paise::new(10_000).expect("paise"), full: true })
        .await
        .expect_err("nothing was paid");
    assert!(matches!(err, PspError::Rejected(_)), "{err}");
}

#[tokio::test]
async fn tokens_are_cached_renewed_before_expiry_and_after_a_401() {
    // A token of 61 s is renewed a minute early, so after a second it is due.
    let r = rig(Duration::from_secs(61)).await;
    let link = r.psp.create_link(&request(100, Duration::from_secs(600))).await.expect("link");
    r.psp.link_state(&link.id).await.expect("state");
    assert_eq!(r.status().await.tokens_issued, 1, "one token for two calls");
    tokio::time::sleep(Duration::from_millis(1200)).await;
    r.psp.link_state(&link.id).await.expect("state");
    assert_eq!(r.status().await.tokens_issued, 2, "renewed ahead of its expiry");
    r.control(json!({ "revoke_tokens": true })).await;
    r.psp.link_state(&link.id).await.expect("a 401 renews the token and the call goes through");
    assert_eq!(r.status().await.tokens_issued, 3);
}

#[tokio::test]
async fn a_psp_that_is_down_unreachable_or_refusing_gives_a_clear_error() {
    let r = rig(Duration::from_secs(1800)).await;
    r.control(json!({ "down": true })).await;
    let err = r.psp.create_link(&request(100, Duration::from_secs(600))).await.expect_err("down");
    assert!(matches!(err, PspError::Unavailable(ref why) if why.contains("503")), "{err}");
    r.control(json!({ "down": false })).await;
    assert!(r.psp.create_link(&request(100, Duration::from_secs(600))).await.is_ok(), "back up");

    let mut wrong = psp_config(r.sim.base_url());
    wrong.client_secret = Secret::new("not-the-secret");
    let err = SetuPsp::new(wrong).expect("adapter").link_state("1").await.expect_err("bad credentials");
    assert!(matches!(err, PspError::Rejected(ref why) if why.contains("invalid-api-key")), "{err}");

    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let nowhere = format!("http://{}/v2", closed.local_addr().expect("addr"));
    drop(closed);
    let err = SetuPsp::new(psp_config(nowhere)).expect("adapter").link_state("1").await.expect_err("no one there");
    assert!(matches!(err, PspError::Unavailable(_)), "{err}");
}
