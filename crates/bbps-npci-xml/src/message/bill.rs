//! Bill fetch, validation and payment (`BillFetch*.xsd`, `BillValidation*.xsd`, `BillPayment*.xsd`).

use bbps_core::Paise;
use bbps_core::biller::PaymentMode;
use serde::{Deserialize, Serialize};

use super::common::{Agent, Analytics, BillDetails, BillerResponse, Customer, Head, Reason, Tags, Txn};
use crate::codes::YesNo;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillFetchRequest {
    #[serde(rename = "Head")]
    pub head: Head,
    #[serde(rename = "Analytics", default, skip_serializing_if = "Option::is_none")]
    pub analytics: Option<Analytics>,
    #[serde(rename = "Txn")]
    pub txn: Txn,
    #[serde(rename = "Customer")]
    pub customer: Customer,
    #[serde(rename = "Agent")]
    pub agent: Agent,
    #[serde(rename = "BillDetails")]
    pub bill_details: BillDetails,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillFetchResponse {
    #[serde(rename = "Head")]
    pub head: Head,
    #[serde(rename = "Reason")]
    pub reason: Reason,
    #[serde(rename = "Txn")]
    pub txn: Txn,
    #[serde(rename = "BillDetails")]
    pub bill_details: BillDetails,
    #[serde(rename = "BillerResponse")]
    pub biller_response: BillerResponse,
    #[serde(rename = "AdditionalInfo", default, skip_serializing_if = "Option::is_none")]
    pub additional_info: Option<Tags>,
}

/// Validation has no `Txn` in the schemas: its response is matched by refId alone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillValidationRequest {
    #[serde(rename = "Head")]
    pub head: Head,
    #[serde(rename = "Agent")]
    pub agent: Agent,
    #[serde(rename = "BillDetails")]
    pub bill_details: BillDetails,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillValidationResponse {
    #[serde(rename = "Head")]
    pub head: Head,
    #[serde(rename = "Reason")]
    pub reason: Reason,
    #[serde(rename = "AdditionalInfo", default, skip_serializing_if = "Option::is_none")]
    pub additional_info: Option<Tags>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillPaymentRequest {
    #[serde(rename = "Head")]
    pub head: Head,
    #[serde(rename = "Analytics", default, skip_serializing_if = "Option::is_none")]
    pub analytics: Option<Analytics>,
    #[serde(rename = "Txn")]
    pub txn: Txn,
    #[serde(rename = "Customer")]
    pub customer: Customer,
    #[serde(rename = "Agent")]
    pub agent: Agent,
    #[serde(rename = "BillDetails")]
    pub bill_details: BillDetails,
    /// The fetched bill, echoed unchanged; absent for a payment without a fetch.
    #[serde(rename = "BillerResponse", default, skip_serializing_if = "Option::is_none")]
    pub biller_response: Option<BillerResponse>,
    #[serde(rename = "AdditionalInfo", default, skip_serializing_if = "Option::is_none")]
    pub additional_info: Option<Tags>,
    #[serde(rename = "PaymentMethod")]
    pub payment_method: PaymentMethod,
    #[serde(rename = "Amount")]
    pub amount: Amount,
    #[serde(rename = "PaymentInformation")]
    pub payment_information: Tags,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentMethod {
    /// `Yes` for a payment without a fetched bill.
    #[serde(rename = "@quickPay")]
    pub quick_pay: YesNo,
    #[serde(rename = "@splitPay")]
    pub split_pay: YesNo,
    #[serde(rename = "@paymentMode")]
    pub payment_mode: PaymentMode,
}

/// `Amount`: the bill amount and the customer convenience fee, apart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Amount {
    #[serde(rename = "Amt")]
    pub amt: Amt,
    /// Required by the schema even when the payment is not split; then empty.
    #[serde(rename = "SplitPayAmount", default)]
    pub split_pay_amount: String,
    #[serde(rename = "Tag", default)]
    pub tags: Vec<super::common::Tag>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Amt {
    #[serde(rename = "@amount")]
    pub amount: Paise,
    #[serde(rename = "@custConvFee")]
    pub cust_conv_fee: Paise,
    #[serde(rename = "@currency")]
    pub currency: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillPaymentResponse {
    #[serde(rename = "Head")]
    pub head: Head,
    #[serde(rename = "Reason")]
    pub reason: Reason,
    #[serde(rename = "Txn")]
    pub txn: Txn,
    #[serde(rename = "BillDetails")]
    pub bill_details: BillDetails,
    #[serde(rename = "BillerResponse")]
    pub biller_response: BillerResponse,
    #[serde(rename = "AdditionalInfo", default, skip_serializing_if = "Option::is_none")]
    pub additional_info: Option<Tags>,
}
