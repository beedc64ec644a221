//! Sections of a page: which heading a block belongs to, whatever the heading level or case.

use crate::markdown::{Block, Inline};
use crate::model::Loc;

/// What a section documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SectionKind {
    Permissions,
    HttpRequest,
    QueryParams,
    FunctionParams,
    Headers,
    Body,
    Response,
    Examples,
    Properties,
    Relationships,
    Json,
    Enum,
}

/// One section: its kind and the block range after its heading.
#[derive(Debug, Clone)]
pub(crate) struct Section {
    pub kind: SectionKind,
    pub start: usize,
    pub end: usize,
    pub loc: Loc,
}

/// Every known section of a page.
#[derive(Debug, Default)]
pub(crate) struct Sections {
    pub list: Vec<Section>,
}

/// The kind of a heading's (trimmed) text.
fn kind_of(t: &str) -> Option<SectionKind> {
    let t = crate::frontmatter::trim(t.trim_end_matches(':'));
    // headings are short: lower-case into a stack buffer, not a new string (and match bytes:
    // no UTF-8 check of the copy)
    let mut buf = [0u8; 64];
    let owned;
    let t: &[u8] = match buf.get_mut(..t.len()) {
        Some(b) => {
            for (d, c) in b.iter_mut().zip(t.as_bytes()) {
                *d = c.to_ascii_lowercase();
            }
            b
        }
        None => {
            owned = t.to_ascii_lowercase();
            owned.as_bytes()
        }
    };
    Some(match t {
        b"permissions"
        | b"permission"
        | b"prerequisites"
        | b"prerequisite"
        | b"required permissions" => SectionKind::Permissions,
        b"http request" | b"http requests" | b"http request syntax" => SectionKind::HttpRequest,
        b"optional query parameters"
        | b"query parameters"
        | b"optional query parameter"
        | b"optional request parameters"
        | b"optional query string parameters"
        | b"odata query parameters" => SectionKind::QueryParams,
        b"function parameters" | b"function parameter" | b"path parameters" | b"path parameter" => {
            SectionKind::FunctionParams
        }
        b"request headers"
        | b"request header"
        | b"optional request headers"
        | b"request headers (optional)" => SectionKind::Headers,
        b"request body" => SectionKind::Body,
        b"response" | b"responses" | b"response body" | b"http response" => SectionKind::Response,
        b"properties" | b"instance attributes" | b"property" | b"instance annotations" => {
            SectionKind::Properties
        }
        b"relationships" | b"relationship" | b"navigation properties" => SectionKind::Relationships,
        b"json representation" | b"json representations" | b"json" => SectionKind::Json,
        _ if t.starts_with(b"example") => SectionKind::Examples,
        _ if t.starts_with(b"http request") => SectionKind::HttpRequest,
        _ if t.ends_with(b" values")
            || t.windows(4).any(|w| w == b"enum")
            || t == b"members"
            || t.ends_with(b" members") =>
        {
            SectionKind::Enum
        }
        _ => return None,
    })
}

/// [`crate::is_noise_heading`] for a heading whose trimmed text is `t` (without a substring
/// searcher's set-up for each short heading).
fn is_noise(inline: &Inline, t: &str) -> bool {
    let b = t.as_bytes();
    let noise = b.is_empty()
        || inline.links.iter().any(|l| l.dest.starts_with("#tab/"))
        || memchr::memchr_iter(b'!', b).any(|i| b[i..].starts_with(b"!INCLUDE"));
    debug_assert_eq!(noise, crate::is_noise_heading(inline));
    noise
}

impl Sections {
    /// Builds the section list from the blocks.
    pub(crate) fn new(blocks: &[Block]) -> Sections {
        let mut heads: Vec<(usize, u8, Option<SectionKind>, Loc)> = Vec::with_capacity(16);
        for (i, b) in blocks.iter().enumerate() {
            if let Block::Heading { level, inline, loc } = b {
                let t = crate::frontmatter::trim(&inline.text);
                if !is_noise(inline, t) {
                    heads.push((i, *level, kind_of(t), *loc));
                }
            }
        }
        let mut list = Vec::with_capacity(heads.len());
        for (n, &(i, level, kind, loc)) in heads.iter().enumerate() {
            let Some(kind) = kind else { continue };
            let end = heads[n + 1..]
                .iter()
                .find(|&&(_, l, k, _)| {
                    l <= level
                        || (k.is_some()
                            && kind != SectionKind::Examples
                            && k != Some(SectionKind::Enum))
                })
                .map(|&(j, ..)| j)
                .unwrap_or(blocks.len());
            list.push(Section {
                kind,
                start: i + 1,
                end,
                loc,
            });
        }
        // an "HTTP request" heading inside an example is the example's request, not the
        // operation's route list (the list is in block order and only such headings are
        // dropped, so every example section before one is still in `list[..kept]`)
        let mut kept = 0;
        for r in 0..list.len() {
            let s = &list[r];
            let inside_example = s.kind == SectionKind::HttpRequest
                && list[..kept].iter().any(|e| {
                    e.kind == SectionKind::Examples && s.start > e.start && s.start <= e.end
                });
            if !inside_example {
                list.swap(kept, r);
                kept += 1;
            }
        }
        list.truncate(kept);
        Sections { list }
    }

    /// The first section of a kind.
    pub(crate) fn first(&self, kind: SectionKind) -> Option<&Section> {
        self.list.iter().find(|s| s.kind == kind)
    }

    /// Every section of a kind.
    pub(crate) fn all(&self, kind: SectionKind) -> impl Iterator<Item = &Section> {
        self.list.iter().filter(move |s| s.kind == kind)
    }

    /// The innermost known section holding block `i`.
    pub(crate) fn kind_at(&self, i: usize) -> Option<SectionKind> {
        self.list
            .iter()
            .rev()
            .find(|s| i >= s.start && i < s.end)
            .map(|s| s.kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The heading reading before it matched bytes (the reference).
    fn kind_of_ref(text: &str) -> Option<SectionKind> {
        let owned = text
            .trim()
            .trim_end_matches(':')
            .trim()
            .to_ascii_lowercase();
        let t = owned.as_str();
        Some(match t {
            "permissions"
            | "permission"
            | "prerequisites"
            | "prerequisite"
            | "required permissions" => SectionKind::Permissions,
            "http request" | "http requests" | "http request syntax" => SectionKind::HttpRequest,
            "optional query parameters"
            | "query parameters"
            | "optional query parameter"
            | "optional request parameters"
            | "optional query string parameters"
            | "odata query parameters" => SectionKind::QueryParams,
            "function parameters" | "function parameter" | "path parameters" | "path parameter" => {
                SectionKind::FunctionParams
            }
            "request headers"
            | "request header"
            | "optional request headers"
            | "request headers (optional)" => SectionKind::Headers,
            "request body" => SectionKind::Body,
            "response" | "responses" | "response body" | "http response" => SectionKind::Response,
            "properties" | "instance attributes" | "property" | "instance annotations" => {
                SectionKind::Properties
            }
            "relationships" | "relationship" | "navigation properties" => {
                SectionKind::Relationships
            }
            "json representation" | "json representations" | "json" => SectionKind::Json,
            _ if t.starts_with("example") => SectionKind::Examples,
            _ if t.starts_with("http request") => SectionKind::HttpRequest,
            _ if t.ends_with(" values")
                || t.contains("enum")
                || t == "members"
                || t.ends_with(" members") =>
            {
                SectionKind::Enum
            }
            _ => return None,
        })
    }

    #[test]
    fn kinds_like_the_reference() {
        const PIECES: &[&str] = &[
            "Permissions",
            "HTTP request",
            "HTTP Request",
            " syntax",
            "s",
            "Request headers",
            " (optional)",
            "Response",
            "Example",
            " 1",
            "ENUM",
            "Enum",
            " values",
            " members",
            "Members",
            "Properties",
            ":",
            " ",
            "\u{a0}",
            "\u{2003}",
            "é",
            "JSON",
            " body",
            "Request body",
            "Optional ",
            "query parameters",
            "x",
        ];
        let mut texts: Vec<String> = vec![String::new(), "a".repeat(70), "É".repeat(40)];
        let mut rng = fastrand::Rng::with_seed(5);
        for _ in 0..20_000 {
            let n = rng.usize(1..5);
            texts.push((0..n).map(|_| PIECES[rng.usize(..PIECES.len())]).collect());
        }
        texts.push(format!("{} enum", "x".repeat(70)));
        for t in texts {
            assert_eq!(
                kind_of(crate::frontmatter::trim(&t)),
                kind_of_ref(&t),
                "{t:?}"
            );
        }
    }
}
