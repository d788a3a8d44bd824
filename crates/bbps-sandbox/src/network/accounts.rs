//! The sandbox's test accounts. The outcome of a fetch, validation or payment is chosen by the last four
//! characters of the customer's first filled-in param value, so a test account exists in every biller's format:
//! take the biller's example value and replace its last four digits.

use std::collections::BTreeMap;

use bbps_core::{Biller, FetchRequirement};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// A bill is due (any value not listed below).
    BillDue,
    /// `…0001`: BFR001 (BVR001 for a validation).
    InvalidAccount,
    /// `…0002`: BFR004.
    NoBillDue,
    /// `…0003`: BFR008.
    BillerUnavailable,
    /// `…0004`: the fetch takes longer than the server waits.
    SlowBiller,
    /// `…0005`: the bill payment is pending (deemed), then succeeds.
    PaymentPending,
    /// `…0006`: the bill payment fails after the UPI debit, so the money is refunded.
    PaymentFails,
    /// `…0007`: a bill with early- and late-payment amount options.
    AmountOptions,
    /// `…0008`: an overdue bill.
    Overdue,
    /// `…0009`: the bill is paid but the network's answer comes after the server stops waiting, its status lags,
    /// and a repeated payment is refused as a duplicate.
    AnswerLost,
    /// `…0010`: a bill that takes part payments: from ₹500 up to the bill, in multiples of ₹100.
    PartPayment,
    /// `…0011`: three bills of three months; the customer pays any of them.
    BillsAnyOf,
    /// `…0012`: three bills of three months; one payment pays one of them.
    BillsOneOf,
    /// `…0013`: three bills of three months, paid all together.
    BillsAllOf,
}

/// `(suffix, outcome, what happens)`, in the order the docs list them.
pub const SCHEME: &[(&str, Outcome, &str)] = &[
    ("any other", Outcome::BillDue, "A bill is due; the amount is derived from the biller and the account"),
    (
        "0001",
        Outcome::InvalidAccount,
        "Fetch fails with BFR001 (invalid account), validation with BVR001; a direct payment fails and is refunded",
    ),
    ("0002", Outcome::NoBillDue, "Fetch fails with BFR004 (no bill due)"),
    ("0003", Outcome::BillerUnavailable, "Fetch fails with BFR008 (unable to get the bill from the biller)"),
    ("0004", Outcome::SlowBiller, "The biller answers after the server's fetch timeout: biller_timeout"),
    ("0005", Outcome::PaymentPending, "The bill payment is pending (deemed) and settles as a success after a delay"),
    ("0006", Outcome::PaymentFails, "The bill payment fails after the UPI debit; the payment is refunded"),
    ("0007", Outcome::AmountOptions, "A bill with early-payment and late-payment amount options and additional info"),
    ("0008", Outcome::Overdue, "A bill whose due date has passed (still payable)"),
    (
        "0009",
        Outcome::AnswerLost,
        "The bill payment's answer comes too late, its status lags, and a resend is refused as a duplicate: the \
         payment completes once the status shows it, and nothing is refunded",
    ),
    (
        "0010",
        Outcome::PartPayment,
        "A bill that takes part payments: any amount from ₹500 up to the bill (a whole number of hundreds of \
         rupees), in multiples of ₹100",
    ),
    ("0011", Outcome::BillsAnyOf, "Three bills of the last three months: pay any one, two or all of them"),
    ("0012", Outcome::BillsOneOf, "Three bills of the last three months: one payment pays exactly one of them"),
    ("0013", Outcome::BillsAllOf, "Three bills of the last three months, which the biller takes only all together"),
];

/// The outcome for a request's params: by the first filled-in value's last four characters.
pub fn outcome_for(params: &[(String, String)]) -> Outcome {
    let Some((_, value)) = params.iter().find(|(_, v)| !v.trim().is_empty()) else { return Outcome::BillDue };
    let value = value.trim();
    let tail = value.get(value.len().saturating_sub(4)..).unwrap_or("");
    SCHEME.iter().find(|(suffix, ..)| *suffix == tail).map_or(Outcome::BillDue, |(_, o, _)| *o)
}

/// `hint` with its last four characters replaced by `suffix`.
pub fn with_suffix(hint: &str, suffix: &str) -> String {
    let keep = hint.len().saturating_sub(suffix.len());
    format!("{}{suffix}", hint.get(..keep).unwrap_or(""))
}

/// Values for every param of `biller` that pass its rules: each param's example, the first one ending in
/// `suffix` when given. Params in an "A or B" group after the first are left out.
pub fn example_params(biller: &Biller, suffix: Option<&str>) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut first = true;
    for p in &biller.params {
        let grouped_later =
            biller.param_groups.iter().any(|g| g.params.iter().position(|n| *n == p.name).is_some_and(|i| i > 0));
        if grouped_later || (p.optional && !biller.param_groups.iter().any(|g| g.params.contains(&p.name))) {
            continue;
        }
        let base = p.hint.clone().or_else(|| p.values.as_ref().and_then(|v| v.first().cloned())).unwrap_or_default();
        let value = match (first, suffix) {
            (true, Some(s)) => with_suffix(&base, s),
            _ => base,
        };
        first = false;
        out.insert(p.name.clone(), value);
    }
    out
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SandboxOutcome {
    /// The last four characters of the first param's value (`any other` for the default).
    pub suffix: String,
    pub outcome: Outcome,
    pub description: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SandboxExample {
    pub outcome: Outcome,
    pub params: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CategoryAccounts {
    pub category: String,
    pub biller_id: String,
    pub biller_name: String,
    pub fetch_requirement: FetchRequirement,
    pub supports_validation: bool,
    /// Ready-to-type params, one set per outcome.
    pub examples: Vec<SandboxExample>,
}

/// What `GET /sandbox/accounts` answers.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SandboxAccounts {
    pub scheme: Vec<SandboxOutcome>,
    pub categories: Vec<CategoryAccounts>,
}

/// The scheme and one example biller per category (the first of the category in the catalogue).
pub fn accounts(billers: &[Biller]) -> SandboxAccounts {
    let scheme = SCHEME
        .iter()
        .map(|(suffix, outcome, text)| SandboxOutcome {
            suffix: (*suffix).to_owned(),
            outcome: *outcome,
            description: (*text).to_owned(),
        })
        .collect();
    let mut categories: Vec<CategoryAccounts> = Vec::new();
    for b in billers {
        if categories.iter().any(|c| c.category == b.category) {
            continue;
        }
        let examples = SCHEME
            .iter()
            .map(|(suffix, outcome, _)| SandboxExample {
                outcome: *outcome,
                params: example_params(b, (*outcome != Outcome::BillDue).then_some(*suffix)),
            })
            .collect();
        categories.push(CategoryAccounts {
            category: b.category.clone(),
            biller_id: b.id.to_string(),
            biller_name: b.name.clone(),
            fetch_requirement: b.fetch_requirement,
            supports_validation: b.supports_validation,
            examples,
        });
    }
    categories.sort_by(|a, b| a.category.cmp(&b.category));
    SandboxAccounts { scheme, categories }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bbps_core::ParamRules;

    #[test]
    fn outcomes_by_suffix() {
        let p = |v: &str| vec![("A".to_owned(), String::new()), ("B".to_owned(), v.to_owned())];
        assert_eq!(outcome_for(&p("1234560001")), Outcome::InvalidAccount);
        assert_eq!(outcome_for(&p("MH12AB0006")), Outcome::PaymentFails);
        assert_eq!(outcome_for(&p("1234567890")), Outcome::BillDue);
        assert_eq!(outcome_for(&p("01")), Outcome::BillDue);
        assert_eq!(with_suffix("MH12AB1234", "0005"), "MH12AB0005");
    }

    #[test]
    fn every_example_of_every_biller_passes_its_rules_and_picks_its_outcome() {
        let billers = super::super::generator::catalogue(0);
        assert!(billers.len() >= 150);
        for b in &billers {
            let rules = ParamRules::new(b);
            for (suffix, outcome, _) in SCHEME {
                let s = (*outcome != Outcome::BillDue).then_some(*suffix);
                let params = example_params(b, s);
                let accepted = rules.validate(&params).unwrap_or_else(|e| panic!("{} {suffix}: {e:?}", b.id));
                assert_eq!(outcome_for(&accepted), *outcome, "{} {suffix}", b.id);
            }
        }
    }
}
