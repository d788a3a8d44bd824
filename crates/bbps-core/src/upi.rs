//! UPI payment links (`upi://pay?…`), the payload of both the phone intent and the desktop QR code.
//!
//! The builder refuses anything a UPI app would reject or misread: a malformed VPA, a `tr` outside 4–35
//! characters of `[A-Za-z0-9_-]`, an amount that is not two-decimal rupees, a currency other than INR, an MCC
//! that is not four digits, a `url` that is not http(s), control characters, and the literal string `null`.
//! Values are percent-encoded (RFC 3986; space as `%20`, never `+`). The parser reads a link back into the same
//! fields, so any link can be checked by a round trip.

use std::fmt::{self, Write};

use serde::{Deserialize, Serialize};

use crate::money::Paise;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum UpiError {
    #[error("the payee address (pa) is not a valid UPI id")]
    InvalidVpa,
    #[error("the payee name (pn) must be 1 to 99 printable characters")]
    InvalidPayeeName,
    #[error("the transaction reference (tr) must be 4 to 35 letters, digits, '-' or '_'")]
    InvalidTxnRef,
    #[error("the note (tn) must be at most 80 printable characters")]
    InvalidNote,
    #[error("the amount (am) must be rupees with at most two decimals, more than zero")]
    InvalidAmount,
    #[error("the currency (cu) must be INR")]
    InvalidCurrency,
    #[error("the merchant category code (mc) must be 4 digits")]
    InvalidMcc,
    #[error("the url must start with http:// or https://")]
    InvalidUrl,
    #[error("the signature fields (mode, orgid, sign) are malformed or incomplete")]
    InvalidSignature,
    #[error("not a upi://pay link")]
    InvalidScheme,
    #[error("a link parameter is missing: {0}")]
    MissingParam(&'static str),
    #[error("a link parameter appears twice")]
    DuplicateParam,
    #[error("a link has a malformed percent-encoding")]
    InvalidEncoding,
}

impl UpiError {
    pub fn code(self) -> &'static str {
        match self {
            Self::InvalidVpa => "upi_invalid_vpa",
            Self::InvalidPayeeName => "upi_invalid_payee_name",
            Self::InvalidTxnRef => "upi_invalid_txn_ref",
            Self::InvalidNote => "upi_invalid_note",
            Self::InvalidAmount => "upi_invalid_amount",
            Self::InvalidCurrency => "upi_invalid_currency",
            Self::InvalidMcc => "upi_invalid_mcc",
            Self::InvalidUrl => "upi_invalid_url",
            Self::InvalidSignature => "upi_invalid_signature",
            Self::InvalidScheme => "upi_invalid_scheme",
            Self::MissingParam(_) => "upi_missing_param",
            Self::DuplicateParam => "upi_duplicate_param",
            Self::InvalidEncoding => "upi_invalid_encoding",
        }
    }
}

/// A UPI virtual payment address: `handle@psp`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(
    feature = "openapi",
    derive(utoipa::ToSchema),
    schema(
        value_type = String,
        example = "billdesk.demo@okaxis",
        pattern = "^[A-Za-z0-9._-]{2,256}@[A-Za-z][A-Za-z0-9.-]{1,63}$"
    )
)]
#[serde(try_from = "String", into = "String")]
pub struct Vpa(String);

impl Vpa {
    /// The handle is 2–256 of letters, digits, `.`, `-`, `_`; the PSP part starts with a letter and is 2–64 of
    /// letters, digits, `.`, `-`.
    pub fn parse(s: &str) -> Result<Vpa, UpiError> {
        let (handle, psp) = s.split_once('@').ok_or(UpiError::InvalidVpa)?;
        let handle_ok = (2..=256).contains(&handle.len())
            && handle.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'));
        let psp_ok = (2..=64).contains(&psp.len())
            && psp.as_bytes()[0].is_ascii_alphabetic()
            && psp.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-'));
        if handle_ok && psp_ok { Ok(Vpa(s.to_owned())) } else { Err(UpiError::InvalidVpa) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Vpa {
    type Error = UpiError;
    fn try_from(s: String) -> Result<Vpa, UpiError> {
        Vpa::parse(&s)
    }
}

impl From<Vpa> for String {
    fn from(v: Vpa) -> String {
        v.0
    }
}

impl fmt::Display for Vpa {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The `tr` of a link: unique per payment attempt, 4–35 of `[A-Za-z0-9_-]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, pattern = "^[A-Za-z0-9_-]{4,35}$"))]
#[serde(try_from = "String", into = "String")]
pub struct UpiTxnRef(String);

impl UpiTxnRef {
    /// A fresh reference: `BBPS` and 24 random upper-case letters or digits (28 characters, within UPI's 35).
    pub fn generate<R: rand_core::Rng + ?Sized>(rng: &mut R) -> UpiTxnRef {
        UpiTxnRef(format!("BBPS{}", crate::ids::random_string(rng, b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 24)))
    }

    pub fn parse(s: &str) -> Result<UpiTxnRef, UpiError> {
        let ok = (4..=35).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if ok { Ok(UpiTxnRef(s.to_owned())) } else { Err(UpiError::InvalidTxnRef) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for UpiTxnRef {
    type Error = UpiError;
    fn try_from(s: String) -> Result<UpiTxnRef, UpiError> {
        UpiTxnRef::parse(&s)
    }
}

impl From<UpiTxnRef> for String {
    fn from(v: UpiTxnRef) -> String {
        v.0
    }
}

impl fmt::Display for UpiTxnRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A merchant category code: four digits (`4900` utilities).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, example = "4900", pattern = "^[0-9]{4}$"))]
#[serde(try_from = "String", into = "String")]
pub struct Mcc([u8; 4]);

impl Mcc {
    pub fn parse(s: &str) -> Result<Mcc, UpiError> {
        let bytes: [u8; 4] = s.as_bytes().try_into().map_err(|_| UpiError::InvalidMcc)?;
        if bytes.iter().all(u8::is_ascii_digit) { Ok(Mcc(bytes)) } else { Err(UpiError::InvalidMcc) }
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("0000")
    }
}

impl TryFrom<String> for Mcc {
    type Error = UpiError;
    fn try_from(s: String) -> Result<Mcc, UpiError> {
        Mcc::parse(&s)
    }
}

impl From<Mcc> for String {
    fn from(m: Mcc) -> String {
        m.as_str().to_owned()
    }
}

/// The fields of a signed merchant link (NPCI secure QR / intent): `mode`, `orgid`, `sign`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LinkSignature {
    /// Two digits, e.g. `01` static QR, `02` secure QR / intent.
    pub mode: String,
    /// The PSP's organisation id: six digits.
    pub orgid: String,
    /// Base64 signature over the link without these three fields.
    pub sign: String,
}

impl LinkSignature {
    fn check(&self) -> Result<(), UpiError> {
        let mode_ok = self.mode.len() == 2 && self.mode.bytes().all(|b| b.is_ascii_digit());
        let org_ok = self.orgid.len() == 6 && self.orgid.bytes().all(|b| b.is_ascii_digit());
        let sign_ok = !self.sign.is_empty()
            && self.sign.len() <= 1024
            && self.sign.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'-' | b'_'));
        if mode_ok && org_ok && sign_ok { Ok(()) } else { Err(UpiError::InvalidSignature) }
    }
}

/// A validated UPI pay link. Construct with [`UpiLink::builder`] or [`UpiLink::parse`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpiLink {
    pub payee: Vpa,
    pub payee_name: String,
    pub txn_ref: Option<UpiTxnRef>,
    pub note: Option<String>,
    /// `None` lets the payer type the amount (only for static links; this product always sets it).
    pub amount: Option<Paise>,
    pub mcc: Option<Mcc>,
    pub url: Option<String>,
    pub signature: Option<LinkSignature>,
}

fn printable(s: &str, max_chars: usize) -> bool {
    let n = s.chars().count();
    n >= 1
        && n <= max_chars
        && !s.chars().any(char::is_control)
        && !s.trim().is_empty()
        && !s.eq_ignore_ascii_case("null")
}

/// Builder for [`UpiLink`]: every setter takes raw input and [`UpiLinkBuilder::build`] reports the first field
/// that is wrong.
#[derive(Debug, Clone, Default)]
pub struct UpiLinkBuilder {
    payee: String,
    payee_name: String,
    txn_ref: Option<String>,
    note: Option<String>,
    amount: Option<Paise>,
    mcc: Option<String>,
    url: Option<String>,
    signature: Option<LinkSignature>,
}

impl UpiLinkBuilder {
    pub fn txn_ref(mut self, tr: impl Into<String>) -> Self {
        self.txn_ref = Some(tr.into());
        self
    }
    pub fn note(mut self, tn: impl Into<String>) -> Self {
        self.note = Some(tn.into());
        self
    }
    pub fn amount(mut self, am: Paise) -> Self {
        self.amount = Some(am);
        self
    }
    pub fn mcc(mut self, mc: impl Into<String>) -> Self {
        self.mcc = Some(mc.into());
        self
    }
    pub fn url(mut self, url: impl Into<String>) -> Self {
        self.url = Some(url.into());
        self
    }
    pub fn signature(mut self, sig: LinkSignature) -> Self {
        self.signature = Some(sig);
        self
    }

    pub fn build(self) -> Result<UpiLink, UpiError> {
        let link = UpiLink {
            payee: Vpa::parse(&self.payee)?,
            payee_name: self.payee_name,
            txn_ref: self.txn_ref.as_deref().map(UpiTxnRef::parse).transpose()?,
            note: self.note,
            amount: self.amount,
            mcc: self.mcc.as_deref().map(Mcc::parse).transpose()?,
            url: self.url,
            signature: self.signature,
        };
        link.check()?;
        Ok(link)
    }
}

crate::wire_enum! {
    /// Apps whose own URL scheme or Android package a phone flow may target.
    pub enum UpiApp {
        GooglePay = "google_pay",
        PhonePe = "phone_pe",
        Paytm = "paytm",
        Bhim = "bhim",
    }
}

impl UpiApp {
    pub fn name(self) -> &'static str {
        match self {
            UpiApp::GooglePay => "Google Pay",
            UpiApp::PhonePe => "PhonePe",
            UpiApp::Paytm => "Paytm",
            UpiApp::Bhim => "BHIM",
        }
    }

    /// The app's own scheme prefix, to which the link's query is appended.
    pub fn scheme_prefix(self) -> &'static str {
        match self {
            UpiApp::GooglePay => "tez://upi/pay",
            UpiApp::PhonePe => "phonepe://pay",
            UpiApp::Paytm => "paytmmp://pay",
            UpiApp::Bhim => "bhim://pay",
        }
    }

    pub fn android_package(self) -> &'static str {
        match self {
            UpiApp::GooglePay => "com.google.android.apps.nbu.paisa.user",
            UpiApp::PhonePe => "com.phonepe.app",
            UpiApp::Paytm => "net.one97.paytm",
            UpiApp::Bhim => "in.org.npci.upiapp",
        }
    }
}

impl UpiLink {
    pub fn builder(payee: impl Into<String>, payee_name: impl Into<String>) -> UpiLinkBuilder {
        UpiLinkBuilder { payee: payee.into(), payee_name: payee_name.into(), ..UpiLinkBuilder::default() }
    }

    fn check(&self) -> Result<(), UpiError> {
        if !printable(&self.payee_name, 99) {
            return Err(UpiError::InvalidPayeeName);
        }
        if self.note.as_deref().is_some_and(|n| !printable(n, 80)) {
            return Err(UpiError::InvalidNote);
        }
        if self.amount.is_some_and(Paise::is_zero) {
            return Err(UpiError::InvalidAmount);
        }
        if let Some(url) = &self.url {
            let lower = url.to_ascii_lowercase();
            let rest = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://"));
            if rest.is_none_or(str::is_empty) || url.chars().any(|c| c.is_control() || c == ' ') {
                return Err(UpiError::InvalidUrl);
            }
        }
        if let Some(sig) = &self.signature {
            sig.check()?;
        }
        Ok(())
    }

    /// The `key=value` pairs in the order apps expect, without the signature fields.
    fn unsigned_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = vec![("pa", self.payee.as_str().to_owned()), ("pn", self.payee_name.clone())];
        if let Some(tr) = &self.txn_ref {
            pairs.push(("tr", tr.as_str().to_owned()));
        }
        if let Some(tn) = &self.note {
            pairs.push(("tn", tn.clone()));
        }
        if let Some(am) = self.amount {
            pairs.push(("am", am.to_decimal_string()));
        }
        pairs.push(("cu", "INR".to_owned()));
        if let Some(mc) = &self.mcc {
            pairs.push(("mc", mc.as_str().to_owned()));
        }
        if let Some(url) = &self.url {
            pairs.push(("url", url.clone()));
        }
        pairs
    }

    fn query(pairs: &[(&str, String)]) -> String {
        let mut out = String::new();
        for (i, (k, v)) in pairs.iter().enumerate() {
            if i > 0 {
                out.push('&');
            }
            out.push_str(k);
            out.push('=');
            percent_encode_into(&mut out, v);
        }
        out
    }

    /// The link's query string without the signature fields: what a PSP signs for a signed link.
    pub fn signing_payload(&self) -> String {
        Self::query(&self.unsigned_pairs())
    }

    /// The query string (everything after `?`).
    pub fn query_string(&self) -> String {
        let mut pairs = self.unsigned_pairs();
        if let Some(sig) = &self.signature {
            pairs.push(("mode", sig.mode.clone()));
            pairs.push(("orgid", sig.orgid.clone()));
            pairs.push(("sign", sig.sign.clone()));
        }
        Self::query(&pairs)
    }

    /// `upi://pay?…`: the intent link and the QR payload.
    pub fn to_uri(&self) -> String {
        format!("upi://pay?{}", self.query_string())
    }

    /// The same payment addressed to one app's own scheme (`tez://upi/pay?…`).
    pub fn to_app_uri(&self, app: UpiApp) -> String {
        format!("{}?{}", app.scheme_prefix(), self.query_string())
    }

    /// An Android intent link that opens one app directly (falls back to the app store listing on Android).
    pub fn to_android_intent(&self, app: UpiApp) -> String {
        format!("intent://pay?{}#Intent;scheme=upi;package={};end", self.query_string(), app.android_package())
    }

    /// Parses a `upi://pay?` link (scheme case-insensitive). Unknown parameters are ignored, as apps do.
    pub fn parse(uri: &str) -> Result<UpiLink, UpiError> {
        let query = uri
            .get(..10)
            .filter(|p| p.eq_ignore_ascii_case("upi://pay?"))
            .map(|_| &uri[10..])
            .ok_or(UpiError::InvalidScheme)?;
        let mut fields: [Option<String>; 11] = Default::default();
        const KEYS: [&str; 11] = ["pa", "pn", "tr", "tn", "am", "cu", "mc", "url", "mode", "orgid", "sign"];
        for part in query.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = part.split_once('=').unwrap_or((part, ""));
            if let Some(i) = KEYS.iter().position(|key| *key == k) {
                if fields[i].is_some() {
                    return Err(UpiError::DuplicateParam);
                }
                fields[i] = Some(percent_decode(v)?);
            }
        }
        let [pa, pn, tr, tn, am, cu, mc, url, mode, orgid, sign] = fields;
        if cu.as_deref().is_some_and(|c| c != "INR") {
            return Err(UpiError::InvalidCurrency);
        }
        let signature = match (mode, orgid, sign) {
            (None, None, None) => None,
            (Some(mode), Some(orgid), Some(sign)) => Some(LinkSignature { mode, orgid, sign }),
            _ => return Err(UpiError::InvalidSignature),
        };
        let link = UpiLink {
            payee: Vpa::parse(&pa.ok_or(UpiError::MissingParam("pa"))?)?,
            payee_name: pn.ok_or(UpiError::MissingParam("pn"))?,
            txn_ref: tr.as_deref().map(UpiTxnRef::parse).transpose()?,
            note: tn,
            amount: am.as_deref().map(parse_upi_amount).transpose()?,
            mcc: mc.as_deref().map(Mcc::parse).transpose()?,
            url,
            signature,
        };
        link.check()?;
        Ok(link)
    }
}

/// `am`: plain decimal rupees, at most two decimals, no grouping or sign.
fn parse_upi_amount(s: &str) -> Result<Paise, UpiError> {
    let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
    let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || whole.len() > 13 || frac.len() > 2 || !digits(whole) || !digits(frac) || (s.ends_with('.')) {
        return Err(UpiError::InvalidAmount);
    }
    let rupees: u64 = whole.parse().map_err(|_| UpiError::InvalidAmount)?;
    let paise: u64 = match frac.len() {
        0 => 0,
        1 => u64::from(frac.as_bytes()[0] - b'0') * 10,
        _ => frac.parse().map_err(|_| UpiError::InvalidAmount)?,
    };
    rupees.checked_mul(100).and_then(|r| r.checked_add(paise)).and_then(Paise::new).ok_or(UpiError::InvalidAmount)
}

/// RFC 3986 percent-encoding of a query value: unreserved characters and `@` stay (so `pa` reads as a VPA),
/// everything else is `%XX` of its UTF-8 bytes.
fn percent_encode_into(out: &mut String, s: &str) {
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'@') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
}

/// Decodes `%XX` sequences; `+` reads as a space because some QR generators write spaces that way.
fn percent_decode(s: &str) -> Result<String, UpiError> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = bytes.get(i + 1..i + 3).ok_or(UpiError::InvalidEncoding)?;
                let hex = std::str::from_utf8(hex).map_err(|_| UpiError::InvalidEncoding)?;
                out.push(u8::from_str_radix(hex, 16).map_err(|_| UpiError::InvalidEncoding)?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|_| UpiError::InvalidEncoding)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn p(n: u64) -> Paise {
        Paise::new(n).unwrap()
    }

    fn sample() -> UpiLink {
        UpiLink::builder("bbps.demo@okaxis", "Demo Bill Pay & Co")
            .txn_ref("BBPS4F2K9QZ7X1")
            .note("MSEDCL bill 0123456789")
            .amount(p(123_450))
            .mcc("4900")
            .url("https://pay.example.in/r/pay_1")
            .build()
            .unwrap()
    }

    #[test]
    fn builds_the_canonical_link() {
        assert_eq!(
            sample().to_uri(),
            "upi://pay?pa=bbps.demo@okaxis&pn=Demo%20Bill%20Pay%20%26%20Co&tr=BBPS4F2K9QZ7X1\
             &tn=MSEDCL%20bill%200123456789&am=1234.50&cu=INR&mc=4900&url=https%3A%2F%2Fpay.example.in%2Fr%2Fpay_1"
        );
    }

    #[test]
    fn app_links() {
        let link = sample();
        assert!(link.to_app_uri(UpiApp::GooglePay).starts_with("tez://upi/pay?pa=bbps.demo@okaxis&"));
        assert!(link.to_app_uri(UpiApp::PhonePe).starts_with("phonepe://pay?pa="));
        let intent = link.to_android_intent(UpiApp::Paytm);
        assert!(intent.starts_with("intent://pay?pa="));
        assert!(intent.ends_with("#Intent;scheme=upi;package=net.one97.paytm;end"));
    }

    #[test]
    fn rejects_each_bad_field() {
        let b = || UpiLink::builder("bbps.demo@okaxis", "Demo");
        assert_eq!(UpiLink::builder("nope", "Demo").build(), Err(UpiError::InvalidVpa));
        assert_eq!(UpiLink::builder("a@b", "Demo").build(), Err(UpiError::InvalidVpa));
        assert_eq!(UpiLink::builder("ab@1bank", "Demo").build(), Err(UpiError::InvalidVpa));
        assert_eq!(UpiLink::builder("ab@okaxis", "").build(), Err(UpiError::InvalidPayeeName));
        assert_eq!(UpiLink::builder("ab@okaxis", "null").build(), Err(UpiError::InvalidPayeeName));
        assert_eq!(b().txn_ref("abc").build(), Err(UpiError::InvalidTxnRef));
        assert_eq!(b().txn_ref("a".repeat(36)).build(), Err(UpiError::InvalidTxnRef));
        assert_eq!(b().txn_ref("ab cd").build(), Err(UpiError::InvalidTxnRef));
        assert_eq!(b().note("x\ny").build(), Err(UpiError::InvalidNote));
        assert_eq!(b().note("n".repeat(81)).build(), Err(UpiError::InvalidNote));
        assert_eq!(b().amount(Paise::ZERO).build(), Err(UpiError::InvalidAmount));
        assert_eq!(b().mcc("490").build(), Err(UpiError::InvalidMcc));
        assert_eq!(b().mcc("49a0").build(), Err(UpiError::InvalidMcc));
        assert_eq!(b().url("ftp://x").build(), Err(UpiError::InvalidUrl));
        assert_eq!(b().url("https://").build(), Err(UpiError::InvalidUrl));
        let sig = LinkSignature { mode: "2".into(), orgid: "159002".into(), sign: "abc=".into() };
        assert_eq!(b().signature(sig).build(), Err(UpiError::InvalidSignature));
    }

    #[test]
    fn parses_links_from_the_wild() {
        let l = UpiLink::parse("UPI://pay?pa=shop@ybl&pn=Corner+Shop&am=10.5&cu=INR&tid=x&tr=ORD-0001").unwrap();
        assert_eq!(l.payee.as_str(), "shop@ybl");
        assert_eq!(l.payee_name, "Corner Shop");
        assert_eq!(l.amount, Some(p(1_050)));
        assert_eq!(l.txn_ref.unwrap().as_str(), "ORD-0001");
        assert_eq!(UpiLink::parse("upi://pay?pn=X"), Err(UpiError::MissingParam("pa")));
        assert_eq!(UpiLink::parse("upi://pay?pa=a1@ybl&pn=X&cu=USD"), Err(UpiError::InvalidCurrency));
        assert_eq!(UpiLink::parse("upi://pay?pa=a1@ybl&pn=X&am=1.234"), Err(UpiError::InvalidAmount));
        assert_eq!(UpiLink::parse("upi://pay?pa=a1@ybl&pn=X&am=1,000"), Err(UpiError::InvalidAmount));
        assert_eq!(UpiLink::parse("upi://pay?pa=a1@ybl&pa=b1@ybl&pn=X"), Err(UpiError::DuplicateParam));
        assert_eq!(UpiLink::parse("upi://pay?pa=a1@ybl&pn=%ZZ"), Err(UpiError::InvalidEncoding));
        assert_eq!(UpiLink::parse("https://pay?pa=a1@ybl&pn=X"), Err(UpiError::InvalidScheme));
        assert_eq!(UpiLink::parse("upi://pay?pa=a1@ybl&pn=X&mode=02"), Err(UpiError::InvalidSignature));
    }

    #[test]
    fn signed_links_put_the_signature_last() {
        let sig = LinkSignature { mode: "02".into(), orgid: "159002".into(), sign: "MEUCIQ+ab/c=".into() };
        let link = UpiLink::builder("bbps.demo@okaxis", "Demo")
            .txn_ref("T1234")
            .amount(p(100))
            .signature(sig)
            .build()
            .unwrap();
        let uri = link.to_uri();
        assert!(uri.starts_with(&format!("upi://pay?{}&mode=02&orgid=159002&sign=", link.signing_payload())));
        assert_eq!(UpiLink::parse(&uri), Ok(link));
    }

    fn arb_link() -> impl Strategy<Value = UpiLink> {
        (
            "[a-zA-Z0-9._-]{2,20}@[a-z][a-z0-9.-]{1,10}",
            "[\\PC&&[^\\p{Z}]][\\PC]{0,40}",
            proptest::option::of("[A-Za-z0-9_-]{4,35}"),
            proptest::option::of("[\\PC&&[^\\p{Z}]][\\PC]{0,60}"),
            proptest::option::of(1..=crate::money::MAX_PAISE),
            proptest::option::of("[0-9]{4}"),
            proptest::option::of("https?://[a-z0-9./?=&%_-]{1,40}"),
        )
            .prop_filter_map("valid link", |(pa, pn, tr, tn, am, mc, url)| {
                let mut b = UpiLink::builder(pa, pn);
                if let Some(tr) = tr {
                    b = b.txn_ref(tr);
                }
                if let Some(tn) = tn {
                    b = b.note(tn);
                }
                if let Some(am) = am {
                    b = b.amount(p(am));
                }
                if let Some(mc) = mc {
                    b = b.mcc(mc);
                }
                if let Some(url) = url {
                    b = b.url(url);
                }
                b.build().ok()
            })
    }

    proptest! {
        #[test]
        fn build_then_parse_round_trips(link in arb_link()) {
            let uri = link.to_uri();
            prop_assert!(uri.is_ascii(), "every non-ASCII byte is percent-encoded");
            prop_assert!(!uri.contains(' ') && !uri.contains('+'));
            prop_assert_eq!(UpiLink::parse(&uri), Ok(link));
        }

        #[test]
        fn parse_never_panics(s in "upi://pay\\?[\\PC%&=]{0,80}") {
            if let Ok(link) = UpiLink::parse(&s) {
                prop_assert_eq!(UpiLink::parse(&link.to_uri()), Ok(link));
            }
        }
    }
}
