//! The wire archive's table: one row per message of the BBPS wire, its body as `bytea` (exactly the bytes sent
//! or received), found by refId or by time. The identity column keeps the order messages were archived in,
//! which is the order to read them in even when several share one instant.

use bbps_core::{RefId, Timestamp};
use bbps_engine::wire_archive::{WireDirection, WireMessage, WireMessageId, WireQuery};
use deadpool_postgres::GenericClient;
use tokio_postgres::Row;

use crate::{Db, corrupt, execute, instant, query, wire};

pub(crate) async fn insert(c: &impl GenericClient, m: &WireMessage) -> Db<WireMessageId> {
    let rows = query(
        c,
        "INSERT INTO wire_messages (at, direction, kind, ref_id, msg_id, refusal, body) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        &[
            &m.at.get(),
            &m.direction.as_str(),
            &m.kind,
            &m.ref_id.as_ref().map(RefId::as_str),
            &m.msg_id,
            &m.refusal,
            &m.body,
        ],
    )
    .await?;
    let row = rows.first().ok_or_else(|| corrupt("wire message", "the insert returned no id"))?;
    Ok(WireMessageId(row.try_get(0)?))
}

pub(crate) async fn by_id(c: &impl GenericClient, id: WireMessageId) -> Db<Option<WireMessage>> {
    let sql = "SELECT at, direction, kind, ref_id, msg_id, refusal, body FROM wire_messages WHERE id = $1";
    query(c, sql, &[&id.0]).await?.first().map(message).transpose()
}

pub(crate) async fn request_sent(c: &impl GenericClient, kind: &str, ref_id: &RefId, msg_id: Option<&str>) -> Db<bool> {
    let sql = "SELECT EXISTS (SELECT 1 FROM wire_messages WHERE ref_id = $1 AND msg_id IS NOT DISTINCT FROM $2 \
               AND direction = $3 AND kind = $4)";
    let rows = query(c, sql, &[&ref_id.as_str(), &msg_id, &WireDirection::Sent.as_str(), &kind]).await?;
    Ok(rows.first().map(|r| r.try_get(0)).transpose()?.unwrap_or(false))
}

pub(crate) async fn announce(c: &impl GenericClient, id: WireMessageId) -> Db<()> {
    execute(c, "SELECT pg_notify($1, $2)", &[&crate::changes::RELAY_CHANNEL, &id.0.to_string()]).await?;
    Ok(())
}

fn message(r: &Row) -> Db<WireMessage> {
    Ok(WireMessage {
        at: instant(r.try_get(0)?),
        direction: wire::<WireDirection>(r.try_get(1)?)?,
        kind: r.try_get(2)?,
        ref_id: r
            .try_get::<_, Option<&str>>(3)?
            .map(|id| RefId::parse(id).map_err(|e| corrupt("wire message refId", e)))
            .transpose()?,
        msg_id: r.try_get(4)?,
        refusal: r.try_get(5)?,
        body: r.try_get(6)?,
    })
}

pub(crate) async fn select(c: &impl GenericClient, q: &WireQuery) -> Db<Vec<WireMessage>> {
    const COLUMNS: &str = "at, direction, kind, ref_id, msg_id, refusal, body";
    let limit = i64::from(q.limit);
    // The most recent `limit`, read newest first and turned around; one statement per case, so that each has a
    // plan that walks its index.
    let rows = match &q.ref_id {
        Some(r) => {
            let sql = format!("SELECT {COLUMNS} FROM wire_messages WHERE ref_id = $1 ORDER BY id DESC LIMIT $2");
            query(c, &sql, &[&r.as_str(), &limit]).await?
        }
        None => {
            let sql = format!("SELECT {COLUMNS} FROM wire_messages ORDER BY id DESC LIMIT $1");
            query(c, &sql, &[&limit]).await?
        }
    };
    rows.iter().rev().map(message).collect()
}

pub(crate) async fn prune(c: &impl GenericClient, before: Timestamp) -> Db<u64> {
    execute(c, "DELETE FROM wire_messages WHERE at < $1", &[&before.get()]).await
}
