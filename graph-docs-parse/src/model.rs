//! The typed model (IR) of a Microsoft Graph reference page.
//!
//! Everything here is plain data: no markdown, no syntax trees. The codegen crate, the CLI and
//! the example checker all consume these types. Lines and columns are 1-based.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use serde::Serialize;

/// A position in a page: 1-based line and column (columns count characters, not bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct Loc {
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub col: u32,
}

impl Loc {
    /// A location at `line`, column 1.
    pub fn line(line: u32) -> Self {
        Loc { line, col: 1 }
    }
}

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The page (or part of it) cannot be used.
    Error,
    /// Something was read leniently or left out; the page is still usable.
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// A located message about a page, printed rustc-style:
/// `path/to/page.md:41:3: error[GD012]: route line is not METHOD /path`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// The page the message is about.
    pub file: PathBuf,
    /// Where in the page.
    pub loc: Loc,
    /// Error or warning.
    pub severity: Severity,
    /// A stable code, `GD` followed by three digits (see [`crate::codes`]).
    pub code: &'static str,
    /// What is wrong, in words a doc author can act on.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}[{}]: {}",
            self.file.display(),
            self.loc.line,
            self.loc.col,
            self.severity,
            self.code,
            self.message
        )
    }
}

/// One parsed page.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
#[allow(clippy::large_enum_variant)] // one per file, matched on directly by consumers
pub enum Page {
    /// A page that documents an operation (it has an "HTTP request" section or says `apiPageType`).
    Api(ApiPage),
    /// A page that documents a resource type (it has a properties table or says `resourcePageType`).
    ///
    /// Shared (`Arc`) with the corpus type index ([`crate::Corpus::types`]), which points at the
    /// page instead of copying it.
    Resource(Arc<ResourcePage>),
    /// A page that documents an enumeration only.
    Enum(EnumPage),
    /// Anything else (overviews, concept pages); kept so that nothing is silently dropped.
    Other(PageMeta),
}

impl Page {
    /// The page's common metadata.
    pub fn meta(&self) -> &PageMeta {
        match self {
            Page::Api(p) => &p.meta,
            Page::Resource(p) => &p.meta,
            Page::Enum(p) => &p.meta,
            Page::Other(m) => m,
        }
    }
}

/// What every page has: where it came from, its front matter and its title.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PageMeta {
    /// The path the page was read from, as given to the parser.
    pub path: PathBuf,
    /// Every `key: value` of the YAML front matter, quotes removed.
    pub front_matter: crate::FrontMatter,
    /// Front matter `title`.
    pub title: Option<String>,
    /// Front matter `description`.
    pub description: Option<String>,
    /// Front matter `doc_type` (not reliable: pages are classified by content).
    pub doc_type: Option<String>,
    /// The first H1 heading.
    pub h1: Option<String>,
    /// The `Namespace: microsoft.graph` line, if present.
    pub namespace: Option<String>,
    /// The first paragraph after the H1 / namespace line (a one-line summary), if any.
    pub summary: Option<String>,
}

/// An API (operation) page.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ApiPage {
    /// Common metadata.
    pub meta: PageMeta,
    /// The permissions table.
    pub permissions: Permissions,
    /// Every route of the "HTTP request" section, in document order.
    pub routes: Vec<Route>,
    /// OData system query options the page says it supports (`select`, `filter`, ... without `$`).
    pub odata_options: Vec<String>,
    /// Other query parameters documented in a table (e.g. `startDateTime`).
    pub query_params: Vec<Param>,
    /// The parameters of a function call in the route (`delta(token='{token}')`,
    /// `getEmailActivityUserDetail(period='{period_value}')`), from a "Function parameters" or
    /// "Path parameters" table.
    pub function_params: Vec<Param>,
    /// Request headers.
    pub headers: Vec<HeaderParam>,
    /// Request body parameters (for actions) or properties (for create/update).
    pub body_params: Vec<Param>,
    /// What the "Request body" section says when it has no table (e.g. a resource link).
    pub body: RequestBody,
    /// The response, from the "Response" section's sentence.
    pub response: Option<ResponseSpec>,
    /// Worked examples (request/response pairs).
    pub examples: Vec<Example>,
}

/// The three permission rows of a page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Permissions {
    /// Delegated (work or school account).
    pub delegated_work: PermissionState,
    /// Delegated (personal Microsoft account).
    pub delegated_personal: PermissionState,
    /// Application.
    pub application: PermissionState,
    /// Where the table came from.
    pub source: PermissionSource,
}

/// The state of one permission row.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(tag = "state", content = "scopes", rename_all = "snake_case")]
pub enum PermissionState {
    /// Scopes ordered least privileged first, whatever order the page used.
    Scopes(Vec<String>),
    /// The page says "Not supported."
    NotSupported,
    /// Missing, `TODO`, or unreadable.
    #[default]
    Unknown,
}

/// Where a permissions table was read from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(tag = "from", content = "path", rename_all = "snake_case")]
pub enum PermissionSource {
    /// A table in the page itself.
    Inline,
    /// An `[!INCLUDE [permissions-table](...)]` file, resolved relative to the page.
    Include(PathBuf),
    /// No permissions section was found.
    #[default]
    Missing,
}

/// An HTTP method of a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Method {
    /// GET
    Get,
    /// POST
    Post,
    /// PUT
    Put,
    /// PATCH
    Patch,
    /// DELETE
    Delete,
}

impl Method {
    /// The upper-case name (`GET`).
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }

    /// Parses a method name, case-insensitively.
    pub fn parse(s: &str) -> Option<Method> {
        [
            Method::Get,
            Method::Post,
            Method::Put,
            Method::Patch,
            Method::Delete,
        ]
        .into_iter()
        .find(|m| m.as_str().eq_ignore_ascii_case(s))
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One route line: `POST /drives/{drivesId}/root/createUploadSession`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Route {
    /// The method.
    pub method: Method,
    /// The normalised path: leading `/`, no host or version prefix, no trailing `/`, no spaces,
    /// no query string. Placeholders keep their documented names.
    pub path: String,
    /// The path split into segments.
    pub segments: Vec<Segment>,
    /// The query string shown in the route, without `?` (e.g. `startDateTime={start}`).
    pub query: Option<String>,
    /// The line exactly as written in the page.
    pub original: String,
    /// Where the line is.
    pub loc: Loc,
}

impl Route {
    /// The route with every placeholder written `{}`: routes with equal keys are the same
    /// endpoint (`/users/{id}` and `/users/{user-id}`).
    pub fn key(&self) -> String {
        let mut s = String::with_capacity(self.path.len());
        for seg in &self.segments {
            s.push('/');
            seg.write_key(&mut s);
        }
        if s.is_empty() {
            s.push('/');
        }
        s
    }
}

/// One segment of a route path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Segment {
    /// A literal segment (`drives`, `root`, `$value`, `$ref`, `$count`, `createUploadSession`).
    Literal(String),
    /// A key placeholder standing for a whole segment: `{id}`, `{user-id}`,
    /// `{id | userPrincipalName}` (then `names` has both).
    Key {
        /// The placeholder's name(s), as written, without braces.
        names: Vec<String>,
    },
    /// A key in parentheses after a literal: `lists('{list-id}')`, `worksheets({id})`.
    KeyInParens {
        /// The collection name before the parenthesis.
        collection: String,
        /// The placeholder's name(s).
        names: Vec<String>,
        /// Whether the key is written in single quotes.
        quoted: bool,
    },
    /// An OData function or action call with parentheses: `reminderView(startDateTime={s},endDateTime={e})`,
    /// `delta()`, `range(address='{address}')`.
    Function {
        /// The function name.
        name: String,
        /// Its named parameters, in order.
        params: Vec<FunctionParam>,
    },
    /// A type-cast segment: `microsoft.graph.sharedDriveItem` (the full name is kept).
    Cast(String),
    /// A colon path: `root:/{item-path}:` is `Literal("root")` then `ColonPath`.
    /// `parts` are the pieces inside the colons (a placeholder or literal text).
    ColonPath {
        /// The pieces between the colons, e.g. `[Placeholder("item-path")]`.
        parts: Vec<PathPart>,
        /// Whether a closing `:` was written (`root:/{path}:` vs `root:/{path}` at the end).
        closed: bool,
    },
}

impl Segment {
    fn write_key(&self, s: &mut String) {
        match self {
            Segment::Literal(l) => s.push_str(l),
            Segment::Key { .. } => s.push_str("{}"),
            Segment::KeyInParens {
                collection, quoted, ..
            } => {
                s.push_str(collection);
                s.push_str(if *quoted { "('{}')" } else { "({})" });
            }
            Segment::Function { name, params } => {
                s.push_str(name);
                s.push('(');
                for (i, p) in params.iter().enumerate() {
                    if i > 0 {
                        s.push(',');
                    }
                    s.push_str(&p.name);
                    s.push('=');
                    match &p.value {
                        PathPart::Placeholder(_) => s.push_str("{}"),
                        PathPart::Text(t) => s.push_str(t),
                    }
                }
                s.push(')');
            }
            Segment::Cast(c) => s.push_str(c),
            Segment::ColonPath { parts, closed } => {
                s.push_str(":/");
                for p in parts {
                    match p {
                        PathPart::Placeholder(_) => s.push_str("{}"),
                        PathPart::Text(t) => s.push_str(t),
                    }
                }
                if *closed {
                    s.push(':');
                }
            }
        }
    }
}

/// A named parameter of a function segment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FunctionParam {
    /// The parameter name (`startDateTime`).
    pub name: String,
    /// Its value: a placeholder to fill, or literal text (quotes kept, e.g. `'D7'`).
    pub value: PathPart,
    /// Whether the placeholder was written in single quotes (`period='{period}'`).
    pub quoted: bool,
}

/// A piece of a colon path or a function argument.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum PathPart {
    /// `{name}` — filled by the caller.
    Placeholder(String),
    /// Literal text.
    Text(String),
}

/// A documented request header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HeaderParam {
    /// Header name (`Content-Type`).
    pub name: String,
    /// The documented value with notes removed (`application/json`, `Bearer {token}`).
    pub value: String,
    /// The whole cell text (entities decoded, `<br>` as newline).
    pub description: String,
    /// Whether the page says the header is required. `None` when it does not say.
    pub required: Option<bool>,
    /// Where the row is.
    pub loc: Loc,
}

/// A documented parameter: a body parameter, a query parameter or a property.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Param {
    /// The name exactly as in JSON (`deferCommit`, `@microsoft.graph.conflictBehavior`).
    pub name: String,
    /// The type.
    pub ty: TypeRef,
    /// The description cell (entities decoded, `<br>` as newline, markdown kept).
    pub description: String,
    /// Whether the text says the parameter is required.
    pub required: bool,
    /// Where the row is.
    pub loc: Loc,
}

/// What a "Request body" section says when it is not a parameter table.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "type", rename_all = "snake_case")]
pub enum RequestBody {
    /// No section, or "Do not supply a request body".
    #[default]
    None,
    /// "supply a JSON representation of a [user](../resources/user.md) object".
    Resource(TypeRef),
    /// A parameter table (see [`ApiPage::body_params`]).
    Params,
    /// Binary content (e.g. `PUT .../content`: "the contents of the file").
    Binary,
}

/// The response an operation documents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResponseSpec {
    /// The status code (`200`, `201`, `204`).
    pub status: u16,
    /// What the body holds.
    pub body: ResponseBody,
    /// Where the sentence is.
    pub loc: Loc,
}

/// The body of a documented response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "type", rename_all = "snake_case")]
pub enum ResponseBody {
    /// No body (`204 No Content`) or nothing stated.
    None,
    /// One object of a type.
    Single(TypeRef),
    /// "a collection of [user](../resources/user.md) objects".
    Collection(TypeRef),
    /// Binary content (a stream, `$value`, file contents).
    Binary,
}

/// A type as written in a table cell or a sentence.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(tag = "kind", content = "of", rename_all = "snake_case")]
pub enum TypeRef {
    /// A primitive (EDM) type.
    Primitive(Primitive),
    /// A named resource, complex or enum type, resolved later through the corpus' type index.
    Named {
        /// The name as written (`driveItemUploadableProperties`, `microsoft.graph.user`).
        name: String,
        /// The link target as written, if the cell was a link (`../resources/user.md`).
        link: Option<String>,
    },
    /// `x collection`, `Collection(x)`, `[x](x.md) collection`.
    Collection(Box<TypeRef>),
    /// A cell the parser could not read as a type (a diagnostic names it).
    Unknown(String),
}

/// The primitive types of the Graph docs (EDM types).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Primitive {
    /// `String`
    String,
    /// `Boolean`
    Boolean,
    /// `Byte`
    Byte,
    /// `SByte`
    SByte,
    /// `Int16`
    Int16,
    /// `Int32`
    Int32,
    /// `Int64`
    Int64,
    /// `Single`
    Single,
    /// `Double`
    Double,
    /// `Decimal`
    Decimal,
    /// `Guid`
    Guid,
    /// `Date`
    Date,
    /// `TimeOfDay`
    TimeOfDay,
    /// `DateTimeOffset`
    DateTimeOffset,
    /// `Duration`
    Duration,
    /// `Binary`
    Binary,
    /// `Stream`
    Stream,
    /// `Json` / untyped
    Json,
}

/// A worked example: a request and the response the service gave.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Example {
    /// The annotation's `name`, or the heading above the request.
    pub name: Option<String>,
    /// The request block.
    pub request: Option<ExampleRequest>,
    /// The response block.
    pub response: Option<ExampleResponse>,
}

/// An annotation comment's keys and values (`<!-- { "blockType": "request", ... } -->`), read
/// leniently. The comment is checked when the page is parsed; the map is built on first use
/// (through `Deref`: `annotation.get("name")`), so examples whose annotation is never looked at
/// do not pay for it.
#[derive(Clone, Default)]
pub struct Annotation {
    /// Strict JSON (an object), when the example has an annotation.
    json: Option<Box<str>>,
    map: std::sync::OnceLock<BTreeMap<String, serde_json::Value>>,
}

impl Annotation {
    /// An annotation from strict JSON object text (checked by the caller).
    pub(crate) fn from_strict_json(json: Box<str>) -> Annotation {
        Annotation {
            json: Some(json),
            map: std::sync::OnceLock::new(),
        }
    }

    /// An annotation holding `map` (already built).
    pub fn from_map(map: BTreeMap<String, serde_json::Value>) -> Annotation {
        let json = serde_json::to_string(&map).ok().map(String::into_boxed_str);
        let cell = std::sync::OnceLock::new();
        let _ = cell.set(map);
        Annotation { json, map: cell }
    }

    /// The keys and values (built on first call; empty when the example has no annotation).
    pub fn map(&self) -> &BTreeMap<String, serde_json::Value> {
        self.map.get_or_init(|| {
            self.json
                .as_deref()
                .and_then(|j| serde_json::from_str(j).ok())
                .unwrap_or_default()
        })
    }

    /// Whether the example block had an annotation comment.
    pub fn is_present(&self) -> bool {
        self.json.is_some()
    }
}

impl std::ops::Deref for Annotation {
    type Target = BTreeMap<String, serde_json::Value>;
    fn deref(&self) -> &Self::Target {
        self.map()
    }
}

impl fmt::Debug for Annotation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.map(), f)
    }
}

impl PartialEq for Annotation {
    fn eq(&self, other: &Annotation) -> bool {
        self.map() == other.map()
    }
}

impl Serialize for Annotation {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.map().serialize(s)
    }
}

/// An example request block.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExampleRequest {
    /// The annotation comment's JSON keys and values (parsed leniently), if annotated.
    pub annotation: Annotation,
    /// The method.
    pub method: Method,
    /// The URL as written (absolute or relative).
    pub url: String,
    /// The line of the request line (`METHOD URL`).
    pub url_line: u32,
    /// Headers, in order.
    pub headers: Vec<(String, String)>,
    /// The body text, if any.
    pub body: Option<String>,
    /// The body as JSON (leniently: comments, trailing commas, `...`), if it parses; the
    /// value is built on first use.
    pub json: Option<crate::lenient_json::Json>,
    /// Where the block starts (the fence line).
    pub loc: Loc,
    /// The line of the body's first non-blank line (meaningful when `body` is `Some`).
    pub body_line: u32,
}

/// An example response block.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExampleResponse {
    /// The annotation comment's JSON keys and values (parsed leniently), if annotated.
    pub annotation: Annotation,
    /// The status code from the status line.
    pub status: u16,
    /// Headers, in order.
    pub headers: Vec<(String, String)>,
    /// The body text, if any.
    pub body: Option<String>,
    /// The body as JSON (leniently), if it parses; the value is built on first use.
    pub json: Option<crate::lenient_json::Json>,
    /// Where the block starts (the fence line).
    pub loc: Loc,
    /// The line of the body's first non-blank line (meaningful when `body` is `Some`).
    pub body_line: u32,
}

/// A resource (entity or complex type) page.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ResourcePage {
    /// Common metadata.
    pub meta: PageMeta,
    /// The type name (`driveItemUploadableProperties`), from `@odata.type`, the H1 or the file name.
    pub name: String,
    /// The `@odata.type` of the JSON representation / annotation (`microsoft.graph.driveItem`).
    pub odata_type: Option<String>,
    /// The base type, when stated (`baseItem`).
    pub base_type: Option<String>,
    /// The key property, when stated (annotation `keyProperty`).
    pub key_property: Option<String>,
    /// The properties table.
    pub properties: Vec<Property>,
    /// The relationships (navigation properties) table.
    pub relationships: Vec<Property>,
    /// The JSON representation block, as text and parsed leniently.
    pub json_representation: Option<JsonBlock>,
    /// Enumerations defined on the page (tables of members or "Possible values are" lists
    /// promoted to named enums are not included here; see [`Property::enum_values`]).
    pub enums: Vec<Arc<EnumDef>>,
    /// The resource annotation says `"openType": true` (any extra property is allowed).
    pub open_type: bool,
    /// The page states the type has no properties of its own ("None.", "has no properties",
    /// a header-only table, an empty JSON representation): no properties is not an error.
    pub documented_empty: bool,
    /// The properties were not in a table but read from the JSON representation's keys.
    pub properties_from_json: bool,
}

/// One row of a properties or relationships table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Property {
    /// The JSON name.
    pub name: String,
    /// The type.
    pub ty: TypeRef,
    /// The description cell.
    pub description: String,
    /// "Read-only" stated.
    pub read_only: bool,
    /// Nullability when stated (`Some(false)` for "Not nullable").
    pub nullable: Option<bool>,
    /// Values listed as "Possible values are: a, b, c".
    pub enum_values: Vec<String>,
    /// Where the row is.
    pub loc: Loc,
}

/// A JSON block (a resource's JSON representation).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JsonBlock {
    /// The block text.
    pub text: String,
    /// The block as JSON (leniently), if it parses; the value is built on first use.
    pub json: Option<crate::lenient_json::Json>,
    /// Where the fence is.
    pub loc: Loc,
    /// The line of the block's first content line (`text` starts there).
    pub body_line: u32,
}

/// An enum page.
#[derive(Debug, Clone, Default, Serialize)]
pub struct EnumPage {
    /// Common metadata.
    pub meta: PageMeta,
    /// The enums on the page (usually one).
    pub enums: Vec<Arc<EnumDef>>,
}

/// An enumeration type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EnumDef {
    /// The type name (`conflictBehavior`).
    pub name: String,
    /// The members, in order.
    pub members: Vec<EnumMember>,
    /// Where it is defined.
    pub loc: Loc,
}

/// One enum member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EnumMember {
    /// The member name as serialised (`fail`).
    pub name: String,
    /// The numeric value when stated.
    pub value: Option<i64>,
    /// The description.
    pub description: String,
}
