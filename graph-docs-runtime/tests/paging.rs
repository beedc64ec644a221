//! Paging through `@odata.nextLink`: every item once, in order; headers re-sent; the token
//! never reaches another host. Runs through the async and (with `--features blocking`) the
//! blocking API.

mod common;

use std::sync::{Arc, Mutex};

use common::{client, json, serve, Mode, LIST};
use futures_util::StreamExt;
use graph_docs_runtime::{Collection, Path};
use serde::Deserialize;
use serde_json::json;

core_tests!(
    three_pages_yield_every_item_once_in_order,
    foreign_next_link_is_followed_without_the_token,
    an_error_ends_the_stream_after_the_items_before_it,
);

#[derive(Debug, Deserialize, PartialEq)]
struct User {
    id: String,
}

fn users(c: &graph_docs_runtime::Client) -> graph_docs_runtime::Request<Collection<User>> {
    Path::root(c)
        .segment("users")
        .request::<Collection<User>>(&LIST)
        .count(true)
        .top(2)
}

fn ids(items: Vec<Result<User, graph_docs_runtime::Error>>) -> Vec<String> {
    items.into_iter().map(|u| u.unwrap().id).collect()
}

async fn three_pages_yield_every_item_once_in_order(mode: Mode) {
    let base: Arc<Mutex<String>> = Arc::default();
    let b = base.clone();
    let server = serve(move |_, seen| {
        let base = b.lock().unwrap().clone();
        let page = seen
            .target
            .rsplit("skiptoken=")
            .next()
            .filter(|_| seen.target.contains("skiptoken"));
        match page {
            None => json(
                200,
                json!({
                    "@odata.count": 5,
                    "value": [{"id": "u1"}, {"id": "u2"}],
                    "@odata.nextLink": format!("{base}/v1.0/users?$count=true&$top=2&$skiptoken=p2")
                }),
            ),
            Some("p2") => json(
                200,
                json!({
                    "value": [{"id": "u3"}, {"id": "u4"}],
                    "@odata.nextLink": format!("{base}/v1.0/users?$count=true&$top=2&$skiptoken=p3")
                }),
            ),
            _ => json(200, json!({"value": [{"id": "u5"}]})),
        }
    })
    .await;
    *base.lock().unwrap() = server.base.clone();
    let c = client(&server);
    let items = common::items(mode, users(&c)).await;
    assert_eq!(ids(items), ["u1", "u2", "u3", "u4", "u5"]);
    let seen = server.seen();
    let targets: Vec<_> = seen.iter().map(|s| s.target.as_str()).collect();
    assert_eq!(
        targets,
        [
            "/v1.0/users?$count=true&$top=2",
            "/v1.0/users?$count=true&$top=2&$skiptoken=p2",
            "/v1.0/users?$count=true&$top=2&$skiptoken=p3",
        ]
    );
    for s in &seen {
        assert_eq!(s.method, "GET");
        assert_eq!(
            s.header("consistencylevel"),
            Some("eventual"),
            "{}",
            s.target
        );
        assert_eq!(
            s.header("authorization"),
            Some("Bearer tok-123"),
            "{}",
            s.target
        );
    }
    let mut crids: Vec<_> = seen
        .iter()
        .map(|s| s.header("client-request-id").unwrap())
        .collect();
    crids.dedup();
    assert_eq!(crids.len(), 3, "a fresh client-request-id per page");

    if mode == Mode::Async {
        // Pages expose @odata.count; `.items().take(3)` stops after the page holding item 3.
        let before = server.seen().len();
        let pages: Vec<_> = users(&c).pages().collect().await;
        let pages: Vec<_> = pages.into_iter().map(Result::unwrap).collect();
        assert_eq!(pages.len(), 3);
        assert_eq!(pages[0].count, Some(5));
        assert_eq!(pages[2].next_link, None);
        assert_eq!(server.seen().len(), before + 3);
        let first3: Vec<_> = users(&c).items().take(3).collect().await;
        assert_eq!(ids(first3), ["u1", "u2", "u3"]);
        assert_eq!(
            server.seen().len(),
            before + 3 + 2,
            "no third page requested"
        );
    }
}

async fn foreign_next_link_is_followed_without_the_token(mode: Mode) {
    let foreign = serve(|_, _| json(200, json!({"value": [{"id": "f1"}]}))).await;
    let link = format!("{}/v1.0/users?$skiptoken=elsewhere", foreign.base);
    let api = serve(move |_, _| {
        json(
            200,
            json!({"value": [{"id": "u1"}], "@odata.nextLink": link}),
        )
    })
    .await;
    let c = client(&api);
    // Even a caller-set Authorization header is not sent to the foreign host.
    let req = users(&c).header("Authorization", "Bearer caller-set");
    let items = common::items(mode, req).await;
    assert_eq!(ids(items), ["u1", "f1"]);
    let a = api.seen();
    let f = foreign.seen();
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].header("authorization"), Some("Bearer tok-123"));
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].target, "/v1.0/users?$skiptoken=elsewhere");
    assert_eq!(f[0].header("authorization"), None);
    assert_eq!(f[0].header("consistencylevel"), Some("eventual"));
}

async fn an_error_ends_the_stream_after_the_items_before_it(mode: Mode) {
    let base: Arc<Mutex<String>> = Arc::default();
    let b = base.clone();
    let server = serve(move |n, _| {
        let base = b.lock().unwrap().clone();
        match n {
            0 => json(
                200,
                json!({
                    "value": [{"id": "u1"}],
                    "@odata.nextLink": format!("{base}/v1.0/users?$skiptoken=p2")
                }),
            ),
            // An empty page is normal.
            1 => json(
                200,
                json!({
                    "value": [],
                    "@odata.nextLink": format!("{base}/v1.0/users?$skiptoken=p3")
                }),
            ),
            _ => json(
                400,
                json!({"error": {"code": "badRequest", "message": "Invalid skip token"}}),
            ),
        }
    })
    .await;
    *base.lock().unwrap() = server.base.clone();
    let c = client(&server);
    let items = common::items(mode, users(&c)).await;
    assert_eq!(items.len(), 2);
    assert_eq!(items[0].as_ref().unwrap().id, "u1");
    let err = items[1].as_ref().unwrap_err();
    assert_eq!(err.code(), Some("badRequest"));
    assert_eq!(err.message(), Some("Invalid skip token"));
    assert_eq!(server.seen().len(), 3);
}
