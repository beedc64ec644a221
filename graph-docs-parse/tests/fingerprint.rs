//! A fingerprint of everything the parser reads from the v1.0 corpus: every page (as JSON),
//! every diagnostic, the type index, the aliases and the file list. Speed work must leave it
//! unchanged; a change that is meant to alter the output updates `EXPECTED` (run with
//! `GRAPH_DOCS_PRINT_FINGERPRINT=1 cargo test -p graph-docs-parse --test fingerprint -- --nocapture`
//! to print the new value) and says in its commit what changed. Skipped when the corpus is absent.

use std::fmt::Write as _;
use std::path::Path;

use graph_docs_parse::*;

/// FNV-1a (64 bits) of the dump, and its length.
const EXPECTED: (u64, usize) = (0xe9a4_db4c_865a_a29d, 14_866_316);

fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

#[test]
fn the_parsed_corpus_is_unchanged() {
    let dir =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/graph-docs-2021/v1.0");
    if !dir.is_dir() {
        eprintln!("SKIP: corpus not found at {}", dir.display());
        return;
    }
    let c = Corpus::load(&dir).expect("corpus loads");
    let mut s = String::new();
    for p in &c.pages {
        s.push_str(&serde_json::to_string(p).unwrap());
        s.push('\n');
    }
    for d in &c.diagnostics {
        writeln!(s, "{d:?}").unwrap();
    }
    for (k, t) in &c.types {
        let n = match t {
            TypeDef::Resource(r) => r.properties.len() + r.relationships.len(),
            TypeDef::Enum(e) => e.members.len(),
        };
        writeln!(s, "{k} {} {n}", t.name()).unwrap();
    }
    for (k, v) in &c.aliases {
        writeln!(s, "{k}={v}").unwrap();
    }
    for f in &c.files {
        writeln!(s, "{}", f.display()).unwrap();
    }
    // the same text wherever the corpus sits
    let canonical = std::fs::canonicalize(&dir).unwrap();
    let s = s
        .replace(&canonical.display().to_string(), "<corpus>")
        .replace(&dir.display().to_string(), "<corpus>");
    let got = (fnv1a(s.as_bytes()), s.len());
    if std::env::var_os("GRAPH_DOCS_PRINT_FINGERPRINT").is_some() {
        println!("fingerprint: ({:#018x}, {})", got.0, got.1);
    }
    assert_eq!(
        got, EXPECTED,
        "the parser's output on the corpus changed (see this file's doc comment)"
    );
}
