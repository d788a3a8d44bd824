//! Time as the product shows and stores it: instants always carry their offset (RFC 3339 on the wire), and the
//! customer-facing zone is IST.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime, UtcOffset};

/// India Standard Time, UTC+05:30 (no daylight saving).
pub const IST: UtcOffset = match UtcOffset::from_hms(5, 30, 0) {
    Ok(offset) => offset,
    Err(_) => panic!("IST is a valid offset"),
};

/// An instant with its zone, written as RFC 3339 in IST (`2026-11-25T14:16:28+05:30`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, format = DateTime))]
pub struct Timestamp(OffsetDateTime);

impl Timestamp {
    pub fn from_offset_date_time(t: OffsetDateTime) -> Timestamp {
        Timestamp(t.to_offset(IST))
    }

    pub fn from_unix_seconds(secs: i64) -> Option<Timestamp> {
        OffsetDateTime::from_unix_timestamp(secs).ok().map(Self::from_offset_date_time)
    }

    pub fn from_unix_millis(millis: i64) -> Option<Timestamp> {
        let nanos = i128::from(millis) * 1_000_000;
        OffsetDateTime::from_unix_timestamp_nanos(nanos).ok().map(Self::from_offset_date_time)
    }

    pub fn parse(s: &str) -> Option<Timestamp> {
        OffsetDateTime::parse(s, &Rfc3339).ok().map(Self::from_offset_date_time)
    }

    pub fn unix_seconds(self) -> i64 {
        self.0.unix_timestamp()
    }

    pub fn unix_millis(self) -> i64 {
        (self.0.unix_timestamp_nanos() / 1_000_000) as i64
    }

    pub fn get(self) -> OffsetDateTime {
        self.0
    }

    pub fn saturating_add(self, d: Duration) -> Timestamp {
        Timestamp(self.0.saturating_add(d))
    }

    /// The calendar date in IST.
    pub fn ist_date(self) -> time::Date {
        self.0.to_offset(IST).date()
    }

    /// `25 Nov 2026, 14:16 IST`: how a receipt shows an instant.
    pub fn to_ist_display(self) -> String {
        let t = self.0.to_offset(IST);
        format!("{:02} {} {}, {:02}:{:02} IST", t.day(), month_abbrev(t.month()), t.year(), t.hour(), t.minute())
    }
}

/// Three-letter English month name; the widget localizes dates itself.
pub fn month_abbrev(m: time::Month) -> &'static str {
    use time::Month::*;
    match m {
        January => "Jan",
        February => "Feb",
        March => "Mar",
        April => "Apr",
        May => "May",
        June => "Jun",
        July => "Jul",
        August => "Aug",
        September => "Sep",
        October => "Oct",
        November => "Nov",
        December => "Dec",
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.format(&Rfc3339) {
            Ok(s) => f.write_str(&s),
            Err(_) => Err(fmt::Error),
        }
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Timestamp::parse(&s).ok_or_else(|| serde::de::Error::custom("expected an RFC 3339 time stamp with a zone"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_keeps_zone() {
        let t = Timestamp::parse("2026-11-25T08:46:28Z").unwrap();
        assert_eq!(t.to_string(), "2026-11-25T14:16:28+05:30");
        assert_eq!(Timestamp::parse(&t.to_string()), Some(t));
        assert_eq!(t.to_ist_display(), "25 Nov 2026, 14:16 IST");
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(json, "\"2026-11-25T14:16:28+05:30\"");
        assert!(serde_json::from_str::<Timestamp>("\"2026-11-25T08:46:28\"").is_err(), "zone is required");
    }

    #[test]
    fn ist_date_crosses_midnight() {
        let t = Timestamp::parse("2026-11-25T20:00:00Z").unwrap();
        assert_eq!(t.ist_date(), time::macros::date!(2026 - 11 - 26));
    }
}
