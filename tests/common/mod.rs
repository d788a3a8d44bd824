//! Sample data shaped like the sandbox's: a biller of each kind, its bill, a payment in each status.
#![allow(dead_code)]

#[cfg(target_arch = "wasm32")]
pub mod dom;

use bbps_core::api::{
    AmountOption, Bill, BillQuote, BillerSummary, FailureCode, InfoItem, MobileNumber, Payment, PaymentFailure,
    QuoteKind, Receipt, ReceiptStatus, RefundInfo, RefundReason, RefundStatus, UpiInstructions,
};
use bbps_core::biller::{ModeLimit, ParamGroup, PaymentMode};
use bbps_core::fee::{Charges, FeeDirection, FeeEntry, FeeSlab, FeeTable};
use bbps_core::{
    AmountBounds, ApprovalRef, Biller, BillerId, Category, Channel, ClientSecret, Coverage, CustomerParam, DataType,
    Exactness, FetchRequirement, Paise, PaymentId, PaymentStatus, QuoteId, RefId, Timestamp, TxnRef, UpiLink,
    UpiTxnRef, Vpa,
};
use std::rc::Rc;

use bbps_widget::flow::{Action, Command, Env, Flow, Remote, StartOptions, reduce};
use bbps_widget::i18n::{Locale, Strings};

pub const NOW: &str = "2026-11-25T14:16:28+05:30";

pub fn p(n: u64) -> Paise {
    Paise::new(n).unwrap()
}

pub fn ts(s: &str) -> Timestamp {
    Timestamp::parse(s).unwrap()
}

pub fn env(locale: Locale) -> Env {
    Env {
        locale,
        phone: false,
        android: false,
        now_ms: ts(NOW).unix_millis(),
        nonce: "n0nce".into(),
        api_base: String::new(),
        theme: Default::default(),
        appearance: None,
        closable: false,
    }
}

/// The session the server opens for the sandbox.
pub fn session() -> bbps_core::api::Session {
    bbps_core::api::Session {
        token: "tok_1".into(),
        expires_at: ts("2026-11-25T15:16:28+05:30"),
        merchant_name: "Demo".into(),
        mode: bbps_core::api::Mode::Test,
    }
}

pub fn biller_id() -> BillerId {
    BillerId::parse("MSEDCL000MAH01").unwrap()
}

pub fn consumer_number() -> CustomerParam {
    CustomerParam {
        min_length: Some(10),
        max_length: Some(12),
        regex: Some("[0-9]{10,12}".into()),
        hint: Some("0123456789".into()),
        ..CustomerParam::plain("Consumer Number", DataType::Numeric)
    }
}

/// An electricity biller with one numeric param; fee: ₹5 flat from ₹1,000.
pub fn biller(fetch: FetchRequirement, validation: bool) -> Biller {
    Biller {
        id: biller_id(),
        name: "Maharashtra State Electricity Distribution".into(),
        alias: Some("MSEDCL".into()),
        category: "Electricity".into(),
        coverage: Coverage::State { state: bbps_core::region::State::Maharashtra },
        fetch_requirement: fetch,
        supports_validation: validation,
        exactness: Some(Exactness::ExactAndAbove),
        accepts_adhoc: true,
        mode_limits: vec![ModeLimit { mode: PaymentMode::Upi, min: p(100), max: p(10_000_000) }],
        channel_limits: vec![],
        params: vec![consumer_number()],
        param_groups: vec![],
        additional_info: vec!["Tariff".into()],
        fees: FeeTable(vec![FeeEntry {
            code: "CCF1".into(),
            direction: FeeDirection::C2B,
            slabs: vec![FeeSlab { min_amount: p(100_000), max_amount: p(10_000_000), flat: p(500), percent_bps: 0 }],
        }]),
        availability: Default::default(),
        plans: None,
    }
}

/// A biller with every kind of param: numeric with lengths and a pattern, a fixed list, an alphanumeric
/// pattern, an optional one with a maximum, and an "A or B" group.
pub fn rich_biller() -> Biller {
    let unit = CustomerParam {
        values: Some(vec!["Bhandup".into(), "Thane".into()]),
        ..CustomerParam::plain("Billing Unit", DataType::Alphanumeric)
    };
    let code = CustomerParam {
        regex: Some("^[A-Z]{2}[0-9]{4}$".into()),
        ..CustomerParam::plain("Ward Code", DataType::Alphanumeric)
    };
    let note =
        CustomerParam { optional: true, max_length: Some(5), ..CustomerParam::plain("Note", DataType::Alphanumeric) };
    let mobile = CustomerParam { optional: true, ..CustomerParam::plain("Mobile Number", DataType::Numeric) };
    let email = CustomerParam { optional: true, ..CustomerParam::plain("Email", DataType::Alphanumeric) };
    Biller {
        params: vec![consumer_number(), unit, code, note, mobile, email],
        param_groups: vec![ParamGroup { params: vec!["Mobile Number".into(), "Email".into()] }],
        ..biller(FetchRequirement::Mandatory, false)
    }
}

pub fn summary(b: &Biller) -> BillerSummary {
    BillerSummary::at(b, bbps_core::Timestamp::parse("2026-12-02T10:00:00+05:30").unwrap_or_else(|| unreachable!()))
}

pub fn categories() -> Vec<Category> {
    vec![
        Category { code: "electricity".into(), name: "Electricity".into(), biller_count: 40 },
        Category { code: "water".into(), name: "Water".into(), biller_count: 12 },
        Category { code: "space-travel".into(), name: "Space Travel".into(), biller_count: 1 },
    ]
}

pub fn quote_id() -> QuoteId {
    QuoteId::parse("quo_abcdefghijklmnopqrstuvwx").unwrap()
}

pub fn ref_id() -> RefId {
    RefId::parse("ABCDEFGHIJKLMNOPQRSTUVWXYZ063291416").unwrap()
}

/// A fetched bill of ₹1,234.50, due 20 Nov 2026 (overdue on [`NOW`]), with an early-payment option.
pub fn quote() -> BillQuote {
    let amount = p(123_450);
    BillQuote {
        id: quote_id(),
        kind: QuoteKind::Fetched,
        ref_id: ref_id(),
        biller_id: biller_id(),
        biller_name: "Maharashtra State Electricity Distribution".into(),
        params: vec![InfoItem { name: "Consumer Number".into(), value: "0123456789".into() }],
        bill: Some(Bill {
            amount,
            customer_name: Some("Asha Patil".into()),
            bill_number: Some("BN-2026-11-0042".into()),
            bill_date: Some(time::macros::date!(2026 - 11 - 01)),
            due_date: Some(time::macros::date!(2026 - 11 - 20)),
            bill_period: Some("October 2026".into()),
            amount_options: vec![AmountOption { name: "Early Payment Amount".into(), amount: p(120_000) }],
            additional_info: vec![InfoItem { name: "Tariff".into(), value: "LT-I Residential".into() }],
            amount_rule: Default::default(),
            valid_until: None,
            list: None,
        }),
        customer_name: None,
        exactness: Some(Exactness::ExactAndAbove),
        amount_bounds: AmountBounds {
            min: amount,
            max: p(10_000_000),
            suggested: Some(amount),
            exactness: Some(Exactness::ExactAndAbove),
            rule: Default::default(),
        },
        expires_at: ts("2026-11-25T14:46:28+05:30"),
    }
}

pub fn payment_id() -> PaymentId {
    PaymentId::parse("pay_abcdefghijklmnopqrstuvwx").unwrap()
}

/// The client secret the fake server answers with the payment's creation.
pub const CLIENT_SECRET: &str = "pay_abcdefghijklmnopqrstuvwx_secret_0123456789abcdef0123456789abcdef";

pub fn client_secret() -> ClientSecret {
    ClientSecret::parse(CLIENT_SECRET).unwrap()
}

pub fn upi_link() -> String {
    UpiLink::builder("bbps.sandbox@okaxis", "BBPS Sandbox Collections")
        .txn_ref("BBPSABCDEFGH1234")
        .note("MSEDCL bill 0123456789")
        .amount(p(124_040))
        .mcc("4900")
        .build()
        .unwrap()
        .to_uri()
}

pub fn mobile() -> MobileNumber {
    MobileNumber::parse("9876543210").unwrap()
}

pub fn payment(status: PaymentStatus) -> Payment {
    let charges =
        Charges { bill_amount: p(123_450), convenience_fee: p(500), convenience_fee_gst: p(90), total: p(124_040) };
    let link = upi_link();
    let receipt = Receipt {
        txn_ref: TxnRef::parse("CC01BBPS0000000012AB").unwrap(),
        approval_ref: ApprovalRef::parse("AP-778812").unwrap(),
        biller_id: biller_id(),
        biller_name: "Maharashtra State Electricity Distribution".into(),
        customer_name: Some("Asha Patil".into()),
        params: vec![InfoItem { name: "Consumer Number".into(), value: "0123456789".into() }],
        bill_number: Some("BN-2026-11-0042".into()),
        bill_date: Some(time::macros::date!(2026 - 11 - 01)),
        due_date: Some(time::macros::date!(2026 - 11 - 20)),
        bill_amount: charges.bill_amount,
        convenience_fee: charges.convenience_fee,
        convenience_fee_gst: charges.convenience_fee_gst,
        plan_id: None,
        bills: vec![],
        total: charges.total,
        payment_mode: PaymentMode::Upi,
        channel: Channel::Internet,
        paid_at: ts("2026-11-25T14:18:02+05:30"),
        customer_mobile: mobile(),
        upi_rrn: Some("633012345678".into()),
        status: ReceiptStatus::Success,
    };
    Payment {
        id: payment_id(),
        status,
        ref_id: ref_id(),
        biller_id: biller_id(),
        biller_name: "Maharashtra State Electricity Distribution".into(),
        charges,
        customer_mobile: mobile(),
        channel: Channel::Internet,
        upi: matches!(status, PaymentStatus::Created | PaymentStatus::AwaitingPayment).then(|| UpiInstructions {
            qr_payload: link.clone(),
            link,
            payee_vpa: Vpa::parse("bbps.sandbox@okaxis").unwrap(),
            payee_name: "BBPS Sandbox Collections".into(),
            txn_ref: UpiTxnRef::parse("BBPSABCDEFGH1234").unwrap(),
            amount: charges.total,
            expires_at: ts("2026-11-25T14:31:28+05:30"),
        }),
        receipt: (status == PaymentStatus::Completed).then_some(receipt),
        failure: matches!(
            status,
            PaymentStatus::PaymentFailed
                | PaymentStatus::BillPaymentFailed
                | PaymentStatus::RefundPending
                | PaymentStatus::Refunded
        )
        .then(|| PaymentFailure {
            code: if status == PaymentStatus::PaymentFailed {
                FailureCode::UpiDeclined
            } else {
                FailureCode::BillPaymentFailed
            },
            message: "declined".into(),
            bbps_code: None,
        }),
        refund: matches!(status, PaymentStatus::RefundPending | PaymentStatus::Refunded).then(|| RefundInfo {
            status: if status == PaymentStatus::Refunded { RefundStatus::Refunded } else { RefundStatus::Pending },
            amount: charges.total,
            reason: RefundReason::BillPaymentFailed,
            reference: (status == PaymentStatus::Refunded).then(|| "RFND0001".into()),
            refunded_at: (status == PaymentStatus::Refunded).then(|| ts("2026-11-25T15:00:00+05:30")),
            escalated_at: None,
        }),
        created_at: ts("2026-11-25T14:16:30+05:30"),
        updated_at: ts("2026-11-25T14:18:02+05:30"),
        client_secret: None,
    }
}

/// Applies actions in order, returning the commands of the last one.
pub fn run(flow: &mut Flow, actions: impl IntoIterator<Item = Action>) -> Vec<Command> {
    let mut last = Vec::new();
    for a in actions {
        last = reduce(flow, a);
    }
    last
}

/// A language's texts, as the server sends them.
pub fn strings(locale: Locale) -> Rc<Strings> {
    Rc::new(Strings::builtin(locale))
}

/// Switches the flow to `locale`, its texts arriving as the server would send them.
pub fn set_locale(f: &mut Flow, locale: Locale) {
    reduce(f, Action::SetLocale(locale));
    reduce(f, Action::StringsLoaded(strings(locale)));
}

/// A flow past session start, at the category grid.
pub fn started(locale: Locale) -> Flow {
    let mut f = Flow::new(env(locale));
    run(
        &mut f,
        [
            Action::Start(StartOptions::default()),
            Action::StringsLoaded(strings(locale)),
            Action::SessionReady(bbps_core::api::Mode::Test),
        ],
    );
    f.catalogue.categories = Remote::Ready(categories());
    f
}

/// A flow on the customer-details form of `b`.
pub fn on_form(b: Biller) -> Flow {
    let mut f = started(Locale::En);
    run(
        &mut f,
        [Action::PickCategory("electricity".into()), Action::PickBiller(b.id.clone()), Action::BillerLoaded(b)],
    );
    f
}

pub fn type_param(name: &str, value: &str) -> Action {
    Action::ParamInput { name: name.into(), value: value.into() }
}

/// The mobile number on the biller's form (a bill fetch carries it).
pub fn type_mobile() -> Action {
    Action::MobileInput("98765 43210".into())
}
