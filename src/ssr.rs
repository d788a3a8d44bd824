//! The widget page's first screen, rendered on the server by the widget's own components (native builds only).
//!
//! The server opens the session, reads the categories and picks the language, and renders [`BillPayWidget`] with
//! exactly the props the page's wasm will build from the same query and the page's data block
//! ([`crate::page`]): the category grid is on screen as soon as the page arrives, in the customer's language,
//! before any script has run. The wasm then renders the same grid in its place, now live (`crate::start`).
//!
//! Replaced rather than hydrated: Yew's hydration would cost wasm bytes on every load to save rebuilding one
//! screen of a few dozen elements once, and a page that hydrates must match the server's markup node for node.

use std::rc::Rc;

use bbps_core::Category;
use bbps_core::api::Session;

use crate::config::{Config, LocalePref};
use crate::flow::FirstScreen;
use crate::i18n::Strings;
use crate::widget::{BillPayWidget, WidgetProps};

/// What the server knows when it renders the page.
pub struct PageInputs {
    /// The page's options, read from its query exactly as the wasm reads them.
    pub config: Config,
    /// The session the server opened for this page, and what it brings along.
    pub session: Session,
    pub categories: Vec<Category>,
    /// The texts of the language the page is in.
    pub strings: Strings,
    /// The page is framed by the page its `parent` names, with a `wid`: the widget will offer Close.
    pub closable: bool,
}

fn props(inputs: PageInputs) -> WidgetProps {
    let PageInputs { config, session, categories, strings, closable } = inputs;
    let locale = strings.locale();
    WidgetProps {
        publishable_key: config.key.map(Into::into),
        api_base: Default::default(),
        locale: LocalePref::Fixed(locale),
        theme: config.theme,
        appearance: config.appearance,
        category: config.category.map(Into::into),
        biller: config.biller,
        embedding: Default::default(),
        closable,
        on_event: Default::default(),
        first_screen: Some(Rc::new(FirstScreen { session, categories, strings: Rc::new(strings) })),
        document: true,
    }
}

/// The widget's markup for the page's `#bbps-root`.
pub async fn render(inputs: PageInputs) -> String {
    yew::ServerRenderer::<BillPayWidget>::with_props(move || props(inputs)).hydratable(false).render().await
}
