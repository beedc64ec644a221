// An API page whose "HTTP request" block is empty.
graph_docs_macros::include_graph_api!("../../../../tests/ui/docs-no-routes");

fn main() {}
