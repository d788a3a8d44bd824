//! The journey's state machine: every step, back navigation, resuming a payment, and what each class of server
//! error does. Pure Rust: these run in headless Chromium and natively.

mod common;

use bbps_core::api::{
    MobileNumber, Mode, Payment, PaymentSource, QuoteKind, TrackingAccess, TrackingCodeSent, VerifyTrackingCodeRequest,
};
use bbps_core::complaint::{ServiceReason, ServiceTarget};
use bbps_core::{
    ApiError, ClientSecret, ErrorCode, FetchRequirement, FieldError, OtpChallengeId, ParamErrorCode, PaymentStatus,
    Timestamp, TxnRef,
};
use bbps_widget::api::{Failure, TrackQuery, iso_date};
use bbps_widget::flow::{
    Action, BillState, Command, ComplaintField, FatalReason, Fetch, FirstScreen, Flow, Phase, Proof, Remote,
    StartOptions, Step, TrackField, WidgetEvent, reduce,
};
use bbps_widget::form::FieldIssue;
use bbps_widget::i18n::{Locale, Msg};
use common::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn has(cmds: &[Command], pred: impl Fn(&Command) -> bool) -> bool {
    cmds.iter().any(pred)
}

fn api_failure(code: ErrorCode) -> Failure {
    Failure::Api(ApiError::new(code, "x"))
}

/// A flow on the bill step of the standard biller.
fn on_bill() -> Flow {
    let mut f = on_form(biller(FetchRequirement::Mandatory, false));
    run(
        &mut f,
        [
            type_param("Consumer Number", "0123456789"),
            type_mobile(),
            Action::SubmitParams,
            Action::QuoteLoaded(quote()),
        ],
    );
    f
}

/// A flow on the payment step, the UPI link issued.
fn paying() -> Flow {
    let mut f = on_bill();
    run(&mut f, [Action::ConfirmBill, Action::MobileInput("98765 43210".into()), Action::SubmitPayment]);
    reduce(&mut f, Action::PaymentCreated(payment(PaymentStatus::AwaitingPayment)));
    f
}

#[wasm_bindgen_test(unsupported = test)]
fn start_opens_a_session_then_shows_categories() {
    let mut f = Flow::new(env(Locale::En));
    assert_eq!(
        reduce(&mut f, Action::Start(StartOptions::default())),
        vec![Command::LoadStrings(Locale::En), Command::OpenSession],
        "the texts and the session at once"
    );
    assert_eq!(f.step, Step::Loading);
    let cmds = reduce(&mut f, Action::SessionReady(Mode::Test));
    assert_eq!(f.step, Step::Categories);
    assert_eq!(f.mode(), Some(Mode::Test));
    assert!(has(&cmds, |c| *c == Command::LoadCategories));
    assert!(has(&cmds, |c| *c == Command::Notify(WidgetEvent::Ready { locale: Locale::En, mode: Mode::Test })));
    assert!(has(&cmds, |c| *c == Command::Notify(WidgetEvent::StepChanged("categories"))));
    reduce(&mut f, Action::CategoriesLoaded(categories()));
    assert_eq!(f.catalogue.categories.ready().map(Vec::len), Some(3));
}

#[wasm_bindgen_test(unsupported = test)]
fn no_key_is_a_configuration_error() {
    let mut f = Flow::new(env(Locale::En));
    let cmds =
        reduce(&mut f, Action::Start(StartOptions { fatal: Some(FatalReason::NoKey), ..StartOptions::default() }));
    assert_eq!(f.step, Step::Fatal(FatalReason::NoKey));
    assert!(!has(&cmds, |c| *c == Command::OpenSession));
    assert!(has(&cmds, |c| *c == Command::Notify(WidgetEvent::Error { code: None })));
}

#[wasm_bindgen_test(unsupported = test)]
fn a_refused_key_is_a_configuration_error() {
    let mut f = Flow::new(env(Locale::En));
    reduce(&mut f, Action::Start(StartOptions::default()));
    reduce(&mut f, Action::Failed { command: Command::OpenSession, failure: api_failure(ErrorCode::OriginNotAllowed) });
    assert_eq!(f.step, Step::Fatal(FatalReason::Refused(ErrorCode::OriginNotAllowed)));
}

#[wasm_bindgen_test(unsupported = test)]
fn configured_category_and_biller_open_directly() {
    let mut f = Flow::new(env(Locale::En));
    let opts = StartOptions { category: Some("water".into()), ..StartOptions::default() };
    run(&mut f, [Action::Start(opts)]);
    let cmds = reduce(&mut f, Action::SessionReady(Mode::Live));
    assert_eq!(f.step, Step::Billers);
    assert!(has(&cmds, |c| matches!(c, Command::SearchBillers { query, .. } if query.category == "water")));

    let mut f = Flow::new(env(Locale::En));
    let opts = StartOptions { biller: Some(biller_id()), ..StartOptions::default() };
    run(&mut f, [Action::Start(opts)]);
    let cmds = reduce(&mut f, Action::SessionReady(Mode::Live));
    assert_eq!(f.step, Step::Form);
    assert!(has(&cmds, |c| *c == Command::LoadBiller(biller_id())));
    reduce(&mut f, Action::BillerLoaded(biller(FetchRequirement::Mandatory, false)));
    assert_eq!(f.catalogue.category.as_deref(), Some("electricity"), "back leads to the biller's category");
    assert_eq!(f.back_target(), Some(Step::Billers));
}

#[wasm_bindgen_test(unsupported = test)]
fn resumes_a_payment_from_storage() {
    let mut f = Flow::new(env(Locale::En));
    let opts = StartOptions { resume: Some(payment_id()), ..StartOptions::default() };
    run(&mut f, [Action::Start(opts)]);
    let cmds = reduce(&mut f, Action::SessionReady(Mode::Test));
    assert_eq!(f.step, Step::Payment);
    assert_eq!(f.payment.following(), Some(&payment_id()));
    assert!(has(&cmds, |c| *c == Command::Follow(payment_id())));
    assert_eq!(f.back_target(), None, "a payment in progress has no back");
    reduce(&mut f, Action::PaymentUpdated(payment(PaymentStatus::AwaitingPayment)));
    assert_eq!(f.payment.latest().map(|p| p.status), Some(PaymentStatus::AwaitingPayment));
    // Without the journey behind it, "a new QR" starts over instead.
    assert!(!f.can_pay_again());
}

#[wasm_bindgen_test(unsupported = test)]
fn searching_billers_is_debounced_and_ignores_stale_answers() {
    let mut f = started(Locale::En);
    let cmds = reduce(&mut f, Action::PickCategory("electricity".into()));
    assert_eq!(f.step, Step::Billers);
    assert!(has(&cmds, |c| matches!(c, Command::SearchBillers { seq: 1, debounce: false, query } if query.page == 1)));
    let cmds = reduce(&mut f, Action::SearchInput("maha".into()));
    assert!(has(&cmds, |c| matches!(c, Command::SearchBillers { seq: 2, debounce: true, query } if query.q == "maha")));
    let b = biller(FetchRequirement::Mandatory, false);
    let page = |page, items| bbps_core::api::BillerPage { items, total: 3, page, per_page: 2 };
    reduce(&mut f, Action::BillersLoaded { seq: 1, page: page(1, vec![]) });
    assert!(f.catalogue.search.loading, "the answer to an older query is ignored");
    reduce(&mut f, Action::BillersLoaded { seq: 2, page: page(1, vec![summary(&b), summary(&b)]) });
    assert!(!f.catalogue.search.loading);
    assert_eq!(f.catalogue.search.items.len(), 2);
    assert!(f.catalogue.search.regional, "a state-level biller brings the state filter");
    // Arrow keys move through the options and stop at the ends.
    run(&mut f, [Action::MoveActive(1), Action::MoveActive(1), Action::MoveActive(1)]);
    assert_eq!(f.catalogue.search.active, Some(1));
    reduce(&mut f, Action::MoveActive(-1));
    assert_eq!(f.catalogue.search.active, Some(0));
    // More: the next page is appended.
    let cmds = reduce(&mut f, Action::MoreBillers);
    assert!(has(&cmds, |c| matches!(c, Command::SearchBillers { seq: 3, query, .. } if query.page == 2)));
    reduce(&mut f, Action::BillersLoaded { seq: 3, page: page(2, vec![summary(&b)]) });
    assert_eq!(f.catalogue.search.items.len(), 3);
    assert!(reduce(&mut f, Action::MoreBillers).is_empty(), "nothing more to load");
    let cmds = reduce(&mut f, Action::StateFilter("MH".into()));
    assert!(has(
        &cmds,
        |c| matches!(c, Command::SearchBillers { query, .. } if query.state == "MH" && query.page == 1)
    ));

    // A PIN code narrows the list once it reads as one; the digits on the way ask nothing and say nothing.
    let search = |cmds: &[Command]| {
        cmds.iter().find_map(|c| match c {
            Command::SearchBillers { query, .. } => Some(query.clone()),
            _ => None,
        })
    };
    let cmds = reduce(&mut f, Action::PincodeFilter("5600".into()));
    assert!(cmds.is_empty());
    assert_eq!(f.catalogue.search.pincode_issue(), None);
    let cmds = reduce(&mut f, Action::PincodeFilter("560 001".into()));
    let q = search(&cmds).expect("asks with the PIN code");
    assert_eq!((q.pincode.map(|p| p.to_string()), q.state.as_str(), q.page), (Some("560001".into()), "MH", 1));
    assert!(format!("{:?}", bbps_widget::api::Call::billers(&q)).contains("&state=MH&pincode=560001\""));
    // Not a PIN code any more: said beside the field, and the list is no longer narrowed by it.
    let cmds = reduce(&mut f, Action::PincodeFilter("56000a".into()));
    assert_eq!(search(&cmds).map(|q| q.pincode), Some(None));
    assert_eq!(f.catalogue.search.pincode_issue(), Some(Msg::ErrPincodeInvalid));
    assert_eq!(reduce(&mut f, Action::PincodeFilter("0560001".into())), vec![]);
    assert_eq!(f.catalogue.search.pincode_issue(), Some(Msg::ErrPincodeInvalid));
    // A PIN code no state holds: the server says so, beside the field, until it is edited.
    let cmds = reduce(&mut f, Action::PincodeFilter("990001".into()));
    let failed = cmds.into_iter().find(|c| matches!(c, Command::SearchBillers { .. })).expect("asks");
    reduce(&mut f, Action::Failed { command: failed, failure: api_failure(ErrorCode::PincodeUnknown) });
    assert_eq!(f.catalogue.search.pincode_issue(), Some(Msg::ErrPincodeUnknown));
    assert!(f.problem.is_none(), "not a failure to retry");
    reduce(&mut f, Action::PincodeFilter("99000".into()));
    assert_eq!(f.catalogue.search.pincode_issue(), None);
}

#[wasm_bindgen_test(unsupported = test)]
fn a_bills_own_range_and_step_are_checked_before_sending() {
    use bbps_core::{AmountBounds, AmountError, AmountRule};
    use bbps_widget::flow::AmountIssue;
    let mut f = on_form(biller(FetchRequirement::Mandatory, false));
    run(&mut f, [type_param("Consumer Number", "0123456789"), type_mobile(), Action::SubmitParams]);
    let rule = AmountRule { min: Some(p(50_000)), max: Some(p(200_000)), multiple: Some(p(10_000)) };
    let mut q = quote();
    q.exactness = None;
    if let Some(bill) = q.bill.as_mut() {
        bill.amount = p(200_000);
        bill.amount_options.clear();
        bill.amount_rule = rule;
    }
    q.amount_bounds =
        AmountBounds { min: p(50_000), max: p(200_000), suggested: Some(p(200_000)), exactness: None, rule };
    run(&mut f, [Action::QuoteLoaded(q), Action::ConfirmBill]);
    for (typed, error) in [
        ("400", AmountError::AmountBelowBillMin { min: p(50_000) }),
        ("2100", AmountError::AmountAboveBillMax { max: p(200_000) }),
        ("1250.50", AmountError::AmountNotMultiple { multiple: p(10_000) }),
    ] {
        run(&mut f, [Action::AmountInput(typed.into()), Action::SubmitPayment]);
        assert_eq!(f.journey.amount_issue(), Some(AmountIssue::Rule(error)), "{typed}");
    }
    let shown =
        bbps_widget::i18n::amount_error(&strings(Locale::En), AmountError::AmountNotMultiple { multiple: p(10_000) });
    assert_eq!(shown, "Pay in multiples of ₹100.00");
    run(&mut f, [Action::AmountInput("1,200".into()), Action::MobileInput("9876543210".into())]);
    let cmds = reduce(&mut f, Action::SubmitPayment);
    assert!(
        matches!(cmds.first(), Some(Command::CreatePayment { request, .. }) if request.amount == p(120_000)),
        "{cmds:?}"
    );
}

/// A quote whose bill lists three bills (₹500, ₹700, ₹900), taken as `selection` says.
fn listed_quote(selection: bbps_core::bill_list::BillSelection) -> bbps_core::api::BillQuote {
    use bbps_core::bill_list::{BillItem, BillList};
    let items = [("B-09", 50_000), ("B-10", 70_000), ("B-11", 90_000)].map(|(n, a)| BillItem {
        bill_number: n.into(),
        amount: p(a),
        due_date: None,
        bill_period: None,
    });
    let list = BillList::new(selection, items.to_vec()).unwrap();
    let mut q = quote();
    q.exactness = Some(bbps_core::Exactness::Exact);
    if let Some(bill) = q.bill.as_mut() {
        bill.amount = list.total();
        bill.amount_options.clear();
        bill.list = Some(list);
    }
    q
}

#[wasm_bindgen_test(unsupported = test)]
fn bills_of_a_list_are_chosen_as_the_biller_allows_and_paid_as_their_sum() {
    use bbps_core::api::PaymentSource;
    use bbps_core::bill_list::BillSelection;
    let mut f = on_form(biller(FetchRequirement::Mandatory, false));
    run(&mut f, [type_param("Consumer Number", "0123456789"), type_mobile(), Action::SubmitParams]);
    run(&mut f, [Action::QuoteLoaded(listed_quote(BillSelection::Multiple))]);
    assert_eq!(f.step, Step::Bill);
    assert_eq!(f.journey.amount.bills, ["B-09", "B-10", "B-11"], "all of them to begin with");
    assert_eq!(f.journey.amount.input, "2100.00");
    // None chosen: "Proceed" stays, with the reason beside the list.
    run(
        &mut f,
        [Action::ToggleBill("B-09".into()), Action::ToggleBill("B-10".into()), Action::ToggleBill("B-11".into())],
    );
    run(&mut f, [Action::ConfirmBill]);
    assert_eq!(f.step, Step::Bill);
    assert_eq!(f.journey.bills_issue(), Some(ErrorCode::BillsNotChosen));
    run(&mut f, [Action::ToggleBill("B-11".into()), Action::ToggleBill("B-09".into()), Action::ConfirmBill]);
    assert_eq!(f.step, Step::Amount);
    assert_eq!(f.journey.amount.input, "1400.00", "the chosen bills' sum, fixed");
    assert!(f.journey.bounds().unwrap().is_fixed());
    let cmds = reduce(&mut f, Action::SubmitPayment);
    let Some(Command::CreatePayment { request, .. }) = cmds.first() else { panic!("{cmds:?}") };
    assert_eq!(request.amount, p(140_000));
    assert!(
        matches!(&request.source, PaymentSource::Quote { bills, amount_option: None, .. } if *bills == ["B-11", "B-09"]),
        "{:?}",
        request.source
    );

    // The server refuses the choice after all: back to the list, its reason beside it, until the choice changes.
    run(&mut f, [Action::Failed { command: cmds[0].clone(), failure: api_failure(ErrorCode::OneBillOnly) }]);
    assert_eq!((f.step, f.journey.bills_issue()), (Step::Bill, Some(ErrorCode::OneBillOnly)));
    run(&mut f, [Action::ToggleBill("B-10".into())]);
    assert_eq!(f.journey.bills_issue(), None);

    // One per payment: choosing another replaces the first.
    let mut f = on_form(biller(FetchRequirement::Mandatory, false));
    run(&mut f, [type_param("Consumer Number", "0123456789"), type_mobile(), Action::SubmitParams]);
    run(&mut f, [Action::QuoteLoaded(listed_quote(BillSelection::Single)), Action::ToggleBill("B-10".into())]);
    assert_eq!(f.journey.amount.bills, ["B-10"]);
    assert_eq!(f.journey.amount.input, "700.00");
    run(&mut f, [Action::ToggleBill("B-10".into())]);
    assert_eq!(f.journey.amount.bills, ["B-10"], "a radio button stays chosen");
}

#[wasm_bindgen_test(unsupported = test)]
fn the_whole_journey_to_a_receipt() {
    let mut f = on_form(biller(FetchRequirement::Mandatory, false));
    assert_eq!(f.step, Step::Form);
    // Submitting an empty form shows the error and asks for focus on it; nothing is sent.
    let cmds = reduce(&mut f, Action::SubmitParams);
    assert!(cmds.is_empty());
    assert_eq!(f.error_focus, 1);
    let ctx = f.journey.ctx().cloned().unwrap();
    assert!(matches!(
        f.journey.form.issue(&ctx.rules, "Consumer Number"),
        Some(FieldIssue::Param(FieldError { code: ParamErrorCode::ParamMissing, .. }))
    ));
    reduce(&mut f, type_param("Consumer Number", " 0123456789 "));
    // The fetch carries the customer's mobile number: the form asks it, beside the biller's params.
    assert!(f.journey.form_asks_mobile());
    assert!(reduce(&mut f, Action::SubmitParams).is_empty(), "no fetch without the mobile number");
    assert_eq!(f.journey.form_mobile_issue(), Some(Msg::ErrMobileInvalid));
    assert_eq!(f.error_focus, 2);
    reduce(&mut f, type_mobile());
    let cmds = reduce(&mut f, Action::SubmitParams);
    let Some(Command::FetchBill(req)) = cmds.first() else { panic!("fetch expected: {cmds:?}") };
    assert_eq!(req.params.get("Consumer Number").map(String::as_str), Some("0123456789"), "trimmed");
    assert_eq!(req.customer_mobile.as_ref().map(MobileNumber::as_str), Some("9876543210"));
    assert!(f.journey.fetch.is_running());
    reduce(&mut f, Action::QuoteLoaded(quote()));
    assert_eq!(f.step, Step::Bill);
    assert_eq!(f.journey.amount.input, "1234.50", "the bill amount is pre-filled");
    // Choosing the early-payment option changes the amount and its bounds.
    reduce(&mut f, Action::ChooseAmountOption(Some("Early Payment Amount".into())));
    assert_eq!(f.journey.amount.input, "1200.00");
    assert_eq!(f.journey.bounds().unwrap().min, p(120_000));
    reduce(&mut f, Action::ChooseAmountOption(None));
    reduce(&mut f, Action::ConfirmBill);
    assert_eq!(f.step, Step::Amount);
    // The mobile number typed on the form is the one shown here. Amount and mobile are checked before anything
    // is sent.
    assert_eq!(f.journey.amount.mobile, "98765 43210");
    run(&mut f, [Action::AmountInput("1000".into()), Action::MobileInput("98765".into()), Action::SubmitPayment]);
    assert!(f.journey.amount_issue().is_some(), "below the bill for an exact-and-above biller");
    assert_eq!(f.journey.mobile_issue(), Some(Msg::ErrMobileInvalid));
    run(&mut f, [Action::AmountInput("1,300".into()), Action::MobileInput("+91 98765 43210".into())]);
    let cmds = reduce(&mut f, Action::SubmitPayment);
    let Some(Command::CreatePayment { request, idempotency_key }) = cmds.first() else { panic!("{cmds:?}") };
    assert_eq!(request.amount, p(130_000));
    assert_eq!(request.customer_mobile.as_str(), "9876543210");
    assert_eq!(request.source, PaymentSource::Quote { quote_id: quote_id(), amount_option: None, bills: vec![] });
    assert_eq!(idempotency_key, "n0nce-1");
    // The payment: remembered, followed, and its result only from the server's status.
    // The creating answer carries the client secret: that is what is remembered, for a reload's new session.
    let secret = ClientSecret::new(&payment_id(), "0123456789abcdef0123456789abcdef").unwrap();
    let created = Payment { client_secret: Some(secret.clone()), ..payment(PaymentStatus::AwaitingPayment) };
    let cmds = reduce(&mut f, Action::PaymentCreated(created));
    assert_eq!(f.step, Step::Payment);
    assert!(has(&cmds, |c| *c == Command::Remember(Some(secret.clone()))));
    assert!(has(&cmds, |c| *c == Command::Follow(payment_id())));
    let cmds = reduce(&mut f, Action::PaymentUpdated(payment(PaymentStatus::BillPaymentPending)));
    assert!(has(&cmds, |c| matches!(c, Command::Notify(WidgetEvent::PaymentPending { .. }))));
    let cmds = reduce(&mut f, Action::PaymentUpdated(payment(PaymentStatus::Completed)));
    let txn_ref = TxnRef::parse("CC01BBPS0000000012AB").unwrap();
    assert!(has(&cmds, |c| *c
        == Command::Notify(WidgetEvent::PaymentSucceeded { payment_id: payment_id(), txn_ref: txn_ref.clone() })));
    assert!(has(&cmds, |c| *c == Command::StopFollowing));
    // Another bill: storage forgotten, the mobile number kept.
    let cmds = reduce(&mut f, Action::Home);
    assert_eq!(f.step, Step::Categories);
    assert!(has(&cmds, |c| *c == Command::Remember(None)));
    assert_eq!(f.journey.amount.mobile, "+91 98765 43210");
}

#[wasm_bindgen_test(unsupported = test)]
fn an_update_for_another_payment_is_ignored() {
    let mut f = paying();
    let mut other = payment(PaymentStatus::Completed);
    other.id = bbps_core::PaymentId::parse("pay_zzzzzzzzzzzzzzzzzzzzzzzz").unwrap();
    assert!(reduce(&mut f, Action::PaymentUpdated(other)).is_empty());
    assert_eq!(f.payment.latest().map(|p| p.status), Some(PaymentStatus::AwaitingPayment));
}

#[wasm_bindgen_test(unsupported = test)]
fn back_navigation_keeps_what_was_typed() {
    let mut f = on_bill();
    run(&mut f, [Action::ConfirmBill, Action::AmountInput("1500".into()), Action::MobileInput("9876543210".into())]);
    assert_eq!(f.back_target(), Some(Step::Bill));
    reduce(&mut f, Action::Back);
    assert_eq!(f.step, Step::Bill);
    reduce(&mut f, Action::ConfirmBill);
    assert_eq!((f.journey.amount.input.as_str(), f.journey.amount.mobile.as_str()), ("1500", "9876543210"));
    run(&mut f, [Action::Back, Action::Back]);
    assert_eq!(f.step, Step::Form);
    assert_eq!(f.journey.form.value("Consumer Number"), "0123456789");
    reduce(&mut f, Action::Back);
    assert_eq!(f.step, Step::Billers);
    reduce(&mut f, Action::SearchInput("msedcl".into()));
    reduce(&mut f, Action::Back);
    assert_eq!(f.step, Step::Categories);
    // The same category and biller again: nothing reloads, nothing is lost.
    let cmds = reduce(&mut f, Action::PickCategory("electricity".into()));
    assert!(!has(&cmds, |c| matches!(c, Command::SearchBillers { .. })));
    assert_eq!(f.catalogue.search.query, "msedcl");
    let cmds = reduce(&mut f, Action::PickBiller(biller_id()));
    assert!(!has(&cmds, |c| matches!(c, Command::LoadBiller(_))));
    assert_eq!(f.journey.form.value("Consumer Number"), "0123456789");
    // Another category starts a fresh search.
    run(&mut f, [Action::Back, Action::Back]);
    let cmds = reduce(&mut f, Action::PickCategory("water".into()));
    assert!(has(&cmds, |c| matches!(c, Command::SearchBillers { .. })));
    assert_eq!(f.catalogue.search.query, "");
}

#[wasm_bindgen_test(unsupported = test)]
fn the_form_asks_the_mobile_number_a_fetch_carries() {
    // A param that is the customer's mobile number fills the mobile field, once it is a whole number.
    let mut f = on_form(rich_biller());
    reduce(&mut f, type_param("Mobile Number", "98765"));
    assert_eq!(f.journey.amount.mobile, "");
    reduce(&mut f, type_param("Mobile Number", "9876543210"));
    assert_eq!(f.journey.amount.mobile, "9876543210");
    // What the customer typed in the field stays.
    reduce(&mut f, Action::MobileInput("9123456780".into()));
    reduce(&mut f, type_param("Mobile Number", "9876543211"));
    assert_eq!(f.journey.amount.mobile, "9123456780");
    // Any other param is not taken for a mobile number, whatever it looks like.
    let mut f = on_form(biller(FetchRequirement::Mandatory, false));
    reduce(&mut f, type_param("Consumer Number", "9876543210"));
    assert_eq!(f.journey.amount.mobile, "");
    // The server's refusal of the number goes beside the form's mobile field.
    reduce(&mut f, type_mobile());
    let fetch = reduce(&mut f, Action::SubmitParams).remove(0);
    reduce(&mut f, Action::Failed { command: fetch, failure: api_failure(ErrorCode::CustomerMobileRequired) });
    assert_eq!(f.step, Step::Form);
    assert!(f.problem.is_none());
    assert!(f.journey.form_mobile_issue().is_some());
    reduce(&mut f, type_mobile());
    assert_eq!(f.journey.form_mobile_issue(), None, "typing again clears the server's verdict");
    // A biller whose bill is not fetched does not ask it on the form.
    let f = on_form(biller(FetchRequirement::NotSupported, true));
    assert!(!f.journey.form_asks_mobile());
}

#[wasm_bindgen_test(unsupported = test)]
fn direct_pay_billers_skip_to_the_amount() {
    let mut f = on_form(biller(FetchRequirement::NotSupported, false));
    reduce(&mut f, type_param("Consumer Number", "0123456789"));
    let cmds = reduce(&mut f, Action::SubmitParams);
    assert!(!has(&cmds, |c| matches!(c, Command::FetchBill(_) | Command::ValidateBill(_))));
    assert_eq!(f.step, Step::Amount);
    assert_eq!(f.back_target(), Some(Step::Form));
    assert_eq!(f.journey.bounds().unwrap().min, p(100));
    run(&mut f, [Action::AmountInput("499".into()), Action::MobileInput("9876543210".into())]);
    let cmds = reduce(&mut f, Action::SubmitPayment);
    let Some(Command::CreatePayment { request, .. }) = cmds.first() else { panic!("{cmds:?}") };
    let PaymentSource::Direct { biller_id: id, params } = &request.source else { panic!("direct expected") };
    assert_eq!((id, params.get("Consumer Number").map(String::as_str)), (&biller_id(), Some("0123456789")));
}

#[wasm_bindgen_test(unsupported = test)]
fn validate_type_billers_use_validation() {
    let mut f = on_form(biller(FetchRequirement::NotSupported, true));
    reduce(&mut f, type_param("Consumer Number", "0123456789"));
    let cmds = reduce(&mut f, Action::SubmitParams);
    assert!(has(&cmds, |c| matches!(c, Command::ValidateBill(_))));
    let mut q = quote();
    q.kind = QuoteKind::Validated;
    q.bill = None;
    q.customer_name = Some("Asha Patil".into());
    q.amount_bounds.suggested = None;
    reduce(&mut f, Action::QuoteLoaded(q));
    assert_eq!(f.step, Step::Amount);
    assert_eq!(f.back_target(), Some(Step::Form));
}

#[wasm_bindgen_test(unsupported = test)]
fn a_network_failure_offers_the_same_call_again() {
    let mut f = on_form(biller(FetchRequirement::Mandatory, false));
    run(&mut f, [type_param("Consumer Number", "0123456789"), type_mobile()]);
    let cmds = reduce(&mut f, Action::SubmitParams);
    let fetch = cmds[0].clone();
    reduce(&mut f, Action::Failed { command: fetch.clone(), failure: Failure::Network });
    assert!(!f.journey.fetch.is_running());
    assert_eq!(f.problem.as_ref().map(|p| (&p.failure, p.retry.as_ref())), Some((&Failure::Network, Some(&fetch))));
    assert_eq!(reduce(&mut f, Action::Retry)[0], fetch);
    assert!(f.journey.fetch.is_running() && f.problem.is_none());
}

#[wasm_bindgen_test(unsupported = test)]
fn server_field_errors_go_beside_the_field() {
    let mut f = on_form(biller(FetchRequirement::Mandatory, false));
    run(&mut f, [type_param("Consumer Number", "0123456789"), type_mobile()]);
    let cmd = reduce(&mut f, Action::SubmitParams).remove(0);
    let e = ApiError::from_field_errors(vec![FieldError {
        field: "Consumer Number".into(),
        code: ParamErrorCode::ParamPatternMismatch,
        limit: None,
        group: vec![],
    }]);
    reduce(&mut f, Action::Failed { command: cmd, failure: Failure::Api(e) });
    assert_eq!(f.step, Step::Form);
    assert!(f.problem.is_none());
    let ctx = f.journey.ctx().cloned().unwrap();
    assert!(matches!(
        f.journey.form.issue(&ctx.rules, "Consumer Number"),
        Some(FieldIssue::Param(FieldError { code: ParamErrorCode::ParamPatternMismatch, .. }))
    ));
    // Editing the field clears the server's verdict.
    reduce(&mut f, type_param("Consumer Number", "0123456780"));
    assert_eq!(f.journey.form.issue(&ctx.rules, "Consumer Number"), None);
}

#[wasm_bindgen_test(unsupported = test)]
fn bill_outcomes_have_a_screen_of_their_own() {
    for code in [
        ErrorCode::BillNoBillDue,
        ErrorCode::BillInvalidAccount,
        ErrorCode::BillerUnavailable,
        ErrorCode::BillerTimeout,
    ] {
        let mut f = on_form(biller(FetchRequirement::Optional, false));
        run(&mut f, [type_param("Consumer Number", "0123456789"), type_mobile()]);
        let cmd = reduce(&mut f, Action::SubmitParams).remove(0);
        reduce(&mut f, Action::Failed { command: cmd, failure: api_failure(code) });
        assert_eq!(f.step, Step::Bill, "{code:?}");
        assert!(matches!(&f.journey.bill, BillState::Outcome(e) if e.code == code), "{code:?}");
        assert!(f.problem.is_none());
        // Ways on: edit the details, choose another biller, or (no bill due, optional fetch) pay anyway.
        reduce(&mut f, Action::Back);
        assert_eq!(f.step, Step::Form);
    }
    let mut f = on_form(biller(FetchRequirement::Optional, false));
    run(&mut f, [type_param("Consumer Number", "0123456789"), type_mobile()]);
    let cmd = reduce(&mut f, Action::SubmitParams).remove(0);
    reduce(&mut f, Action::Failed { command: cmd, failure: api_failure(ErrorCode::BillNoBillDue) });
    reduce(&mut f, Action::PayWithoutBill);
    assert_eq!(f.step, Step::Amount);
    assert!(f.journey.quote().is_none() && f.journey.bounds().is_ok());
    reduce(&mut f, Action::ChangeBiller);
    assert_eq!(f.step, Step::Billers);
}

#[wasm_bindgen_test(unsupported = test)]
fn amount_refusals_go_beside_the_amount() {
    let mut f = on_bill();
    run(&mut f, [Action::ConfirmBill, Action::MobileInput("9876543210".into())]);
    let cmd = reduce(&mut f, Action::SubmitPayment).remove(0);
    reduce(&mut f, Action::Failed { command: cmd.clone(), failure: api_failure(ErrorCode::AmountAboveMax) });
    assert_eq!(f.step, Step::Amount);
    assert_eq!(f.journey.amount_issue(), Some(bbps_widget::flow::AmountIssue::Server(ErrorCode::AmountAboveMax)));
    reduce(&mut f, Action::Failed { command: cmd, failure: api_failure(ErrorCode::MobileInvalid) });
    assert_eq!(f.journey.mobile_issue(), Some(Msg::ErrMobileInvalid));
    reduce(&mut f, Action::AmountInput("1300".into()));
    assert_eq!(f.journey.amount_issue(), None);
}

#[wasm_bindgen_test(unsupported = test)]
fn an_expired_quote_is_fetched_again_and_paid() {
    // Expired by time, or because the biller takes the bill only on the day of the fetch and the day ended.
    for code in [ErrorCode::QuoteExpired, ErrorCode::BillExpired] {
        let mut f = on_bill();
        run(&mut f, [Action::ConfirmBill, Action::MobileInput("9876543210".into())]);
        let cmd = reduce(&mut f, Action::SubmitPayment).remove(0);
        let cmds = reduce(&mut f, Action::Failed { command: cmd, failure: api_failure(code) });
        assert!(has(&cmds, |c| matches!(c, Command::FetchBill(_))), "{code:?}");
        assert!(f.journey.fetch == Fetch::ToPay && f.problem.is_none());
        let cmds = reduce(&mut f, Action::QuoteLoaded(quote()));
        assert!(has(
            &cmds,
            |c| matches!(c, Command::CreatePayment { idempotency_key, .. } if idempotency_key == "n0nce-2")
        ));
    }
}

#[wasm_bindgen_test(unsupported = test)]
fn an_expired_qr_is_replaced_by_a_new_payment() {
    let mut f = paying();
    reduce(&mut f, Action::PaymentUpdated(payment(PaymentStatus::Expired)));
    assert!(f.can_pay_again());
    let cmds = reduce(&mut f, Action::PayAgain);
    assert!(has(&cmds, |c| *c == Command::StopFollowing));
    assert!(has(&cmds, |c| *c == Command::Remember(None)));
    assert!(has(&cmds, |c| matches!(c, Command::FetchBill(_))));
    let cmds = reduce(&mut f, Action::QuoteLoaded(quote()));
    assert!(has(
        &cmds,
        |c| matches!(c, Command::CreatePayment { idempotency_key, .. } if idempotency_key == "n0nce-2")
    ));
    // A changed bill is the customer's to confirm, not paid straight on.
    let mut f = paying();
    reduce(&mut f, Action::PaymentUpdated(payment(PaymentStatus::PaymentFailed)));
    reduce(&mut f, Action::PayAgain);
    let mut changed = quote();
    changed.amount_bounds.min = p(150_000);
    changed.amount_bounds.suggested = Some(p(150_000));
    let cmds = reduce(&mut f, Action::QuoteLoaded(changed));
    assert!(!has(&cmds, |c| matches!(c, Command::CreatePayment { .. })));
    assert_eq!(f.step, Step::Bill);
}

#[wasm_bindgen_test(unsupported = test)]
fn failed_and_refunded_payments_tell_the_host() {
    for status in [PaymentStatus::PaymentFailed, PaymentStatus::RefundPending, PaymentStatus::Refunded] {
        let mut f = paying();
        let cmds = reduce(&mut f, Action::PaymentUpdated(payment(status)));
        assert!(has(
            &cmds,
            |c| matches!(c, Command::Notify(WidgetEvent::PaymentFailed { status: s, .. }) if *s == status)
        ));
    }
}

#[wasm_bindgen_test(unsupported = test)]
fn a_payment_the_server_does_not_know_is_forgotten() {
    let mut f = paying();
    let cmds = reduce(
        &mut f,
        Action::Failed { command: Command::Follow(payment_id()), failure: api_failure(ErrorCode::PaymentNotFound) },
    );
    assert_eq!(f.step, Step::Categories);
    assert!(has(&cmds, |c| *c == Command::Remember(None)));
    assert!(f.problem.is_some());
}

#[wasm_bindgen_test(unsupported = test)]
fn a_stale_search_failure_is_ignored() {
    let mut f = started(Locale::En);
    let first = reduce(&mut f, Action::PickCategory("electricity".into())).remove(0);
    reduce(&mut f, Action::SearchInput("m".into()));
    reduce(&mut f, Action::Failed { command: first, failure: Failure::Network });
    assert!(f.problem.is_none());
}

#[wasm_bindgen_test(unsupported = test)]
fn tracking_a_payment() {
    let mut f = started(Locale::En);
    reduce(&mut f, Action::OpenTrack);
    assert_eq!(f.step, Step::Track);
    assert_eq!((f.track.from.as_str(), f.track.to.as_str()), ("2026-10-26", "2026-11-25"));
    assert_eq!(f.back_target(), Some(Step::Categories));
    let cmds =
        run(&mut f, [Action::TrackInput { field: TrackField::TxnRef, value: "short".into() }, Action::SubmitTrack]);
    assert!(cmds.is_empty());
    assert_eq!(f.track.issue(TrackField::TxnRef), Some(Msg::TxnRefInvalid));
    let cmds = run(
        &mut f,
        [Action::TrackInput { field: TrackField::TxnRef, value: "cc01bbps0000000012ab".into() }, Action::SubmitTrack],
    );
    assert_eq!(cmds, vec![Command::Track(TrackQuery::ByRef(TxnRef::parse("CC01BBPS0000000012AB").unwrap()))]);
    reduce(&mut f, Action::Failed { command: cmds[0].clone(), failure: api_failure(ErrorCode::TransactionNotFound) });
    assert_eq!(f.track.results, Remote::Ready(vec![]));
    // By mobile: a range longer than 90 days is refused before asking.
    run(
        &mut f,
        [
            Action::TrackMode(true),
            Action::TrackInput { field: TrackField::Mobile, value: "9876543210".into() },
            Action::TrackInput { field: TrackField::From, value: "2026-01-01".into() },
            Action::SubmitTrack,
        ],
    );
    assert_eq!(f.track.issue(TrackField::To), Some(Msg::ErrDateRange));
    // A valid form first sends a code to the number; the lookup waits for the number to be proved.
    let cmds =
        run(&mut f, [Action::TrackInput { field: TrackField::From, value: "2026-11-01".into() }, Action::SubmitTrack]);
    let mobile = MobileNumber::parse("9876543210").unwrap();
    assert_eq!(cmds, vec![Command::SendTrackingCode(mobile.clone())]);
    assert_eq!(f.track.proof, Proof::Sending);
    reduce(&mut f, Action::TrackingCodeSent(code_sent()));
    assert_eq!(f.track.proof.awaiting(), Some("98xxxxxx10"));
    let type_code = |code: &str| Action::TrackInput { field: TrackField::Code, value: code.into() };
    assert!(run(&mut f, [type_code("12"), Action::SubmitTrack]).is_empty());
    assert_eq!(f.track.issue(TrackField::Code), Some(Msg::OtpCodeInvalid));
    let cmds = run(&mut f, [type_code("123456"), Action::SubmitTrack]);
    let verify = Command::VerifyTrackingCode(VerifyTrackingCodeRequest {
        challenge_id: code_sent().challenge_id,
        code: "123456".into(),
    });
    assert_eq!(cmds, vec![verify.clone()]);
    // A wrong code: the message beside the code, and the code may be typed again.
    reduce(&mut f, Action::Failed { command: verify, failure: api_failure(ErrorCode::OtpInvalid) });
    assert_eq!(f.track.issue(TrackField::Code), Some(Msg::ErrOtpInvalid));
    assert!(f.track.proof.awaiting().is_some() && f.problem.is_none());
    let cmds = run(&mut f, [type_code("654321"), Action::SubmitTrack]);
    assert!(matches!(&cmds[..], [Command::VerifyTrackingCode(_)]));
    let cmds = reduce(&mut f, Action::TrackingProved(access()));
    let [Command::Track(TrackQuery::ByMobile { token, .. })] = &cmds[..] else { panic!("{cmds:?}") };
    assert_eq!(token, "trk.1.abc");
    assert!(f.track.results.is_loading());
    // The proof ran out: the number is proved again, with the reason beside it.
    reduce(&mut f, Action::Failed { command: cmds[0].clone(), failure: api_failure(ErrorCode::OtpRequired) });
    assert_eq!((f.track.proof.clone(), f.track.issue(TrackField::Mobile)), (Proof::None, Some(Msg::ErrOtpRequired)));
    // Another number needs its own code.
    prove(&mut f);
    reduce(&mut f, Action::TrackInput { field: TrackField::Mobile, value: "9123456789".into() });
    assert_eq!(f.track.proof, Proof::None);
}

fn code_sent() -> TrackingCodeSent {
    TrackingCodeSent {
        challenge_id: OtpChallengeId::parse("otp_aaaaaaaaaaaaaaaaaaaaaaaa").unwrap(),
        mobile_masked: "98xxxxxx10".into(),
        expires_at: Timestamp::from_unix_seconds(1_795_500_300).unwrap(),
        resend_at: Timestamp::from_unix_seconds(1_795_500_060).unwrap(),
    }
}

fn access() -> TrackingAccess {
    TrackingAccess {
        tracking_token: "trk.1.abc".into(),
        mobile_masked: "98xxxxxx10".into(),
        expires_at: Timestamp::from_unix_seconds(1_795_500_900).unwrap(),
    }
}

/// Proves the number in the form, as the customer does with the code from the SMS.
fn prove(f: &mut Flow) {
    run(f, [Action::SubmitTrack]);
    reduce(f, Action::TrackingCodeSent(code_sent()));
    run(f, [Action::TrackInput { field: TrackField::Code, value: "123456".into() }, Action::SubmitTrack]);
    reduce(f, Action::TrackingProved(access()));
    assert!(matches!(f.track.proof, Proof::Proved { .. }), "{:?}", f.track.proof);
}

#[wasm_bindgen_test(unsupported = test)]
fn a_tracking_range_may_end_ninety_days_after_it_starts() {
    let mut f = started(Locale::En);
    let input = |field, value: &str| Action::TrackInput { field, value: value.into() };
    run(
        &mut f,
        [
            Action::OpenTrack,
            Action::TrackMode(true),
            input(TrackField::Mobile, "9876543210"),
            input(TrackField::From, "2026-01-01"),
            input(TrackField::To, "2026-01-31"),
        ],
    );
    prove(&mut f);
    for (to, days, allowed) in [("2026-03-31", 89, true), ("2026-04-01", 90, true), ("2026-04-02", 91, false)] {
        let cmds = run(&mut f, [input(TrackField::To, to), Action::SubmitTrack]);
        if allowed {
            assert_eq!(f.track.issue(TrackField::To), None, "{days} days");
            let Some(Command::Track(TrackQuery::ByMobile { range, .. })) = cmds.first() else {
                panic!("{days} days: {cmds:?}")
            };
            assert_eq!((iso_date(range.from()), iso_date(range.to())), ("2026-01-01".to_owned(), to.to_owned()));
            assert!(f.track.results.is_loading());
        } else {
            assert!(cmds.is_empty(), "{days} days");
            assert_eq!(f.track.issue(TrackField::To), Some(Msg::ErrDateRange), "{days} days");
        }
    }
    // A range that runs backwards is refused as well.
    let cmds = run(&mut f, [input(TrackField::To, "2025-12-31"), Action::SubmitTrack]);
    assert!(cmds.is_empty());
    assert_eq!(f.track.issue(TrackField::To), Some(Msg::ErrDateRange));
}

#[wasm_bindgen_test(unsupported = test)]
fn what_is_asked_of_the_server_is_loading_then_ready_or_failed() {
    let mut f = Flow::new(env(Locale::En));
    run(&mut f, [Action::Start(StartOptions::default()), Action::SessionReady(Mode::Test)]);
    assert_eq!(f.catalogue.categories, Remote::Loading);
    reduce(&mut f, Action::Failed { command: Command::LoadCategories, failure: Failure::Network });
    assert_eq!(f.catalogue.categories, Remote::Failed(Failure::Network));
    assert_eq!(reduce(&mut f, Action::Retry), vec![Command::LoadCategories]);
    assert_eq!(f.catalogue.categories, Remote::Loading);
    reduce(&mut f, Action::CategoriesLoaded(categories()));
    assert_eq!(f.catalogue.categories.ready().map(Vec::len), Some(3));
    // The biller's form waits for the biller.
    run(&mut f, [Action::PickCategory("electricity".into()), Action::PickBiller(biller_id())]);
    assert!(f.journey.biller.is_loading());
    reduce(&mut f, Action::BillerLoaded(biller(FetchRequirement::Mandatory, false)));
    assert_eq!(f.journey.ctx().map(|c| c.biller.id.clone()), Some(biller_id()));
    // Creating a payment, and a refusal that gives the amount back to the customer.
    run(
        &mut f,
        [
            type_param("Consumer Number", "0123456789"),
            type_mobile(),
            Action::SubmitParams,
            Action::QuoteLoaded(quote()),
        ],
    );
    run(&mut f, [Action::ConfirmBill, Action::MobileInput("9876543210".into())]);
    let create = reduce(&mut f, Action::SubmitPayment).remove(0);
    assert!(f.payment.is_creating());
    reduce(&mut f, Action::Failed { command: create, failure: api_failure(ErrorCode::AmountAboveMax) });
    assert_eq!(f.payment.phase, Phase::Idle);
}

#[wasm_bindgen_test(unsupported = test)]
fn raising_and_tracking_complaints() {
    let mut f = paying();
    reduce(&mut f, Action::PaymentUpdated(payment(PaymentStatus::Completed)));
    let txn = TxnRef::parse("CC01BBPS0000000012AB").unwrap();
    reduce(&mut f, Action::OpenComplaint(Some(txn.clone())));
    assert_eq!(f.step, Step::Complaint);
    assert_eq!(f.back_target(), Some(Step::Payment), "back returns to the receipt");
    assert_eq!(f.complaint.txn_ref, txn.as_str());
    let cmds = reduce(&mut f, Action::SubmitComplaint);
    assert!(cmds.is_empty());
    assert_eq!(f.complaint.issue(ComplaintField::Disposition), Some(Msg::ChooseWhatWentWrong));
    assert_eq!(f.complaint.issue(ComplaintField::Description), Some(Msg::ErrComplaintDescription));
    let cmds = run(
        &mut f,
        [
            Action::ComplaintInput { field: ComplaintField::Disposition, value: "D32".into() },
            Action::ComplaintInput { field: ComplaintField::Description, value: "Paid, still shows due".into() },
            Action::SubmitComplaint,
        ],
    );
    assert!(matches!(
        &cmds[0],
        Command::RaiseComplaint(bbps_core::api::RaiseComplaintRequest::Transaction {
            disposition: bbps_core::complaint::Disposition::D32,
            ..
        })
    ));
    // "Service not received" too soon after the payment: said beside the disposition, which the customer changes.
    let cmds = run(
        &mut f,
        [Action::ComplaintInput { field: ComplaintField::Disposition, value: "D11".into() }, Action::SubmitComplaint],
    );
    reduce(&mut f, Action::Failed { command: cmds[0].clone(), failure: api_failure(ErrorCode::ComplaintTooEarly) });
    assert_eq!(f.step, Step::Complaint);
    assert_eq!(f.complaint.issue(ComplaintField::Disposition), Some(Msg::ErrComplaintTooEarly));
    // Service-based: reasons must suit the target.
    run(
        &mut f,
        [
            Action::ComplaintService(true),
            Action::ComplaintAgent(true),
            Action::ComplaintInput { field: ComplaintField::TargetId, value: "AG01".into() },
            Action::ComplaintInput { field: ComplaintField::Reason, value: "biller_wrong_bill".into() },
            Action::ComplaintInput { field: ComplaintField::Mobile, value: "9876543210".into() },
            Action::SubmitComplaint,
        ],
    );
    assert_eq!(f.complaint.issue(ComplaintField::Reason), Some(Msg::ChooseReason));
    // An agent is named by the network's agent id: exactly 20 letters and digits, typed in any case.
    assert_eq!(f.complaint.issue(ComplaintField::TargetId), Some(Msg::ErrComplaintTarget));
    for wrong_length in ["AI01AI02INT51234567", "AI01AI02INT5123456789"] {
        run(
            &mut f,
            [
                Action::ComplaintInput { field: ComplaintField::TargetId, value: wrong_length.into() },
                Action::SubmitComplaint,
            ],
        );
        assert_eq!(f.complaint.issue(ComplaintField::TargetId), Some(Msg::ErrComplaintTarget), "{wrong_length}");
    }
    let cmds = run(
        &mut f,
        [
            Action::ComplaintInput { field: ComplaintField::TargetId, value: "ai01ai02int512345678".into() },
            Action::ComplaintInput { field: ComplaintField::Reason, value: "agent_overcharging".into() },
            Action::SubmitComplaint,
        ],
    );
    assert!(matches!(
        &cmds[0],
        Command::RaiseComplaint(bbps_core::api::RaiseComplaintRequest::Service {
            target: ServiceTarget::Agent { agent_id },
            reason: ServiceReason::AgentOvercharging,
            ..
        }) if agent_id.as_str() == "AI01AI02INT512345678"
    ));
    assert!(f.complaint.sent.is_loading());
    let cmds = reduce(&mut f, Action::Failed { command: cmds[0].clone(), failure: Failure::Network });
    assert!(cmds.is_empty());
    assert!(matches!(f.complaint.sent, Remote::Failed(Failure::Network)));
    assert!(f.problem.as_ref().is_some_and(|p| p.retry.is_some()), "the same complaint can be sent again");
    // Tracking by id: a malformed id is caught here, an unknown one by the server.
    reduce(&mut f, Action::OpenComplaintStatus(None));
    let cmds = run(&mut f, [Action::LookupInput("abc".into()), Action::SubmitLookup]);
    assert!(cmds.is_empty());
    assert_eq!(f.lookup.issue(), Some(Msg::ComplaintIdInvalid));
    let cmds = run(&mut f, [Action::LookupInput("cmp000000000001".into()), Action::SubmitLookup]);
    assert!(matches!(&cmds[0], Command::LoadComplaint(id) if id.as_str() == "CMP000000000001"));
    reduce(&mut f, Action::Failed { command: cmds[0].clone(), failure: api_failure(ErrorCode::ComplaintNotFound) });
    assert_eq!(f.lookup.issue(), Some(Msg::ErrComplaintNotFound));
}

#[wasm_bindgen_test(unsupported = test)]
fn a_closed_ticket_is_reopened_with_why_and_refusals_show_beside_the_why() {
    use bbps_core::api::{Complaint, ComplaintHistoryEntry, ComplaintSubject};
    use bbps_core::complaint::{ComplaintStatus, Disposition, TicketType};
    let at = Timestamp::parse("2026-11-25T09:00:00+05:30").unwrap();
    let rejected = Complaint {
        id: bbps_core::ComplaintId::parse("CMP000000000001").unwrap(),
        subject: ComplaintSubject::Transaction {
            txn_ref: TxnRef::parse("CC01BBPS0000000012AB").unwrap(),
            disposition: Disposition::D23,
        },
        ticket_type: TicketType::Dispute,
        resolve_by: at.saturating_add(TicketType::Dispute.turnaround()).ist_date(),
        description: "Wrong amount".into(),
        status: ComplaintStatus::Rejected,
        assigned_to: None,
        remarks: Some("Rejected".into()),
        created_at: at,
        updated_at: at,
        reopened_at: None,
        history: vec![ComplaintHistoryEntry { status: ComplaintStatus::Rejected, at, remarks: "Rejected".into() }],
    };
    assert_eq!(rejected.reopenable_until(), Some(at.saturating_add(bbps_core::complaint::REOPEN_WINDOW)));
    let mut f = paying();
    reduce(&mut f, Action::OpenComplaintStatus(Some(rejected.id.clone())));
    // An answer about another ticket (a late one, after the customer looked this one up) is not shown.
    let other = Complaint { id: bbps_core::ComplaintId::parse("CMP000000000002").unwrap(), ..rejected.clone() };
    reduce(&mut f, Action::ComplaintLoaded(other));
    assert!(f.lookup.result.ready().is_none());
    reduce(&mut f, Action::ComplaintLoaded(rejected.clone()));
    let cmds = reduce(&mut f, Action::SubmitReopen);
    assert!(cmds.is_empty(), "a why is needed");
    assert_eq!(f.lookup.reopen.issue(), Some(Msg::ErrComplaintDescription));
    let cmds = run(&mut f, [Action::ReopenInput("  I paid more than billed  ".into()), Action::SubmitReopen]);
    assert!(matches!(
        &cmds[0],
        Command::ReopenComplaint { id, request } if id.as_str() == "CMP000000000001" && request.description == "I paid more than billed"
    ));
    assert!(f.lookup.reopen.sending);
    // Too late, or reopened elsewhere meanwhile: said beside the why; editing it clears the refusal.
    reduce(
        &mut f,
        Action::Failed { command: cmds[0].clone(), failure: api_failure(ErrorCode::ComplaintReopenWindowOver) },
    );
    assert!(!f.lookup.reopen.sending);
    assert_eq!(f.lookup.reopen.issue(), Some(Msg::ErrComplaintReopenWindowOver));
    assert!(f.problem.is_none(), "nothing to retry: the answer is about this ticket");
    reduce(&mut f, Action::ReopenInput("I paid ₹200 more than billed".into()));
    assert_eq!(f.lookup.reopen.issue(), None);
    // Reopened: the ticket shown is the answer, and the form starts afresh.
    let reopened = Complaint { status: ComplaintStatus::Assigned, reopened_at: Some(at), ..rejected };
    reduce(&mut f, Action::ComplaintLoaded(reopened.clone()));
    assert_eq!(f.lookup.result.ready(), Some(&reopened));
    assert_eq!(f.lookup.reopen, bbps_widget::flow::ReopenForm::default());
    assert_eq!(reopened.reopenable_until(), None, "open again, and reopened once");
}

#[wasm_bindgen_test(unsupported = test)]
fn a_page_that_brought_its_first_screen_starts_on_the_grid_without_a_call() {
    let first = FirstScreen { session: session(), categories: categories(), strings: strings(Locale::Ta) };
    let mut f = Flow::with_first_screen(env(Locale::Ta), &first);
    assert_eq!(f.step, Step::Categories, "the first render is the grid the server rendered");
    assert_eq!(f.strings().map(|s| s.locale()), Some(Locale::Ta));
    let cmds = reduce(&mut f, Action::Start(StartOptions::default()));
    assert_eq!(cmds, vec![Command::Notify(WidgetEvent::Ready { locale: Locale::Ta, mode: Mode::Test })]);
    // Where the configuration opens still applies.
    let mut f = Flow::with_first_screen(env(Locale::Ta), &first);
    let cmds = reduce(&mut f, Action::Start(StartOptions { category: Some("water".into()), ..Default::default() }));
    assert_eq!(f.step, Step::Billers);
    assert!(has(&cmds, |c| matches!(c, Command::SearchBillers { query, .. } if query.category == "water")));
    assert!(!has(&cmds, |c| matches!(c, Command::OpenSession | Command::LoadCategories | Command::LoadStrings(_))));
}

#[wasm_bindgen_test(unsupported = test)]
fn a_language_shows_once_its_texts_arrive_and_stays_for_switching_back() {
    let mut f = started(Locale::En);
    assert_eq!(reduce(&mut f, Action::SetLocale(Locale::Bn)), vec![Command::LoadStrings(Locale::Bn)]);
    assert_eq!(f.locale(), Locale::Bn);
    assert_eq!(f.strings().map(|s| s.locale()), Some(Locale::En), "English until Bengali is here");
    assert_eq!(reduce(&mut f, Action::SetLocale(Locale::Bn)), vec![], "asked once");
    reduce(&mut f, Action::StringsLoaded(strings(Locale::Bn)));
    assert_eq!(f.strings().map(|s| s.locale()), Some(Locale::Bn));
    assert_eq!(reduce(&mut f, Action::SetLocale(Locale::En)), vec![], "English is still here");
    assert_eq!(f.strings().map(|s| s.locale()), Some(Locale::En));
    // A language that cannot be fetched: the screen stays as it was, with a retry.
    let cmds = reduce(&mut f, Action::SetLocale(Locale::Kn));
    reduce(&mut f, Action::Failed { command: cmds[0].clone(), failure: Failure::Network });
    assert_eq!(f.strings().map(|s| s.locale()), Some(Locale::En));
    assert_eq!(run(&mut f, [Action::Retry]), vec![Command::LoadStrings(Locale::Kn)]);
    // Texts that arrive for a language no longer wanted are kept, not shown.
    reduce(&mut f, Action::SetLocale(Locale::Te));
    reduce(&mut f, Action::StringsLoaded(strings(Locale::Kn)));
    assert_eq!(f.strings().map(|s| s.locale()), Some(Locale::En));
}

#[wasm_bindgen_test(unsupported = test)]
fn a_foreign_framing_page_stops_the_start_and_only_fatal_failures_are_errors() {
    let mut f = Flow::new(env(Locale::En));
    let start = StartOptions { fatal: Some(FatalReason::ParentMismatch), ..StartOptions::default() };
    let cmds = reduce(&mut f, Action::Start(start));
    assert_eq!(f.step, Step::Fatal(FatalReason::ParentMismatch));
    assert!(!has(&cmds, |c| *c == Command::OpenSession));
    assert!(has(&cmds, |c| *c == Command::Notify(WidgetEvent::Error { code: Some(ErrorCode::OriginNotAllowed) })));
    // A failed call the customer can retry is not the host's business.
    let mut f = started(Locale::En);
    let cmds = reduce(&mut f, Action::Failed { command: Command::LoadCategories, failure: Failure::Network });
    assert!(f.problem.is_some());
    assert!(!has(&cmds, |c| matches!(c, Command::Notify(WidgetEvent::Error { .. }))));
}

#[wasm_bindgen_test(unsupported = test)]
fn the_look_changes_at_once_and_close_tells_the_host() {
    use bbps_core::appearance::{Appearance, AppearanceInput};
    use bbps_widget::config::Theme;
    let mut f = started(Locale::En);
    assert_eq!((f.theme, f.style.as_str()), (Theme::Auto, ""));
    reduce(&mut f, Action::SetTheme(Theme::Dark));
    let input =
        AppearanceInput { theme: None, variables: [("spacing".to_owned(), "12px".to_owned())].into_iter().collect() };
    reduce(&mut f, Action::SetAppearance(Appearance::from_input(&input).unwrap()));
    assert_eq!((f.theme, f.style.as_str()), (Theme::Dark, "--bbps-space: 12px"));
    reduce(&mut f, Action::SetAppearance(Appearance::default()));
    assert_eq!(f.style, "");
    assert_eq!(reduce(&mut f, Action::Close), vec![Command::Notify(WidgetEvent::Close)]);
}

#[wasm_bindgen_test(unsupported = test)]
fn a_prepaid_plan_is_chosen_by_tab_and_search_and_paid_at_its_price() {
    use bbps_core::api::{InfoItem, PlanList};
    use bbps_core::plan::{Plan, PlanRequirement};
    use bbps_core::{Paise, PlanId};
    let mut b = biller(FetchRequirement::NotSupported, false);
    b.plans = Some(PlanRequirement::Optional);
    let plan = |id: &str, category: &str, rupees: u64, validity: &str| Plan {
        id: PlanId::parse(id).unwrap(),
        biller_id: b.id.clone(),
        category: category.into(),
        sub_categories: vec![],
        amount: Paise::new(rupees * 100).unwrap(),
        description: format!("{category} {rupees}"),
        validity: Some(validity.into()),
        benefits: vec![InfoItem { name: "Data".into(), value: "2 GB/day".into() }],
        effective_from: time::macros::date!(2026 - 01 - 01),
        effective_to: None,
    };
    let list = PlanList {
        categories: vec!["Data".into(), "Unlimited".into()],
        items: vec![
            plan("D19", "Data", 19, "1 day"),
            plan("U299", "Unlimited", 299, "28 days"),
            plan("U719", "Unlimited", 719, "84 days"),
        ],
    };
    let mut f = on_form(b.clone());
    let cmds = run(&mut f, [type_param("Consumer Number", "0123456789"), Action::SubmitParams]);
    assert_eq!(f.step, Step::Plans);
    assert!(has(&cmds, |c| matches!(c, Command::LoadPlans(id) if *id == b.id)));
    reduce(&mut f, Action::PlansLoaded(list.clone()));
    assert_eq!(f.journey.plans.shown().len(), 3);
    reduce(&mut f, Action::PlanCategory(Some("Unlimited".into())));
    assert_eq!(f.journey.plans.shown().len(), 2);
    reduce(&mut f, Action::PlanSearch("84 days".into()));
    let shown: Vec<&str> = f.journey.plans.shown().iter().map(|p| p.id.as_str()).collect();
    assert_eq!(shown, ["U719"]);
    // Chosen: its price is the amount, fixed.
    run(&mut f, [Action::PlanSearch(String::new()), Action::ChoosePlan(Some(list.items[1].clone()))]);
    assert_eq!((f.step, f.journey.amount.input.as_str()), (Step::Amount, "299.00"));
    assert!(f.journey.bounds().unwrap().is_fixed());
    assert_eq!(f.back_target(), Some(Step::Plans));
    let cmds = run(&mut f, [Action::MobileInput("9876543210".into()), Action::SubmitPayment]);
    let Some(Command::CreatePayment { request, .. }) = cmds.first() else { panic!("{cmds:?}") };
    assert_eq!(request.amount, p(29_900));
    assert!(matches!(&request.source, PaymentSource::Direct { .. }));
    assert_eq!(request.plan_id.as_ref().map(|id| id.as_str()), Some("U299"));
    // Withdrawn meanwhile: back to a fresh list, saying so; nothing to retry.
    let cmds =
        reduce(&mut f, Action::Failed { command: cmds[0].clone(), failure: api_failure(ErrorCode::PlanNotAvailable) });
    assert_eq!(f.step, Step::Plans);
    assert!(f.journey.plans.withdrawn && f.journey.plans.chosen.is_none() && f.problem.is_none());
    assert!(has(&cmds, |c| matches!(c, Command::LoadPlans(_))));
    // Optional plans: another amount is the customer's to type.
    reduce(&mut f, Action::PlansLoaded(list));
    reduce(&mut f, Action::ChoosePlan(None));
    assert_eq!((f.step, f.journey.amount.input.as_str()), (Step::Amount, ""));
    assert!(!f.journey.bounds().unwrap().is_fixed());
}
