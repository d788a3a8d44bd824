//! Payment creation. The server, not the client, decides what is paid: the amount is checked against bounds
//! built from the stored quote (or the chosen amount option) and the biller's limits, the convenience fee comes
//! from the biller's fee table, and the UPI link asks for the total. Creation is idempotent per merchant and
//! `Idempotency-Key`, and the idempotency check, the quote's single use and the payment are one transaction.

use axum::http::HeaderValue;
use bbps_core::api::{CreatePaymentRequest, InfoItem, PaymentSource, UpiInstructions};
use bbps_core::upi::UpiLink;
use bbps_core::{AmountBounds, ApiError, ErrorCode, FetchRequirement, PaymentId, PaymentStatus, RefId, UpiTxnRef};

use crate::app::AppState;
use crate::auth::WidgetSession;
use crate::error::AppError;
use crate::model::PaymentRecord;
use crate::store::{CreatePayment, NewPayment};
use crate::util::{after, now, random_upper, sha256_hex};

pub const IDEMPOTENCY_HEADER: &str = "idempotency-key";

/// The `Idempotency-Key` header: 8–64 of `[A-Za-z0-9_-]`.
pub fn idempotency_key(value: Option<&HeaderValue>) -> Result<String, AppError> {
    let value = value.ok_or_else(|| {
        AppError(
            ApiError::new(ErrorCode::IdempotencyKeyMissing, "send an Idempotency-Key header")
                .with_field("Idempotency-Key"),
        )
    })?;
    let key = value.to_str().unwrap_or("");
    let ok = (8..=64).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !ok {
        return Err(AppError(
            ApiError::new(
                ErrorCode::IdempotencyKeyInvalid,
                "the Idempotency-Key must be 8 to 64 letters, digits, '-' or '_'",
            )
            .with_field("Idempotency-Key"),
        ));
    }
    Ok(key.to_owned())
}

fn err(code: ErrorCode, message: &str, field: &str) -> AppError {
    AppError(ApiError::new(code, message).with_field(field))
}

/// The UPI note: short, printable, within the 80 characters apps show.
fn note_for(biller_name: &str) -> String {
    let text = format!("Bill payment {biller_name}");
    text.chars().filter(|c| !c.is_control()).take(80).collect()
}

/// Creates the payment, or returns the one this key already created (`true` when replayed).
pub async fn create(
    app: &AppState,
    session: &WidgetSession,
    key: String,
    req: CreatePaymentRequest,
) -> Result<(PaymentRecord, bool), AppError> {
    let merchant = &session.merchant;
    let body = serde_json::to_vec(&req).map_err(|e| AppError::internal("payment request", e))?;
    let request_hash = sha256_hex(&body);
    if let Some((hash, existing)) = app.store.idempotent_payment(&merchant.id, &key).await? {
        return if hash == request_hash {
            Ok((existing, true))
        } else {
            Err(err(
                ErrorCode::IdempotencyKeyReused,
                "this Idempotency-Key was used for another request",
                "Idempotency-Key",
            ))
        };
    }
    let created_at = now();
    let (biller, params, bill, customer_name, ref_id, quote_id, target) = match &req.source {
        PaymentSource::Quote { quote_id, amount_option } => {
            let stored = app
                .store
                .quote(quote_id)
                .await?
                .filter(|q| q.merchant_id == merchant.id)
                .ok_or_else(|| err(ErrorCode::QuoteNotFound, "no bill quote has this id", "source.quote_id"))?;
            // Whether another payment used the quote is decided inside the creating transaction, after the
            // idempotency check: a concurrent duplicate of this very request must get its payment, not a refusal.
            if stored.quote.expires_at <= created_at {
                return Err(err(
                    ErrorCode::QuoteExpired,
                    "this bill quote has expired; fetch the bill again",
                    "source.quote_id",
                ));
            }
            let q = stored.quote;
            let biller = app.catalogue.get(&q.biller_id).cloned().ok_or_else(|| {
                err(ErrorCode::BillerNotFound, "the quote's biller is no longer available", "source.quote_id")
            })?;
            let target = match (amount_option, &q.bill) {
                (Some(name), Some(bill)) => {
                    Some(bill.amount_options.iter().find(|o| &o.name == name).map(|o| o.amount).ok_or_else(|| {
                        err(
                            ErrorCode::AmountOptionUnknown,
                            "the bill has no such amount option",
                            "source.amount_option",
                        )
                    })?)
                }
                (Some(_), None) => {
                    return Err(err(
                        ErrorCode::AmountOptionUnknown,
                        "a validated account has no amount options",
                        "source.amount_option",
                    ));
                }
                (None, bill) => bill.as_ref().map(|b| b.amount),
            };
            let params = q.params.iter().map(|p| (p.name.clone(), p.value.clone())).collect::<Vec<_>>();
            (biller, params, q.bill, q.customer_name, q.ref_id, Some(q.id), target)
        }
        PaymentSource::Direct { biller_id, params } => {
            let biller = app
                .catalogue
                .get(biller_id)
                .cloned()
                .ok_or_else(|| err(ErrorCode::BillerNotFound, "no biller has this id", "source.biller_id"))?;
            if biller.fetch_requirement == FetchRequirement::Mandatory {
                return Err(err(
                    ErrorCode::BillFetchRequired,
                    "this biller needs the bill to be fetched first",
                    "source.biller_id",
                ));
            }
            let rules = app
                .catalogue
                .rules(biller_id)
                .ok_or_else(|| err(ErrorCode::BillerNotFound, "no biller has this id", "source.biller_id"))?;
            let accepted = rules.validate(params).map_err(|errors| AppError(ApiError::from_field_errors(errors)))?;
            (biller, accepted, None, None, RefId::generate(&mut rand::rng(), created_at.get()), None, None)
        }
    };
    let bounds = AmountBounds::new(&biller, target, req.channel).map_err(|e| AppError(ApiError::from_amount(&e)))?;
    bounds.check(req.amount).map_err(|e| AppError(ApiError::from_amount(&e)))?;
    let charges = biller
        .fees
        .charges(req.amount)
        .map_err(|_| err(ErrorCode::AmountInvalid, "the amount with its convenience fee is too large", "amount"))?;
    let id = PaymentId::generate(&mut rand::rng());
    let txn_ref =
        UpiTxnRef::parse(&format!("BBPS{}", random_upper(24))).map_err(|e| AppError::internal("upi tr", e))?;
    let expires_at = after(created_at, app.config.payment_expiry);
    let link = UpiLink::builder(merchant.upi_vpa.as_str(), merchant.upi_name.as_str())
        .txn_ref(txn_ref.as_str())
        .note(note_for(&biller.name))
        .amount(charges.total)
        .mcc(merchant.mcc.as_str())
        .url(format!("{}/v1/payments/{id}", app.public_base))
        .build()
        .map_err(|e| AppError::internal("upi link", e))?;
    let uri = link.to_uri();
    let record = PaymentRecord {
        id,
        merchant_id: merchant.id.clone(),
        session_id: Some(session.session_id.clone()),
        status: PaymentStatus::AwaitingPayment,
        version: 1,
        ref_id,
        biller_id: biller.id.clone(),
        biller_name: biller.name.clone(),
        quote_id,
        params: params.into_iter().map(|(name, value)| InfoItem { name, value }).collect(),
        bill,
        customer_name,
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
    match app.store.create_payment(NewPayment { record, idempotency_key: key, request_hash }).await? {
        CreatePayment::Created(rec) => {
            tracing::info!(payment = %rec.id, total = rec.charges.total.get(), "payment created");
            Ok((*rec, false))
        }
        CreatePayment::Replayed(rec) => Ok((*rec, true)),
        CreatePayment::KeyReused => Err(err(
            ErrorCode::IdempotencyKeyReused,
            "this Idempotency-Key was used for another request",
            "Idempotency-Key",
        )),
        CreatePayment::QuoteUsed => {
            Err(err(ErrorCode::QuoteAlreadyUsed, "this bill quote was already used for a payment", "source.quote_id"))
        }
    }
}

/// A payment of the caller's merchant.
pub async fn get(app: &AppState, merchant: &bbps_core::MerchantId, id: &PaymentId) -> Result<PaymentRecord, AppError> {
    app.store
        .payment(id)
        .await?
        .filter(|p| &p.merchant_id == merchant)
        .ok_or_else(|| AppError::new(ErrorCode::PaymentNotFound, "no payment has this id"))
}
