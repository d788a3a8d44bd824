//! The sandbox UPI app: the page a tester opens from a QR code or an intent link, where they approve, decline or
//! pay a wrong amount, and the test-account list. Its routes carry their own state and OpenAPI entries, so the
//! server merges them as they are.

pub mod pages;
pub mod payer;
mod routes;
mod token;

use std::sync::Arc;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::network::accounts::SandboxAccounts;
use payer::Payer;

/// What the routes share.
#[derive(Clone)]
pub struct SandboxState {
    pub payer: Arc<Payer>,
    pub accounts: Arc<SandboxAccounts>,
    /// Signs the page's form, so only a page this server rendered can make the payer act.
    pub page_tokens: Arc<token::PageTokens>,
}

impl SandboxState {
    pub fn new(payer: Arc<Payer>, accounts: Arc<SandboxAccounts>) -> SandboxState {
        SandboxState { payer, accounts, page_tokens: Arc::new(token::PageTokens::random()) }
    }
}

/// The routes under `/sandbox/`, ready to merge into any router.
pub fn router<S: Clone + Send + Sync + 'static>(state: SandboxState) -> OpenApiRouter<S> {
    OpenApiRouter::new()
        .routes(routes!(routes::upi_page))
        .routes(routes!(routes::pay))
        .routes(routes!(routes::accounts))
        .with_state(state)
}
