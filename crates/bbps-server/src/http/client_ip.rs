//! The address a request comes from: the peer, or, when the peer is one of the configured trusted proxies, the
//! nearest address in `X-Forwarded-For` that is not. An address from a header is believed only that way, so a
//! client cannot choose its own rate-limit bucket. IPv6 clients are counted by their /64 (one subscriber's
//! network), since one may use any of its 2^64 addresses.

use std::net::{IpAddr, Ipv6Addr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use ipnet::IpNet;

/// The client's address, put on each request by the rate-limit middleware.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ClientIp(pub IpAddr);

/// Entries of `X-Forwarded-For` looked at, from the right: enough for any real chain of proxies.
const MAX_HOPS: usize = 16;

impl ClientIp {
    /// The client of a request from `peer` with `headers`.
    pub fn resolve(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> ClientIp {
        let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
        if !is_trusted(&peer) {
            return ClientIp(peer);
        }
        let forwarded = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .collect::<Vec<_>>();
        let mut client = peer;
        for hop in forwarded.iter().rev().take(MAX_HOPS) {
            match hop.trim().parse::<IpAddr>() {
                Ok(ip) if is_trusted(&ip) => client = ip,
                Ok(ip) => return ClientIp(ip),
                // A malformed entry: stop at the last address a trusted proxy vouched for.
                Err(_) => break,
            }
        }
        ClientIp(client)
    }

    /// The key a client is counted under: its IPv4 address, or its IPv6 /64.
    pub fn bucket(self) -> IpAddr {
        match self.0 {
            IpAddr::V4(v4) => IpAddr::V4(v4),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => IpAddr::V4(v4),
                None => {
                    let s = v6.segments();
                    IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
                }
            },
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let peer = || parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|ConnectInfo(a)| a.ip());
        Ok(parts
            .extensions
            .get::<ClientIp>()
            .copied()
            .or_else(|| peer().map(ClientIp))
            .unwrap_or(ClientIp(IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(xff: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", HeaderValue::from_str(xff).unwrap());
        h
    }

    #[test]
    fn forwarded_addresses_are_believed_only_from_trusted_proxies() {
        let trusted: Vec<IpNet> = vec!["10.0.0.0/8".parse().unwrap()];
        let proxy: IpAddr = "10.1.2.3".parse().unwrap();
        let stranger: IpAddr = "203.0.113.9".parse().unwrap();
        let h = headers("198.51.100.7, 10.9.9.9");
        assert_eq!(ClientIp::resolve(stranger, &h, &trusted).0, stranger, "a stranger's header is ignored");
        assert_eq!(ClientIp::resolve(proxy, &h, &trusted).0, "198.51.100.7".parse::<IpAddr>().unwrap());
        // A client that prepends its own entries cannot pick its address: the nearest untrusted one is taken.
        let spoofed = headers("1.1.1.1, 198.51.100.7");
        assert_eq!(ClientIp::resolve(proxy, &spoofed, &trusted).0, "198.51.100.7".parse::<IpAddr>().unwrap());
        assert_eq!(ClientIp::resolve(proxy, &headers("garbage"), &trusted).0, proxy);
        assert_eq!(ClientIp::resolve(proxy, &HeaderMap::new(), &[]).0, proxy, "nothing trusted: the peer");
    }

    #[test]
    fn ipv6_clients_share_their_slash_64() {
        let a = ClientIp("2001:db8:1:2:aaaa::1".parse().unwrap()).bucket();
        let b = ClientIp("2001:db8:1:2:bbbb::2".parse().unwrap()).bucket();
        let c = ClientIp("2001:db8:1:3::1".parse().unwrap()).bucket();
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_eq!(ClientIp("::ffff:192.0.2.1".parse().unwrap()).bucket(), "192.0.2.1".parse::<IpAddr>().unwrap());
    }

    proptest::proptest! {
        #[test]
        fn any_forwarded_header_resolves_to_the_peer_or_an_address_it_names(xff in "[0-9a-f:., ]{0,200}") {
            let trusted: Vec<IpNet> = vec!["10.0.0.0/8".parse().unwrap()];
            let proxy: IpAddr = "10.1.2.3".parse().unwrap();
            let Ok(value) = HeaderValue::from_str(&xff) else { return Ok(()) };
            let mut h = HeaderMap::new();
            h.insert("x-forwarded-for", value);
            let got = ClientIp::resolve(proxy, &h, &trusted).0;
            proptest::prop_assert!(got == proxy || xff.contains(&got.to_string()) || got.is_ipv6());
            let stranger: IpAddr = "203.0.113.9".parse().unwrap();
            proptest::prop_assert_eq!(ClientIp::resolve(stranger, &h, &trusted).0, stranger);
        }
    }
}
