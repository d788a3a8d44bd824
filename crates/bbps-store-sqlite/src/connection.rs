//! Opening SQLite files the way every connection of the backend uses them, and sharing connections with async
//! code: one writer (SQLite takes one write transaction at a time anyway) and, for the store, a pool of
//! read-only connections, so that reads never queue behind a write (WAL lets readers run beside the writer).

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};
use tokio::sync::Semaphore;

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

/// Opens a read-only connection to a database that [`open`] has set up (in WAL mode). SQLite itself refuses
/// any write through it.
pub fn open_reader(path: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI,
    )?;
    conn.busy_timeout(Duration::from_secs(10))?;
    conn.pragma_update(None, "query_only", "ON")?;
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

/// Read-only connections handed out one per task: a task waits (asynchronously) only when all are busy.
#[derive(Clone)]
pub struct ReaderPool {
    idle: Arc<Mutex<Vec<Connection>>>,
    permits: Arc<Semaphore>,
}

impl ReaderPool {
    /// Opens `size` readers of the database at `path`.
    pub fn open(path: &Path, size: usize) -> rusqlite::Result<ReaderPool> {
        let idle = (0..size.max(1)).map(|_| open_reader(path)).collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(ReaderPool { permits: Arc::new(Semaphore::new(idle.len())), idle: Arc::new(Mutex::new(idle)) })
    }

    /// Runs `f` with a reader of its own; an error means the blocking task itself failed.
    pub async fn run<T, F>(&self, f: F) -> Result<T, tokio::task::JoinError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> T + Send + 'static,
    {
        // The semaphore is never closed, so acquiring cannot fail.
        let permit = self.permits.clone().acquire_owned().await.expect("the reader pool is never closed");
        let idle = self.idle.clone();
        tokio::task::spawn_blocking(move || {
            let conn = idle.lock().unwrap_or_else(|p| p.into_inner()).pop().expect("a reader for every permit");
            // Returned even if `f` panics: a reader holds no transaction between statements.
            struct Return(Option<Connection>, Arc<Mutex<Vec<Connection>>>);
            impl Drop for Return {
                fn drop(&mut self) {
                    if let Some(c) = self.0.take() {
                        self.1.lock().unwrap_or_else(|p| p.into_inner()).push(c);
                    }
                }
            }
            let held = Return(Some(conn), idle);
            let out = f(held.0.as_ref().expect("held until dropped"));
            drop(held);
            drop(permit);
            out
        })
        .await
    }
}
