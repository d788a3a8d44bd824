//! What goes into the flow ([`Action`]), what comes out of it ([`Command`]), and what the host is told
//! ([`WidgetEvent`]).

use std::rc::Rc;

use bbps_core::api::{
    BillQuote, BillerPage, Complaint, CreatePaymentRequest, FailureCode, FetchBillRequest, MobileNumber, Mode, Payment,
    PlanList, RaiseComplaintRequest, ReopenComplaintRequest, TrackingAccess, TrackingCodeSent, TransactionSummary,
    VerifyTrackingCodeRequest,
};
use bbps_core::appearance::Appearance;
use bbps_core::plan::Plan;
use bbps_core::{Biller, BillerId, Category, ClientSecret, ComplaintId, ErrorCode, PaymentId, PaymentStatus, TxnRef};

use super::{ComplaintField, StartOptions, TrackField};
use crate::api::{BillerQuery, Failure, TrackQuery};
use crate::config::Theme;
use crate::i18n::{Locale, Strings};

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
        code: Option<FailureCode>,
    },
    ComplaintRaised {
        complaint_id: ComplaintId,
    },
    /// The customer pressed Close or Done (offered when [`super::Env::closable`]).
    Close,
    /// The widget cannot work with its configuration (no key, a refused key or origin, a foreign framing page);
    /// `code` is the API's error code when there is one.
    Error {
        code: Option<ErrorCode>,
    },
}

#[derive(Debug, Clone)]
pub enum Action {
    Start(StartOptions),
    SessionReady(Mode),
    CategoriesLoaded(Vec<Category>),
    PickCategory(String),
    SearchInput(String),
    StateFilter(String),
    PincodeFilter(String),
    PlansLoaded(PlanList),
    /// A category tab of the plan picker; `None` for every plan.
    PlanCategory(Option<String>),
    PlanSearch(String),
    /// A plan chosen, or (`None`) another amount, for a biller whose plans are optional.
    ChoosePlan(Option<Plan>),
    MoreBillers,
    /// Arrow keys in the biller search: +1 down, -1 up.
    MoveActive(i32),
    BillersLoaded {
        seq: u32,
        page: BillerPage,
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
    /// A bill of a fetched list checked or unchecked, by number.
    ToggleBill(String),
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
    /// Show the widget in this language (its texts are fetched first if they are not here yet).
    SetLocale(Locale),
    StringsLoaded(Rc<Strings>),
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
    /// Another one-time code to the number being tracked.
    ResendTrackingCode,
    TrackingCodeSent(TrackingCodeSent),
    TrackingProved(TrackingAccess),
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
    /// A ticket looked up, or reopened.
    ComplaintLoaded(Complaint),
    ReopenInput(String),
    SubmitReopen,
    /// A command failed; what it means depends on the command and the error.
    Failed {
        command: Command,
        failure: Failure,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    OpenSession,
    /// Fetch a language's texts.
    LoadStrings(Locale),
    LoadCategories,
    /// `debounce`: wait a moment for more typing before asking.
    SearchBillers {
        seq: u32,
        query: BillerQuery,
        debounce: bool,
    },
    LoadBiller(BillerId),
    LoadPlans(BillerId),
    FetchBill(FetchBillRequest),
    ValidateBill(FetchBillRequest),
    CreatePayment {
        request: CreatePaymentRequest,
        idempotency_key: String,
    },
    /// Follow a payment: its push channel, polling when that fails, until a final status.
    Follow(PaymentId),
    StopFollowing,
    /// Keep (or forget) the payment in progress in session storage, by its client secret (which names it and lets
    /// a later session read it).
    Remember(Option<ClientSecret>),
    Track(TrackQuery),
    /// A one-time code by SMS to the number whose payments the customer asks for.
    SendTrackingCode(MobileNumber),
    VerifyTrackingCode(VerifyTrackingCodeRequest),
    RaiseComplaint(RaiseComplaintRequest),
    LoadComplaint(ComplaintId),
    ReopenComplaint {
        id: ComplaintId,
        request: ReopenComplaintRequest,
    },
    Notify(WidgetEvent),
}
