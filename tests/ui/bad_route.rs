// A route line that is not `METHOD /path`: the error names the page, line and column.
graph_docs_macros::include_graph_api!("../../../../tests/ui/docs-bad-route");

fn main() {}
