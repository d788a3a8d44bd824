//! "Track a payment": by the Bharat Connect transaction reference, or by mobile number and a date range.

use bbps_core::api::{MobileNumber, TrackRange, TransactionSummary};
use bbps_core::clock::parse_date;
use bbps_core::{ErrorCode, TxnRef};
use time::Date;

use super::{Command, Flow, Remote, Step};
use crate::api::{TrackQuery, iso_date};
use crate::i18n::{Msg, error_msg};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrackField {
    TxnRef,
    Mobile,
    From,
    To,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrackForm {
    pub by_mobile: bool,
    pub txn_ref: String,
    pub mobile: String,
    /// `YYYY-MM-DD`, as a date input gives it.
    pub from: String,
    pub to: String,
    pub submitted: bool,
    /// The server's refusal of a field, until that field is edited.
    pub server: Option<(TrackField, ErrorCode)>,
    pub results: Remote<Vec<TransactionSummary>>,
}

impl TrackForm {
    /// The message beside a field, if any.
    pub fn issue(&self, field: TrackField) -> Option<Msg> {
        if let Some((f, code)) = self.server
            && f == field
        {
            return Some(error_msg(code));
        }
        if !self.submitted {
            return None;
        }
        let bad = |b: bool, m: Msg| b.then_some(m);
        match field {
            TrackField::TxnRef if !self.by_mobile => {
                bad(TxnRef::parse(self.txn_ref.trim()).is_err(), Msg::TxnRefInvalid)
            }
            TrackField::Mobile if self.by_mobile => {
                bad(MobileNumber::parse(&self.mobile).is_none(), Msg::ErrMobileInvalid)
            }
            TrackField::From if self.by_mobile => bad(parse_date(self.from.trim()).is_none(), Msg::DateInvalid),
            TrackField::To if self.by_mobile => match (parse_date(self.from.trim()), parse_date(self.to.trim())) {
                (_, None) => Some(Msg::DateInvalid),
                (Some(from), Some(to)) => bad(TrackRange::new(from, to).is_err(), Msg::ErrDateRange),
                // The first day's own message says what is wrong.
                (None, Some(_)) => None,
            },
            TrackField::TxnRef | TrackField::Mobile | TrackField::From | TrackField::To => None,
        }
    }

    /// The screen opens on the last 30 days the first time.
    fn default_dates(&mut self, today: Option<Date>) {
        if self.from.is_empty()
            && let Some(today) = today
        {
            self.to = iso_date(today);
            self.from = iso_date(today - time::Duration::days(30));
        }
    }

    pub(super) fn set_mode(&mut self, by_mobile: bool) {
        self.by_mobile = by_mobile;
        self.submitted = false;
        self.server = None;
    }

    pub(super) fn input(&mut self, field: TrackField, value: String) {
        if self.server.is_some_and(|(f, _)| f == field) {
            self.server = None;
        }
        match field {
            TrackField::TxnRef => self.txn_ref = value.to_ascii_uppercase(),
            TrackField::Mobile => self.mobile = value,
            TrackField::From => self.from = value,
            TrackField::To => self.to = value,
        }
    }

    /// The lookup the form asks for, now loading; `None` while a field is wrong.
    fn query(&mut self) -> Option<TrackQuery> {
        self.submitted = true;
        self.server = None;
        let fields = [TrackField::TxnRef, TrackField::Mobile, TrackField::From, TrackField::To];
        if fields.into_iter().any(|field| self.issue(field).is_some()) {
            return None;
        }
        let query = if self.by_mobile {
            let mobile = MobileNumber::parse(&self.mobile)?;
            let range = TrackRange::new(parse_date(self.from.trim())?, parse_date(self.to.trim())?).ok()?;
            TrackQuery::ByMobile { mobile, range }
        } else {
            TrackQuery::ByRef(TxnRef::parse(self.txn_ref.trim()).ok()?)
        };
        self.results = Remote::Loading;
        Some(query)
    }
}

pub(super) fn open(f: &mut Flow) {
    super::open_side(f, Step::Track);
    let today = f.today();
    f.track.default_dates(today);
}

pub(super) fn submit(f: &mut Flow, out: &mut Vec<Command>) {
    match f.track.query() {
        Some(query) => out.push(Command::Track(query)),
        None => f.focus_errors(),
    }
}
