//! The biller catalogue: categories, a searchable biller list, a biller's full rules.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::IntoResponse;
use bbps_core::api::{BillerPage, BillerSummary, CategoryList, PlanList};
use bbps_core::region::{Pincode, State as RegionState};
use bbps_core::{ApiError, Biller, BillerId, ErrorCode};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::http::auth::SignedSession;
use crate::state::AppState;
use bbps_engine::catalogue::{Search, SearchError};
use bbps_http::responses::{CommonErrors, NetworkErrors, NotFoundError};
use bbps_http::{ApiPath, ApiQuery};
use bbps_http::{ApiResult, HttpError};

/// List the bill categories with their biller counts.
#[utoipa::path(
    get,
    path = "/v1/categories",
    tag = "widget",
    security(("session" = [])),
    responses((status = 200, description = "Categories, by name", body = CategoryList), CommonErrors)
)]
pub async fn categories(State(app): State<AppState>, _session: SignedSession) -> impl IntoResponse {
    // The list changes only with the catalogue, so its JSON is written once per catalogue.
    let catalogue = app.engine.catalogue();
    let cached = app
        .categories_json
        .read()
        .unwrap_or_else(|p| p.into_inner())
        .as_ref()
        .and_then(|(of, body)| Arc::ptr_eq(of, &catalogue).then(|| body.clone()));
    let body = cached.unwrap_or_else(|| {
        let list = CategoryList { categories: catalogue.categories().to_vec() };
        let body = Bytes::from(serde_json::to_vec(&list).expect("a category list always serialises"));
        *app.categories_json.write().unwrap_or_else(|p| p.into_inner()) = Some((catalogue, body.clone()));
        body
    });
    ([(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], body)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BillerQuery {
    /// A category code (`electricity`) or name.
    #[param(max_length = 64)]
    pub category: Option<String>,
    /// A state or UT by its ISO code (`MH`), BBPS code (`MAH`) or name: billers serving it, national ones
    /// included.
    #[param(min_length = 2, max_length = 64)]
    pub state: Option<String>,
    /// The customer's 6-digit PIN code: billers of the state (or, on a border, the states) it lies in, national
    /// ones included.
    #[param(pattern = "^[1-9][0-9]{2} ?[0-9]{3}$")]
    pub pincode: Option<String>,
    /// A city, as the billers' coverage names it (`Mumbai`; case and spacing do not matter): that city's own
    /// billers, its state's and national ones. A city no biller names needs `state` to place it.
    #[param(min_length = 1, max_length = 64)]
    pub city: Option<String>,
    /// Search text: a biller id, or words of a name or alias.
    #[param(max_length = 100)]
    pub q: Option<String>,
    /// 1-based page number.
    #[param(minimum = 1, maximum = 100000)]
    pub page: Option<u32>,
    /// Items per page, at most 50 (20 by default).
    #[param(minimum = 1, maximum = 50)]
    pub per_page: Option<u32>,
}

/// Search billers.
///
/// Ranked: exact id, then name prefix, word prefix, alias, substring; ties by name.
#[utoipa::path(
    get,
    path = "/v1/billers",
    tag = "widget",
    security(("session" = [])),
    params(BillerQuery),
    responses(
        (status = 200, description = "One page of billers", body = BillerPage),
        (status = 422, description = "`pincode_unknown`: the PIN code places the customer in no state; `city_unknown`: no biller names the city and no state was given", body = ApiError),
        CommonErrors, NotFoundError
    )
)]
pub async fn billers(
    State(app): State<AppState>,
    _session: SignedSession,
    ApiQuery(q): ApiQuery<BillerQuery>,
) -> ApiResult<Json<BillerPage>> {
    let page = q.page.unwrap_or(1);
    let per_page = q.per_page.unwrap_or(20);
    let bad = |field: &str, message: &str| HttpError(ApiError::new(ErrorCode::InvalidQuery, message).with_field(field));
    if !(1..=100_000).contains(&page) {
        return Err(bad("page", "page must be between 1 and 100000"));
    }
    if !(1..=50).contains(&per_page) {
        return Err(bad("per_page", "per_page must be between 1 and 50"));
    }
    let state =
        match q.state.as_deref() {
            None => None,
            Some(s) => Some(RegionState::lookup(s).ok_or_else(|| {
                bad("state", "state is a state or union territory: its code, such as MH, or its name")
            })?),
        };
    let pincode = match q.pincode.as_deref() {
        None => None,
        Some(p) => Some(Pincode::parse(p).map_err(|e| bad("pincode", &e.to_string()))?),
    };
    if pincode.is_some_and(|p| p.states().next().is_none()) {
        return Err(HttpError(
            ApiError::new(
                ErrorCode::PincodeUnknown,
                "this PIN code is not in the range of any state or union territory; choose the state instead",
            )
            .with_field("pincode"),
        ));
    }
    if q.q.as_deref().is_some_and(|s| s.chars().count() > 100) || q.category.as_deref().is_some_and(|c| c.len() > 64) {
        return Err(bad("q", "the search text is too long"));
    }
    if q.city.as_deref().is_some_and(|c| c.trim().is_empty() || c.chars().count() > 64) {
        return Err(bad("city", "city is a city's name, 1 to 64 characters"));
    }
    let search = Search { category: q.category, state, pincode, city: q.city, q: q.q, page, per_page };
    let catalogue = app.engine.catalogue();
    let (items, total) = catalogue.search(&search).map_err(|e| match e {
        SearchError::UnknownCategory => {
            HttpError(ApiError::new(ErrorCode::CategoryNotFound, "no category has this code").with_field("category"))
        }
        SearchError::UnknownCity => HttpError(
            ApiError::new(ErrorCode::CityUnknown, "no biller names this city; give its state too").with_field("city"),
        ),
    })?;
    Ok(Json(BillerPage {
        items: items.into_iter().map(|b| BillerSummary::at(b, crate::util::now())).collect(),
        total: u32::try_from(total).unwrap_or(u32::MAX),
        page,
        per_page,
    }))
}

/// A biller with its full rules: params, groups, exactness, fetch requirement, fees and limits.
#[utoipa::path(
    get,
    path = "/v1/billers/{biller_id}",
    tag = "widget",
    security(("session" = [])),
    params(("biller_id" = String, Path, description = "A 14-character BBPS biller id", pattern = "^[A-Z0-9]{14}$")),
    responses((status = 200, description = "The biller", body = Biller), CommonErrors, NotFoundError)
)]
pub async fn biller(
    State(app): State<AppState>,
    _session: SignedSession,
    ApiPath(id): ApiPath<BillerId>,
) -> ApiResult<Json<Biller>> {
    app.engine
        .catalogue()
        .get(&id)
        .cloned()
        .map(Json)
        .ok_or_else(|| HttpError::new(ErrorCode::BillerNotFound, "no biller has this id"))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PlanQuery {
    /// One of the biller's plan categories (`Unlimited`); all by default.
    #[param(max_length = 100)]
    pub category: Option<String>,
    /// Search words: each must be in the plan's category, description, validity, benefits, or be its price in
    /// rupees (`299`).
    #[param(max_length = 100)]
    pub q: Option<String>,
}

/// The plans a prepaid biller sells today, by category then price, from the network's plan master data.
#[utoipa::path(
    get,
    path = "/v1/billers/{biller_id}/plans",
    tag = "widget",
    security(("session" = [])),
    params(
        ("biller_id" = String, Path, description = "A 14-character BBPS biller id", pattern = "^[A-Z0-9]{14}$"),
        PlanQuery
    ),
    responses(
        (status = 200, description = "The plans on sale today", body = PlanList),
        (status = 422, description = "`plans_not_supported`: the biller sells no plans", body = ApiError),
        CommonErrors, NotFoundError, NetworkErrors
    )
)]
pub async fn plans(
    State(app): State<AppState>,
    _session: SignedSession,
    ApiPath(id): ApiPath<BillerId>,
    ApiQuery(q): ApiQuery<PlanQuery>,
) -> ApiResult<Json<PlanList>> {
    let too_long = |s: &Option<String>| s.as_deref().is_some_and(|s| s.chars().count() > 100);
    if too_long(&q.q) || too_long(&q.category) {
        return Err(HttpError(ApiError::new(ErrorCode::InvalidQuery, "the search text is too long").with_field("q")));
    }
    Ok(Json(app.engine.plans(&id, q.category.as_deref(), q.q.as_deref()).await?))
}
