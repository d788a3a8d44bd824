//! The OpenAPI document's frame: title, security schemes, tags, and the routes registered outside
//! `utoipa_axum` (the widget's static files and the loader). Every other path comes from the router itself.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "BBPS Pay widget API",
        version = "1.0.0",
        description = "The backend of the embeddable Bharat Connect (BBPS) bill-payment widget. Money is integer \
                       paise; instants are RFC 3339 with zone; every error is the `ApiError` envelope with a stable \
                       `code`. Widget calls carry a session token, merchant server calls the secret key."
    ),
    paths(
        crate::http::hosting::widget_redirect,
        crate::http::hosting::widget_index,
        crate::http::hosting::widget_asset,
        crate::http::loader::loader
    ),
    components(schemas(bbps_core::ApiError, bbps_core::ErrorCode, bbps_core::api::WebhookEvent)),
    modifiers(&SecuritySchemes),
    tags(
        (name = "widget", description = "Calls the widget makes, authenticated by a session token"),
        (name = "merchant", description = "Calls a merchant's server makes, authenticated by its secret key"),
        (name = "psp", description = "The UPI PSP's callback"),
        (name = "sandbox", description = "Sandbox tools: the UPI app simulator and the test accounts"),
        (name = "hosting", description = "The built widget and its loader script"),
        (name = "ops", description = "Health and this document"),
    )
)]
pub struct ApiDoc;

struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("The token of `POST /v1/sessions`"))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "secret_key",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("sk_test_…")
                    .description(Some("The merchant's secret key; never send it from a browser"))
                    .build(),
            ),
        );
    }
}
