//! The BBPCU's command-line flags and `BBPS_*` variables, flattened into `serve`'s.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use bbps_core::{AgentId, Secret};
use bbps_npci_xml::ids::InstitutionId;
use clap::Args;

use super::settings::{BbpcuSettings, KeySettings, MacAddress};

fn agent_id(s: &str) -> Result<AgentId, String> {
    AgentId::parse(s).map_err(|e| e.to_string())
}

fn institution_id(s: &str) -> Result<InstitutionId, String> {
    InstitutionId::parse(s).map_err(|e| e.to_string())
}

#[derive(Debug, Clone, Args, Default)]
pub struct BbpcuArgs {
    /// The BBPCU's base URL (https://…): requests go to <url>/<MessageName>/1.0/urn:referenceId:<refId> [test
    /// mode default: the BBPCU simulator in this process; live: required].
    #[arg(long, env = "BBPS_BBPCU_URL")]
    bbpcu_url: Option<String>,
    /// The BBPCU's signing certificate (PEM) [test mode default: the in-process simulator's].
    #[arg(long, env = "BBPS_BBPCU_CERTIFICATE")]
    bbpcu_certificate: Option<PathBuf>,
    /// Our signing key (PEM, RSA 2048 bits or more) [test mode default: made once beside the database].
    #[arg(long, env = "BBPS_BBPCU_SIGNING_KEY")]
    bbpcu_signing_key: Option<PathBuf>,
    /// Our signing certificate (PEM), the one registered with NPCI.
    #[arg(long, env = "BBPS_BBPCU_SIGNING_CERTIFICATE")]
    bbpcu_signing_certificate: Option<PathBuf>,
    /// Our signing key and certificate as one PKCS#12 file, instead of the two PEM files.
    #[arg(long, env = "BBPS_BBPCU_SIGNING_PKCS12")]
    bbpcu_signing_pkcs12: Option<PathBuf>,
    /// The password of BBPS_BBPCU_SIGNING_PKCS12.
    #[arg(long, env = "BBPS_BBPCU_SIGNING_PKCS12_PASSWORD", hide_env_values = true)]
    bbpcu_signing_pkcs12_password: Option<Secret>,
    /// Our TLS client key towards the BBPCU (PEM) [live: required, or BBPS_BBPCU_TLS_PKCS12].
    #[arg(long, env = "BBPS_BBPCU_TLS_KEY")]
    bbpcu_tls_key: Option<PathBuf>,
    /// Our TLS client certificate (PEM).
    #[arg(long, env = "BBPS_BBPCU_TLS_CERTIFICATE")]
    bbpcu_tls_certificate: Option<PathBuf>,
    /// Our TLS client identity as one PKCS#12 file.
    #[arg(long, env = "BBPS_BBPCU_TLS_PKCS12")]
    bbpcu_tls_pkcs12: Option<PathBuf>,
    /// The password of BBPS_BBPCU_TLS_PKCS12.
    #[arg(long, env = "BBPS_BBPCU_TLS_PKCS12_PASSWORD", hide_env_values = true)]
    bbpcu_tls_pkcs12_password: Option<Secret>,
    /// The authorities the BBPCU's server certificate must chain to (PEM bundle) [live: required].
    #[arg(long, env = "BBPS_BBPCU_TLS_CA_BUNDLE")]
    bbpcu_tls_ca_bundle: Option<PathBuf>,
    /// Our agent id, as NPCI assigned it (20 characters, beginning with our operating unit's id).
    #[arg(long, env = "BBPS_BBPCU_AGENT_ID", value_parser = agent_id)]
    bbpcu_agent_id: Option<AgentId>,
    /// Our BBPOU's institution id (`Head@origInst`).
    #[arg(long, env = "BBPS_BBPCU_INSTITUTION_ID", value_parser = institution_id)]
    bbpcu_institution_id: Option<InstitutionId>,
    /// The MAC address of the gateway our requests leave by (the agent's MAC device tag).
    #[arg(long, env = "BBPS_BBPCU_AGENT_MAC")]
    bbpcu_agent_mac: Option<MacAddress>,
    /// Time limit for a bill fetch's response [default: BBPS_FETCH_TIMEOUT].
    #[arg(long, env = "BBPS_BBPCU_FETCH_TIMEOUT", value_parser = humantime::parse_duration)]
    bbpcu_fetch_timeout: Option<Duration>,
    /// Time limit for a validation's response [default: BBPS_FETCH_TIMEOUT].
    #[arg(long, env = "BBPS_BBPCU_VALIDATION_TIMEOUT", value_parser = humantime::parse_duration)]
    bbpcu_validation_timeout: Option<Duration>,
    /// Time limit for a payment's response; a later one still reaches the payment [default: BBPS_PROVIDER_TIMEOUT].
    #[arg(long, env = "BBPS_BBPCU_PAYMENT_TIMEOUT", value_parser = humantime::parse_duration)]
    bbpcu_payment_timeout: Option<Duration>,
    /// Time limit for a transaction status response [default: BBPS_PROVIDER_TIMEOUT].
    #[arg(long, env = "BBPS_BBPCU_STATUS_TIMEOUT", value_parser = humantime::parse_duration)]
    bbpcu_status_timeout: Option<Duration>,
    /// Time limit for a complaint's response [default: BBPS_PROVIDER_TIMEOUT].
    #[arg(long, env = "BBPS_BBPCU_COMPLAINT_TIMEOUT", value_parser = humantime::parse_duration)]
    bbpcu_complaint_timeout: Option<Duration>,
    /// Time limit for the biller master data [default: 5m].
    #[arg(long, env = "BBPS_BBPCU_BILLER_FETCH_TIMEOUT", value_parser = humantime::parse_duration)]
    bbpcu_biller_fetch_timeout: Option<Duration>,
    /// Where the BBPCU's responses are received [test mode default: 127.0.0.1:0; live: required, behind the TLS
    /// proxy that terminates the BBPCU's mutual TLS].
    #[arg(long, env = "BBPS_BBPCU_CALLBACK_LISTEN")]
    bbpcu_callback_listen: Option<SocketAddr>,
    /// Where the in-process BBPCU simulator listens (test mode without BBPS_BBPCU_URL) [default: 127.0.0.1:0].
    #[arg(long, env = "BBPS_BBPCU_SIM_LISTEN")]
    bbpcu_sim_listen: Option<SocketAddr>,
    /// Where test mode keeps the key pairs it makes [default: bbpcu-keys/ beside the database].
    #[arg(long, env = "BBPS_BBPCU_TEST_KEYS")]
    bbpcu_test_keys: Option<PathBuf>,
    /// How long the wire archive keeps every message exchanged with the BBPCU [default: 180d].
    #[arg(long, env = "BBPS_WIRE_RETENTION", value_parser = humantime::parse_duration)]
    wire_retention: Option<Duration>,
    /// Also write every message exchanged with the BBPCU to a file in this directory (created if missing).
    #[arg(long, env = "BBPS_WIRE_DIR")]
    wire_dir: Option<PathBuf>,
}

impl BbpcuArgs {
    /// The settings with what these flags give.
    pub fn apply(self, s: &mut BbpcuSettings) {
        let keys =
            |key, certificate, pkcs12, pkcs12_password| KeySettings { key, certificate, pkcs12, pkcs12_password };
        s.url = self.bbpcu_url.or(s.url.take());
        s.certificate = self.bbpcu_certificate.or(s.certificate.take());
        s.signing = keys(
            self.bbpcu_signing_key,
            self.bbpcu_signing_certificate,
            self.bbpcu_signing_pkcs12,
            self.bbpcu_signing_pkcs12_password,
        );
        s.tls_client =
            keys(self.bbpcu_tls_key, self.bbpcu_tls_certificate, self.bbpcu_tls_pkcs12, self.bbpcu_tls_pkcs12_password);
        s.tls_ca_bundle = self.bbpcu_tls_ca_bundle.or(s.tls_ca_bundle.take());
        s.agent_id = self.bbpcu_agent_id.or(s.agent_id.take());
        s.institution_id = self.bbpcu_institution_id.or(s.institution_id.take());
        s.agent_mac = self.bbpcu_agent_mac.or(s.agent_mac.take());
        let t = &mut s.timeouts;
        t.fetch = self.bbpcu_fetch_timeout.or(t.fetch);
        t.validation = self.bbpcu_validation_timeout.or(t.validation);
        t.payment = self.bbpcu_payment_timeout.or(t.payment);
        t.status = self.bbpcu_status_timeout.or(t.status);
        t.complaint = self.bbpcu_complaint_timeout.or(t.complaint);
        t.biller_fetch = self.bbpcu_biller_fetch_timeout.or(t.biller_fetch);
        s.callback_listen = self.bbpcu_callback_listen.or(s.callback_listen);
        s.sim_listen = self.bbpcu_sim_listen.unwrap_or(s.sim_listen);
        s.test_keys = self.bbpcu_test_keys.or(s.test_keys.take());
        s.wire_retention = self.wire_retention.unwrap_or(s.wire_retention);
        s.wire_dir = self.wire_dir.or(s.wire_dir.take());
    }
}
