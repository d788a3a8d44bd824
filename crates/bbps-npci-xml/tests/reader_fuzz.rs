//! The XML reader never panics: on any bytes, on any mutation of a genuine signed message (which either is refused
//! or still reads as the same message), and on signed documents of random structure that reach the field reader.

mod support;

use bbps_npci_xml::codes::MessageKind;
use bbps_npci_xml::message::Message;
use bbps_npci_xml::xml;
use proptest::prelude::*;
use support::samples;

fn genuine() -> &'static [(Message, String)] {
    static SEALED: std::sync::OnceLock<Vec<(Message, String)>> = std::sync::OnceLock::new();
    SEALED.get_or_init(|| {
        let central = support::central_envelope();
        samples::all()
            .into_iter()
            .map(|m| {
                let sealed = central.seal(&m).unwrap();
                (m, sealed)
            })
            .collect()
    })
}

#[derive(Debug, Clone)]
enum Mutation {
    Flip(usize, u8),
    Insert(usize, Vec<u8>),
    Delete(usize, usize),
    Truncate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Flip(i, b)),
        (any::<usize>(), prop::collection::vec(prop::sample::select(b"<>&;\"' =/!?[]#xX0a-:".to_vec()), 1..8))
            .prop_map(|(i, v)| Mutation::Insert(i, v)),
        (any::<usize>(), 1usize..16).prop_map(|(i, n)| Mutation::Delete(i, n)),
        any::<usize>().prop_map(Mutation::Truncate),
    ]
}

fn apply(mut bytes: Vec<u8>, m: &Mutation) -> Vec<u8> {
    let at = |i: usize, len: usize| if len == 0 { 0 } else { i % len };
    match m {
        Mutation::Flip(i, b) => {
            let i = at(*i, bytes.len());
            if let Some(x) = bytes.get_mut(i) {
                *x ^= b | 1;
            }
        }
        Mutation::Insert(i, v) => {
            let i = at(*i, bytes.len() + 1);
            bytes.splice(i..i, v.iter().copied());
        }
        Mutation::Delete(i, n) => {
            let i = at(*i, bytes.len());
            let end = (i + n).min(bytes.len());
            bytes.drain(i..end);
        }
        Mutation::Truncate(i) => bytes.truncate(at(*i, bytes.len())),
    }
    bytes
}

/// A random element tree in the wire's vocabulary, unqualified under a `bbps:` root.
fn tree() -> impl Strategy<Value = String> {
    let name = prop::sample::select(vec![
        "Head",
        "Txn",
        "Reason",
        "Tag",
        "BillerResponse",
        "BillDetails",
        "Biller",
        "CustomerParams",
        "Amount",
        "Amt",
        "TxnStatusComplainResp",
        "TxnList",
        "TxnDetail",
        "biller",
        "billerId",
        "errorMessages",
        "AdditionalInfo",
        "SplitPayAmount",
    ]);
    let attr = prop::sample::select(vec![
        "ver",
        "ts",
        "origInst",
        "refId",
        "msgId",
        "amount",
        "responseCode",
        "name",
        "value",
        "rspCd",
        "txnReferenceId",
        "approvalRefNum",
    ]);
    let value = prop::sample::select(vec![
        "",
        "1.0",
        "000",
        "200",
        "abc",
        "-1",
        "18446744073709551616",
        "2026-11-25T14:16:28+05:30",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAA60330140",
        "&amp;&lt;",
        "\u{0939}\u{093f}",
    ]);
    let leaf = (name.clone(), prop::collection::vec((attr.clone(), value.clone()), 0..4), value.clone())
        .prop_map(|(n, attrs, text)| element(n, &attrs, text));
    leaf.prop_recursive(4, 24, 4, move |inner| {
        (name.clone(), prop::collection::vec((attr.clone(), value.clone()), 0..4), prop::collection::vec(inner, 0..4))
            .prop_map(|(n, attrs, children)| element(n, &attrs, &children.concat()))
    })
}

fn element(name: &str, attrs: &[(&str, &str)], content: &str) -> String {
    let mut seen = std::collections::HashSet::new();
    let attrs: String = attrs.iter().filter(|(a, _)| seen.insert(*a)).map(|(a, v)| format!(" {a}=\"{v}\"")).collect();
    format!("<{name}{attrs}>{content}</{name}>")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn any_bytes_are_read_or_refused(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let ours = support::our_envelope();
        let _ = xml::screen(&bytes);
        prop_assert!(ours.open(&bytes).is_err());
    }

    #[test]
    fn a_mutated_genuine_message_is_refused_or_unchanged(which in any::<prop::sample::Index>(), mutations in prop::collection::vec(mutation(), 1..4)) {
        let (message, sealed) = which.get(genuine());
        let bytes = mutations.iter().fold(sealed.as_bytes().to_vec(), apply);
        if let Ok(read) = support::our_envelope().open(&bytes) {
            prop_assert_eq!(&read, message);
        }
    }

    #[test]
    fn signed_documents_of_any_shape_reach_the_reader_without_panic(kind in prop::sample::select(MessageKind::ALL.to_vec()), children in prop::collection::vec(tree(), 0..5)) {
        let root = format!("bbps:{kind}");
        let doc = format!("<{root} xmlns:bbps=\"http://bbps.org/schema\">{}</{root}>", children.concat());
        let sealed = support::central_envelope().signer().sign(&doc).unwrap();
        // Genuinely signed, so whatever happens is the field reader's doing: an error, or a message.
        let _ = support::our_envelope().open(sealed.as_bytes());
        let _ = xml::decode(kind, &doc);
    }
}
