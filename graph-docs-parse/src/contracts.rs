//! Doc examples as contracts: checks every worked example of a [`Corpus`] against the pages it
//! belongs to, without compiling anything (`graph-docs check --examples`).
//!
//! For each example request of an API page:
//!
//! - the URL (host and version segment removed, query string dropped) must match a route of
//!   the page: literal segments equal case-insensitively, placeholders match any segment,
//!   function segments match by name, casts by name, colon paths by position
//!   ([`codes::EXAMPLE_NO_ROUTE`], [`codes::EXAMPLE_WRONG_METHOD`]);
//! - a JSON body must parse, leniently ([`codes::EXAMPLE_BAD_JSON`]);
//! - the request body must fit the page's body parameters (or the resource it says to supply)
//!   and the response body the documented response type: no unknown property
//!   ([`codes::UNKNOWN_PROPERTY`]), the JSON type each property's type needs
//!   ([`codes::WRONG_JSON_TYPE`]); nested objects are checked against their resolved types, and
//!   an `@odata.type` in a body selects the derived type. A property that only a derived type
//!   has, in an object without `@odata.type`, is [`codes::MISSING_ODATA_TYPE`]. Instance
//!   annotations (`@...`, `name@odata.*`) are always allowed.
//! - a single object wrapped in `value` is [`codes::WRAPPED_IN_VALUE`] (a warning; the inner
//!   object is checked).
//!
//! Also: a resource's JSON representation against its properties table
//! ([`codes::JSON_REP_EXTRA`], [`codes::JSON_REP_MISSING`]) and type links to `.md` pages that
//! are not in the corpus ([`codes::BROKEN_LINK`]). Missing / TODO permissions are the parser's
//! [`codes::NO_PERMISSIONS`] / [`codes::PERMISSION_UNKNOWN`].
//!
//! An example that cannot be checked is *skipped* with a [`SkipReason`], never failed. A URL
//! with placeholders (`/users/{id}`) is checked: a placeholder in the example matches a
//! placeholder of the route.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

use serde::Serialize;
use serde_json::Value;

use crate::model::*;
use crate::{codes, example_url, examples, lenient_json, routes, types, Corpus, TypeDef};

/// Why an example (or a part of it) could not be checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    /// The request URL is on another host than Microsoft Graph (a SharePoint or upload URL).
    NotGraphUrl,
    /// The page documents no route to match the URL against.
    PageWithoutRoutes,
    /// A JSON body is cut with `...` / `…` and does not parse even leniently.
    TruncatedBody,
    /// A body is not JSON where the page documents a JSON body (form data, XML, text).
    NonJsonBody,
    /// The request has a JSON body but the page documents no body parameters or body type.
    NoRequestType,
    /// The response has a JSON body but the page (and the example's annotation) states no
    /// response type.
    NoResponseType,
    /// The documented type is a named type that no page of the corpus defines.
    UnresolvedType,
}

impl SkipReason {
    /// A sentence saying why.
    pub fn describe(self) -> &'static str {
        match self {
            SkipReason::NotGraphUrl => "the request URL is not a Microsoft Graph URL",
            SkipReason::PageWithoutRoutes => "the page documents no route",
            SkipReason::TruncatedBody => {
                "a JSON body is truncated with `...` and does not parse, even leniently"
            }
            SkipReason::NonJsonBody => "a body is not JSON",
            SkipReason::NoRequestType => {
                "the request has a JSON body but the page documents no body parameters or type"
            }
            SkipReason::NoResponseType => {
                "the response has a JSON body but no response type is documented"
            }
            SkipReason::UnresolvedType => "the documented body type is defined by no page",
        }
    }

    /// The snake_case name used in JSON output.
    pub fn name(self) -> &'static str {
        match self {
            SkipReason::NotGraphUrl => "not_graph_url",
            SkipReason::PageWithoutRoutes => "page_without_routes",
            SkipReason::TruncatedBody => "truncated_body",
            SkipReason::NonJsonBody => "non_json_body",
            SkipReason::NoRequestType => "no_request_type",
            SkipReason::NoResponseType => "no_response_type",
            SkipReason::UnresolvedType => "unresolved_type",
        }
    }
}

/// One skipped example.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skip {
    /// The page.
    pub file: PathBuf,
    /// The request line of the example.
    pub loc: Loc,
    /// Why.
    pub reason: SkipReason,
    /// Details (the host, the type name, the part of the example).
    pub detail: String,
}

/// The counts of `graph-docs check --examples --json`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ExampleCounts {
    /// Example requests on API pages.
    pub examples: usize,
    /// Examples whose URL and every body were checked.
    pub examples_checked: usize,
    /// Checked examples with no error.
    pub examples_ok: usize,
    /// Examples that could not be (fully) checked; see `skip_reasons`.
    pub examples_skipped: usize,
    /// Example requests with a `"blockType": "request"` annotation.
    pub examples_annotated: usize,
    /// Annotated example requests that were checked.
    pub examples_annotated_checked: usize,
    /// Checked examples whose URL has placeholders (`{id}`).
    pub examples_with_placeholders: usize,
    /// JSON bodies (requests and responses) checked against a type.
    pub bodies_checked: usize,
    /// Skipped examples per reason (the first reason of each example).
    pub skip_reasons: BTreeMap<&'static str, usize>,
    /// Resource pages whose JSON representation was compared with the properties table.
    pub json_representations_checked: usize,
    /// Type links to `.md` pages that were checked.
    pub links_checked: usize,
}

/// The result of [`check`].
#[derive(Debug, Clone, Default)]
pub struct ContractReport {
    /// The findings, sorted by file, line and code.
    pub diagnostics: Vec<Diagnostic>,
    /// The counts.
    pub counts: ExampleCounts,
    /// Every skipped example with its reason, in page order.
    pub skipped: Vec<Skip>,
}

/// Checks every example, JSON representation and type link of `corpus`. Pure: reads nothing
/// from disk, never panics.
pub fn check(corpus: &Corpus) -> ContractReport {
    let mut cx = Checker::new(corpus);
    let mut report = ContractReport::default();
    for page in &corpus.pages {
        match page {
            Page::Api(a) => {
                for ex in &a.examples {
                    let Some(req) = &ex.request else { continue };
                    cx.example(a, req, ex.response.as_ref(), &mut report);
                }
                cx.api_links(a, &mut report.counts);
            }
            Page::Resource(r) => {
                cx.json_representation(r, &mut report.counts);
                cx.resource_links(r, &mut report.counts);
            }
            _ => {}
        }
    }
    report.counts.bodies_checked = cx.bodies;
    let mut diags = cx.out;
    diags.sort_by(|a, b| (&a.file, a.loc, a.code).cmp(&(&b.file, b.loc, b.code)));
    diags.dedup();
    report.diagnostics = diags;
    report
}

/// A step from a JSON value to a child.
#[derive(Debug, Clone, Copy)]
enum Child<'a> {
    Key(&'a str),
    Index(usize),
}

/// The parts of an example message a body check needs.
struct Message<'b> {
    headers: &'b [(String, String)],
    body: &'b Option<String>,
    json: &'b Option<lenient_json::Json>,
    line: u32,
}

/// A body being checked: its text and first line, to locate keys.
struct Body<'a> {
    file: &'a Path,
    text: &'a str,
    line: u32,
}

impl Body<'_> {
    fn line_at(&self, off: usize) -> u32 {
        let off = off.min(self.text.len());
        let before = self.text.get(..off).unwrap_or("");
        self.line + before.matches('\n').count() as u32
    }
}

struct Checker<'a> {
    corpus: &'a Corpus,
    /// Lower-cased type key → keys of the types whose base type it is.
    derived: BTreeMap<String, Vec<String>>,
    /// Every page path, lexically normalised and lower-cased.
    page_paths: BTreeSet<PathBuf>,
    out: Vec<Diagnostic>,
    /// Errors found for the example being checked.
    errors_now: usize,
    /// JSON bodies checked against a type.
    bodies: usize,
}

fn type_key(name: &str) -> String {
    let n = name.trim().trim_start_matches('#');
    let n = types::strip_prefix_ci(n, "microsoft.graph.").unwrap_or(n);
    n.to_ascii_lowercase()
}

fn normalise_path(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            c => out.push(c.as_os_str()),
        }
    }
    out
}

fn lower_path(p: &Path) -> PathBuf {
    PathBuf::from(normalise_path(p).to_string_lossy().to_lowercase())
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 40 {
        let t: String = s.chars().take(37).collect();
        format!("{t}...")
    } else {
        s
    }
}

fn type_name(t: &TypeRef) -> String {
    match t {
        TypeRef::Primitive(p) => format!("{p:?}"),
        TypeRef::Named { name, .. } => name.clone(),
        TypeRef::Collection(i) => format!("Collection({})", type_name(i)),
        TypeRef::Unknown(s) => s.clone(),
    }
}

fn has_ellipsis(text: &str) -> bool {
    text.contains("..") || text.contains('\u{2026}')
}

/// Offset of a child (key or array element) of the container starting at or after `from`,
/// scanning the (possibly lenient) JSON text. `None` when not found.
fn child_offset(text: &str, from: usize, child: Child<'_>) -> Option<usize> {
    let b = text.as_bytes();
    let mut i = from;
    // the container's opening bracket
    let open = loop {
        let c = *b.get(i)?;
        match c {
            b'{' | b'[' => break c,
            b'"' => i = skip_string(b, i),
            _ => i += 1,
        }
    };
    let _ = open;
    i += 1;
    let mut depth = 1usize;
    let mut index = 0usize;
    let mut at_elem_start = true;
    while i < b.len() {
        let c = b[i];
        match c {
            b' ' | b'\t' | b'\r' | b'\n' => {
                i += 1;
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            _ => {}
        }
        if depth == 1 && at_elem_start {
            if let Child::Index(n) = child {
                if n == index && c != b']' {
                    return Some(i);
                }
            }
        }
        at_elem_start = false;
        match c {
            b'"' => {
                let end = skip_string(b, i);
                if depth == 1 {
                    if let Child::Key(k) = child {
                        let s = text.get(i + 1..end.saturating_sub(1)).unwrap_or("");
                        let rest = text.get(end..).unwrap_or("").trim_start();
                        if s == k && rest.starts_with(':') {
                            return Some(i);
                        }
                    }
                }
                i = end;
                continue;
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth -= 1;
                if depth == 0 {
                    return None;
                }
            }
            b',' if depth == 1 => {
                index += 1;
                at_elem_start = true;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The offset just after the string starting at `i` (a `"`).
fn skip_string(b: &[u8], mut i: usize) -> usize {
    i += 1;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            b'\n' => return i,
            _ => i += 1,
        }
    }
    b.len()
}

impl<'a> Checker<'a> {
    fn new(corpus: &'a Corpus) -> Self {
        let mut derived: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (key, def) in &corpus.types {
            if let TypeDef::Resource(r) = def {
                if let Some(b) = r.base_type.as_deref() {
                    if let Some(TypeDef::Resource(base)) = corpus.resolve(b) {
                        let bk = type_key(&base.name);
                        if bk != *key {
                            derived.entry(bk).or_default().push(key.clone());
                        }
                    }
                }
            }
        }
        let page_paths = corpus
            .pages
            .iter()
            .map(|p| lower_path(&p.meta().path))
            .collect();
        Checker {
            corpus,
            derived,
            page_paths,
            out: Vec::new(),
            errors_now: 0,
            bodies: 0,
        }
    }

    fn diag(
        &mut self,
        file: &Path,
        line: u32,
        severity: Severity,
        code: &'static str,
        msg: String,
    ) {
        if severity == Severity::Error {
            self.errors_now += 1;
        }
        self.out.push(Diagnostic {
            file: file.to_path_buf(),
            loc: Loc::line(line),
            severity,
            code,
            message: msg,
        });
    }

    // ---------------------------------------------------------------- examples

    fn example(
        &mut self,
        page: &ApiPage,
        req: &ExampleRequest,
        resp: Option<&ExampleResponse>,
        report: &mut ContractReport,
    ) {
        let file = page.meta.path.as_path();
        let counts = &mut report.counts;
        counts.examples += 1;
        let annotated = req
            .annotation
            .get("blockType")
            .and_then(Value::as_str)
            .is_some_and(|b| b.eq_ignore_ascii_case("request"));
        if annotated {
            counts.examples_annotated += 1;
        }
        self.errors_now = 0;
        let mut skip: Option<(SkipReason, String)> = None;
        let mut placeholders = false;

        // 1. the URL
        match example_url::example_path(&req.url) {
            Err(host) => {
                skip.get_or_insert((SkipReason::NotGraphUrl, format!("host `{host}`")));
            }
            Ok(_) if page.routes.is_empty() => {
                skip.get_or_insert((SkipReason::PageWithoutRoutes, String::new()));
            }
            Ok(p) => {
                let (path, _query) = routes::normalise(&p);
                placeholders = path.contains('{');
                self.match_url(page, req, &path);
            }
        }

        // 2. the request body
        if let Some(reason) = self.request_body(page, req) {
            skip.get_or_insert(reason);
        }
        // 3. the response body
        if let Some(r) = resp {
            if let Some(reason) = self.response_body(page, r) {
                skip.get_or_insert(reason);
            }
        }

        let counts = &mut report.counts;
        match skip {
            Some((reason, detail)) => {
                counts.examples_skipped += 1;
                *counts.skip_reasons.entry(reason.name()).or_default() += 1;
                report.skipped.push(Skip {
                    file: file.to_path_buf(),
                    loc: Loc::line(req.url_line),
                    reason,
                    detail,
                });
            }
            None => {
                counts.examples_checked += 1;
                if annotated {
                    counts.examples_annotated_checked += 1;
                }
                if placeholders {
                    counts.examples_with_placeholders += 1;
                }
                if self.errors_now == 0 {
                    counts.examples_ok += 1;
                }
            }
        }
    }

    fn match_url(&mut self, page: &ApiPage, req: &ExampleRequest, path: &str) {
        let ex = example_url::split_segments(path);
        let same_path: Vec<&Route> = page
            .routes
            .iter()
            .filter(|r| example_url::match_route(&r.segments, &ex).is_some())
            .collect();
        if same_path.iter().any(|r| r.method == req.method) {
            return;
        }
        let file = page.meta.path.as_path();
        if !same_path.is_empty() {
            let mut methods: Vec<&str> = same_path.iter().map(|r| r.method.as_str()).collect();
            methods.sort();
            methods.dedup();
            self.diag(
                file,
                req.url_line,
                Severity::Error,
                codes::EXAMPLE_WRONG_METHOD,
                format!(
                    "example request `{} {path}` matches route `{}` of this page, which is documented for {} only",
                    req.method,
                    same_path[0].path,
                    methods.join(", ")
                ),
            );
            return;
        }
        let mut shown: Vec<String> = page
            .routes
            .iter()
            .take(3)
            .map(|r| format!("`{} {}`", r.method, r.path))
            .collect();
        if page.routes.len() > 3 {
            shown.push(format!("{} more", page.routes.len() - 3));
        }
        self.diag(
            file,
            req.url_line,
            Severity::Error,
            codes::EXAMPLE_NO_ROUTE,
            format!(
                "example request `{} {path}` matches no route documented on this page (routes: {})",
                req.method,
                shown.join(", ")
            ),
        );
    }

    /// Parses an example body; `Err` = skip reason, `Ok(None)` = nothing to check.
    fn body_json(
        &mut self,
        file: &Path,
        m: Message<'_>,
        what: &str,
        binary_expected: bool,
    ) -> Result<Option<Value>, (SkipReason, String)> {
        let Message {
            headers,
            body,
            json,
            line,
        } = m;
        let Some(text) = body.as_deref() else {
            return Ok(None);
        };
        if !examples::is_json_body(headers, body) {
            if binary_expected {
                return Ok(None);
            }
            let ct = headers
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case("content-type"))
                .map(|(_, v)| v.as_str());
            // a JSON content type on a body that is not JSON text is a finding below
            if ct.is_some_and(|c| c.to_ascii_lowercase().contains("json")) {
                // fall through to the parse
            } else {
                return Err((
                    SkipReason::NonJsonBody,
                    format!(
                        "{what} body{}",
                        ct.map(|c| format!(" is `{c}`")).unwrap_or_default()
                    ),
                ));
            }
        }
        if let Some(v) = json {
            return Ok(Some(v.value().clone()));
        }
        match lenient_json::parse(text) {
            lenient_json::Lenient::Strict(v) | lenient_json::Lenient::Repaired(v) => Ok(Some(v)),
            lenient_json::Lenient::Failed(e) => {
                if has_ellipsis(text) {
                    return Err((SkipReason::TruncatedBody, format!("{what} body")));
                }
                self.diag(
                    file,
                    line,
                    Severity::Error,
                    codes::EXAMPLE_BAD_JSON,
                    format!("the {what} body is not JSON, even leniently (comments, trailing commas, `...` allowed): {e}"),
                );
                Ok(None)
            }
        }
    }

    fn request_body(
        &mut self,
        page: &ApiPage,
        req: &ExampleRequest,
    ) -> Option<(SkipReason, String)> {
        let file = page.meta.path.as_path();
        let binary = matches!(page.body, RequestBody::Binary);
        let msg = Message {
            headers: &req.headers,
            body: &req.body,
            json: &req.json,
            line: req.body_line,
        };
        let v = match self.body_json(file, msg, "request", binary) {
            Err(r) => return Some(r),
            Ok(None) => return None,
            Ok(Some(v)) => v,
        };
        let text = req.body.as_deref().unwrap_or("");
        let body = Body {
            file,
            text,
            line: req.body_line,
        };
        // the resource a create/update page returns: body properties beyond the parameter
        // table are checked against it
        let returned = match page.response.as_ref().map(|r| &r.body) {
            Some(ResponseBody::Single(t)) => match self.resolve_ty(t) {
                Some(TypeDef::Resource(r)) => Some(&**r),
                _ => None,
            },
            _ => None,
        };
        match &page.body {
            RequestBody::Params if !page.body_params.is_empty() => {
                self.bodies += 1;
                self.params_object(&body, &v, &page.body_params, returned);
                None
            }
            RequestBody::Resource(t) => match self.resolve_ty(t) {
                Some(_) => {
                    self.bodies += 1;
                    self.value(&body, &v, t, 0, "request body");
                    None
                }
                None => Some((SkipReason::UnresolvedType, type_name(t))),
            },
            _ => match returned {
                // "supply the properties to update" without a table: the returned resource
                Some(r) if matches!(req.method, Method::Patch | Method::Post | Method::Put) => {
                    self.bodies += 1;
                    self.object(&body, &v, r, 0, "request body");
                    None
                }
                _ => Some((SkipReason::NoRequestType, "request body".into())),
            },
        }
    }

    fn params_object(
        &mut self,
        body: &Body<'_>,
        v: &Value,
        params: &[Param],
        fallback: Option<&ResourcePage>,
    ) {
        let Value::Object(map) = v else {
            self.diag(
                body.file,
                body.line,
                Severity::Error,
                codes::WRONG_JSON_TYPE,
                format!(
                    "the request body is {}, but the page documents body parameters (a JSON object)",
                    json_kind(v)
                ),
            );
            return;
        };
        let fallback_props = fallback.map(|r| self.all_props(r)).unwrap_or_default();
        for (k, val) in map {
            if is_annotation(k) {
                continue;
            }
            let off = child_offset(body.text, 0, Child::Key(k)).unwrap_or(0);
            if let Some(p) = params.iter().find(|p| p.name == *k) {
                self.value(body, val, &p.ty, off, &format!("parameter `{k}`"));
            } else if let Some(p) = fallback_props.iter().find(|p| p.name == *k) {
                let ty = p.ty.clone();
                self.value(body, val, &ty, off, &format!("property `{k}`"));
            } else {
                let hint = params
                    .iter()
                    .find(|p| p.name.eq_ignore_ascii_case(k))
                    .map(|p| format!(" (did you mean `{}`?)", p.name))
                    .unwrap_or_default();
                let names: Vec<&str> = params.iter().map(|p| p.name.as_str()).collect();
                self.diag(
                    body.file,
                    body.line_at(off),
                    Severity::Error,
                    codes::UNKNOWN_PROPERTY,
                    format!(
                        "the request body has `{k}`, which is not a documented body parameter{hint} (parameters: {})",
                        names.join(", ")
                    ),
                );
            }
        }
    }

    /// The response type: the page's, else the annotation's `@odata.type` (+ `isCollection`).
    fn response_type(page: &ApiPage, resp: &ExampleResponse) -> Option<(TypeRef, bool)> {
        match page.response.as_ref().map(|r| &r.body) {
            Some(ResponseBody::Single(t)) => return Some((t.clone(), false)),
            Some(ResponseBody::Collection(t)) => return Some((t.clone(), true)),
            _ => {}
        }
        let t = resp.annotation.get("@odata.type")?.as_str()?;
        let coll = resp
            .annotation
            .get("isCollection")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let ty = match types::primitive(t.trim_start_matches("Edm.")) {
            Some(p) => TypeRef::Primitive(p),
            None => TypeRef::Named {
                name: t.to_string(),
                link: None,
            },
        };
        Some((ty, coll))
    }

    fn response_body(
        &mut self,
        page: &ApiPage,
        resp: &ExampleResponse,
    ) -> Option<(SkipReason, String)> {
        let file = page.meta.path.as_path();
        let binary = matches!(
            page.response.as_ref().map(|r| &r.body),
            Some(ResponseBody::Binary)
        ) || !(200..300).contains(&resp.status);
        let msg = Message {
            headers: &resp.headers,
            body: &resp.body,
            json: &resp.json,
            line: resp.body_line,
        };
        let v = match self.body_json(file, msg, "response", binary) {
            Err(r) => return Some(r),
            Ok(None) => return None,
            Ok(Some(v)) => v,
        };
        if !(200..300).contains(&resp.status) {
            return None; // an error body: not the documented type
        }
        let Some((ty, collection)) = Self::response_type(page, resp) else {
            return Some((SkipReason::NoResponseType, "response body".into()));
        };
        if matches!(ty, TypeRef::Named { .. }) && self.resolve_ty(&ty).is_none() {
            return Some((SkipReason::UnresolvedType, type_name(&ty)));
        }
        let body = Body {
            file,
            text: resp.body.as_deref().unwrap_or(""),
            line: resp.body_line,
        };
        let tn = type_name(&ty);
        self.bodies += 1;
        if collection {
            match &v {
                Value::Object(m) if m.get("value").is_some_and(Value::is_array) => {
                    let off = child_offset(body.text, 0, Child::Key("value")).unwrap_or(0);
                    let coll = TypeRef::Collection(Box::new(ty));
                    self.value(&body, &m["value"], &coll, off, "response `value`");
                }
                Value::Array(_) => {
                    let coll = TypeRef::Collection(Box::new(ty));
                    self.value(&body, &v, &coll, 0, "response body");
                }
                _ => self.diag(
                    file,
                    body.line,
                    Severity::Error,
                    codes::WRONG_JSON_TYPE,
                    format!("the response is documented as a collection of `{tn}`, but the body has no `value` array"),
                ),
            }
            return None;
        }
        let resource = match self.resolve_ty(&ty) {
            Some(TypeDef::Resource(r)) => Some(&**r),
            _ => None,
        };
        // a single object wrapped in `value`
        if let Value::Object(m) = &v {
            let only_value =
                m.contains_key("value") && m.keys().all(|k| k == "value" || is_annotation(k));
            let type_has_value = match resource {
                Some(r) => self.all_props(r).iter().any(|p| p.name == "value"),
                None => true, // primitives and enums are wrapped in `value` by OData
            };
            if only_value && !type_has_value {
                let inner = &m["value"];
                let off = child_offset(body.text, 0, Child::Key("value")).unwrap_or(0);
                let msg = if inner.is_array() {
                    format!("the response is documented as a single {tn}, but the body is a collection (`value` array); its items are checked as {tn}")
                } else {
                    format!("response body wraps a single {tn} in `value`; the service returns the object itself — decoded anyway")
                };
                self.diag(
                    file,
                    body.line_at(off),
                    Severity::Warning,
                    codes::WRAPPED_IN_VALUE,
                    msg,
                );
                if let Value::Array(items) = inner {
                    for (i, it) in items.iter().enumerate() {
                        let o = child_offset(body.text, off, Child::Index(i)).unwrap_or(off);
                        self.value(&body, it, &ty, o, "response `value` item");
                    }
                } else {
                    self.value(&body, inner, &ty, off, "response `value`");
                }
                return None;
            }
            if resource.is_none() {
                // a primitive / enum result is `{"value": x}`
                if let Some(inner) = m.get("value") {
                    let off = child_offset(body.text, 0, Child::Key("value")).unwrap_or(0);
                    self.value(&body, inner, &ty, off, "response `value`");
                    return None;
                }
            }
        }
        self.value(&body, &v, &ty, 0, "response body");
        None
    }

    // ---------------------------------------------------------------- types

    /// Resolves a type reference; a name that is itself a type (an enum defined on the page
    /// the link points to) wins over the link's page.
    fn resolve_ty(&self, t: &TypeRef) -> Option<&'a TypeDef> {
        match t {
            TypeRef::Collection(i) => self.resolve_ty(i),
            TypeRef::Named { name, .. } => {
                if let Some(d) = self.corpus.resolve(name) {
                    if type_key(d.name()) == type_key(name) {
                        return Some(d);
                    }
                }
                self.corpus.resolve_ref(t)
            }
            _ => None,
        }
    }

    /// Properties and relationships of `r` and its base types.
    fn all_props(&self, r: &'a ResourcePage) -> Vec<&'a Property> {
        let mut out: Vec<&'a Property> = Vec::new();
        let mut seen = BTreeSet::new();
        let mut cur: Option<&'a ResourcePage> = Some(r);
        while let Some(t) = cur {
            if !seen.insert(type_key(&t.name)) || seen.len() > 32 {
                break;
            }
            out.extend(t.properties.iter().chain(&t.relationships));
            cur = t
                .base_type
                .as_deref()
                .and_then(|b| match self.corpus.resolve(b) {
                    Some(TypeDef::Resource(base)) => Some(&**base),
                    _ => None,
                });
        }
        out
    }

    fn is_open(&self, r: &'a ResourcePage) -> bool {
        let mut seen = BTreeSet::new();
        let mut cur = Some(r);
        while let Some(t) = cur {
            if t.open_type {
                return true;
            }
            if !seen.insert(type_key(&t.name)) || seen.len() > 32 {
                break;
            }
            cur = t
                .base_type
                .as_deref()
                .and_then(|b| match self.corpus.resolve(b) {
                    Some(TypeDef::Resource(base)) => Some(&**base),
                    _ => None,
                });
        }
        false
    }

    /// A derived type (transitively) of `r` that has property `k`.
    fn derived_with(&self, r: &ResourcePage, k: &str) -> Option<String> {
        let mut stack: Vec<String> = vec![type_key(&r.name)];
        let mut seen = BTreeSet::new();
        while let Some(key) = stack.pop() {
            if !seen.insert(key.clone()) || seen.len() > 256 {
                continue;
            }
            for d in self.derived.get(&key).into_iter().flatten() {
                if let Some(TypeDef::Resource(dr)) = self.corpus.types.get(d) {
                    if dr
                        .properties
                        .iter()
                        .chain(&dr.relationships)
                        .any(|p| p.name == k)
                    {
                        return Some(dr.name.clone());
                    }
                }
                stack.push(d.clone());
            }
        }
        None
    }

    fn value(&mut self, body: &Body<'_>, v: &Value, ty: &TypeRef, off: usize, what: &str) {
        if v.is_null() {
            return;
        }
        let mismatch = |expected: &str| {
            format!(
                "{what} is `{}` ({expected}), but the example has {} `{}`",
                type_name(ty),
                json_kind(v),
                short(v)
            )
        };
        match ty {
            TypeRef::Unknown(_) => {}
            TypeRef::Primitive(p) => {
                let ok = match p {
                    Primitive::Stream | Primitive::Json => true,
                    Primitive::Boolean => v.is_boolean(),
                    Primitive::Byte
                    | Primitive::SByte
                    | Primitive::Int16
                    | Primitive::Int32
                    | Primitive::Int64 => v.is_number(),
                    Primitive::Single | Primitive::Double | Primitive::Decimal => {
                        v.is_number()
                            || matches!(v.as_str(), Some("NaN" | "INF" | "-INF" | "Infinity"))
                    }
                    Primitive::String
                    | Primitive::Guid
                    | Primitive::Date
                    | Primitive::TimeOfDay
                    | Primitive::DateTimeOffset
                    | Primitive::Duration
                    | Primitive::Binary => v.is_string(),
                };
                if !ok {
                    let expected = match p {
                        Primitive::Boolean => "a JSON boolean",
                        Primitive::Byte
                        | Primitive::SByte
                        | Primitive::Int16
                        | Primitive::Int32
                        | Primitive::Int64
                        | Primitive::Single
                        | Primitive::Double
                        | Primitive::Decimal => "a JSON number",
                        _ => "a JSON string",
                    };
                    let msg = mismatch(expected);
                    self.diag(
                        body.file,
                        body.line_at(off),
                        Severity::Error,
                        codes::WRONG_JSON_TYPE,
                        msg,
                    );
                }
            }
            TypeRef::Collection(inner) => match v {
                Value::Array(items) => {
                    for (i, it) in items.iter().enumerate() {
                        let o = child_offset(body.text, off, Child::Index(i)).unwrap_or(off);
                        self.value(body, it, inner, o, &format!("{what} item {i}"));
                    }
                }
                _ => {
                    let msg = mismatch("a JSON array");
                    self.diag(
                        body.file,
                        body.line_at(off),
                        Severity::Error,
                        codes::WRONG_JSON_TYPE,
                        msg,
                    );
                }
            },
            TypeRef::Named { .. } => match self.resolve_ty(ty) {
                None => {}
                Some(TypeDef::Enum(_)) if !v.is_string() => {
                    let msg = mismatch("an enum, a JSON string");
                    self.diag(
                        body.file,
                        body.line_at(off),
                        Severity::Error,
                        codes::WRONG_JSON_TYPE,
                        msg,
                    );
                }
                Some(TypeDef::Enum(_)) => {}
                Some(TypeDef::Resource(r)) => self.object(body, v, r, off, what),
            },
        }
    }

    fn object(
        &mut self,
        body: &Body<'_>,
        v: &Value,
        declared: &'a ResourcePage,
        off: usize,
        what: &str,
    ) {
        let Value::Object(map) = v else {
            let msg = format!(
                "{what} is `{}` (a JSON object), but the example has {} `{}`",
                declared.name,
                json_kind(v),
                short(v)
            );
            self.diag(
                body.file,
                body.line_at(off),
                Severity::Error,
                codes::WRONG_JSON_TYPE,
                msg,
            );
            return;
        };
        let mut t = declared;
        let odata_type = map.get("@odata.type").and_then(Value::as_str);
        if let Some(ot) = odata_type {
            match self.corpus.resolve(ot.trim_start_matches('#')) {
                Some(TypeDef::Resource(r)) => t = r,
                // a type no page documents: its properties cannot be checked
                _ => return,
            }
        }
        let props = self.all_props(t);
        let open = self.is_open(t);
        let mut missing_type_reported = false;
        for (k, val) in map {
            if is_annotation(k) {
                continue;
            }
            let koff = child_offset(body.text, off, Child::Key(k)).unwrap_or(off);
            if let Some(p) = props.iter().find(|p| p.name == *k) {
                let ty = p.ty.clone();
                self.value(
                    body,
                    val,
                    &ty,
                    koff,
                    &format!("property `{k}` of `{}`", t.name),
                );
                continue;
            }
            if open {
                continue;
            }
            if odata_type.is_none() {
                if let Some(d) = self.derived_with(t, k) {
                    if !missing_type_reported {
                        missing_type_reported = true;
                        self.diag(
                            body.file,
                            body.line_at(koff),
                            Severity::Warning,
                            codes::MISSING_ODATA_TYPE,
                            format!("{what} has `{k}`, a property of the derived type `{d}` but not of `{}`; add `\"@odata.type\": \"#microsoft.graph.{d}\"`", t.name),
                        );
                    }
                    continue;
                }
            }
            let hint = props
                .iter()
                .find(|p| p.name.eq_ignore_ascii_case(k))
                .map(|p| format!(" (did you mean `{}`?)", p.name))
                .unwrap_or_default();
            self.diag(
                body.file,
                body.line_at(koff),
                Severity::Error,
                codes::UNKNOWN_PROPERTY,
                format!("{what}: `{k}` is not a property of `{}`{hint}", t.name),
            );
        }
    }

    // ---------------------------------------------------------------- resources

    fn json_representation(&mut self, r: &'a ResourcePage, counts: &mut ExampleCounts) {
        let Some(block) = &r.json_representation else {
            return;
        };
        let Some(Value::Object(map)) = block.json.as_deref() else {
            return;
        };
        if r.properties_from_json || r.open_type || map.is_empty() {
            return;
        }
        if r.properties.is_empty() && r.relationships.is_empty() {
            return;
        }
        counts.json_representations_checked += 1;
        let file = r.meta.path.as_path();
        let body = Body {
            file,
            text: &block.text,
            line: block.body_line,
        };
        let props = self.all_props(r);
        for k in map.keys() {
            if is_annotation(k) {
                continue;
            }
            if !props.iter().any(|p| p.name == *k) {
                let off = child_offset(&block.text, 0, Child::Key(k)).unwrap_or(0);
                let hint = props
                    .iter()
                    .find(|p| p.name.eq_ignore_ascii_case(k))
                    .map(|p| format!(" (the table has `{}`)", p.name))
                    .unwrap_or_default();
                self.diag(
                    file,
                    body.line_at(off),
                    Severity::Error,
                    codes::JSON_REP_EXTRA,
                    format!("the JSON representation of `{}` has `{k}`, which its properties and relationships tables do not list{hint}", r.name),
                );
            }
        }
        for p in &r.properties {
            if !map.contains_key(&p.name) {
                self.diag(
                    file,
                    p.loc.line,
                    Severity::Error,
                    codes::JSON_REP_MISSING,
                    format!(
                        "property `{}` of `{}` is missing from the JSON representation",
                        p.name, r.name
                    ),
                );
            }
        }
    }

    fn link(&mut self, file: &Path, loc: Loc, t: &TypeRef, counts: &mut ExampleCounts) {
        let TypeRef::Named {
            name,
            link: Some(link),
        } = t
        else {
            if let TypeRef::Collection(i) = t {
                self.link(file, loc, i, counts);
            }
            return;
        };
        let target = link.split(['#', '?']).next().unwrap_or("").trim();
        if target.is_empty()
            || target.contains("://")
            || target.starts_with('/')
            || !target.to_ascii_lowercase().ends_with(".md")
        {
            return;
        }
        counts.links_checked += 1;
        let base = file.parent().unwrap_or(Path::new(""));
        // compared case-insensitively: the docs are published on a case-insensitive site
        let resolved = lower_path(&base.join(target));
        if !self.page_paths.contains(&resolved) {
            self.diag(
                file,
                loc.line,
                Severity::Warning,
                codes::BROKEN_LINK,
                format!("the link of type `{name}` points to `{target}`, which is not a page of the docs folder"),
            );
        }
    }

    fn api_links(&mut self, a: &ApiPage, counts: &mut ExampleCounts) {
        let file = a.meta.path.as_path();
        for p in a
            .body_params
            .iter()
            .chain(&a.query_params)
            .chain(&a.function_params)
        {
            self.link(file, p.loc, &p.ty, counts);
        }
        if let Some(r) = &a.response {
            if let ResponseBody::Single(t) | ResponseBody::Collection(t) = &r.body {
                self.link(file, r.loc, t, counts);
            }
        }
    }

    fn resource_links(&mut self, r: &ResourcePage, counts: &mut ExampleCounts) {
        let file = r.meta.path.as_path();
        for p in r.properties.iter().chain(&r.relationships) {
            self.link(file, p.loc, &p.ty, counts);
        }
    }
}

/// Instance annotations and OData control information: `@odata.type`, `@microsoft.graph.x`,
/// `children@odata.nextLink`, `members@odata.bind`.
fn is_annotation(k: &str) -> bool {
    k.contains('@')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn child_offsets() {
        let t = "{\n  \"a\": {\"b\": 1},\n  \"b\": [ {\"x\": 1}, {\"x\": 2} ]\n}";
        let b = child_offset(t, 0, Child::Key("b")).unwrap();
        assert_eq!(&t[b..b + 3], "\"b\"");
        assert_eq!(t[..b].matches('\n').count(), 2);
        let e1 = child_offset(t, b, Child::Index(1)).unwrap();
        assert_eq!(&t[e1..e1 + 8], "{\"x\": 2}");
        assert_eq!(child_offset(t, 0, Child::Key("zz")), None);
    }
}
