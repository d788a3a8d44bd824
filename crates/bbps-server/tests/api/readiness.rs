//! Readiness: the database checked per request, the adapters' probes reported, and a failing counterparty
//! reported without taking the instance out of service.

use bbps_core::Secret;
use bbps_server::config::PspSettings;
use reqwest::StatusCode;
use serde_json::Value;

use crate::common::*;

/// `/readyz` once both adapters have been probed.
async fn probed(s: &TestServer) -> (StatusCode, Value) {
    eventually(|| async {
        let resp = s.http.get(s.url("/readyz")).send().await.ok()?;
        let status = resp.status();
        let body: Value = resp.json().await.ok()?;
        (body["network"]["status"] != "unknown" && body["psp"]["status"] != "unknown").then_some((status, body))
    })
    .await
    .expect("both adapters probed")
}

#[tokio::test]
async fn ready_once_the_network_and_the_psp_answer() {
    let mut s = start_server(|_| {}).await;
    let (status, body) = probed(&s).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "ready", "{body}");
    assert_eq!(body["database"], "ok");
    assert_eq!(body["draining"], false);
    // The BBPS network answered a signed ReqDiagnostic over the XML wire.
    assert_eq!(body["network"]["status"], "ok", "{body}");
    assert!(body["network"]["checked_at"].as_str().is_some_and(|t| t.ends_with('Z') || t.contains('+')));
    assert_eq!(body["psp"]["status"], "ok", "{body}");
    s.stop().await;
}

#[tokio::test]
async fn a_psp_that_cannot_be_reached_degrades_but_does_not_drain() {
    let mut s = start_server(|c| {
        // Nothing listens on port 9 of loopback.
        c.psp = Some(PspSettings {
            url: "http://127.0.0.1:9/api/v2".into(),
            client_id: "nobody".into(),
            client_secret: Secret::new("not-a-secret-0123456789abcdef"),
            product_instance_id: "none".into(),
            notify_audience: "none".into(),
            notify_secret: Secret::new("not-a-secret-0123456789abcdef"),
        })
    })
    .await;
    let (status, body) = probed(&s).await;
    assert_eq!(status, StatusCode::OK, "a counterparty every instance shares is no reason to drain one: {body}");
    assert_eq!(body["status"], "degraded", "{body}");
    assert_eq!(body["psp"]["status"], "failing", "{body}");
    assert!(body["psp"].get("detail").is_none(), "why is logged, not published: {body}");
    assert_eq!(body["psp"]["since"], body["psp"]["checked_at"], "the first failing probe starts the failure");
    assert_eq!(body["network"]["status"], "ok", "{body}");
    s.stop().await;
}
