//! The backend of the BBPS bill-payment widget: the REST API the widget and merchants call, sessions and keys,
//! a SQLite store, a BBPS provider and a UPI PSP behind traits (with sandbox implementations), the persisted
//! payment lifecycle and its worker, signed merchant webhooks, static hosting of the built widget and its loader,
//! and (in sandbox mode) a demo merchant site on a second listener.

pub mod app;
pub mod assets;
pub mod auth;
pub mod bbps;
pub mod catalogue;
pub mod cli;
pub mod config;
pub mod demo_site;
pub mod domain;
pub mod error;
pub mod events;
pub mod extract;
pub mod hosting;
pub mod loader;
pub mod model;
pub mod openapi;
pub mod psp;
pub mod ratelimit;
pub mod routes;
pub mod sandbox_pages;
pub mod store;
pub mod util;
pub mod webhooks;

pub use app::{AppState, RunningServer, start};
pub use config::Config;
