//! Access tokens: where they come from.
//!
//! The client asks its [`TokenProvider`] for a token before every request it sends to a trusted
//! host (the base URL's host, plus hosts added with
//! [`ClientBuilder::trusted_host`](crate::ClientBuilder::trusted_host)); requests to any other
//! host (upload URLs, download redirects, foreign `@odata.nextLink`s) never carry it.

use std::fmt;
use std::future::Future;
use std::sync::Arc;

use crate::transport::BoxFuture;
use crate::Error;

/// Supplies bearer tokens. Called before each request to a trusted host, so an implementation
/// that refreshes should cache the token until shortly before it expires.
pub trait TokenProvider: Send + Sync + 'static {
    /// The access token (without the `Bearer ` prefix).
    fn token(&self) -> BoxFuture<'_, Result<String, Error>>;
}

/// A fixed token. `Debug` shows it redacted.
#[derive(Clone)]
pub struct StaticToken(Arc<str>);

impl StaticToken {
    /// Wraps a token.
    pub fn new(token: impl Into<String>) -> StaticToken {
        StaticToken(Arc::from(token.into()))
    }
}

impl fmt::Debug for StaticToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("StaticToken(<redacted>)")
    }
}

impl TokenProvider for StaticToken {
    fn token(&self) -> BoxFuture<'_, Result<String, Error>> {
        let t = self.0.to_string();
        Box::pin(async move { Ok(t) })
    }
}

/// A token from a user closure returning a future, e.g. one that refreshes through an OAuth
/// library. Build it with [`TokenFn::new`] or [`ClientBuilder::token_fn`](crate::ClientBuilder::token_fn).
pub struct TokenFn<F>(F);

impl<F> TokenFn<F> {
    /// Wraps a closure.
    pub fn new(f: F) -> TokenFn<F> {
        TokenFn(f)
    }
}

impl<F> fmt::Debug for TokenFn<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TokenFn(<closure>)")
    }
}

impl<F, Fut> TokenProvider for TokenFn<F>
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<String, Error>> + Send + 'static,
{
    fn token(&self) -> BoxFuture<'_, Result<String, Error>> {
        Box::pin((self.0)())
    }
}
