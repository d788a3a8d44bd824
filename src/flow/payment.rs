//! The payment: created from the confirmed amount, then followed on the server until it reaches a final status.
//! Its result on screen is only ever the server's.

use bbps_core::api::{CreatePaymentRequest, MobileNumber, Payment, PaymentSource};
use bbps_core::{PaymentId, PaymentStatus};

use super::{CHANNEL, Command, Flow, Step, WidgetEvent, journey};

/// The payment of the journey (or one resumed or opened from tracking).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PaymentState {
    /// Payments asked for since the widget loaded: the suffix of each idempotency key.
    pub attempt: u32,
    pub phase: Phase,
    /// Show the QR on a phone, or the intent buttons on a desktop.
    pub swap_view: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Phase {
    #[default]
    Idle,
    /// The payment is being created.
    Creating,
    Following(Box<Followed>),
}

/// A payment the server knows, followed until a final status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Followed {
    pub id: PaymentId,
    /// The server's latest word on it; `None` until the first arrives.
    pub latest: Option<Payment>,
    /// The push channel and polling both fail for now; the widget keeps trying.
    pub reconnecting: bool,
}

impl PaymentState {
    pub fn latest(&self) -> Option<&Payment> {
        match &self.phase {
            Phase::Following(followed) => followed.latest.as_ref(),
            Phase::Idle | Phase::Creating => None,
        }
    }

    pub fn following(&self) -> Option<&PaymentId> {
        match &self.phase {
            Phase::Following(followed) => Some(&followed.id),
            Phase::Idle | Phase::Creating => None,
        }
    }

    pub fn is_creating(&self) -> bool {
        self.phase == Phase::Creating
    }

    pub fn is_reconnecting(&self) -> bool {
        matches!(&self.phase, Phase::Following(followed) if followed.reconnecting)
    }

    pub(super) fn set_reconnecting(&mut self, on: bool) {
        if let Phase::Following(followed) = &mut self.phase {
            followed.reconnecting = on;
        }
    }
}

/// "Pay": the amount and mobile number checked here before the payment is asked for.
pub(super) fn submit(f: &mut Flow, out: &mut Vec<Command>) {
    f.journey.amount.submitted = true;
    if f.journey.amount_value().is_ok() && f.journey.mobile_issue().is_none() {
        create(f, out);
    } else {
        f.focus_errors();
    }
}

/// Asks the server for a payment of the journey's bill (or of the biller, directly).
pub(super) fn create(f: &mut Flow, out: &mut Vec<Command>) {
    let j = &f.journey;
    let (Ok(amount), Some(mobile), Some(ctx)) = (j.amount_value(), MobileNumber::parse(&j.amount.mobile), j.ctx())
    else {
        return;
    };
    let source = match j.quote() {
        Some(q) => PaymentSource::Quote {
            quote_id: q.id.clone(),
            amount_option: j.amount.option.clone(),
            bills: if j.bill_list().is_some() { j.amount.bills.clone() } else { Vec::new() },
        },
        None => {
            PaymentSource::Direct { biller_id: ctx.biller.id.clone(), params: j.accepted.clone().unwrap_or_default() }
        }
    };
    let plan_id = j.chosen_plan().map(|p| p.id.clone());
    let request = CreatePaymentRequest { source, amount, customer_mobile: mobile, channel: CHANNEL, plan_id };
    f.payment.attempt += 1;
    f.payment.phase = Phase::Creating;
    f.go(Step::Amount);
    // A retried call keeps its key, so the server answers with the same payment; a new attempt gets a new one.
    let idempotency_key = format!("{}-{}", f.env.nonce, f.payment.attempt);
    out.push(Command::CreatePayment { request, idempotency_key });
}

pub(super) fn created(f: &mut Flow, p: Payment, out: &mut Vec<Command>) {
    let id = p.id.clone();
    if let Some(secret) = p.client_secret.clone() {
        out.push(Command::Remember(Some(secret)));
    }
    let terminal = p.status.is_terminal();
    let mut followed = Box::new(Followed { id: id.clone(), latest: None, reconnecting: false });
    record(&mut followed, p, out);
    f.payment.phase = Phase::Following(followed);
    if !terminal {
        out.push(Command::Follow(id));
    }
    f.step = Step::Payment;
}

/// The server's word on the payment being followed; news of any other is ignored.
pub(super) fn updated(f: &mut Flow, p: Payment, out: &mut Vec<Command>) {
    if let Phase::Following(followed) = &mut f.payment.phase
        && followed.id == p.id
    {
        followed.reconnecting = false;
        record(followed, p, out);
    }
}

/// Follows a payment the server already has (resumed after a reload, or opened from tracking).
pub(super) fn follow(f: &mut Flow, id: PaymentId, out: &mut Vec<Command>) {
    f.payment.phase = Phase::Following(Box::new(Followed { id: id.clone(), latest: None, reconnecting: false }));
    f.go(Step::Payment);
    out.push(Command::Follow(id));
}

/// A payment opened from tracking takes the place of the one followed.
pub(super) fn open(f: &mut Flow, id: PaymentId, out: &mut Vec<Command>) {
    out.push(Command::StopFollowing);
    follow(f, id, out);
}

/// A new QR after expiry, or another try after a failure: the bill is fetched again when it came from a quote,
/// else the same direct payment is asked for again. Without the journey behind the payment, a new one begins.
pub(super) fn pay_again(f: &mut Flow, out: &mut Vec<Command>) {
    if !f.can_pay_again() {
        return super::home(f, out);
    }
    out.push(Command::StopFollowing);
    out.push(Command::Remember(None));
    f.payment.phase = Phase::Idle;
    if !journey::refetch_and_pay(f, out) {
        create(f, out);
    }
}

/// Keeps the latest status; a change is told to the host, and a final one ends the following.
fn record(followed: &mut Followed, p: Payment, out: &mut Vec<Command>) {
    if followed.latest.as_ref().map(|old| old.status) != Some(p.status) {
        out.extend(event(&p).map(Command::Notify));
        if p.status.is_terminal() {
            out.push(Command::StopFollowing);
        }
    }
    followed.latest = Some(p);
}

fn event(p: &Payment) -> Option<WidgetEvent> {
    let payment_id = p.id.clone();
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
        | PaymentStatus::PaymentFailed => {
            WidgetEvent::PaymentFailed { payment_id, status: p.status, code: p.failure.as_ref().map(|x| x.code) }
        }
    })
}
