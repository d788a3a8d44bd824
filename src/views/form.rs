//! The customer-input form, generated from the biller's params (see [`crate::form`]).

use bbps_core::{CustomerParam, FetchRequirement};
use yew::prelude::*;

use super::{Field, Ui, text_input};
use crate::flow::{Action, BillerCtx};
use crate::form::{Block, Control, FieldIssue, control, field_slug, layout};
use crate::i18n::{Locale, Msg, error_msg, field_error, text};

/// A field issue in words.
pub fn issue_text(locale: Locale, issue: &FieldIssue) -> String {
    match issue {
        FieldIssue::Param(e) => field_error(locale, e),
        FieldIssue::Server(code) => text(locale, error_msg(*code)).to_owned(),
    }
}

fn param_field(ui: Ui<'_>, ctx: &BillerCtx, param: &CustomerParam, grouped: bool) -> Html {
    let f = ui.f;
    let slug = field_slug(&param.name);
    let id = format!("bbps-p-{slug}");
    let testid = format!("param-{slug}");
    let label = if param.optional && !grouped {
        format!("{} ({})", param.name, ui.t(Msg::Optional))
    } else {
        param.name.clone()
    };
    let field = Field {
        id: &id,
        label: &label,
        hint: None,
        error: f.journey.form.issue(&ctx.rules, &param.name).map(|i| issue_text(f.locale, &i)),
    };
    let value = f.journey.form.value(&param.name);
    let name = param.name.clone();
    let oninput = ui.on_value(move |value| Action::ParamInput { name: name.clone(), value });
    let name = param.name.clone();
    let onblur = ui.on_with(name.clone(), Action::ParamBlur);
    match control(param) {
        Control::Select(values) => {
            let onchange = ui.on_value(move |value| Action::ParamInput { name: name.clone(), value });
            let control = html! {
                <select id={id.clone()} aria-invalid={field.invalid()} aria-describedby={field.described_by()}
                    data-testid={testid.clone()} {onchange} {onblur}>
                    <option value="" selected={value.is_empty()}>{ ui.t(Msg::ChooseOne) }</option>
                    { for values.iter().map(|v| html! {
                        <option value={v.clone()} selected={value == v}>{ v.clone() }</option>
                    }) }
                </select>
            };
            field.wrap(control, &testid)
        }
        Control::Text { numeric } => {
            let mode = if numeric { "numeric" } else { "text" };
            // The biller's example value is the placeholder.
            text_input(&field, value, mode, param.hint.as_deref(), &testid, oninput, Some(onblur))
        }
    }
}

fn group(ui: Ui<'_>, ctx: &BillerCtx, g: usize, members: &[usize]) -> Html {
    let params: Vec<&CustomerParam> = members.iter().filter_map(|&i| ctx.biller.params.get(i)).collect();
    let names: Vec<String> = params.iter().map(|p| p.name.clone()).collect();
    let hint = names.join(&format!(" {} ", ui.t(Msg::Or)));
    let issue = ui.f.journey.form.group_issue(&names).map(|i| issue_text(ui.f.locale, &i));
    let hint_id = format!("bbps-g{g}-hint");
    let err_id = format!("bbps-g{g}-err");
    let described = if issue.is_some() { format!("{hint_id} {err_id}") } else { hint_id.clone() };
    html! {
        <fieldset ~className={if issue.is_some() { "bbps-group bbps-field-bad" } else { "bbps-group" }} aria-describedby={described}
            data-testid={format!("param-group-{g}")}>
            <legend>{ ui.t(Msg::GroupLegend) }</legend>
            <p class="bbps-hint" id={hint_id}>{ hint }</p>
            { for params.iter().map(|p| param_field(ui, ctx, p, true)) }
            if let Some(e) = issue {
                <p class="bbps-err" id={err_id} data-testid={format!("param-group-{g}-error")}>{ e }</p>
            }
        </fieldset>
    }
}

pub fn view(ui: Ui<'_>) -> Html {
    let f = ui.f;
    let Some(ctx) = f.journey.ctx() else {
        return html! {
            <section>
                { ui.heading(Msg::FormTitle) }
                <>
                    if f.journey.biller.is_loading() {
                        <p class="bbps-loading" data-testid="biller-loading">{ ui.t(Msg::Loading) }</p>
                    }
                </>
            </section>
        };
    };
    let b = &ctx.biller;
    let submit = match b.fetch_requirement {
        FetchRequirement::NotSupported if b.supports_validation => Msg::VerifyAccount,
        FetchRequirement::NotSupported => Msg::Continue,
        FetchRequirement::Mandatory | FetchRequirement::Optional => Msg::FetchBill,
    };
    html! {
        <section>
            { ui.heading(Msg::FormTitle) }
            <>
                <p class="bbps-sub" data-testid="biller-name">{ b.name.clone() }</p>
                <form class="bbps-form" novalidate=true onsubmit={ui.on_submit(|| Action::SubmitParams)} data-testid="param-form">
                    { for layout(b).into_iter().map(|block| match block {
                        Block::Single(i) => param_field(ui, ctx, &b.params[i], false),
                        Block::Group { group: g, members } => group(ui, ctx, g, &members),
                    }) }
                    { ui.submit("submit-params", if f.journey.fetch.is_running() { Some(Msg::FetchingBill) } else { None }, submit) }
                </form>
            </>
        </section>
    }
}
