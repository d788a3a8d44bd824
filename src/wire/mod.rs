//! Reads the API's JSON answers into bbps-core's types ([`decode`]), and writes the request bodies ([`encode`]).
//!
//! Why not `serde_json`: serde's derives generate a visitor per type, monomorphized against the JSON parser (and,
//! for internally tagged enums, against a buffering deserializer). For the dozen answers the widget reads that
//! came to about 100 KB of gzipped wasm, a third of the whole widget. Here one small parser builds a [`Json`] tree
//! ([`json`]) and each type is read from it by a few lines of non-generic code. The shapes must stay those of
//! bbps-core's serde attributes: `tests/wire.rs` serializes sample values of every type, and every variant of
//! every string enum, with serde and checks that they read back equal, so a change in bbps-core that this module
//! misses fails the tests.

mod decode;
mod encode;
mod json;

pub use decode::{DECODED_ENUMS, Decode, DecodeError, Trail, decode};
pub use encode::{Encode, Writer, encode};
pub use json::{Json, parse};
