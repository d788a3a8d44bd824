//! The widget reads the API's JSON with its own small decoder (see `src/wire/`); these tests hold it to
//! bbps-core's serde shapes: every answer type, and every variant of every string enum, serialized by serde, must
//! read back equal; an answer that does not fit says where; every request body it writes must be what serde
//! writes.

mod common;

use bbps_core::api::{
    BillerPage, CategoryList, Complaint, ComplaintHistoryEntry, ComplaintSubject, FailureCode, Mode, Payment,
    PaymentEvent, QuoteKind, ReceiptStatus, RefundReason, RefundStatus, Session, TransactionList, TransactionSummary,
};
use bbps_core::appearance::Theme;
use bbps_core::biller::PaymentMode;
use bbps_core::complaint::{ComplaintStatus, Disposition, ServiceReason, ServiceTarget};
use bbps_core::fee::FeeDirection;
use bbps_core::{
    AgentId, ApiError, Channel, ComplaintId, Coverage, DataType, ErrorCode, Exactness, FetchRequirement, FieldError,
    ParamErrorCode, PaymentStatus, WireEnum,
};
use bbps_widget::api::Failure;
use bbps_widget::wire::{self, Decode, Json};
use common::*;
use serde::Serialize;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn round_trip<T: Serialize + Decode + PartialEq + std::fmt::Debug>(value: &T) {
    let json = serde_json::to_string(value).unwrap();
    assert_eq!(wire::decode::<T>(&json).as_ref(), Ok(value), "{json}");
}

fn agent_id() -> AgentId {
    AgentId::parse("AI01AI02INT512345678").unwrap()
}

#[wasm_bindgen_test(unsupported = test)]
fn catalogue_types_read_back() {
    round_trip(&CategoryList { categories: categories() });
    let b = rich_biller();
    round_trip(&b);
    round_trip(&biller(FetchRequirement::NotSupported, true));
    let mut national = summary(&b);
    national.coverage = Coverage::National;
    let mut city = summary(&b);
    city.coverage = Coverage::City { state: bbps_core::region::State::Maharashtra, city: "Mumbai".into() };
    round_trip(&BillerPage { items: vec![summary(&b), national, city], total: 3, page: 1, per_page: 20 });
}

#[wasm_bindgen_test(unsupported = test)]
fn bill_and_payment_types_read_back() {
    round_trip(&quote());
    let mut validated = quote();
    validated.bill = None;
    validated.customer_name = Some("A".into());
    round_trip(&validated);
    for &selection in bbps_core::bill_list::BillSelection::ALL {
        let mut listed = quote();
        let items = vec![
            bbps_core::bill_list::BillItem {
                bill_number: "B-1".into(),
                amount: p(50_000),
                due_date: Some(time::macros::date!(2026 - 10 - 20)),
                bill_period: Some("September 2026".into()),
            },
            bbps_core::bill_list::BillItem {
                bill_number: "B-2".into(),
                amount: p(73_450),
                due_date: None,
                bill_period: None,
            },
        ];
        if let Some(bill) = listed.bill.as_mut() {
            bill.amount_options.clear();
            bill.list = Some(bbps_core::bill_list::BillList::new(selection, items).unwrap());
        }
        round_trip(&listed);
    }
    let mut paid_bills = payment(PaymentStatus::Completed);
    if let Some(r) = paid_bills.receipt.as_mut() {
        r.bills = vec![bbps_core::bill_list::BillItem {
            bill_number: "B-1".into(),
            amount: p(50_000),
            due_date: None,
            bill_period: Some("September 2026".into()),
        }];
    }
    round_trip(&paid_bills);
    for &status in PaymentStatus::ALL {
        round_trip(&payment(status));
        round_trip(&PaymentEvent { payment: payment(status) });
    }
    round_trip(&Session {
        token: "tok_ABC.def".into(),
        expires_at: ts(NOW),
        merchant_name: "Demo Mart".into(),
        mode: Mode::Test,
    });
    let p: Payment = payment(PaymentStatus::Completed);
    round_trip(&TransactionList {
        items: vec![TransactionSummary {
            payment_id: p.id,
            txn_ref: p.receipt.map(|r| r.txn_ref),
            biller_id: p.biller_id,
            biller_name: p.biller_name,
            status: p.status,
            charges: p.charges,
            customer_mobile_masked: "98xxxxxx10".into(),
            created_at: p.created_at,
            paid_at: None,
        }],
    });
}

fn sample_complaint() -> Complaint {
    Complaint {
        id: ComplaintId::parse("CMP000000000001").unwrap(),
        subject: ComplaintSubject::Transaction {
            txn_ref: bbps_core::TxnRef::parse("CC01BBPS0000000012AB").unwrap(),
            disposition: Disposition::D22,
        },
        ticket_type: bbps_core::complaint::TicketType::Dispute,
        resolve_by: time::macros::date!(2026 - 11 - 30),
        description: "Paid twice \"again\" \u{1F600}\nline".into(),
        status: ComplaintStatus::PendingWithBbpou,
        assigned_to: Some("MSEDCL BBPOU".into()),
        remarks: None,
        created_at: ts(NOW),
        updated_at: ts("2026-11-25T09:00:00.123456789Z"),
        reopened_at: Some(ts("2026-11-26T10:00:00+05:30")),
        history: vec![ComplaintHistoryEntry { status: ComplaintStatus::Logged, at: ts(NOW), remarks: "logged".into() }],
    }
}

#[wasm_bindgen_test(unsupported = test)]
fn complaints_read_back() {
    let base = sample_complaint();
    round_trip(&base);
    for &reason in ServiceReason::ALL {
        for target in [ServiceTarget::Agent { agent_id: agent_id() }, ServiceTarget::Biller { biller_id: biller_id() }]
        {
            round_trip(&Complaint { subject: ComplaintSubject::Service { target, reason }, ..base.clone() });
        }
    }
}

#[wasm_bindgen_test(unsupported = test)]
fn every_error_code_reads_back() {
    for &code in ErrorCode::ALL {
        round_trip(&ApiError::new(code, "m"));
    }
    let mut e = ApiError::from_field_errors(vec![FieldError {
        field: "Consumer Number".into(),
        code: ParamErrorCode::ParamGroupUnsatisfied,
        limit: Some(3),
        group: vec!["A".into(), "B".into()],
    }])
    .with_bbps_code("BFR001")
    .with_retry_after(3);
    round_trip(&e);
    e.errors[0].code = ParamErrorCode::ParamUnknown;
    round_trip(&e);
}

#[wasm_bindgen_test(unsupported = test)]
fn the_parser_is_strict_where_it_matters() {
    assert_eq!(
        wire::parse(" {\"a\" : [1, -2, true, null, \"\\u00e9\\ud83d\\ude00\"]} "),
        Some(Json::Obj(vec![(
            "a".into(),
            Json::Arr(vec![
                Json::Num("1".into()),
                Json::Num("-2".into()),
                Json::Bool(true),
                Json::Null,
                Json::Str("é😀".into())
            ])
        )]))
    );
    for bad in ["", "{", "{\"a\":}", "[1,]", "{\"a\":1} x", "\"\u{1}\"", "tru", "{\"a\" 1}"] {
        assert_eq!(wire::parse(bad), None, "{bad:?}");
    }
    let deep = "[".repeat(100) + &"]".repeat(100);
    assert_eq!(wire::parse(&deep), None, "nesting is bounded");
    // A number where an integer is expected must be one; money is never a float.
    assert!(wire::decode::<bbps_core::Paise>("12.5").is_err());
    assert_eq!(wire::decode::<bbps_core::Paise>("1250"), Ok(p(1250)));
}

/// Every variant as serde writes it reads back as itself, and a name the enum does not have is refused in the
/// enum's words. Returns the enum's name, to check that none the widget reads was left out.
fn every_variant<T: WireEnum + Serialize + Decode>() -> &'static str {
    for v in T::ALL {
        let json = serde_json::to_string(v).unwrap();
        assert_eq!(wire::decode::<T>(&json), Ok(*v), "{} {json}", T::NAME);
    }
    let unknown = wire::decode::<T>("\"no such name\"").unwrap_err();
    #[cfg(debug_assertions)]
    assert!(unknown.to_string().contains(&format!("\"no such name\" is not a {}", T::NAME)), "{unknown}");
    assert_eq!(unknown.path(), "");
    T::NAME
}

#[wasm_bindgen_test(unsupported = test)]
fn every_variant_of_every_enum_the_widget_reads_is_read_as_serde_writes_it() {
    let mut checked = vec![
        every_variant::<Mode>(),
        every_variant::<Theme>(),
        every_variant::<FetchRequirement>(),
        every_variant::<Exactness>(),
        every_variant::<Channel>(),
        every_variant::<PaymentMode>(),
        every_variant::<DataType>(),
        every_variant::<FeeDirection>(),
        every_variant::<QuoteKind>(),
        every_variant::<ReceiptStatus>(),
        every_variant::<RefundStatus>(),
        every_variant::<RefundReason>(),
        every_variant::<FailureCode>(),
        every_variant::<ParamErrorCode>(),
        every_variant::<PaymentStatus>(),
        every_variant::<ComplaintStatus>(),
        every_variant::<bbps_core::complaint::TicketType>(),
        every_variant::<bbps_core::region::State>(),
        every_variant::<bbps_core::plan::PlanRequirement>(),
        every_variant::<bbps_core::bill_list::BillSelection>(),
        every_variant::<ErrorCode>(),
        every_variant::<Disposition>(),
        every_variant::<ServiceReason>(),
    ];
    let mut decoded = wire::DECODED_ENUMS.to_vec();
    checked.sort_unstable();
    decoded.sort_unstable();
    assert_eq!(checked, decoded, "every enum the decoder reads is checked here");
}

#[wasm_bindgen_test(unsupported = test)]
fn an_answer_that_does_not_fit_says_where() {
    // An enum value this widget does not know, deep in a payment.
    let mut event = serde_json::to_value(PaymentEvent { payment: payment(PaymentStatus::Completed) }).unwrap();
    event["payment"]["receipt"]["status"] = "DONE".into();
    let e = wire::decode::<PaymentEvent>(&event.to_string()).unwrap_err();
    assert_eq!(e.path(), "payment.receipt.status");
    // Release builds keep the path only; debug builds also say what was wrong, in the enum's own words.
    #[cfg(debug_assertions)]
    assert!(e.to_string().starts_with(r#"payment.receipt.status: "DONE" is not a ReceiptStatus"#), "{e}");
    // An id of the wrong shape, in a list.
    let summary = |biller_id: &str| {
        let p = payment(PaymentStatus::Completed);
        serde_json::json!({
            "payment_id": p.id, "txn_ref": null, "biller_id": biller_id, "biller_name": p.biller_name,
            "status": p.status, "charges": p.charges, "customer_mobile_masked": "98xxxxxx10",
            "created_at": p.created_at, "paid_at": null,
        })
    };
    let good = biller_id();
    let list = serde_json::json!({ "items": [summary(good.as_str()), summary(good.as_str()), summary(good.as_str()), summary("nope")] });
    let e = wire::decode::<TransactionList>(&list.to_string()).unwrap_err();
    assert_eq!(e.path(), "items[3].biller_id");
    #[cfg(debug_assertions)]
    assert!(e.to_string().contains("a biller id must be 14 upper-case letters or digits"), "{e}");
    // A tag of serde's tagged enums, a missing member, and not JSON at all.
    let mut complaint = serde_json::to_value(sample_complaint()).unwrap();
    complaint["subject"]["kind"] = "other".into();
    assert_eq!(wire::decode::<Complaint>(&complaint.to_string()).unwrap_err().path(), "subject.kind");
    complaint["subject"] = serde_json::json!({ "kind": "transaction", "disposition": "D11" });
    assert_eq!(wire::decode::<Complaint>(&complaint.to_string()).unwrap_err().path(), "subject.txn_ref");
    assert_eq!(wire::decode::<Complaint>("<html>").unwrap_err().path(), "");
    // To the customer it is the one failure it always was: an answer that could not be read.
    assert_eq!(bbps_widget::api::decode::<PaymentEvent>(event.to_string()), Err(Failure::Unexpected));
    assert_eq!(bbps_widget::api::classify(500, "<html>".into()), Err(Failure::Unexpected));
    assert_eq!(bbps_widget::api::classify(502, "<html>".into()), Err(Failure::Network));
}

/// The widget's request body must be exactly what serde_json writes for the same value.
fn same_as_serde<T: Serialize + wire::Encode>(value: &T) {
    assert_eq!(wire::encode(value), serde_json::to_string(value).unwrap());
}

#[wasm_bindgen_test(unsupported = test)]
fn request_bodies_are_written_as_serde_writes_them() {
    use bbps_core::api::{
        CreatePaymentRequest, CreateSessionRequest, FetchBillRequest, PaymentSource, RaiseComplaintRequest,
    };
    use bbps_core::{Channel, ParamValues, TxnRef};

    same_as_serde(&CreateSessionRequest { publishable_key: "pk_test_abc".into(), parent_origin: None });
    same_as_serde(&CreateSessionRequest {
        publishable_key: "pk_test_abc".into(),
        parent_origin: Some("https://shop.example.in".into()),
    });
    // Every character class the escaper treats apart, and a key order that differs from insertion order.
    let mut params = ParamValues::new();
    params.insert("Zone".into(), "Naupada \"East\" \\ 1\n\t\r\u{8}\u{c}\u{1}\u{1f}\u{7f}".into());
    params.insert("Consumer Number".into(), "0123456789".into());
    params.insert("नाम".into(), "आशा ₹ 😀".into());
    let fetch = FetchBillRequest {
        biller_id: biller_id(),
        params: params.clone(),
        channel: Channel::Internet,
        customer_mobile: None,
    };
    same_as_serde(&fetch);
    same_as_serde(&FetchBillRequest { params: ParamValues::new(), channel: Channel::Mobile, ..fetch });
    for source in [
        PaymentSource::Quote { quote_id: quote_id(), amount_option: None, bills: vec![] },
        PaymentSource::Quote {
            quote_id: quote_id(),
            amount_option: Some("Early Payment Amount".into()),
            bills: vec![],
        },
        PaymentSource::Quote { quote_id: quote_id(), amount_option: None, bills: vec!["B-1".into(), "B \"2\"".into()] },
        PaymentSource::Direct { biller_id: biller_id(), params: params.clone() },
        PaymentSource::Direct { biller_id: biller_id(), params: ParamValues::new() },
    ] {
        for plan_id in [None, Some(bbps_core::PlanId::parse("JIOU299").unwrap())] {
            same_as_serde(&CreatePaymentRequest {
                source: source.clone(),
                amount: p(123_950),
                customer_mobile: mobile(),
                channel: Channel::Internet,
                plan_id,
            });
        }
    }
    let txn_ref = TxnRef::parse("CC01BBPS0000000012AB").unwrap();
    for &disposition in Disposition::ALL {
        same_as_serde(&RaiseComplaintRequest::Transaction {
            txn_ref: txn_ref.clone(),
            disposition,
            description: "Paid twice\nfor one bill".into(),
        });
    }
    for (target, reason) in [
        (ServiceTarget::Biller { biller_id: biller_id() }, ServiceReason::BillerWrongBill),
        (ServiceTarget::Agent { agent_id: agent_id() }, ServiceReason::AgentOvercharging),
    ] {
        for reason in ServiceReason::ALL.iter().copied().chain([reason]) {
            same_as_serde(&RaiseComplaintRequest::Service {
                target: target.clone(),
                reason,
                description: "No \"receipt\"".into(),
                customer_mobile: mobile(),
            });
        }
    }
    same_as_serde(&bbps_core::api::ReopenComplaintRequest { description: "Still \"due\" on the\nbill".into() });
}
