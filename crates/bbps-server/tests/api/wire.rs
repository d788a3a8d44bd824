//! The wire archive: every message of a payment, a failed payment (refunded) and a complaint, both ways, signed,
//! valid against NPCI's schemas, also written to `BBPS_WIRE_DIR`, printed by `bbps-server wire`, and forgotten
//! after the retention.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use bbps_core::RefId;
use bbps_engine::wire_archive::{WireDirection, WireMessage, WireQuery};
use serde_json::json;

use crate::common::*;

/// Where NPCI's schemas are: `BBPS_NPCI_XSD_DIR`, else `.tools/npci-xsd` at the workspace root. `None`, said
/// loudly, when they are not there: they are not ours to ship in the repository.
fn xsd_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("BBPS_NPCI_XSD_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.tools/npci-xsd"));
    if dir.join("BBPS-Common.xsd").is_file() {
        Some(dir)
    } else {
        eprintln!("\n*** SKIPPED: NPCI's BBPS XSDs are not at {}; schema validation did not run ***\n", dir.display());
        None
    }
}

/// The message without its enveloped signature: the schemas do not declare it.
fn unsigned(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body).into_owned();
    let start = text.find("<Signature xmlns=\"http://www.w3.org/2000/09/xmldsig#\"");
    let end = text.rfind("</Signature>").map(|i| i + "</Signature>".len());
    match (start, end) {
        (Some(start), Some(end)) => format!("{}{}", &text[..start], &text[end..]),
        _ => text,
    }
}

/// `xmllint --schema` of every message; the failures.
fn invalid(xsd: &Path, messages: &[WireMessage]) -> Vec<String> {
    let file = tempfile::NamedTempFile::new().expect("temp file");
    messages
        .iter()
        .filter_map(|m| {
            std::fs::write(file.path(), unsigned(&m.body)).expect("write");
            let out = Command::new("xmllint")
                .arg("--noout")
                .arg("--schema")
                .arg(xsd.join(format!("{}.xsd", m.kind)))
                .arg(file.path())
                .output()
                .expect("xmllint runs (Debian package libxml2-utils)");
            (!out.status.success())
                .then(|| format!("{} {}: {}", m.direction, m.kind, String::from_utf8_lossy(&out.stderr)))
        })
        .collect()
}

fn wire_cli(db: &Path, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_bbps-server"))
        .arg("wire")
        .args(args)
        .env("BBPS_DATABASE", db)
        .output()
        .expect("run the CLI");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

async fn archived(s: &TestServer, ref_id: Option<RefId>) -> Vec<WireMessage> {
    s.state().engine.store().wire_messages(&WireQuery { ref_id, limit: 100_000 }).await.expect("the archive")
}

fn ref_id(p: &serde_json::Value) -> RefId {
    RefId::parse(p["ref_id"].as_str().unwrap_or("")).expect("a refId")
}

#[tokio::test]
async fn a_payment_a_refund_and_a_complaint_are_archived_signed_and_schema_valid() {
    let wire_dir = tempfile::tempdir().expect("dir");
    let dir_path = wire_dir.path().to_path_buf();
    let mut s = start_server(move |c| c.bbpcu.wire_dir = Some(dir_path)).await;
    let token = s.session().await;

    let paid = s.bill_payment(&token, "100234567890").await;
    s.upi(&paid["upi"]["link"], "approve").await;
    let done = s.wait_status(&token, &paid["id"], "completed").await;
    let failing = s.bill_payment(&token, "100234560006").await;
    s.upi(&failing["upi"]["link"], "approve").await;
    s.wait_status(&token, &failing["id"], "refunded").await;
    let complaint = json!({
        "kind": "transaction", "txn_ref": done["receipt"]["txn_ref"], "disposition": "D32",
        "description": "Paid, still shown as due",
    });
    let (status, c) = s.post("/v1/complaints", &token, complaint).await;
    assert_eq!(status, reqwest::StatusCode::CREATED, "{c}");

    // Each bill: its fetch and payment, their Acks, the responses and our Acks of those.
    for p in [&paid, &failing] {
        let messages = archived(&s, Some(ref_id(p))).await;
        let seen: Vec<(WireDirection, &str)> = messages.iter().map(|m| (m.direction, m.kind.as_str())).collect();
        for want in [
            (WireDirection::Sent, "BillFetchRequest"),
            (WireDirection::Received, "BillFetchResponse"),
            (WireDirection::Sent, "BillPaymentRequest"),
            (WireDirection::Received, "BillPaymentResponse"),
            (WireDirection::Received, "Ack"),
            (WireDirection::Sent, "Ack"),
        ] {
            assert!(seen.contains(&want), "{want:?} of {} in {seen:?}", p["id"]);
        }
    }
    let failed = archived(&s, Some(ref_id(&failing))).await;
    let answer = failed.iter().find(|m| m.kind == "BillPaymentResponse").expect("the payment's answer");
    assert!(String::from_utf8_lossy(&answer.body).contains("BPR001"), "the failure is on the wire");
    let all = archived(&s, None).await;
    let complaints: Vec<&WireMessage> = all.iter().filter(|m| m.kind.starts_with("TxnStatusComplain")).collect();
    assert!(
        complaints
            .iter()
            .any(|m| m.direction == WireDirection::Sent && String::from_utf8_lossy(&m.body).contains("D32")),
        "the complaint's registration was sent"
    );
    assert!(complaints.iter().any(|m| m.direction == WireDirection::Received), "and answered");

    // Every message both ways is signed, every received one was taken, and each is valid against the schemas.
    assert!(all.iter().all(|m| String::from_utf8_lossy(&m.body).contains("<SignatureValue>")), "all signed");
    assert!(all.iter().all(|m| m.refusal.is_none()), "nothing refused");
    if let Some(xsd) = xsd_dir() {
        let failures = invalid(&xsd, &all);
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    // BBPS_WIRE_DIR holds the same messages, byte for byte.
    s.stop().await;
    let stored = count(&s.db(), "SELECT COUNT(*) FROM wire_messages", &[]);
    let mut files: Vec<_> =
        std::fs::read_dir(wire_dir.path()).expect("the wire directory").map(|e| e.expect("entry").path()).collect();
    files.sort();
    assert_eq!(files.len() as i64, stored, "one file per archived message");
    let bodies: Vec<Vec<u8>> = files.iter().map(|f| std::fs::read(f).expect("a file")).collect();
    assert!(all.iter().all(|m| bodies.contains(&m.body)), "every archived body is a file");

    // The operator's view.
    let (ok, list, err) = wire_cli(&s.db(), &["list", "--limit", "100000"]);
    assert!(ok, "{err}");
    assert!(list.contains("BillPaymentRequest") && list.contains(ref_id(&paid).as_str()), "{list}");
    let (ok, shown, err) = wire_cli(&s.db(), &["show", ref_id(&failing).as_str()]);
    assert!(ok, "{err}");
    assert!(
        shown.contains("==> ") && shown.contains("<bbps:BillPaymentRequest") && shown.contains("BPR001"),
        "{shown}"
    );
    let (ok, _, err) =
        wire_cli(&s.db(), &["show", RefId::generate(&mut rand::rng(), bbps_server::util::now().get()).as_str()]);
    assert!(!ok && err.contains("no message"), "{err}");
}

#[tokio::test]
async fn the_archive_forgets_what_is_older_than_the_retention() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("bbps.sqlite3");
    let mut s = start_in(dir, |c| c.bbpcu.wire_retention = Duration::from_secs(2)).await;
    let token = s.session().await;
    let quote = s.fetch_ok(&token, MSEDCL, json!({ "Consumer Number": "100234567890" })).await;
    let fetched = ref_id(&quote);
    assert!(!archived(&s, Some(fetched.clone())).await.is_empty());
    s.stop().await;
    tokio::time::sleep(Duration::from_millis(2100)).await;
    // The worker prunes when it starts (and hourly after).
    let s = start_in(s.dir, |c| c.bbpcu.wire_retention = Duration::from_secs(2)).await;
    assert_eq!(s.db(), db);
    let gone = eventually(|| async { archived(&s, Some(fetched.clone())).await.is_empty().then_some(()) }).await;
    assert!(gone.is_some(), "the fetch's messages are forgotten");
    assert!(!archived(&s, None).await.is_empty(), "this start's master data pull is kept");
}
