//! The backend of the BBPS bill-payment widget, as a thin transport over the engine: the HTTP API the widget and
//! merchants call ([`http`]), sessions and keys, hosting of the built widget and its loader, and the start-up
//! that chooses the adapters (the SQLite store; the BBPS network through the NPCI XML adapter, [`bbpcu`], towards
//! a configured BBPCU or in test mode the BBPCU simulator; the PSP, or in test mode its simulator) and runs the
//! engine's workers.

pub mod app;
pub mod bbpcu;
pub mod cli;
pub mod config;
pub mod config_file;
pub mod http;
pub mod notifier;
pub mod readiness;
pub mod serve;
pub mod sms_gateway;
pub mod state;
pub mod util;
pub mod webhook_client;

pub use app::{RunningServer, StartError, start};
pub use config::Config;
pub use state::AppState;
