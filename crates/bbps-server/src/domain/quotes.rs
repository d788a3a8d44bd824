//! Bill fetch and validation: params are checked with the biller's rules before anything goes out; the answer
//! is stored as a quote (with its refId, the bill exactly as received and an expiry) that one payment may use.

use bbps_core::api::{BillQuote, FetchBillRequest, InfoItem, QuoteKind};
use bbps_core::{AmountBounds, ApiError, Biller, ErrorCode, FetchRequirement, QuoteId, RefId};

use crate::app::AppState;
use crate::auth::WidgetSession;
use crate::bbps::{BbpsError, BillRequest};
use crate::error::AppError;
use crate::model::QuoteRecord;
use crate::util::{after, now};

/// The error envelope of a network failure: a stable code, a human message and the network's code.
pub fn network_error(e: BbpsError) -> AppError {
    match e {
        BbpsError::Rejected { code, message } => {
            let mapped = ErrorCode::from_bbps(&code).unwrap_or(ErrorCode::BillerUnavailable);
            let mut err = ApiError::new(mapped, message).with_bbps_code(code);
            if mapped == ErrorCode::BillerUnavailable {
                err = err.with_retry_after(60);
            }
            AppError(err)
        }
        BbpsError::Unavailable(e) => {
            tracing::warn!(%e, "network unavailable");
            AppError(
                ApiError::new(
                    ErrorCode::BillerUnavailable,
                    "the biller cannot be reached right now; try again shortly",
                )
                .with_retry_after(30),
            )
        }
    }
}

pub fn timeout_error() -> AppError {
    AppError(
        ApiError::new(ErrorCode::BillerTimeout, "the biller did not answer in time; try again").with_retry_after(10),
    )
}

/// Looks the biller up and validates the params: the accepted params in the biller's order.
pub fn check_request(app: &AppState, req: &FetchBillRequest) -> Result<(Biller, Vec<(String, String)>), AppError> {
    let biller = app.catalogue.get(&req.biller_id).cloned().ok_or_else(|| {
        AppError(ApiError::new(ErrorCode::BillerNotFound, "no biller has this id").with_field("biller_id"))
    })?;
    let rules = app
        .catalogue
        .rules(&req.biller_id)
        .ok_or_else(|| AppError::new(ErrorCode::BillerNotFound, "no biller has this id"))?;
    let params = rules.validate(&req.params).map_err(|errors| AppError(ApiError::from_field_errors(errors)))?;
    Ok((biller, params))
}

/// Fetches (or validates) and stores the quote.
pub async fn quote(
    app: &AppState,
    session: &WidgetSession,
    req: &FetchBillRequest,
    kind: QuoteKind,
) -> Result<BillQuote, AppError> {
    let (biller, params) = check_request(app, req)?;
    match kind {
        QuoteKind::Fetched if biller.fetch_requirement == FetchRequirement::NotSupported => {
            return Err(AppError(
                ApiError::new(ErrorCode::BillFetchNotSupported, "this biller has no bills to fetch; pay it directly")
                    .with_field("biller_id"),
            ));
        }
        QuoteKind::Validated if !biller.supports_validation => {
            return Err(AppError(
                ApiError::new(ErrorCode::BillValidationNotSupported, "this biller does not validate accounts")
                    .with_field("biller_id"),
            ));
        }
        _ => {}
    }
    let created_at = now();
    let request = BillRequest {
        ref_id: RefId::generate(&mut rand::rng(), created_at.get()),
        biller_id: biller.id.clone(),
        params: params.clone(),
        channel: req.channel,
    };
    let (bill, customer_name) = match kind {
        QuoteKind::Fetched => {
            let bill = tokio::time::timeout(app.config.fetch_timeout, app.bbps.fetch_bill(&request))
                .await
                .map_err(|_| timeout_error())?
                .map_err(network_error)?;
            (Some(bill), None)
        }
        QuoteKind::Validated => {
            let v = tokio::time::timeout(app.config.fetch_timeout, app.bbps.validate(&request))
                .await
                .map_err(|_| timeout_error())?
                .map_err(network_error)?;
            (None, v.customer_name)
        }
    };
    let amount_bounds = AmountBounds::new(&biller, bill.as_ref().map(|b| b.amount), req.channel)
        .map_err(|e| AppError(ApiError::from_amount(&e)))?;
    let quote = BillQuote {
        id: QuoteId::generate(&mut rand::rng()),
        kind,
        ref_id: request.ref_id,
        biller_id: biller.id.clone(),
        biller_name: biller.name.clone(),
        params: params.into_iter().map(|(name, value)| InfoItem { name, value }).collect(),
        bill,
        customer_name,
        exactness: biller.exactness,
        amount_bounds,
        expires_at: after(created_at, app.config.quote_ttl),
    };
    app.store
        .insert_quote(&QuoteRecord {
            quote: quote.clone(),
            merchant_id: session.merchant.id.clone(),
            session_id: session.session_id.clone(),
            created_at,
        })
        .await?;
    Ok(quote)
}
