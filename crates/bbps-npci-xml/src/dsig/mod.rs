//! Enveloped XML signatures, in the one profile the BBPS wire uses: a `Signature` as the last child of the root,
//! one `Reference` with `URI=""` (the whole document) through the enveloped-signature transform, SHA-256 digests,
//! RSA-SHA256, and inclusive or exclusive C14N 1.0 without comments.
//!
//! Canonicalisation is the `xml-sec` crate's; RSA is `ring`'s; the certificate is read by `webpki`. The profile
//! around them is ours and deliberately narrow: the verifier refuses anything else (another algorithm, a second
//! reference, a reference to part of the document, a `Signature` anywhere but under the root, an `Object`), which
//! is what makes signature wrapping impossible. And [`Verifier::verify`] hands back the canonical bytes the digest
//! covers, which are the only bytes a message is then read from.

pub mod keys;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use bbps_core::wire_enum;
use ring::digest::{SHA256, digest};
use xml_sec::c14n::{C14nAlgorithm, C14nMode, canonicalize};
use xml_sec::{Document, Node, NodeId};

pub use keys::{KeyError, PeerCertificate, SigningKey};

pub const DSIG_NAMESPACE: &str = "http://www.w3.org/2000/09/xmldsig#";
const ENVELOPED: &str = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
const RSA_SHA256: &str = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
const DIGEST_SHA256: &str = "http://www.w3.org/2001/04/xmlenc#sha256";

wire_enum! {
    /// The canonicalisation of the signed information and of the reference.
    pub enum C14nMethod {
        /// Canonical XML 1.0, as NPCI's Java stack writes by default.
        Inclusive = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315",
        Exclusive = "http://www.w3.org/2001/10/xml-exc-c14n#",
    }
}

impl C14nMethod {
    fn algorithm(self) -> C14nAlgorithm {
        let mode = match self {
            C14nMethod::Inclusive => C14nMode::Inclusive1_0,
            C14nMethod::Exclusive => C14nMode::Exclusive1_0,
        };
        C14nAlgorithm::new(mode, false)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("the document does not parse: {0}")]
    Parse(String),
    #[error("the document is not signed")]
    Missing,
    #[error("a Signature is allowed only once, as a child of the root")]
    Placement,
    #[error("outside the signature profile: {0}")]
    Profile(String),
    #[error("the digest does not match the document")]
    Digest,
    #[error("the signature does not verify with the counterparty's certificate")]
    Invalid,
    #[error("canonicalisation failed: {0}")]
    Canonical(String),
    #[error("signing failed: {0}")]
    Signing(String),
}

fn parse(text: &str) -> Result<Document<'_>, SignatureError> {
    Document::parse(text).map_err(|e| SignatureError::Parse(e.to_string()))
}

/// The canonical form of the nodes `visible` keeps.
fn canonical(doc: &Document, visible: &dyn Fn(Node) -> bool, method: C14nMethod) -> Result<Vec<u8>, SignatureError> {
    let mut out = Vec::new();
    canonicalize(doc, Some(visible), &method.algorithm(), &mut out)
        .map_err(|e| SignatureError::Canonical(e.to_string()))?;
    Ok(out)
}

fn within(node: Node, apex: NodeId) -> bool {
    node.ancestors().any(|a| a.id() == apex)
}

fn is_dsig(node: Node, name: &str) -> bool {
    node.is_element() && node.tag_name().namespace() == Some(DSIG_NAMESPACE) && node.tag_name().name() == name
}

/// Signs documents with our key.
pub struct Signer {
    key: SigningKey,
    method: C14nMethod,
}

impl Signer {
    pub fn new(key: SigningKey, method: C14nMethod) -> Signer {
        Signer { key, method }
    }

    pub fn key(&self) -> &SigningKey {
        &self.key
    }

    /// `unsigned` with an enveloped signature as the root's last child.
    pub fn sign(&self, unsigned: &str) -> Result<String, SignatureError> {
        let doc = parse(unsigned)?;
        let everything: &dyn Fn(Node) -> bool = &|_| true;
        let digest_value = STANDARD.encode(digest(&SHA256, &canonical(&doc, everything, self.method)?));
        let root = doc.root_element().range();
        drop(doc);
        let method = self.method.as_str();
        let signed_info = format!(
            "<SignedInfo><CanonicalizationMethod Algorithm=\"{method}\"/><SignatureMethod Algorithm=\"{RSA_SHA256}\"/>\
             <Reference URI=\"\"><Transforms><Transform Algorithm=\"{ENVELOPED}\"/><Transform Algorithm=\"{method}\"/>\
             </Transforms><DigestMethod Algorithm=\"{DIGEST_SHA256}\"/><DigestValue>{digest_value}</DigestValue>\
             </Reference></SignedInfo>"
        );
        let certificate = STANDARD.encode(self.key.certificate());
        let key_info =
            format!("<KeyInfo><X509Data><X509Certificate>{certificate}</X509Certificate></X509Data></KeyInfo>");
        let with = |value: &str| {
            let signature = format!(
                "<Signature xmlns=\"{DSIG_NAMESPACE}\">{signed_info}<SignatureValue>{value}</SignatureValue>{key_info}</Signature>"
            );
            enveloped(unsigned, root.clone(), &signature)
        };
        // SignedInfo is canonicalised in its place, where it inherits the root's namespace declarations.
        let placed = with("")?;
        let doc = parse(&placed)?;
        let info = doc
            .descendants()
            .find(|n| is_dsig(*n, "SignedInfo"))
            .map(|n| n.id())
            .ok_or_else(|| SignatureError::Signing("SignedInfo vanished".into()))?;
        let signed_info_c14n = canonical(&doc, &|n| within(n, info), self.method)?;
        let value = self.key.sign(&signed_info_c14n).map_err(|e| SignatureError::Signing(e.to_string()))?;
        with(&STANDARD.encode(value))
    }
}

/// `document` with `signature` as the last child of its root, whose element spans `root`.
fn enveloped(document: &str, root: std::ops::Range<usize>, signature: &str) -> Result<String, SignatureError> {
    let element = document.get(root.clone()).ok_or_else(|| SignatureError::Signing("root out of range".into()))?;
    let (head, tail) = if let Some(open) = element.strip_suffix("/>") {
        // An empty root `<r …/>` becomes `<r …>signature</r>`; canonically the two are the same element.
        let name_end = element[1..].find(|c: char| c.is_whitespace() || c == '/').map_or(element.len(), |i| i + 1);
        (
            format!("{}{open}>", &document[..root.start]),
            format!("</{}>{}", &element[1..name_end], &document[root.end..]),
        )
    } else {
        let close = element.rfind("</").ok_or_else(|| SignatureError::Signing("no end tag".into()))?;
        (document[..root.start + close].to_owned(), document[root.start + close..].to_owned())
    };
    Ok(format!("{head}{signature}{tail}"))
}

/// Verifies what the counterparty signed.
#[derive(Debug, Clone)]
pub struct Verifier {
    peer: PeerCertificate,
}

/// The parts of a signature the profile allows, read from the document.
struct Parts {
    signature: NodeId,
    signed_info: NodeId,
    signed_info_method: C14nMethod,
    reference_method: C14nMethod,
    digest: Vec<u8>,
    value: Vec<u8>,
}

impl Verifier {
    pub fn new(peer: PeerCertificate) -> Verifier {
        Verifier { peer }
    }

    /// Checks the signature of `text` and returns the canonical form of the signed document: the whole document
    /// without its `Signature`, the bytes the digest covers.
    pub fn verify(&self, text: &str) -> Result<String, SignatureError> {
        let doc = parse(text)?;
        let parts = parts(&doc)?;
        let info = canonical(&doc, &|n| within(n, parts.signed_info), parts.signed_info_method)?;
        if !self.peer.verifies(&info, &parts.value) {
            return Err(SignatureError::Invalid);
        }
        let signed = canonical(&doc, &|n| !within(n, parts.signature), parts.reference_method)?;
        if digest(&SHA256, &signed).as_ref() != parts.digest.as_slice() {
            return Err(SignatureError::Digest);
        }
        String::from_utf8(signed).map_err(|e| SignatureError::Canonical(e.to_string()))
    }
}

fn profile(detail: impl Into<String>) -> SignatureError {
    SignatureError::Profile(detail.into())
}

fn elements<'a, 'i>(node: Node<'a, 'i>) -> Vec<Node<'a, 'i>> {
    node.children().filter(|c| c.is_element()).collect()
}

fn algorithm<'a>(node: Node<'a, '_>, name: &str) -> Result<&'a str, SignatureError> {
    if !is_dsig(node, name) {
        return Err(profile(format!("expected {name}")));
    }
    if node.children().any(|c| c.is_element()) {
        return Err(profile(format!("{name} takes no parameters here")));
    }
    node.attribute("Algorithm").ok_or_else(|| profile(format!("{name} without an Algorithm")))
}

fn base64_text(node: Node, name: &str) -> Result<Vec<u8>, SignatureError> {
    if !is_dsig(node, name) {
        return Err(profile(format!("expected {name}")));
    }
    let text: String = node.text().unwrap_or("").chars().filter(|c| !c.is_ascii_whitespace()).collect();
    STANDARD.decode(text).map_err(|_| profile(format!("{name} is not base64")))
}

fn parts(doc: &Document) -> Result<Parts, SignatureError> {
    let root = doc.root_element();
    let mut signatures = doc.descendants().filter(|n| is_dsig(*n, "Signature"));
    let signature = signatures.next().ok_or(SignatureError::Missing)?;
    if signatures.next().is_some() || signature.parent_element().map(|p| p.id()) != Some(root.id()) {
        return Err(SignatureError::Placement);
    }
    let children = elements(signature);
    let (signed_info, value) = match children.as_slice() {
        [info, value] | [info, value, _] if is_dsig(*info, "SignedInfo") => (*info, *value),
        _ => return Err(profile("Signature holds SignedInfo, SignatureValue and at most KeyInfo")),
    };
    if let Some(extra) = children.get(2).filter(|k| !is_dsig(**k, "KeyInfo")) {
        return Err(profile(format!("unexpected {}", extra.tag_name().name())));
    }
    let info = elements(signed_info);
    let [c14n, method, reference] = info.as_slice() else {
        return Err(profile("SignedInfo holds one method of each kind and exactly one Reference"));
    };
    let signed_info_method =
        C14nMethod::parse(algorithm(*c14n, "CanonicalizationMethod")?).map_err(|e| profile(e.to_string()))?;
    if algorithm(*method, "SignatureMethod")? != RSA_SHA256 {
        return Err(profile("only RSA-SHA256 signatures"));
    }
    if !is_dsig(*reference, "Reference") || reference.attribute("URI") != Some("") {
        return Err(profile("the one Reference must cover the whole document (URI=\"\")"));
    }
    let reference_parts = elements(*reference);
    let [transforms, digest_method, digest_value] = reference_parts.as_slice() else {
        return Err(profile("Reference holds Transforms, DigestMethod and DigestValue"));
    };
    if !is_dsig(*transforms, "Transforms") {
        return Err(profile("the enveloped-signature transform is required"));
    }
    let steps = elements(*transforms).into_iter().map(|t| algorithm(t, "Transform")).collect::<Result<Vec<_>, _>>()?;
    let reference_method = match steps.as_slice() {
        [ENVELOPED] => C14nMethod::Inclusive,
        [ENVELOPED, c14n] => C14nMethod::parse(c14n).map_err(|e| profile(e.to_string()))?,
        _ => return Err(profile("transforms must be enveloped-signature, then at most a C14N")),
    };
    if algorithm(*digest_method, "DigestMethod")? != DIGEST_SHA256 {
        return Err(profile("only SHA-256 digests"));
    }
    Ok(Parts {
        signature: signature.id(),
        signed_info: signed_info.id(),
        signed_info_method,
        reference_method,
        digest: base64_text(*digest_value, "DigestValue")?,
        value: base64_text(value, "SignatureValue")?,
    })
}
