//! A real PostgreSQL for tests, a fresh database for each. `BBPS_TEST_POSTGRES_URL` names a server to use (a
//! `postgres://` URL of a role that may create databases). Without it, the first test that asks starts a
//! throw-away cluster from Debian's `postgresql` programs (`initdb`, `pg_ctl`; as the `postgres` user when the
//! tests run as root, which PostgreSQL refuses to run as) on a free loopback port in a temporary directory. The
//! tests of the process share it, and it is stopped and removed when the process ends, however it ends.
//!
//! Only when PostgreSQL's programs are not installed are the tests skipped, saying so on stderr where the test
//! harness does not hide it; once they are found, a cluster that does not start fails the tests.

use std::io::Write;
use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, OnceLock};

use bbps_core::Secret;
use bbps_engine::ports::Store;

use crate::{PostgresOptions, PostgresStore};

/// The server the tests create their databases on.
struct Cluster {
    /// A URL of the server's `postgres` database, to create and drop the tests' databases from.
    admin_url: String,
    /// The write end of the pipe the clean-up process waits on: the process's exit closes it.
    _alive: Option<ChildStdin>,
}

/// The tests' server; `None` when PostgreSQL is not installed.
static CLUSTER: OnceLock<Option<Cluster>> = OnceLock::new();

/// A database of one test, dropped with the guard.
pub struct TestDatabase {
    name: String,
    url: Secret,
    admin_url: String,
}

impl TestDatabase {
    /// The URL of the database, for [`PostgresStore::connect`] or a server's configuration.
    pub fn url(&self) -> &Secret {
        &self.url
    }

    /// A plain connection to the database, for what a test checks or sets up in SQL.
    pub async fn client(&self) -> tokio_postgres::Client {
        let tls = crate::tls::connector().unwrap_or_else(|e| panic!("TLS: {e}"));
        let (client, connection) = tokio_postgres::connect(self.url.expose(), tls)
            .await
            .unwrap_or_else(|e| panic!("connecting to {}: {e}", self.name));
        tokio::spawn(connection);
        client
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        // Drop is synchronous and runs in the test's runtime, where another cannot start: a thread drops it.
        let (admin, name) = (self.admin_url.clone(), self.name.clone());
        let dropped = std::thread::spawn(move || {
            let runtime =
                tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string())?;
            runtime.block_on(admin_execute(&admin, &format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")))
        })
        .join();
        if let Ok(Err(e)) | Err(e) = dropped.map_err(|_| "the thread panicked".to_owned()) {
            let _ = writeln!(std::io::stderr(), "test database {} was not dropped: {e}", self.name);
        }
    }
}

/// A fresh, empty database on the tests' server; `None` (the test is skipped) when PostgreSQL is not installed.
pub async fn database() -> Option<TestDatabase> {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let cluster =
        CLUSTER.get_or_init(|| cluster().unwrap_or_else(|e| panic!("the tests' PostgreSQL: {e}"))).as_ref()?;
    let name = format!("bbps_test_{}_{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed));
    admin_execute(&cluster.admin_url, &format!("CREATE DATABASE \"{name}\""))
        .await
        .unwrap_or_else(|e| panic!("creating the test database {name}: {e}"));
    let mut url = url::Url::parse(&cluster.admin_url).unwrap_or_else(|e| panic!("the tests' PostgreSQL URL: {e}"));
    url.set_path(&name);
    Some(TestDatabase { name, url: Secret::new(url.to_string()), admin_url: cluster.admin_url.clone() })
}

/// A store over a fresh database, as the store contract's tests take it.
pub async fn store() -> Option<(TestDatabase, Arc<dyn Store>)> {
    let db = database().await?;
    let store = PostgresStore::connect(db.url(), &PostgresOptions { pool_size: 4 }, None)
        .await
        .unwrap_or_else(|e| panic!("opening the store on {}: {e}", db.name));
    Some((db, Arc::new(store)))
}

async fn admin_execute(admin_url: &str, sql: &str) -> Result<(), String> {
    let (client, connection) = tokio_postgres::connect(admin_url, crate::tls::connector().map_err(|e| e.to_string())?)
        .await
        .map_err(|e| crate::with_causes(&e))?;
    let connection = tokio::spawn(connection);
    let done = client.batch_execute(sql).await.map_err(|e| crate::with_causes(&e));
    drop(client);
    let _ = connection.await;
    done
}

/// The configured server, or a cluster started for this process; `None` when PostgreSQL is not installed.
fn cluster() -> Result<Option<Cluster>, String> {
    if let Ok(url) = std::env::var("BBPS_TEST_POSTGRES_URL") {
        return Ok(Some(Cluster { admin_url: url, _alive: None }));
    }
    let Some(bin) = programs() else {
        let _ = writeln!(
            std::io::stderr(),
            "\n{line}\nSKIPPED: the PostgreSQL tests. PostgreSQL's programs (initdb, pg_ctl) are not installed:\n\
             install Debian's `postgresql` (`cargo xtask setup` does), or set BBPS_TEST_POSTGRES_URL to a server.\n\
             {line}\n",
            line = "=".repeat(100)
        );
        return Ok(None);
    };
    let owner = running_as_root()?.then_some("postgres");
    let dir = tempfile::Builder::new()
        .prefix("bbps-postgres-")
        .tempdir()
        .map_err(|e| format!("a temporary directory: {e}"))?
        .keep();
    if let Some(user) = owner {
        let id = |flag: &str| -> Result<u32, String> {
            output(Command::new("id").args([flag, user]))?
                .parse()
                .map_err(|_| format!("no user {user} to run PostgreSQL as (Debian's `postgresql` package makes it)"))
        };
        std::os::unix::fs::chown(&dir, Some(id("-u")?), Some(id("-g")?))
            .map_err(|e| format!("chown {}: {e}", dir.display()))?;
    }
    let alive = clean_up_at_exit(&bin, owner, &dir)?;
    let data = dir.join("data");
    output(as_owner(&bin.join("initdb"), owner).arg("-D").arg(&data).args([
        "-U",
        "postgres",
        "-A",
        "trust",
        "-E",
        "UTF8",
        "--no-locale",
        "--no-sync",
        "--no-instructions",
    ]))?;
    // A free port can be taken between asking and listening: then another is tried.
    let mut last = String::new();
    for _ in 0..3 {
        let port = free_port()?;
        // Durability is worth nothing in a throw-away cluster; speed is.
        let options = format!(
            "-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='{}' -c fsync=off \
             -c synchronous_commit=off -c full_page_writes=off -c max_connections=300",
            dir.display()
        );
        let started = output(
            as_owner(&bin.join("pg_ctl"), owner)
                .arg("-D")
                .arg(&data)
                .arg("-l")
                .arg(dir.join("postgres.log"))
                .args(["-w", "-t", "60", "-o", &options, "start"]),
        );
        match started {
            Ok(_) => {
                let admin_url = format!("postgres://postgres@127.0.0.1:{port}/postgres?sslmode=disable");
                return Ok(Some(Cluster { admin_url, _alive: Some(alive) }));
            }
            Err(e) => last = e,
        }
    }
    let log = std::fs::read_to_string(dir.join("postgres.log")).unwrap_or_default();
    Err(format!("pg_ctl start failed: {last}\n{log}"))
}

/// Starts the process that stops the cluster and removes its directory once this process has ended: it waits
/// for the end of a pipe whose other end only this process holds. It is in a process group of its own, so the
/// Ctrl-C that stops the tests does not stop it before it has cleaned up.
fn clean_up_at_exit(bin: &Path, owner: Option<&str>, dir: &Path) -> Result<ChildStdin, String> {
    let stop = as_owner(&bin.join("pg_ctl"), owner);
    let mut c = Command::new("sh");
    c.args(["-c", r#"cat > /dev/null; dir=$1; shift; "$@" > /dev/null 2>&1; rm -rf -- "$dir""#, "sh"])
        .arg(dir)
        .arg(stop.get_program())
        .args(stop.get_args())
        .arg("-D")
        .arg(dir.join("data"))
        .args(["-m", "immediate", "stop"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0);
    let mut child = c.spawn().map_err(|e| format!("starting the clean-up process: {e}"))?;
    child.stdin.take().ok_or_else(|| "the clean-up process has no stdin".to_owned())
}

/// The directory of `initdb` and `pg_ctl`: Debian's newest PostgreSQL, or the first on `PATH`.
fn programs() -> Option<PathBuf> {
    let mut debian: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| Some((e.file_name().to_str()?.parse().ok()?, e.path().join("bin"))))
        .collect();
    debian.sort_by_key(|(version, _)| std::cmp::Reverse(*version));
    let path = std::env::var_os("PATH").map(|p| std::env::split_paths(&p).collect::<Vec<_>>()).unwrap_or_default();
    debian
        .into_iter()
        .map(|(_, dir)| dir)
        .chain(path)
        .find(|dir| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file())
}

fn running_as_root() -> Result<bool, String> {
    Ok(output(Command::new("id").arg("-u"))? == "0")
}

/// `program`, run as `owner` when given.
fn as_owner(program: &Path, owner: Option<&str>) -> Command {
    match owner {
        Some(user) => {
            let mut c = Command::new("runuser");
            c.args(["-u", user, "--"]).arg(program);
            c
        }
        None => Command::new(program),
    }
}

/// Runs `c` to its end; its trimmed stdout, or what it said on failure.
fn output(c: &mut Command) -> Result<String, String> {
    let out = c.stdin(Stdio::null()).output().map_err(|e| format!("{:?}: {e}", c.get_program()))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
    } else {
        Err(format!(
            "{:?} {:?}: {}\n{}{}",
            c.get_program(),
            c.get_args().collect::<Vec<_>>(),
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

fn free_port() -> Result<u16, String> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("a free port: {e}"))?;
    Ok(listener.local_addr().map_err(|e| format!("a free port: {e}"))?.port())
}
