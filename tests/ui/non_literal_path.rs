// The docs folder must be a string literal.
const DOCS: &str = "docs";

graph_docs_macros::include_graph_api!(DOCS);

fn main() {}
