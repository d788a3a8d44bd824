//! `--config <file>` (`BBPS_CONFIG`): the serve settings as `BBPS_*=value` lines, for operators who keep them in a
//! file (a mounted secret, a systemd `EnvironmentFile`). A flag on the command line wins over the environment, which
//! wins over the file. A file that holds a secret must not be readable by group or others.

use std::ffi::OsString;
use std::path::Path;

use clap::parser::ValueSource;
use clap::{ArgMatches, Command};

/// One `KEY=value` of the file, with its line number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub line: usize,
    pub key: String,
    pub value: String,
}

/// Reads the lines: blank lines and `#` comments are skipped, `export ` is allowed, a value may be quoted.
pub fn parse(text: &str) -> Result<Vec<Entry>, String> {
    let mut entries = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line = line.strip_prefix("export ").unwrap_or(line);
        let (key, value) = line.split_once('=').ok_or_else(|| format!("line {}: expected KEY=value", i + 1))?;
        let key = key.trim();
        let well_formed =
            key.starts_with("BBPS_") && key.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
        if !well_formed {
            return Err(format!("line {}: {key:?} is not a BBPS_* setting", i + 1));
        }
        let value = value.trim();
        let value = [('"', '"'), ('\'', '\'')]
            .iter()
            .find_map(|(a, b)| value.strip_prefix(*a).and_then(|v| v.strip_suffix(*b)))
            .unwrap_or(value);
        entries.push(Entry { line: i + 1, key: key.to_owned(), value: value.to_owned() });
    }
    Ok(entries)
}

#[cfg(unix)]
fn private(path: &Path) -> Result<bool, String> {
    use std::os::unix::fs::PermissionsExt;
    let meta = std::fs::metadata(path).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(meta.permissions().mode() & 0o077 == 0)
}

#[cfg(not(unix))]
fn private(_: &Path) -> Result<bool, String> {
    Ok(true)
}

/// The command line with the file's settings added as flags (`--flag=value`) for every setting neither the
/// command line nor the environment gives. `serve` is the command (or subcommand) the settings belong to.
pub fn merge(
    path: &Path,
    args: Vec<OsString>,
    serve: &Command,
    matches: &ArgMatches,
    env: impl Fn(&str) -> bool,
) -> Result<Vec<OsString>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("--config {}: {e}", path.display()))?;
    let entries = parse(&text).map_err(|e| format!("--config {}: {e}", path.display()))?;
    // A secret is any setting whose value `--help` hides (keys, passwords, a database URL with its password).
    let secret =
        |key: &str| serve.get_arguments().any(|a| a.is_hide_env_values_set() && a.get_env().is_some_and(|e| e == key));
    if entries.iter().any(|e| secret(&e.key)) && !private(path)? {
        return Err(format!(
            "--config {}: the file holds secrets and others may read it; chmod 600 it",
            path.display()
        ));
    }
    let mut merged = args;
    for entry in entries {
        let arg = serve
            .get_arguments()
            .find(|a| a.get_env().is_some_and(|e| e == entry.key.as_str()))
            .filter(|a| a.get_id() != "config")
            .ok_or_else(|| {
                format!("--config {}: line {}: unknown setting {}", path.display(), entry.line, entry.key)
            })?;
        let given = matches.value_source(arg.get_id().as_str()) == Some(ValueSource::CommandLine);
        if given || env(&entry.key) {
            continue;
        }
        let long = arg.get_long().ok_or_else(|| format!("{} has no flag", entry.key))?;
        merged.push(format!("--{long}={}", entry.value).into());
    }
    Ok(merged)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_read_as_an_env_file() {
        let text =
            "# live\n\nBBPS_MODE=live\nexport BBPS_PUBLIC_URL=\"https://pay.example\"\n BBPS_PSP_CLIENT_ID = 'abc' \n";
        let keys: Vec<(String, String)> = parse(text).unwrap().into_iter().map(|e| (e.key, e.value)).collect();
        assert_eq!(
            keys,
            [("BBPS_MODE", "live"), ("BBPS_PUBLIC_URL", "https://pay.example"), ("BBPS_PSP_CLIENT_ID", "abc")]
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
        );
        assert_eq!(parse("BBPS_MODE live").unwrap_err(), "line 1: expected KEY=value");
        assert!(parse("PATH=/bin").unwrap_err().contains("not a BBPS_* setting"));
    }
}
