//! The client: base URL, credentials and settings shared by every request, and the one send
//! path every request goes through (auth, `client-request-id`, timeouts, redirects, retries).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::header::{HeaderName, HeaderValue, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, COOKIE};
use http::{Method, StatusCode, Uri};

use crate::auth::{StaticToken, TokenFn, TokenProvider};
use crate::error::{ApiError, TransportError, TransportErrorKind};
use crate::operation::Operation;
use crate::retry::{parse_retry_after, RetryPolicy};
use crate::transport::Transport;
use crate::Error;

/// The `client-request-id` header: a UUID sent with every request, echoed by the service and
/// shown in errors, so a failure can be matched with the service's logs.
pub const CLIENT_REQUEST_ID: HeaderName = HeaderName::from_static("client-request-id");
/// The `Retry-Attempt` header: sent on retries with the retry number (1, 2, ...).
pub const RETRY_ATTEMPT: HeaderName = HeaderName::from_static("retry-attempt");

/// A Microsoft Graph national cloud: where the service lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum NationalCloud {
    /// The global service, `https://graph.microsoft.com`.
    #[default]
    Global,
    /// US Government L4, `https://graph.microsoft.us`.
    UsGovL4,
    /// US Government L5 (DoD), `https://dod-graph.microsoft.us`.
    UsGovL5Dod,
    /// China, operated by 21Vianet, `https://microsoftgraph.chinacloudapi.cn`.
    China21Vianet,
}

impl NationalCloud {
    /// The service root, without a trailing `/` and without the version.
    pub fn root(&self) -> &'static str {
        match self {
            NationalCloud::Global => "https://graph.microsoft.com",
            NationalCloud::UsGovL4 => "https://graph.microsoft.us",
            NationalCloud::UsGovL5Dod => "https://dod-graph.microsoft.us",
            NationalCloud::China21Vianet => "https://microsoftgraph.chinacloudapi.cn",
        }
    }
}

/// The API version: `v1.0` or `beta`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ApiVersion {
    /// `v1.0`, the stable API.
    #[default]
    V1,
    /// `beta`, subject to change.
    Beta,
}

impl ApiVersion {
    /// The URL segment: `v1.0` or `beta`.
    pub fn as_str(&self) -> &'static str {
        match self {
            ApiVersion::V1 => "v1.0",
            ApiVersion::Beta => "beta",
        }
    }
}

/// Scheme, host and port of a URL: requests carry the bearer token only to trusted origins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Origin {
    scheme: String,
    host: String,
    port: u16,
}

impl Origin {
    pub(crate) fn of(uri: &Uri) -> Option<Origin> {
        let scheme = uri.scheme_str()?.to_ascii_lowercase();
        let host = uri.host()?.to_ascii_lowercase();
        let port = uri.port_u16().or(match scheme.as_str() {
            "https" => Some(443),
            "http" => Some(80),
            _ => None,
        })?;
        Some(Origin { scheme, host, port })
    }
}

/// A Microsoft Graph client. Cheap to clone (one shared connection pool and settings).
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) base_url: String,
    trusted: Vec<Origin>,
    token: Option<Arc<dyn TokenProvider>>,
    transport: Option<Arc<dyn Transport>>,
    retry: RetryPolicy,
    timeout: Option<Duration>,
    max_redirects: u32,
    /// A settings problem found by `build()`, reported by every request.
    invalid: Option<String>,
    #[cfg(feature = "blocking")]
    pub(crate) blocking: std::sync::OnceLock<Result<crate::blocking::BlockingRuntime, String>>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field(
                "token",
                &if self.inner.token.is_some() {
                    "<redacted>"
                } else {
                    "<none>"
                },
            )
            .field("retry", &self.inner.retry)
            .field("timeout", &self.inner.timeout)
            .field("max_redirects", &self.inner.max_redirects)
            .finish()
    }
}

/// Options for [`Client::execute`]: whether to attach the bearer token, how to retry, the
/// timeout, and whether to follow redirects.
#[derive(Debug, Clone, Default)]
pub struct ExecuteOptions {
    auth: bool,
    retry: Option<RetryPolicy>,
    timeout: Option<Duration>,
    no_redirects: bool,
}

impl ExecuteOptions {
    /// No `Authorization` header, the client's retry policy and timeout, redirects followed.
    /// What upload URLs and pre-authenticated download URLs need.
    pub fn new() -> ExecuteOptions {
        ExecuteOptions::default()
    }

    /// Attaches the bearer token — but only if the URL's origin is trusted (the base URL's, or
    /// one added with [`ClientBuilder::trusted_host`]). Other hosts never get it.
    pub fn with_auth(mut self) -> Self {
        self.auth = true;
        self
    }

    /// Uses this retry policy instead of the client's.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Turns retrying off: the first response is returned, whatever its status.
    pub fn no_retry(self) -> Self {
        self.retry(RetryPolicy::none())
    }

    /// Uses this timeout (per attempt: send plus reading the whole response) instead of the
    /// client's.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Whether to follow redirects (default: yes, up to the client's limit).
    pub fn follow_redirects(mut self, follow: bool) -> Self {
        self.no_redirects = !follow;
        self
    }

    pub(crate) fn retry_opt(mut self, policy: Option<RetryPolicy>) -> Self {
        if policy.is_some() {
            self.retry = policy;
        }
        self
    }

    pub(crate) fn timeout_opt(mut self, timeout: Option<Duration>) -> Self {
        if timeout.is_some() {
            self.timeout = timeout;
        }
        self
    }
}

/// Facts about how a response was obtained, stored in the response's extensions by
/// [`Client::execute`] (`response.extensions().get::<ResponseInfo>()`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ResponseInfo {
    /// The `client-request-id` that was sent.
    pub client_request_id: String,
    /// The URL that gave the response (after redirects).
    pub url: String,
    /// How many attempts were made (1 when there was no retry).
    pub attempts: u32,
}

impl Client {
    /// The global service at `https://graph.microsoft.com/v1.0` with a static bearer token.
    pub fn new(token: impl Into<String>) -> Client {
        Client::builder().token(token).build()
    }

    /// A builder for other clouds, base URLs, tokens and settings.
    pub fn builder() -> ClientBuilder {
        ClientBuilder {
            base_url: None,
            cloud: NationalCloud::Global,
            version: ApiVersion::V1,
            token: None,
            transport: None,
            retry: RetryPolicy::default(),
            timeout: Some(Duration::from_secs(100)),
            connect_timeout: Duration::from_secs(30),
            max_redirects: 5,
            trusted_hosts: Vec::new(),
        }
    }

    /// The base URL requests are sent to, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The client's default retry policy.
    pub fn retry_policy(&self) -> RetryPolicy {
        self.inner.retry
    }

    /// Whether a request to `url` would carry the bearer token: its scheme, host and port are
    /// the base URL's or those of a host added with [`ClientBuilder::trusted_host`].
    pub fn is_trusted(&self, url: &str) -> bool {
        url.parse::<Uri>()
            .ok()
            .and_then(|u| Origin::of(&u))
            .is_some_and(|o| self.inner.trusted.contains(&o))
    }

    /// Sends a raw request with the client's machinery and returns the raw response, whatever
    /// its status (turn an error status into an [`Error`] with [`Error::from_response`]).
    ///
    /// - A relative URI (`/me/drive`) is resolved against the base URL.
    /// - `client-request-id` is added (a new UUID) unless the request has one.
    /// - `Authorization: Bearer ...` is added only with [`ExecuteOptions::with_auth`] and only
    ///   for a trusted origin; an `Authorization` header is removed for any other origin.
    /// - `429`/`503`/`504` are retried per the [`RetryPolicy`] (with `Retry-Attempt`).
    /// - Redirects are followed up to the client's limit; `Authorization` (and `Cookie`) are
    ///   dropped once the chain leaves the original origin; `303` (and `301`/`302` after
    ///   `POST`) continue as `GET` without a body.
    /// - The timeout applies per attempt.
    ///
    /// The response's extensions hold a [`ResponseInfo`]. `Err` means no response at all
    /// (transport failure, timeout, token failure, redirect loop, bad input).
    pub async fn execute<B: Into<Bytes>>(
        &self,
        request: http::Request<B>,
        options: ExecuteOptions,
    ) -> Result<http::Response<Bytes>, Error> {
        let (parts, body) = request.into_parts();
        self.run(parts, body.into(), &options).await
    }

    /// [`Client::execute`] with the bearer token (for API requests to the base URL).
    pub async fn send_raw<B: Into<Bytes>>(
        &self,
        request: http::Request<B>,
    ) -> Result<http::Response<Bytes>, Error> {
        self.execute(request, ExecuteOptions::new().with_auth())
            .await
    }

    fn absolute(&self, uri: &Uri) -> Result<Uri, Error> {
        if uri.scheme().is_some() {
            return Ok(uri.clone());
        }
        let pq = uri.path_and_query().map(|p| p.as_str()).unwrap_or("");
        let sep = if pq.starts_with('/') || pq.is_empty() {
            ""
        } else {
            "/"
        };
        let full = format!("{}{sep}{pq}", self.inner.base_url);
        full.parse::<Uri>()
            .map_err(|e| Error::InvalidInput(format!("invalid URL `{full}`: {e}")))
    }

    fn transport(&self) -> Result<&Arc<dyn Transport>, Error> {
        if let Some(msg) = &self.inner.invalid {
            return Err(Error::InvalidInput(msg.clone()));
        }
        self.inner.transport.as_ref().ok_or_else(|| {
            Error::InvalidInput(
                "no transport: enable the `reqwest` feature or set ClientBuilder::transport"
                    .to_string(),
            )
        })
    }

    pub(crate) async fn run(
        &self,
        parts: http::request::Parts,
        body: Bytes,
        options: &ExecuteOptions,
    ) -> Result<http::Response<Bytes>, Error> {
        let uri = self.absolute(&parts.uri)?;
        let method = parts.method;
        let mut headers = parts.headers;
        let client_request_id = match headers.get(CLIENT_REQUEST_ID) {
            Some(v) => String::from_utf8_lossy(v.as_bytes()).into_owned(),
            None => {
                let id = uuid::Uuid::new_v4().to_string();
                if let Ok(v) = HeaderValue::from_str(&id) {
                    headers.insert(CLIENT_REQUEST_ID, v);
                }
                id
            }
        };
        let policy = options.retry.unwrap_or(self.inner.retry);
        let mut retries = 0u32;
        let mut waited = Duration::ZERO;
        loop {
            let mut h = headers.clone();
            if retries > 0 {
                h.insert(RETRY_ATTEMPT, HeaderValue::from(retries));
            }
            let (mut response, final_uri) = self
                .follow_redirects(
                    method.clone(),
                    uri.clone(),
                    h,
                    body.clone(),
                    options,
                    &client_request_id,
                )
                .await?;
            let retry_after = parse_retry_after(response.headers());
            match policy.next_wait(&method, response.status(), retry_after, retries, waited) {
                Some(wait) => {
                    tokio::time::sleep(wait).await;
                    waited += wait;
                    retries += 1;
                }
                None => {
                    response.extensions_mut().insert(ResponseInfo {
                        client_request_id,
                        url: final_uri.to_string(),
                        attempts: retries + 1,
                    });
                    return Ok(response);
                }
            }
        }
    }

    async fn follow_redirects(
        &self,
        mut method: Method,
        mut uri: Uri,
        mut headers: http::HeaderMap,
        mut body: Bytes,
        options: &ExecuteOptions,
        client_request_id: &str,
    ) -> Result<(http::Response<Bytes>, Uri), Error> {
        let first = Origin::of(&uri);
        let mut left_origin = false;
        let mut hop = 0u32;
        loop {
            let origin = Origin::of(&uri);
            left_origin |= origin != first;
            let trusted = origin
                .as_ref()
                .is_some_and(|o| self.inner.trusted.contains(o));
            if !trusted || left_origin {
                headers.remove(AUTHORIZATION);
            } else if options.auth {
                self.authorize(&mut headers).await?;
            }
            let response = self
                .send_once(
                    &method,
                    &uri,
                    &headers,
                    body.clone(),
                    options,
                    client_request_id,
                )
                .await?;
            let status = response.status();
            let location = response
                .headers()
                .get(http::header::LOCATION)
                .and_then(|l| l.to_str().ok());
            let follow = !options.no_redirects
                && matches!(status.as_u16(), 301 | 302 | 303 | 307 | 308)
                && location.is_some();
            if !follow {
                return Ok((response, uri));
            }
            let location = location.unwrap_or_default();
            if hop >= self.inner.max_redirects {
                return Err(Error::Redirect {
                    url: uri.to_string(),
                    message: format!(
                        "more than {} redirects (ClientBuilder::max_redirects)",
                        self.inner.max_redirects
                    ),
                });
            }
            hop += 1;
            let next = resolve(&uri, location).ok_or_else(|| Error::Redirect {
                url: uri.to_string(),
                message: format!("cannot follow `Location: {location}`"),
            })?;
            if status == StatusCode::SEE_OTHER
                || (matches!(status.as_u16(), 301 | 302) && method == Method::POST)
            {
                method = Method::GET;
                body = Bytes::new();
                headers.remove(CONTENT_TYPE);
                headers.remove(CONTENT_LENGTH);
            }
            if Origin::of(&next) != Origin::of(&uri) {
                headers.remove(AUTHORIZATION);
                headers.remove(COOKIE);
            }
            uri = next;
        }
    }

    async fn authorize(&self, headers: &mut http::HeaderMap) -> Result<(), Error> {
        let Some(provider) = &self.inner.token else {
            return Ok(());
        };
        let token = provider.token().await?;
        let mut value = HeaderValue::from_str(&format!("Bearer {token}")).map_err(|_| {
            Error::Auth("the token contains characters that cannot be sent in a header".into())
        })?;
        value.set_sensitive(true);
        headers.insert(AUTHORIZATION, value);
        Ok(())
    }

    async fn send_once(
        &self,
        method: &Method,
        uri: &Uri,
        headers: &http::HeaderMap,
        body: Bytes,
        options: &ExecuteOptions,
        client_request_id: &str,
    ) -> Result<http::Response<Bytes>, Error> {
        let transport = self.transport()?;
        let mut req = http::Request::new(body);
        *req.method_mut() = method.clone();
        *req.uri_mut() = uri.clone();
        *req.headers_mut() = headers.clone();
        let fail = |error: TransportError| Error::Transport {
            method: method.clone(),
            url: uri.to_string(),
            client_request_id: client_request_id.to_string(),
            error,
        };
        match options.timeout.or(self.inner.timeout) {
            Some(limit) => match tokio::time::timeout(limit, transport.send(req)).await {
                Ok(r) => r.map_err(fail),
                Err(_) => Err(fail(TransportError::new(
                    TransportErrorKind::Timeout,
                    format!("no complete response within {limit:?}"),
                ))),
            },
            None => transport.send(req).await.map_err(fail),
        }
    }

    /// Turns a response to a typed request into its value or an error.
    pub(crate) fn finish<K: crate::ResponseKind>(
        method: &Method,
        op: Option<&'static Operation>,
        response: http::Response<Bytes>,
    ) -> Result<K::Output, Error> {
        let status = response.status();
        if status.is_success() {
            return K::decode(status, response.body());
        }
        let info = response.extensions().get::<ResponseInfo>().cloned();
        let (url, crid, attempts) = match info {
            Some(i) => (i.url, i.client_request_id, i.attempts),
            None => (String::new(), String::new(), 1),
        };
        let e = ApiError::from_response(method, &url, &crid, &response, op, attempts);
        Err(if status == StatusCode::TOO_MANY_REQUESTS {
            Error::Throttled(Box::new(e))
        } else {
            Error::Api(Box::new(e))
        })
    }
}

/// Resolves a `Location` against the URL that answered.
fn resolve(base: &Uri, location: &str) -> Option<Uri> {
    if let Ok(u) = location.parse::<Uri>() {
        if u.scheme().is_some() {
            return Some(u);
        }
    }
    let scheme = base.scheme_str()?;
    let authority = base.authority()?.as_str();
    let full = if let Some(rest) = location.strip_prefix("//") {
        format!("{scheme}://{rest}")
    } else if location.starts_with('/') {
        format!("{scheme}://{authority}{location}")
    } else {
        let path = base.path();
        let dir = &path[..path.rfind('/').map(|i| i + 1).unwrap_or(0)];
        let dir = if dir.is_empty() { "/" } else { dir };
        format!("{scheme}://{authority}{dir}{location}")
    };
    full.parse().ok()
}

/// Builds a [`Client`].
pub struct ClientBuilder {
    base_url: Option<String>,
    cloud: NationalCloud,
    version: ApiVersion,
    token: Option<Arc<dyn TokenProvider>>,
    transport: Option<Arc<dyn Transport>>,
    retry: RetryPolicy,
    timeout: Option<Duration>,
    connect_timeout: Duration,
    max_redirects: u32,
    trusted_hosts: Vec<String>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("cloud", &self.cloud)
            .field("version", &self.version)
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("retry", &self.retry)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("max_redirects", &self.max_redirects)
            .field("trusted_hosts", &self.trusted_hosts)
            .finish()
    }
}

impl ClientBuilder {
    /// Sets the whole base URL, version included (e.g. `http://127.0.0.1:8080/v1.0`); a
    /// trailing `/` is removed. Overrides [`cloud`](Self::cloud) and [`version`](Self::version).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into().trim_end_matches('/').to_string());
        self
    }

    /// Selects a national cloud (default: global). The base URL becomes
    /// `<cloud root>/<version>`.
    pub fn cloud(mut self, cloud: NationalCloud) -> Self {
        self.cloud = cloud;
        self
    }

    /// Selects `v1.0` (default) or `beta`.
    pub fn version(mut self, version: ApiVersion) -> Self {
        self.version = version;
        self
    }

    /// Sets a static bearer token (an empty token means no `Authorization` header).
    pub fn token(mut self, token: impl Into<String>) -> Self {
        let token = token.into();
        self.token = if token.is_empty() {
            None
        } else {
            Some(Arc::new(StaticToken::new(token)))
        };
        self
    }

    /// Sets a token provider (e.g. one that refreshes).
    pub fn token_provider(mut self, provider: impl TokenProvider) -> Self {
        self.token = Some(Arc::new(provider));
        self
    }

    /// Sets a closure returning a future of the token, called before every authorized request.
    pub fn token_fn<F, Fut>(self, f: F) -> Self
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: std::future::Future<Output = Result<String, Error>> + Send + 'static,
    {
        self.token_provider(TokenFn::new(f))
    }

    /// Also sends the token to this origin (`https://host[:port]`), e.g. a second host of the
    /// same national cloud. The base URL's origin is always trusted.
    pub fn trusted_host(mut self, origin: impl Into<String>) -> Self {
        self.trusted_hosts.push(origin.into());
        self
    }

    /// Plugs in another HTTP stack (default: [`ReqwestTransport`](crate::ReqwestTransport)).
    pub fn transport(mut self, transport: impl Transport) -> Self {
        self.transport = Some(Arc::new(transport));
        self
    }

    /// Sets the default retry policy ([`RetryPolicy::none`] turns retrying off).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Sets the per-request timeout (each attempt: send and read the whole response).
    /// Default 100 s.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Removes the per-request timeout (for very slow downloads).
    pub fn no_timeout(mut self) -> Self {
        self.timeout = None;
        self
    }

    /// Sets the connect timeout of the default transport. Default 30 s.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Sets how many redirects a request follows (default 5; 0 returns redirects as they are).
    pub fn max_redirects(mut self, n: u32) -> Self {
        self.max_redirects = n;
        self
    }

    /// Builds the client, reporting a bad base URL or trusted host, or a transport that cannot
    /// be set up.
    pub fn try_build(self) -> Result<Client, Error> {
        let client = self.build();
        match &client.inner.invalid {
            Some(msg) => Err(Error::InvalidInput(msg.clone())),
            None => Ok(client),
        }
    }

    /// Builds the client. A bad base URL is reported by every request (use
    /// [`try_build`](Self::try_build) to see it here).
    pub fn build(self) -> Client {
        let base_url = self
            .base_url
            .unwrap_or_else(|| format!("{}/{}", self.cloud.root(), self.version.as_str()));
        let mut invalid = None;
        let mut trusted = Vec::new();
        match base_url.parse::<Uri>().ok().and_then(|u| Origin::of(&u)) {
            Some(o) => trusted.push(o),
            None => {
                invalid = Some(format!(
                    "invalid base URL `{base_url}`: expected http(s)://host[:port]/path"
                ))
            }
        }
        for host in &self.trusted_hosts {
            match host.parse::<Uri>().ok().and_then(|u| Origin::of(&u)) {
                Some(o) => trusted.push(o),
                None => {
                    invalid.get_or_insert(format!(
                        "invalid trusted host `{host}`: expected https://host[:port]"
                    ));
                }
            }
        }
        let transport = match self.transport {
            Some(t) => Some(t),
            None => default_transport(self.connect_timeout, &mut invalid),
        };
        Client {
            inner: Arc::new(Inner {
                base_url,
                trusted,
                token: self.token,
                transport,
                retry: self.retry,
                timeout: self.timeout,
                max_redirects: self.max_redirects,
                invalid,
                #[cfg(feature = "blocking")]
                blocking: std::sync::OnceLock::new(),
            }),
        }
    }
}

#[cfg(feature = "reqwest")]
fn default_transport(
    connect_timeout: Duration,
    invalid: &mut Option<String>,
) -> Option<Arc<dyn Transport>> {
    match crate::transport::ReqwestTransport::new(connect_timeout) {
        Ok(t) => Some(Arc::new(t)),
        Err(e) => {
            invalid.get_or_insert(e.to_string());
            None
        }
    }
}

#[cfg(not(feature = "reqwest"))]
fn default_transport(
    _connect_timeout: Duration,
    _invalid: &mut Option<String>,
) -> Option<Arc<dyn Transport>> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clouds_versions_and_trust() {
        let c = Client::builder()
            .cloud(NationalCloud::UsGovL5Dod)
            .version(ApiVersion::Beta)
            .build();
        assert_eq!(c.base_url(), "https://dod-graph.microsoft.us/beta");
        assert!(c.is_trusted("https://dod-graph.microsoft.us/beta/me"));
        assert!(c.is_trusted("https://DOD-GRAPH.microsoft.us:443/v1.0/me"));
        assert!(!c.is_trusted("http://dod-graph.microsoft.us/beta/me"));
        assert!(!c.is_trusted("https://graph.microsoft.com/v1.0/me"));
        assert!(!c.is_trusted("https://dod-graph.microsoft.us.evil.example/x"));
        assert_eq!(
            Client::new("t").base_url(),
            "https://graph.microsoft.com/v1.0"
        );
        assert_eq!(
            Client::builder()
                .cloud(NationalCloud::China21Vianet)
                .build()
                .base_url(),
            "https://microsoftgraph.chinacloudapi.cn/v1.0"
        );
        let c = Client::builder()
            .trusted_host("https://graph.microsoft.us")
            .build();
        assert!(c.is_trusted("https://graph.microsoft.us/v1.0/me"));
        let err = Client::builder()
            .base_url("not a url")
            .try_build()
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid input: invalid base URL `not a url`: expected http(s)://host[:port]/path"
        );
    }

    #[test]
    fn debug_never_shows_the_token() {
        let c = Client::new("secret-token-123");
        let b = Client::builder().token("secret-token-123");
        assert!(!format!("{c:?}").contains("secret"), "{c:?}");
        assert!(!format!("{b:?}").contains("secret"), "{b:?}");
        assert!(format!("{c:?}").contains("<redacted>"));
    }

    #[test]
    fn locations_resolve() {
        let base: Uri = "http://a.example:8080/v1.0/me/drive/items/1/content?x=1"
            .parse()
            .unwrap();
        let r = |l: &str| resolve(&base, l).unwrap().to_string();
        assert_eq!(r("https://b.example/dl?t=1"), "https://b.example/dl?t=1");
        assert_eq!(r("/other"), "http://a.example:8080/other");
        assert_eq!(r("//c.example/x"), "http://c.example/x");
        assert_eq!(r("sib"), "http://a.example:8080/v1.0/me/drive/items/1/sib");
    }
}
