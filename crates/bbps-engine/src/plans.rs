//! A biller's plans, pulled from the network's plan master data and kept for [`PLAN_REFRESH`]: what the plan
//! picker lists, and what a payment of a plan is checked against. A plan the network stopped selling, or one past
//! its dates, is not listed and not paid.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use bbps_core::api::PlanList;
use bbps_core::plan::{Plan, PlanRequirement};
use bbps_core::{Biller, BillerId, ErrorCode, Paise, PlanId, Timestamp};

use crate::ports::BbpsNetwork;
use crate::quotes::network_error;
use crate::{Engine, Error, Result};

/// How long pulled plans are kept before the next request pulls them again.
pub const PLAN_REFRESH: time::Duration = time::Duration::hours(1);

/// A biller's plans as pulled, and when.
type Pulled = (Timestamp, Arc<Vec<Plan>>);

/// The plans pulled per biller.
#[derive(Default)]
pub struct PlanBook(Mutex<HashMap<BillerId, Pulled>>);

impl PlanBook {
    fn fresh(&self, biller: &BillerId, now: Timestamp) -> Option<Arc<Vec<Plan>>> {
        let book = self.0.lock().unwrap_or_else(|p| p.into_inner());
        book.get(biller).filter(|(at, _)| now < at.saturating_add(PLAN_REFRESH)).map(|(_, plans)| plans.clone())
    }

    fn any(&self, biller: &BillerId) -> Option<Arc<Vec<Plan>>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).get(biller).map(|(_, plans)| plans.clone())
    }

    fn keep(&self, biller: &BillerId, at: Timestamp, plans: Arc<Vec<Plan>>) {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).insert(biller.clone(), (at, plans));
    }
}

fn plan_refused(code: ErrorCode, message: &str, field: &str) -> Error {
    Error::field(code, message, field)
}

impl Engine {
    /// The plans on sale today of a plan biller, pulled again once [`PLAN_REFRESH`] has passed. While the network
    /// cannot answer, the last plans pulled are used.
    async fn plans_of(&self, biller: &Biller) -> Result<Arc<Vec<Plan>>> {
        let now = self.now();
        if biller.plans.is_none() {
            return Err(plan_refused(ErrorCode::PlansNotSupported, "this biller sells no plans", "biller_id"));
        }
        let pulled = match self.plans.fresh(&biller.id, now) {
            Some(plans) => plans,
            None => match self.network.plans(std::slice::from_ref(&biller.id)).await {
                Ok(plans) => {
                    let plans: Arc<Vec<Plan>> =
                        Arc::new(plans.into_iter().filter(|p| p.biller_id == biller.id).collect());
                    self.plans.keep(&biller.id, now, plans.clone());
                    plans
                }
                Err(e) => match self.plans.any(&biller.id) {
                    Some(plans) => {
                        tracing::warn!(biller = %biller.id, error = %e, "plans not pulled again; the last ones are used");
                        plans
                    }
                    None => return Err(network_error(e)),
                },
            },
        };
        let today = now.ist_date();
        Ok(Arc::new(pulled.iter().filter(|p| p.offered_on(today)).cloned().collect()))
    }

    /// The plans of `biller_id` on sale today, in the picker's order (category, then price), narrowed by a
    /// category and by search words.
    pub async fn plans(&self, biller_id: &BillerId, category: Option<&str>, q: Option<&str>) -> Result<PlanList> {
        let biller = self
            .catalogue()
            .get(biller_id)
            .cloned()
            .ok_or_else(|| plan_refused(ErrorCode::BillerNotFound, "no biller has this id", "biller_id"))?;
        let offered = self.plans_of(&biller).await?;
        let mut categories: Vec<String> = offered.iter().map(|p| p.category.clone()).collect();
        categories.sort();
        categories.dedup();
        let mut items: Vec<Plan> = offered
            .iter()
            .filter(|p| category.is_none_or(|c| p.category.eq_ignore_ascii_case(c.trim())))
            .filter(|p| q.is_none_or(|q| p.matches(q)))
            .cloned()
            .collect();
        items.sort_by(|a, b| a.category.cmp(&b.category).then(a.amount.cmp(&b.amount)).then(a.id.cmp(&b.id)));
        Ok(PlanList { categories, items })
    }

    /// The plan a direct payment of `biller` buys, checked: one on sale today, paid at its price. A plan biller
    /// whose plans are mandatory takes no payment without one; a biller without plans takes none.
    pub(crate) async fn plan_for_payment(
        &self,
        biller: &Biller,
        plan_id: Option<&PlanId>,
        amount: Paise,
    ) -> Result<Option<PlanId>> {
        let field = "plan_id";
        let Some(plan_id) = plan_id else {
            return match biller.plans {
                Some(PlanRequirement::Mandatory) => {
                    Err(plan_refused(ErrorCode::PlanRequired, "this biller is paid by plan: choose a plan", field))
                }
                Some(PlanRequirement::Optional) | None => Ok(None),
            };
        };
        let offered = self.plans_of(biller).await.map_err(|e| match e {
            Error::Refused(mut e) if e.code == ErrorCode::PlansNotSupported => {
                e.field = Some(field.to_owned());
                Error::Refused(e)
            }
            other => other,
        })?;
        let plan = offered.iter().find(|p| &p.id == plan_id).ok_or_else(|| {
            plan_refused(
                ErrorCode::PlanNotAvailable,
                "this plan is no longer on sale; choose one of the biller's plans again",
                field,
            )
        })?;
        if plan.amount != amount {
            return Err(plan_refused(
                ErrorCode::AmountMustEqualPlan,
                &format!("this plan costs {}; the amount must be its price", plan.amount),
                "amount",
            ));
        }
        Ok(Some(plan.id.clone()))
    }
}
