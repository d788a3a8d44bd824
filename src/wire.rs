//! Reads the API's JSON answers into bbps-core's types, and writes the request bodies ([`encode`]).
//!
//! Why not `serde_json::from_str`: serde's derives generate a visitor per type, monomorphized against the JSON
//! parser (and, for internally tagged enums, against a buffering deserializer). For the dozen answers the widget
//! reads that came to about 100 KB of gzipped wasm, a third of the whole widget. Here one small parser builds a
//! [`Json`] tree and each type is read from it by a few lines of non-generic code. The shapes must stay those of
//! bbps-core's serde attributes: `tests/wire.rs` serializes sample values of every type with serde and checks
//! that they read back equal, so a change in bbps-core that this module misses fails the tests.
//!
//! Numbers are kept as their text and read as integers only: money is paise, and nothing in the API is a float.

use std::collections::BTreeMap;

use bbps_core::amount::AmountBounds;
use bbps_core::api::{
    AmountOption, Bill, BillQuote, BillerPage, BillerSummary, CategoryList, Complaint, ComplaintHistoryEntry,
    ComplaintSubject, CreatePaymentRequest, CreateSessionRequest, FetchBillRequest, InfoItem, MobileNumber, Mode,
    Payment, PaymentEvent, PaymentFailure, PaymentSource, QuoteKind, RaiseComplaintRequest, Receipt, RefundInfo,
    RefundStatus, Session, TransactionList, TransactionSummary, UpiInstructions,
};
use bbps_core::appearance::{self, AppearanceInput};
use bbps_core::biller::{ChannelLimit, ModeLimit, ParamGroup, PaymentMode};
use bbps_core::complaint::{ComplaintStatus, Disposition, ServiceReason, ServiceTarget};
use bbps_core::fee::{Charges, FeeDirection, FeeEntry, FeeSlab, FeeTable};
use bbps_core::{
    ApiError, ApprovalRef, Biller, BillerId, Category, Channel, ComplaintId, Coverage, CustomerParam, DataType,
    ErrorCode, Exactness, FetchRequirement, FieldError, Paise, ParamErrorCode, ParamValues, PaymentId, PaymentStatus,
    QuoteId, RefId, Timestamp, TxnRef, UpiTxnRef, Vpa,
};
use time::Date;

/// A parsed JSON value. Objects keep their members in order; lookups are linear, which suits objects of a few
/// dozen members.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Json {
    Null,
    Bool(bool),
    /// The number's text, exactly as sent.
    Num(String),
    Str(String),
    Arr(Vec<Json>),
    Obj(Vec<(String, Json)>),
}

static NULL: Json = Json::Null;

impl Json {
    /// The member `key` of an object; `null` when absent (as serde reads a missing `Option`).
    pub fn get(&self, key: &str) -> &Json {
        match self {
            Json::Obj(members) => members.iter().find(|(k, _)| k == key).map_or(&NULL, |(_, v)| v),
            _ => &NULL,
        }
    }

    pub fn str(&self) -> Option<&str> {
        match self {
            Json::Str(s) => Some(s),
            _ => None,
        }
    }

    fn field<T: Decode>(&self, key: &str) -> Option<T> {
        T::decode(self.get(key))
    }
}

/// Parses a JSON document; `None` if it is not valid JSON.
pub fn parse(text: &str) -> Option<Json> {
    let mut p = Parser { s: text.as_bytes(), i: 0 };
    let v = p.value(0)?;
    p.ws();
    (p.i == p.s.len()).then_some(v)
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

/// Deeper nesting than any answer of the API has; a bound keeps a hostile body from exhausting the stack.
const MAX_DEPTH: u32 = 64;

impl Parser<'_> {
    fn ws(&mut self) {
        while self.s.get(self.i).is_some_and(|b| matches!(b, b' ' | b'\n' | b'\r' | b'\t')) {
            self.i += 1;
        }
    }

    fn eat(&mut self, b: u8) -> bool {
        self.ws();
        let hit = self.s.get(self.i) == Some(&b);
        self.i += usize::from(hit);
        hit
    }

    fn literal(&mut self, word: &str, v: Json) -> Option<Json> {
        let end = self.i + word.len();
        (self.s.get(self.i..end) == Some(word.as_bytes())).then(|| {
            self.i = end;
            v
        })
    }

    fn value(&mut self, depth: u32) -> Option<Json> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.ws();
        match *self.s.get(self.i)? {
            b'n' => self.literal("null", Json::Null),
            b't' => self.literal("true", Json::Bool(true)),
            b'f' => self.literal("false", Json::Bool(false)),
            b'"' => self.string().map(Json::Str),
            b'[' => {
                self.i += 1;
                let mut items = Vec::new();
                if !self.eat(b']') {
                    loop {
                        items.push(self.value(depth + 1)?);
                        if self.eat(b']') {
                            break;
                        }
                        if !self.eat(b',') {
                            return None;
                        }
                    }
                }
                Some(Json::Arr(items))
            }
            b'{' => {
                self.i += 1;
                let mut members = Vec::new();
                if !self.eat(b'}') {
                    loop {
                        self.ws();
                        let key = self.string()?;
                        if !self.eat(b':') {
                            return None;
                        }
                        members.push((key, self.value(depth + 1)?));
                        if self.eat(b'}') {
                            break;
                        }
                        if !self.eat(b',') {
                            return None;
                        }
                    }
                }
                Some(Json::Obj(members))
            }
            b'-' | b'0'..=b'9' => {
                let start = self.i;
                while self.s.get(self.i).is_some_and(|b| matches!(b, b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')) {
                    self.i += 1;
                }
                std::str::from_utf8(&self.s[start..self.i]).ok().map(|n| Json::Num(n.to_owned()))
            }
            _ => None,
        }
    }

    fn hex4(&mut self) -> Option<u32> {
        let h = std::str::from_utf8(self.s.get(self.i..self.i + 4)?).ok()?;
        self.i += 4;
        u32::from_str_radix(h, 16).ok()
    }

    fn string(&mut self) -> Option<String> {
        if self.s.get(self.i) != Some(&b'"') {
            return None;
        }
        self.i += 1;
        let mut out: Vec<u8> = Vec::new();
        loop {
            let b = *self.s.get(self.i)?;
            self.i += 1;
            match b {
                b'"' => return String::from_utf8(out).ok(),
                b'\\' => {
                    let e = *self.s.get(self.i)?;
                    self.i += 1;
                    let c = match e {
                        b'"' | b'\\' | b'/' => char::from(e),
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let hi = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&hi) {
                                if self.s.get(self.i..self.i + 2) != Some(b"\\u") {
                                    return None;
                                }
                                self.i += 2;
                                let lo = self.hex4()?;
                                0x10000 + ((hi - 0xD800) << 10) + lo.checked_sub(0xDC00)?
                            } else {
                                hi
                            };
                            char::from_u32(code)?
                        }
                        _ => return None,
                    };
                    let mut buf = [0; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
                0..=0x1f => return None,
                _ => out.push(b),
            }
        }
    }
}

/// A type read from a [`Json`] value; `None` when the value does not fit.
pub trait Decode: Sized {
    fn decode(j: &Json) -> Option<Self>;
}

/// Reads a whole answer.
pub fn decode<T: Decode>(text: &str) -> Option<T> {
    T::decode(&parse(text)?)
}

impl<T: Decode> Decode for Option<T> {
    fn decode(j: &Json) -> Option<Self> {
        match j {
            Json::Null => Some(None),
            j => T::decode(j).map(Some),
        }
    }
}

impl<T: Decode> Decode for Vec<T> {
    fn decode(j: &Json) -> Option<Self> {
        let Json::Arr(items) = j else { return None };
        // A plain loop: `collect::<Option<Vec<_>>>` costs noticeably more code per element type.
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            out.push(T::decode(item)?);
        }
        Some(out)
    }
}

impl Decode for String {
    fn decode(j: &Json) -> Option<Self> {
        j.str().map(str::to_owned)
    }
}

impl Decode for bool {
    fn decode(j: &Json) -> Option<Self> {
        match j {
            Json::Bool(b) => Some(*b),
            _ => None,
        }
    }
}

macro_rules! integers {
    ($($t:ty),*) => {$(
        impl Decode for $t {
            fn decode(j: &Json) -> Option<Self> {
                match j {
                    Json::Num(n) => n.parse().ok(),
                    _ => None,
                }
            }
        }
    )*};
}
integers!(u16, u32, u64);

impl Decode for Paise {
    fn decode(j: &Json) -> Option<Self> {
        Paise::new(u64::decode(j)?)
    }
}

impl Decode for Timestamp {
    fn decode(j: &Json) -> Option<Self> {
        Timestamp::parse(j.str()?)
    }
}

impl Decode for Date {
    fn decode(j: &Json) -> Option<Self> {
        bbps_core::clock::parse_date(j.str()?)
    }
}

impl Decode for BTreeMap<String, String> {
    fn decode(j: &Json) -> Option<Self> {
        let Json::Obj(members) = j else { return None };
        let mut out = BTreeMap::new();
        for (k, v) in members {
            out.insert(k.clone(), v.str()?.to_owned());
        }
        Some(out)
    }
}

/// Types whose wire form is a string their own `parse` checks.
macro_rules! parsed {
    ($($t:ty),*) => {$(
        impl Decode for $t {
            fn decode(j: &Json) -> Option<Self> {
                <$t>::parse(j.str()?).ok()
            }
        }
    )*};
}
parsed!(BillerId, RefId, TxnRef, ComplaintId, ApprovalRef, PaymentId, QuoteId, Vpa, UpiTxnRef);

impl Decode for MobileNumber {
    fn decode(j: &Json) -> Option<Self> {
        MobileNumber::parse(j.str()?)
    }
}

/// Enums whose wire form is one of a fixed set of strings.
macro_rules! named {
    ($t:ty { $($wire:literal => $v:expr,)* }) => {
        impl Decode for $t {
            fn decode(j: &Json) -> Option<Self> {
                Some(match j.str()? {
                    $($wire => $v,)*
                    _ => return None,
                })
            }
        }
    };
}
named!(Mode { "test" => Mode::Test, "live" => Mode::Live, });
named!(appearance::Theme { "light" => appearance::Theme::Light, "dark" => appearance::Theme::Dark, });
named!(FetchRequirement {
    "MANDATORY" => FetchRequirement::Mandatory,
    "OPTIONAL" => FetchRequirement::Optional,
    "NOT_SUPPORTED" => FetchRequirement::NotSupported,
});
named!(Exactness {
    "exact" => Exactness::Exact,
    "exact_and_above" => Exactness::ExactAndAbove,
    "exact_and_below" => Exactness::ExactAndBelow,
});
named!(Channel { "INT" => Channel::Internet, "MOB" => Channel::Mobile, });
named!(PaymentMode {
    "UPI" => PaymentMode::Upi,
    "Debit Card" => PaymentMode::DebitCard,
    "Credit Card" => PaymentMode::CreditCard,
    "Internet Banking" => PaymentMode::InternetBanking,
    "Wallet" => PaymentMode::Wallet,
});
named!(DataType { "NUMERIC" => DataType::Numeric, "ALPHANUMERIC" => DataType::Alphanumeric, });
named!(FeeDirection { "C2B" => FeeDirection::C2B, "B2C" => FeeDirection::B2C, });
named!(QuoteKind { "fetched" => QuoteKind::Fetched, "validated" => QuoteKind::Validated, });
named!(RefundStatus { "pending" => RefundStatus::Pending, "refunded" => RefundStatus::Refunded, });
named!(ParamErrorCode {
    "param_missing" => ParamErrorCode::ParamMissing,
    "param_too_short" => ParamErrorCode::ParamTooShort,
    "param_too_long" => ParamErrorCode::ParamTooLong,
    "param_not_numeric" => ParamErrorCode::ParamNotNumeric,
    "param_pattern_mismatch" => ParamErrorCode::ParamPatternMismatch,
    "param_not_allowed" => ParamErrorCode::ParamNotAllowed,
    "param_group_unsatisfied" => ParamErrorCode::ParamGroupUnsatisfied,
    "param_unknown" => ParamErrorCode::ParamUnknown,
});

impl Decode for PaymentStatus {
    fn decode(j: &Json) -> Option<Self> {
        PaymentStatus::parse(j.str()?)
    }
}

impl Decode for ComplaintStatus {
    fn decode(j: &Json) -> Option<Self> {
        ComplaintStatus::parse(j.str()?)
    }
}

impl Decode for ErrorCode {
    fn decode(j: &Json) -> Option<Self> {
        let s = j.str()?;
        ErrorCode::ALL.iter().copied().find(|c| c.as_str() == s)
    }
}

impl Decode for Disposition {
    fn decode(j: &Json) -> Option<Self> {
        let s = j.str()?;
        Disposition::ALL.into_iter().find(|d| d.code() == s)
    }
}

impl Decode for ServiceReason {
    fn decode(j: &Json) -> Option<Self> {
        let s = j.str()?;
        ServiceReason::ALL.into_iter().find(|r| crate::flow::reason_key(*r) == s)
    }
}

/// Structs: each field read by name.
macro_rules! record {
    ($t:ident { $($f:ident),* $(,)? }) => {
        impl Decode for $t {
            fn decode(j: &Json) -> Option<Self> {
                if !matches!(j, Json::Obj(_)) {
                    return None;
                }
                Some($t { $($f: j.field(stringify!($f))?,)* })
            }
        }
    };
}

record!(Session { token, expires_at, merchant_name, mode });
record!(Category { code, name, biller_count });
record!(CategoryList { categories });
record!(BillerSummary { id, name, alias, category, coverage, fetch_requirement });
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
});
record!(AmountOption { name, amount });
record!(InfoItem { name, value });
record!(Bill { amount, customer_name, bill_number, bill_date, due_date, bill_period, amount_options, additional_info });
record!(AmountBounds { min, max, suggested, exactness });
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
record!(Charges { bill_amount, convenience_fee, total });
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
    total,
    payment_mode,
    channel,
    paid_at,
    customer_mobile,
    upi_rrn,
    status,
});
record!(RefundInfo { status, amount, reason, reference, refunded_at });
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
record!(ComplaintHistoryEntry { status, at, remarks });
record!(Complaint { id, subject, description, status, assigned_to, remarks, created_at, updated_at, history });

/// A merchant's `appearance` option: `variables` may be left out.
impl Decode for AppearanceInput {
    fn decode(j: &Json) -> Option<Self> {
        if !matches!(j, Json::Obj(_)) {
            return None;
        }
        Some(AppearanceInput {
            theme: j.field("theme")?,
            variables: j.field::<Option<BTreeMap<String, String>>>("variables")?.unwrap_or_default(),
        })
    }
}

impl Decode for FeeTable {
    fn decode(j: &Json) -> Option<Self> {
        Vec::decode(j).map(FeeTable)
    }
}

/// `{"kind": "...", ...}`: serde's internally tagged enums.
fn kind(j: &Json) -> Option<&str> {
    j.get("kind").str()
}

impl Decode for Coverage {
    fn decode(j: &Json) -> Option<Self> {
        Some(match kind(j)? {
            "national" => Coverage::National,
            "state" => Coverage::State { state: j.field("state")? },
            "city" => Coverage::City { state: j.field("state")?, city: j.field("city")? },
            _ => return None,
        })
    }
}

impl Decode for ServiceTarget {
    fn decode(j: &Json) -> Option<Self> {
        Some(match kind(j)? {
            "biller" => ServiceTarget::Biller { biller_id: j.field("biller_id")? },
            "agent" => ServiceTarget::Agent { agent_id: j.field("agent_id")? },
            _ => return None,
        })
    }
}

impl Decode for ComplaintSubject {
    fn decode(j: &Json) -> Option<Self> {
        Some(match kind(j)? {
            "transaction" => {
                ComplaintSubject::Transaction { txn_ref: j.field("txn_ref")?, disposition: j.field("disposition")? }
            }
            "service" => ComplaintSubject::Service { target: j.field("target")?, reason: j.field("reason")? },
            _ => return None,
        })
    }
}

/// The error envelope: `errors` may be absent (serde skips it when empty).
impl Decode for FieldError {
    fn decode(j: &Json) -> Option<Self> {
        Some(FieldError {
            field: j.field("field")?,
            code: j.field("code")?,
            limit: j.field("limit")?,
            group: j.field::<Option<Vec<String>>>("group")?.unwrap_or_default(),
        })
    }
}

impl Decode for ApiError {
    fn decode(j: &Json) -> Option<Self> {
        Some(ApiError {
            code: j.field("code")?,
            message: j.field("message")?,
            field: j.field("field")?,
            errors: j.field::<Option<Vec<FieldError>>>("errors")?.unwrap_or_default(),
            bbps_code: j.field("bbps_code")?,
            retry_after: j.field("retry_after")?,
        })
    }
}

/// Writes the request bodies the widget sends, member for member and byte for byte as serde_json writes them
/// (`tests/wire.rs` holds the two equal), without serde's per-type serializer code (about 2.5 KB of gzipped wasm).
pub trait Encode {
    fn encode(&self, w: &mut Writer);
}

/// Writes one JSON document.
pub fn encode<T: Encode>(value: &T) -> String {
    let mut w = Writer { out: String::new(), fresh: true };
    value.encode(&mut w);
    w.out
}

/// A JSON object writer: members in the order they are written.
pub struct Writer {
    out: String,
    /// No member has been written in the current object yet.
    fresh: bool,
}

impl Writer {
    fn key(&mut self, key: &str) {
        self.out.push(if std::mem::replace(&mut self.fresh, false) { '{' } else { ',' });
        self.string(key);
        self.out.push(':');
    }

    /// A string literal, escaped as serde_json escapes it.
    fn string(&mut self, s: &str) {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        self.out.push('"');
        for c in s.chars() {
            match c {
                '"' => self.out.push_str("\\\""),
                '\\' => self.out.push_str("\\\\"),
                '\n' => self.out.push_str("\\n"),
                '\r' => self.out.push_str("\\r"),
                '\t' => self.out.push_str("\\t"),
                '\u{8}' => self.out.push_str("\\b"),
                '\u{c}' => self.out.push_str("\\f"),
                c if (c as u32) < 0x20 => {
                    self.out.push_str("\\u00");
                    self.out.push(char::from(HEX[(c as usize) >> 4]));
                    self.out.push(char::from(HEX[(c as usize) & 0xf]));
                }
                c => self.out.push(c),
            }
        }
        self.out.push('"');
    }

    fn str(&mut self, key: &str, value: &str) {
        self.key(key);
        self.string(value);
    }

    fn num(&mut self, key: &str, value: u64) {
        self.key(key);
        self.out.push_str(&value.to_string());
    }

    /// A nested object, written by `body`.
    fn object(&mut self, key: &str, body: impl FnOnce(&mut Writer)) {
        self.key(key);
        self.fresh = true;
        body(self);
        self.close();
    }

    fn close(&mut self) {
        if std::mem::replace(&mut self.fresh, false) {
            self.out.push('{');
        }
        self.out.push('}');
    }

    fn params(&mut self, key: &str, params: &ParamValues) {
        self.object(key, |w| {
            for (k, v) in params {
                w.str(k, v);
            }
        });
    }
}

/// A top-level object.
fn document(w: &mut Writer, body: impl FnOnce(&mut Writer)) {
    w.fresh = true;
    body(w);
    w.close();
}

impl Encode for CreateSessionRequest {
    fn encode(&self, w: &mut Writer) {
        document(w, |w| {
            w.str("publishable_key", &self.publishable_key);
            if let Some(origin) = &self.parent_origin {
                w.str("parent_origin", origin);
            }
        });
    }
}

impl Encode for FetchBillRequest {
    fn encode(&self, w: &mut Writer) {
        document(w, |w| {
            w.str("biller_id", self.biller_id.as_str());
            w.params("params", &self.params);
            w.str("channel", self.channel.code());
        });
    }
}

impl Encode for CreatePaymentRequest {
    fn encode(&self, w: &mut Writer) {
        document(w, |w| {
            w.object("source", |w| match &self.source {
                PaymentSource::Quote { quote_id, amount_option } => {
                    w.str("kind", "quote");
                    w.str("quote_id", quote_id.as_str());
                    if let Some(option) = amount_option {
                        w.str("amount_option", option);
                    }
                }
                PaymentSource::Direct { biller_id, params } => {
                    w.str("kind", "direct");
                    w.str("biller_id", biller_id.as_str());
                    w.params("params", params);
                }
            });
            w.num("amount", self.amount.get());
            w.str("customer_mobile", self.customer_mobile.as_str());
            w.str("channel", self.channel.code());
        });
    }
}

impl Encode for RaiseComplaintRequest {
    fn encode(&self, w: &mut Writer) {
        document(w, |w| match self {
            RaiseComplaintRequest::Transaction { txn_ref, disposition, description } => {
                w.str("kind", "transaction");
                w.str("txn_ref", txn_ref.as_str());
                w.str("disposition", disposition.code());
                w.str("description", description);
            }
            RaiseComplaintRequest::Service { target, reason, description, customer_mobile } => {
                w.str("kind", "service");
                w.object("target", |w| match target {
                    ServiceTarget::Biller { biller_id } => {
                        w.str("kind", "biller");
                        w.str("biller_id", biller_id.as_str());
                    }
                    ServiceTarget::Agent { agent_id } => {
                        w.str("kind", "agent");
                        w.str("agent_id", agent_id);
                    }
                });
                w.str("reason", crate::flow::reason_key(*reason));
                w.str("description", description);
                w.str("customer_mobile", customer_mobile.as_str());
            }
        });
    }
}
