//! The biller picker: search as you type (debounced, ranked by the backend), a state filter once state-level
//! billers show up, and a combobox whose options the arrow keys move through.

use bbps_core::Coverage;
use yew::{Callback, Html, KeyboardEvent};

use super::el::{El, el, input};
use super::{Field, Ui};
use crate::flow::Action;
use crate::i18n::{Msg, STATES, Strings, category_name, state_name};

const LIST_ID: &str = "bbps-billers";

fn option_id(i: usize) -> String {
    format!("bbps-biller-{i}")
}

fn coverage(s: &Strings, c: &Coverage) -> String {
    match c {
        Coverage::National => s.get(Msg::AllIndia).to_owned(),
        Coverage::State { state } => state_name(s, state.as_str()).to_owned(),
        Coverage::City { state, city } => format!("{city}, {}", state_name(s, state.as_str())),
    }
}

/// The arrow keys move through the options, Enter picks the active one.
fn keys(ui: Ui<'_>) -> Callback<KeyboardEvent> {
    let s = &ui.f.catalogue.search;
    let active = s.active.and_then(|i| s.items.get(i)).map(|b| b.id.clone());
    let send = ui.send.clone();
    Callback::from(move |e: KeyboardEvent| {
        let action = match e.key().as_str() {
            "ArrowDown" => Action::MoveActive(1),
            "ArrowUp" => Action::MoveActive(-1),
            "Enter" => match &active {
                Some(id) => Action::PickBiller(id.clone()),
                None => return e.prevent_default(),
            },
            _ => return,
        };
        e.prevent_default();
        send.emit(action);
    })
}

fn search(ui: Ui<'_>) -> El {
    let s = &ui.f.catalogue.search;
    let field = input("search")
        .attr("id", "bbps-q")
        .attr("role", "combobox")
        .attr("aria-autocomplete", "list")
        .attr("aria-expanded", "true")
        .attr("aria-controls", LIST_ID)
        .maybe("aria-activedescendant", s.active.map(option_id))
        .attr("aria-describedby", "bbps-q-help")
        .attr("autocomplete", "off")
        .attr("spellcheck", "false")
        .attr("placeholder", ui.t(Msg::SearchPlaceholder).to_owned())
        .value(&s.query)
        .testid("biller-search")
        .on_input(ui.on_value(Action::SearchInput))
        .on_keydown(keys(ui));
    el("div")
        .class("bbps-field")
        .child(el("label").attr("for", "bbps-q").child(ui.say(Msg::SearchBillers)).done())
        .child(field.done())
        .child(el("p").class("bbps-sr").attr("id", "bbps-q-help").child(ui.say(Msg::SearchHelp)).done())
}

fn states(ui: Ui<'_>) -> Html {
    let chosen = ui.f.catalogue.search.state.as_str();
    let all = el("option").attr("value", "").flag("selected", chosen.is_empty()).child(ui.say(Msg::AllStates));
    let options = STATES.iter().map(|(code, _)| {
        el("option")
            .attr("value", *code)
            .flag("selected", chosen == *code)
            .text(state_name(ui.s, code).to_owned())
            .done()
    });
    let select = el("select")
        .attr("id", "bbps-state")
        .testid("state-filter")
        .on_change(ui.on_value(Action::StateFilter))
        .child(all.done())
        .children(options);
    let field = Field { id: "bbps-state", label: ui.t(Msg::State), hint: None, error: None };
    field.wrap(select.done(), "state-filter")
}

/// "PIN code": narrows the list to the billers serving the customer's area.
fn pincode(ui: Ui<'_>) -> Html {
    let s = &ui.f.catalogue.search;
    let fd = Field {
        id: "bbps-pincode",
        label: ui.t(Msg::Pincode),
        hint: Some(ui.t(Msg::PincodeHint)),
        error: s.pincode_issue().map(|m| ui.t(m).to_owned()),
    };
    let control = fd
        .control(input("text"))
        .attr("inputmode", "numeric")
        .attr("autocomplete", "postal-code")
        .attr("maxlength", "7")
        .value(&s.pincode)
        .testid("pincode-filter")
        .on_input(ui.on_value(Action::PincodeFilter));
    fd.wrap(control.done(), "pincode-filter")
}

pub fn view(ui: Ui<'_>) -> Html {
    let f = ui.f;
    let s = &f.catalogue.search;
    let code = f.catalogue.category.as_deref().unwrap_or_default();
    let category = category_name(ui.s, code, f.catalogue.category_name(code).unwrap_or(code)).to_owned();
    let show_states = s.regional || !s.state.is_empty() || !s.pincode.is_empty();
    let more = !s.loading && (s.items.len() as u32) < s.total;
    let options = s.items.iter().enumerate().map(|(i, b)| {
        let selected = s.active == Some(i);
        el("li")
            .attr("id", option_id(i))
            .attr("role", "option")
            .attr("aria-selected", if selected { "true" } else { "false" })
            .class(if selected { "bbps-option bbps-active" } else { "bbps-option" })
            .testid(format!("biller-{}", b.id))
            .on_click(ui.on_with(b.id.clone(), Action::PickBiller))
            .child(el("span").class("bbps-option-name").text(b.name.clone()).done())
            .child(el("span").class("bbps-option-meta").text(coverage(ui.s, &b.coverage)).done())
            .children(b.unavailable_until.map(|t| {
                let until = format!("{} {}", ui.t(Msg::AvailableFrom), crate::i18n::date_time(ui.s, t));
                el("span").class("bbps-option-meta").testid(format!("biller-{}-unavailable", b.id)).text(until).done()
            }))
            .done()
    });
    let list = el("ul")
        .attr("id", LIST_ID)
        .class("bbps-options")
        .attr("role", "listbox")
        .attr("aria-label", ui.t(Msg::BillersTitle).to_owned())
        .attr("aria-busy", if s.loading { "true" } else { "false" })
        .testid("billers")
        .children(options);
    let status = if s.loading {
        Some(ui.loading(Msg::Loading, Some("billers-loading")))
    } else if s.items.is_empty() && f.problem.is_none() {
        Some(el("p").class("bbps-empty").testid("billers-empty").child(ui.say(Msg::BillersEmpty)).done())
    } else {
        None
    };
    let more =
        more.then(|| ui.button("bbps-btn bbps-quiet", "more-billers", Msg::MoreBillers, ui.on(|| Action::MoreBillers)));
    ui.section(
        Msg::BillersTitle,
        [
            el("p").class("bbps-sub").testid("category-name").text(category).done(),
            el("div")
                .class("bbps-search")
                .child(search(ui).done())
                .opt(show_states.then(|| states(ui)))
                .opt(show_states.then(|| pincode(ui)))
                .done(),
            list.done(),
            status.unwrap_or_default(),
            more.unwrap_or_default(),
        ],
    )
}
