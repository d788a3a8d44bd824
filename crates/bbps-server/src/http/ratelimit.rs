//! Rate limits per client address (every route; the PSP's notifications in a bucket of their own) and per widget
//! session (token buckets from `governor`). A refused request gets `429 rate_limited` with `retry_after` and a
//! `Retry-After` header.

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::time::Duration;

use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use bbps_core::{ApiError, ErrorCode, SessionId};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use super::client_ip::ClientIp;
use crate::config::RateLimit;
use crate::state::AppState;
use bbps_http::HttpError;

pub struct RateLimits {
    ip: DefaultKeyedRateLimiter<IpAddr>,
    psp: DefaultKeyedRateLimiter<IpAddr>,
    session: DefaultKeyedRateLimiter<SessionId>,
    clock: DefaultClock,
}

fn quota(limit: RateLimit) -> Quota {
    let per_minute = NonZeroU32::new(limit.per_minute.max(1)).unwrap_or(NonZeroU32::MIN);
    let burst = NonZeroU32::new(limit.burst.max(1)).unwrap_or(NonZeroU32::MIN);
    Quota::per_minute(per_minute).allow_burst(burst)
}

fn limited(wait: Duration) -> HttpError {
    let secs =
        u32::try_from(wait.as_secs()).unwrap_or(u32::MAX).saturating_add(u32::from(wait.subsec_nanos() > 0)).max(1);
    HttpError(ApiError::new(ErrorCode::RateLimited, "too many requests; wait a moment").with_retry_after(secs))
}

impl RateLimits {
    pub fn new(ip: RateLimit, psp: RateLimit, session: RateLimit) -> RateLimits {
        RateLimits {
            ip: RateLimiter::keyed(quota(ip)),
            psp: RateLimiter::keyed(quota(psp)),
            session: RateLimiter::keyed(quota(session)),
            clock: DefaultClock::default(),
        }
    }

    fn check_address(&self, client: ClientIp, path: &str) -> Result<(), HttpError> {
        let limiter = if path.starts_with("/v1/psp/") { &self.psp } else { &self.ip };
        limiter.check_key(&client.bucket()).map_err(|n| limited(n.wait_time_from(self.clock.now())))
    }

    pub fn check_session(&self, id: &SessionId) -> Result<(), HttpError> {
        self.session.check_key(id).map_err(|n| limited(n.wait_time_from(self.clock.now())))
    }

    /// Forgets keys whose buckets are full again, so the maps do not grow without bound.
    pub fn prune(&self) {
        self.ip.retain_recent();
        self.psp.retain_recent();
        self.session.retain_recent();
    }
}

/// Middleware on every route: finds the client's address (kept on the request for the handlers) and applies
/// its limit.
pub async fn limit_by_address(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Result<Response, HttpError> {
    if let Some(ConnectInfo(addr)) = request.extensions().get::<ConnectInfo<SocketAddr>>().copied() {
        let client = ClientIp::resolve(addr.ip(), request.headers(), &state.config.trusted_proxies);
        state.limits.check_address(client, request.uri().path())?;
        request.extensions_mut().insert(client);
    }
    Ok(next.run(request).await)
}
