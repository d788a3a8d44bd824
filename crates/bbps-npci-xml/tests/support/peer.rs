//! A minimal BBPCU on loopback: it opens our requests (believing only our key), Acks them at once, and POSTs the
//! response to our callback listener a moment later, signed with its own key. What it does is scripted per test.

use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::post;
use bbps_core::complaint::ComplaintStatus;
use bbps_core::{ComplaintId, TxnRef};
use bbps_engine::ports::{NetworkComplaint, PayStatus, Validation};
use bbps_npci_xml::codes::{AckCode, MessageKind, XchangeId};
use bbps_npci_xml::envelope::Envelope;
use bbps_npci_xml::map::status::KnownTxn;
use bbps_npci_xml::map::{bill, biller, complaint, status};
use bbps_npci_xml::message::biller::{BillerFetchResponse, BillerRecord};
use bbps_npci_xml::message::{Ack, BillFetchRequest, BillFetchResponse, ErrorMessage, Message, ResDiagnostic};
use bbps_npci_xml::time::WireTime;
use bbps_npci_xml::transport::client::path_of;

use super::samples;

/// What the peer does, changed by the tests as they go.
#[derive(Default)]
pub struct Script {
    /// Kinds it Acks but never answers.
    pub silent: HashSet<MessageKind>,
    /// How long it waits before answering.
    pub delay: Duration,
    /// Answers every request twice.
    pub twice: bool,
    /// Refuses every request in its Ack.
    pub refuse: bool,
}

/// What the peer saw and did.
#[derive(Default)]
pub struct Record {
    pub requests: Vec<Message>,
    /// Our listener's Ack code and HTTP status for each response it posted.
    pub acks: Vec<(AckCode, u16)>,
    payments: HashMap<TxnRef, KnownTxn>,
    complaints: HashMap<ComplaintId, NetworkComplaint>,
}

pub struct Peer {
    pub addr: SocketAddr,
    pub script: Mutex<Script>,
    pub record: Mutex<Record>,
    envelope: Envelope,
    callback: Mutex<String>,
    http: reqwest::Client,
}

impl Peer {
    pub async fn start() -> Arc<Peer> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let peer = Arc::new(Peer {
            addr: listener.local_addr().unwrap(),
            script: Mutex::new(Script::default()),
            record: Mutex::new(Record::default()),
            envelope: super::central_envelope(),
            callback: Mutex::new(String::new()),
            http: reqwest::Client::new(),
        });
        let app = Router::new().route("/{message}/1.0/{reference}", post(receive)).with_state(Arc::clone(&peer));
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        peer
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Where our callback listener is.
    pub fn answer_to(&self, base: &str) {
        *self.callback.lock().unwrap() = base.to_owned();
    }

    pub fn requests(&self) -> Vec<Message> {
        self.record.lock().unwrap().requests.clone()
    }

    pub fn acks(&self) -> Vec<(AckCode, u16)> {
        self.record.lock().unwrap().acks.clone()
    }

    /// Seals a message as the central unit.
    pub fn seal(&self, message: &Message) -> String {
        self.envelope.seal(message).unwrap()
    }

    /// Sends a response to our listener as the central unit would, returning our Ack's code and HTTP status.
    pub async fn post(&self, message: &Message) -> (AckCode, u16) {
        let body = self.envelope.seal(message).unwrap();
        let (ack, status) = self.post_raw(&path_of(message), body.into_bytes()).await;
        (ack.rsp_cd, status)
    }

    /// Posts any body to our listener; returns its (verified) Ack and the HTTP status.
    pub async fn post_raw(&self, path: &str, body: Vec<u8>) -> (Ack, u16) {
        let url = format!("{}{path}", self.callback.lock().unwrap());
        let answer = self.http.post(url).body(body).send().await.unwrap();
        let status = answer.status().as_u16();
        let bytes = answer.bytes().await.unwrap();
        // Our listener's Ack is signed with our key, which the central unit checks like anything else.
        match self.envelope.open(&bytes) {
            Ok(Message::Ack(ack)) => (ack, status),
            other => panic!("the listener answered {status} with {other:?}"),
        }
    }

    fn ack(&self, request: &Message, code: AckCode) -> String {
        let ack = Ack {
            api: Some(request.kind()),
            ref_id: request.ref_id().map(|r| r.to_string()),
            msg_id: request.msg_id().cloned(),
            rsp_cd: code,
            ts: WireTime::from(samples::now()),
            errors: match code {
                AckCode::ValidationError => {
                    vec![ErrorMessage { code: "SCH001".into(), detail: "refused by script".into() }]
                }
                _ => vec![],
            },
        };
        self.envelope.seal(&Message::Ack(ack)).unwrap()
    }

    /// The response the central unit gives to `request`.
    fn respond(&self, request: &Message) -> Option<Message> {
        let (c, at) = (samples::central(), samples::now());
        let mut record = self.record.lock().unwrap();
        Some(match request {
            Message::BillFetchRequest(r) => {
                let no_bill = r.bill_details.customer_params.tags.iter().any(|t| t.value == "000000000004");
                Message::BillFetchResponse(if no_bill {
                    bill::fetch_response(r, Err(("BFR004".into(), "No bill due".into())), &c, at)
                } else {
                    fetch_answer(r)
                })
            }
            Message::BillValidationRequest(r) => Message::BillValidationResponse(bill::validation_response(
                r,
                Ok(&Validation { customer_name: Some("Priya Nair".into()) }),
                &c,
                at,
            )),
            Message::BillPaymentRequest(r) => {
                let txn_ref = r.txn.txn_reference_id.clone()?;
                record.payments.insert(
                    txn_ref.clone(),
                    KnownTxn {
                        ref_id: r.head.ref_id.clone(),
                        txn_ref: txn_ref.clone(),
                        at,
                        amount: r.amount.amt.amount,
                        status: PayStatus::Success { txn_ref, approval_ref: samples::approval() },
                    },
                );
                Message::BillPaymentResponse(bill::payment_response(r, Ok(&samples::approval()), &c, at))
            }
            Message::TxnStatusComplainRequest(r) => Message::TxnStatusComplainResponse(match r.txn.xchange_id? {
                XchangeId::TxnStatus => {
                    let known = r.query.txn_reference_id.as_ref().and_then(|t| record.payments.get(t));
                    status::status_response(r, known, &c, at)
                }
                XchangeId::ComplaintRegistration => {
                    let registered = NetworkComplaint {
                        id: ComplaintId::generate(&mut rand::rng()),
                        status: ComplaintStatus::Logged,
                        assigned_to: None,
                        remarks: Some("Complaint registered".into()),
                        history: vec![],
                        created_at: at,
                        updated_at: at,
                    };
                    record.complaints.insert(registered.id.clone(), registered.clone());
                    complaint::complaint_response(r, Ok(&registered), &c, at)
                }
                XchangeId::ComplaintStatus => {
                    let known = r.query.complaint_id.as_ref().and_then(|id| record.complaints.get(id)).map(|k| {
                        NetworkComplaint {
                            status: ComplaintStatus::Assigned,
                            assigned_to: Some("MSEDCL (biller operating unit)".into()),
                            ..k.clone()
                        }
                    });
                    let outcome = known.as_ref().ok_or_else(|| ("CMP404".to_owned(), "No such complaint".to_owned()));
                    complaint::complaint_response(r, outcome, &c, at)
                }
            }),
            Message::ReqDiagnostic(r) => {
                Message::ResDiagnostic(ResDiagnostic { head: c.head(&r.head.ref_id, at), errors: vec![] })
            }
            Message::BillerFetchRequest(r) => {
                let all = [samples::sample_biller(), samples::other_biller()];
                // An incremental pull returns only what changed: here, the second biller renamed, and the first
                // withdrawn.
                let records = match &r.search_by_time {
                    None => all.iter().map(biller::record_of).collect(),
                    Some(_) => vec![
                        biller::record_of(&bbps_core::Biller { name: "Renamed".into(), ..samples::other_biller() }),
                        BillerRecord {
                            status: Some("DEACTIVATED".into()),
                            ..biller::record_of(&samples::sample_biller())
                        },
                    ],
                };
                Message::BillerFetchResponse(BillerFetchResponse {
                    head: c.head(&r.head.ref_id, at),
                    billers: records,
                    search_result: None,
                })
            }
            _ => return None,
        })
    }
}

/// The peer's answer to a fetch of a bill due: the sample bill, with a `custConvFee` the port's bill does not
/// carry, so that only an echo of this very response repeats it in the payment.
pub fn fetch_answer(r: &BillFetchRequest) -> BillFetchResponse {
    let mut answer = bill::fetch_response(r, Ok(&samples::sample_bill()), &samples::central(), samples::now());
    answer.biller_response.cust_conv_fee = Some(samples::p(0));
    answer
}

async fn receive(
    State(peer): State<Arc<Peer>>,
    Path((_message, _reference)): Path<(String, String)>,
    body: Bytes,
) -> impl IntoResponse {
    let request = match peer.envelope.open(&body) {
        Ok(m) => m,
        Err(e) => return (StatusCode::BAD_REQUEST, format!("refused: {e}")).into_response(),
    };
    peer.record.lock().unwrap().requests.push(request.clone());
    let (refuse, silent, delay, twice) = {
        let s = peer.script.lock().unwrap();
        (s.refuse, s.silent.contains(&request.kind()), s.delay, s.twice)
    };
    let duplicate_payment = match &request {
        Message::BillPaymentRequest(r) => {
            let record = peer.record.lock().unwrap();
            r.txn.txn_reference_id.as_ref().is_some_and(|t| record.payments.contains_key(t))
        }
        _ => false,
    };
    let code = if refuse {
        AckCode::ValidationError
    } else if duplicate_payment {
        AckCode::DuplicateRequest
    } else {
        AckCode::Successful
    };
    let ack = peer.ack(&request, code);
    if code == AckCode::Successful && !silent {
        let peer = Arc::clone(&peer);
        tokio::spawn(async move {
            tokio::time::sleep(delay).await;
            if let Some(response) = peer.respond(&request) {
                for _ in 0..if twice { 2 } else { 1 } {
                    let ack = peer.post(&response).await;
                    peer.record.lock().unwrap().acks.push(ack);
                }
            }
        });
    }
    (StatusCode::OK, ack).into_response()
}
