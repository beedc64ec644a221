// A docs folder that does not exist: the error names the resolved path.
graph_docs_macros::include_graph_api!("../../../../tests/ui/docs-that-do-not-exist");

fn main() {}
