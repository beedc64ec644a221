//! The HTTP stack under the client, behind the [`Transport`] trait.
//!
//! A transport sends exactly one request and returns exactly one response: it must not follow
//! redirects, retry, or add headers. The [`Client`](crate::Client) does all of that (auth,
//! `client-request-id`, retries, redirects, timeouts) above the transport, the same way for every
//! transport, so a custom one (another HTTP library, or a recorder in tests) behaves like the
//! default one.

use std::future::Future;
use std::pin::Pin;

use bytes::Bytes;

use crate::error::TransportError;

/// A boxed, `Send` future (keeps [`Transport`] and [`TokenProvider`](crate::TokenProvider)
/// object-safe).
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Sends one HTTP request. Implemented by [`ReqwestTransport`] (the default); implement it to
/// plug in another HTTP stack or to record requests in tests.
pub trait Transport: Send + Sync + 'static {
    /// Sends `request` (absolute URI) and reads the whole response body. Must not follow
    /// redirects. Timeouts are applied by the client around this future.
    fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>>;
}

#[cfg(feature = "reqwest")]
pub use self::reqwest_impl::ReqwestTransport;

#[cfg(feature = "reqwest")]
mod reqwest_impl {
    use std::time::Duration;

    use bytes::Bytes;

    use super::{BoxFuture, Transport};
    use crate::error::{TransportError, TransportErrorKind};

    /// The default transport: one `reqwest` client (rustls, one connection pool), redirects
    /// off (the [`Client`](crate::Client) follows them itself).
    #[derive(Debug, Clone)]
    pub struct ReqwestTransport {
        client: reqwest::Client,
    }

    impl ReqwestTransport {
        /// A transport with the given connect timeout.
        pub fn new(connect_timeout: Duration) -> Result<ReqwestTransport, crate::Error> {
            let client = reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .connect_timeout(connect_timeout)
                .user_agent(concat!("graph-docs-runtime/", env!("CARGO_PKG_VERSION")))
                .build()
                .map_err(|e| {
                    crate::Error::InvalidInput(format!("cannot set up the HTTP client: {e}"))
                })?;
            Ok(ReqwestTransport { client })
        }

        /// Wraps an existing `reqwest::Client` (for proxies, custom roots, ...). It must not
        /// follow redirects (`redirect::Policy::none()`), or `Authorization` could leak to
        /// another host.
        pub fn from_client(client: reqwest::Client) -> ReqwestTransport {
            ReqwestTransport { client }
        }
    }

    fn classify(e: &reqwest::Error) -> TransportErrorKind {
        if e.is_timeout() {
            TransportErrorKind::Timeout
        } else if e.is_connect() {
            TransportErrorKind::Connect
        } else if e.is_body() || e.is_request() || e.is_decode() {
            TransportErrorKind::Io
        } else {
            TransportErrorKind::Other
        }
    }

    impl Transport for ReqwestTransport {
        fn send(
            &self,
            request: http::Request<Bytes>,
        ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
            Box::pin(async move {
                let req = reqwest::Request::try_from(request)
                    .map_err(|e| TransportError::new(TransportErrorKind::Other, e))?;
                let resp = self
                    .client
                    .execute(req)
                    .await
                    .map_err(|e| TransportError::new(classify(&e), e))?;
                let mut builder = http::Response::builder()
                    .status(resp.status())
                    .version(resp.version());
                if let Some(h) = builder.headers_mut() {
                    *h = resp.headers().clone();
                }
                let body = resp
                    .bytes()
                    .await
                    .map_err(|e| TransportError::new(classify(&e), e))?;
                builder
                    .body(body)
                    .map_err(|e| TransportError::new(TransportErrorKind::Other, e))
            })
        }
    }
}
