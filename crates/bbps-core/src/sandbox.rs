//! The sandbox demo merchant's documented credentials (docs/sandbox.md). They are public test values: a test-mode
//! server seeds the merchant with them, the demo merchant's site and the tests use them, and a live server
//! refuses every `_test_` key.

pub const DEMO_MERCHANT_ID: &str = "mer_sandboxdemo0000000000000";
pub const DEMO_MERCHANT_NAME: &str = "BBPS Sandbox Demo Merchant";
pub const DEMO_PUBLISHABLE_KEY: &str = "pk_test_demo_bbps0000000000000000";
pub const DEMO_SECRET_KEY: &str = "sk_test_demo_bbps0000000000000000";
pub const DEMO_WEBHOOK_SECRET: &str = "whsec_test_demo_bbps0000000000000000";
/// Where the demo runs on a developer's machine: the API and widget, the demo merchant's site, `trunk serve`.
pub const DEMO_ORIGINS: &[&str] = &[
    "http://127.0.0.1:8787",
    "http://localhost:8787",
    "http://127.0.0.1:8788",
    "http://localhost:8788",
    "http://127.0.0.1:8080",
    "http://localhost:8080",
];
