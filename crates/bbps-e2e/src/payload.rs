//! What a customer downloads: the widget's release files and the loader, raw and compressed as the server sends
//! them (gzip level 9, brotli quality 11), next to a bare Yew counter built with the same profile (the floor).

use std::path::{Path, PathBuf};

use crate::Result;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileSize {
    pub name: String,
    pub raw: usize,
    pub gzip: usize,
    pub brotli: usize,
}

impl FileSize {
    pub fn of(name: &str, path: &Path) -> Result<FileSize> {
        let bytes = std::fs::read(path).map_err(|e| format!("reading {}: {e}", path.display()))?;
        // The server's own compression, so the figures are the bytes it sends.
        let (gzip, brotli) = bbps_server::http::assets::compress(&bytes)?;
        Ok(FileSize { name: name.to_owned(), raw: bytes.len(), gzip: gzip.len(), brotli: brotli.len() })
    }
}

/// Sums a set of files into one row.
pub fn total(name: &str, files: &[FileSize]) -> FileSize {
    FileSize {
        name: name.to_owned(),
        raw: files.iter().map(|f| f.raw).sum(),
        gzip: files.iter().map(|f| f.gzip).sum(),
        brotli: files.iter().map(|f| f.brotli).sum(),
    }
}

/// The one file in `dir` whose name starts with `prefix` and ends with `suffix` (trunk adds a content hash).
fn find(dir: &Path, prefix: &str, suffix: &str) -> Result<PathBuf> {
    let mut hits = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| format!("reading {}: {e}", dir.display()))? {
        let name = entry?.file_name().to_string_lossy().into_owned();
        if name.starts_with(prefix) && name.ends_with(suffix) {
            hits.push(dir.join(name));
        }
    }
    match hits.as_slice() {
        [one] => Ok(one.clone()),
        _ => Err(format!("expected one {prefix}*{suffix} in {}, found {}", dir.display(), hits.len()).into()),
    }
}

pub struct Payload {
    /// wasm, JS glue, CSS and the start-up module of the widget page.
    pub widget: Vec<FileSize>,
    /// The loader a merchant page includes.
    pub loader: FileSize,
    /// wasm and JS glue of the bare Yew counter.
    pub floor: Vec<FileSize>,
}

impl Payload {
    /// Measures `dist/` (the widget), the floor's dist directory and the loader at `embed/bbps.js`.
    pub fn measure(widget_dist: &Path, floor_dist: &Path, loader: &Path) -> Result<Payload> {
        let widget = vec![
            FileSize::of("widget wasm", &find(widget_dist, "bbps-widget-", "_bg.wasm")?)?,
            FileSize::of("widget JS glue", &find(widget_dist, "bbps-widget-", ".js")?)?,
            FileSize::of("widget CSS", &find(widget_dist, "widget-", ".css")?)?,
            FileSize::of("widget boot.js", &widget_dist.join("boot.js"))?,
        ];
        let floor = vec![
            FileSize::of("Yew counter wasm", &find(floor_dist, "yew-floor-", "_bg.wasm")?)?,
            FileSize::of("Yew counter JS glue", &find(floor_dist, "yew-floor-", ".js")?)?,
        ];
        Ok(Payload { widget, loader: FileSize::of("loader bbps.js", loader)?, floor })
    }

    pub fn widget_total(&self) -> FileSize {
        total("widget (all)", &self.widget)
    }

    pub fn floor_total(&self) -> FileSize {
        total("Yew counter (all)", &self.floor)
    }
}

/// Where `cargo xtask` puts the floor's build.
pub fn floor_dist() -> PathBuf {
    std::env::var_os("BBPS_FLOOR_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| crate::workspace_root().join("target/yew-floor-dist"))
}

pub fn loader_path() -> PathBuf {
    crate::workspace_root().join("embed/bbps.js")
}
