//! Payment creation. The engine, not the client, decides what is paid: the amount is checked against bounds
//! built from the stored quote (the chosen amount option, or the sum of the bills chosen from a list, each paid in
//! full) and the biller's limits, the convenience fee comes
//! from the biller's fee table, and the UPI link asks for the total. Creation is idempotent per merchant and
//! `Idempotency-Key`, and the idempotency check, the quote's single use and the payment are one transaction.

use bbps_core::api::{Bill, CreatePaymentRequest, InfoItem, PaymentSource};
use bbps_core::bill_list::BillList;
use bbps_core::upi::UpiLink;
use bbps_core::{
    AmountBounds, ApiError, Biller, ErrorCode, FetchRequirement, IdempotencyKey, MerchantId, Paise, PaymentId,
    PaymentStatus, QuoteId, RefId, SessionId, UpiTxnRef,
};
use sha2::{Digest, Sha256};

use crate::model::{CollectLink, Merchant, PaymentRecord};
use crate::ports::{CreatePayment, LinkRequest, NewPayment, UpiPsp};
use crate::{Engine, Error, Result};

/// The UPI note: short, printable, within the 80 characters apps show.
fn note_for(biller_name: &str) -> String {
    let text = format!("Bill payment {biller_name}");
    text.chars().filter(|c| !c.is_control()).take(80).collect()
}

fn key_reused() -> Error {
    Error::field(
        ErrorCode::IdempotencyKeyReused,
        "this Idempotency-Key was used for another request",
        "Idempotency-Key",
    )
}

/// How long before a bill's end (`Bill::valid_until`) its UPI link stops taking payment: time for the debit to
/// reach us and the bill payment the network.
const PAY_MARGIN: time::Duration = time::Duration::minutes(2);

/// What a payment pays for, resolved from its source.
struct Subject {
    biller: Biller,
    params: Vec<(String, String)>,
    bill: Option<Bill>,
    customer_name: Option<String>,
    ref_id: RefId,
    quote_id: Option<QuoteId>,
    /// The amount the bounds are built around: the bill's, the chosen amount option's, or the chosen bills' sum.
    target: Option<Paise>,
    /// The bills chosen from a fetched list, by number in the list's order; empty for a single bill.
    bills: Vec<String>,
}

impl Engine {
    /// The subject of a payment from a stored quote of this merchant.
    async fn quoted(
        &self,
        merchant: &MerchantId,
        quote_id: &QuoteId,
        option: Option<&String>,
        named: &[String],
    ) -> Result<Subject> {
        let field = "source.quote_id";
        let stored = self
            .store
            .quote(quote_id)
            .await?
            .filter(|q| &q.merchant_id == merchant)
            .ok_or_else(|| Error::field(ErrorCode::QuoteNotFound, "no bill quote has this id", field))?;
        // Whether another payment used the quote is decided inside the creating transaction, after the
        // idempotency check: a concurrent duplicate of this very request must get its payment, not a refusal.
        if stored.quote.expires_at <= self.now() {
            return Err(crate::quotes::expired(stored.quote.bill.as_ref(), self.now(), field));
        }
        let q = stored.quote;
        let biller = self.catalogue().get(&q.biller_id).cloned().ok_or_else(|| {
            Error::field(ErrorCode::BillerNotFound, "the quote's biller is no longer available", field)
        })?;
        crate::quotes::ensure_open(&biller, self.now(), field)?;
        let unknown_option =
            |message: &str| Error::field(ErrorCode::AmountOptionUnknown, message, "source.amount_option");
        let chosen =
            Bill::chosen(q.bill.as_ref(), named).map_err(|e| Error::Refused(ApiError::from_bill_choice(&e)))?;
        let bills: Vec<String> = chosen.iter().map(|b| b.bill_number.clone()).collect();
        let target = match (option, &q.bill) {
            (Some(_), Some(_)) if !chosen.is_empty() => {
                return Err(unknown_option("a list of bills is paid by choosing bills, not an amount option"));
            }
            (None, Some(_)) if !chosen.is_empty() => Some(BillList::sum(&chosen)),
            (Some(name), Some(bill)) => Some(
                bill.amount_options
                    .iter()
                    .find(|o| &o.name == name)
                    .map(|o| o.amount)
                    .ok_or_else(|| unknown_option("the bill has no such amount option"))?,
            ),
            (Some(_), None) => return Err(unknown_option("a validated account has no amount options")),
            (None, bill) => bill.as_ref().map(|b| b.amount),
        };
        Ok(Subject {
            biller,
            params: q.params.iter().map(|p| (p.name.clone(), p.value.clone())).collect(),
            bill: q.bill,
            customer_name: q.customer_name,
            ref_id: q.ref_id,
            quote_id: Some(q.id),
            target,
            bills,
        })
    }

    /// The subject of a direct payment to a biller that does not need a fetch.
    fn direct(&self, biller_id: &bbps_core::BillerId, params: &bbps_core::ParamValues) -> Result<Subject> {
        let not_found = || Error::field(ErrorCode::BillerNotFound, "no biller has this id", "source.biller_id");
        let biller = self.catalogue().get(biller_id).cloned().ok_or_else(not_found)?;
        crate::quotes::ensure_open(&biller, self.now(), "source.biller_id")?;
        if biller.fetch_requirement == FetchRequirement::Mandatory {
            return Err(Error::field(
                ErrorCode::BillFetchRequired,
                "this biller needs the bill to be fetched first",
                "source.biller_id",
            ));
        }
        let rules = self.catalogue().rules(biller_id).ok_or_else(not_found)?;
        let params = rules.validate(params).map_err(|errors| Error::Refused(ApiError::from_field_errors(errors)))?;
        Ok(Subject {
            biller,
            params,
            bill: None,
            customer_name: None,
            ref_id: self.ids.ref_id(self.now()),
            quote_id: None,
            target: None,
            bills: Vec::new(),
        })
    }

    /// Creates the payment, or returns the one this key already created (`true` when replayed). `customer_ip`
    /// is the address the request came from, which the bill payment's agent device tags report.
    pub async fn create_payment(
        &self,
        merchant: &Merchant,
        session: &SessionId,
        key: IdempotencyKey,
        req: CreatePaymentRequest,
        customer_ip: std::net::IpAddr,
    ) -> Result<(PaymentRecord, bool)> {
        let body = serde_json::to_vec(&req).map_err(|e| Error::internal("payment request", e))?;
        let request_hash = hex::encode(Sha256::digest(&body));
        if let Some((hash, existing)) = self.store.idempotent_payment(&merchant.id, &key).await? {
            return if hash == request_hash {
                Ok((self.issue_link(merchant, existing).await?, true))
            } else {
                Err(key_reused())
            };
        }
        let subject = match &req.source {
            PaymentSource::Quote { quote_id, amount_option, bills } => {
                self.quoted(&merchant.id, quote_id, amount_option.as_ref(), bills).await?
            }
            PaymentSource::Direct { biller_id, params, .. } => self.direct(biller_id, params)?,
        };
        // A plan is bought directly or after validating the account, not against a fetched bill.
        let plan = match (&subject.bill, &req.plan_id) {
            (Some(_), Some(_)) => {
                return Err(Error::field(
                    ErrorCode::PlanNotAvailable,
                    "a fetched bill is paid as billed, not by plan",
                    "plan_id",
                ));
            }
            (Some(_), None) => None,
            (None, plan_id) => self.plan_for_payment(&subject.biller, plan_id.as_ref(), req.amount).await?,
        };
        let amount_error = |e: bbps_core::AmountError| Error::Refused(ApiError::from_amount(&e));
        let rule = subject.bill.as_ref().map(|b| b.amount_rule).unwrap_or_default();
        let bounds = match subject.target.filter(|_| !subject.bills.is_empty()) {
            Some(sum) => BillList::bounds(&subject.biller, sum, req.channel),
            None => AmountBounds::new(&subject.biller, subject.target, rule, req.channel),
        }
        .map_err(amount_error)?;
        bounds.check(req.amount).map_err(amount_error)?;
        let charges = subject.biller.fees.charges(req.amount).map_err(|_| {
            Error::field(ErrorCode::AmountInvalid, "the amount with its convenience fee is too large", "amount")
        })?;
        let created_at = self.now();
        // The customer pays a margin before the biller's end for the bill: a debit after it could pay no bill.
        let pay_by =
            crate::quotes::payable_until(subject.bill.as_ref(), created_at, self.config.payment_expiry, PAY_MARGIN);
        if pay_by <= created_at {
            return Err(crate::quotes::expired(
                subject.bill.as_ref(),
                created_at.saturating_add(PAY_MARGIN),
                "source.quote_id",
            ));
        }
        let record = PaymentRecord {
            id: self.ids.payment_id(),
            merchant_id: merchant.id.clone(),
            session_id: Some(session.clone()),
            status: PaymentStatus::Created,
            version: 1,
            ref_id: subject.ref_id,
            biller_id: subject.biller.id.clone(),
            biller_name: subject.biller.name.clone(),
            quote_id: subject.quote_id,
            params: subject.params.into_iter().map(|(name, value)| InfoItem { name, value }).collect(),
            bill: subject.bill,
            customer_name: subject.customer_name,
            charges,
            plan_id: plan,
            bills: subject.bills,
            customer_mobile: req.customer_mobile.clone(),
            channel: req.channel,
            customer_ip: Some(customer_ip),
            upi_txn_ref: self.ids.upi_txn_ref(),
            pay_by,
            link: None,
            debit: None,
            bill_payment: None,
            failure: None,
            refund: None,
            next_check_at: None,
            bill_payment_sends: 0,
            final_at: None,
            reconcile_at: None,
            created_at,
            updated_at: created_at,
        };
        let (created, replayed) =
            match self.store.create_payment(NewPayment { record, idempotency_key: key, request_hash }).await? {
                CreatePayment::Created(rec) => {
                    tracing::info!(payment = %rec.id, total = rec.charges.total.get(), "payment created");
                    (*rec, false)
                }
                CreatePayment::Replayed(rec) => (*rec, true),
                CreatePayment::KeyReused => return Err(key_reused()),
                CreatePayment::QuoteUsed => {
                    return Err(Error::field(
                        ErrorCode::QuoteAlreadyUsed,
                        "this bill quote was already used for a payment",
                        "source.quote_id",
                    ));
                }
            };
        Ok((self.issue_link(merchant, created).await?, replayed))
    }

    /// Gets the PSP's collect link for a `created` payment (a replay of a request that lost its answer asks
    /// again for the same reference) and makes the payment payable. Any other payment is returned as it is.
    async fn issue_link(&self, merchant: &Merchant, rec: PaymentRecord) -> Result<PaymentRecord> {
        if rec.status != PaymentStatus::Created {
            return Ok(rec);
        }
        let request = LinkRequest {
            reference: rec.upi_txn_ref.clone(),
            amount: rec.charges.total,
            payee_name: merchant.upi_name.clone(),
            note: note_for(&rec.biller_name),
            expires_at: rec.pay_by,
        };
        let link = self.psp.create_link(&request).await.map_err(|e| {
            tracing::warn!(payment = %rec.id, %e, "the PSP did not create the link");
            Error::Refused(
                ApiError::new(ErrorCode::ServiceUnavailable, "the payment could not be started; try again")
                    .with_retry_after(5),
            )
        })?;
        let parsed = UpiLink::parse(&link.upi_link).map_err(|e| Error::internal("the PSP's UPI link", e))?;
        let checks = [
            (parsed.amount == Some(rec.charges.total), "its amount is not the payment's"),
            (parsed.txn_ref.as_ref().map(UpiTxnRef::as_str) == Some(rec.upi_txn_ref.as_str()), "its tr is not ours"),
        ];
        if let Some((_, why)) = checks.iter().find(|(ok, _)| !ok) {
            return Err(Error::internal("the PSP's UPI link", why));
        }
        let collect = CollectLink {
            id: link.id,
            upi_link: link.upi_link,
            payee_vpa: parsed.payee.clone(),
            payee_name: parsed.payee_name.clone(),
        };
        let moved = self
            .transition(&rec, PaymentStatus::AwaitingPayment, "UPI link issued", |r| {
                r.link = Some(collect);
                r.reconcile_at = Some(Self::after(r.updated_at, self.config.notification_overdue));
            })
            .await?;
        match moved {
            Some(rec) => Ok(rec),
            // Another request (or the worker) moved it first: answer what it is now.
            None => self.payment(&rec.merchant_id, &rec.id).await,
        }
    }

    /// A payment of the merchant.
    pub async fn payment(&self, merchant: &MerchantId, id: &PaymentId) -> Result<PaymentRecord> {
        self.store
            .payment(id)
            .await?
            .filter(|p| &p.merchant_id == merchant)
            .ok_or_else(|| Error::refused(ErrorCode::PaymentNotFound, "no payment has this id"))
    }

    /// A payment as `viewer` may see it. A payment id alone grants nothing: a session sees only the payments it
    /// created, and anyone else is answered as if the payment did not exist.
    pub async fn payment_for(
        &self,
        merchant: &MerchantId,
        id: &PaymentId,
        viewer: Viewer<'_>,
    ) -> Result<PaymentRecord> {
        let rec = self.payment(merchant, id).await?;
        let allowed = match viewer {
            Viewer::Session(session) => rec.session_id.as_ref() == Some(session),
            Viewer::SecretHolder | Viewer::Merchant => true,
        };
        if allowed { Ok(rec) } else { Err(Error::refused(ErrorCode::PaymentNotFound, "no payment has this id")) }
    }
}

/// Who asks to see a payment (within its merchant).
#[derive(Debug, Clone, Copy)]
pub enum Viewer<'a> {
    /// A widget session: only its own payments.
    Session(&'a SessionId),
    /// Whoever presented the payment's client secret (checked by the caller, which holds the key).
    SecretHolder,
    /// The merchant's server, with its secret key.
    Merchant,
}
