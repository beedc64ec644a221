//! The client: base URL, credentials and settings shared by every request.

use std::sync::Arc;

/// A Microsoft Graph client. Cheap to clone (one shared connection pool and settings).
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) base_url: String,
    #[allow(dead_code)]
    pub(crate) token: String,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("token", &"<redacted>")
            .finish()
    }
}

impl Client {
    /// The global service at `https://graph.microsoft.com/v1.0` with a static bearer token.
    pub fn new(token: impl Into<String>) -> Client {
        Client::builder().token(token).build()
    }

    /// A builder for other base URLs and settings.
    pub fn builder() -> ClientBuilder {
        ClientBuilder {
            base_url: "https://graph.microsoft.com/v1.0".to_string(),
            token: String::new(),
        }
    }

    /// The base URL requests are sent to, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }
}

/// Builds a [`Client`].
#[derive(Debug)]
pub struct ClientBuilder {
    base_url: String,
    token: String,
}

impl ClientBuilder {
    /// Sets the base URL (e.g. `http://127.0.0.1:8080/v1.0`); a trailing `/` is removed.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into().trim_end_matches('/').to_string();
        self
    }

    /// Sets a static bearer token.
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = token.into();
        self
    }

    /// Builds the client.
    pub fn build(self) -> Client {
        Client {
            inner: Arc::new(Inner {
                base_url: self.base_url,
                token: self.token,
            }),
        }
    }
}
