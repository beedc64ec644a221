//! Test helpers: an axum server on 127.0.0.1:0 that records every request and answers with a
//! closure, and a `Mode` that runs the same scenario through `send()` or `send_blocking()`.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::extract::Request as AxRequest;
use axum::response::Response;
use axum::Router;
use graph_docs_runtime::{Client, Error, Operation, Permissions, Scopes};

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    /// Path and query exactly as sent on the wire.
    pub target: String,
    pub headers: http::HeaderMap,
    pub body: Vec<u8>,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

type Handler = dyn Fn(usize, &Seen) -> Response + Send + Sync;

pub struct Server {
    pub base: String,
    pub log: Arc<Mutex<Vec<Seen>>>,
}

impl Server {
    pub fn seen(&self) -> Vec<Seen> {
        self.log.lock().unwrap().clone()
    }
}

/// Starts a server; `handler(n, request)` answers the n-th request (0-based).
pub async fn serve(handler: impl Fn(usize, &Seen) -> Response + Send + Sync + 'static) -> Server {
    let log: Arc<Mutex<Vec<Seen>>> = Arc::default();
    let handler: Arc<Handler> = Arc::new(handler);
    let log2 = log.clone();
    let app = Router::new().fallback(move |req: AxRequest| {
        let log = log2.clone();
        let handler = handler.clone();
        async move {
            let (parts, body) = req.into_parts();
            let body = axum::body::to_bytes(body, usize::MAX)
                .await
                .unwrap_or_default();
            let seen = Seen {
                method: parts.method.to_string(),
                target: parts
                    .uri
                    .path_and_query()
                    .map(|p| p.as_str().to_string())
                    .unwrap_or_default(),
                headers: parts.headers,
                body: body.to_vec(),
            };
            let n = {
                let mut l = log.lock().unwrap();
                l.push(seen.clone());
                l.len() - 1
            };
            handler(n, &seen)
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    Server {
        base: format!("http://{addr}"),
        log,
    }
}

pub fn respond(status: u16, headers: &[(&str, &str)], body: impl Into<String>) -> Response {
    let mut b = http::Response::builder().status(status);
    for (k, v) in headers {
        b = b.header(*k, *v);
    }
    b.body(Body::from(body.into())).unwrap()
}

pub fn json(status: u16, body: serde_json::Value) -> Response {
    respond(
        status,
        &[("content-type", "application/json")],
        body.to_string(),
    )
}

pub static LIST: Operation = Operation {
    name: "list",
    method: "GET",
    routes: &["/me/drive/root/children"],
    doc: "api/driveitem-list-children.md",
    permissions: Permissions {
        delegated_work: Scopes::AnyOf(&["Files.Read", "Files.ReadWrite"]),
        delegated_personal: Scopes::AnyOf(&["Files.Read"]),
        application: Scopes::AnyOf(&["Files.Read.All"]),
    },
};

pub static CREATE: Operation = Operation {
    name: "post",
    method: "POST",
    routes: &["/me/drive/items/{id}/children"],
    doc: "api/driveitem-post-children.md",
    permissions: Permissions {
        delegated_work: Scopes::Unknown,
        delegated_personal: Scopes::Unknown,
        application: Scopes::NotSupported,
    },
};

pub fn client(server: &Server) -> Client {
    Client::builder()
        .base_url(format!("{}/v1.0", server.base))
        .token("tok-123")
        .build()
}

/// How a scenario sends: through the async API or the blocking one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Async,
    #[cfg(feature = "blocking")]
    Blocking,
}

pub async fn send<K>(mode: Mode, req: graph_docs_runtime::Request<K>) -> Result<K::Output, Error>
where
    K: graph_docs_runtime::ResponseKind + 'static,
    K::Output: Send + 'static,
{
    match mode {
        Mode::Async => req.send().await,
        #[cfg(feature = "blocking")]
        Mode::Blocking => tokio::task::spawn_blocking(move || req.send_blocking())
            .await
            .unwrap(),
    }
}

/// Collects `.items()` (or `.items_blocking()`).
pub async fn items<T>(
    mode: Mode,
    req: graph_docs_runtime::Request<graph_docs_runtime::Collection<T>>,
) -> Vec<Result<T, Error>>
where
    T: serde::de::DeserializeOwned + Send + 'static,
{
    match mode {
        Mode::Async => {
            use futures_util::StreamExt;
            req.items().collect().await
        }
        #[cfg(feature = "blocking")]
        Mode::Blocking => tokio::task::spawn_blocking(move || req.items_blocking().collect())
            .await
            .unwrap(),
    }
}

/// Generates `#[tokio::test]`s running `scenario(Mode::Async)` and, with the `blocking`
/// feature, `scenario(Mode::Blocking)`.
#[macro_export]
macro_rules! core_tests {
    ($($name:ident),* $(,)?) => {
        mod async_flavour {
            $(
                #[tokio::test]
                async fn $name() {
                    super::$name($crate::common::Mode::Async).await
                }
            )*
        }
        #[cfg(feature = "blocking")]
        mod blocking_flavour {
            $(
                #[tokio::test]
                async fn $name() {
                    super::$name($crate::common::Mode::Blocking).await
                }
            )*
        }
    };
}
