//! Plan master data: the pull for some billers' plans, and the push that answers it, as the core's `Plan`s.

use bbps_core::api::InfoItem;
use bbps_core::plan::{Plan, VALIDITY_INFO};
use bbps_core::{BillerId, Paise, PlanId, RefId, Timestamp};

use super::biller::instant_of;
use super::{Originator, Stamp};
use crate::codes::{HeadRequestType, VERSION};
use crate::message::biller::SearchByTime;
use crate::message::plan::{
    BBPSPlanMDMPull, BBPSPlanMDMPush, CategorySubType, PlanAdditionalInfo, PlanDetail, PlanHead, PlanTag,
    SearchByBiller,
};
use crate::time::WireTime;

/// The status of a plan on sale.
const ACTIVE: &str = "ACTIVE";

fn head(from: &Originator, ref_id: &RefId, at: Timestamp, kind: HeadRequestType) -> PlanHead {
    PlanHead {
        ver: VERSION.to_owned(),
        ts: WireTime::from(at),
        orig_inst: from.institution.clone(),
        ref_id: ref_id.clone(),
        kind,
    }
}

/// Asks for the plans of `billers`, all of them or (`since`) only those changed since.
pub fn pull_request(
    billers: &[BillerId],
    since: Option<WireTime>,
    from: &Originator,
    stamp: &Stamp,
) -> BBPSPlanMDMPull {
    BBPSPlanMDMPull {
        head: head(from, &stamp.ref_id, stamp.at, HeadRequestType::Request),
        search: Some(SearchByBiller { biller_ids: billers.to_vec() }),
        search_by_time: since.map(|t| SearchByTime { time: t.to_string() }),
    }
}

/// The billers a pull asks about.
pub fn pulled_billers(req: &BBPSPlanMDMPull) -> &[BillerId] {
    req.search.as_ref().map_or(&[], |s| &s.biller_ids)
}

/// The answer to a pull: `plans`, under the pull's refId.
pub fn push_response(req: &BBPSPlanMDMPull, plans: &[Plan], from: &Originator, at: Timestamp) -> BBPSPlanMDMPush {
    BBPSPlanMDMPush {
        head: head(from, &req.head.ref_id, at, HeadRequestType::Response),
        plans: plans.iter().map(detail_of).collect(),
        search_result: None,
    }
}

/// `299.00`: rupees with two decimals, which reads back exactly as the paise written.
fn rupees(p: Paise) -> String {
    format!("{}.{:02}", p.get() / 100, p.get() % 100)
}

pub fn detail_of(p: &Plan) -> PlanDetail {
    let validity = p.validity.iter().map(|v| PlanTag { param_name: VALIDITY_INFO.to_owned(), param_value: v.clone() });
    let benefits = p.benefits.iter().map(|b| PlanTag { param_name: b.name.clone(), param_value: b.value.clone() });
    let tags: Vec<PlanTag> = validity.chain(benefits).collect();
    PlanDetail {
        id: p.id.as_str().to_owned(),
        biller_id: p.biller_id.clone(),
        category_type: p.category.clone(),
        category_sub_type: CategorySubType { sub_types: p.sub_categories.clone() },
        amount_in_rupees: rupees(p.amount),
        plan_description: p.description.clone(),
        plan_additional_info: (!tags.is_empty()).then_some(PlanAdditionalInfo { tags }),
        effective_from: p.effective_from.to_string(),
        effective_to: p.effective_to.map(|d| d.to_string()),
        status: ACTIVE.to_owned(),
    }
}

/// A plan on sale, or why a detail is not one: withdrawn (`Ok(None)`), or unreadable (`Err`).
pub fn plan_of(d: &PlanDetail) -> Result<Option<Plan>, String> {
    if !d.status.trim().eq_ignore_ascii_case(ACTIVE) {
        return Ok(None);
    }
    let id = PlanId::parse(d.id.trim()).map_err(|e| e.to_string())?;
    let amount = Paise::parse_rupees(&d.amount_in_rupees)
        .map_err(|_| format!("plan {id}: amountInRupees {:?} is not an amount in rupees", d.amount_in_rupees))?;
    if amount.is_zero() {
        return Err(format!("plan {id} costs nothing"));
    }
    let day = |field: &str, s: &str| instant_of(field, s, false).map(|t| t.map(Timestamp::ist_date));
    let effective_from = day("effctvFrom", &d.effective_from)?.ok_or(format!("plan {id} has no effctvFrom"))?;
    let effective_to = d.effective_to.as_deref().map(|s| day("effctvTo", s)).transpose()?.flatten();
    let tags = d.plan_additional_info.as_ref().map_or(&[][..], |i| &i.tags);
    let validity =
        tags.iter().find(|t| t.param_name.eq_ignore_ascii_case(VALIDITY_INFO)).map(|t| t.param_value.clone());
    let benefits = tags
        .iter()
        .filter(|t| !t.param_name.eq_ignore_ascii_case(VALIDITY_INFO))
        .map(|t| InfoItem { name: t.param_name.clone(), value: t.param_value.clone() })
        .collect();
    Ok(Some(Plan {
        id,
        biller_id: d.biller_id.clone(),
        category: d.category_type.trim().to_owned(),
        sub_categories: d.category_sub_type.sub_types.iter().map(|s| s.trim().to_owned()).collect(),
        amount,
        description: d.plan_description.trim().to_owned(),
        validity,
        benefits,
        effective_from,
        effective_to,
    }))
}

/// The plans of a push that are on sale; a detail that cannot be read is left out with a warning, since one
/// unreadable plan should not take the others off sale.
pub fn plans_of(push: &BBPSPlanMDMPush) -> Vec<Plan> {
    push.plans
        .iter()
        .filter_map(|d| {
            plan_of(d).unwrap_or_else(|e| {
                tracing::warn!(plan = %d.id, biller = %d.biller_id, error = %e, "left out a plan the product cannot read");
                None
            })
        })
        .collect()
}
