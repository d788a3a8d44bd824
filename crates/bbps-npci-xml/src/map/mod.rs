//! Between the engine's network port and the messages: a request from the port's types, the port's answer from a
//! response. The reverse directions, which the BBPCU simulator needs, live beside them so each field's mapping is
//! written once.

pub mod bill;
pub mod bill_list;
pub mod biller;
pub mod biller_status;
pub mod complaint;
pub mod plan;
pub mod status;

use std::net::IpAddr;

use bbps_core::{AgentId, Channel, RefId, Timestamp};
use bbps_engine::ports::BbpsError;

use crate::codes::{DeviceTag, ResponseCode, VERSION};
use crate::ids::{InstitutionId, MsgId};
use crate::message::{Agent, Device, Head, NamedTag, Reason};
use crate::time::WireTime;

/// Who sends our requests: the institution (`Head@origInst`), the agent, and the MAC address of our gateway, which
/// the agent's device tags report beside the customer's IP address.
#[derive(Debug, Clone)]
pub struct Originator {
    pub institution: InstitutionId,
    pub agent: AgentId,
    pub device_mac: String,
}

impl Originator {
    pub fn head(&self, ref_id: &RefId, at: Timestamp) -> Head {
        Head {
            ver: VERSION.to_owned(),
            ts: WireTime::from(at),
            orig_inst: self.institution.clone(),
            ref_id: ref_id.clone(),
        }
    }

    /// The agent and its device tags for a request the customer made from `customer_ip` (the INT channel
    /// reports IP and MAC; an IP is left out only for a payment recorded before it was kept).
    pub fn agent(&self, channel: Channel, customer_ip: Option<IpAddr>) -> Agent {
        let tag = |name, value: String| NamedTag { name, value };
        let mut tags = vec![tag(DeviceTag::InitiatingChannel, channel.as_str().to_owned())];
        tags.extend(customer_ip.map(|ip| tag(DeviceTag::Ip, ip.to_string())));
        tags.push(tag(DeviceTag::Mac, self.device_mac.clone()));
        Agent { id: self.agent.clone(), device: Device { tags } }
    }
}

/// What one request is stamped with: its refId, its msgId and when it was made.
#[derive(Debug, Clone)]
pub struct Stamp {
    pub ref_id: RefId,
    pub msg_id: MsgId,
    pub at: Timestamp,
}

/// A failure `Reason` as the port's refusal: the compliance code (`BFR004`) when there is one.
pub fn refusal(reason: &Reason) -> BbpsError {
    let code = reason.compliance_code.clone().unwrap_or_else(|| reason.response_code.as_str().to_owned());
    let message = reason.compliance_reason.clone().unwrap_or_else(|| reason.response_reason.clone());
    BbpsError::Rejected { code, message }
}

/// Ok for a success `Reason`, the refusal otherwise.
pub fn succeeded(reason: &Reason) -> Result<(), BbpsError> {
    match reason.response_code {
        ResponseCode::Success => Ok(()),
        ResponseCode::Failure => Err(refusal(reason)),
    }
}

/// A response that says something the protocol does not allow: the outcome is unknown.
pub fn nonsense(detail: impl std::fmt::Display) -> BbpsError {
    BbpsError::Unavailable(format!("the network's answer makes no sense: {detail}"))
}

/// The `Reason` of a success, or of a failure with its compliance code.
pub fn reason(outcome: Result<String, (String, String)>) -> Reason {
    match outcome {
        Ok(approval) => Reason {
            approval_ref_num: approval,
            response_code: ResponseCode::Success,
            response_reason: "Successful".to_owned(),
            compliance_code: None,
            compliance_reason: None,
        },
        Err((code, message)) => Reason {
            approval_ref_num: String::new(),
            response_code: ResponseCode::Failure,
            response_reason: "Failure".to_owned(),
            compliance_code: Some(code),
            compliance_reason: Some(message),
        },
    }
}
