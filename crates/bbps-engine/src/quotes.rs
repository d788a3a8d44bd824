//! Bill fetch and validation: params are checked with the biller's rules before anything goes out; the answer
//! is stored as a quote (with its refId, the bill exactly as received and an expiry) that one payment may use.

use std::net::IpAddr;

use bbps_core::api::{Bill, BillQuote, FetchBillRequest, InfoItem, QuoteKind};
use bbps_core::bill_list::BillList;
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

/// When something made at `from` that lives `ttl` (a quote, a payment's UPI link) stops being payable: at the end
/// of its life, or `margin` before the biller stops taking the bill's payment (the end of the day of the fetch, for
/// a biller paid only on that day), if that comes first.
pub fn payable_until(
    bill: Option<&Bill>,
    from: Timestamp,
    ttl: std::time::Duration,
    margin: time::Duration,
) -> Timestamp {
    let by_ttl = Engine::after(from, ttl);
    bill.and_then(|b| b.valid_until).map_or(by_ttl, |until| by_ttl.min(until.saturating_sub(margin)))
}

/// Why an expired quote is refused at `now`: the biller stopped taking its bill, or the quote's time ran out.
pub fn expired(bill: Option<&Bill>, now: Timestamp, field: &str) -> Error {
    match bill.and_then(|b| b.valid_until).filter(|until| *until <= now) {
        Some(until) => Error::field(
            ErrorCode::BillExpired,
            format!("the biller took this bill's payment until {}; fetch the bill again", until.to_ist_display()),
            field,
        ),
        None => Error::field(ErrorCode::QuoteExpired, "this bill quote has expired; fetch the bill again", field),
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
        let unpayable = || {
            Error::refused(
                ErrorCode::BillUnpayable,
                "no amount can pay this bill here: its own bounds or step and the biller's UPI limits do not meet",
            )
        };
        // A list of bills is quoted at the bills offered first; one that no allowed choice can pay is unpayable.
        let amount_bounds = match bill.as_ref().and_then(|b| b.list.as_ref()) {
            Some(list) => {
                let chosen = list.preselect(&biller, req.channel).ok_or_else(unpayable)?;
                BillList::bounds(&biller, BillList::sum(&chosen), req.channel)
            }
            None => AmountBounds::new(&biller, bill.as_ref().map(|b| b.amount), rule, req.channel),
        }
        .map_err(|e| Error::Refused(ApiError::from_amount(&e)))?;
        if !amount_bounds.payable() {
            return Err(unpayable());
        }
        if let Some(until) = bill.as_ref().and_then(|b| b.valid_until).filter(|until| *until <= created_at) {
            return Err(Error::refused(
                ErrorCode::BillerUnavailable,
                format!(
                    "the biller answered with a bill payable only until {}; try again later",
                    until.to_ist_display()
                ),
            ));
        }
        let expires_at = payable_until(bill.as_ref(), created_at, self.config.quote_ttl, time::Duration::ZERO);
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
            expires_at,
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

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use bbps_core::api::Bill;
    use bbps_core::{ErrorCode, Paise, Timestamp};

    use super::{expired, payable_until};
    use crate::Error;

    fn at(s: &str) -> Timestamp {
        Timestamp::parse(s).unwrap_or_else(|| panic!("{s} is an instant"))
    }

    fn bill(valid_until: Option<Timestamp>) -> Bill {
        Bill { amount: Paise::new(10_000).unwrap_or(Paise::ZERO), valid_until, ..Bill::default() }
    }

    const TTL: Duration = Duration::from_secs(20 * 60);

    #[test]
    fn a_bill_paid_only_on_its_fetch_day_expires_at_midnight_ist() {
        let fetched = at("2026-12-02T23:50:00+05:30");
        let same_day = bill(Some(fetched.next_midnight_ist()));
        assert_eq!(payable_until(Some(&same_day), fetched, TTL, time::Duration::ZERO), at("2026-12-03T00:00:00+05:30"));
        assert_eq!(
            payable_until(Some(&bill(None)), fetched, TTL, time::Duration::ZERO),
            at("2026-12-03T00:10:00+05:30")
        );
        assert_eq!(payable_until(None, fetched, TTL, time::Duration::ZERO), at("2026-12-03T00:10:00+05:30"));
        // Earlier in the day the time-to-live ends it first.
        let morning = at("2026-12-02T09:00:00+05:30");
        assert_eq!(
            payable_until(Some(&bill(Some(morning.next_midnight_ist()))), morning, TTL, time::Duration::ZERO),
            at("2026-12-02T09:20:00+05:30")
        );
    }

    #[test]
    fn the_refusal_says_whether_the_biller_stopped_taking_the_bill() {
        let code = |e: Error| match e {
            Error::Refused(e) => (e.code, e.field, e.message),
            other => panic!("{other:?}"),
        };
        let same_day = bill(Some(at("2026-12-03T00:00:00+05:30")));
        let (c, field, message) = code(expired(Some(&same_day), at("2026-12-03T00:00:01+05:30"), "source.quote_id"));
        assert_eq!((c, field.as_deref()), (ErrorCode::BillExpired, Some("source.quote_id")));
        assert!(message.contains("03 Dec 2026") && message.contains("fetch the bill again"), "{message}");
        // Same day, time-to-live over: a plain expiry.
        let (c, ..) = code(expired(Some(&same_day), at("2026-12-02T09:30:00+05:30"), "source.quote_id"));
        assert_eq!(c, ErrorCode::QuoteExpired);
        let (c, ..) = code(expired(None, at("2026-12-02T09:30:00+05:30"), "source.quote_id"));
        assert_eq!(c, ErrorCode::QuoteExpired);
    }
}
