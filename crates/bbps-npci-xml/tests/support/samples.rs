//! A realistic instance of every message of the set, built the way the adapter and the simulator build them.

use bbps_core::api::{AmountOption, Bill, ComplaintSubject, InfoItem, MobileNumber};
use bbps_core::bill_list::{BillItem, BillList, BillSelection};
use bbps_core::biller::{ChannelLimit, ModeLimit, ParamGroup, PaymentMode};
use bbps_core::complaint::{ComplaintStatus, Disposition, ServiceReason, ServiceTarget};
use bbps_core::fee::{FeeDirection, FeeEntry, FeeSlab, FeeTable};
use bbps_core::{
    AgentId, ApprovalRef, Biller, BillerId, Channel, ComplaintId, Coverage, CustomerParam, DataType, Exactness,
    FetchRequirement, Paise, RefId, Timestamp, TxnRef,
};
use bbps_engine::ports::{
    BillRequest, ComplaintRequest, Downtime, NetworkComplaint, PayRequest, PayStatus, Validation,
};
use bbps_npci_xml::codes::{AckCode, MessageKind, YesNo};
use bbps_npci_xml::ids::{InstitutionId, MsgId, txn_ref_for};
use bbps_npci_xml::map::status::KnownTxn;
use bbps_npci_xml::map::{Originator, Stamp, bill, biller, biller_status, complaint, plan, status};
use bbps_npci_xml::message::biller::{BillerFetchRequest, BillerFetchResponse, Search, SearchByTime, SearchMyBiller};
use bbps_npci_xml::message::status::{TxnStatusReq, TxnStatusRequest, TxnStatusResponse};
use bbps_npci_xml::message::{Ack, ErrorMessage, Message, ReqDiagnostic, ResDiagnostic};
use bbps_npci_xml::time::WireTime;

pub fn p(n: u64) -> Paise {
    Paise::new(n).unwrap()
}

pub fn now() -> Timestamp {
    Timestamp::from_offset_date_time(time::OffsetDateTime::now_utc())
}

pub fn ours() -> Originator {
    Originator {
        institution: InstitutionId::parse("AI01").unwrap(),
        agent: AgentId::parse("AI01AI02INT512345678").unwrap(),
        device_mac: "00-16-3E-2A-5B-7C".into(),
    }
}

pub fn central() -> Originator {
    Originator { institution: InstitutionId::parse("BBCU").unwrap(), ..ours() }
}

pub fn stamp() -> Stamp {
    let at = now();
    Stamp {
        ref_id: RefId::generate(&mut rand::rng(), at.get()),
        msg_id: MsgId::generate(&mut rand::rng(), at.get()),
        at,
    }
}

pub fn biller_id() -> BillerId {
    BillerId::parse("MAHA00000MAH01").unwrap()
}

pub fn bill_request(ref_id: &RefId) -> BillRequest {
    BillRequest {
        ref_id: ref_id.clone(),
        biller_id: biller_id(),
        params: vec![("Consumer Number".into(), "000123456789".into()), ("BU".into(), "4637".into())],
        channel: Channel::Internet,
        customer_mobile: Some(mobile()),
        customer_ip: customer_ip(),
    }
}

pub fn mobile() -> MobileNumber {
    MobileNumber::parse("9876543210").unwrap()
}

pub fn customer_ip() -> std::net::IpAddr {
    "203.0.113.7".parse().unwrap()
}

pub fn sample_bill() -> Bill {
    Bill {
        amount: p(123_456),
        customer_name: Some("Priya Nair & Sons <Pune>".into()),
        bill_number: Some("MAH000123456".into()),
        bill_date: Some(time::macros::date!(2026 - 01 - 20)),
        due_date: Some(time::macros::date!(2026 - 02 - 07)),
        bill_period: Some("MONTHLY".into()),
        amount_options: vec![AmountOption { name: "Early Payment Amount".into(), amount: p(122_221) }],
        additional_info: vec![InfoItem { name: "Units Consumed".into(), value: "412 kWh".into() }],
        amount_rule: bbps_core::AmountRule { min: Some(p(10_000)), max: Some(p(123_456)), multiple: Some(p(100)) },
        valid_until: Timestamp::parse("2026-01-21T00:00:00+05:30"),
        list: None,
    }
}

/// A bill of a biller that lists several (`BILL_SELECTION_TYPE` and `BILL_<n>_…` tags): three monthly bills, any
/// of which one payment may pay, the last without a due date or period.
pub fn listed_bill() -> Bill {
    let bill = |number: &str, amount, due: Option<time::Date>, period: Option<&str>| BillItem {
        bill_number: number.into(),
        amount: p(amount),
        due_date: due,
        bill_period: period.map(str::to_owned),
    };
    let list = BillList::new(
        BillSelection::Multiple,
        vec![
            bill("MAH00012345611", 98_750, Some(time::macros::date!(2025 - 11 - 20)), Some("November 2025")),
            bill("MAH00012345612", 104_300, Some(time::macros::date!(2025 - 12 - 20)), Some("December 2025")),
            bill("MAH00012345601", 87_625, None, None),
        ],
    )
    .unwrap();
    Bill {
        amount: list.total(),
        customer_name: Some("Priya Nair & Sons <Pune>".into()),
        bill_number: Some("MAH000123456".into()),
        bill_date: Some(time::macros::date!(2026 - 01 - 05)),
        due_date: Some(time::macros::date!(2025 - 11 - 20)),
        additional_info: vec![InfoItem { name: "Units Consumed".into(), value: "1,208 kWh".into() }],
        list: Some(list),
        ..Bill::default()
    }
}

/// A payment of two of [`listed_bill`]'s bills (named by `PAID_BILL` tags), for their sum.
pub fn listed_pay_request(ref_id: &RefId) -> PayRequest {
    let bills = vec!["MAH00012345611".to_owned(), "MAH00012345601".to_owned()];
    PayRequest {
        bill: Some(listed_bill()),
        amount: p(98_750 + 87_625),
        convenience_fee: p(500),
        convenience_fee_gst: p(90),
        bills,
        ..pay_request(ref_id, false)
    }
}

pub fn pay_request(ref_id: &RefId, with_bill: bool) -> PayRequest {
    let r = bill_request(ref_id);
    PayRequest {
        ref_id: ref_id.clone(),
        biller_id: r.biller_id,
        params: r.params,
        bill: with_bill.then(sample_bill),
        amount: p(123_456),
        convenience_fee: p(500),
        convenience_fee_gst: p(90),
        plan_id: None,
        bills: Vec::new(),
        channel: Channel::Mobile,
        payer_vpa: Some("priya@okbank".into()),
        upi_rrn: Some("412345678901".into()),
        customer_mobile: mobile(),
        customer_ip: Some(customer_ip()),
    }
}

pub fn txn_ref(ref_id: &RefId) -> TxnRef {
    txn_ref_for(&ours().agent, ref_id)
}

pub fn approval() -> ApprovalRef {
    ApprovalRef::parse("AR12345678").unwrap()
}

pub fn sample_biller() -> Biller {
    Biller {
        id: biller_id(),
        name: "Maharashtra State Electricity".into(),
        alias: Some("MSEDCL".into()),
        category: "Electricity".into(),
        coverage: Coverage::State { state: bbps_core::region::State::Maharashtra },
        fetch_requirement: FetchRequirement::Mandatory,
        supports_validation: true,
        exactness: Some(Exactness::ExactAndAbove),
        accepts_adhoc: false,
        mode_limits: vec![ModeLimit { mode: PaymentMode::Upi, min: p(100), max: p(10_000_000) }],
        channel_limits: vec![
            ChannelLimit { channel: Channel::Internet, min: p(100), max: p(20_000_000) },
            ChannelLimit { channel: Channel::Mobile, min: p(100), max: p(20_000_000) },
        ],
        params: vec![
            CustomerParam {
                min_length: Some(12),
                max_length: Some(12),
                regex: Some("^[0-9]{12}$".into()),
                ..CustomerParam::plain("Consumer Number", DataType::Numeric)
            },
            CustomerParam {
                values: Some(vec!["4637".into(), "4638".into()]),
                ..CustomerParam::plain("BU", DataType::Numeric)
            },
        ],
        param_groups: vec![ParamGroup { params: vec!["Consumer Number".into(), "BU".into()] }],
        additional_info: vec!["Units Consumed".into()],
        fees: FeeTable(vec![FeeEntry {
            code: "CCF1".into(),
            direction: FeeDirection::C2B,
            slabs: vec![FeeSlab { min_amount: p(0), max_amount: p(10_000_000), flat: p(500), percent_bps: 118 }],
        }]),
        availability: bbps_core::Availability {
            from: bbps_core::Timestamp::parse("2023-01-01T00:00:00+05:30"),
            until: None,
            paused: bbps_core::Timestamp::parse("2026-12-10T00:00:00+05:30")
                .zip(bbps_core::Timestamp::parse("2026-12-12T06:00:00+05:30"))
                .map(|(start, end)| bbps_core::Pause { start, end }),
        },
        plans: Some(bbps_core::plan::PlanRequirement::Optional),
    }
}

pub fn other_biller() -> Biller {
    Biller {
        id: BillerId::parse("TATA00000NAT01").unwrap(),
        name: "Tata Play".into(),
        alias: None,
        category: "DTH".into(),
        coverage: Coverage::National,
        fetch_requirement: FetchRequirement::NotSupported,
        supports_validation: false,
        exactness: None,
        accepts_adhoc: true,
        mode_limits: vec![ModeLimit { mode: PaymentMode::Upi, min: p(100), max: p(1_000_000) }],
        channel_limits: vec![],
        params: vec![CustomerParam::plain("Subscriber Id", DataType::Numeric)],
        param_groups: vec![],
        additional_info: vec![],
        fees: FeeTable::default(),
        availability: Default::default(),
        plans: None,
    }
}

pub fn complaint_requests() -> Vec<ComplaintRequest> {
    vec![
        ComplaintRequest {
            subject: ComplaintSubject::Transaction {
                txn_ref: TxnRef::parse("AI016033ABCDEFGHIJKL").unwrap(),
                disposition: Disposition::D32,
            },
            description: "Bill paid but still showing due".into(),
            customer_mobile: MobileNumber::parse("9876543210"),
        },
        ComplaintRequest {
            subject: ComplaintSubject::Service {
                target: ServiceTarget::Agent { agent_id: AgentId::parse("AI01AI02INT512345678").unwrap() },
                reason: ServiceReason::AgentOvercharging,
            },
            description: "Charged me twice".into(),
            customer_mobile: MobileNumber::parse("9876543210"),
        },
    ]
}

pub fn network_complaint() -> NetworkComplaint {
    let at = now();
    NetworkComplaint {
        id: ComplaintId::parse("CMP000000000001").unwrap(),
        status: ComplaintStatus::Assigned,
        assigned_to: Some("MSEDCL (biller operating unit)".into()),
        remarks: Some("Assigned".into()),
        history: vec![],
        created_at: at,
        updated_at: at,
    }
}

/// One of every kind, with the variants that differ in shape (payment with and without a fetched bill, a fetched
/// list of bills and a payment naming the bills it pays, each complaint kind, failures).
pub fn all() -> Vec<Message> {
    let (o, c) = (ours(), central());
    let s = stamp();
    let at = now();
    let fetch = bill::fetch_request(&bill_request(&s.ref_id), &mobile(), &o, &s, at);
    let validation = bill::validation_request(&bill_request(&s.ref_id), &o, &s);
    let tr = txn_ref(&s.ref_id);
    let pay = bill::payment_request(&pay_request(&s.ref_id, true), &o, &s, &tr, at, None);
    let quick = bill::payment_request(&pay_request(&s.ref_id, false), &o, &s, &tr, at, None);
    let listed = bill::payment_request(&listed_pay_request(&s.ref_id), &o, &s, &tr, at, None);
    let status_req = status::status_request(&tr, &o, &s);
    let known = KnownTxn {
        ref_id: s.ref_id.clone(),
        txn_ref: tr.clone(),
        at,
        amount: p(123_456),
        status: PayStatus::Success { txn_ref: tr.clone(), approval_ref: approval() },
    };
    let complaints: Vec<_> = complaint_requests().iter().map(|r| complaint::complaint_request(r, &o, &s)).collect();
    let track = complaint::track_request(&ComplaintId::parse("CMP000000000001").unwrap(), &o, &s);
    let reopen =
        complaint::reopen_request(&ComplaintId::parse("CMP000000000001").unwrap(), "Still shows \"due\"", &o, &s);
    let plan_pull = plan::pull_request(&[sample_biller().id], None, &o, &s);
    let status_all = biller_status::status_request(&[], &o, &s);
    let status_one = biller_status::status_request(&[sample_biller().id], &o, &s);
    let down = Downtime {
        biller_id: sample_biller().id,
        pause: bbps_core::Pause { start: at, end: at.saturating_add(time::Duration::minutes(90)) },
        reason: Some("Scheduled maintenance".into()),
    };
    let head = o.head(&s.ref_id, at);
    let mut out = vec![
        Message::BillFetchRequest(fetch.clone()),
        Message::BillFetchResponse(bill::fetch_response(&fetch, Ok(&sample_bill()), &c, at)),
        Message::BillFetchResponse(bill::fetch_response(&fetch, Err(("BFR004".into(), "No bill due".into())), &c, at)),
        Message::BillFetchResponse(bill::fetch_response(&fetch, Ok(&listed_bill()), &c, at)),
        Message::BillValidationRequest(validation.clone()),
        Message::BillValidationResponse(bill::validation_response(
            &validation,
            Ok(&Validation { customer_name: Some("Priya".into()) }),
            &c,
            at,
        )),
        Message::BillPaymentRequest(pay.clone()),
        Message::BillPaymentRequest(quick.clone()),
        Message::BillPaymentResponse(bill::payment_response(&pay, Ok(&approval()), &c, at)),
        Message::BillPaymentResponse(bill::payment_response(&quick, Err(("BPR001".into(), "Declined".into())), &c, at)),
        Message::BillPaymentRequest(listed.clone()),
        Message::BillPaymentResponse(bill::payment_response(&listed, Ok(&approval()), &c, at)),
        Message::TxnStatusComplainRequest(status_req.clone()),
        Message::TxnStatusComplainResponse(status::status_response(&status_req, Some(&known), &c, at)),
        Message::TxnStatusComplainResponse(status::status_response(&status_req, None, &c, at)),
        Message::TxnStatusComplainRequest(track.clone()),
        Message::TxnStatusComplainResponse(complaint::complaint_response(&track, Ok(&network_complaint()), &c, at)),
        Message::PlanPull(plan_pull.clone()),
        Message::PlanPush(plan::push_response(&plan_pull, &[sample_plan()], &c, at)),
        Message::PlanPush(plan::push_response(&plan_pull, &[], &c, at)),
        Message::BillerStatusRequest(status_all.clone()),
        Message::BillerStatusRequest(status_one.clone()),
        Message::BillerStatusUpdate(biller_status::status_update(
            &status_all,
            std::slice::from_ref(&down),
            c.head(&s.ref_id, at),
        )),
        Message::BillerStatusUpdate(biller_status::status_update(&status_one, &[], c.head(&s.ref_id, at))),
        Message::TxnStatusComplainRequest(reopen.clone()),
        Message::TxnStatusComplainResponse(complaint::complaint_response(
            &reopen,
            Ok(&NetworkComplaint { status: ComplaintStatus::Rejected, ..network_complaint() }),
            &c,
            at,
        )),
        Message::TxnStatusRequest(TxnStatusRequest {
            head: head.clone(),
            txn: pay.txn.clone(),
            query: TxnStatusReq { msg_id: Some(s.msg_id.clone()), txn_reference_id: tr.clone() },
        }),
        Message::TxnStatusResponse(TxnStatusResponse {
            head: c.head(&s.ref_id, at),
            reason: bbps_npci_xml::map::reason(Ok(approval().to_string())),
            txn: pay.txn.clone(),
            bill_details: pay.bill_details.clone(),
            biller_response: pay.biller_response.clone().unwrap(),
            additional_info: pay.additional_info.clone(),
        }),
        Message::ReqDiagnostic(ReqDiagnostic { head: head.clone() }),
        Message::ResDiagnostic(ResDiagnostic { head: c.head(&s.ref_id, at), errors: vec![] }),
        Message::BillerFetchRequest(BillerFetchRequest {
            head: head.clone(),
            search_my_biller: None,
            search: None,
            search_by_time: None,
        }),
        Message::BillerFetchRequest(BillerFetchRequest {
            head: head.clone(),
            search_my_biller: Some(SearchMyBiller { my_biller: YesNo::No }),
            search: Some(Search { biller_ids: vec![biller_id()] }),
            search_by_time: Some(SearchByTime { time: WireTime::from(at).to_string() }),
        }),
        Message::BillerFetchResponse(BillerFetchResponse {
            head: c.head(&s.ref_id, at),
            billers: vec![biller::record_of(&sample_biller())],
            search_result: None,
        }),
        Message::Ack(Ack {
            api: Some(MessageKind::BillFetchRequest),
            ref_id: Some(s.ref_id.to_string()),
            msg_id: Some(s.msg_id.clone()),
            rsp_cd: AckCode::Successful,
            ts: WireTime::from(at),
            errors: vec![],
        }),
        Message::Ack(Ack {
            api: None,
            ref_id: None,
            msg_id: None,
            rsp_cd: AckCode::ValidationError,
            ts: WireTime::from(at),
            errors: vec![ErrorMessage { code: "XML001".into(), detail: "bad".into() }],
        }),
    ];
    out.extend(complaints.iter().cloned().map(Message::TxnStatusComplainRequest));
    out.extend(complaints.iter().map(|r| {
        Message::TxnStatusComplainResponse(complaint::complaint_response(r, Ok(&network_complaint()), &c, at))
    }));
    out
}

/// A plan with every optional part: sub-categories, validity and benefits (plan additional info), an end date.
pub fn sample_plan() -> bbps_core::plan::Plan {
    bbps_core::plan::Plan {
        id: bbps_core::PlanId::parse("MAHAU299").unwrap(),
        biller_id: sample_biller().id,
        category: "Unlimited".into(),
        sub_categories: vec!["28 days".into(), "Popular".into()],
        amount: p(29_950),
        description: "Unlimited calls & 2 GB/day <5G>".into(),
        validity: Some("28 days".into()),
        benefits: vec![InfoItem { name: "Data".into(), value: "2 GB/day".into() }],
        effective_from: time::macros::date!(2026 - 01 - 01),
        effective_to: Some(time::macros::date!(2026 - 12 - 31)),
    }
}
