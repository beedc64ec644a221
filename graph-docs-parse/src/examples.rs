//! Worked examples: annotated (`<!-- { "blockType": "request" } -->`) or recognised by the first
//! line of the fence (`GET https://...`, `HTTP/1.1 200 OK`), paired request → response.

use std::borrow::Cow;
use std::collections::BTreeMap;

use crate::frontmatter::trim;
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
    json: Cow<'b, str>,
    /// `blockType` and `name` (the string values of their last occurrences), when the comment
    /// was strict JSON: read while checking it.
    head: Option<StrictHead<'b>>,
}

/// What [`check_strict`] reads of an annotation: `blockType` and `name`.
type StrictHead<'b> = (Option<Cow<'b, str>>, Option<Cow<'b, str>>);

/// Any JSON value, read and dropped: the grammar and nesting limit of `lenient_json`'s own
/// check (`deserialize_any` all the way down), without allocating.
struct Skip;

impl<'de> serde::Deserialize<'de> for Skip {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Skip, D::Error> {
        d.deserialize_any(SkipVisitor)
    }
}

struct SkipVisitor;

impl<'de> serde::de::Visitor<'de> for SkipVisitor {
    type Value = Skip;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_str<E>(self, _: &str) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_unit<E>(self) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_none<E>(self) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Skip, D::Error> {
        <Skip as serde::Deserialize>::deserialize(d)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut a: A) -> Result<Skip, A::Error> {
        while a.next_element::<Skip>()?.is_some() {}
        Ok(Skip)
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut a: A) -> Result<Skip, A::Error> {
        while a.next_entry::<Skip, Skip>()?.is_some() {}
        Ok(Skip)
    }
}

/// A key of an annotation's top-level object, as far as [`StrictHead`] is concerned.
enum HeadKey {
    BlockType,
    Name,
    Other,
}

impl<'de> serde::Deserialize<'de> for HeadKey {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<HeadKey, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = HeadKey;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_str<E>(self, k: &str) -> Result<HeadKey, E> {
                Ok(match k {
                    "blockType" => HeadKey::BlockType,
                    "name" => HeadKey::Name,
                    _ => HeadKey::Other,
                })
            }
        }
        d.deserialize_any(V)
    }
}

/// A JSON value, kept when it is a string (borrowed when it has no escapes).
struct MaybeStr<'b>(Option<Cow<'b, str>>);

impl<'de: 'b, 'b> serde::Deserialize<'de> for MaybeStr<'b> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'b>(std::marker::PhantomData<&'b str>);
        impl<'de: 'b, 'b> serde::de::Visitor<'de> for V<'b> {
            type Value = MaybeStr<'b>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<MaybeStr<'b>, E> {
                Ok(MaybeStr(Some(Cow::Borrowed(v))))
            }
            fn visit_str<E>(self, v: &str) -> Result<MaybeStr<'b>, E> {
                Ok(MaybeStr(Some(Cow::Owned(v.to_string()))))
            }
            fn visit_bool<E>(self, _: bool) -> Result<MaybeStr<'b>, E> {
                Ok(MaybeStr(None))
            }
            fn visit_i64<E>(self, _: i64) -> Result<MaybeStr<'b>, E> {
                Ok(MaybeStr(None))
            }
            fn visit_u64<E>(self, _: u64) -> Result<MaybeStr<'b>, E> {
                Ok(MaybeStr(None))
            }
            fn visit_f64<E>(self, _: f64) -> Result<MaybeStr<'b>, E> {
                Ok(MaybeStr(None))
            }
            fn visit_unit<E>(self) -> Result<MaybeStr<'b>, E> {
                Ok(MaybeStr(None))
            }
            fn visit_none<E>(self) -> Result<MaybeStr<'b>, E> {
                Ok(MaybeStr(None))
            }
            fn visit_some<D: serde::Deserializer<'de>>(
                self,
                d: D,
            ) -> Result<MaybeStr<'b>, D::Error> {
                <Skip as serde::Deserialize>::deserialize(d).map(|_| MaybeStr(None))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                a: A,
            ) -> Result<MaybeStr<'b>, A::Error> {
                SkipVisitor.visit_seq(a).map(|_| MaybeStr(None))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                a: A,
            ) -> Result<MaybeStr<'b>, A::Error> {
                SkipVisitor.visit_map(a).map(|_| MaybeStr(None))
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

/// The whole annotation: checked like `Skip`, `blockType` and `name` kept on the way.
struct HeadOf<'b>(StrictHead<'b>);

impl<'de: 'b, 'b> serde::Deserialize<'de> for HeadOf<'b> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'b>(std::marker::PhantomData<&'b str>);
        impl<'de: 'b, 'b> serde::de::Visitor<'de> for V<'b> {
            type Value = HeadOf<'b>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut a: A,
            ) -> Result<HeadOf<'b>, A::Error> {
                let (mut block_type, mut name) = (None, None);
                while let Some(k) = a.next_key::<HeadKey>()? {
                    match k {
                        // (the last occurrence of a key wins, as in the annotation's map)
                        HeadKey::BlockType => block_type = a.next_value::<MaybeStr>()?.0,
                        HeadKey::Name => name = a.next_value::<MaybeStr>()?.0,
                        HeadKey::Other => {
                            a.next_value::<Skip>()?;
                        }
                    }
                }
                Ok(HeadOf((block_type, name)))
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

/// `Some(head)` when `text` (trimmed, starting with `{`) is strict JSON, in one pass over it:
/// `lenient_json::check(text)` would say `Ok(None)`. `None` for anything else, which is then
/// left to `lenient_json::check`.
fn check_strict(text: &str) -> Option<StrictHead<'_>> {
    serde_json::from_str::<HeadOf>(text).ok().map(|h| h.0)
}

/// The keys needed to classify and name a block, read without building a map.
#[derive(serde::Deserialize)]
struct Head<'b> {
    #[serde(rename = "blockType", borrow, default)]
    block_type: Option<Cow<'b, str>>,
    #[serde(borrow, default)]
    name: Option<Cow<'b, str>>,
}

impl RawAnnotation<'_> {
    /// The strict JSON text of the annotation.
    pub(crate) fn json(&self) -> &str {
        &self.json
    }

    /// The annotation's keys and values.
    pub(crate) fn to_map(&self) -> AnnotationMap {
        serde_json::from_str(&self.json).unwrap_or_default()
    }

    /// `blockType` (lower-cased) and `name`, when they are strings.
    fn head(&self) -> (Option<String>, Option<String>) {
        if let Some((block_type, name)) = &self.head {
            return (
                block_type.as_deref().map(str::to_ascii_lowercase),
                name.as_deref().map(str::to_string),
            );
        }
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
    let inner = trim(html).strip_prefix("<!--")?;
    // (trimming both ends here gives the same text as trimming the end: what follows trims)
    let inner = trim(inner);
    let inner = trim(inner.strip_suffix("-->").unwrap_or(inner));
    if !inner.starts_with('{') {
        return None;
    }
    let end = memchr::memrchr(b'}', inner.as_bytes()).map_or(inner.len(), |i| i + 1);
    let text = trim(&inner[..end]);
    // (the common case, strict JSON, is checked and its head read in one pass; `text`
    // starts with `{`: an object)
    if let Some(head) = check_strict(text) {
        return Some(RawAnnotation {
            json: text.into(),
            head: Some(head),
        });
    }
    match lenient_json::check(text) {
        Ok(None) if is_object(text) => Some(RawAnnotation {
            json: text.into(),
            head: None,
        }),
        Ok(Some(repaired)) if is_object(&repaired) => {
            cx.diag(loc, Severity::Warning, codes::LENIENT_ANNOTATION, "annotation comment is not strict JSON (comments, trailing or missing commas); read leniently".into());
            Some(RawAnnotation {
                json: repaired.into(),
                head: None,
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

/// The lines of `text` as [`str::lines`] gives them, each with the length it takes in `text`
/// (line break included); the breaks are found with `memchr`.
struct Lines<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        Lines { text, pos: 0 }
    }
}

impl<'a> Iterator for Lines<'a> {
    type Item = (usize, &'a str);

    fn next(&mut self) -> Option<(usize, &'a str)> {
        let b = self.text.as_bytes();
        let start = self.pos;
        if start >= b.len() {
            return None;
        }
        let line = match memchr::memchr(b'\n', &b[start..]) {
            Some(e) => {
                self.pos = start + e + 1;
                // (`\r\n` is a line break too; a lone `\r` at the very end is not)
                let l = &self.text[start..start + e];
                l.strip_suffix('\r').unwrap_or(l)
            }
            None => {
                self.pos = b.len();
                &self.text[start..]
            }
        };
        Some((self.pos - start, line))
    }
}

/// Whether a line is blank (`l.trim().is_empty()`).
fn is_blank(l: &str) -> bool {
    trim(l).is_empty()
}

/// The first non-blank line of `text`, trimmed, with its index ([`str::lines`] numbering),
/// and the text after it; `(0, "", text after its first line)` when every line is blank.
fn first_line(text: &str) -> (usize, &str, &str) {
    let mut lines = Lines::new(text);
    let mut i = 0;
    while let Some((_, l)) = lines.next() {
        let t = trim(l);
        if !t.is_empty() {
            return (i, t, &text[lines.pos..]);
        }
        i += 1;
    }
    let mut lines = Lines::new(text);
    lines.next();
    (0, "", &text[lines.pos..])
}

/// The first two words of `line`, as [`str::split_whitespace`] gives them.
fn two_words(line: &str) -> (Option<&str>, Option<&str>) {
    if !line.is_ascii() {
        let mut it = line.split_whitespace();
        return (it.next(), it.next());
    }
    // ASCII: `char::is_whitespace` is `' '` and `'\t'..='\r'`
    let b = line.as_bytes();
    let ws = |c: u8| matches!(c, b' ' | b'\t'..=b'\r');
    let mut words = [None, None];
    let mut i = 0;
    for w in words.iter_mut() {
        while i < b.len() && ws(b[i]) {
            i += 1;
        }
        if i == b.len() {
            break;
        }
        let s = i;
        while i < b.len() && !ws(b[i]) {
            i += 1;
        }
        *w = Some(&line[s..i]);
    }
    (words[0], words[1])
}

/// Whether the first two words of a line are `METHOD URL`.
fn looks_like_request(words: (Option<&str>, Option<&str>)) -> bool {
    matches!((words.0.and_then(Method::parse), words.1), (Some(_), Some(u)) if u.starts_with("http") || memchr::memchr(b'/', u.as_bytes()).is_some())
}

/// Splits headers and body of an HTTP message (`rest`: the text after its first line).
fn headers_body(rest: &str, first_body_line: u32) -> (Vec<(String, String)>, Option<String>, u32) {
    let mut headers = Vec::new();
    let mut i = 0;
    let mut off = 0;
    let mut lines = Lines::new(rest);
    let mut line = lines.next();
    // blank lines between the request line and the headers
    while let Some((len, l)) = line {
        if !is_blank(l) {
            break;
        }
        i += 1;
        off += len;
        line = lines.next();
    }
    while let Some((len, l)) = line {
        // (`trim` also drops any `\r` left at the end)
        let t = trim(l);
        if t.is_empty() {
            i += 1;
            off += len;
            break;
        }
        if matches!(t.as_bytes()[0], b'{' | b'[' | b'<' | b'-') {
            break;
        }
        let Some(colon) = memchr::memchr(b':', t.as_bytes()) else {
            break;
        };
        let n = trim(&t[..colon]);
        if n.is_empty() || memchr::memchr(b' ', n.as_bytes()).is_some() {
            break;
        }
        headers.push((n.to_string(), trim(&t[colon + 1..]).to_string()));
        i += 1;
        off += len;
        line = lines.next();
    }
    let rest = rest.get(off..).unwrap_or("");
    // the body's first non-blank line
    let blank = Lines::new(rest).take_while(|&(_, l)| is_blank(l)).count();
    let body_line = first_body_line + (i + blank) as u32;
    let joined;
    let body = if memchr::memchr(b'\r', rest.as_bytes()).is_some() {
        joined = rest.lines().collect::<Vec<_>>().join("\n");
        trim(&joined)
    } else {
        // no `\r`: every line break is a plain `\n`, so the text is its lines' `\n`-join
        // (up to a final line break, which `trim` drops anyway)
        trim(rest)
    };
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
        .map_or(true, |(_, v)| crate::contains_ci(v, "json"));
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
                    let t = trim(&inline.text);
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
                let (skip_lines, first, rest) = first_line(text);
                let words = two_words(first);
                let (block_type, ann_name) =
                    raw.as_ref().map(RawAnnotation::head).unwrap_or_default();
                let kind = match block_type.as_deref() {
                    Some("request") => Some(Kind::Request),
                    Some("response") => Some(Kind::Response),
                    Some(_) => None,
                    None if looks_like_request(words) => Some(Kind::Request),
                    None if first.starts_with("HTTP/") => Some(Kind::Response),
                    None => None,
                };
                let Some(kind) = kind else { continue };
                let ann = raw.map(RawAnnotation::into_annotation);
                let rest_line = body_line + skip_lines as u32 + 1;
                let name = ann_name.or_else(|| heading.map(str::to_string));
                match kind {
                    Kind::Request => {
                        let method = words.0.and_then(Method::parse);
                        let url = words.1.unwrap_or("").to_string();
                        let Some(method) = method.filter(|_| !url.is_empty()) else {
                            cx.diag(*loc, Severity::Warning, codes::BAD_EXAMPLE, format!("example request block does not start with `METHOD URL` (found `{}`)", truncate(first)));
                            continue;
                        };
                        let (headers, body, bline) = headers_body(rest, rest_line);
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
                                let status = words.1.and_then(|s| s.parse::<u16>().ok());
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
                                let (h, b, bl) = headers_body(rest, rest_line);
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

/// An annotation read from strict or lenient JSON text, for tests of its readers.
#[cfg(test)]
pub(crate) fn raw_annotation_for_test(text: &str) -> RawAnnotation<'_> {
    match check_strict(text) {
        Some(head) => RawAnnotation {
            json: text.into(),
            head: Some(head),
        },
        None => RawAnnotation {
            json: lenient_json::check(text)
                .ok()
                .flatten()
                .map_or(text.into(), Cow::Owned),
            head: None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Texts made of line breaks, blanks (ASCII, vertical tab, Unicode) and words.
    fn samples() -> Vec<String> {
        const PIECES: &[&str] = &[
            "\n",
            "\r",
            "\r\n",
            " ",
            "\t",
            "\u{b}",
            "\u{a0}",
            "\u{85}",
            "a",
            "GET",
            "/me",
            "https://x/y",
            "HTTP/1.1",
            "200",
            "Content-Type:",
            "application/json",
            "{",
            "[",
            "-",
            "<",
            ":",
            "é",
        ];
        let mut out = vec![String::new()];
        let mut rng = fastrand::Rng::with_seed(9);
        for _ in 0..20_000 {
            let n = rng.usize(0..12);
            out.push((0..n).map(|_| PIECES[rng.usize(..PIECES.len())]).collect());
        }
        out
    }

    /// The lines with their lengths, the way they were read before `memchr`.
    fn lines_ref(text: &str) -> Vec<(usize, &str)> {
        text.split_inclusive('\n')
            .map(|raw| {
                let line = match raw.strip_suffix('\n') {
                    Some(l) => l.strip_suffix('\r').unwrap_or(l),
                    None => raw,
                };
                (raw.len(), line)
            })
            .collect()
    }

    fn first_line_ref(text: &str) -> (usize, &str, &str) {
        let (skip, first) = text
            .lines()
            .enumerate()
            .find(|(_, l)| !l.trim().is_empty())
            .map_or((0, ""), |(i, l)| (i, l.trim()));
        let skipped: usize = lines_ref(text).iter().take(skip + 1).map(|(n, _)| n).sum();
        (skip, first, text.get(skipped..).unwrap_or(""))
    }

    fn headers_body_ref(
        rest: &str,
        first_body_line: u32,
    ) -> (Vec<(String, String)>, Option<String>, u32) {
        let mut headers = Vec::new();
        let (mut i, mut off) = (0, 0);
        let mut lines = lines_ref(rest).into_iter().peekable();
        while let Some(&(len, l)) = lines.peek() {
            if !l.trim().is_empty() {
                break;
            }
            lines.next();
            i += 1;
            off += len;
        }
        while let Some(&(len, l)) = lines.peek() {
            let t = l.trim_end_matches('\r').trim();
            if t.is_empty() {
                i += 1;
                off += len;
                break;
            }
            if t.starts_with('{') || t.starts_with('[') || t.starts_with('<') || t.starts_with('-')
            {
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
        let blank = rest.lines().take_while(|l| l.trim().is_empty()).count();
        let body = rest.lines().collect::<Vec<_>>().join("\n");
        let body = body.trim();
        (
            headers,
            (!body.is_empty()).then(|| body.to_string()),
            first_body_line + (i + blank) as u32,
        )
    }

    #[test]
    fn lines_words_and_messages_read_like_the_reference() {
        for s in samples() {
            assert_eq!(Lines::new(&s).collect::<Vec<_>>(), lines_ref(&s), "{s:?}");
            assert_eq!(first_line(&s), first_line_ref(&s), "{s:?}");
            let mut it = s.split_whitespace();
            assert_eq!(two_words(&s), (it.next(), it.next()), "{s:?}");
            assert_eq!(headers_body(&s, 7), headers_body_ref(&s, 7), "{s:?}");
        }
    }

    /// `blockType` and `name` the way they were read before: a second parse, or the map.
    fn head_ref(json: &str) -> (Option<String>, Option<String>) {
        let raw = RawAnnotation {
            json: json.into(),
            head: None,
        };
        raw.head()
    }

    #[test]
    fn strict_check_reads_the_head() {
        let deep = format!("{{\"a\": {}{}}}", "[".repeat(200), "]".repeat(200));
        let shallow = format!("{{\"a\": {}{}}}", "[".repeat(100), "]".repeat(100));
        for json in [
            r#"{"blockType": "request", "name": "get_user"}"#,
            r#"{"blockType": "Response", "truncated": true, "@odata.type": "x"}"#,
            r#"{"blockType": "request", "blockType": "response"}"#,
            r#"{"name": "a", "name": 5}"#,
            r#"{"name": 5, "name": "a"}"#,
            r#"{"blockType": null, "name": ["x"]}"#,
            r#"{"blockType": {"a": "request"}, "name": {"b": [1, 2.5, -3, true, null]}}"#,
            r#"{"block\u0054ype": "re\"quest", "na\u006de": "\u00e9"}"#,
            r#"{"blockType": "request",}"#,
            r#"{"blockType": "request" // x
            }"#,
            r#"{"blockType": "request"} x"#,
            r#"{"n": 1e400}"#,
            r#"{}"#,
            &deep,
            &shallow,
        ] {
            let strict = check_strict(json);
            assert_eq!(
                strict.is_some(),
                matches!(lenient_json::check(json), Ok(None)),
                "{json}"
            );
            if strict.is_some() {
                assert_eq!(
                    raw_annotation_for_test(json).head(),
                    head_ref(json),
                    "{json}"
                );
            }
        }
    }

    #[test]
    fn json_content_types() {
        for (v, want) in [
            ("application/json", true),
            ("Application/JSON; charset=utf-8", true),
            ("text/plain", false),
            ("jso", false),
            ("", false),
        ] {
            let headers = vec![("Content-Type".to_string(), v.to_string())];
            assert_eq!(is_json_body(&headers, &Some("{}".into())), want, "{v}");
        }
    }
}
