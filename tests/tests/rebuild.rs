//! Rebuild on change: a crate that writes `include_graph_api!("docs")` (with a build script
//! printing `cargo:rerun-if-changed=docs`) gets a new client at the next plain `cargo build`
//! when a page is added, edited or removed, without `cargo clean` and without touching any
//! source file.
//!
//! The probe crate lives in `<workspace>/target/rebuild-test/<name>` and builds into
//! `<workspace>/target/rebuild-test` (so its dependencies are compiled once and reused by
//! later runs). It builds offline against the workspace's `Cargo.lock`. Its name carries the
//! process id, so concurrent runs (two `cargo test`s on one checkout) do not share a probe;
//! the probe and its build products are removed at the end.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .canonicalize()
        .expect("workspace path")
}

fn write(path: &Path, content: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, content).unwrap();
}

/// A tiny API page in the Graph docs format with the given route lines.
fn page(title: &str, routes: &str) -> String {
    format!(
        r#"---
title: "{title}"
description: "{title} (rebuild test)."
doc_type: apiPageType
---

# {title}

Namespace: microsoft.graph

{title}, a page written for the rebuild test.

## Permissions

|Permission type|Permissions (from least to most privileged)|
|:---|:---|
|Delegated (work or school account)|Gizmos.Read|
|Delegated (personal Microsoft account)|Not supported.|
|Application|Gizmos.Read.All|

## HTTP request

<!-- {{ "blockType": "ignored" }} -->
```http
{routes}
```

## Request body

Do not supply a request body for this method.

## Response

If successful, this method returns a `200 OK` response code and a JSON object in the response body.
"#
    )
}

struct Probe {
    name: String,
    dir: PathBuf,
    target: PathBuf,
    cargo: String,
}

impl Drop for Probe {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
        // Build products of this probe only (dependencies stay for the next run).
        let stem = self.name.replace('-', "_");
        let debug = self.target.join("debug");
        for (sub, prefix) in [
            ("", self.name.as_str()),
            ("", stem.as_str()),
            ("deps", stem.as_str()),
            (".fingerprint", self.name.as_str()),
            ("build", self.name.as_str()),
            ("incremental", stem.as_str()),
        ] {
            let Ok(entries) = std::fs::read_dir(debug.join(sub)) else {
                continue;
            };
            for e in entries.flatten() {
                let file_name = e.file_name();
                let n = file_name.to_string_lossy();
                let ours = n == prefix
                    || n.starts_with(&format!("{prefix}-"))
                    || n.starts_with(&format!("{prefix}."));
                if ours {
                    let p = e.path();
                    let _ = if p.is_dir() {
                        std::fs::remove_dir_all(&p)
                    } else {
                        std::fs::remove_file(&p)
                    };
                }
            }
        }
    }
}

impl Probe {
    fn new() -> Probe {
        let ws = workspace();
        let target = ws.join("target").join("rebuild-test");
        let name = format!("graph-docs-rebuild-probe-{}", std::process::id());
        let dir = target.join(&name);
        let _ = std::fs::remove_dir_all(&dir);
        let toml = format!(
            r#"[package]
name = "{name}"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
graph-docs-macros = {{ path = "{macros}" }}
graph-docs-runtime = {{ path = "{runtime}", default-features = false }}

[workspace]
"#,
            macros = ws.join("graph-docs-macros").display(),
            runtime = ws.join("graph-docs-runtime").display(),
        );
        write(&dir.join("Cargo.toml"), &toml);
        write(
            &dir.join("build.rs"),
            "fn main() {\n    println!(\"cargo:rerun-if-changed=docs\");\n}\n",
        );
        write(
            &dir.join("src/main.rs"),
            r#"graph_docs_macros::include_graph_api!("docs");

fn main() {
    for op in Client::operations() {
        for route in op.routes {
            println!("{route}");
        }
    }
}
"#,
        );
        // The same versions as the workspace, so the build needs no network.
        let lock = std::fs::read_to_string(ws.join("Cargo.lock")).expect("workspace Cargo.lock");
        write(&dir.join("Cargo.lock"), &lock);
        std::fs::create_dir_all(dir.join("docs/api")).unwrap();
        Probe {
            name,
            dir,
            target,
            cargo: std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()),
        }
    }

    fn docs(&self, rel: &str) -> PathBuf {
        self.dir.join("docs").join(rel)
    }

    /// `cargo build` (plain, offline) and the routes the binary prints.
    fn build_and_list(&self) -> Vec<String> {
        let out = Command::new(&self.cargo)
            .args(["build", "--offline", "--quiet", "--manifest-path"])
            .arg(self.dir.join("Cargo.toml"))
            .env("CARGO_TARGET_DIR", &self.target)
            .env_remove("CARGO_BUILD_TARGET_DIR")
            .output()
            .expect("run cargo");
        assert!(
            out.status.success(),
            "cargo build of the probe failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let bin = self.target.join("debug").join(format!(
            "{}{}",
            self.name,
            std::env::consts::EXE_SUFFIX
        ));
        let out = Command::new(&bin).output().expect("run the probe");
        assert!(out.status.success(), "probe failed: {out:?}");
        let mut routes: Vec<String> = String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect();
        routes.sort();
        routes
    }

    /// Source files and their contents, to show that nothing but docs changed.
    fn sources(&self) -> Vec<(PathBuf, Vec<u8>, std::time::SystemTime)> {
        ["Cargo.toml", "build.rs", "src/main.rs"]
            .iter()
            .map(|f| {
                let p = self.dir.join(f);
                let modified = std::fs::metadata(&p).unwrap().modified().unwrap();
                (p.clone(), std::fs::read(&p).unwrap(), modified)
            })
            .collect()
    }
}

/// Lets the file-system clock move on, so a change is never within the same timestamp as the
/// build before it (file systems with coarse mtimes).
fn tick() {
    std::thread::sleep(Duration::from_millis(1100));
}

#[test]
fn adding_editing_and_removing_pages_changes_the_client() {
    let probe = Probe::new();
    std::fs::write(
        probe.docs("api/gizmo-get.md"),
        page("Get gizmo", "GET /gizmos/{gizmo-id}"),
    )
    .unwrap();
    assert_eq!(probe.build_and_list(), ["GET /gizmos/{gizmo-id}"]);
    let sources = probe.sources();

    // Add a page.
    tick();
    std::fs::write(
        probe.docs("api/gizmo-list.md"),
        page("List gizmos", "GET /gizmos"),
    )
    .unwrap();
    assert_eq!(
        probe.build_and_list(),
        ["GET /gizmos", "GET /gizmos/{gizmo-id}"]
    );

    // Edit a route in a page.
    tick();
    std::fs::write(
        probe.docs("api/gizmo-get.md"),
        page("Get gizmo", "GET /gizmos/{gizmo-id}/parts"),
    )
    .unwrap();
    assert_eq!(
        probe.build_and_list(),
        ["GET /gizmos", "GET /gizmos/{gizmo-id}/parts"]
    );

    // Add a page in a new subfolder, then remove the first page.
    tick();
    std::fs::create_dir_all(probe.docs("more")).unwrap();
    std::fs::write(
        probe.docs("more/gizmo-delete.md"),
        page("Delete gizmo", "DELETE /gizmos/{gizmo-id}"),
    )
    .unwrap();
    std::fs::remove_file(probe.docs("api/gizmo-list.md")).unwrap();
    assert_eq!(
        probe.build_and_list(),
        ["DELETE /gizmos/{gizmo-id}", "GET /gizmos/{gizmo-id}/parts"]
    );

    // Remove a page.
    tick();
    std::fs::remove_file(probe.docs("more/gizmo-delete.md")).unwrap();
    assert_eq!(probe.build_and_list(), ["GET /gizmos/{gizmo-id}/parts"]);

    assert_eq!(probe.sources(), sources, "no source file was touched");
}
