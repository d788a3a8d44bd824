//! The widget page's data block: what the server writes into `/widget/` so that the first screen needs no call
//! (the session it opened, the categories, the texts of the page's language), and how the widget reads it.
//!
//! The block is `<script type="application/json" id="bbps-page">`: data, never run, so the page's
//! `script-src 'self'` stays as it is. Its members are the API's own shapes (`Session`, `Category`, read by the
//! same decoders as the API's answers) plus the language's tag and its texts in their wire form
//! ([`Strings::parse`]). The server writes it with serde; `crates/bbps-server/tests/api/hosting.rs` reads a
//! served page back with [`PageData::read`].

use std::rc::Rc;

use bbps_core::Category;
use bbps_core::api::Session;

use crate::flow::FirstScreen;
use crate::i18n::{Locale, Strings};
use crate::wire;

/// The `id` of the data block.
pub const ELEMENT_ID: &str = "bbps-page";

/// The data block as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageData {
    pub session: Session,
    pub categories: Vec<Category>,
    /// The language the page is in (`ta`).
    pub locale: String,
    /// That language's texts, in their wire form.
    pub strings: String,
}

impl PageData {
    /// Reads the block's text into the first screen; `None` if any of it does not fit (the widget then starts
    /// from nothing, as in a Yew app).
    pub fn read(json: &str) -> Option<FirstScreen> {
        let data = wire::decode::<PageData>(json).ok()?;
        let locale = Locale::from_tag(&data.locale)?;
        let strings = Strings::parse(locale, &data.strings)?;
        Some(FirstScreen { session: data.session, categories: data.categories, strings: Rc::new(strings) })
    }
}

/// The first screen the page this widget runs in brought, if it brought one.
#[cfg(target_arch = "wasm32")]
pub fn first_screen(document: &web_sys::Document) -> Option<FirstScreen> {
    let block = document.get_element_by_id(ELEMENT_ID)?;
    PageData::read(&block.text_content()?)
}
