//! The benchmarks' denominator: an axum server with one handler that answers a small JSON body and nothing else
//! (no auth, no database), built with the same profile as the backend.

use axum::{Json, Router, routing::get};

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let addr = std::env::var("BARE_LISTEN").unwrap_or_else(|_| "127.0.0.1:8799".to_owned());
    let app = Router::new().route("/", get(|| async { Json(serde_json::json!({ "status": "ok" })) }));
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    axum::serve(listener, app).await
}
