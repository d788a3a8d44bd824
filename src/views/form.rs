//! The customer-input form, generated from the biller's params (see [`crate::form`]).

use bbps_core::{CustomerParam, FetchRequirement};
use yew::Html;

use super::el::{el, list};
use super::{Field, Ui, mobile_input, text_input};
use crate::flow::{Action, BillerCtx};
use crate::form::{Block, Control, FieldIssue, control, field_slug, layout};
use crate::i18n::{Msg, Strings, error_msg, field_error};

/// A field issue in words.
pub fn issue_text(s: &Strings, issue: &FieldIssue) -> String {
    match issue {
        FieldIssue::Param(e) => field_error(s, e),
        FieldIssue::Server(code) => s.get(error_msg(*code)).to_owned(),
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
        error: f.journey.form.issue(&ctx.rules, &param.name).map(|i| issue_text(ui.s, &i)),
    };
    let value = f.journey.form.value(&param.name);
    let onblur = ui.on_with(param.name.clone(), Action::ParamBlur);
    let input_to = |name: String| move |value| Action::ParamInput { name: name.clone(), value };
    match control(param) {
        Control::Select(values) => {
            let blank = el("option").attr("value", "").flag("selected", value.is_empty()).child(ui.say(Msg::ChooseOne));
            let options = values
                .iter()
                .map(|v| el("option").attr("value", v.clone()).flag("selected", value == v).text(v.clone()).done());
            let select = field
                .control(el("select"))
                .testid(testid.clone())
                .on_change(ui.on_value(input_to(param.name.clone())))
                .on_blur(onblur)
                .child(blank.done())
                .children(options);
            field.wrap(select.done(), &testid)
        }
        Control::Text { numeric } => {
            let mode = if numeric { "numeric" } else { "text" };
            // The biller's example value is the placeholder.
            let oninput = ui.on_value(input_to(param.name.clone()));
            text_input(&field, value, mode, param.hint.as_deref(), &testid, oninput, Some(onblur))
        }
    }
}

fn group(ui: Ui<'_>, ctx: &BillerCtx, g: usize, members: &[usize]) -> Html {
    let params: Vec<&CustomerParam> = members.iter().filter_map(|&i| ctx.biller.params.get(i)).collect();
    let names: Vec<String> = params.iter().map(|p| p.name.clone()).collect();
    let hint = names.join(&format!(" {} ", ui.t(Msg::Or)));
    let issue = ui.f.journey.form.group_issue(&names).map(|i| issue_text(ui.s, &i));
    let hint_id = format!("bbps-g{g}-hint");
    let err_id = format!("bbps-g{g}-err");
    let described = if issue.is_some() { format!("{hint_id} {err_id}") } else { hint_id.clone() };
    let error = issue
        .map(|e| el("p").class("bbps-err").attr("id", err_id).testid(format!("param-group-{g}-error")).text(e).done());
    el("fieldset")
        .class(if error.is_some() { "bbps-group bbps-field-bad" } else { "bbps-group" })
        .attr("aria-describedby", described)
        .testid(format!("param-group-{g}"))
        .child(el("legend").child(ui.say(Msg::GroupLegend)).done())
        .child(el("p").class("bbps-hint").attr("id", hint_id).text(hint).done())
        .children(params.iter().map(|p| param_field(ui, ctx, p, true)))
        .opt(error)
        .done()
}

pub fn view(ui: Ui<'_>) -> Html {
    let f = ui.f;
    let Some(ctx) = f.journey.ctx() else {
        let loading = f.journey.biller.is_loading().then(|| ui.loading(Msg::Loading, Some("biller-loading")));
        return ui.section(Msg::FormTitle, loading);
    };
    let b = &ctx.biller;
    let submit = match b.fetch_requirement {
        FetchRequirement::NotSupported if b.supports_validation => Msg::VerifyAccount,
        FetchRequirement::NotSupported => Msg::Continue,
        FetchRequirement::Mandatory | FetchRequirement::Optional => Msg::FetchBill,
    };
    let fields = layout(b).into_iter().map(|block| match block {
        Block::Single(i) => param_field(ui, ctx, &b.params[i], false),
        Block::Group { group: g, members } => group(ui, ctx, g, &members),
    });
    // A bill fetch carries the customer's mobile number, so it is asked here, beside the biller's params.
    let mobile = f.journey.form_asks_mobile().then(|| {
        let field = Field {
            id: "bbps-form-mobile",
            label: ui.t(Msg::MobileForBill),
            hint: Some(ui.t(Msg::MobileForBillHint)),
            error: f.journey.form_mobile_issue().map(|m| ui.t(m).to_owned()),
        };
        mobile_input(ui, &field, "form-mobile")
    });
    let busy = f.journey.fetch.is_running().then_some(Msg::FetchingBill);
    let form = el("form")
        .class("bbps-form")
        .flag("novalidate", true)
        .on_submit(ui.on_submit(|| Action::SubmitParams))
        .testid("param-form")
        .child(list(fields))
        .opt(mobile)
        .child(ui.submit("submit-params", busy, submit));
    ui.section(
        Msg::FormTitle,
        [el("p").class("bbps-sub").testid("biller-name").text(b.name.clone()).done(), form.done()],
    )
}
