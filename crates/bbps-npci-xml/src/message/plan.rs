//! Plan master data: `BBPSPlanMDMPull` (ours, for the plans of some billers) and `BBPSPlanMDMPush` (the BBPCU's
//! answer). Their `Head` is of its own type: no `origRefId`, and a `type` saying request or response.

use bbps_core::{BillerId, RefId};
use serde::{Deserialize, Serialize};

use super::biller::{SearchByTime, SearchResult};
use crate::codes::HeadRequestType;
use crate::ids::InstitutionId;
use crate::time::WireTime;

/// `PlanHeadType`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanHead {
    #[serde(rename = "@ver")]
    pub ver: String,
    #[serde(rename = "@ts")]
    pub ts: WireTime,
    #[serde(rename = "@origInst")]
    pub orig_inst: InstitutionId,
    #[serde(rename = "@refId")]
    pub ref_id: RefId,
    #[serde(rename = "@type")]
    pub kind: HeadRequestType,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BBPSPlanMDMPull {
    #[serde(rename = "Head")]
    pub head: PlanHead,
    #[serde(rename = "Search", default, skip_serializing_if = "Option::is_none")]
    pub search: Option<SearchByBiller>,
    #[serde(rename = "SearchByTime", default, skip_serializing_if = "Option::is_none")]
    pub search_by_time: Option<SearchByTime>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchByBiller {
    #[serde(rename = "billerId", default)]
    pub biller_ids: Vec<BillerId>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BBPSPlanMDMPush {
    #[serde(rename = "Head")]
    pub head: PlanHead,
    #[serde(rename = "PlanDetails", default)]
    pub plans: Vec<PlanDetail>,
    #[serde(rename = "searchResult", default, skip_serializing_if = "Option::is_none")]
    pub search_result: Option<SearchResult>,
}

/// One plan, in schema order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanDetail {
    #[serde(rename = "Id")]
    pub id: String,
    #[serde(rename = "billerId")]
    pub biller_id: BillerId,
    #[serde(rename = "categoryType")]
    pub category_type: String,
    #[serde(rename = "categorySubType")]
    pub category_sub_type: CategorySubType,
    /// Rupees, an `xs:double` (`299.0`); read exactly, never through a float.
    #[serde(rename = "amountInRupees")]
    pub amount_in_rupees: String,
    #[serde(rename = "planDescription")]
    pub plan_description: String,
    #[serde(rename = "planAdditionalInfo", default, skip_serializing_if = "Option::is_none")]
    pub plan_additional_info: Option<PlanAdditionalInfo>,
    #[serde(rename = "effctvFrom")]
    pub effective_from: String,
    #[serde(rename = "effctvTo", default, skip_serializing_if = "Option::is_none")]
    pub effective_to: Option<String>,
    /// `ACTIVE`, or a state in which the plan is not sold (`DEACTIVATED`…).
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CategorySubType {
    #[serde(rename = "subType", default)]
    pub sub_types: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanAdditionalInfo {
    #[serde(rename = "Tag")]
    pub tags: Vec<PlanTag>,
}

/// A plan's additional-info tag: `paramName`/`paramValue`, not the `name`/`value` of other tags.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanTag {
    #[serde(rename = "@paramName")]
    pub param_name: String,
    #[serde(rename = "@paramValue")]
    pub param_value: String,
}
