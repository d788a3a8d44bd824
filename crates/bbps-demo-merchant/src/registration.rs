//! What the site asks the API at start, as any merchant's server would: it adds its own origins to the
//! merchant's allowed origins and points the webhook endpoint at its receiver (`/v1/merchant/integration`, secret
//! key), and it reads the sandbox's test-account scheme for its home page.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use bbps_core::WebhookUrl;
use bbps_core::api::{MerchantIntegration, Origin};
use serde::Deserialize;

use crate::{DemoConfig, DemoError};

/// Every origin a browser on this machine reaches the site at: the address, and `localhost` for loopback.
fn origins(addr: SocketAddr) -> Vec<String> {
    let mut origins = vec![format!("http://{addr}")];
    if addr.ip().is_loopback() {
        origins.push(format!("http://localhost:{}", addr.port()));
    }
    origins
}

async fn integration(http: &reqwest::Client, config: &DemoConfig) -> Result<MerchantIntegration, String> {
    let url = format!("{}/v1/merchant/integration", config.api_base);
    let answer = http.get(&url).bearer_auth(&config.secret_key).send().await.map_err(|e| e.to_string())?;
    if !answer.status().is_success() {
        return Err(format!("GET {url} answered {}", answer.status()));
    }
    answer.json().await.map_err(|e| e.to_string())
}

/// Adds the site's origins and sets its webhook endpoint, keeping the origins already allowed. Retries while
/// the API is not up yet (the demo starts both at once).
pub async fn register(http: &reqwest::Client, config: &DemoConfig, addr: SocketAddr) -> Result<(), DemoError> {
    let fail = |reason: String| DemoError::Register { api: config.api_base.clone(), reason };
    let started = Instant::now();
    let mut settings = loop {
        match integration(http, config).await {
            Ok(settings) => break settings,
            Err(e) if started.elapsed() < config.api_wait => {
                tracing::debug!(%e, "the API is not answering yet");
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
            Err(e) => return Err(fail(e)),
        }
    };
    for origin in origins(addr) {
        let origin = Origin::parse(&origin).map_err(fail)?;
        if !settings.allowed_origins.contains(&origin) {
            settings.allowed_origins.push(origin);
        }
    }
    let receiver = format!("http://{addr}/webhooks/bbps");
    settings.webhook_url = Some(WebhookUrl::parse(&receiver).map_err(|e| fail(e.to_string()))?);
    let url = format!("{}/v1/merchant/integration", config.api_base);
    let answer =
        http.put(&url).bearer_auth(&config.secret_key).json(&settings).send().await.map_err(|e| fail(e.to_string()))?;
    if !answer.status().is_success() {
        let status = answer.status();
        return Err(fail(format!("PUT {url} answered {status}: {}", answer.text().await.unwrap_or_default())));
    }
    let allowed: Vec<&str> = settings.allowed_origins.iter().map(Origin::as_str).collect();
    tracing::info!(origins = ?allowed, "registered the demo site with the merchant API");
    Ok(())
}

/// One outcome of the sandbox's test accounts: the last four characters of an account, and what they do.
#[derive(Debug, Clone, Deserialize)]
pub struct TestOutcome {
    pub suffix: String,
    pub description: String,
}

#[derive(Deserialize)]
struct SandboxAccounts {
    scheme: Vec<TestOutcome>,
}

/// The sandbox's test-account scheme, when the API has a sandbox.
pub async fn test_accounts(http: &reqwest::Client, api_base: &str) -> Option<Vec<TestOutcome>> {
    let answer = http.get(format!("{api_base}/sandbox/accounts")).send().await.ok()?;
    if !answer.status().is_success() {
        return None;
    }
    answer.json::<SandboxAccounts>().await.ok().map(|a| a.scheme)
}
