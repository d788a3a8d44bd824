//! Biller master data: a `biller` record of `BillerFetchResponse` as the core's `Biller`, and back; and the parts
//! a large answer comes in.

use bbps_core::biller::{ChannelLimit, ModeLimit, ParamGroup, PaymentMode};
use bbps_core::fee::{CCF_CODE, FeeEntry, FeeSlab, FeeTable};
use bbps_core::money::MAX_PAISE;
use bbps_core::plan::PlanRequirement;
use bbps_core::region::State;
use bbps_core::{
    Availability, Biller, Channel, Coverage, CustomerParam, DataType, Exactness, FetchRequirement, IST, Paise, Pause,
    Timestamp,
};

use crate::amount::{bps_to_percent, flat_fee, percent_to_bps};
use crate::codes::AmountExactness;
use crate::message::Head;
use crate::message::biller::{
    AmountOptionRecord, BillerFetchResponse, BillerRecord, BillerResponseParams, CustomerParamGroups, InterchangeFee,
    InterchangeFeeConf, InterchangeFeeDetail, ParamConfig, ParamGroupRecord, PaymentChannelLimit, PaymentModeLimit,
    SearchResult,
};

const COUNTRY: &str = "IND";

fn exactness_of(e: AmountExactness) -> Exactness {
    match e {
        AmountExactness::Exact => Exactness::Exact,
        AmountExactness::ExactAndAbove => Exactness::ExactAndAbove,
        AmountExactness::ExactAndBelow => Exactness::ExactAndBelow,
    }
}

fn wire_exactness(e: Exactness) -> AmountExactness {
    match e {
        Exactness::Exact => AmountExactness::Exact,
        Exactness::ExactAndAbove => AmountExactness::ExactAndAbove,
        Exactness::ExactAndBelow => AmountExactness::ExactAndBelow,
    }
}

/// `IND`, `IND-<state>` or `IND-<state>-<city>`, in any case and with spaces around the parts; the state by its
/// BBPS code (`MAH`), or its ISO code or name, which some records carry instead. What does not read (`NA`, empty,
/// an unknown state) is taken as the whole country, with a warning: dropping the biller would hide one the
/// customer may need, and showing it everywhere only lists it in more places.
fn coverage_of(s: &str) -> Coverage {
    read_coverage(s).unwrap_or_else(|| {
        tracing::warn!(coverage = s, "a biller coverage that does not read: taken as the whole country");
        Coverage::National
    })
}

fn read_coverage(s: &str) -> Option<Coverage> {
    let mut parts = s.splitn(3, '-').map(str::trim);
    parts.next().filter(|c| c.eq_ignore_ascii_case(COUNTRY))?;
    match (parts.next(), parts.next().filter(|c| !c.is_empty())) {
        (None, _) => Some(Coverage::National),
        (Some(state), None) => State::lookup(state).map(|state| Coverage::State { state }),
        (Some(state), Some(city)) => State::lookup(state).map(|state| Coverage::City { state, city: city.to_owned() }),
    }
}

/// What we write: the BBPS code of the state (`IND-MAH`, `IND-TEL-Hyderabad`).
fn wire_coverage(c: &Coverage) -> String {
    match c {
        Coverage::National => COUNTRY.to_owned(),
        Coverage::State { state } => format!("{COUNTRY}-{}", state.bbps_code()),
        Coverage::City { state, city } => format!("{COUNTRY}-{}-{city}", state.bbps_code()),
    }
}

fn param_of(p: &ParamConfig) -> CustomerParam {
    CustomerParam {
        name: p.param_name.clone(),
        data_type: p.data_type,
        optional: p.optional,
        min_length: p.min_length,
        max_length: p.max_length,
        regex: p.regex.clone().filter(|r| !r.is_empty()),
        values: p
            .values
            .as_ref()
            .map(|v| v.split(',').map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect()),
        hint: None,
    }
}

fn wire_param(p: &CustomerParam) -> ParamConfig {
    ParamConfig {
        min_length: p.min_length,
        max_length: p.max_length,
        regex: p.regex.clone(),
        values: p.values.as_ref().map(|v| v.join(",")),
        optional: p.optional,
        ..ParamConfig::plain(&p.name, p.data_type)
    }
}

/// A fee whose every slab charges nothing is no fee at all: the schema makes a biller list one, so a biller
/// without fees is written with such an entry, and reading drops it again.
fn charges_nothing(entry: &FeeEntry) -> bool {
    entry.slabs.iter().all(|s| s.flat.is_zero() && s.percent_bps == 0)
}

fn fee_of(f: &InterchangeFee) -> Result<FeeEntry, String> {
    let slabs = f
        .details
        .iter()
        .map(|d| {
            Ok(FeeSlab {
                min_amount: d.tran_amt_range_min,
                max_amount: d.tran_amt_range_max,
                flat: flat_fee(&d.flat_fee).ok_or_else(|| format!("flatFee {:?} is not whole paise", d.flat_fee))?,
                percent_bps: percent_to_bps(&d.percent_fee)
                    .ok_or_else(|| format!("percentFee {:?} is not a percentage", d.percent_fee))?,
            })
        })
        .collect::<Result<_, String>>()?;
    Ok(FeeEntry { code: f.fee_code.clone(), direction: f.fee_direction, slabs })
}

fn wire_fee(e: &FeeEntry) -> InterchangeFee {
    InterchangeFee {
        fee_code: e.code.clone(),
        fee_desc: e.code.clone(),
        fee_direction: e.direction,
        details: e
            .slabs
            .iter()
            .map(|s| InterchangeFeeDetail {
                tran_amt_range_max: s.max_amount,
                tran_amt_range_min: s.min_amount,
                percent_fee: bps_to_percent(s.percent_bps),
                flat_fee: s.flat.get().to_string(),
                effective_from: String::new(),
                effective_to: String::new(),
            })
            .collect(),
    }
}

fn limits(min: Option<Paise>, max: Option<Paise>) -> (Paise, Paise) {
    (min.unwrap_or(Paise::ZERO), max.unwrap_or(Paise::new(MAX_PAISE).unwrap_or(Paise::ZERO)))
}

/// Each top-level group's params, nested groups flattened into it: the core knows "one of these" only.
fn group_of(g: &ParamGroupRecord) -> ParamGroup {
    fn collect(g: &ParamGroupRecord, out: &mut Vec<String>) {
        out.extend(g.params.iter().cloned());
        g.groups.iter().for_each(|n| collect(n, out));
    }
    let mut params = Vec::new();
    collect(g, &mut params);
    ParamGroup { params }
}

/// An instant of the master data's lifecycle fields: empty is none; a date alone is that day in IST, its start
/// (`end_of_day` false) or its end (true, for the last day a biller serves); `9999-…` is no end.
pub(super) fn instant_of(field: &str, s: &str, end_of_day: bool) -> Result<Option<Timestamp>, String> {
    let s = s.trim();
    if s.is_empty() || s.starts_with("9999") {
        return Ok(None);
    }
    if let Some(t) = Timestamp::parse(s) {
        return Ok(Some(t));
    }
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let day = time::Date::parse(s, format).map_err(|_| format!("{field} {s:?} is neither a date nor an instant"))?;
    let start = Timestamp::from_offset_date_time(time::OffsetDateTime::new_in_offset(day, time::Time::MIDNIGHT, IST));
    Ok(Some(if end_of_day { start.next_midnight_ist() } else { start }))
}

/// The record's effective dates and temporary deactivation.
fn availability_of(r: &BillerRecord) -> Result<Availability, String> {
    let paused = match (r.temp_deactivation_start.as_deref(), r.temp_deactivation_end.as_deref()) {
        (Some(start), Some(end)) => instant_of("billerTempDeactivationStart", start, false)?
            .zip(instant_of("billerTempDeactivationEnd", end, true)?)
            .map(|(start, end)| Pause { start, end }),
        _ => None,
    };
    Ok(Availability {
        from: instant_of("billerEffctvFrom", &r.effective_from, false)?,
        until: instant_of("billerEffctvTo", &r.effective_to, true)?,
        paused,
    })
}

/// The biller a record describes. Payment modes and channels the core does not know (other than UPI, the product
/// pays by nothing else) are left out rather than refused; anything the product needs and cannot read is an error.
pub fn biller_of(r: &BillerRecord) -> Result<Biller, String> {
    let mode_limits = r
        .payment_modes
        .iter()
        .filter_map(|m| PaymentMode::parse(&m.payment_mode).ok().map(|mode| (mode, m)))
        .map(|(mode, m)| {
            let (min, max) = limits(m.min_limit, m.max_limit);
            ModeLimit { mode, min, max }
        })
        .collect();
    let channel_limits = r
        .payment_channels
        .iter()
        .filter_map(|c| Channel::parse(&c.payment_channel).ok().map(|channel| (channel, c)))
        .map(|(channel, c)| {
            let (min, max) = limits(c.min_limit, c.max_limit);
            ChannelLimit { channel, min, max }
        })
        .collect();
    let fees = r.interchange_fee.iter().map(fee_of).collect::<Result<Vec<_>, _>>()?;
    Ok(Biller {
        id: r.biller_id.clone(),
        name: r.biller_name.clone(),
        alias: Some(r.biller_alias_name.clone()).filter(|a| !a.is_empty()),
        category: r.biller_category_name.clone(),
        coverage: coverage_of(&r.biller_coverage),
        fetch_requirement: r.fetch_requirement,
        supports_validation: r.support_bill_validation.is_some_and(|s| s != FetchRequirement::NotSupported),
        exactness: r.payment_amount_exactness.map(exactness_of),
        accepts_adhoc: r.biller_accepts_adhoc,
        mode_limits,
        channel_limits,
        params: r.customer_params.iter().filter(|p| p.visibility != Some(false)).map(param_of).collect(),
        param_groups: r.customer_param_groups.iter().flat_map(|g| &g.groups).map(group_of).collect(),
        additional_info: r
            .biller_additional_info
            .iter()
            .filter(|p| p.visibility != Some(false))
            .map(|p| p.param_name.clone())
            .collect(),
        fees: FeeTable(fees.into_iter().filter(|e| !charges_nothing(e)).collect()),
        availability: availability_of(r)?,
        // `NOT_SUPPORTED`, or a value we do not know, is a biller without plans.
        plans: r.plan_mdm_requirement.as_deref().and_then(|p| PlanRequirement::parse(p.trim()).ok()),
    })
}

/// The record that reads back as `b` (what the BBPCU simulator publishes). Elements the schema requires and the
/// core has no value for get neutral ones: hidden filler params, a zero fee, open-ended dates.
pub fn record_of(b: &Biller) -> BillerRecord {
    let hidden =
        |name: &str| ParamConfig { visibility: Some(false), ..ParamConfig::plain(name, DataType::Alphanumeric) };
    let mut additional: Vec<ParamConfig> =
        b.additional_info.iter().map(|n| ParamConfig::plain(n, DataType::Alphanumeric)).collect();
    if additional.is_empty() {
        additional.push(hidden("Additional Info"));
    }
    let mut fees: Vec<InterchangeFee> = b.fees.0.iter().map(wire_fee).collect();
    if fees.is_empty() {
        fees.push(wire_fee(&FeeEntry {
            code: CCF_CODE.to_owned(),
            direction: bbps_core::fee::FeeDirection::C2B,
            slabs: vec![FeeSlab {
                min_amount: Paise::ZERO,
                max_amount: limits(None, None).1,
                flat: Paise::ZERO,
                percent_bps: 0,
            }],
        }));
    }
    BillerRecord {
        biller_id: b.id.clone(),
        biller_name: b.name.clone(),
        biller_alias_name: b.alias.clone().unwrap_or_default(),
        biller_category_name: b.category.clone(),
        biller_mode: "ONLINE".to_owned(),
        biller_accepts_adhoc: b.accepts_adhoc,
        parent_biller: false,
        parent_biller_id: String::new(),
        biller_ownership: String::new(),
        biller_coverage: wire_coverage(&b.coverage),
        fetch_requirement: b.fetch_requirement,
        payment_amount_exactness: b.exactness.map(wire_exactness),
        support_bill_validation: Some(if b.supports_validation {
            FetchRequirement::Optional
        } else {
            FetchRequirement::NotSupported
        }),
        effective_from: b.availability.from.map(|t| t.to_string()).unwrap_or_default(),
        effective_to: b.availability.until.map(|t| t.to_string()).unwrap_or_default(),
        temp_deactivation_start: b.availability.paused.map(|p| p.start.to_string()),
        temp_deactivation_end: b.availability.paused.map(|p| p.end.to_string()),
        payment_modes: b
            .mode_limits
            .iter()
            .map(|m| PaymentModeLimit {
                payment_mode: m.mode.as_str().to_owned(),
                max_limit: Some(m.max),
                min_limit: Some(m.min),
            })
            .collect(),
        payment_channels: b
            .channel_limits
            .iter()
            .map(|c| PaymentChannelLimit {
                payment_channel: c.channel.as_str().to_owned(),
                max_limit: Some(c.max),
                min_limit: Some(c.min),
            })
            .collect(),
        customer_params: b.params.iter().map(wire_param).collect(),
        customer_param_groups: (!b.param_groups.is_empty()).then(|| CustomerParamGroups {
            groups: b
                .param_groups
                .iter()
                .enumerate()
                .map(|(i, g)| ParamGroupRecord {
                    name: format!("group{}", i + 1),
                    params: g.params.clone(),
                    groups: Vec::new(),
                })
                .collect(),
        }),
        biller_response_params: Some(BillerResponseParams {
            params: vec![ParamConfig::plain("Bill Amount", DataType::Numeric)],
            amount_options: vec![AmountOptionRecord { amount_breakup_set: vec!["BASE_BILL_AMOUNT".to_owned()] }],
        }),
        biller_additional_info: additional.clone(),
        biller_additional_info_payment: additional,
        interchange_fee_conf: vec![InterchangeFeeConf {
            mti: "PAYMENT".to_owned(),
            payment_mode: PaymentMode::Upi.as_str().to_owned(),
            payment_channel: Channel::Internet.as_str().to_owned(),
            response_code: crate::codes::ResponseCode::Success.as_str().to_owned(),
            fees: fees.iter().map(|f| f.fee_code.clone()).collect(),
            default_fee: true,
        }],
        interchange_fee: fees,
        status: None,
        plan_mdm_requirement: b.plans.map(|p| p.as_str().to_owned()),
    }
}

/// The schema has no paging, and one signed document may hold at most 100,000 XML nodes (the signature library's
/// fixed ceiling), a few hundred billers. So biller master data larger than that is answered in parts: several
/// `BillerFetchResponse`s to one request, each marked `searchResult/result` = `<index>/<count>` (`3/55`). An answer
/// without the mark is whole.
pub const BILLERS_PER_PART: usize = 400;

/// Which part of a master data answer a response is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Part {
    /// From 1.
    pub index: usize,
    pub count: usize,
}

impl Part {
    /// The part `resp` says it is: the whole answer when it carries no mark.
    pub fn of(resp: &BillerFetchResponse) -> Result<Part, String> {
        let Some(mark) = &resp.search_result else { return Ok(Part { index: 1, count: 1 }) };
        let bad = || format!("searchResult {:?} is not <part>/<parts>", mark.result);
        let (index, count) = mark.result.split_once('/').ok_or_else(bad)?;
        let (index, count) = (index.trim().parse().map_err(|_| bad())?, count.trim().parse().map_err(|_| bad())?);
        if index == 0 || index > count {
            return Err(bad());
        }
        Ok(Part { index, count })
    }

    fn mark(self) -> Option<SearchResult> {
        (self.count > 1).then(|| SearchResult { result: format!("{}/{}", self.index, self.count) })
    }
}

/// The parts of a master data answer of `billers`, each with its billers: one part when they fit in one (none
/// at all is one empty part). Each part's records are made only when its response is, so a large catalogue is never
/// held as records all at once.
pub fn parts(billers: &[Biller]) -> impl Iterator<Item = (Part, &[Biller])> {
    let count = billers.len().div_ceil(BILLERS_PER_PART).max(1);
    (1..=count).map(move |index| {
        let from = ((index - 1) * BILLERS_PER_PART).min(billers.len());
        let to = (index * BILLERS_PER_PART).min(billers.len());
        (Part { index, count }, &billers[from..to])
    })
}

/// An incremental answer: the records of billers `withdrawn` since the pull asked about, each with the status
/// that takes it out of the catalogue.
pub fn withdrawals_response(head: &Head, withdrawn: &[Biller]) -> BillerFetchResponse {
    let record = |b: &Biller| BillerRecord {
        status: Some(crate::codes::BillerRecordStatus::Deactivated.as_str().to_owned()),
        ..record_of(b)
    };
    BillerFetchResponse { head: head.clone(), billers: withdrawn.iter().map(record).collect(), search_result: None }
}

/// The response that is `part` of a master data answer, carrying `billers`.
pub fn fetch_response(head: &Head, part: Part, billers: &[Biller]) -> BillerFetchResponse {
    BillerFetchResponse {
        head: head.clone(),
        billers: billers.iter().map(record_of).collect(),
        search_result: part.mark(),
    }
}

#[cfg(test)]
mod tests {
    use super::{coverage_of, read_coverage, wire_coverage};
    use bbps_core::Coverage;
    use bbps_core::region::State;

    #[test]
    fn coverage_reads_bbps_and_iso_codes_and_names_and_unreadable_is_national() {
        let city = |state, city: &str| Some(Coverage::City { state, city: city.to_owned() });
        for (raw, coverage) in [
            ("IND", Some(Coverage::National)),
            (" ind ", Some(Coverage::National)),
            ("IND-MAH", Some(Coverage::State { state: State::Maharashtra })),
            ("  IND - mah  ", Some(Coverage::State { state: State::Maharashtra })),
            ("IND-MAH-", Some(Coverage::State { state: State::Maharashtra })),
            ("IND-MH", Some(Coverage::State { state: State::Maharashtra })),
            ("IND-Karnataka", Some(Coverage::State { state: State::Karnataka })),
            ("IND-TEL-Hyderabad", city(State::Telangana, "Hyderabad")),
            ("IND - TEL - Hyderabad ", city(State::Telangana, "Hyderabad")),
            ("IND-GOA-South_Goa", city(State::Goa, "South_Goa")),
            ("IND-UTT-Udham Singh Nagar", city(State::Uttarakhand, "Udham Singh Nagar")),
        ] {
            assert_eq!(read_coverage(raw), coverage, "{raw:?}");
        }
        for raw in ["NA", "", "  ", "IND-XYZ", "IND-XYZ-Pune", "INDIA", "MAH", "IN-MH"] {
            assert_eq!(read_coverage(raw), None, "{raw:?}");
            assert_eq!(coverage_of(raw), Coverage::National, "{raw:?}");
        }
        for c in [
            Coverage::National,
            Coverage::State { state: State::Delhi },
            Coverage::City { state: State::Telangana, city: "Hyderabad".into() },
        ] {
            assert_eq!(coverage_of(&wire_coverage(&c)), c);
        }
        assert_eq!(wire_coverage(&Coverage::State { state: State::TamilNadu }), "IND-TND");
    }

    use super::*;

    #[test]
    fn lifecycle_fields_read_as_dates_instants_or_nothing() {
        let at = |s: &str| Timestamp::parse(s);
        assert_eq!(instant_of("f", "", false), Ok(None));
        assert_eq!(instant_of("f", "9999-12-31", true), Ok(None), "no end");
        assert_eq!(instant_of("f", "2023-01-01", false), Ok(at("2023-01-01T00:00:00+05:30")));
        // The last day a biller serves is served whole.
        assert_eq!(instant_of("f", "2026-12-31", true), Ok(at("2027-01-01T00:00:00+05:30")));
        assert_eq!(instant_of("f", "2022-11-25T00:00:00.000Z", false), Ok(at("2022-11-25T05:30:00+05:30")));
        assert!(instant_of("billerEffctvFrom", "soon", false).is_err_and(|e| e.contains("billerEffctvFrom")));
    }
}
