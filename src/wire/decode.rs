//! Reads bbps-core's types from a [`Json`] tree, each by a few lines of non-generic code. A value that does not
//! fit is a [`DecodeError`] that names where it is (`payment.receipt.status`, `items[3].biller_id`).
//!
//! The decoders return `Option`; the one that finds a value that does not fit notes which value it was in a
//! [`Trail`], and the path to it is worked out from the tree once, after the fact. Measured before wasm-opt, a
//! `Result` carrying the error out through every field cost about 20 KB more wasm, and adding each field's name
//! to it on the way out about 3 KB more, for a path that only a failure ever needs.

use std::collections::BTreeMap;
use std::{fmt, ptr};

use bbps_core::amount::AmountBounds;
use bbps_core::api::{
    AmountOption, Bill, BillQuote, BillerPage, BillerSummary, CategoryList, Complaint, ComplaintHistoryEntry,
    ComplaintSubject, FailureCode, InfoItem, MobileNumber, Mode, Payment, PaymentEvent, PaymentFailure, PlanList,
    QuoteKind, Receipt, ReceiptStatus, RefundInfo, RefundReason, RefundStatus, Session, TrackingAccess,
    TrackingCodeSent, TransactionList, TransactionSummary, UpiInstructions,
};
use bbps_core::appearance::{self, AppearanceInput};
use bbps_core::bill_list::{BillItem, BillList, BillSelection};
use bbps_core::biller::{ChannelLimit, ModeLimit, ParamGroup, PaymentMode};
use bbps_core::complaint::{ComplaintStatus, Disposition, ServiceReason, ServiceTarget, TicketType};
use bbps_core::fee::{Charges, FeeDirection, FeeEntry, FeeSlab, FeeTable};
use bbps_core::plan::{Plan, PlanRequirement};
use bbps_core::region::State;
use bbps_core::{
    AgentId, AmountRule, ApiError, ApprovalRef, Availability, Biller, BillerId, Category, Channel, ClientSecret,
    ComplaintId, Coverage, CustomerParam, DataType, ErrorCode, Exactness, FetchRequirement, FieldError, OtpChallengeId,
    Paise, ParamErrorCode, Pause, PaymentId, PaymentStatus, PlanId, QuoteId, RefId, Timestamp, TxnRef, UpiTxnRef, Vpa,
    WireEnum,
};
use time::Date;

use super::json::{Json, parse};
use crate::page::PageData;

/// Why an answer did not read: the path to the value that did not fit and, in debug builds, what was wrong with
/// it (`payment.receipt.status: "DONE" is not a ReceiptStatus; expected one of SUCCESS, PENDING`). Release builds
/// keep the path only: the words would cost bytes of wasm that no customer reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    path: String,
    #[cfg(debug_assertions)]
    why: String,
}

impl DecodeError {
    /// Where the value that did not fit is: `payment.receipt.status`, `items[3].biller_id`; empty for the
    /// document itself.
    pub fn path(&self) -> &str {
        &self.path
    }

    fn place(&self) -> &str {
        if self.path.is_empty() { "the answer" } else { &self.path }
    }
}

impl fmt::Display for DecodeError {
    #[cfg(debug_assertions)]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.place(), self.why)
    }

    #[cfg(not(debug_assertions))]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} does not fit", self.place())
    }
}

/// What a failed decoder leaves for [`decode`] to report: the value of the document that did not fit, and (for
/// a member that is not there at all) the object it is missing from.
#[derive(Default)]
pub struct Trail<'a> {
    failed: Option<&'a Json>,
    /// The latest member looked for and not found: when the value that failed is [`ABSENT`], it is this one.
    missing: Option<(&'a Json, &'static str)>,
    #[cfg(debug_assertions)]
    why: String,
}

/// What a member that is not there reads as: `null`, as serde reads a missing `Option`.
static ABSENT: Json = Json::Null;

impl<'a> Trail<'a> {
    /// Notes that `value` does not fit and why (in debug builds; `why` is not run in release), and gives the
    /// `None` that says so.
    fn fail<T>(&mut self, value: &'a Json, why: impl FnOnce() -> String) -> Option<T> {
        self.failed = Some(value);
        #[cfg(debug_assertions)]
        {
            self.why = why();
        }
        #[cfg(not(debug_assertions))]
        let _ = why;
        None
    }

    /// The failure, its value found in `root`.
    fn into_error(self, root: &Json) -> DecodeError {
        let mut path = String::new();
        match (self.failed, self.missing) {
            (Some(value), Some((object, key))) if ptr::eq(value, &ABSENT) => {
                locate(root, object, &mut path);
                push_member(&mut path, key);
            }
            (Some(value), _) => {
                locate(root, value, &mut path);
            }
            (None, _) => {}
        }
        DecodeError {
            path,
            #[cfg(debug_assertions)]
            why: self.why,
        }
    }
}

fn push_member(path: &mut String, key: &str) {
    if !path.is_empty() {
        path.push('.');
    }
    path.push_str(key);
}

/// Appends the path from `node` to `target` (by address) to `path`; `false`, with `path` as it was, when
/// `target` is not under `node`.
fn locate(node: &Json, target: &Json, path: &mut String) -> bool {
    if ptr::eq(node, target) {
        return true;
    }
    let at = path.len();
    match node {
        Json::Obj(members) => {
            for (key, value) in members {
                push_member(path, key);
                if locate(value, target, path) {
                    return true;
                }
                path.truncate(at);
            }
        }
        Json::Arr(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push_str(&format!("[{i}]"));
                if locate(item, target, path) {
                    return true;
                }
                path.truncate(at);
            }
        }
        Json::Null | Json::Bool(_) | Json::Num(_) | Json::Str(_) => {}
    }
    false
}

/// A type read from a [`Json`] value: `None` when it does not fit, noted in the [`Trail`].
pub trait Decode: Sized {
    fn decode<'a>(j: &'a Json, trail: &mut Trail<'a>) -> Option<Self>;
}

/// Reads a whole answer.
pub fn decode<T: Decode>(text: &str) -> Result<T, DecodeError> {
    let Some(json) = parse(text) else {
        return Err(DecodeError {
            path: String::new(),
            #[cfg(debug_assertions)]
            why: "not JSON".to_owned(),
        });
    };
    let mut trail = Trail::default();
    T::decode(&json, &mut trail).ok_or_else(|| trail.into_error(&json))
}

/// The member `key` of an object, read as `T`.
fn field<'a, T: Decode>(j: &'a Json, key: &'static str, t: &mut Trail<'a>) -> Option<T> {
    T::decode(member(j, key, t), t)
}

/// The member `key` of an object; a missing member reads as `null` ([`ABSENT`]), as serde reads a missing
/// `Option`.
fn member<'a>(j: &'a Json, key: &'static str, t: &mut Trail<'a>) -> &'a Json {
    j.get(key).unwrap_or_else(|| {
        t.missing = Some((j, key));
        &ABSENT
    })
}

/// What kind of JSON value `j` is, for the words of an error.
fn shape(j: &Json) -> &'static str {
    match j {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Num(_) => "a number",
        Json::Str(_) => "a string",
        Json::Arr(_) => "an array",
        Json::Obj(_) => "an object",
    }
}

fn expected<'a, T>(what: &'static str, j: &'a Json, t: &mut Trail<'a>) -> Option<T> {
    t.fail(j, || format!("expected {what}, found {}", shape(j)))
}

fn object<'a>(j: &'a Json, t: &mut Trail<'a>) -> Option<()> {
    match j {
        Json::Obj(_) => Some(()),
        other => expected("an object", other, t),
    }
}

fn text<'a>(j: &'a Json, t: &mut Trail<'a>) -> Option<&'a str> {
    match j {
        Json::Str(s) => Some(s),
        other => expected("a string", other, t),
    }
}

/// A string that `read` turns into a `T`, or refuses as not being `what`.
fn read<'a, T>(j: &'a Json, what: &'static str, read: impl FnOnce(&str) -> Option<T>, t: &mut Trail<'a>) -> Option<T> {
    let s = text(j, t)?;
    read(s).or_else(|| t.fail(j, || format!("{s:?} is not {what}")))
}

impl<T: Decode> Decode for Option<T> {
    fn decode<'a>(j: &'a Json, t: &mut Trail<'a>) -> Option<Self> {
        match j {
            Json::Null => Some(None),
            j => T::decode(j, t).map(Some),
        }
    }
}

impl<T: Decode> Decode for Vec<T> {
    fn decode<'a>(j: &'a Json, t: &mut Trail<'a>) -> Option<Self> {
        let Json::Arr(items) = j else { return expected("an array", j, t) };
        // A plain loop: `collect::<Option<Vec<_>>>` costs noticeably more code per element type.
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            out.push(T::decode(item, t)?);
        }
        Some(out)
    }
}

impl Decode for String {
    fn decode<'a>(j: &'a Json, t: &mut Trail<'a>) -> Option<Self> {
        text(j, t).map(str::to_owned)
    }
}

impl Decode for bool {
    fn decode<'a>(j: &'a Json, t: &mut Trail<'a>) -> Option<Self> {
        match j {
            Json::Bool(b) => Some(*b),
            other => expected("a boolean", other, t),
        }
    }
}

macro_rules! integers {
    ($($t:ty),*) => {$(
        impl Decode for $t {
            fn decode<'a>(j: &'a Json, t: &mut Trail<'a>) -> Option<Self> {
                match j {
                    Json::Num(n) => n.parse().ok().or_else(|| {
                        t.fail(j, || format!("{n} is not a whole number of type {}", stringify!($t)))
                    }),
                    other => expected("a number", other, t),
                }
            }
        }
    )*};
}
integers!(u16, u32, u64);

impl Decode for Paise {
    fn decode<'a>(j: &'a Json, t: &mut Trail<'a>) -> Option<Self> {
        let n = u64::decode(j, t)?;
        Paise::new(n).or_else(|| t.fail(j, || format!("{n} paise is out of range")))
    }
}

impl Decode for Timestamp {
    fn decode<'a>(j: &'a Json, t: &mut Trail<'a>) -> Option<Self> {
        read(j, "an RFC 3339 instant", Timestamp::parse, t)
    }
}

impl Decode for Date {
    fn decode<'a>(j: &'a Json, t: &mut Trail<'a>) -> Option<Self> {
        read(j, "a YYYY-MM-DD date", bbps_core::clock::parse_date, t)
    }
}

impl Decode for MobileNumber {
    fn decode<'a>(j: &'a Json, t: &mut Trail<'a>) -> Option<Self> {
        read(j, "a mobile number", MobileNumber::parse, t)
    }
}

impl Decode for BTreeMap<String, String> {
    fn decode<'a>(j: &'a Json, t: &mut Trail<'a>) -> Option<Self> {
        let Json::Obj(members) = j else { return expected("an object", j, t) };
        let mut out = BTreeMap::new();
        for (k, v) in members {
            let Json::Str(s) = v else { return t.fail(v, || format!("{} is not a string", shape(v))) };
            out.insert(k.clone(), s.clone());
        }
        Some(out)
    }
}

/// Types whose wire form is a string their own `parse` checks.
macro_rules! parsed {
    ($($t:ty),*) => {$(
        impl Decode for $t {
            fn decode<'a>(j: &'a Json, t: &mut Trail<'a>) -> Option<Self> {
                match <$t>::parse(text(j, t)?) {
                    Ok(v) => Some(v),
                    Err(why) => t.fail(j, || why.to_string()),
                }
            }
        }
    )*};
}
parsed!(
    BillerId,
    AgentId,
    RefId,
    TxnRef,
    ComplaintId,
    ApprovalRef,
    PaymentId,
    QuoteId,
    Vpa,
    UpiTxnRef,
    ClientSecret,
    OtpChallengeId,
    PlanId
);

/// Any wire enum, by its own `parse`: the wire names live in bbps-core's one declaration of each enum.
fn wire_enum<'a, T: WireEnum>(j: &'a Json, t: &mut Trail<'a>) -> Option<T> {
    match T::parse(text(j, t)?) {
        Ok(v) => Some(v),
        Err(unknown) => t.fail(j, || unknown.to_string()),
    }
}

macro_rules! wire_enums {
    ($($t:ty),* $(,)?) => {
        $(
            impl Decode for $t {
                fn decode<'a>(j: &'a Json, t: &mut Trail<'a>) -> Option<Self> {
                    wire_enum(j, t)
                }
            }
        )*

        /// The wire enums read here, by name: `tests/wire.rs` holds every variant of each to serde.
        pub const DECODED_ENUMS: &[&str] = &[$(<$t as WireEnum>::NAME),*];
    };
}

wire_enums!(
    Mode,
    appearance::Theme,
    FetchRequirement,
    Exactness,
    Channel,
    PaymentMode,
    DataType,
    FeeDirection,
    QuoteKind,
    ReceiptStatus,
    RefundStatus,
    RefundReason,
    FailureCode,
    ParamErrorCode,
    PaymentStatus,
    ComplaintStatus,
    TicketType,
    State,
    PlanRequirement,
    BillSelection,
    ErrorCode,
    Disposition,
    ServiceReason,
);

/// Structs: each field read by name.
macro_rules! record {
    ($t:ident { $($f:ident),* $(,)? }) => {
        impl Decode for $t {
            fn decode<'a>(j: &'a Json, t: &mut Trail<'a>) -> Option<Self> {
                object(j, t)?;
                Some($t { $($f: field(j, stringify!($f), t)?,)* })
            }
        }
    };
}

record!(Session { token, expires_at, merchant_name, mode });
record!(Category { code, name, biller_count });
record!(CategoryList { categories });
record!(PageData { session, categories, locale, strings });
record!(BillerSummary { id, name, alias, category, coverage, fetch_requirement, unavailable_until });
record!(BillerPage { items, total, page, per_page });
record!(ModeLimit { mode, min, max });
record!(ChannelLimit { channel, min, max });
record!(CustomerParam { name, data_type, optional, min_length, max_length, regex, values, hint });
record!(ParamGroup { params });
record!(FeeSlab { min_amount, max_amount, flat, percent_bps });
record!(FeeEntry { code, direction, slabs });
record!(Biller {
    id,
    name,
    alias,
    category,
    coverage,
    fetch_requirement,
    supports_validation,
    exactness,
    accepts_adhoc,
    mode_limits,
    channel_limits,
    params,
    param_groups,
    additional_info,
    fees,
    availability,
    plans,
});
record!(Availability { from, until, paused });
record!(Pause { start, end });
record!(AmountOption { name, amount });
record!(InfoItem { name, value });
record!(Bill {
    amount,
    customer_name,
    bill_number,
    bill_date,
    due_date,
    bill_period,
    amount_options,
    additional_info,
    amount_rule,
    valid_until,
    list
});
record!(BillItem { bill_number, amount, due_date, bill_period });
record!(BillList { selection, items });
record!(AmountRule { min, max, multiple });
record!(Plan {
    id,
    biller_id,
    category,
    sub_categories,
    amount,
    description,
    validity,
    benefits,
    effective_from,
    effective_to
});
record!(PlanList { categories, items });
record!(AmountBounds { min, max, suggested, exactness, rule });
record!(BillQuote {
    id,
    kind,
    ref_id,
    biller_id,
    biller_name,
    params,
    bill,
    customer_name,
    exactness,
    amount_bounds,
    expires_at
});
record!(Charges { bill_amount, convenience_fee, convenience_fee_gst, total });
record!(UpiInstructions { link, qr_payload, payee_vpa, payee_name, txn_ref, amount, expires_at });
record!(Receipt {
    txn_ref,
    approval_ref,
    biller_id,
    biller_name,
    customer_name,
    params,
    bill_number,
    bill_date,
    due_date,
    bill_amount,
    convenience_fee,
    convenience_fee_gst,
    plan_id,
    bills,
    total,
    payment_mode,
    channel,
    paid_at,
    customer_mobile,
    upi_rrn,
    status,
});
record!(RefundInfo { status, amount, reason, reference, refunded_at, escalated_at });
record!(PaymentFailure { code, message, bbps_code });
record!(Payment {
    id,
    status,
    ref_id,
    biller_id,
    biller_name,
    charges,
    customer_mobile,
    channel,
    upi,
    receipt,
    failure,
    refund,
    created_at,
    updated_at,
    client_secret,
});
record!(PaymentEvent { payment });
record!(TransactionSummary {
    payment_id,
    txn_ref,
    biller_id,
    biller_name,
    status,
    charges,
    customer_mobile_masked,
    created_at,
    paid_at,
});
record!(TransactionList { items });
record!(TrackingCodeSent { challenge_id, mobile_masked, expires_at, resend_at });
record!(TrackingAccess { tracking_token, mobile_masked, expires_at });
record!(ComplaintHistoryEntry { status, at, remarks });
record!(Complaint {
    id,
    subject,
    ticket_type,
    resolve_by,
    description,
    status,
    assigned_to,
    remarks,
    created_at,
    updated_at,
    reopened_at,
    history,
});

/// A merchant's `appearance` option: `variables` may be left out.
impl Decode for AppearanceInput {
    fn decode<'a>(j: &'a Json, t: &mut Trail<'a>) -> Option<Self> {
        object(j, t)?;
        Some(AppearanceInput {
            theme: field(j, "theme", t)?,
            variables: field::<Option<BTreeMap<String, String>>>(j, "variables", t)?.unwrap_or_default(),
        })
    }
}

impl Decode for FeeTable {
    fn decode<'a>(j: &'a Json, t: &mut Trail<'a>) -> Option<Self> {
        Vec::decode(j, t).map(FeeTable)
    }
}

/// `{"kind": "...", ...}`: the tag of serde's internally tagged enums, and its value.
fn kind<'a>(j: &'a Json, t: &mut Trail<'a>) -> Option<(&'a str, &'a Json)> {
    object(j, t)?;
    let tag = member(j, "kind", t);
    Some((text(tag, t)?, tag))
}

fn unknown_kind<'a, T>(kind: &str, tag: &'a Json, t: &mut Trail<'a>) -> Option<T> {
    t.fail(tag, || format!("{kind:?} is not a kind this type has"))
}

impl Decode for Coverage {
    fn decode<'a>(j: &'a Json, t: &mut Trail<'a>) -> Option<Self> {
        let (kind, tag) = kind(j, t)?;
        Some(match kind {
            "national" => Coverage::National,
            "state" => Coverage::State { state: field(j, "state", t)? },
            "city" => Coverage::City { state: field(j, "state", t)?, city: field(j, "city", t)? },
            other => return unknown_kind(other, tag, t),
        })
    }
}

impl Decode for ServiceTarget {
    fn decode<'a>(j: &'a Json, t: &mut Trail<'a>) -> Option<Self> {
        let (kind, tag) = kind(j, t)?;
        Some(match kind {
            "biller" => ServiceTarget::Biller { biller_id: field(j, "biller_id", t)? },
            "agent" => ServiceTarget::Agent { agent_id: field(j, "agent_id", t)? },
            other => return unknown_kind(other, tag, t),
        })
    }
}

impl Decode for ComplaintSubject {
    fn decode<'a>(j: &'a Json, t: &mut Trail<'a>) -> Option<Self> {
        let (kind, tag) = kind(j, t)?;
        Some(match kind {
            "transaction" => ComplaintSubject::Transaction {
                txn_ref: field(j, "txn_ref", t)?,
                disposition: field(j, "disposition", t)?,
            },
            "service" => ComplaintSubject::Service { target: field(j, "target", t)?, reason: field(j, "reason", t)? },
            other => return unknown_kind(other, tag, t),
        })
    }
}

/// One field's error of the envelope: `group` may be absent (serde skips it when empty).
impl Decode for FieldError {
    fn decode<'a>(j: &'a Json, t: &mut Trail<'a>) -> Option<Self> {
        object(j, t)?;
        Some(FieldError {
            field: field(j, "field", t)?,
            code: field(j, "code", t)?,
            limit: field(j, "limit", t)?,
            group: field::<Option<Vec<String>>>(j, "group", t)?.unwrap_or_default(),
        })
    }
}

/// The error envelope: `errors` may be absent (serde skips it when empty).
impl Decode for ApiError {
    fn decode<'a>(j: &'a Json, t: &mut Trail<'a>) -> Option<Self> {
        object(j, t)?;
        Some(ApiError {
            code: field(j, "code", t)?,
            message: field(j, "message", t)?,
            field: field(j, "field", t)?,
            errors: field::<Option<Vec<FieldError>>>(j, "errors", t)?.unwrap_or_default(),
            bbps_code: field(j, "bbps_code", t)?,
            retry_after: field(j, "retry_after", t)?,
        })
    }
}
