//! What `include_graph_api!` does at compile time, timed outside the compiler: load the whole
//! v1.0 corpus, generate, and render the tokens to the string the macro hands to rustc.
//! `cargo bench -p graph-docs-codegen --bench expand`. Reads ../shared/corpus beside the
//! workspace; prints a message and exits 0 when it is absent.
use std::time::{Duration, Instant};

fn run(dir: &std::path::Path, only: &[&str]) -> (Duration, Duration, usize, usize) {
    let t0 = Instant::now();
    let corpus = graph_docs_parse::Corpus::load(dir).expect("corpus loads");
    let t1 = Instant::now();
    let opts = graph_docs_codegen::Options {
        skip_invalid: true,
        only: only.iter().map(|s| s.to_string()).collect(),
        ..Default::default()
    };
    proc_macro2::fallback::force();
    let g = graph_docs_codegen::generate(&corpus, &opts).expect("generates");
    let code = g.tokens.to_string();
    proc_macro2::fallback::unforce();
    let t2 = Instant::now();
    (t1 - t0, t2 - t1, code.len(), g.operations)
}

fn main() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/corpus/graph-docs-2021/v1.0");
    if !dir.is_dir() {
        println!("corpus not found at {}; nothing to measure", dir.display());
        return;
    }
    for (label, only) in [
        ("whole v1.0 corpus", &[][..]),
        ("only = [\"/me/drive\"]", &["/me/drive"][..]),
    ] {
        let mut runs: Vec<_> = (0..5).map(|_| run(&dir, only)).collect();
        runs.sort_by_key(|r| r.0 + r.1);
        let (load, gen, bytes, ops) = runs[runs.len() / 2];
        println!(
            "{label}: load+parse {:.0} ms, generate+render {:.0} ms, total {:.0} ms (median of 5); {ops} operations, {:.1} MB of code",
            load.as_secs_f64() * 1e3,
            gen.as_secs_f64() * 1e3,
            (load + gen).as_secs_f64() * 1e3,
            bytes as f64 / 1e6
        );
    }
}
