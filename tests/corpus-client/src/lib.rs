//! The whole v1.0 Graph reference (`../shared/corpus/graph-docs-2021/v1.0`, beside the
//! workspace) as one generated client. If the folder is absent, this crate fails to build
//! with a compile error naming the path it looked for.
// The generated code must build without a single warning, every item documented.
#![deny(missing_docs, warnings)]

graph_docs_macros::include_graph_api!(
    "../../../shared/corpus/graph-docs-2021/v1.0",
    skip_invalid = true
);

#[cfg(test)]
mod tests {
    use graph_docs_runtime::PermissionKind;

    /// Every route line the parser accepted is an operation reachable from `Client`: the routes
    /// carried by the generated operations add up to the parser's count, less the lines of the
    /// pages that have errors (listed with their diagnostics by `graph-docs check`).
    #[test]
    fn every_accepted_route_is_an_operation() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/corpus/graph-docs-2021/v1.0");
        let corpus =
            graph_docs_parse::Corpus::load(&dir).expect("corpus present (the crate built)");
        let opts = graph_docs_codegen::Options {
            skip_invalid: true,
            ..Default::default()
        };
        let generated = graph_docs_codegen::generate(&corpus, &opts).expect("generates");
        let parser_routes: usize = corpus.api_pages().map(|p| p.routes.len()).sum();
        let skipped: Vec<String> = generated.skipped.iter().map(|d| d.to_string()).collect();
        for s in &skipped {
            eprintln!("skipped: {s}");
        }
        let in_client: usize = super::Client::operations()
            .iter()
            .map(|op| op.routes.len())
            .sum();
        assert_eq!(in_client, generated.routes);
        assert_eq!(in_client + skipped.len(), parser_routes);
        assert_eq!(super::Client::operations().len(), generated.operations);
        assert!(in_client > 3600, "{in_client} routes");
        // Least privilege over the whole client is computed and non-empty.
        assert!(!super::Client::least_privileged_scopes(PermissionKind::DelegatedWork).is_empty());
    }
}
