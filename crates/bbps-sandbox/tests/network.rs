//! The sandbox network behaves as the real one where the backend can tell: it remembers a fetch by refId,
//! refuses a payment that does not echo it, and pays a refId once; a listed bill is paid as the biller allows.

use bbps_core::api::{Bill, MobileNumber};
use bbps_core::bill_list::{BillList, BillSelection};
use bbps_core::{BillerId, Channel, Paise, RefId, Timestamp};
use bbps_engine::ports::{BbpsError, BbpsNetwork, BillRequest, PayRequest, PayStatus};
use bbps_sandbox::{SandboxNetwork, SandboxTimings, network};
use std::time::Duration;

const MSEDCL: &str = "MAHAR0000MAH02";

fn open(dir: &tempfile::TempDir) -> SandboxNetwork {
    let timings = SandboxTimings {
        slow_delay: Duration::from_millis(10),
        pending_settle: Duration::from_millis(10),
        complaint_step: Duration::from_millis(10),
        catalogue_change: Duration::from_secs(3600),
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
        bills: Vec::new(),
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

/// A fetch of `account`'s bill from MSEDCL, under a fresh refId.
fn fetch_of(account: &str) -> BillRequest {
    let now = Timestamp::from_offset_date_time(time::OffsetDateTime::now_utc());
    BillRequest {
        ref_id: RefId::generate(&mut rand::rng(), now.get()),
        biller_id: BillerId::parse(MSEDCL).expect("biller"),
        params: vec![("Consumer Number".to_owned(), account.to_owned())],
        channel: Channel::Internet,
        customer_mobile: MobileNumber::parse("9876543210"),
        customer_ip: std::net::Ipv4Addr::LOCALHOST.into(),
    }
}

/// A payment of `fetch`'s `bill` naming `bills`, for `amount` (MSEDCL charges no convenience fee).
fn paying(fetch: &BillRequest, bill: &Bill, bills: &[&str], amount: Paise) -> PayRequest {
    PayRequest {
        ref_id: fetch.ref_id.clone(),
        biller_id: fetch.biller_id.clone(),
        params: fetch.params.clone(),
        bill: Some(bill.clone()),
        amount,
        convenience_fee: Paise::ZERO,
        convenience_fee_gst: Paise::ZERO,
        plan_id: None,
        bills: bills.iter().map(|b| (*b).to_owned()).collect(),
        channel: Channel::Internet,
        payer_vpa: None,
        upi_rrn: None,
        customer_mobile: MobileNumber::parse("9876543210").expect("mobile"),
        customer_ip: Some(std::net::Ipv4Addr::LOCALHOST.into()),
    }
}

fn refused_with(result: Result<PayStatus, BbpsError>, want: &str, what: &str) {
    assert!(matches!(&result, Err(BbpsError::Rejected { code, .. }) if code == want), "{what}: {result:?}");
}

#[tokio::test]
async fn a_list_of_bills_is_paid_as_the_biller_allows_each_bill_in_full() {
    let dir = tempfile::tempdir().expect("temp dir");
    let network = open(&dir);
    let ledger = |fetch: &BillRequest| {
        network::ledger_payment(&dir.path().join("sandbox.sqlite3"), &fetch.ref_id).expect("ledger")
    };
    // What the named bills add up to, whether or not the list allows paying them together.
    let sum = |list: &BillList, numbers: &[&str]| {
        BillList::sum(&list.items.iter().filter(|i| numbers.contains(&i.bill_number.as_str())).collect::<Vec<_>>())
    };

    // …0011: three monthly bills, oldest first, any of which one payment pays; the bill's amount is their total.
    let fetch = fetch_of("100234560011");
    let bill = network.fetch_bill(&fetch).await.expect("bills are due");
    let list = bill.list.clone().expect("a list of bills");
    assert_eq!(list.selection, BillSelection::Multiple);
    assert_eq!(list.items.len(), 3);
    assert_eq!(bill.amount, list.total());
    assert!(bill.amount_options.is_empty());
    let due: Vec<_> = list.items.iter().map(|i| i.due_date.expect("a due date")).collect();
    assert!(due.windows(2).all(|w| w[0] < w[1]) && due.iter().all(|d| d.day() == 20), "{due:?}");
    assert!(list.items.iter().all(|i| i.bill_period.is_some()));
    let numbers: Vec<&str> = list.items.iter().map(|i| i.bill_number.as_str()).collect();
    let (first, third) = (numbers[0], numbers[2]);
    let two = sum(&list, &[first, third]);
    for (bills, amount, code, what) in [
        (&[][..], bill.amount, "BPR015", "no bill named"),
        (&["NOT-A-BILL"][..], two, "BPR015", "a bill not listed"),
        (&[first, first][..], two, "BPR015", "a bill named twice"),
        (&[first, third][..], Paise::new(two.get() - 1).expect("paise"), "BPR011", "less than the bills"),
        (&[first, third][..], bill.amount, "BPR011", "all the bills' total for two of them"),
    ] {
        refused_with(network.pay(&paying(&fetch, &bill, bills, amount)).await, code, what);
    }
    assert_eq!(ledger(&fetch), None, "nothing refused reached the ledger");
    let paid = network.pay(&paying(&fetch, &bill, &[third, first], two)).await.expect("two bills paid");
    assert!(matches!(paid, PayStatus::Success { .. }), "{paid:?}");
    assert_eq!(ledger(&fetch), Some(("success".to_owned(), 1)));

    // …0012: one bill per payment.
    let fetch = fetch_of("100234560012");
    let bill = network.fetch_bill(&fetch).await.expect("bills are due");
    let list = bill.list.clone().expect("a list of bills");
    assert_eq!((list.selection, list.items.len(), list.total()), (BillSelection::Single, 3, bill.amount));
    let (a, b) = (list.items[0].bill_number.as_str(), list.items[1].bill_number.as_str());
    refused_with(network.pay(&paying(&fetch, &bill, &[a, b], sum(&list, &[a, b]))).await, "BPR015", "two of one");
    refused_with(network.pay(&paying(&fetch, &bill, &[], list.items[0].amount)).await, "BPR015", "none of one");
    let paid = network.pay(&paying(&fetch, &bill, &[b], sum(&list, &[b]))).await.expect("one bill paid");
    assert!(matches!(paid, PayStatus::Success { .. }), "{paid:?}");

    // …0013: all together; naming none pays them all.
    let fetch = fetch_of("100234560013");
    let bill = network.fetch_bill(&fetch).await.expect("bills are due");
    let list = bill.list.clone().expect("a list of bills");
    assert_eq!((list.selection, list.items.len(), list.total()), (BillSelection::All, 3, bill.amount));
    let (a, b) = (list.items[0].bill_number.as_str(), list.items[1].bill_number.as_str());
    refused_with(network.pay(&paying(&fetch, &bill, &[a, b], sum(&list, &[a, b]))).await, "BPR015", "two of all");
    refused_with(
        network.pay(&paying(&fetch, &bill, &[], Paise::new(bill.amount.get() + 1).expect("paise"))).await,
        "BPR011",
        "more than all the bills",
    );
    let paid = network.pay(&paying(&fetch, &bill, &[], bill.amount)).await.expect("all bills paid");
    assert!(matches!(paid, PayStatus::Success { .. }), "{paid:?}");

    // A single bill names no bills.
    let fetch = fetch_of("100234567890");
    let bill = network.fetch_bill(&fetch).await.expect("a bill is due");
    assert_eq!(bill.list, None);
    refused_with(network.pay(&paying(&fetch, &bill, &["1"], bill.amount)).await, "BPR015", "bills of a single bill");
    assert_eq!(ledger(&fetch), None);
}
