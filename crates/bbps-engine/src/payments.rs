//! Payment creation. The engine, not the client, decides what is paid: the amount is checked against bounds
//! built from the stored quote (or the chosen amount option) and the biller's limits, the convenience fee comes
//! from the biller's fee table, and the UPI link asks for the total. Creation is idempotent per merchant and
//! `Idempotency-Key`, and the idempotency check, the quote's single use and the payment are one transaction.

use bbps_core::api::{Bill, CreatePaymentRequest, InfoItem, PaymentSource, UpiInstructions};
use bbps_core::upi::UpiLink;
use bbps_core::{
    AmountBounds, ApiError, Biller, ErrorCode, FetchRequirement, IdempotencyKey, MerchantId, Paise, PaymentId,
    PaymentStatus, QuoteId, RefId, SessionId,
};
use sha2::{Digest, Sha256};

use crate::model::{Merchant, PaymentRecord};
use crate::ports::{CreatePayment, NewPayment};
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

/// What a payment pays for, resolved from its source.
struct Subject {
    biller: Biller,
    params: Vec<(String, String)>,
    bill: Option<Bill>,
    customer_name: Option<String>,
    ref_id: RefId,
    quote_id: Option<QuoteId>,
    /// The amount the bounds are built around: the bill's, or the chosen amount option's.
    target: Option<Paise>,
}

impl Engine {
    /// The subject of a payment from a stored quote of this merchant.
    async fn quoted(&self, merchant: &MerchantId, quote_id: &QuoteId, option: Option<&String>) -> Result<Subject> {
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
            return Err(Error::field(
                ErrorCode::QuoteExpired,
                "this bill quote has expired; fetch the bill again",
                field,
            ));
        }
        let q = stored.quote;
        let biller = self.catalogue.get(&q.biller_id).cloned().ok_or_else(|| {
            Error::field(ErrorCode::BillerNotFound, "the quote's biller is no longer available", field)
        })?;
        let unknown_option =
            |message: &str| Error::field(ErrorCode::AmountOptionUnknown, message, "source.amount_option");
        let target = match (option, &q.bill) {
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
        })
    }

    /// The subject of a direct payment to a biller that does not need a fetch.
    fn direct(&self, biller_id: &bbps_core::BillerId, params: &bbps_core::ParamValues) -> Result<Subject> {
        let not_found = || Error::field(ErrorCode::BillerNotFound, "no biller has this id", "source.biller_id");
        let biller = self.catalogue.get(biller_id).cloned().ok_or_else(not_found)?;
        if biller.fetch_requirement == FetchRequirement::Mandatory {
            return Err(Error::field(
                ErrorCode::BillFetchRequired,
                "this biller needs the bill to be fetched first",
                "source.biller_id",
            ));
        }
        let rules = self.catalogue.rules(biller_id).ok_or_else(not_found)?;
        let params = rules.validate(params).map_err(|errors| Error::Refused(ApiError::from_field_errors(errors)))?;
        Ok(Subject {
            biller,
            params,
            bill: None,
            customer_name: None,
            ref_id: self.ids.ref_id(self.now()),
            quote_id: None,
            target: None,
        })
    }

    /// Creates the payment, or returns the one this key already created (`true` when replayed).
    pub async fn create_payment(
        &self,
        merchant: &Merchant,
        session: &SessionId,
        key: IdempotencyKey,
        req: CreatePaymentRequest,
    ) -> Result<(PaymentRecord, bool)> {
        let body = serde_json::to_vec(&req).map_err(|e| Error::internal("payment request", e))?;
        let request_hash = hex::encode(Sha256::digest(&body));
        if let Some((hash, existing)) = self.store.idempotent_payment(&merchant.id, &key).await? {
            return if hash == request_hash { Ok((existing, true)) } else { Err(key_reused()) };
        }
        let subject = match &req.source {
            PaymentSource::Quote { quote_id, amount_option } => {
                self.quoted(&merchant.id, quote_id, amount_option.as_ref()).await?
            }
            PaymentSource::Direct { biller_id, params } => self.direct(biller_id, params)?,
        };
        let amount_error = |e: bbps_core::AmountError| Error::Refused(ApiError::from_amount(&e));
        let bounds = AmountBounds::new(&subject.biller, subject.target, req.channel).map_err(amount_error)?;
        bounds.check(req.amount).map_err(amount_error)?;
        let charges = subject.biller.fees.charges(req.amount).map_err(|_| {
            Error::field(ErrorCode::AmountInvalid, "the amount with its convenience fee is too large", "amount")
        })?;
        let id = self.ids.payment_id();
        let created_at = self.now();
        let txn_ref = self.ids.upi_txn_ref();
        let expires_at = Self::after(created_at, self.config.payment_expiry);
        let link = UpiLink::builder(merchant.upi_vpa.as_str(), merchant.upi_name.as_str())
            .txn_ref(txn_ref.as_str())
            .note(note_for(&subject.biller.name))
            .amount(charges.total)
            .mcc(merchant.mcc.as_str())
            .url(format!("{}{id}", self.config.payment_url_base))
            .build()
            .map_err(|e| Error::internal("upi link", e))?;
        let uri = link.to_uri();
        let record = PaymentRecord {
            id,
            merchant_id: merchant.id.clone(),
            session_id: Some(session.clone()),
            status: PaymentStatus::AwaitingPayment,
            version: 1,
            ref_id: subject.ref_id,
            biller_id: subject.biller.id.clone(),
            biller_name: subject.biller.name.clone(),
            quote_id: subject.quote_id,
            params: subject.params.into_iter().map(|(name, value)| InfoItem { name, value }).collect(),
            bill: subject.bill,
            customer_name: subject.customer_name,
            charges,
            customer_mobile: req.customer_mobile.clone(),
            channel: req.channel,
            upi: UpiInstructions {
                link: uri.clone(),
                qr_payload: uri,
                payee_vpa: merchant.upi_vpa.clone(),
                payee_name: merchant.upi_name.clone(),
                txn_ref,
                amount: charges.total,
                expires_at,
            },
            debit: None,
            bill_payment: None,
            failure: None,
            refund: None,
            next_check_at: None,
            created_at,
            updated_at: created_at,
        };
        match self.store.create_payment(NewPayment { record, idempotency_key: key, request_hash }).await? {
            CreatePayment::Created(rec) => {
                tracing::info!(payment = %rec.id, total = rec.charges.total.get(), "payment created");
                Ok((*rec, false))
            }
            CreatePayment::Replayed(rec) => Ok((*rec, true)),
            CreatePayment::KeyReused => Err(key_reused()),
            CreatePayment::QuoteUsed => Err(Error::field(
                ErrorCode::QuoteAlreadyUsed,
                "this bill quote was already used for a payment",
                "source.quote_id",
            )),
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
}
