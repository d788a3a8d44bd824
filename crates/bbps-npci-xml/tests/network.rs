//! The adapter over real HTTP on loopback against a minimal BBPCU (`support/peer.rs`): every port call, the echo
//! of the fetched bill, idempotent payment, time limits and late responses, duplicates, refusals, and the
//! configuration's refusals.

mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use bbps_core::{ComplaintId, RefId};
use bbps_engine::ports::{BbpsError, BbpsNetwork, PayStatus, Store};
use bbps_engine::wire_archive::{WireDirection, WireQuery};
use bbps_npci_xml::codes::{AckCode, MessageKind};
use bbps_npci_xml::config::ConfigError;
use bbps_npci_xml::dsig::{C14nMethod, SigningKey};
use bbps_npci_xml::message::Message;
use bbps_npci_xml::{KeySource, LateSink, NpciConfig, NpciNetwork, Timeouts, TlsConfig};
use support::peer::Peer;
use support::{keys, samples};

#[derive(Default)]
struct Collect(Mutex<Vec<Message>>);

impl LateSink for Collect {
    fn late(&self, response: Message) {
        self.0.lock().unwrap().push(response);
    }
}

struct Rig {
    net: NpciNetwork,
    peer: Arc<Peer>,
    late: Arc<Collect>,
    store: Arc<dyn Store>,
    _archive: tempfile::TempDir,
}

fn config(central_url: String, timeouts: Timeouts) -> NpciConfig {
    let k = keys();
    NpciConfig {
        central_url,
        originator: samples::ours(),
        signing: KeySource::Pem { key: k.ours.key.clone(), certificate: k.ours.cert.clone() },
        central_certificate: k.central.cert.clone(),
        c14n: C14nMethod::Inclusive,
        tls: None,
        test_mode: true,
        timeouts,
        post_timeout: Duration::from_secs(5),
        max_body_bytes: support::MAX_BYTES,
        retention: Duration::from_secs(60),
    }
}

fn short() -> Timeouts {
    let s = Duration::from_secs(5);
    Timeouts { fetch: s, validation: s, payment: s, status: s, complaint: s, biller_fetch: s, diagnostic: s }
}

async fn rig(timeouts: Timeouts) -> Rig {
    let peer = Peer::start().await;
    let late = Arc::new(Collect::default());
    let (guard, store, archive) = support::archive();
    let net = NpciNetwork::new(config(peer.url(), timeouts), late.clone(), archive).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    peer.answer_to(&format!("http://{}", listener.local_addr().unwrap()));
    let router = net.callback_router();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    Rig { net, peer, late, store, _archive: guard }
}

fn fresh_ref() -> RefId {
    RefId::generate(&mut rand::rng(), samples::now().get())
}

#[tokio::test]
async fn fetch_then_pay_echoes_the_fetched_bill_and_pays_once() {
    let r = rig(short()).await;
    let ref_id = fresh_ref();
    let bill = r.net.fetch_bill(&samples::bill_request(&ref_id)).await.unwrap();
    assert_eq!(bill, samples::sample_bill());

    let pay = samples::pay_request(&ref_id, true);
    let txn_ref = samples::txn_ref(&ref_id);
    let expected = PayStatus::Success { txn_ref: txn_ref.clone(), approval_ref: samples::approval() };
    assert_eq!(r.net.pay(&pay).await.unwrap(), expected);

    // The payment carried the fetch response's BillerResponse and AdditionalInfo unchanged, under the same refId.
    let requests = r.peer.requests();
    let fetch_answer = requests.iter().find_map(|m| match m {
        Message::BillFetchRequest(f) => Some(support::peer::fetch_answer(f)),
        _ => None,
    });
    let payment = requests.iter().find_map(|m| match m {
        Message::BillPaymentRequest(p) => Some(p.clone()),
        _ => None,
    });
    let (fetch_answer, payment) = (fetch_answer.unwrap(), payment.unwrap());
    assert_eq!(payment.biller_response.as_ref(), Some(&fetch_answer.biller_response));
    assert_eq!(payment.additional_info, fetch_answer.additional_info);
    assert_eq!(payment.head.ref_id, ref_id);
    // The fee travels with its GST in custConvFee, and the two parts beside it.
    assert_eq!(payment.amount.amt.cust_conv_fee, samples::p(590));
    let tags: Vec<(&str, &str)> = payment.amount.tags.iter().map(|t| (t.name.as_str(), t.value.as_str())).collect();
    assert_eq!(tags, [("CCF1_CHARGES", "500"), ("CCF1_GST", "90")]);

    // Paying the refId again is the same transaction: the network says duplicate, the answer is its status.
    assert_eq!(r.net.pay(&pay).await.unwrap(), expected);
    assert_eq!(r.net.payment_status(&ref_id).await.unwrap(), Some(expected));
    assert_eq!(r.net.payment_status(&fresh_ref()).await.unwrap(), None, "a refId never paid");
    assert!(r.late.0.lock().unwrap().is_empty());

    // The archive holds the bill's every message as it went: our signed requests, the BBPCU's signed Acks and
    // responses, and our signed Acks to them.
    let archived = r.store.wire_messages(&WireQuery { ref_id: Some(ref_id.clone()), limit: 100 }).await.unwrap();
    let seen: Vec<(WireDirection, &str)> = archived.iter().map(|m| (m.direction, m.kind.as_str())).collect();
    for expected in [
        (WireDirection::Sent, "BillFetchRequest"),
        (WireDirection::Received, "Ack"),
        (WireDirection::Received, "BillFetchResponse"),
        (WireDirection::Sent, "Ack"),
        (WireDirection::Sent, "BillPaymentRequest"),
        (WireDirection::Received, "BillPaymentResponse"),
    ] {
        assert!(seen.contains(&expected), "{expected:?} archived: {seen:?}");
    }
    for m in &archived {
        assert!(String::from_utf8_lossy(&m.body).contains("<Signature "), "{} {} signed", m.direction, m.kind);
        assert_eq!(m.refusal, None);
    }
}

#[tokio::test]
async fn the_echo_survives_a_restart_through_the_archive() {
    let r = rig(short()).await;
    let ref_id = fresh_ref();
    r.net.fetch_bill(&samples::bill_request(&ref_id)).await.unwrap();
    // Another adapter over the same archive (as after a restart) still echoes the fetch response unchanged.
    let again = NpciNetwork::new(
        config(r.peer.url(), short()),
        Arc::new(Collect::default()),
        bbps_npci_xml::Archive::new(Arc::clone(&r.store), None),
    )
    .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    r.peer.answer_to(&format!("http://{}", listener.local_addr().unwrap()));
    let router = again.callback_router();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    again.pay(&samples::pay_request(&ref_id, true)).await.unwrap();
    let requests = r.peer.requests();
    let fetch_answer = requests.iter().find_map(|m| match m {
        Message::BillFetchRequest(f) if f.head.ref_id == ref_id => Some(support::peer::fetch_answer(f)),
        _ => None,
    });
    let payment = requests.iter().find_map(|m| match m {
        Message::BillPaymentRequest(p) if p.head.ref_id == ref_id => Some(p.clone()),
        _ => None,
    });
    assert_eq!(payment.unwrap().biller_response, Some(fetch_answer.unwrap().biller_response));
}

#[tokio::test]
async fn validation_complaints_heartbeat_and_failures() {
    let r = rig(short()).await;
    let v = r.net.validate(&samples::bill_request(&fresh_ref())).await.unwrap();
    assert_eq!(v.customer_name.as_deref(), Some("Priya Nair"));

    let mut no_bill = samples::bill_request(&fresh_ref());
    no_bill.params[0].1 = "000000000004".into();
    assert_eq!(
        r.net.fetch_bill(&no_bill).await.unwrap_err(),
        BbpsError::Rejected { code: "BFR004".into(), message: "No bill due".into() }
    );

    let raised = r.net.raise_complaint(&samples::complaint_requests()[0]).await.unwrap();
    let tracked = r.net.track_complaint(&raised.id).await.unwrap().unwrap();
    assert_eq!((tracked.id, tracked.status), (raised.id, bbps_core::complaint::ComplaintStatus::Assigned));
    assert_eq!(r.net.track_complaint(&ComplaintId::parse("NOSUCHCOMPLAIN1").unwrap()).await.unwrap(), None);

    r.net.diagnostic().await.unwrap();

    r.peer.script.lock().unwrap().refuse = true;
    assert_eq!(
        r.net.validate(&samples::bill_request(&fresh_ref())).await.unwrap_err(),
        BbpsError::Rejected { code: "SCH001".into(), message: "refused by script".into() }
    );
}

#[tokio::test]
async fn the_catalogue_comes_whole_then_incrementally() {
    let r = rig(short()).await;
    let first = r.net.billers().await.unwrap();
    assert_eq!(first, vec![samples::sample_biller(), samples::other_biller()]);
    let second = r.net.billers().await.unwrap();
    // The renamed biller is replaced; the withdrawn one (`Status` DEACTIVATED) is gone.
    assert_eq!(second.iter().map(|b| b.name.as_str()).collect::<Vec<_>>(), ["Renamed"]);
    let pulls: Vec<_> = r
        .peer
        .requests()
        .into_iter()
        .filter_map(|m| match m {
            Message::BillerFetchRequest(b) => Some(b.search_by_time.is_some()),
            _ => None,
        })
        .collect();
    assert_eq!(pulls, [false, true]);
}

#[tokio::test]
async fn a_late_response_times_out_the_call_and_reaches_the_late_sink() {
    let r = rig(Timeouts { payment: Duration::from_millis(300), ..short() }).await;
    r.peer.script.lock().unwrap().delay = Duration::from_millis(800);
    let ref_id = fresh_ref();
    let started = std::time::Instant::now();
    let err = r.net.pay(&samples::pay_request(&ref_id, false)).await.unwrap_err();
    assert_eq!(err, BbpsError::Timeout(Duration::from_millis(300)));
    assert!(started.elapsed() < Duration::from_millis(700));
    tokio::time::sleep(Duration::from_millis(900)).await;
    let late = r.late.0.lock().unwrap().clone();
    assert!(matches!(late.as_slice(), [Message::BillPaymentResponse(p)] if p.head.ref_id == ref_id), "{late:?}");
    assert_eq!(r.peer.acks(), [(AckCode::Successful, 200)]);
}

#[tokio::test]
async fn a_silent_network_is_a_timeout() {
    let r = rig(Timeouts { fetch: Duration::from_millis(200), ..short() }).await;
    r.peer.script.lock().unwrap().silent.insert(MessageKind::BillFetchRequest);
    let err = r.net.fetch_bill(&samples::bill_request(&fresh_ref())).await.unwrap_err();
    assert_eq!(err, BbpsError::Timeout(Duration::from_millis(200)));
}

#[tokio::test]
async fn a_duplicate_response_is_refused_after_the_first_is_taken() {
    let r = rig(short()).await;
    r.peer.script.lock().unwrap().twice = true;
    r.net.diagnostic().await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(r.peer.acks(), [(AckCode::Successful, 200), (AckCode::DuplicateRequest, 409)]);
}

#[tokio::test]
async fn an_unreachable_network_is_unavailable() {
    let late = Arc::new(Collect::default());
    let (_guard, _, archive) = support::archive();
    let net = NpciNetwork::new(config("http://127.0.0.1:9".into(), short()), late, archive).unwrap();
    assert!(matches!(net.diagnostic().await, Err(BbpsError::Unavailable(_))));
}

#[test]
fn live_mode_needs_https_and_mutual_tls() {
    let k = keys();
    let live = |url: &str, tls| NpciConfig { test_mode: false, tls, ..config(url.into(), short()) };
    let err = |c| NpciNetwork::new(c, Arc::new(Collect::default()), support::archive().2).err().map(|e| e.to_string());
    assert_eq!(
        err(live("http://bbpcu.example", None)),
        Some(ConfigError::PlainHttp("http://bbpcu.example".into()).to_string())
    );
    assert_eq!(err(live("https://bbpcu.example", None)), Some(ConfigError::TlsRequired.to_string()));
    let tls = TlsConfig {
        client: KeySource::Pkcs12 { path: k.ours.p12.clone(), password: bbps_core::Secret::new("secret") },
        ca_bundle: k.central.cert.clone(),
    };
    assert_eq!(err(live("https://bbpcu.example", Some(tls))), None);
}

#[test]
fn keys_load_from_pkcs12_and_a_mismatched_pair_is_refused() {
    let k = keys();
    let from_p12 = SigningKey::from_pkcs12_file(&k.ours.p12, "secret").unwrap();
    assert_eq!(from_p12.certificate(), k.ours.signing_key().certificate());
    assert!(SigningKey::from_pkcs12_file(&k.ours.p12, "wrong").is_err());
    let mismatched = SigningKey::from_pem_files(&k.ours.key, &k.central.cert);
    assert!(matches!(mismatched, Err(bbps_npci_xml::dsig::KeyError::Mismatch)));
}
