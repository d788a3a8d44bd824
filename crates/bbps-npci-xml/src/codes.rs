//! Every closed set of strings the XML wire uses, each declared once with the core's `wire_enum!`: reading a
//! name the build does not know is an error naming the set, never a silent default.

use bbps_core::wire_enum;

wire_enum! {
    /// The root element of a message, which is also the `<MessageName>` of the transport's URL.
    pub enum MessageKind {
        BillFetchRequest = "BillFetchRequest",
        BillFetchResponse = "BillFetchResponse",
        BillValidationRequest = "BillValidationRequest",
        BillValidationResponse = "BillValidationResponse",
        BillPaymentRequest = "BillPaymentRequest",
        BillPaymentResponse = "BillPaymentResponse",
        /// Transaction status by transaction reference (the schemas' "402" API).
        TxnStatusRequest = "TxnStatusRequest",
        TxnStatusResponse = "TxnStatusResponse",
        /// Transaction status (401), complaint registration (501) and complaint status (506).
        TxnStatusComplainRequest = "TxnStatusComplainRequest",
        TxnStatusComplainResponse = "TxnStatusComplainResponse",
        /// The heartbeat.
        ReqDiagnostic = "ReqDiagnostic",
        ResDiagnostic = "ResDiagnostic",
        /// Biller master data.
        BillerFetchRequest = "BillerFetchRequest",
        BillerFetchResponse = "BillerFetchResponse",
        /// Plan master data: our pull, the BBPCU's push in answer.
        PlanPull = "BBPSPlanMDMPull",
        PlanPush = "BBPSPlanMDMPush",
        /// Biller status: our request, the BBPCU's update in answer (billers down, from when, how long).
        BillerStatusRequest = "BillerStatusRequest",
        BillerStatusUpdate = "BillerStatusUpdate",
        /// The immediate answer to every POST.
        Ack = "Ack",
    }
}

impl MessageKind {
    /// The response that answers a request; `None` for responses and the Ack.
    pub fn response(self) -> Option<MessageKind> {
        use MessageKind::*;
        Some(match self {
            BillFetchRequest => BillFetchResponse,
            BillValidationRequest => BillValidationResponse,
            BillPaymentRequest => BillPaymentResponse,
            TxnStatusRequest => TxnStatusResponse,
            TxnStatusComplainRequest => TxnStatusComplainResponse,
            ReqDiagnostic => ResDiagnostic,
            BillerFetchRequest => BillerFetchResponse,
            PlanPull => PlanPush,
            BillerStatusRequest => BillerStatusUpdate,
            _ => return None,
        })
    }

    /// The request this kind answers, for a response.
    pub fn request(self) -> Option<MessageKind> {
        MessageKind::ALL.iter().copied().find(|k| k.response() == Some(self))
    }

    /// Whether a counterparty may POST this kind to our callback listener: only the responses to our requests.
    pub fn is_response(self) -> bool {
        self.request().is_some()
    }
}

wire_enum! {
    /// `PlanHeadType@type` of the plan master data messages.
    pub enum HeadRequestType {
        Request = "REQUEST",
        Response = "RESPONSE",
    }
}

wire_enum! {
    /// `Ack@rspCd`.
    pub enum AckCode {
        Successful = "Successful",
        ValidationError = "VALIDATION_ERR",
        DuplicateRequest = "DUPLICATE_REQ",
    }
}

wire_enum! {
    /// `Reason@responseCode`: success, or a failure whose detail is the compliance code (`BFR004`).
    pub enum ResponseCode {
        Success = "000",
        Failure = "200",
    }
}

wire_enum! {
    /// `Txn@type` of a payment and its response.
    pub enum TxnType {
        ForwardRequest = "FORWARD TYPE REQUEST",
        ForwardResponse = "FORWARD TYPE RESPONSE",
        ReversalResponse = "REVERSAL TYPE RESPONSE",
    }
}

wire_enum! {
    /// `Txn@xchangeId` of a `TxnStatusComplainRequest`: what is asked.
    pub enum XchangeId {
        TxnStatus = "401",
        ComplaintRegistration = "501",
        ComplaintStatus = "506",
    }
}

wire_enum! {
    /// `Agent/Device/Tag@name`: what the initiating channel reports about the customer's device.
    pub enum DeviceTag {
        Mobile = "MOBILE",
        Geocode = "GEOCODE",
        PostalCode = "POSTAL_CODE",
        Ip = "IP",
        InitiatingChannel = "INITIATING_CHANNEL",
        TerminalId = "TERMINAL_ID",
        Imei = "IMEI",
        Ifsc = "IFSC",
        Mac = "MAC",
        Os = "OS",
        App = "APP",
    }
}

wire_enum! {
    /// `Analytics/Tag@name`: when the customer's fetch or payment started and when we sent it on.
    pub enum AnalyticsTag {
        FetchStart = "FETCHREQUESTSTART",
        FetchEnd = "FETCHREQUESTEND",
        PayStart = "PAYREQUESTSTART",
        PayEnd = "PAYREQUESTEND",
    }
}

wire_enum! {
    /// The schemas' `Yes`/`No` flags (`quickPay`, `splitPay`, `mybiller`).
    pub enum YesNo {
        Yes = "Yes",
        No = "No",
    }
}

impl From<bool> for YesNo {
    fn from(b: bool) -> YesNo {
        if b { YesNo::Yes } else { YesNo::No }
    }
}

wire_enum! {
    /// `TxnStatusComplainReq@complaintType`.
    pub enum ComplaintType {
        Transaction = "Transaction",
        Service = "Service",
    }
}

wire_enum! {
    /// `TxnStatusComplainReq@participationType` of a service complaint: whom it is about.
    pub enum ParticipationType {
        Agent = "AGENT",
        Biller = "BILLER",
    }
}

wire_enum! {
    /// `TxnStatusComplainResp@complaintStatus`.
    pub enum ComplaintState {
        Logged = "LOGGED",
        Assigned = "ASSIGNED",
        PendingWithBbpou = "PENDING_WITH_BBPOU",
        Resolved = "RESOLVED",
        Reassigned = "REASSIGNED",
        Escalated = "ESCALATED",
        PendingRefund = "PENDING_REFUND",
        DefaultResolved = "DEFAULT_RESOLVED",
        Refunded = "REFUNDED",
        Rejected = "REJECTED",
    }
}

wire_enum! {
    /// `TxnDetail@txnStatus` in the answer to a transaction status request (401).
    pub enum TxnState {
        Success = "SUCCESS",
        Failure = "FAILURE",
        Pending = "PENDING",
    }
}

wire_enum! {
    /// `paymentAmountExactness` of the biller master data; absent means any amount.
    pub enum AmountExactness {
        Exact = "Exact",
        ExactAndAbove = "Exact and above",
        ExactAndBelow = "Exact and below",
    }
}

wire_enum! {
    /// `servReason` of a service complaint.
    pub enum ServiceComplaintReason {
        AgentOvercharging = "Agent overcharging",
        AgentMisbehaviour = "Agent misbehaviour",
        AgentNotIssuingReceipt = "Agent not issuing receipt",
        AgentOutletClosed = "Agent outlet closed",
        AgentRefusingComplaint = "Agent refusing to register complaint",
        BillerServiceNotProvided = "Biller not providing service",
        BillerWrongBill = "Biller sent wrong bill",
        BillerPaymentNotUpdated = "Biller not updating payment",
        BillerUnreachable = "Biller not reachable",
    }
}

/// `Amt@currency`: the ISO 4217 number of the Indian rupee.
pub const CURRENCY_INR: &str = "356";

/// `Head@ver` of every message we send.
pub const VERSION: &str = "1.0";

wire_enum! {
    /// How many bills of a fetched list one payment pays, as the `BILL_SELECTION_TYPE` tag says it (the later
    /// release's `billerSelectionType` values).
    pub enum SelectionType {
        Single = "SINGLE",
        Multiple = "MULTIPLE",
        All = "ALL",
    }
}

impl From<bbps_core::bill_list::BillSelection> for SelectionType {
    fn from(s: bbps_core::bill_list::BillSelection) -> SelectionType {
        use bbps_core::bill_list::BillSelection;
        match s {
            BillSelection::Single => SelectionType::Single,
            BillSelection::Multiple => SelectionType::Multiple,
            BillSelection::All => SelectionType::All,
        }
    }
}

impl From<SelectionType> for bbps_core::bill_list::BillSelection {
    fn from(s: SelectionType) -> bbps_core::bill_list::BillSelection {
        use bbps_core::bill_list::BillSelection;
        match s {
            SelectionType::Single => BillSelection::Single,
            SelectionType::Multiple => BillSelection::Multiple,
            SelectionType::All => BillSelection::All,
        }
    }
}

wire_enum! {
    /// `BillerStatusUpdate/Biller@status`. The public schemas leave its values open; these are the ones this
    /// product reads (docs/bbps-xml.md): a biller down from `startTime` for `durationInMinutes`, or up again.
    pub enum BillerState {
        Down = "DOWN",
        Up = "UP",
    }
}

wire_enum! {
    /// `BillerFetchResponse/Biller/Status`: active, or taken out of the catalogue. Any status other than `ACTIVE`
    /// withdraws a biller when read; `DEACTIVATED` is the one the simulator writes.
    pub enum BillerRecordStatus {
        Active = "ACTIVE",
        Deactivated = "DEACTIVATED",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_request_has_one_response_kind_and_responses_are_known() {
        let responses: Vec<_> = MessageKind::ALL.iter().filter_map(|k| k.response()).collect();
        assert_eq!(responses.len(), 9);
        for r in &responses {
            assert!(r.is_response() && r.response().is_none());
        }
        assert!(!MessageKind::Ack.is_response() && !MessageKind::BillFetchRequest.is_response());
    }
}
