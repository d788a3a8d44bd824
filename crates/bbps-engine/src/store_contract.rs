//! The contract every [`Store`] keeps, written once against the port. A store adapter runs it with
//! [`store_contract_tests!`](crate::store_contract_tests), giving it a way to make a fresh, empty store, so the
//! SQLite store and the PostgreSQL store are held to exactly the same behaviour.

use bbps_core::api::{
    InfoItem, MobileNumber, RefundReason, TrackRange, WebhookAttempt, WebhookDeliveryStatus, WebhookEventType,
};
use bbps_core::{
    ApprovalRef, BillerId, Channel, Charges, ComplaintId, IdempotencyKey, MerchantId, OtpChallengeId, Paise, PaymentId,
    PaymentStatus, RefId, SessionId, Timestamp, TxnRef, UpiTxnRef, Vpa,
};

use crate::model::{
    BillPaymentOutcome, CollectLink, Merchant, NewWebhook, OtpChallenge, OtpState, PaymentRecord, QuoteRecord,
    RefundBy, RefundOf, RefundProgress, RefundRecord,
};
use crate::ports::{AttemptOutcome, CreatePayment, Effects, Lease, NewPayment, PaymentQuery, Store};
use crate::wire_archive::{UNREADABLE, WireDirection, WireMessage, WireMessageId, WireQuery};

/// Generates one `#[tokio::test]` per contract rule. `$make` is an async closure returning `(guard, store)`:
/// the guard (a temporary directory, a database) lives as long as the test. With `optional`, it returns
/// `Option<(guard, store)>`, and `None` skips the test: for a store whose database server may not be installed
/// (`$make` says why on stderr).
#[macro_export]
macro_rules! store_contract_tests {
    (optional $make:expr) => {
        $crate::store_contract_tests!(@rules optional $make);
    };
    ($make:expr) => {
        $crate::store_contract_tests!(@rules required $make);
    };
    (@rules $mode:ident $make:expr) => {
        $crate::store_contract_tests!(@each $mode $make;
            settings_are_written_once,
            merchants_are_found_by_id_and_keys,
            quotes_read_back,
            creation_is_idempotent_per_merchant_and_key,
            a_quote_pays_once,
            payments_are_found_by_their_references,
            payments_by_mobile_stay_within_the_range,
            merchant_lists_page_newest_first,
            saves_are_compare_and_set_with_their_effects,
            every_status_reads_back,
            due_payments_are_the_ones_the_worker_moves,
            refunds_are_queued_once_per_debit,
            refund_progress_reads_back_in_every_stage,
            payments_are_reconciled_when_due,
            webhook_attempts_are_recorded,
            complaints_read_back_and_update,
            the_wire_archive_keeps_messages_byte_for_byte,
            the_wire_archive_forgets_what_is_older_than_asked,
            archived_messages_are_found_by_id_and_requests_by_their_ids,
            one_time_codes_read_back_and_move_once,
        );
    };
    (@each required $make:expr; $($rule:ident),* $(,)?) => {
        $(
            #[tokio::test]
            async fn $rule() {
                let (_guard, store) = ($make)().await;
                $crate::store_contract::$rule(&*store).await;
            }
        )*
    };
    (@each optional $make:expr; $($rule:ident),* $(,)?) => {
        $(
            #[tokio::test]
            async fn $rule() {
                let Some((_guard, store)) = ($make)().await else { return };
                $crate::store_contract::$rule(&*store).await;
            }
        )*
    };
}

/// The instant `secs` seconds after the Unix epoch.
pub fn ts(secs: i64) -> Timestamp {
    Timestamp::from_unix_seconds(secs).unwrap_or_else(|| unreachable!("a valid instant"))
}

/// The contract's "now", in November 2026.
pub const NOW: i64 = 1_795_500_000;

fn paise(p: u64) -> Paise {
    Paise::new(p).unwrap_or(Paise::ZERO)
}

fn id<T, E: std::fmt::Debug>(r: Result<T, E>) -> T {
    r.unwrap_or_else(|e| panic!("fixture id: {e:?}"))
}

/// Merchant `n` of the fixtures (a store adapter's own tests use them too).
pub fn merchant(n: u8) -> Merchant {
    Merchant {
        id: id(MerchantId::parse(&format!("mer_contract{n:016}"))),
        name: format!("Merchant {n}"),
        publishable_key: format!("pk_test_contract{n}"),
        secret_key_hash: format!("{n:064}"),
        allowed_origins: vec![format!("https://shop{n}.example")],
        webhook_url: None,
        webhook_secret: bbps_core::Secret::new(format!("whsec_{n}")),
        upi_name: "Shop".to_owned(),
        created_at: ts(NOW),
    }
}

/// Payment `n` of merchant `m`, awaiting payment on its collect link.
pub fn payment(m: &Merchant, n: u32, created_at: Timestamp) -> PaymentRecord {
    let charges = Charges {
        bill_amount: paise(10_000),
        convenience_fee: paise(0),
        convenience_fee_gst: paise(0),
        total: paise(10_000),
    };
    PaymentRecord {
        id: id(PaymentId::parse(&format!("pay_contract{n:016}"))),
        merchant_id: m.id.clone(),
        session_id: Some(id(SessionId::parse("ses_contract0000000000000000"))),
        status: PaymentStatus::AwaitingPayment,
        version: 1,
        ref_id: id(RefId::parse(&format!("CONTRACT{n:019}63241000"))),
        biller_id: id(BillerId::parse("MAHAR0000MAH02")),
        biller_name: "MSEDCL".to_owned(),
        quote_id: None,
        params: vec![InfoItem { name: "Consumer Number".to_owned(), value: "100234567890".to_owned() }],
        bill: None,
        customer_name: None,
        charges,
        plan_id: None,
        bills: Vec::new(),
        customer_mobile: mobile("9876543210"),
        channel: Channel::Internet,
        customer_ip: Some(std::net::IpAddr::from([203, 0, 113, 7])),
        upi_txn_ref: id(UpiTxnRef::parse(&format!("BBPSCONTRACT{n:08}"))),
        pay_by: created_at.saturating_add(time::Duration::minutes(10)),
        link: Some(CollectLink {
            id: format!("LINK{n:08}"),
            upi_link: format!("upi://pay?pa=link{n}@psp&pn=Shop&am=100.00&tr=BBPSCONTRACT{n:08}&cu=INR"),
            payee_vpa: id(Vpa::parse(&format!("link{n}@psp"))),
            payee_name: m.upi_name.clone(),
        }),
        debit: None,
        bill_payment: None,
        failure: None,
        refund: None,
        next_check_at: None,
        bill_payment_sends: 0,
        final_at: None,
        reconcile_at: None,
        created_at,
        updated_at: created_at,
    }
}

fn refund(of: RefundOf, debit: &str, by: RefundBy, due: Timestamp) -> RefundRecord {
    RefundRecord {
        id: format!("rfd_{debit}"),
        of,
        link: "LINK00000001".into(),
        debit_id: debit.into(),
        amount: paise(10_000),
        by,
        progress: RefundProgress::Queued,
        attempts: 0,
        next_attempt_at: due,
        created_at: ts(NOW),
        escalated_at: None,
    }
}

fn mobile(s: &str) -> MobileNumber {
    MobileNumber::parse(s).unwrap_or_else(|| unreachable!("a valid mobile"))
}

fn key(s: &str) -> IdempotencyKey {
    id(IdempotencyKey::parse(s))
}

/// A lease of worker `owner` until `until` seconds after NOW.
fn lease(owner: &str, until: i64) -> Lease {
    Lease { owner: owner.into(), until: ts(NOW + until) }
}

async fn with_merchant(store: &dyn Store, n: u8) -> Merchant {
    let m = merchant(n);
    store.insert_merchant(&m).await.expect("insert merchant");
    m
}

async fn created(store: &dyn Store, p: &PaymentRecord, k: &str) -> PaymentRecord {
    let new = NewPayment { record: p.clone(), idempotency_key: key(k), request_hash: format!("hash-{k}") };
    match store.create_payment(new).await.expect("create") {
        CreatePayment::Created(rec) => *rec,
        other => panic!("expected a new payment, got {other:?}"),
    }
}

/// Moves `p` to `to` through the store (no transition rules: the store only keeps what it is given).
async fn saved(
    store: &dyn Store,
    p: &PaymentRecord,
    to: PaymentStatus,
    change: impl FnOnce(&mut PaymentRecord),
) -> PaymentRecord {
    let mut next = p.clone();
    change(&mut next);
    next.status = to;
    next.version = p.version + 1;
    assert!(store.save_payment((p.status, p.version), &next, "contract", Effects::default()).await.expect("save"));
    next
}

pub async fn settings_are_written_once(store: &dyn Store) {
    store.ping().await.expect("ping");
    assert_eq!(store.setting_or_insert("k", "first".into()).await.expect("setting"), "first");
    assert_eq!(store.setting_or_insert("k", "second".into()).await.expect("setting"), "first");
}

pub async fn merchants_are_found_by_id_and_keys(store: &dyn Store) {
    let a = with_merchant(store, 1).await;
    let b = with_merchant(store, 2).await;
    assert_eq!(store.merchant(&a.id).await.expect("get"), Some(a.clone()));
    assert_eq!(store.merchant_by_publishable_key(&b.publishable_key).await.expect("get"), Some(b.clone()));
    assert_eq!(store.merchant_by_secret_hash(&a.secret_key_hash).await.expect("get"), Some(a.clone()));
    assert_eq!(store.merchant_by_publishable_key("pk_test_nobody").await.expect("get"), None);
    assert!(store.insert_merchant(&a).await.is_err(), "ids and keys are unique");
    assert_eq!(store.merchants().await.expect("list").len(), 2);

    assert!(store.rotate_merchant_keys(&a.id, "pk_test_rotated", &"f".repeat(64)).await.expect("rotate"));
    assert_eq!(store.merchant_by_publishable_key(&a.publishable_key).await.expect("get"), None, "old key is gone");
    assert!(store.merchant_by_publishable_key("pk_test_rotated").await.expect("get").is_some());

    let origins = vec!["https://a.example".to_owned(), "https://b.example".to_owned()];
    assert!(store.update_merchant_integration(&b.id, &origins, Some("https://b.example/hook")).await.expect("update"));
    let b2 = store.merchant(&b.id).await.expect("get").expect("merchant");
    assert_eq!((b2.allowed_origins, b2.webhook_url.as_deref()), (origins, Some("https://b.example/hook")));
    assert!(store.origin_allowed("https://a.example").await.expect("origin"));
    assert!(store.origin_allowed("HTTPS://B.example/").await.expect("origin"), "without case or a trailing slash");
    assert!(!store.origin_allowed("https://c.example").await.expect("origin"));
    assert!(!store.origin_allowed("https://a.example.evil").await.expect("origin"));
    let nobody = id(MerchantId::parse("mer_nobody000000000000000000"));
    assert!(!store.update_merchant_integration(&nobody, &[], None).await.expect("update"));
    assert!(!store.rotate_merchant_keys(&nobody, "pk_x", "y").await.expect("rotate"));
}

pub async fn quotes_read_back(store: &dyn Store) {
    let m = with_merchant(store, 1).await;
    let quote: bbps_core::api::BillQuote = serde_json::from_value(serde_json::json!({
        "id": "quo_contract0000000000000001", "kind": "fetched",
        "ref_id": "CONTRACT000000000000000000163241000", "biller_id": "MAHAR0000MAH02", "biller_name": "MSEDCL",
        "params": [{ "name": "Consumer Number", "value": "100234567890" }],
        "bill": { "amount": 123456, "customer_name": "A", "bill_number": "B1", "bill_date": "2026-11-01",
                  "due_date": "2026-11-30", "bill_period": "NOV", "amount_options": [], "additional_info": [] },
        "customer_name": null, "exactness": "exact_and_above",
        "amount_bounds": { "min": 123456, "max": 10000000, "suggested": 123456, "exactness": "exact_and_above" },
        "expires_at": "2026-11-20T10:20:00+05:30"
    }))
    .expect("quote fixture");
    let rec = QuoteRecord {
        quote: quote.clone(),
        merchant_id: m.id.clone(),
        session_id: id(SessionId::parse("ses_contract0000000000000000")),
        created_at: ts(NOW),
    };
    store.insert_quote(&rec).await.expect("insert quote");
    assert_eq!(store.quote(&quote.id).await.expect("get"), Some(rec));
}

pub async fn creation_is_idempotent_per_merchant_and_key(store: &dyn Store) {
    let a = with_merchant(store, 1).await;
    let b = with_merchant(store, 2).await;
    let p = created(store, &payment(&a, 1, ts(NOW)), "key-00000001").await;
    let again = NewPayment {
        record: payment(&a, 2, ts(NOW)),
        idempotency_key: key("key-00000001"),
        request_hash: "hash-key-00000001".into(),
    };
    match store.create_payment(again).await.expect("create") {
        CreatePayment::Replayed(rec) => assert_eq!(*rec, p, "the same key and body answer the first payment"),
        other => panic!("{other:?}"),
    }
    let other_body =
        NewPayment { record: payment(&a, 3, ts(NOW)), idempotency_key: key("key-00000001"), request_hash: "x".into() };
    assert!(matches!(store.create_payment(other_body).await.expect("create"), CreatePayment::KeyReused));
    assert_eq!(store.payment(&payment(&a, 3, ts(NOW)).id).await.expect("get"), None, "nothing was written");
    let found = store.idempotent_payment(&a.id, &key("key-00000001")).await.expect("lookup");
    assert_eq!(found, Some(("hash-key-00000001".to_owned(), p)));
    assert_eq!(store.idempotent_payment(&b.id, &key("key-00000001")).await.expect("lookup"), None, "per merchant");
    created(store, &payment(&b, 4, ts(NOW)), "key-00000001").await;
}

pub async fn a_quote_pays_once(store: &dyn Store) {
    let m = with_merchant(store, 1).await;
    let quote_id = id(bbps_core::QuoteId::parse("quo_contract0000000000000009"));
    let mut first = payment(&m, 1, ts(NOW));
    first.quote_id = Some(quote_id.clone());
    let mut second = payment(&m, 2, ts(NOW));
    second.quote_id = Some(quote_id.clone());
    let quote: bbps_core::api::BillQuote = serde_json::from_value(serde_json::json!({
        "id": quote_id.as_str(), "kind": "validated", "ref_id": first.ref_id.as_str(), "biller_id": "MAHAR0000MAH02",
        "biller_name": "MSEDCL", "params": [], "bill": null, "customer_name": null, "exactness": null,
        "amount_bounds": { "min": 100, "max": 100000, "suggested": null, "exactness": null },
        "expires_at": "2026-11-20T10:20:00+05:30"
    }))
    .expect("quote fixture");
    let rec = QuoteRecord {
        quote,
        merchant_id: m.id.clone(),
        session_id: id(SessionId::parse("ses_contract0000000000000000")),
        created_at: ts(NOW),
    };
    store.insert_quote(&rec).await.expect("insert quote");
    created(store, &first, "key-00000001").await;
    let new = NewPayment { record: second.clone(), idempotency_key: key("key-00000002"), request_hash: "h".into() };
    assert!(matches!(store.create_payment(new).await.expect("create"), CreatePayment::QuoteUsed));
    assert_eq!(store.payment(&second.id).await.expect("get"), None, "the refused payment was rolled back");
    assert_eq!(store.idempotent_payment(&m.id, &key("key-00000002")).await.expect("lookup"), None);
}

pub async fn payments_are_found_by_their_references(store: &dyn Store) {
    let m = with_merchant(store, 1).await;
    let other = with_merchant(store, 2).await;
    let p = created(store, &payment(&m, 1, ts(NOW)), "key-00000001").await;
    assert_eq!(store.payment(&p.id).await.expect("get"), Some(p.clone()));
    assert_eq!(store.payment_by_upi_ref(&p.upi_txn_ref).await.expect("get"), Some(p.clone()));
    assert_eq!(store.payment_by_link("LINK00000001").await.expect("get"), Some(p.clone()));
    assert_eq!(store.payment_by_link("LINK-NOBODY").await.expect("get"), None);
    assert_eq!(store.payment_by_ref_id(&p.ref_id).await.expect("get"), Some(p.clone()));
    assert_eq!(store.payment_by_ref_id(&payment(&m, 9, ts(NOW)).ref_id).await.expect("get"), None);
    let txn_ref = id(TxnRef::parse("CONTRACTTXNREF000001"));
    let paid = saved(store, &p, PaymentStatus::Completed, |r| {
        r.bill_payment = Some(BillPaymentOutcome {
            txn_ref: txn_ref.clone(),
            approval_ref: Some(id(ApprovalRef::parse("AP1"))),
            settled: true,
            at: ts(NOW + 60),
        })
    })
    .await;
    assert_eq!(store.payment_by_txn_ref(&m.id, &txn_ref).await.expect("get"), Some(paid));
    assert_eq!(store.payment_by_txn_ref(&other.id, &txn_ref).await.expect("get"), None, "per merchant");
}

pub async fn payments_by_mobile_stay_within_the_range(store: &dyn Store) {
    let m = with_merchant(store, 1).await;
    let day = 86_400;
    let from = ts(NOW).ist_date();
    let (start, _) = TrackRange::new(from, from).expect("one day").instants();
    let midnight = start.unix_seconds();
    let before = created(store, &payment(&m, 1, ts(midnight - 1)), "key-00000001").await;
    let first = created(store, &payment(&m, 2, ts(midnight)), "key-00000002").await;
    let last = created(store, &payment(&m, 3, ts(midnight + 2 * day - 1)), "key-00000003").await;
    let after = created(store, &payment(&m, 4, ts(midnight + 2 * day)), "key-00000004").await;
    let mut someone_else = payment(&m, 5, ts(midnight + 3_600));
    someone_else.customer_mobile = mobile("9123456789");
    created(store, &someone_else, "key-00000005").await;
    let range = TrackRange::new(from, from.next_day().expect("a next day")).expect("range");
    let found = store.payments_by_mobile(&m.id, &mobile("9876543210"), range).await.expect("lookup");
    let ids: Vec<_> = found.iter().map(|p| p.id.clone()).collect();
    assert_eq!(ids, vec![last.id, first.id], "newest first, both days whole, nothing outside");
    assert!(!ids.contains(&before.id) && !ids.contains(&after.id));
}

pub async fn merchant_lists_page_newest_first(store: &dyn Store) {
    let m = with_merchant(store, 1).await;
    let mut all = Vec::new();
    for n in 0..5u32 {
        all.push(created(store, &payment(&m, n, ts(NOW + i64::from(n))), &format!("key-0000000{n}")).await);
    }
    saved(store, &all[2], PaymentStatus::Expired, |_| {}).await;
    let page = |limit, after: Option<PaymentId>| PaymentQuery { status: None, limit, starting_after: after };
    let first = store.list_payments(&m.id, page(2, None)).await.expect("list");
    assert_eq!(first.iter().map(|p| p.id.clone()).collect::<Vec<_>>(), vec![all[4].id.clone(), all[3].id.clone()]);
    let next = store.list_payments(&m.id, page(10, Some(all[3].id.clone()))).await.expect("list");
    assert_eq!(
        next.iter().map(|p| p.id.clone()).collect::<Vec<_>>(),
        vec![all[2].id.clone(), all[1].id.clone(), all[0].id.clone()]
    );
    let expired = PaymentQuery { status: Some(PaymentStatus::Expired), limit: 10, starting_after: None };
    let only = store.list_payments(&m.id, expired).await.expect("list");
    assert_eq!(only.iter().map(|p| p.id.clone()).collect::<Vec<_>>(), vec![all[2].id.clone()]);
}

pub async fn saves_are_compare_and_set_with_their_effects(store: &dyn Store) {
    let mut m = merchant(1);
    m.webhook_url = Some("https://shop1.example/hook".into());
    store.insert_merchant(&m).await.expect("insert merchant");
    let p = created(store, &payment(&m, 1, ts(NOW)), "key-00000001").await;
    let mut next = p.clone();
    next.status = PaymentStatus::RefundPending;
    next.version = 2;
    let refund = refund(
        RefundOf::Payment { payment: p.id.clone(), reason: RefundReason::AmountMismatch },
        "PSP1",
        RefundBy::Psp,
        ts(NOW),
    );
    let webhook = NewWebhook {
        event_id: "evt_contract00000000000000001".into(),
        event_type: WebhookEventType::Refunded,
        merchant_id: m.id.clone(),
        payment_id: p.id.clone(),
        url: "https://shop1.example/hook".into(),
        body: "{}".into(),
        created_at: ts(NOW),
    };
    let effects = Effects { webhook: Some(webhook), refund: Some(refund.clone()) };
    assert!(store.save_payment((p.status, p.version), &next, "wrong amount", effects.clone()).await.expect("save"));
    assert!(
        !store.save_payment((p.status, p.version), &next, "again", effects).await.expect("save"),
        "a stale (status, version) writes nothing"
    );
    assert_eq!(store.payment(&p.id).await.expect("get"), Some(next));
    assert_eq!(store.refund_for_debit("PSP1").await.expect("refund"), Some(refund));
    let due = store.claim_webhooks_due(ts(NOW), ts(NOW + 60), 10).await.expect("webhooks");
    assert_eq!(due.len(), 1, "the webhook was queued with the transition");
    assert_eq!(due[0].event_id, "evt_contract00000000000000001");
}

pub async fn every_status_reads_back(store: &dyn Store) {
    let m = with_merchant(store, 1).await;
    let mut p = created(store, &payment(&m, 1, ts(NOW)), "key-00000001").await;
    for &status in PaymentStatus::ALL {
        p = saved(store, &p, status, |_| {}).await;
        assert_eq!(store.payment(&p.id).await.expect("get").map(|r| r.status), Some(status));
        let listed = PaymentQuery { status: Some(status), limit: 5, starting_after: None };
        assert_eq!(store.list_payments(&m.id, listed).await.expect("list").len(), 1, "{status} filters");
    }
}

pub async fn due_payments_are_the_ones_the_worker_moves(store: &dyn Store) {
    let m = with_merchant(store, 1).await;
    let now = ts(NOW + 3_600);
    let expired_link = created(store, &payment(&m, 1, ts(NOW)), "key-00000001").await;
    let live_link = created(store, &payment(&m, 2, ts(NOW + 3_500)), "key-00000002").await;
    let paid =
        saved(store, &created(store, &payment(&m, 3, ts(NOW)), "key-00000003").await, PaymentStatus::Paid, |_| {})
            .await;
    let pending_due = saved(
        store,
        &created(store, &payment(&m, 4, ts(NOW)), "key-00000004").await,
        PaymentStatus::BillPaymentPending,
        |r| r.next_check_at = Some(ts(NOW)),
    )
    .await;
    saved(
        store,
        &created(store, &payment(&m, 5, ts(NOW)), "key-00000005").await,
        PaymentStatus::BillPaymentPending,
        |r| r.next_check_at = Some(ts(NOW + 7_200)),
    )
    .await;
    let failed = saved(
        store,
        &created(store, &payment(&m, 6, ts(NOW)), "key-00000006").await,
        PaymentStatus::BillPaymentFailed,
        |_| {},
    )
    .await;
    saved(store, &created(store, &payment(&m, 7, ts(NOW)), "key-00000007").await, PaymentStatus::Completed, |_| {})
        .await;
    let two = store.claim_payments_due(now, &lease("wkr_a", 3_700), 2).await.expect("due");
    assert_eq!(two.len(), 2, "the limit holds");
    let rest = store.claim_payments_due(now, &lease("wkr_b", 3_700), 100).await.expect("due");
    let mut due: Vec<_> = two.iter().chain(&rest).map(|p| p.id.clone()).collect();
    due.sort();
    let mut expected = vec![expired_link.id, paid.id, pending_due.id, failed.id];
    expected.sort();
    assert_eq!(due, expected, "each due payment claimed once, by one worker");
    assert!(!due.contains(&live_link.id));
    assert!(store.claim_payments_due(now, &lease("wkr_c", 3_700), 100).await.expect("due").is_empty(), "all held");
    // A released payment is free at once; an unreleased one when its lease runs out (its worker died).
    store.release_payment(&two[0].id, "wkr_b").await.expect("release");
    assert!(store.claim_payments_due(now, &lease("wkr_c", 3_700), 100).await.expect("due").is_empty(), "not b's");
    store.release_payment(&two[0].id, "wkr_a").await.expect("release");
    let again = store.claim_payments_due(now, &lease("wkr_c", 3_700), 100).await.expect("due");
    assert_eq!(again.iter().map(|p| &p.id).collect::<Vec<_>>(), vec![&two[0].id]);
    let expired = store.claim_payments_due(ts(NOW + 3_700), &lease("wkr_d", 7_000), 100).await.expect("due");
    assert_eq!(expired.len(), 4, "every lease ran out");
}

pub async fn refunds_are_queued_once_per_debit(store: &dyn Store) {
    let m = with_merchant(store, 1).await;
    let p = created(store, &payment(&m, 1, ts(NOW)), "key-00000001").await;
    let extra = refund(
        RefundOf::Extra { payment: p.id.clone(), reason: RefundReason::DuplicateDebit },
        "PSP2",
        RefundBy::Us,
        ts(NOW + 10),
    );
    assert!(store.insert_refund(&extra).await.expect("insert"));
    let twice = RefundRecord { id: "rfd_other".into(), ..extra.clone() };
    assert!(!store.insert_refund(&twice).await.expect("insert"), "one refund per debit");
    let stray = refund(RefundOf::Stray, "PSP3", RefundBy::Us, ts(NOW + 10));
    assert!(store.insert_refund(&stray).await.expect("insert"), "a debit on a link of nobody's");
    assert!(store.claim_refunds_due(ts(NOW), &lease("wkr_a", 20), 10).await.expect("due").is_empty(), "not due yet");
    assert_eq!(store.claim_refunds_due(ts(NOW + 10), &lease("wkr_a", 20), 10).await.expect("due").len(), 2);
    assert!(store.claim_refunds_due(ts(NOW + 10), &lease("wkr_b", 20), 10).await.expect("due").is_empty(), "held by a");
    store.release_refund(&stray.id, "wkr_a").await.expect("release");
    assert_eq!(store.claim_refunds_due(ts(NOW + 10), &lease("wkr_b", 20), 10).await.expect("due").len(), 1);
    assert_eq!(store.refund_for_debit("PSP3").await.expect("get"), Some(stray));
    let done = RefundRecord {
        progress: RefundProgress::Refunded { psp_refund: Some("RFND1".into()), at: ts(NOW + 20) },
        attempts: 1,
        ..extra
    };
    store.update_refund(&done).await.expect("update");
    let after = store.claim_refunds_due(ts(NOW + 100), &lease("wkr_c", 200), 10).await.expect("due");
    assert_eq!(after.len(), 1, "a refunded refund is not due");
    assert_eq!(store.refund_for_debit("PSP2").await.expect("get"), Some(done.clone()));
    assert_eq!(store.refund_by_psp_id("RFND1").await.expect("get"), Some(done.clone()));
    assert_eq!(store.merchant_refunds(&m.id, 10).await.expect("list"), vec![done], "strays belong to no merchant");
}

pub async fn refund_progress_reads_back_in_every_stage(store: &dyn Store) {
    let m = with_merchant(store, 1).await;
    let p = created(store, &payment(&m, 1, ts(NOW)), "key-00000001").await;
    let mut r = refund(
        RefundOf::Payment { payment: p.id.clone(), reason: RefundReason::BillPaymentFailed },
        "PSP9",
        RefundBy::Us,
        ts(NOW),
    );
    store.insert_refund(&r).await.expect("insert");
    for progress in [
        RefundProgress::Queued,
        RefundProgress::Requested { psp_refund: "RFND9".into() },
        RefundProgress::Refunded { psp_refund: None, at: ts(NOW + 5) },
        RefundProgress::Refunded { psp_refund: Some("RFND9".into()), at: ts(NOW + 6) },
    ] {
        r.progress = progress;
        r.attempts += 1;
        r.escalated_at = Some(ts(NOW + 7));
        store.update_refund(&r).await.expect("update");
        assert_eq!(store.refund_for_debit("PSP9").await.expect("get"), Some(r.clone()));
    }
}

pub async fn payments_are_reconciled_when_due(store: &dyn Store) {
    let m = with_merchant(store, 1).await;
    let due = created(store, &payment(&m, 1, ts(NOW)), "key-00000001").await;
    let later = created(store, &payment(&m, 2, ts(NOW)), "key-00000002").await;
    created(store, &payment(&m, 3, ts(NOW)), "key-00000003").await;
    saved(store, &due, PaymentStatus::Completed, |r| r.reconcile_at = Some(ts(NOW + 60))).await;
    saved(store, &later, PaymentStatus::AwaitingPayment, |r| r.reconcile_at = Some(ts(NOW + 600))).await;
    let found: Vec<_> = store
        .claim_payments_to_reconcile(ts(NOW + 60), &lease("wkr_a", 120), 10)
        .await
        .expect("due")
        .into_iter()
        .map(|p| p.id)
        .collect();
    assert_eq!(found, vec![due.id], "due ones only; none without a time");
    let held = store.claim_payments_to_reconcile(ts(NOW + 60), &lease("wkr_b", 120), 10).await.expect("due");
    assert!(held.is_empty(), "claimed once");
}

pub async fn webhook_attempts_are_recorded(store: &dyn Store) {
    let m = with_merchant(store, 1).await;
    let p = created(store, &payment(&m, 1, ts(NOW)), "key-00000001").await;
    let webhook = NewWebhook {
        event_id: "evt_contract00000000000000002".into(),
        event_type: WebhookEventType::Expired,
        merchant_id: m.id.clone(),
        payment_id: p.id.clone(),
        url: "https://shop1.example/hook".into(),
        body: "{\"id\":1}".into(),
        created_at: ts(NOW),
    };
    let next = PaymentRecord { status: PaymentStatus::Expired, version: 2, ..p.clone() };
    let effects = Effects { webhook: Some(webhook), refund: None };
    assert!(store.save_payment((p.status, p.version), &next, "expired", effects).await.expect("save"));
    let job = store.claim_webhooks_due(ts(NOW), ts(NOW + 5), 10).await.expect("due").pop().expect("a job");
    assert!(store.claim_webhooks_due(ts(NOW), ts(NOW + 5), 10).await.expect("due").is_empty(), "claimed once");
    assert_eq!((job.attempts, job.body.as_str(), job.url.as_str()), (0, "{\"id\":1}", "https://shop1.example/hook"));
    let failed = WebhookAttempt { attempt: 1, at: ts(NOW), status_code: Some(500), error: Some("500".into()) };
    let outcome = AttemptOutcome {
        attempt: failed.clone(),
        status: WebhookDeliveryStatus::Pending,
        next_attempt_at: Some(ts(NOW + 30)),
    };
    store.record_webhook_attempt(job.id, outcome).await.expect("record");
    assert!(store.claim_webhooks_due(ts(NOW + 29), ts(NOW + 35), 10).await.expect("due").is_empty());
    let retry = store.claim_webhooks_due(ts(NOW + 30), ts(NOW + 35), 10).await.expect("due").pop().expect("due again");
    assert_eq!(retry.attempts, 1);
    let delivered = WebhookAttempt { attempt: 2, at: ts(NOW + 30), status_code: Some(200), error: None };
    let outcome =
        AttemptOutcome { attempt: delivered.clone(), status: WebhookDeliveryStatus::Delivered, next_attempt_at: None };
    store.record_webhook_attempt(retry.id, outcome).await.expect("record");
    assert!(store.claim_webhooks_due(ts(NOW + 1_000), ts(NOW + 1_005), 10).await.expect("due").is_empty());
    let log = store.webhook_deliveries(&m.id, Some(&p.id)).await.expect("log");
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].event_type, WebhookEventType::Expired);
    assert_eq!(log[0].status, WebhookDeliveryStatus::Delivered);
    assert_eq!(log[0].attempts, vec![failed, delivered]);
    assert_eq!(log[0].next_attempt_at, None);
    let other = with_merchant(store, 2).await;
    assert!(store.webhook_deliveries(&other.id, None).await.expect("log").is_empty(), "per merchant");
    let event = "evt_contract00000000000000002";
    assert!(!store.redeliver_webhook(&other.id, event, ts(NOW + 2_000)).await.expect("redeliver"), "not theirs");
    assert!(store.redeliver_webhook(&m.id, event, ts(NOW + 2_000)).await.expect("redeliver"));
    let again = store.claim_webhooks_due(ts(NOW + 2_000), ts(NOW + 2_005), 10).await.expect("due");
    assert_eq!(again.iter().map(|j| j.event_id.as_str()).collect::<Vec<_>>(), vec![event], "out once more");
}

pub async fn complaints_read_back_and_update(store: &dyn Store) {
    let m = with_merchant(store, 1).await;
    let complaint: bbps_core::api::Complaint = serde_json::from_value(serde_json::json!({
        "id": "CMPCONTRACT0001",
        "subject": { "kind": "service", "target": { "kind": "agent", "agent_id": "AI01AI02INT512345678" },
                     "reason": "agent_overcharging" },
        "description": "Charged extra", "status": "logged", "assigned_to": null, "remarks": null,
        "created_at": "2026-11-20T10:00:00+05:30", "updated_at": "2026-11-20T10:00:00+05:30",
        "history": [{ "status": "logged", "at": "2026-11-20T10:00:00+05:30", "remarks": "Logged" }]
    }))
    .expect("complaint fixture");
    let mut rec = crate::model::ComplaintRecord {
        complaint,
        merchant_id: m.id.clone(),
        payment_id: None,
        customer_mobile: Some(mobile("9876543210")),
    };
    store.insert_complaint(&rec).await.expect("insert");
    let cid = id(ComplaintId::parse("CMPCONTRACT0001"));
    assert_eq!(store.complaint(&cid).await.expect("get"), Some(rec.clone()));
    // A compare-and-set on when it was last updated: a copy older than the stored one is not written back.
    let read = rec.complaint.updated_at;
    rec.complaint.status = bbps_core::complaint::ComplaintStatus::Resolved;
    rec.complaint.updated_at = ts(1_795_600_000);
    assert!(store.update_complaint(&rec, read).await.expect("update"), "the row was as read");
    assert_eq!(store.complaint(&cid).await.expect("get"), Some(rec.clone()));
    let stale = crate::model::ComplaintRecord {
        complaint: bbps_core::api::Complaint {
            status: bbps_core::complaint::ComplaintStatus::Assigned,
            ..rec.complaint.clone()
        },
        ..rec.clone()
    };
    assert!(!store.update_complaint(&stale, read).await.expect("update"), "a copy read before the last write");
    assert_eq!(store.complaint(&cid).await.expect("get"), Some(rec), "unchanged");
}

fn wire(at: i64, direction: WireDirection, kind: &str, ref_id: Option<&RefId>, body: &[u8]) -> WireMessage {
    WireMessage {
        at: ts(at),
        direction,
        kind: kind.to_owned(),
        ref_id: ref_id.cloned(),
        msg_id: ref_id.map(|r| format!("MSG{}", r.as_str())),
        refusal: None,
        body: body.to_vec(),
    }
}

pub async fn the_wire_archive_keeps_messages_byte_for_byte(store: &dyn Store) {
    let (a, b) = (
        id(RefId::parse("WIREAAAAAAAAAAAAAAAAAAAAAAA63241000")),
        id(RefId::parse("WIREBBBBBBBBBBBBBBBBBBBBBBB63241000")),
    );
    // Not text: the archive keeps bytes, whatever they are, and both messages of one second in their order.
    let request = wire(NOW, WireDirection::Sent, "BillFetchRequest", Some(&a), b"<bbps:BillFetchRequest/>\r\n\xff");
    let ack = wire(NOW, WireDirection::Received, "Ack", Some(&a), b"<bbps:Ack/>");
    let other = wire(NOW + 1, WireDirection::Sent, "BillFetchRequest", Some(&b), b"<b/>");
    let refused = WireMessage {
        refusal: Some("signature: the document is not signed".into()),
        ..wire(NOW + 2, WireDirection::Received, UNREADABLE, None, b"garbage")
    };
    for m in [&request, &ack, &other, &refused] {
        store.archive_wire_message(m).await.expect("archive");
    }
    let of_a = store.wire_messages(&WireQuery { ref_id: Some(a.clone()), limit: 100 }).await.expect("read");
    assert_eq!(of_a, vec![request.clone(), ack.clone()], "one refId's messages, oldest first");
    let all = store.wire_messages(&WireQuery { ref_id: None, limit: 100 }).await.expect("read");
    assert_eq!(all, vec![request, ack.clone(), other.clone(), refused.clone()]);
    let last = store.wire_messages(&WireQuery { ref_id: None, limit: 2 }).await.expect("read");
    assert_eq!(last, vec![other, refused], "the most recent, oldest first");
    let one = store.wire_messages(&WireQuery { ref_id: Some(a), limit: 1 }).await.expect("read");
    assert_eq!(one, vec![ack]);
}

pub async fn the_wire_archive_forgets_what_is_older_than_asked(store: &dyn Store) {
    let r = id(RefId::parse("WIRECCCCCCCCCCCCCCCCCCCCCCC63241000"));
    for at in [NOW - 100, NOW - 1, NOW, NOW + 1] {
        store
            .archive_wire_message(&wire(at, WireDirection::Sent, "ReqDiagnostic", Some(&r), b"x"))
            .await
            .expect("archive");
    }
    assert_eq!(store.prune_wire_messages(ts(NOW)).await.expect("prune"), 2);
    let left = store.wire_messages(&WireQuery { ref_id: None, limit: 10 }).await.expect("read");
    assert_eq!(left.iter().map(|m| m.at).collect::<Vec<_>>(), vec![ts(NOW), ts(NOW + 1)]);
    assert_eq!(store.prune_wire_messages(ts(NOW)).await.expect("prune"), 0);
}

pub async fn archived_messages_are_found_by_id_and_requests_by_their_ids(store: &dyn Store) {
    let r = id(RefId::parse("WIREDDDDDDDDDDDDDDDDDDDDDDD63241000"));
    let with_msg = |m: WireMessage, msg: &str| WireMessage { msg_id: Some(msg.to_owned()), ..m };
    let request = with_msg(wire(NOW, WireDirection::Sent, "BillPaymentRequest", Some(&r), b"<req/>"), "M1");
    let our_ack = with_msg(wire(NOW, WireDirection::Sent, "Ack", Some(&r), b"<ack/>"), "M2");
    let response = with_msg(wire(NOW + 1, WireDirection::Received, "BillPaymentResponse", Some(&r), b"<rsp/>"), "M1");
    let mut ids = Vec::new();
    for m in [&request, &our_ack, &response] {
        ids.push(store.archive_wire_message(m).await.expect("archive"));
    }
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "ids follow the order of archiving: {ids:?}");
    assert_eq!(store.wire_message(ids[2]).await.expect("read"), Some(response));
    assert_eq!(store.wire_message(ids[0]).await.expect("read"), Some(request));
    let absent = WireMessageId(ids.iter().map(|i| i.0).max().unwrap_or(0) + 1000);
    assert_eq!(store.wire_message(absent).await.expect("read"), None);

    let sent = |kind: &'static str, r: &RefId, msg: Option<&'static str>| {
        let r = r.clone();
        async move { store.wire_request_sent(kind, &r, msg).await.expect("ask") }
    };
    assert!(sent("BillPaymentRequest", &r, Some("M1")).await, "our request M1");
    assert!(!sent("BillFetchRequest", &r, Some("M1")).await, "not a request of that kind");
    assert!(!sent("BillPaymentRequest", &r, Some("M2")).await, "an Ack of ours is no request");
    assert!(!sent("BillPaymentRequest", &r, Some("M3")).await, "never sent");
    assert!(!sent("BillPaymentRequest", &r, None).await, "no request of this refId without a msgId");
    let other = id(RefId::parse("WIREEEEEEEEEEEEEEEEEEEEEEEE63241000"));
    assert!(!sent("BillPaymentRequest", &other, Some("M1")).await, "another refId");
    let catalogue =
        WireMessage { msg_id: None, ..wire(NOW, WireDirection::Sent, "BillerFetchRequest", Some(&other), b"<all/>") };
    store.archive_wire_message(&catalogue).await.expect("archive");
    assert!(sent("BillerFetchRequest", &other, None).await, "a request without a msgId");
    store.announce_wire_message(ids[2]).await.expect("announcing is always possible");
}

pub async fn one_time_codes_read_back_and_move_once(store: &dyn Store) {
    let (a, b) = (merchant(1), merchant(2));
    store.insert_merchant(&a).await.expect("merchant");
    store.insert_merchant(&b).await.expect("merchant");
    let mobile = MobileNumber::parse("9876543210").unwrap_or_else(|| unreachable!("a mobile number"));
    let challenge = |n: u8, m: &Merchant, at: i64| OtpChallenge {
        id: id(OtpChallengeId::parse(&format!("otp_{}", n.to_string().repeat(24)))),
        merchant_id: m.id.clone(),
        mobile: mobile.clone(),
        code_hash: "ab".repeat(32),
        state: OtpState::Open { attempts: 0 },
        created_at: ts(at),
        expires_at: ts(at + 300),
    };
    let (first, second, third) = (challenge(1, &a, NOW - 4000), challenge(2, &a, NOW - 10), challenge(3, &b, NOW));
    for c in [&first, &second, &third] {
        store.insert_otp(c).await.expect("insert");
    }
    assert_eq!(store.otp(&second.id).await.expect("read"), Some(second.clone()));
    assert_eq!(store.otp(&id(OtpChallengeId::parse("otp_999999999999999999999999"))).await.expect("read"), None);

    let recent = store.otps_for_mobile(&mobile, ts(NOW - 3600)).await.expect("by mobile");
    assert_eq!(recent.iter().map(|c| c.id.clone()).collect::<Vec<_>>(), vec![third.id.clone(), second.id.clone()]);
    assert_eq!(store.otps_sent_by_merchant(&a.id, ts(NOW - 3600)).await.expect("count"), 1);
    assert_eq!(store.otps_sent_by_merchant(&a.id, ts(NOW - 5000)).await.expect("count"), 2);

    // Compare-and-set: of two guesses made against the same state, one moves the challenge.
    let guessed = OtpChallenge { state: OtpState::Open { attempts: 1 }, ..second.clone() };
    assert!(store.update_otp(second.state, &guessed).await.expect("update"));
    assert!(!store.update_otp(second.state, &guessed).await.expect("update"), "the state moved on");
    let verified = OtpChallenge { state: OtpState::Verified { at: ts(NOW) }, ..second.clone() };
    assert!(store.update_otp(guessed.state, &verified).await.expect("update"));
    assert_eq!(store.otp(&second.id).await.expect("read").map(|c| c.state), Some(verified.state));
    let exhausted = OtpChallenge { state: OtpState::Exhausted, ..third.clone() };
    assert!(store.update_otp(third.state, &exhausted).await.expect("update"));
    assert!(!store.update_otp(OtpState::Open { attempts: 0 }, &third).await.expect("update"), "a dead code stays dead");
    assert_eq!(store.otp(&third.id).await.expect("read").map(|c| c.state), Some(OtpState::Exhausted));
}
