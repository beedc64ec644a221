//! A folder of pages: loading (in parallel, deterministic order), the type index and link
//! resolution.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use crate::model::*;
use crate::{codes, parse_page, resource, types};

/// Why a folder could not be loaded at all (individual bad pages are diagnostics instead).
#[derive(Debug)]
pub enum LoadError {
    /// The folder does not exist or is not a directory.
    NotADirectory(PathBuf),
    /// Reading the folder failed.
    Io(PathBuf, std::io::Error),
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoadError::NotADirectory(p) => write!(
                f,
                "docs folder `{}` does not exist or is not a directory",
                p.display()
            ),
            LoadError::Io(p, e) => write!(f, "cannot read `{}`: {e}", p.display()),
        }
    }
}

impl std::error::Error for LoadError {}

/// A named type after merging every page that documents it.
#[derive(Debug, Clone)]
#[allow(clippy::large_enum_variant)] // kept unboxed: consumers match on it directly
pub enum TypeDef {
    /// A resource / complex type: the page itself (shared with [`Corpus::pages`]), or, for a
    /// type documented on several pages, their merge (the first page's data, with the
    /// properties and relationships of the others added).
    Resource(Arc<ResourcePage>),
    /// An enumeration (shared with the page that defines it, or merged likewise).
    Enum(Arc<EnumDef>),
}

impl TypeDef {
    /// The type's name as documented (`driveItem`).
    pub fn name(&self) -> &str {
        match self {
            TypeDef::Resource(r) => &r.name,
            TypeDef::Enum(e) => &e.name,
        }
    }
}

/// Every page below a folder, parsed, with a type index.
#[derive(Debug, Default)]
pub struct Corpus {
    /// The folder that was loaded.
    pub root: PathBuf,
    /// Every page, in path order.
    pub pages: Vec<Page>,
    /// Every diagnostic of every page, plus corpus-level ones (unresolved links).
    pub diagnostics: Vec<Diagnostic>,
    /// Every file read (pages and included permission tables), absolute, sorted.
    pub files: Vec<PathBuf>,
    /// Named types keyed by lower-cased name (`driveitemuploadableproperties`).
    pub types: BTreeMap<String, TypeDef>,
    /// Other spellings of type names (lower-cased `@odata.type`, H1 names, file names) → the
    /// key in [`Corpus::types`].
    pub aliases: BTreeMap<String, String>,
}

/// Counts reported by `graph-docs check --json`.
#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Stats {
    /// Pages read.
    pub pages: usize,
    /// API pages (classified by content).
    pub api_pages: usize,
    /// API pages with at least one route.
    pub api_pages_with_routes: usize,
    /// Resource pages.
    pub resource_pages: usize,
    /// Resource pages with at least one property or relationship.
    pub resource_pages_with_properties: usize,
    /// Resource pages without properties that state they have none (`None.`, an empty
    /// table, an open type, an empty JSON representation).
    pub resource_pages_documented_empty: usize,
    /// Enum pages.
    pub enum_pages: usize,
    /// Pages that are none of the above.
    pub other_pages: usize,
    /// Route lines read.
    pub routes: usize,
    /// Distinct method + route key (placeholder names ignored).
    pub endpoints: usize,
    /// Type cells read (properties, relationships, body and query parameters).
    pub type_cells: usize,
    /// Type cells that could not be read as a type.
    pub type_cells_unknown: usize,
    /// Named type references (in type cells, request bodies and responses).
    pub type_refs: usize,
    /// Named type references that resolve through the type index.
    pub type_refs_resolved: usize,
    /// JSON blocks (example bodies that look like JSON, JSON representations).
    pub json_blocks: usize,
    /// JSON blocks that parse (leniently).
    pub json_blocks_parsed: usize,
    /// Examples (request/response pairs or lone blocks).
    pub examples: usize,
    /// Error diagnostics.
    pub errors: usize,
    /// Warning diagnostics.
    pub warnings: usize,
}

fn collect_md(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), LoadError> {
    let rd = std::fs::read_dir(dir).map_err(|e| LoadError::Io(dir.to_path_buf(), e))?;
    for entry in rd {
        let entry = entry.map_err(|e| LoadError::Io(dir.to_path_buf(), e))?;
        let path = entry.path();
        let ft = match entry.file_type() {
            Ok(t) => t,
            Err(_) => continue,
        };
        if ft.is_dir() || (ft.is_symlink() && path.is_dir()) {
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            collect_md(&path, out)?;
        } else if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("md"))
        {
            out.push(path);
        }
    }
    Ok(())
}

fn read_page(path: &Path) -> (Page, Vec<Diagnostic>) {
    match std::fs::read(path) {
        Ok(bytes) => match std::str::from_utf8(&bytes) {
            Ok(text) => parse_page(path, text),
            Err(e) => {
                let text = String::from_utf8_lossy(&bytes);
                let (page, mut diags) = parse_page(path, &text);
                diags.insert(
                    0,
                    Diagnostic {
                        file: path.to_path_buf(),
                        loc: Loc::line(
                            1 + bytes[..e.valid_up_to()]
                                .iter()
                                .filter(|&&b| b == b'\n')
                                .count() as u32,
                        ),
                        severity: Severity::Warning,
                        code: codes::UNREADABLE,
                        message: "the page is not valid UTF-8; invalid bytes were replaced".into(),
                    },
                );
                (page, diags)
            }
        },
        Err(e) => (
            Page::Other(PageMeta {
                path: path.to_path_buf(),
                ..Default::default()
            }),
            vec![Diagnostic {
                file: path.to_path_buf(),
                loc: Loc::line(1),
                severity: Severity::Error,
                code: codes::UNREADABLE,
                message: format!("cannot read the page: {e}"),
            }],
        ),
    }
}

/// Parses `paths` on up to `threads` threads, keeping the input order.
/// A parsed page with its diagnostics.
type Parsed = (Page, Vec<Diagnostic>);

fn parse_all(paths: &[PathBuf], threads: usize) -> Vec<(Page, Vec<Diagnostic>)> {
    let threads = threads.clamp(1, paths.len().max(1));
    if threads == 1 {
        return paths.iter().map(|p| read_page(p)).collect();
    }
    let next = AtomicUsize::new(0);
    let mut parts: Vec<Vec<(usize, Parsed)>> = Vec::new();
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut local = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(p) = paths.get(i) else { break };
                        local.push((i, read_page(p)));
                    }
                    local
                })
            })
            .collect();
        for h in handles {
            // a panicking page parser: its pages are re-parsed below
            if let Ok(v) = h.join() {
                parts.push(v);
            }
        }
    });
    let mut slots: Vec<Option<(Page, Vec<Diagnostic>)>> = (0..paths.len()).map(|_| None).collect();
    for (i, r) in parts.into_iter().flatten() {
        slots[i] = Some(r);
    }
    slots
        .into_iter()
        .enumerate()
        .map(|(i, s)| s.unwrap_or_else(|| read_page(&paths[i])))
        .collect()
}

fn ends_with_ci(s: &str, suffix: &str) -> bool {
    s.len() >= suffix.len()
        && s.as_bytes()[s.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
}

/// `a.cmp(b)` for paths (component by component, as `Path`'s order), cheaper for paths that
/// share a long prefix (the files of a corpus): the first differing byte is found eight bytes
/// at a time and, when the components from the one holding it on are plain names (no empty,
/// `.` or `..` component), that byte decides, `/` (the end of a component) below every other
/// byte, and a path that ends there below one that goes on: the way `Path` orders plain
/// components. Anything else is left to `Path`.
fn path_cmp(a: &Path, b: &Path) -> std::cmp::Ordering {
    if cfg!(unix) {
        let (x, y) = (
            a.as_os_str().as_encoded_bytes(),
            b.as_os_str().as_encoded_bytes(),
        );
        let d = first_difference(x, y);
        if let Some(sep) = x[..d].iter().rposition(|&c| c == b'/') {
            if plain_tail(x, sep + 1, d) && plain_tail(y, sep + 1, d) {
                let key = |s: &[u8]| match s.get(d) {
                    None => 0u16,
                    Some(b'/') => 1,
                    Some(&c) => u16::from(c) + 2,
                };
                return key(x).cmp(&key(y));
            }
        }
    }
    a.cmp(b)
}

/// The length of the common prefix of `x` and `y`.
fn first_difference(x: &[u8], y: &[u8]) -> usize {
    let n = x.len().min(y.len());
    let mut i = 0;
    while i + 8 <= n {
        let w = |s: &[u8]| u64::from_le_bytes([s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]]);
        let diff = w(&x[i..i + 8]) ^ w(&y[i..i + 8]);
        if diff != 0 {
            return i + (diff.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < n && x[i] == y[i] {
        i += 1;
    }
    i
}

/// Whether the `/`-separated components of `p[from..]` are all plain names (none empty, `.`
/// or `..`), knowing that `p[from..upto]` holds no `/` (the common case, one component, costs a
/// `memchr` over the bytes after `upto`).
fn plain_tail(p: &[u8], from: usize, upto: usize) -> bool {
    let t = &p[from..];
    if memchr::memchr(b'/', &p[upto.min(p.len())..]).is_none() {
        return !matches!(t, b"" | b"." | b"..");
    }
    t.split(|&c| c == b'/')
        .all(|c| !matches!(c, b"" | b"." | b".."))
}

fn key_of(name: &str) -> String {
    let n = name.trim().trim_start_matches('#');
    let n = types::strip_prefix_ci(n, "microsoft.graph.").unwrap_or(n);
    n.to_ascii_lowercase()
}

impl Corpus {
    /// Reads and parses every `.md` file below `dir` (in parallel; the result does not depend
    /// on thread scheduling).
    pub fn load(dir: &Path) -> Result<Corpus, LoadError> {
        let threads = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1);
        Self::load_with_threads(dir, threads)
    }

    /// [`Corpus::load`] with an explicit thread count (1 = sequential).
    pub fn load_with_threads(dir: &Path, threads: usize) -> Result<Corpus, LoadError> {
        if !dir.is_dir() {
            return Err(LoadError::NotADirectory(dir.to_path_buf()));
        }
        let mut paths = Vec::new();
        collect_md(dir, &mut paths)?;
        paths.sort();
        let parsed = parse_all(&paths, threads);
        let mut pages = Vec::with_capacity(parsed.len());
        let mut diagnostics = Vec::new();
        for (p, d) in parsed {
            pages.push(p);
            diagnostics.extend(d);
        }
        Ok(Self::from_pages(dir, pages, diagnostics))
    }

    /// Builds a corpus from already parsed pages: the type index, the list of files and the
    /// link-resolution diagnostics.
    pub fn from_pages(root: &Path, pages: Vec<Page>, mut diagnostics: Vec<Diagnostic>) -> Corpus {
        let abs_root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        let mut files: Vec<PathBuf> = Vec::with_capacity(pages.len());
        let root_bytes = root.as_os_str().as_encoded_bytes();
        for p in &pages {
            let path = &p.meta().path;
            // (the common case, `root/rel`, by bytes: `Path::strip_prefix` walks components)
            let fast = path
                .as_os_str()
                .as_encoded_bytes()
                .strip_prefix(root_bytes)
                .and_then(|rest| rest.strip_prefix(b"/"))
                .and_then(|rel| std::str::from_utf8(rel).ok())
                .filter(|rel| {
                    !rel.starts_with('/')
                        && !rel
                            .split('/')
                            .any(|c| c == "." || c == ".." || c.is_empty())
                });
            let abs = match fast {
                // (`abs_root.join(rel)`, allocated once at its final size)
                Some(rel) => {
                    let mut abs =
                        PathBuf::with_capacity(abs_root.as_os_str().len() + 1 + rel.len());
                    abs.push(&abs_root);
                    abs.push(rel);
                    abs
                }
                None => match path.strip_prefix(root) {
                    Ok(rel) => abs_root.join(rel),
                    Err(_) => std::fs::canonicalize(path).unwrap_or_else(|_| path.clone()),
                },
            };
            files.push(abs);
            if let Page::Api(a) = p {
                if let PermissionSource::Include(inc) = &a.permissions.source {
                    files.push(std::fs::canonicalize(inc).unwrap_or_else(|_| inc.clone()));
                }
            }
        }
        // pages usually come in path order: sort (and drop duplicates) only when needed
        if !files.windows(2).all(|w| path_cmp(&w[0], &w[1]).is_lt()) {
            files.sort_unstable_by(|a, b| path_cmp(a, b));
            files.dedup();
        }
        let mut c = Corpus {
            root: root.to_path_buf(),
            pages,
            diagnostics: Vec::new(),
            files,
            types: BTreeMap::new(),
            aliases: BTreeMap::new(),
        };
        c.build_index();
        c.check_refs(&mut diagnostics);
        c.diagnostics = diagnostics;
        c
    }

    fn add_alias(&mut self, alias: &str, key: &str) {
        let a = key_of(alias);
        if !a.is_empty() && a != key && !self.types.contains_key(&a) {
            self.aliases.entry(a).or_insert_with(|| key.to_string());
        }
    }

    fn build_index(&mut self) {
        let mut aliases: Vec<(String, String)> = Vec::new();
        let mut types: BTreeMap<String, TypeDef> = BTreeMap::new();
        let mut enum_defs: Vec<Arc<EnumDef>> = Vec::new();
        for p in &self.pages {
            match p {
                Page::Resource(r) => {
                    let key = key_of(&r.name);
                    if key.is_empty() {
                        continue;
                    }
                    match types.get_mut(&key) {
                        Some(TypeDef::Resource(existing)) => {
                            merge_resource(Arc::make_mut(existing), r)
                        }
                        Some(TypeDef::Enum(_)) => {}
                        None => {
                            types.insert(key.clone(), TypeDef::Resource(Arc::clone(r)));
                        }
                    }
                    if let Some(t) = &r.odata_type {
                        aliases.push((t.clone(), key.clone()));
                    }
                    if let Some(n) = r.meta.h1.as_deref().and_then(resource::name_from_title) {
                        aliases.push((n, key.clone()));
                    }
                    if let Some(stem) = r.meta.path.file_stem() {
                        aliases.push((stem.to_string_lossy().into_owned(), key.clone()));
                    }
                    enum_defs.extend(r.enums.iter().cloned());
                }
                Page::Enum(e) => {
                    enum_defs.extend(e.enums.iter().cloned());
                    // `microsoft.graph.callRecords` enums are referenced as `callRecords.x`
                    if let Some(ns) = e.meta.namespace.as_deref() {
                        let ns = ns.trim();
                        let short = types::strip_prefix_ci(ns, "microsoft.graph.").unwrap_or(ns);
                        if !short.eq_ignore_ascii_case("microsoft.graph") {
                            for en in &e.enums {
                                aliases.push((format!("{short}.{}", en.name), key_of(&en.name)));
                            }
                        }
                    }
                    if let (Some(stem), [only]) = (e.meta.path.file_stem(), e.enums.as_slice()) {
                        aliases.push((stem.to_string_lossy().into_owned(), key_of(&only.name)));
                    }
                }
                _ => {}
            }
        }
        for e in enum_defs {
            let key = key_of(&e.name);
            match types.get_mut(&key) {
                Some(TypeDef::Enum(existing)) => {
                    for m in &e.members {
                        if !existing.members.iter().any(|x| x.name == m.name) {
                            Arc::make_mut(existing).members.push(m.clone());
                        }
                    }
                }
                Some(TypeDef::Resource(_)) => {}
                None => {
                    types.insert(key, TypeDef::Enum(e));
                }
            }
        }
        self.types = types;
        for (a, k) in aliases {
            if self.types.contains_key(&k) {
                self.add_alias(&a, &k);
            }
        }
    }

    /// Looks a type name up (case-insensitively; `microsoft.graph.` prefixes and link file names accepted).
    pub fn resolve(&self, name: &str) -> Option<&TypeDef> {
        resolve_with(name, |k| {
            self.types
                .get(k)
                .or_else(|| self.aliases.get(k).and_then(|c| self.types.get(c)))
        })
    }

    /// Resolves a type reference (collections are unwrapped; the link's file name is tried
    /// first, then its anchor, then the written name). `None` for primitives and unknowns.
    pub fn resolve_ref(&self, t: &TypeRef) -> Option<&TypeDef> {
        let resolve = |n: &str| self.resolve(n);
        resolve_ref_with(t, &mut |l| page_link_type(l, &resolve), &resolve)
    }

    /// Every named type reference of the corpus with its page and location.
    fn named_refs(&self) -> Vec<(&Path, Loc, &TypeRef)> {
        fn named(t: &TypeRef) -> Option<&TypeRef> {
            match t {
                TypeRef::Collection(i) => named(i),
                TypeRef::Named { .. } => Some(t),
                _ => None,
            }
        }
        let mut out = Vec::new();
        for p in &self.pages {
            let path = p.meta().path.as_path();
            match p {
                Page::Api(a) => {
                    for prm in a
                        .body_params
                        .iter()
                        .chain(&a.query_params)
                        .chain(&a.function_params)
                    {
                        if let Some(t) = named(&prm.ty) {
                            out.push((path, prm.loc, t));
                        }
                    }
                    if let RequestBody::Resource(t) = &a.body {
                        if let Some(t) = named(t) {
                            out.push((path, Loc::line(1), t));
                        }
                    }
                    if let Some(r) = &a.response {
                        if let ResponseBody::Single(t) | ResponseBody::Collection(t) = &r.body {
                            if let Some(t) = named(t) {
                                out.push((path, r.loc, t));
                            }
                        }
                    }
                }
                Page::Resource(r) => {
                    for prop in r.properties.iter().chain(&r.relationships) {
                        if let Some(t) = named(&prop.ty) {
                            out.push((path, prop.loc, t));
                        }
                    }
                }
                _ => {}
            }
        }
        out
    }

    fn check_refs(&self, diagnostics: &mut Vec<Diagnostic>) {
        // (every reference of the corpus is looked up: in one hash map of the type keys and
        // aliases, built once, rather than in the two ordered maps)
        let index = KeyIndex::new(self);
        let resolve = |n: &str| resolve_with(n, |k| index.find(k));
        // (the same links come back again and again: each is resolved once)
        let mut by_link: std::collections::HashMap<&str, Option<&TypeDef>, FxBuild> =
            Default::default();
        let mut page_link = |l| {
            *by_link
                .entry(l)
                .or_insert_with(|| page_link_type(l, &resolve))
        };
        for (path, loc, t) in self.named_refs() {
            if resolve_ref_with(t, &mut page_link, &resolve).is_none() {
                let TypeRef::Named { name, link } = t else {
                    continue;
                };
                let via = link
                    .as_deref()
                    .map(|l| format!(" (link `{l}`)"))
                    .unwrap_or_default();
                diagnostics.push(Diagnostic {
                    file: path.to_path_buf(),
                    loc,
                    severity: Severity::Warning,
                    code: codes::UNRESOLVED_TYPE,
                    message: format!("type `{name}`{via} is documented by no page of the corpus (no resource page, `@odata.type`, title or enum section with that name)"),
                });
            }
        }
    }

    /// The API pages.
    pub fn api_pages(&self) -> impl Iterator<Item = &ApiPage> {
        self.pages.iter().filter_map(|p| match p {
            Page::Api(a) => Some(a),
            _ => None,
        })
    }

    /// The resource pages.
    pub fn resource_pages(&self) -> impl Iterator<Item = &ResourcePage> {
        self.pages.iter().filter_map(|p| match p {
            Page::Resource(r) => Some(&**r),
            _ => None,
        })
    }

    /// The enum pages.
    pub fn enum_pages(&self) -> impl Iterator<Item = &EnumPage> {
        self.pages.iter().filter_map(|p| match p {
            Page::Enum(e) => Some(e),
            _ => None,
        })
    }

    /// Every route with its page, in page order.
    pub fn routes(&self) -> impl Iterator<Item = (&ApiPage, &Route)> {
        self.api_pages()
            .flat_map(|a| a.routes.iter().map(move |r| (a, r)))
    }

    /// Distinct endpoints (method + [`Route::key`]) with the first route and page documenting
    /// each, sorted by key then method.
    pub fn endpoints(&self) -> BTreeMap<(String, Method), (&ApiPage, &Route)> {
        let mut m = BTreeMap::new();
        for (a, r) in self.routes() {
            m.entry((r.key(), r.method)).or_insert((a, r));
        }
        m
    }

    /// Number of error diagnostics.
    pub fn error_count(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    /// The counts of `graph-docs check --json`.
    pub fn stats(&self) -> Stats {
        let mut s = Stats {
            pages: self.pages.len(),
            ..Default::default()
        };
        let count_ty = |s: &mut Stats, t: &TypeRef| {
            s.type_cells += 1;
            if matches!(t, TypeRef::Unknown(_)) {
                s.type_cells_unknown += 1;
            }
        };
        let json = |s: &mut Stats,
                    headers: &[(String, String)],
                    body: &Option<String>,
                    v: &Option<crate::lenient_json::Json>| {
            if crate::examples::is_json_body(headers, body) {
                s.json_blocks += 1;
                if v.is_some() {
                    s.json_blocks_parsed += 1;
                }
            }
        };
        for p in &self.pages {
            match p {
                Page::Api(a) => {
                    s.api_pages += 1;
                    if !a.routes.is_empty() {
                        s.api_pages_with_routes += 1;
                    }
                    s.routes += a.routes.len();
                    for prm in a
                        .body_params
                        .iter()
                        .chain(&a.query_params)
                        .chain(&a.function_params)
                    {
                        count_ty(&mut s, &prm.ty);
                    }
                    s.examples += a.examples.len();
                    for e in &a.examples {
                        if let Some(r) = &e.request {
                            json(&mut s, &r.headers, &r.body, &r.json);
                        }
                        if let Some(r) = &e.response {
                            json(&mut s, &r.headers, &r.body, &r.json);
                        }
                    }
                }
                Page::Resource(r) => {
                    s.resource_pages += 1;
                    if !r.properties.is_empty() || !r.relationships.is_empty() {
                        s.resource_pages_with_properties += 1;
                    } else if r.documented_empty {
                        s.resource_pages_documented_empty += 1;
                    }
                    for prop in r.properties.iter().chain(&r.relationships) {
                        count_ty(&mut s, &prop.ty);
                    }
                    if let Some(j) = &r.json_representation {
                        s.json_blocks += 1;
                        if j.json.is_some() {
                            s.json_blocks_parsed += 1;
                        }
                    }
                }
                Page::Enum(_) => s.enum_pages += 1,
                Page::Other(_) => s.other_pages += 1,
            }
        }
        s.endpoints = self.endpoints().len();
        for (_, _, t) in self.named_refs() {
            s.type_refs += 1;
            if self.resolve_ref(t).is_some() {
                s.type_refs_resolved += 1;
            }
        }
        s.errors = self.error_count();
        s.warnings = self.diagnostics.len() - s.errors;
        s
    }
}

/// [`Corpus::resolve`], looking keys up with `find` (a key of [`Corpus::types`], else an
/// alias of one).
fn resolve_with<'c>(name: &str, find: impl Fn(&str) -> Option<&'c TypeDef>) -> Option<&'c TypeDef> {
    let mut n = name.trim();
    if memchr::memchr(b'/', n.as_bytes()).is_some() || ends_with_ci(n, ".md") {
        n = types::link_stem(n);
    }
    // (looked up on the stack: resolving allocates nothing)
    let n = n.trim().trim_start_matches('#');
    let k = types::Lower::new(types::strip_prefix_ci(n, "microsoft.graph.").unwrap_or(n));
    // `callRecords.clientPlatform`: the sub-namespace's own name as a fallback
    find(&k).or_else(|| k.rsplit_once('.').and_then(|(_, last)| find(last)))
}

/// [`Corpus::resolve_ref`], resolving names with `resolve` and links with `page_link` (which
/// is [`page_link_type`], possibly remembered).
fn resolve_ref_with<'t, 'c>(
    t: &'t TypeRef,
    page_link: &mut dyn FnMut(&'t str) -> Option<&'c TypeDef>,
    resolve: &dyn Fn(&str) -> Option<&'c TypeDef>,
) -> Option<&'c TypeDef> {
    match t {
        TypeRef::Collection(inner) => resolve_ref_with(inner, page_link, resolve),
        TypeRef::Named { name, link } => {
            if let Some(l) = link {
                if let Some(d) = page_link(l) {
                    return Some(d);
                }
                if let Some((_, anchor)) = l.split_once('#') {
                    if let Some(d) = resolve(anchor) {
                        return Some(d);
                    }
                }
            }
            resolve(name)
        }
        _ => None,
    }
}

/// The type a link to a page names (its file name, resolved), if it is a link to a page.
fn page_link_type<'c>(
    l: &str,
    resolve: &dyn Fn(&str) -> Option<&'c TypeDef>,
) -> Option<&'c TypeDef> {
    if types::is_page_link(l) {
        resolve(types::link_stem(l))
    } else {
        None
    }
}

/// The keys of [`Corpus::types`] and [`Corpus::aliases`] in one hash map: what a key finds
/// through either (an alias whose type is missing finds nothing, as in [`Corpus::resolve`]).
struct KeyIndex<'c> {
    map: std::collections::HashMap<&'c str, Option<&'c TypeDef>, FxBuild>,
}

/// FxHash (the hash of rustc's own tables, from `rustc-hash`): cheap for the short keys of a
/// [`KeyIndex`], which come from the corpus.
type FxBuild = rustc_hash::FxBuildHasher;

impl<'c> KeyIndex<'c> {
    fn new(c: &'c Corpus) -> Self {
        let mut map = std::collections::HashMap::with_capacity_and_hasher(
            c.types.len() + c.aliases.len(),
            Default::default(),
        );
        for (k, t) in &c.types {
            map.insert(k.as_str(), Some(t));
        }
        for (a, k) in &c.aliases {
            // (a type of the same name comes first, as in `resolve`)
            map.entry(a.as_str()).or_insert_with(|| c.types.get(k));
        }
        KeyIndex { map }
    }

    fn find(&self, k: &str) -> Option<&'c TypeDef> {
        self.map.get(k).copied().flatten()
    }
}

fn merge_resource(into: &mut ResourcePage, other: &ResourcePage) {
    for p in &other.properties {
        if !into.properties.iter().any(|x| x.name == p.name) {
            into.properties.push(p.clone());
        }
    }
    for p in &other.relationships {
        if !into.relationships.iter().any(|x| x.name == p.name) {
            into.relationships.push(p.clone());
        }
    }
    if into.odata_type.is_none() {
        into.odata_type = other.odata_type.clone();
    }
    if into.base_type.is_none() {
        into.base_type = other.base_type.clone();
    }
    if into.key_property.is_none() {
        into.key_property = other.key_property.clone();
    }
    if into.json_representation.is_none() {
        into.json_representation = other.json_representation.clone();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_compare_like_path() {
        const PIECES: &[&str] = &[
            "/", "//", "a", "b", "-", ".", "..", "./", "/.", "é", "x.md", "\0",
        ];
        let mut rng = fastrand::Rng::with_seed(17);
        let sample = |rng: &mut fastrand::Rng| -> String {
            (0..rng.usize(0..8))
                .map(|_| PIECES[rng.usize(..PIECES.len())])
                .collect()
        };
        for _ in 0..50_000 {
            let shared = sample(&mut rng);
            let a = PathBuf::from(format!("{shared}{}", sample(&mut rng)));
            let b = PathBuf::from(format!("{shared}{}", sample(&mut rng)));
            assert_eq!(path_cmp(&a, &b), a.cmp(&b), "{a:?} {b:?}");
            assert_eq!(path_cmp(&b, &a), b.cmp(&a), "{a:?} {b:?}");
            assert_eq!(path_cmp(&a, &a), std::cmp::Ordering::Equal);
        }
    }
}
