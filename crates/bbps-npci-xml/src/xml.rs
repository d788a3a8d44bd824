//! Reading and writing messages as XML: namespace `http://bbps.org/schema`, the root prefixed `bbps:`, children
//! unqualified (the schemas' `elementFormDefault="unqualified"`).
//!
//! Reading is two steps. [`screen`] looks at the raw bytes before anything else does: UTF-8, well-formed, no DTD
//! (so no entity can be declared, let alone expanded), no processing instruction, a known root in our namespace,
//! unqualified children, at most one XML signature and only as a child of the root, bounded depth. [`decode`] then
//! reads a message's fields from the canonical form the signature covers (see `crate::envelope`), never from the
//! raw bytes, so that what we believe is exactly what was signed.

use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;
use serde::Serialize;

use crate::codes::MessageKind;
use crate::dsig::DSIG_NAMESPACE;
use crate::message::Message;

pub const NAMESPACE: &str = "http://bbps.org/schema";
const PREFIX: &str = "bbps";

/// Deeper than any message of the schemas (a biller's nested param groups reach 6) with room to spare, and shallow
/// enough that no parser downstream recurses far.
const MAX_DEPTH: usize = 24;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error("not UTF-8")]
    NotUtf8,
    #[error("malformed XML: {0}")]
    Malformed(String),
    #[error("a DTD is not allowed (no entity declarations)")]
    Doctype,
    #[error("processing instructions are not allowed")]
    ProcessingInstruction,
    #[error("entity reference &{0}; is not allowed")]
    Entity(String),
    #[error("only UTF-8 is accepted, not {0}")]
    Encoding(String),
    #[error("the root must be a BBPS message in {NAMESPACE}, not {0}")]
    Root(String),
    #[error("element {0} must be unqualified")]
    Namespace(String),
    #[error("a Signature is allowed only once, as a child of the root")]
    SignaturePlace,
    #[error("nested deeper than {MAX_DEPTH} elements")]
    TooDeep,
    #[error("no root element")]
    Empty,
    #[error("content outside the root element")]
    Trailing,
    #[error("{kind}: {detail}")]
    Content { kind: MessageKind, detail: String },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EncodeError {
    #[error("{0}")]
    Serialize(String),
    #[error("U+{0:04X} cannot appear in XML")]
    Character(u32),
}

/// What screening found: the text, its root's kind, and whether it carries a signature.
#[derive(Debug, Clone, Copy)]
pub struct Screened<'a> {
    pub text: &'a str,
    pub kind: MessageKind,
    pub signed: bool,
}

/// Checks the shape of a received document; see the module's comment.
pub fn screen(bytes: &[u8]) -> Result<Screened<'_>, ReadError> {
    let text = std::str::from_utf8(bytes).map_err(|_| ReadError::NotUtf8)?;
    let mut reader = NsReader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut depth = 0usize;
    let mut kind = None;
    let mut closed = false;
    // Depth of the Signature element while inside it: its subtree is XML-DSig's, in its own namespace.
    let mut in_signature: Option<usize> = None;
    let mut signatures = 0;
    loop {
        let (resolved, event) = reader.read_resolved_event().map_err(|e| ReadError::Malformed(e.to_string()))?;
        match event {
            Event::Decl(d) => {
                if let Some(enc) = d.encoding() {
                    let enc = enc.map_err(|e| ReadError::Malformed(e.to_string()))?;
                    if !enc.eq_ignore_ascii_case("UTF-8") {
                        return Err(ReadError::Encoding(enc.into_owned()));
                    }
                }
            }
            Event::DocType(_) => return Err(ReadError::Doctype),
            Event::PI(_) => return Err(ReadError::ProcessingInstruction),
            Event::GeneralRef(r) => {
                let predefined = matches!(&*r, "lt" | "gt" | "amp" | "apos" | "quot");
                let char_ref = r.is_char_ref() && r.resolve_char_ref().is_ok_and(|c| c.is_some());
                if !predefined && !char_ref {
                    return Err(ReadError::Entity(r.to_string()));
                }
            }
            Event::Start(ref e) | Event::Empty(ref e) => {
                if closed {
                    return Err(ReadError::Trailing);
                }
                let is_start = matches!(event, Event::Start(_));
                let name = e.name().as_ref().to_owned();
                let local = e.local_name();
                let level = depth + 1;
                if level > MAX_DEPTH {
                    return Err(ReadError::TooDeep);
                }
                let ns = match &resolved {
                    ResolveResult::Bound(ns) => Some(ns.as_ref()),
                    ResolveResult::Unbound => None,
                    ResolveResult::Unknown(p) => return Err(ReadError::Malformed(format!("unbound prefix {p}"))),
                };
                if level == 1 {
                    let found = MessageKind::parse(local.as_ref()).ok();
                    match (ns, found) {
                        (Some(n), Some(k)) if n == NAMESPACE => kind = Some(k),
                        _ => return Err(ReadError::Root(name)),
                    }
                } else if in_signature.is_none() {
                    if ns == Some(DSIG_NAMESPACE) && local.as_ref() == "Signature" {
                        signatures += 1;
                        if level != 2 || signatures > 1 {
                            return Err(ReadError::SignaturePlace);
                        }
                        if is_start {
                            in_signature = Some(level);
                        }
                    } else if ns.is_some() {
                        return Err(ReadError::Namespace(name));
                    }
                }
                for attr in e.attributes().with_checks(true) {
                    let attr = attr.map_err(|e| ReadError::Malformed(e.to_string()))?;
                    // Values are unescaped here only to refuse undeclared entities inside them.
                    attr.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .map_err(|e| ReadError::Malformed(e.to_string()))?;
                }
                if is_start {
                    depth = level;
                } else if level == 1 {
                    closed = true;
                }
            }
            Event::End(_) => {
                if in_signature == Some(depth) {
                    in_signature = None;
                }
                depth = depth.checked_sub(1).ok_or_else(|| ReadError::Malformed("unmatched end tag".into()))?;
                if depth == 0 {
                    closed = true;
                }
            }
            Event::Text(t) => {
                if depth == 0 && !t.trim().is_empty() {
                    return Err(ReadError::Trailing);
                }
            }
            Event::CData(_) if depth == 0 => return Err(ReadError::Trailing),
            Event::CData(_) | Event::Comment(_) => {}
            Event::Eof => break,
        }
    }
    match kind {
        Some(kind) if closed => Ok(Screened { text, kind, signed: signatures == 1 }),
        Some(_) => Err(ReadError::Malformed("unclosed root element".into())),
        None => Err(ReadError::Empty),
    }
}

/// Reads a message of `kind` from screened XML (the canonical signed form of a received message).
pub fn decode(kind: MessageKind, xml: &str) -> Result<Message, ReadError> {
    use quick_xml::de::from_str;
    let content = |e: quick_xml::DeError| ReadError::Content { kind, detail: e.to_string() };
    Ok(match kind {
        MessageKind::BillFetchRequest => Message::BillFetchRequest(from_str(xml).map_err(content)?),
        MessageKind::BillFetchResponse => Message::BillFetchResponse(from_str(xml).map_err(content)?),
        MessageKind::BillValidationRequest => Message::BillValidationRequest(from_str(xml).map_err(content)?),
        MessageKind::BillValidationResponse => Message::BillValidationResponse(from_str(xml).map_err(content)?),
        MessageKind::BillPaymentRequest => Message::BillPaymentRequest(from_str(xml).map_err(content)?),
        MessageKind::BillPaymentResponse => Message::BillPaymentResponse(from_str(xml).map_err(content)?),
        MessageKind::TxnStatusRequest => Message::TxnStatusRequest(from_str(xml).map_err(content)?),
        MessageKind::TxnStatusResponse => Message::TxnStatusResponse(from_str(xml).map_err(content)?),
        MessageKind::TxnStatusComplainRequest => Message::TxnStatusComplainRequest(from_str(xml).map_err(content)?),
        MessageKind::TxnStatusComplainResponse => Message::TxnStatusComplainResponse(from_str(xml).map_err(content)?),
        MessageKind::ReqDiagnostic => Message::ReqDiagnostic(from_str(xml).map_err(content)?),
        MessageKind::ResDiagnostic => Message::ResDiagnostic(from_str(xml).map_err(content)?),
        MessageKind::BillerFetchRequest => Message::BillerFetchRequest(from_str(xml).map_err(content)?),
        MessageKind::BillerFetchResponse => Message::BillerFetchResponse(from_str(xml).map_err(content)?),
        MessageKind::PlanPull => Message::PlanPull(from_str(xml).map_err(content)?),
        MessageKind::PlanPush => Message::PlanPush(from_str(xml).map_err(content)?),
        MessageKind::BillerStatusRequest => Message::BillerStatusRequest(from_str(xml).map_err(content)?),
        MessageKind::BillerStatusUpdate => Message::BillerStatusUpdate(from_str(xml).map_err(content)?),
        MessageKind::Ack => Message::Ack(from_str(xml).map_err(content)?),
    })
}

/// Writes a message as an unsigned document: the XML declaration, then `<bbps:Kind xmlns:bbps="…">`.
pub fn encode(message: &Message) -> Result<String, EncodeError> {
    let root = format!("{PREFIX}:{}", message.kind().as_str());
    let mut body = String::new();
    match message {
        Message::BillFetchRequest(m) => serialize(m, &root, &mut body),
        Message::BillFetchResponse(m) => serialize(m, &root, &mut body),
        Message::BillValidationRequest(m) => serialize(m, &root, &mut body),
        Message::BillValidationResponse(m) => serialize(m, &root, &mut body),
        Message::BillPaymentRequest(m) => serialize(m, &root, &mut body),
        Message::BillPaymentResponse(m) => serialize(m, &root, &mut body),
        Message::TxnStatusRequest(m) => serialize(m, &root, &mut body),
        Message::TxnStatusResponse(m) => serialize(m, &root, &mut body),
        Message::TxnStatusComplainRequest(m) => serialize(m, &root, &mut body),
        Message::TxnStatusComplainResponse(m) => serialize(m, &root, &mut body),
        Message::ReqDiagnostic(m) => serialize(m, &root, &mut body),
        Message::ResDiagnostic(m) => serialize(m, &root, &mut body),
        Message::BillerFetchRequest(m) => serialize(m, &root, &mut body),
        Message::BillerFetchResponse(m) => serialize(m, &root, &mut body),
        Message::PlanPull(m) => serialize(m, &root, &mut body),
        Message::PlanPush(m) => serialize(m, &root, &mut body),
        Message::BillerStatusRequest(m) => serialize(m, &root, &mut body),
        Message::BillerStatusUpdate(m) => serialize(m, &root, &mut body),
        Message::Ack(m) => serialize(m, &root, &mut body),
    }?;
    // XML 1.0 has no escape for most control characters: a value carrying one cannot be sent at all.
    if let Some(c) =
        body.chars().find(|&c| c < ' ' && !matches!(c, '\t' | '\n' | '\r') || matches!(c, '\u{FFFE}' | '\u{FFFF}'))
    {
        return Err(EncodeError::Character(u32::from(c)));
    }
    // The serializer writes the root's name first; the namespace declaration goes right after it.
    let rest = body
        .strip_prefix(&format!("<{root}"))
        .ok_or_else(|| EncodeError::Serialize(format!("the document does not start with <{root}")))?;
    Ok(format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<{root} xmlns:{PREFIX}=\"{NAMESPACE}\"{rest}"))
}

fn serialize<T: Serialize>(value: &T, root: &str, out: &mut String) -> Result<(), EncodeError> {
    let ser =
        quick_xml::se::Serializer::with_root(out, Some(root)).map_err(|e| EncodeError::Serialize(e.to_string()))?;
    value.serialize(ser).map(|_| ()).map_err(|e| EncodeError::Serialize(e.to_string()))
}
