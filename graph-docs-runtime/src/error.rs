//! The one error type of the runtime.

use std::fmt;
use std::time::Duration;

use serde::Deserialize;

use crate::operation::{Operation, Scopes};

/// Everything that can go wrong building, sending or decoding a request.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The caller supplied something that cannot be sent (a bad header value, a body that does
    /// not serialise, an invalid base URL, ...).
    #[error("invalid input: {0}")]
    InvalidInput(String),
    /// The response body could not be decoded into the expected type.
    #[error(
        "could not decode the response as {type_name}: {message}; body starts with: {excerpt}"
    )]
    Decode {
        /// The Rust type that was expected.
        type_name: &'static str,
        /// What serde said.
        message: String,
        /// The first bytes of the body.
        excerpt: String,
    },
    /// The service answered with an error status (4xx/5xx other than a final 429). The boxed
    /// [`ApiError`] carries the status, Graph's error code and message, and the request ids.
    #[error("{0}")]
    Api(Box<ApiError>),
    /// The service kept answering `429 Too Many Requests` after the retries the
    /// [`RetryPolicy`](crate::RetryPolicy) allowed.
    #[error("throttled: {0}")]
    Throttled(Box<ApiError>),
    /// The request could not be sent or its response could not be read (connection refused,
    /// TLS, timeout, dropped connection, ...).
    #[error("could not {method} {url}: {error} (client-request-id {client_request_id})")]
    Transport {
        /// The method of the request.
        method: http::Method,
        /// The URL the request was sent to.
        url: String,
        /// The `client-request-id` that was sent.
        client_request_id: String,
        /// What went wrong.
        #[source]
        error: TransportError,
    },
    /// The [`TokenProvider`](crate::TokenProvider) could not supply a token.
    #[error("could not get an access token: {0}")]
    Auth(String),
    /// The redirect chain was longer than allowed, or a redirect had no usable `Location`.
    #[error("redirect problem at {url}: {message}")]
    Redirect {
        /// The URL that answered with the redirect.
        url: String,
        /// What went wrong.
        message: String,
    },
}

impl Error {
    /// The error details from the service, if the service answered with an error status.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) | Error::Throttled(e) => Some(e),
            _ => None,
        }
    }

    /// The HTTP status, if the service answered.
    pub fn status(&self) -> Option<http::StatusCode> {
        self.api_error().map(|e| e.status)
    }

    /// Graph's error code (`itemNotFound`, `TooManyRequests`, ...), if the body had one.
    pub fn code(&self) -> Option<&str> {
        self.api_error().and_then(|e| e.code.as_deref())
    }

    /// Graph's error message, if the body had one.
    pub fn message(&self) -> Option<&str> {
        self.api_error().and_then(|e| e.message.as_deref())
    }

    /// The service's `request-id` (from the error body, else from the response header).
    pub fn request_id(&self) -> Option<&str> {
        self.api_error().and_then(|e| e.request_id.as_deref())
    }

    /// The `client-request-id` this client sent with the failed request.
    pub fn client_request_id(&self) -> Option<&str> {
        match self {
            Error::Api(e) | Error::Throttled(e) => Some(&e.client_request_id),
            Error::Transport {
                client_request_id, ..
            } => Some(client_request_id),
            _ => None,
        }
    }

    /// `true` for [`Error::Throttled`].
    pub fn is_throttled(&self) -> bool {
        matches!(self, Error::Throttled(_))
    }

    /// `true` if the request timed out.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Transport { error, .. } if error.kind() == TransportErrorKind::Timeout)
    }

    /// Turns an error response into an [`Error`] ([`Error::Throttled`] for 429, else
    /// [`Error::Api`]), parsing Graph's error body. For callers of
    /// [`Client::execute`](crate::Client::execute) that receive raw responses.
    pub fn from_response(
        method: &http::Method,
        url: &str,
        client_request_id: &str,
        response: &http::Response<bytes::Bytes>,
    ) -> Error {
        let e = ApiError::from_response(method, url, client_request_id, response, None, 1);
        if e.status == http::StatusCode::TOO_MANY_REQUESTS {
            Error::Throttled(Box::new(e))
        } else {
            Error::Api(Box::new(e))
        }
    }
}

/// What kind of transport failure happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// The connection could not be made (refused, DNS, TLS handshake).
    Connect,
    /// The connect or per-request timeout elapsed.
    Timeout,
    /// The connection broke while sending the request or reading the response.
    Io,
    /// Anything else.
    Other,
}

/// A failure below HTTP, reported by a [`Transport`](crate::Transport).
#[derive(Debug)]
pub struct TransportError {
    kind: TransportErrorKind,
    source: Box<dyn std::error::Error + Send + Sync>,
}

impl TransportError {
    /// A transport error of `kind` caused by `source`.
    pub fn new(
        kind: TransportErrorKind,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> TransportError {
        TransportError {
            kind,
            source: source.into(),
        }
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            TransportErrorKind::Connect => "could not connect",
            TransportErrorKind::Timeout => "timed out",
            TransportErrorKind::Io => "connection failed",
            TransportErrorKind::Other => "transport error",
        };
        write!(f, "{what}: {}", self.source)?;
        // Show the whole cause chain: reqwest's top-level message alone is often vague.
        let mut cause = self.source.source();
        while let Some(c) = cause {
            write!(f, ": {c}")?;
            cause = c.source();
        }
        Ok(())
    }
}

impl std::error::Error for TransportError {}

/// An error response from the service: status, Graph's parsed error body and the request ids.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ApiError {
    /// The HTTP status.
    pub status: http::StatusCode,
    /// The method of the request.
    pub method: http::Method,
    /// The URL of the request that failed.
    pub url: String,
    /// Graph's error code (`error.code`).
    pub code: Option<String>,
    /// Graph's error message (`error.message`).
    pub message: Option<String>,
    /// The service's request id (`error.innerError.request-id`, else the `request-id` header).
    pub request_id: Option<String>,
    /// The `client-request-id` sent with the request (as echoed by the service if it did).
    pub client_request_id: String,
    /// The date the service reported (`error.innerError.date`, else the `Date` header).
    pub date: Option<String>,
    /// The `Retry-After` the service asked for, if any.
    pub retry_after: Option<Duration>,
    /// How many attempts were made (1 when there was no retry).
    pub attempts: u32,
    /// The response headers.
    pub headers: http::HeaderMap,
    /// The start of the response body (up to 1,000 bytes), lossily decoded as UTF-8.
    pub body_excerpt: String,
    /// The operation that failed, when the request came from a generated builder.
    pub operation: Option<&'static Operation>,
}

#[derive(Deserialize)]
struct ErrorBody {
    error: ErrorInner,
}

#[derive(Deserialize)]
struct ErrorInner {
    code: Option<String>,
    message: Option<String>,
    #[serde(rename = "innerError", alias = "innererror")]
    inner: Option<InnerError>,
}

#[derive(Deserialize)]
struct InnerError {
    #[serde(rename = "request-id")]
    request_id: Option<String>,
    #[serde(rename = "client-request-id")]
    client_request_id: Option<String>,
    date: Option<String>,
}

fn header_str(headers: &http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

impl ApiError {
    pub(crate) fn from_response(
        method: &http::Method,
        url: &str,
        client_request_id: &str,
        response: &http::Response<bytes::Bytes>,
        operation: Option<&'static Operation>,
        attempts: u32,
    ) -> ApiError {
        let body = response.body();
        let parsed = serde_json::from_slice::<ErrorBody>(body)
            .ok()
            .map(|b| b.error);
        let (code, message, inner) = match parsed {
            Some(e) => (e.code, e.message, e.inner),
            None => (None, None, None),
        };
        let headers = response.headers();
        let request_id = inner
            .as_ref()
            .and_then(|i| i.request_id.clone())
            .or_else(|| header_str(headers, "request-id"));
        let client_request_id = inner
            .as_ref()
            .and_then(|i| i.client_request_id.clone())
            .or_else(|| header_str(headers, "client-request-id"))
            .unwrap_or_else(|| client_request_id.to_string());
        let date = inner
            .and_then(|i| i.date)
            .or_else(|| header_str(headers, "date"));
        ApiError {
            status: response.status(),
            method: method.clone(),
            url: url.to_string(),
            code,
            message,
            request_id,
            client_request_id,
            date,
            retry_after: crate::retry::parse_retry_after(headers),
            attempts,
            headers: headers.clone(),
            body_excerpt: String::from_utf8_lossy(&body[..body.len().min(1000)]).into_owned(),
            operation,
        }
    }

    fn hint(&self) -> Option<String> {
        Some(match self.status.as_u16() {
            401 => "the access token is missing, expired or for another audience: get a new token for this service".to_string(),
            403 => {
                let mut s = "the token lacks a permission this operation needs".to_string();
                if let Some(op) = self.operation {
                    let p = &op.permissions;
                    let rows = [
                        ("delegated work/school", &p.delegated_work),
                        ("delegated personal", &p.delegated_personal),
                        ("application", &p.application),
                    ];
                    let listed: Vec<String> = rows
                        .iter()
                        .filter_map(|(kind, scopes)| match scopes {
                            Scopes::AnyOf(s) if !s.is_empty() => {
                                Some(format!("{kind}: one of {}", s.join(", ")))
                            }
                            _ => None,
                        })
                        .collect();
                    if !listed.is_empty() {
                        s.push_str(&format!(" ({}; see {})", listed.join("; "), op.doc));
                    }
                }
                s
            }
            404 => "check the ids and path in the URL".to_string(),
            429 => {
                "the service is throttling this client: slow down or allow more retries (RetryPolicy)"
                    .to_string()
            }
            _ => return None,
        })
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} answered {}", self.method, self.url, self.status)?;
        if let Some(code) = &self.code {
            write!(f, " {code}")?;
        }
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        } else if !self.body_excerpt.is_empty() && self.code.is_none() {
            let excerpt: String = self.body_excerpt.chars().take(200).collect();
            write!(f, ": {excerpt}")?;
        }
        if let Some(op) = self.operation {
            write!(f, " [operation {} from {}]", op.name, op.doc)?;
        }
        write!(
            f,
            " (request-id {}, client-request-id {}",
            self.request_id.as_deref().unwrap_or("none"),
            self.client_request_id
        )?;
        if let Some(date) = &self.date {
            write!(f, ", date {date}")?;
        }
        if self.attempts > 1 {
            write!(f, ", after {} attempts", self.attempts)?;
        }
        if let Some(ra) = self.retry_after {
            write!(f, ", Retry-After {}s", ra.as_secs())?;
        }
        write!(f, ")")?;
        if let Some(hint) = self.hint() {
            write!(f, "; {hint}")?;
        }
        Ok(())
    }
}
