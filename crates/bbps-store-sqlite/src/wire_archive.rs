//! The wire archive's table: one row per message of the BBPS wire, its body as a blob (exactly the bytes sent
//! or received), found by refId or by time. Row ids keep the order messages were archived in, which is the
//! order to read them in even when several share one millisecond.

use bbps_core::RefId;
use bbps_engine::wire_archive::{WireDirection, WireMessage, WireMessageId, WireQuery};
use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::{Db, corrupt, instant, ms, wire};

pub(crate) fn insert(c: &Connection, m: &WireMessage) -> Db<WireMessageId> {
    c.execute(
        "INSERT INTO wire_messages (at, direction, kind, ref_id, msg_id, refusal, body) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            ms(m.at),
            m.direction.as_str(),
            m.kind,
            m.ref_id.as_ref().map(RefId::as_str),
            m.msg_id,
            m.refusal,
            m.body
        ],
    )?;
    Ok(WireMessageId(c.last_insert_rowid()))
}

pub(crate) fn by_id(c: &Connection, id: WireMessageId) -> Db<Option<WireMessage>> {
    let sql = "SELECT at, direction, kind, ref_id, msg_id, refusal, body FROM wire_messages WHERE id = ?1";
    c.query_row(sql, [id.0], raw).optional()?.map(message).transpose()
}

pub(crate) fn request_sent(c: &Connection, kind: &str, ref_id: &RefId, msg_id: Option<&str>) -> Db<bool> {
    let sql = "SELECT EXISTS (SELECT 1 FROM wire_messages WHERE ref_id = ?1 AND msg_id IS ?2 AND direction = ?3 \
               AND kind = ?4)";
    Ok(c.query_row(sql, params![ref_id.as_str(), msg_id, WireDirection::Sent.as_str(), kind], |r| r.get(0))?)
}

type Raw = (i64, String, String, Option<String>, Option<String>, Option<String>, Vec<u8>);

fn raw(r: &Row<'_>) -> rusqlite::Result<Raw> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?))
}

fn message((at, direction, kind, ref_id, msg_id, refusal, body): Raw) -> Db<WireMessage> {
    Ok(WireMessage {
        at: instant("wire message time", at)?,
        direction: wire::<WireDirection>(&direction)?,
        kind,
        ref_id: ref_id.map(|r| RefId::parse(&r).map_err(|e| corrupt("wire message refId", e))).transpose()?,
        msg_id,
        refusal,
        body,
    })
}

pub(crate) fn select(c: &Connection, q: &WireQuery) -> Db<Vec<WireMessage>> {
    const COLUMNS: &str = "at, direction, kind, ref_id, msg_id, refusal, body";
    // The most recent `limit`, read newest first and turned around.
    let rows: Vec<Raw> = match &q.ref_id {
        Some(r) => {
            let sql = format!("SELECT {COLUMNS} FROM wire_messages WHERE ref_id = ?1 ORDER BY id DESC LIMIT ?2");
            c.prepare(&sql)?.query_map(params![r.as_str(), q.limit], raw)?.collect::<rusqlite::Result<_>>()?
        }
        None => {
            let sql = format!("SELECT {COLUMNS} FROM wire_messages ORDER BY id DESC LIMIT ?1");
            c.prepare(&sql)?.query_map(params![q.limit], raw)?.collect::<rusqlite::Result<_>>()?
        }
    };
    rows.into_iter().rev().map(message).collect()
}

pub(crate) fn prune(c: &Connection, before: bbps_core::Timestamp) -> Db<u64> {
    Ok(c.execute("DELETE FROM wire_messages WHERE at < ?1", [ms(before)])? as u64)
}
