//! Rate limits per client address and per widget session (token buckets from `governor`). A refused request
//! gets `429 rate_limited` with `retry_after` and a `Retry-After` header.

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::time::Duration;

use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use bbps_core::{ApiError, ErrorCode, SessionId};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::config::RateLimit;
use crate::state::AppState;
use bbps_http::HttpError;

pub struct RateLimits {
    ip: DefaultKeyedRateLimiter<IpAddr>,
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
    pub fn new(ip: RateLimit, session: RateLimit) -> RateLimits {
        RateLimits {
            ip: RateLimiter::keyed(quota(ip)),
            session: RateLimiter::keyed(quota(session)),
            clock: DefaultClock::default(),
        }
    }

    pub fn check_ip(&self, ip: IpAddr) -> Result<(), HttpError> {
        self.ip.check_key(&ip).map_err(|n| limited(n.wait_time_from(self.clock.now())))
    }

    pub fn check_session(&self, id: &SessionId) -> Result<(), HttpError> {
        self.session.check_key(id).map_err(|n| limited(n.wait_time_from(self.clock.now())))
    }

    /// Forgets keys whose buckets are full again, so the maps do not grow without bound.
    pub fn prune(&self) {
        self.ip.retain_recent();
        self.session.retain_recent();
    }
}

/// Middleware: the per-address limit.
pub async fn limit_by_address(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Result<Response, HttpError> {
    if let Some(ConnectInfo(addr)) = request.extensions().get::<ConnectInfo<SocketAddr>>() {
        state.limits.check_ip(addr.ip())?;
    }
    Ok(next.run(request).await)
}
