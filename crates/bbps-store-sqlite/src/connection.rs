//! Opening SQLite files the way every connection of the backend uses them, and sharing one connection with
//! async code. The store and the sandbox's ledgers each hold one.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rusqlite::Connection;

/// Opens (creating it and its directory if needed) a SQLite database with the settings every connection of
/// this server uses: WAL, foreign keys, a busy timeout.
///
/// Several connections share a file (the store's, the sandbox network's, the PSP simulator's), so a transaction
/// that writes begins `IMMEDIATE`: a deferred one that read first fails at once with `SQLITE_BUSY` when another
/// connection wrote in between, without waiting out the busy timeout.
pub fn open(path: &Path) -> rusqlite::Result<Connection> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        // A failure here shows up as the open error below, with the path in it.
        let _ = std::fs::create_dir_all(dir);
    }
    let conn = Connection::open(path)?;
    conn.busy_timeout(Duration::from_secs(10))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(conn)
}

/// One SQLite connection shared by async code: every use runs on the blocking pool, under the lock.
#[derive(Clone)]
pub struct SharedConnection(Arc<Mutex<Connection>>);

impl SharedConnection {
    pub fn new(conn: Connection) -> SharedConnection {
        SharedConnection(Arc::new(Mutex::new(conn)))
    }

    /// Runs `f` with the connection; an error means the blocking task itself failed.
    pub async fn run<T, F>(&self, f: F) -> Result<T, tokio::task::JoinError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> T + Send + 'static,
    {
        let conn = self.0.clone();
        tokio::task::spawn_blocking(move || {
            // A panic while holding the lock leaves the connection usable (SQLite rolls back the open
            // transaction when it is dropped), so a poisoned lock is taken over.
            let mut guard = conn.lock().unwrap_or_else(|p| p.into_inner());
            f(&mut guard)
        })
        .await
    }
}
