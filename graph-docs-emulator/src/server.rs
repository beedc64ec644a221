//! Request handling: one fallback handler routes by hand (Graph paths contain colon paths).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::Response;
use bytes::Bytes;
use chrono::Utc;
use futures_util::StreamExt;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use tokio::io::{AsyncSeekExt, AsyncWriteExt};

use crate::conn::ConnKill;
use crate::faults::{FaultKind, Faults};
use crate::routes::{self, RouteError, Target};
use crate::store::{rfc3339, Conflict, Dest, GraphError, Store};
use crate::RecordedRequest;

/// 320 KiB: every slice but the last must be a multiple of this.
pub(crate) const SLICE_MULTIPLE: u64 = 327_680;
/// Slices must be smaller than 60 MiB.
pub(crate) const MAX_SLICE: u64 = 60 * 1024 * 1024;

pub(crate) struct Config {
    pub token: String,
    pub session_lifetime: Duration,
    pub simple_upload_limit: u64,
    pub page_size: usize,
    pub redirect_downloads: bool,
}

pub(crate) struct Session {
    pub dest: Dest,
    pub total: Option<u64>,
    pub next: u64,
    pub defer_commit: bool,
    pub expires: chrono::DateTime<Utc>,
    pub file: PathBuf,
    pub hasher: Sha256,
    pub lock: Arc<tokio::sync::Mutex<()>>,
}

pub(crate) struct Shared {
    pub config: Config,
    pub origin: String,
    /// The origin of pre-authenticated download URLs: `http://localhost:PORT`, another host
    /// name for the same server, so clients treat it as a foreign host.
    pub download_origin: String,
    pub store: Mutex<Store>,
    pub sessions: Mutex<HashMap<String, Session>>,
    pub sessions_dir: PathBuf,
    pub faults: Faults,
    pub records: Mutex<Vec<RecordedRequest>>,
    pub requests: AtomicU64,
    pub slices: AtomicU64,
}

pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Shared {
    pub fn upload_url(&self, sid: &str) -> String {
        format!("{}/up/{sid}", self.origin)
    }

    /// Removes a session and its partial content.
    fn drop_session(&self, sid: &str) {
        if let Some(s) = lock(&self.sessions).remove(sid) {
            let _ = std::fs::remove_file(&s.file);
        }
    }

    pub fn expire_all(&self) {
        let now = Utc::now();
        for s in lock(&self.sessions).values_mut() {
            s.expires = now;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Responses

struct Ctx {
    request_id: String,
    client_request_id: Option<String>,
}

impl Ctx {
    fn finish(&self, mut resp: Response) -> Response {
        let h = resp.headers_mut();
        if let Ok(v) = HeaderValue::from_str(&self.request_id) {
            h.insert("request-id", v);
        }
        if let Some(c) = &self.client_request_id {
            if let Ok(v) = HeaderValue::from_str(c) {
                h.insert("client-request-id", v);
            }
        }
        resp
    }

    fn json(&self, status: u16, body: &Value) -> Response {
        let mut resp = Response::new(Body::from(body.to_string()));
        *resp.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
        resp.headers_mut()
            .insert("content-type", HeaderValue::from_static("application/json"));
        self.finish(resp)
    }

    fn error(&self, e: &GraphError) -> Response {
        let body = json!({
            "error": {
                "code": e.code,
                "message": e.message,
                "innerError": {
                    "date": Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                    "request-id": self.request_id,
                    "client-request-id": self.client_request_id.clone().unwrap_or_default(),
                }
            }
        });
        self.json(e.status, &body)
    }

    fn empty(&self, status: u16) -> Response {
        let mut resp = Response::new(Body::empty());
        *resp.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
        self.finish(resp)
    }
}

fn header<'a>(h: &'a HeaderMap, name: &str) -> Option<&'a str> {
    h.get(name).and_then(|v| v.to_str().ok())
}

/// Reads and discards a request body, so that an early answer is not lost to a reset.
async fn drain(body: Body) {
    let mut s = body.into_data_stream();
    while let Some(Ok(_)) = s.next().await {}
}

// ---------------------------------------------------------------------------------------------
// Entry point

pub(crate) async fn handle(
    State(sh): State<Arc<Shared>>,
    ConnectInfo(conn): ConnectInfo<ConnKill>,
    req: Request,
) -> Response {
    let index = sh.requests.fetch_add(1, Ordering::SeqCst) + 1;
    let (parts, body) = req.into_parts();
    let path = parts.uri.path().to_string();
    let upload = path.starts_with("/up/");
    let slice = (upload && parts.method == Method::PUT)
        .then(|| sh.slices.fetch_add(1, Ordering::SeqCst) + 1);
    let ctx = Ctx {
        request_id: uuid::Uuid::new_v4().to_string(),
        client_request_id: header(&parts.headers, "client-request-id").map(str::to_string),
    };
    let mut record = RecordedRequest {
        index,
        method: parts.method.to_string(),
        path: parts
            .uri
            .path_and_query()
            .map(|p| p.as_str().to_string())
            .unwrap_or_else(|| path.clone()),
        headers: parts
            .headers
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect(),
        authorization: parts.headers.contains_key("authorization"),
        content_range: header(&parts.headers, "content-range").map(str::to_string),
        content_length: header(&parts.headers, "content-length").and_then(|v| v.parse().ok()),
        upload,
        download: path.starts_with("/dl/"),
        slice,
        status: None,
    };

    let mut dropped = false;
    let mut drop_answer = false;
    let fault = match sh.faults.take(index, slice) {
        // Expiring sessions on an API request: every open session expires, the request proceeds.
        Some(FaultKind::ExpireSession) if !upload => {
            sh.expire_all();
            None
        }
        // A lost answer: handle the request normally, then drop the connection (below).
        Some(FaultKind::DropResponse) => {
            drop_answer = true;
            None
        }
        // A slow server: wait, then handle the request normally. If the client gives up, the
        // connection closes and this future is dropped with the request unprocessed.
        Some(FaultKind::Delay { millis }) => {
            tokio::time::sleep(Duration::from_millis(millis)).await;
            None
        }
        f => f,
    };
    let resp = match fault {
        Some(fault) => {
            apply_fault(
                &sh,
                &ctx,
                &conn,
                fault,
                &path,
                &parts.headers,
                body,
                &mut dropped,
            )
            .await
        }
        None if upload => upload_route(&sh, &ctx, &parts.method, &path, &parts.headers, body).await,
        None if path.starts_with("/dl/") => {
            download_route(&sh, &ctx, &parts.method, &path, &parts.headers, body).await
        }
        None => api_route(&sh, &ctx, &parts.method, &parts.uri, &parts.headers, body).await,
    };
    if drop_answer {
        conn.0.kill();
        dropped = true;
    }
    if !dropped {
        record.status = Some(resp.status().as_u16());
    }
    lock(&sh.records).push(record);
    resp
}

/// Answers a request with a fault.
#[allow(clippy::too_many_arguments)]
async fn apply_fault(
    sh: &Shared,
    ctx: &Ctx,
    conn: &ConnKill,
    fault: FaultKind,
    path: &str,
    headers: &HeaderMap,
    body: Body,
    dropped: &mut bool,
) -> Response {
    match fault {
        FaultKind::DropConnection => {
            // Read about half of the body, then kill the connection.
            let len: u64 = header(headers, "content-length")
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
            let mut read = 0u64;
            let mut s = body.into_data_stream();
            while read < len / 2 {
                match s.next().await {
                    Some(Ok(chunk)) => read += chunk.len() as u64,
                    _ => break,
                }
            }
            conn.0.kill();
            *dropped = true;
            ctx.error(&GraphError::new(
                500,
                "connectionDropped",
                "the connection was dropped (fault injection)",
            ))
        }
        FaultKind::Status(status) => {
            drain(body).await;
            let code = match status {
                503 => "serviceNotAvailable",
                504 => "gatewayTimeout",
                _ => "generalException",
            };
            ctx.error(&GraphError::new(
                status,
                code,
                format!("injected fault: HTTP {status}"),
            ))
        }
        FaultKind::Throttle { retry_after_secs } => {
            drain(body).await;
            let mut resp = ctx.error(&GraphError::new(
                429,
                "activityLimitReached",
                "The request has been throttled (injected fault)",
            ));
            if let Ok(v) = HeaderValue::from_str(&retry_after_secs.to_string()) {
                resp.headers_mut().insert("retry-after", v);
            }
            resp
        }
        // Handled in `handle`, never here.
        FaultKind::Delay { .. } | FaultKind::DropResponse => ctx.empty(500),
        FaultKind::ExpireSession => {
            // (On an API request this fault is handled in `handle` and never gets here.)
            let sid = path.trim_start_matches("/up/");
            sh.drop_session(sid);
            drain(body).await;
            ctx.error(&session_gone())
        }
    }
}

fn session_gone() -> GraphError {
    GraphError::not_found("The upload session was not found or has expired")
}

// ---------------------------------------------------------------------------------------------
// Upload URLs

async fn upload_route(
    sh: &Arc<Shared>,
    ctx: &Ctx,
    method: &Method,
    path: &str,
    headers: &HeaderMap,
    body: Body,
) -> Response {
    let sid = path.trim_start_matches("/up/").to_string();
    if headers.contains_key("authorization") {
        drain(body).await;
        return ctx.error(&GraphError::new(
            401,
            "unauthenticated",
            "upload URLs are pre-authenticated: a request to an upload URL must not carry an \
             Authorization header",
        ));
    }
    // Expired sessions are gone.
    let lock_handle = {
        let mut sessions = lock(&sh.sessions);
        match sessions.get(&sid) {
            None => None,
            Some(s) if Utc::now() >= s.expires => {
                if let Some(s) = sessions.remove(&sid) {
                    let _ = std::fs::remove_file(&s.file);
                }
                None
            }
            Some(s) => Some(s.lock.clone()),
        }
    };
    let Some(session_lock) = lock_handle else {
        drain(body).await;
        return ctx.error(&session_gone());
    };
    match *method {
        Method::GET => {
            let sessions = lock(&sh.sessions);
            match sessions.get(&sid) {
                Some(s) => ctx.json(200, &session_json(sh, &sid, s)),
                None => ctx.error(&session_gone()),
            }
        }
        Method::DELETE => {
            let _guard = session_lock.lock().await;
            sh.drop_session(&sid);
            ctx.empty(204)
        }
        Method::POST => {
            drain(body).await;
            let _guard = session_lock.lock().await;
            commit_session(sh, ctx, &sid, true)
        }
        Method::PUT => put_slice(sh, ctx, &sid, session_lock, headers, body).await,
        _ => {
            drain(body).await;
            ctx.error(&GraphError::new(
                405,
                "invalidRequest",
                "upload URLs accept GET, PUT, POST and DELETE",
            ))
        }
    }
}

/// `GET /dl/{id}`: the pre-authenticated download URL `.../content` redirects to (with
/// `EmulatorBuilder::redirect_downloads`). Like upload URLs, it refuses a bearer token.
async fn download_route(
    sh: &Arc<Shared>,
    ctx: &Ctx,
    method: &Method,
    path: &str,
    headers: &HeaderMap,
    body: Body,
) -> Response {
    drain(body).await;
    if headers.contains_key("authorization") {
        return ctx.error(&GraphError::new(
            401,
            "unauthenticated",
            "download URLs are pre-authenticated: a request to a download URL must not carry \
             an Authorization header",
        ));
    }
    if *method != Method::GET {
        return ctx.error(&GraphError::new(
            405,
            "invalidRequest",
            "download URLs accept GET only",
        ));
    }
    let id = path.trim_start_matches("/dl/");
    let exists = lock(&sh.store).get(id).is_some();
    if !exists {
        return ctx.error(&GraphError::not_found("no such item"));
    }
    download(sh, ctx, id).await
}

fn session_json(sh: &Shared, sid: &str, s: &Session) -> Value {
    let ranges: Vec<String> = match s.total {
        Some(t) if s.next >= t => Vec::new(),
        _ => vec![format!("{}-", s.next)],
    };
    json!({
        "uploadUrl": sh.upload_url(sid),
        "expirationDateTime": rfc3339(s.expires),
        "nextExpectedRanges": ranges,
    })
}

/// Parses `bytes a-b/total`.
fn parse_content_range(v: &str) -> Option<(u64, u64, u64)> {
    let rest = v.trim().strip_prefix("bytes")?.trim_start();
    let (range, total) = rest.split_once('/')?;
    let (a, b) = range.split_once('-')?;
    Some((
        a.trim().parse().ok()?,
        b.trim().parse().ok()?,
        total.trim().parse().ok()?,
    ))
}

async fn put_slice(
    sh: &Arc<Shared>,
    ctx: &Ctx,
    sid: &str,
    session_lock: Arc<tokio::sync::Mutex<()>>,
    headers: &HeaderMap,
    body: Body,
) -> Response {
    let Some(len) = header(headers, "content-length").and_then(|v| v.parse::<u64>().ok()) else {
        drain(body).await;
        return ctx.error(&GraphError::new(
            411,
            "lengthRequired",
            "a slice needs a Content-Length header",
        ));
    };
    if len >= MAX_SLICE {
        let mut r = ctx.error(&GraphError::new(
            413,
            "requestTooLarge",
            format!("a slice must be smaller than 60 MiB ({MAX_SLICE} bytes); this one has {len}"),
        ));
        r.headers_mut()
            .insert("connection", HeaderValue::from_static("close"));
        return r;
    }
    let Some(cr) = header(headers, "content-range") else {
        drain(body).await;
        return ctx.error(&GraphError::bad_request(
            "a slice needs a Content-Range header `bytes start-end/total`",
        ));
    };
    let Some((start, end, total)) = parse_content_range(cr) else {
        drain(body).await;
        return ctx.error(&GraphError::bad_request(format!(
            "malformed Content-Range `{cr}`; expected `bytes start-end/total`"
        )));
    };
    if end < start || end >= total || end - start + 1 != len {
        drain(body).await;
        return ctx.error(&GraphError::bad_request(format!(
            "Content-Range `{cr}` does not match Content-Length {len}"
        )));
    }
    let _guard = session_lock.lock().await;
    // Re-check under the session lock: state may have moved while waiting.
    let checked: Result<(u64, PathBuf, Sha256), GraphError> = {
        let mut sessions = lock(&sh.sessions);
        match sessions.get_mut(sid) {
            None => Err(session_gone()),
            Some(s) => {
                if s.total.is_some_and(|t| t != total) {
                    Err(GraphError::bad_request(format!(
                        "the total size in Content-Range ({total}) differs from the session's \
                         file size ({})",
                        s.total.unwrap_or(0)
                    )))
                } else if start != s.next {
                    Err(GraphError::new(
                        416,
                        "invalidRange",
                        format!(
                            "The uploaded fragment overlaps with data that has already been \
                             received or skips ahead: got bytes {start}-{end}, next expected \
                             range is {}-",
                            s.next
                        ),
                    ))
                } else if end + 1 < total && len % SLICE_MULTIPLE != 0 {
                    Err(GraphError::bad_request(format!(
                        "every slice but the last must be a multiple of 320 KiB \
                         ({SLICE_MULTIPLE} bytes); this one has {len} bytes"
                    )))
                } else {
                    s.total = Some(total);
                    Ok((s.next, s.file.clone(), s.hasher.clone()))
                }
            }
        }
    };
    let (next, file, hasher) = match checked {
        Ok(x) => x,
        Err(e) => {
            drain(body).await;
            return ctx.error(&e);
        }
    };
    // Stream the slice to disk, hashing as it comes.
    let mut hasher = hasher;
    match write_body(&file, next, len, body, &mut hasher).await {
        Ok(()) => {}
        Err(e) => return ctx.error(&e),
    }
    {
        let mut sessions = lock(&sh.sessions);
        let Some(s) = sessions.get_mut(sid) else {
            return ctx.error(&session_gone());
        };
        s.next = end + 1;
        s.hasher = hasher;
        s.expires = Utc::now()
            + chrono::Duration::from_std(sh.config.session_lifetime)
                .unwrap_or(chrono::Duration::hours(1));
        // More to come, or a deferCommit session waiting for its explicit commit.
        if s.next < total || s.defer_commit {
            return ctx.json(202, &session_json(sh, sid, s));
        }
    }
    commit_session(sh, ctx, sid, false)
}

async fn write_body(
    file: &PathBuf,
    offset: u64,
    len: u64,
    body: Body,
    hasher: &mut Sha256,
) -> Result<(), GraphError> {
    let io = |e: std::io::Error| GraphError::new(500, "generalException", format!("disk: {e}"));
    let f = tokio::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .open(file)
        .await
        .map_err(io)?;
    let mut f = tokio::io::BufWriter::with_capacity(1 << 20, f);
    f.seek(std::io::SeekFrom::Start(offset)).await.map_err(io)?;
    let mut got = 0u64;
    let mut s = body.into_data_stream();
    while let Some(chunk) = s.next().await {
        let chunk: Bytes = chunk
            .map_err(|e| GraphError::bad_request(format!("the request body ended early: {e}")))?;
        got += chunk.len() as u64;
        if got > len {
            return Err(GraphError::bad_request(
                "the body is longer than Content-Length",
            ));
        }
        hasher.update(&chunk);
        f.write_all(&chunk).await.map_err(io)?;
    }
    if got != len {
        return Err(GraphError::bad_request(format!(
            "the body has {got} bytes but Content-Length says {len}"
        )));
    }
    f.flush().await.map_err(io)?;
    Ok(())
}

/// Turns a fully uploaded session into an item. `explicit` is the deferCommit `POST`.
fn commit_session(sh: &Shared, ctx: &Ctx, sid: &str, explicit: bool) -> Response {
    let mut sessions = lock(&sh.sessions);
    let Some(s) = sessions.get(sid) else {
        return ctx.error(&session_gone());
    };
    let total = s.total.unwrap_or(0);
    if s.total.is_none() || s.next < total {
        let msg = if explicit {
            format!(
                "cannot commit: {} of {} bytes received",
                s.next,
                s.total.map_or("?".to_string(), |t| t.to_string())
            )
        } else {
            "the upload is not complete".to_string()
        };
        return ctx.error(&GraphError::bad_request(msg));
    }
    let sha: [u8; 32] = s.hasher.clone().finalize().into();
    let mut store = lock(&sh.store);
    let (id, created) = match store.commit(&s.dest, total, sha) {
        Ok(x) => x,
        Err(e) => return ctx.error(&e),
    };
    if let Err(e) = std::fs::rename(&s.file, store.content_path(&id)) {
        return ctx.error(&GraphError::new(
            500,
            "generalException",
            format!("disk: {e}"),
        ));
    }
    sessions.remove(sid);
    let item = store.item_json(&id).unwrap_or(Value::Null);
    ctx.json(if created { 201 } else { 200 }, &item)
}

// ---------------------------------------------------------------------------------------------
// API routes

fn query_pairs(q: Option<&str>) -> Vec<(String, String)> {
    q.unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            let d = |s: &str| {
                percent_encoding::percent_decode_str(&s.replace('+', " "))
                    .decode_utf8_lossy()
                    .into_owned()
            };
            (d(k), d(v))
        })
        .collect()
}

async fn api_route(
    sh: &Arc<Shared>,
    ctx: &Ctx,
    method: &Method,
    uri: &axum::http::Uri,
    headers: &HeaderMap,
    body: Body,
) -> Response {
    let full = uri.path();
    let (prefix, path) = if let Some(p) = full.strip_prefix("/v1.0") {
        ("/v1.0", p)
    } else if let Some(p) = full.strip_prefix("/beta") {
        ("/beta", p)
    } else {
        drain(body).await;
        return ctx.error(&GraphError::new(
            400,
            "BadRequest",
            format!("Invalid version: the path `{full}` does not start with /v1.0 or /beta"),
        ));
    };
    let expected = format!("Bearer {}", sh.config.token);
    if header(headers, "authorization") != Some(expected.as_str()) {
        drain(body).await;
        let msg = if headers.contains_key("authorization") {
            "Access token validation failure: the bearer token is not the emulator's token."
        } else {
            "Access token is empty: send `Authorization: Bearer <token>`."
        };
        let mut r = ctx.error(&GraphError::new(401, "InvalidAuthenticationToken", msg));
        r.headers_mut().insert(
            "www-authenticate",
            HeaderValue::from_static("Bearer realm=\"graph-docs-emulator\""),
        );
        return r;
    }
    let drive_id = lock(&sh.store).drive_id.clone();
    let target = match routes::parse(path, &drive_id) {
        Ok(t) => t,
        Err(RouteError::UnknownDrive(d)) => {
            drain(body).await;
            return ctx.error(&GraphError::not_found(format!(
                "The drive `{d}` does not exist (the emulator has one drive, `{drive_id}`)"
            )));
        }
        Err(RouteError::NotFound(p)) => {
            drain(body).await;
            return ctx.error(&GraphError::new(
                400,
                "BadRequest",
                format!("Resource not found for the segment path `{p}` on this emulator"),
            ));
        }
    };
    let query = query_pairs(uri.query());
    match (target, method.clone()) {
        (Target::Me, Method::GET) => ctx.json(200, &me_json()),
        (Target::Drive, Method::GET) => {
            let store = lock(&sh.store);
            ctx.json(200, &drive_json(&store))
        }
        (
            Target::Item {
                base,
                colon_path,
                action,
            },
            m,
        ) => {
            let item_result = {
                let store = lock(&sh.store);
                store.base_id(&base).map(|b| {
                    let found = store.lookup(&b, &colon_path);
                    (b, found)
                })
            };
            let (base_id, found) = match item_result {
                Ok(x) => x,
                Err(e) => {
                    drain(body).await;
                    return ctx.error(&e);
                }
            };
            let not_found = || {
                GraphError::not_found(format!(
                    "The resource could not be found: `{}`",
                    colon_path.join("/")
                ))
            };
            match (action.as_deref(), m) {
                (None, Method::GET) => {
                    let store = lock(&sh.store);
                    match found.and_then(|id| store.item_json(&id)) {
                        Some(v) => ctx.json(200, &v),
                        None => ctx.error(&not_found()),
                    }
                }
                (None, Method::DELETE) => {
                    let Some(id) = found else {
                        return ctx.error(&not_found());
                    };
                    let removed = {
                        let mut store = lock(&sh.store);
                        match store.delete(&id) {
                            Ok(r) => r
                                .into_iter()
                                .map(|i| store.content_path(&i))
                                .collect::<Vec<_>>(),
                            Err(e) => return ctx.error(&e),
                        }
                    };
                    for p in removed {
                        let _ = tokio::fs::remove_file(p).await;
                    }
                    ctx.empty(204)
                }
                (Some("content"), Method::GET) => match found {
                    Some(id) if sh.config.redirect_downloads => {
                        let mut r = ctx.empty(302);
                        let location = format!("{}/dl/{id}", sh.download_origin);
                        if let Ok(v) = HeaderValue::from_str(&location) {
                            r.headers_mut().insert("location", v);
                        }
                        r
                    }
                    Some(id) => download(sh, ctx, &id).await,
                    None => ctx.error(&not_found()),
                },
                (Some("content"), Method::PUT) => {
                    simple_upload(sh, ctx, &base_id, &colon_path, headers, body).await
                }
                (Some("children"), Method::GET) => match found {
                    Some(id) => children(sh, ctx, prefix, path, &id, &query),
                    None => ctx.error(&not_found()),
                },
                (Some("createUploadSession"), Method::POST) => {
                    create_session(sh, ctx, &base_id, &colon_path, body).await
                }
                (a, m) => {
                    drain(body).await;
                    ctx.error(&GraphError::new(
                        405,
                        "BadRequest",
                        format!(
                            "{m} is not supported on `{}` by the emulator",
                            a.unwrap_or("the item")
                        ),
                    ))
                }
            }
        }
        (_, m) => {
            drain(body).await;
            ctx.error(&GraphError::new(
                405,
                "BadRequest",
                format!("{m} is not supported on `{path}` by the emulator"),
            ))
        }
    }
}

/// The fixed signed-in user.
pub(crate) fn me_json() -> Value {
    json!({
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users/$entity",
        "id": "5f5a1c3e-0000-4000-8000-00000000e3e1",
        "displayName": "Emulated User",
        "givenName": "Emulated",
        "surname": "User",
        "mail": "user@emulator.invalid",
        "userPrincipalName": "user@emulator.invalid",
        "jobTitle": null,
        "preferredLanguage": "en-US",
    })
}

fn drive_json(store: &Store) -> Value {
    json!({
        "id": store.drive_id,
        "driveType": "business",
        "name": "OneDrive",
        "owner": { "user": { "id": "5f5a1c3e-0000-4000-8000-00000000e3e1", "displayName": "Emulated User" } },
        "quota": { "total": 1u64 << 40, "used": 0, "remaining": 1u64 << 40, "state": "normal" },
    })
}

async fn download(sh: &Shared, ctx: &Ctx, id: &str) -> Response {
    let (path, size) = {
        let store = lock(&sh.store);
        match store.file_info(id) {
            Some((size, _)) => (store.content_path(id), size),
            None => {
                return ctx.error(&GraphError::bad_request(
                    "the item is a folder: it has no content",
                ))
            }
        }
    };
    let file = if size == 0 {
        None
    } else {
        match tokio::fs::File::open(&path).await {
            Ok(f) => Some(f),
            Err(e) => {
                return ctx.error(&GraphError::new(
                    500,
                    "generalException",
                    format!("disk: {e}"),
                ))
            }
        }
    };
    let stream = futures_util::stream::unfold(file, |f| async move {
        use tokio::io::AsyncReadExt;
        let mut f = f?;
        let mut buf = vec![0u8; 256 * 1024];
        match f.read(&mut buf).await {
            Ok(0) => None,
            Ok(n) => {
                buf.truncate(n);
                Some((Ok::<Bytes, std::io::Error>(Bytes::from(buf)), Some(f)))
            }
            Err(e) => Some((Err(e), None)),
        }
    });
    let mut resp = Response::new(Body::from_stream(stream));
    resp.headers_mut().insert(
        "content-type",
        HeaderValue::from_static("application/octet-stream"),
    );
    if let Ok(v) = HeaderValue::from_str(&size.to_string()) {
        resp.headers_mut().insert("content-length", v);
    }
    ctx.finish(resp)
}

fn children(
    sh: &Shared,
    ctx: &Ctx,
    prefix: &str,
    path: &str,
    id: &str,
    query: &[(String, String)],
) -> Response {
    let get = |k: &str| query.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    let top = match get("$top").map(str::parse::<usize>) {
        None => sh.config.page_size,
        Some(Ok(n)) if n > 0 => n,
        Some(_) => return ctx.error(&GraphError::bad_request("$top must be a positive integer")),
    };
    let skip = match get("$skiptoken").map(str::parse::<usize>) {
        None => 0,
        Some(Ok(n)) => n,
        Some(Err(_)) => return ctx.error(&GraphError::bad_request("invalid $skiptoken")),
    };
    let store = lock(&sh.store);
    if store.file_info(id).is_some() {
        return ctx.error(&GraphError::bad_request(
            "the item is a file: it has no children",
        ));
    }
    let kids = store.children_of(id);
    let value: Vec<Value> = kids
        .iter()
        .skip(skip)
        .take(top)
        .filter_map(|k| store.item_json(k))
        .collect();
    let mut body = json!({ "value": value });
    if skip + top < kids.len() {
        body["@odata.nextLink"] = json!(format!(
            "{}{prefix}{path}?$top={top}&$skiptoken={}",
            sh.origin,
            skip + top
        ));
    }
    ctx.json(200, &body)
}

async fn create_session(
    sh: &Arc<Shared>,
    ctx: &Ctx,
    base_id: &str,
    colon_path: &[String],
    body: Body,
) -> Response {
    let bytes = match axum::body::to_bytes(body, 1 << 20).await {
        Ok(b) => b,
        Err(e) => return ctx.error(&GraphError::bad_request(format!("bad body: {e}"))),
    };
    let v: Value = if bytes.iter().all(u8::is_ascii_whitespace) {
        json!({})
    } else {
        match serde_json::from_slice(&bytes) {
            Ok(v) => v,
            Err(e) => {
                return ctx.error(&GraphError::bad_request(format!(
                    "the request body is not valid JSON: {e}"
                )))
            }
        }
    };
    let item = &v["item"];
    let name = item["name"].as_str();
    let conflict = match Conflict::parse(item["@microsoft.graph.conflictBehavior"].as_str()) {
        Ok(c) => c,
        Err(e) => return ctx.error(&e),
    };
    let total = match &item["fileSize"] {
        Value::Null => None,
        Value::Number(n) => match n.as_u64() {
            Some(0) | None => {
                return ctx.error(&GraphError::bad_request(
                    "item.fileSize must be a positive integer",
                ))
            }
            Some(n) => Some(n),
        },
        _ => return ctx.error(&GraphError::bad_request("item.fileSize must be a number")),
    };
    let defer_commit = match &v["deferCommit"] {
        Value::Null => false,
        Value::Bool(b) => *b,
        _ => return ctx.error(&GraphError::bad_request("deferCommit must be a boolean")),
    };
    let dest = {
        let store = lock(&sh.store);
        match store.dest(base_id, colon_path, name, conflict) {
            Ok(d) => d,
            Err(e) => return ctx.error(&e),
        }
    };
    let sid = uuid::Uuid::new_v4().simple().to_string();
    let file = sh.sessions_dir.join(&sid);
    let session = Session {
        dest,
        total,
        next: 0,
        defer_commit,
        expires: Utc::now()
            + chrono::Duration::from_std(sh.config.session_lifetime)
                .unwrap_or(chrono::Duration::hours(1)),
        file,
        hasher: Sha256::new(),
        lock: Arc::default(),
    };
    let body = session_json(sh, &sid, &session);
    lock(&sh.sessions).insert(sid, session);
    ctx.json(200, &body)
}

async fn simple_upload(
    sh: &Arc<Shared>,
    ctx: &Ctx,
    base_id: &str,
    colon_path: &[String],
    headers: &HeaderMap,
    body: Body,
) -> Response {
    let limit = sh.config.simple_upload_limit;
    let declared = header(headers, "content-length").and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|l| l > limit) {
        let mut r = ctx.error(&GraphError::new(
            413,
            "requestTooLarge",
            format!(
                "PUT .../content accepts up to {limit} bytes; use an upload session for larger \
                 files"
            ),
        ));
        r.headers_mut()
            .insert("connection", HeaderValue::from_static("close"));
        return r;
    }
    let dest = lock(&sh.store).dest(base_id, colon_path, None, Conflict::Replace);
    let dest = match dest {
        Ok(d) => d,
        Err(e) => {
            drain(body).await;
            return ctx.error(&e);
        }
    };
    let tmp = sh
        .sessions_dir
        .join(format!("put-{}", uuid::Uuid::new_v4().simple()));
    let mut hasher = Sha256::new();
    let size = match stream_to_file(&tmp, body, limit, &mut hasher).await {
        Ok(n) => n,
        Err(e) => {
            let _ = tokio::fs::remove_file(&tmp).await;
            return ctx.error(&e);
        }
    };
    let sha: [u8; 32] = hasher.finalize().into();
    let mut store = lock(&sh.store);
    let (id, created) = match store.commit(&dest, size, sha) {
        Ok(x) => x,
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            return ctx.error(&e);
        }
    };
    if let Err(e) = std::fs::rename(&tmp, store.content_path(&id)) {
        return ctx.error(&GraphError::new(
            500,
            "generalException",
            format!("disk: {e}"),
        ));
    }
    let item = store.item_json(&id).unwrap_or(Value::Null);
    ctx.json(if created { 201 } else { 200 }, &item)
}

async fn stream_to_file(
    path: &PathBuf,
    body: Body,
    limit: u64,
    hasher: &mut Sha256,
) -> Result<u64, GraphError> {
    let io = |e: std::io::Error| GraphError::new(500, "generalException", format!("disk: {e}"));
    let f = tokio::fs::File::create(path).await.map_err(io)?;
    let mut f = tokio::io::BufWriter::with_capacity(1 << 20, f);
    let mut got = 0u64;
    let mut s = body.into_data_stream();
    while let Some(chunk) = s.next().await {
        let chunk = chunk
            .map_err(|e| GraphError::bad_request(format!("the request body ended early: {e}")))?;
        got += chunk.len() as u64;
        if got > limit {
            return Err(GraphError::new(
                413,
                "requestTooLarge",
                format!("PUT .../content accepts up to {limit} bytes"),
            ));
        }
        hasher.update(&chunk);
        f.write_all(&chunk).await.map_err(io)?;
    }
    f.flush().await.map_err(io)?;
    Ok(got)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_range_parsing() {
        assert_eq!(parse_content_range("bytes 0-9/10"), Some((0, 9, 10)));
        assert_eq!(
            parse_content_range("bytes 327680-655359/1000000"),
            Some((327_680, 655_359, 1_000_000))
        );
        assert_eq!(parse_content_range("bytes */10"), None);
        assert_eq!(parse_content_range("0-9/10"), None);
        assert_eq!(parse_content_range("bytes 0-9"), None);
    }

    #[test]
    fn query_pairs_are_decoded() {
        assert_eq!(
            query_pairs(Some("%24top=2&$skiptoken=4")),
            vec![
                ("$top".to_string(), "2".to_string()),
                ("$skiptoken".to_string(), "4".to_string())
            ]
        );
    }
}
