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
    let t = inline.text.trim();
    t.is_empty()
        || inline.links.iter().any(|l| l.dest.starts_with("#tab/"))
        // (also covers headings starting with `!INCLUDE` / `[!INCLUDE`)
        || t.contains("!INCLUDE")
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
    // A table whose delimiter row holds a tab is no table for pulldown-cmark: its rows come out
    // as a paragraph. Only then is the page fixed (tabs of such rows → spaces, same offsets)
    // and tokenised again: the text is not searched for tabs up front.
    let (text, blocks) = match blocks
        .iter()
        .any(|b| matches!(b, Block::Para { inline, .. } if inline.text.contains('|') && text.get(inline.start..inline.end).is_some_and(|src| src.contains('\t'))))
        .then(|| fix_delimiter_tabs(text))
        .flatten()
    {
        Some(t) => {
            drop(blocks);
            fixed = t;
            let blocks = markdown::scan(&fixed, &LineIndex::new(&fixed), &bump);
            (fixed.as_str(), blocks)
        }
        None => (text, blocks),
    };
    let mut cx = Ctx {
        path,
        text,
        diags: Vec::new(),
        h1_loc: Loc::line(1),
    };
    let (front_matter, fm_issues) = frontmatter::parse(text);
    for (code, loc, msg) in fm_issues {
        cx.diag(loc, Severity::Warning, code, msg);
    }
    let secs = Sections::new(&blocks);
    let meta = meta(&mut cx, path, front_matter, &blocks);
    let doc_type = meta
        .doc_type
        .clone()
        .unwrap_or_default()
        .to_ascii_lowercase();

    let has_http = secs.first(SectionKind::HttpRequest).is_some();
    let has_props = blocks
        .iter()
        .any(|b| matches!(b, Block::Table { header, .. } if resource::is_property_table(header)));
    let page = if has_http {
        Page::Api(api::read(&mut cx, meta, &blocks, &secs))
    } else if has_props || doc_type.starts_with("resourcepagetype") {
        Page::Resource(std::sync::Arc::new(resource::read(
            &mut cx, meta, &blocks, &secs,
        )))
    } else if doc_type.starts_with("apipagetype") {
        Page::Api(api::read(&mut cx, meta, &blocks, &secs))
    } else {
        let stem = cx.stem();
        let enums = resource::enums(
            &blocks,
            &secs,
            meta.h1.as_deref(),
            &stem,
            doc_type.starts_with("enumpagetype"),
        );
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
                    && !t.contains("!INCLUDE")
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

/// The position of the first `needle` byte at or after `from`.
fn find_byte(hay: &[u8], from: usize, needle: u8) -> Option<usize> {
    memchr::memchr(needle, hay.get(from..)?).map(|i| from + i)
}

/// Table delimiter rows with tabs (`| --- \t|`) are not tables for pulldown-cmark; replace
/// those tabs by spaces (same length, so offsets and columns do not move).
fn fix_delimiter_tabs(text: &str) -> Option<String> {
    let is_delim = |l: &str| {
        l.contains('|')
            && l.contains('-')
            && l.contains('\t')
            && l.bytes()
                .all(|b| matches!(b, b'|' | b'-' | b':' | b' ' | b'\t' | b'\r'))
    };
    // only the lines holding a tab can be such rows: look at those
    let mut from = 0;
    let mut found = false;
    while let Some(tab) = find_byte(text.as_bytes(), from, b'\t') {
        let start = text[..tab].rfind('\n').map_or(0, |j| j + 1);
        let end = text[tab..].find('\n').map_or(text.len(), |j| tab + j);
        if is_delim(&text[start..end]) {
            found = true;
            break;
        }
        from = end;
    }
    if !found {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    for (i, l) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if is_delim(l) {
            out.push_str(&l.replace('\t', " "));
        } else {
            out.push_str(l);
        }
    }
    Some(out)
}

/// Benchmark hook: only the tokenising pass (blocks), returning the block count.
#[doc(hidden)]
pub fn __scan_only(text: &str) -> usize {
    let lines = LineIndex::new(text);
    let bump = bumpalo::Bump::with_capacity(text.len() / 8 + 256);
    let n = markdown::scan(text, &lines, &bump).len();
    n
}
