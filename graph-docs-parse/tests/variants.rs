//! Generality: every page of the real v1.0 reference, rewritten the ways other copies of these
//! docs are written (CRLF line ends, a BOM, section headings one level deeper or in capitals,
//! fence info strings in capitals), must yield the same routes, permissions, parameters,
//! properties, enums and examples as the page as published. Skipped when the corpus is absent.

use std::path::{Path, PathBuf};

use graph_docs_parse::*;

fn corpus_files() -> Option<Vec<PathBuf>> {
    let dir =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/graph-docs-2021/v1.0");
    if !dir.is_dir() {
        eprintln!("SKIP: corpus not found at {}", dir.display());
        return None;
    }
    let mut out = Vec::new();
    for sub in ["api", "resources"] {
        let Ok(rd) = std::fs::read_dir(dir.join(sub)) else {
            continue;
        };
        out.extend(
            rd.flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "md")),
        );
    }
    out.sort();
    Some(out)
}

/// What a page yields, without locations (line numbers may move with a rewrite).
fn essence(page: &Page) -> String {
    let mut s = String::new();
    match page {
        Page::Api(a) => {
            s.push_str("api\n");
            for r in &a.routes {
                s.push_str(&format!("route {} {} {:?}\n", r.method, r.path, r.query));
            }
            let p = &a.permissions;
            s.push_str(&format!(
                "perms {:?} {:?} {:?}\n",
                p.delegated_work, p.delegated_personal, p.application
            ));
            for q in &a.query_params {
                s.push_str(&format!("query {} {:?}\n", q.name, q.ty));
            }
            s.push_str(&format!("odata {:?}\n", a.odata_options));
            for h in &a.headers {
                s.push_str(&format!(
                    "header {} {:?} {:?}\n",
                    h.name, h.value, h.required
                ));
            }
            for b in &a.body_params {
                s.push_str(&format!("body {} {:?} {}\n", b.name, b.ty, b.required));
            }
            s.push_str(&format!("request body {:?}\n", a.body));
            if let Some(r) = &a.response {
                s.push_str(&format!("response {} {:?}\n", r.status, r.body));
            }
            for e in &a.examples {
                if let Some(r) = &e.request {
                    s.push_str(&format!(
                        "example request {} {} {:?} {:?}\n",
                        r.method,
                        r.url,
                        r.headers,
                        r.json.as_deref()
                    ));
                }
                if let Some(r) = &e.response {
                    s.push_str(&format!(
                        "example response {} {:?}\n",
                        r.status,
                        r.json.as_deref()
                    ));
                }
            }
        }
        Page::Resource(r) => {
            s.push_str(&format!(
                "resource {} {:?} {:?} {:?}\n",
                r.name, r.odata_type, r.base_type, r.key_property
            ));
            for p in r.properties.iter().chain(&r.relationships) {
                s.push_str(&format!(
                    "property {} {:?} {} {:?} {:?}\n",
                    p.name, p.ty, p.read_only, p.nullable, p.enum_values
                ));
            }
            s.push_str(&format!(
                "representation {:?}\n",
                r.json_representation.as_ref().map(|j| j.json.is_some())
            ));
            for e in &r.enums {
                s.push_str(&format!("enum {} {:?}\n", e.name, e.members));
            }
        }
        Page::Enum(e) => {
            for e in &e.enums {
                s.push_str(&format!("enum {} {:?}\n", e.name, e.members));
            }
        }
        Page::Other(_) => s.push_str("other\n"),
    }
    s
}

/// Applies `f` to every line outside fenced code blocks (fence lines included).
fn outside_code(text: &str, mut f: impl FnMut(&str, bool) -> String) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    let mut fence: Option<&str> = None;
    for line in text.split_inclusive('\n') {
        let t = line.trim_start();
        let marker = ["```", "~~~"].into_iter().find(|m| t.starts_with(m));
        match (fence, marker) {
            (Some(open), Some(m)) if m == open && t.trim_end().trim_start_matches(m).is_empty() => {
                fence = None;
                out.push_str(line);
            }
            (Some(_), _) => out.push_str(line),
            (None, Some(m)) => {
                fence = Some(m);
                out.push_str(&f(line, true));
            }
            (None, None) => out.push_str(&f(line, false)),
        }
    }
    out
}

const SECTIONS: &[&str] = &[
    "HTTP request",
    "Permissions",
    "Optional query parameters",
    "Request headers",
    "Request body",
    "Response",
    "Properties",
    "Relationships",
    "JSON representation",
];

fn variants(text: &str) -> Vec<(&'static str, String)> {
    let crlf = if text.contains("\r\n") {
        text.to_string()
    } else {
        text.replace('\n', "\r\n")
    };
    let deeper = outside_code(text, |line, _| {
        let hashes = line.len() - line.trim_start_matches('#').len();
        if (2..=5).contains(&hashes) && line[hashes..].starts_with(' ') {
            format!("#{line}")
        } else {
            line.to_string()
        }
    });
    let capitals = outside_code(text, |line, fence| {
        if fence {
            // ```http → ```HTTP, ```json → ```JSON
            return line.to_ascii_uppercase();
        }
        let hashes = line.len() - line.trim_start_matches('#').len();
        let title = line[hashes..].trim();
        if hashes >= 2 && SECTIONS.iter().any(|s| s.eq_ignore_ascii_case(title)) {
            format!("{} {}\n", &line[..hashes], title.to_ascii_uppercase())
        } else {
            line.to_string()
        }
    });
    let no_outer_pipes = outside_code(text, |line, _| {
        let t = line.trim_end_matches(['\n', '\r']);
        let inner = t
            .trim()
            .strip_prefix('|')
            .and_then(|b| b.strip_suffix('|'))
            .map(str::trim)
            .unwrap_or("");
        // (a row ending in an empty cell, `| a | b |   |`, keeps its pipes: without them its
        // last pipe would read as an outer one and the row would lose a column)
        if inner.contains('|') && !inner.ends_with('|') {
            let eol = &line[t.len()..];
            format!("{inner}{eol}")
        } else {
            line.to_string()
        }
    });
    let tildes = text.replace("```", "~~~");
    // header rows (the line above a delimiter row) with bold names: `| **Property** | **Type** |`
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let is_delim = |l: &str| {
        let b = l.trim();
        b.contains("---")
            && b.contains('|')
            && b.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t'))
    };
    // `Property | Type` headers written `Name | Data type`
    let header_synonyms: String = lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            if lines.get(i + 1).is_some_and(|n| is_delim(n)) && l.contains('|') {
                l.split('|')
                    .map(|c| match c.trim() {
                        "Property" => " Name ".to_string(),
                        "Type" => " Data type ".to_string(),
                        _ => c.to_string(),
                    })
                    .collect::<Vec<_>>()
                    .join("|")
            } else {
                l.to_string()
            }
        })
        .collect();
    // route blocks fenced bare (no `http`), route lines without their leading `/`
    let mut in_request_section = false;
    let mut in_code = false;
    let bare_routes: String = lines
        .iter()
        .map(|l| {
            let t = l.trim_start();
            if !in_code && t.starts_with('#') {
                in_request_section = t
                    .trim_start_matches('#')
                    .trim()
                    .eq_ignore_ascii_case("http request");
            }
            if t.starts_with("```") {
                in_code = !in_code;
                if in_code && in_request_section && t.trim_end().eq_ignore_ascii_case("```http") {
                    return l.replacen(t.trim_end(), "```", 1);
                }
                return l.to_string();
            }
            if in_code && in_request_section {
                for m in ["GET /", "POST /", "PUT /", "PATCH /", "DELETE /"] {
                    if let Some(rest) = t.strip_prefix(m) {
                        let indent = &l[..l.len() - t.len()];
                        return format!("{indent}{}{rest}", &m[..m.len() - 1]);
                    }
                }
            }
            l.to_string()
        })
        .collect();
    let bold_headers: String = lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            if lines.get(i + 1).is_some_and(|n| is_delim(n)) && l.contains('|') && !l.contains("**")
            {
                let eol = if l.ends_with("\r\n") {
                    "\r\n"
                } else if l.ends_with('\n') {
                    "\n"
                } else {
                    ""
                };
                let cells: Vec<String> = l
                    .trim_end_matches(['\n', '\r'])
                    .split('|')
                    .map(|c| {
                        let t = c.trim();
                        if t.is_empty() {
                            c.to_string()
                        } else {
                            format!(" **{t}** ")
                        }
                    })
                    .collect();
                format!("{}{eol}", cells.join("|"))
            } else {
                l.to_string()
            }
        })
        .collect();
    vec![
        ("CRLF", crlf),
        ("tables without outer pipes", no_outer_pipes),
        ("~~~ fences", tildes),
        ("bold header cells", bold_headers),
        ("header synonyms", header_synonyms),
        ("bare fences, routes without leading slash", bare_routes),
        ("BOM", format!("\u{feff}{text}")),
        ("headings one level deeper", deeper),
        ("capital section headings and fence info", capitals),
    ]
}

/// The page with its permissions table moved to `includes/permissions/<stem>.md` (beside the
/// page's folder) and an `[!INCLUDE [permissions-table](...)]` line in its place, as newer
/// pages are written; `None` when the page has no such table.
fn with_permissions_include(text: &str, stem: &str, includes: &Path) -> Option<String> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let (start, end) = permissions_table(&lines)?;
    let table: String = lines[start..end].concat();
    std::fs::write(includes.join(format!("{stem}.md")), table).ok()?;
    let mut out: String = lines[..start].concat();
    out.push_str(&format!(
        "[!INCLUDE [permissions-table](../includes/permissions/{stem}.md)]\n"
    ));
    out.push_str(&lines[end..].concat());
    Some(out)
}

/// The lines `[start, end)` of the first table after a "Permissions" / "Prerequisites" heading.
fn permissions_table(lines: &[&str]) -> Option<(usize, usize)> {
    let heading = lines.iter().position(|l| {
        let t = l.trim();
        t.starts_with("## ")
            && ["permissions", "prerequisites"]
                .iter()
                .any(|h| t[3..].trim().eq_ignore_ascii_case(h))
    })?;
    let start = heading
        + 1
        + lines[heading + 1..]
            .iter()
            .position(|l| l.trim_start().starts_with('|'))?;
    if lines[heading + 1..start].iter().any(|l| l.starts_with('#')) {
        return None;
    }
    let end = start
        + lines[start..]
            .iter()
            .position(|l| !l.trim_start().starts_with('|'))
            .unwrap_or(lines.len() - start);
    Some((start, end))
}

fn cells(row: &str) -> Vec<String> {
    let t = row.trim();
    let t = t.strip_prefix('|').unwrap_or(t);
    let t = t.strip_suffix('|').unwrap_or(t);
    t.split('|').map(|c| c.trim().to_string()).collect()
}

/// The page with its `Permission type | Permissions` table transposed: the permission types
/// as columns, one row of scopes (the shape some pages use).
fn with_transposed_permissions(text: &str) -> Option<String> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let (start, end) = permissions_table(&lines)?;
    let header = cells(lines[start]);
    let rows: Vec<Vec<String>> = lines[start + 2..end].iter().map(|l| cells(l)).collect();
    if header.len() != 2 || rows.is_empty() || rows.iter().any(|r| r.len() != 2) {
        return None;
    }
    let mut out: String = lines[..start].concat();
    let row = |cs: Vec<&str>| format!("| {} |\n", cs.join(" | "));
    out.push_str(&row(std::iter::once(header[0].as_str())
        .chain(rows.iter().map(|r| r[0].as_str()))
        .collect()));
    out.push_str(&row(vec!["---"; rows.len() + 1]));
    out.push_str(&row(std::iter::once(header[1].as_str())
        .chain(rows.iter().map(|r| r[1].as_str()))
        .collect()));
    out.push_str(&lines[end..].concat());
    Some(out)
}

#[test]
fn transposed_permission_tables_read_the_same() {
    let Some(files) = corpus_files() else { return };
    let (mut turned, mut failures) = (0, Vec::new());
    for path in files
        .iter()
        .filter(|p| p.parent().is_some_and(|d| d.ends_with("api")))
    {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let Some(v) = with_transposed_permissions(&text) else {
            continue;
        };
        let (Page::Api(want), _) = parse_page(path, &text) else {
            continue;
        };
        let (Page::Api(got), _) = parse_page(path, &v) else {
            failures.push(format!("{}: no longer an API page", path.display()));
            continue;
        };
        turned += 1;
        let (w, g) = (&want.permissions, &got.permissions);
        if (&w.delegated_work, &w.delegated_personal, &w.application)
            != (&g.delegated_work, &g.delegated_personal, &g.application)
        {
            failures.push(format!("{}: {w:?}\n    now {g:?}", path.display()));
        }
    }
    assert!(turned > 1500, "only {turned} permission tables transposed");
    eprintln!("{turned} permission tables transposed");
    assert!(
        failures.is_empty(),
        "{} pages read their transposed permissions differently:\n{}",
        failures.len(),
        failures[..failures.len().min(20)].join("\n")
    );
}

#[test]
fn permissions_moved_to_include_files_read_the_same() {
    let Some(files) = corpus_files() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let (api, includes) = (
        tmp.path().join("api"),
        tmp.path().join("includes/permissions"),
    );
    std::fs::create_dir_all(&api).unwrap();
    std::fs::create_dir_all(&includes).unwrap();
    let (mut moved, mut failures) = (0, Vec::new());
    for path in files
        .iter()
        .filter(|p| p.parent().is_some_and(|d| d.ends_with("api")))
    {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let Some(v) = with_permissions_include(&text, &stem, &includes) else {
            continue;
        };
        let (Page::Api(want), _) = parse_page(path, &text) else {
            continue;
        };
        let here = api.join(path.file_name().unwrap());
        let (Page::Api(got), _) = parse_page(&here, &v) else {
            failures.push(format!("{}: no longer an API page", path.display()));
            continue;
        };
        moved += 1;
        let (w, g) = (&want.permissions, &got.permissions);
        let same = (&w.delegated_work, &w.delegated_personal, &w.application)
            == (&g.delegated_work, &g.delegated_personal, &g.application);
        let from_file = match &g.source {
            PermissionSource::Include(f) => std::fs::canonicalize(f).ok(),
            _ => None,
        };
        let file = std::fs::canonicalize(includes.join(format!("{stem}.md"))).ok();
        if !same || from_file.is_none() || from_file != file {
            failures.push(format!("{}: {w:?}\n    now {g:?}", path.display()));
        }
    }
    assert!(moved > 1200, "only {moved} permission tables moved");
    eprintln!("{moved} permission tables moved to include files");
    assert!(
        failures.is_empty(),
        "{} pages read their included permissions differently:\n{}",
        failures.len(),
        failures[..failures.len().min(20)].join("\n")
    );
}

#[test]
fn rewritten_pages_yield_the_same() {
    let Some(files) = corpus_files() else { return };
    assert!(files.len() > 3000);
    let mut failures = Vec::new();
    let mut changed: std::collections::BTreeMap<&str, usize> = Default::default();
    for path in &files {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let want = essence(&parse_page(path, &text).0);
        for (what, v) in variants(&text) {
            *changed.entry(what).or_default() += usize::from(v != text);
            let got = essence(&parse_page(path, &v).0);
            if got != want {
                let line = want
                    .lines()
                    .zip(got.lines())
                    .find(|(a, b)| a != b)
                    .map(|(a, b)| format!("\n    was: {a}\n    now: {b}"))
                    .unwrap_or_else(|| "\n    (one is a prefix of the other)".into());
                failures.push(format!("{} ({what}){line}", path.display()));
            }
        }
    }
    // every rewrite really rewrites (most pages for most of them)
    eprintln!("pages changed by each rewrite: {changed:?}");
    for (what, n) in &changed {
        assert!(*n > 500, "`{what}` changed only {n} pages");
    }
    assert!(
        failures.is_empty(),
        "{} rewritten pages read differently:\n{}",
        failures.len(),
        failures[..failures.len().min(25)].join("\n")
    );
}
