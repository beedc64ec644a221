// An option the macro does not know: spanned on the option's name.
graph_docs_macros::include_graph_api!("../../../../tests/ui/../fixtures/small-docs", only = ["/widgets"], routes = ["/me"]);

fn main() {}
