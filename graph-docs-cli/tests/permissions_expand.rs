//! `graph-docs permissions` and `graph-docs expand` on docs/ and temporary folders.
//!
//! The expected permissions are derived here from the pages' own tables and route blocks
//! (a small reader independent of graph-docs-parse), not from the program's output.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_graph-docs"))
}

fn docs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs")
}

/// The first scope of a permission row as the page writes it, or `unknown` / `not supported`.
fn first_scope(page: &str, row: &str) -> String {
    let line = page
        .lines()
        .find(|l| l.starts_with(&format!("|{row}|")))
        .unwrap_or_else(|| panic!("row {row}"));
    let cell = line
        .trim_end_matches('|')
        .rsplit('|')
        .next()
        .unwrap()
        .trim();
    if cell.contains("TODO") {
        "unknown".into()
    } else if cell.starts_with("Not supported") {
        "not supported".into()
    } else {
        cell.split(',').next().unwrap().trim().to_string()
    }
}

/// `(route key, method rank)` → (method, route as written, page, first scope) for every route
/// line of docs/api, the first page documenting a key winning.
fn endpoints(row: &str) -> BTreeMap<(String, u8), (String, String, String, String)> {
    let mut out = BTreeMap::new();
    let mut files: Vec<_> = std::fs::read_dir(docs().join("api"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let scope = first_scope(&text, row);
        let after = text.split("## HTTP request").nth(1).unwrap();
        let block = after.split("```").nth(1).unwrap();
        for l in block.lines().skip(1).filter(|l| !l.trim().is_empty()) {
            let (m, path) = l.trim().split_once(' ').unwrap();
            // routes are printed without whitespace (`{id | userPrincipalName}`)
            let path: String = path.chars().filter(|c| !c.is_whitespace()).collect();
            let path = path.as_str();
            let rank = ["GET", "POST", "PUT", "PATCH", "DELETE"]
                .iter()
                .position(|x| *x == m)
                .unwrap() as u8;
            // placeholder names do not matter
            let mut key = String::new();
            let mut depth = 0;
            for c in path.chars() {
                match c {
                    '{' => {
                        depth += 1;
                        key.push_str("{}");
                    }
                    '}' => depth -= 1,
                    _ if depth > 0 => {}
                    _ => key.push(c),
                }
            }
            let page = format!("api/{}", f.file_name().unwrap().to_string_lossy());
            out.entry((key, rank)).or_insert((
                m.to_string(),
                path.to_string(),
                page,
                scope.clone(),
            ));
        }
    }
    out
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = bin().args(args).output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// The per-operation lines sorted (their order is the corpus' endpoint order, a presentation
/// detail); everything before them exactly.
fn normalised(text: &str) -> String {
    let (head, per) = text
        .split_once("per operation (least privileged scope):\n")
        .expect("per-operation section");
    let mut lines: Vec<&str> = per.lines().collect();
    lines.sort();
    format!(
        "{head}per operation (least privileged scope):\n{}",
        lines.join("\n")
    )
}

/// The text `permissions` must print, given the expected scope set.
fn expected_text(kind: &str, row: &str, scopes: &[&str], prefixes: &[&str]) -> String {
    let eps: Vec<_> = endpoints(row)
        .into_iter()
        .filter(|((key, _), _)| {
            prefixes.is_empty()
                || prefixes.iter().any(|p| {
                    key == p
                        || key.starts_with(&format!("{p}/"))
                        || key.starts_with(&format!("{p}:"))
                })
        })
        .map(|(_, v)| v)
        .collect();
    let mut s = format!(
        "least privileged {kind} scopes for {} operations:\n",
        eps.len()
    );
    for sc in scopes {
        s.push_str(&format!("  {sc}\n"));
    }
    for (title, state) in [
        ("not supported", "not supported"),
        ("unknown (the page does not state them)", "unknown"),
    ] {
        let mut list: Vec<String> = eps
            .iter()
            .filter(|e| e.3 == state)
            .map(|e| format!("  {} {}  ({})\n", e.0, e.1, e.2))
            .collect();
        list.sort();
        let n = list.len();
        s.push_str(&format!(
            "{title}: {n} operation{}\n",
            if n == 1 { "" } else { "s" }
        ));
        s.extend(list);
    }
    s.push_str("per operation (least privileged scope):\n");
    for e in &eps {
        s.push_str(&format!("  {} {}  {}  ({})\n", e.0, e.1, e.3, e.2));
    }
    s
}

#[test]
fn permissions_for_docs_delegated_work() {
    // From the tables: every drive read page starts with Files.Read, every drive write page
    // with Files.ReadWrite (and each read page also accepts Files.ReadWrite, so Files.Read is
    // redundant); user-get starts with User.Read; the seed's row is TODO → unknown (23 routes).
    let (code, stdout, _) = run(&["permissions", docs().to_str().unwrap()]);
    assert_eq!(code, 0);
    assert_eq!(
        normalised(&stdout),
        normalised(&expected_text(
            "delegated (work or school account)",
            "Delegated (work or school account)",
            &["Files.ReadWrite", "User.Read"],
            &[]
        ))
    );
    assert!(stdout.contains("unknown (the page does not state them): 23 operations\n"));
}

#[test]
fn permissions_application_and_personal() {
    // Application: the by-path upload pages only accept Sites.ReadWrite.All, which also covers
    // every other drive page (Files.Read.All / Files.ReadWrite.All become redundant);
    // user-get needs User.Read.All.
    let (code, stdout, _) = run(&["permissions", docs().to_str().unwrap(), "--application"]);
    assert_eq!(code, 0);
    assert_eq!(
        normalised(&stdout),
        normalised(&expected_text(
            "application",
            "Application",
            &["Sites.ReadWrite.All", "User.Read.All"],
            &[]
        ))
    );
    // Personal accounts: the seed says "Not supported." for its 23 routes.
    let (_, stdout, _) = run(&["permissions", docs().to_str().unwrap(), "--personal"]);
    assert_eq!(
        normalised(&stdout),
        normalised(&expected_text(
            "delegated (personal Microsoft account)",
            "Delegated (personal Microsoft account)",
            &["Files.ReadWrite", "User.Read"],
            &[]
        ))
    );
    assert!(stdout.contains("not supported: 23 operations\n"));
}

#[test]
fn permissions_only_filters_at_segment_boundaries_with_any_placeholder_name() {
    // `/me/drive` selects the drive pages' /me/drive routes (not /me, not /me/joinedGroups).
    let (_, stdout, _) = run(&[
        "permissions",
        docs().to_str().unwrap(),
        "--only",
        "/me/drive",
    ]);
    assert_eq!(
        normalised(&stdout),
        normalised(&expected_text(
            "delegated (work or school account)",
            "Delegated (work or school account)",
            &["Files.ReadWrite"],
            &["/me/drive"]
        ))
    );
    // `/users/{id}` matches `/users/{user-id}/...` and `/users/{id|userPrincipalName}`
    let (_, stdout, _) = run(&[
        "permissions",
        docs().to_str().unwrap(),
        "--only",
        "/users/{id}",
        "--json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let routes: Vec<&str> = v["per_operation"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["route"].as_str().unwrap())
        .collect();
    assert_eq!(
        routes,
        vec![
            "/users/{id|userPrincipalName}",
            "/users/{user-id}/drive",
            "/users/{user-id}/drive/items/{item-id}",
            "/users/{userId}/drive/items/{itemId}:/{fileName}:/createUploadSession",
        ]
    );
    assert_eq!(v["permission_type"], "delegated_work");
    assert_eq!(
        v["scopes"],
        serde_json::json!(["Files.ReadWrite", "User.Read"])
    );
    assert_eq!(v["per_operation"][0]["least_privileged"], "User.Read");
    assert_eq!(v["per_operation"][0]["state"], "scopes");
    // `/user` is not a prefix of `/users` at a segment boundary
    let (_, stdout, _) = run(&[
        "permissions",
        docs().to_str().unwrap(),
        "--only",
        "/user",
        "--json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["operations"], 0);
    assert_eq!(v["scopes"], serde_json::json!([]));
}

#[test]
fn permissions_bad_usage() {
    let (code, _, stderr) = run(&[
        "permissions",
        docs().to_str().unwrap(),
        "--application",
        "--personal",
    ]);
    assert_eq!(code, 2, "{stderr}");
    let (code, _, stderr) = run(&["permissions", "/definitely/not/here"]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "error: docs folder `/definitely/not/here` does not exist or is not a directory\n"
    );
}

#[test]
fn expand_prints_the_generated_code() {
    let (code, stdout, stderr) = run(&["expand", docs().to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.starts_with("// @generated by graph-docs-codegen"));
    assert!(stdout.contains("pub fn create_upload_session("));
    assert!(stdout.contains("pub fn item_by_path(&self, path: impl AsRef<str>)"));
    assert!(stdout.contains("pub struct DriveItemUploadableProperties"));
    assert!(
        stderr.ends_with("generated 54 operations (54 routes) and 15 models\n"),
        "{stderr}"
    );
    // warnings on stderr, rustc-style
    assert!(
        stderr.contains("driveitem-createuploadsession.md:19:1: warning[GD021]"),
        "{stderr}"
    );

    // a subset: only /me/drive routes
    let (code, sub, stderr) = run(&[
        "expand",
        docs().to_str().unwrap(),
        "--only",
        "/me/drive",
        "--exclude",
        "/me/drive/root:",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(sub.len() < stdout.len());
    assert!(!sub.contains("pub fn joined_groups("));
    assert!(!sub.contains("pub fn users("));
}

#[test]
fn expand_fails_on_errors_unless_skip_invalid() {
    let d = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(d.path().join("api")).unwrap();
    std::fs::write(
        d.path().join("api/ok.md"),
        "# Get me\n## HTTP request\n```http\nGET /me\n```\n## Response\nReturns `204 No Content`.\n",
    )
    .unwrap();
    std::fs::write(
        d.path().join("api/bad.md"),
        "# Bad\n## HTTP request\n```http\nGET /ok2\nFETCH /nope\n```\n## Response\nReturns `204 No Content`.\n",
    )
    .unwrap();
    let (code, stdout, stderr) = run(&["expand", d.path().to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(stdout.is_empty());
    assert!(
        stderr.contains(&format!(
            "{}:5:1: error[GD010]: route line `FETCH /nope` is not `METHOD /path`",
            d.path().join("api/bad.md").display()
        )),
        "{stderr}"
    );
    assert!(
        stderr.ends_with(
            "error: no code generated: 1 error (use --skip-invalid to leave those pages out)\n"
        ),
        "{stderr}"
    );
    let (code, stdout, stderr) = run(&["expand", d.path().to_str().unwrap(), "--skip-invalid"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("pub fn me("), "{stdout}");
    let (code, _, _) = run(&["expand"]);
    assert_eq!(code, 2);
}
