//! Live mode: what it refuses to start without (every problem named by its setting), and what it serves once
//! configured: live keys only, no sandbox routes, the configured PSP over HTTP with its signed notifications, and
//! the configured BBPCU (the simulator, serving mutual TLS as the real one does) through the NPCI XML adapter.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use bbps_core::{Secret, UpiLink};
use bbps_engine::model::Merchant;
use bbps_engine::wire_archive::{WireDirection, WireQuery};
use bbps_npci_xml::ids::InstitutionId;
use bbps_sandbox::bbpcu_sim::{self, BbpcuSimConfig, RunningBbpcuSim, SimTls, keys as sim_keys};
use bbps_sandbox::psp_sim::{self, PspSimConfig, RunningPspSim};
use bbps_sandbox::upi_app::payer::{Payer, PayerAction};
use bbps_sandbox::{PayerConfig, SandboxTimings};
use bbps_server::bbpcu::settings::{BbpcuSettings, KeySettings};
use bbps_server::config::{Config, PspSettings, RunMode};
use bbps_server::http::auth::keys::{self, KeyMode};
use bbps_server::sms_gateway::SmsSettings;
use bbps_server::{StartError, start};
use reqwest::StatusCode;
use serde_json::json;

use crate::common::*;

const SESSION_SECRET: &str = "live-test-session-secret-0123456789abcdef";
const CLIENT_SECRET: &str = "live-test-client-secret-0123456789";
const NOTIFY_SECRET: &str = "live-test-notify-secret-0123456789abcdef";
const DATA_KEY: &str = "4f1c2e9d8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f10";

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
    c.data_key = Some(Secret::new(DATA_KEY));
    c.public_url = Some("https://pay.example".into());
    c.psp = Some(psp_settings(psp_url));
    c.sms = Some(SmsSettings {
        url: "https://sms.example/v1/send".into(),
        api_key: Secret::new("live-test-sms-key-0123456789"),
        sender: "BBPSPY".into(),
        template_id: "1107160000000000001".into(),
    });
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
    for setting in ["BBPS_SESSION_SECRET", "BBPS_PUBLIC_URL", "BBPS_PSP_URL", "BBPS_DATA_KEY", "BBPS_SMS_URL"] {
        assert!(all.contains(setting), "{setting} in: {all}");
    }

    let good = live_config(&dir, "https://psp.example/api/v2".into());
    assert_eq!(good.check(), Ok(()));
    type Spoil = fn(&mut Config);
    let cases: [(&str, Spoil); 11] = [
        ("BBPS_SMS_URL", |c| c.sms.as_mut().into_iter().for_each(|s| s.url = "http://sms.example/send".into())),
        ("BBPS_SMS_TEMPLATE_ID", |c| c.sms.as_mut().into_iter().for_each(|s| s.template_id = String::new())),
        ("BBPS_SESSION_SECRET", |c| c.session_secret = Some(Secret::new("short"))),
        ("BBPS_DATA_KEY", |c| c.data_key = Some(Secret::new("not-hex"))),
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
    // A BBPCU half configured: every missing setting is named.
    let mut half = good.clone();
    half.bbpcu.url = Some("http://bbpcu.example/bbps".into());
    let found = problems(&half);
    for setting in [
        "BBPS_BBPCU_URL",
        "BBPS_BBPCU_CERTIFICATE",
        "BBPS_BBPCU_SIGNING_KEY",
        "BBPS_BBPCU_TLS_CA_BUNDLE",
        "BBPS_BBPCU_AGENT_ID",
        "BBPS_BBPCU_INSTITUTION_ID",
        "BBPS_BBPCU_AGENT_MAC",
        "BBPS_BBPCU_CALLBACK_LISTEN",
    ] {
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
    _bbpcu: RunningBbpcuSim,
    merchant_pk: String,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port()
}

fn openssl(args: &[&str], dir: &Path) {
    let out =
        Command::new("openssl").args(args).current_dir(dir).output().expect("openssl runs (Debian package openssl)");
    assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// A certificate authority in `dir` and what it signed: the BBPCU's TLS server certificate for 127.0.0.1 (key and
/// chain in `bbpcu-tls.pem`) and our TLS client certificate (`client.key`, `client.crt`); as an NPCI-issued set.
struct Pki {
    ca: PathBuf,
    server_identity: PathBuf,
    client_key: PathBuf,
    client_cert: PathBuf,
}

fn pki(dir: &Path, name: &str) -> Pki {
    std::fs::create_dir_all(dir).expect("dir");
    let subject = format!("/CN={name} test CA");
    openssl(
        &[
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", &subject, "-keyout", "ca.key",
            "-out", "ca.crt",
        ],
        dir,
    );
    std::fs::write(dir.join("server.ext"), "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n").expect("ext");
    std::fs::write(dir.join("client.ext"), "extendedKeyUsage=clientAuth\nbasicConstraints=CA:FALSE\n").expect("ext");
    for (who, cn) in [("server", "/CN=127.0.0.1"), ("client", "/CN=LV01 BBPOU")] {
        let (key, csr, crt, ext) =
            (format!("{who}.key"), format!("{who}.csr"), format!("{who}.crt"), format!("{who}.ext"));
        openssl(&["req", "-newkey", "rsa:2048", "-nodes", "-subj", cn, "-keyout", &key, "-out", &csr], dir);
        openssl(
            &[
                "x509",
                "-req",
                "-in",
                &csr,
                "-CA",
                "ca.crt",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-days",
                "2",
                "-extfile",
                &ext,
                "-out",
                &crt,
            ],
            dir,
        );
    }
    let identity =
        [std::fs::read(dir.join("server.key")).expect("key"), std::fs::read(dir.join("server.crt")).expect("crt")]
            .concat();
    std::fs::write(dir.join("bbpcu-tls.pem"), identity).expect("identity");
    Pki {
        ca: dir.join("ca.crt"),
        server_identity: dir.join("bbpcu-tls.pem"),
        client_key: dir.join("client.key"),
        client_cert: dir.join("client.crt"),
    }
}

/// Our BBPOU towards a BBPCU at `url` signing with the key of `keys` (`bbpou.pem`, `bbpou.crt`), its responses
/// received at `callback`, over mutual TLS with `pki`'s client certificate and authority.
fn bbpcu_settings(url: String, central: PathBuf, keys: &Path, pki: &Pki, callback: u16) -> BbpcuSettings {
    BbpcuSettings {
        url: Some(url),
        certificate: Some(central),
        signing: KeySettings {
            key: Some(keys.join("bbpou.pem")),
            certificate: Some(keys.join("bbpou.crt")),
            ..KeySettings::default()
        },
        tls_client: KeySettings {
            key: Some(pki.client_key.clone()),
            certificate: Some(pki.client_cert.clone()),
            ..KeySettings::default()
        },
        tls_ca_bundle: Some(pki.ca.clone()),
        agent_id: Some(bbps_core::AgentId::parse("LV01LV01INT000000001").expect("agent")),
        institution_id: Some(InstitutionId::parse("LV01").expect("institution")),
        agent_mac: Some("02-00-00-00-00-02".parse().expect("mac")),
        callback_listen: Some(format!("127.0.0.1:{callback}").parse().expect("addr")),
        ..BbpcuSettings::default()
    }
}

/// The BBPCU simulator as a live BBPCU: its own listener with mutual TLS, believing `keys`' BBPOU certificate,
/// answering to `callback`.
async fn start_bbpcu(dir: &Path, pki: &Pki, keys: &Path, callback: u16) -> RunningBbpcuSim {
    bbpcu_sim::start(BbpcuSimConfig {
        listen: "127.0.0.1:0".parse().expect("addr"),
        database: dir.join("bbpcu.sqlite3"),
        billers: std::sync::Arc::new(bbps_sandbox::network::generator::catalogue(0)),
        timings: SandboxTimings {
            slow_delay: Duration::from_secs(6),
            pending_settle: Duration::from_millis(800),
            complaint_step: Duration::from_millis(400),
            catalogue_change: Duration::from_secs(3600),
        },
        keys: dir.join("bbpcu-keys"),
        bbpou_certificate: keys.join("bbpou.crt"),
        callback_url: format!("http://127.0.0.1:{callback}"),
        tls: Some(SimTls { identity: pki.server_identity.clone(), client_ca: pki.ca.clone() }),
    })
    .await
    .expect("the BBPCU simulator")
}

async fn start_live() -> Live {
    let dir = tempfile::tempdir().expect("dir");
    // The simulators need the server's addresses before the server starts.
    let (port, callback) = (free_port(), free_port());
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
    let ours = dir.path().join("keys");
    sim_keys::ensure(&ours, "bbpou").expect("our signing key");
    let pki = pki(&dir.path().join("pki"), "NPCI");
    let bbpcu = start_bbpcu(dir.path(), &pki, &ours, callback).await;
    assert!(bbpcu.base_url().starts_with("https://"), "{}", bbpcu.base_url());
    let mut config = live_config(&dir, sim.base_url());
    config.listen = format!("127.0.0.1:{port}").parse().expect("addr");
    config.bbpcu = bbpcu_settings(bbpcu.base_url(), bbpcu.keys.certificate.clone(), &ours, &pki, callback);
    assert_eq!(config.check(), Ok(()));
    let running = start(config).await.expect("live server");
    assert_eq!(running.state.engine.catalogue().len(), bbpcu.billers.len(), "the catalogue came from the BBPCU");
    let new_keys = keys::generate_keys(KeyMode::Live);
    let merchant = Merchant {
        id: keys::new_merchant_id(),
        name: "Live Shop".into(),
        publishable_key: new_keys.publishable.clone(),
        secret_key_hash: keys::hash_secret(&new_keys.secret),
        allowed_origins: vec!["https://shop.example".into()],
        webhook_url: None,
        webhook_secret: Secret::new(keys::generate_webhook_secret()),
        upi_name: "Live Shop".into(),
        created_at: bbps_server::util::now(),
    };
    running.state.engine.store().insert_merchant(&merchant).await.expect("merchant");
    // Stored sealed under the data key, and read back whole.
    let stored: String = rusqlite::Connection::open(dir.path().join("bbps.sqlite3"))
        .and_then(|c| {
            c.query_row("SELECT webhook_secret FROM merchants WHERE id = ?1", [merchant.id.as_str()], |r| r.get(0))
        })
        .expect("stored secret");
    assert!(stored.starts_with("sealed:v1:") && !stored.contains(merchant.webhook_secret.expose()), "{stored}");
    let read = running.state.engine.store().merchant(&merchant.id).await.expect("read").expect("merchant");
    assert_eq!(read.webhook_secret, merchant.webhook_secret);
    let server =
        TestServer { base: format!("http://{}", running.addr), server: Some(running), demo: None, http: client(), dir };
    Live { server, sim, _bbpcu: bbpcu, merchant_pk: new_keys.publishable }
}

#[tokio::test]
async fn live_mode_takes_live_keys_only_and_serves_no_sandbox() {
    let live = start_live().await;
    let s = &live.server;
    let (status, health) = s.send(s.http.get(s.url("/healthz"))).await;
    assert_eq!((status, health["mode"].as_str()), (StatusCode::OK, Some("live")), "{health}");
    let (status, e) = s.send(s.http.post(s.url("/v1/sessions")).json(&json!({ "publishable_key": DEMO_PK }))).await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("publishable_key_invalid")), "{e}");
    assert!(e["message"].as_str().is_some_and(|m| m.contains("live keys")), "{e}");
    let (status, e) =
        s.send(s.http.post(s.url("/v1/sessions")).json(&json!({ "publishable_key": live.merchant_pk }))).await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::FORBIDDEN, Some("origin_not_allowed")), "no Origin: {e}");
    let request = s
        .http
        .post(s.url("/v1/sessions"))
        .header("origin", "https://shop.example")
        .json(&json!({ "publishable_key": live.merchant_pk }));
    let (status, session) = s.send(request).await;
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
async fn a_live_payment_goes_through_the_configured_psp_and_bbpcu() {
    let live = start_live().await;
    let s = &live.server;
    let token = s.session_from(&live.merchant_pk, "https://shop.example").await;
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
    // The bill went over the BBPCU's wire: fetch and payment, each with its Ack and response, all archived.
    let ref_id = bbps_core::RefId::parse(p["ref_id"].as_str().unwrap_or("")).expect("ref id");
    let store = s.state().engine.store();
    let archived = store.wire_messages(&WireQuery { ref_id: Some(ref_id), limit: 50 }).await.expect("archive");
    let kinds: Vec<(WireDirection, &str)> = archived.iter().map(|m| (m.direction, m.kind.as_str())).collect();
    for want in [
        (WireDirection::Sent, "BillFetchRequest"),
        (WireDirection::Received, "BillFetchResponse"),
        (WireDirection::Sent, "BillPaymentRequest"),
        (WireDirection::Received, "BillPaymentResponse"),
    ] {
        assert!(kinds.contains(&want), "{want:?} in {kinds:?}");
    }
}

#[tokio::test]
async fn live_mode_does_not_start_against_a_bbpcu_it_cannot_authenticate() {
    let dir = tempfile::tempdir().expect("dir");
    let callback = free_port();
    let ours = dir.path().join("keys");
    sim_keys::ensure(&ours, "bbpou").expect("our signing key");
    let (npci, other) = (pki(&dir.path().join("pki"), "NPCI"), pki(&dir.path().join("other"), "Elsewhere"));
    let bbpcu = start_bbpcu(dir.path(), &npci, &ours, callback).await;
    // Its TLS certificate is not from the authority we were given.
    let mut config = live_config(&dir, "https://psp.example/api/v2".into());
    config.bbpcu = bbpcu_settings(bbpcu.base_url(), bbpcu.keys.certificate.clone(), &ours, &npci, callback);
    config.bbpcu.tls_ca_bundle = Some(other.ca.clone());
    let refused = start(config).await.err();
    assert!(matches!(refused, Some(StartError::Catalogue(_))), "{refused:?}");
    // The right authority, but a BBPCU signing with another key than the certificate we pinned.
    let mut config = live_config(&dir, "https://psp.example/api/v2".into());
    config.bbpcu = bbpcu_settings(bbpcu.base_url(), ours.join("bbpou.crt"), &ours, &npci, free_port());
    let refused = start(config).await.err();
    assert!(matches!(&refused, Some(StartError::Catalogue(e)) if e.contains("signature")), "{refused:?}");
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
             BBPS_PSP_NOTIFY_SECRET={NOTIFY_SECRET}\nBBPS_DATA_KEY={DATA_KEY}\n\
             BBPS_SMS_URL=https://sms.example/v1/send\nBBPS_SMS_API_KEY=live-test-sms-key-0123456789\n\
             BBPS_SMS_SENDER=BBPSPY\nBBPS_SMS_TEMPLATE_ID=1107160000000000001\n",
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
