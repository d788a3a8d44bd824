//! Billers the network announces as down through its biller status, laid over the master data: such a biller
//! stays listed, "available again from" the downtime's end, and takes no bills until then, as a biller the master
//! data pauses. The catalogue is built again only when what the network announces changes.

use std::sync::Arc;

use bbps_core::{Biller, Pause, Timestamp};

use crate::Engine;
use crate::catalogue::Catalogue;
use crate::ports::{BbpsError, BbpsNetwork as _, Downtime};

/// What the catalogue is built from: the master data as last pulled, and the downtimes as last announced.
#[derive(Default)]
pub(crate) struct Sources {
    pub billers: Arc<Vec<Biller>>,
    pub downtimes: Vec<Downtime>,
}

/// `billers` with each one's current or next downtime as its pause, unless the master data's own pause already
/// covers it. Downtimes over at `now` are left out.
pub(crate) fn overlaid(billers: &[Biller], downtimes: &[Downtime], now: Timestamp) -> Vec<Biller> {
    billers
        .iter()
        .map(|b| {
            let next = downtimes
                .iter()
                .filter(|d| d.biller_id == b.id && d.pause.end > now)
                .map(|d| d.pause)
                .min_by_key(|p| p.start);
            let mut b = b.clone();
            if let Some(down) = next {
                let covered = b.availability.paused.is_some_and(|p| p.start <= down.start && p.end >= down.end);
                if !covered {
                    b.availability.paused = Some(Pause { start: down.start, end: down.end });
                }
            }
            b
        })
        .collect()
}

impl Engine {
    /// Asks the network which billers are down and, when that changed, builds the catalogue again; returns how
    /// many downtimes it announces. A failed ask keeps what was announced before.
    pub async fn refresh_downtimes(&self) -> Result<usize, BbpsError> {
        let mut announced = self.network.downtimes().await?;
        announced.sort_by(|a, b| a.biller_id.cmp(&b.biller_id).then(a.pause.start.cmp(&b.pause.start)));
        let count = announced.len();
        let mut sources = self.sources.lock().await;
        if sources.downtimes != announced {
            tracing::info!(downtimes = count, "the network's biller status changed");
            sources.downtimes = announced;
            self.rebuild(&sources).await?;
        }
        Ok(count)
    }

    /// Builds the catalogue from `sources` (off the async threads) and swaps it in.
    pub(crate) async fn rebuild(&self, sources: &Sources) -> Result<usize, BbpsError> {
        let billers = overlaid(&sources.billers, &sources.downtimes, self.now());
        let fresh = tokio::task::spawn_blocking(move || Catalogue::new(billers))
            .await
            .map_err(|e| BbpsError::Unavailable(format!("building the catalogue: {e}")))?;
        let count = fresh.len();
        *self.catalogue.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(fresh);
        Ok(count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bbps_core::BillerId;
    use time::macros::datetime;

    fn at(t: time::OffsetDateTime) -> Timestamp {
        Timestamp::from_offset_date_time(t)
    }

    fn biller(id: &str) -> Biller {
        crate::catalogue::tests::biller(id, id, None, "Gas", bbps_core::Coverage::National)
    }

    #[test]
    fn a_downtime_pauses_its_biller_unless_over_or_already_covered() {
        let now = at(datetime!(2026-12-02 10:00 UTC));
        let down = |id: &str, start, end| Downtime {
            biller_id: BillerId::parse(id).unwrap(),
            pause: Pause { start: at(start), end: at(end) },
            reason: None,
        };
        let mut paused_long = biller("GOAED0000GOA01");
        let long = Pause { start: at(datetime!(2026-12-02 00:00 UTC)), end: at(datetime!(2026-12-05 00:00 UTC)) };
        paused_long.availability.paused = Some(long);
        let billers = vec![biller("SABAR0000GUJ01"), biller("TORRE0000GUJ01"), paused_long, biller("BESCO0000KAR01")];
        let downtimes = vec![
            down("SABAR0000GUJ01", datetime!(2026-12-02 09:30 UTC), datetime!(2026-12-02 11:30 UTC)),
            // Over already: no pause.
            down("TORRE0000GUJ01", datetime!(2026-12-02 08:00 UTC), datetime!(2026-12-02 09:00 UTC)),
            // Within the master data's own pause: that pause stays.
            down("GOAED0000GOA01", datetime!(2026-12-02 09:00 UTC), datetime!(2026-12-02 12:00 UTC)),
        ];
        let out = overlaid(&billers, &downtimes, now);
        assert_eq!(out[0].availability.at(now), bbps_core::Open::Until(at(datetime!(2026-12-02 11:30 UTC))));
        assert_eq!(out[1].availability.paused, None);
        assert_eq!(out[2].availability.paused, Some(long));
        assert_eq!(out[3], billers[3], "a biller without a downtime is as the master data says");
    }
}
