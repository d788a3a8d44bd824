//! What the engine needs from the outside world, as traits. Adapters implement them: a store (SQLite,
//! PostgreSQL), a BBPS network (the NPCI XML adapter, the sandbox), a UPI PSP, the notifier that pushes a
//! payment's changes to whoever waits for them, the transport that delivers webhooks, and the clock and id source.

pub mod clock;
pub mod network;
pub mod notify;
pub mod psp;
pub mod sms;
pub mod store;

pub use clock::{Clock, IdSource, RandomIds, SystemClock};
pub use network::{
    BbpsError, BbpsNetwork, BillRequest, ComplaintRequest, Downtime, NetworkComplaint, PayRequest, PayStatus,
    Validation,
};
pub use notify::{StatusNotifier, WebhookAnswer, WebhookTransport};
pub use psp::{
    Debit, LinkId, LinkRequest, LinkState, NotificationError, PspError, PspEvent, PspLink, RefundAnswer, RefundRequest,
    RefundState, Returned, UpiPsp,
};
pub use sms::{CodeMessage, SmsError, SmsSender};
pub use store::{
    AttemptOutcome, CreatePayment, Effects, Lease, NewPayment, PaymentQuery, Store, StoreError, StoreResult,
};
