//! Runs the built `graph-docs` binary on temporary folders and on `docs/`.

use std::path::Path;
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_graph-docs"))
}

fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

const GOOD: &str = "# Get user\n## Permissions\n|Permission type|Permissions (from least to most privileged)|\n|:--|:--|\n|Delegated (work or school account)|User.Read|\n|Delegated (personal Microsoft account)|User.Read|\n|Application|User.Read.All|\n## HTTP request\n```http\nGET /users/{id}\nGET /users/{user-id}\nGET /me\n```\n## Response\nIf successful, this method returns a `200 OK` response code and a [user](../resources/user.md) object.\n";
const USER: &str = "# user resource type\n## Properties\n|Property|Type|Description|\n|--|--|--|\n|id|String|Id.|\n";

#[test]
fn check_clean_folder_exits_0_with_summary() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "api/user-get.md", GOOD);
    write(d.path(), "resources/user.md", USER);
    let out = bin().arg("check").arg(d.path()).output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert_eq!(
        stdout,
        "checked 2 pages (1 API, 1 resource, 0 enum, 0 other): 3 routes, 2 endpoints, 0 examples; 0 errors, 0 warnings\n"
    );
}

#[test]
fn check_reports_rustc_style_errors_and_exits_1() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "api/bad.md", "# Bad\n## HTTP request\n```\nGET /ok\nFETCH /nope\n```\n## Response\nReturns `204 No Content`.\n");
    let out = bin().arg("check").arg(d.path()).output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    let first = stdout.lines().find(|l| l.contains("error[")).unwrap();
    assert_eq!(
        first,
        format!(
            "{}:5:1: error[GD010]: route line `FETCH /nope` is not `METHOD /path` (METHOD one of GET, POST, PUT, PATCH, DELETE)",
            d.path().join("api/bad.md").display()
        )
    );
    assert!(
        stdout.trim_end().ends_with("1 error, 1 warning"),
        "{stdout}"
    );
}

#[test]
fn check_json_is_one_object_with_the_counts() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "api/user-get.md", GOOD);
    write(d.path(), "resources/user.md", USER);
    write(d.path(), "notes.md", "prose only\n");
    let out = bin()
        .args(["check", "--json"])
        .arg(d.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("exactly one JSON object");
    for (k, want) in [
        ("pages", 3),
        ("api_pages", 1),
        ("api_pages_with_routes", 1),
        ("resource_pages", 1),
        ("resource_pages_with_properties", 1),
        ("routes", 3),
        ("endpoints", 2),
        ("type_cells", 1),
        ("type_cells_unknown", 0),
        ("type_refs", 1),
        ("type_refs_resolved", 1),
        ("json_blocks", 0),
        ("json_blocks_parsed", 0),
        ("errors", 0),
        ("warnings", 1),
    ] {
        assert_eq!(v[k], want, "{k} in {v}");
    }
}

#[test]
fn missing_folder_is_bad_usage() {
    let out = bin()
        .args(["check", "/definitely/not/here"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "error: docs folder `/definitely/not/here` does not exist or is not a directory\n"
    );
    let out = bin().args(["list"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = bin().args(["frobnicate"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn list_prints_one_line_per_endpoint() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "api/user-get.md", GOOD);
    let out = bin().arg("list").arg(d.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "GET /me  (api/user-get.md)\nGET /users/{id}  (api/user-get.md)\n"
    );
}

#[test]
fn list_and_check_on_docs() {
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs");
    let out = bin().arg("list").arg(&docs).output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("POST /drives/{drivesId}/root/createUploadSession  (api/driveitem-createuploadsession.md)\n"), "{stdout}");
    assert!(
        stdout
            .lines()
            .filter(|l| l.ends_with("(api/driveitem-createuploadsession.md)"))
            .count()
            == 23
    );
    let out = bin().args(["check", "--json"]).arg(&docs).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["routes"].as_u64().unwrap() >= 23);
    assert_eq!(v["api_pages"], v["api_pages_with_routes"]);
}
