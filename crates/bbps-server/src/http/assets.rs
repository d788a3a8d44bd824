//! The widget's files as a phone downloads them: compressed once (brotli quality 11 and gzip level 9, the densest
//! each format offers) and kept in memory, then served in the best encoding the browser accepts. Compression runs
//! off the request path: a file not compressed yet is served as it is while a background task prepares it, so no
//! request ever waits for brotli.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use axum::http::HeaderValue;

/// Files worth compressing; wasm, JS, CSS and text shrink by two thirds or more, images are compressed already.
pub fn compressible(path: &Path) -> bool {
    matches!(path.extension().and_then(|e| e.to_str()), Some("wasm" | "js" | "mjs" | "css" | "html" | "svg" | "json"))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Brotli,
    Gzip,
    Identity,
}

impl Encoding {
    pub fn header(self) -> Option<HeaderValue> {
        match self {
            Encoding::Brotli => Some(HeaderValue::from_static("br")),
            Encoding::Gzip => Some(HeaderValue::from_static("gzip")),
            Encoding::Identity => None,
        }
    }
}

/// Which encodings an `Accept-Encoding` header allows (a `q=0` refuses one).
pub fn accepted(header: Option<&HeaderValue>) -> (bool, bool) {
    let (mut br, mut gzip) = (false, false);
    for item in header.and_then(|h| h.to_str().ok()).unwrap_or("").split(',') {
        let mut parts = item.split(';');
        let coding = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let refused =
            parts.any(|p| p.trim().strip_prefix("q=").is_some_and(|q| q.trim().parse::<f32>().is_ok_and(|q| q <= 0.0)));
        match coding.as_str() {
            "br" => br = !refused,
            "gzip" => gzip = !refused,
            "*" if !refused => (br, gzip) = (true, true),
            _ => {}
        }
    }
    (br, gzip)
}

/// A file's compressed forms, valid while the file keeps this length and modification time.
struct Compressed {
    stamp: (u64, SystemTime),
    gzip: Arc<Vec<u8>>,
    brotli: Arc<Vec<u8>>,
}

#[derive(Default)]
pub struct AssetCache {
    ready: Mutex<HashMap<PathBuf, Arc<Compressed>>>,
    pending: Mutex<Vec<PathBuf>>,
}

/// What to send for one request.
pub struct Body {
    pub bytes: Arc<Vec<u8>>,
    pub encoding: Encoding,
}

/// gzip level 9 and brotli quality 11 of `bytes`.
pub fn compress(bytes: &[u8]) -> std::io::Result<(Vec<u8>, Vec<u8>)> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(bytes)?;
    let gzip = gz.finish()?;
    let mut brotli = Vec::new();
    let params = brotli::enc::BrotliEncoderParams { quality: 11, lgwin: 22, ..Default::default() };
    brotli::BrotliCompress(&mut &bytes[..], &mut brotli, &params)?;
    Ok((gzip, brotli))
}

/// A page made per request, compressed at levels fast enough to run on every request (brotli 5, gzip 6: a few
/// hundred microseconds for the widget page) in the best encoding the browser accepts.
pub fn compress_page(bytes: Vec<u8>, accept: (bool, bool)) -> (Vec<u8>, Encoding) {
    let squeezed = match accept {
        (true, _) => {
            let mut out = Vec::new();
            let params = brotli::enc::BrotliEncoderParams { quality: 5, lgwin: 22, ..Default::default() };
            brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).ok().map(|_| (out, Encoding::Brotli))
        }
        (false, true) => {
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(6));
            gz.write_all(&bytes).and_then(|_| gz.finish()).ok().map(|out| (out, Encoding::Gzip))
        }
        (false, false) => None,
    };
    squeezed.unwrap_or((bytes, Encoding::Identity))
}

fn stamp(meta: &std::fs::Metadata) -> (u64, SystemTime) {
    (meta.len(), meta.modified().unwrap_or(SystemTime::UNIX_EPOCH))
}

impl AssetCache {
    /// The file at `path` in the best encoding allowed, or `None` if it cannot be read.
    pub async fn get(self: &Arc<Self>, path: &Path, accept: (bool, bool)) -> Option<Body> {
        let meta = tokio::fs::metadata(path).await.ok()?;
        let current = stamp(&meta);
        let cached = self.ready.lock().ok()?.get(path).filter(|c| c.stamp == current).cloned();
        match cached {
            Some(c) if accept.0 => return Some(Body { bytes: c.brotli.clone(), encoding: Encoding::Brotli }),
            Some(c) if accept.1 => return Some(Body { bytes: c.gzip.clone(), encoding: Encoding::Gzip }),
            Some(_) => {}
            None if compressible(path) => self.prepare(path.to_path_buf()),
            None => {}
        }
        let bytes = tokio::fs::read(path).await.ok()?;
        Some(Body { bytes: Arc::new(bytes), encoding: Encoding::Identity })
    }

    /// Compresses `path` in the background, once at a time per file.
    fn prepare(self: &Arc<Self>, path: PathBuf) {
        {
            let Ok(mut pending) = self.pending.lock() else { return };
            if pending.contains(&path) {
                return;
            }
            pending.push(path.clone());
        }
        let cache = self.clone();
        tokio::task::spawn_blocking(move || {
            let done = std::fs::metadata(&path).and_then(|meta| {
                let bytes = std::fs::read(&path)?;
                let (gzip, brotli) = compress(&bytes)?;
                Ok(Compressed { stamp: stamp(&meta), gzip: Arc::new(gzip), brotli: Arc::new(brotli) })
            });
            match done {
                Ok(c) => {
                    if let Ok(mut ready) = cache.ready.lock() {
                        ready.insert(path.clone(), Arc::new(c));
                    }
                }
                Err(e) => tracing::warn!(path = %path.display(), error = %e, "could not compress a widget file"),
            }
            if let Ok(mut pending) = cache.pending.lock() {
                pending.retain(|p| p != &path);
            }
        });
    }

    /// Starts compressing every compressible file of `dir`, so the first visitors already get them compressed.
    pub fn warm(self: &Arc<Self>, dir: &Path) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_file() && compressible(&path) {
                self.prepare(path);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(s: &str) -> HeaderValue {
        HeaderValue::from_str(s).unwrap_or_else(|_| HeaderValue::from_static(""))
    }

    #[test]
    fn reads_accept_encoding() {
        assert_eq!(accepted(Some(&h("gzip, deflate, br, zstd"))), (true, true));
        assert_eq!(accepted(Some(&h("gzip"))), (false, true));
        assert_eq!(accepted(Some(&h("br;q=0, gzip;q=0.5"))), (false, true));
        assert_eq!(accepted(Some(&h("*"))), (true, true));
        assert_eq!(accepted(Some(&h("identity"))), (false, false));
        assert_eq!(accepted(None), (false, false));
    }

    #[test]
    fn compressed_forms_decode_to_the_file() {
        let text = "fn main() {}\n".repeat(500);
        let (gzip, br) = compress(text.as_bytes()).unwrap_or_default();
        assert!(gzip.len() < text.len() / 10 && br.len() < gzip.len());
        let mut out = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&gzip[..]), &mut out).unwrap_or_default();
        assert_eq!(out, text.as_bytes());
        let mut out = Vec::new();
        brotli::BrotliDecompress(&mut &br[..], &mut out).unwrap_or_default();
        assert_eq!(out, text.as_bytes());
    }

    #[tokio::test]
    async fn serves_plain_until_compressed_then_the_best_encoding() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("app-0123456789abcdef.js");
        std::fs::write(&path, "console.log('hello');\n".repeat(200)).unwrap_or_default();
        let cache = Arc::new(AssetCache::default());
        let first = cache.get(&path, (true, true)).await.map(|b| b.encoding);
        assert_eq!(first, Some(Encoding::Identity), "never waits for compression");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        loop {
            let enc = cache.get(&path, (true, true)).await.map(|b| b.encoding);
            if enc == Some(Encoding::Brotli) {
                break;
            }
            assert!(std::time::Instant::now() < deadline, "compression never finished");
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        assert_eq!(cache.get(&path, (false, true)).await.map(|b| b.encoding), Some(Encoding::Gzip));
        assert_eq!(cache.get(&path, (false, false)).await.map(|b| b.encoding), Some(Encoding::Identity));
        // A rebuilt file is not served from the old compressed copy.
        std::fs::write(&path, "changed").unwrap_or_default();
        let body = cache.get(&path, (true, true)).await;
        assert_eq!(body.map(|b| (b.encoding, b.bytes.len())), Some((Encoding::Identity, 7)));
    }
}
