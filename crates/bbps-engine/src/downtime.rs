//! Billers the network announces as down through its biller status, laid over the master data: such a biller
//! stays listed, "available again from" the downtime's end, and takes no bills until then, as a biller the master
//! data pauses. The catalogue is built again only when what the network announces changes.

use std::collections::HashMap;
use std::sync::Arc;

use bbps_core::{Biller, BillerId, Pause, Timestamp};

use crate::Engine;
use crate::catalogue::Catalogue;
use crate::ports::{BbpsError, BbpsNetwork as _, Downtime};

/// What the catalogue is built from: the master data as last pulled, the downtimes as last announced, and the
/// pauses they gave the catalogue now in use.
#[derive(Default)]
pub(crate) struct Sources {
    pub billers: Arc<Vec<Biller>>,
    pub downtimes: Vec<Downtime>,
    pub applied: HashMap<BillerId, Pause>,
}

/// The pause at `now` of each biller with a downtime not over yet: of its downtimes and its master data's own
/// pause, merged where they overlap or touch, the current or next one. A later one takes over when that ends (the
/// overlay then differs, and the catalogue is built again).
pub(crate) fn overlay(billers: &[Biller], downtimes: &[Downtime], now: Timestamp) -> HashMap<BillerId, Pause> {
    let mut announced: HashMap<&BillerId, Vec<Pause>> = HashMap::new();
    for d in downtimes.iter().filter(|d| d.pause.end > now) {
        announced.entry(&d.biller_id).or_default().push(d.pause);
    }
    billers
        .iter()
        .filter_map(|b| {
            let mut pauses = announced.get(&b.id)?.clone();
            pauses.extend(b.availability.paused.filter(|p| p.end > now));
            pauses.sort_by_key(|p| p.start);
            let (first, rest) = pauses.split_first()?;
            let mut pause = *first;
            for p in rest {
                if p.start > pause.end {
                    break;
                }
                pause.end = pause.end.max(p.end);
            }
            Some((b.id.clone(), pause))
        })
        .collect()
}

/// `billers` with the overlay's pauses in place of their own.
fn overlaid(billers: &[Biller], overlay: &HashMap<BillerId, Pause>) -> Vec<Biller> {
    billers
        .iter()
        .map(|b| {
            let mut b = b.clone();
            if let Some(pause) = overlay.get(&b.id) {
                b.availability.paused = Some(*pause);
            }
            b
        })
        .collect()
}

impl Engine {
    /// Asks the network which billers are down and, when the pauses that gives differ from those in use (the
    /// answer changed, or a downtime ended), builds the catalogue again; returns how many downtimes it announces.
    /// A failed ask keeps what was announced before.
    pub async fn refresh_downtimes(&self) -> Result<usize, BbpsError> {
        let mut announced = self.network.downtimes().await?;
        announced.sort_by(|a, b| a.biller_id.cmp(&b.biller_id).then(a.pause.start.cmp(&b.pause.start)));
        let count = announced.len();
        let mut sources = self.sources.lock().await;
        let billers = Arc::clone(&sources.billers);
        let applied = self.rebuild_if_changed(&billers, &announced, &sources.applied).await?;
        sources.downtimes = announced;
        sources.applied = applied;
        Ok(count)
    }

    /// Takes freshly pulled master data: builds the catalogue from it and the downtimes known.
    pub(crate) async fn take_billers(&self, billers: Vec<Biller>) -> Result<usize, BbpsError> {
        let mut sources = self.sources.lock().await;
        let billers = Arc::new(billers);
        let overlay = overlay(&billers, &sources.downtimes, self.now());
        let count = self.rebuild(&billers, &overlay).await?;
        sources.billers = billers;
        sources.applied = overlay;
        Ok(count)
    }

    /// The overlay of `downtimes` on `billers`, building the catalogue again when it is not `applied`.
    async fn rebuild_if_changed(
        &self,
        billers: &Arc<Vec<Biller>>,
        downtimes: &[Downtime],
        applied: &HashMap<BillerId, Pause>,
    ) -> Result<HashMap<BillerId, Pause>, BbpsError> {
        let overlay = overlay(billers, downtimes, self.now());
        if &overlay != applied {
            for d in downtimes.iter().filter(|d| overlay.contains_key(&d.biller_id)) {
                tracing::info!(biller = %d.biller_id, until = %d.pause.end, reason = ?d.reason, "a biller is down");
            }
            self.rebuild(billers, &overlay).await?;
        }
        Ok(overlay)
    }

    /// Builds the catalogue (off the async threads) and swaps it in.
    async fn rebuild(&self, billers: &[Biller], overlay: &HashMap<BillerId, Pause>) -> Result<usize, BbpsError> {
        let billers = overlaid(billers, overlay);
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
        let out = overlaid(&billers, &overlay(&billers, &downtimes, now));
        assert_eq!(out[0].availability.at(now), bbps_core::Open::Until(at(datetime!(2026-12-02 11:30 UTC))));
        assert_eq!(out[1].availability.paused, None);
        assert_eq!(out[2].availability.paused, Some(long));
        assert_eq!(out[3], billers[3], "a biller without a downtime is as the master data says");
    }

    #[test]
    fn the_current_pause_stays_and_overlapping_ones_merge_whichever_announced_it() {
        let now = at(datetime!(2026-12-02 10:00 UTC));
        let pause = |start, end| Pause { start: at(start), end: at(end) };
        let down =
            |p: Pause| Downtime { biller_id: BillerId::parse("GOAED0000GOA01").unwrap(), pause: p, reason: None };
        let mut goa = biller("GOAED0000GOA01");
        let master = pause(datetime!(2026-12-02 00:00 UTC), datetime!(2026-12-05 00:00 UTC));
        goa.availability.paused = Some(master);
        let billers = vec![goa];
        // A downtime next week does not open a biller the master data pauses now; it comes when that pause is over.
        let next_week = pause(datetime!(2026-12-09 00:00 UTC), datetime!(2026-12-09 02:00 UTC));
        assert_eq!(overlay(&billers, &[down(next_week)], now).get(&billers[0].id), Some(&master));
        let later = at(datetime!(2026-12-06 00:00 UTC));
        assert_eq!(overlay(&billers, &[down(next_week)], later).get(&billers[0].id), Some(&next_week));
        // One that overlaps the master data's pause, or touches it, runs on from it.
        let overlapping = pause(datetime!(2026-12-04 20:00 UTC), datetime!(2026-12-05 06:00 UTC));
        let touching = pause(datetime!(2026-12-05 06:00 UTC), datetime!(2026-12-05 08:00 UTC));
        let merged = overlay(&billers, &[down(touching), down(overlapping)], now);
        assert_eq!(
            merged.get(&billers[0].id),
            Some(&pause(datetime!(2026-12-02 00:00 UTC), datetime!(2026-12-05 08:00 UTC)))
        );
    }
}
