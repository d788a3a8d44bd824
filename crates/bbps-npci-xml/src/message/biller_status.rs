//! Biller status (`BillerStatusRequest.xsd`, `BillerStatusUpdate.xsd`): our request for the billers' status, and
//! the BBPCU's update in answer, naming the billers down, from when and for how long.

use bbps_core::BillerId;
use serde::{Deserialize, Serialize};

use super::biller::Search;
use super::common::Head;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillerStatusRequest {
    #[serde(rename = "Head")]
    pub head: Head,
    /// Only these billers; without it, every biller with a status to report.
    #[serde(rename = "Search", default, skip_serializing_if = "Option::is_none")]
    pub search: Option<Search>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillerStatusUpdate {
    #[serde(rename = "Head")]
    pub head: Head,
    #[serde(rename = "Biller", default)]
    pub billers: Vec<BillerStatus>,
}

/// One biller's status. Every attribute is optional in the schema; one without what the product needs is left
/// out when read, with a warning.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillerStatus {
    #[serde(rename = "@id", default, skip_serializing_if = "Option::is_none")]
    pub id: Option<BillerId>,
    #[serde(rename = "@xchangeId", default, skip_serializing_if = "Option::is_none")]
    pub xchange_id: Option<String>,
    #[serde(rename = "@status", default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(rename = "@startTime", default, skip_serializing_if = "Option::is_none")]
    pub start_time: Option<String>,
    #[serde(rename = "@description", default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(rename = "@durationInMinutes", default, skip_serializing_if = "Option::is_none")]
    pub duration_in_minutes: Option<String>,
}
