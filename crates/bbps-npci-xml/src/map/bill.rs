//! Bill fetch, validation and payment, both ways.

use std::net::IpAddr;

use bbps_core::api::{AmountOption, Bill, InfoItem, MobileNumber};
use bbps_core::biller::PaymentMode;
use bbps_core::{AmountRule, ApprovalRef, BillerId, Channel, Paise, PlanId, Timestamp, TxnRef};
use bbps_engine::ports::{BbpsError, BillRequest, PayRequest, PayStatus, Validation};

use super::{Originator, Stamp, bill_list, nonsense, reason, succeeded};
use crate::codes::{AnalyticsTag, CURRENCY_INR, DeviceTag, ResponseCode, TxnType, YesNo};
use crate::message::{
    Agent, Amount, Amt, Analytics, BillDetails, BillFetchRequest, BillFetchResponse, BillPaymentRequest,
    BillPaymentResponse, BillValidationRequest, BillValidationResponse, BillerRef, BillerResponse, Customer,
    PaymentMethod, Tag, Tags, Txn,
};
use crate::time::{WireDate, WireTime};

/// The `AdditionalInfo` tag a validation answers the account holder's name in.
pub const CUSTOMER_NAME_TAG: &str = "Customer Name";
/// `PaymentInformation` tags of a UPI payment.
pub const VPA_TAG: &str = "VPA";
pub const REMARKS_TAG: &str = "Remarks";
/// `Amount/Tag` names of the two parts of `custConvFee`, which carries the fee with its GST: the fee before GST,
/// and the GST (paise), named after the `CCF1` charges and GST of the later schema release.
pub const CCF_CHARGES_TAG: &str = "CCF1_CHARGES";
pub const CCF_GST_TAG: &str = "CCF1_GST";

fn bill_details(biller_id: &BillerId, params: &[(String, String)]) -> BillDetails {
    BillDetails {
        biller: BillerRef { id: biller_id.clone() },
        customer_params: Tags::new(params.iter().map(|(n, v)| Tag::new(n, v)).collect()),
    }
}

/// The customer param a plan payment names its plan by, as plan billers take it.
pub const PLAN_ID_PARAM: &str = "Id";

/// The plan a payment's customer params name, if any.
fn plan_of_params(details: &BillDetails) -> Result<Option<PlanId>, String> {
    let tag = details.customer_params.tags.iter().find(|t| t.name == PLAN_ID_PARAM);
    tag.map(|t| PlanId::parse(&t.value).map_err(|e| e.to_string())).transpose()
}

fn params_of(details: &BillDetails) -> Vec<(String, String)> {
    details.customer_params.tags.iter().map(|t| (t.name.clone(), t.value.clone())).collect()
}

fn channel_of(agent: &Agent) -> Result<Channel, String> {
    let tag = agent.device.tags.iter().find(|t| t.name == DeviceTag::InitiatingChannel);
    let value = tag.map(|t| t.value.as_str()).ok_or("no INITIATING_CHANNEL device tag")?;
    Channel::parse(value).map_err(|e| e.to_string())
}

/// The customer's address the agent reports; `None` when it reports none.
fn ip_of(agent: &Agent) -> Result<Option<IpAddr>, String> {
    let tag = agent.device.tags.iter().find(|t| t.name == DeviceTag::Ip);
    tag.map(|t| t.value.parse().map_err(|_| format!("device tag IP {:?} is not an address", t.value))).transpose()
}

fn request_txn(stamp: &Stamp) -> Txn {
    Txn {
        ts: WireTime::from(stamp.at),
        kind: None,
        msg_id: Some(stamp.msg_id.clone()),
        txn_reference_id: None,
        xchange_id: None,
    }
}

/// The answering `Txn`: the request's, with the answer's time and kind.
fn answer_txn(request: &Txn, at: Timestamp, kind: Option<TxnType>) -> Txn {
    Txn { ts: WireTime::from(at), kind, ..request.clone() }
}

// ---- the bill itself ------------------------------------------------------------------------------------------

/// `BillerResponse/Tag` names of a bill's own amount rule (paise), standing in for the `minAmount`, `maxAmount`
/// and `amountMultiple` attributes of the later schema release; every other tag is an amount option.
pub const MIN_AMOUNT_TAG: &str = "MIN_AMOUNT";
pub const MAX_AMOUNT_TAG: &str = "MAX_AMOUNT";
pub const AMOUNT_MULTIPLE_TAG: &str = "AMOUNT_MULTIPLE";
/// `BillerResponse/Tag` of until when the biller takes the bill's payment (an instant with its offset), standing in
/// for the later release's `BillerResponse@billExpiry`.
pub const BILL_EXPIRY_TAG: &str = "BILL_EXPIRY";
/// The tags that are not amount options.
const RESERVED_TAGS: [&str; 4] = [MIN_AMOUNT_TAG, MAX_AMOUNT_TAG, AMOUNT_MULTIPLE_TAG, BILL_EXPIRY_TAG];

fn paise_of(t: &Tag) -> Result<Paise, BbpsError> {
    t.value
        .parse::<u64>()
        .ok()
        .and_then(Paise::new)
        .ok_or_else(|| nonsense(format!("{:?} is {:?}, not paise", t.name, t.value)))
}

/// The bill's amount rule from its tags; one that no amount can meet is the biller's error, not a rule.
fn amount_rule_of(tags: &[Tag]) -> Result<AmountRule, BbpsError> {
    let find = |name: &str| tags.iter().find(|t| t.name == name).map(paise_of).transpose();
    let rule =
        AmountRule { min: find(MIN_AMOUNT_TAG)?, max: find(MAX_AMOUNT_TAG)?, multiple: find(AMOUNT_MULTIPLE_TAG)? };
    if !rule.can_be_met() {
        return Err(nonsense(format!("a bill whose amount rule no amount meets: {rule:?}")));
    }
    Ok(rule)
}

fn rule_tags(rule: &AmountRule) -> impl Iterator<Item = Tag> + use<> {
    [(MIN_AMOUNT_TAG, rule.min), (MAX_AMOUNT_TAG, rule.max), (AMOUNT_MULTIPLE_TAG, rule.multiple)]
        .into_iter()
        .filter_map(|(name, v)| v.map(|v| Tag::new(name, v.get().to_string())))
}

/// The port's bill from a `BillerResponse` and `AdditionalInfo`.
pub fn bill_of(response: &BillerResponse, info: Option<&Tags>) -> Result<Bill, BbpsError> {
    let amount_options = response
        .tags
        .iter()
        .filter(|t| !RESERVED_TAGS.contains(&t.name.as_str()) && !bill_list::is_list_tag(&t.name))
        .map(|t| {
            let amount = t.value.parse::<u64>().ok().and_then(Paise::new);
            amount
                .map(|amount| AmountOption { name: t.name.clone(), amount })
                .ok_or_else(|| nonsense(format!("amount option {:?} is {:?}, not paise", t.name, t.value)))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let list = bill_list::list_of(&response.tags, response.amount)?;
    let amount_rule = amount_rule_of(&response.tags)?;
    if list.is_some() && !amount_options.is_empty() {
        return Err(nonsense("a list of bills with amount options"));
    }
    if list.is_some() && !amount_rule.is_none() {
        return Err(nonsense("a list of bills with an amount rule: each listed bill is paid in full"));
    }
    Ok(Bill {
        amount: response.amount,
        customer_name: response.customer_name.clone(),
        bill_number: response.bill_number.clone(),
        bill_date: response.bill_date.map(|d| d.0),
        due_date: response.due_date.map(|d| d.0),
        bill_period: response.bill_period.clone(),
        amount_options,
        additional_info: info
            .map(|i| i.tags.iter().map(|t| InfoItem { name: t.name.clone(), value: t.value.clone() }).collect())
            .unwrap_or_default(),
        amount_rule,
        valid_until: response
            .tags
            .iter()
            .find(|t| t.name == BILL_EXPIRY_TAG)
            .map(|t| {
                WireTime::parse(&t.value)
                    .map(WireTime::instant)
                    .ok_or_else(|| nonsense(format!("{BILL_EXPIRY_TAG} {:?} is not an instant", t.value)))
            })
            .transpose()?,
        list,
    })
}

/// The `BillerResponse` and `AdditionalInfo` that read back as `bill`: what a fetch response carries, and what a
/// payment echoes when the original is not at hand.
pub fn biller_response_of(bill: &Bill) -> (BillerResponse, Option<Tags>) {
    let response = BillerResponse {
        customer_name: bill.customer_name.clone(),
        amount: bill.amount,
        due_date: bill.due_date.map(WireDate),
        cust_conv_fee: None,
        bill_date: bill.bill_date.map(WireDate),
        bill_number: bill.bill_number.clone(),
        bill_period: bill.bill_period.clone(),
        tags: bill
            .amount_options
            .iter()
            .map(|o| Tag::new(&o.name, o.amount.get().to_string()))
            .chain(rule_tags(&bill.amount_rule))
            .chain(bill.valid_until.map(|t| Tag::new(BILL_EXPIRY_TAG, WireTime::from(t).to_string())))
            .chain(bill.list.iter().flat_map(bill_list::list_tags))
            .collect(),
    };
    let info = (!bill.additional_info.is_empty())
        .then(|| Tags::new(bill.additional_info.iter().map(|i| Tag::new(&i.name, &i.value)).collect()));
    (response, info)
}

// ---- fetch ----------------------------------------------------------------------------------------------------

/// A fetch request. `started` is when the customer's fetch reached us (the analytics start tag); `mobile` is
/// the customer's (`Customer@mobile` is required, so the caller has it before asking).
pub fn fetch_request(
    req: &BillRequest,
    mobile: &MobileNumber,
    from: &Originator,
    stamp: &Stamp,
    started: Timestamp,
) -> BillFetchRequest {
    BillFetchRequest {
        head: from.head(&stamp.ref_id, stamp.at),
        analytics: Some(Analytics::span(
            AnalyticsTag::FetchStart,
            WireTime::from(started),
            AnalyticsTag::FetchEnd,
            WireTime::from(stamp.at),
        )),
        txn: request_txn(stamp),
        customer: Customer { mobile: mobile.as_str().to_owned(), tags: Vec::new() },
        agent: from.agent(req.channel, Some(req.customer_ip)),
        bill_details: bill_details(&req.biller_id, &req.params),
    }
}

/// What a fetch request asks, as the port's type.
pub fn fetch_request_of(req: &BillFetchRequest) -> Result<BillRequest, String> {
    Ok(BillRequest {
        ref_id: req.head.ref_id.clone(),
        biller_id: req.bill_details.biller.id.clone(),
        params: params_of(&req.bill_details),
        channel: channel_of(&req.agent)?,
        customer_mobile: Some(
            MobileNumber::parse(&req.customer.mobile).ok_or("Customer@mobile is not a mobile number")?,
        ),
        customer_ip: ip_of(&req.agent)?.ok_or("no IP device tag")?,
    })
}

pub fn bill_from_fetch(resp: &BillFetchResponse) -> Result<Bill, BbpsError> {
    succeeded(&resp.reason)?;
    bill_of(&resp.biller_response, resp.additional_info.as_ref())
}

/// The answer to a fetch request: the bill, or a failure with its compliance code.
pub fn fetch_response(
    req: &BillFetchRequest,
    outcome: Result<&Bill, (String, String)>,
    from: &Originator,
    at: Timestamp,
) -> BillFetchResponse {
    let (biller_response, additional_info) = match outcome {
        Ok(bill) => biller_response_of(bill),
        // The schema requires a BillerResponse, and its amount, even on failure.
        Err(_) => (biller_response_of(&Bill::default()).0, None),
    };
    BillFetchResponse {
        head: from.head(&req.head.ref_id, at),
        reason: reason(outcome.map(|_| String::new())),
        txn: answer_txn(&req.txn, at, None),
        bill_details: req.bill_details.clone(),
        biller_response,
        additional_info,
    }
}

// ---- validation -----------------------------------------------------------------------------------------------

pub fn validation_request(req: &BillRequest, from: &Originator, stamp: &Stamp) -> BillValidationRequest {
    BillValidationRequest {
        head: from.head(&stamp.ref_id, stamp.at),
        agent: from.agent(req.channel, Some(req.customer_ip)),
        bill_details: bill_details(&req.biller_id, &req.params),
    }
}

/// What a validation request asks, as the port's type (it carries no customer mobile).
pub fn validation_request_of(req: &BillValidationRequest) -> Result<BillRequest, String> {
    Ok(BillRequest {
        ref_id: req.head.ref_id.clone(),
        biller_id: req.bill_details.biller.id.clone(),
        params: params_of(&req.bill_details),
        channel: channel_of(&req.agent)?,
        customer_mobile: None,
        customer_ip: ip_of(&req.agent)?.ok_or("no IP device tag")?,
    })
}

pub fn validation_of(resp: &BillValidationResponse) -> Result<Validation, BbpsError> {
    succeeded(&resp.reason)?;
    let name = resp.additional_info.iter().flat_map(|i| &i.tags).find(|t| t.name == CUSTOMER_NAME_TAG);
    Ok(Validation { customer_name: name.map(|t| t.value.clone()) })
}

pub fn validation_response(
    req: &BillValidationRequest,
    outcome: Result<&Validation, (String, String)>,
    from: &Originator,
    at: Timestamp,
) -> BillValidationResponse {
    let name = outcome.as_ref().ok().and_then(|v| v.customer_name.as_ref());
    BillValidationResponse {
        head: from.head(&req.head.ref_id, at),
        reason: reason(outcome.map(|_| String::new())),
        additional_info: name.map(|n| Tags::new(vec![Tag::new(CUSTOMER_NAME_TAG, n)])),
    }
}

// ---- payment --------------------------------------------------------------------------------------------------

/// A payment request. `echo` is the fetch response's `BillerResponse` and `AdditionalInfo` exactly as received,
/// when we still hold them; otherwise they are rebuilt from the port's bill, which reads back the same.
pub fn payment_request(
    req: &PayRequest,
    from: &Originator,
    stamp: &Stamp,
    txn_ref: &TxnRef,
    started: Timestamp,
    echo: Option<(BillerResponse, Option<Tags>)>,
) -> BillPaymentRequest {
    let (biller_response, additional_info) = match (echo, &req.bill) {
        (Some((r, i)), _) => (Some(r), i),
        (None, Some(bill)) => {
            let (r, i) = biller_response_of(bill);
            (Some(r), i)
        }
        (None, None) => (None, None),
    };
    let mut information = Vec::new();
    if let Some(vpa) = &req.payer_vpa {
        information.push(Tag::new(VPA_TAG, vpa));
    }
    information
        .push(Tag::new(REMARKS_TAG, req.upi_rrn.as_ref().map_or_else(|| "UPI".to_owned(), |r| format!("UPI RRN {r}"))));
    BillPaymentRequest {
        head: from.head(&stamp.ref_id, stamp.at),
        analytics: Some(Analytics::span(
            AnalyticsTag::PayStart,
            WireTime::from(started),
            AnalyticsTag::PayEnd,
            WireTime::from(stamp.at),
        )),
        txn: Txn { kind: Some(TxnType::ForwardRequest), txn_reference_id: Some(txn_ref.clone()), ..request_txn(stamp) },
        customer: Customer { mobile: req.customer_mobile.as_str().to_owned(), tags: Vec::new() },
        agent: from.agent(req.channel, req.customer_ip),
        bill_details: BillDetails {
            biller: BillerRef { id: req.biller_id.clone() },
            customer_params: Tags::new(
                req.params
                    .iter()
                    .map(|(n, v)| Tag::new(n, v))
                    .chain(req.plan_id.as_ref().map(|p| Tag::new(PLAN_ID_PARAM, p.as_str())))
                    .collect(),
            ),
        },
        biller_response,
        additional_info,
        payment_method: PaymentMethod {
            quick_pay: YesNo::from(req.bill.is_none()),
            split_pay: YesNo::No,
            payment_mode: PaymentMode::Upi,
        },
        amount: Amount {
            amt: Amt {
                amount: req.amount,
                cust_conv_fee: bbps_core::fee::fee_with_gst(req.convenience_fee, req.convenience_fee_gst),
                currency: CURRENCY_INR.to_owned(),
            },
            split_pay_amount: String::new(),
            tags: (req.convenience_fee_gst != Paise::ZERO)
                .then(|| {
                    [
                        Tag::new(CCF_CHARGES_TAG, req.convenience_fee.get().to_string()),
                        Tag::new(CCF_GST_TAG, req.convenience_fee_gst.get().to_string()),
                    ]
                })
                .into_iter()
                .flatten()
                .chain(bill_list::paid_tags(&req.bills))
                .collect(),
        },
        payment_information: Tags::new(information),
    }
}

/// `custConvFee` split into the fee and its GST by the `Amount` tags; without them, all of it is fee. The parts
/// must add up to `custConvFee`.
fn fee_parts(amount: &Amount) -> Result<(Paise, Paise), String> {
    let part = |name: &str| {
        amount
            .tags
            .iter()
            .find(|t| t.name == name)
            .map(|t| t.value.parse::<u64>().ok().and_then(Paise::new).ok_or(format!("Amount/Tag {name} is not paise")))
            .transpose()
    };
    let whole = amount.amt.cust_conv_fee;
    match (part(CCF_CHARGES_TAG)?, part(CCF_GST_TAG)?) {
        (None, None) => Ok((whole, Paise::ZERO)),
        (Some(fee), Some(gst)) if fee.checked_add(gst) == Some(whole) => Ok((fee, gst)),
        _ => Err(format!("the {CCF_CHARGES_TAG} and {CCF_GST_TAG} tags do not add up to custConvFee")),
    }
}

/// What a payment request asks, as the port's type.
pub fn payment_request_of(req: &BillPaymentRequest) -> Result<PayRequest, String> {
    let bill = req.biller_response.as_ref().map(|r| bill_of(r, req.additional_info.as_ref())).transpose();
    let info = |name: &str| req.payment_information.tags.iter().find(|t| t.name == name).map(|t| t.value.clone());
    let (convenience_fee, convenience_fee_gst) = fee_parts(&req.amount)?;
    Ok(PayRequest {
        ref_id: req.head.ref_id.clone(),
        biller_id: req.bill_details.biller.id.clone(),
        params: params_of(&req.bill_details).into_iter().filter(|(n, _)| n != PLAN_ID_PARAM).collect(),
        plan_id: plan_of_params(&req.bill_details)?,
        bills: bill_list::paid_of(&req.amount.tags),
        bill: bill.map_err(|e| e.to_string())?,
        amount: req.amount.amt.amount,
        convenience_fee,
        convenience_fee_gst,
        channel: channel_of(&req.agent)?,
        payer_vpa: info(VPA_TAG),
        upi_rrn: info(REMARKS_TAG).and_then(|r| r.strip_prefix("UPI RRN ").map(str::to_owned)),
        customer_mobile: MobileNumber::parse(&req.customer.mobile).ok_or("Customer@mobile is not a mobile number")?,
        customer_ip: ip_of(&req.agent)?,
    })
}

/// The payment's outcome. The answer must name the transaction reference we sent.
pub fn pay_status_of(resp: &BillPaymentResponse, sent: &TxnRef) -> Result<PayStatus, BbpsError> {
    if resp.txn.txn_reference_id.as_ref() != Some(sent) {
        return Err(nonsense(format!("the payment answer names {:?}, we sent {sent}", resp.txn.txn_reference_id)));
    }
    match resp.reason.response_code {
        ResponseCode::Success => {
            let approval_ref = ApprovalRef::parse(&resp.reason.approval_ref_num)
                .map_err(|_| nonsense("a successful payment without an approval reference"))?;
            Ok(PayStatus::Success { txn_ref: sent.clone(), approval_ref })
        }
        ResponseCode::Failure => match super::refusal(&resp.reason) {
            BbpsError::Rejected { code, message } => Ok(PayStatus::Failed { code, message }),
            other => Err(other),
        },
    }
}

/// The answer to a payment request: approved with the biller's approval reference, or failed.
pub fn payment_response(
    req: &BillPaymentRequest,
    outcome: Result<&ApprovalRef, (String, String)>,
    from: &Originator,
    at: Timestamp,
) -> BillPaymentResponse {
    let (biller_response, additional_info) = match &req.biller_response {
        Some(r) => (r.clone(), req.additional_info.clone()),
        None => {
            let (mut r, _) = biller_response_of(&Bill::default());
            r.amount = req.amount.amt.amount;
            (r, None)
        }
    };
    BillPaymentResponse {
        head: from.head(&req.head.ref_id, at),
        reason: reason(outcome.map(|a| a.as_str().to_owned())),
        txn: answer_txn(&req.txn, at, Some(TxnType::ForwardResponse)),
        bill_details: req.bill_details.clone(),
        biller_response,
        additional_info,
    }
}
