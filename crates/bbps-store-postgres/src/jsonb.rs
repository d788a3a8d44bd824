//! `jsonb` read as its text, so that a stored record which does not read back as its type is reported as
//! corrupt data by the store rather than as a driver error.

use std::error::Error;

use tokio_postgres::types::{FromSql, Type};

/// The JSON text of a `jsonb` value.
pub(crate) struct Jsonb<'a>(pub &'a [u8]);

/// The version byte that starts `jsonb` in the binary format; the JSON text follows it.
const JSONB_VERSION: u8 = 1;

impl<'a> FromSql<'a> for Jsonb<'a> {
    fn from_sql(_: &Type, raw: &'a [u8]) -> Result<Jsonb<'a>, Box<dyn Error + Sync + Send>> {
        match raw.split_first() {
            Some((&JSONB_VERSION, text)) => Ok(Jsonb(text)),
            _ => Err("a jsonb value in a format this build does not read".into()),
        }
    }

    fn accepts(ty: &Type) -> bool {
        *ty == Type::JSONB
    }
}
