//! trybuild UI tests: bad docs and bad macro input give a `compile_error!` naming the doc
//! file, line and the parser's message (or the problem with the input), spanned on the
//! macro's argument, never a panic.
//!
//! The cases live in `tests/ui/*.rs`; their docs folders are `tests/ui/docs-<case>/`, named
//! relative to the trybuild project (`<target>/tests/trybuild/graph-docs-tests/`), which
//! holds when the target directory is `<workspace>/target` (as in CI). Regenerate the
//! expected output with `TRYBUILD=overwrite cargo test -p graph-docs-tests --test ui`.

use std::path::Path;

#[test]
fn ui() {
    // The fixtures are found through `../../../../tests/ui` from the trybuild project: say so
    // plainly instead of failing every case with "does not exist" under another target dir.
    let target = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("CARGO_TARGET_TMPDIR is <target>/tmp");
    let expected = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target");
    assert_eq!(
        std::fs::canonicalize(target).ok(),
        std::fs::canonicalize(&expected).ok(),
        "the UI tests need the workspace's own target directory ({}); run them with \
         CARGO_TARGET_DIR unset or set to it",
        expected.display()
    );
    let t = trybuild::TestCases::new();
    t.compile_fail("ui/*.rs");
}
