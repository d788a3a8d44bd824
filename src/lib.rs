//! The BBPS bill-payment widget: category -> biller -> account details -> bill -> amount -> UPI (intent link on a
//! phone, QR code on a desktop) -> receipt, plus payment tracking and complaints, in nine Indian languages.
//!
//! - [`flow`]: the journey's state machine; the only code that changes state.
//! - [`runtime`]: performs the flow's commands; [`api`] is the one module that talks HTTP, [`stream`] follows a
//!   payment's push channel.
//! - [`views`]: the screens, functions of the state; [`widget`]: the root component tying it together, its
//!   effects as named hooks.
//! - [`wire`]: reads the API's JSON into bbps-core's types; [`bridge`]: the protocol with the page framing the
//!   widget; [`pattern`]: biller patterns on the browser's `RegExp`.
//! - [`page`]: what the widget page brings along (session, categories, texts); [`i18n`]: the nine languages.
//! - [`form`], [`qr`], [`receipt`], [`config`], [`brand`], [`icons`]: one job each.

pub mod api;
pub mod brand;
pub mod bridge;
pub mod config;
pub mod flow;
pub mod form;
pub mod i18n;
pub mod icons;
pub mod page;
pub mod pattern;
pub mod qr;
pub mod receipt;
pub mod runtime;
#[cfg(not(target_arch = "wasm32"))]
pub mod ssr;
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

// The standalone widget page (`/widget/?key=…`): reads the configuration from the query string and what the page
// brought (its first screen), and mounts the widget on `#bbps-root` in place of the server's rendering. (A plain
// comment: wasm-bindgen copies doc comments of exported functions into the JS glue every page downloads.)
#[cfg(all(feature = "standalone", target_arch = "wasm32"))]
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let Some(root) = document.get_element_by_id("bbps-root") else { return };
    let window = web_sys::window().expect("a document has a window");
    let config = config::Config::from_location();
    let first_screen = page::first_screen(&document).map(std::rc::Rc::new);
    // The server chose `auto`'s language from the same browser's Accept-Language and sent its texts.
    let locale = match (config.locale, &first_screen) {
        (LocalePref::Auto, Some(first)) => LocalePref::Fixed(first.strings.locale()),
        (pref, _) => pref,
    };
    if let Some(problem) = &config.appearance_problem {
        bridge::warn(problem);
    }
    let hostname = window.location().hostname().unwrap_or_default();
    let embedding = bridge::detect(config.parent.as_deref(), config.wid.as_deref());
    let props = WidgetProps {
        publishable_key: config.key_for(&hostname).map(Into::into),
        api_base: Default::default(),
        locale,
        theme: config.theme,
        appearance: config.appearance,
        category: config.category.map(Into::into),
        biller: config.biller,
        closable: matches!(embedding, bridge::Embedding::Bridged(_)),
        embedding,
        on_event: Default::default(),
        first_screen,
        document: true,
    };
    // The server's rendering goes in the same task as the first render (a microtask), so nothing is painted in
    // between: the grid on screen is replaced by the same grid, now live.
    root.set_inner_html("");
    yew::Renderer::<BillPayWidget>::with_root_and_props(root, props).render();
}
