//! The journey's state machine. [`reduce`] is the only code that changes the [`Flow`]: components render the
//! state and dispatch [`Action`]s; whatever needs the outside world (HTTP, the push channel, storage, the host
//! page) comes back from `reduce` as a [`Command`] that the runtime performs, and its answer arrives as another
//! action. So every transition is plain Rust, testable without a browser or a server.
//!
//! The state is a few parts, each with its own module of transitions: [`catalogue`] (categories and the biller
//! search), [`journey`] (the biller's form, the bill, the amount), [`payment`] (creating and following the
//! payment), [`track`] and [`complaint`] (the side screens), [`language`] (which language is shown, and its
//! texts on their way), and [`failure`] (what a failed call means). Each
//! part holds sum types ([`Remote`], [`BillState`], [`Phase`]…) rather than flags beside options, so the states
//! the screens can be in are the only ones the types can say.

mod action;
mod catalogue;
mod complaint;
mod failure;
mod journey;
mod language;
mod payment;
mod plans;
mod remote;
mod step;
mod track;

pub use action::{Action, Command, WidgetEvent};
pub use catalogue::{Catalogue, Search};
pub use complaint::{ComplaintField, ComplaintForm, ComplaintLookup, ReopenForm};
pub use failure::{Problem, is_bill_outcome};
pub use journey::{AmountForm, AmountIssue, BillState, BillerCtx, Fetch, Journey};
pub use language::Languages;
pub use payment::{Followed, PaymentState, Phase};
pub use plans::PlanPicker;
pub use remote::Remote;
pub use step::{FatalReason, Step};
pub use track::{Proof, TrackField, TrackForm};

use std::rc::Rc;

use bbps_core::api::{Mode, QuoteKind};
use bbps_core::appearance::Appearance;
use bbps_core::{BillerId, Category, Channel, ErrorCode, PaymentId, Timestamp};
use time::Date;

use crate::config::Theme;
use crate::i18n::{Locale, Strings};

/// The channel this widget pays on: a web page, in a desktop or a phone browser.
pub const CHANNEL: Channel = Channel::Internet;

/// Everything the flow needs from its environment at start; given, so that `reduce` stays pure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Env {
    /// The language to start in.
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

/// What the widget page brings with it, so that its first screen needs no call: the session the server opened
/// for it, the categories, and the texts of the language it opens in (docs/widget.md, "First screen").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FirstScreen {
    pub session: bbps_core::api::Session,
    pub categories: Vec<Category>,
    pub strings: Rc<Strings>,
}

/// The widget's session with the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Session {
    /// Not open yet; where the start asked to begin waits here until it is.
    Opening(StartOptions),
    Open(Mode),
}

/// The whole widget's state.
#[derive(Debug, Clone)]
pub struct Flow {
    pub env: Env,
    pub language: Languages,
    pub theme: Theme,
    /// The root's `style`: the appearance variables as CSS custom properties (empty for the default look).
    pub style: String,
    pub step: Step,
    /// Where a side screen (track, complaints) returns to.
    pub side_return: Step,
    pub session: Session,
    pub catalogue: Catalogue,
    pub journey: Journey,
    pub payment: PaymentState,
    pub track: TrackForm,
    pub complaint: ComplaintForm,
    pub lookup: ComplaintLookup,
    /// A failed call shown above the step.
    pub problem: Option<Problem>,
    /// Bumped when a submit finds errors, so the view moves focus to the first one.
    pub error_focus: u32,
}

impl Flow {
    /// A widget that starts from nothing: it opens its session, then loads the categories (and fetches the
    /// texts of its language).
    pub fn new(env: Env) -> Flow {
        Flow {
            language: Languages::new(env.locale, None),
            theme: env.theme,
            style: env.appearance.as_ref().map(Appearance::to_style).unwrap_or_default(),
            env,
            step: Step::Loading,
            side_return: Step::Categories,
            session: Session::Opening(StartOptions::default()),
            catalogue: Catalogue::default(),
            journey: Journey::default(),
            payment: PaymentState::default(),
            track: TrackForm::default(),
            complaint: ComplaintForm::default(),
            lookup: ComplaintLookup::default(),
            problem: None,
            error_focus: 0,
        }
    }

    /// A widget on a page that brought its first screen: the category grid, at once.
    pub fn with_first_screen(env: Env, first: &FirstScreen) -> Flow {
        let mut f = Flow::new(env);
        f.language = Languages::new(first.strings.locale(), Some(first.strings.clone()));
        f.session = Session::Open(first.session.mode);
        f.catalogue.categories = Remote::Ready(first.categories.clone());
        f.step = Step::Categories;
        f
    }

    /// The language asked for (its texts may still be on their way).
    pub fn locale(&self) -> Locale {
        self.language.wanted
    }

    /// The texts on screen, once any have arrived.
    pub fn strings(&self) -> Option<&Strings> {
        self.language.shown.as_deref()
    }

    /// Test or live, once the session is open.
    pub fn mode(&self) -> Option<Mode> {
        match self.session {
            Session::Open(mode) => Some(mode),
            Session::Opening(_) => None,
        }
    }

    /// Where the back button goes from here; `None` hides it.
    pub fn back_target(&self) -> Option<Step> {
        match self.step {
            Step::Billers => Some(Step::Categories),
            Step::Form if self.catalogue.category.is_some() => Some(Step::Billers),
            Step::Form => Some(Step::Categories),
            Step::Bill => Some(Step::Form),
            Step::Amount if self.journey.quote().is_some_and(|q| q.kind == QuoteKind::Fetched) => Some(Step::Bill),
            Step::Amount if self.journey.plans.biller.is_some() => Some(Step::Plans),
            Step::Amount | Step::Plans => Some(Step::Form),
            Step::Track | Step::Complaint | Step::ComplaintStatus => Some(self.side_return),
            Step::Loading | Step::Categories | Step::Payment | Step::Fatal(_) => None,
        }
    }

    /// A new QR (or another try) can be made here: the journey that led to the payment is still known.
    pub fn can_pay_again(&self) -> bool {
        let j = &self.journey;
        j.biller.ready().zip(self.payment.latest()).is_some_and(|(b, p)| b.biller.id == p.biller_id)
            && (j.quote().is_some() || j.accepted.is_some())
    }

    /// Today in IST, for "overdue" and the tracking date range.
    pub fn today(&self) -> Option<Date> {
        Timestamp::from_unix_millis(self.env.now_ms).map(Timestamp::ist_date)
    }

    /// Moves to `step`, leaving behind the problem shown for the step before.
    fn go(&mut self, step: Step) {
        self.problem = None;
        self.step = step;
    }

    /// A submit found errors: focus moves to the first.
    fn focus_errors(&mut self) {
        self.error_focus += 1;
    }
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

/// Hands each action to the part of the state it belongs to.
fn apply(f: &mut Flow, action: Action, out: &mut Vec<Command>) {
    match action {
        Action::Start(opts) => start(f, opts, out),
        Action::SessionReady(mode) => session_ready(f, mode, out),
        Action::CategoriesLoaded(list) => f.catalogue.categories = Remote::Ready(list),
        Action::PickCategory(code) => catalogue::pick_category(f, code, out),
        Action::SearchInput(q) => out.extend(f.catalogue.search.query(q)),
        Action::StateFilter(state) => out.extend(f.catalogue.search.filter_state(state)),
        Action::PlansLoaded(list) => plans::loaded(f, list),
        Action::PlanCategory(category) => f.journey.plans.category = category,
        Action::PlanSearch(q) => f.journey.plans.query = q,
        Action::ChoosePlan(plan) => plans::choose(f, plan),
        Action::PincodeFilter(text) => out.extend(f.catalogue.search.filter_pincode(text)),
        Action::MoreBillers => out.extend(f.catalogue.search.more()),
        Action::MoveActive(delta) => f.catalogue.search.move_active(delta),
        Action::BillersLoaded { seq, page } => f.catalogue.search.loaded(seq, page),
        Action::PickBiller(id) => journey::pick_biller(f, id, out),
        Action::ChangeBiller => catalogue::change_biller(f, out),
        Action::BillerLoaded(biller) => journey::biller_loaded(f, biller),
        Action::ParamInput { name, value } => journey::param_input(f, &name, value),
        Action::ParamBlur(name) => f.journey.form.blur(&name),
        Action::SubmitParams => journey::submit_params(f, out),
        Action::QuoteLoaded(quote) => journey::quote_loaded(f, quote, out),
        Action::ChooseAmountOption(option) => f.journey.choose_option(option),
        Action::ToggleBill(number) => f.journey.toggle_bill(number),
        Action::ConfirmBill => journey::confirm_bill(f),
        Action::PayWithoutBill => journey::pay_without_bill(f),
        Action::AmountInput(s) => f.journey.amount.input_amount(s),
        Action::AmountBlur => f.journey.amount.amount_touched = true,
        Action::MobileInput(s) => f.journey.amount.input_mobile(s),
        Action::MobileBlur => f.journey.amount.mobile_touched = true,
        Action::SubmitPayment => payment::submit(f, out),
        Action::PaymentCreated(p) => payment::created(f, p, out),
        Action::PaymentUpdated(p) => payment::updated(f, p, out),
        Action::Reconnecting(on) => f.payment.set_reconnecting(on),
        Action::SwapPayView => f.payment.swap_view = !f.payment.swap_view,
        Action::PayAgain => payment::pay_again(f, out),
        Action::Tick(now) => f.env.now_ms = now,
        Action::Back => {
            if let Some(to) = f.back_target() {
                f.go(to);
            }
        }
        Action::Home => home(f, out),
        Action::SetLocale(l) => out.extend(f.language.want(l)),
        Action::StringsLoaded(s) => f.language.arrived(s),
        Action::SetTheme(t) => f.theme = t,
        Action::SetAppearance(a) => f.style = a.to_style(),
        Action::Close => out.push(Command::Notify(WidgetEvent::Close)),
        Action::Retry => failure::retry(f, out),
        Action::DismissProblem => f.problem = None,
        Action::OpenTrack => track::open(f),
        Action::TrackMode(by_mobile) => f.track.set_mode(by_mobile),
        Action::TrackInput { field, value } => f.track.input(field, value),
        Action::SubmitTrack => track::submit(f, out),
        Action::ResendTrackingCode => out.extend(f.track.resend()),
        Action::TrackingCodeSent(sent) => f.track.code_sent(sent),
        Action::TrackingProved(access) => track::proved(f, access, out),
        Action::TrackLoaded(items) => f.track.results = Remote::Ready(items),
        Action::OpenPayment(id) => payment::open(f, id, out),
        Action::OpenComplaint(txn_ref) => complaint::open(f, txn_ref),
        Action::ComplaintService(service) => f.complaint.set_service(service),
        Action::ComplaintAgent(agent) => f.complaint.set_agent(agent),
        Action::ComplaintInput { field, value } => f.complaint.input(field, value),
        Action::SubmitComplaint => complaint::submit(f, out),
        Action::ComplaintRaised(c) => complaint::raised(f, c, out),
        Action::OpenComplaintStatus(id) => complaint::open_status(f, id, out),
        Action::LookupInput(s) => f.lookup.input(s),
        Action::SubmitLookup => complaint::submit_lookup(f, out),
        Action::ComplaintLoaded(c) => complaint::loaded(f, c),
        Action::ReopenInput(s) => f.lookup.reopen.input(s),
        Action::SubmitReopen => complaint::submit_reopen(f, out),
        Action::Failed { command, failure } => failure::failed(f, command, failure, out),
    }
}

fn start(f: &mut Flow, opts: StartOptions, out: &mut Vec<Command>) {
    // Even the configuration error needs words.
    if f.language.pending() {
        out.extend(f.language.want(f.language.wanted));
    }
    if let Some(reason) = opts.fatal {
        let code = (reason == FatalReason::ParentMismatch).then_some(ErrorCode::OriginNotAllowed);
        out.push(Command::Notify(WidgetEvent::Error { code }));
        f.step = Step::Fatal(reason);
        return;
    }
    match f.session {
        // The page brought the session and the categories.
        Session::Open(mode) => begin(f, opts, mode, out),
        Session::Opening(_) => {
            f.session = Session::Opening(opts);
            out.push(Command::OpenSession);
        }
    }
}

fn session_ready(f: &mut Flow, mode: Mode, out: &mut Vec<Command>) {
    // A session opened again (a retried start) has nothing left to start at.
    let start = match std::mem::replace(&mut f.session, Session::Open(mode)) {
        Session::Opening(start) => start,
        Session::Open(_) => StartOptions::default(),
    };
    f.catalogue.categories = Remote::Loading;
    out.push(Command::LoadCategories);
    begin(f, start, mode, out);
}

/// The session is open: go where the start asked, and tell the host the widget is ready.
fn begin(f: &mut Flow, start: StartOptions, mode: Mode, out: &mut Vec<Command>) {
    if let Some(id) = start.resume {
        payment::follow(f, id, out);
    } else if let Some(id) = start.biller {
        f.catalogue.category = start.category;
        journey::pick_biller(f, id, out);
    } else if let Some(code) = start.category {
        catalogue::pick_category(f, code, out);
    } else {
        f.step = Step::Categories;
    }
    out.push(Command::Notify(WidgetEvent::Ready { locale: f.locale(), mode }));
}

fn open_side(f: &mut Flow, step: Step) {
    if !f.step.is_side() && !matches!(f.step, Step::Loading | Step::Fatal(_)) {
        f.side_return = f.step;
    }
    f.go(step);
}

/// A new journey at the category grid: the payment is let go, the biller and what was typed stay for the way
/// back, and the mobile number for the next receipt.
fn home(f: &mut Flow, out: &mut Vec<Command>) {
    out.push(Command::StopFollowing);
    out.push(Command::Remember(None));
    f.payment.phase = Phase::Idle;
    f.journey.restart();
    f.go(Step::Categories);
}
