//! The whole v1.0 Graph reference (`../shared/corpus/graph-docs-2021/v1.0`, beside the
//! workspace) as one generated client. If the folder is absent, this crate fails to build
//! with a compile error naming the path it looked for.
#![allow(missing_docs)]

graph_docs_macros::include_graph_api!(
    "../../../shared/corpus/graph-docs-2021/v1.0",
    skip_invalid = true
);
