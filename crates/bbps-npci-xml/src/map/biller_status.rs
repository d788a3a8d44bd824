//! Biller status both ways: our request, the downtimes an update announces, and (for the simulator) the update
//! answering a request.

use bbps_core::{BillerId, Pause, Timestamp};
use bbps_engine::ports::Downtime;

use super::{Originator, Stamp};
use crate::codes::BillerState;
use crate::message::biller::Search;
use crate::message::{BillerStatus, BillerStatusRequest, BillerStatusUpdate, Head};
use crate::time::WireTime;

/// A request for the status of `billers`, or of every biller with one to report.
pub fn status_request(billers: &[BillerId], from: &Originator, stamp: &Stamp) -> BillerStatusRequest {
    BillerStatusRequest {
        head: from.head(&stamp.ref_id, stamp.at),
        search: (!billers.is_empty()).then(|| Search { biller_ids: billers.to_vec() }),
    }
}

/// The billers a request asks about; none means every one.
pub fn asked_billers(req: &BillerStatusRequest) -> &[BillerId] {
    req.search.as_ref().map_or(&[], |s| &s.biller_ids)
}

/// One entry as a downtime: `DOWN` with an id, a start and a duration of at least a minute. `UP` says the biller
/// is up (no downtime); anything else is not read, with the reason.
fn downtime_of(b: &BillerStatus) -> Result<Option<Downtime>, String> {
    let status = b.status.as_deref().ok_or("no status")?;
    match BillerState::parse(status.trim()).map_err(|e| e.to_string())? {
        BillerState::Up => Ok(None),
        BillerState::Down => {
            let id = b.id.clone().ok_or("a biller down without an id")?;
            let start = b.start_time.as_deref().ok_or("a biller down without a startTime")?;
            let start = WireTime::parse(start).ok_or(format!("startTime {start:?} is not an instant"))?.instant();
            let minutes = b.duration_in_minutes.as_deref().ok_or("a biller down without durationInMinutes")?;
            let minutes = minutes
                .trim()
                .parse::<u32>()
                .ok()
                .filter(|m| *m > 0)
                .ok_or(format!("durationInMinutes {minutes:?} is not a number of minutes"))?;
            let end = start.saturating_add(time::Duration::minutes(i64::from(minutes)));
            let reason = b.description.clone().filter(|d| !d.trim().is_empty());
            Ok(Some(Downtime { biller_id: id, pause: Pause { start, end }, reason }))
        }
    }
}

/// The downtimes an update announces. An entry that cannot be read is left out with a warning: one biller's
/// garbled status must not hide the others'.
pub fn downtimes_of(update: &BillerStatusUpdate) -> Vec<Downtime> {
    update
        .billers
        .iter()
        .filter_map(|b| {
            downtime_of(b)
                .map_err(|e| tracing::warn!(biller = ?b.id, error = %e, "a biller status the product cannot read"))
                .ok()
                .flatten()
        })
        .collect()
}

/// The update answering `req` with `downtimes`.
pub fn status_update(req: &BillerStatusRequest, downtimes: &[Downtime], head: Head) -> BillerStatusUpdate {
    let asked = asked_billers(req);
    BillerStatusUpdate {
        head,
        billers: downtimes
            .iter()
            .filter(|d| asked.is_empty() || asked.contains(&d.biller_id))
            .map(|d| BillerStatus {
                id: Some(d.biller_id.clone()),
                xchange_id: None,
                status: Some(BillerState::Down.as_str().to_owned()),
                start_time: Some(WireTime::from(d.pause.start).to_string()),
                description: d.reason.clone(),
                duration_in_minutes: Some(minutes_between(d.pause.start, d.pause.end).to_string()),
            })
            .collect(),
    }
}

/// Whole minutes from `start` to `end`, rounded up, at least one.
fn minutes_between(start: Timestamp, end: Timestamp) -> i64 {
    ((end.unix_seconds() - start.unix_seconds() + 59) / 60).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head() -> Head {
        Head {
            ver: crate::codes::VERSION.to_owned(),
            ts: WireTime::parse("2026-12-02T10:00:00+05:30").unwrap(),
            orig_inst: crate::ids::InstitutionId::parse("BBCU").unwrap(),
            ref_id: bbps_core::RefId::parse("ABCDEFGHIJKLMNOPQRSTUVWXYZ063291416").unwrap(),
        }
    }

    fn entry(status: &str, start: Option<&str>, minutes: Option<&str>) -> BillerStatus {
        BillerStatus {
            id: Some(BillerId::parse("SABAR0000GUJ01").unwrap()),
            xchange_id: None,
            status: Some(status.into()),
            start_time: start.map(str::to_owned),
            description: Some("Scheduled maintenance".into()),
            duration_in_minutes: minutes.map(str::to_owned),
        }
    }

    #[test]
    fn a_biller_down_reads_as_a_pause_and_what_cannot_be_read_is_left_out() {
        let down = downtime_of(&entry("DOWN", Some("2026-12-02T10:00:00+05:30"), Some("90"))).unwrap().unwrap();
        assert_eq!(down.pause.end.unix_seconds() - down.pause.start.unix_seconds(), 90 * 60);
        assert_eq!(WireTime::from(down.pause.start).to_string(), "2026-12-02T10:00:00+05:30");
        assert_eq!(down.reason.as_deref(), Some("Scheduled maintenance"));
        assert_eq!(downtime_of(&entry("UP", None, None)), Ok(None));
        for (status, start, minutes, why) in [
            ("DOWN", None, Some("90"), "startTime"),
            ("DOWN", Some("2026-12-02 10:00"), Some("90"), "not an instant"),
            ("DOWN", Some("2026-12-02T10:00:00+05:30"), Some("0"), "minutes"),
            ("DOWN", Some("2026-12-02T10:00:00+05:30"), None, "durationInMinutes"),
            ("MAINTENANCE", Some("2026-12-02T10:00:00+05:30"), Some("90"), "MAINTENANCE"),
        ] {
            let e = downtime_of(&entry(status, start, minutes)).unwrap_err();
            assert!(e.contains(why), "{e}");
        }
        let update = BillerStatusUpdate {
            head: head(),
            billers: vec![
                entry("DOWN", Some("2026-12-02T10:00:00+05:30"), Some("x")),
                entry("DOWN", Some("2026-12-02T10:00:00+05:30"), Some("30")),
            ],
        };
        assert_eq!(downtimes_of(&update).len(), 1, "the garbled entry is left out, the other read");
    }

    #[test]
    fn an_update_answers_with_the_downtimes_asked_about_in_whole_minutes() {
        let down = downtime_of(&entry("DOWN", Some("2026-12-02T10:00:00+05:30"), Some("120"))).unwrap().unwrap();
        let other = Downtime { biller_id: BillerId::parse("TORRE0000GUJ01").unwrap(), ..down.clone() };
        let all =
            status_update(&BillerStatusRequest { head: head(), search: None }, &[down.clone(), other.clone()], head());
        assert_eq!(downtimes_of(&all), vec![down.clone(), other]);
        let one =
            BillerStatusRequest { head: head(), search: Some(Search { biller_ids: vec![down.biller_id.clone()] }) };
        let answered = status_update(&one, std::slice::from_ref(&down), head());
        assert_eq!(answered.billers.len(), 1);
        assert_eq!(answered.billers[0].duration_in_minutes.as_deref(), Some("120"));
    }
}
