//! The Ack that answers every POST at once (`Ack.xsd`), and the heartbeat (`ReqDiagnostic.xsd`,
//! `ResDiagnostic.xsd`).

use serde::{Deserialize, Serialize};

use super::common::{ErrorMessage, Head};
use crate::codes::{AckCode, MessageKind};
use crate::ids::MsgId;
use crate::time::WireTime;

/// Says a message was received (or why not); the answer itself comes later, as its own POST.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ack {
    /// The kind of the message acknowledged.
    #[serde(rename = "@api", default, skip_serializing_if = "Option::is_none")]
    pub api: Option<MessageKind>,
    /// The acknowledged message's refId. A string rather than a `RefId`: an Ack refusing a message we could not
    /// read repeats whatever it said.
    #[serde(rename = "@refId", default, skip_serializing_if = "Option::is_none")]
    pub ref_id: Option<String>,
    #[serde(rename = "@msgId", default, skip_serializing_if = "Option::is_none")]
    pub msg_id: Option<MsgId>,
    #[serde(rename = "@rspCd")]
    pub rsp_cd: AckCode,
    #[serde(rename = "@ts")]
    pub ts: WireTime,
    #[serde(rename = "errorMessages", default)]
    pub errors: Vec<ErrorMessage>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReqDiagnostic {
    #[serde(rename = "Head")]
    pub head: Head,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResDiagnostic {
    #[serde(rename = "Head")]
    pub head: Head,
    #[serde(rename = "errorMessages", default)]
    pub errors: Vec<ErrorMessage>,
}
