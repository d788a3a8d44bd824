//! The sandbox network behaves as the real one where the backend can tell: it remembers a fetch by refId,
//! refuses a payment that does not echo it, and pays a refId once.

use bbps_core::api::MobileNumber;
use bbps_core::{BillerId, Channel, Paise, RefId, Timestamp};
use bbps_engine::ports::{BbpsError, BbpsNetwork, BillRequest, PayRequest};
use bbps_sandbox::{SandboxNetwork, SandboxTimings, network};
use std::time::Duration;

const MSEDCL: &str = "MAHAR0000MAH02";

fn open(dir: &tempfile::TempDir) -> SandboxNetwork {
    let timings = SandboxTimings {
        slow_delay: Duration::from_millis(10),
        pending_settle: Duration::from_millis(10),
        complaint_step: Duration::from_millis(10),
    };
    SandboxNetwork::open(
        &dir.path().join("sandbox.sqlite3"),
        std::sync::Arc::new(network::generator::catalogue(0)),
        timings,
    )
    .expect("open the sandbox network")
}

#[tokio::test]
async fn a_payment_must_echo_its_fetch_and_a_ref_id_is_paid_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let network = open(&dir);
    let now = Timestamp::from_unix_seconds(1_795_500_000).expect("instant");
    let ref_id = RefId::generate(&mut rand::rng(), now.get());
    let biller_id = BillerId::parse(MSEDCL).expect("biller");
    let params = vec![("Consumer Number".to_owned(), "100234567890".to_owned())];
    let fetch = BillRequest {
        ref_id: ref_id.clone(),
        biller_id: biller_id.clone(),
        params: params.clone(),
        channel: Channel::Internet,
        customer_mobile: MobileNumber::parse("9876543210"),
        customer_ip: std::net::Ipv4Addr::LOCALHOST.into(),
    };
    let bill = network.fetch_bill(&fetch).await.expect("a bill is due");
    let mut changed = bill.clone();
    changed.amount = Paise::new(bill.amount.get() - 1).expect("paise");
    let request = |bill| PayRequest {
        ref_id: ref_id.clone(),
        biller_id: biller_id.clone(),
        params: params.clone(),
        bill: Some(bill),
        amount: Paise::new(100_000).expect("paise"),
        convenience_fee: Paise::ZERO,
        convenience_fee_gst: Paise::ZERO,
        plan_id: None,
        channel: Channel::Internet,
        payer_vpa: None,
        upi_rrn: None,
        customer_mobile: MobileNumber::parse("9876543210").expect("mobile"),
        customer_ip: Some(std::net::Ipv4Addr::LOCALHOST.into()),
    };
    let refused = network.pay(&request(changed)).await;
    assert!(matches!(refused, Err(BbpsError::Rejected { ref code, .. }) if code == "BPR002"), "{refused:?}");
    // A convenience fee the biller's table does not charge (MSEDCL charges none) is refused, GST or not.
    for (fee, gst) in [(500, 90), (0, 1)] {
        let wrong_fee = PayRequest {
            convenience_fee: Paise::new(fee).expect("paise"),
            convenience_fee_gst: Paise::new(gst).expect("paise"),
            ..request(bill.clone())
        };
        let refused = network.pay(&wrong_fee).await;
        assert!(matches!(refused, Err(BbpsError::Rejected { ref code, .. }) if code == "BPR012"), "{refused:?}");
    }
    // A bill the biller took payment for only until a time now past is refused: fetch it again.
    let stale = bbps_core::api::Bill { valid_until: Some(now), ..bill.clone() };
    let refused = network.pay(&request(stale)).await;
    assert!(matches!(refused, Err(BbpsError::Rejected { ref code, .. }) if code == "BPR008"), "{refused:?}");
    let first = network.pay(&request(bill.clone())).await.expect("paid");
    let again = network.pay(&request(bill)).await.expect("idempotent");
    assert_eq!(first, again, "a refId is paid once; a repeat answers the first payment");
    let ledger = network::ledger_payment(&dir.path().join("sandbox.sqlite3"), &ref_id).expect("ledger");
    assert_eq!(ledger, Some(("success".to_owned(), 2)), "both requests reached the network, one payment was made");
}
