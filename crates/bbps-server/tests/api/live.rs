//! Live mode: what it refuses to start without (every problem named by its setting), and what it serves once
//! configured: live keys only, no sandbox routes, the configured PSP over HTTP with its signed notifications.

use std::sync::Arc;
use std::time::Duration;

use bbps_core::{Secret, UpiLink};
use bbps_engine::model::Merchant;
use bbps_sandbox::psp_sim::{self, PspSimConfig, RunningPspSim};
use bbps_sandbox::upi_app::payer::{Payer, PayerAction};
use bbps_sandbox::{PayerConfig, SandboxNetwork, SandboxTimings};
use bbps_server::config::{Config, PspSettings, RunMode};
use bbps_server::http::auth::keys::{self, KeyMode};
use bbps_server::{StartError, start, start_with_network};
use reqwest::StatusCode;
use serde_json::json;

use crate::common::*;

const SESSION_SECRET: &str = "live-test-session-secret-0123456789abcdef";
const CLIENT_SECRET: &str = "live-test-client-secret-0123456789";
const NOTIFY_SECRET: &str = "live-test-notify-secret-0123456789abcdef";

fn psp_settings(url: String) -> PspSettings {
    PspSettings {
        url,
        client_id: "live-client".into(),
        client_secret: Secret::new(CLIENT_SECRET),
        product_instance_id: "live-instance".into(),
        notify_audience: "live-scheme".into(),
        notify_secret: Secret::new(NOTIFY_SECRET),
    }
}

/// A live configuration with nothing wrong in it, its PSP at `psp_url`.
fn live_config(dir: &tempfile::TempDir, psp_url: String) -> Config {
    let mut c = test_config(dir);
    c.mode = RunMode::Live;
    c.session_secret = Some(Secret::new(SESSION_SECRET));
    c.public_url = Some("https://pay.example".into());
    c.psp = Some(psp_settings(psp_url));
    c
}

fn problems(c: &Config) -> String {
    c.check().err().map(|e| e.to_string()).unwrap_or_default()
}

#[test]
fn live_mode_names_every_setting_it_lacks() {
    let dir = tempfile::tempdir().expect("dir");
    let mut bare = test_config(&dir);
    bare.mode = RunMode::Live;
    let all = problems(&bare);
    for setting in ["BBPS_SESSION_SECRET", "BBPS_PUBLIC_URL", "BBPS_PSP_URL"] {
        assert!(all.contains(setting), "{setting} in: {all}");
    }

    let good = live_config(&dir, "https://psp.example/api/v2".into());
    assert_eq!(good.check(), Ok(()));
    type Spoil = fn(&mut Config);
    let cases: [(&str, Spoil); 8] = [
        ("BBPS_SESSION_SECRET", |c| c.session_secret = Some(Secret::new("short"))),
        ("BBPS_PUBLIC_URL", |c| c.public_url = Some("http://pay.example".into())),
        ("BBPS_PSP_URL", |c| c.psp.as_mut().into_iter().for_each(|p| p.url = "http://psp.example/api/v2".into())),
        ("BBPS_PSP_URL", |c| c.psp.as_mut().into_iter().for_each(|p| p.url = "http://127.0.0.1@evil.example/".into())),
        ("BBPS_PSP_CLIENT_SECRET", |c| c.psp.as_mut().into_iter().for_each(|p| p.client_secret = Secret::new(""))),
        ("BBPS_PSP_CLIENT_ID", |c| c.psp.as_mut().into_iter().for_each(|p| p.client_id = " ".into())),
        ("BBPS_PSP_NOTIFY_AUDIENCE", |c| c.psp.as_mut().into_iter().for_each(|p| p.notify_audience = String::new())),
        ("BBPS_PSP_NOTIFY_SECRET", |c| c.psp.as_mut().into_iter().for_each(|p| p.notify_secret = Secret::new("weak"))),
    ];
    for (setting, spoil) in cases {
        let mut c = good.clone();
        spoil(&mut c);
        let found = problems(&c);
        assert!(found.contains(setting), "{setting}: {found}");
    }
    // A PSP behind a TLS proxy on this host is reached over loopback.
    for local in ["http://127.0.0.1:9443/api/v2", "http://localhost:9443/v2", "http://[::1]:9443/v2"] {
        assert_eq!(live_config(&dir, local.into()).check(), Ok(()), "{local}");
    }
}

#[tokio::test]
async fn live_mode_does_not_start_without_a_bbps_network() {
    let dir = tempfile::tempdir().expect("dir");
    let refused = start(live_config(&dir, "https://psp.example/api/v2".into())).await.err();
    assert!(matches!(refused, Some(StartError::NoBbpsNetwork)), "{refused:?}");
    let mut bare = test_config(&dir);
    bare.mode = RunMode::Live;
    let refused = start(bare).await.err();
    assert!(matches!(refused, Some(StartError::Config(_))), "the settings are checked first: {refused:?}");
}

#[test]
fn the_binary_refuses_live_mode_and_says_why() {
    let dir = tempfile::tempdir().expect("dir");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_bbps-server"))
        .env("BBPS_MODE", "live")
        .env("BBPS_DATABASE", dir.path().join("live.sqlite3"))
        .env("BBPS_LISTEN", "127.0.0.1:0")
        .output()
        .expect("run the binary");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    for setting in ["BBPS_SESSION_SECRET", "BBPS_PUBLIC_URL", "BBPS_PSP_URL"] {
        assert!(stderr.contains(setting), "{setting} in: {stderr}");
    }
}

struct Live {
    server: TestServer,
    sim: RunningPspSim,
    merchant_pk: String,
}

async fn start_live() -> Live {
    let dir = tempfile::tempdir().expect("dir");
    // The simulator needs the server's address for its notifications before the server starts.
    let port = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port();
    let sim = psp_sim::start(PspSimConfig {
        listen: "127.0.0.1:0".parse().expect("addr"),
        database: dir.path().join("psp.sqlite3"),
        client_id: "live-client".into(),
        client_secret: Secret::new(CLIENT_SECRET),
        product_instance_id: "live-instance".into(),
        callback_url: format!("http://127.0.0.1:{port}/v1/psp"),
        notify_audience: "live-scheme".into(),
        notify_secret: Secret::new(NOTIFY_SECRET),
        token_ttl: Duration::from_secs(1800),
        refund_delay: Duration::from_millis(300),
    })
    .await
    .expect("simulator");
    let mut config = live_config(&dir, sim.base_url());
    config.listen = format!("127.0.0.1:{port}").parse().expect("addr");
    let billers = bbps_sandbox::network::generator::catalogue(0);
    let timings = SandboxTimings {
        slow_delay: config.sandbox.slow_delay,
        pending_settle: config.sandbox.pending_settle,
        complaint_step: config.sandbox.complaint_step,
    };
    let network = SandboxNetwork::open(&dir.path().join("network.sqlite3"), billers, timings).expect("network");
    let running = start_with_network(config, Some(Arc::new(network))).await.expect("live server");
    let new_keys = keys::generate_keys(KeyMode::Live);
    let merchant = Merchant {
        id: keys::new_merchant_id(),
        name: "Live Shop".into(),
        publishable_key: new_keys.publishable.clone(),
        secret_key_hash: keys::hash_secret(&new_keys.secret),
        allowed_origins: vec!["https://shop.example".into()],
        webhook_url: None,
        webhook_secret: keys::generate_webhook_secret(),
        upi_name: "Live Shop".into(),
        created_at: bbps_server::util::now(),
    };
    running.state.engine.store().insert_merchant(&merchant).await.expect("merchant");
    let server =
        TestServer { base: format!("http://{}", running.addr), server: Some(running), demo: None, http: client(), dir };
    Live { server, sim, merchant_pk: new_keys.publishable }
}

#[tokio::test]
async fn live_mode_takes_live_keys_only_and_serves_no_sandbox() {
    let live = start_live().await;
    let s = &live.server;
    let (status, e) = s.send(s.http.post(s.url("/v1/sessions")).json(&json!({ "publishable_key": DEMO_PK }))).await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("publishable_key_invalid")), "{e}");
    assert!(e["message"].as_str().is_some_and(|m| m.contains("live keys")), "{e}");
    let (status, session) =
        s.send(s.http.post(s.url("/v1/sessions")).json(&json!({ "publishable_key": live.merchant_pk }))).await;
    assert_eq!(status, StatusCode::CREATED, "{session}");
    assert_eq!(session["mode"], "live");
    let (status, e) = s.get("/v1/merchant/payments", DEMO_SK).await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("secret_key_invalid")), "{e}");
    for path in ["/sandbox/accounts", "/sandbox/upi?link=upi%3A%2F%2Fpay"] {
        let resp = s.http.get(s.url(path)).send().await.expect("sent");
        assert_eq!(resp.status(), StatusCode::NOT_FOUND, "{path}");
    }
    let resp = s.http.post(s.url("/sandbox/upi/pay")).json(&json!({ "link": "x", "action": "approve" })).send().await;
    assert_eq!(resp.expect("sent").status(), StatusCode::NOT_FOUND);
    let (_, doc) = s.send(s.http.get(s.url("/openapi.json"))).await;
    assert!(
        doc["paths"].as_object().is_some_and(|p| !p.keys().any(|k| k.starts_with("/sandbox"))),
        "no sandbox in the API"
    );
}

#[tokio::test]
async fn a_live_payment_goes_through_the_configured_psp() {
    let live = start_live().await;
    let s = &live.server;
    let token = s.session_for(&live.merchant_pk).await;
    let p = s.bill_payment(&token, "100234567890").await;
    let link = UpiLink::parse(p["upi"]["link"].as_str().unwrap_or("")).expect("a UPI link");
    assert!(link.payee.as_str().ends_with("@sbxsetu"), "the configured PSP's VPA: {}", link.payee.as_str());
    assert_eq!(link.payee_name, "Live Shop");
    let payer = Payer::new(
        PayerConfig {
            psp_root: format!("http://{}", live.sim.addr),
            client_id: "live-client".into(),
            client_secret: Secret::new(CLIENT_SECRET),
            product_instance_id: "live-instance".into(),
        },
        reqwest::Client::new(),
    );
    payer.act(&link, PayerAction::Approve).await.expect("paid at the PSP");
    let done = s.wait_status(&token, &p["id"], "completed").await;
    assert_eq!(done["receipt"]["status"], "SUCCESS", "{done}");
}

fn run_binary(args: &[&str], envs: &[(&str, &str)]) -> (bool, String) {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_bbps-server"));
    cmd.args(args).env_remove("BBPS_MODE").env("BBPS_LISTEN", "127.0.0.1:0");
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run the binary");
    (out.status.success(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn settings_come_from_a_private_config_file_below_flags_and_the_environment() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("live.env");
    let db = dir.path().join("live.sqlite3");
    std::fs::write(
        &file,
        format!(
            "# the live settings\nBBPS_MODE=live\nBBPS_DATABASE={}\nBBPS_SESSION_SECRET={SESSION_SECRET}\n\
             export BBPS_PUBLIC_URL=\"https://pay.example\"\nBBPS_PSP_URL=https://psp.example/api/v2\n\
             BBPS_PSP_CLIENT_ID=live-client\nBBPS_PSP_CLIENT_SECRET={CLIENT_SECRET}\n\
             BBPS_PSP_PRODUCT_INSTANCE_ID=live-instance\nBBPS_PSP_NOTIFY_AUDIENCE=live-scheme\n\
             BBPS_PSP_NOTIFY_SECRET={NOTIFY_SECRET}\n",
            db.display()
        ),
    )
    .expect("write");
    let path = file.to_str().expect("path");

    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let (ok, err) = run_binary(&["--config", path], &[]);
    assert!(!ok && err.contains("chmod 600"), "a secret file others may read is refused: {err}");

    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    let (ok, err) = run_binary(&["--config", path], &[]);
    assert!(!ok && err.contains("no BBPS network"), "every setting came from the file: {err}");
    let (ok, err) = run_binary(&[], &[("BBPS_CONFIG", path), ("BBPS_PUBLIC_URL", "http://pay.example")]);
    assert!(!ok && err.contains("BBPS_PUBLIC_URL"), "the environment wins over the file: {err}");
    let (ok, err) = run_binary(&["serve", "--config", path, "--session-secret", "short"], &[]);
    assert!(!ok && err.contains("BBPS_SESSION_SECRET"), "a flag wins over the file: {err}");

    std::fs::write(&file, "BBPS_NO_SUCH_SETTING=1\n").expect("write");
    let (ok, err) = run_binary(&["--config", path], &[]);
    assert!(!ok && err.contains("line 1: unknown setting BBPS_NO_SUCH_SETTING"), "{err}");
}
