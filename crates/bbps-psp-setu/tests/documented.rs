//! The wire types held to Setu's public documentation of UPI DeepLinks (v2, OAuth): for every request, answer and
//! notification the documentation shows, a sample in the documented shape (its field names, nesting, value types
//! and enum strings, with values of our own) is read into the wire type; the requests the adapter sends are
//! written and compared with the documented shape; notifications go through `notify::events` into the engine's
//! events. Each test names the page it follows. An enum string the documentation does not list is refused.

use std::collections::{BTreeMap, BTreeSet};

use bbps_core::{Paise, Timestamp, UpiTxnRef, WireEnum};
use bbps_engine::ports::{Debit, NotificationError, PspEvent, RefundState, Returned};
use bbps_psp_setu::notify::events;
use bbps_psp_setu::wire::{
    Account, AddCredit, Amount, AmountExactness, AttemptFailed, BillStatus, CreateLink, CreatedLink, CreatedRefunds,
    Currency, Envelope, ErrorBody, EventType, Fulfilment, IdentifierType, LinkStatus, Notification, PaymentLink,
    Receipt, RefundBatch, RefundBatchStatus, RefundEntry, RefundItem, RefundKind, RefundNotice, RefundStatus,
    RefundType, Token, TokenRequest,
};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// Our reference of a payment, as the adapter sends it as `billerBillID`.
const REFERENCE: &str = "BBPS7QK2M9X4T1R8W3N6P5ZC0ABD";
/// Setu's `platformBillID` of the link.
const LINK: &str = "730215548812093317";
const UPI_ID: &str = "bbps730215548812093317@setu";
const PAYER: &str = "meera.k@okhdfc";
const APP: &str = "620917734550128843";

fn read<T: DeserializeOwned>(v: &Value) -> T {
    match serde_json::from_value(v.clone()) {
        Ok(t) => t,
        Err(e) => panic!("the documented sample does not read: {e}\n{v:#}"),
    }
}

fn refused<T: DeserializeOwned + std::fmt::Debug>(v: &Value) -> serde_json::Error {
    match serde_json::from_value::<T>(v.clone()) {
        Ok(t) => panic!("read {t:?} from a sample the documentation does not allow\n{v:#}"),
        Err(e) => e,
    }
}

fn write<T: serde::Serialize>(t: &T) -> Value {
    serde_json::to_value(t).expect("serialises")
}

fn keys(v: &Value) -> BTreeSet<&str> {
    v.as_object().expect("an object").keys().map(String::as_str).collect()
}

/// A value's shape: its field names and nesting, each leaf replaced by the name of its JSON type.
fn shape(v: &Value) -> Value {
    match v {
        Value::Null => json!("null"),
        Value::Bool(_) => json!("boolean"),
        Value::Number(n) if n.is_f64() => json!("float"),
        Value::Number(_) => json!("integer"),
        Value::String(_) => json!("string"),
        Value::Array(items) => Value::Array(items.iter().map(shape).collect()),
        Value::Object(fields) => Value::Object(fields.iter().map(|(k, v)| (k.clone(), shape(v))).collect()),
    }
}

fn wire<T: WireEnum>() -> BTreeSet<&'static str> {
    T::WIRE.iter().copied().collect()
}

fn paise(p: u64) -> Paise {
    Paise::new(p).expect("within the limit")
}

fn at(millis: i64) -> Timestamp {
    Timestamp::from_unix_millis(millis).expect("a valid instant")
}

fn reference() -> Option<UpiTxnRef> {
    Some(UpiTxnRef::parse(REFERENCE).expect("a valid reference"))
}

fn info(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
}

/// A notification as Setu posts it: `partnerDetails` and one event.
fn notification(kind: &str, id: &str, time_stamp: i64, data: Value) -> Value {
    json!({
        "partnerDetails": { "appID": APP, "productInstanceID": APP },
        "events": [{ "data": data, "timeStamp": time_stamp, "type": kind, "id": id }]
    })
}

fn events_of(v: &Value) -> Result<Vec<PspEvent>, NotificationError> {
    events(&serde_json::to_vec(v).expect("serialises"))
}

fn malformed(v: &Value) {
    match events_of(v) {
        Err(NotificationError::Malformed(_)) => {}
        other => panic!("expected a malformed notification, got {other:?}\n{v:#}"),
    }
}

// ---------------------------------------------------------------------------------------------------------------
// OAuth token
// ---------------------------------------------------------------------------------------------------------------

// https://docs.setu.co/payments/upi-deeplinks/resources/oauth#generate-token-api (request body)
#[test]
fn token_request_is_written_in_the_documented_shape() {
    let documented = json!({
        "clientID": "5d0e7a1c-93b4-4f62-8c1e-2a7b9f04d613",
        "secret": "e81f2c47-06ad-4b9e-b3d5-7c90a1f6e248"
    });
    let ours = TokenRequest {
        client_id: "5d0e7a1c-93b4-4f62-8c1e-2a7b9f04d613".into(),
        secret: "e81f2c47-06ad-4b9e-b3d5-7c90a1f6e248".into(),
    };
    assert_eq!(write(&ours), documented);
    assert_eq!(keys(&write(&ours)), BTreeSet::from(["clientID", "secret"]));
    assert_eq!(read::<TokenRequest>(&documented), ours);
}

// https://docs.setu.co/payments/upi-deeplinks/resources/oauth#generate-token-api (response, success)
#[test]
fn token_answer_reads() {
    let documented = json!({
        "status": 200,
        "success": true,
        "data": { "expiresIn": 1800, "token": "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJiYnBzLWFkYXB0ZXIifQ.c2lnbmF0dXJl" }
    });
    let answer: Envelope<Token> = read(&documented);
    assert_eq!(
        answer,
        Envelope {
            status: 200,
            success: true,
            data: Some(Token {
                expires_in: 1800,
                token: "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJiYnBzLWFkYXB0ZXIifQ.c2lnbmF0dXJl".into(),
            }),
            error: None,
        }
    );
}

// https://docs.setu.co/payments/upi-deeplinks/resources/oauth#generate-token-api (response, failure): the error
// carries `docURL`, `traceID` and `errors`.
#[test]
fn token_refusal_reads() {
    let documented = json!({
        "status": 400,
        "success": false,
        "error": {
            "code": "invalid-api-key",
            "detail": "No key 5d0e7a1c-93b4-4f62-8c1e-2a7b9f04d613 is known; check the credentials.",
            "docURL": "",
            "title": "AUTHENTICATION_ERROR",
            "traceID": "0c6f2b1e-77d4-4a3b-9e58-d21a4c90b7f3",
            "errors": []
        }
    });
    let answer: Envelope<Token> = read(&documented);
    assert_eq!(answer.status, 400);
    assert!(!answer.success);
    assert_eq!(answer.data, None);
    assert_eq!(
        answer.error,
        Some(ErrorBody {
            code: "invalid-api-key".into(),
            title: "AUTHENTICATION_ERROR".into(),
            detail: "No key 5d0e7a1c-93b4-4f62-8c1e-2a7b9f04d613 is known; check the credentials.".into(),
            doc_url: String::new(),
            trace_id: "0c6f2b1e-77d4-4a3b-9e58-d21a4c90b7f3".into(),
        })
    );
}

// ---------------------------------------------------------------------------------------------------------------
// Create payment link
// ---------------------------------------------------------------------------------------------------------------

/// The fields of `createPaymentLinkRequest`:
/// https://docs.setu.co/payments/upi-deeplinks/api-reference#/category~APIs_to_call/operation~paymentLink
const CREATE_LINK_FIELDS: [&str; 10] = [
    "additionalInfo",
    "amount",
    "amountExactness",
    "billerBillID",
    "campaignID",
    "expiryDate",
    "name",
    "settlement",
    "transactionNote",
    "validationRules",
];

// https://docs.setu.co/payments/upi-deeplinks/quickstart#create-a-upi-payment-link (sample request), with
// `expiryDate` (ISO 8601 date-time) from
// https://docs.setu.co/payments/upi-deeplinks/api-reference#/category~APIs_to_call/operation~paymentLink
#[test]
fn create_link_is_written_in_the_documented_shape() {
    let documented = json!({
        "billerBillID": REFERENCE,
        "amount": { "value": 48250, "currencyCode": "INR" },
        "amountExactness": "EXACT",
        "name": "Ujala Power Distribution",
        "transactionNote": "Electricity bill, consumer 40031",
        "expiryDate": "2026-11-25T14:16:28+05:30",
        "additionalInfo": { "consumer": "40031", "circle": "north" }
    });
    let ours = CreateLink {
        biller_bill_id: REFERENCE.into(),
        amount: Amount::inr(48250),
        amount_exactness: AmountExactness::Exact,
        name: Some("Ujala Power Distribution".into()),
        transaction_note: Some("Electricity bill, consumer 40031".into()),
        expiry_date: Some("2026-11-25T14:16:28+05:30".into()),
        additional_info: info(&[("consumer", "40031"), ("circle", "north")]),
    };
    let written = write(&ours);
    assert_eq!(shape(&written), shape(&documented));
    assert_eq!(written, documented);
    assert!(keys(&written).is_subset(&BTreeSet::from(CREATE_LINK_FIELDS)));
    assert_eq!(read::<CreateLink>(&documented), ours);
}

// https://docs.setu.co/payments/upi-deeplinks/api-reference#/category~APIs_to_call/operation~paymentLink: what is
// left unset is left out, so a link with nothing optional carries only the required `billerBillID`, `amount` and
// `amountExactness`.
#[test]
fn create_link_leaves_out_what_is_unset() {
    let ours = CreateLink {
        biller_bill_id: REFERENCE.into(),
        amount: Amount::inr(100),
        amount_exactness: AmountExactness::Exact,
        name: None,
        transaction_note: None,
        expiry_date: None,
        additional_info: BTreeMap::new(),
    };
    let written = write(&ours);
    assert_eq!(keys(&written), BTreeSet::from(["amount", "amountExactness", "billerBillID"]));
    assert_eq!(written["amount"], json!({ "value": 100, "currencyCode": "INR" }));
}

// https://docs.setu.co/payments/upi-deeplinks/quickstart#create-a-upi-payment-link: `amountExactness` is one of
// EXACT, EXACT_DOWN, ANY; `amount.value` is an integer of paise and `amount.currencyCode` always INR.
#[test]
fn create_link_enums_are_the_documented_strings() {
    assert_eq!(wire::<AmountExactness>(), BTreeSet::from(["EXACT", "EXACT_DOWN", "ANY"]));
    assert_eq!(wire::<Currency>(), BTreeSet::from(["INR"]));
    for (s, exactness) in [("EXACT", AmountExactness::Exact), ("EXACT_DOWN", AmountExactness::ExactDown)] {
        let documented = json!({
            "billerBillID": REFERENCE,
            "amount": { "value": 48250, "currencyCode": "INR" },
            "amountExactness": s
        });
        assert_eq!(read::<CreateLink>(&documented).amount_exactness, exactness);
    }
    let any = json!({ "billerBillID": REFERENCE, "amount": { "value": 100, "currencyCode": "INR" }, "amountExactness": "ANY" });
    assert_eq!(read::<CreateLink>(&any).amount_exactness, AmountExactness::Any);

    // Strings the documentation does not list are refused, not read as a default.
    let mut exactly = any.clone();
    exactly["amountExactness"] = json!("EXACTLY");
    refused::<CreateLink>(&exactly);
    let mut dollars = any.clone();
    dollars["amount"]["currencyCode"] = json!("USD");
    refused::<CreateLink>(&dollars);
    let mut rupees = any;
    rupees["amount"]["value"] = json!(1.5);
    refused::<CreateLink>(&rupees);
}

// https://docs.setu.co/payments/upi-deeplinks/api-reference (definition `amount`): only `value` is required; the
// currency, when absent, is INR (https://docs.setu.co/payments/upi-deeplinks/quickstart: "always INR").
#[test]
fn amount_without_currency_is_inr() {
    assert_eq!(read::<Amount>(&json!({ "value": 48250 })), Amount::inr(48250));
    assert_eq!(write(&Amount::inr(48250)), json!({ "value": 48250, "currencyCode": "INR" }));
}

// https://docs.setu.co/payments/upi-deeplinks/quickstart#create-a-upi-payment-link (sample response)
#[test]
fn created_link_reads() {
    let upi_link = format!(
        "upi://pay?pa={UPI_ID}&pn=Ujala+Power+Distribution&am=482.50&tr={REFERENCE}&tn=Electricity+bill&cu=INR"
    );
    let documented = json!({
        "status": 200,
        "success": true,
        "data": {
            "name": "Ujala Power Distribution",
            "paymentLink": { "shortURL": "https://bills.pe/q7Km2", "upiID": UPI_ID, "upiLink": upi_link },
            "platformBillID": LINK
        }
    });
    let answer: Envelope<CreatedLink> = read(&documented);
    assert_eq!((answer.status, answer.success, answer.error), (200, true, None));
    assert_eq!(
        answer.data,
        Some(CreatedLink {
            name: "Ujala Power Distribution".into(),
            payment_link: PaymentLink {
                short_url: "https://bills.pe/q7Km2".into(),
                upi_id: UPI_ID.into(),
                upi_link: upi_link.clone(),
            },
            platform_bill_id: LINK.into(),
        })
    );
}

// ---------------------------------------------------------------------------------------------------------------
// Add credit (the sandbox's mock payment)
// ---------------------------------------------------------------------------------------------------------------

// https://docs.setu.co/payments/upi-deeplinks/quickstart#add-credit-mock-a-payment-in-sandbox: `amount` in rupees
// as a float, `destinationAccount.accountID` the link's `upiID`, `transactionReference` its `platformBillID`.
#[test]
fn add_credit_reads_and_is_written_in_the_documented_shape() {
    let documented = json!({
        "amount": 482.5,
        "type": "UPI",
        "destinationAccount": { "accountID": UPI_ID },
        "sourceAccount": { "accountID": PAYER },
        "transactionReference": LINK
    });
    let credit: AddCredit = read(&documented);
    assert_eq!(
        credit,
        AddCredit {
            amount: 482.5,
            kind: "UPI".into(),
            destination_account: Account { account_id: UPI_ID.into() },
            source_account: Account { account_id: PAYER.into() },
            transaction_reference: LINK.into(),
        }
    );
    assert_eq!(shape(&write(&credit)), shape(&documented));
    assert_eq!(write(&credit), documented);
}

// ---------------------------------------------------------------------------------------------------------------
// Check link status
// ---------------------------------------------------------------------------------------------------------------

// https://docs.setu.co/payments/upi-deeplinks/quickstart#check-link-status-optional (sample response): the status's
// `paymentLink` has no `shortURL`.
#[test]
fn paid_link_status_reads() {
    let upi_link = format!("upi://pay?pa={UPI_ID}&pn=Ujala&am=482.50&tr={REFERENCE}&cu=INR");
    let documented = json!({
        "status": 200,
        "success": true,
        "data": {
            "amountPaid": { "currencyCode": "INR", "value": 48250 },
            "createdAt": "2026-11-25T08:31:07.000Z",
            "expiresAt": "2026-11-25T08:46:07.000Z",
            "name": "Ujala Power Distribution",
            "payerVpa": PAYER,
            "paymentLink": { "upiID": UPI_ID, "upiLink": upi_link },
            "platformBillID": LINK,
            "billerBillID": REFERENCE,
            "receipt": { "date": "2026-11-25T08:33:52.418Z", "id": "6e0d92b4-5a71-4c3f-8b19-f2c4a7d05e86" },
            "status": "PAYMENT_SUCCESSFUL",
            "additionalInfo": { "consumer": "40031" }
        }
    });
    let answer: Envelope<LinkStatus> = read(&documented);
    assert_eq!((answer.status, answer.success, answer.error), (200, true, None));
    assert_eq!(
        answer.data,
        Some(LinkStatus {
            amount_paid: Some(Amount::inr(48250)),
            created_at: Some("2026-11-25T08:31:07.000Z".into()),
            expires_at: Some("2026-11-25T08:46:07.000Z".into()),
            name: "Ujala Power Distribution".into(),
            payer_vpa: Some(PAYER.into()),
            payment_link: PaymentLink { short_url: String::new(), upi_id: UPI_ID.into(), upi_link },
            platform_bill_id: LINK.into(),
            biller_bill_id: REFERENCE.into(),
            receipt: Some(Receipt {
                date: "2026-11-25T08:33:52.418Z".into(),
                id: "6e0d92b4-5a71-4c3f-8b19-f2c4a7d05e86".into(),
            }),
            status: BillStatus::PaymentSuccessful,
            additional_info: info(&[("consumer", "40031")]),
        })
    );
}

// https://docs.setu.co/payments/upi-deeplinks/api-reference#/category~APIs_to_call/operation~paymentStatus: every
// field of `paymentLinkStatusResponse` is optional, so an unpaid link's status has no payment, payer or receipt.
#[test]
fn open_link_status_reads_without_a_payment() {
    let documented = json!({
        "createdAt": "2026-11-25T08:31:07.000Z",
        "expiresAt": "2026-11-25T08:46:07.000Z",
        "name": "Ujala Power Distribution",
        "paymentLink": { "upiID": UPI_ID, "upiLink": format!("upi://pay?pa={UPI_ID}&tr={REFERENCE}") },
        "platformBillID": LINK,
        "billerBillID": REFERENCE,
        "status": "BILL_CREATED"
    });
    let status: LinkStatus = read(&documented);
    assert_eq!(status.status, BillStatus::BillCreated);
    assert_eq!((status.amount_paid, status.payer_vpa, status.receipt), (None, None, None));
    assert!(status.additional_info.is_empty());
}

// https://docs.setu.co/payments/upi-deeplinks/quickstart#check-link-status-optional: the seven statuses of a link
// (the same set as `setuBillStatus` in the API reference); any other string is refused.
#[test]
fn link_statuses_are_the_documented_seven() {
    let documented = [
        ("BILL_CREATED", BillStatus::BillCreated),
        ("PAYMENT_SUCCESSFUL", BillStatus::PaymentSuccessful),
        ("PAYMENT_FAILED", BillStatus::PaymentFailed),
        ("CREDIT_RECEIVED", BillStatus::CreditReceived),
        ("SETTLEMENT_SUCCESSFUL", BillStatus::SettlementSuccessful),
        ("SETTLEMENT_FAILED", BillStatus::SettlementFailed),
        ("BILL_EXPIRED", BillStatus::BillExpired),
    ];
    assert_eq!(wire::<BillStatus>(), documented.iter().map(|(s, _)| *s).collect());
    let mut sample = json!({
        "paymentLink": { "upiID": UPI_ID, "upiLink": format!("upi://pay?pa={UPI_ID}") },
        "platformBillID": LINK,
        "status": "BILL_CREATED"
    });
    for (s, status) in documented {
        sample["status"] = json!(s);
        assert_eq!(read::<LinkStatus>(&sample).status, status, "{s}");
    }
    for unknown in ["PAYMENT_PENDING", "bill_created", "", "PAYMENT_ATTEMPT_FAILED"] {
        sample["status"] = json!(unknown);
        refused::<LinkStatus>(&sample);
    }
    sample["status"] = Value::Null;
    refused::<LinkStatus>(&sample);
}

// ---------------------------------------------------------------------------------------------------------------
// Expire bill
// ---------------------------------------------------------------------------------------------------------------

// https://docs.setu.co/payments/upi-deeplinks/quickstart#expire-bill-optional: success is `{status, success}` with
// no data; an unknown bill is a 404 whose error spells `docUrl` and `traceId`.
#[test]
fn expire_answers_read() {
    let success: Envelope<Value> = read(&json!({ "status": 200, "success": true }));
    assert_eq!(success, Envelope { status: 200, success: true, data: None, error: None });

    let documented = json!({
        "status": 404,
        "success": false,
        "error": {
            "code": "bill-not-found",
            "title": "Bill not found",
            "detail": "No bill 730215548812093317 exists for this product instance.",
            "docUrl": "",
            "traceId": "b7e2f941-0d3c-4c8a-a6e5-15f9d2c3e870"
        }
    });
    let failure: Envelope<Value> = read(&documented);
    assert_eq!((failure.status, failure.success, failure.data), (404, false, None));
    assert_eq!(
        failure.error,
        Some(ErrorBody {
            code: "bill-not-found".into(),
            title: "Bill not found".into(),
            detail: "No bill 730215548812093317 exists for this product instance.".into(),
            doc_url: String::new(),
            trace_id: "b7e2f941-0d3c-4c8a-a6e5-15f9d2c3e870".into(),
        })
    );
}

// ---------------------------------------------------------------------------------------------------------------
// Refunds
// ---------------------------------------------------------------------------------------------------------------

// https://docs.setu.co/payments/upi-deeplinks/refunds#create-refund-api (sample request without split
// instructions): a FULL refund has no `refundAmount`, a PARTIAL one has it.
#[test]
fn refund_batch_is_written_in_the_documented_shape() {
    let documented = json!({
        "refunds": [
            { "seqNo": 1, "identifier": LINK, "identifierType": "BILL_ID", "refundType": "FULL" },
            {
                "seqNo": 2,
                "identifier": "730215611094457202",
                "identifierType": "BILL_ID",
                "refundType": "PARTIAL",
                "refundAmount": { "currencyCode": "INR", "value": 12000 }
            }
        ]
    });
    let ours = RefundBatch {
        refunds: vec![
            RefundItem {
                seq_no: 1,
                identifier: LINK.into(),
                identifier_type: IdentifierType::BillId,
                refund_type: RefundType::Full,
                refund_amount: None,
            },
            RefundItem {
                seq_no: 2,
                identifier: "730215611094457202".into(),
                identifier_type: IdentifierType::BillId,
                refund_type: RefundType::Partial,
                refund_amount: Some(Amount::inr(12000)),
            },
        ],
    };
    let written = write(&ours);
    assert_eq!(shape(&written), shape(&documented));
    assert_eq!(written, documented);
    // The documented fields of a refund item (`refundRequestItem` in the API reference); `deductions` is only for
    // a bill with split settlement, which the adapter never creates.
    let item_fields =
        BTreeSet::from(["seqNo", "identifier", "identifierType", "refundType", "refundAmount", "deductions"]);
    for item in written["refunds"].as_array().expect("an array") {
        assert!(keys(item).is_subset(&item_fields), "{item}");
    }
    assert_eq!(read::<RefundBatch>(&documented), ours);

    assert_eq!(wire::<RefundType>(), BTreeSet::from(["FULL", "PARTIAL"]));
    assert_eq!(wire::<IdentifierType>(), BTreeSet::from(["BILL_ID"]));
    let mut unknown = documented.clone();
    unknown["refunds"][0]["refundType"] = json!("HALF");
    refused::<RefundBatch>(&unknown);
    let mut unknown = documented;
    unknown["refunds"][0]["identifierType"] = json!("TRANSACTION_ID");
    refused::<RefundBatch>(&unknown);
}

// https://docs.setu.co/payments/upi-deeplinks/refunds#create-refund-api (sample response): a batch id, and per
// refund its id, status, `seqNo` and `success` (the `deductions` of a split bill are not read).
#[test]
fn created_refund_batch_reads() {
    let documented = json!({
        "status": 200,
        "success": true,
        "data": {
            "batchID": "d3k8p2qq1n7s0b5e4r9g",
            "refunds": [
                {
                    "amount": { "currencyCode": "INR", "value": 48250 },
                    "billID": LINK,
                    "deductions": [{
                        "account": { "id": "Ujala-Collections-01", "ifsc": "UTIB0000417", "name": "Ujala collections" },
                        "split": { "unit": "INR", "value": 48250 }
                    }],
                    "id": "730216601045771882",
                    "status": "Created",
                    "transactionRefID": "4419027736150284",
                    "seqNo": 1,
                    "success": true
                },
                {
                    "amount": { "currencyCode": "INR", "value": 12000 },
                    "billID": "730215611094457202",
                    "id": "730216601105512937",
                    "status": "Created",
                    "transactionRefID": "4419027736150291",
                    "seqNo": 2,
                    "success": true
                }
            ]
        }
    });
    let answer: Envelope<CreatedRefunds> = read(&documented);
    assert_eq!((answer.status, answer.success, answer.error), (200, true, None));
    assert_eq!(
        answer.data,
        Some(CreatedRefunds {
            batch_id: "d3k8p2qq1n7s0b5e4r9g".into(),
            refunds: vec![
                RefundEntry {
                    amount: Some(Amount::inr(48250)),
                    bill_id: Some(LINK.into()),
                    id: Some("730216601045771882".into()),
                    status: Some(RefundStatus::Created),
                    transaction_ref_id: Some("4419027736150284".into()),
                    seq_no: Some(1),
                    success: Some(true),
                    ..RefundEntry::default()
                },
                RefundEntry {
                    amount: Some(Amount::inr(12000)),
                    bill_id: Some("730215611094457202".into()),
                    id: Some("730216601105512937".into()),
                    status: Some(RefundStatus::Created),
                    transaction_ref_id: Some("4419027736150291".into()),
                    seq_no: Some(2),
                    success: Some(true),
                    ..RefundEntry::default()
                },
            ],
        })
    );
}

// https://docs.setu.co/payments/upi-deeplinks/api-reference (refund batch item): an item Setu refuses carries only
// `seqNo`, `success: false` and the error's `code`, `title` and `detail`.
#[test]
fn a_refused_refund_item_reads() {
    let documented = json!({
        "status": 200,
        "success": true,
        "data": {
            "batchID": "d3k8p2qq1n7s0b5e4r9h",
            "refunds": [{
                "seqNo": 1,
                "success": false,
                "code": "refund-window-closed",
                "title": "Refund not allowed",
                "detail": "The payment is older than the refund window."
            }]
        }
    });
    let answer: Envelope<CreatedRefunds> = read(&documented);
    let item = answer.data.and_then(|d| d.refunds.into_iter().next()).expect("one item");
    assert_eq!(
        item,
        RefundEntry {
            seq_no: Some(1),
            success: Some(false),
            code: Some("refund-window-closed".into()),
            detail: Some("The payment is older than the refund window.".into()),
            ..RefundEntry::default()
        }
    );
}

// https://docs.setu.co/payments/upi-deeplinks/refunds#check-refund-batch-status-api (sample response): no `seqNo`
// or `success`; `createdAt`, `initiatedAt` and `type` are not read.
#[test]
fn refund_batch_status_reads() {
    let documented = json!({
        "status": 200,
        "success": true,
        "data": {
            "refunds": [{
                "amount": { "currencyCode": "INR", "value": 48250 },
                "billID": LINK,
                "createdAt": "2026-11-25T09:02:14.530Z",
                "id": "730216601045771882",
                "initiatedAt": "2026-11-25T18:40:03.117Z",
                "status": "Initiated",
                "transactionRefID": "4419027736150284",
                "type": "MerchantInitiated"
            }]
        }
    });
    let answer: Envelope<RefundBatchStatus> = read(&documented);
    assert_eq!(
        answer.data,
        Some(RefundBatchStatus {
            refunds: vec![RefundEntry {
                amount: Some(Amount::inr(48250)),
                bill_id: Some(LINK.into()),
                id: Some("730216601045771882".into()),
                status: Some(RefundStatus::Initiated),
                transaction_ref_id: Some("4419027736150284".into()),
                seq_no: None,
                success: None,
                ..RefundEntry::default()
            }],
        })
    );
}

// https://docs.setu.co/payments/upi-deeplinks/refunds#what-are-the-different-types-of-refund-statuses: Created,
// Initiated (the last a refund has), Pending and Rejected; any other string is refused.
#[test]
fn refund_statuses_are_the_documented_four() {
    assert_eq!(wire::<RefundStatus>(), BTreeSet::from(["Created", "Initiated", "Pending", "Rejected"]));
    let mut sample = json!({
        "amount": { "currencyCode": "INR", "value": 48250 },
        "billID": LINK,
        "id": "730216601045771882",
        "status": "Created"
    });
    for (s, status) in [
        ("Created", RefundStatus::Created),
        ("Initiated", RefundStatus::Initiated),
        ("Pending", RefundStatus::Pending),
        ("Rejected", RefundStatus::Rejected),
    ] {
        sample["status"] = json!(s);
        assert_eq!(read::<RefundEntry>(&sample).status, Some(status), "{s}");
    }
    for unknown in ["Refunded", "CREATED", "initiated", ""] {
        sample["status"] = json!(unknown);
        refused::<RefundEntry>(&sample);
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Notifications
// ---------------------------------------------------------------------------------------------------------------

// https://docs.setu.co/payments/upi-deeplinks/notifications: the event types the page shows (fulfilment, attempt
// failed, settlement, refund status).
#[test]
fn event_types_are_the_documented_four() {
    assert_eq!(
        wire::<EventType>(),
        BTreeSet::from(["BILL_FULFILMENT_STATUS", "PAYMENT_ATTEMPT_FAILED", "BILL_SETTLEMENT_STATUS", "REFUND_STATUS"])
    );
}

// https://docs.setu.co/payments/upi-deeplinks/notifications#payment-successful-notification: `Reason` capitalised,
// `receiptId`, `transactionId` (the RRN), and the fields only some merchants get (`cardBIN`, `paymentMode`,
// `sourceAccount`).
#[test]
fn payment_successful_notification() {
    let data = json!({
        "Reason": "",
        "amountPaid": { "currencyCode": "INR", "value": 48250 },
        "billerBillID": REFERENCE,
        "payerVpa": PAYER,
        "platformBillID": LINK,
        "receiptId": "HDF5c1e0b7a29d84f6f8e3a41d07b2c9e15",
        "cardBIN": "652150",
        "paymentMode": "Rupay Credit",
        "sourceAccount": { "ifsc": "HDFC0001234", "name": "Meera K", "number": "50100412345678" },
        "status": "PAYMENT_SUCCESSFUL",
        "transactionId": "612904117385",
        "transactionNote": "Electricity bill, consumer 40031",
        "additionalInfo": { "consumer": "40031" }
    });
    let sample =
        notification("BILL_FULFILMENT_STATUS", "3f6b2a90-8d1c-4e57-a2f4-91c0e6d7b835", 1_764_060_388_512, data);

    let read_back: Notification = read(&sample);
    assert_eq!(
        (read_back.partner_details.app_id.as_str(), read_back.partner_details.product_instance_id.as_str()),
        (APP, APP)
    );
    let [event] = read_back.events.as_slice() else { panic!("one event") };
    assert_eq!(
        (event.kind, event.time_stamp, event.id.as_str()),
        (EventType::BillFulfilmentStatus, 1_764_060_388_512, "3f6b2a90-8d1c-4e57-a2f4-91c0e6d7b835")
    );
    let fulfilment: Fulfilment = read(&event.data);
    assert_eq!(
        fulfilment,
        Fulfilment {
            reason: String::new(),
            amount_paid: Amount::inr(48250),
            biller_bill_id: REFERENCE.into(),
            payer_vpa: Some(PAYER.into()),
            platform_bill_id: LINK.into(),
            receipt_id: Some("HDF5c1e0b7a29d84f6f8e3a41d07b2c9e15".into()),
            status: BillStatus::PaymentSuccessful,
            transaction_id: "612904117385".into(),
            transaction_note: Some("Electricity bill, consumer 40031".into()),
            additional_info: info(&[("consumer", "40031")]),
        }
    );

    assert_eq!(
        events_of(&sample).expect("reads"),
        vec![PspEvent::DebitHonoured {
            link: LINK.into(),
            reference: reference(),
            debit: Debit {
                id: "612904117385".into(),
                amount: paise(48250),
                payer_vpa: Some(PAYER.into()),
                rrn: Some("612904117385".into()),
                at: at(1_764_060_388_512),
            },
        }]
    );
}

// https://docs.setu.co/payments/upi-deeplinks/quickstart#get-notified-via-webhook: the quickstart's shorter
// fulfilment (no `Reason`, no `receiptId`, with `amountExactness`); the debit is named by its transaction id (the
// RRN) as in every notice.
#[test]
fn quickstart_fulfilment_notification() {
    let data = json!({
        "amountPaid": { "currencyCode": "INR", "value": 48250 },
        "billerBillID": REFERENCE,
        "platformBillID": LINK,
        "amountExactness": "EXACT",
        "additionalInfo": { "consumer": "40031" },
        "status": "PAYMENT_SUCCESSFUL",
        "payerVpa": PAYER,
        "transactionId": "612904117385"
    });
    let sample =
        notification("BILL_FULFILMENT_STATUS", "a1d40c5e-2b8f-4f19-9c73-6e05b2d8f4a1", 1_764_060_401_007, data);
    assert_eq!(
        events_of(&sample).expect("reads"),
        vec![PspEvent::DebitHonoured {
            link: LINK.into(),
            reference: reference(),
            debit: Debit {
                id: "612904117385".into(),
                amount: paise(48250),
                payer_vpa: Some(PAYER.into()),
                rrn: Some("612904117385".into()),
                at: at(1_764_060_401_007),
            },
        }]
    );
}

fn failed_payment(reason: &str) -> Value {
    notification(
        "BILL_FULFILMENT_STATUS",
        "c9e27a14-6f3b-4d80-b5a2-0e81f7c4d392",
        1_764_060_512_250,
        json!({
            "Reason": reason,
            "amountPaid": { "currencyCode": "INR", "value": 50000 },
            "billerBillID": REFERENCE,
            "payerVpa": PAYER,
            "platformBillID": LINK,
            "receiptId": "HDF0a93e7c1d45b4e2a9f6c8b3d17e05a44",
            "status": "PAYMENT_FAILED",
            "transactionId": "612904117402",
            "transactionNote": "Electricity bill, consumer 40031",
            "additionalInfo": { "consumer": "40031" }
        }),
    )
}

// https://docs.setu.co/payments/upi-deeplinks/notifications#payment-failed-notification: a paid payment Setu
// refuses (and refunds itself), with each documented `Reason`.
#[test]
fn payment_failed_notification_for_each_documented_reason() {
    for (reason, why) in [
        ("Amount validation failed", Returned::WrongAmount),
        ("Payment link has expired", Returned::LinkExpired),
        ("Payment address inactive", Returned::AlreadyPaid),
        ("Missed credit alert", Returned::Other),
        ("TPV check failed", Returned::Other),
    ] {
        assert_eq!(
            events_of(&failed_payment(reason)).expect("reads"),
            vec![PspEvent::DebitReturned {
                link: LINK.into(),
                reference: reference(),
                debit: Debit {
                    id: "612904117402".into(),
                    amount: paise(50000),
                    payer_vpa: Some(PAYER.into()),
                    rrn: Some("612904117402".into()),
                    at: at(1_764_060_512_250),
                },
                why,
            }],
            "{reason}"
        );
    }
}

fn attempt_failed(setu_description: &str) -> Value {
    notification(
        "PAYMENT_ATTEMPT_FAILED",
        "5b82e0d6-1c47-4a9e-8f30-d6a5c21b9e74",
        1_764_060_290_033,
        json!({
            "Reason": "",
            "amountPaid": { "currencyCode": "INR", "value": 48250 },
            "npciStatusCode": "Z9",
            "npciStatusReason": "INSUFFICIENT FUNDS IN CUSTOMER (REMITTER) ACCOUNT",
            "payeeVpa": UPI_ID,
            "payerVpa": PAYER,
            "paymentChannel": "UPI",
            "paymentReferenceNumber": "HDF7d21c0e94b3a4f5e8c6a2b9d01f3e7a2",
            "platformBillID": LINK,
            "setuDescription": setu_description,
            "status": "PAYMENT_ATTEMPT_FAILED",
            "transactionDate": "2026-11-25 14:14:50",
            "transactionId": "612904117371"
        }),
    )
}

// https://docs.setu.co/payments/upi-deeplinks/notifications#payment-attempt-failed-notification: no money moved;
// the reason is Setu's description, or NPCI's reason when Setu gives none.
#[test]
fn payment_attempt_failed_notification() {
    let sample = attempt_failed("Not enough balance in the payer's account.");
    let read_back: Notification = read(&sample);
    assert_eq!(read_back.events[0].kind, EventType::PaymentAttemptFailed);
    assert_eq!(
        read::<AttemptFailed>(&read_back.events[0].data),
        AttemptFailed {
            npci_status_code: "Z9".into(),
            npci_status_reason: "INSUFFICIENT FUNDS IN CUSTOMER (REMITTER) ACCOUNT".into(),
            platform_bill_id: LINK.into(),
            setu_description: "Not enough balance in the payer's account.".into(),
            transaction_id: "612904117371".into(),
        }
    );
    assert_eq!(
        events_of(&sample).expect("reads"),
        vec![PspEvent::AttemptFailed {
            link: LINK.into(),
            reason: "Not enough balance in the payer's account.".into()
        }]
    );
    assert_eq!(
        events_of(&attempt_failed("")).expect("reads"),
        vec![PspEvent::AttemptFailed {
            link: LINK.into(),
            reason: "INSUFFICIENT FUNDS IN CUSTOMER (REMITTER) ACCOUNT".into()
        }]
    );
}

// https://docs.setu.co/payments/upi-deeplinks/notifications#bill-settled-notification: `platformBillIds` are
// numbers; a settlement is nothing the engine acts on.
#[test]
fn settlement_notification_carries_no_event() {
    let sample = notification(
        "BILL_SETTLEMENT_STATUS",
        "e07c3b58-94a2-4d16-b8f1-3a6d0c92e5b7",
        1_764_110_400_118,
        json!({
            "amountSettled": { "currencyCode": "INR", "value": 96500 },
            "platformBillIds": [730_215_548_812_093_317_u64, 730_215_611_094_457_202_u64],
            "status": "SETTLEMENT_SUCCESSFUL",
            "transactionId": "UTIBR52026112500418"
        }),
    );
    assert_eq!(read::<Notification>(&sample).events[0].kind, EventType::BillSettlementStatus);
    assert_eq!(events_of(&sample).expect("reads"), vec![]);
}

fn noticed(batch: &str, bill: &str, transaction: &str, value: u64) -> Value {
    json!({
        "amount": { "currencyCode": "INR", "value": value },
        "batchID": batch,
        "billID": bill,
        "reason": "Initiated by merchant",
        "transactionID": transaction,
        "type": "MerchantInitiated"
    })
}

// https://docs.setu.co/payments/upi-deeplinks/notifications#refund-initiated-notification: refunds grouped under
// `Initiated`, `Pending` and `Rejected`; a merchant's refund names its batch.
#[test]
fn refund_status_notification() {
    let sample = notification(
        "REFUND_STATUS",
        "9a4f17c2-3e6d-4b85-a0c9-7d2e5f81b603",
        1_764_110_460_902,
        json!({
            "amountRefunded": { "currencyCode": "INR", "value": 48250 },
            "refunds": {
                "Initiated": [noticed("d3k8p2qq1n7s0b5e4r9g", LINK, "4419027736150284", 48250)],
                "Pending": [noticed("d3k8q0vb5m2c7e1a9t6h", "730215611094457202", "4419027736150291", 12000)],
                "Rejected": []
            }
        }),
    );
    let data: RefundNotice = read(&read::<Notification>(&sample).events[0].data);
    assert_eq!(data.amount_refunded, Amount::inr(48250));
    assert_eq!((data.refunds.initiated.len(), data.refunds.pending.len(), data.refunds.rejected.len()), (1, 1, 0));
    let first = &data.refunds.initiated[0];
    assert_eq!(
        (first.amount, first.batch_id.as_str(), first.bill_id.as_str(), first.reason.as_str()),
        (Amount::inr(48250), "d3k8p2qq1n7s0b5e4r9g", LINK, "Initiated by merchant")
    );
    assert_eq!((first.transaction_id.as_str(), first.kind), ("4419027736150284", RefundKind::MerchantInitiated));

    assert_eq!(
        events_of(&sample).expect("reads"),
        vec![
            PspEvent::Refund {
                refund: Some("d3k8p2qq1n7s0b5e4r9g".into()),
                link: LINK.into(),
                debit: None,
                state: RefundState::Initiated,
            },
            PspEvent::Refund {
                refund: Some("d3k8q0vb5m2c7e1a9t6h".into()),
                link: "730215611094457202".into(),
                debit: None,
                state: RefundState::Accepted,
            },
        ]
    );
}

// https://docs.setu.co/payments/upi-deeplinks/refunds#what-are-the-different-types-of-refund-statuses: a refund the
// merchant asked Setu to drop is `Rejected`; under that key of a refund notification it is rejected.
#[test]
fn rejected_refund_in_a_notification() {
    let sample = notification(
        "REFUND_STATUS",
        "17c5e9a0-b2d4-4f6e-93a8-c0e1d5b7f249",
        1_764_196_860_441,
        json!({
            "amountRefunded": { "currencyCode": "INR", "value": 0 },
            "refunds": {
                "Initiated": [],
                "Pending": [],
                "Rejected": [noticed("d3k8p2qq1n7s0b5e4r9g", LINK, "4419027736150284", 48250)]
            }
        }),
    );
    assert_eq!(
        events_of(&sample).expect("reads"),
        vec![PspEvent::Refund {
            refund: Some("d3k8p2qq1n7s0b5e4r9g".into()),
            link: LINK.into(),
            debit: None,
            state: RefundState::Rejected,
        }]
    );
}

// https://docs.setu.co/payments/upi-deeplinks/quickstart#get-notified-via-webhook: `events` is an array (usually
// of one); every event is read, in order.
#[test]
fn every_event_of_a_notification_is_read() {
    let mut sample = failed_payment("Payment address inactive");
    let attempt = attempt_failed("Not enough balance in the payer's account.")["events"][0].clone();
    sample["events"].as_array_mut().expect("an array").insert(0, attempt);
    let read_back = events_of(&sample).expect("reads");
    assert_eq!(read_back.len(), 2);
    assert!(matches!(&read_back[0], PspEvent::AttemptFailed { .. }));
    assert!(matches!(&read_back[1], PspEvent::DebitReturned { why: Returned::AlreadyPaid, .. }));
}

// https://docs.setu.co/payments/upi-deeplinks/notifications: what the pages do not show is refused as malformed,
// not read as some default: an unknown event type, fulfilment status, refund type or currency, a fulfilment with a
// link status no payment has, a missing `platformBillID`, a body that is not JSON.
#[test]
fn undocumented_notifications_are_malformed() {
    let mut unknown_type = failed_payment("Amount validation failed");
    unknown_type["events"][0]["type"] = json!("BILL_REFUND_STATUS");
    malformed(&unknown_type);
    refused::<Notification>(&unknown_type);

    for status in ["PAYMENT_PENDING", "payment_successful", "PAYMENT_ATTEMPT_FAILED", "BILL_CREATED", "BILL_EXPIRED"] {
        let mut sample = failed_payment("");
        sample["events"][0]["data"]["status"] = json!(status);
        malformed(&sample);
    }

    let mut dollars = failed_payment("");
    dollars["events"][0]["data"]["amountPaid"]["currencyCode"] = json!("USD");
    malformed(&dollars);

    let mut no_link = failed_payment("");
    no_link["events"][0]["data"].as_object_mut().expect("an object").remove("platformBillID");
    malformed(&no_link);

    let mut no_link = attempt_failed("");
    no_link["events"][0]["data"].as_object_mut().expect("an object").remove("platformBillID");
    malformed(&no_link);

    let mut refund = noticed("d3k8p2qq1n7s0b5e4r9g", LINK, "4419027736150284", 48250);
    refund["type"] = json!("CustomerInitiated");
    let sample = notification(
        "REFUND_STATUS",
        "9a4f17c2-3e6d-4b85-a0c9-7d2e5f81b603",
        1_764_110_460_902,
        json!({ "amountRefunded": { "currencyCode": "INR", "value": 48250 }, "refunds": { "Initiated": [refund] } }),
    );
    malformed(&sample);

    let mut no_stamp = failed_payment("");
    no_stamp["events"][0].as_object_mut().expect("an object").remove("timeStamp");
    malformed(&no_stamp);

    assert!(matches!(events(b"partnerDetails=620917734550128843"), Err(NotificationError::Malformed(_))));
}
