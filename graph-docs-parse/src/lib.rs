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
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    const BANGS: u64 = u64::from_ne_bytes([b'!'; 8]);
    let mut chunks = b.chunks_exact(8);
    let bang = chunks.by_ref().any(|c| {
        let x = u64::from_ne_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]) ^ BANGS;
        x.wrapping_sub(ONES) & !x & HIGHS != 0
    }) || chunks.remainder().contains(&b'!');
    bang && memchr::memchr_iter(b'!', b).any(|i| b[i..].starts_with(b"!INCLUDE"))
}

/// The byte offset of the first occurrence of `needle` in `hay` (`hay.find(needle)`), found
/// by a `memchr` for its first byte and a comparison: cheaper than a substring searcher's
/// set-up for the short texts and needles of a page.
pub(crate) fn find_str(hay: &str, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    let Some(&first) = n.first() else {
        return Some(0);
    };
    if n.len() > h.len() {
        return None;
    }
    memchr::memchr_iter(first, &h[..=h.len() - n.len()]).find(|&i| &h[i..i + n.len()] == n)
}

/// The byte offset of the first occurrence of `needle` in `hay`, ASCII case ignored:
/// `hay.to_ascii_lowercase().find(&needle.to_ascii_lowercase())` without the copies (lower
/// casing keeps every byte offset).
pub(crate) fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    let Some(&first) = n.first() else {
        return Some(0);
    };
    if n.len() > h.len() {
        return None;
    }
    let h0 = &h[..=h.len() - n.len()];
    let (lo, up) = (first.to_ascii_lowercase(), first.to_ascii_uppercase());
    memchr::memchr2_iter(lo, up, h0).find(|&i| h[i..i + n.len()].eq_ignore_ascii_case(n))
}

/// `hay.to_ascii_lowercase().contains(&needle.to_ascii_lowercase())`, without the copies.
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
    let mut m = PageMeta {
        path: path.to_path_buf(),
        title: front_matter.get("title").map(str::to_string),
        description: front_matter.get("description").map(str::to_string),
        doc_type: front_matter.get("doc_type").map(str::to_string),
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
        ];
        let mut rng = fastrand::Rng::with_seed(13);
        let sample = |rng: &mut fastrand::Rng, n: usize| -> String {
            (0..rng.usize(0..n))
                .map(|_| PIECES[rng.usize(..PIECES.len())])
                .collect()
        };
        for _ in 0..20_000 {
            let hay = sample(&mut rng, 8);
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
        }
    }
}
