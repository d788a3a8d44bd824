//! The BBPS bill-payment widget: category -> biller -> account details -> bill -> amount -> UPI (intent link on a
//! phone, QR code on a desktop) -> receipt, plus payment tracking and complaints, in English and Hindi.
//!
//! - [`flow`]: the journey's state machine; the only code that changes state.
//! - [`runtime`]: performs the flow's commands; [`api`] is the one module that talks HTTP, [`stream`] follows a
//!   payment's push channel.
//! - [`views`]: the screens, functions of the state; [`widget`]: the root component tying it together, its
//!   effects as named hooks.
//! - [`wire`]: reads the API's JSON into bbps-core's types; [`bridge`]: the protocol with the page framing the
//!   widget; [`pattern`]: biller patterns on the browser's `RegExp`.
//! - [`form`], [`qr`], [`receipt`], [`i18n`], [`config`], [`brand`], [`icons`]: one job each.

pub mod api;
pub mod brand;
pub mod bridge;
pub mod config;
pub mod flow;
pub mod form;
pub mod i18n;
pub mod icons;
pub mod pattern;
pub mod qr;
pub mod receipt;
pub mod runtime;
pub mod stream;
pub mod views;
pub mod widget;
pub mod wire;

/// The wasm heap: talc instead of the standard library's dlmalloc, for a smaller binary (measured in
/// `docs/widget.md`, "Size"). The widget is single-threaded, which this allocator assumes.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

pub use config::{LocalePref, Theme};
pub use flow::WidgetEvent;
pub use i18n::Locale;
pub use widget::{BillPayWidget, WidgetProps};

/// The standalone widget page (`/widget/?key=…`): reads the configuration from the query string and mounts the
/// widget on `#bbps-root`.
#[cfg(all(feature = "standalone", target_arch = "wasm32"))]
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    let Some(window) = web_sys::window() else { return };
    let Some(root) = window.document().and_then(|d| d.get_element_by_id("bbps-root")) else { return };
    let config = config::Config::from_location();
    if let Some(problem) = &config.appearance_problem {
        bridge::warn(problem);
    }
    let hostname = window.location().hostname().unwrap_or_default();
    let embedding = bridge::detect(config.parent.as_deref(), config.wid.as_deref());
    let props = WidgetProps {
        publishable_key: config.key_for(&hostname).map(Into::into),
        api_base: Default::default(),
        locale: config.locale,
        theme: config.theme,
        appearance: config.appearance,
        category: config.category.map(Into::into),
        biller: config.biller,
        closable: matches!(embedding, bridge::Embedding::Bridged(_)),
        embedding,
        on_event: Default::default(),
    };
    yew::Renderer::<BillPayWidget>::with_root_and_props(root, props).render();
}
