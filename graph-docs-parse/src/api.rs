//! API (operation) pages: routes, query options, headers, body, response, examples.

use crate::frontmatter::trim;
use crate::markdown::Block;
use crate::model::*;
use crate::routes::{parse_route, RouteError};
use crate::sections::{SectionKind, Sections};
use crate::{
    codes, contains_ci, examples, find_ci, find_str, permissions, resource, starts_with_ci, tables,
    types, Ctx, Needles,
};

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
        route_blocks(cx, &blocks[s.start..s.end], &mut page.routes, false);
    }
    if route_ranges.is_empty() {
        // no "HTTP request" heading: code blocks before the examples made only of route lines
        let end = secs
            .first(SectionKind::Examples)
            .map(|s| s.start)
            .unwrap_or(blocks.len());
        route_blocks(cx, &blocks[..end], &mut page.routes, true);
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
                    let hs: Vec<tables::Lower> = header.iter().map(tables::norm_header).collect();
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
                        for row in rows.iter() {
                            for c in row.iter() {
                                odata_names(c.text(), &mut page.odata_options);
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }

    // function (path) parameters
    for s in secs.all(SectionKind::FunctionParams) {
        for b in &blocks[s.start..s.end] {
            if let Block::Table { header, rows, .. } = b {
                if resource::is_property_table(header) {
                    page.function_params
                        .extend(tables::params(cx, header, rows));
                }
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
                Block::Table { header, rows, .. }
                    if resource::is_property_table(header)
                        || tables::param_columns(header, rows).is_some() =>
                {
                    page.body_params.extend(tables::params(cx, header, rows));
                }
                // (once both are known, nothing more to look for)
                Block::Para { .. } if binary && resource_link.is_some() => {}
                Block::Para { inline, .. } => {
                    // (one pass for every phrase: "json representation" is needle 0)
                    const PHRASES: Needles<6> = Needles::new([
                        "json representation",
                        "binary",
                        "contents of the file",
                        "file contents",
                        "stream",
                        "content of the file",
                    ]);
                    let found = PHRASES.found(&inline.text, |m| m & 1 != 0 && m > 1);
                    if resource_link.is_none() && found & 1 != 0 {
                        resource_link = inline
                            .links
                            .iter()
                            .find(|k| types::is_page_link(k.dest))
                            .map(|k| types::parse_cell(k.text, std::slice::from_ref(k)));
                    }
                    if found > 1 {
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

/// Languages whose blocks are never route lists.
fn is_code_language(info: &str) -> bool {
    let l = info.split_whitespace().next().unwrap_or("");
    // (no language name is longer: nothing to lower-case)
    if l.len() > 16 {
        return false;
    }
    let l = tables::Lower::new(l);
    matches!(
        &*l,
        "csharp"
            | "cs"
            | "c#"
            | "javascript"
            | "js"
            | "java"
            | "objc"
            | "objective-c"
            | "python"
            | "json"
            | "xml"
            | "powershell"
            | "go"
            | "php"
            | "typescript"
            | "ts"
            | "html"
            | "yaml"
    )
}

fn is_header_line(t: &str) -> bool {
    match t.split_once(':') {
        Some((n, _)) => {
            !n.is_empty()
                && n.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
                && Method::parse(n).is_none()
                && !n.eq_ignore_ascii_case("http")
                && !n.eq_ignore_ascii_case("https")
        }
        None => false,
    }
}

/// Reads the route lines of the code blocks in `blocks`. With `only_clean`, a block is used
/// only when every line is a route (and nothing is reported).
fn route_blocks(cx: &mut Ctx<'_>, blocks: &[Block], routes: &mut Vec<Route>, only_clean: bool) {
    let mut annotated_example = false;
    for b in blocks {
        let (text, body_line, info) = match b {
            Block::Code {
                text,
                body_line,
                info,
                ..
            } => (text, *body_line, info),
            Block::Html { text, .. } => {
                const KEYS: Needles<3> =
                    Needles::new(["\"blocktype\"", "\"request\"", "\"response\""]);
                // (`"blocktype"` and either of the others)
                fn enough(m: u8) -> bool {
                    m & 1 != 0 && m > 1
                }
                annotated_example = enough(KEYS.found(text, enough));
                continue;
            }
            _ => {
                annotated_example = false;
                continue;
            }
        };
        let skip = is_code_language(info) || (only_clean && annotated_example);
        annotated_example = false;
        if skip {
            continue;
        }
        // (the block's routes go straight to `routes`; with `only_clean` they are taken back
        // when a line is no route)
        let start = routes.len();
        let mut bad = Vec::new();
        for (n, (_, line)) in examples::Lines::new(text).enumerate() {
            let t = trim(line);
            if t.is_empty() || t.starts_with("//") || t.starts_with('#') || t.starts_with("<!--") {
                continue;
            }
            if t.starts_with('{') || t.starts_with('[') {
                break; // a request body after the route lines
            }
            if routes.len() > start && is_header_line(t) {
                continue; // a header shown with the route
            }
            let col = line.len() - line.trim_start().len();
            let loc = Loc {
                line: body_line + n as u32,
                col: col as u32 + 1,
            };
            match parse_route(line, loc) {
                Ok(r) => routes.push(r),
                Err(e) => bad.push((loc, t.chars().take(80).collect::<String>(), e)),
            }
        }
        if only_clean {
            if !bad.is_empty() {
                routes.truncate(start);
            }
            continue;
        }
        for (loc, shown, e) in bad {
            let code = match e {
                RouteError::Unbalanced(_) => codes::UNBALANCED_ROUTE,
                _ => codes::BAD_ROUTE_LINE,
            };
            cx.diag(
                loc,
                Severity::Error,
                code,
                format!("route line `{shown}` {e}"),
            );
        }
    }
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

/// The first status code in a response sentence (`200 OK`, `201 Created`, ...), with its
/// byte offset.
fn status_in(text: &str) -> Option<(usize, u16)> {
    let b = text.as_bytes();
    let status_at = |i: usize| -> Option<u16> {
        if i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'.') {
            return None;
        }
        let d = &b[i..i + 3];
        if !(d.iter().all(u8::is_ascii_digit)
            && (b.len() == i + 3 || !b[i + 3].is_ascii_alphanumeric())
            && (b'1'..=b'5').contains(&d[0]))
        {
            return None;
        }
        let n = (d[0] - b'0') as u16 * 100 + (d[1] - b'0') as u16 * 10 + (d[2] - b'0') as u16;
        // must look like a status: followed by a reason word or a code span / "response"
        let after = text[i + 3..].trim_start_matches([',', ' ']);
        [
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
        .any(|w| starts_with_ci(after, w))
        .then_some(n)
    };
    // the digits (candidate starts `0..ends`) eight bytes at a time: xor `'0'` makes a digit
    // a byte below 10, and the "has a byte below 10" test flags it (and possibly bytes after
    // one: each flagged byte is tested)
    const ZEROS: u64 = u64::from_ne_bytes([b'0'; 8]);
    const TENS: u64 = u64::from_ne_bytes([10; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    let ends = b.len().saturating_sub(2);
    let mut i = 0;
    while i + 8 <= ends {
        let w = &b[i..i + 8];
        let y = u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]) ^ ZEROS;
        let mut m = y.wrapping_sub(TENS) & !y & HIGHS;
        while m != 0 {
            let j = i + (m.trailing_zeros() / 8) as usize;
            m &= m - 1;
            if b[j].is_ascii_digit() {
                if let Some(n) = status_at(j) {
                    return Some((j, n));
                }
            }
        }
        i += 8;
    }
    while i < ends {
        if b[i].is_ascii_digit() {
            if let Some(n) = status_at(i) {
                return Some((i, n));
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
    let mut fallback = None;
    for s in cands {
        for b in &blocks[s.start..s.end] {
            let Block::Para { inline, loc, .. } = b else {
                continue;
            };
            match status_in(&inline.text) {
                Some((pos, status)) => {
                    return Some(ResponseSpec {
                        status,
                        body: response_body(&inline.text, pos, status, &inline.links),
                        loc: *loc,
                    });
                }
                None => {
                    if fallback.is_none() && contains_ci(&inline.text, "return") {
                        fallback = Some((inline, *loc));
                    }
                }
            }
        }
    }
    if let Some((inline, loc)) = fallback {
        cx.diag(
            loc,
            Severity::Warning,
            codes::NO_RESPONSE_STATUS,
            "the \"Response\" section states no status code; `200 OK` is assumed".into(),
        );
        return Some(ResponseSpec {
            status: 200,
            body: response_body(&inline.text, 0, 200, &inline.links),
            loc,
        });
    }
    cx.diag(
        heading_loc.unwrap_or(cx.h1_loc),
        Severity::Warning,
        codes::NO_RESPONSE_STATUS,
        "the \"Response\" section states no status code (e.g. \"returns a `200 OK` response code\")".into(),
    );
    None
}

/// What a response sentence says the body is, reading from byte `pos` (the status code).
fn response_body(
    text: &str,
    pos: usize,
    status: u16,
    links: &[crate::markdown::Link],
) -> ResponseBody {
    let after = &text[pos..];
    let a = after.as_bytes();
    let sentence_end = memchr::memchr_iter(b'.', a)
        .find(|&e| a.get(e + 1) == Some(&b' '))
        .map(|e| pos + e)
        .unwrap_or(text.len());
    let sentence = &text[pos..sentence_end];
    // (the sentence is matched ignoring ASCII case, as its lower-cased copy was: same offsets)
    // the first page link after the status code, inside the sentence
    let link = links.iter().find(|l| {
        types::is_page_link(l.dest)
            && !l.text.is_empty()
            && find_str(sentence, l.text).is_some()
            && find_str(l.dest, "/concepts/").is_none()
            && !contains_ci(l.dest, "errors")
    });
    if status == 204 {
        ResponseBody::None
    } else if let Some(l) = link {
        let ty = match types::parse_cell(l.text, std::slice::from_ref(l)) {
            TypeRef::Collection(inner) => *inner,
            t => t,
        };
        let at = find_ci(sentence, l.text);
        let before = &sentence[..at.unwrap_or(0)];
        let after_l =
            sentence[at.map(|i| i + l.text.len()).unwrap_or(sentence.len())..].trim_start();
        const MANY: Needles<3> = Needles::new(["collection", "list of", "array of"]);
        if MANY.any_in(before)
            || starts_with_ci(after_l, "collection")
            || starts_with_ci(after_l, "objects")
            || starts_with_ci(after_l, "resources")
        {
            ResponseBody::Collection(ty)
        } else {
            ResponseBody::Single(ty)
        }
    } else if BINARY.any_in(sentence) {
        ResponseBody::Binary
    } else if let Some(p) = primitive_in(sentence) {
        if contains_ci(sentence, "collection") {
            ResponseBody::Collection(TypeRef::Primitive(p))
        } else {
            ResponseBody::Single(TypeRef::Primitive(p))
        }
    } else {
        ResponseBody::None
    }
}

/// What a response sentence says of a binary body.
const BINARY: Needles<4> = Needles::new(["stream", "binary", "contents of the", "content of the"]);

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

#[cfg(test)]
mod tests {
    use super::*;

    /// The status reading before the digits were found eight bytes at a time.
    fn status_in_ref(text: &str) -> Option<(usize, u16)> {
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
                    let n = (d[0] - b'0') as u16 * 100
                        + (d[1] - b'0') as u16 * 10
                        + (d[2] - b'0') as u16;
                    let after = text[i + 3..].trim_start_matches([',', ' ']);
                    if ["ok", "created", "no content", "response", "status"]
                        .iter()
                        .any(|w| starts_with_ci(after, w))
                        || ["accepted", "found", "partial", "moved", "see other"]
                            .iter()
                            .any(|w| starts_with_ci(after, w))
                        || [
                            "not modified",
                            "non-authoritative",
                            "multi-status",
                            "redirect",
                        ]
                        .iter()
                        .any(|w| starts_with_ci(after, w))
                    {
                        return Some((i, n));
                    }
                }
            }
            i += 1;
        }
        None
    }

    #[test]
    fn status_codes_read_like_the_reference() {
        const PIECES: &[&str] = &[
            "",
            " ",
            ",",
            ".",
            "a",
            "x1",
            "0",
            "1",
            "2",
            "20",
            "200",
            "204",
            "404",
            "600",
            "2000",
            " OK",
            "ok",
            " Created",
            " No Content",
            "response",
            "é",
            "`",
            "/",
            ":",
        ];
        let mut rng = fastrand::Rng::with_seed(21);
        for _ in 0..50_000 {
            let s: String = (0..rng.usize(0..24))
                .map(|_| PIECES[rng.usize(..PIECES.len())])
                .collect();
            assert_eq!(status_in(&s), status_in_ref(&s), "{s:?}");
        }
    }
}
