//! The raw send path (`Client::execute`, `send_raw`) the upload driver uses, token providers,
//! custom transports, timeouts and redirect limits.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use common::{client, json, respond, serve, LIST};
use graph_docs_runtime::{
    BoxFuture, Client, Collection, Error, ExecuteOptions, Json, Path, ResponseInfo, RetryPolicy,
    Transport, TransportError,
};
use serde_json::{json, Value};

#[tokio::test]
async fn execute_sends_no_token_unless_asked_and_never_off_host() {
    let foreign = serve(|_, _| respond(202, &[], "")).await;
    let api = serve(|_, _| json(200, json!({"ok": true}))).await;
    let c = client(&api);

    // Upload-URL style: no Authorization, raw response returned, ResponseInfo attached.
    let put = http::Request::put(format!("{}/upload/sess1", foreign.base))
        .header("Content-Range", "bytes 0-3/8")
        .body(b"abcd".to_vec())
        .unwrap();
    let resp = c.execute(put, ExecuteOptions::new()).await.unwrap();
    assert_eq!(resp.status(), 202);
    let info = resp.extensions().get::<ResponseInfo>().unwrap();
    assert_eq!(info.attempts, 1);
    assert_eq!(info.url, format!("{}/upload/sess1", foreign.base));
    let f = foreign.seen();
    assert_eq!(f[0].method, "PUT");
    assert_eq!(f[0].body, b"abcd");
    assert_eq!(f[0].header("content-range"), Some("bytes 0-3/8"));
    assert_eq!(f[0].header("authorization"), None);
    assert_eq!(
        f[0].header("client-request-id"),
        Some(info.client_request_id.as_str())
    );

    // with_auth() to a foreign host: still no token, even one the caller put there.
    let get = http::Request::get(format!("{}/upload/sess1", foreign.base))
        .header("Authorization", "Bearer caller")
        .body(Vec::new())
        .unwrap();
    c.execute(get, ExecuteOptions::new().with_auth())
        .await
        .unwrap();
    assert_eq!(foreign.seen()[1].header("authorization"), None);

    // send_raw: relative URIs resolve against the base URL and carry the token.
    let get = http::Request::get("/me/drive").body(Vec::new()).unwrap();
    let resp = c.send_raw(get).await.unwrap();
    assert_eq!(&resp.body()[..], br#"{"ok":true}"#);
    let a = api.seen();
    assert_eq!(a[0].target, "/v1.0/me/drive");
    assert_eq!(a[0].header("authorization"), Some("Bearer tok-123"));

    // execute without with_auth to the API host: no token either.
    let get = http::Request::get("/me/drive").body(Vec::new()).unwrap();
    c.execute(get, ExecuteOptions::new()).await.unwrap();
    assert_eq!(api.seen()[1].header("authorization"), None);
}

#[tokio::test]
async fn execute_retries_and_returns_the_last_response() {
    let server = serve(|_, _| respond(503, &[("retry-after", "0")], "busy")).await;
    let c = client(&server);
    let req = || {
        http::Request::put(format!("{}/upload/s", server.base))
            .body(Bytes::from_static(b"x"))
            .unwrap()
    };
    let resp = c.execute(req(), ExecuteOptions::new()).await.unwrap();
    assert_eq!(resp.status(), 503);
    assert_eq!(resp.extensions().get::<ResponseInfo>().unwrap().attempts, 4);
    assert_eq!(server.seen().len(), 4);
    let resp = c
        .execute(req(), ExecuteOptions::new().no_retry())
        .await
        .unwrap();
    assert_eq!(resp.status(), 503);
    assert_eq!(server.seen().len(), 5);
    let info = resp.extensions().get::<ResponseInfo>().unwrap().clone();
    let err = Error::from_response(
        &http::Method::PUT,
        &info.url,
        &info.client_request_id,
        &resp,
    );
    assert_eq!(err.status(), Some(http::StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(
        err.api_error().unwrap().retry_after,
        Some(Duration::from_secs(0))
    );
}

#[tokio::test]
async fn token_fn_is_asked_for_every_request() {
    let server = serve(|_, _| json(200, json!({}))).await;
    let calls = Arc::new(AtomicUsize::new(0));
    let c2 = calls.clone();
    let c = Client::builder()
        .base_url(format!("{}/v1.0", server.base))
        .token_fn(move || {
            let n = c2.fetch_add(1, Ordering::SeqCst) + 1;
            async move { Ok(format!("fresh-{n}")) }
        })
        .build();
    for _ in 0..2 {
        Path::root(&c)
            .segment("me")
            .request::<Json<Value>>(&LIST)
            .send()
            .await
            .unwrap();
    }
    let seen = server.seen();
    assert_eq!(seen[0].header("authorization"), Some("Bearer fresh-1"));
    assert_eq!(seen[1].header("authorization"), Some("Bearer fresh-2"));

    // A failing provider: an Auth error, nothing sent.
    let c = Client::builder()
        .base_url(format!("{}/v1.0", server.base))
        .token_fn(|| async { Err(Error::Auth("refresh token expired".into())) })
        .build();
    let err = Path::root(&c)
        .segment("me")
        .request::<Json<Value>>(&LIST)
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "could not get an access token: refresh token expired"
    );
    assert_eq!(server.seen().len(), 2);
}

/// A transport that records what the client hands it and answers from a script.
struct Recorder {
    seen: Arc<Mutex<Vec<http::Request<Bytes>>>>,
}

impl Transport for Recorder {
    fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
        self.seen.lock().unwrap().push(request);
        Box::pin(async {
            Ok(http::Response::builder()
                .status(200)
                .body(Bytes::from_static(br#"{"value":[{"id":"1"}]}"#))
                .unwrap())
        })
    }
}

#[tokio::test]
async fn custom_transport_sees_the_exact_request() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let c = Client::builder()
        .token("tok")
        .transport(Recorder { seen: seen.clone() })
        .build();
    let page = Path::root(&c)
        .segment("me")
        .segment("drive")
        .segment("root")
        .segment("children")
        .request::<Collection<Value>>(&LIST)
        .select(["id", "name"])
        .filter("startswith(name,'a b')")
        .send()
        .await
        .unwrap();
    assert_eq!(page.value, [json!({"id": "1"})]);
    let seen = seen.lock().unwrap();
    assert_eq!(
        seen[0].uri().to_string(),
        "https://graph.microsoft.com/v1.0/me/drive/root/children\
         ?$select=id,name&$filter=startswith(name,'a%20b')"
    );
    let auth = seen[0].headers().get("authorization").unwrap();
    assert_eq!(auth, "Bearer tok");
    assert!(auth.is_sensitive());
    assert!(!format!("{:?}", seen[0].headers()).contains("tok\""));
}

#[tokio::test]
async fn timeouts_and_redirect_loops_are_errors() {
    // A server that accepts connections and never answers.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((sock, _)) = listener.accept().await {
            held.push(sock);
        }
    });
    let c = Client::builder()
        .base_url(format!("http://{addr}/v1.0"))
        .timeout(Duration::from_millis(300))
        .build();
    let err = Path::root(&c)
        .segment("me")
        .request::<Json<Value>>(&LIST)
        .send()
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert!(
        err.to_string()
            .contains(": timed out: no complete response within 300ms (client-request-id "),
        "{err}"
    );

    let server =
        serve(|_, seen| respond(302, &[("location", &format!("{}x", seen.target))], "")).await;
    let c = client(&server);
    let err = Path::root(&c)
        .segment("a")
        .request::<Json<Value>>(&LIST)
        .retry(RetryPolicy::none())
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "redirect problem at {}/v1.0/axxxxx: more than 5 redirects (ClientBuilder::max_redirects)",
            server.base
        )
    );
    assert_eq!(server.seen().len(), 6);
}

#[derive(Debug, serde::Deserialize)]
#[allow(dead_code)]
struct DriveItem {
    id: String,
}

#[tokio::test]
async fn bad_input_and_undecodable_bodies_are_clear_errors() {
    let server = serve(|_, _| {
        respond(
            200,
            &[("content-type", "text/html")],
            "<html>proxy login</html>",
        )
    })
    .await;
    let c = client(&server);
    let err = Path::root(&c)
        .segment("me")
        .segment("drive")
        .request::<Json<DriveItem>>(&LIST)
        .send()
        .await
        .unwrap_err();
    match &err {
        Error::Decode {
            type_name, excerpt, ..
        } => {
            assert_eq!(*type_name, "client::DriveItem");
            assert_eq!(excerpt, "<html>proxy login</html>");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    assert!(err
        .to_string()
        .starts_with("could not decode the response as client::DriveItem: expected value"));
    assert!(err
        .to_string()
        .ends_with("; body starts with: <html>proxy login</html>"));

    let err = Path::root(&c)
        .segment("me")
        .request::<Json<Value>>(&LIST)
        .header("X-Bad", "a\nb")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid input: invalid header `X-Bad: a\nb`"
    );
    assert_eq!(server.seen().len(), 1, "nothing sent for invalid input");
}

#[test]
fn debug_output_never_shows_credentials() {
    let c = Client::new("secret-token-abc");
    let req = Path::root(&c)
        .segment("me")
        .request::<Json<Value>>(&LIST)
        .header("Authorization", "Bearer secret-by-hand");
    let debug = format!("{req:?}");
    assert!(!debug.contains("secret"), "{debug}");
    assert!(debug.contains("Sensitive"), "{debug}");
}
