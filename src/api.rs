//! The one module that talks HTTP: the widget's calls of `docs/http-api.md`, over the browser's `fetch`.
//!
//! It holds the session: the first call creates one, and a call refused with `session_expired` or
//! `session_token_invalid` renews it silently and is sent once more, so the flow never sees an expired session.

use std::cell::RefCell;

use bbps_core::api::{
    CreatePaymentRequest, CreateSessionRequest, FetchBillRequest, MobileNumber, Payment, RaiseComplaintRequest,
    ReopenComplaintRequest, SendTrackingCodeRequest, Session, TrackRange, VerifyTrackingCodeRequest,
};
use bbps_core::region::Pincode;
use bbps_core::{ApiError, BillerId, ClientSecret, ComplaintId, ErrorCode, PaymentId, TxnRef};
use time::Date;

use crate::i18n::Locale;
use crate::wire::{self, Decode, DecodeError, Encode};

/// Why a call did not return what was asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// No answer: offline, DNS, a dropped connection, or a gateway saying the server is unreachable.
    Network,
    /// An answer that is not the contract's (a body that does not read): a bug, a server newer than the widget,
    /// or a wrong `api_base`. Debug builds log where the body departed from the contract ([`unreadable`]).
    Unexpected,
    /// The server's error envelope.
    Api(ApiError),
}

impl Failure {
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            Failure::Api(e) => Some(e.code),
            Failure::Network | Failure::Unexpected => None,
        }
    }
}

/// The biller list query: `GET /v1/billers`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BillerQuery {
    pub category: String,
    pub q: String,
    /// State code (`MH`), empty for every state.
    pub state: String,
    pub pincode: Option<Pincode>,
    pub page: u32,
}

/// How many billers one page of the picker shows.
pub const BILLERS_PER_PAGE: u32 = 20;

/// The transaction lookup: `GET /v1/transactions`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrackQuery {
    ByRef(TxnRef),
    /// `token`: this session's proof of the number (`BBPS-Tracking-Token`).
    ByMobile {
        mobile: MobileNumber,
        range: TrackRange,
        token: String,
    },
}

/// A request as the client builds it: what a transport needs and nothing browser-specific. One value per call
/// of the API, built by the functions below; [`Api::fetch`] sends any of them, so the sending code exists once in
/// the binary rather than once per answer type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    method: &'static str,
    path: String,
    body: Option<String>,
    idempotency_key: Option<String>,
    /// Sent with the session's token (every call of the API); a language's texts are public.
    session: bool,
    /// The payment whose client secret goes with the call, when the client holds it.
    payment: Option<PaymentId>,
    /// The proof of a mobile number, for a lookup by it.
    tracking: Option<String>,
}

impl Call {
    fn get(path: String) -> Call {
        Call { method: "GET", path, body: None, idempotency_key: None, session: true, payment: None, tracking: None }
    }

    fn post<B: Encode>(path: &str, body: &B) -> Call {
        Call { body: Some(wire::encode(body)), method: "POST", ..Call::get(path.to_owned()) }
    }

    /// A language's texts (`crate::i18n::Strings`): no session needed, so even the configuration error can be
    /// shown in the customer's language.
    pub fn strings(locale: Locale) -> Call {
        Call { session: false, ..Call::get(format!("/widget/i18n/{}", locale.tag())) }
    }

    pub fn categories() -> Call {
        Call::get("/v1/categories".into())
    }

    pub fn billers(q: &BillerQuery) -> Call {
        let mut path = format!("/v1/billers?category={}&page={}&per_page={BILLERS_PER_PAGE}", enc(&q.category), q.page);
        if !q.q.trim().is_empty() {
            path += &format!("&q={}", enc(q.q.trim()));
        }
        if !q.state.is_empty() {
            path += &format!("&state={}", enc(&q.state));
        }
        if let Some(pin) = q.pincode {
            path += &format!("&pincode={pin}");
        }
        Call::get(path)
    }

    pub fn biller(id: &BillerId) -> Call {
        Call::get(format!("/v1/billers/{id}"))
    }

    pub fn plans(id: &BillerId) -> Call {
        Call::get(format!("/v1/billers/{id}/plans"))
    }

    pub fn fetch_bill(req: &FetchBillRequest) -> Call {
        Call::post("/v1/bills/fetch", req)
    }

    pub fn validate_bill(req: &FetchBillRequest) -> Call {
        Call::post("/v1/bills/validate", req)
    }

    pub fn create_payment(req: &CreatePaymentRequest, idempotency_key: &str) -> Call {
        Call { idempotency_key: Some(idempotency_key.to_owned()), ..Call::post("/v1/payments", req) }
    }

    pub fn payment(id: &PaymentId) -> Call {
        Call { payment: Some(id.clone()), ..Call::get(format!("/v1/payments/{id}")) }
    }

    pub fn transactions(q: &TrackQuery) -> Call {
        match q {
            TrackQuery::ByRef(r) => Call::get(format!("/v1/transactions?txn_ref={r}")),
            TrackQuery::ByMobile { mobile, range, token } => Call {
                tracking: Some(token.clone()),
                ..Call::get(format!(
                    "/v1/transactions?mobile={}&from={}&to={}",
                    mobile.as_str(),
                    iso_date(range.from()),
                    iso_date(range.to())
                ))
            },
        }
    }

    pub fn send_tracking_code(mobile: &MobileNumber) -> Call {
        Call::post("/v1/transactions/otp", &SendTrackingCodeRequest { mobile: mobile.clone() })
    }

    pub fn verify_tracking_code(req: &VerifyTrackingCodeRequest) -> Call {
        Call::post("/v1/transactions/otp/verify", req)
    }

    pub fn raise_complaint(req: &RaiseComplaintRequest) -> Call {
        Call::post("/v1/complaints", req)
    }

    pub fn complaint(id: &ComplaintId) -> Call {
        Call::get(format!("/v1/complaints/{id}"))
    }

    pub fn reopen_complaint(id: &ComplaintId, req: &ReopenComplaintRequest) -> Call {
        Call::post(&format!("/v1/complaints/{id}/reopen"), req)
    }
}

pub struct Api {
    base: String,
    publishable_key: String,
    parent_origin: Option<String>,
    session: RefCell<Option<Session>>,
    /// The client secret of the payment being followed: a session that did not create it reads it with this.
    secret: RefCell<Option<ClientSecret>>,
}

impl Api {
    /// `base` is the API origin (empty for the widget page's own origin), without a trailing slash. `session` is
    /// the one the widget page brought, if it did.
    pub fn new(base: &str, publishable_key: &str, parent_origin: Option<String>, session: Option<Session>) -> Api {
        Api {
            base: base.trim_end_matches('/').to_owned(),
            publishable_key: publishable_key.to_owned(),
            parent_origin,
            session: RefCell::new(session),
            secret: RefCell::new(None),
        }
    }

    /// Keeps the client secret of the payment the widget follows.
    pub fn hold_secret(&self, secret: ClientSecret) {
        *self.secret.borrow_mut() = Some(secret);
    }

    /// The held client secret, when it is `id`'s.
    fn secret_of(&self, id: &PaymentId) -> Option<ClientSecret> {
        self.secret.borrow().as_ref().filter(|s| s.payment_id() == *id).cloned()
    }

    /// Creates a session (or returns the current one).
    pub async fn open_session(&self) -> Result<Session, Failure> {
        if let Some(s) = self.session.borrow().clone() {
            return Ok(s);
        }
        self.renew_session().await
    }

    async fn renew_session(&self) -> Result<Session, Failure> {
        let body = CreateSessionRequest {
            publishable_key: self.publishable_key.clone(),
            parent_origin: self.parent_origin.clone(),
        };
        let call = Call::post("/v1/sessions", &body);
        let session: Session = decode(self.send(&call, None).await?)?;
        *self.session.borrow_mut() = Some(session.clone());
        Ok(session)
    }

    /// Sends a call with the session's token, renewing the session once if the server says it has ended; `Ok`
    /// carries the 2xx body.
    pub async fn fetch(&self, call: &Call) -> Result<String, Failure> {
        if !call.session {
            return self.send(call, None).await;
        }
        let token = self.open_session().await?.token;
        match self.send(call, Some(&token)).await {
            Err(Failure::Api(e)) if matches!(e.code, ErrorCode::SessionExpired | ErrorCode::SessionTokenInvalid) => {
                let token = self.renew_session().await?.token;
                self.send(call, Some(&token)).await
            }
            answer => answer,
        }
    }

    pub async fn payment(&self, id: &PaymentId) -> Result<Payment, Failure> {
        decode(self.fetch(&Call::payment(id)).await?)
    }

    /// The push channel's address; `None` until a session exists (the token rides in the query string because
    /// `EventSource` cannot send headers).
    pub fn events_url(&self, id: &PaymentId) -> Option<String> {
        let token = self.session.borrow().as_ref()?.token.clone();
        let secret = self.secret_of(id).map(|s| format!("&client_secret={s}")).unwrap_or_default();
        Some(format!("{}/v1/payments/{id}/events?token={}{secret}", self.base, enc(&token)))
    }

    /// Sends one request; `Ok` carries a 2xx body, an error status becomes the server's envelope.
    async fn send(&self, call: &Call, token: Option<&str>) -> Result<String, Failure> {
        use wasm_bindgen::JsCast;
        use wasm_bindgen_futures::JsFuture;

        let window = web_sys::window().ok_or(Failure::Network)?;
        let init = web_sys::RequestInit::new();
        init.set_method(call.method);
        let headers = web_sys::Headers::new().map_err(|_| Failure::Unexpected)?;
        let set = |k: &str, v: &str| headers.set(k, v).map_err(|_| Failure::Unexpected);
        set("Accept", "application/json")?;
        if let Some(body) = &call.body {
            set("Content-Type", "application/json")?;
            init.set_body(&wasm_bindgen::JsValue::from_str(body));
        }
        if let Some(token) = token {
            set("Authorization", &format!("Bearer {token}"))?;
        }
        if let Some(key) = &call.idempotency_key {
            set("Idempotency-Key", key)?;
        }
        if let Some(secret) = call.payment.as_ref().and_then(|id| self.secret_of(id)) {
            set("BBPS-Client-Secret", secret.as_str())?;
        }
        if let Some(tracking) = &call.tracking {
            set("BBPS-Tracking-Token", tracking)?;
        }
        init.set_headers(&headers);
        let url = format!("{}{}", self.base, call.path);
        let response = JsFuture::from(window.fetch_with_str_and_init(&url, &init))
            .await
            .map_err(|_| Failure::Network)?
            .dyn_into::<web_sys::Response>()
            .map_err(|_| Failure::Unexpected)?;
        let status = response.status();
        let text = match response.text() {
            Ok(promise) => JsFuture::from(promise).await.map_err(|_| Failure::Network)?.as_string().unwrap_or_default(),
            Err(_) => return Err(Failure::Network),
        };
        classify(status, text)
    }
}

/// Sorts an HTTP answer: a 2xx body, the error envelope, or (for a gateway's own error page) a network failure.
pub fn classify(status: u16, body: String) -> Result<String, Failure> {
    if (200..300).contains(&status) {
        return Ok(body);
    }
    match wire::decode::<ApiError>(&body) {
        Ok(e) => Err(Failure::Api(e)),
        Err(_) if matches!(status, 0 | 502..=504) => Err(Failure::Network),
        Err(e) => Err(unreadable(e)),
    }
}

pub fn decode<T: Decode>(body: String) -> Result<T, Failure> {
    wire::decode(&body).map_err(unreadable)
}

/// An answer that departs from the contract is [`Failure::Unexpected`] to the customer, whatever the departure.
fn unreadable(e: DecodeError) -> Failure {
    report_unreadable(&e);
    Failure::Unexpected
}

/// Debug builds say on the console where an answer departed from the contract
/// (`payment.receipt.status: "DONE" is not a ReceiptStatus…`); release builds carry no words for it.
pub fn report_unreadable(e: &DecodeError) {
    #[cfg(all(debug_assertions, target_arch = "wasm32"))]
    web_sys::console::error_1(&format!("bbps: unreadable answer: {e}").into());
    #[cfg(not(all(debug_assertions, target_arch = "wasm32")))]
    let _ = e;
}

/// `YYYY-MM-DD`, the API's date format.
pub fn iso_date(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// Percent-encodes a query value (RFC 3986 unreserved characters stay).
pub fn enc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
