//! Prepaid plans (mobile prepaid, DTH and the like): the network's plan master data, and the rules a payment of
//! a plan follows. A plan's price is what is paid, to the paisa; a plan the network no longer lists, or one outside
//! its effective dates, is not offered and not paid.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::api::InfoItem;
use crate::ids::{BillerId, PlanId};
use crate::money::Paise;

crate::wire_enum! {
    /// Whether a biller's payments go by plan (master data `planMdmRequirement`). A biller without one takes no
    /// plan.
    pub enum PlanRequirement {
        /// Every payment is of a plan: the customer picks one before paying.
        Mandatory = "MANDATORY",
        /// The customer may pick a plan, or pay an amount of their choosing.
        Optional = "OPTIONAL",
    }
}

/// One plan of a biller.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Plan {
    pub id: PlanId,
    pub biller_id: BillerId,
    /// The biller's grouping (`categoryType`), e.g. `Data`, `Unlimited`, `Talktime`.
    pub category: String,
    /// Finer groups (`categorySubType`), e.g. `28 days`.
    pub sub_categories: Vec<String>,
    /// The price, which is exactly what a payment of the plan pays.
    pub amount: Paise,
    pub description: String,
    /// How long the plan lasts, as the biller words it (the `Validity` item of its additional info).
    pub validity: Option<String>,
    /// What the plan gives, as the biller lists it (its other additional info: data, calls, channels…).
    pub benefits: Vec<InfoItem>,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub effective_from: Date,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub effective_to: Option<Date>,
}

/// The additional-info item of a plan that says how long it lasts.
pub const VALIDITY_INFO: &str = "Validity";

impl Plan {
    /// Whether the plan is offered on `day` (IST): within its effective dates, both ends included.
    pub fn offered_on(&self, day: Date) -> bool {
        self.effective_from <= day && self.effective_to.is_none_or(|to| day <= to)
    }

    /// Whether a search matches the plan: every word of `q` in its category, sub-categories, description,
    /// validity, benefits or price in rupees; an empty query matches every plan. Letters are compared without
    /// ASCII case (plan texts are written in English), which keeps Unicode's case tables out of the widget.
    pub fn matches(&self, q: &str) -> bool {
        let haystack = [self.category.as_str(), self.description.as_str(), self.validity.as_deref().unwrap_or("")]
            .into_iter()
            .chain(self.sub_categories.iter().map(String::as_str))
            .chain(self.benefits.iter().flat_map(|b| [b.name.as_str(), b.value.as_str()]))
            .collect::<Vec<_>>()
            .join(" ")
            .to_ascii_lowercase();
        let rupees = (self.amount.get() / 100).to_string();
        q.split_ascii_whitespace().all(|w| {
            let w = w.trim_start_matches('₹').to_ascii_lowercase();
            haystack.contains(&w) || rupees == w
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan() -> Plan {
        Plan {
            id: PlanId::parse("JIO299").unwrap(),
            biller_id: BillerId::parse("JIO000000NAT01").unwrap(),
            category: "Unlimited".into(),
            sub_categories: vec!["28 days".into()],
            amount: Paise::new(29_900).unwrap(),
            description: "Unlimited calls, 2 GB/day".into(),
            validity: Some("28 days".into()),
            benefits: vec![InfoItem { name: "Data".into(), value: "2 GB/day".into() }],
            effective_from: time::macros::date!(2026 - 01 - 01),
            effective_to: Some(time::macros::date!(2026 - 12 - 31)),
        }
    }

    #[test]
    fn a_plan_is_offered_within_its_dates() {
        let p = plan();
        assert!(p.offered_on(time::macros::date!(2026 - 01 - 01)));
        assert!(p.offered_on(time::macros::date!(2026 - 12 - 31)));
        assert!(!p.offered_on(time::macros::date!(2027 - 01 - 01)));
        assert!(!p.offered_on(time::macros::date!(2025 - 12 - 31)));
        assert!(Plan { effective_to: None, ..p }.offered_on(time::macros::date!(2099 - 01 - 01)));
    }

    #[test]
    fn search_looks_at_every_word_and_the_price() {
        let p = plan();
        for q in ["", "unlimited", "2 gb", "28 DAYS", "299", "₹299", "calls unlimited"] {
            assert!(p.matches(q), "{q:?}");
        }
        for q in ["300", "84 days", "netflix"] {
            assert!(!p.matches(q), "{q:?}");
        }
    }

    #[test]
    fn requirements_use_the_master_data_names() {
        assert_eq!(PlanRequirement::parse("MANDATORY"), Ok(PlanRequirement::Mandatory));
        assert!(PlanRequirement::parse("NOT_SUPPORTED").is_err(), "no plans is no requirement at all");
    }
}
