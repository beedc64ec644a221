//! Worked examples: annotated (`<!-- { "blockType": "request" } -->`) or recognised by the first
//! line of the fence (`GET https://...`, `HTTP/1.1 200 OK`), paired request → response.

use std::collections::BTreeMap;

use crate::lenient_json;
use crate::markdown::Block;
use crate::model::{Annotation, Example, ExampleRequest, ExampleResponse, Loc, Method, Severity};
use crate::{codes, Ctx};

/// An annotation comment's keys, as a map.
pub(crate) type AnnotationMap = BTreeMap<String, serde_json::Value>;

/// An annotation comment whose JSON has been checked (and warned about) but not yet built
/// into a map: most comments are never needed as maps (page annotations, blocks that are not
/// examples), so only the ones that are pay for it.
pub(crate) struct RawAnnotation<'b> {
    /// Strict JSON: the comment's text, or its lenient repair.
    json: std::borrow::Cow<'b, str>,
}

/// The keys needed to classify and name a block, read without building a map.
#[derive(serde::Deserialize)]
struct Head<'b> {
    #[serde(rename = "blockType", borrow, default)]
    block_type: Option<std::borrow::Cow<'b, str>>,
    #[serde(borrow, default)]
    name: Option<std::borrow::Cow<'b, str>>,
}

impl RawAnnotation<'_> {
    /// The annotation's keys and values.
    pub(crate) fn to_map(&self) -> AnnotationMap {
        serde_json::from_str(&self.json).unwrap_or_default()
    }

    /// `blockType` (lower-cased) and `name`, when they are strings.
    fn head(&self) -> (Option<String>, Option<String>) {
        match serde_json::from_str::<Head>(&self.json) {
            Ok(h) => (
                h.block_type.map(|b| b.to_ascii_lowercase()),
                h.name.map(|n| n.into_owned()),
            ),
            // (a repeated key or a non-string value: read them the way the map does)
            Err(_) => {
                let m = self.to_map();
                let name = m.get("name").and_then(|v| v.as_str()).map(str::to_string);
                (block_type(&m), name)
            }
        }
    }

    /// The annotation, its map built on first use.
    fn into_annotation(self) -> Annotation {
        Annotation::from_strict_json(self.json.into_owned().into_boxed_str())
    }
}

/// Reads an HTML comment as an annotation (`<!-- { ... } -->`), warning on lenient JSON.
pub(crate) fn raw_annotation<'b>(
    cx: &mut Ctx<'_>,
    html: &'b str,
    loc: Loc,
) -> Option<RawAnnotation<'b>> {
    let inner = html.trim().strip_prefix("<!--")?;
    let inner = inner.trim_end();
    let inner = inner.strip_suffix("-->").unwrap_or(inner).trim();
    if !inner.starts_with('{') {
        return None;
    }
    let end = inner.rfind('}').map(|i| i + 1).unwrap_or(inner.len());
    let text = inner[..end].trim();
    match lenient_json::check(text) {
        Ok(None) if is_object(text) => Some(RawAnnotation { json: text.into() }),
        Ok(Some(repaired)) if is_object(&repaired) => {
            cx.diag(loc, Severity::Warning, codes::LENIENT_ANNOTATION, "annotation comment is not strict JSON (comments, trailing or missing commas); read leniently".into());
            Some(RawAnnotation {
                json: repaired.into(),
            })
        }
        Err(e) => {
            cx.diag(
                loc,
                Severity::Warning,
                codes::BAD_ANNOTATION,
                format!("annotation comment is not JSON ({e}); it is ignored"),
            );
            None
        }
        _ => None,
    }
}

/// Whether strict JSON `text` is an object (it starts with `{` once trimmed).
fn is_object(text: &str) -> bool {
    text.trim_start().starts_with('{')
}

fn block_type(a: &AnnotationMap) -> Option<String> {
    a.get("blockType")
        .and_then(|v| v.as_str())
        .map(|s| s.to_ascii_lowercase())
}

enum Kind {
    Request,
    Response,
}

fn first_line(text: &str) -> (usize, &str) {
    for (i, l) in text.lines().enumerate() {
        if !l.trim().is_empty() {
            return (i, l.trim());
        }
    }
    (0, "")
}

fn looks_like_request(line: &str) -> bool {
    let mut it = line.split_whitespace();
    matches!((it.next().and_then(Method::parse), it.next()), (Some(_), Some(u)) if u.starts_with('/') || u.starts_with("http") || u.contains('/'))
}

/// The lines of `text` as [`str::lines`] gives them, each with the length it takes in `text`
/// (line break included).
fn lines_with_len(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split_inclusive('\n').map(|raw| {
        let line = match raw.strip_suffix('\n') {
            Some(l) => l.strip_suffix('\r').unwrap_or(l),
            None => raw,
        };
        (raw.len(), line)
    })
}

/// `text` after its first `n` lines ([`str::lines`] numbering).
fn after_lines(text: &str, n: usize) -> &str {
    let skipped: usize = lines_with_len(text).take(n).map(|(len, _)| len).sum();
    text.get(skipped..).unwrap_or("")
}

/// Splits headers and body of an HTTP message (`rest`: the text after its first line).
fn headers_body(
    cx: &mut Ctx<'_>,
    rest: &str,
    first_body_line: u32,
) -> (Vec<(String, String)>, Option<String>, u32) {
    let mut headers = Vec::new();
    let mut i = 0;
    let mut off = 0;
    let mut lines = lines_with_len(rest).peekable();
    // blank lines between the request line and the headers
    while let Some(&(len, l)) = lines.peek() {
        if !l.trim().is_empty() {
            break;
        }
        lines.next();
        i += 1;
        off += len;
    }
    while let Some(&(len, l)) = lines.peek() {
        let l = l.trim_end_matches('\r');
        let t = l.trim();
        if t.is_empty() {
            i += 1;
            off += len;
            break;
        }
        if t.starts_with('{') || t.starts_with('[') || t.starts_with('<') || t.starts_with('-') {
            break;
        }
        match t.split_once(':') {
            Some((n, v)) if !n.trim().is_empty() && !n.trim().contains(' ') => {
                headers.push((n.trim().to_string(), v.trim().to_string()));
            }
            _ => break,
        }
        lines.next();
        i += 1;
        off += len;
    }
    let rest = rest.get(off..).unwrap_or("");
    // the body's first non-blank line
    let blank = rest.lines().take_while(|l| l.trim().is_empty()).count();
    let body_line = first_body_line + (i + blank) as u32;
    let joined;
    let body = if rest.contains('\r') {
        joined = rest.lines().collect::<Vec<_>>().join("\n");
        joined.trim()
    } else {
        // no `\r`: every line break is a plain `\n`, so the text is its lines' `\n`-join
        // (up to a final line break, which `trim` drops anyway)
        rest.trim()
    };
    let _ = cx;
    (
        headers,
        (!body.is_empty()).then(|| body.to_string()),
        body_line,
    )
}

/// Whether a body is meant to be JSON.
pub(crate) fn is_json_text(body: &str) -> bool {
    let t = body.trim_start();
    t.starts_with('{') || t.starts_with('[')
}

/// Whether an example body is meant to be JSON: it starts with `{` or `[` and the
/// `Content-Type` header, when present, names JSON.
pub(crate) fn is_json_body(headers: &[(String, String)], body: &Option<String>) -> bool {
    let Some(b) = body.as_deref() else {
        return false;
    };
    let ct_ok = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-type"))
        .map_or(true, |(_, v)| v.to_ascii_lowercase().contains("json"));
    ct_ok && is_json_text(b)
}

fn json_of(
    cx: &mut Ctx<'_>,
    headers: &[(String, String)],
    body: &Option<String>,
    line: u32,
    what: &str,
) -> Option<lenient_json::Json> {
    if !is_json_body(headers, body) {
        return None;
    }
    let b = body.as_deref()?;
    match lenient_json::Json::new(b) {
        Ok(j) => Some(j),
        Err(e) => {
            cx.diag(
                Loc::line(line),
                Severity::Warning,
                codes::BAD_JSON,
                format!("the {what} JSON body does not parse, even leniently: {e}"),
            );
            None
        }
    }
}

/// Reads the examples of `blocks`, skipping blocks whose index is in `skip`.
pub(crate) fn read(
    cx: &mut Ctx<'_>,
    blocks: &[Block],
    skip: &[(usize, usize)],
    default_status: Option<u16>,
) -> Vec<Example> {
    let mut out: Vec<Example> = Vec::new();
    let mut pending: Option<RawAnnotation> = None;
    let mut heading: Option<&str> = None;
    for (idx, b) in blocks.iter().enumerate() {
        let skipped = skip.iter().any(|&(s, e)| idx >= s && idx < e);
        match b {
            Block::Html { text, loc } => {
                if skipped {
                    continue;
                }
                if let Some(a) = raw_annotation(cx, text, *loc) {
                    pending = Some(a);
                }
            }
            Block::Heading { inline, .. } => {
                if !crate::is_noise_heading(inline) {
                    let t = inline.text.trim();
                    if !t.eq_ignore_ascii_case("request") && !t.eq_ignore_ascii_case("response") {
                        heading = Some(t);
                    }
                    pending = None;
                }
            }
            Block::Code {
                text,
                loc,
                body_line,
                ..
            } => {
                let raw = pending.take();
                if skipped {
                    continue;
                }
                let (skip_lines, first) = first_line(text);
                let (block_type, ann_name) =
                    raw.as_ref().map(RawAnnotation::head).unwrap_or_default();
                let kind = match block_type.as_deref() {
                    Some("request") => Some(Kind::Request),
                    Some("response") => Some(Kind::Response),
                    Some(_) => None,
                    None if looks_like_request(first) => Some(Kind::Request),
                    None if first.starts_with("HTTP/") => Some(Kind::Response),
                    None => None,
                };
                let Some(kind) = kind else { continue };
                let ann = raw.map(RawAnnotation::into_annotation);
                let rest = after_lines(text, skip_lines + 1);
                let rest_line = body_line + skip_lines as u32 + 1;
                let name = ann_name.or_else(|| heading.map(str::to_string));
                match kind {
                    Kind::Request => {
                        let mut it = first.split_whitespace();
                        let method = it.next().and_then(Method::parse);
                        let url = it.next().unwrap_or("").to_string();
                        let Some(method) = method.filter(|_| !url.is_empty()) else {
                            cx.diag(*loc, Severity::Warning, codes::BAD_EXAMPLE, format!("example request block does not start with `METHOD URL` (found `{}`)", truncate(first)));
                            continue;
                        };
                        let (headers, body, bline) = headers_body(cx, rest, rest_line);
                        let json = json_of(cx, &headers, &body, bline, "request");
                        out.push(Example {
                            name,
                            request: Some(ExampleRequest {
                                annotation: ann.unwrap_or_default(),
                                method,
                                url,
                                url_line: body_line + skip_lines as u32,
                                headers,
                                body,
                                json,
                                loc: *loc,
                                body_line: bline,
                            }),
                            response: None,
                        });
                    }
                    Kind::Response => {
                        let (status, headers, body, bline) =
                            if first.starts_with("HTTP/") || first.starts_with("http/") {
                                let status = first
                                    .split_whitespace()
                                    .nth(1)
                                    .and_then(|s| s.parse::<u16>().ok());
                                let Some(status) = status else {
                                    cx.diag(
                                        *loc,
                                        Severity::Warning,
                                        codes::BAD_EXAMPLE,
                                        format!(
                                            "example response status line `{}` has no status code",
                                            truncate(first)
                                        ),
                                    );
                                    continue;
                                };
                                let (h, b, bl) = headers_body(cx, rest, rest_line);
                                (status, h, b, bl)
                            } else {
                                // body only (no status line): the documented status, else 200
                                let body = text.trim();
                                (
                                    default_status.unwrap_or(200),
                                    Vec::new(),
                                    (!body.is_empty()).then(|| body.to_string()),
                                    body_line + skip_lines as u32,
                                )
                            };
                        let json = json_of(cx, &headers, &body, bline, "response");
                        let resp = ExampleResponse {
                            annotation: ann.unwrap_or_default(),
                            status,
                            headers,
                            body,
                            json,
                            loc: *loc,
                            body_line: bline,
                        };
                        match out.last_mut() {
                            Some(e) if e.request.is_some() && e.response.is_none() => {
                                e.response = Some(resp)
                            }
                            _ => out.push(Example {
                                name,
                                request: None,
                                response: Some(resp),
                            }),
                        }
                    }
                }
            }
            Block::Table { .. } => pending = None,
            Block::Para { .. } => {}
        }
    }
    out
}

fn truncate(s: &str) -> String {
    s.chars().take(60).collect()
}
