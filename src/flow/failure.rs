//! One place decides what each failure means for each call: a message and a retry button, an error beside a
//! field, an outcome screen, or the configuration error.

use bbps_core::{ApiError, ErrorCode};

use super::{
    BillState, Command, ComplaintField, FatalReason, Fetch, Flow, Phase, Remote, Step, TrackField, WidgetEvent,
};
use crate::api::Failure;

/// A failed call shown above the step, with the call to try again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub failure: Failure,
    pub retry: Option<Command>,
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
            | ErrorCode::BillUnpayable
    )
}

/// "Try again": the failed call once more, its part of the state waiting for it again.
pub(super) fn retry(f: &mut Flow, out: &mut Vec<Command>) {
    if let Some(Problem { retry: Some(cmd), .. }) = f.problem.take() {
        match &cmd {
            Command::LoadCategories => f.catalogue.categories = Remote::Loading,
            Command::LoadStrings(l) => f.language.loading = Some(*l),
            Command::SearchBillers { .. } => f.catalogue.search.loading = true,
            Command::LoadBiller(_) => f.journey.biller = Remote::Loading,
            Command::LoadPlans(_) => f.journey.plans.list = Remote::Loading,
            Command::FetchBill(_) | Command::ValidateBill(_) => f.journey.fetch = Fetch::ToShow,
            Command::CreatePayment { .. } => f.payment.phase = Phase::Creating,
            Command::Track(_) => f.track.results = Remote::Loading,
            Command::SendTrackingCode(_) => f.track.proof = super::Proof::Sending,
            Command::VerifyTrackingCode(_) => {}
            Command::RaiseComplaint(_) => f.complaint.sent = Remote::Loading,
            Command::LoadComplaint(_) => f.lookup.result = Remote::Loading,
            Command::ReopenComplaint { .. } => f.lookup.reopen.sending = true,
            Command::OpenSession
            | Command::Follow(_)
            | Command::StopFollowing
            | Command::Remember(_)
            | Command::Notify(_) => {}
        }
        out.push(cmd);
    }
}

pub(super) fn failed(f: &mut Flow, command: Command, failure: Failure, out: &mut Vec<Command>) {
    // The call's part of the state stops waiting; what the customer sees instead is decided below.
    match &command {
        Command::SearchBillers { seq, .. } if *seq != f.catalogue.search.seq => return,
        Command::SearchBillers { .. } => f.catalogue.search.loading = false,
        Command::LoadCategories => f.catalogue.categories = Remote::Failed(failure.clone()),
        Command::LoadStrings(_) => f.language.loading = None,
        Command::LoadBiller(_) => f.journey.biller = Remote::Failed(failure.clone()),
        Command::LoadPlans(_) => f.journey.plans.list = Remote::Failed(failure.clone()),
        Command::FetchBill(_) | Command::ValidateBill(_) => f.journey.fetch = Fetch::Idle,
        Command::CreatePayment { .. } => f.payment.phase = Phase::Idle,
        Command::Track(_) => f.track.results = Remote::Failed(failure.clone()),
        Command::SendTrackingCode(_) | Command::VerifyTrackingCode(_) => {}
        Command::RaiseComplaint(_) => f.complaint.sent = Remote::Failed(failure.clone()),
        Command::LoadComplaint(_) => f.lookup.result = Remote::Failed(failure.clone()),
        Command::ReopenComplaint { .. } => f.lookup.reopen.sending = false,
        Command::OpenSession
        | Command::Follow(_)
        | Command::StopFollowing
        | Command::Remember(_)
        | Command::Notify(_) => {}
    }
    if let Some(code @ (ErrorCode::PublishableKeyInvalid | ErrorCode::OriginNotAllowed)) = failure.code() {
        out.push(Command::Notify(WidgetEvent::Error { code: Some(code) }));
        f.step = Step::Fatal(FatalReason::Refused(code));
        return;
    }
    let retry = match &failure {
        Failure::Api(e) => refused(f, &command, e, out),
        Failure::Network | Failure::Unexpected => Retry::Offer,
    };
    match retry {
        Retry::Handled => {}
        Retry::Offer => f.problem = Some(Problem { failure, retry: Some(command) }),
        Retry::Pointless(step) => {
            f.step = step;
            f.problem = Some(Problem { failure, retry: None });
        }
    }
}

/// What is left to show for a refusal once its call's part of the state has taken it.
enum Retry {
    /// Beside a field, as an outcome, or by asking again: nothing more.
    Handled,
    /// The problem, with the same call to try again.
    Offer,
    /// The problem, on this step: the same call would be refused again.
    Pointless(Step),
}

fn refused(f: &mut Flow, command: &Command, e: &ApiError, out: &mut Vec<Command>) -> Retry {
    match command {
        Command::FetchBill(_) | Command::ValidateBill(_) => bill_refused(f, e),
        Command::CreatePayment { .. } => payment_refused(f, e.code, out),
        Command::Follow(_) if e.code == ErrorCode::PaymentNotFound => {
            super::home(f, out);
            Retry::Pointless(Step::Categories)
        }
        Command::Track(_) => {
            let t = &mut f.track;
            match e.code {
                ErrorCode::TransactionNotFound => t.results = Remote::Ready(Vec::new()),
                ErrorCode::DateRangeInvalid => t.server = Some((TrackField::To, e.code)),
                ErrorCode::MobileInvalid => t.server = Some((TrackField::Mobile, e.code)),
                // The proof ran out (or was for another session): the number is proved again.
                ErrorCode::OtpRequired => {
                    t.results = Remote::Idle;
                    t.proof_refused(e.code);
                }
                _ => return Retry::Offer,
            }
            f.focus_errors();
            Retry::Handled
        }
        Command::SendTrackingCode(_) | Command::VerifyTrackingCode(_) => {
            if f.track.proof_refused(e.code) {
                f.focus_errors();
                Retry::Handled
            } else {
                Retry::Offer
            }
        }
        Command::RaiseComplaint(_) => {
            let field = match e.code {
                ErrorCode::ComplaintDescriptionInvalid => ComplaintField::Description,
                ErrorCode::ComplaintTooEarly => ComplaintField::Disposition,
                ErrorCode::ComplaintTargetInvalid | ErrorCode::BillerNotFound => ComplaintField::TargetId,
                ErrorCode::TransactionNotFound => ComplaintField::TxnRef,
                ErrorCode::MobileInvalid => ComplaintField::Mobile,
                _ => return Retry::Offer,
            };
            f.complaint.server = Some((field, e.code));
            f.focus_errors();
            Retry::Handled
        }
        Command::ReopenComplaint { .. }
            if matches!(
                e.code,
                ErrorCode::ComplaintDescriptionInvalid
                    | ErrorCode::ComplaintStillOpen
                    | ErrorCode::ComplaintAlreadyReopened
                    | ErrorCode::ComplaintReopenWindowOver
            ) =>
        {
            f.lookup.reopen.server = Some(e.code);
            f.focus_errors();
            Retry::Handled
        }
        Command::LoadComplaint(_) if e.code == ErrorCode::ComplaintNotFound => {
            f.lookup.server = Some(e.code);
            Retry::Handled
        }
        Command::LoadBiller(_) if e.code == ErrorCode::BillerNotFound => {
            Retry::Pointless(if f.catalogue.category.is_some() { Step::Billers } else { Step::Categories })
        }
        Command::SearchBillers { .. } if e.code == ErrorCode::CategoryNotFound => Retry::Pointless(Step::Categories),
        Command::SearchBillers { .. } if e.code == ErrorCode::PincodeUnknown => {
            f.catalogue.search.pincode_refused = true;
            Retry::Handled
        }
        Command::OpenSession
        | Command::LoadStrings(_)
        | Command::LoadCategories
        | Command::SearchBillers { .. }
        | Command::LoadBiller(_)
        | Command::LoadPlans(_)
        | Command::Follow(_)
        | Command::LoadComplaint(_)
        | Command::ReopenComplaint { .. }
        | Command::StopFollowing
        | Command::Remember(_)
        | Command::Notify(_) => Retry::Offer,
    }
}

/// A fetch or validation refused: a refused mobile number goes beside the form's mobile field, the biller's rules
/// beside their fields, the network's verdicts on the account get the outcome screen.
fn bill_refused(f: &mut Flow, e: &ApiError) -> Retry {
    if super::journey::mobile_refused(f, e.code) {
        return Retry::Handled;
    }
    let j = &mut f.journey;
    if let Some(ctx) = j.ctx().cloned()
        && j.form.take_server_errors(e, &ctx.biller)
    {
        f.step = Step::Form;
        f.focus_errors();
        return Retry::Handled;
    }
    if is_bill_outcome(e.code) {
        j.bill = BillState::Outcome(e.clone());
        f.step = Step::Bill;
        return Retry::Handled;
    }
    Retry::Offer
}

fn payment_refused(f: &mut Flow, code: ErrorCode, out: &mut Vec<Command>) -> Retry {
    let amount = &mut f.journey.amount;
    match code {
        ErrorCode::MobileInvalid => amount.mobile_server = Some(code),
        ErrorCode::AmountInvalid
        | ErrorCode::AmountZero
        | ErrorCode::AmountMustEqualBill
        | ErrorCode::AmountBelowBill
        | ErrorCode::AmountAboveBill
        | ErrorCode::AmountBelowMin
        | ErrorCode::AmountAboveMax
        | ErrorCode::AmountBelowBillMin
        | ErrorCode::AmountAboveBillMax
        | ErrorCode::AmountNotMultiple
        | ErrorCode::AmountMustEqualPlan
        | ErrorCode::AmountOptionUnknown
        | ErrorCode::UpiNotAccepted => amount.amount_server = Some(code),
        // The bills chosen are not a choice the server takes: back to the list, with its reason beside it.
        ErrorCode::BillsNotChosen
        | ErrorCode::BillChosenTwice
        | ErrorCode::OneBillOnly
        | ErrorCode::AllBillsRequired
        | ErrorCode::BillNotAList => {
            amount.bills_server = Some(code);
            f.step = Step::Bill;
            f.focus_errors();
            return Retry::Handled;
        }
        // The plan was withdrawn since the list came: a fresh list, saying so.
        ErrorCode::PlanNotAvailable | ErrorCode::PlanRequired => {
            super::plans::withdrawn(f, out);
            return Retry::Handled;
        }
        // The bill went stale (or this quote was used already), or its list changed: fetch it again and pay
        // straight on if nothing changed (a changed list is the customer's to choose from again).
        ErrorCode::QuoteExpired
        | ErrorCode::BillExpired
        | ErrorCode::QuoteNotFound
        | ErrorCode::QuoteAlreadyUsed
        | ErrorCode::BillNotListed
            if super::journey::refetch_and_pay(f, out) =>
        {
            return Retry::Handled;
        }
        _ => return Retry::Offer,
    }
    f.step = Step::Amount;
    f.focus_errors();
    Retry::Handled
}
