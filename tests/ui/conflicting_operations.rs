// The same method and route on two pages with different responses.
graph_docs_macros::include_graph_api!("../../../../tests/ui/docs-conflict");

fn main() {}
