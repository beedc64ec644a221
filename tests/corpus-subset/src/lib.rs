//! Only the `/me/drive` routes of the whole v1.0 reference, and the models they reach.
// The generated code must build without a single warning, every item documented.
#![deny(missing_docs, warnings)]

graph_docs_macros::include_graph_api!(
    "../../../shared/corpus/graph-docs-2021/v1.0",
    only = ["/me/drive"],
    skip_invalid = true
);

#[cfg(test)]
mod tests {
    #[test]
    fn only_me_drive_routes_are_generated() {
        let ops = super::Client::operations();
        assert!(ops.len() > 5, "{} operations", ops.len());
        for op in ops {
            for r in op.routes {
                let path = r.split_once(' ').map(|(_, p)| p).unwrap_or(r);
                assert!(
                    path == "/me/drive"
                        || path.starts_with("/me/drive/")
                        || path.starts_with("/me/drive:"),
                    "{r}"
                );
            }
        }
    }
}
