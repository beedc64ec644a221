//! Worked examples: annotated (`<!-- { "blockType": "request" } -->`) or recognised by the first
//! line of the fence (`GET https://...`, `HTTP/1.1 200 OK`), paired request → response.

use std::borrow::Cow;
use std::collections::BTreeMap;

use crate::frontmatter::trim;
use crate::lenient_json::{self, Skip, SkipVisitor};
use crate::markdown::Block;
use crate::model::{Annotation, Example, ExampleRequest, ExampleResponse, Loc, Method, Severity};
use crate::{codes, Ctx};

/// An annotation comment's keys, as a map.
pub(crate) type AnnotationMap = BTreeMap<String, serde_json::Value>;

/// An annotation comment whose JSON has been checked (and warned about) but not yet built
/// into a map: most comments are never needed as maps (page annotations, blocks that are not
/// examples), so only the ones that are pay for it.
pub(crate) struct RawAnnotation<'b, H = ExampleHead<'b>> {
    /// Strict JSON: the comment's text, or its lenient repair.
    json: Cow<'b, str>,
    /// The keys the reader looks at, when the comment was strict JSON: read while checking it.
    head: Option<H>,
}

/// The keys a reader keeps of an annotation while [`check_strict`] checks it, each the way
/// its last occurrence (the one the annotation's map keeps) reads.
pub(crate) trait HeadKeys<'b>: Default {
    /// The number of a kept key, `None` for the others (their values are skipped).
    fn key(k: &str) -> Option<u8>;
    /// Reads the value of kept key number `i`.
    fn value<'de: 'b, A: serde::de::MapAccess<'de>>(
        &mut self,
        i: u8,
        a: &mut A,
    ) -> Result<(), A::Error>;
}

/// What the example reader keeps of an annotation: `blockType` and `name`, when they are
/// strings.
#[derive(Default)]
pub(crate) struct ExampleHead<'b> {
    block_type: Option<Cow<'b, str>>,
    name: Option<Cow<'b, str>>,
}

impl<'b> HeadKeys<'b> for ExampleHead<'b> {
    fn key(k: &str) -> Option<u8> {
        match k {
            "blockType" => Some(0),
            "name" => Some(1),
            _ => None,
        }
    }
    fn value<'de: 'b, A: serde::de::MapAccess<'de>>(
        &mut self,
        i: u8,
        a: &mut A,
    ) -> Result<(), A::Error> {
        let v = a.next_value::<MaybeStr>()?.0;
        if i == 0 {
            self.block_type = v;
        } else {
            self.name = v;
        }
        Ok(())
    }
}

/// A key of an annotation's top-level object: its number among the keys `H` keeps.
struct HeadKey<H>(Option<u8>, std::marker::PhantomData<H>);

impl<'de, H: HeadKeys<'de>> serde::Deserialize<'de> for HeadKey<H> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<HeadKey<H>, D::Error> {
        struct V<H>(std::marker::PhantomData<H>);
        impl<'de, H: HeadKeys<'de>> serde::de::Visitor<'_> for V<H> {
            type Value = HeadKey<H>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_str<E>(self, k: &str) -> Result<HeadKey<H>, E> {
                Ok(HeadKey(H::key(k), std::marker::PhantomData))
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

/// A JSON value, kept when it is a string (borrowed when it has no escapes).
pub(crate) struct MaybeStr<'b>(pub(crate) Option<Cow<'b, str>>);

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

/// A JSON value, kept when it is a boolean.
pub(crate) struct MaybeBool(pub(crate) Option<bool>);

impl<'de> serde::Deserialize<'de> for MaybeBool {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = MaybeBool;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_bool<E>(self, v: bool) -> Result<MaybeBool, E> {
                Ok(MaybeBool(Some(v)))
            }
            fn visit_i64<E>(self, _: i64) -> Result<MaybeBool, E> {
                Ok(MaybeBool(None))
            }
            fn visit_u64<E>(self, _: u64) -> Result<MaybeBool, E> {
                Ok(MaybeBool(None))
            }
            fn visit_f64<E>(self, _: f64) -> Result<MaybeBool, E> {
                Ok(MaybeBool(None))
            }
            fn visit_str<E>(self, _: &str) -> Result<MaybeBool, E> {
                Ok(MaybeBool(None))
            }
            fn visit_unit<E>(self) -> Result<MaybeBool, E> {
                Ok(MaybeBool(None))
            }
            fn visit_none<E>(self) -> Result<MaybeBool, E> {
                Ok(MaybeBool(None))
            }
            fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<MaybeBool, D::Error> {
                <Skip as serde::Deserialize>::deserialize(d).map(|_| MaybeBool(None))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, a: A) -> Result<MaybeBool, A::Error> {
                SkipVisitor.visit_seq(a).map(|_| MaybeBool(None))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, a: A) -> Result<MaybeBool, A::Error> {
                SkipVisitor.visit_map(a).map(|_| MaybeBool(None))
            }
        }
        d.deserialize_any(V)
    }
}

/// The whole annotation: checked like [`Skip`], the keys `H` keeps read on the way.
struct HeadOf<H>(H);

impl<'de, H: HeadKeys<'de>> serde::Deserialize<'de> for HeadOf<H> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<H>(std::marker::PhantomData<H>);
        impl<'de, H: HeadKeys<'de>> serde::de::Visitor<'de> for V<H> {
            type Value = HeadOf<H>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut a: A,
            ) -> Result<HeadOf<H>, A::Error> {
                let mut h = H::default();
                while let Some(k) = a.next_key::<HeadKey<H>>()? {
                    match k.0 {
                        // (the last occurrence of a key wins, as in the annotation's map)
                        Some(i) => h.value(i, &mut a)?,
                        None => {
                            a.next_value::<Skip>()?;
                        }
                    }
                }
                Ok(HeadOf(h))
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

/// `Some(head)` when `text` (trimmed, starting with `{`) is strict JSON, in one pass over it:
/// `lenient_json::check(text)` would say `Ok(None)`. `None` for anything else, which is then
/// left to `lenient_json::check`.
fn check_strict<'b, H: HeadKeys<'b>>(text: &'b str) -> Option<H> {
    serde_json::from_str::<HeadOf<H>>(text).ok().map(|h| h.0)
}

/// The keys needed to classify and name a block, read without building a map.
#[derive(serde::Deserialize)]
struct Head<'b> {
    #[serde(rename = "blockType", borrow, default)]
    block_type: Option<Cow<'b, str>>,
    #[serde(borrow, default)]
    name: Option<Cow<'b, str>>,
}

impl<'b, H> RawAnnotation<'b, H> {
    /// The strict JSON text of the annotation.
    pub(crate) fn json(&self) -> &str {
        &self.json
    }

    /// The annotation's keys and values.
    pub(crate) fn to_map(&self) -> AnnotationMap {
        serde_json::from_str(&self.json).unwrap_or_default()
    }

    /// The keys read while checking the annotation, when it was strict JSON.
    pub(crate) fn strict_head(&self) -> Option<&H> {
        self.head.as_ref()
    }

    /// The annotation, its map built on first use.
    fn into_annotation(self) -> Annotation {
        Annotation::from_strict_json(self.json.into_owned().into_boxed_str())
    }
}

impl RawAnnotation<'_> {
    /// `blockType` (as written: compare ignoring ASCII case) and `name`, when they are
    /// strings.
    fn head<'a>(&'a self) -> (Option<Cow<'a, str>>, Option<Cow<'a, str>>) {
        if let Some(h) = &self.head {
            let b = |v: &'a Option<Cow<'_, str>>| v.as_deref().map(Cow::Borrowed);
            return (b(&h.block_type), b(&h.name));
        }
        match serde_json::from_str::<Head>(&self.json) {
            Ok(h) => (h.block_type, h.name),
            // (a repeated key or a non-string value: read them the way the map does)
            Err(_) => {
                let m = self.to_map();
                let s = |k: &str| {
                    m.get(k)
                        .and_then(|v| v.as_str())
                        .map(|v| Cow::Owned(v.to_string()))
                };
                (s("blockType"), s("name"))
            }
        }
    }
}

/// Reads an HTML comment as an annotation (`<!-- { ... } -->`), warning on lenient JSON.
pub(crate) fn raw_annotation<'b, H: HeadKeys<'b>>(
    cx: &mut Ctx<'_>,
    html: &'b str,
    loc: Loc,
) -> Option<RawAnnotation<'b, H>> {
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

enum Kind {
    Request,
    Response,
}

/// The lines of `text` as [`str::lines`] gives them, each with the length it takes in `text`
/// (line break included); the breaks are found with [`find_byte`].
pub(crate) struct Lines<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Lines<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        Lines { text, pos: 0 }
    }
}

impl<'a> Iterator for Lines<'a> {
    type Item = (usize, &'a str);

    #[inline]
    fn next(&mut self) -> Option<(usize, &'a str)> {
        let b = self.text.as_bytes();
        let start = self.pos;
        if start >= b.len() {
            return None;
        }
        let line = match find_byte(&b[start..], b'\n') {
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

/// `0x01` in every byte (for the "has a zero byte" tests).
const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
/// `0x80` in every byte.
const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);

/// Eight bytes of `b` from `i` (little-endian: the first byte is the lowest).
#[inline]
fn word_at(b: &[u8], i: usize) -> u64 {
    let w = &b[i..i + 8];
    u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]])
}

/// The first `c` of `b` (`memchr`): the first 64 bytes eight at a time without a call (the
/// lines of a message's head are short), `memchr` for the rest.
#[inline]
fn find_byte(b: &[u8], c: u8) -> Option<usize> {
    let cs = u64::from_ne_bytes([c; 8]);
    let mut i = 0;
    while i + 8 <= b.len() {
        if i == 64 {
            return memchr::memchr(c, &b[i..]).map(|p| i + p);
        }
        let x = word_at(b, i) ^ cs;
        let m = x.wrapping_sub(ONES) & !x & HIGHS;
        if m != 0 {
            // (the lowest flagged byte is a `c`)
            return Some(i + (m.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    b[i..].iter().position(|&x| x == c).map(|p| i + p)
}

/// The first position from `i` holding a byte that is ASCII whitespace, another ASCII control
/// character or space (`<= 0x20`), or not ASCII (`>= 0x80`); `b.len()` when there is none.
/// Eight bytes at a time: the "has a byte below 0x21" test, or-ed with the high bits.
#[inline]
fn next_special(b: &[u8], mut i: usize) -> usize {
    const LOW: u64 = u64::from_ne_bytes([0x21; 8]);
    while i + 8 <= b.len() {
        let x = word_at(b, i);
        let m = ((x.wrapping_sub(LOW) & !x) | x) & HIGHS;
        if m != 0 {
            // (the lowest flagged byte is exact: a borrow only starts at a byte below 0x21)
            return i + (m.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < b.len() && (0x21..0x80).contains(&b[i]) {
        i += 1;
    }
    i
}

/// `char::is_whitespace` for an ASCII byte.
fn ascii_ws(c: u8) -> bool {
    matches!(c, b' ' | b'\t'..=b'\r')
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
    let split = || {
        let mut it = line.split_whitespace();
        (it.next(), it.next())
    };
    // ASCII up to the end of the second word: `char::is_whitespace` is `' '` and
    // `'\t'..='\r'` (a character that is not ASCII before then: `split_whitespace`)
    let b = line.as_bytes();
    let mut words = [None, None];
    let mut i = 0;
    for w in words.iter_mut() {
        while i < b.len() && ascii_ws(b[i]) {
            i += 1;
        }
        if i == b.len() {
            break;
        }
        let s = i;
        loop {
            i = next_special(b, i);
            match b.get(i) {
                None => break,
                Some(&c) if ascii_ws(c) => break,
                Some(&c) if c >= 0x80 => return split(),
                // (another control character: part of the word)
                Some(_) => i += 1,
            }
        }
        *w = Some(&line[s..i]);
    }
    (words[0], words[1])
}

/// `Method::parse` of the first word of `line` (as [`str::split_whitespace`] gives it), read
/// from no more than its first eight bytes (no method is longer than six).
fn method_of(line: &str) -> Option<Method> {
    let b = line.as_bytes();
    for (i, &c) in b.iter().enumerate().take(8) {
        if ascii_ws(c) && i > 0 {
            return Method::parse(&line[..i]);
        }
        if ascii_ws(c) || c >= 0x80 {
            return line.split_whitespace().next().and_then(Method::parse);
        }
    }
    if b.len() <= 8 {
        Method::parse(line)
    } else {
        None
    }
}

/// Whether the second word of a request line (the first is a method) is a URL.
fn is_url(u: Option<&str>) -> bool {
    matches!(u, Some(u) if u.starts_with("http") || memchr::memchr(b'/', u.as_bytes()).is_some())
}

/// The heading an example is named after when its annotation has no `name`: the last
/// heading before block `idx` that is document structure and not "Request" / "Response".
/// `cache` holds such a heading before block `cache.0` (the search goes back no further).
fn heading_before<'b>(
    blocks: &'b [Block],
    idx: usize,
    cache: &mut (usize, Option<&'b str>),
) -> Option<&'b str> {
    let found = blocks[cache.0..idx].iter().rev().find_map(|b| match b {
        Block::Heading { inline, .. } if !crate::is_noise_heading(inline) => {
            let t = trim(&inline.text);
            (!t.eq_ignore_ascii_case("request") && !t.eq_ignore_ascii_case("response")).then_some(t)
        }
        _ => None,
    });
    if let Some(t) = found {
        cache.1 = Some(t);
    }
    cache.0 = idx;
    cache.1
}

/// Whether a block is a heading that is document structure (not a tab or include heading).
fn is_structure_heading(b: &Block) -> bool {
    matches!(b, Block::Heading { inline, .. } if !crate::is_noise_heading(inline))
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
        let Some(colon) = find_byte(t.as_bytes(), b':') else {
            break;
        };
        let n = trim(&t[..colon]);
        if n.is_empty() || n.as_bytes().contains(&b' ') {
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
///
/// A heading that is document structure drops the pending annotation and names the examples
/// after it; both are looked at only when a code block needs them (most headings are never
/// tested for being noise).
pub(crate) fn read(
    cx: &mut Ctx<'_>,
    blocks: &[Block],
    skip: &[(usize, usize)],
    default_status: Option<u16>,
) -> Vec<Example> {
    let mut out: Vec<Example> = Vec::new();
    // the annotation and the index of its comment block
    let mut pending: Option<(RawAnnotation, usize)> = None;
    let mut heading: (usize, Option<&str>) = (0, None);
    let skipped = |idx: usize| skip.iter().any(|&(s, e)| idx >= s && idx < e);
    for (idx, b) in blocks.iter().enumerate() {
        match b {
            Block::Html { text, loc } => {
                if skipped(idx) {
                    continue;
                }
                if let Some(a) = raw_annotation(cx, text, *loc) {
                    pending = Some((a, idx));
                }
            }
            Block::Code {
                text,
                loc,
                body_line,
                ..
            } => {
                // (a structure heading after the comment drops it)
                let raw = pending
                    .take()
                    .filter(|&(_, at)| !blocks[at + 1..idx].iter().any(is_structure_heading))
                    .map(|(a, _)| a);
                if skipped(idx) {
                    continue;
                }
                let (skip_lines, first, rest) = first_line(text);
                let (block_type, ann_name) =
                    raw.as_ref().map(RawAnnotation::head).unwrap_or_default();
                // (the words of the first line are split only when they are needed, once)
                let method = method_of(first);
                let second = std::cell::OnceCell::new();
                let second = || *second.get_or_init(|| two_words(first).1);
                let kind = match block_type.as_deref() {
                    Some(t) if t.eq_ignore_ascii_case("request") => Kind::Request,
                    Some(t) if t.eq_ignore_ascii_case("response") => Kind::Response,
                    Some(_) => continue,
                    None if method.is_some() && is_url(second()) => Kind::Request,
                    None if first.starts_with("HTTP/") => Kind::Response,
                    None => continue,
                };
                let ann_name = ann_name.map(Cow::into_owned);
                let ann = raw.map(RawAnnotation::into_annotation);
                let rest_line = body_line + skip_lines as u32 + 1;
                match kind {
                    Kind::Request => {
                        let url = method.and_then(|_| second());
                        let (Some(method), Some(url)) = (method, url) else {
                            cx.diag(*loc, Severity::Warning, codes::BAD_EXAMPLE, format!("example request block does not start with `METHOD URL` (found `{}`)", truncate(first)));
                            continue;
                        };
                        let (headers, body, bline) = headers_body(rest, rest_line);
                        let json = json_of(cx, &headers, &body, bline, "request");
                        let name = ann_name.or_else(|| {
                            heading_before(blocks, idx, &mut heading).map(str::to_string)
                        });
                        out.push(Example {
                            name,
                            request: Some(ExampleRequest {
                                annotation: ann.unwrap_or_default(),
                                method,
                                url: url.to_string(),
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
                                let status = second().and_then(|s| s.parse::<u16>().ok());
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
                            _ => {
                                let name = ann_name.or_else(|| {
                                    heading_before(blocks, idx, &mut heading).map(str::to_string)
                                });
                                out.push(Example {
                                    name,
                                    request: None,
                                    response: Some(resp),
                                })
                            }
                        }
                    }
                }
            }
            Block::Table { .. } => pending = None,
            Block::Heading { .. } | Block::Para { .. } => {}
        }
    }
    out
}

fn truncate(s: &str) -> String {
    s.chars().take(60).collect()
}

/// An annotation read from strict or lenient JSON text, for tests of its readers.
#[cfg(test)]
pub(crate) fn raw_annotation_for_test<'b, H: HeadKeys<'b>>(text: &'b str) -> RawAnnotation<'b, H> {
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
        let (b, n) = raw.head();
        (b.map(Cow::into_owned), n.map(Cow::into_owned))
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
            let strict = check_strict::<ExampleHead>(json);
            assert_eq!(
                strict.is_some(),
                matches!(lenient_json::check(json), Ok(None)),
                "{json}"
            );
            if strict.is_some() {
                let raw = raw_annotation_for_test(json);
                let (b, n) = raw.head();
                assert_eq!(
                    (b.map(Cow::into_owned), n.map(Cow::into_owned)),
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
