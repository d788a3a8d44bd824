//! The biller master data of BBPS (BillerFetch), as the network describes each biller.

use serde::{Deserialize, Serialize};

use crate::clock::Timestamp;

use crate::fee::FeeTable;
use crate::ids::BillerId;
use crate::money::Paise;
use crate::region::{Pincode, State};

/// A bill category as the provider names it (`Electricity`, `DTH`, …). The list comes from the provider;
/// the widget keeps only a display name and an icon per known name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Category {
    /// Stable slug, e.g. `electricity`, `mobile-postpaid`.
    pub code: String,
    /// The provider's name, e.g. `Mobile Postpaid`.
    pub name: String,
    pub biller_count: u32,
}

/// Turns a provider category name into its slug: `Hospital and Pathology` -> `hospital-and-pathology`.
pub fn category_code(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// Where a biller serves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Coverage {
    National,
    /// A state or union territory, by its ISO 3166-2:IN subdivision code without the `IN-` prefix (`MH`, `DL`).
    State {
        state: State,
    },
    City {
        state: State,
        city: String,
    },
}

impl Coverage {
    pub fn state(&self) -> Option<State> {
        match self {
            Coverage::National => None,
            Coverage::State { state } | Coverage::City { state, .. } => Some(*state),
        }
    }

    /// Whether a customer in `state` can use this biller (national billers serve everyone).
    pub fn serves(&self, state: State) -> bool {
        self.state().is_none_or(|s| s == state)
    }

    /// Whether a customer at `pin` can use this biller: a state's or a city's biller serves the PIN codes that may
    /// lie in its state (there is no city-level PIN data, so a city's biller is taken to serve its state).
    pub fn serves_pin(&self, pin: Pincode) -> bool {
        self.state().is_none_or(|s| pin.states().any(|p| p == s))
    }

    /// Whether a customer in `city`, which lies in `states`, can use this biller: a national one, one of its
    /// state's, or that city's own (names compared by [`city_key`]); another city's biller does not.
    pub fn serves_city(&self, city: &str, states: &[State]) -> bool {
        match self {
            Coverage::National => true,
            Coverage::State { state } => states.contains(state),
            Coverage::City { city: own, .. } => city_key(own) == city_key(city),
        }
    }
}

/// A city's name as compared: trimmed, spaces collapsed, ASCII letters in lower case (`" New  Delhi"` and
/// `"new delhi"` are one city).
pub fn city_key(city: &str) -> String {
    city.split_whitespace().map(str::to_ascii_lowercase).collect::<Vec<_>>().join(" ")
}

crate::wire_enum! {
    pub enum FetchRequirement {
        /// A bill must be fetched before it can be paid.
        Mandatory = "MANDATORY",
        /// The customer may fetch, or pay an amount of their choosing.
        Optional = "OPTIONAL",
        /// No fetch: the customer pays directly (prepaid, donations, recharges).
        NotSupported = "NOT_SUPPORTED",
    }
}

crate::wire_enum! {
    /// How the paid amount must relate to the fetched bill amount. `None` on a biller means any amount.
    pub enum Exactness {
        Exact = "exact",
        ExactAndAbove = "exact_and_above",
        ExactAndBelow = "exact_and_below",
    }
}

crate::wire_enum! {
    /// Initiating channel of a payment.
    pub enum Channel {
        /// A web page (the widget in a desktop or phone browser).
        Internet = "INT",
        /// A mobile app's web view.
        Mobile = "MOB",
    }
}

crate::wire_enum! {
    /// A payment mode a biller accepts, with its limits. This product pays by UPI only.
    pub enum PaymentMode {
        Upi = "UPI",
        DebitCard = "Debit Card",
        CreditCard = "Credit Card",
        InternetBanking = "Internet Banking",
        Wallet = "Wallet",
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ModeLimit {
    pub mode: PaymentMode,
    pub min: Paise,
    pub max: Paise,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChannelLimit {
    pub channel: Channel,
    pub min: Paise,
    pub max: Paise,
}

crate::wire_enum! {
    pub enum DataType {
        Numeric = "NUMERIC",
        Alphanumeric = "ALPHANUMERIC",
    }
}

/// One input the biller needs to identify the customer's account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustomerParam {
    /// The BBPS `paramName`, e.g. `Consumer Number`; also the key the value is sent under.
    pub name: String,
    pub data_type: DataType,
    pub optional: bool,
    pub min_length: Option<u16>,
    pub max_length: Option<u16>,
    /// The biller's pattern for the whole value (matched in full, anchored or not).
    pub regex: Option<String>,
    /// A fixed list of allowed values (shown as a select).
    pub values: Option<Vec<String>>,
    /// An example value shown as the placeholder.
    pub hint: Option<String>,
}

impl CustomerParam {
    /// A required param of this name and type with no other rule; the rest is set with struct update syntax.
    pub fn plain(name: &str, data_type: DataType) -> CustomerParam {
        CustomerParam {
            name: name.to_owned(),
            data_type,
            optional: false,
            min_length: None,
            max_length: None,
            regex: None,
            values: None,
            hint: None,
        }
    }
}

/// "Enter A or B": at least one of the named params must be filled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ParamGroup {
    pub params: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Biller {
    pub id: BillerId,
    pub name: String,
    pub alias: Option<String>,
    /// The provider's category name, e.g. `Electricity`.
    pub category: String,
    pub coverage: Coverage,
    pub fetch_requirement: FetchRequirement,
    pub supports_validation: bool,
    /// `None`: any amount is accepted.
    pub exactness: Option<Exactness>,
    pub accepts_adhoc: bool,
    pub mode_limits: Vec<ModeLimit>,
    pub channel_limits: Vec<ChannelLimit>,
    pub params: Vec<CustomerParam>,
    pub param_groups: Vec<ParamGroup>,
    /// Names of the additional-info fields a fetched bill may carry.
    pub additional_info: Vec<String>,
    pub fees: FeeTable,
    /// When the biller takes bills.
    #[serde(default)]
    pub availability: Availability,
    /// Whether payments go by plan (prepaid billers); `None` for a biller without plans.
    #[serde(default)]
    pub plans: Option<crate::plan::PlanRequirement>,
}

/// When a biller takes bills, from the master data: its effective dates (`billerEffctvFrom`, `billerEffctvTo`)
/// and an announced temporary deactivation (`billerTempDeactivationStart`/`End`). `None`: no bound.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Availability {
    pub from: Option<Timestamp>,
    pub until: Option<Timestamp>,
    pub paused: Option<Pause>,
}

/// A temporary deactivation: from `start` until `end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Pause {
    pub start: Timestamp,
    pub end: Timestamp,
}

/// Whether a biller takes bills at an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Open {
    Open,
    /// Not before this instant (not effective yet, or paused).
    Until(Timestamp),
    /// No longer: its effective period is over.
    Ended,
}

impl Availability {
    pub fn at(&self, now: Timestamp) -> Open {
        if self.until.is_some_and(|until| now >= until) {
            return Open::Ended;
        }
        if let Some(from) = self.from.filter(|from| now < *from) {
            return Open::Until(from);
        }
        match self.paused {
            Some(p) if p.start <= now && now < p.end => Open::Until(p.end),
            _ => Open::Open,
        }
    }
}

impl Biller {
    /// Limits for paying by UPI on `channel`: the tighter of the mode's and the channel's limits. `None` when the
    /// biller does not accept UPI, or the two ranges do not overlap.
    pub fn upi_limits(&self, channel: Channel) -> Option<(Paise, Paise)> {
        let mode = self.mode_limits.iter().find(|l| l.mode == PaymentMode::Upi)?;
        let (mut min, mut max) = (mode.min, mode.max);
        if let Some(c) = self.channel_limits.iter().find(|l| l.channel == channel) {
            min = min.max(c.min);
            max = max.min(c.max);
        }
        (min <= max).then_some((min, max))
    }

    pub fn param(&self, name: &str) -> Option<&CustomerParam> {
        self.params.iter().find(|p| p.name == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_biller_is_open_within_its_dates_and_outside_its_pause() {
        let t = |s: &str| Timestamp::parse(s).unwrap_or_else(|| unreachable!());
        let a = Availability {
            from: Some(t("2026-12-01T00:00:00+05:30")),
            until: Some(t("2027-01-01T00:00:00+05:30")),
            paused: Some(Pause { start: t("2026-12-10T00:00:00+05:30"), end: t("2026-12-12T06:00:00+05:30") }),
        };
        assert_eq!(a.at(t("2026-11-30T23:59:59+05:30")), Open::Until(t("2026-12-01T00:00:00+05:30")));
        assert_eq!(a.at(t("2026-12-01T00:00:00+05:30")), Open::Open);
        assert_eq!(a.at(t("2026-12-11T12:00:00+05:30")), Open::Until(t("2026-12-12T06:00:00+05:30")));
        assert_eq!(a.at(t("2026-12-12T06:00:00+05:30")), Open::Open);
        assert_eq!(a.at(t("2027-01-01T00:00:00+05:30")), Open::Ended);
        assert_eq!(Availability::default().at(t("2026-12-02T10:00:00+05:30")), Open::Open);
    }

    #[test]
    fn category_codes() {
        assert_eq!(category_code("Hospital and Pathology"), "hospital-and-pathology");
        assert_eq!(category_code("DTH"), "dth");
        assert_eq!(category_code("  Broadband  Postpaid "), "broadband-postpaid");
        assert_eq!(category_code("eChallan"), "echallan");
    }

    #[test]
    fn coverage_serves() {
        use crate::region::State::{Karnataka, Maharashtra, Punjab};
        assert!(Coverage::National.serves(Maharashtra));
        assert!(Coverage::State { state: Maharashtra }.serves(Maharashtra));
        assert!(!Coverage::City { state: Karnataka, city: "Bengaluru".into() }.serves(Maharashtra));
        let pin = |s: &str| Pincode::parse(s).unwrap();
        assert!(Coverage::National.serves_pin(pin("990001")), "a national biller serves even an army post office");
        assert!(Coverage::City { state: Maharashtra, city: "Pune".into() }.serves_pin(pin("400001")));
        assert!(!Coverage::State { state: Karnataka }.serves_pin(pin("400001")));
        assert!(Coverage::State { state: Punjab }.serves_pin(pin("160017")), "160 is Chandigarh's and Punjab's");
        assert!(!Coverage::State { state: Karnataka }.serves_pin(pin("990001")));
    }
}
