//! Interoperability with the reference implementation of XML-DSig: Debian's `xmlsec1` (package `xmlsec1`)
//! verifies what we sign, and we verify what it signs.

mod support;

use std::path::Path;
use std::process::Command;

use bbps_npci_xml::dsig::{C14nMethod, SignatureError, Signer, Verifier};
use bbps_npci_xml::envelope::{Envelope, Refusal};
use bbps_npci_xml::xml;
use support::{Party, keys, samples};

fn xmlsec1(args: &[&str], file: &Path) -> (bool, String) {
    let out = Command::new("xmlsec1").args(args).arg(file).output().expect("xmlsec1 runs (Debian package xmlsec1)");
    (out.status.success(), format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
}

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn xmlsec1_verifies_what_we_sign() {
    let k = keys();
    let dir = tempfile::tempdir().unwrap();
    for method in C14nMethod::ALL {
        let signer = Signer::new(k.ours.signing_key(), *method);
        for (i, message) in samples::all().iter().enumerate() {
            let signed = signer.sign(&xml::encode(message).unwrap()).unwrap();
            let file = write(dir.path(), &format!("{i}.xml"), &signed);
            let trusted = k.ours.cert.to_str().unwrap();
            let (ok, out) = xmlsec1(&["--verify", "--trusted-pem", trusted], &file);
            assert!(ok, "{} with {method:?}: {out}\n{signed}", message.kind());
            // And a certificate that did not sign it is not enough.
            let (ok, _) = xmlsec1(&["--verify", "--pubkey-cert-pem", k.stranger.cert.to_str().unwrap()], &file);
            assert!(!ok, "xmlsec1 must refuse the stranger's key");
        }
    }
}

/// A signature template as `xmlsec1 --sign` fills it in, as the last child of the root.
fn template(unsigned: &str, root: &str, method: C14nMethod) -> String {
    let c14n = method.as_str();
    let transforms = match method {
        // Inclusive C14N is the default after the enveloped transform; NPCI's Java stack writes it so.
        C14nMethod::Inclusive => String::new(),
        C14nMethod::Exclusive => format!("<Transform Algorithm=\"{c14n}\"/>"),
    };
    let signature = format!(
        "<Signature xmlns=\"http://www.w3.org/2000/09/xmldsig#\"><SignedInfo><CanonicalizationMethod Algorithm=\"{c14n}\"/>\
         <SignatureMethod Algorithm=\"http://www.w3.org/2001/04/xmldsig-more#rsa-sha256\"/><Reference URI=\"\"><Transforms>\
         <Transform Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"/>{transforms}</Transforms>\
         <DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"/><DigestValue/></Reference></SignedInfo>\
         <SignatureValue/><KeyInfo><X509Data/></KeyInfo></Signature>"
    );
    let unsigned = unsigned.trim_end();
    match unsigned.strip_suffix("/>") {
        Some(open) => format!("{open}>{signature}</bbps:{root}>"),
        None => {
            let at = unsigned.rfind("</").expect("an end tag");
            format!("{}{signature}{}", &unsigned[..at], &unsigned[at..])
        }
    }
}

fn xmlsec1_sign(party: &Party, dir: &Path, name: &str, text: &str) -> String {
    let input = write(dir, name, text);
    let output = dir.join(format!("{name}.signed"));
    let key = format!("{},{}", party.key.display(), party.cert.display());
    let (ok, out) = xmlsec1(&["--sign", "--privkey-pem", &key, "--output", output.to_str().unwrap()], &input);
    assert!(ok, "xmlsec1 --sign: {out}");
    std::fs::read_to_string(output).unwrap()
}

#[test]
fn we_verify_what_xmlsec1_signs() {
    let k = keys();
    let dir = tempfile::tempdir().unwrap();
    let ours = support::our_envelope();
    for method in C14nMethod::ALL {
        for (i, message) in samples::all().iter().enumerate() {
            let unsigned = xml::encode(message).unwrap();
            let signed = xmlsec1_sign(
                &k.central,
                dir.path(),
                &format!("{i}-{method:?}.xml"),
                &template(&unsigned, message.kind().as_str(), *method),
            );
            let opened =
                ours.open(signed.as_bytes()).unwrap_or_else(|e| panic!("{} {method:?}: {e}\n{signed}", message.kind()));
            assert_eq!(&opened, message);
        }
    }
}

#[test]
fn a_signature_xmlsec1_makes_with_another_key_is_refused() {
    let k = keys();
    let dir = tempfile::tempdir().unwrap();
    let message = &samples::all()[0];
    let unsigned = xml::encode(message).unwrap();
    let signed = xmlsec1_sign(
        &k.stranger,
        dir.path(),
        "stranger.xml",
        &template(&unsigned, message.kind().as_str(), C14nMethod::Inclusive),
    );
    assert_eq!(
        support::our_envelope().open(signed.as_bytes()).unwrap_err(),
        Refusal::Signature(SignatureError::Invalid)
    );
    // The same bytes open for whoever believes the stranger: the refusal is about the key, nothing else.
    let believer = Envelope::new(
        Signer::new(k.ours.signing_key(), C14nMethod::Inclusive),
        Verifier::new(k.stranger.certificate()),
        support::MAX_BYTES,
    );
    assert!(believer.open(signed.as_bytes()).is_ok());
}
