//! "Track a payment": by the Bharat Connect transaction reference, or by mobile number and a date range once the
//! customer has proved the number with a one-time code sent to it by SMS.

use bbps_core::api::{
    MobileNumber, TrackRange, TrackingAccess, TrackingCodeSent, TransactionSummary, VerifyTrackingCodeRequest,
};
use bbps_core::clock::parse_date;
use bbps_core::{ErrorCode, OtpChallengeId, TxnRef};
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
    /// The one-time code from the SMS.
    Code,
}

/// Where the proof of the mobile number stands. A lookup by mobile number needs it; editing the number starts
/// over.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Proof {
    #[default]
    None,
    /// A code is being sent.
    Sending,
    /// A code is on its way to `mobile` (shown masked); the customer types it.
    Sent { challenge: OtpChallengeId, mobile: MobileNumber, masked: String },
    /// The typed code is being checked.
    Checking { challenge: OtpChallengeId, mobile: MobileNumber, masked: String },
    /// This session may list `mobile`'s payments with `token`.
    Proved { mobile: MobileNumber, token: String },
}

impl Proof {
    /// The number a code was sent to, and its masked form, while one is expected.
    pub fn awaiting(&self) -> Option<&str> {
        match self {
            Proof::Sent { masked, .. } | Proof::Checking { masked, .. } => Some(masked),
            Proof::None | Proof::Sending | Proof::Proved { .. } => None,
        }
    }

    pub fn is_busy(&self) -> bool {
        matches!(self, Proof::Sending | Proof::Checking { .. })
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrackForm {
    pub by_mobile: bool,
    pub txn_ref: String,
    pub mobile: String,
    /// `YYYY-MM-DD`, as a date input gives it.
    pub from: String,
    pub to: String,
    pub code: String,
    pub proof: Proof,
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
            TrackField::Code if self.proof.awaiting().is_some() => {
                let code = self.code.trim();
                bad(code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()), Msg::OtpCodeInvalid)
            }
            TrackField::To if self.by_mobile => match (parse_date(self.from.trim()), parse_date(self.to.trim())) {
                (_, None) => Some(Msg::DateInvalid),
                (Some(from), Some(to)) => bad(TrackRange::new(from, to).is_err(), Msg::ErrDateRange),
                // The first day's own message says what is wrong.
                (None, Some(_)) => None,
            },
            TrackField::TxnRef | TrackField::Mobile | TrackField::From | TrackField::To | TrackField::Code => None,
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
            TrackField::Mobile => {
                // A proof is for one number: another number needs its own code.
                if MobileNumber::parse(&value) != MobileNumber::parse(&self.mobile) {
                    self.proof = Proof::None;
                    self.code.clear();
                }
                self.mobile = value;
            }
            TrackField::From => self.from = value,
            TrackField::To => self.to = value,
            TrackField::Code => self.code = value.trim().to_owned(),
        }
    }

    /// What the form asks for next, now loading: the lookup, or for a lookup by mobile number first a code to the
    /// number, then the check of the typed code. `None` while a field is wrong.
    fn next(&mut self) -> Option<Command> {
        self.submitted = true;
        self.server = None;
        let fields = [TrackField::TxnRef, TrackField::Mobile, TrackField::From, TrackField::To, TrackField::Code];
        if fields.into_iter().any(|field| self.issue(field).is_some()) {
            return None;
        }
        if !self.by_mobile {
            self.results = Remote::Loading;
            return Some(Command::Track(TrackQuery::ByRef(TxnRef::parse(self.txn_ref.trim()).ok()?)));
        }
        let mobile = MobileNumber::parse(&self.mobile)?;
        match std::mem::take(&mut self.proof) {
            Proof::Proved { mobile: proved, token } if proved == mobile => {
                let range = TrackRange::new(parse_date(self.from.trim())?, parse_date(self.to.trim())?).ok()?;
                self.proof = Proof::Proved { mobile: proved, token: token.clone() };
                self.results = Remote::Loading;
                Some(Command::Track(TrackQuery::ByMobile { mobile, range, token }))
            }
            Proof::Sent { challenge, mobile: to, masked } if to == mobile => {
                let request = VerifyTrackingCodeRequest { challenge_id: challenge.clone(), code: self.code.clone() };
                self.proof = Proof::Checking { challenge, mobile: to, masked };
                Some(Command::VerifyTrackingCode(request))
            }
            Proof::None | Proof::Sending | Proof::Sent { .. } | Proof::Checking { .. } | Proof::Proved { .. } => {
                self.proof = Proof::Sending;
                self.code.clear();
                self.submitted = false;
                Some(Command::SendTrackingCode(mobile))
            }
        }
    }

    /// Another code to the same number.
    pub(super) fn resend(&mut self) -> Option<Command> {
        let mobile = MobileNumber::parse(&self.mobile)?;
        self.proof = Proof::Sending;
        self.code.clear();
        self.server = None;
        self.submitted = false;
        Some(Command::SendTrackingCode(mobile))
    }

    pub(super) fn code_sent(&mut self, sent: TrackingCodeSent) {
        match MobileNumber::parse(&self.mobile) {
            Some(mobile) if self.proof == Proof::Sending => {
                self.proof = Proof::Sent { challenge: sent.challenge_id, mobile, masked: sent.mobile_masked };
            }
            // The number was edited while the code was on its way: that code proves nothing asked for now.
            _ => {}
        }
    }

    /// The number is proved: the lookup it was for, now loading.
    pub(super) fn proved(&mut self, access: TrackingAccess) -> Option<Command> {
        let Proof::Checking { mobile, .. } = std::mem::take(&mut self.proof) else { return None };
        self.proof = Proof::Proved { mobile, token: access.tracking_token };
        self.code.clear();
        self.next()
    }

    /// A refusal of the code or of the proof: beside the field it concerns.
    pub(super) fn proof_refused(&mut self, code: ErrorCode) -> bool {
        match (code, std::mem::take(&mut self.proof)) {
            (ErrorCode::OtpInvalid | ErrorCode::OtpExpired, Proof::Checking { challenge, mobile, masked }) => {
                self.proof = Proof::Sent { challenge, mobile, masked };
                self.server = Some((TrackField::Code, code));
            }
            (ErrorCode::OtpRequired | ErrorCode::OtpLocked | ErrorCode::RateLimited | ErrorCode::MobileInvalid, _) => {
                self.server = Some((TrackField::Mobile, code));
            }
            (_, proof) => {
                self.proof = match proof {
                    Proof::Checking { challenge, mobile, masked } => Proof::Sent { challenge, mobile, masked },
                    Proof::Sending => Proof::None,
                    other => other,
                };
                return false;
            }
        }
        true
    }
}

pub(super) fn open(f: &mut Flow) {
    super::open_side(f, Step::Track);
    let today = f.today();
    f.track.default_dates(today);
}

pub(super) fn submit(f: &mut Flow, out: &mut Vec<Command>) {
    match f.track.next() {
        Some(command) => out.push(command),
        None => f.focus_errors(),
    }
}

pub(super) fn proved(f: &mut Flow, access: TrackingAccess, out: &mut Vec<Command>) {
    match f.track.proved(access) {
        Some(command) => out.push(command),
        None => f.focus_errors(),
    }
}
