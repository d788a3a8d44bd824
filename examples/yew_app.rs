//! A Yew app that renders the widget itself rather than framing it: typed props and an event callback.
//!
//! `cargo build --example yew_app --target wasm32-unknown-unknown`, then `wasm-bindgen` (or trunk) as for any Yew
//! app. Payments reported here are hints: confirm them on your server (secret-key API or signed webhook).

use bbps_core::appearance::{Appearance, AppearanceInput};
use bbps_widget::config::SANDBOX_DEMO_KEY;
use bbps_widget::{BillPayWidget, Locale, LocalePref, Theme, WidgetEvent};
use yew::prelude::*;

/// The merchant's look: checked once, as the widget page checks the loader's `appearance` option.
fn appearance() -> Option<Appearance> {
    let input = AppearanceInput {
        theme: None,
        variables: [("primaryColor", "#6a1b9a"), ("borderRadius", "6px")]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect(),
    };
    Appearance::from_input(&input).ok()
}

#[function_component(Shop)]
fn shop() -> Html {
    let last = use_state(String::new);
    let on_event = {
        let last = last.clone();
        Callback::from(move |e: WidgetEvent| match e {
            WidgetEvent::PaymentSucceeded { payment_id, txn_ref } => {
                last.set(format!("paid: {payment_id} (BBPS reference {txn_ref}); confirming on our server"))
            }
            WidgetEvent::PaymentFailed { payment_id, status, .. } => {
                last.set(format!("not paid: {payment_id} ({})", status.as_str()))
            }
            WidgetEvent::StepChanged(step) => last.set(format!("step: {step}")),
            _ => {}
        })
    };
    html! {
        <main>
            <BillPayWidget
                publishable_key={SANDBOX_DEMO_KEY}
                locale={LocalePref::Fixed(Locale::Hi)}
                theme={Theme::Light}
                appearance={appearance()}
                category="electricity"
                {on_event}/>
            <p aria-live="polite">{ (*last).clone() }</p>
        </main>
    }
}

fn main() {
    yew::Renderer::<Shop>::new().render();
}
