//! Webhook delivery over HTTP: the engine's webhook transport, a POST of the signed body to the merchant's URL,
//! guarded so that a merchant's URL cannot reach into our network. Every address a name resolves to is checked
//! when the connection is made (so a name that later resolves elsewhere gains nothing), as is an address given
//! literally; redirects are not followed; the delivery log records only what kind of failure happened.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use bbps_engine::ports::{WebhookAnswer, WebhookTransport};
use bbps_engine::signature::SIGNATURE_HEADER;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};

/// Where webhooks may go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AddressPolicy {
    /// `https://` URLs only (live mode).
    pub https_only: bool,
    /// This host may be reached (test mode, for a receiver on loopback such as the demo site).
    pub allow_loopback: bool,
}

impl AddressPolicy {
    /// Public unicast addresses only (plus loopback when allowed): no private, link-local (cloud metadata),
    /// shared, multicast, documentation or reserved ranges.
    pub fn allows(&self, ip: IpAddr) -> bool {
        match ip {
            IpAddr::V4(v4) => {
                let [a, b, ..] = v4.octets();
                if v4.is_loopback() {
                    return self.allow_loopback;
                }
                !(v4.is_private()
                    || v4.is_link_local()
                    || v4.is_unspecified()
                    || v4.is_broadcast()
                    || v4.is_multicast()
                    || v4.is_documentation()
                    || a == 0
                    || (a == 100 && (64..128).contains(&b))
                    || (a == 192 && b == 0 && v4.octets()[2] == 0)
                    || (a == 198 && (b == 18 || b == 19))
                    || a >= 240)
            }
            IpAddr::V6(v6) => {
                if let Some(v4) = v6.to_ipv4_mapped() {
                    return self.allows(IpAddr::V4(v4));
                }
                if v6.is_loopback() {
                    return self.allow_loopback;
                }
                let first = v6.segments()[0];
                !(v6.is_unspecified()
                    || v6.is_multicast()
                    || (first & 0xfe00) == 0xfc00
                    || (first & 0xffc0) == 0xfe80
                    || (first & 0xffc0) == 0xfec0
                    || first == 0x2001 && v6.segments()[1] == 0x0db8
                    || first == 0x0064)
            }
        }
    }
}

/// Resolves with the system resolver and keeps only the addresses the policy allows.
struct GuardedResolver(AddressPolicy);

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let policy = self.0;
        Box::pin(async move {
            let found = tokio::net::lookup_host((name.as_str(), 0)).await?;
            let allowed: Vec<SocketAddr> = found.filter(|a| policy.allows(a.ip())).collect();
            if allowed.is_empty() {
                return Err("the webhook host resolves only to addresses webhooks may not reach".into());
            }
            Ok(Box::new(allowed.into_iter()) as Addrs)
        })
    }
}

pub struct HttpWebhooks {
    http: reqwest::Client,
    timeout: Duration,
    policy: AddressPolicy,
}

impl HttpWebhooks {
    pub fn new(policy: AddressPolicy, timeout: Duration) -> Result<HttpWebhooks, reqwest::Error> {
        let http = reqwest::Client::builder()
            .dns_resolver(Arc::new(GuardedResolver(policy)))
            .redirect(reqwest::redirect::Policy::none())
            // A proxy from the environment would connect on our behalf, past the address checks.
            .no_proxy()
            .timeout(timeout)
            .build()?;
        Ok(HttpWebhooks { http, timeout, policy })
    }

    /// Why `url` may not be called, if it may not.
    fn refusal(&self, url: &reqwest::Url) -> Option<&'static str> {
        match url.scheme() {
            "https" => {}
            "http" if !self.policy.https_only => {}
            _ => return Some("refused: webhooks go to https:// URLs"),
        }
        let literal = match url.host() {
            Some(url::Host::Ipv4(ip)) => Some(IpAddr::V4(ip)),
            Some(url::Host::Ipv6(ip)) => Some(IpAddr::V6(ip)),
            Some(url::Host::Domain(_)) => None,
            None => return Some("refused: the URL has no host"),
        };
        literal.filter(|ip| !self.policy.allows(*ip)).map(|_| "refused: the address is not a public one")
    }
}

#[async_trait]
impl WebhookTransport for HttpWebhooks {
    async fn deliver(&self, url: &str, signature: &str, body: &str) -> WebhookAnswer {
        let Ok(parsed) = reqwest::Url::parse(url) else {
            return WebhookAnswer::NoAnswer("refused: not a URL".to_owned());
        };
        if let Some(why) = self.refusal(&parsed) {
            return WebhookAnswer::NoAnswer(why.to_owned());
        }
        let sent = self
            .http
            .post(parsed)
            .timeout(self.timeout)
            .header("content-type", "application/json")
            .header(SIGNATURE_HEADER, signature)
            .header("user-agent", "bbps-server-webhooks/1")
            .body(body.to_owned())
            .send()
            .await;
        // The log says what kind of failure it was, not the network's words (which would map our network).
        match sent {
            Ok(r) => WebhookAnswer::Status(r.status().as_u16()),
            Err(e) if e.is_timeout() => WebhookAnswer::NoAnswer("timed out".to_owned()),
            Err(e) if e.is_connect() => WebhookAnswer::NoAnswer("could not connect".to_owned()),
            Err(_) => WebhookAnswer::NoAnswer("the request failed".to_owned()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_public_addresses_are_reachable() {
        let live = AddressPolicy { https_only: true, allow_loopback: false };
        for blocked in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "224.0.0.1",
            "255.255.255.255",
            "::1",
            "fe80::1",
            "fd00::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
        ] {
            assert!(!live.allows(blocked.parse().unwrap()), "{blocked}");
        }
        for public in ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111"] {
            assert!(live.allows(public.parse().unwrap()), "{public}");
        }
        let test = AddressPolicy { https_only: false, allow_loopback: true };
        assert!(test.allows("127.0.0.1".parse().unwrap()) && !test.allows("169.254.169.254".parse().unwrap()));
    }
}
