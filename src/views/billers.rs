//! The biller picker: search as you type (debounced, ranked by the backend), a state filter once state-level
//! billers show up, and a combobox whose options the arrow keys move through.

use bbps_core::Coverage;
use yew::prelude::*;

use super::Ui;
use crate::flow::Action;
use crate::i18n::{Locale, Msg, STATES, category_name, state_name};

const LIST_ID: &str = "bbps-billers";

fn option_id(i: usize) -> String {
    format!("bbps-biller-{i}")
}

fn coverage(locale: Locale, c: &Coverage) -> String {
    match c {
        Coverage::National => crate::i18n::text(locale, Msg::AllIndia).to_owned(),
        Coverage::State { state } => state_name(locale, state),
        Coverage::City { state, city } => format!("{city}, {}", state_name(locale, state)),
    }
}

pub fn view(ui: Ui<'_>) -> Html {
    let f = ui.f;
    let s = &f.catalogue.search;
    let locale = f.locale;
    let category = f.catalogue.category.as_deref().unwrap_or_default();
    let category = category_name(locale, category, f.catalogue.category_name(category).unwrap_or(category)).to_owned();
    let active = s.active.and_then(|i| s.items.get(i)).map(|b| b.id.clone());
    let onkeydown = {
        let send = ui.send.clone();
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            "ArrowDown" => {
                e.prevent_default();
                send.emit(Action::MoveActive(1));
            }
            "ArrowUp" => {
                e.prevent_default();
                send.emit(Action::MoveActive(-1));
            }
            "Enter" => {
                e.prevent_default();
                if let Some(id) = &active {
                    send.emit(Action::PickBiller(id.clone()));
                }
            }
            _ => {}
        })
    };
    let show_states = s.regional || !s.state.is_empty();
    let more = !s.loading && (s.items.len() as u32) < s.total;
    html! {
        <section>
            { ui.heading(Msg::BillersTitle) }
            <>
                <p class="bbps-sub" data-testid="category-name">{ category }</p>
                <div class="bbps-search">
                    <div class="bbps-field">
                        <label for="bbps-q">{ ui.t(Msg::SearchBillers) }</label>
                        <input id="bbps-q" type="search" role="combobox" aria-autocomplete="list" aria-expanded="true"
                            aria-controls={LIST_ID} aria-activedescendant={s.active.map(option_id)}
                            aria-describedby="bbps-q-help" autocomplete="off" spellcheck="false"
                            placeholder={ui.t(Msg::SearchPlaceholder)} value={s.query.clone()} data-testid="biller-search"
                            oninput={ui.on_value(Action::SearchInput)} {onkeydown}/>
                        <p class="bbps-sr" id="bbps-q-help">{ ui.t(Msg::SearchHelp) }</p>
                    </div>
                    if show_states {
                        <div class="bbps-field">
                            <label for="bbps-state">{ ui.t(Msg::State) }</label>
                            <select id="bbps-state" data-testid="state-filter" onchange={ui.on_value(Action::StateFilter)}>
                                <option value="" selected={s.state.is_empty()}>{ ui.t(Msg::AllStates) }</option>
                                { for STATES.iter().map(|(code, ..)| html! {
                                    <option value={*code} selected={s.state == *code}>{ state_name(locale, code) }</option>
                                }) }
                            </select>
                        </div>
                    }
                </div>
                <ul id={LIST_ID} class="bbps-options" role="listbox" aria-label={ui.t(Msg::BillersTitle)}
                    aria-busy={if s.loading { "true" } else { "false" }} data-testid="billers">
                    { for s.items.iter().enumerate().map(|(i, b)| {
                        let selected = s.active == Some(i);
                        html! {
                            <li id={option_id(i)} role="option" aria-selected={if selected { "true" } else { "false" }}
                                ~className={if selected { "bbps-option bbps-active" } else { "bbps-option" }}
                                data-testid={format!("biller-{}", b.id)} onclick={ui.on_with(b.id.clone(), Action::PickBiller)}>
                                <span class="bbps-option-name">{ b.name.clone() }</span>
                                <span class="bbps-option-meta">{ coverage(locale, &b.coverage) }</span>
                            </li>
                        }
                    }) }
                </ul>
                if s.loading {
                    <p class="bbps-loading" data-testid="billers-loading">{ ui.t(Msg::Loading) }</p>
                } else if s.items.is_empty() && f.problem.is_none() {
                    <p class="bbps-empty" data-testid="billers-empty">{ ui.t(Msg::BillersEmpty) }</p>
                }
                if more {
                    { ui.button("bbps-btn bbps-quiet", "more-billers", Msg::MoreBillers, ui.on(|| Action::MoreBillers)) }
                }
            </>
        </section>
    }
}
