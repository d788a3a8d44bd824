//! The one place where the time limits of network and PSP calls are applied: the engine reaches its adapters
//! only through these wrappers, so no call can wait longer than configured and a late answer is a `Timeout`,
//! an unknown outcome the lifecycle resolves by asking again.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use bbps_core::api::Bill;
use bbps_core::psp::PspCallback;
use bbps_core::{Biller, ComplaintId, Paise, RefId, UpiTxnRef};

use crate::ports::{
    BbpsError, BbpsNetwork, BillRequest, ComplaintRequest, NetworkComplaint, PayRequest, PayStatus, PspError, UpiPsp,
    Validation,
};

async fn within<T, E>(
    limit: Duration,
    call: impl Future<Output = Result<T, E>>,
    late: fn(Duration) -> E,
) -> Result<T, E> {
    tokio::time::timeout(limit, call).await.unwrap_or_else(|_| Err(late(limit)))
}

/// A BBPS network whose calls end within their limits: fetch and validation within `fetch`, the rest within
/// `other`.
pub struct TimedNetwork {
    inner: Arc<dyn BbpsNetwork>,
    fetch: Duration,
    other: Duration,
}

impl TimedNetwork {
    pub fn new(inner: Arc<dyn BbpsNetwork>, fetch: Duration, other: Duration) -> TimedNetwork {
        TimedNetwork { inner, fetch, other }
    }
}

#[async_trait]
impl BbpsNetwork for TimedNetwork {
    async fn billers(&self) -> Result<Vec<Biller>, BbpsError> {
        within(self.other, self.inner.billers(), BbpsError::Timeout).await
    }

    async fn fetch_bill(&self, req: &BillRequest) -> Result<Bill, BbpsError> {
        within(self.fetch, self.inner.fetch_bill(req), BbpsError::Timeout).await
    }

    async fn validate(&self, req: &BillRequest) -> Result<Validation, BbpsError> {
        within(self.fetch, self.inner.validate(req), BbpsError::Timeout).await
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
    fn verify_callback(&self, signature: &str, body: &[u8]) -> bool {
        self.inner.verify_callback(signature, body)
    }

    async fn debit_status(&self, upi_txn_ref: &UpiTxnRef) -> Result<Option<PspCallback>, PspError> {
        within(self.limit, self.inner.debit_status(upi_txn_ref), PspError::Timeout).await
    }

    async fn refund(&self, refund_id: &str, psp_txn_id: &str, amount: Paise) -> Result<String, PspError> {
        within(self.limit, self.inner.refund(refund_id, psp_txn_id, amount), PspError::Timeout).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Never;

    #[async_trait]
    impl UpiPsp for Never {
        fn verify_callback(&self, _: &str, _: &[u8]) -> bool {
            false
        }
        async fn debit_status(&self, _: &UpiTxnRef) -> Result<Option<PspCallback>, PspError> {
            std::future::pending().await
        }
        async fn refund(&self, _: &str, _: &str, _: Paise) -> Result<String, PspError> {
            Ok("RFND1".to_owned())
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_call_past_its_limit_is_a_timeout_and_others_pass_through() {
        let psp = TimedPsp::new(Arc::new(Never), Duration::from_secs(3));
        let tr = UpiTxnRef::parse("BBPSTEST0001").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(psp.debit_status(&tr).await, Err(PspError::Timeout(Duration::from_secs(3))));
        assert_eq!(psp.refund("rfd_1", "psp1", Paise::ZERO).await, Ok("RFND1".to_owned()));
    }
}
