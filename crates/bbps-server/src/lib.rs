//! The backend of the BBPS bill-payment widget, as a thin transport over the engine: the HTTP API the widget and
//! merchants call ([`http`]), sessions and keys, hosting of the built widget and its loader, and the start-up
//! that chooses the adapters (the SQLite store; in test mode the sandbox network and PSP) and runs the engine's
//! workers.

pub mod app;
pub mod cli;
pub mod config;
pub mod config_file;
pub mod http;
pub mod notifier;
pub mod state;
pub mod util;
pub mod webhook_client;

pub use app::{RunningServer, StartError, start, start_with_network};
pub use config::Config;
pub use state::AppState;
