//! Biller master data (`BillerFetchRequest.xsd`, `BillerFetchResponse.xsd`). Elements the schema requires but the
//! product does not use are read when present and never required, so a counterparty that leaves one out costs
//! nothing; we write them, as the schema asks, when we are the one answering (the simulator).

use bbps_core::biller::DataType;
use bbps_core::fee::FeeDirection;
use bbps_core::{BillerId, FetchRequirement, Paise};
use serde::{Deserialize, Serialize};

use super::common::Head;
use crate::codes::{AmountExactness, YesNo};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillerFetchRequest {
    #[serde(rename = "Head")]
    pub head: Head,
    #[serde(rename = "SearchMyBiller", default, skip_serializing_if = "Option::is_none")]
    pub search_my_biller: Option<SearchMyBiller>,
    #[serde(rename = "Search", default, skip_serializing_if = "Option::is_none")]
    pub search: Option<Search>,
    /// Only the billers changed since this instant: the incremental refresh.
    #[serde(rename = "SearchByTime", default, skip_serializing_if = "Option::is_none")]
    pub search_by_time: Option<SearchByTime>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchMyBiller {
    #[serde(rename = "@mybiller")]
    pub my_biller: YesNo,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Search {
    #[serde(rename = "billerId", default)]
    pub biller_ids: Vec<BillerId>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchByTime {
    pub time: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillerFetchResponse {
    #[serde(rename = "Head")]
    pub head: Head,
    #[serde(rename = "biller", default)]
    pub billers: Vec<BillerRecord>,
    #[serde(rename = "searchResult", default, skip_serializing_if = "Option::is_none")]
    pub search_result: Option<SearchResult>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchResult {
    pub result: String,
}

/// One biller, in schema order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BillerRecord {
    pub biller_id: BillerId,
    pub biller_name: String,
    #[serde(default)]
    pub biller_alias_name: String,
    pub biller_category_name: String,
    #[serde(default)]
    pub biller_mode: String,
    pub biller_accepts_adhoc: bool,
    #[serde(default)]
    pub parent_biller: bool,
    #[serde(default)]
    pub parent_biller_id: String,
    #[serde(rename = "billerOwnerShp", default)]
    pub biller_ownership: String,
    /// `IND` for the whole country, `IND-<state>` or `IND-<state>-<city>`.
    pub biller_coverage: String,
    pub fetch_requirement: FetchRequirement,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_amount_exactness: Option<AmountExactness>,
    /// The same three values as the fetch requirement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub support_bill_validation: Option<FetchRequirement>,
    #[serde(rename = "billerEffctvFrom", default)]
    pub effective_from: String,
    #[serde(rename = "billerEffctvTo", default)]
    pub effective_to: String,
    #[serde(rename = "billerTempDeactivationStart", default, skip_serializing_if = "Option::is_none")]
    pub temp_deactivation_start: Option<String>,
    #[serde(rename = "billerTempDeactivationEnd", default, skip_serializing_if = "Option::is_none")]
    pub temp_deactivation_end: Option<String>,
    #[serde(rename = "billerPaymentModes", default)]
    pub payment_modes: Vec<PaymentModeLimit>,
    #[serde(rename = "billerPaymentChannels", default)]
    pub payment_channels: Vec<PaymentChannelLimit>,
    #[serde(rename = "billerCustomerParams", default)]
    pub customer_params: Vec<ParamConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_param_groups: Option<CustomerParamGroups>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub biller_response_params: Option<BillerResponseParams>,
    #[serde(default)]
    pub biller_additional_info: Vec<ParamConfig>,
    #[serde(default)]
    pub biller_additional_info_payment: Vec<ParamConfig>,
    #[serde(default)]
    pub interchange_fee_conf: Vec<InterchangeFeeConf>,
    #[serde(default)]
    pub interchange_fee: Vec<InterchangeFee>,
    /// `ACTIVE`, or a state in which the biller takes no bills (`DEACTIVATED`, …).
    #[serde(rename = "Status", default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// `MANDATORY`, `OPTIONAL` or `NOT_SUPPORTED`: whether payments go by plan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan_mdm_requirement: Option<String>,
}

impl BillerRecord {
    /// Whether the record withdraws the biller (a status other than `ACTIVE`).
    pub fn withdrawn(&self) -> bool {
        self.status
            .as_deref()
            .is_some_and(|s| !s.trim().eq_ignore_ascii_case(crate::codes::BillerRecordStatus::Active.as_str()))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PaymentModeLimit {
    /// NPCI's name of the mode, e.g. `UPI`, `Internet Banking`.
    pub payment_mode: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_limit: Option<Paise>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_limit: Option<Paise>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PaymentChannelLimit {
    /// e.g. `INT`, `MOB`, `AGT`.
    pub payment_channel: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_limit: Option<Paise>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_limit: Option<Paise>,
}

/// A customer param, a response param or an additional-info field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ParamConfig {
    pub param_name: String,
    pub data_type: DataType,
    pub optional: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_length: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regex: Option<String>,
    /// A fixed list of allowed values, comma-separated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<String>,
    /// `false` for a field the customer is not shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visibility: Option<bool>,
}

impl ParamConfig {
    /// A required field of this name and type with no other rule.
    pub fn plain(name: &str, data_type: DataType) -> ParamConfig {
        ParamConfig {
            param_name: name.to_owned(),
            data_type,
            optional: false,
            min_length: None,
            max_length: None,
            regex: None,
            values: None,
            visibility: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerParamGroups {
    #[serde(rename = "group", default)]
    pub groups: Vec<ParamGroupRecord>,
}

/// "Enter one of these": the named params, and nested groups.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParamGroupRecord {
    #[serde(rename = "@name")]
    pub name: String,
    #[serde(rename = "param", default)]
    pub params: Vec<String>,
    #[serde(rename = "group", default)]
    pub groups: Vec<ParamGroupRecord>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BillerResponseParams {
    #[serde(default)]
    pub params: Vec<ParamConfig>,
    #[serde(default)]
    pub amount_options: Vec<AmountOptionRecord>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AmountOptionRecord {
    #[serde(default)]
    pub amount_breakup_set: Vec<String>,
}

/// Which fee codes apply to which payment mode, channel and response code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InterchangeFeeConf {
    pub mti: String,
    pub payment_mode: String,
    pub payment_channel: String,
    pub response_code: String,
    #[serde(default)]
    pub fees: Vec<String>,
    pub default_fee: bool,
}

/// One fee code (`CCF1` is the customer convenience fee) with its amount slabs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InterchangeFee {
    pub fee_code: String,
    #[serde(default)]
    pub fee_desc: String,
    pub fee_direction: FeeDirection,
    #[serde(rename = "interchangeFeeDetails", default)]
    pub details: Vec<InterchangeFeeDetail>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InterchangeFeeDetail {
    pub tran_amt_range_max: Paise,
    pub tran_amt_range_min: Paise,
    /// Per cent, a decimal (`1.18`).
    pub percent_fee: String,
    /// Paise, a decimal (`500.00`).
    pub flat_fee: String,
    #[serde(rename = "effctvFrom", default)]
    pub effective_from: String,
    #[serde(rename = "effctvTo", default)]
    pub effective_to: String,
}
