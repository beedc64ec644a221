//! Snapshot of the code generated for the seed page (`createUploadSession`) and the resource
//! pages it reaches. Any change to the generated API shows up as a diff to review: run
//! `cargo insta review` (or `INSTA_UPDATE=always cargo test -p graph-docs-codegen --test
//! snapshot`) and commit the new `.snap` when the change is intended. CI (`CI=true`) never
//! writes snapshots, so an unreviewed change fails there.

use std::path::{Path, PathBuf};

use graph_docs_codegen::{generate_file, Options};
use graph_docs_parse::{Corpus, Severity};

/// The pages copied, relative to the workspace's `docs/` folder.
const PAGES: &[&str] = &[
    "api/driveitem-createuploadsession.md",
    "resources/driveitemuploadableproperties.md",
    "resources/uploadsession.md",
    "resources/filesysteminfo.md",
];

/// A fresh folder under the target's tmp dir (removed again when dropped).
struct TempDocs(PathBuf);

impl TempDocs {
    fn new(name: &str) -> TempDocs {
        let dir =
            Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create temp docs dir");
        TempDocs(dir)
    }
}

impl Drop for TempDocs {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn seed_page_generated_code() {
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs");
    let tmp = TempDocs::new("seed-snapshot");
    for page in PAGES {
        let to = tmp.0.join(page);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(docs.join(page), &to).unwrap_or_else(|e| panic!("copy {page}: {e}"));
    }
    let corpus = Corpus::load(&tmp.0).expect("load the copied pages");
    let errors: Vec<String> = corpus
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let (code, generated) =
        generate_file(&corpus, &Options::default()).unwrap_or_else(|e| panic!("generate: {e:#?}"));
    // 23 route lines collapse to 23 operations; 3 models (the 4th page is the API page).
    assert_eq!((generated.routes, generated.operations), (23, 23));
    assert_eq!(generated.models, 3);
    // The temp dir must not leak into the output (doc paths are relative to the folder).
    assert!(!code.contains(&*tmp.0.to_string_lossy()));
    insta::assert_snapshot!("seed_createuploadsession", code);
}
