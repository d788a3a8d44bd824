//! The BBPCU simulator over real HTTP on loopback, reached through the live adapter (`bbps-npci-xml`) exactly as
//! the server reaches it: master data, the test accounts' outcomes, a refId paid once, signatures checked both
//! ways, its key pair made once, and the whole 22,000-biller catalogue for one BillerFetchRequest, in parts.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bbps_core::api::{ComplaintSubject, MobileNumber};
use bbps_core::complaint::{ComplaintStatus, Disposition};
use bbps_core::{Biller, BillerId, Channel, FetchRequirement, Paise, RefId, Timestamp};
use bbps_engine::ports::{BbpsError, BbpsNetwork, BillRequest, ComplaintRequest, PayRequest, PayStatus, Store};
use bbps_engine::wire_archive::{WireDirection, WireQuery};
use bbps_npci_xml::dsig::C14nMethod;
use bbps_npci_xml::ids::InstitutionId;
use bbps_npci_xml::map::Originator;
use bbps_npci_xml::{Archive, KeySource, LateAnswers, NpciConfig, NpciNetwork, Timeouts};
use bbps_sandbox::bbpcu_sim::keys::{self, KeyFiles};
use bbps_sandbox::bbpcu_sim::{self, BbpcuSimConfig, RunningBbpcuSim};
use bbps_sandbox::network::{accounts, generator};
use bbps_sandbox::{SandboxTimings, network};

const MSEDCL: &str = "MAHAR0000MAH02";

fn timings() -> SandboxTimings {
    SandboxTimings {
        slow_delay: Duration::from_millis(1500),
        pending_settle: Duration::from_millis(300),
        complaint_step: Duration::from_millis(200),
        catalogue_change: Duration::from_secs(3600),
    }
}

/// The simulator, and our side of the wire: the adapter with its callback listener and its archive.
struct Rig {
    dir: tempfile::TempDir,
    sim: RunningBbpcuSim,
    net: NpciNetwork,
    store: Arc<dyn Store>,
    billers: Arc<Vec<Biller>>,
}

fn ours() -> Originator {
    Originator {
        institution: InstitutionId::parse("SB01").expect("institution"),
        agent: bbps_core::AgentId::parse("SB01SB01INT000000001").expect("agent"),
        device_mac: "02-00-00-00-00-01".into(),
    }
}

fn adapter(sim: &RunningBbpcuSim, signing: &KeyFiles, central: &Path, store: Arc<dyn Store>) -> NpciNetwork {
    let limit = Duration::from_secs(20);
    let config = NpciConfig {
        central_url: sim.base_url(),
        originator: ours(),
        signing: KeySource::Pem { key: signing.key.clone(), certificate: signing.certificate.clone() },
        central_certificate: central.to_path_buf(),
        c14n: C14nMethod::Inclusive,
        tls: None,
        test_mode: true,
        timeouts: Timeouts {
            fetch: limit,
            validation: limit,
            payment: limit,
            status: limit,
            complaint: limit,
            biller_fetch: Duration::from_secs(300),
            diagnostic: limit,
        },
        post_timeout: Duration::from_secs(10),
        max_body_bytes: 16 << 20,
        retention: Duration::from_secs(600),
    };
    let (late, _payments) = LateAnswers::channel(ours().agent);
    NpciNetwork::new(config, late, Archive::new(store, None)).expect("the adapter")
}

/// Starts the simulator with `count` billers (0: the curated catalogue) and an adapter that talks to it.
async fn rig(count: usize) -> Rig {
    let dir = tempfile::tempdir().expect("dir");
    let ours = keys::ensure(&dir.path().join("keys"), "bbpou").expect("our key pair");
    let callback = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("callback listener");
    let billers = Arc::new(generator::catalogue(count));
    let sim = bbpcu_sim::start(BbpcuSimConfig {
        listen: "127.0.0.1:0".parse().expect("addr"),
        database: dir.path().join("bbpcu.sqlite3"),
        billers: Arc::clone(&billers),
        timings: timings(),
        keys: dir.path().join("keys"),
        bbpou_certificate: ours.certificate.clone(),
        callback_url: format!("http://{}", callback.local_addr().expect("addr")),
        tls: None,
    })
    .await
    .expect("the simulator starts");
    let store: Arc<dyn Store> =
        Arc::new(bbps_store_sqlite::SqliteStore::open(&dir.path().join("bbpou.sqlite3")).expect("store"));
    let net = adapter(&sim, &ours, &sim.keys.certificate, Arc::clone(&store));
    let router = net.callback_router();
    tokio::spawn(async move { axum::serve(callback, router).await.expect("callback listener") });
    Rig { dir, sim, net, store, billers }
}

fn now() -> Timestamp {
    Timestamp::from_offset_date_time(time::OffsetDateTime::now_utc())
}

fn msedcl() -> BillerId {
    BillerId::parse(MSEDCL).expect("biller")
}

fn bill_request(account: &str) -> BillRequest {
    BillRequest {
        ref_id: RefId::generate(&mut rand::rng(), now().get()),
        biller_id: msedcl(),
        params: vec![("Consumer Number".to_owned(), account.to_owned())],
        channel: Channel::Internet,
        customer_mobile: MobileNumber::parse("9876543210"),
        customer_ip: "203.0.113.7".parse().expect("ip"),
    }
}

fn pay_request(fetch: &BillRequest, bill: bbps_core::api::Bill) -> PayRequest {
    PayRequest {
        ref_id: fetch.ref_id.clone(),
        biller_id: fetch.biller_id.clone(),
        params: fetch.params.clone(),
        amount: bill.amount,
        bill: Some(bill),
        convenience_fee: Paise::ZERO,
        convenience_fee_gst: Paise::ZERO,
        plan_id: None,
        bills: Vec::new(),
        channel: Channel::Internet,
        payer_vpa: Some("payer@upi".into()),
        upi_rrn: Some("412345678901".into()),
        customer_mobile: MobileNumber::parse("9876543210").expect("mobile"),
        customer_ip: Some("203.0.113.7".parse().expect("ip")),
    }
}

fn rejected_with(result: Result<impl std::fmt::Debug, BbpsError>, want: &str) {
    match result {
        Err(BbpsError::Rejected { code, .. }) if code == want => {}
        other => panic!("expected {want}, got {other:?}"),
    }
}

#[tokio::test]
async fn the_catalogue_the_outcomes_and_the_ledger_come_over_the_wire() {
    let r = rig(0).await;
    r.net.diagnostic().await.expect("the heartbeat is answered");

    let billers = r.net.billers().await.expect("master data");
    assert_eq!(billers.len(), r.billers.len(), "the whole catalogue");
    let by_id = |id: &BillerId| billers.iter().find(|b| &b.id == id).expect("in the master data");
    for b in r.billers.iter() {
        // The master data has no place for a param's example value (`hint`): everything else arrives.
        let mut published = b.clone();
        published.params.iter_mut().for_each(|p| p.hint = None);
        assert_eq!(by_id(&b.id), &published, "{} read back as published", b.id);
    }
    assert!(r.net.billers().await.expect("an incremental pull").len() == billers.len(), "nothing changed since");

    // A bill due, paid once under the refId of its fetch; the status agrees.
    let fetch = bill_request("100234567890");
    let bill = r.net.fetch_bill(&fetch).await.expect("a bill is due");
    let paid = r.net.pay(&pay_request(&fetch, bill.clone())).await.expect("paid");
    let PayStatus::Success { txn_ref, .. } = &paid else { panic!("{paid:?}") };
    assert_eq!(r.net.payment_status(&fetch.ref_id).await.expect("status"), Some(paid.clone()));
    // The same refId paid again: the simulator acknowledges a duplicate and the adapter answers the first status.
    assert_eq!(r.net.pay(&pay_request(&fetch, bill)).await.expect("a repeat"), paid);
    let ledger = network::ledger_payment(&r.dir.path().join("bbpcu.sqlite3"), &fetch.ref_id).expect("ledger");
    assert_eq!(ledger, Some(("success".to_owned(), 2)), "two requests, one payment");

    // The test accounts' outcomes.
    rejected_with(r.net.fetch_bill(&bill_request("100234560001")).await, "BFR001");
    rejected_with(r.net.fetch_bill(&bill_request("100234560002")).await, "BFR004");
    let failing = bill_request("100234560006");
    let bill = r.net.fetch_bill(&failing).await.expect("a bill");
    let failed = r.net.pay(&pay_request(&failing, bill)).await.expect("an answer");
    assert!(matches!(&failed, PayStatus::Failed { code, .. } if code == "BPR001"), "{failed:?}");
    // A deemed payment is answered once it settles, as a success; its status says so too.
    let pending = bill_request("100234560005");
    let bill = r.net.fetch_bill(&pending).await.expect("a bill");
    let settled = r.net.pay(&pay_request(&pending, bill)).await.expect("an answer");
    assert!(matches!(settled, PayStatus::Success { .. }), "{settled:?}");
    assert_eq!(r.net.payment_status(&pending.ref_id).await.expect("status"), Some(settled));
    // A refId nobody paid has no status.
    assert_eq!(r.net.payment_status(&bill_request("100234567890").ref_id).await.expect("status"), None);

    // A complaint about the paid transaction, registered and tracked.
    let complaint = ComplaintRequest {
        subject: ComplaintSubject::Transaction { txn_ref: txn_ref.clone(), disposition: Disposition::D32 },
        description: "Paid, still shown as due".into(),
        customer_mobile: MobileNumber::parse("9876543210"),
    };
    let registered = r.net.raise_complaint(&complaint).await.expect("registered");
    let tracked = r.net.track_complaint(&registered.id).await.expect("tracked").expect("known");
    assert_eq!(tracked.id, registered.id);
    assert_ne!(tracked.status, ComplaintStatus::Resolved, "not resolved at once");
    let unknown = bbps_core::ComplaintId::parse("CMP999999999999").expect("id");
    assert_eq!(r.net.track_complaint(&unknown).await.expect("an answer"), None);

    // Every message both ways is in our archive: a request, its Ack, its response and our Ack of that.
    let messages =
        r.store.wire_messages(&WireQuery { ref_id: Some(fetch.ref_id.clone()), limit: 100 }).await.expect("archive");
    let kinds: Vec<(WireDirection, &str)> = messages.iter().map(|m| (m.direction, m.kind.as_str())).collect();
    for want in [
        (WireDirection::Sent, "BillFetchRequest"),
        (WireDirection::Received, "BillFetchResponse"),
        (WireDirection::Sent, "BillPaymentRequest"),
        (WireDirection::Received, "BillPaymentResponse"),
        (WireDirection::Received, "Ack"),
        (WireDirection::Sent, "Ack"),
    ] {
        assert!(kinds.contains(&want), "{want:?} in {kinds:?}");
    }
    assert!(messages.iter().all(|m| m.refusal.is_none()), "nothing refused");
    r.sim.shutdown().await;
}

#[tokio::test]
async fn signatures_are_checked_both_ways() {
    let r = rig(0).await;
    let stranger = keys::ensure(&r.dir.path().join("stranger"), "stranger").expect("a stranger's key pair");
    let ours = keys::ensure(&r.dir.path().join("keys"), "bbpou").expect("our key pair");

    // Signed with a key the simulator does not know: refused with an Ack that says why.
    let forger = adapter(&r.sim, &stranger, &r.sim.keys.certificate, Arc::clone(&r.store));
    match forger.fetch_bill(&bill_request("100234567890")).await {
        Err(BbpsError::Rejected { message, .. }) => assert!(message.contains("signature"), "{message}"),
        other => panic!("a forged request was taken: {other:?}"),
    }

    // An adapter that believes another certificate refuses the simulator's Ack, so nothing it says is believed.
    let doubter = adapter(&r.sim, &ours, &stranger.certificate, Arc::clone(&r.store));
    match doubter.diagnostic().await {
        Err(BbpsError::Unavailable(reason)) => assert!(reason.contains("signature"), "{reason}"),
        other => panic!("an Ack signed by someone else was believed: {other:?}"),
    }
    let refused = r.store.wire_messages(&WireQuery { ref_id: None, limit: 50 }).await.expect("archive");
    assert!(
        refused
            .iter()
            .any(|m| m.direction == WireDirection::Received
                && m.refusal.as_deref().is_some_and(|r| r.contains("signature"))),
        "the refused Ack is archived with its reason"
    );

    // A body that is not a signed message at all.
    let answer = reqwest::Client::new()
        .post(format!("{}/BillFetchRequest/1.0/urn:referenceId:X", r.sim.base_url()))
        .body("<not-bbps/>")
        .send()
        .await
        .expect("sent");
    assert_eq!(answer.status(), reqwest::StatusCode::BAD_REQUEST);
    r.sim.shutdown().await;
}

#[tokio::test]
async fn its_key_pair_is_made_at_first_start_and_kept() {
    let r = rig(0).await;
    let certificate = std::fs::read(&r.sim.keys.certificate).expect("its certificate");
    let (dir, keys_dir) = (r.dir, r.sim.keys.key.parent().map(Path::to_path_buf).expect("a key directory"));
    r.sim.shutdown().await;
    let ours = keys::ensure(&keys_dir, "bbpou").expect("our key pair");
    let again = bbpcu_sim::start(BbpcuSimConfig {
        listen: "127.0.0.1:0".parse().expect("addr"),
        database: dir.path().join("bbpcu.sqlite3"),
        billers: Arc::new(generator::catalogue(0)),
        timings: timings(),
        keys: keys_dir,
        bbpou_certificate: ours.certificate,
        callback_url: "http://127.0.0.1:9".into(),
        tls: None,
    })
    .await
    .expect("started again");
    assert_eq!(std::fs::read(&again.keys.certificate).expect("its certificate"), certificate, "the same key pair");
    again.shutdown().await;
}

#[tokio::test]
async fn the_22000_biller_catalogue_is_one_biller_fetch_answered_in_parts() {
    let r = rig(22_000).await;
    let started = Instant::now();
    let billers = r.net.billers().await.expect("master data");
    println!("22,000 billers over the wire in {:?}", started.elapsed());
    assert_eq!(billers.len(), 22_000);
    let mut pulled: Vec<_> = billers.iter().map(|b| b.id.clone()).collect();
    let mut published: Vec<_> = r.billers.iter().map(|b| b.id.clone()).collect();
    pulled.sort();
    published.sort();
    assert_eq!(pulled, published);

    // A generated biller's test account answers as documented.
    let generated = r.billers.iter().rev().find(|b| b.fetch_requirement == FetchRequirement::Mandatory).expect("one");
    let params = accounts::example_params(generated, Some("0002"));
    let mut req = bill_request("");
    req.biller_id = generated.id.clone();
    req.params = generated.params.iter().filter_map(|p| Some((p.name.clone(), params.get(&p.name)?.clone()))).collect();
    rejected_with(r.net.fetch_bill(&req).await, "BFR004");
    r.sim.shutdown().await;
}
