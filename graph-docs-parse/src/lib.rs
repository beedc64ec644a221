//! Parse Microsoft Graph API reference pages (markdown) into a typed model.
//!
//! Data flow: `markdown text` → [`parse_page`] → [`Page`] (+ [`Diagnostic`]s) →
//! [`Corpus::load`] (every page below a folder, links and type names resolved) → consumers
//! (`graph-docs-codegen`, the `graph-docs` CLI).
//!
//! Each page is tokenised by exactly one pulldown-cmark pass (`markdown` module) into a flat
//! list of blocks; the page kind is decided by content (an "HTTP request" section makes an API
//! page, a `Property | Type | Description` table a resource page, member tables an enum page),
//! not by the unreliable `doc_type`.
#![deny(missing_docs)]

pub mod model;
pub use model::*;

mod api;
pub mod codes;
pub mod contracts;
mod corpus;
pub mod example_url;
mod examples;
mod frontmatter;
pub mod lenient_json;
mod markdown;
mod permissions;
mod resource;
pub mod routes;
mod sections;
mod tables;
pub mod types;

pub use corpus::{Corpus, LoadError, Stats, TypeDef};
pub use frontmatter::FrontMatter;

use std::path::Path;

use markdown::{Block, Inline, LineIndex};
use sections::{SectionKind, Sections};

/// The options of the single pulldown-cmark pass (exposed for benchmarks comparing against a
/// bare pass).
pub fn markdown_options() -> pulldown_cmark::Options {
    markdown::options()
}

/// Per-page parse state shared by the section readers.
pub(crate) struct Ctx<'a> {
    pub path: &'a Path,
    pub text: &'a str,
    pub diags: Vec<Diagnostic>,
    pub h1_loc: Loc,
}

impl Ctx<'_> {
    pub(crate) fn diag(
        &mut self,
        loc: Loc,
        severity: Severity,
        code: &'static str,
        message: String,
    ) {
        self.diags.push(Diagnostic {
            file: self.path.to_path_buf(),
            loc,
            severity,
            code,
            message,
        });
    }

    /// The file name without `.md`.
    pub(crate) fn stem(&self) -> String {
        self.path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    }
}

/// Headings that are not document structure: tab headings (`# [HTTP](#tab/http)`), setext
/// headings made of `[!INCLUDE ...]` lines, empty headings.
pub(crate) fn is_noise_heading(inline: &Inline) -> bool {
    let t = frontmatter::trim(&inline.text);
    t.is_empty()
        || inline.links.iter().any(|l| l.dest.starts_with("#tab/"))
        // (also covers headings starting with `!INCLUDE` / `[!INCLUDE`)
        || has_include(t)
}

/// `t.contains("!INCLUDE")`, without a substring searcher's set-up for each short text.
pub(crate) fn has_include(t: &str) -> bool {
    let b = t.as_bytes();
    if b.len() < 8 {
        return false;
    }
    // (headings and paragraphs are short and rarely hold a `!`: eight bytes at a time, the
    // classic "has a zero byte" test on the bytes xor `!`, before any search)
    const BANGS: u64 = u64::from_ne_bytes([b'!'; 8]);
    let mut chunks = b.chunks_exact(8);
    let bang = chunks.by_ref().any(|c| {
        let x = u64::from_ne_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]) ^ BANGS;
        x.wrapping_sub(ONES) & !x & HIGHS != 0
    }) || chunks.remainder().contains(&b'!');
    bang && memchr::memchr_iter(b'!', b).any(|i| b[i..].starts_with(b"!INCLUDE"))
}

/// The byte offset of the first occurrence of `needle` in `hay` (`hay.find(needle)`), found
/// by [`find_by`]: cheaper than a substring searcher's set-up (or a `memchr` call for each
/// candidate) for the short texts and needles of a page.
#[inline]
pub(crate) fn find_str(hay: &str, needle: &str) -> Option<usize> {
    find_by::<false>(hay.as_bytes(), needle.as_bytes())
}

/// The byte offset of the first occurrence of `needle` in `hay`, ASCII case ignored:
/// `hay.to_ascii_lowercase().find(&needle.to_ascii_lowercase())` without the copies (lower
/// casing keeps every byte offset).
#[inline]
pub(crate) fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    find_by::<true>(hay.as_bytes(), needle.as_bytes())
}

/// How common a byte is in the pages' English text (higher: more common), to pick the byte
/// of a needle its candidates are found by (an "anchor": the rarer, the fewer candidates).
static COMMONNESS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = commonness(b as u8);
        b += 1;
    }
    t
};

/// [`COMMONNESS`] of a byte.
const fn commonness(b: u8) -> u8 {
    const LETTERS: &[u8] = b"etaoinshrdlcumwfgypbvkjxqz";
    let l = b.to_ascii_lowercase();
    if b == b' ' {
        return 255;
    }
    let mut i = 0;
    while i < LETTERS.len() {
        if LETTERS[i] == l {
            return 200 - 6 * i as u8;
        }
        i += 1;
    }
    match b {
        b'"' => 100,
        b'0'..=b'9' | b'.' | b',' | b'-' | b'/' => 80,
        _ => 40,
    }
}

/// The anchor of a needle: the offset of its rarest byte (the first of equals), and that
/// byte the way bytes are tested against it, `(case bit to set, wanted byte)` (the case bit
/// only for a letter with `ci`).
const fn anchor(n: &[u8], ci: bool) -> (usize, u8, u8) {
    let (mut best, mut score) = (0, COMMONNESS[n[0] as usize]);
    let mut i = 1;
    while i < n.len() {
        let c = COMMONNESS[n[i] as usize];
        if c < score {
            (best, score) = (i, c);
        }
        i += 1;
    }
    let c = n[best];
    if ci && c.is_ascii_alphabetic() {
        (best, 0x20, c | 0x20)
    } else {
        (best, 0, c)
    }
}

/// Whether `h` starts with `n` (as long at least), ASCII case ignored: byte by byte, out at
/// the first difference (most candidates differ early).
#[inline(always)]
fn eq_ci(h: &[u8], n: &[u8]) -> bool {
    h.iter().zip(n).all(|(a, b)| a.eq_ignore_ascii_case(b))
}

/// The byte-wise "is zero" flags of `x` (bit 7 of each byte): every zero byte is flagged, and
/// possibly bytes above one (a borrow), never a byte below the first zero one.
#[inline(always)]
fn zero_bytes(x: u64) -> u64 {
    x.wrapping_sub(ONES) & !x & HIGHS
}

/// Eight bytes of `b` from `i` (little-endian: the first byte is the lowest).
#[inline(always)]
fn load8(b: &[u8], i: usize) -> u64 {
    let w = &b[i..i + 8];
    u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]])
}

/// The first position of `n` in `h` (ASCII case ignored with `CI`). The candidates are the
/// positions of the needle's rarest byte (see [`anchor`]), found eight bytes at a time
/// without a call: with the case bit (`0x20`) set on every byte when that byte is a letter
/// (only its two cases then give its lower case), the "has a zero byte" test on the bytes xor
/// the wanted one flags every candidate of a word (and possibly bytes after one: each flagged
/// position is compared in full, in order).
#[inline]
fn find_by<const CI: bool>(h: &[u8], n: &[u8]) -> Option<usize> {
    if n.is_empty() {
        return Some(0);
    }
    if n.len() > h.len() {
        return None;
    }
    let (off, fold, want) = anchor(n, CI);
    let at = |s: usize| -> bool {
        if CI {
            eq_ci(&h[s..], n)
        } else {
            h[s..s + n.len()] == *n
        }
    };
    // candidate starts: `0..ends`; their anchors: `off..off + ends`
    let ends = h.len() - n.len() + 1;
    let mut found = None;
    anchors_in(h, off, off + ends, fold, want, |c| {
        let ok = at(c - off);
        if ok {
            found = Some(c - off);
        }
        ok
    });
    found
}

/// Calls `f` with the positions in `lo..hi` of the bytes of `h` that equal `want` once or-ed
/// with `fold` (and possibly with other positions of that range: `f` tests them), in order,
/// until it says `true`. Eight bytes at a time, the last eight overlapping the ones before
/// (and masked to what is left), so that no byte is looked at one by one (a text shorter than
/// eight bytes excepted).
#[inline(always)]
fn anchors_in(
    h: &[u8],
    lo: usize,
    hi: usize,
    fold: u8,
    want: u8,
    mut f: impl FnMut(usize) -> bool,
) {
    if h.len() < 8 {
        for (c, &b) in h.iter().enumerate().take(hi).skip(lo) {
            if b | fold == want && f(c) {
                return;
            }
        }
        return;
    }
    let (fold8, want8) = (u64::from_ne_bytes([fold; 8]), u64::from_ne_bytes([want; 8]));
    let mut q = lo;
    while q + 8 <= hi {
        let mut m = zero_bytes((load8(h, q) | fold8) ^ want8);
        while m != 0 {
            // (little-endian: the lowest flagged byte comes first)
            if f(q + (m.trailing_zeros() / 8) as usize) {
                return;
            }
            m &= m - 1;
        }
        q += 8;
    }
    if q < hi {
        // the last ones: the eight bytes at `p <= q` (those before `q` were looked at)
        let p = q.min(h.len() - 8);
        let mut m = zero_bytes((load8(h, p) | fold8) ^ want8) & (!0u64 << (8 * (q - p)));
        if hi - p < 8 {
            m &= (1u64 << (8 * (hi - p))) - 1;
        }
        while m != 0 {
            if f(p + (m.trailing_zeros() / 8) as usize) {
                return;
            }
            m &= m - 1;
        }
    }
}

/// A few needles looked for together in one pass over a text, ASCII case ignored: what
/// `find_ci` of each says, for a fraction of the cost of a pass per needle. Each needle is
/// found by its rarest byte ([`anchor`]): every eight bytes are tested against each anchor
/// at once (no table look-up per byte), and only the flagged positions are compared.
pub(crate) struct Needles<const N: usize> {
    needles: [&'static [u8]; N],
    /// Per needle: (anchor offset, case bit, anchor byte) (see [`anchor`]).
    anchors: [(usize, u8, u8); N],
    /// For each byte, the needles anchored on it (either case): bit `k` for needle `k`.
    anchored: [u8; 256],
    /// The distinct anchors, `(case bit, byte)`: the first `tests` entries.
    distinct: [(u8, u8); N],
    tests: usize,
}

impl<const N: usize> Needles<N> {
    /// The set of `needles` (at most eight, none empty).
    pub(crate) const fn new(needles: [&'static str; N]) -> Self {
        assert!(N <= 8);
        let mut bytes: [&'static [u8]; N] = [b""; N];
        let mut anchors = [(0, 0, 0); N];
        let mut anchored = [0u8; 256];
        let mut distinct = [(0, 0); N];
        let mut tests = 0;
        let mut k = 0;
        while k < N {
            let n = needles[k].as_bytes();
            assert!(!n.is_empty());
            bytes[k] = n;
            anchors[k] = anchor(n, true);
            let c = n[anchors[k].0];
            anchored[c.to_ascii_lowercase() as usize] |= 1 << k;
            anchored[c.to_ascii_uppercase() as usize] |= 1 << k;
            let test = (anchors[k].1, anchors[k].2);
            let mut t = 0;
            while t < tests && !(distinct[t].0 == test.0 && distinct[t].1 == test.1) {
                t += 1;
            }
            if t == tests {
                distinct[tests] = test;
                tests += 1;
            }
            k += 1;
        }
        Needles {
            needles: bytes,
            anchors,
            anchored,
            distinct,
            tests,
        }
    }

    /// The first position of each needle in `hay` (`find_ci(hay, needle)` of each), looking
    /// no further once `enough` holds of the set of needles found so far (bit `k` for needle
    /// `k`); the positions of needles not found by then are `None`.
    #[inline]
    pub(crate) fn find(&self, hay: &str, enough: impl Fn(u8) -> bool) -> [Option<usize>; N] {
        let h = hay.as_bytes();
        let mut at = [None; N];
        let mut found = 0u8;
        // the needles anchored at byte `j` (those not found yet), each compared in full at
        // its start; a needle's anchors come in order, so its first match is its first one
        let check = |j: usize, mut m: u8, at: &mut [Option<usize>; N]| {
            let mut found = 0;
            while m != 0 {
                let k = m.trailing_zeros() as usize;
                m &= m - 1;
                let n = self.needles[k];
                let off = self.anchors[k].0;
                if j >= off && h.len() - (j - off) >= n.len() && eq_ci(&h[j - off..], n) {
                    at[k] = Some(j - off);
                    found |= 1 << k;
                }
            }
            found
        };
        if h.len() < 8 {
            for (j, &c) in h.iter().enumerate() {
                let k = self.anchored[c as usize] & !found;
                if k != 0 {
                    found |= check(j, k, &mut at);
                    if enough(found) {
                        break;
                    }
                }
            }
            return at;
        }
        // (as in `anchors_in`, for every anchor at once; the last eight bytes overlap)
        let flags = |p: usize| {
            let x = load8(h, p);
            let y = x | u64::from_ne_bytes([0x20; 8]);
            let mut m = 0;
            for &(fold, want) in &self.distinct[..self.tests] {
                let t = (if fold != 0 { y } else { x }) ^ u64::from_ne_bytes([want; 8]);
                m |= zero_bytes(t);
            }
            m
        };
        let mut q = 0;
        'scan: while q < h.len() {
            let p = if q + 8 <= h.len() { q } else { h.len() - 8 };
            let mut m = flags(p) & (!0u64 << (8 * (q - p)));
            while m != 0 {
                let c = p + (m.trailing_zeros() / 8) as usize;
                m &= m - 1;
                let k = self.anchored[h[c] as usize] & !found;
                if k != 0 {
                    found |= check(c, k, &mut at);
                    if enough(found) {
                        break 'scan;
                    }
                }
            }
            q = p + 8;
        }
        at
    }

    /// Which needles occur in `hay` (bit `k` for needle `k`), looking no further once `enough`
    /// holds of those found so far.
    #[inline]
    pub(crate) fn found(&self, hay: &str, enough: impl Fn(u8) -> bool) -> u8 {
        self.find(hay, enough)
            .iter()
            .enumerate()
            .fold(0, |m, (k, p)| if p.is_some() { m | 1 << k } else { m })
    }

    /// Whether any needle occurs in `hay` (`contains_ci` of any).
    #[inline]
    pub(crate) fn any_in(&self, hay: &str) -> bool {
        self.found(hay, |m| m != 0) != 0
    }
}

/// `0x01` in every byte (for the "has a zero byte" tests).
const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
/// `0x80` in every byte.
const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);

/// `hay.to_ascii_lowercase().contains(&needle.to_ascii_lowercase())`, without the copies.
#[inline]
pub(crate) fn contains_ci(hay: &str, needle: &str) -> bool {
    find_ci(hay, needle).is_some()
}

/// `hay.to_ascii_lowercase().starts_with(&needle.to_ascii_lowercase())`, without the copies.
pub(crate) fn starts_with_ci(hay: &str, needle: &str) -> bool {
    hay.len() >= needle.len()
        && hay.as_bytes()[..needle.len()].eq_ignore_ascii_case(needle.as_bytes())
}

/// Parses one page. Never panics, whatever the bytes; problems are returned as diagnostics.
///
/// `path` is used for diagnostics, for the file-name fallback of type names and to resolve
/// permission `[!INCLUDE]` files relative to the page.
pub fn parse_page(path: &Path, text: &str) -> (Page, Vec<Diagnostic>) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let fixed: String;
    // text that is not a contiguous piece of the page is built here, freed with the blocks
    let bump = bumpalo::Bump::with_capacity(text.len() / 8 + 256);
    let blocks = markdown::scan(text, &LineIndex::new(text), &bump);
    // A table whose delimiter row holds a tab, or has another cell count than its header, is
    // no table for pulldown-cmark: its rows come out as a paragraph. Only then is the page
    // mended (those rows rewritten; line numbers do not move) and tokenised again, with a
    // warning: the text is not searched for such rows up front.
    let broken = if blocks
        .iter()
        .any(|b| matches!(b, Block::Para { inline, .. } if has_pipe(&inline.text)))
    {
        broken_delimiters(text, &blocks)
    } else {
        Vec::new()
    };
    let (text, blocks) = if broken.is_empty() {
        (text, blocks)
    } else {
        drop(blocks);
        fixed = mend(text, &broken);
        let blocks = markdown::scan(&fixed, &LineIndex::new(&fixed), &bump);
        (fixed.as_str(), blocks)
    };
    let mut cx = Ctx {
        path,
        text,
        diags: Vec::new(),
        h1_loc: Loc::line(1),
    };
    for d in &broken {
        cx.diag(
            Loc { line: d.line, col: 1 },
            Severity::Warning,
            codes::BROKEN_TABLE,
            format!(
                "this table's delimiter row {}: pulldown-cmark reads no table here; read as one with the row rewritten `{}`",
                d.why,
                d.replacement.trim_end_matches('\r')
            ),
        );
    }
    let (front_matter, fm_issues) = frontmatter::parse(text);
    for (code, loc, msg) in fm_issues {
        cx.diag(loc, Severity::Warning, code, msg);
    }
    let secs = Sections::new(&blocks);
    let meta = meta(&mut cx, path, front_matter, &blocks);
    // (the lower-cased doc type is only tested for prefixes)
    let doc_type = meta.doc_type.as_deref().unwrap_or("");
    let (resource_dt, api_dt, enum_dt) = (
        starts_with_ci(doc_type, "resourcepagetype"),
        starts_with_ci(doc_type, "apipagetype"),
        starts_with_ci(doc_type, "enumpagetype"),
    );

    let has_http = secs.first(SectionKind::HttpRequest).is_some();
    // (looked for only when there is no "HTTP request" section)
    let has_props = || {
        blocks.iter().any(
            |b| matches!(b, Block::Table { header, .. } if resource::is_property_table(header)),
        )
    };
    let page = if has_http {
        Page::Api(api::read(&mut cx, meta, &blocks, &secs))
    } else if resource_dt || has_props() {
        Page::Resource(std::sync::Arc::new(resource::read(
            &mut cx, meta, &blocks, &secs,
        )))
    } else if api_dt {
        Page::Api(api::read(&mut cx, meta, &blocks, &secs))
    } else {
        let stem = cx.stem();
        let enums = resource::enums(&blocks, &secs, meta.h1.as_deref(), &stem, enum_dt);
        if !enums.is_empty() {
            let enums = enums.into_iter().map(std::sync::Arc::new).collect();
            Page::Enum(EnumPage { meta, enums })
        } else {
            let loc = cx.h1_loc;
            cx.diag(
                loc,
                Severity::Warning,
                codes::NOTHING_EXTRACTED,
                "page is neither an API page (no \"HTTP request\" section), a resource page (no `Property | Type | Description` table) nor an enum page (no member table)".into(),
            );
            Page::Other(meta)
        }
    };
    (page, cx.diags)
}

fn meta(cx: &mut Ctx<'_>, path: &Path, front_matter: FrontMatter, blocks: &[Block]) -> PageMeta {
    // (`front_matter.get` of each key, in one pass: the last pair of a key wins)
    let (mut title, mut description, mut doc_type) = (None, None, None);
    for (k, v) in front_matter.pairs() {
        match k {
            "title" => title = Some(v),
            "description" => description = Some(v),
            "doc_type" => doc_type = Some(v),
            _ => {}
        }
    }
    let mut m = PageMeta {
        path: path.to_path_buf(),
        title: title.map(str::to_string),
        description: description.map(str::to_string),
        doc_type: doc_type.map(str::to_string),
        front_matter,
        ..Default::default()
    };
    let mut after_h1 = false;
    for b in blocks {
        match b {
            Block::Heading {
                level: 1,
                inline,
                loc,
            } if m.h1.is_none() && !is_noise_heading(inline) => {
                m.h1 = Some(inline.text.trim().to_string());
                cx.h1_loc = *loc;
                after_h1 = true;
            }
            Block::Heading { .. } if after_h1 => break,
            Block::Para {
                inline, in_quote, ..
            } if after_h1 => {
                let t = inline.text.trim();
                if let Some(ns) = t
                    .strip_prefix("Namespace:")
                    .or_else(|| t.strip_prefix("Namespace :"))
                {
                    if m.namespace.is_none() {
                        m.namespace = Some(ns.trim().to_string());
                    }
                } else if m.summary.is_none()
                    && !in_quote
                    && !has_include(t)
                    && !t.starts_with("[!")
                {
                    m.summary = Some(t.to_string());
                }
            }
            _ => {}
        }
    }
    m
}

/// Whether `t` holds a `|` (`memchr`: most paragraphs are searched to their end).
fn has_pipe(t: &str) -> bool {
    memchr::memchr(b'|', t.as_bytes()).is_some()
}

/// A table delimiter row pulldown-cmark rejects, and its rewrite.
struct BrokenRow {
    /// Byte range of the row (without its line break).
    start: usize,
    end: usize,
    /// 1-based line.
    line: u32,
    /// The row as rewritten (same line, `\r` kept).
    replacement: String,
    /// What was wrong ("holds a tab", "has 3 cells for a header of 2").
    why: String,
}

/// Whether a line is a table delimiter row (`|:---|---|`, pipes required).
fn is_delimiter_row(l: &str) -> bool {
    let t = l.trim();
    t.contains('|')
        && t.contains('-')
        && t.bytes()
            .all(|b| matches!(b, b'|' | b'-' | b':' | b' ' | b'\t' | b'\r'))
}

/// The cells of a table row, outer pipes and escaped pipes (`\|`) accounted for.
fn row_cells(l: &str) -> Vec<&str> {
    let t = l.trim();
    let t = t.strip_prefix('|').unwrap_or(t);
    let t = match t.strip_suffix('|') {
        Some(rest) if !rest.ends_with('\\') => rest,
        _ => t,
    };
    let mut cells = Vec::new();
    let (mut from, mut escaped) = (0, false);
    for (i, c) in t.char_indices() {
        match c {
            '\\' => escaped = !escaped,
            '|' if !escaped => {
                cells.push(&t[from..i]);
                from = i + 1;
            }
            _ => escaped = false,
        }
    }
    cells.push(&t[from..]);
    cells
}

/// The delimiter rows inside the paragraphs of `blocks` (tables pulldown-cmark rejected) that
/// hold a tab or have another cell count than the row above them.
fn broken_delimiters(text: &str, blocks: &[Block]) -> Vec<BrokenRow> {
    let mut out: Vec<BrokenRow> = Vec::new();
    for b in blocks {
        let Block::Para { inline, .. } = b else {
            continue;
        };
        if !has_pipe(&inline.text) {
            continue;
        }
        let Some(src) = text.get(inline.start..inline.end) else {
            continue;
        };
        let mut prev: Option<&str> = None;
        let mut off = inline.start;
        for raw in src.split_inclusive('\n') {
            let l = raw.strip_suffix('\n').unwrap_or(raw);
            let l = l.strip_suffix('\r').unwrap_or(l);
            if let Some(header) = prev.filter(|h| h.contains('|') && !is_delimiter_row(h)) {
                if is_delimiter_row(l) {
                    let want = row_cells(header).len();
                    let cells = row_cells(l);
                    let tab = l.contains('\t');
                    if tab || cells.len() != want {
                        let mut why = Vec::new();
                        if tab {
                            why.push("holds a tab".to_string());
                        }
                        if cells.len() != want {
                            why.push(format!("has {} cells for a header of {want}", cells.len()));
                        }
                        let spec: Vec<String> = (0..want)
                            .map(|i| {
                                let c: String = cells
                                    .get(i)
                                    .map(|c| c.chars().filter(|c| !c.is_whitespace()).collect())
                                    .unwrap_or_default();
                                if c.contains('-') {
                                    c
                                } else {
                                    "---".to_string()
                                }
                            })
                            .collect();
                        let line = text[..off].bytes().filter(|&b| b == b'\n').count() as u32 + 1;
                        if !out.iter().any(|r| r.start == off) {
                            out.push(BrokenRow {
                                start: off,
                                end: off + l.len(),
                                line,
                                replacement: format!("| {} |", spec.join(" | ")),
                                why: why.join(" and "),
                            });
                        }
                    }
                }
            }
            prev = Some(l);
            off += raw.len();
        }
    }
    out.sort_by_key(|r| r.start);
    out
}

/// `text` with the broken rows replaced (line breaks untouched).
fn mend(text: &str, rows: &[BrokenRow]) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    let mut at = 0;
    for r in rows {
        if r.start < at {
            continue;
        }
        out.push_str(&text[at..r.start]);
        out.push_str(&r.replacement);
        at = r.end;
    }
    out.push_str(&text[at..]);
    out
}

/// Benchmark hook: only the tokenising pass (blocks), returning the block count.
#[doc(hidden)]
pub fn __scan_only(text: &str) -> usize {
    let lines = LineIndex::new(text);
    let bump = bumpalo::Bump::with_capacity(text.len() / 8 + 256);
    let n = markdown::scan(text, &lines, &bump).len();
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn searches_read_like_lower_cased_copies() {
        const PIECES: &[&str] = &[
            "",
            " ",
            "a",
            "A",
            "b",
            "!",
            "!INCLUDE",
            "!include",
            "INCLUDE",
            "é",
            "É",
            "Stream",
            "json",
            "JSON",
            "jso",
            "n",
            "collection",
            "|",
            "\"",
            "\"a\"",
            "jSoN",
            "z",
            "Zq",
            "q",
        ];
        let mut rng = fastrand::Rng::with_seed(13);
        let sample = |rng: &mut fastrand::Rng, n: usize| -> String {
            (0..rng.usize(0..n))
                .map(|_| PIECES[rng.usize(..PIECES.len())])
                .collect()
        };
        for _ in 0..20_000 {
            let hay = sample(&mut rng, 40);
            let needle = sample(&mut rng, 3);
            let (lh, ln) = (hay.to_ascii_lowercase(), needle.to_ascii_lowercase());
            assert_eq!(find_ci(&hay, &needle), lh.find(&ln), "{hay:?} {needle:?}");
            assert_eq!(contains_ci(&hay, &needle), lh.contains(&ln));
            assert_eq!(starts_with_ci(&hay, &needle), lh.starts_with(&ln));
            assert_eq!(
                find_str(&hay, &needle),
                hay.find(&needle),
                "{hay:?} {needle:?}"
            );
            assert_eq!(has_include(&hay), hay.contains("!INCLUDE"), "{hay:?}");
            assert_eq!(has_pipe(&hay), hay.contains('|'));
            // needle sets: distinct first bytes (a table), one shared first byte (eight bytes
            // at a time), a needle that is a prefix of another
            const MIXED: [&str; 5] = ["json", "Stream", "n", "!include", "zqz"];
            const SHARED: [&str; 3] = ["jso", "JSON", "j"];
            const QUOTES: [&str; 3] = ["\"a\"", "\"", "é\""];
            let lh = hay.to_ascii_lowercase();
            let want = |set: &[&str]| -> Vec<Option<usize>> {
                set.iter()
                    .map(|n| lh.find(&n.to_ascii_lowercase()))
                    .collect()
            };
            assert_eq!(
                Needles::new(MIXED).find(&hay, |_| false).to_vec(),
                want(&MIXED)
            );
            assert_eq!(
                Needles::new(SHARED).find(&hay, |_| false).to_vec(),
                want(&SHARED)
            );
            assert_eq!(
                Needles::new(QUOTES).find(&hay, |_| false).to_vec(),
                want(&QUOTES)
            );
            let any = want(&MIXED).iter().any(Option::is_some);
            assert_eq!(Needles::new(MIXED).any_in(&hay), any, "{hay:?}");
            // stopping early: the needles found by then are right
            let part = Needles::new(MIXED).find(&hay, |m| m & 1 != 0);
            for (p, w) in part.iter().zip(want(&MIXED)) {
                assert!(p.is_none() || *p == w, "{hay:?}");
            }
            assert_eq!(part[0], want(&MIXED)[0], "{hay:?}");
        }
    }
}
