//! `graph-docs check --examples`: docs/ passes; mutated copies of docs/ are caught with the exact
//! code, line and message.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_graph-docs"))
}

fn docs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), dest).unwrap();
        }
    }
}

/// A copy of docs/ with `old` replaced by `new` (exactly once) in `rel`; returns the folder and
/// the 1-based line where `new` starts.
fn mutated(rel: &str, old: &str, new: &str) -> (tempfile::TempDir, u32) {
    let d = tempfile::tempdir().unwrap();
    copy_dir(&docs(), d.path());
    let p = d.path().join(rel);
    let text = std::fs::read_to_string(&p).unwrap();
    assert_eq!(text.matches(old).count(), 1, "`{old}` once in {rel}");
    let at = text.find(old).unwrap();
    let line = 1 + text[..at].matches('\n').count() as u32;
    std::fs::write(&p, text.replacen(old, new, 1)).unwrap();
    (d, line)
}

fn check(dir: &Path, extra: &[&str]) -> (Output, String) {
    let out = bin()
        .arg("check")
        .arg("--examples")
        .args(extra)
        .arg(dir)
        .output()
        .unwrap();
    let s = String::from_utf8(out.stdout.clone()).unwrap();
    (out, s)
}

fn lines_with(stdout: &str, code: &str) -> Vec<String> {
    stdout
        .lines()
        .filter(|l| l.contains(&format!("[{code}]")))
        .map(str::to_string)
        .collect()
}

fn line_of(path: &Path, needle: &str) -> u32 {
    let text = std::fs::read_to_string(path).unwrap();
    let at = text.find(needle).unwrap();
    1 + text[..at].matches('\n').count() as u32
}

#[test]
fn docs_pass_with_the_seed_wrap_warning() {
    let (out, stdout) = check(&docs(), &[]);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    let errors: Vec<&str> = stdout.lines().filter(|l| l.contains(": error[")).collect();
    assert!(errors.is_empty(), "{errors:?}");
    // the seed's response wraps the upload session in `value`: a warning, decoded anyway
    let seed = docs().join("api/driveitem-createuploadsession.md");
    let line = line_of(&seed, "\"value\": {");
    assert_eq!(
        lines_with(&stdout, "GD066"),
        vec![format!(
            "{}:{line}:1: warning[GD066]: response body wraps a single uploadSession in `value`; the service returns the object itself — decoded anyway",
            seed.display()
        )]
    );
    // every example request of docs/ (annotated `"blockType": "request"`) is checked
    let mut annotated = 0;
    for e in std::fs::read_dir(docs().join("api")).unwrap() {
        let t = std::fs::read_to_string(e.unwrap().path()).unwrap();
        annotated += t.matches("\"blockType\": \"request\"").count();
    }
    assert!(annotated >= 10);
    assert!(
        stdout.ends_with(&format!(
            "examples: {annotated} requests, {annotated} checked ({annotated} ok), 0 skipped\n"
        )),
        "{stdout}"
    );
}

#[test]
fn docs_json_summary_has_example_counts_and_codes() {
    let (out, stdout) = check(&docs(), &["--json"]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_str(&stdout).expect("one JSON object");
    let n = v["examples"].as_u64().unwrap();
    assert!(n >= 10);
    assert_eq!(v["examples_checked"], n);
    assert_eq!(v["examples_ok"], n);
    assert_eq!(v["examples_skipped"], 0);
    assert_eq!(v["errors"], 0);
    // README.md (not a page), the seed's two TODO permission rows, the seed's `value` wrap
    assert_eq!(
        v["codes"],
        serde_json::json!({"GD002": 1, "GD021": 2, "GD066": 1})
    );
    assert_eq!(v["warnings"], 4);
    // the seed's request body and response body, and each other example's JSON response
    assert!(v["bodies_checked"].as_u64().unwrap() >= 2);
}

#[test]
fn wrong_property_type_is_gd064() {
    let (d, line) = mutated(
        "api/driveitem-get.md",
        "\"size\": 24576,",
        "\"size\": \"24576\",",
    );
    let (out, stdout) = check(d.path(), &[]);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert_eq!(
        lines_with(&stdout, "GD064"),
        vec![format!(
            "{}:{line}:1: error[GD064]: property `size` of `driveItem` is `Int64` (a JSON number), but the example has a string `\"24576\"`",
            d.path().join("api/driveitem-get.md").display()
        )]
    );
    // one example fails, the others stay ok
    let summary = stdout.lines().last().unwrap();
    let n: Vec<usize> = summary
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|x| x.parse().ok())
        .collect();
    assert_eq!(
        summary,
        format!(
            "examples: {} requests, {} checked ({} ok), 0 skipped",
            n[0],
            n[0],
            n[0] - 1
        )
    );
}

#[test]
fn nested_wrong_type_and_unknown_property() {
    // `hashes` is a nested object of `file`; `quickXorHash` is a String
    let (d, line) = mutated(
        "api/driveitem-get.md",
        "\"quickXorHash\": \"kR7yOlvGm4ApNnVL3wKqLwq0aKc=\"",
        "\"quickXorHash\": [1]",
    );
    let (_, stdout) = check(d.path(), &[]);
    assert_eq!(
        lines_with(&stdout, "GD064"),
        vec![format!(
            "{}:{line}:1: error[GD064]: property `quickXorHash` of `hashes` is `String` (a JSON string), but the example has an array `[1]`",
            d.path().join("api/driveitem-get.md").display()
        )]
    );
    let (d, line) = mutated(
        "api/driveitem-get.md",
        "\"size\": 24576,",
        "\"sizeInBytes\": 24576,",
    );
    let (out, stdout) = check(d.path(), &[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        lines_with(&stdout, "GD063"),
        vec![format!(
            "{}:{line}:1: error[GD063]: response body: `sizeInBytes` is not a property of `driveItem`",
            d.path().join("api/driveitem-get.md").display()
        )]
    );
}

#[test]
fn unknown_body_parameter_in_the_seed_shape() {
    // a copy of the seed page with an undocumented parameter (the original stays unchanged)
    let (d, line) = mutated(
        "api/driveitem-createuploadsession.md",
        "\"deferCommit\": true",
        "\"deferComit\": true",
    );
    let (_, stdout) = check(d.path(), &[]);
    assert_eq!(
        lines_with(&stdout, "GD063"),
        vec![format!(
            "{}:{line}:1: error[GD063]: the request body has `deferComit`, which is not a documented body parameter (parameters: item, deferCommit)",
            d.path().join("api/driveitem-createuploadsession.md").display()
        )]
    );
    // a wrong type inside the nested `item` (driveItemUploadableProperties.fileSize: Int64)
    let (d, line) = mutated(
        "api/driveitem-createuploadsession.md",
        "\"fileSize\": 8",
        "\"fileSize\": true",
    );
    let (_, stdout) = check(d.path(), &[]);
    assert_eq!(
        lines_with(&stdout, "GD064"),
        vec![format!(
            "{}:{line}:1: error[GD064]: property `fileSize` of `driveItemUploadableProperties` is `Int64` (a JSON number), but the example has a boolean `true`",
            d.path().join("api/driveitem-createuploadsession.md").display()
        )]
    );
}

#[test]
fn unknown_route_and_wrong_method() {
    let (d, line) = mutated(
        "api/driveitem-get.md",
        "GET https://graph.microsoft.com/v1.0/me/drive/items/01BYE5RZ6QN3ZWBTUFOFD3GSPGOHDJD36K",
        "GET https://graph.microsoft.com/v1.0/me/drive/itemz/01BYE5RZ6QN3ZWBTUFOFD3GSPGOHDJD36K",
    );
    let (out, stdout) = check(d.path(), &[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        lines_with(&stdout, "GD060"),
        vec![format!(
            "{}:{line}:1: error[GD060]: example request `GET /me/drive/itemz/01BYE5RZ6QN3ZWBTUFOFD3GSPGOHDJD36K` matches no route documented on this page (routes: `GET /drives/{{drive-id}}/items/{{item-id}}`, `GET /drives/{{drive-id}}/root:/{{item-path}}`, `GET /me/drive/items/{{item-id}}`, 2 more)",
            d.path().join("api/driveitem-get.md").display()
        )]
    );
    let (d, line) = mutated(
        "api/driveitem-get.md",
        "GET https://graph.microsoft.com/v1.0/me/drive/root:/Documents/Reports",
        "PATCH https://graph.microsoft.com/v1.0/me/drive/root:/Documents/Reports",
    );
    let (_, stdout) = check(d.path(), &[]);
    assert_eq!(
        lines_with(&stdout, "GD061"),
        vec![format!(
            "{}:{line}:1: error[GD061]: example request `PATCH /me/drive/root:/Documents/Reports` matches route `/me/drive/root:/{{item-path}}` of this page, which is documented for GET only",
            d.path().join("api/driveitem-get.md").display()
        )]
    );
}

#[test]
fn unparseable_body_is_an_error_truncated_one_is_skipped() {
    let (d, line) = mutated(
        "api/driveitem-get.md",
        "\"size\": 24576,",
        "\"size\": 24576,, }}",
    );
    let (out, stdout) = check(d.path(), &[]);
    assert_eq!(out.status.code(), Some(1));
    let got = lines_with(&stdout, "GD062");
    assert_eq!(got.len(), 1, "{stdout}");
    // the body's first line: the `{` just above the first example's `"id"`
    let body_line = line_of(
        &d.path().join("api/driveitem-get.md"),
        "{\n  \"id\": \"01BYE5RZ6QN3ZWBTUFOFD3GSPGOHDJD36K\"",
    );
    assert!(body_line < line);
    assert!(
        got[0].starts_with(&format!(
            "{}:{body_line}:1: error[GD062]: the response body is not JSON, even leniently",
            d.path().join("api/driveitem-get.md").display()
        )),
        "{got:?}"
    );
    // the parser's GD042 warning for the same body is not printed twice
    assert!(lines_with(&stdout, "GD042").is_empty(), "{stdout}");

    // cut with `...` and unparseable: skipped with a reason, not failed
    let (d, line) = mutated(
        "api/driveitem-get.md",
        "\"size\": 24576,",
        "\"size\": 24576, ... }}",
    );
    let (out, stdout) = check(d.path(), &["--skipped"]);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    let req_line = line_of(
        &d.path().join("api/driveitem-get.md"),
        "GET https://graph.microsoft.com/v1.0/me/drive/items/",
    );
    assert!(line > req_line);
    let skipped: Vec<&str> = stdout
        .lines()
        .filter(|l| l.contains(": skipped["))
        .collect();
    assert_eq!(
        skipped,
        vec![format!(
            "{}:{req_line}:1: skipped[truncated_body]: a JSON body is truncated with `...` and does not parse, even leniently (response body)",
            d.path().join("api/driveitem-get.md").display()
        )]
    );
    assert!(stdout.contains(", 1 skipped\n"), "{stdout}");
}

#[test]
fn other_hosts_are_skipped_and_placeholders_are_checked() {
    let d = tempfile::tempdir().unwrap();
    copy_dir(&docs(), d.path());
    let page = "# Get x\n## Permissions\n|Permission type|Permissions (from least to most privileged)|\n|:--|:--|\n|Delegated (work or school account)|Files.Read|\n|Delegated (personal Microsoft account)|Files.Read|\n|Application|Files.Read.All|\n## HTTP request\n```http\nGET /me/drive/items/{item-id}\n```\n## Response\nIf successful, this method returns a `200 OK` response code and a [driveItem](../resources/driveitem.md) object in the response body.\n## Examples\n<!-- { \"blockType\": \"request\", \"name\": \"a\" } -->\n```http\nGET https://contoso.sharepoint.com/_api/x\n```\n<!-- { \"blockType\": \"request\", \"name\": \"b\" } -->\n```http\nGET https://graph.microsoft.com/v1.0/me/drive/items/{item-id}\n```\n<!-- { \"blockType\": \"response\" } -->\n```http\nHTTP/1.1 200 OK\nContent-Type: application/json\n\n{\"id\": \"1\", \"folder\": {\"childCount\": \"seven\"}}\n```\n";
    std::fs::write(d.path().join("api/x-get.md"), page).unwrap();
    let (out, stdout) = check(d.path(), &["--skipped", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["skip_reasons"], serde_json::json!({"not_graph_url": 1}));
    assert_eq!(v["codes"]["GD064"], 1);
    let (_, stdout) = check(d.path(), &["--skipped"]);
    let file = d.path().join("api/x-get.md");
    assert!(stdout.contains(&format!("{}:17:1: skipped[not_graph_url]: the request URL is not a Microsoft Graph URL (host `contoso.sharepoint.com`)\n", file.display())), "{stdout}");
    let body_line = line_of(&file, "{\"id\": \"1\"");
    assert!(stdout.contains(&format!("{}:{body_line}:1: error[GD064]: property `childCount` of `folder` is `Int32` (a JSON number), but the example has a string `\"seven\"`\n", file.display())), "{stdout}");
}

#[test]
fn json_representation_and_links_against_the_tables() {
    // a key the table does not list, and a table row the JSON representation lacks
    let (d, _) = mutated(
        "resources/folder.md",
        "\"childCount\": 1024",
        "\"childCnt\": 1024",
    );
    let (out, stdout) = check(d.path(), &[]);
    assert_eq!(out.status.code(), Some(1));
    let file = d.path().join("resources/folder.md");
    let json_line = line_of(&file, "\"childCnt\"");
    let row_line = line_of(&file, "|childCount|");
    assert_eq!(
        lines_with(&stdout, "GD067"),
        vec![format!("{}:{json_line}:1: error[GD067]: the JSON representation of `folder` has `childCnt`, which its properties and relationships tables do not list", file.display())]
    );
    assert_eq!(
        lines_with(&stdout, "GD068"),
        vec![format!("{}:{row_line}:1: error[GD068]: property `childCount` of `folder` is missing from the JSON representation", file.display())]
    );
    // a type link to a page that is not there (the name still resolves)
    let (d, line) = mutated("resources/file.md", "(hashes.md)", "(hashez.md)");
    let (_, stdout) = check(d.path(), &[]);
    assert_eq!(
        lines_with(&stdout, "GD069"),
        vec![format!("{}:{line}:1: warning[GD069]: the link of type `hashes` points to `hashez.md`, which is not a page of the docs folder", d.path().join("resources/file.md").display())]
    );
}
