//! The corpus benchmark under jemalloc: rustc's own allocator on Linux (`rustc` exports its
//! `malloc`), hence the allocator `include_graph_api!` runs the parser with at every build.
//! `cargo bench -p graph-docs-parse --features bench-jemalloc --bench parse_corpus_jemalloc`.
//! See `support/mod.rs` for what is measured.

#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

mod support;

fn main() {
    support::run("jemalloc (as inside rustc: include_graph_api!)");
}
