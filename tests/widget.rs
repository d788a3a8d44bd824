//! The whole `BillPayWidget` in the browser against a fake `fetch`: the journey from the category grid to the
//! receipt, session renewal, a network failure and its retry, resuming a payment after a reload, the language
//! toggle, and the configuration error.
#![cfg(target_arch = "wasm32")]

mod common;

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use bbps_core::api::{BillerPage, CategoryList, Mode, Payment};
use bbps_core::{ApiError, ErrorCode, FetchRequirement, PaymentStatus};
use bbps_widget::{BillPayWidget, Locale, LocalePref, WidgetEvent, WidgetProps};
use common::dom::*;
use common::*;
use serde::Serialize;
use wasm_bindgen_test::*;
use yew::Callback;

wasm_bindgen_test_configure!(run_in_browser);

fn ok<T: Serialize>(status: u16, v: &T) -> Option<(u16, String)> {
    Some((status, serde_json::to_string(v).unwrap()))
}

/// The sandbox as the widget sees it. `paid` flips the payment to completed.
fn sandbox(paid: Rc<Cell<bool>>) -> Route {
    Rc::new(move |method, url, _body| {
        let path = url.split('?').next().unwrap_or_default();
        match (method, path) {
            ("GET", _) if path.starts_with("/widget/i18n/") => strings_route(path),
            ("POST", "/v1/sessions") => ok(201, &session()),
            ("GET", "/v1/categories") => ok(200, &CategoryList { categories: categories() }),
            ("GET", "/v1/billers") => {
                let b = biller(FetchRequirement::Mandatory, false);
                ok(
                    200,
                    &BillerPage { items: vec![summary(&b), summary(&rich_biller())], total: 2, page: 1, per_page: 20 },
                )
            }
            ("GET", "/v1/billers/MSEDCL000MAH01") => ok(200, &biller(FetchRequirement::Mandatory, false)),
            ("POST", "/v1/bills/fetch") => ok(201, &quote()),
            ("POST", "/v1/payments") => {
                let created =
                    Payment { client_secret: Some(client_secret()), ..payment(PaymentStatus::AwaitingPayment) };
                ok(201, &created)
            }
            ("GET", "/v1/payments/pay_abcdefghijklmnopqrstuvwx") => {
                ok(200, &payment(if paid.get() { PaymentStatus::Completed } else { PaymentStatus::AwaitingPayment }))
            }
            _ => ok(404, &ApiError::new(ErrorCode::NotFound, "no route")),
        }
    })
}

fn mount(key: Option<&str>, locale: LocalePref) -> (web_sys::Element, Rc<RefCell<Vec<WidgetEvent>>>) {
    mount_with(key, locale, |_| {})
}

/// Mounts the widget with the props `adjust` sets; returns the mount root and the events it emitted.
fn mount_with(
    key: Option<&str>,
    locale: LocalePref,
    adjust: impl FnOnce(&mut WidgetProps),
) -> (web_sys::Element, Rc<RefCell<Vec<WidgetEvent>>>) {
    let root = fresh_root();
    let events: Rc<RefCell<Vec<WidgetEvent>>> = Rc::default();
    let log = events.clone();
    let mut props = WidgetProps {
        publishable_key: key.map(|k| k.to_owned().into()),
        api_base: Default::default(),
        locale,
        theme: Default::default(),
        appearance: None,
        category: None,
        biller: None,
        embedding: Default::default(),
        closable: false,
        on_event: Callback::from(move |e| log.borrow_mut().push(e)),
        first_screen: None,
        document: false,
    };
    adjust(&mut props);
    yew::Renderer::<BillPayWidget>::with_root_and_props(root.clone(), props).render();
    (root, events)
}

fn focused_testid() -> Option<String> {
    document().active_element().and_then(|e| e.get_attribute("data-testid"))
}

fn requests(seen: &Seen, method: &str, path: &str) -> Vec<String> {
    seen.borrow()
        .iter()
        .filter(|(m, u, _)| m == method && u.starts_with(path))
        .map(|(_, u, b)| b.clone().unwrap_or(u.clone()))
        .collect()
}

#[wasm_bindgen_test]
async fn category_to_biller_to_form_to_bill_to_payment_to_receipt() {
    let paid = Rc::new(Cell::new(false));
    let seen = fake_fetch(sandbox(paid.clone()));
    let performance = web_sys::window().unwrap().performance().unwrap();
    performance.clear_marks();
    let (root, events) = mount(Some("pk_test_journey"), LocalePref::Fixed(Locale::En));

    // Categories: from the backend, ours named and drawn, an unknown one still shown.
    let tile = wait_testid(&root, "category-electricity").await;
    assert_eq!(text(&tile), "Electricity");
    assert_eq!(text(&find(&root, "category-space-travel").unwrap()), "Space Travel");
    sleep_ms(30).await;
    let marks = performance.get_entries_by_name("bbps:categories-interactive");
    assert_eq!(marks.length(), 1, "the benchmark mark is set once");
    assert!(find(&root, "brand-mark").is_some());
    assert!(find(&root, "sandbox-badge").is_some());
    assert!(events.borrow().contains(&WidgetEvent::Ready { locale: Locale::En, mode: Mode::Test }));

    // Billers: search as you type, asked once the typing pauses.
    click(&tile);
    let search = wait_testid(&root, "biller-search").await;
    wait_testid(&root, "biller-MSEDCL000MAH01").await;
    for q in ["m", "ms", "mse", "msed"] {
        type_into(&search, q);
    }
    sleep_ms(450).await;
    let searches: Vec<String> =
        requests(&seen, "GET", "/v1/billers?").into_iter().filter(|u| u.contains("q=")).collect();
    assert_eq!(searches.len(), 1, "debounced: {searches:?}");
    assert!(searches[0].contains("q=msed") && searches[0].contains("category=electricity"));
    // Keyboard: arrows move the active option, Enter picks it.
    key(&search, "ArrowDown");
    sleep_ms(30).await;
    assert_eq!(search.get_attribute("aria-activedescendant").as_deref(), Some("bbps-biller-0"));
    key(&search, "Enter");

    // The form, generated from the biller's params; focus moves to the new step's heading.
    let input = wait_testid(&root, "param-consumer-number").await;
    sleep_ms(30).await;
    assert_eq!(focused_testid().as_deref(), Some("heading"));
    type_into(&input, "0123456789");
    // A bill fetch carries the mobile number: without it nothing is sent, the error is beside its field on the
    // form and focus moves there.
    click(&find(&root, "submit-params").unwrap());
    wait_testid(&root, "form-mobile-error").await;
    sleep_ms(30).await;
    assert_eq!(focused_testid().as_deref(), Some("form-mobile"));
    assert!(requests(&seen, "POST", "/v1/bills/fetch").is_empty());
    type_into(&find(&root, "form-mobile").unwrap(), "9876543210");
    click(&find(&root, "submit-params").unwrap());

    // The bill.
    let name = wait_testid(&root, "bill-customer-name").await;
    assert_eq!(text(&name), "Asha Patil");
    assert!(find(&root, "overdue").is_some(), "due 20 Nov, seen on 25 Nov or later");
    let fetch = requests(&seen, "POST", "/v1/bills/fetch");
    assert!(fetch[0].contains("\"Consumer Number\":\"0123456789\"") && fetch[0].contains("\"channel\":\"INT\""));
    assert!(fetch[0].contains("\"customer_mobile\":\"9876543210\""), "{fetch:?}");
    click(&find(&root, "proceed").unwrap());

    // Confirm: the amount, the fee and the total apart, the mobile number given on the form.
    let amount = wait_testid(&root, "amount").await;
    assert_eq!(js_sys::Reflect::get(&amount, &"value".into()).unwrap().as_string().as_deref(), Some("1234.50"));
    assert_eq!(text(&find(&root, "fee").unwrap()), "₹5.00");
    assert_eq!(text(&find(&root, "fee-gst").unwrap()), "₹0.90", "18 % GST on the fee, on a line of its own");
    assert_eq!(text(&find(&root, "total").unwrap()), "₹1,240.40");
    let mobile = find(&root, "mobile").unwrap();
    assert_eq!(js_sys::Reflect::get(&mobile, &"value".into()).unwrap().as_string().as_deref(), Some("9876543210"));
    // Paying without a mobile number: nothing is sent, the error is shown and focus moves to the field.
    type_into(&mobile, "");
    click(&find(&root, "pay").unwrap());
    wait_testid(&root, "mobile-error").await;
    sleep_ms(30).await;
    assert_eq!(focused_testid().as_deref(), Some("mobile"));
    assert!(requests(&seen, "POST", "/v1/payments").is_empty());
    type_into(&find(&root, "mobile").unwrap(), "9876543210");
    click(&find(&root, "pay").unwrap());

    // Pay: the QR on a desktop; the receipt only once the server says completed.
    wait_testid(&root, "qr").await;
    let create = requests(&seen, "POST", "/v1/payments");
    assert!(create[0].contains("\"customer_mobile\":\"9876543210\"") && create[0].contains("\"amount\":123450"));
    let stored =
        web_sys::window().unwrap().session_storage().unwrap().unwrap().get_item("bbps:payment:pk_test_journey");
    assert_eq!(stored.unwrap().as_deref(), Some(CLIENT_SECRET), "a reload (another session) can resume it");
    sleep_ms(200).await;
    assert!(find(&root, "receipt").is_none());
    paid.set(true);
    let txn = wait_for("the receipt", || find(&root, "receipt-txn-ref")).await;
    assert_eq!(text(&txn), "CC01BBPS0000000012AB");
    assert_eq!(text(&find(&root, "receipt-approval-ref").unwrap()), "AP-778812");
    assert_eq!(text(&find(&root, "receipt-status").unwrap()), "Successful");
    assert!(find(&root, "b-assured").is_some());
    assert!(events.borrow().iter().any(|e| matches!(e, WidgetEvent::PaymentSucceeded { .. })));
}

#[wasm_bindgen_test]
async fn the_switcher_offers_nine_languages_and_fetches_one_when_chosen() {
    let seen = fake_fetch(sandbox(Rc::default()));
    let (root, _) = mount(Some("pk_test_locale"), LocalePref::Fixed(Locale::En));
    let tile = wait_testid(&root, "category-electricity").await;
    let widget = find(&root, "bbps-widget").unwrap();
    assert_eq!(widget.get_attribute("lang").as_deref(), Some("en"));
    assert_eq!(requests(&seen, "GET", "/widget/i18n/"), vec!["/widget/i18n/en".to_owned()], "only its own language");
    let switcher = find(&root, "locale-select").unwrap();
    let offered: Vec<String> = (0..switcher.child_element_count())
        .map(|i| {
            let option = switcher.children().item(i).unwrap();
            format!("{}:{}", option.get_attribute("lang").unwrap_or_default(), text(&option))
        })
        .collect();
    assert_eq!(
        offered,
        ["en:English", "hi:हिन्दी", "bn:বাংলা", "mr:मराठी", "te:తెలుగు", "ta:தமிழ்", "gu:ગુજરાતી", "kn:ಕನ್ನಡ", "ml:മലയാളം"]
    );
    type_into(&switcher, "bn");
    wait_for("Bengali", || (widget.get_attribute("lang").as_deref() == Some("bn")).then_some(())).await;
    assert_eq!(text(&find(&root, "heading").unwrap()), "আপনি কোন বিল পেমেন্ট করতে চান?");
    assert_eq!(text(&tile), "বিদ্যুৎ");
    assert_eq!(text(&find(&root, "open-track").unwrap()), "পেমেন্টের স্থিতি দেখুন");
    // Back to English: already here, no second fetch.
    type_into(&find(&root, "locale-select").unwrap(), "en");
    wait_for("English", || (widget.get_attribute("lang").as_deref() == Some("en")).then_some(())).await;
    assert_eq!(requests(&seen, "GET", "/widget/i18n/").len(), 2);
}

#[wasm_bindgen_test]
async fn a_page_that_brought_its_first_screen_makes_no_call_before_the_grid() {
    let seen = fake_fetch(sandbox(Rc::default()));
    let performance = web_sys::window().unwrap().performance().unwrap();
    performance.clear_marks();
    let first =
        bbps_widget::flow::FirstScreen { session: session(), categories: categories(), strings: strings(Locale::Ta) };
    let (root, events) = mount_with(Some("pk_test_first"), LocalePref::Fixed(Locale::Ta), |p| {
        p.first_screen = Some(Rc::new(first));
    });
    let tile = wait_testid(&root, "category-electricity").await;
    assert_eq!(text(&tile), "மின்சாரம்");
    sleep_ms(30).await;
    assert!(seen.borrow().is_empty(), "no call: {:?}", seen.borrow());
    assert_eq!(performance.get_entries_by_name("bbps:categories-interactive").length(), 1);
    assert!(events.borrow().contains(&WidgetEvent::Ready { locale: Locale::Ta, mode: Mode::Test }));
    // The session it brought is the one its calls use.
    click(&tile);
    wait_testid(&root, "biller-MSEDCL000MAH01").await;
    assert!(requests(&seen, "POST", "/v1/sessions").is_empty());
}

#[wasm_bindgen_test]
async fn an_expired_session_is_renewed_silently() {
    let expired_once = Rc::new(Cell::new(true));
    let inner = sandbox(Rc::default());
    let seen = fake_fetch(Rc::new(move |m, u, b| {
        if u.starts_with("/v1/categories") && expired_once.replace(false) {
            return ok(401, &ApiError::new(ErrorCode::SessionExpired, "expired"));
        }
        inner(m, u, b)
    }));
    let (root, _) = mount(Some("pk_test_renew"), LocalePref::Fixed(Locale::En));
    wait_testid(&root, "category-electricity").await;
    assert_eq!(requests(&seen, "POST", "/v1/sessions").len(), 2);
    assert_eq!(requests(&seen, "GET", "/v1/categories").len(), 2);
    assert!(find(&root, "problem").is_none());
}

#[wasm_bindgen_test]
async fn a_network_failure_shows_a_retry_that_works() {
    let offline = Rc::new(Cell::new(true));
    let inner = sandbox(Rc::default());
    let flag = offline.clone();
    fake_fetch(Rc::new(
        move |m, u, b| if u.starts_with("/v1/categories") && flag.get() { None } else { inner(m, u, b) },
    ));
    let (root, _) = mount(Some("pk_test_offline"), LocalePref::Fixed(Locale::En));
    let problem = wait_testid(&root, "problem").await;
    assert_eq!(problem.get_attribute("role").as_deref(), Some("alert"));
    assert!(text(&problem).contains("offline"));
    offline.set(false);
    click(&find(&root, "retry").unwrap());
    wait_testid(&root, "category-electricity").await;
    assert!(find(&root, "problem").is_none());
}

#[wasm_bindgen_test]
async fn a_reload_resumes_the_payment_in_progress() {
    fake_fetch(sandbox(Rc::new(Cell::new(true))));
    let storage = web_sys::window().unwrap().session_storage().unwrap().unwrap();
    storage.set_item("bbps:payment:pk_test_resume", CLIENT_SECRET).unwrap();
    let (root, _) = mount(Some("pk_test_resume"), LocalePref::Fixed(Locale::En));
    let txn = wait_for("the resumed receipt", || find(&root, "receipt-txn-ref")).await;
    assert_eq!(text(&txn), "CC01BBPS0000000012AB");
    let status = find(&root, "payment-status").unwrap();
    assert_eq!(status.get_attribute("data-status").as_deref(), Some("completed"));
    // Paying another bill forgets it.
    click(&find(&root, "pay-another").unwrap());
    wait_testid(&root, "category-electricity").await;
    assert_eq!(storage.get_item("bbps:payment:pk_test_resume").unwrap(), None);
}

#[wasm_bindgen_test]
async fn without_a_key_the_widget_says_it_is_not_set_up() {
    fake_fetch(sandbox(Rc::default()));
    let (root, _) = mount(None, LocalePref::Fixed(Locale::Hi));
    let fatal = wait_testid(&root, "fatal").await;
    assert!(text(&fatal).contains("व्यापारी कुंजी"));
}
