//! Pages whose names are Rust keywords, `$`-segments, digits-first names or the names of types
//! generated code uses still give a client that compiles and builds the documented paths.

mod api {
    graph_docs_macros::include_graph_api!("fixtures/nasty-docs");
}

use api::Client;

const BASE: &str = "https://graph.microsoft.com/v1.0";

#[test]
fn keyword_segments_are_escaped_and_paths_stay_exact() {
    let c = Client::new("t");
    let r = c.r#type().by_id("1").self_().get().build().unwrap();
    assert_eq!(r.uri().to_string(), format!("{BASE}/type/1/self"));
    let r = c.r#async().by_id("1").value().get().build().unwrap();
    assert_eq!(r.uri().to_string(), format!("{BASE}/async/1/$value"));
    let r = c
        .super_()
        .root()
        .item_by_path("a b")
        ._2fa()
        .get()
        .build()
        .unwrap();
    assert_eq!(
        r.uri().to_string(),
        format!("{BASE}/super/root:/a%20b:/2fa")
    );
    let r = c
        .r#ref()
        .by_id("r1")
        .crate_()
        .r#ref()
        .r#ref("v".into())
        .build()
        .unwrap();
    assert_eq!(r.method(), "POST");
    assert_eq!(r.uri().to_string(), format!("{BASE}/ref/r1/crate/ref"));
    assert_eq!(r.body().as_slice(), br#"{"ref":"v"}"#);
}

#[test]
fn models_that_shadow_prelude_names_are_renamed() {
    // `Option` and `Vec` resource pages become `Option2` / `Vec2`; `Client` lives in `models`.
    let v = api::models::Option2 {
        r#type: Some("x".into()),
        self_: Some(3),
        ..Default::default()
    };
    assert_eq!(
        serde_json::to_string(&v).unwrap(),
        r#"{"type":"x","self":3}"#
    );
}
