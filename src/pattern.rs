//! Biller patterns on the browser's own `RegExp`, so that the wasm carries no regex compiler. Anchored as
//! bbps-core anchors them (`^(?:…)$`), no flags (no `u`: biller patterns are ASCII); a pattern the browser cannot
//! parse is not enforced, as with regex-lite on the server.

use bbps_core::ParamRules;

/// The widget's param rules: the browser's engine in wasm; regex-lite where there is no browser (native test runs).
pub type Rules = ParamRules<Engine>;

#[cfg(target_arch = "wasm32")]
pub type Engine = BrowserPattern;
#[cfg(not(target_arch = "wasm32"))]
pub type Engine = bbps_core::validation::DefaultPattern;

#[cfg(target_arch = "wasm32")]
pub use browser::BrowserPattern;

#[cfg(target_arch = "wasm32")]
mod browser {
    use bbps_core::Pattern;
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen]
    extern "C" {
        /// `RegExp(source)`: throws a `SyntaxError` for a pattern it cannot parse.
        #[wasm_bindgen(catch, js_name = RegExp)]
        fn regexp(source: &str) -> Result<js_sys::RegExp, JsValue>;
    }

    pub struct BrowserPattern(js_sys::RegExp);

    impl Pattern for BrowserPattern {
        fn compile(anchored: &str) -> Option<Self> {
            regexp(anchored).ok().map(BrowserPattern)
        }

        fn is_match(&self, value: &str) -> bool {
            self.0.test(value)
        }
    }
}
