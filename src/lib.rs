//! placeholder widget
use yew::prelude::*;

#[function_component(BillPayWidget)]
pub fn bill_pay_widget() -> Html {
    html! { <h1>{ "Pay a bill" }</h1> }
}

#[cfg(all(feature = "standalone", target_arch = "wasm32"))]
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("bbps-root")) {
        yew::Renderer::<BillPayWidget>::with_root(root).render();
    }
}
