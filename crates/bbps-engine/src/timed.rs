//! The one place where the time limits of network and PSP calls are applied: the engine reaches its adapters
//! only through these wrappers, so no call can wait longer than configured and a late answer is a `Timeout`,
//! an unknown outcome the lifecycle resolves by asking again.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use bbps_core::api::Bill;
use bbps_core::plan::Plan;
use bbps_core::{Biller, BillerId, ComplaintId, RefId};

use crate::ports::{
    BbpsError, BbpsNetwork, BillRequest, ComplaintRequest, Downtime, LinkRequest, LinkState, NetworkComplaint,
    NotificationError, PayRequest, PayStatus, PspError, PspEvent, PspLink, RefundAnswer, RefundRequest, RefundState,
    UpiPsp, Validation,
};

async fn within<T, E>(
    limit: Duration,
    call: impl Future<Output = Result<T, E>>,
    late: fn(Duration) -> E,
) -> Result<T, E> {
    tokio::time::timeout(limit, call).await.unwrap_or_else(|_| Err(late(limit)))
}

/// A BBPS network whose calls end within their limits: fetch and validation within `fetch`, the biller master
/// data within `catalogue` (the whole catalogue is the largest answer), the rest within `other`.
pub struct TimedNetwork {
    inner: Arc<dyn BbpsNetwork>,
    fetch: Duration,
    catalogue: Duration,
    other: Duration,
}

impl TimedNetwork {
    pub fn new(inner: Arc<dyn BbpsNetwork>, fetch: Duration, catalogue: Duration, other: Duration) -> TimedNetwork {
        TimedNetwork { inner, fetch, catalogue, other }
    }
}

#[async_trait]
impl BbpsNetwork for TimedNetwork {
    fn needs_customer_mobile(&self) -> bool {
        self.inner.needs_customer_mobile()
    }

    async fn billers(&self) -> Result<Vec<Biller>, BbpsError> {
        within(self.catalogue, self.inner.billers(), BbpsError::Timeout).await
    }

    async fn fetch_bill(&self, req: &BillRequest) -> Result<Bill, BbpsError> {
        within(self.fetch, self.inner.fetch_bill(req), BbpsError::Timeout).await
    }

    async fn validate(&self, req: &BillRequest) -> Result<Validation, BbpsError> {
        within(self.fetch, self.inner.validate(req), BbpsError::Timeout).await
    }

    async fn plans(&self, billers: &[BillerId]) -> Result<Vec<Plan>, BbpsError> {
        within(self.other, self.inner.plans(billers), BbpsError::Timeout).await
    }

    async fn downtimes(&self) -> Result<Vec<Downtime>, BbpsError> {
        within(self.other, self.inner.downtimes(), BbpsError::Timeout).await
    }

    async fn pay(&self, req: &PayRequest) -> Result<PayStatus, BbpsError> {
        within(self.other, self.inner.pay(req), BbpsError::Timeout).await
    }

    async fn payment_status(&self, ref_id: &RefId) -> Result<Option<PayStatus>, BbpsError> {
        within(self.other, self.inner.payment_status(ref_id), BbpsError::Timeout).await
    }

    async fn raise_complaint(&self, req: &ComplaintRequest) -> Result<NetworkComplaint, BbpsError> {
        within(self.other, self.inner.raise_complaint(req), BbpsError::Timeout).await
    }

    async fn track_complaint(&self, id: &ComplaintId) -> Result<Option<NetworkComplaint>, BbpsError> {
        within(self.other, self.inner.track_complaint(id), BbpsError::Timeout).await
    }

    async fn reopen_complaint(&self, id: &ComplaintId, description: &str) -> Result<NetworkComplaint, BbpsError> {
        within(self.other, self.inner.reopen_complaint(id, description), BbpsError::Timeout).await
    }

    async fn check(&self) -> Result<(), BbpsError> {
        within(self.other, self.inner.check(), BbpsError::Timeout).await
    }
}

/// A UPI PSP whose calls end within `limit`.
pub struct TimedPsp {
    inner: Arc<dyn UpiPsp>,
    limit: Duration,
}

impl TimedPsp {
    pub fn new(inner: Arc<dyn UpiPsp>, limit: Duration) -> TimedPsp {
        TimedPsp { inner, limit }
    }
}

#[async_trait]
impl UpiPsp for TimedPsp {
    async fn create_link(&self, req: &LinkRequest) -> Result<PspLink, PspError> {
        within(self.limit, self.inner.create_link(req), PspError::Timeout).await
    }

    async fn link_state(&self, link: &str) -> Result<LinkState, PspError> {
        within(self.limit, self.inner.link_state(link), PspError::Timeout).await
    }

    async fn expire_link(&self, link: &str) -> Result<(), PspError> {
        within(self.limit, self.inner.expire_link(link), PspError::Timeout).await
    }

    async fn refund(&self, req: &RefundRequest) -> Result<RefundAnswer, PspError> {
        within(self.limit, self.inner.refund(req), PspError::Timeout).await
    }

    async fn refund_state(&self, refund: &str) -> Result<RefundState, PspError> {
        within(self.limit, self.inner.refund_state(refund), PspError::Timeout).await
    }

    async fn check(&self) -> Result<(), PspError> {
        within(self.limit, self.inner.check(), PspError::Timeout).await
    }

    fn read_notification(&self, authorization: Option<&str>, body: &[u8]) -> Result<Vec<PspEvent>, NotificationError> {
        self.inner.read_notification(authorization, body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A network that never answers a fetch and answers everything else at once.
    struct Stuck;

    #[async_trait]
    impl BbpsNetwork for Stuck {
        async fn billers(&self) -> Result<Vec<Biller>, BbpsError> {
            Ok(Vec::new())
        }
        async fn plans(&self, _: &[BillerId]) -> Result<Vec<Plan>, BbpsError> {
            Ok(Vec::new())
        }
        async fn fetch_bill(&self, _: &BillRequest) -> Result<Bill, BbpsError> {
            std::future::pending().await
        }
        async fn validate(&self, _: &BillRequest) -> Result<Validation, BbpsError> {
            std::future::pending().await
        }
        async fn pay(&self, _: &PayRequest) -> Result<PayStatus, BbpsError> {
            std::future::pending().await
        }
        async fn payment_status(&self, _: &RefId) -> Result<Option<PayStatus>, BbpsError> {
            Ok(None)
        }
        async fn raise_complaint(&self, _: &ComplaintRequest) -> Result<NetworkComplaint, BbpsError> {
            std::future::pending().await
        }
        async fn track_complaint(&self, _: &ComplaintId) -> Result<Option<NetworkComplaint>, BbpsError> {
            Ok(None)
        }
        async fn reopen_complaint(&self, _: &ComplaintId, _: &str) -> Result<NetworkComplaint, BbpsError> {
            std::future::pending().await
        }
        async fn check(&self) -> Result<(), BbpsError> {
            std::future::pending().await
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_call_past_its_limit_is_a_timeout_and_others_pass_through() {
        let network =
            TimedNetwork::new(Arc::new(Stuck), Duration::from_secs(3), Duration::from_secs(60), Duration::from_secs(9));
        let ref_id = RefId::parse("ABCDEFGHIJKLMNOPQRSTUVWXYZ063241000").unwrap_or_else(|e| panic!("{e}"));
        let request = BillRequest {
            ref_id: ref_id.clone(),
            biller_id: bbps_core::BillerId::parse("MAHAR0000MAH02").unwrap_or_else(|e| panic!("{e}")),
            params: Vec::new(),
            channel: bbps_core::Channel::Internet,
            customer_mobile: None,
            customer_ip: std::net::IpAddr::from([127, 0, 0, 1]),
        };
        assert_eq!(network.fetch_bill(&request).await, Err(BbpsError::Timeout(Duration::from_secs(3))));
        assert_eq!(network.payment_status(&ref_id).await, Ok(None));
        // A heartbeat that hangs is a timeout too, so readiness never waits on it.
        assert_eq!(network.check().await, Err(BbpsError::Timeout(Duration::from_secs(9))));
    }
}
