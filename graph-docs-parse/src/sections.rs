//! Sections of a page: which heading a block belongs to, whatever the heading level or case.

use crate::markdown::Block;
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

fn kind_of(text: &str) -> Option<SectionKind> {
    let t = text.trim().trim_end_matches(':').trim();
    // headings are short: lower-case into a stack buffer, not a new string
    let mut buf = [0u8; 64];
    let owned;
    let t = match buf.get_mut(..t.len()) {
        Some(b) => {
            b.copy_from_slice(t.as_bytes());
            b.make_ascii_lowercase();
            // ASCII lower-casing keeps UTF-8 valid
            std::str::from_utf8(b).unwrap_or("")
        }
        None => {
            owned = t.to_ascii_lowercase();
            owned.as_str()
        }
    };
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
        "relationships" | "relationship" | "navigation properties" => SectionKind::Relationships,
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

impl Sections {
    /// Builds the section list from the blocks.
    pub(crate) fn new(blocks: &[Block]) -> Sections {
        let heads: Vec<(usize, u8, Option<SectionKind>, Loc)> = blocks
            .iter()
            .enumerate()
            .filter_map(|(i, b)| match b {
                Block::Heading { level, inline, loc } if !crate::is_noise_heading(inline) => {
                    Some((i, *level, kind_of(&inline.text), *loc))
                }
                _ => None,
            })
            .collect();
        let mut list = Vec::new();
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
        // operation's route list
        let examples: Vec<(usize, usize)> = list
            .iter()
            .filter(|s| s.kind == SectionKind::Examples)
            .map(|s| (s.start, s.end))
            .collect();
        list.retain(|s| {
            s.kind != SectionKind::HttpRequest
                || !examples.iter().any(|&(a, b)| s.start > a && s.start <= b)
        });
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
