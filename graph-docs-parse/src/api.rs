//! API (operation) pages: routes, query options, headers, body, response, examples.

use crate::markdown::Block;
use crate::model::*;
use crate::routes::{parse_route, RouteError};
use crate::sections::{SectionKind, Sections};
use crate::{codes, examples, permissions, resource, tables, types, Ctx};

/// Builds an API page.
pub(crate) fn read(cx: &mut Ctx<'_>, meta: PageMeta, blocks: &[Block], secs: &Sections) -> ApiPage {
    let mut page = ApiPage {
        meta,
        ..Default::default()
    };
    let perm = secs
        .first(SectionKind::Permissions)
        .map(|s| (s.start, s.end, s.loc));
    page.permissions = permissions::read(cx, blocks, perm);

    // routes
    let mut route_ranges = Vec::new();
    for s in secs.all(SectionKind::HttpRequest) {
        route_ranges.push((s.start, s.end));
        for b in &blocks[s.start..s.end] {
            if let Block::Code {
                text, body_line, ..
            } = b
            {
                for (n, line) in text.lines().enumerate() {
                    let t = line.trim();
                    if t.is_empty()
                        || t.starts_with("//")
                        || t.starts_with('#')
                        || t.starts_with("<!--")
                    {
                        continue;
                    }
                    let col = line.len() - line.trim_start().len();
                    let loc = Loc {
                        line: body_line + n as u32,
                        col: col as u32 + 1,
                    };
                    match parse_route(line, loc) {
                        Ok(r) => page.routes.push(r),
                        Err(e) => {
                            let code = match e {
                                RouteError::Unbalanced(_) => codes::UNBALANCED_ROUTE,
                                _ => codes::BAD_ROUTE_LINE,
                            };
                            let shown: String = t.chars().take(80).collect();
                            cx.diag(
                                loc,
                                Severity::Error,
                                code,
                                format!("route line `{shown}` {e}"),
                            );
                        }
                    }
                }
            }
        }
    }
    if page.routes.is_empty() {
        let (loc, why) = match secs.first(SectionKind::HttpRequest) {
            Some(s) => (
                s.loc,
                "its \"HTTP request\" section has no route line (`METHOD /path` in a code block)",
            ),
            None => (cx.h1_loc, "it has no \"HTTP request\" section"),
        };
        cx.diag(
            loc,
            Severity::Error,
            codes::NO_ROUTES,
            format!("API page yields no operation: {why}"),
        );
    }

    // optional query parameters
    for s in secs.all(SectionKind::QueryParams) {
        for b in &blocks[s.start..s.end] {
            match b {
                Block::Para { inline, .. } => odata_names(&inline.text, &mut page.odata_options),
                Block::Table { header, rows, .. } => {
                    let hs: Vec<String> = header.iter().map(tables::norm_header).collect();
                    if hs.first().is_some_and(|h| tables::is_name_header(h))
                        && tables::type_col(&hs).is_some()
                    {
                        for p in tables::params(cx, header, rows) {
                            if let Some(n) = p.name.strip_prefix('$') {
                                push_unique(&mut page.odata_options, n.to_ascii_lowercase());
                            } else {
                                page.query_params.push(p);
                            }
                        }
                    } else {
                        for row in rows {
                            for c in row {
                                odata_names(c.text(), &mut page.odata_options);
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }

    // headers
    for s in secs.all(SectionKind::Headers) {
        for b in &blocks[s.start..s.end] {
            if let Block::Table { header, rows, .. } = b {
                page.headers.extend(tables::headers(header, rows));
            }
        }
    }

    // body
    if let Some(s) = secs.first(SectionKind::Body) {
        let mut resource_link = None;
        let mut binary = false;
        for b in &blocks[s.start..s.end] {
            match b {
                Block::Table { header, rows, .. } if resource::is_property_table(header) => {
                    page.body_params.extend(tables::params(cx, header, rows));
                }
                Block::Para { inline, .. } => {
                    let l = inline.text.to_ascii_lowercase();
                    if resource_link.is_none() && l.contains("json representation") {
                        resource_link = inline
                            .links
                            .iter()
                            .find(|k| types::is_page_link(&k.dest))
                            .map(|k| types::parse_cell(&k.text, std::slice::from_ref(k)));
                    }
                    if l.contains("binary")
                        || l.contains("contents of the file")
                        || l.contains("file contents")
                        || l.contains("stream")
                        || l.contains("content of the file")
                    {
                        binary = true;
                    }
                }
                _ => {}
            }
        }
        page.body = if !page.body_params.is_empty() {
            RequestBody::Params
        } else if let Some(t) = resource_link {
            RequestBody::Resource(t)
        } else if binary {
            RequestBody::Binary
        } else {
            RequestBody::None
        };
    }

    // response
    page.response = response(cx, blocks, secs);

    // examples: every code block outside the HTTP request section
    let default_status = page.response.as_ref().map(|r| r.status);
    page.examples = examples::read(cx, blocks, &route_ranges, default_status);
    page
}

fn push_unique(v: &mut Vec<String>, s: String) {
    if !s.is_empty() && !v.contains(&s) {
        v.push(s);
    }
}

/// Collects `$select`-style names from text.
pub(crate) fn odata_names(text: &str, out: &mut Vec<String>) {
    let b = text.as_bytes();
    let mut i = 0;
    while let Some(p) = text[i..].find('$') {
        let s = i + p + 1;
        let mut e = s;
        while e < b.len() && b[e].is_ascii_alphabetic() {
            e += 1;
        }
        if e > s {
            let name = text[s..e].to_ascii_lowercase();
            if matches!(
                name.as_str(),
                "select"
                    | "filter"
                    | "expand"
                    | "top"
                    | "skip"
                    | "orderby"
                    | "count"
                    | "search"
                    | "skiptoken"
                    | "format"
                    | "deltatoken"
                    | "levels"
            ) {
                push_unique(out, name);
            }
        }
        i = e.max(s);
        if i >= text.len() {
            break;
        }
    }
}

fn status_in(text: &str) -> Option<(usize, u16)> {
    let b = text.as_bytes();
    let mut i = 0;
    while i + 3 <= b.len() {
        if b[i].is_ascii_digit()
            && (i == 0 || !b[i - 1].is_ascii_alphanumeric() && b[i - 1] != b'.')
        {
            let d = &b[i..i + 3];
            if d.iter().all(u8::is_ascii_digit)
                && (b.len() == i + 3 || !b[i + 3].is_ascii_alphanumeric())
                && (b'1'..=b'5').contains(&d[0])
            {
                let n =
                    (d[0] - b'0') as u16 * 100 + (d[1] - b'0') as u16 * 10 + (d[2] - b'0') as u16;
                // must look like a status: followed by a reason word or a code span / "response"
                let after = text[i + 3..].trim_start().to_ascii_lowercase();
                if [
                    "ok",
                    "created",
                    "accepted",
                    "no content",
                    "found",
                    "response",
                    "partial",
                    "moved",
                    "see other",
                    "not modified",
                    "status",
                    "non-authoritative",
                    "multi-status",
                    "redirect",
                ]
                .iter()
                .any(|w| after.starts_with(w))
                {
                    return Some((i, n));
                }
            }
        }
        i += 1;
    }
    None
}

fn response(cx: &mut Ctx<'_>, blocks: &[Block], secs: &Sections) -> Option<ResponseSpec> {
    let first_example = secs
        .first(SectionKind::Examples)
        .map(|s| s.start)
        .unwrap_or(usize::MAX);
    let mut cands: Vec<_> = secs.all(SectionKind::Response).collect();
    // the Response section before the examples first
    cands.sort_by_key(|s| s.start > first_example);
    let heading_loc = cands.first().map(|s| s.loc);
    for s in cands {
        for b in &blocks[s.start..s.end] {
            let Block::Para { inline, loc, .. } = b else {
                continue;
            };
            let Some((pos, status)) = status_in(&inline.text) else {
                continue;
            };
            let text = &inline.text;
            let after = &text[pos..];
            let sentence_end = after.find(". ").map(|e| pos + e).unwrap_or(text.len());
            let sentence = &text[pos..sentence_end];
            let lower = sentence.to_ascii_lowercase();
            // the first page link after the status code, inside the sentence
            let link = inline.links.iter().find(|l| {
                types::is_page_link(&l.dest)
                    && !l.text.is_empty()
                    && sentence.contains(l.text.as_str())
                    && !l.dest.contains("/concepts/")
                    && !l.dest.to_ascii_lowercase().contains("errors")
            });
            let body = if status == 204 {
                ResponseBody::None
            } else if let Some(l) = link {
                let ty = types::parse_cell(&l.text, std::slice::from_ref(l));
                let ty = match ty {
                    TypeRef::Collection(inner) => *inner,
                    t => t,
                };
                let before = &lower[..lower.find(&l.text.to_ascii_lowercase()).unwrap_or(0)];
                let after_l = &lower[lower
                    .find(&l.text.to_ascii_lowercase())
                    .map(|i| i + l.text.len())
                    .unwrap_or(lower.len())..];
                if before.contains("collection")
                    || before.contains("list of")
                    || before.contains("array of")
                    || after_l.trim_start().starts_with("collection")
                    || after_l.trim_start().starts_with("objects")
                    || after_l.trim_start().starts_with("resources")
                {
                    ResponseBody::Collection(ty)
                } else {
                    ResponseBody::Single(ty)
                }
            } else if lower.contains("stream")
                || lower.contains("binary")
                || lower.contains("contents of the")
                || lower.contains("content of the")
            {
                ResponseBody::Binary
            } else if let Some(p) = primitive_in(sentence) {
                if lower.contains("collection") {
                    ResponseBody::Collection(TypeRef::Primitive(p))
                } else {
                    ResponseBody::Single(TypeRef::Primitive(p))
                }
            } else {
                ResponseBody::None
            };
            return Some(ResponseSpec {
                status,
                body,
                loc: *loc,
            });
        }
    }
    cx.diag(
        heading_loc.unwrap_or(cx.h1_loc),
        Severity::Warning,
        codes::NO_RESPONSE_STATUS,
        "the \"Response\" section states no status code (e.g. \"returns a `200 OK` response code\")".into(),
    );
    None
}

fn primitive_in(sentence: &str) -> Option<Primitive> {
    for w in sentence.split(|c: char| !c.is_ascii_alphanumeric() && c != '.') {
        if w.len() > 3 && w.chars().next().is_some_and(|c| c.is_ascii_uppercase()) {
            if let Some(p) = types::primitive(w) {
                if !matches!(p, Primitive::Json) {
                    return Some(p);
                }
            }
        }
    }
    None
}
