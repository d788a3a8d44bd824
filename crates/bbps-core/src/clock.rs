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

    /// Reads an RFC 3339 instant with its zone: `2026-11-25T14:16:28.123+05:30` or `…Z`; nanoseconds kept.
    /// Read field by field rather than with `time`'s format-description parser, which is the bulk of what
    /// parsing costs the widget's wasm; the server and the widget read instants with this one function.
    pub fn parse(s: &str) -> Option<Timestamp> {
        let b = s.as_bytes();
        let num = |r: std::ops::Range<usize>| -> Option<u32> {
            let t = b.get(r)?;
            t.iter().all(u8::is_ascii_digit).then(|| t.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
        };
        let sep = |i: usize, c: &[u8]| b.get(i).is_some_and(|x| c.contains(x));
        if !(sep(4, b"-") && sep(7, b"-") && sep(10, b"Tt ") && sep(13, b":") && sep(16, b":")) {
            return None;
        }
        let date = time::Date::from_calendar_date(
            i32::try_from(num(0..4)?).ok()?,
            time::Month::try_from(u8::try_from(num(5..7)?).ok()?).ok()?,
            u8::try_from(num(8..10)?).ok()?,
        )
        .ok()?;
        let (h, m, sec) = (num(11..13)?, num(14..16)?, num(17..19)?);
        let mut i = 19;
        let mut nanos = 0u32;
        if sep(i, b".") {
            i += 1;
            let start = i;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                if i - start < 9 {
                    nanos = nanos * 10 + u32::from(b[i] - b'0');
                }
                i += 1;
            }
            if i == start {
                return None;
            }
            nanos *= 10u32.pow(9u32.saturating_sub((i - start) as u32));
        }
        let offset = match b.get(i)? {
            b'Z' | b'z' if i + 1 == b.len() => 0,
            sign @ (b'+' | b'-') if i + 6 == b.len() && sep(i + 3, b":") => {
                let minutes = i32::try_from(num(i + 1..i + 3)? * 60 + num(i + 4..i + 6)?).ok()?;
                if *sign == b'-' { -minutes * 60 } else { minutes * 60 }
            }
            _ => return None,
        };
        let time =
            time::Time::from_hms_nano(u8::try_from(h).ok()?, u8::try_from(m).ok()?, u8::try_from(sec).ok()?, nanos)
                .ok()?;
        let offset = time::UtcOffset::from_whole_seconds(offset).ok()?;
        Some(Self::from_offset_date_time(time::PrimitiveDateTime::new(date, time).assume_offset(offset)))
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

    /// The first instant of the next calendar day in IST (India keeps one offset all year).
    pub fn next_midnight_ist(self) -> Timestamp {
        let day = self.0.to_offset(IST).date();
        let next = day.next_day().map_or(OffsetDateTime::new_in_offset(day, time::Time::MAX, IST), |d| {
            OffsetDateTime::new_in_offset(d, time::Time::MIDNIGHT, IST)
        });
        Timestamp(next)
    }

    pub fn saturating_add(self, d: Duration) -> Timestamp {
        Timestamp(self.0.saturating_add(d))
    }

    pub fn saturating_sub(self, d: Duration) -> Timestamp {
        Timestamp(self.0.saturating_sub(d))
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

/// Reads a calendar date written `YYYY-MM-DD` (what the API sends and a date input gives), nothing else.
pub fn parse_date(s: &str) -> Option<time::Date> {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b.get(r)
            .filter(|t| t.iter().all(u8::is_ascii_digit))
            .map(|t| t.iter().fold(0u32, |n, d| n * 10 + u32::from(d - b'0')))
    };
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let month = time::Month::try_from(u8::try_from(digits(5..7)?).ok()?).ok()?;
    time::Date::from_calendar_date(i32::try_from(digits(0..4)?).ok()?, month, u8::try_from(digits(8..10)?).ok()?).ok()
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
    fn the_next_midnight_is_the_start_of_the_next_day_in_india() {
        let next = |s: &str| Timestamp::parse(s).map(Timestamp::next_midnight_ist).map(|t| t.to_string());
        // 18:29:59 UTC is 23:59:59 IST: midnight is a second away.
        assert_eq!(next("2026-12-02T18:29:59Z").as_deref(), Some("2026-12-03T00:00:00+05:30"));
        // 18:30 UTC is already the next day in India.
        assert_eq!(next("2026-12-02T18:30:00Z").as_deref(), Some("2026-12-04T00:00:00+05:30"));
        assert_eq!(next("2026-12-31T10:00:00+05:30").as_deref(), Some("2027-01-01T00:00:00+05:30"));
        assert_eq!(next("2028-02-28T23:00:00+05:30").as_deref(), Some("2028-02-29T00:00:00+05:30"));
    }

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
    fn parses_offsets_and_fractions_exactly() {
        let millis = |s: &str| Timestamp::parse(s).map(Timestamp::unix_millis);
        assert_eq!(millis("2026-11-25T14:16:28+05:30"), Some(1_795_596_388_000));
        assert_eq!(millis("2026-11-25T08:46:28Z"), Some(1_795_596_388_000));
        assert_eq!(millis("2026-11-25T08:46:28.5-01:00"), Some(1_795_596_388_000 + 3_600_000 + 500));
        let t = Timestamp::parse("2026-02-28T23:59:59.999999999+00:00").unwrap();
        assert_eq!(t.get().nanosecond(), 999_999_999);
        for bad in [
            "2026-11-25",
            "2026-13-01T00:00:00Z",
            "2026-11-25T14:16:28",
            "2026-11-25T14:16:28+0530",
            "2026-11-25T25:00:00Z",
            "2026-11-25T14:16:28.Z",
            "2026-11-25T14:16:28Zjunk",
        ] {
            assert_eq!(Timestamp::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn dates_are_yyyy_mm_dd_only() {
        assert_eq!(parse_date("2026-11-25"), Some(time::macros::date!(2026 - 11 - 25)));
        assert_eq!(parse_date("2024-02-29"), Some(time::macros::date!(2024 - 02 - 29)));
        for bad in
            ["2026-1-25", "2026-11-25T00:00", " 2026-11-25", "2026-02-30", "2026-13-01", "26-11-25", "+026-11-25"]
        {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn ist_date_crosses_midnight() {
        let t = Timestamp::parse("2026-11-25T20:00:00Z").unwrap();
        assert_eq!(t.ist_date(), time::macros::date!(2026 - 11 - 26));
    }
}
