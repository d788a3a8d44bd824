//! Hostile input at our callback listener: each is refused with a reason (in the signed Ack, and in the log), no
//! panic, nothing delivered to a waiting call, and the listener goes on serving.

mod support;

use std::sync::Arc;
use std::time::Duration;

use bbps_core::RefId;
use bbps_npci_xml::codes::{AckCode, MessageKind};
use bbps_npci_xml::dsig::{C14nMethod, Signer};
use bbps_npci_xml::message::{Ack, Message, ResDiagnostic};
use bbps_npci_xml::transport::client::path_of;
use bbps_npci_xml::{KeySource, LateSink, NpciConfig, NpciNetwork, Timeouts};
use support::peer::Peer;
use support::{keys, samples};

struct Ignore;

impl LateSink for Ignore {
    fn late(&self, _: Message) {}
}

async fn rig() -> (Arc<NpciNetwork>, Arc<Peer>, tempfile::TempDir) {
    let k = keys();
    let peer = Peer::start().await;
    let s = Duration::from_secs(5);
    let config = NpciConfig {
        central_url: peer.url(),
        originator: samples::ours(),
        signing: KeySource::Pem { key: k.ours.key.clone(), certificate: k.ours.cert.clone() },
        central_certificate: k.central.cert.clone(),
        c14n: C14nMethod::Inclusive,
        tls: None,
        test_mode: true,
        timeouts: Timeouts { diagnostic: s, ..Timeouts::default() },
        post_timeout: s,
        max_body_bytes: support::MAX_BYTES,
        retention: Duration::from_secs(60),
    };
    let (guard, _, archive) = support::archive();
    let net = Arc::new(NpciNetwork::new(config, Arc::new(Ignore), archive).unwrap());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    peer.answer_to(&format!("http://{}", listener.local_addr().unwrap()));
    let router = net.callback_router();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (net, peer, guard)
}

fn res_diagnostic(ref_id: &RefId) -> Message {
    Message::ResDiagnostic(ResDiagnostic { head: samples::central().head(ref_id, samples::now()), errors: vec![] })
}

fn fresh_ref() -> RefId {
    RefId::generate(&mut rand::rng(), samples::now().get())
}

/// Starts a heartbeat the peer will not answer; returns the call and the refId it waits on.
async fn waiting(
    net: &Arc<NpciNetwork>,
    peer: &Arc<Peer>,
) -> (tokio::task::JoinHandle<Result<(), bbps_engine::ports::BbpsError>>, RefId) {
    peer.script.lock().unwrap().silent.insert(MessageKind::ReqDiagnostic);
    let before = peer.requests().len();
    let call = tokio::spawn({
        let net = Arc::clone(net);
        async move { net.diagnostic().await }
    });
    for _ in 0..100 {
        if let Some(Message::ReqDiagnostic(r)) = peer.requests().get(before) {
            return (call, r.head.ref_id.clone());
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("the request never reached the peer");
}

#[track_caller]
fn refused(got: (Ack, u16), status: u16, code: AckCode, reason: &str) {
    let (ack, http) = got;
    assert_eq!((http, ack.rsp_cd), (status, code), "{ack:?}");
    let detail = ack.errors.first().map(|e| e.detail.as_str()).unwrap_or("");
    assert!(detail.contains(reason), "expected {reason:?} in {detail:?}");
}

const PATH: &str = "/ResDiagnostic/1.0/urn:referenceId:AAAAAAAAAAAAAAAAAAAAAAAAAAA60330140";

#[tokio::test]
async fn malformed_foreign_and_entity_laden_documents_are_refused() {
    let (_net, peer, _archive) = rig().await;
    let cases: Vec<(&[u8], &str)> = vec![
        (b"", "no root element"),
        (b"not xml at all", "outside the root element"),
        (b"<bbps:ResDiagnostic xmlns:bbps=\"http://bbps.org/schema\"><Head>", "malformed"),
        (b"\xff\xfe<\x00a\x00", "not UTF-8"),
        (b"<x:ResDiagnostic xmlns:x=\"http://evil.example/\"/>", "the root must be"),
        (b"<bbps:Payday xmlns:bbps=\"http://bbps.org/schema\"/>", "the root must be"),
        (b"<ResDiagnostic xmlns=\"http://bbps.org/schema\"><Head/></ResDiagnostic>", "must be unqualified"),
        (
            b"<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]><bbps:ResDiagnostic xmlns:bbps=\"http://bbps.org/schema\"><Head ver=\"&c;\"/></bbps:ResDiagnostic>",
            "DTD is not allowed",
        ),
        (
            b"<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><bbps:ResDiagnostic xmlns:bbps=\"http://bbps.org/schema\">&x;</bbps:ResDiagnostic>",
            "DTD is not allowed",
        ),
        (b"<bbps:ResDiagnostic xmlns:bbps=\"http://bbps.org/schema\"><Head ver=\"&x;\"/></bbps:ResDiagnostic>", "malformed"),
        (b"<bbps:ResDiagnostic xmlns:bbps=\"http://bbps.org/schema\">&x;</bbps:ResDiagnostic>", "&x;"),
        (b"<?xml-stylesheet href=\"x\"?><bbps:ResDiagnostic xmlns:bbps=\"http://bbps.org/schema\"/>", "processing instructions"),
        (b"<bbps:ResDiagnostic xmlns:bbps=\"http://bbps.org/schema\"/><bbps:ResDiagnostic xmlns:bbps=\"http://bbps.org/schema\"/>", "outside the root element"),
        (b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><bbps:ResDiagnostic xmlns:bbps=\"http://bbps.org/schema\"/>", "only UTF-8"),
    ];
    for (body, reason) in cases {
        refused(peer.post_raw(PATH, body.to_vec()).await, 400, AckCode::ValidationError, reason);
    }
    let deep = format!(
        "<bbps:ResDiagnostic xmlns:bbps=\"http://bbps.org/schema\">{}{}</bbps:ResDiagnostic>",
        "<a>".repeat(100),
        "</a>".repeat(100)
    );
    refused(peer.post_raw(PATH, deep.into_bytes()).await, 400, AckCode::ValidationError, "nested deeper");
}

#[tokio::test]
async fn an_oversized_body_is_refused_unread() {
    let (_net, peer, _archive) = rig().await;
    let body = vec![b' '; support::MAX_BYTES + 1];
    refused(peer.post_raw(PATH, body).await, 413, AckCode::ValidationError, "over the limit");
}

#[tokio::test]
async fn unsigned_wrongly_signed_and_tampered_responses_are_refused() {
    let (net, peer, _archive) = rig().await;
    let (call, ref_id) = waiting(&net, &peer).await;
    let good = res_diagnostic(&ref_id);
    let path = path_of(&good);
    let signed = peer.seal(&good);

    let unsigned = bbps_npci_xml::xml::encode(&good).unwrap();
    refused(peer.post_raw(&path, unsigned.into_bytes()).await, 400, AckCode::ValidationError, "not signed");

    let stranger = Signer::new(keys().stranger.signing_key(), C14nMethod::Inclusive)
        .sign(&bbps_npci_xml::xml::encode(&good).unwrap())
        .unwrap();
    refused(peer.post_raw(&path, stranger.into_bytes()).await, 400, AckCode::ValidationError, "does not verify");

    let tampered = signed.replace("ver=\"1.0\"", "ver=\"1.1\"");
    refused(peer.post_raw(&path, tampered.into_bytes()).await, 400, AckCode::ValidationError, "digest does not match");

    // Signature wrapping: the signature moved off the root, copied onto other content, doubled, or its reference
    // narrowed to part of the document.
    let start = signed.find("<Signature").unwrap();
    let end = signed.find("</Signature>").unwrap() + "</Signature>".len();
    let signature = &signed[start..end];
    let unsigned_text = format!("{}{}", &signed[..start], &signed[end..]);
    let moved = unsigned_text.replacen("/>", &format!(">{signature}</Head>"), 1);
    refused(
        peer.post_raw(&path, moved.into_bytes()).await,
        400,
        AckCode::ValidationError,
        "only once, as a child of the root",
    );
    let other = res_diagnostic(&fresh_ref());
    let other_text = bbps_npci_xml::xml::encode(&other).unwrap();
    let transplanted =
        other_text.replacen("/></bbps:ResDiagnostic>", &format!("/>{signature}</bbps:ResDiagnostic>"), 1);
    refused(
        peer.post_raw(&path_of(&other), transplanted.into_bytes()).await,
        400,
        AckCode::ValidationError,
        "digest does not match",
    );
    let doubled = signed.replacen("</bbps:ResDiagnostic>", &format!("{signature}</bbps:ResDiagnostic>"), 1);
    refused(peer.post_raw(&path, doubled.into_bytes()).await, 400, AckCode::ValidationError, "only once");
    let narrowed = signed.replacen("URI=\"\"", "URI=\"#Head\"", 1);
    refused(peer.post_raw(&path, narrowed.into_bytes()).await, 400, AckCode::ValidationError, "whole document");

    // None of it reached the waiting call; the genuine response still does.
    assert!(!call.is_finished());
    assert_eq!(peer.post(&good).await, (AckCode::Successful, 200));
    call.await.unwrap().unwrap();
    assert_eq!(peer.post(&good).await, (AckCode::DuplicateRequest, 409), "a second copy is a duplicate");
}

#[tokio::test]
async fn responses_nobody_asked_for_or_in_the_wrong_place_are_refused() {
    let (net, peer, _archive) = rig().await;
    let never = res_diagnostic(&fresh_ref());
    let got = peer.post_raw(&path_of(&never), peer.seal(&never).into_bytes()).await;
    refused(got, 404, AckCode::ValidationError, "no request of ours");

    let (call, ref_id) = waiting(&net, &peer).await;
    let good = res_diagnostic(&ref_id);
    let sealed = peer.seal(&good);
    let wrong_kind = path_of(&good).replace("ResDiagnostic", "BillFetchResponse");
    refused(
        peer.post_raw(&wrong_kind, sealed.clone().into_bytes()).await,
        400,
        AckCode::ValidationError,
        "does not belong",
    );
    let wrong_ref = format!("/ResDiagnostic/1.0/urn:referenceId:{}", fresh_ref());
    refused(peer.post_raw(&wrong_ref, sealed.into_bytes()).await, 400, AckCode::ValidationError, "does not belong");
    // A request is not something the network sends us.
    let request = Message::ReqDiagnostic(bbps_npci_xml::message::ReqDiagnostic {
        head: samples::central().head(&ref_id, samples::now()),
    });
    let got = peer.post_raw(&path_of(&request), peer.seal(&request).into_bytes()).await;
    refused(got, 400, AckCode::ValidationError, "does not belong");
    assert!(!call.is_finished());
    assert_eq!(peer.post(&good).await, (AckCode::Successful, 200));
    call.await.unwrap().unwrap();
}

#[tokio::test]
async fn responses_out_of_order_each_reach_their_own_call() {
    let (net, peer, _archive) = rig().await;
    let (first, first_ref) = waiting(&net, &peer).await;
    let (second, second_ref) = waiting(&net, &peer).await;
    assert_eq!(peer.post(&res_diagnostic(&second_ref)).await, (AckCode::Successful, 200));
    second.await.unwrap().unwrap();
    assert!(!first.is_finished());
    assert_eq!(peer.post(&res_diagnostic(&first_ref)).await, (AckCode::Successful, 200));
    first.await.unwrap().unwrap();
}
