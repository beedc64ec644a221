//! `crate = "..."` points generated code at the runtime under another path (here an alias),
//! as serde's `crate` attribute does.

extern crate graph_docs_runtime as my_runtime;

mod api {
    graph_docs_macros::include_graph_api!(
        "fixtures/small-docs",
        crate = "::my_runtime",
        only = ["/widgets/{id}"]
    );
}

#[test]
fn generated_code_uses_the_given_runtime_path() {
    let client = api::Client::from(
        my_runtime::Client::builder()
            .base_url("http://127.0.0.1:9/v1.0")
            .build(),
    );
    let req: my_runtime::Request<_> = client.widgets().by_id("w 1").get();
    let built = req.build().unwrap();
    assert_eq!(
        built.uri().to_string(),
        "http://127.0.0.1:9/v1.0/widgets/w%201"
    );
    assert_eq!(req.operation().doc, "api/widget-get.md");
}
