//! Writes the request bodies the widget sends, member for member and byte for byte as serde_json writes them
//! (`tests/wire.rs` holds the two equal), without serde's per-type serializer code (about 2.5 KB of gzipped wasm).

use bbps_core::ParamValues;
use bbps_core::api::{
    CreatePaymentRequest, CreateSessionRequest, FetchBillRequest, PaymentSource, RaiseComplaintRequest,
    ReopenComplaintRequest, SendTrackingCodeRequest, VerifyTrackingCodeRequest,
};
use bbps_core::complaint::ServiceTarget;

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

    /// An array of strings.
    fn strs(&mut self, key: &str, values: &[String]) {
        self.key(key);
        self.out.push('[');
        for (i, v) in values.iter().enumerate() {
            if i > 0 {
                self.out.push(',');
            }
            self.string(v);
        }
        self.out.push(']');
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
            w.str("channel", self.channel.as_str());
            if let Some(mobile) = &self.customer_mobile {
                w.str("customer_mobile", mobile.as_str());
            }
        });
    }
}

impl Encode for SendTrackingCodeRequest {
    fn encode(&self, w: &mut Writer) {
        document(w, |w| w.str("mobile", self.mobile.as_str()));
    }
}

impl Encode for VerifyTrackingCodeRequest {
    fn encode(&self, w: &mut Writer) {
        document(w, |w| {
            w.str("challenge_id", self.challenge_id.as_str());
            w.str("code", &self.code);
        });
    }
}

impl Encode for CreatePaymentRequest {
    fn encode(&self, w: &mut Writer) {
        document(w, |w| {
            w.object("source", |w| match &self.source {
                PaymentSource::Quote { quote_id, amount_option, bills } => {
                    w.str("kind", "quote");
                    w.str("quote_id", quote_id.as_str());
                    if let Some(option) = amount_option {
                        w.str("amount_option", option);
                    }
                    if !bills.is_empty() {
                        w.strs("bills", bills);
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
            w.str("channel", self.channel.as_str());
            if let Some(plan) = &self.plan_id {
                w.str("plan_id", plan.as_str());
            }
        });
    }
}

impl Encode for RaiseComplaintRequest {
    fn encode(&self, w: &mut Writer) {
        document(w, |w| match self {
            RaiseComplaintRequest::Transaction { txn_ref, disposition, description } => {
                w.str("kind", "transaction");
                w.str("txn_ref", txn_ref.as_str());
                w.str("disposition", disposition.as_str());
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
                        w.str("agent_id", agent_id.as_str());
                    }
                });
                w.str("reason", reason.as_str());
                w.str("description", description);
                w.str("customer_mobile", customer_mobile.as_str());
            }
        });
    }
}

impl Encode for ReopenComplaintRequest {
    fn encode(&self, w: &mut Writer) {
        document(w, |w| w.str("description", &self.description));
    }
}
