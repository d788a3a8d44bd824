//! `bbps-server wire list` and `bbps-server wire show <ref_id>`: the wire archive as an operator reads it in a
//! dispute. `list` is one line per message; `show` is every message of one refId (a bill's fetch, payment, status
//! checks and their Acks), each headed by what the archive knows of it and followed by its bytes exactly as they
//! went over the wire, signature included.

use std::io::Write;

use bbps_core::RefId;
use bbps_engine::ports::Store;
use bbps_engine::wire_archive::{WireMessage, WireQuery};

/// The most messages `show` prints for one refId.
const SHOW_LIMIT: u32 = 1000;

fn heading(m: &WireMessage) -> String {
    let ref_id = m.ref_id.as_ref().map_or("-", RefId::as_str);
    let msg_id = m.msg_id.as_deref().unwrap_or("-");
    let refused = m.refusal.as_deref().map(|r| format!("  REFUSED: {r}")).unwrap_or_default();
    format!(
        "{:<29}  {:<8}  {:<26}  {ref_id:<35}  {msg_id:<35}  {:>8} B{refused}",
        m.at.to_string(),
        m.direction.as_str(),
        m.kind,
        m.body.len()
    )
}

fn query(ref_id: Option<&str>, limit: u32) -> Result<WireQuery, String> {
    let ref_id = ref_id.map(|r| RefId::parse(r).map_err(|e| format!("{r:?}: {e}"))).transpose()?;
    Ok(WireQuery { ref_id, limit })
}

/// The most recent `limit` messages (of `ref_id` when given), oldest first, one line each.
pub async fn list(store: &dyn Store, ref_id: Option<&str>, limit: u32, out: &mut dyn Write) -> Result<(), String> {
    let messages = store.wire_messages(&query(ref_id, limit)?).await.map_err(|e| e.to_string())?;
    let io = |e: std::io::Error| e.to_string();
    writeln!(out, "{:<29}  {:<8}  {:<26}  {:<35}  {:<35}  {:>10}", "time", "way", "message", "refId", "msgId", "size")
        .map_err(io)?;
    for m in &messages {
        writeln!(out, "{}", heading(m)).map_err(io)?;
    }
    Ok(())
}

/// Every archived message of `ref_id`, oldest first, each as it was on the wire.
pub async fn show(store: &dyn Store, ref_id: &str, out: &mut dyn Write) -> Result<(), String> {
    let messages = store.wire_messages(&query(Some(ref_id), SHOW_LIMIT)?).await.map_err(|e| e.to_string())?;
    if messages.is_empty() {
        return Err(format!("the wire archive holds no message of refId {ref_id}"));
    }
    let io = |e: std::io::Error| e.to_string();
    for m in &messages {
        writeln!(out, "==> {}", heading(m)).map_err(io)?;
        out.write_all(&m.body).map_err(io)?;
        if !m.body.ends_with(b"\n") {
            writeln!(out).map_err(io)?;
        }
    }
    Ok(())
}
