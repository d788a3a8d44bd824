//! "Choose a plan": a prepaid biller's plans by category tab and search words, each with its price, validity and
//! benefits; and, where plans are optional, another amount.

use bbps_core::plan::{Plan, PlanRequirement};
use yew::Html;

use super::el::{el, input, list};
use super::{Field, Ui};
use crate::flow::{Action, Remote};
use crate::i18n::Msg;

fn tab(ui: Ui<'_>, label: String, value: Option<String>, chosen: bool, testid: String) -> Html {
    el("button")
        .attr("type", "button")
        .class(if chosen { "bbps-chip bbps-chip-on" } else { "bbps-chip" })
        .attr("aria-pressed", if chosen { "true" } else { "false" })
        .testid(testid)
        .on_click(ui.on_with(value, Action::PlanCategory))
        .text(label)
        .done()
}

fn card(ui: Ui<'_>, p: &Plan) -> Html {
    let benefits = p.benefits.iter().map(|b| el("li").text(format!("{}: {}", b.name, b.value)).done());
    let validity = p
        .validity
        .as_ref()
        .map(|v| el("span").class("bbps-option-meta").text(format!("{}: {v}", ui.t(Msg::PlanValidity))).done());
    el("li")
        .child(
            el("button")
                .attr("type", "button")
                .class("bbps-plan")
                .testid(format!("plan-{}", p.id))
                .on_click(ui.on_with(Some(p.clone()), Action::ChoosePlan))
                .child(el("strong").class("bbps-plan-price").text(p.amount.to_inr_string()).done())
                .opt(validity)
                .child(el("span").class("bbps-option-name").text(p.description.clone()).done())
                .child(el("ul").class("bbps-plan-benefits").children(benefits).done())
                .done(),
        )
        .done()
}

pub fn view(ui: Ui<'_>) -> Html {
    let p = &ui.f.journey.plans;
    let optional = ui.f.journey.ctx().is_some_and(|c| c.biller.plans == Some(PlanRequirement::Optional));
    let withdrawn = p.withdrawn.then(|| {
        el("p")
            .class("bbps-alert")
            .attr("role", "alert")
            .testid("plan-withdrawn")
            .child(ui.say(Msg::ErrPlanNotAvailable))
            .done()
    });
    let body = match &p.list {
        Remote::Ready(plans) => {
            let tabs = std::iter::once(tab(
                ui,
                ui.t(Msg::AllPlans).to_owned(),
                None,
                p.category.is_none(),
                "plan-tab-all".into(),
            ))
            .chain(plans.categories.iter().map(|c| {
                let chosen = p.category.as_deref() == Some(c.as_str());
                tab(ui, c.clone(), Some(c.clone()), chosen, format!("plan-tab-{}", c.to_ascii_lowercase()))
            }));
            let fd = Field {
                id: "bbps-plan-q",
                label: ui.t(Msg::PlanSearch),
                hint: Some(ui.t(Msg::PlanSearchHint)),
                error: None,
            };
            let search = fd
                .control(input("search"))
                .attr("autocomplete", "off")
                .value(&p.query)
                .testid("plan-search")
                .on_input(ui.on_value(Action::PlanSearch));
            let shown = p.shown();
            let items = if shown.is_empty() {
                el("p").class("bbps-empty").testid("plans-empty").child(ui.say(Msg::PlansEmpty)).done()
            } else {
                el("ul")
                    .class("bbps-plans")
                    .testid("plans")
                    .children(shown.into_iter().map(|plan| card(ui, plan)))
                    .done()
            };
            list([
                el("div")
                    .class("bbps-chips")
                    .attr("role", "group")
                    .attr("aria-label", ui.t(Msg::PlanCategories).to_owned())
                    .children(tabs)
                    .done(),
                fd.wrap(search.done(), "plan-search"),
                items,
            ])
        }
        Remote::Failed(_) | Remote::Idle => Html::default(),
        Remote::Loading => ui.loading(Msg::Loading, Some("plans-loading")),
    };
    let other = optional.then(|| {
        ui.button("bbps-btn bbps-quiet", "plan-other-amount", Msg::PayOtherAmount, ui.on_with(None, Action::ChoosePlan))
    });
    ui.section(Msg::ChoosePlan, [withdrawn.unwrap_or_default(), body, other.unwrap_or_default()])
}
