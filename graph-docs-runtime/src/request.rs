//! The one generic request type every generated operation fills.

use std::marker::PhantomData;
use std::time::Duration;

use http::header::{HeaderName, HeaderValue, CONTENT_TYPE};
use http::HeaderMap;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::Serialize;

use crate::client::ExecuteOptions;
use crate::operation::Operation;
use crate::response::ResponseKind;
use crate::retry::RetryPolicy;
use crate::{Client, Error};

/// Characters left as they are in a query value: unreserved plus `$`, `,`, `'`, `(`, `)`, `:`,
/// `@`, `/`, which OData expressions use and the service reads literally.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'$')
    .remove(b',')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b':')
    .remove(b'@')
    .remove(b'/');

/// The body of a request.
#[derive(Debug, Clone, Default)]
pub(crate) enum Body {
    #[default]
    None,
    Bytes(Vec<u8>),
    /// Serialising the caller's body failed; reported by `build()`/`send()`.
    Invalid(String),
}

/// A request for one operation: method, path, query, headers and body, plus the operation's
/// metadata. `K` says how the response is decoded ([`crate::Json`], [`crate::Collection`], ...).
///
/// [`Request::build`] is sans-IO: it returns the `http::Request` exactly as it will be sent,
/// except the `Authorization` and `client-request-id` headers, which are added at send time.
pub struct Request<K> {
    pub(crate) client: Client,
    pub(crate) path: String,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Body,
    pub(crate) op: &'static Operation,
    pub(crate) invalid: Option<String>,
    pub(crate) retry: Option<RetryPolicy>,
    pub(crate) timeout: Option<Duration>,
    _kind: PhantomData<fn() -> K>,
}

impl<K> std::fmt::Debug for Request<K> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Request")
            .field("operation", &self.op.name)
            .field("method", &self.op.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("headers", &self.headers)
            .finish_non_exhaustive()
    }
}

impl<K> Clone for Request<K> {
    fn clone(&self) -> Self {
        Request {
            client: self.client.clone(),
            path: self.path.clone(),
            query: self.query.clone(),
            headers: self.headers.clone(),
            body: self.body.clone(),
            op: self.op,
            invalid: self.invalid.clone(),
            retry: self.retry,
            timeout: self.timeout,
            _kind: PhantomData,
        }
    }
}

impl<K: ResponseKind> Request<K> {
    pub(crate) fn new(client: Client, path: String, op: &'static Operation) -> Self {
        Request {
            client,
            path,
            query: Vec::new(),
            headers: HeaderMap::new(),
            body: Body::None,
            op,
            invalid: None,
            retry: None,
            timeout: None,
            _kind: PhantomData,
        }
    }

    /// The operation this request is for (name, routes, doc page, permissions).
    pub fn operation(&self) -> &'static Operation {
        self.op
    }

    /// The client this request will be sent with.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Decodes the response as another kind (e.g. to read a collection as raw JSON).
    pub fn decode_as<K2: ResponseKind>(self) -> Request<K2> {
        Request {
            client: self.client,
            path: self.path,
            query: self.query,
            headers: self.headers,
            body: self.body,
            op: self.op,
            invalid: self.invalid,
            retry: self.retry,
            timeout: self.timeout,
            _kind: PhantomData,
        }
    }

    /// Adds a query pair; the value is percent-encoded (OData punctuation such as `$`, `,`, `'`,
    /// `(`, `)` is kept).
    pub fn query(mut self, name: impl Into<String>, value: impl AsRef<str>) -> Self {
        self.query.push((name.into(), value.as_ref().to_string()));
        self
    }

    /// Adds (or replaces) a header. An invalid name or value is reported by
    /// `build()`/`send()`. `Authorization`, `Proxy-Authorization` and `Cookie` values are marked
    /// sensitive (hidden in `Debug`) and are never sent to an untrusted host.
    pub fn header(mut self, name: impl AsRef<str>, value: impl AsRef<str>) -> Self {
        match (
            HeaderName::from_bytes(name.as_ref().as_bytes()),
            HeaderValue::from_str(value.as_ref()),
        ) {
            (Ok(n), Ok(mut v)) => {
                // Credentials never show in `Debug` output.
                if n == http::header::AUTHORIZATION
                    || n == http::header::PROXY_AUTHORIZATION
                    || n == http::header::COOKIE
                {
                    v.set_sensitive(true);
                }
                self.headers.insert(n, v);
            }
            _ => {
                self.invalid.get_or_insert_with(|| {
                    format!("invalid header `{}: {}`", name.as_ref(), value.as_ref())
                });
            }
        }
        self
    }

    /// `$select=a,b`: the properties to return.
    pub fn select<I, S>(self, fields: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let v = join(fields);
        self.query("$select", v)
    }

    /// `$expand=a,b`: the relationships to include.
    pub fn expand<I, S>(self, fields: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let v = join(fields);
        self.query("$expand", v)
    }

    /// `$filter=expr`.
    pub fn filter(self, expr: impl AsRef<str>) -> Self {
        self.query("$filter", expr)
    }

    /// `$orderby=expr` (e.g. `displayName desc`).
    pub fn orderby(self, expr: impl AsRef<str>) -> Self {
        self.query("$orderby", expr)
    }

    /// `$top=n`: the page size.
    pub fn top(self, n: u32) -> Self {
        self.query("$top", n.to_string())
    }

    /// `$skip=n`.
    pub fn skip(self, n: u32) -> Self {
        self.query("$skip", n.to_string())
    }

    /// `$search=expr`. Also sets `ConsistencyLevel: eventual` (required on directory objects).
    pub fn search(self, expr: impl AsRef<str>) -> Self {
        self.query("$search", expr)
            .header("ConsistencyLevel", "eventual")
    }

    /// `If-Match: etag`: act only if the resource still has this ETag (412 otherwise).
    pub fn if_match(self, etag: impl AsRef<str>) -> Self {
        self.header("If-Match", etag)
    }

    /// `If-None-Match: etag`: e.g. skip a download when the resource has not changed.
    pub fn if_none_match(self, etag: impl AsRef<str>) -> Self {
        self.header("If-None-Match", etag)
    }

    /// `Prefer: value` (e.g. `return=minimal`, `odata.maxpagesize=50`,
    /// `outlook.timezone="Pacific Standard Time"`).
    pub fn prefer(self, value: impl AsRef<str>) -> Self {
        self.header("Prefer", value)
    }

    /// `ConsistencyLevel: value` (`eventual` for advanced directory queries).
    pub fn consistency_level(self, value: impl AsRef<str>) -> Self {
        self.header("ConsistencyLevel", value)
    }

    /// `$count=true|false`. `true` also sets `ConsistencyLevel: eventual`.
    pub fn count(self, count: bool) -> Self {
        let r = self.query("$count", if count { "true" } else { "false" });
        if count {
            r.header("ConsistencyLevel", "eventual")
        } else {
            r
        }
    }

    /// Sets a JSON body (and `Content-Type: application/json`).
    pub fn json<B: Serialize + ?Sized>(mut self, body: &B) -> Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => {
                self.body = Body::Bytes(bytes);
                self.headers
                    .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
            }
            Err(e) => {
                self.body = Body::Invalid(format!("the request body does not serialise: {e}"))
            }
        }
        self
    }

    /// Sets a binary body with its content type.
    pub fn bytes(mut self, content_type: &str, data: impl Into<Vec<u8>>) -> Self {
        self.body = Body::Bytes(data.into());
        self = self.header("Content-Type", content_type);
        self
    }

    /// Uses this retry policy for this request instead of the client's.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Turns retrying off for this request.
    pub fn no_retry(self) -> Self {
        self.retry(RetryPolicy::none())
    }

    /// Uses this timeout (per attempt) for this request instead of the client's.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    pub(crate) fn execute_options(&self) -> ExecuteOptions {
        ExecuteOptions::new()
            .with_auth()
            .retry_opt(self.retry)
            .timeout_opt(self.timeout)
    }

    /// Sends the request and decodes the response: the bearer token (base host only), a
    /// `client-request-id`, retries on throttling, redirects. A non-2xx answer becomes
    /// [`Error::Api`] (or [`Error::Throttled`] for a final 429) with Graph's error details.
    pub async fn send(mut self) -> Result<K::Output, Error> {
        let req = self.take_and_build()?;
        let method = req.method().clone();
        let (parts, body) = req.into_parts();
        let response = self
            .client
            .run(parts, body.into(), &self.execute_options())
            .await?;
        Client::finish::<K>(&method, Some(self.op), response)
    }

    /// The full URL: base URL, path and encoded query.
    pub fn url(&self) -> String {
        let mut url = String::with_capacity(self.client.base_url().len() + self.path.len() + 32);
        url.push_str(self.client.base_url());
        url.push_str(&self.path);
        for (i, (k, v)) in self.query.iter().enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            url.extend(utf8_percent_encode(k, QUERY_VALUE));
            url.push('=');
            url.extend(utf8_percent_encode(v, QUERY_VALUE));
        }
        url
    }

    /// Builds the `http::Request` exactly as it will be sent, except the `Authorization` and
    /// `client-request-id` headers (added at send time). Sans-IO: nothing is sent.
    pub fn build(&self) -> Result<http::Request<Vec<u8>>, Error> {
        let body = match &self.body {
            Body::None => Vec::new(),
            Body::Bytes(b) => b.clone(),
            Body::Invalid(msg) => return Err(Error::InvalidInput(msg.clone())),
        };
        self.build_with(body)
    }

    /// [`build`](Self::build) taking the body out instead of copying it (for `send`).
    fn take_and_build(&mut self) -> Result<http::Request<Vec<u8>>, Error> {
        let body = match std::mem::take(&mut self.body) {
            Body::None => Vec::new(),
            Body::Bytes(b) => b,
            Body::Invalid(msg) => return Err(Error::InvalidInput(msg)),
        };
        self.build_with(body)
    }

    fn build_with(&self, body: Vec<u8>) -> Result<http::Request<Vec<u8>>, Error> {
        if let Some(msg) = &self.invalid {
            return Err(Error::InvalidInput(msg.clone()));
        }
        let method = http::Method::from_bytes(self.op.method.as_bytes())
            .map_err(|_| Error::InvalidInput(format!("bad method `{}`", self.op.method)))?;
        let mut req = http::Request::builder()
            .method(method)
            .uri(self.url())
            .body(body)
            .map_err(|e| Error::InvalidInput(format!("cannot build the request URL: {e}")))?;
        *req.headers_mut() = self.headers.clone();
        Ok(req)
    }
}

fn join<I, S>(items: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut out = String::new();
    for (i, s) in items.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(s.as_ref());
    }
    out
}

/// A request whose JSON body is a generated body type `B` filled by typed setters. Generated
/// action builders (e.g. `CreateUploadSessionRequest`) wrap one.
pub struct ActionRequest<B, K> {
    /// The request (method, path, query, headers).
    pub request: Request<K>,
    /// The body, serialised as JSON when the request is built or sent.
    pub body: B,
}

impl<B: Clone, K> Clone for ActionRequest<B, K> {
    fn clone(&self) -> Self {
        ActionRequest {
            request: self.request.clone(),
            body: self.body.clone(),
        }
    }
}

impl<B: std::fmt::Debug, K> std::fmt::Debug for ActionRequest<B, K> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ActionRequest")
            .field("request", &self.request)
            .field("body", &self.body)
            .finish()
    }
}

impl<B: Serialize, K: ResponseKind> ActionRequest<B, K> {
    /// Wraps a request and a body.
    pub fn new(request: Request<K>, body: B) -> Self {
        ActionRequest { request, body }
    }

    /// The request with the body serialised into it.
    pub fn into_request(self) -> Request<K> {
        self.request.json(&self.body)
    }

    /// Builds the `http::Request` (see [`Request::build`]).
    pub fn build(&self) -> Result<http::Request<Vec<u8>>, Error> {
        self.request.clone().json(&self.body).build()
    }

    /// Serialises the body and sends the request (see [`Request::send`]).
    pub async fn send(self) -> Result<K::Output, Error> {
        self.into_request().send().await
    }
}
