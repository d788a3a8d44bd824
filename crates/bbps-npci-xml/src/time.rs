//! Instants and dates as the XML wire writes them. Instants are `yyyy-MM-dd'T'HH:mm:ssXXX` (whole seconds, with
//! the offset) and we always write them in IST; dates are `yyyy-MM-dd`.

use std::fmt;

use bbps_core::Timestamp;
use bbps_core::clock::{IST, parse_date};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::Date;

/// An instant on the wire, e.g. `2026-11-25T14:16:28+05:30`: whole seconds, as the wire has no finer unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct WireTime(Timestamp);

impl From<Timestamp> for WireTime {
    fn from(t: Timestamp) -> WireTime {
        WireTime(Timestamp::from_unix_seconds(t.unix_seconds()).unwrap_or(t))
    }
}

impl WireTime {
    pub fn instant(self) -> Timestamp {
        self.0
    }

    /// Reads an instant with its zone. Counterparties write `Z` for UTC or add fractions of a second now and
    /// then; both are read, and an instant without a zone is refused.
    pub fn parse(s: &str) -> Option<WireTime> {
        Timestamp::parse(s).map(WireTime::from)
    }
}

impl fmt::Display for WireTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let t = self.0.get().to_offset(IST);
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}+05:30",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute(),
            t.second()
        )
    }
}

impl Serialize for WireTime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for WireTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        WireTime::parse(&s).ok_or_else(|| serde::de::Error::custom(format_args!("{s:?} is not an instant with a zone")))
    }
}

/// A calendar date on the wire (`billDate`, `dueDate`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct WireDate(pub Date);

impl fmt::Display for WireDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.0.year(), u8::from(self.0.month()), self.0.day())
    }
}

impl Serialize for WireDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for WireDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        parse_date(&s)
            .map(WireDate)
            .ok_or_else(|| serde::de::Error::custom(format_args!("{s:?} is not a yyyy-MM-dd date")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_are_written_in_ist_to_the_second() {
        let t = WireTime::parse("2026-11-25T08:46:28.750Z").unwrap();
        assert_eq!(t.to_string(), "2026-11-25T14:16:28+05:30");
        assert_eq!(WireTime::parse(&t.to_string()), Some(t));
        assert!(WireTime::parse("2026-11-25T14:16:28").is_none(), "a zone is required");
    }

    #[test]
    fn dates() {
        let d = WireDate(time::macros::date!(2026 - 02 - 05));
        assert_eq!(d.to_string(), "2026-02-05");
    }
}
