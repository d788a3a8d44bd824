//! [`NpciNetwork`]: the engine's network port over the BBPS XML wire.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use async_trait::async_trait;
use bbps_core::api::Bill;
use bbps_core::plan::Plan;
use bbps_core::{Biller, BillerId, ComplaintId, RefId, Timestamp};
use bbps_engine::ports::{
    BbpsError, BbpsNetwork, BillRequest, ComplaintRequest, Downtime, NetworkComplaint, PayRequest, PayStatus,
    Validation,
};

use crate::archive::Archive;
use crate::codes::{AckCode, MessageKind};
use crate::config::{ConfigError, NpciConfig};
use crate::dsig::{Signer, Verifier};
use crate::envelope::Envelope;
use crate::ids::{MsgId, txn_ref_for};
use crate::map::biller::Part;
use crate::map::{Stamp, bill, biller, biller_status, complaint, nonsense, plan, status};
use crate::message::biller::{BillerFetchRequest, BillerFetchResponse, SearchByTime};
use crate::message::{BillFetchResponse, Message, ReqDiagnostic};
use crate::time::WireTime;
use crate::transport::callback::{self, Inbox, LateSink};
use crate::transport::client::Client;
use crate::transport::pending::{Key, Outstanding};

/// The catalogue as last pulled, and as of when (for the next incremental pull).
struct Catalogue {
    billers: BTreeMap<BillerId, Biller>,
    as_of: WireTime,
}

/// A request's Ack said it was a duplicate: the BBPCU has it already.
enum Exchange {
    Answer(Box<Message>),
    Duplicate,
}

pub struct NpciNetwork {
    config: NpciConfig,
    client: Client,
    inbox: Arc<Inbox>,
    archive: Arc<Archive>,
    catalogue: tokio::sync::Mutex<Option<Catalogue>>,
}

fn now() -> Timestamp {
    Timestamp::from_offset_date_time(time::OffsetDateTime::now_utc())
}

fn unexpected(kind: crate::codes::MessageKind) -> BbpsError {
    nonsense(format!("a {kind} answered the request"))
}

impl NpciNetwork {
    /// Loads the keys and certificates (failing at start-up on a wrong file) and refuses a live configuration
    /// without TLS. Late responses go to `late`; every message sent and received goes to `archive`.
    pub fn new(config: NpciConfig, late: Arc<dyn LateSink>, archive: Archive) -> Result<NpciNetwork, ConfigError> {
        config.check()?;
        let envelope = Arc::new(Envelope::new(
            Signer::new(config.signing.signing_key()?, config.c14n),
            Verifier::new(config.central()?),
            config.max_body_bytes,
        ));
        let archive = Arc::new(archive);
        let client = Client::new(&config, Arc::clone(&envelope), Arc::clone(&archive))?;
        let outstanding = Outstanding::new(config.retention);
        let inbox = Arc::new(Inbox { envelope, outstanding, late, archive: Arc::clone(&archive) });
        Ok(NpciNetwork { config, client, inbox, archive, catalogue: tokio::sync::Mutex::new(None) })
    }

    /// The fetch response of `ref_id` exactly as the BBPCU sent it, read back from the archive (opened again, so
    /// only what its signature covers is used), for the payment to echo.
    async fn fetched(&self, ref_id: &RefId) -> Option<BillFetchResponse> {
        let body = self.archive.last_received(ref_id, MessageKind::BillFetchResponse).await?;
        match self.inbox.envelope.open(&body) {
            Ok(Message::BillFetchResponse(r)) => Some(r),
            Ok(other) => {
                tracing::warn!(%ref_id, kind = %other.kind(), "the archived fetch response is something else");
                None
            }
            // The BBPCU's certificate may have changed since: the bill is rebuilt from what we stored instead.
            Err(e) => {
                tracing::warn!(%ref_id, error = %e, "the archived fetch response does not open any more");
                None
            }
        }
    }

    /// Takes a response another instance on our store received for us (announced with its archive id).
    pub async fn take_relayed(&self, id: bbps_engine::wire_archive::WireMessageId) {
        callback::take_relayed(&self.inbox, id).await;
    }

    /// The callback listener's routes (see [`callback::router`]).
    pub fn callback_router(&self) -> axum::Router {
        callback::router(Arc::clone(&self.inbox))
    }

    /// A stamp for a request of its own (status, complaint, heartbeat, biller fetch), or for a bill's `ref_id`.
    fn stamp(&self, ref_id: Option<&RefId>) -> Stamp {
        let at = now();
        let mut rng = rand::rng();
        Stamp {
            ref_id: ref_id.cloned().unwrap_or_else(|| RefId::generate(&mut rng, at.get())),
            msg_id: MsgId::generate(&mut rng, at.get()),
            at,
        }
    }

    /// What identifies the response to `request`.
    fn key(request: &Message) -> Result<Key, BbpsError> {
        Key::answering(request).ok_or_else(|| BbpsError::Unavailable(format!("{} is not a request", request.kind())))
    }

    /// Posts `request` (already registered for its response) and reads its Ack: `false` when the BBPCU says it
    /// has the request already.
    async fn post(&self, request: &Message, key: &Key) -> Result<bool, BbpsError> {
        let kind = request.kind();
        let ack = self.client.post(request).await.map_err(|e| {
            tracing::warn!(%kind, ref_id = %key.ref_id, error = %e, "request not acknowledged");
            BbpsError::Unavailable(e.to_string())
        })?;
        match ack.rsp_cd {
            AckCode::Successful => Ok(true),
            AckCode::DuplicateRequest => Ok(false),
            AckCode::ValidationError => {
                let first = ack.errors.first();
                Err(BbpsError::Rejected {
                    code: first.map_or_else(|| ack.rsp_cd.as_str().to_owned(), |e| e.code.clone()),
                    message: first.map(|e| e.detail.clone()).unwrap_or_default(),
                })
            }
        }
    }

    /// Sends `request` and waits for its response within the configured limit for its kind.
    async fn exchange(&self, request: Message) -> Result<Exchange, BbpsError> {
        let key = Self::key(&request)?;
        // Registered before sending: the response can arrive before the Ack does.
        let waiter = self.inbox.outstanding.expect(key.clone()).map_err(|e| BbpsError::Unavailable(e.to_string()))?;
        if !self.post(&request, &key).await? {
            return Ok(Exchange::Duplicate);
        }
        let (kind, limit) = (request.kind(), self.config.timeouts.of(request.kind()));
        match waiter.wait(limit).await {
            Some(response) => Ok(Exchange::Answer(Box::new(response))),
            None => match self.taken_elsewhere(&key).await {
                Some(response) => Ok(Exchange::Answer(Box::new(response))),
                None => {
                    tracing::warn!(%kind, ref_id = %key.ref_id, msg_id = ?key.msg_id, ?limit, "no response in time");
                    Err(BbpsError::Timeout(limit))
                }
            },
        }
    }

    /// The response to `key` if another instance took it for us and we did not hear its announcement (our
    /// listening connection was down): it is in the archive, and opens again.
    async fn taken_elsewhere(&self, key: &Key) -> Option<Message> {
        let body = self.archive.taken(&key.ref_id, key.msg_id.as_ref().map(|m| m.as_str()), key.kind).await?;
        let message = self.inbox.envelope.open(&body).ok()?;
        let found = Key::of_response(&message).is_some_and(|k| &k == key);
        found.then(|| {
            tracing::info!(kind = %key.kind, ref_id = %key.ref_id, "response found in the archive, taken by another instance");
            message
        })
    }

    /// Sends a master data request and reads every part of its answer within the limit for master data, handing
    /// each part to `take` as it comes (a part sent twice is taken once), so no more than one part is held at a
    /// time. Returns the answer's time: the earliest part's, so that a change made while the parts were sent is
    /// pulled again next time.
    async fn master_data(
        &self,
        request: BillerFetchRequest,
        mut take: impl FnMut(&BillerFetchResponse),
    ) -> Result<WireTime, BbpsError> {
        let request = Message::BillerFetchRequest(request);
        let key = Self::key(&request)?;
        let mut listener =
            self.inbox.outstanding.listen(key.clone()).map_err(|e| BbpsError::Unavailable(e.to_string()))?;
        if !self.post(&request, &key).await? {
            return Err(BbpsError::Unavailable("the network says it has this request already".into()));
        }
        let limit = self.config.timeouts.biller_fetch;
        let deadline = tokio::time::Instant::now() + limit;
        let (mut taken, mut count, mut as_of) = (BTreeSet::new(), None, None::<WireTime>);
        while count.is_none_or(|n| taken.len() < n) {
            let Some(message) = listener.next(deadline).await else {
                tracing::warn!(ref_id = %key.ref_id, parts = taken.len(), ?count, ?limit, "master data incomplete in time");
                return Err(BbpsError::Timeout(limit));
            };
            let Message::BillerFetchResponse(response) = message else { return Err(unexpected(message.kind())) };
            let part = Part::of(&response).map_err(nonsense)?;
            if count.is_some_and(|n| n != part.count) {
                return Err(nonsense(format!("master data parts say {} and {count:?} in all", part.count)));
            }
            count = Some(part.count);
            as_of = Some(as_of.map_or(response.head.ts, |t| t.min(response.head.ts)));
            if taken.insert(part.index) {
                take(&response);
            }
        }
        as_of.ok_or_else(|| nonsense("no master data"))
    }

    /// `exchange` for the kinds where a duplicate Ack means nothing useful.
    async fn answer(&self, request: Message) -> Result<Message, BbpsError> {
        match self.exchange(request).await? {
            Exchange::Answer(m) => Ok(*m),
            Exchange::Duplicate => Err(BbpsError::Unavailable("the network says it has this request already".into())),
        }
    }

    /// The heartbeat: `ReqDiagnostic`, answered by `ResDiagnostic` without errors.
    pub async fn diagnostic(&self) -> Result<(), BbpsError> {
        let s = self.stamp(None);
        let head = self.config.originator.head(&s.ref_id, s.at);
        match self.answer(Message::ReqDiagnostic(ReqDiagnostic { head })).await? {
            Message::ResDiagnostic(r) if r.errors.is_empty() => Ok(()),
            Message::ResDiagnostic(r) => Err(BbpsError::Unavailable(
                r.errors.iter().map(|e| format!("{}: {}", e.code, e.detail)).collect::<Vec<_>>().join("; "),
            )),
            other => Err(unexpected(other.kind())),
        }
    }
}

#[async_trait]
impl BbpsNetwork for NpciNetwork {
    /// `Customer@mobile` of a fetch request is required by the schema.
    fn needs_customer_mobile(&self) -> bool {
        true
    }

    /// The whole catalogue on the first call; afterwards only the billers changed since the last pull.
    async fn billers(&self) -> Result<Vec<Biller>, BbpsError> {
        let mut catalogue = self.catalogue.lock().await;
        let s = self.stamp(None);
        let request = BillerFetchRequest {
            head: self.config.originator.head(&s.ref_id, s.at),
            search_my_biller: None,
            search: None,
            search_by_time: catalogue.as_ref().map(|c| SearchByTime { time: c.as_of.to_string() }),
        };
        // A biller in the answer replaces the one we have: by its new record, or by nothing when the record
        // withdraws it or cannot be read (its old rules are no longer the network's).
        let mut pulled = BTreeMap::new();
        let as_of = self
            .master_data(request, |part| {
                for record in &part.billers {
                    let read = if record.withdrawn() {
                        tracing::info!(biller = %record.biller_id, status = ?record.status, "a biller withdrawn");
                        None
                    } else {
                        biller::biller_of(record)
                            .map_err(|e| {
                                tracing::warn!(biller = %record.biller_id, error = %e, "left out a biller the product cannot read")
                            })
                            .ok()
                    };
                    pulled.insert(record.biller_id.clone(), read);
                }
            })
            .await?;
        let current = catalogue.get_or_insert_with(|| Catalogue { billers: BTreeMap::new(), as_of });
        for (id, biller) in pulled {
            match biller {
                Some(b) => current.billers.insert(id, b),
                None => current.billers.remove(&id),
            };
        }
        current.as_of = as_of;
        Ok(current.billers.values().cloned().collect())
    }

    /// One pull of the plan master data for `billers`; the answer comes in one push.
    async fn plans(&self, billers: &[BillerId]) -> Result<Vec<Plan>, BbpsError> {
        let s = self.stamp(None);
        let request = plan::pull_request(billers, None, &self.config.originator, &s);
        match self.answer(Message::PlanPull(request)).await? {
            Message::PlanPush(push) => Ok(plan::plans_of(&push)),
            other => Err(unexpected(other.kind())),
        }
    }

    /// Every biller with a status to report, in one update.
    async fn downtimes(&self) -> Result<Vec<Downtime>, BbpsError> {
        let s = self.stamp(None);
        let request = biller_status::status_request(&[], &self.config.originator, &s);
        match self.answer(Message::BillerStatusRequest(request)).await? {
            Message::BillerStatusUpdate(update) => Ok(biller_status::downtimes_of(&update)),
            other => Err(unexpected(other.kind())),
        }
    }

    async fn fetch_bill(&self, req: &BillRequest) -> Result<Bill, BbpsError> {
        let started = now();
        // The engine asks for the mobile first (`needs_customer_mobile`); without one no valid request exists.
        let mobile = req
            .customer_mobile
            .as_ref()
            .ok_or_else(|| BbpsError::Unavailable("a bill fetch needs the customer's mobile number".into()))?;
        let s = self.stamp(Some(&req.ref_id));
        let request = bill::fetch_request(req, mobile, &self.config.originator, &s, started);
        match self.answer(Message::BillFetchRequest(request)).await? {
            Message::BillFetchResponse(r) => bill::bill_from_fetch(&r),
            other => Err(unexpected(other.kind())),
        }
    }

    async fn validate(&self, req: &BillRequest) -> Result<Validation, BbpsError> {
        let s = self.stamp(Some(&req.ref_id));
        let request = bill::validation_request(req, &self.config.originator, &s);
        match self.answer(Message::BillValidationRequest(request)).await? {
            Message::BillValidationResponse(r) => bill::validation_of(&r),
            other => Err(unexpected(other.kind())),
        }
    }

    /// Pays under the transaction reference derived from the refId, so paying a refId again is the same
    /// transaction to the network; if it says so (a duplicate), the answer is the first payment's status.
    async fn pay(&self, req: &PayRequest) -> Result<PayStatus, BbpsError> {
        let started = now();
        let s = self.stamp(Some(&req.ref_id));
        let txn_ref = txn_ref_for(&self.config.originator.agent, &req.ref_id);
        let echo = match &req.bill {
            Some(bill) => {
                self.fetched(&req.ref_id).await.filter(|r| bill::bill_from_fetch(r).is_ok_and(|b| &b == bill))
            }
            None => None,
        }
        .map(|r| (r.biller_response, r.additional_info));
        let request = bill::payment_request(req, &self.config.originator, &s, &txn_ref, started, echo);
        match self.exchange(Message::BillPaymentRequest(request)).await? {
            Exchange::Answer(answer) => match *answer {
                Message::BillPaymentResponse(r) => bill::pay_status_of(&r, &txn_ref),
                other => Err(unexpected(other.kind())),
            },
            Exchange::Duplicate => self
                .payment_status(&req.ref_id)
                .await?
                .ok_or_else(|| BbpsError::Unavailable("a duplicate payment whose status is not known yet".into())),
        }
    }

    async fn payment_status(&self, ref_id: &RefId) -> Result<Option<PayStatus>, BbpsError> {
        let s = self.stamp(None);
        let txn_ref = txn_ref_for(&self.config.originator.agent, ref_id);
        let request = status::status_request(&txn_ref, &self.config.originator, &s);
        match self.answer(Message::TxnStatusComplainRequest(request)).await? {
            Message::TxnStatusComplainResponse(r) => status::pay_status_from_list(&r, &txn_ref),
            other => Err(unexpected(other.kind())),
        }
    }

    async fn raise_complaint(&self, req: &ComplaintRequest) -> Result<NetworkComplaint, BbpsError> {
        let s = self.stamp(None);
        let request = complaint::complaint_request(req, &self.config.originator, &s);
        match self.answer(Message::TxnStatusComplainRequest(request)).await? {
            Message::TxnStatusComplainResponse(r) => complaint::registered(&r),
            other => Err(unexpected(other.kind())),
        }
    }

    async fn track_complaint(&self, id: &ComplaintId) -> Result<Option<NetworkComplaint>, BbpsError> {
        let s = self.stamp(None);
        let request = complaint::track_request(id, &self.config.originator, &s);
        match self.answer(Message::TxnStatusComplainRequest(request)).await? {
            Message::TxnStatusComplainResponse(r) => complaint::tracked(&r),
            other => Err(unexpected(other.kind())),
        }
    }

    async fn reopen_complaint(&self, id: &ComplaintId, description: &str) -> Result<NetworkComplaint, BbpsError> {
        let s = self.stamp(None);
        let request = complaint::reopen_request(id, description, &self.config.originator, &s);
        match self.answer(Message::TxnStatusComplainRequest(request)).await? {
            Message::TxnStatusComplainResponse(r) => complaint::registered(&r),
            other => Err(unexpected(other.kind())),
        }
    }

    async fn check(&self) -> Result<(), BbpsError> {
        self.diagnostic().await
    }
}
