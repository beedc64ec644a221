//! `graph-docs check --examples` on the real v1.0 corpus (`../shared/corpus/graph-docs-2021/v1.0`
//! relative to the workspace): at least 90% of annotated example requests are checked, and
//! every skip has a reason. Skipped with a message when the corpus is absent.

use std::path::Path;
use std::process::Command;

#[test]
fn v1_corpus_examples_are_checked() {
    let dir =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/graph-docs-2021/v1.0");
    if !dir.is_dir() {
        eprintln!("SKIP: corpus not found at {}", dir.display());
        return;
    }
    let out = Command::new(env!("CARGO_BIN_EXE_graph-docs"))
        .args(["check", "--examples", "--json"])
        .arg(&dir)
        .output()
        .unwrap();
    // the corpus has genuine contradictions: exit 1, one JSON object
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    eprintln!("{}", serde_json::to_string_pretty(&v).unwrap());
    let n = |k: &str| v[k].as_u64().unwrap_or_else(|| panic!("{k}"));
    let annotated = n("examples_annotated");
    let checked = n("examples_annotated_checked");
    assert!(annotated > 1000);
    assert!(checked * 100 >= annotated * 90, "{checked}/{annotated}");
    assert!(n("examples_checked") * 100 >= n("examples") * 90);
    assert_eq!(n("examples"), n("examples_checked") + n("examples_skipped"));
    let reasons: u64 = v["skip_reasons"]
        .as_object()
        .unwrap()
        .values()
        .map(|x| x.as_u64().unwrap())
        .sum();
    assert_eq!(reasons, n("examples_skipped"));
    assert!(n("examples_ok") <= n("examples_checked"));
    // every diagnostic counted under its code; the checker's codes are all present
    let codes = v["codes"].as_object().unwrap();
    let total: u64 = codes.values().map(|x| x.as_u64().unwrap()).sum();
    assert_eq!(total, n("errors") + n("warnings"));
    for c in ["GD060", "GD063", "GD064", "GD066", "GD067"] {
        assert!(codes.contains_key(c), "{c} in {codes:?}");
    }
}
