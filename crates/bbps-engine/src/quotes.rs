//! Bill fetch and validation: params are checked with the biller's rules before anything goes out; the answer
//! is stored as a quote (with its refId, the bill exactly as received and an expiry) that one payment may use.

use std::net::IpAddr;

use bbps_core::api::{BillQuote, FetchBillRequest, InfoItem, QuoteKind};
use bbps_core::{AmountBounds, ApiError, Biller, ErrorCode, FetchRequirement, Open, SessionId, Timestamp};

use crate::model::{Merchant, QuoteRecord};
use crate::ports::{BbpsError, BbpsNetwork, BillRequest};
use crate::{Engine, Error, Result};

/// The refusal of a network failure: a stable code, a human message, the network's code and when to retry.
pub fn network_error(e: BbpsError) -> Error {
    Error::Refused(match e {
        BbpsError::Rejected { code, message } => {
            let mapped = ErrorCode::from_bbps(&code).unwrap_or(ErrorCode::BillerUnavailable);
            let err = ApiError::new(mapped, message).with_bbps_code(code);
            if mapped == ErrorCode::BillerUnavailable { err.with_retry_after(60) } else { err }
        }
        BbpsError::Unavailable(e) => {
            tracing::warn!(%e, "network unavailable");
            ApiError::new(ErrorCode::BillerUnavailable, "the biller cannot be reached right now; try again shortly")
                .with_retry_after(30)
        }
        BbpsError::Timeout(_) => {
            ApiError::new(ErrorCode::BillerTimeout, "the biller did not answer in time; try again").with_retry_after(10)
        }
    })
}

/// Refuses a biller that takes no bills at `now`, saying until when (`field` names the biller in the request).
pub(crate) fn ensure_open(biller: &Biller, now: Timestamp, field: &str) -> Result<()> {
    match biller.availability.at(now) {
        Open::Open => Ok(()),
        Open::Until(at) => {
            let wait = Engine::seconds_until(at, now);
            Err(Error::Refused(
                ApiError::new(
                    ErrorCode::BillerNotAvailable,
                    format!("this biller takes no bills until {}", at.to_ist_display()),
                )
                .with_field(field)
                .with_retry_after(wait),
            ))
        }
        Open::Ended => Err(Error::field(ErrorCode::BillerNotFound, "this biller no longer takes bills", field)),
    }
}

impl Engine {
    /// Looks the biller up and validates the params: the accepted params in the biller's order.
    pub fn check_bill_request(&self, req: &FetchBillRequest) -> Result<(Biller, Vec<(String, String)>)> {
        let not_found = || Error::field(ErrorCode::BillerNotFound, "no biller has this id", "biller_id");
        let biller = self.catalogue().get(&req.biller_id).cloned().ok_or_else(not_found)?;
        ensure_open(&biller, self.now(), "biller_id")?;
        let rules = self.catalogue().rules(&req.biller_id).ok_or_else(not_found)?;
        let params =
            rules.validate(&req.params).map_err(|errors| Error::Refused(ApiError::from_field_errors(errors)))?;
        Ok((biller, params))
    }

    /// Fetches (or validates) and stores the quote for the merchant's session. `customer_ip` is the address the
    /// request came from: the network's agent device tags report it.
    pub async fn quote(
        &self,
        merchant: &Merchant,
        session: &SessionId,
        req: &FetchBillRequest,
        kind: QuoteKind,
        customer_ip: IpAddr,
    ) -> Result<BillQuote> {
        let (biller, params) = self.check_bill_request(req)?;
        match kind {
            QuoteKind::Fetched if biller.fetch_requirement == FetchRequirement::NotSupported => {
                return Err(Error::field(
                    ErrorCode::BillFetchNotSupported,
                    "this biller has no bills to fetch; pay it directly",
                    "biller_id",
                ));
            }
            QuoteKind::Validated if !biller.supports_validation => {
                return Err(Error::field(
                    ErrorCode::BillValidationNotSupported,
                    "this biller does not validate accounts",
                    "biller_id",
                ));
            }
            QuoteKind::Fetched if req.customer_mobile.is_none() && self.network.needs_customer_mobile() => {
                return Err(Error::field(
                    ErrorCode::CustomerMobileRequired,
                    "the network needs the customer's mobile number to fetch a bill",
                    "customer_mobile",
                ));
            }
            QuoteKind::Fetched | QuoteKind::Validated => {}
        }
        let created_at = self.now();
        let request = BillRequest {
            ref_id: self.ids.ref_id(created_at),
            biller_id: biller.id.clone(),
            params: params.clone(),
            channel: req.channel,
            customer_mobile: req.customer_mobile.clone(),
            customer_ip,
        };
        let (bill, customer_name) = match kind {
            QuoteKind::Fetched => (Some(self.network.fetch_bill(&request).await.map_err(network_error)?), None),
            QuoteKind::Validated => (None, self.network.validate(&request).await.map_err(network_error)?.customer_name),
        };
        let rule = bill.as_ref().map(|b| b.amount_rule).unwrap_or_default();
        let amount_bounds = AmountBounds::new(&biller, bill.as_ref().map(|b| b.amount), rule, req.channel)
            .map_err(|e| Error::Refused(ApiError::from_amount(&e)))?;
        let quote = BillQuote {
            id: self.ids.quote_id(),
            kind,
            ref_id: request.ref_id,
            biller_id: biller.id.clone(),
            biller_name: biller.name.clone(),
            params: params.into_iter().map(|(name, value)| InfoItem { name, value }).collect(),
            bill,
            customer_name,
            exactness: biller.exactness,
            amount_bounds,
            expires_at: Self::after(created_at, self.config.quote_ttl),
        };
        self.store
            .insert_quote(&QuoteRecord {
                quote: quote.clone(),
                merchant_id: merchant.id.clone(),
                session_id: session.clone(),
                created_at,
            })
            .await?;
        Ok(quote)
    }
}
