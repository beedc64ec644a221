//! `include_graph_api!` on a small docs folder written for this test
//! (`tests/fixtures/small-docs`): every route shape builds its exact request, the models
//! serialise as the docs say, and `only = [..]` leaves routes out.

mod api {
    graph_docs_macros::include_graph_api!("fixtures/small-docs");
}

/// The same folder, generated with a route filter.
mod widgets_only {
    graph_docs_macros::include_graph_api!(
        "fixtures/small-docs",
        only = ["/widgets/{id}/photo", "/people"]
    );
}

use api::models::{Widget, WidgetState};
use api::Client;
use serde_json::json;

const BASE: &str = "https://graph.microsoft.com/v1.0";

/// Method, URL, headers (sorted) and body of a built request.
fn parts(
    req: graph_docs_runtime::__private::http::Request<Vec<u8>>,
) -> (String, String, Vec<(String, String)>, String) {
    let mut headers: Vec<(String, String)> = req
        .headers()
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_str().expect("ascii header").to_string()))
        .collect();
    headers.sort();
    (
        req.method().to_string(),
        req.uri().to_string(),
        headers,
        String::from_utf8(req.body().clone()).expect("utf-8 body"),
    )
}

fn no_headers() -> Vec<(String, String)> {
    Vec::new()
}

fn json_header() -> Vec<(String, String)> {
    vec![("content-type".into(), "application/json".into())]
}

fn c() -> Client {
    Client::new("token")
}

#[test]
fn key_placeholder() {
    let r = c().widgets().by_id("w1").get().build().unwrap();
    assert_eq!(
        parts(r),
        (
            "GET".into(),
            format!("{BASE}/widgets/w1"),
            no_headers(),
            String::new()
        )
    );
}

#[test]
fn key_is_one_encoded_segment() {
    let r = c().widgets().by_id("a/b?c#d e%").get().build().unwrap();
    assert_eq!(
        r.uri().to_string(),
        format!("{BASE}/widgets/a%2Fb%3Fc%23d%20e%25")
    );
    let r = c().widgets().by_id("..").get().build().unwrap();
    assert_ne!(r.uri().to_string(), format!("{BASE}/"));
    assert!(r.uri().to_string().starts_with(&format!("{BASE}/widgets/")));
}

#[test]
fn id_or_user_principal_name() {
    let r = c()
        .people()
        .by_id("adele@contoso.com")
        .get()
        .build()
        .unwrap();
    assert_eq!(
        parts(r),
        (
            "GET".into(),
            format!("{BASE}/people/adele@contoso.com"),
            no_headers(),
            String::new()
        )
    );
}

#[test]
fn key_in_parentheses() {
    let r = c()
        .widgets()
        .by_id("w1")
        .parts_by_id("p'1")
        .get()
        .build()
        .unwrap();
    // Quoted key: `'` doubled as OData requires, then percent-encoded with the rest of the key.
    assert_eq!(
        parts(r),
        (
            "GET".into(),
            format!("{BASE}/widgets/w1/parts('p%27%271')"),
            no_headers(),
            String::new()
        )
    );
}

#[test]
fn function_with_parameters() {
    let r = c()
        .widgets()
        .by_id("w1")
        .get_usage("D7", 5)
        .build()
        .unwrap();
    assert_eq!(
        parts(r),
        (
            "GET".into(),
            format!("{BASE}/widgets/w1/getUsage(period='D7',top=5)"),
            no_headers(),
            String::new()
        )
    );
}

#[test]
fn type_cast() {
    let r = c().widgets().by_id("w1").as_gadget().get().build().unwrap();
    assert_eq!(
        parts(r),
        (
            "GET".into(),
            format!("{BASE}/widgets/w1/microsoft.graph.gadget"),
            no_headers(),
            String::new()
        )
    );
}

#[test]
fn colon_path() {
    let root = c().me().files().root();
    let r = root.item_by_path("Docs/a b.txt").get().build().unwrap();
    assert_eq!(
        parts(r),
        (
            "GET".into(),
            format!("{BASE}/me/files/root:/Docs/a%20b.txt"),
            no_headers(),
            String::new()
        )
    );
    // Followed by another segment, the colon path is closed.
    let r = root
        .item_by_path("Docs/a.txt")
        .content()
        .get()
        .build()
        .unwrap();
    assert_eq!(
        parts(r),
        (
            "GET".into(),
            format!("{BASE}/me/files/root:/Docs/a.txt:/content"),
            no_headers(),
            String::new()
        )
    );
    // `..` parts cannot climb out of the item path.
    let r = root.item_by_path("../../users").get().build().unwrap();
    let url = r.uri().to_string();
    assert!(url.starts_with(&format!("{BASE}/me/files/root:/")), "{url}");
    assert!(!url.contains("/../"), "{url}");
}

#[test]
fn dollar_value() {
    let r = c()
        .widgets()
        .by_id("w1")
        .photo()
        .value()
        .get()
        .build()
        .unwrap();
    assert_eq!(
        parts(r),
        (
            "GET".into(),
            format!("{BASE}/widgets/w1/photo/$value"),
            no_headers(),
            String::new()
        )
    );
}

#[test]
fn dollar_count() {
    let r = c().widgets().count().get().build().unwrap();
    assert_eq!(
        parts(r),
        (
            "GET".into(),
            format!("{BASE}/widgets/$count"),
            no_headers(),
            String::new()
        )
    );
}

#[test]
fn dollar_ref() {
    let r = c()
        .widgets()
        .by_id("w1")
        .owners()
        .r#ref()
        .post("https://graph.microsoft.com/v1.0/people/p1")
        .build()
        .unwrap();
    assert_eq!(
        parts(r),
        (
            "POST".into(),
            format!("{BASE}/widgets/w1/owners/$ref"),
            json_header(),
            r#"{"@odata.id":"https://graph.microsoft.com/v1.0/people/p1"}"#.into()
        )
    );
}

#[test]
fn query_string_in_route() {
    let r = c()
        .widgets()
        .by_id("w1")
        .history()
        .get("2021-01-01T00:00:00Z")
        .build()
        .unwrap();
    assert_eq!(
        parts(r),
        (
            "GET".into(),
            format!("{BASE}/widgets/w1/history?since=2021-01-01T00:00:00Z&kind=all"),
            no_headers(),
            String::new()
        )
    );
    // A value cannot add query pairs or a fragment.
    let r = c()
        .widgets()
        .by_id("w1")
        .history()
        .get("x&kind=none#f")
        .build()
        .unwrap();
    assert_eq!(
        r.uri().to_string(),
        format!("{BASE}/widgets/w1/history?since=x%26kind%3Dnone%23f&kind=all")
    );
}

#[test]
fn odata_query_options_and_headers() {
    let r = c()
        .widgets()
        .get()
        .select(["id", "displayName"])
        .top(5)
        .header("Prefer", "return=minimal")
        .build()
        .unwrap();
    assert_eq!(
        parts(r),
        (
            "GET".into(),
            format!("{BASE}/widgets?$select=id,displayName&$top=5"),
            vec![("prefer".into(), "return=minimal".into())],
            String::new()
        )
    );
}

#[test]
fn action_with_body_parameters() {
    let r = c()
        .widgets()
        .by_id("w1")
        .rotate()
        .angle(90)
        .clockwise(true)
        .build()
        .unwrap();
    assert_eq!(
        parts(r),
        (
            "POST".into(),
            format!("{BASE}/widgets/w1/rotate"),
            json_header(),
            r#"{"angle":90,"clockwise":true}"#.into()
        )
    );
    // A documented header has a typed setter.
    let r = c()
        .widgets()
        .by_id("w1")
        .rotate()
        .if_match("W/\"7\"")
        .build()
        .unwrap();
    assert_eq!(r.headers()["if-match"], "W/\"7\"");
    // Unset parameters are left out; an action with none set sends `{}`.
    let r = c().widgets().by_id("w1").rotate().build().unwrap();
    assert_eq!(r.body().as_slice(), b"{}");
    let body = api::requests::RotateBody {
        note: Some("n".into()),
        ..Default::default()
    };
    assert_eq!(serde_json::to_value(&body).unwrap(), json!({"note": "n"}));
}

#[test]
fn patch_with_resource_body() {
    let w = Widget {
        display_name: Some("Renamed".into()),
        state: Some(WidgetState::Spinning),
        ..Default::default()
    };
    let r = c().widgets().by_id("w1").patch(&w).build().unwrap();
    assert_eq!(
        parts(r),
        (
            "PATCH".into(),
            format!("{BASE}/widgets/w1"),
            json_header(),
            r#"{"displayName":"Renamed","state":"spinning"}"#.into()
        )
    );
}

#[test]
fn delete_is_no_content() {
    // The response kind is `NoContent` (a 204 answer, nothing to decode).
    let req: graph_docs_runtime::Request<graph_docs_runtime::NoContent> =
        c().widgets().by_id("w1").delete();
    assert_eq!(req.operation().name, "delete");
    assert_eq!(req.operation().doc, "api/widget-delete.md");
    assert_eq!(
        parts(req.build().unwrap()),
        (
            "DELETE".into(),
            format!("{BASE}/widgets/w1"),
            no_headers(),
            String::new()
        )
    );
}

#[test]
fn base_url_from_the_builder() {
    let rt = Client::builder()
        .base_url("http://127.0.0.1:9/v1.0")
        .build();
    let r = Client::from(rt)
        .widgets()
        .by_id("w1")
        .get()
        .build()
        .unwrap();
    assert_eq!(r.uri().to_string(), "http://127.0.0.1:9/v1.0/widgets/w1");
}

#[test]
fn operations_list_every_route_with_its_page() {
    let mut routes: Vec<(&str, &str)> = Client::operations()
        .iter()
        .flat_map(|op| op.routes.iter().map(move |r| (*r, op.doc)))
        .collect();
    routes.sort();
    assert_eq!(
        routes,
        vec![
            ("DELETE /widgets/{widget-id}", "api/widget-delete.md"),
            ("GET /me/files/root:/{item-path}", "api/file-get.md"),
            (
                "GET /me/files/root:/{item-path}:/content",
                "api/file-get-content.md"
            ),
            ("GET /people/{id|userPrincipalName}", "api/person-get.md"),
            ("GET /widgets", "api/widget-list.md"),
            ("GET /widgets/$count", "api/widget-count.md"),
            ("GET /widgets/{widget-id}", "api/widget-get.md"),
            (
                "GET /widgets/{widget-id}/getUsage(period='{period}',top={top})",
                "api/widget-getusage.md"
            ),
            // The route's query string is part of the listed route.
            (
                "GET /widgets/{widget-id}/history?since={since}&kind=all",
                "api/widget-history.md"
            ),
            (
                "GET /widgets/{widget-id}/microsoft.graph.gadget",
                "api/gadget-get.md"
            ),
            (
                "GET /widgets/{widget-id}/parts('{part-id}')",
                "api/part-get.md"
            ),
            (
                "GET /widgets/{widget-id}/photo/$value",
                "api/widget-photo-value.md"
            ),
            ("PATCH /widgets/{widget-id}", "api/widget-update.md"),
            (
                "POST /widgets/{widget-id}/owners/$ref",
                "api/widget-add-owner.md"
            ),
            ("POST /widgets/{widget-id}/rotate", "api/widget-rotate.md"),
        ]
    );
    let op = api::operations::ALL
        .iter()
        .find(|o| o.doc == "api/widget-get.md")
        .unwrap();
    assert_eq!(
        op.permissions.delegated_work,
        graph_docs_runtime::Scopes::AnyOf(&["Widgets.Read", "Widgets.ReadWrite"])
    );
    assert_eq!(
        op.permissions.delegated_personal,
        graph_docs_runtime::Scopes::NotSupported
    );
}

#[test]
fn only_filter_leaves_out_routes() {
    let mut routes: Vec<&str> = widgets_only::operations::ALL
        .iter()
        .flat_map(|op| op.routes.iter().copied())
        .collect();
    routes.sort();
    assert_eq!(
        routes,
        [
            "GET /people/{id|userPrincipalName}",
            "GET /widgets/{widget-id}/photo/$value"
        ]
    );
    assert_eq!(widgets_only::operations::ALL.len(), 2);
    assert_eq!(api::operations::ALL.len(), 15);
    let r = widgets_only::Client::new("t")
        .widgets()
        .by_id("w1")
        .photo()
        .value()
        .get()
        .build()
        .unwrap();
    assert_eq!(
        r.uri().to_string(),
        format!("{BASE}/widgets/w1/photo/$value")
    );
    // Only the models the kept routes reach are generated.
    let _person = widgets_only::models::Person::default();
}

#[test]
fn model_renames_and_omitted_options() {
    assert_eq!(serde_json::to_string(&Widget::default()).unwrap(), "{}");
    let w = Widget {
        odata_type: Some("#microsoft.graph.widget".into()),
        microsoft_graph_conflict_behavior: Some("rename".into()),
        display_name: Some("W".into()),
        size: Some(1 << 40),
        tags: vec!["a".into(), "b".into()],
        ..Default::default()
    };
    assert_eq!(
        serde_json::to_value(&w).unwrap(),
        json!({
            "@odata.type": "#microsoft.graph.widget",
            "@microsoft.graph.conflictBehavior": "rename",
            "displayName": "W",
            "size": 1_099_511_627_776_i64,
            "tags": ["a", "b"],
        })
    );
    let back: Widget = serde_json::from_value(serde_json::to_value(&w).unwrap()).unwrap();
    assert_eq!(back, w);
}

#[test]
fn unknown_properties_are_kept_and_written_back() {
    let input = json!({
        "id": "w1",
        "size": 3,
        "tags": null,
        "futureProperty": {"nested": [1, 2]},
        "@odata.etag": "W/\"1\"",
    });
    let w: Widget = serde_json::from_value(input.clone()).unwrap();
    assert_eq!(w.id.as_deref(), Some("w1"));
    assert_eq!(w.size, Some(3));
    assert!(w.tags.is_empty());
    assert_eq!(
        w.additional_properties.get("futureProperty"),
        Some(&json!({"nested": [1, 2]}))
    );
    assert_eq!(
        w.additional_properties.get("@odata.etag"),
        Some(&json!("W/\"1\""))
    );
    assert_eq!(w.additional_properties.len(), 2);
    let mut expected = input;
    expected.as_object_mut().unwrap().remove("tags"); // null collection → empty → omitted
    assert_eq!(serde_json::to_value(&w).unwrap(), expected);
}

#[test]
fn enum_with_an_unknown_value_is_other() {
    let w: Widget = serde_json::from_value(json!({"state": "idle"})).unwrap();
    assert_eq!(w.state, Some(WidgetState::Idle));
    let w: Widget = serde_json::from_value(json!({"state": "melting"})).unwrap();
    assert_eq!(w.state, Some(WidgetState::Other("melting".into())));
    assert_eq!(
        serde_json::to_value(&w).unwrap(),
        json!({"state": "melting"})
    );
}

#[test]
fn date_time_offset_round_trip() {
    let w: Widget =
        serde_json::from_value(json!({"createdDateTime": "2021-04-30T16:02:55Z"})).unwrap();
    let t = w.created_date_time.as_ref().unwrap();
    assert_eq!(t.timestamp(), 1_619_798_575);
    assert_eq!(
        serde_json::to_value(&w).unwrap(),
        json!({"createdDateTime": "2021-04-30T16:02:55Z"})
    );
    // An offset and fractional seconds survive the round trip.
    let w: Widget =
        serde_json::from_value(json!({"createdDateTime": "2021-04-30T18:02:55.5+02:00"})).unwrap();
    assert_eq!(
        w.created_date_time.as_ref().unwrap().timestamp(),
        1_619_798_575
    );
    assert_eq!(
        serde_json::to_value(&w).unwrap(),
        json!({"createdDateTime": "2021-04-30T18:02:55.500+02:00"})
    );
    // Not a date-time: a decode error naming the value.
    let e = serde_json::from_value::<Widget>(json!({"createdDateTime": "yesterday"})).unwrap_err();
    assert!(
        e.to_string().contains("`yesterday` is not a date-time"),
        "{e}"
    );
}

/// A page that is not UTF-8 is read lossily (a warning), not a failed build.
mod lossy {
    graph_docs_macros::include_graph_api!("fixtures/not-utf8-docs");
}

#[test]
fn a_page_that_is_not_utf8_still_generates() {
    let ops: Vec<&str> = lossy::operations::ALL
        .iter()
        .flat_map(|op| op.routes.iter().copied())
        .collect();
    assert_eq!(ops, ["GET /widgets/{widget-id}"]);
    let r = lossy::Client::new("t")
        .widgets()
        .by_id("w1")
        .get()
        .build()
        .unwrap();
    assert_eq!(r.uri().to_string(), format!("{BASE}/widgets/w1"));
}
