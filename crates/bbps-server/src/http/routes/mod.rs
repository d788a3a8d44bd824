//! The HTTP surface: thin handlers that parse, call the domain and answer. Every route is registered through
//! `utoipa_axum`, so the router and the OpenAPI document are built from the same list.

pub mod bills;
pub mod catalogue;
pub mod docs;
pub mod merchant;
pub mod payments;
pub mod psp;
pub mod sessions;
pub mod tracking;
