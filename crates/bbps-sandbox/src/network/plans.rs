//! The sandbox's plan master data: every biller that sells plans (Mobile Prepaid, DTH) offers the same set, with
//! its own plan ids, so every picker state can be tried (docs/sandbox.md). One plan's dates ended yesterday: the
//! network still lists it, but it is not on sale.

use bbps_core::api::InfoItem;
use bbps_core::plan::Plan;
use bbps_core::{Biller, Paise, PlanId, Timestamp};

/// `(id suffix, category, price in rupees, validity, description, benefits)`.
type Row = (&'static str, &'static str, u64, &'static str, &'static str, &'static [(&'static str, &'static str)]);

const MOBILE: &[Row] = &[
    ("U199", "Unlimited", 199, "28 days", "Unlimited calls, 1.5 GB/day", &[("Data", "1.5 GB/day"), ("SMS", "100/day")]),
    ("U299", "Unlimited", 299, "28 days", "Unlimited calls, 2 GB/day", &[("Data", "2 GB/day"), ("SMS", "100/day")]),
    ("U719", "Unlimited", 719, "84 days", "Unlimited calls, 2 GB/day", &[("Data", "2 GB/day"), ("SMS", "100/day")]),
    ("D19", "Data", 19, "1 day", "1 GB data add-on", &[("Data", "1 GB")]),
    ("D61", "Data", 61, "Existing plan", "6 GB data add-on", &[("Data", "6 GB")]),
    ("T100", "Talktime", 100, "No expiry", "Talktime ₹81.75", &[("Talktime", "₹81.75")]),
];

const DTH: &[Row] = &[
    ("B153", "Basic", 153, "1 month", "Basic pack, 100 channels", &[("Channels", "100 SD")]),
    ("F349", "Family", 349, "1 month", "Family HD pack", &[("Channels", "220 SD + 40 HD")]),
    ("F999", "Family", 999, "3 months", "Family HD pack, quarterly", &[("Channels", "220 SD + 40 HD")]),
    ("S499", "Sports", 499, "1 month", "Sports HD pack", &[("Channels", "30 HD")]),
];

/// The plan whose dates are over (yesterday was its last day): listed by the network, on sale nowhere.
pub const ENDED: &str = "X149";

/// The plans of `b`, or none for a biller without plans.
pub fn plans_of(b: &Biller, now: Timestamp) -> Vec<Plan> {
    if b.plans.is_none() {
        return Vec::new();
    }
    let rows = if b.category == "DTH" { DTH } else { MOBILE };
    let today = now.ist_date();
    let from = today - time::Duration::days(365);
    // Plan ids are the biller's: its first four letters, then the row's suffix (`AIRT` `U299`).
    let prefix: String = b.id.as_str().chars().take(4).collect();
    let plan = |(suffix, category, rupees, validity, description, benefits): &Row, to: Option<time::Date>| {
        PlanId::parse(&format!("{prefix}{suffix}")).ok().and_then(|id| {
            Some(Plan {
                id,
                biller_id: b.id.clone(),
                category: (*category).to_owned(),
                sub_categories: vec![(*validity).to_owned()],
                amount: Paise::new(rupees * 100)?,
                description: (*description).to_owned(),
                validity: Some((*validity).to_owned()),
                benefits: benefits
                    .iter()
                    .map(|(n, v)| InfoItem { name: (*n).to_owned(), value: (*v).to_owned() })
                    .collect(),
                effective_from: from,
                effective_to: to,
            })
        })
    };
    let ended: Row =
        (ENDED, "Unlimited", 149, "24 days", "Unlimited calls, 1 GB/day (withdrawn)", &[("Data", "1 GB/day")]);
    rows.iter().filter_map(|r| plan(r, None)).chain(plan(&ended, today.previous_day())).collect()
}
