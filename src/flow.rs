//! The journey's state machine. [`reduce`] is the only code that changes the [`Flow`]: components render the
//! state and dispatch [`Action`]s; whatever needs the outside world (HTTP, the push channel, storage, the host
//! page) comes back from `reduce` as a [`Command`] that the runtime performs, and its answer arrives as another
//! action. So every transition is plain Rust, testable without a browser or a server.

use std::rc::Rc;

use bbps_core::api::{
    BillQuote, Complaint, CreatePaymentRequest, FetchBillRequest, MAX_TRACK_RANGE_DAYS, MobileNumber, Mode, Payment,
    PaymentSource, QuoteKind, RaiseComplaintRequest, TransactionSummary,
};
use bbps_core::appearance::Appearance;
use bbps_core::biller::category_code;
use bbps_core::clock::parse_date;
use bbps_core::complaint::{Disposition, ServiceReason, ServiceTarget, description_is_valid};
use bbps_core::money::MoneyParseError;
use bbps_core::{
    AmountBounds, AmountError, ApiError, Biller, BillerId, Category, Channel, ComplaintId, ErrorCode, FetchRequirement,
    Paise, ParamValues, PaymentId, PaymentStatus, Timestamp, TxnRef,
};
use time::Date;

use crate::api::{BillerQuery, Failure, TrackQuery};
use crate::config::Theme;
use crate::form::ParamForm;
use crate::i18n::{Locale, Msg, error_msg};
use crate::pattern::Rules;

/// The channel this widget pays on: a web page, in a desktop or a phone browser.
pub const CHANNEL: Channel = Channel::Internet;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Step {
    /// Starting: the session is being opened (or a payment resumed).
    Loading,
    Categories,
    Billers,
    Form,
    /// The fetched bill, or the reason there is none.
    Bill,
    Amount,
    /// The payment from the UPI link to its result, drawn from the server's status.
    Payment,
    Track,
    Complaint,
    ComplaintStatus,
    /// The widget cannot work with this configuration (no key, a refused key or origin).
    Fatal,
}

impl Step {
    /// A stable name for host-page events and `data-step`.
    pub fn name(self) -> &'static str {
        match self {
            Step::Loading => "loading",
            Step::Categories => "categories",
            Step::Billers => "billers",
            Step::Form => "customer_details",
            Step::Bill => "bill",
            Step::Amount => "confirm",
            Step::Payment => "payment",
            Step::Track => "track_payment",
            Step::Complaint => "raise_complaint",
            Step::ComplaintStatus => "track_complaint",
            Step::Fatal => "error",
        }
    }

    fn is_side(self) -> bool {
        matches!(self, Step::Track | Step::Complaint | Step::ComplaintStatus)
    }
}

/// Why the widget cannot start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FatalReason {
    /// No publishable key was given.
    NoKey,
    /// The server refused the key or the embedding origin.
    Refused(ErrorCode),
    /// The page framing the widget is not the one its configuration names (`parent`).
    ParentMismatch,
}

/// What the widget tells the page (or the Yew app) that hosts it. A hint only: the merchant's server confirms a
/// payment by its secret-key API or the signed webhook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WidgetEvent {
    /// The first screen is up and usable.
    Ready {
        locale: Locale,
        mode: Mode,
    },
    StepChanged(&'static str),
    /// The payer's money moved and the bill payment is settling (or is deemed and will settle).
    PaymentPending {
        payment_id: PaymentId,
        status: PaymentStatus,
    },
    /// The server reported `completed`.
    PaymentSucceeded {
        payment_id: PaymentId,
        txn_ref: TxnRef,
    },
    /// Declined, expired, or the bill payment failed (and the money goes back).
    PaymentFailed {
        payment_id: PaymentId,
        status: PaymentStatus,
        code: Option<String>,
    },
    ComplaintRaised {
        complaint_id: ComplaintId,
    },
    /// The customer pressed Close or Done (offered when [`Env::closable`]).
    Close,
    /// The widget cannot work with its configuration (no key, a refused key or origin, a foreign framing page);
    /// `code` is the API's error code when there is one.
    Error {
        code: Option<ErrorCode>,
    },
}

/// Everything the flow needs from its environment at start; given, so that `reduce` stays pure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Env {
    pub locale: Locale,
    /// A phone (intent links first) rather than a desktop (QR first).
    pub phone: bool,
    /// Android, where intent links can target one app.
    pub android: bool,
    pub now_ms: i64,
    /// Random, per widget load: the stem of every idempotency key.
    pub nonce: String,
    /// Where the API (and the sandbox UPI app) is: empty for this page's origin.
    pub api_base: String,
    pub theme: Theme,
    /// The merchant's checked appearance variables.
    pub appearance: Option<Appearance>,
    /// The host can close the widget: offer Close and Done.
    pub closable: bool,
}

/// How the start was configured.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StartOptions {
    pub category: Option<String>,
    pub biller: Option<BillerId>,
    /// A payment found in session storage: follow it instead of starting a new journey.
    pub resume: Option<PaymentId>,
    /// Known before any call (no key, a foreign framing page): show the configuration error.
    pub fatal: Option<FatalReason>,
}

/// A biller and its compiled param rules (patterns compile once, not per keystroke).
#[derive(Clone)]
pub struct BillerCtx {
    pub biller: Rc<Biller>,
    pub rules: Rc<Rules>,
}

impl BillerCtx {
    pub fn new(biller: Biller) -> BillerCtx {
        BillerCtx { rules: Rc::new(Rules::with_engine(&biller)), biller: Rc::new(biller) }
    }
}

impl std::fmt::Debug for BillerCtx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("BillerCtx").field(&self.biller.id).finish()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Search {
    /// The category code the results are for.
    pub category: Option<String>,
    pub query: String,
    /// State code, empty for every state.
    pub state: String,
    pub items: Vec<bbps_core::api::BillerSummary>,
    pub total: u32,
    pub page: u32,
    pub loading: bool,
    /// Numbers each request so that a late answer to an older query is ignored.
    pub seq: u32,
    /// The option the arrow keys are on.
    pub active: Option<usize>,
    /// Some result serves one state only, so the state filter is worth showing.
    pub regional: bool,
}

/// The customer's choice of amount and mobile number on the confirm step.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AmountForm {
    /// The fetched bill's amount option, by name; `None` for the bill amount.
    pub option: Option<String>,
    pub input: String,
    pub mobile: String,
    pub amount_touched: bool,
    pub mobile_touched: bool,
    pub submitted: bool,
    /// The server's refusal of the amount (`amount_*`, `upi_not_accepted`).
    pub amount_server: Option<ErrorCode>,
    pub mobile_server: Option<ErrorCode>,
}

/// What is wrong with the amount as typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AmountIssue {
    Parse(MoneyParseError),
    Rule(AmountError),
    Server(ErrorCode),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrackField {
    TxnRef,
    Mobile,
    From,
    To,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrackForm {
    pub by_mobile: bool,
    pub txn_ref: String,
    pub mobile: String,
    /// `YYYY-MM-DD`, as a date input gives it.
    pub from: String,
    pub to: String,
    pub submitted: bool,
    pub loading: bool,
    pub server: Option<(TrackField, ErrorCode)>,
    pub results: Option<Vec<TransactionSummary>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ComplaintField {
    TxnRef,
    Disposition,
    TargetId,
    Reason,
    Mobile,
    Description,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ComplaintForm {
    /// Service-based (against a biller or an agent) rather than transaction-based.
    pub service: bool,
    pub txn_ref: String,
    pub disposition: Option<Disposition>,
    /// Against an agent rather than a biller (service-based).
    pub agent: bool,
    pub target_id: String,
    pub reason: Option<ServiceReason>,
    pub mobile: String,
    pub description: String,
    pub submitted: bool,
    pub sending: bool,
    pub server: Option<(ComplaintField, ErrorCode)>,
    pub raised: Option<Complaint>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ComplaintLookup {
    pub id: String,
    pub submitted: bool,
    pub loading: bool,
    pub server: Option<ErrorCode>,
    pub result: Option<Complaint>,
}

/// A failed call shown above the step, with the call to try again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub failure: Failure,
    pub retry: Option<Command>,
}

/// The whole journey's state.
#[derive(Debug, Clone)]
pub struct Flow {
    pub env: Env,
    pub locale: Locale,
    pub theme: Theme,
    /// The root's `style`: the appearance variables as CSS custom properties (empty for the default look).
    pub style: String,
    pub step: Step,
    /// Where a side screen (track, complaints) returns to.
    pub side_return: Step,
    pub fatal: Option<FatalReason>,
    pub mode: Option<Mode>,
    pub start: StartOptions,
    pub categories: Option<Vec<Category>>,
    pub category: Option<String>,
    pub search: Search,
    pub biller: Option<BillerCtx>,
    pub biller_loading: bool,
    pub form: ParamForm,
    /// Params as accepted by the rules: what went to fetch/validate, and what a direct payment sends.
    pub accepted: Option<ParamValues>,
    pub quote: Option<BillQuote>,
    /// Why there is no bill to pay (no bill due, invalid account, biller down…), shown on the bill step.
    pub outcome: Option<ApiError>,
    pub fetching: bool,
    /// A new QR was asked for: pay as soon as the bill is fetched again.
    pub auto_pay: bool,
    pub amount: AmountForm,
    pub attempt: u32,
    pub creating: bool,
    pub payment_id: Option<PaymentId>,
    pub payment: Option<Payment>,
    /// The push channel and polling both fail for now; the widget keeps trying.
    pub reconnecting: bool,
    /// Show the QR on a phone, or the intent buttons on a desktop.
    pub swap_pay_view: bool,
    pub track: TrackForm,
    pub complaint: ComplaintForm,
    pub lookup: ComplaintLookup,
    pub problem: Option<Problem>,
    /// Bumped when a submit finds errors, so the view moves focus to the first one.
    pub error_focus: u32,
}

#[derive(Debug, Clone)]
pub enum Action {
    Start(StartOptions),
    SessionReady(Mode),
    CategoriesLoaded(Vec<Category>),
    PickCategory(String),
    SearchInput(String),
    StateFilter(String),
    MoreBillers,
    /// Arrow keys in the biller search: +1 down, -1 up.
    MoveActive(i32),
    BillersLoaded {
        seq: u32,
        page: bbps_core::api::BillerPage,
    },
    PickBiller(BillerId),
    /// Back to the biller list from an outcome ("choose another biller").
    ChangeBiller,
    BillerLoaded(Biller),
    ParamInput {
        name: String,
        value: String,
    },
    ParamBlur(String),
    SubmitParams,
    QuoteLoaded(BillQuote),
    ChooseAmountOption(Option<String>),
    ConfirmBill,
    /// From "no bill due" at an optional-fetch biller: pay an amount of one's own.
    PayWithoutBill,
    AmountInput(String),
    AmountBlur,
    MobileInput(String),
    MobileBlur,
    SubmitPayment,
    PaymentCreated(Payment),
    PaymentUpdated(Payment),
    Reconnecting(bool),
    SwapPayView,
    /// "Generate a new QR" after expiry, or "Try again" after a failed payment.
    PayAgain,
    Tick(i64),
    Back,
    /// Start a new journey at the category grid.
    Home,
    SetLocale(Locale),
    SetTheme(Theme),
    /// Applies a checked appearance (its variables; its theme comes as [`Action::SetTheme`]).
    SetAppearance(Appearance),
    /// Close or Done: tells the host.
    Close,
    Retry,
    DismissProblem,
    OpenTrack,
    TrackMode(bool),
    TrackInput {
        field: TrackField,
        value: String,
    },
    SubmitTrack,
    TrackLoaded(Vec<TransactionSummary>),
    OpenPayment(PaymentId),
    OpenComplaint(Option<TxnRef>),
    ComplaintService(bool),
    ComplaintAgent(bool),
    ComplaintInput {
        field: ComplaintField,
        value: String,
    },
    SubmitComplaint,
    ComplaintRaised(Complaint),
    OpenComplaintStatus(Option<ComplaintId>),
    LookupInput(String),
    SubmitLookup,
    ComplaintLoaded(Complaint),
    /// A command failed; what it means depends on the command and the error.
    Failed {
        command: Command,
        failure: Failure,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    OpenSession,
    LoadCategories,
    /// `debounce`: wait a moment for more typing before asking.
    SearchBillers {
        seq: u32,
        query: BillerQuery,
        debounce: bool,
    },
    LoadBiller(BillerId),
    FetchBill(FetchBillRequest),
    ValidateBill(FetchBillRequest),
    CreatePayment {
        request: CreatePaymentRequest,
        idempotency_key: String,
    },
    /// Follow a payment: its push channel, polling when that fails, until a final status.
    Follow(PaymentId),
    StopFollowing,
    /// Keep (or forget) the payment in progress in session storage.
    Remember(Option<PaymentId>),
    Track(TrackQuery),
    RaiseComplaint(RaiseComplaintRequest),
    LoadComplaint(ComplaintId),
    Notify(WidgetEvent),
}

impl Flow {
    pub fn new(env: Env) -> Flow {
        Flow {
            locale: env.locale,
            theme: env.theme,
            style: env.appearance.as_ref().map(Appearance::to_style).unwrap_or_default(),
            env,
            step: Step::Loading,
            side_return: Step::Categories,
            fatal: None,
            mode: None,
            start: StartOptions::default(),
            categories: None,
            category: None,
            search: Search::default(),
            biller: None,
            biller_loading: false,
            form: ParamForm::default(),
            accepted: None,
            quote: None,
            outcome: None,
            fetching: false,
            auto_pay: false,
            amount: AmountForm::default(),
            attempt: 0,
            creating: false,
            payment_id: None,
            payment: None,
            reconnecting: false,
            swap_pay_view: false,
            track: TrackForm::default(),
            complaint: ComplaintForm::default(),
            lookup: ComplaintLookup::default(),
            problem: None,
            error_focus: 0,
        }
    }

    /// Where the back button goes from here; `None` hides it.
    pub fn back_target(&self) -> Option<Step> {
        match self.step {
            Step::Billers => Some(Step::Categories),
            Step::Form if self.category.is_some() => Some(Step::Billers),
            Step::Form => Some(Step::Categories),
            Step::Bill => Some(Step::Form),
            Step::Amount if self.quote.as_ref().is_some_and(|q| q.kind == QuoteKind::Fetched) => Some(Step::Bill),
            Step::Amount => Some(Step::Form),
            Step::Track | Step::Complaint | Step::ComplaintStatus => Some(self.side_return),
            Step::Loading | Step::Categories | Step::Payment | Step::Fatal => None,
        }
    }

    pub fn category_name(&self, code: &str) -> Option<&str> {
        self.categories.as_ref()?.iter().find(|c| c.code == code).map(|c| c.name.as_str())
    }

    /// The amount rules on the confirm step: the quote's (or its chosen option's), or the biller's for a
    /// direct payment.
    pub fn bounds(&self) -> Result<AmountBounds, AmountError> {
        let ctx = self.biller.as_ref().ok_or(AmountError::UpiNotAccepted)?;
        match &self.quote {
            None => AmountBounds::new(&ctx.biller, None, CHANNEL),
            Some(q) => match self.chosen_option(q) {
                Some(amount) => AmountBounds::new(&ctx.biller, Some(amount), CHANNEL),
                None => Ok(q.amount_bounds),
            },
        }
    }

    fn chosen_option(&self, q: &BillQuote) -> Option<Paise> {
        let name = self.amount.option.as_deref()?;
        q.bill.as_ref()?.amount_options.iter().find(|o| o.name == name).map(|o| o.amount)
    }

    /// The amount as typed, checked against [`Flow::bounds`].
    pub fn amount_value(&self) -> Result<Paise, AmountIssue> {
        if let Some(code) = self.amount.amount_server {
            return Err(AmountIssue::Server(code));
        }
        let bounds = self.bounds().map_err(AmountIssue::Rule)?;
        let amount = Paise::parse_rupees(&self.amount.input).map_err(AmountIssue::Parse)?;
        bounds.check(amount).map_err(AmountIssue::Rule)?;
        Ok(amount)
    }

    /// The amount's error as shown now (after the field was left, or a submit).
    pub fn amount_issue(&self) -> Option<AmountIssue> {
        let shown = self.amount.amount_touched || self.amount.submitted || self.amount.amount_server.is_some();
        if shown { self.amount_value().err() } else { None }
    }

    pub fn mobile_issue(&self) -> Option<Msg> {
        if let Some(code) = self.amount.mobile_server {
            return Some(error_msg(code));
        }
        let shown = self.amount.mobile_touched || self.amount.submitted;
        (shown && MobileNumber::parse(&self.amount.mobile).is_none()).then_some(Msg::ErrMobileInvalid)
    }

    /// A new QR (or another try) can be made here: the journey that led to the payment is still known.
    pub fn can_pay_again(&self) -> bool {
        self.biller.as_ref().zip(self.payment.as_ref()).is_some_and(|(b, p)| b.biller.id == p.biller_id)
            && (self.quote.is_some() || self.accepted.is_some())
    }

    /// Today in IST, for "overdue" and the tracking date range.
    pub fn today(&self) -> Option<Date> {
        Timestamp::from_unix_millis(self.env.now_ms).map(Timestamp::ist_date)
    }

    /// The message beside a tracking field, if any.
    pub fn track_issue(&self, field: TrackField) -> Option<Msg> {
        if let Some((f, code)) = self.track.server
            && f == field
        {
            return Some(error_msg(code));
        }
        if !self.track.submitted {
            return None;
        }
        let t = &self.track;
        let bad = |b: bool, m: Msg| b.then_some(m);
        match field {
            TrackField::TxnRef if !t.by_mobile => bad(TxnRef::parse(t.txn_ref.trim()).is_err(), Msg::TxnRefInvalid),
            TrackField::Mobile if t.by_mobile => bad(MobileNumber::parse(&t.mobile).is_none(), Msg::ErrMobileInvalid),
            TrackField::From if t.by_mobile => bad(parse_date(t.from.trim()).is_none(), Msg::DateInvalid),
            TrackField::To if t.by_mobile => match (parse_date(t.from.trim()), parse_date(t.to.trim())) {
                (_, None) => Some(Msg::DateInvalid),
                (Some(from), Some(to)) if to < from || (to - from).whole_days() > MAX_TRACK_RANGE_DAYS => {
                    Some(Msg::ErrDateRange)
                }
                _ => None,
            },
            _ => None,
        }
    }

    /// The message beside a complaint field, if any.
    pub fn complaint_issue(&self, field: ComplaintField) -> Option<Msg> {
        let c = &self.complaint;
        if let Some((f, code)) = c.server
            && f == field
        {
            return Some(error_msg(code));
        }
        if !c.submitted {
            return None;
        }
        let (bad, msg) = match field {
            ComplaintField::TxnRef => (!c.service && TxnRef::parse(c.txn_ref.trim()).is_err(), Msg::TxnRefInvalid),
            ComplaintField::Disposition => (!c.service && c.disposition.is_none(), Msg::ChooseWhatWentWrong),
            ComplaintField::TargetId => (c.service && self.complaint_target().is_none(), Msg::ErrComplaintTarget),
            ComplaintField::Reason => {
                (c.service && c.reason.is_none_or(|r| r.is_agent_reason() != c.agent), Msg::ChooseReason)
            }
            ComplaintField::Mobile => (c.service && MobileNumber::parse(&c.mobile).is_none(), Msg::ErrMobileInvalid),
            ComplaintField::Description => (!description_is_valid(&c.description), Msg::ErrComplaintDescription),
        };
        bad.then_some(msg)
    }

    fn complaint_target(&self) -> Option<ServiceTarget> {
        let id = self.complaint.target_id.trim();
        if self.complaint.agent {
            let ok = (1..=20).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric());
            ok.then(|| ServiceTarget::Agent { agent_id: id.to_owned() })
        } else {
            BillerId::parse(id).ok().map(|biller_id| ServiceTarget::Biller { biller_id })
        }
    }

    pub fn lookup_issue(&self) -> Option<Msg> {
        if let Some(code) = self.lookup.server {
            return Some(error_msg(code));
        }
        (self.lookup.submitted && ComplaintId::parse(self.lookup.id.trim()).is_err()).then_some(Msg::ComplaintIdInvalid)
    }

    fn idempotency_key(&self) -> String {
        format!("{}-{}", self.env.nonce, self.attempt)
    }
}

/// A stable key for a service reason (the value of its `<option>`).
pub fn reason_key(r: ServiceReason) -> &'static str {
    match r {
        ServiceReason::AgentOvercharging => "agent_overcharging",
        ServiceReason::AgentMisbehaviour => "agent_misbehaviour",
        ServiceReason::AgentNotIssuingReceipt => "agent_not_issuing_receipt",
        ServiceReason::AgentOutletClosed => "agent_outlet_closed",
        ServiceReason::AgentRefusingComplaint => "agent_refusing_complaint",
        ServiceReason::BillerServiceNotProvided => "biller_service_not_provided",
        ServiceReason::BillerWrongBill => "biller_wrong_bill",
        ServiceReason::BillerPaymentNotUpdated => "biller_payment_not_updated",
        ServiceReason::BillerUnreachable => "biller_unreachable",
    }
}

/// Params by name. Inserted one by one: collecting into a map pulls in a sort this small map does not need.
fn param_values(pairs: impl IntoIterator<Item = (String, String)>) -> ParamValues {
    let mut values = ParamValues::new();
    for (k, v) in pairs {
        values.insert(k, v);
    }
    values
}

/// Applies one action. Returns the commands the runtime must perform, in order.
pub fn reduce(flow: &mut Flow, action: Action) -> Vec<Command> {
    let before = flow.step;
    let mut out = Vec::new();
    apply(flow, action, &mut out);
    if flow.step != before {
        out.push(Command::Notify(WidgetEvent::StepChanged(flow.step.name())));
    }
    out
}

fn apply(f: &mut Flow, action: Action, out: &mut Vec<Command>) {
    match action {
        Action::Start(opts) => {
            if let Some(reason) = opts.fatal {
                let code = (reason == FatalReason::ParentMismatch).then_some(ErrorCode::OriginNotAllowed);
                out.push(Command::Notify(WidgetEvent::Error { code }));
                f.fatal = Some(reason);
                f.step = Step::Fatal;
                return;
            }
            f.start = opts;
            out.push(Command::OpenSession);
        }
        Action::SessionReady(mode) => {
            f.mode = Some(mode);
            out.push(Command::LoadCategories);
            let start = std::mem::take(&mut f.start);
            if let Some(id) = start.resume {
                follow(f, id, out);
            } else if let Some(id) = start.biller {
                f.category = start.category;
                pick_biller(f, id, out);
            } else if let Some(code) = start.category {
                pick_category(f, code, out);
            } else {
                f.step = Step::Categories;
            }
            out.push(Command::Notify(WidgetEvent::Ready { locale: f.locale, mode }));
        }
        Action::CategoriesLoaded(list) => f.categories = Some(list),
        Action::PickCategory(code) => pick_category(f, code, out),
        Action::SearchInput(q) => {
            f.search.query = q;
            search(f, 1, true, out);
        }
        Action::StateFilter(state) => {
            f.search.state = state;
            search(f, 1, false, out);
        }
        Action::MoreBillers => {
            if !f.search.loading && (f.search.items.len() as u32) < f.search.total {
                let next = f.search.page + 1;
                search(f, next, false, out);
            }
        }
        Action::MoveActive(delta) => {
            let n = f.search.items.len() as i32;
            if n > 0 {
                let at = f.search.active.map_or(if delta > 0 { -1 } else { n }, |a| a as i32);
                f.search.active = Some((at + delta).clamp(0, n - 1) as usize);
            }
        }
        Action::BillersLoaded { seq, page } => {
            if seq != f.search.seq {
                return;
            }
            f.search.loading = false;
            f.search.regional |= page.items.iter().any(|b| b.coverage.state().is_some());
            if page.page <= 1 {
                f.search.items = page.items;
                f.search.active = None;
            } else {
                f.search.items.extend(page.items);
            }
            f.search.page = page.page.max(1);
            f.search.total = page.total;
        }
        Action::PickBiller(id) => pick_biller(f, id, out),
        Action::ChangeBiller => {
            f.problem = None;
            match f.category.clone() {
                Some(code) => pick_category(f, code, out),
                None => f.step = Step::Categories,
            }
        }
        Action::BillerLoaded(biller) => {
            f.biller_loading = false;
            if f.category.is_none() {
                f.category = Some(category_code(&biller.category));
            }
            f.biller = Some(BillerCtx::new(biller));
        }
        Action::ParamInput { name, value } => f.form.input(&name, value),
        Action::ParamBlur(name) => f.form.blur(&name),
        Action::SubmitParams => submit_params(f, out),
        Action::QuoteLoaded(quote) => {
            f.fetching = false;
            f.outcome = None;
            let kind = quote.kind;
            let same_amount = f.quote.as_ref().is_some_and(|q| q.amount_bounds == quote.amount_bounds);
            f.quote = Some(quote);
            // Pay straight on only for the same bill: a changed amount is the customer's to confirm.
            let auto_pay = std::mem::take(&mut f.auto_pay) && same_amount;
            if !auto_pay {
                f.amount.option = None;
                f.amount.input = suggested(f);
            }
            prefill_mobile(f);
            if auto_pay && f.amount_value().is_ok() {
                submit_payment(f, out);
            } else {
                f.step = if kind == QuoteKind::Fetched { Step::Bill } else { Step::Amount };
            }
        }
        Action::ChooseAmountOption(option) => {
            if f.amount.option != option {
                f.amount.option = option;
                f.amount.amount_server = None;
                f.amount.input = suggested(f);
            }
        }
        Action::ConfirmBill => {
            if f.amount.input.is_empty() {
                f.amount.input = suggested(f);
            }
            f.step = Step::Amount;
        }
        Action::PayWithoutBill => {
            f.quote = None;
            f.outcome = None;
            f.amount.option = None;
            f.amount.input.clear();
            f.step = Step::Amount;
        }
        Action::AmountInput(s) => {
            f.amount.input = s;
            f.amount.amount_server = None;
        }
        Action::AmountBlur => f.amount.amount_touched = true,
        Action::MobileInput(s) => {
            f.amount.mobile = s;
            f.amount.mobile_server = None;
        }
        Action::MobileBlur => f.amount.mobile_touched = true,
        Action::SubmitPayment => {
            f.amount.submitted = true;
            if f.amount_value().is_ok() && f.mobile_issue().is_none() {
                submit_payment(f, out);
            } else {
                f.error_focus += 1;
            }
        }
        Action::PaymentCreated(p) => {
            f.creating = false;
            let id = p.id.clone();
            out.push(Command::Remember(Some(id.clone())));
            f.payment_id = Some(id.clone());
            let terminal = p.status.is_terminal();
            payment_update(f, p, out);
            if !terminal {
                out.push(Command::Follow(id));
            }
            f.step = Step::Payment;
        }
        Action::PaymentUpdated(p) => {
            if f.payment_id.as_ref() == Some(&p.id) {
                f.reconnecting = false;
                payment_update(f, p, out);
            }
        }
        Action::Reconnecting(on) => f.reconnecting = on,
        Action::SwapPayView => f.swap_pay_view = !f.swap_pay_view,
        Action::PayAgain => {
            if !f.can_pay_again() {
                home(f, out);
                return;
            }
            out.push(Command::StopFollowing);
            out.push(Command::Remember(None));
            f.payment = None;
            f.payment_id = None;
            if !refetch_and_pay(f, out) {
                submit_payment(f, out);
            }
        }
        Action::Tick(now) => f.env.now_ms = now,
        Action::Back => {
            if let Some(to) = f.back_target() {
                f.problem = None;
                f.step = to;
            }
        }
        Action::Home => home(f, out),
        Action::SetLocale(l) => f.locale = l,
        Action::SetTheme(t) => f.theme = t,
        Action::SetAppearance(a) => f.style = a.to_style(),
        Action::Close => out.push(Command::Notify(WidgetEvent::Close)),
        Action::Retry => {
            if let Some(Problem { retry: Some(cmd), .. }) = f.problem.take() {
                mark_busy(f, &cmd);
                out.push(cmd);
            }
        }
        Action::DismissProblem => f.problem = None,
        Action::OpenTrack => {
            open_side(f, Step::Track);
            if f.track.from.is_empty()
                && let Some(today) = f.today()
            {
                f.track.to = crate::api::iso_date(today);
                f.track.from = crate::api::iso_date(today - time::Duration::days(30));
            }
        }
        Action::TrackMode(by_mobile) => {
            f.track.by_mobile = by_mobile;
            f.track.submitted = false;
            f.track.server = None;
        }
        Action::TrackInput { field, value } => {
            if f.track.server.is_some_and(|(sf, _)| sf == field) {
                f.track.server = None;
            }
            let t = &mut f.track;
            match field {
                TrackField::TxnRef => t.txn_ref = value.to_ascii_uppercase(),
                TrackField::Mobile => t.mobile = value,
                TrackField::From => t.from = value,
                TrackField::To => t.to = value,
            }
        }
        Action::SubmitTrack => {
            f.track.submitted = true;
            f.track.server = None;
            let fields = [TrackField::TxnRef, TrackField::Mobile, TrackField::From, TrackField::To];
            if fields.iter().any(|&fl| f.track_issue(fl).is_some()) {
                f.error_focus += 1;
                return;
            }
            let t = &f.track;
            let query = if t.by_mobile {
                match (MobileNumber::parse(&t.mobile), parse_date(t.from.trim()), parse_date(t.to.trim())) {
                    (Some(mobile), Some(from), Some(to)) => TrackQuery::ByMobile { mobile, from, to },
                    _ => return,
                }
            } else {
                match TxnRef::parse(t.txn_ref.trim()) {
                    Ok(r) => TrackQuery::ByRef(r),
                    Err(_) => return,
                }
            };
            f.track.loading = true;
            f.track.results = None;
            out.push(Command::Track(query));
        }
        Action::TrackLoaded(items) => {
            f.track.loading = false;
            f.track.results = Some(items);
        }
        Action::OpenPayment(id) => {
            out.push(Command::StopFollowing);
            follow(f, id, out);
        }
        Action::OpenComplaint(txn_ref) => {
            open_side(f, Step::Complaint);
            let c = &mut f.complaint;
            if c.raised.is_some() {
                *c = ComplaintForm::default();
            }
            if let Some(r) = txn_ref {
                c.service = false;
                c.txn_ref = r.to_string();
            }
            if c.mobile.is_empty() {
                c.mobile = f.amount.mobile.clone();
            }
        }
        Action::ComplaintService(service) => {
            f.complaint.service = service;
            f.complaint.submitted = false;
            f.complaint.server = None;
        }
        Action::ComplaintAgent(agent) => {
            f.complaint.agent = agent;
            f.complaint.reason = None;
            f.complaint.server = None;
        }
        Action::ComplaintInput { field, value } => {
            let c = &mut f.complaint;
            if c.server.is_some_and(|(sf, _)| sf == field) {
                c.server = None;
            }
            match field {
                ComplaintField::TxnRef => c.txn_ref = value.to_ascii_uppercase(),
                ComplaintField::Disposition => c.disposition = Disposition::ALL.into_iter().find(|d| d.code() == value),
                ComplaintField::TargetId => c.target_id = value.to_ascii_uppercase(),
                ComplaintField::Reason => c.reason = ServiceReason::ALL.into_iter().find(|r| reason_key(*r) == value),
                ComplaintField::Mobile => c.mobile = value,
                ComplaintField::Description => c.description = value,
            }
        }
        Action::SubmitComplaint => submit_complaint(f, out),
        Action::ComplaintRaised(c) => {
            f.complaint.sending = false;
            out.push(Command::Notify(WidgetEvent::ComplaintRaised { complaint_id: c.id.clone() }));
            f.lookup.id = c.id.to_string();
            f.complaint.raised = Some(c);
        }
        Action::OpenComplaintStatus(id) => {
            open_side(f, Step::ComplaintStatus);
            if let Some(id) = id {
                f.lookup = ComplaintLookup { id: id.to_string(), ..ComplaintLookup::default() };
                submit_lookup(f, out);
            }
        }
        Action::LookupInput(s) => {
            f.lookup.id = s.to_ascii_uppercase();
            f.lookup.server = None;
        }
        Action::SubmitLookup => submit_lookup(f, out),
        Action::ComplaintLoaded(c) => {
            f.lookup.loading = false;
            f.lookup.result = Some(c);
        }
        Action::Failed { command, failure } => failed(f, command, failure, out),
    }
}

fn open_side(f: &mut Flow, step: Step) {
    if !f.step.is_side() && !matches!(f.step, Step::Loading | Step::Fatal) {
        f.side_return = f.step;
    }
    f.problem = None;
    f.step = step;
}

fn home(f: &mut Flow, out: &mut Vec<Command>) {
    out.push(Command::StopFollowing);
    out.push(Command::Remember(None));
    f.payment = None;
    f.payment_id = None;
    f.quote = None;
    f.outcome = None;
    f.auto_pay = false;
    f.problem = None;
    f.amount = AmountForm { mobile: std::mem::take(&mut f.amount.mobile), ..AmountForm::default() };
    f.step = Step::Categories;
}

fn pick_category(f: &mut Flow, code: String, out: &mut Vec<Command>) {
    f.step = Step::Billers;
    f.problem = None;
    f.category = Some(code.clone());
    if f.search.category.as_deref() != Some(code.as_str()) {
        f.search = Search { category: Some(code), seq: f.search.seq, ..Search::default() };
        search(f, 1, false, out);
    }
}

fn search(f: &mut Flow, page: u32, debounce: bool, out: &mut Vec<Command>) {
    let Some(category) = f.search.category.clone() else { return };
    f.search.seq += 1;
    f.search.loading = true;
    let query = BillerQuery { category, q: f.search.query.clone(), state: f.search.state.clone(), page };
    out.push(Command::SearchBillers { seq: f.search.seq, query, debounce });
}

fn pick_biller(f: &mut Flow, id: BillerId, out: &mut Vec<Command>) {
    f.step = Step::Form;
    f.problem = None;
    if f.biller.as_ref().is_some_and(|b| b.biller.id == id) {
        return;
    }
    f.biller = None;
    f.biller_loading = true;
    f.form = ParamForm::default();
    f.accepted = None;
    f.quote = None;
    f.outcome = None;
    f.amount = AmountForm { mobile: std::mem::take(&mut f.amount.mobile), ..AmountForm::default() };
    out.push(Command::LoadBiller(id));
}

fn submit_params(f: &mut Flow, out: &mut Vec<Command>) {
    let Some(ctx) = f.biller.clone() else { return };
    f.form.submitted = true;
    let accepted = match ctx.rules.validate(&f.form.values) {
        Ok(accepted) if f.form.server.is_empty() => accepted,
        _ => {
            f.error_focus += 1;
            return;
        }
    };
    let params = param_values(accepted);
    f.accepted = Some(params.clone());
    f.problem = None;
    let req = FetchBillRequest { biller_id: ctx.biller.id.clone(), params, channel: CHANNEL };
    match ctx.biller.fetch_requirement {
        FetchRequirement::NotSupported if !ctx.biller.supports_validation => {
            f.quote = None;
            f.outcome = None;
            if f.amount.input.is_empty() {
                f.amount.input = suggested(f);
            }
            prefill_mobile(f);
            f.step = Step::Amount;
        }
        FetchRequirement::NotSupported => {
            f.fetching = true;
            out.push(Command::ValidateBill(req));
        }
        FetchRequirement::Mandatory | FetchRequirement::Optional => {
            f.fetching = true;
            out.push(Command::FetchBill(req));
        }
    }
}

/// The amount to pre-fill: the bill's (or the chosen option's), as plain rupees.
fn suggested(f: &Flow) -> String {
    f.bounds().ok().and_then(|b| b.suggested).map(Paise::to_decimal_string).unwrap_or_default()
}

/// A mobile number the customer already typed as a biller param saves typing it twice.
fn prefill_mobile(f: &mut Flow) {
    if !f.amount.mobile.is_empty() {
        return;
    }
    let from_params = f.form.values.values().find_map(|v| MobileNumber::parse(v));
    if let Some(m) = from_params {
        f.amount.mobile = m.as_str().to_owned();
    }
}

fn submit_payment(f: &mut Flow, out: &mut Vec<Command>) {
    let (Ok(amount), Some(mobile), Some(ctx)) =
        (f.amount_value(), MobileNumber::parse(&f.amount.mobile), f.biller.as_ref())
    else {
        return;
    };
    let source = match &f.quote {
        Some(q) => PaymentSource::Quote { quote_id: q.id.clone(), amount_option: f.amount.option.clone() },
        None => {
            PaymentSource::Direct { biller_id: ctx.biller.id.clone(), params: f.accepted.clone().unwrap_or_default() }
        }
    };
    f.attempt += 1;
    f.creating = true;
    f.problem = None;
    f.step = Step::Amount;
    let request = CreatePaymentRequest { source, amount, customer_mobile: mobile, channel: CHANNEL };
    out.push(Command::CreatePayment { request, idempotency_key: f.idempotency_key() });
}

/// Fetches (or validates) the current quote's bill again and pays as soon as it arrives. `false` when the
/// journey has no quote to renew.
fn refetch_and_pay(f: &mut Flow, out: &mut Vec<Command>) -> bool {
    let (Some(q), Some(ctx)) = (&f.quote, &f.biller) else { return false };
    let params = param_values(q.params.iter().map(|i| (i.name.clone(), i.value.clone())));
    let req = FetchBillRequest { biller_id: ctx.biller.id.clone(), params, channel: CHANNEL };
    out.push(if q.kind == QuoteKind::Fetched { Command::FetchBill(req) } else { Command::ValidateBill(req) });
    f.auto_pay = true;
    f.fetching = true;
    f.step = Step::Amount;
    true
}

fn follow(f: &mut Flow, id: PaymentId, out: &mut Vec<Command>) {
    f.payment = None;
    f.payment_id = Some(id.clone());
    f.reconnecting = false;
    f.problem = None;
    f.step = Step::Payment;
    out.push(Command::Follow(id));
}

fn payment_update(f: &mut Flow, p: Payment, out: &mut Vec<Command>) {
    let before = f.payment.as_ref().map(|old| old.status);
    if before != Some(p.status) {
        if let Some(event) = payment_event(&p) {
            out.push(Command::Notify(event));
        }
        if p.status.is_terminal() {
            out.push(Command::StopFollowing);
        }
    }
    f.payment = Some(p);
}

fn payment_event(p: &Payment) -> Option<WidgetEvent> {
    let payment_id = p.id.clone();
    let failed = |code: Option<String>| WidgetEvent::PaymentFailed { payment_id: p.id.clone(), status: p.status, code };
    Some(match p.status {
        PaymentStatus::Created | PaymentStatus::AwaitingPayment => return None,
        PaymentStatus::Paid | PaymentStatus::BillPaymentPending => {
            WidgetEvent::PaymentPending { payment_id, status: p.status }
        }
        PaymentStatus::Completed => match &p.receipt {
            Some(r) => WidgetEvent::PaymentSucceeded { payment_id, txn_ref: r.txn_ref.clone() },
            None => WidgetEvent::PaymentPending { payment_id, status: p.status },
        },
        PaymentStatus::BillPaymentFailed
        | PaymentStatus::RefundPending
        | PaymentStatus::Refunded
        | PaymentStatus::Expired
        | PaymentStatus::PaymentFailed => failed(p.failure.as_ref().map(|x| x.code.clone())),
    })
}

fn submit_complaint(f: &mut Flow, out: &mut Vec<Command>) {
    f.complaint.submitted = true;
    f.complaint.server = None;
    use ComplaintField::*;
    if [TxnRef, Disposition, TargetId, Reason, Mobile, Description].into_iter().any(|x| f.complaint_issue(x).is_some())
    {
        f.error_focus += 1;
        return;
    }
    let c = &f.complaint;
    let description = c.description.trim().to_owned();
    let req = if c.service {
        match (f.complaint_target(), c.reason, MobileNumber::parse(&c.mobile)) {
            (Some(target), Some(reason), Some(customer_mobile)) => {
                RaiseComplaintRequest::Service { target, reason, description, customer_mobile }
            }
            _ => return,
        }
    } else {
        match (bbps_core::TxnRef::parse(c.txn_ref.trim()), c.disposition) {
            (Ok(txn_ref), Some(disposition)) => {
                RaiseComplaintRequest::Transaction { txn_ref, disposition, description }
            }
            _ => return,
        }
    };
    f.complaint.sending = true;
    out.push(Command::RaiseComplaint(req));
}

fn submit_lookup(f: &mut Flow, out: &mut Vec<Command>) {
    f.lookup.submitted = true;
    f.lookup.server = None;
    match ComplaintId::parse(f.lookup.id.trim()) {
        Ok(id) => {
            f.lookup.loading = true;
            f.lookup.result = None;
            out.push(Command::LoadComplaint(id));
        }
        Err(_) => f.error_focus += 1,
    }
}

/// Marks the flow busy again for a command being retried.
fn mark_busy(f: &mut Flow, cmd: &Command) {
    match cmd {
        Command::SearchBillers { .. } => f.search.loading = true,
        Command::LoadBiller(_) => f.biller_loading = true,
        Command::FetchBill(_) | Command::ValidateBill(_) => f.fetching = true,
        Command::CreatePayment { .. } => f.creating = true,
        Command::Track(_) => f.track.loading = true,
        Command::RaiseComplaint(_) => f.complaint.sending = true,
        Command::LoadComplaint(_) => f.lookup.loading = true,
        _ => {}
    }
}

/// One place decides what each failure means for each call: a message and a retry button, an error beside a
/// field, an outcome screen, or the configuration error.
fn failed(f: &mut Flow, command: Command, failure: Failure, out: &mut Vec<Command>) {
    // Stop every spinner the call started; the branches below decide what the customer sees instead.
    match &command {
        Command::SearchBillers { seq, .. } if *seq != f.search.seq => return,
        Command::SearchBillers { .. } => f.search.loading = false,
        Command::LoadBiller(_) => f.biller_loading = false,
        Command::FetchBill(_) | Command::ValidateBill(_) => {
            f.fetching = false;
            f.auto_pay = false;
        }
        Command::CreatePayment { .. } => f.creating = false,
        Command::Track(_) => f.track.loading = false,
        Command::RaiseComplaint(_) => f.complaint.sending = false,
        Command::LoadComplaint(_) => f.lookup.loading = false,
        _ => {}
    }
    let api = match &failure {
        Failure::Api(e) => Some(e.clone()),
        Failure::Network | Failure::Unexpected => None,
    };
    if let Some(code @ (ErrorCode::PublishableKeyInvalid | ErrorCode::OriginNotAllowed)) = failure.code() {
        out.push(Command::Notify(WidgetEvent::Error { code: Some(code) }));
        f.fatal = Some(FatalReason::Refused(code));
        f.step = Step::Fatal;
        return;
    }
    match (&command, api) {
        (Command::FetchBill(_) | Command::ValidateBill(_), Some(e)) => {
            if let Some(ctx) = f.biller.clone()
                && f.form.take_server_errors(&e, &ctx.biller)
            {
                f.step = Step::Form;
                f.error_focus += 1;
                return;
            }
            if is_bill_outcome(e.code) {
                f.outcome = Some(e);
                f.quote = None;
                f.step = Step::Bill;
                return;
            }
        }
        (Command::CreatePayment { .. }, Some(e)) => match e.code {
            ErrorCode::MobileInvalid => {
                f.amount.mobile_server = Some(e.code);
                f.step = Step::Amount;
                f.error_focus += 1;
                return;
            }
            ErrorCode::AmountInvalid
            | ErrorCode::AmountZero
            | ErrorCode::AmountMustEqualBill
            | ErrorCode::AmountBelowBill
            | ErrorCode::AmountAboveBill
            | ErrorCode::AmountBelowMin
            | ErrorCode::AmountAboveMax
            | ErrorCode::AmountOptionUnknown
            | ErrorCode::UpiNotAccepted => {
                f.amount.amount_server = Some(e.code);
                f.step = Step::Amount;
                f.error_focus += 1;
                return;
            }
            // The bill went stale (or this quote was used already): fetch it again and pay straight on.
            ErrorCode::QuoteExpired | ErrorCode::QuoteNotFound | ErrorCode::QuoteAlreadyUsed
                if refetch_and_pay(f, out) =>
            {
                return;
            }
            _ => {}
        },
        (Command::Follow(_), Some(e)) if e.code == ErrorCode::PaymentNotFound => {
            home(f, out);
            f.problem = Some(Problem { failure, retry: None });
            return;
        }
        (Command::Track(_), Some(e)) => {
            match e.code {
                ErrorCode::TransactionNotFound => f.track.results = Some(Vec::new()),
                ErrorCode::DateRangeInvalid => f.track.server = Some((TrackField::To, e.code)),
                ErrorCode::MobileInvalid => f.track.server = Some((TrackField::Mobile, e.code)),
                _ => {
                    f.problem = Some(Problem { failure, retry: Some(command) });
                    return;
                }
            }
            return;
        }
        (Command::RaiseComplaint(_), Some(e)) => {
            let field = match e.code {
                ErrorCode::ComplaintDescriptionInvalid => Some(ComplaintField::Description),
                ErrorCode::ComplaintTargetInvalid | ErrorCode::BillerNotFound => Some(ComplaintField::TargetId),
                ErrorCode::TransactionNotFound => Some(ComplaintField::TxnRef),
                ErrorCode::MobileInvalid => Some(ComplaintField::Mobile),
                _ => None,
            };
            if let Some(field) = field {
                f.complaint.server = Some((field, e.code));
                f.error_focus += 1;
                return;
            }
        }
        (Command::LoadComplaint(_), Some(e)) if e.code == ErrorCode::ComplaintNotFound => {
            f.lookup.server = Some(e.code);
            return;
        }
        (Command::LoadBiller(_), Some(e)) if e.code == ErrorCode::BillerNotFound => {
            f.step = if f.category.is_some() { Step::Billers } else { Step::Categories };
            f.problem = Some(Problem { failure, retry: None });
            return;
        }
        (Command::SearchBillers { .. }, Some(e)) if e.code == ErrorCode::CategoryNotFound => {
            f.step = Step::Categories;
            f.problem = Some(Problem { failure, retry: None });
            return;
        }
        _ => {}
    }
    f.problem = Some(Problem { failure, retry: Some(command) });
}

/// The network's answers about an account, shown as an outcome with a way forward rather than as an error.
pub fn is_bill_outcome(code: ErrorCode) -> bool {
    matches!(
        code,
        ErrorCode::BillInvalidAccount
            | ErrorCode::BillInvalidParamCombination
            | ErrorCode::BillNoData
            | ErrorCode::BillNoBillDue
            | ErrorCode::BillAccountBlocked
            | ErrorCode::BillAccountInactive
            | ErrorCode::BillDueDateExpired
            | ErrorCode::BillerUnavailable
            | ErrorCode::BillerTimeout
            | ErrorCode::BillValidationFailed
    )
}
