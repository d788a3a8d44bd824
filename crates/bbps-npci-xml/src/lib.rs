//! The live BBPS network adapter: NPCI's BBPS XML message set as the customer BBPOU speaks it, behind the engine's
//! [`BbpsNetwork`](bbps_engine::ports::BbpsNetwork) port.
//!
//! - [`message`]: the messages as typed values, in the schemas' element order; [`codes`]: every closed set of
//!   wire strings; [`ids`], [`time`], [`amount`]: the wire's ids, instants and decimals.
//! - [`xml`]: writing a message, and screening and reading a received one (no DTD, no entities, the right root
//!   and namespace, bounded depth).
//! - [`dsig`]: enveloped XML signatures (RSA-SHA256, SHA-256, C14N), keys from PEM or PKCS#12; [`envelope`]:
//!   seal (write and sign) and open (screen, verify, read only what was signed).
//! - [`map`]: the port's types to requests and responses to the port's types, and the reverse for the simulator.
//! - [`transport`]: the POST and its Ack, the callback listener, and the calls waiting for their responses;
//!   [`late`]: answers that came after their call gave up; [`archive`]: every message as it was on the wire (and
//!   the fetch response a payment echoes).
//! - [`config`]; [`network`]: [`NpciNetwork`], the port's implementation.

pub mod amount;
pub mod archive;
pub mod codes;
pub mod config;
pub mod dsig;
pub mod envelope;
pub mod ids;
pub mod late;
pub mod map;
pub mod message;
pub mod network;
pub mod time;
pub mod transport;
pub mod xml;

pub use archive::Archive;
pub use config::{KeySource, NpciConfig, Timeouts, TlsConfig};
pub use late::{LateAnswers, LatePayment, LatePayments};
pub use network::NpciNetwork;
pub use transport::callback::LateSink;
