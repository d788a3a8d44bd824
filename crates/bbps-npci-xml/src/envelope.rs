//! A message on the wire: sealed (written and signed) going out, opened (screened, verified, read) coming in.
//! Opening is the only way a received message is read, so nothing in one is believed before its signature is.

use crate::codes::MessageKind;
use crate::dsig::{SignatureError, Signer, Verifier};
use crate::message::Message;
use crate::xml::{self, EncodeError, ReadError};

/// Why a received document was refused. Each is logged with its reason and answered with a refusing Ack.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("body of {size} bytes is over the limit of {limit}")]
    TooLarge { size: usize, limit: usize },
    #[error("{0}")]
    Read(#[from] ReadError),
    #[error("signature: {0}")]
    Signature(#[from] SignatureError),
    #[error("a {0} was not expected here")]
    Unexpected(MessageKind),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SealError {
    #[error("{0}")]
    Encode(#[from] EncodeError),
    #[error("{0}")]
    Sign(#[from] SignatureError),
}

/// Our key, the counterparty's certificate, and the size limit of what we read.
pub struct Envelope {
    signer: Signer,
    verifier: Verifier,
    max_bytes: usize,
}

impl Envelope {
    pub fn new(signer: Signer, verifier: Verifier, max_bytes: usize) -> Envelope {
        Envelope { signer, verifier, max_bytes }
    }

    pub fn signer(&self) -> &Signer {
        &self.signer
    }

    pub fn max_bytes(&self) -> usize {
        self.max_bytes
    }

    /// The message as a signed document.
    pub fn seal(&self, message: &Message) -> Result<String, SealError> {
        Ok(self.signer.sign(&xml::encode(message)?)?)
    }

    /// Screens, verifies and reads a received document.
    pub fn open(&self, bytes: &[u8]) -> Result<Message, Refusal> {
        if bytes.len() > self.max_bytes {
            return Err(Refusal::TooLarge { size: bytes.len(), limit: self.max_bytes });
        }
        let screened = xml::screen(bytes)?;
        if !screened.signed {
            return Err(SignatureError::Missing.into());
        }
        let signed = self.verifier.verify(screened.text)?;
        // What is read is the canonical form the digest covers; screening it again checks that it is the same
        // kind of message the raw document claimed to be.
        let canonical = xml::screen(signed.as_bytes())?;
        if canonical.kind != screened.kind {
            return Err(Refusal::Unexpected(canonical.kind));
        }
        Ok(xml::decode(screened.kind, canonical.text)?)
    }
}
