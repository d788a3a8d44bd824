//! The sandbox UPI page's form token: an HMAC of the link under a key drawn at start, so a form post is
//! accepted only from a page this server rendered for that link (another site cannot make the payer act), with
//! no state kept. A restart invalidates open pages, which is fine for a test tool.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

pub struct PageTokens {
    key: [u8; 32],
}

impl PageTokens {
    pub fn random() -> PageTokens {
        PageTokens { key: rand::random() }
    }

    pub fn for_link(&self, link: &str) -> String {
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(&self.key).unwrap_or_else(|_| unreachable!("any key length"));
        mac.update(link.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    pub fn check(&self, link: &str, token: &str) -> bool {
        let expected = self.for_link(link);
        token.len() == expected.len() && bool::from(token.as_bytes().ct_eq(expected.as_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_fits_its_link_and_key_only() {
        let (a, b) = (PageTokens::random(), PageTokens::random());
        let t = a.for_link("upi://pay?pa=x@y");
        assert!(a.check("upi://pay?pa=x@y", &t));
        assert!(!a.check("upi://pay?pa=z@y", &t));
        assert!(!b.check("upi://pay?pa=x@y", &t));
        assert!(!a.check("upi://pay?pa=x@y", ""));
    }
}
