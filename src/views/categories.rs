//! The category grid: the provider's categories, with our name and icon for the known ones.

use yew::prelude::*;

use super::Ui;
use crate::flow::{Action, Remote};
use crate::i18n::{Msg, category_name};
use crate::icons;

pub fn view(ui: Ui<'_>) -> Html {
    let list = match &ui.f.catalogue.categories {
        // The problem above says why, with a retry.
        Remote::Failed(_) => Html::default(),
        Remote::Idle | Remote::Loading => {
            html! { <p class="bbps-loading" data-testid="categories-loading">{ ui.t(Msg::Loading) }</p> }
        }
        Remote::Ready(list) if list.is_empty() => {
            html! { <p data-testid="categories-empty">{ ui.t(Msg::CategoriesEmpty) }</p> }
        }
        Remote::Ready(list) => html! {
            <ul class="bbps-grid" data-testid="categories">
                { for list.iter().map(|c| html! {
                    <li>
                        <button type="button" class="bbps-tile" data-testid={format!("category-{}", c.code)}
                            onclick={ui.on_with(c.code.clone(), Action::PickCategory)}>
                            { icons::category(&c.code) }
                            <span>{ category_name(ui.f.locale, &c.code, &c.name) }</span>
                        </button>
                    </li>
                }) }
            </ul>
        },
    };
    html! {
        <section>
            { ui.heading(Msg::CategoriesTitle) }
            <>
                { list }
                { help_links(ui) }
            </>
        </section>
    }
}

/// Tracking and complaints, reachable from the start and from every result.
pub fn help_links(ui: Ui<'_>) -> Html {
    html! {
        <nav class="bbps-links bbps-noprint" aria-label={ui.t(Msg::MoreServices)}>
            { ui.button("bbps-link", "open-track", Msg::TrackPayment, ui.on(|| Action::OpenTrack)) }
            { ui.button("bbps-link", "open-complaint", Msg::RaiseComplaint, ui.on_with(None, Action::OpenComplaint)) }
            { ui.button("bbps-link", "open-complaint-status", Msg::TrackComplaint, ui.on_with(None, Action::OpenComplaintStatus)) }
        </nav>
    }
}
