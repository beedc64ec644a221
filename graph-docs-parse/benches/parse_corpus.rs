//! The corpus benchmark under the system allocator (glibc malloc on Linux): what the
//! `graph-docs` CLI runs with. `cargo bench -p graph-docs-parse --bench parse_corpus`.
//! See `support/mod.rs` for what is measured.

mod support;

fn main() {
    support::run("system (glibc malloc on Linux; the graph-docs CLI)");
}
