//! The category grid: the provider's categories, with our name and icon for the known ones.

use yew::Html;

use super::Ui;
use super::el::{el, none};
use crate::flow::{Action, Remote};
use crate::i18n::{Msg, category_name};
use crate::icons;

pub fn view(ui: Ui<'_>) -> Html {
    let list = match &ui.f.catalogue.categories {
        // The problem above says why, with a retry.
        Remote::Failed(_) => none(),
        Remote::Idle | Remote::Loading => ui.loading(Msg::Loading, Some("categories-loading")),
        Remote::Ready(list) if list.is_empty() => {
            el("p").testid("categories-empty").child(ui.say(Msg::CategoriesEmpty)).done()
        }
        Remote::Ready(list) => {
            let tiles = list.iter().map(|c| {
                let tile = el("button")
                    .attr("type", "button")
                    .class("bbps-tile")
                    .testid(format!("category-{}", c.code))
                    .on_click(ui.on_with(c.code.clone(), Action::PickCategory))
                    .child(icons::category(&c.code))
                    // `elementtiming`: the benchmarks time when the grid is first on screen by its labels.
                    .child(
                        el("span")
                            .attr("elementtiming", "bbps-grid")
                            .text(category_name(ui.s, &c.code, &c.name).to_owned())
                            .done(),
                    );
                el("li").child(tile.done()).done()
            });
            el("ul").class("bbps-grid").testid("categories").children(tiles).done()
        }
    };
    ui.section(Msg::CategoriesTitle, [list, help_links(ui)])
}

/// Tracking and complaints, reachable from the start and from every result.
pub fn help_links(ui: Ui<'_>) -> Html {
    el("nav")
        .class("bbps-links bbps-noprint")
        .attr("aria-label", ui.t(Msg::MoreServices).to_owned())
        .child(ui.button("bbps-link", "open-track", Msg::TrackPayment, ui.on(|| Action::OpenTrack)))
        .child(ui.button("bbps-link", "open-complaint", Msg::RaiseComplaint, ui.on_with(None, Action::OpenComplaint)))
        .child(ui.button(
            "bbps-link",
            "open-complaint-status",
            Msg::TrackComplaint,
            ui.on_with(None, Action::OpenComplaintStatus),
        ))
        .done()
}
