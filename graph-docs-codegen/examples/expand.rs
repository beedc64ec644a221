//! Prints the code generated for a docs folder: `cargo run -p graph-docs-codegen --example expand -- DIR`.
fn main() {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "docs".into());
    let corpus = match graph_docs_parse::Corpus::load(std::path::Path::new(&dir)) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let opts = graph_docs_codegen::Options {
        skip_invalid: std::env::args().any(|a| a == "--skip-invalid"),
        ..Default::default()
    };
    let t = std::time::Instant::now();
    let r = graph_docs_codegen::generate_file(&corpus, &opts);
    eprintln!("generate: {:?}", t.elapsed());
    match r {
        Ok((text, g)) => {
            println!("{text}");
            eprintln!(
                "{} operations, {} routes, {} models, {} diagnostics",
                g.operations,
                g.routes,
                g.models,
                g.diagnostics.len()
            );
        }
        Err(errs) => {
            for e in errs {
                eprintln!("{e}");
            }
            std::process::exit(1);
        }
    }
}
