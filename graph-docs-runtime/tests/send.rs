//! Sending typed requests: throttling, Graph errors, query encoding, redirects, auth.
//! Each scenario runs through the async API and (with `--features blocking`) the blocking one.

mod common;

use std::time::{Duration, Instant};

use common::{client, json, respond, serve, Mode, CREATE, LIST};
use graph_docs_runtime::{
    Binary, Collection, Error, Json, NoContent, Path, RetryPolicy, TransportErrorKind,
};
use serde_json::{json, Value};

core_tests!(
    retry_after_one_second_then_success,
    three_429s_become_a_throttling_error_with_the_request_id,
    graph_error_body_is_parsed_exactly,
    query_options_are_encoded_as_the_service_expects,
    redirect_to_another_host_drops_authorization,
    post_is_retried_only_with_retry_after,
    no_content_and_connection_errors,
);

fn children(c: &graph_docs_runtime::Client) -> Path {
    Path::root(c)
        .segment("me")
        .segment("drive")
        .segment("root")
        .segment("children")
}

async fn retry_after_one_second_then_success(mode: Mode) {
    let server = serve(|n, _| match n {
        0 => respond(
            429,
            &[("retry-after", "1"), ("content-type", "application/json")],
            r#"{"error":{"code":"TooManyRequests","message":"slow down"}}"#,
        ),
        _ => json(200, json!({"id": "01ABC", "name": "a.txt"})),
    })
    .await;
    let c = client(&server);
    let req = Path::root(&c)
        .segment("me")
        .segment("drive")
        .segment("items")
        .key("01ABC")
        .request::<Json<Value>>(&LIST);
    let start = Instant::now();
    let item = common::send(mode, req).await.unwrap();
    let elapsed = start.elapsed();
    assert_eq!(item, json!({"id": "01ABC", "name": "a.txt"}));
    assert!(elapsed >= Duration::from_millis(900), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(10), "{elapsed:?}");
    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[0].target, "/v1.0/me/drive/items/01ABC");
    assert_eq!(seen[1].target, "/v1.0/me/drive/items/01ABC");
    assert_eq!(seen[0].header("retry-attempt"), None);
    assert_eq!(seen[1].header("retry-attempt"), Some("1"));
    for s in &seen {
        assert_eq!(s.header("authorization"), Some("Bearer tok-123"));
    }
    let id = seen[0].header("client-request-id").unwrap();
    assert!(uuid::Uuid::parse_str(id).is_ok(), "{id}");
    assert_eq!(
        seen[1].header("client-request-id"),
        Some(id),
        "same id on retries"
    );
}

async fn three_429s_become_a_throttling_error_with_the_request_id(mode: Mode) {
    let server = serve(|n, _| {
        let body = json!({"error": {
            "code": "TooManyRequests",
            "message": "Too many requests",
            "innerError": {"request-id": format!("rid-{n}"), "date": "2024-05-01T10:00:00"}
        }});
        respond(
            429,
            &[("retry-after", "0"), ("request-id", "header-rid")],
            body.to_string(),
        )
    })
    .await;
    let c = client(&server);
    let req = children(&c)
        .request::<Collection<Value>>(&LIST)
        .retry(RetryPolicy::default().max_retries(2));
    let err = common::send(mode, req).await.unwrap_err();
    let seen = server.seen();
    assert_eq!(seen.len(), 3, "1 attempt + 2 retries");
    let attempts: Vec<_> = seen.iter().map(|s| s.header("retry-attempt")).collect();
    assert_eq!(attempts, [None, Some("1"), Some("2")]);
    assert!(err.is_throttled(), "{err:?}");
    assert_eq!(err.status(), Some(http::StatusCode::TOO_MANY_REQUESTS));
    assert_eq!(err.request_id(), Some("rid-2"));
    let crid = seen[0].header("client-request-id").unwrap();
    assert_eq!(err.client_request_id(), Some(crid));
    assert_eq!(err.api_error().unwrap().attempts, 3);
    assert_eq!(
        err.to_string(),
        format!(
            "throttled: GET {}/v1.0/me/drive/root/children answered 429 Too Many Requests \
             TooManyRequests: Too many requests [operation list from api/driveitem-list-children.md] \
             (request-id rid-2, client-request-id {crid}, date 2024-05-01T10:00:00, after 3 attempts, \
             Retry-After 0s); the service is throttling this client: slow down or allow more \
             retries (RetryPolicy)",
            server.base
        )
    );

    // The default policy makes 3 retries; `no_retry()` makes none.
    let server = serve(|_, _| respond(429, &[("retry-after", "0")], "")).await;
    let c = client(&server);
    let err = common::send(mode, children(&c).request::<Collection<Value>>(&LIST))
        .await
        .unwrap_err();
    assert!(err.is_throttled());
    assert_eq!(server.seen().len(), 4);
    assert_eq!(err.request_id(), None);
    let before = server.seen().len();
    let err = common::send(
        mode,
        children(&c).request::<Collection<Value>>(&LIST).no_retry(),
    )
    .await
    .unwrap_err();
    assert!(err.is_throttled());
    assert_eq!(server.seen().len(), before + 1);
}

async fn graph_error_body_is_parsed_exactly(mode: Mode) {
    let server = serve(|_, _| {
        json(
            404,
            json!({"error": {
                "code": "itemNotFound",
                "message": "The resource could not be found.",
                "innerError": {
                    "request-id": "0c8a8a43-6c69-4a0c-8c4e-1b2e3f4a5b6c",
                    "client-request-id": "echoed-crid",
                    "date": "2024-05-01T10:00:00"
                }
            }}),
        )
    })
    .await;
    let c = client(&server);
    let req = Path::root(&c)
        .segment("me")
        .segment("drive")
        .segment("items")
        .key("missing id")
        .request::<Json<Value>>(&LIST);
    let err = common::send(mode, req).await.unwrap_err();
    assert!(matches!(err, Error::Api(_)), "{err:?}");
    assert_eq!(err.status(), Some(http::StatusCode::NOT_FOUND));
    assert_eq!(err.code(), Some("itemNotFound"));
    assert_eq!(err.message(), Some("The resource could not be found."));
    assert_eq!(
        err.request_id(),
        Some("0c8a8a43-6c69-4a0c-8c4e-1b2e3f4a5b6c")
    );
    assert_eq!(err.client_request_id(), Some("echoed-crid"));
    let api = err.api_error().unwrap();
    assert_eq!(api.date.as_deref(), Some("2024-05-01T10:00:00"));
    assert_eq!(api.attempts, 1);
    assert_eq!(
        err.to_string(),
        format!(
            "GET {}/v1.0/me/drive/items/missing%20id answered 404 Not Found itemNotFound: The \
             resource could not be found. [operation list from api/driveitem-list-children.md] \
             (request-id 0c8a8a43-6c69-4a0c-8c4e-1b2e3f4a5b6c, client-request-id echoed-crid, \
             date 2024-05-01T10:00:00); check the ids and path in the URL",
            server.base
        )
    );

    // 403 names the permissions the operation's page documents.
    let server = serve(|_, _| {
        json(
            403,
            json!({"error": {"code": "accessDenied", "message": "Access denied"}}),
        )
    })
    .await;
    let c = client(&server);
    let err = common::send(mode, children(&c).request::<Collection<Value>>(&LIST))
        .await
        .unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.ends_with(
            "; the token lacks a permission this operation needs (delegated work/school: one of \
             Files.Read, Files.ReadWrite; delegated personal: one of Files.Read; application: \
             one of Files.Read.All; see api/driveitem-list-children.md)"
        ),
        "{msg}"
    );
    assert_eq!(err.request_id(), None);
}

async fn query_options_are_encoded_as_the_service_expects(mode: Mode) {
    let server = serve(|_, _| json(200, json!({"value": []}))).await;
    let c = client(&server);
    let req = children(&c)
        .request::<Collection<Value>>(&LIST)
        .select(["id", "name"])
        .filter("startswith(name,'a b')")
        .orderby("name desc")
        .top(5)
        .count(true)
        .query("custom&x", "1=2")
        .header("Prefer", "outlook.timezone=\"UTC\"");
    // What the client produces (sans-IO, and what a custom transport receives):
    let query = "?$select=id,name&$filter=startswith(name,'a%20b')&$orderby=name%20desc&$top=5\
                 &$count=true&custom%26x=1%3D2";
    assert_eq!(
        req.url(),
        format!("{}/v1.0/me/drive/root/children{query}", server.base)
    );
    assert_eq!(
        req.build().unwrap().uri().to_string(),
        format!("{}/v1.0/me/drive/root/children{query}", server.base)
    );
    let page = common::send(mode, req).await.unwrap();
    assert!(page.value.is_empty());
    assert_eq!(page.next_link, None);
    let seen = server.seen();
    // On the wire through reqwest: its WHATWG URL parser also escapes `'` as `%27` in the query
    // of http(s) URLs, which the service decodes to the same value.
    assert_eq!(
        seen[0].target,
        "/v1.0/me/drive/root/children?$select=id,name&$filter=startswith(name,%27a%20b%27)\
         &$orderby=name%20desc&$top=5&$count=true&custom%26x=1%3D2"
    );
    assert_eq!(seen[0].header("consistencylevel"), Some("eventual"));
    assert_eq!(seen[0].header("prefer"), Some("outlook.timezone=\"UTC\""));
    assert_eq!(seen[0].method, "GET");
}

async fn redirect_to_another_host_drops_authorization(mode: Mode) {
    let download = serve(|_, _| {
        respond(
            200,
            &[("content-type", "application/octet-stream")],
            "file bytes",
        )
    })
    .await;
    let location = format!("{}/dl/abc?tempauth=xyz", download.base);
    let api = serve(move |_, _| respond(302, &[("location", location.as_str())], "")).await;
    let c = client(&api);
    let req = Path::root(&c)
        .segment("me")
        .segment("drive")
        .segment("items")
        .key("01ABC")
        .segment("content")
        .request::<Binary>(&LIST);
    let bytes = common::send(mode, req).await.unwrap();
    assert_eq!(&bytes[..], b"file bytes");
    let a = api.seen();
    let d = download.seen();
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].target, "/v1.0/me/drive/items/01ABC/content");
    assert_eq!(a[0].header("authorization"), Some("Bearer tok-123"));
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].target, "/dl/abc?tempauth=xyz");
    assert_eq!(d[0].header("authorization"), None);
    assert_eq!(
        d[0].header("client-request-id"),
        a[0].header("client-request-id")
    );
}

async fn post_is_retried_only_with_retry_after(mode: Mode) {
    // 503 without Retry-After: the service may have processed the POST; not retried.
    let server = serve(|_, _| respond(503, &[], "busy")).await;
    let c = client(&server);
    let req = children(&c)
        .request::<Json<Value>>(&CREATE)
        .json(&json!({"name": "new folder", "folder": {}}));
    let err = common::send(mode, req).await.unwrap_err();
    assert_eq!(server.seen().len(), 1);
    assert_eq!(err.status(), Some(http::StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(err.code(), None);
    assert!(err.to_string().contains(
        "answered 503 Service Unavailable: busy [operation post from api/driveitem-post-children.md] (request-id none,"
    ), "{err}");

    // 503 with Retry-After: the service says it did not process it; retried, same body.
    let server = serve(|n, _| match n {
        0 => respond(503, &[("retry-after", "0")], ""),
        _ => json(201, json!({"id": "NEW", "name": "new folder"})),
    })
    .await;
    let c = client(&server);
    let req = children(&c)
        .request::<Json<Value>>(&CREATE)
        .json(&json!({"name": "new folder", "folder": {}}));
    let item = common::send(mode, req).await.unwrap();
    assert_eq!(item["id"], "NEW");
    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    for s in &seen {
        assert_eq!(s.method, "POST");
        assert_eq!(s.body, br#"{"folder":{},"name":"new folder"}"#);
        assert_eq!(s.header("content-type"), Some("application/json"));
    }
}

async fn no_content_and_connection_errors(mode: Mode) {
    let server = serve(|_, _| respond(204, &[], "")).await;
    let c = client(&server);
    let del = Path::root(&c)
        .segment("me")
        .segment("drive")
        .segment("items")
        .key("01ABC")
        .request::<NoContent>(&LIST);
    common::send(mode, del).await.unwrap();

    // Nothing listens on port 9 of 127.0.0.1: a transport error naming the request.
    let c = graph_docs_runtime::Client::builder()
        .base_url("http://127.0.0.1:9/v1.0")
        .token("tok")
        .build();
    let err = common::send(
        mode,
        Path::root(&c).segment("me").request::<Json<Value>>(&LIST),
    )
    .await
    .unwrap_err();
    match &err {
        Error::Transport {
            method, url, error, ..
        } => {
            assert_eq!(method, http::Method::GET);
            assert_eq!(url, "http://127.0.0.1:9/v1.0/me");
            assert_eq!(error.kind(), TransportErrorKind::Connect);
        }
        other => panic!("expected a transport error, got {other:?}"),
    }
    let crid = err.client_request_id().unwrap().to_string();
    assert!(err
        .to_string()
        .starts_with("could not GET http://127.0.0.1:9/v1.0/me: could not connect: "));
    assert!(err
        .to_string()
        .ends_with(&format!("(client-request-id {crid})")));
}
