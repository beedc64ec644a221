//! A local Microsoft Graph-compatible server for drive uploads, for tests, examples and the CLI.
//!
//! It serves the drive upload protocol as the Graph docs describe it — `createUploadSession`
//! on the seed page's routes, slices `PUT` to a pre-authenticated upload URL, status, cancel,
//! explicit commit, expiry — plus enough of the drive API to check the result (item metadata,
//! content download, small uploads, children with paging, `/me`, `/me/drive`). Content is stored
//! on disk in a temporary folder and streamed, never held whole in memory. Faults can be injected
//! (dropped connections, 5xx, 429 with `Retry-After`, expired sessions), and every request is
//! recorded so tests can assert on what reached the server.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! let emu = graph_docs_emulator::Emulator::builder().token("t").start().await?;
//! println!("{}", emu.base_url()); // http://127.0.0.1:PORT/v1.0
//! emu.faults().status_on_slice(2, 503);
//! // ... upload through emu.base_url() with `Authorization: Bearer t` ...
//! assert!(emu.upload_requests().iter().all(|r| !r.authorization));
//! emu.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! See the crate README for the routes served and the exact validation rules.
#![deny(missing_docs)]

mod conn;
mod faults;
mod routes;
mod server;
mod store;

use std::collections::HashMap;
use std::io;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;
use sha2::{Digest, Sha256};

pub use faults::{Fault, FaultKind, Faults, FiredFault, Trigger};

use server::{lock, Config, Shared};
use store::{Conflict, Store};

/// Every slice but the last must be a multiple of this many bytes (320 KiB).
pub const SLICE_MULTIPLE: u64 = server::SLICE_MULTIPLE;
/// A slice must be smaller than this many bytes (60 MiB); larger ones get `413`.
pub const MAX_SLICE: u64 = server::MAX_SLICE;
/// The default limit of a one-shot `PUT .../content` upload (4 MiB).
pub const DEFAULT_SIMPLE_UPLOAD_LIMIT: u64 = 4 * 1024 * 1024;

/// The SHA-256 of `data`, lower-case hex (to compare with [`Emulator::sha256_of`]).
pub fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// The SHA-256 of the file at `path`, lower-case hex, read in a streaming way.
pub fn sha256_file(path: impl AsRef<std::path::Path>) -> io::Result<String> {
    let mut f = std::fs::File::open(path)?;
    let mut h = Sha256::new();
    io::copy(&mut f, &mut h)?;
    Ok(hex::encode(h.finalize()))
}

/// One request as the server received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedRequest {
    /// 1-based number of the request since the emulator started (the [`Trigger::Request`]
    /// counter).
    pub index: u64,
    /// The HTTP method.
    pub method: String,
    /// The path and query, as sent (e.g. `/v1.0/me/drive/root:/a.bin:/createUploadSession`).
    pub path: String,
    /// Every header, names in lower case, values as received (the token included).
    pub headers: Vec<(String, String)>,
    /// Whether an `Authorization` header was present.
    pub authorization: bool,
    /// The `Content-Range` header, if any.
    pub content_range: Option<String>,
    /// The `Content-Length` header, if any.
    pub content_length: Option<u64>,
    /// Whether the request went to an upload URL (rather than the API).
    pub upload: bool,
    /// Whether the request went to a download URL (`/dl/{id}`, see
    /// [`EmulatorBuilder::redirect_downloads`]).
    pub download: bool,
    /// For a `PUT` to an upload URL: its 1-based slice number (the [`Trigger::Slice`] counter).
    pub slice: Option<u64>,
    /// The status answered; `None` when the connection was dropped without an answer.
    pub status: Option<u16>,
}

impl RecordedRequest {
    /// A header's value (name case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The `(start, end, total)` of the `Content-Range: bytes start-end/total` header, if any.
    pub fn range(&self) -> Option<(u64, u64, u64)> {
        let v = self.content_range.as_deref()?;
        let rest = v.trim().strip_prefix("bytes")?.trim_start();
        let (range, total) = rest.split_once('/')?;
        let (a, b) = range.split_once('-')?;
        Some((a.parse().ok()?, b.parse().ok()?, total.parse().ok()?))
    }
}

/// Builds and starts an [`Emulator`].
#[derive(Debug, Clone)]
pub struct EmulatorBuilder {
    token: String,
    session_lifetime: Duration,
    simple_upload_limit: u64,
    page_size: usize,
    drive_id: String,
    addr: SocketAddr,
    storage_parent: Option<PathBuf>,
    redirect_downloads: bool,
}

impl Default for EmulatorBuilder {
    fn default() -> Self {
        EmulatorBuilder {
            token: "emulator-token".into(),
            session_lifetime: Duration::from_secs(3600),
            simple_upload_limit: DEFAULT_SIMPLE_UPLOAD_LIMIT,
            page_size: 200,
            drive_id: "b!emulator-drive".into(),
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            storage_parent: None,
            redirect_downloads: false,
        }
    }
}

impl EmulatorBuilder {
    /// The bearer token API routes accept (default `emulator-token`).
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = token.into();
        self
    }

    /// How long an upload session lives without activity (default one hour). Each accepted
    /// slice extends it by this much.
    pub fn session_lifetime(mut self, d: Duration) -> Self {
        self.session_lifetime = d;
        self
    }

    /// The largest body `PUT .../content` accepts (default 4 MiB). Raise it to compare one
    /// plain `PUT` with an upload session in a benchmark.
    pub fn simple_upload_limit(mut self, bytes: u64) -> Self {
        self.simple_upload_limit = bytes;
        self
    }

    /// The page size of children listings without `$top` (default 200).
    pub fn page_size(mut self, n: usize) -> Self {
        self.page_size = n.max(1);
        self
    }

    /// The id of the emulated drive (default `b!emulator-drive`).
    pub fn drive_id(mut self, id: impl Into<String>) -> Self {
        self.drive_id = id.into();
        self
    }

    /// The address to listen on (default `127.0.0.1:0`, a free port).
    pub fn bind(mut self, addr: SocketAddr) -> Self {
        self.addr = addr;
        self
    }

    /// Makes `GET .../content` answer `302` to a pre-authenticated download URL, as the service
    /// does, instead of the bytes. The download URL is `http://localhost:PORT/dl/{id}` — the same
    /// server under another host name, so a client sees a foreign host (and must not send its
    /// token there: requests with `Authorization` get `401`). Default: off (bytes directly).
    pub fn redirect_downloads(mut self, on: bool) -> Self {
        self.redirect_downloads = on;
        self
    }

    /// Creates the temporary storage folder inside `dir` instead of the system temp folder.
    pub fn storage_in(mut self, dir: impl Into<PathBuf>) -> Self {
        self.storage_parent = Some(dir.into());
        self
    }

    /// Binds the port and starts serving on the current tokio runtime.
    pub async fn start(self) -> io::Result<Emulator> {
        let dir = match &self.storage_parent {
            Some(p) => tempfile::Builder::new()
                .prefix("graph-docs-emulator-")
                .tempdir_in(p)?,
            None => tempfile::Builder::new()
                .prefix("graph-docs-emulator-")
                .tempdir()?,
        };
        let content_dir = dir.path().join("items");
        let sessions_dir = dir.path().join("sessions");
        std::fs::create_dir_all(&content_dir)?;
        std::fs::create_dir_all(&sessions_dir)?;
        let listener = tokio::net::TcpListener::bind(self.addr).await?;
        let addr = listener.local_addr()?;
        let origin = format!("http://{addr}");
        let shared = Arc::new(Shared {
            config: Config {
                token: self.token.clone(),
                session_lifetime: self.session_lifetime,
                simple_upload_limit: self.simple_upload_limit,
                page_size: self.page_size,
                redirect_downloads: self.redirect_downloads,
            },
            origin: origin.clone(),
            download_origin: format!("http://localhost:{}", addr.port()),
            store: Mutex::new(Store::new(self.drive_id, content_dir)),
            sessions: Mutex::new(HashMap::new()),
            sessions_dir,
            faults: Faults::default(),
            records: Mutex::new(Vec::new()),
            requests: AtomicU64::new(0),
            slices: AtomicU64::new(0),
        });
        let app = axum::Router::new()
            .fallback(server::handle)
            .with_state(shared.clone())
            .into_make_service_with_connect_info::<conn::ConnKill>();
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let _ = axum::serve(conn::KillableListener(listener), app)
                .with_graceful_shutdown(async {
                    let _ = rx.await;
                })
                .await;
        });
        Ok(Emulator {
            shared,
            addr,
            origin,
            stop: Some(tx),
            task: Some(task),
            _dir: dir,
        })
    }
}

/// A running emulator. Stops when [`Emulator::shutdown`] is awaited or when dropped; the
/// storage folder is deleted then.
#[derive(Debug)]
pub struct Emulator {
    shared: Arc<Shared>,
    addr: SocketAddr,
    origin: String,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
    _dir: tempfile::TempDir,
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shared")
            .field("origin", &self.origin)
            .finish_non_exhaustive()
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
    }
}

impl Emulator {
    /// A builder with the defaults (token `emulator-token`, `127.0.0.1:0`).
    pub fn builder() -> EmulatorBuilder {
        EmulatorBuilder::default()
    }

    /// Starts an emulator with the defaults.
    pub async fn start() -> io::Result<Emulator> {
        EmulatorBuilder::default().start().await
    }

    /// The API base URL, `http://127.0.0.1:PORT/v1.0` (`/beta` is served too).
    pub fn base_url(&self) -> String {
        format!("{}/v1.0", self.origin)
    }

    /// `http://127.0.0.1:PORT`.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The socket address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The bearer token API routes accept.
    pub fn token(&self) -> &str {
        &self.shared.config.token
    }

    /// The emulated drive's id.
    pub fn drive_id(&self) -> String {
        lock(&self.shared.store).drive_id.clone()
    }

    /// The root folder's id.
    pub fn root_id(&self) -> String {
        lock(&self.shared.store).root_id.clone()
    }

    /// The fault-injection handle.
    pub fn faults(&self) -> &Faults {
        &self.shared.faults
    }

    /// Every request received so far, in arrival order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        let mut v = lock(&self.shared.records).clone();
        v.sort_by_key(|r| r.index);
        v
    }

    /// The requests that went to upload URLs.
    pub fn upload_requests(&self) -> Vec<RecordedRequest> {
        self.requests().into_iter().filter(|r| r.upload).collect()
    }

    /// Forgets the recorded requests (the counters keep counting).
    pub fn clear_requests(&self) {
        lock(&self.shared.records).clear();
    }

    /// How many `PUT`s upload URLs have received (the [`Trigger::Slice`] counter).
    pub fn slices_received(&self) -> u64 {
        self.shared.slices.load(Ordering::SeqCst)
    }

    /// The number of upload sessions that are open (not completed, cancelled or expired).
    pub fn open_sessions(&self) -> usize {
        let now = chrono::Utc::now();
        lock(&self.shared.sessions)
            .values()
            .filter(|s| s.expires > now)
            .count()
    }

    /// Expires every open upload session now: further requests to their URLs get `404`.
    pub fn expire_sessions(&self) {
        self.shared.expire_all();
    }

    /// The id of the item at `path` below the root (`folder/file.txt`; empty for the root).
    pub fn id_of(&self, path: &str) -> Option<String> {
        let store = lock(&self.shared.store);
        let parts: Vec<String> = path
            .split('/')
            .filter(|p| !p.is_empty())
            .map(str::to_string)
            .collect();
        let root = store.root_id.clone();
        store.lookup(&root, &parts)
    }

    /// The DriveItem JSON of an item, as `GET /me/drive/items/{id}` returns it.
    pub fn item(&self, id: &str) -> Option<Value> {
        lock(&self.shared.store).item_json(id)
    }

    /// The DriveItem JSON of the item at `path` below the root.
    pub fn item_by_path(&self, path: &str) -> Option<Value> {
        let id = self.id_of(path)?;
        self.item(&id)
    }

    /// The path below the root of an item (`folder/file.txt`).
    pub fn path_of(&self, id: &str) -> Option<String> {
        let store = lock(&self.shared.store);
        store.get(id)?;
        Some(store.rel_path(id))
    }

    /// The stored content of a file item, read from disk (`None` for folders and unknown ids).
    /// Meant for small files in tests; use [`Emulator::sha256_of_item`] for big ones.
    pub fn item_content(&self, id: &str) -> Option<Vec<u8>> {
        let path = {
            let store = lock(&self.shared.store);
            let (size, _) = store.file_info(id)?;
            if size == 0 {
                return Some(Vec::new());
            }
            store.content_path(id)
        };
        std::fs::read(path).ok()
    }

    /// The SHA-256 (lower-case hex) of a file item's stored bytes, computed by reading them back
    /// from disk. (The `sha256Hash` in item JSON is the hash computed while receiving, upper
    /// case, as the service writes it.)
    pub fn sha256_of_item(&self, id: &str) -> Option<String> {
        let path = {
            let store = lock(&self.shared.store);
            let (size, _) = store.file_info(id)?;
            if size == 0 {
                return Some(hex::encode(Sha256::digest(b"")));
            }
            store.content_path(id)
        };
        let mut f = std::fs::File::open(path).ok()?;
        let mut h = Sha256::new();
        io::copy(&mut f, &mut h).ok()?;
        Some(hex::encode(h.finalize()))
    }

    /// The SHA-256 (lower-case hex) of the stored bytes of the file at `path` below the root.
    pub fn sha256_of(&self, path: &str) -> Option<String> {
        let id = self.id_of(path)?;
        self.sha256_of_item(&id)
    }

    /// Creates (or replaces) a file at `path` below the root with `content`, creating folders
    /// on the way; returns its id. For setting up tests.
    pub fn put_file(&self, path: &str, content: &[u8]) -> io::Result<String> {
        let parts: Vec<String> = path
            .split('/')
            .filter(|p| !p.is_empty())
            .map(str::to_string)
            .collect();
        let bad = |m: String| io::Error::new(io::ErrorKind::InvalidInput, m);
        let mut store = lock(&self.shared.store);
        let root = store.root_id.clone();
        let dest = store
            .dest(&root, &parts, None, Conflict::Replace)
            .map_err(|e| bad(e.message))?;
        let sha: [u8; 32] = Sha256::digest(content).into();
        let (id, _) = store
            .commit(&dest, content.len() as u64, sha)
            .map_err(|e| bad(e.message))?;
        std::fs::write(store.content_path(&id), content)?;
        Ok(id)
    }

    /// Creates the folders of `path` below the root (like `mkdir -p`); returns the last id.
    pub fn create_folder(&self, path: &str) -> io::Result<String> {
        let parts: Vec<String> = path
            .split('/')
            .filter(|p| !p.is_empty())
            .map(str::to_string)
            .collect();
        lock(&self.shared.store)
            .ensure_folders(&parts)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e.message))
    }

    /// Stops the server: stops accepting, lets requests in flight finish (up to 5 s), then
    /// deletes the storage folder.
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let abort = task.abort_handle();
            if tokio::time::timeout(Duration::from_secs(5), task)
                .await
                .is_err()
            {
                abort.abort();
            }
        }
    }
}
