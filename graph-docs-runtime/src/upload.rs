//! Large file uploads through upload sessions (`createUploadSession`): chunked, resumable,
//! streamed from disk, with progress.
//!
//! ```no_run
//! # async fn demo(create: graph_docs_runtime::Request<graph_docs_runtime::NoContent>)
//! # -> Result<(), graph_docs_runtime::Error> {
//! use graph_docs_runtime::upload::UploadBuilder;
//! // `create` is the generated `create_upload_session()` request of any seed route, e.g.
//! // client.me().drive().items().by_id(parent).item_by_path("big.iso").create_upload_session()
//! let item: serde_json::Value = UploadBuilder::new(create)
//!     .slice_size(10 * 1024 * 1024)?               // a multiple of 320 KiB, < 60 MiB
//!     .progress(|done, total| eprintln!("{done}/{total}"))
//!     .upload_file("big.iso")
//!     .await?;
//! # Ok(()) }
//! ```
//!
//! How it talks to the service (as the Graph docs describe the protocol):
//!
//! - the session is created with the request given (its JSON body gets `item.fileSize` if it has
//!   none); the answer's `uploadUrl` is pre-authenticated, so every request to it is sent
//!   **without** `Authorization`;
//! - each slice is a `PUT` with `Content-Length` and `Content-Range: bytes start-end/total`,
//!   read from the file just before it is sent (memory stays O(slice size));
//! - `202` carries `nextExpectedRanges`: the next slice starts at the server's next expected byte,
//!   not at the client's guess; `200`/`201` carry the finished item;
//! - a dropped connection, a timeout, a `5xx`, a `429` or a `416` is followed by a wait (the
//!   `Retry-After` the service asked for, else exponential backoff with jitter) and a status
//!   request (`GET uploadUrl`); the upload resumes from the `nextExpectedRanges` it returns. The
//!   retry budget ([`RetryPolicy::retries`]) counts failures in a row and is renewed by every
//!   slice the server confirms;
//! - `404` means the session expired (or was cancelled): a clear [`Error::Api`] says so;
//! - a `deferCommit` session (the last slice answered `202` with no ranges left) is committed
//!   with an empty `POST` to the upload URL;
//! - [`Upload::cancel`] sends `DELETE uploadUrl`;
//! - an [`UploadSessionState`] (upload URL and file identity) can be saved and handed to
//!   [`UploadBuilder::resume`] after a restart: it asks the status first and never sends bytes
//!   the server already confirmed.

use std::fmt;
use std::marker::PhantomData;
use std::path::{Path as FsPath, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http::header::{CONTENT_LENGTH, CONTENT_RANGE};
use http::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::client::{ExecuteOptions, ResponseInfo};
use crate::response::{Binary, Json, ResponseKind};
use crate::retry::RetryPolicy;
use crate::{ActionRequest, Client, Error, Request};

/// Every slice but the last must be a multiple of this many bytes (320 KiB).
pub const SLICE_MULTIPLE: u64 = 327_680;
/// Slices must be smaller than this many bytes (60 MiB).
pub const MAX_SLICE: u64 = 60 * 1024 * 1024;
/// The default slice size: 10 MiB (32 × 320 KiB).
pub const DEFAULT_SLICE_SIZE: u64 = 32 * SLICE_MULTIPLE;
/// Files up to this size (4 MiB) may be uploaded with one `PUT .../content`
/// ([`UploadBuilder::small_upload`]).
pub const SMALL_UPLOAD_LIMIT: u64 = 4 * 1024 * 1024;

/// What `createUploadSession` and the upload URL's status request answer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadSessionInfo {
    /// The pre-authenticated URL slices are sent to (no `Authorization` header).
    #[serde(rename = "uploadUrl", default, skip_serializing_if = "Option::is_none")]
    pub upload_url: Option<String>,
    /// When the session expires (RFC 3339), as the service said.
    #[serde(
        rename = "expirationDateTime",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub expiration_date_time: Option<String>,
    /// The byte ranges the service still needs (`"26-"`, `"0-9"`); empty when it has all bytes.
    #[serde(rename = "nextExpectedRanges", default)]
    pub next_expected_ranges: Vec<String>,
}

impl UploadSessionInfo {
    /// The first byte the service still needs: the smallest start among `nextExpectedRanges`
    /// (`None` when the list is empty, i.e. every byte arrived). A range that does not parse is
    /// an error.
    pub fn next_expected_byte(&self) -> Result<Option<u64>, Error> {
        let mut first: Option<u64> = None;
        for r in &self.next_expected_ranges {
            let start = r.trim().split('-').next().unwrap_or("");
            let start: u64 = start.trim().parse().map_err(|_| Error::Decode {
                type_name: "nextExpectedRanges",
                message: format!("`{r}` is not a byte range (`start-` or `start-end`)"),
                excerpt: r.chars().take(200).collect(),
            })?;
            first = Some(first.map_or(start, |f| f.min(start)));
        }
        Ok(first)
    }
}

/// The file an upload session is for: the path, and the size and modification time it had when
/// the session was created. [`UploadBuilder::resume`] refuses a file that changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileIdentity {
    /// The path as given.
    pub path: PathBuf,
    /// The size in bytes.
    pub size: u64,
    /// The modification time, where the platform reports one.
    pub modified: Option<SystemTime>,
}

impl FileIdentity {
    /// Reads the identity of the file at `path`.
    pub async fn of(path: impl AsRef<FsPath>) -> Result<FileIdentity, Error> {
        let path = path.as_ref();
        let meta = tokio::fs::metadata(path)
            .await
            .map_err(|e| Error::InvalidInput(format!("cannot read `{}`: {e}", path.display())))?;
        if !meta.is_file() {
            return Err(Error::InvalidInput(format!(
                "`{}` is not a regular file",
                path.display()
            )));
        }
        Ok(FileIdentity {
            path: path.to_path_buf(),
            size: meta.len(),
            modified: meta.modified().ok(),
        })
    }
}

/// Everything needed to continue an upload after the process restarts: save it (it is
/// `Serialize`/`Deserialize`) and pass it to [`UploadBuilder::resume`].
///
/// The upload URL is a credential (anyone holding it can write the file until the session
/// expires): `Debug` shows only its origin. Store it as you would a token.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadSessionState {
    /// The session's pre-authenticated upload URL.
    pub upload_url: String,
    /// When the session expires, as the service last said (RFC 3339).
    pub expiration_date_time: Option<String>,
    /// The file being uploaded.
    pub file: FileIdentity,
    /// The slice size in use.
    pub slice_size: u64,
}

impl UploadSessionState {
    /// The total number of bytes to upload (the file size).
    pub fn total(&self) -> u64 {
        self.file.size
    }

    /// Cancels the session: `DELETE uploadUrl` (without `Authorization`). A session that is
    /// already gone (`404`) counts as cancelled.
    pub async fn cancel(&self, client: &Client) -> Result<(), Error> {
        let response = send_upload(
            client,
            Method::DELETE,
            &self.upload_url,
            Vec::new(),
            Bytes::new(),
            None,
        )
        .await?;
        let status = response.status();
        if status.is_success() || status == StatusCode::NOT_FOUND {
            Ok(())
        } else {
            Err(api_error(&Method::DELETE, &self.upload_url, &response))
        }
    }
}

impl fmt::Debug for UploadSessionState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UploadSessionState")
            .field("upload_url", &redact(&self.upload_url))
            .field("expiration_date_time", &self.expiration_date_time)
            .field("file", &self.file)
            .field("slice_size", &self.slice_size)
            .finish()
    }
}

/// `https://host/<redacted>`: the path and query of an upload URL are its secret.
fn redact(url: &str) -> String {
    match url.parse::<http::Uri>() {
        Ok(u) => match (u.scheme_str(), u.authority()) {
            (Some(s), Some(a)) => format!("{s}://{a}/<redacted>"),
            _ => "<redacted>".to_string(),
        },
        Err(_) => "<redacted>".to_string(),
    }
}

type ProgressFn = Arc<dyn Fn(u64, u64) + Send + Sync>;
type SessionFn = Arc<dyn Fn(&UploadSessionState) + Send + Sync>;

/// Options shared by the builder and a running [`Upload`].
#[derive(Clone)]
struct Options {
    slice_size: u64,
    retry: RetryPolicy,
    timeout: Option<Duration>,
    progress: Option<ProgressFn>,
    on_session: Option<SessionFn>,
}

/// Configures and starts an upload through an upload session. `T` is what the finished item
/// decodes into (`serde_json::Value` unless [`UploadBuilder::decode_as`] says otherwise).
pub struct UploadBuilder<T = Value> {
    client: Client,
    create: Option<Request<Json<UploadSessionInfo>>>,
    small: Option<Request<Binary>>,
    options: Options,
    invalid: Option<String>,
    _item: PhantomData<fn() -> T>,
}

impl<T> fmt::Debug for UploadBuilder<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UploadBuilder")
            .field("create", &self.create)
            .field("small_upload", &self.small)
            .field("slice_size", &self.options.slice_size)
            .field("retry", &self.options.retry)
            .field("timeout", &self.options.timeout)
            .finish_non_exhaustive()
    }
}

/// Checks a slice size: a multiple of 320 KiB (327,680 bytes), at least one, under 60 MiB.
pub fn check_slice_size(bytes: u64) -> Result<(), Error> {
    if bytes == 0 || bytes % SLICE_MULTIPLE != 0 || bytes >= MAX_SLICE {
        let below = (bytes / SLICE_MULTIPLE).max(1) * SLICE_MULTIPLE;
        return Err(Error::InvalidInput(format!(
            "slice size {bytes} is not allowed: upload slices must be a multiple of 320 KiB \
             (327,680 bytes) and smaller than 60 MiB (62,914,560 bytes), e.g. {} or the default \
             {DEFAULT_SLICE_SIZE} (10 MiB)",
            below.min(MAX_SLICE - SLICE_MULTIPLE)
        )));
    }
    Ok(())
}

impl UploadBuilder<Value> {
    /// Starts from the `createUploadSession` request of any route (whatever its response kind;
    /// the answer is read as [`UploadSessionInfo`]). The request's JSON body, if it has one,
    /// gets `item.fileSize` set to the file size unless it is already there.
    pub fn new<K: ResponseKind>(create_session: Request<K>) -> UploadBuilder<Value> {
        let client = create_session.client().clone();
        let mut b = UploadBuilder::for_client(&client);
        b.create = Some(create_session.decode_as());
        b
    }

    /// Starts from a generated action builder's request (`create_upload_session().item(..)
    /// .defer_commit(..)`), whose body type `B` is serialised as JSON.
    pub fn from_action<B: Serialize, K: ResponseKind>(
        action: ActionRequest<B, K>,
    ) -> UploadBuilder<Value> {
        UploadBuilder::new(action.into_request())
    }

    /// A builder without a create request, to [`resume`](Self::resume) a saved session.
    pub fn for_client(client: &Client) -> UploadBuilder<Value> {
        UploadBuilder {
            client: client.clone(),
            create: None,
            small: None,
            options: Options {
                slice_size: DEFAULT_SLICE_SIZE,
                retry: RetryPolicy::default().max_retries(5),
                timeout: None,
                progress: None,
                on_session: None,
            },
            invalid: None,
            _item: PhantomData,
        }
    }
}

impl<T: DeserializeOwned> UploadBuilder<T> {
    /// Decodes the finished item as `U` (e.g. the generated `models::DriveItem`).
    pub fn decode_as<U: DeserializeOwned>(self) -> UploadBuilder<U> {
        UploadBuilder {
            client: self.client,
            create: self.create,
            small: self.small,
            options: self.options,
            invalid: self.invalid,
            _item: PhantomData,
        }
    }

    /// Sets the slice size: a multiple of 320 KiB (327,680 bytes) smaller than 60 MiB; default
    /// 10 MiB (32 × 320 KiB). Other sizes are an [`Error::InvalidInput`].
    pub fn slice_size(mut self, bytes: u64) -> Result<Self, Error> {
        check_slice_size(bytes)?;
        self.options.slice_size = bytes;
        Ok(self)
    }

    /// Calls `f(confirmed, total)` whenever the server confirms bytes (and once at the start
    /// with what it already had). `confirmed` is the server's next expected byte.
    pub fn progress(mut self, f: impl Fn(u64, u64) + Send + Sync + 'static) -> Self {
        self.options.progress = Some(Arc::new(f));
        self
    }

    /// Calls `f(&state)` once the session exists, before the first slice: the place to save
    /// the state for [`resume`](Self::resume) after a restart.
    pub fn on_session(mut self, f: impl Fn(&UploadSessionState) + Send + Sync + 'static) -> Self {
        self.options.on_session = Some(Arc::new(f));
        self
    }

    /// How failed slices are retried: how many failures in a row are allowed (default 5) and
    /// the backoff when the service sends no `Retry-After` (default from 1 s, up to 60 s).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.options.retry = policy;
        self
    }

    /// The timeout of one slice request (default: the client's per-request timeout).
    pub fn slice_timeout(mut self, timeout: Duration) -> Self {
        self.options.timeout = Some(timeout);
        self
    }

    /// Uploads files of up to 4 MiB with this one-shot `PUT .../content` request instead of a
    /// session (the file's bytes become its body, `application/octet-stream`).
    pub fn small_upload<K: ResponseKind>(mut self, put_content: Request<K>) -> Self {
        if put_content.operation().method != "PUT" {
            self.invalid = Some(format!(
                "small_upload needs a PUT .../content request, not {} ({})",
                put_content.operation().method,
                put_content.operation().name
            ));
        }
        self.small = Some(put_content.decode_as());
        self
    }

    /// Uploads the file at `path` and returns the finished item: a one-shot `PUT` for a small
    /// file when [`small_upload`](Self::small_upload) was given, else an upload session.
    pub async fn upload_file(self, path: impl AsRef<FsPath>) -> Result<T, Error> {
        let path = path.as_ref();
        if let Some(msg) = &self.invalid {
            return Err(Error::InvalidInput(msg.clone()));
        }
        let identity = FileIdentity::of(path).await?;
        if identity.size <= SMALL_UPLOAD_LIMIT {
            if let Some(put) = self.small.clone() {
                return self.put_small(put, &identity).await;
            }
        }
        let mut upload = self.start(path).await?;
        upload.run().await
    }

    async fn put_small(self, put: Request<Binary>, identity: &FileIdentity) -> Result<T, Error> {
        let data = tokio::fs::read(&identity.path).await.map_err(|e| {
            Error::InvalidInput(format!("cannot read `{}`: {e}", identity.path.display()))
        })?;
        if data.len() as u64 != identity.size {
            return Err(changed(&identity.path));
        }
        let total = identity.size;
        report(&self.options.progress, 0, total);
        let item = put
            .bytes("application/octet-stream", data)
            .decode_as::<Json<T>>()
            .send()
            .await?;
        report(&self.options.progress, total, total);
        Ok(item)
    }

    /// Creates the session for the file at `path` and returns the [`Upload`], ready to
    /// [`run`](Upload::run) (nothing is sent to the upload URL yet). Its
    /// [`state`](Upload::state) can be saved for [`resume`](Self::resume).
    pub async fn start(self, path: impl AsRef<FsPath>) -> Result<Upload<T>, Error> {
        if let Some(msg) = &self.invalid {
            return Err(Error::InvalidInput(msg.clone()));
        }
        let identity = FileIdentity::of(path.as_ref()).await?;
        if identity.size == 0 {
            return Err(Error::InvalidInput(format!(
                "`{}` is empty: an upload session cannot carry 0 bytes; upload it with \
                 PUT .../content (UploadBuilder::small_upload)",
                identity.path.display()
            )));
        }
        let Some(create) = self.create.clone() else {
            return Err(Error::InvalidInput(
                "this UploadBuilder has no createUploadSession request (it was made with \
                 for_client, which can only resume)"
                    .to_string(),
            ));
        };
        let create = with_file_size(create, identity.size)?;
        let info = create.send().await?;
        let Some(upload_url) = info.upload_url.clone() else {
            return Err(Error::Decode {
                type_name: "UploadSessionInfo",
                message: "the createUploadSession answer has no uploadUrl".to_string(),
                excerpt: serde_json::to_string(&info).unwrap_or_default(),
            });
        };
        let next = info.next_expected_byte()?.unwrap_or(0);
        let state = UploadSessionState {
            upload_url,
            expiration_date_time: info.expiration_date_time,
            file: identity,
            slice_size: self.options.slice_size,
        };
        if let Some(f) = &self.options.on_session {
            f(&state);
        }
        Ok(Upload {
            client: self.client,
            state,
            options: self.options,
            next: Some(next),
            _item: PhantomData,
        })
    }

    /// Continues a saved upload after a restart: checks that the file is unchanged, asks the
    /// session's status, and uploads only what the server still needs.
    pub async fn resume(
        self,
        state: UploadSessionState,
        path: impl AsRef<FsPath>,
    ) -> Result<T, Error> {
        let mut upload = self.attach(state, path).await?;
        upload.run().await
    }

    /// [`resume`](Self::resume) without running: checks the file, asks the status, and returns
    /// the [`Upload`] positioned at the server's next expected byte.
    pub async fn attach(
        self,
        state: UploadSessionState,
        path: impl AsRef<FsPath>,
    ) -> Result<Upload<T>, Error> {
        if let Some(msg) = &self.invalid {
            return Err(Error::InvalidInput(msg.clone()));
        }
        check_slice_size(state.slice_size)?;
        let now = FileIdentity::of(path.as_ref()).await?;
        if now.size != state.file.size
            || (now.modified.is_some()
                && state.file.modified.is_some()
                && now.modified != state.file.modified)
        {
            return Err(changed(path.as_ref()));
        }
        let mut options = self.options;
        options.slice_size = state.slice_size;
        let mut upload = Upload {
            client: self.client,
            state: UploadSessionState {
                file: FileIdentity {
                    path: path.as_ref().to_path_buf(),
                    ..now
                },
                ..state
            },
            options,
            next: None,
            _item: PhantomData,
        };
        let mut failures = 0;
        upload.next = loop {
            match upload.status().await {
                Ok(next) => break next,
                Err(f) => upload.after_failure(f, &mut failures).await?,
            }
        };
        Ok(upload)
    }
}

fn changed(path: &FsPath) -> Error {
    Error::InvalidInput(format!(
        "`{}` changed since its upload session was created (size or modification time differ); \
         start a new upload",
        path.display()
    ))
}

/// Sets `item.fileSize` in a create request's JSON body, unless it is there already.
fn with_file_size(
    create: Request<Json<UploadSessionInfo>>,
    size: u64,
) -> Result<Request<Json<UploadSessionInfo>>, Error> {
    let built = create.build()?;
    let body = built.body();
    if body.is_empty() {
        return Ok(create.json(&serde_json::json!({ "item": { "fileSize": size } })));
    }
    let Ok(mut v) = serde_json::from_slice::<Value>(body) else {
        return Ok(create);
    };
    if let Some(obj) = v.as_object_mut() {
        let item = obj
            .entry("item")
            .or_insert_with(|| Value::Object(Default::default()));
        if item.is_null() {
            *item = Value::Object(Default::default());
        }
        if let Some(item) = item.as_object_mut() {
            item.entry("fileSize").or_insert(Value::from(size));
        }
        return Ok(create.json(&v));
    }
    Ok(create)
}

fn report(progress: &Option<ProgressFn>, done: u64, total: u64) {
    if let Some(f) = progress {
        f(done, total);
    }
}

/// A failure that may be retried: the wait the service asked for, and the error to return if
/// the budget is spent.
struct Failure {
    retry_after: Option<Duration>,
    error: Error,
    /// Not worth retrying (expired session, bad request, undecodable answer, ...).
    fatal: bool,
}

/// What the upload URL answered to a slice.
enum SliceOutcome<T> {
    /// Continue from this byte (`None`: every byte is there; commit).
    Next(Option<u64>),
    /// The finished item.
    Done(T),
}

/// An upload session in progress. Drop [`run`](Upload::run)'s future at any point (or let the
/// process die): the [`state`](Upload::state) stays valid for [`UploadBuilder::resume`] until
/// the session expires.
pub struct Upload<T = Value> {
    client: Client,
    state: UploadSessionState,
    options: Options,
    /// The server's next expected byte as last known (`None`: all bytes are there).
    next: Option<u64>,
    _item: PhantomData<fn() -> T>,
}

impl<T> fmt::Debug for Upload<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Upload")
            .field("state", &self.state)
            .field("confirmed", &self.confirmed())
            .finish_non_exhaustive()
    }
}

impl<T> Upload<T> {
    /// The state to save for [`UploadBuilder::resume`].
    pub fn state(&self) -> &UploadSessionState {
        &self.state
    }

    /// The bytes the server has confirmed, as last known.
    pub fn confirmed(&self) -> u64 {
        self.next.unwrap_or(self.state.file.size)
    }

    /// Cancels the session: `DELETE uploadUrl`.
    pub async fn cancel(self) -> Result<(), Error> {
        self.state.cancel(&self.client).await
    }
}

impl<T: DeserializeOwned> Upload<T> {
    /// Sends the remaining slices (and the commit of a `deferCommit` session) and returns the
    /// finished item.
    pub async fn run(&mut self) -> Result<T, Error> {
        let total = self.state.file.size;
        let file = match tokio::fs::File::open(&self.state.file.path).await {
            Ok(f) => f.into_std().await,
            Err(e) => {
                return Err(Error::InvalidInput(format!(
                    "cannot open `{}`: {e}",
                    self.state.file.path.display()
                )))
            }
        };
        let reader = SliceReader {
            file: Arc::new(std::sync::Mutex::new(file)),
            path: self.state.file.path.clone(),
        };
        // The next slice is read from disk while the current one is on the wire (at most two
        // slices in memory); it is used if the server then expects exactly that byte.
        let mut prefetch: Option<(u64, tokio::task::JoinHandle<Result<Bytes, Error>>)> = None;
        let mut spare: Vec<bytes::BytesMut> = Vec::new();
        report(&self.options.progress, self.confirmed(), total);
        let mut failures = 0u32;
        loop {
            let Some(start) = self.next else {
                match self.commit().await {
                    Ok(item) => {
                        self.next = None;
                        report(&self.options.progress, total, total);
                        return Ok(item);
                    }
                    Err(f) => {
                        self.after_failure(f, &mut failures).await?;
                        self.next = self.status_with_retries(&mut failures).await?;
                        continue;
                    }
                }
            };
            if start >= total {
                return Err(Error::InvalidInput(format!(
                    "the upload session expects byte {start} but the file has only {total} \
                     bytes: the session is for another file"
                )));
            }
            let len = self.options.slice_size.min(total - start);
            let data = match prefetch.take() {
                Some((at, handle)) if at == start => join_read(handle).await?,
                other => {
                    if let Some((_, handle)) = other {
                        handle.abort();
                    }
                    join_read(reader.read(start, len, spare.pop())).await?
                }
            };
            let after = start + len;
            if after < total {
                let next_len = self.options.slice_size.min(total - after);
                prefetch = Some((after, reader.read(after, next_len, spare.pop())));
            }
            let sent = data.clone();
            let outcome = self.put_slice(start, data).await;
            // Reuse the slice's buffer (the transport has let go of it by now): a steady two
            // buffers instead of a fresh allocation per slice.
            if let Ok(buf) = sent.try_into_mut() {
                if spare.len() < 2 {
                    spare.push(buf);
                }
            }
            match outcome {
                Ok(SliceOutcome::Done(item)) => {
                    self.next = None;
                    report(&self.options.progress, total, total);
                    return Ok(item);
                }
                Ok(SliceOutcome::Next(next)) => {
                    if next.unwrap_or(total) > start {
                        failures = 0;
                    } else {
                        // Accepted, yet the server still wants this byte: count it as a
                        // failure so a confused server cannot keep the upload looping.
                        let stuck = Failure {
                            retry_after: None,
                            error: Error::Decode {
                                type_name: "nextExpectedRanges",
                                message: format!(
                                    "the upload URL accepted bytes {start}-{} but still expects \
                                     byte {}",
                                    after - 1,
                                    next.unwrap_or(total)
                                ),
                                excerpt: String::new(),
                            },
                            fatal: false,
                        };
                        self.after_failure(stuck, &mut failures).await?;
                    }
                    self.next = next;
                    report(&self.options.progress, self.confirmed(), total);
                }
                Err(f) => {
                    self.after_failure(f, &mut failures).await?;
                    self.next = match self.status_with_retries(&mut failures).await {
                        Ok(next) => next,
                        // The last slice went out and the session is gone: most likely the
                        // upload completed and only its answer was lost.
                        Err(e) if after >= total && e.status() == Some(StatusCode::NOT_FOUND) => {
                            return Err(final_answer_lost(e))
                        }
                        Err(e) => return Err(e),
                    };
                    report(&self.options.progress, self.confirmed(), total);
                }
            }
        }
    }

    /// Counts a failure and waits before the next attempt, or gives up with its error.
    async fn after_failure(&self, f: Failure, failures: &mut u32) -> Result<(), Error> {
        *failures += 1;
        if f.fatal || *failures > self.options.retry.retries() {
            return Err(f.error);
        }
        let wait = f
            .retry_after
            .unwrap_or_else(|| self.options.retry.backoff(*failures));
        tokio::time::sleep(wait).await;
        Ok(())
    }

    /// Asks the status, retrying transient failures within the same budget.
    async fn status_with_retries(&self, failures: &mut u32) -> Result<Option<u64>, Error> {
        loop {
            match self.status().await {
                Ok(next) => return Ok(next),
                Err(f) => self.after_failure(f, failures).await?,
            }
        }
    }

    fn url(&self) -> &str {
        &self.state.upload_url
    }

    /// `GET uploadUrl`: the server's next expected byte.
    async fn status(&self) -> Result<Option<u64>, Failure> {
        let response = send_upload(
            &self.client,
            Method::GET,
            self.url(),
            Vec::new(),
            Bytes::new(),
            self.options.timeout,
        )
        .await
        .map_err(transient_or_fatal)?;
        let status = response.status();
        if status == StatusCode::OK {
            let info: UploadSessionInfo =
                Json::<UploadSessionInfo>::decode(status, response.body()).map_err(fatal)?;
            return info.next_expected_byte().map_err(fatal);
        }
        Err(self.classify(&Method::GET, &response))
    }

    /// Sends one slice.
    async fn put_slice(&self, start: u64, data: Bytes) -> Result<SliceOutcome<T>, Failure> {
        let total = self.state.file.size;
        let end = start + data.len() as u64 - 1;
        let headers = vec![
            (CONTENT_LENGTH, data.len().to_string()),
            (CONTENT_RANGE, format!("bytes {start}-{end}/{total}")),
        ];
        let response = send_upload(
            &self.client,
            Method::PUT,
            self.url(),
            headers,
            data,
            self.options.timeout,
        )
        .await
        .map_err(transient_or_fatal)?;
        let status = response.status();
        match status.as_u16() {
            200 | 201 => Json::<T>::decode(status, response.body())
                .map(SliceOutcome::Done)
                .map_err(fatal),
            202 => {
                let info =
                    Json::<UploadSessionInfo>::decode(status, response.body()).map_err(fatal)?;
                info.next_expected_byte()
                    .map(SliceOutcome::Next)
                    .map_err(fatal)
            }
            _ => Err(self.classify(&Method::PUT, &response)),
        }
    }

    /// The explicit commit of a `deferCommit` session: an empty `POST` to the upload URL.
    async fn commit(&self) -> Result<T, Failure> {
        let response = send_upload(
            &self.client,
            Method::POST,
            self.url(),
            vec![(CONTENT_LENGTH, "0".to_string())],
            Bytes::new(),
            self.options.timeout,
        )
        .await
        .map_err(transient_or_fatal)?;
        let status = response.status();
        if status.is_success() {
            return Json::<T>::decode(status, response.body()).map_err(fatal);
        }
        Err(self.classify(&Method::POST, &response))
    }

    /// Sorts an error status into retryable (429, 416, 5xx) or fatal (404 = expired, other 4xx).
    fn classify(&self, method: &Method, response: &http::Response<Bytes>) -> Failure {
        let status = response.status();
        let mut error = api_error(method, self.url(), response);
        if status == StatusCode::NOT_FOUND {
            if let Error::Api(e) = &mut error {
                let detail = e.message.take().unwrap_or_default();
                e.message = Some(format!(
                    "upload session expired or was cancelled: the upload URL answered 404 \
                     ({detail}); start a new upload session — the bytes sent so far are lost"
                ));
            }
            return fatal(error);
        }
        if status == StatusCode::RANGE_NOT_SATISFIABLE {
            // The server has other bytes than this slice assumed: ask where it stands, now.
            return Failure {
                retry_after: Some(Duration::ZERO),
                error,
                fatal: false,
            };
        }
        if status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS {
            return Failure {
                retry_after: crate::retry::parse_retry_after(response.headers()),
                error,
                fatal: false,
            };
        }
        fatal(error)
    }
}

/// Rewords the expired-session error after a last slice whose answer never arrived.
fn final_answer_lost(mut error: Error) -> Error {
    if let Error::Api(e) = &mut error {
        e.message = Some(
            "the last slice was sent but its answer was lost, and the upload URL now answers 404: \
             the upload most likely completed (a finished session is removed) — check the item \
             before uploading again"
                .to_string(),
        );
    }
    error
}

/// A failure that must not be retried.
fn fatal(error: Error) -> Failure {
    Failure {
        retry_after: None,
        error,
        fatal: true,
    }
}

/// Transport failures (dropped connection, timeout) are retried; others are not.
fn transient_or_fatal(error: Error) -> Failure {
    match error {
        Error::Transport { .. } => Failure {
            retry_after: None,
            error,
            fatal: false,
        },
        other => fatal(other),
    }
}

fn api_error(method: &Method, url: &str, response: &http::Response<Bytes>) -> Error {
    let crid = response
        .extensions()
        .get::<ResponseInfo>()
        .map(|i| i.client_request_id.clone())
        .unwrap_or_default();
    Error::from_response(method, url, &crid, response)
}

/// Reads slices of the file on the blocking pool (the file is read slice by slice: memory
/// stays O(slice size)).
struct SliceReader {
    file: Arc<std::sync::Mutex<std::fs::File>>,
    path: PathBuf,
}

impl SliceReader {
    /// Starts reading `len` bytes at `start`, into `buf` if one is given.
    fn read(
        &self,
        start: u64,
        len: u64,
        buf: Option<bytes::BytesMut>,
    ) -> tokio::task::JoinHandle<Result<Bytes, Error>> {
        let file = self.file.clone();
        let path = self.path.clone();
        // Allocate here, on the caller's (async) thread, not on a blocking-pool thread: the
        // allocator keeps freed memory per thread arena, and the blocking pool has many threads.
        let buf = buf
            .unwrap_or_else(|| bytes::BytesMut::with_capacity(usize::try_from(len).unwrap_or(0)));
        tokio::task::spawn_blocking(move || {
            use std::io::{Read, Seek};
            let io = |e: std::io::Error| {
                Error::InvalidInput(format!(
                    "cannot read bytes {start}-{} of `{}`: {e} (did the file change during the \
                     upload?)",
                    start + len.max(1) - 1,
                    path.display()
                ))
            };
            let len = usize::try_from(len)
                .map_err(|_| Error::InvalidInput("slice larger than memory".to_string()))?;
            let mut buf = buf;
            buf.clear();
            buf.resize(len, 0);
            let mut f = file.lock().unwrap_or_else(|e| e.into_inner());
            f.seek(std::io::SeekFrom::Start(start)).map_err(io)?;
            f.read_exact(&mut buf[..]).map_err(io)?;
            Ok(buf.freeze())
        })
    }
}

async fn join_read(handle: tokio::task::JoinHandle<Result<Bytes, Error>>) -> Result<Bytes, Error> {
    handle
        .await
        .map_err(|e| Error::InvalidInput(format!("reading the file failed: {e}")))?
}

/// One request to an upload URL: no `Authorization` (it is pre-authenticated), no automatic
/// retries (the driver decides), no redirects.
async fn send_upload(
    client: &Client,
    method: Method,
    url: &str,
    headers: Vec<(http::HeaderName, String)>,
    body: Bytes,
    timeout: Option<Duration>,
) -> Result<http::Response<Bytes>, Error> {
    let mut req = http::Request::builder().method(method).uri(url);
    for (name, value) in headers {
        req = req.header(name, value);
    }
    let req = req
        .body(body)
        .map_err(|e| Error::InvalidInput(format!("invalid upload URL `{}`: {e}", redact(url))))?;
    let mut options = ExecuteOptions::new().no_retry().follow_redirects(false);
    if let Some(t) = timeout {
        options = options.timeout(t);
    }
    client.execute(req, options).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slice_sizes_are_checked() {
        assert!(check_slice_size(327_680).is_ok());
        assert!(check_slice_size(DEFAULT_SLICE_SIZE).is_ok());
        assert_eq!(DEFAULT_SLICE_SIZE, 10 * 1024 * 1024);
        assert!(check_slice_size(191 * 327_680).is_ok());
        for bad in [0, 1, 327_681, 1_000_000, 192 * 327_680, 200 * 327_680] {
            let e = check_slice_size(bad).unwrap_err().to_string();
            assert!(
                e.starts_with(&format!("invalid input: slice size {bad} is not allowed: upload slices must be a multiple of 320 KiB (327,680 bytes) and smaller than 60 MiB")),
                "{e}"
            );
        }
    }

    #[test]
    fn next_expected_ranges_parse() {
        let info = |r: &[&str]| UploadSessionInfo {
            next_expected_ranges: r.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        };
        assert_eq!(info(&["26-"]).next_expected_byte().unwrap(), Some(26));
        assert_eq!(
            info(&["77829-99375", "12345-55232"])
                .next_expected_byte()
                .unwrap(),
            Some(12345)
        );
        assert_eq!(info(&[]).next_expected_byte().unwrap(), None);
        assert!(info(&["abc"]).next_expected_byte().is_err());
    }

    static CREATE: crate::Operation = crate::Operation {
        name: "createUploadSession",
        method: "POST",
        routes: &["/drives/{drivesId}/root/createUploadSession"],
        doc: "api/driveitem-createuploadsession.md",
        permissions: crate::Permissions {
            delegated_work: crate::Scopes::Unknown,
            delegated_personal: crate::Scopes::NotSupported,
            application: crate::Scopes::Unknown,
        },
    };

    fn body_after(body: Option<Value>) -> Value {
        let c = Client::new("t");
        let mut r = crate::Path::root(&c)
            .segment("drives")
            .key("d1")
            .segment("root")
            .segment("createUploadSession")
            .request::<Json<UploadSessionInfo>>(&CREATE);
        if let Some(b) = body {
            r = r.json(&b);
        }
        let built = with_file_size(r, 1234).unwrap().build().unwrap();
        assert_eq!(built.headers()["content-type"], "application/json");
        serde_json::from_slice(built.body()).unwrap()
    }

    #[test]
    fn file_size_is_added_to_the_create_body() {
        use serde_json::json;
        assert_eq!(body_after(None), json!({"item": {"fileSize": 1234}}));
        assert_eq!(
            body_after(Some(json!({"deferCommit": true}))),
            json!({"item": {"fileSize": 1234}, "deferCommit": true})
        );
        assert_eq!(
            body_after(Some(
                json!({"item": {"name": "a.bin"}, "deferCommit": false})
            )),
            json!({"item": {"name": "a.bin", "fileSize": 1234}, "deferCommit": false})
        );
        // A size the caller set is kept.
        assert_eq!(
            body_after(Some(json!({"item": {"fileSize": 8}}))),
            json!({"item": {"fileSize": 8}})
        );
        assert_eq!(
            body_after(Some(json!({"item": null}))),
            json!({"item": {"fileSize": 1234}})
        );
    }

    #[test]
    fn state_round_trips_and_debug_hides_the_url() {
        let s = UploadSessionState {
            upload_url: "https://sn3302.up.1drv.com/up/fe6987415ace7X4e1eF866337".into(),
            expiration_date_time: Some("2015-01-29T09:21:55.523Z".into()),
            file: FileIdentity {
                path: "/tmp/a.bin".into(),
                size: 10,
                modified: Some(SystemTime::UNIX_EPOCH + Duration::from_secs(5)),
            },
            slice_size: DEFAULT_SLICE_SIZE,
        };
        let text = serde_json::to_string(&s).unwrap();
        let back: UploadSessionState = serde_json::from_str(&text).unwrap();
        assert_eq!(back, s);
        let dbg = format!("{s:?}");
        assert!(!dbg.contains("fe6987415ace"), "{dbg}");
        assert!(
            dbg.contains("https://sn3302.up.1drv.com/<redacted>"),
            "{dbg}"
        );
    }
}
