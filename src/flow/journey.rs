//! The bill: the biller and its form, the fetched (or validated) bill or the network's reason there is none, and
//! the amount and mobile number to pay with. A bill fetch carries the customer's mobile number (the BBPS fetch
//! request's `Customer@mobile`), so for a biller whose bill is fetched the form asks it too; the confirm step shows
//! the same number.

use std::rc::Rc;

use bbps_core::api::{BillQuote, FetchBillRequest, MobileNumber, QuoteKind};
use bbps_core::bill_list::{BillChoiceError, BillItem, BillList, BillSelection};
use bbps_core::biller::category_code;
use bbps_core::money::MoneyParseError;
use bbps_core::{
    AmountBounds, AmountError, AmountRule, ApiError, Biller, BillerId, ErrorCode, FetchRequirement, Paise, ParamValues,
};

use super::{CHANNEL, Command, Flow, Remote, Step, payment};
use crate::form::ParamForm;
use crate::i18n::{Msg, error_msg};
use crate::pattern::Rules;

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

/// What the network last said about the customer's account.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum BillState {
    /// Not asked yet, a biller that is paid directly, or set aside to pay an amount of one's own.
    #[default]
    NoBill,
    /// A fetched or validated bill, which the payment references.
    Quote(Box<BillQuote>),
    /// Why there is no bill to pay (no bill due, invalid account, biller down…), shown on the bill step.
    Outcome(ApiError),
}

/// A fetch (or validation) of the bill on its way, and what its answer is for. The last answer stays in
/// [`BillState`] meanwhile: the outcome screen keeps showing while "try again" runs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Fetch {
    #[default]
    Idle,
    /// The customer sees the answer.
    ToShow,
    /// A stale quote or an expired QR is being renewed: the answer is paid straight on if the bill is the same.
    ToPay,
}

impl Fetch {
    pub fn is_running(self) -> bool {
        self != Fetch::Idle
    }
}

/// The customer's choice of amount and mobile number on the confirm step.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AmountForm {
    /// The fetched bill's amount option, by name; `None` for the bill amount.
    pub option: Option<String>,
    /// The bills chosen of a fetched list, by number.
    pub bills: Vec<String>,
    /// "Proceed" was pressed with a choice of bills that cannot be paid: say why beside the list.
    pub bills_tried: bool,
    /// The server's refusal of the bills chosen (`bills_not_chosen`, `one_bill_only`, …).
    pub bills_server: Option<ErrorCode>,
    pub input: String,
    pub mobile: String,
    pub amount_touched: bool,
    pub mobile_touched: bool,
    pub submitted: bool,
    /// The server's refusal of the amount (`amount_*`, `upi_not_accepted`).
    pub amount_server: Option<ErrorCode>,
    pub mobile_server: Option<ErrorCode>,
}

impl AmountForm {
    pub(super) fn input_amount(&mut self, s: String) {
        self.input = s;
        self.amount_server = None;
    }

    pub(super) fn input_mobile(&mut self, s: String) {
        self.mobile = s;
        self.mobile_server = None;
    }

    /// A fresh form for another bill; the mobile number saves typing it again.
    fn for_another_bill(&mut self) -> AmountForm {
        AmountForm { mobile: std::mem::take(&mut self.mobile), ..AmountForm::default() }
    }
}

/// What is wrong with the amount as typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AmountIssue {
    Parse(MoneyParseError),
    Rule(AmountError),
    Server(ErrorCode),
}

/// One bill on its way to being paid: whose, for which account, what the network said, and how much.
#[derive(Debug, Clone, Default)]
pub struct Journey {
    pub biller: Remote<BillerCtx>,
    pub form: ParamForm,
    /// Params as accepted by the rules: what went to fetch/validate, and what a direct payment sends.
    pub accepted: Option<ParamValues>,
    pub bill: BillState,
    pub fetch: Fetch,
    pub amount: AmountForm,
    pub plans: super::PlanPicker,
}

impl Journey {
    pub fn ctx(&self) -> Option<&BillerCtx> {
        self.biller.ready()
    }

    /// The plan being bought: one chosen for a direct payment or a validated account, never against a fetched
    /// bill.
    pub fn chosen_plan(&self) -> Option<&bbps_core::plan::Plan> {
        self.plans.chosen.as_ref().filter(|_| self.quote().is_none_or(|q| q.bill.is_none()))
    }

    pub fn quote(&self) -> Option<&BillQuote> {
        match &self.bill {
            BillState::Quote(q) => Some(q.as_ref()),
            BillState::NoBill | BillState::Outcome(_) => None,
        }
    }

    /// The amount rules on the confirm step: a plan's price, the chosen bills' sum of a list, the quote's (or its
    /// chosen option's), or the biller's for a direct payment.
    pub fn bounds(&self) -> Result<AmountBounds, AmountError> {
        let ctx = self.ctx().ok_or(AmountError::UpiNotAccepted)?;
        // A plan is paid at its price, exactly.
        if let Some(price) = self.chosen_plan().map(|p| p.amount) {
            return Ok(AmountBounds::new(&ctx.biller, None, AmountRule::default(), CHANNEL)?.exactly(price));
        }
        // Chosen bills of a list are paid in full; none chosen leaves nothing to pay.
        if let Some(list) = self.bill_list() {
            let sum = list.choose(&self.amount.bills).map_or(Paise::ZERO, |chosen| BillList::sum(&chosen));
            return BillList::bounds(&ctx.biller, sum, CHANNEL);
        }
        match self.quote() {
            None => AmountBounds::new(&ctx.biller, None, AmountRule::default(), CHANNEL),
            Some(q) => match self.chosen_option(q) {
                Some(amount) => {
                    let rule = q.bill.as_ref().map(|b| b.amount_rule).unwrap_or_default();
                    AmountBounds::new(&ctx.biller, Some(amount), rule, CHANNEL)
                }
                None => Ok(q.amount_bounds),
            },
        }
    }

    /// The fetched bill's list of bills, when it has several.
    pub fn bill_list(&self) -> Option<&BillList> {
        self.quote()?.bill.as_ref()?.list.as_ref()
    }

    /// The chosen bills of the list, or why the biller does not take them together.
    pub fn chosen_bills(&self) -> Option<Result<Vec<&BillItem>, BillChoiceError>> {
        self.bill_list().map(|l| l.choose(&self.amount.bills))
    }

    /// Why the chosen bills of a list cannot be paid: the biller does not take them together, or their sum is
    /// outside its UPI limits.
    fn bills_problem(&self) -> Option<ErrorCode> {
        if let Some(code) = self.amount.bills_server {
            return Some(code);
        }
        let chosen = match self.chosen_bills()? {
            Ok(chosen) => chosen,
            Err(e) => return Some(ErrorCode::from(&e)),
        };
        let ctx = self.ctx()?;
        let sum = BillList::sum(&chosen);
        match BillList::bounds(&ctx.biller, sum, CHANNEL).and_then(|b| b.check(sum)) {
            Ok(()) => None,
            Err(e) => Some(ErrorCode::from(&e)),
        }
    }

    /// [`Journey::bills_problem`] as shown: once "Proceed" was pressed, or the server refused the choice.
    pub fn bills_issue(&self) -> Option<ErrorCode> {
        self.bills_problem().filter(|_| self.amount.bills_tried || self.amount.bills_server.is_some())
    }

    /// A bill of the list checked or unchecked: one replaces the other where the biller takes one per payment.
    pub(super) fn toggle_bill(&mut self, number: String) {
        let single = self.bill_list().is_some_and(|l| l.selection == BillSelection::Single);
        let bills = &mut self.amount.bills;
        if single {
            *bills = vec![number];
        } else if bills.contains(&number) {
            bills.retain(|b| *b != number);
        } else {
            bills.push(number);
        }
        self.amount.amount_server = None;
        self.amount.bills_server = None;
        self.amount.input = self.suggested();
    }

    fn chosen_option(&self, q: &BillQuote) -> Option<Paise> {
        let name = self.amount.option.as_deref()?;
        q.bill.as_ref()?.amount_options.iter().find(|o| o.name == name).map(|o| o.amount)
    }

    /// The amount as typed, checked against [`Journey::bounds`].
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
        let a = &self.amount;
        let shown = a.amount_touched || a.submitted || a.amount_server.is_some();
        if shown { self.amount_value().err() } else { None }
    }

    /// The mobile number's error as shown now on the confirm step (after the field was left, or a submit).
    pub fn mobile_issue(&self) -> Option<Msg> {
        self.mobile_issue_after(self.amount.submitted)
    }

    /// The mobile number's error as shown now on the form (after the field was left, or the form's submit).
    pub fn form_mobile_issue(&self) -> Option<Msg> {
        self.mobile_issue_after(self.form.submitted)
    }

    fn mobile_issue_after(&self, submitted: bool) -> Option<Msg> {
        let a = &self.amount;
        if let Some(code) = a.mobile_server {
            return Some(error_msg(code));
        }
        let shown = a.mobile_touched || submitted;
        (shown && MobileNumber::parse(&a.mobile).is_none()).then_some(Msg::ErrMobileInvalid)
    }

    /// Whether the form asks the mobile number: the biller's bill is fetched, and a fetch carries it.
    pub fn form_asks_mobile(&self) -> bool {
        self.ctx().is_some_and(|c| c.biller.fetch_requirement != FetchRequirement::NotSupported)
    }

    /// The amount to pre-fill: the bill's (the chosen option's, the chosen bills' sum, the plan's price), as plain
    /// rupees.
    fn suggested(&self) -> String {
        self.bounds().ok().and_then(|b| b.suggested).map(Paise::to_decimal_string).unwrap_or_default()
    }

    /// A mobile number the customer already typed as a biller param (one named for a mobile number) saves typing
    /// it twice.
    pub(super) fn prefill_mobile(&mut self) {
        if !self.amount.mobile.is_empty() {
            return;
        }
        let mobile_param = |name: &str| name.to_ascii_lowercase().contains("mobile");
        let typed = self.form.values.iter().filter(|(name, _)| mobile_param(name));
        if let Some(m) = typed.into_iter().find_map(|(_, v)| MobileNumber::parse(v)) {
            self.amount.mobile = m.as_str().to_owned();
        }
    }

    pub(super) fn choose_option(&mut self, option: Option<String>) {
        if self.amount.option != option {
            self.amount.option = option;
            self.amount.amount_server = None;
            self.amount.input = self.suggested();
        }
    }

    /// Another journey begins: the bill and the amount go; the biller and what was typed for it stay for the way
    /// back, and the mobile number for the next receipt. A fetch still on its way is shown, not paid.
    pub(super) fn restart(&mut self) {
        self.bill = BillState::NoBill;
        if self.fetch == Fetch::ToPay {
            self.fetch = Fetch::ToShow;
        }
        self.amount = self.amount.for_another_bill();
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

/// Opens a biller's form; the same biller again keeps everything typed for it.
pub(super) fn pick_biller(f: &mut Flow, id: BillerId, out: &mut Vec<Command>) {
    f.go(Step::Form);
    let j = &mut f.journey;
    if j.ctx().is_some_and(|b| b.biller.id == id) {
        return;
    }
    j.biller = Remote::Loading;
    j.form = ParamForm::default();
    j.accepted = None;
    j.bill = BillState::NoBill;
    j.amount = j.amount.for_another_bill();
    j.plans = super::PlanPicker::default();
    out.push(Command::LoadBiller(id));
}

pub(super) fn biller_loaded(f: &mut Flow, biller: Biller) {
    if f.catalogue.category.is_none() {
        f.catalogue.category = Some(category_code(&biller.category));
    }
    f.journey.biller = Remote::Ready(BillerCtx::new(biller));
}

/// A param typed; one that is the customer's mobile number fills the mobile field if it is empty.
pub(super) fn param_input(f: &mut Flow, name: &str, value: String) {
    f.journey.form.input(name, value);
    f.journey.prefill_mobile();
}

/// Checks the form (with the mobile number when the bill is fetched), then fetches or validates the bill, or goes
/// straight to the amount for a biller that does neither.
pub(super) fn submit_params(f: &mut Flow, out: &mut Vec<Command>) {
    let Some(ctx) = f.journey.ctx().cloned() else { return };
    f.journey.form.submitted = true;
    let mobile_ok = !f.journey.form_asks_mobile() || f.journey.form_mobile_issue().is_none();
    let accepted = match ctx.rules.validate(&f.journey.form.values) {
        Ok(accepted) if f.journey.form.server.is_empty() && mobile_ok => accepted,
        _ => return f.focus_errors(),
    };
    f.problem = None;
    let j = &mut f.journey;
    let params = param_values(accepted);
    j.accepted = Some(params.clone());
    let customer_mobile = MobileNumber::parse(&j.amount.mobile);
    let req = FetchBillRequest { biller_id: ctx.biller.id.clone(), params, channel: CHANNEL, customer_mobile };
    match ctx.biller.fetch_requirement {
        FetchRequirement::NotSupported if !ctx.biller.supports_validation && ctx.biller.plans.is_some() => {
            j.bill = BillState::NoBill;
            super::plans::open(f, ctx.biller.id.clone(), out);
        }
        FetchRequirement::NotSupported if !ctx.biller.supports_validation => {
            j.bill = BillState::NoBill;
            if j.amount.input.is_empty() {
                j.amount.input = j.suggested();
            }
            j.prefill_mobile();
            f.step = Step::Amount;
        }
        FetchRequirement::NotSupported => {
            j.fetch = Fetch::ToShow;
            out.push(Command::ValidateBill(req));
        }
        FetchRequirement::Mandatory | FetchRequirement::Optional => {
            j.fetch = Fetch::ToShow;
            out.push(Command::FetchBill(req));
        }
    }
}

pub(super) fn quote_loaded(f: &mut Flow, quote: BillQuote, out: &mut Vec<Command>) {
    let j = &mut f.journey;
    let to_pay = std::mem::take(&mut j.fetch) == Fetch::ToPay;
    let kind = quote.kind;
    let listed = |q: &BillQuote| q.bill.as_ref().and_then(|b| b.list.clone());
    let same_amount = j.quote().is_some_and(|q| q.amount_bounds == quote.amount_bounds && listed(q) == listed(&quote));
    j.bill = BillState::Quote(Box::new(quote));
    // Pay straight on only for the same bill: a changed amount is the customer's to confirm.
    let pay = to_pay && same_amount;
    if !pay {
        j.amount.option = None;
        let offered = j.ctx().zip(j.bill_list()).and_then(|(c, l)| l.preselect(&c.biller, CHANNEL));
        j.amount.bills = offered.map(|o| o.iter().map(|b| b.bill_number.clone()).collect()).unwrap_or_default();
        j.amount.bills_tried = false;
        j.amount.bills_server = None;
        j.amount.input = j.suggested();
    }
    j.prefill_mobile();
    let plans = j.ctx().filter(|c| c.biller.plans.is_some()).map(|c| c.biller.id.clone());
    if pay && j.amount_value().is_ok() {
        payment::create(f, out);
    } else if let (QuoteKind::Validated, Some(biller)) = (kind, plans) {
        // The account is validated: now its plan.
        super::plans::open(f, biller, out);
    } else {
        f.step = if kind == QuoteKind::Fetched { Step::Bill } else { Step::Amount };
    }
}

/// The server refused the fetch for the mobile number: it goes beside the form's mobile field. `false` for any
/// other refusal.
pub(super) fn mobile_refused(f: &mut Flow, code: ErrorCode) -> bool {
    if !matches!(code, ErrorCode::MobileInvalid | ErrorCode::CustomerMobileRequired) || !f.journey.form_asks_mobile() {
        return false;
    }
    f.journey.amount.mobile_server = Some(code);
    f.step = Step::Form;
    f.focus_errors();
    true
}

pub(super) fn confirm_bill(f: &mut Flow) {
    let j = &mut f.journey;
    if j.bills_problem().is_some() {
        j.amount.bills_tried = true;
        return f.focus_errors();
    }
    // A list's amount is its chosen bills' sum, whatever was there before.
    if j.amount.input.is_empty() || j.bill_list().is_some() {
        j.amount.input = j.suggested();
    }
    f.step = Step::Amount;
}

pub(super) fn pay_without_bill(f: &mut Flow) {
    let j = &mut f.journey;
    j.bill = BillState::NoBill;
    j.amount.option = None;
    j.amount.input.clear();
    f.step = Step::Amount;
}

/// Fetches (or validates) the current quote's bill again and pays as soon as it arrives. `false` when the
/// journey has no quote to renew.
pub(super) fn refetch_and_pay(f: &mut Flow, out: &mut Vec<Command>) -> bool {
    let j = &mut f.journey;
    let (Some(q), Some(ctx)) = (j.quote(), j.ctx()) else { return false };
    let params = param_values(q.params.iter().map(|i| (i.name.clone(), i.value.clone())));
    let customer_mobile = MobileNumber::parse(&j.amount.mobile);
    let req = FetchBillRequest { biller_id: ctx.biller.id.clone(), params, channel: CHANNEL, customer_mobile };
    out.push(if q.kind == QuoteKind::Fetched { Command::FetchBill(req) } else { Command::ValidateBill(req) });
    j.fetch = Fetch::ToPay;
    f.step = Step::Amount;
    true
}
