//! The blocking flavour (cargo feature `blocking`).
//!
//! Every `*_blocking` method runs the same async code as its async twin on an internal
//! current-thread tokio runtime that lives on its own thread (one per [`Client`], started on
//! first use, stopped when the last clone of the client is dropped). The calling thread only
//! waits for the result, so the blocking methods work from any thread, including from inside
//! `tokio::task::spawn_blocking`. Calling them from an async task blocks that task's thread:
//! use the async methods there.

use std::future::Future;

use futures_util::stream::{Stream, StreamExt};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::client::ExecuteOptions;
use crate::response::{Collection, Page};
use crate::{ActionRequest, Client, Error, Request, ResponseKind};

/// A current-thread runtime driven by a dedicated thread.
pub(crate) struct BlockingRuntime {
    handle: tokio::runtime::Handle,
    /// Dropping this ends the runtime's thread.
    _stop: tokio::sync::oneshot::Sender<()>,
}

impl BlockingRuntime {
    fn start() -> Result<BlockingRuntime, String> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| format!("cannot start the blocking runtime: {e}"))?;
        let handle = rt.handle().clone();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        std::thread::Builder::new()
            .name("graph-docs-runtime-blocking".into())
            .spawn(move || {
                rt.block_on(async {
                    let _ = stopped.await;
                });
            })
            .map_err(|e| format!("cannot start the blocking runtime thread: {e}"))?;
        Ok(BlockingRuntime {
            handle,
            _stop: stop,
        })
    }
}

impl Client {
    /// Runs `fut` on the client's blocking runtime and waits for its output.
    pub(crate) fn block_on<T, F>(&self, fut: F) -> Result<T, Error>
    where
        F: Future<Output = Result<T, Error>> + Send + 'static,
        T: Send + 'static,
    {
        let rt = self
            .inner
            .blocking
            .get_or_init(BlockingRuntime::start)
            .as_ref()
            .map_err(|e| Error::InvalidInput(e.clone()))?;
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        rt.handle.spawn(async move {
            let _ = tx.send(fut.await);
        });
        rx.recv().unwrap_or_else(|_| {
            Err(Error::InvalidInput(
                "the blocking runtime stopped before the request finished".into(),
            ))
        })
    }

    /// [`Client::execute`], blocking.
    pub fn execute_blocking<B: Into<bytes::Bytes>>(
        &self,
        request: http::Request<B>,
        options: ExecuteOptions,
    ) -> Result<http::Response<bytes::Bytes>, Error> {
        let (parts, body) = request.into_parts();
        let body: bytes::Bytes = body.into();
        let client = self.clone();
        self.block_on(async move { client.run(parts, body, &options).await })
    }

    /// [`Client::send_raw`], blocking.
    pub fn send_raw_blocking<B: Into<bytes::Bytes>>(
        &self,
        request: http::Request<B>,
    ) -> Result<http::Response<bytes::Bytes>, Error> {
        self.execute_blocking(request, ExecuteOptions::new().with_auth())
    }
}

impl<K> Request<K>
where
    K: ResponseKind + 'static,
    K::Output: Send + 'static,
{
    /// [`Request::send`], blocking (feature `blocking`).
    pub fn send_blocking(self) -> Result<K::Output, Error> {
        let client = self.client.clone();
        client.block_on(self.send())
    }
}

impl<B, K> ActionRequest<B, K>
where
    B: Serialize,
    K: ResponseKind + 'static,
    K::Output: Send + 'static,
{
    /// [`ActionRequest::send`], blocking (feature `blocking`).
    pub fn send_blocking(self) -> Result<K::Output, Error> {
        self.into_request().send_blocking()
    }
}

/// An iterator that polls a stream on the client's blocking runtime, one item per `next()`.
pub struct BlockingIter<S> {
    client: Client,
    stream: Option<std::pin::Pin<Box<S>>>,
}

impl<S, T> Iterator for BlockingIter<S>
where
    S: Stream<Item = Result<T, Error>> + Send + 'static,
    T: Send + 'static,
{
    type Item = Result<T, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut stream = self.stream.take()?;
        let got = self.client.block_on(async move {
            let item = stream.next().await;
            Ok((stream, item))
        });
        match got {
            Ok((stream, Some(item))) => {
                self.stream = Some(stream);
                Some(item)
            }
            Ok((_, None)) => None,
            Err(e) => Some(Err(e)),
        }
    }
}

impl<T: DeserializeOwned + Send + 'static> Request<Collection<T>> {
    /// [`Request::pages`], blocking: an iterator of pages (feature `blocking`).
    pub fn pages_blocking(
        self,
    ) -> BlockingIter<impl Stream<Item = Result<Page<T>, Error>> + Send + 'static> {
        BlockingIter {
            client: self.client.clone(),
            stream: Some(Box::pin(self.pages())),
        }
    }

    /// [`Request::items`], blocking: an iterator of items over all pages (feature
    /// `blocking`). Use `.take(n)` to cap it.
    pub fn items_blocking(
        self,
    ) -> BlockingIter<impl Stream<Item = Result<T, Error>> + Send + 'static> {
        BlockingIter {
            client: self.client.clone(),
            stream: Some(Box::pin(self.items())),
        }
    }
}
