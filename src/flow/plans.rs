//! The plan picker of a prepaid biller: its plans on sale, narrowed by category and search words, and the plan
//! the customer chose, whose price is then the amount paid.

use bbps_core::BillerId;
use bbps_core::api::PlanList;
use bbps_core::plan::{Plan, PlanRequirement};

use super::{Command, Flow, Remote, Step};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlanPicker {
    /// The biller the list is for.
    pub biller: Option<BillerId>,
    pub list: Remote<PlanList>,
    /// The category tab, `None` for every plan.
    pub category: Option<String>,
    pub query: String,
    pub chosen: Option<Plan>,
    /// The server said the chosen plan is no longer on sale: said above the list until another is chosen.
    pub withdrawn: bool,
}

impl PlanPicker {
    /// The plans shown: of the tab, matching every word of the search.
    pub fn shown(&self) -> Vec<&Plan> {
        let Some(list) = self.list.ready() else { return Vec::new() };
        list.items
            .iter()
            .filter(|p| self.category.as_deref().is_none_or(|c| p.category == c))
            .filter(|p| p.matches(&self.query))
            .collect()
    }
}

/// After the customer details of a plan biller: the picker, its plans asked for once per biller.
pub(super) fn open(f: &mut Flow, biller: BillerId, out: &mut Vec<Command>) {
    let p = &mut f.journey.plans;
    if p.biller.as_ref() != Some(&biller) || matches!(p.list, Remote::Failed(_)) {
        *p = PlanPicker { biller: Some(biller.clone()), list: Remote::Loading, ..PlanPicker::default() };
        out.push(Command::LoadPlans(biller));
    }
    f.go(Step::Plans);
}

pub(super) fn loaded(f: &mut Flow, list: PlanList) {
    f.journey.plans.list = Remote::Ready(list);
}

pub(super) fn choose(f: &mut Flow, plan: Option<Plan>) {
    let j = &mut f.journey;
    let optional = j.ctx().is_some_and(|c| c.biller.plans == Some(PlanRequirement::Optional));
    if plan.is_none() && !optional {
        return;
    }
    j.amount.input = plan.as_ref().map(|p| p.amount.to_decimal_string()).unwrap_or_default();
    j.amount.amount_server = None;
    j.plans.withdrawn = false;
    j.plans.chosen = plan;
    j.prefill_mobile();
    f.go(Step::Amount);
}

/// The chosen plan was withdrawn since the list was pulled: back to a fresh list, saying so.
pub(super) fn withdrawn(f: &mut Flow, out: &mut Vec<Command>) {
    let Some(biller) = f.journey.plans.biller.clone() else { return };
    let p = &mut f.journey.plans;
    p.chosen = None;
    p.list = Remote::Loading;
    p.withdrawn = true;
    out.push(Command::LoadPlans(biller));
    f.go(Step::Plans);
}
