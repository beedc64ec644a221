//! Routes → a tree of path nodes → `Client`, `paths`, `requests`, `operations`.
//!
//! Rules (the contract documented in the README):
//! - Endpoints are keyed by method + [`Route::key`]: routes that differ only in placeholder
//!   names, on one page or several, are one operation (the first page in path order wins; a
//!   disagreement about the response type is a warning).
//! - A literal segment is a method named after it in snake_case; a key placeholder is `by_id`;
//!   a key in parentheses is `<collection>_by_id`; a colon path is `item_by_path`; a type cast
//!   `microsoft.graph.x` is `as_x`; a function call segment is a method with one argument per
//!   placeholder.
//! - A POST-only leaf segment not starting with `$`, and a function call segment that is a leaf
//!   with one operation, are *actions*: one method on the parent returning the request.
//!   Other operations are named after the HTTP method: `get`, `post`, `put`, `patch`, `delete`.
//! - Name collisions within one node resolve by order (BTreeMap order of segment keys): the
//!   first keeps the name, later ones get `_2`, `_3`.

use std::collections::{BTreeMap, BTreeSet};

use graph_docs_parse::{
    ApiPage, Corpus, Diagnostic, Loc, Method, PathPart, PermissionState, RequestBody, ResponseBody,
    Route, Segment, Severity, TypeRef,
};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::models::{first_paragraph, Models};

#[path = "examples.rs"]
mod examples;
use crate::naming::{self, ident, Namer};
use crate::permissions::{least_privileged, PermissionKind};
use crate::{Ctx, Generated, Options};

/// One endpoint: a method on a normalised route, with every documented route line.
struct Endpoint<'c> {
    method: Method,
    segments: Vec<Segment>,
    query: Option<String>,
    routes: Vec<&'c Route>,
    page: &'c ApiPage,
}

#[derive(Default)]
struct Node {
    /// The segment that leads here (None at the root).
    seg: Option<Segment>,
    children: BTreeMap<String, usize>,
    /// Endpoints ending here, by method.
    ops: BTreeMap<Method, usize>,
    parent: Option<usize>,
    /// Rust type name (in `paths`).
    type_name: String,
    /// Set when this node is collapsed into an action method on its parent.
    action: bool,
}

fn seg_key(seg: &Segment) -> String {
    let r = Route {
        method: Method::Get,
        path: String::new(),
        segments: vec![seg.clone()],
        query: None,
        original: String::new(),
        loc: Loc::default(),
    };
    let k = r.key();
    // A colon path at the end or followed by more segments is one node either way.
    k.trim_end_matches(':').to_string()
}

/// Whether a route key (see `Route::key`) lies under a filter prefix such as `/me/drive` or
/// `/users/{id}`: placeholders in the prefix match any placeholder, case is ignored, and the
/// prefix must end at a segment boundary (`/me/drive` does not match `/me/drives`).
pub fn matches_prefix(key: &str, prefix: &str) -> bool {
    // Normalise placeholders in the prefix: `/users/{id}` → `/users/{}`.
    let mut p = String::new();
    let mut depth = 0u32;
    for c in prefix.trim().trim_end_matches('/').chars() {
        match c {
            '{' => {
                depth += 1;
                if depth == 1 {
                    p.push_str("{}");
                }
            }
            '}' => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            _ => p.push(c),
        }
    }
    if !p.starts_with('/') {
        p.insert(0, '/');
    }
    if p == "/" {
        return true;
    }
    let (k, pl) = (key.to_ascii_lowercase(), p.to_ascii_lowercase());
    k.starts_with(&pl)
        && matches!(
            k.as_bytes().get(pl.len()),
            None | Some(b'/') | Some(b':') | Some(b'(')
        )
}

fn node_name_part(seg: &Segment) -> String {
    match seg {
        Segment::Literal(l) => naming::camel(l.trim_start_matches('$')),
        Segment::Key { .. } => "Item".into(),
        Segment::KeyInParens { collection, .. } => format!("{}Item", naming::camel(collection)),
        Segment::Function { name, .. } => naming::camel(name),
        Segment::Cast(c) => format!("As{}", naming::camel(naming::strip_namespace(c))),
        Segment::ColonPath { .. } => "Path".into(),
    }
}

pub(crate) fn generate(
    corpus: &Corpus,
    opts: &Options,
    ctx: &Ctx,
) -> Result<Generated, Vec<Diagnostic>> {
    let rt = &ctx.runtime;
    let mut diags: Vec<Diagnostic> = corpus
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning || opts.skip_invalid)
        .cloned()
        .collect();
    let mut skipped = Vec::new();
    let error_files: BTreeSet<&std::path::Path> = corpus
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.file.as_path())
        .collect();

    // 1. Endpoints.
    let mut endpoints: Vec<Endpoint> = Vec::new();
    let mut by_key: BTreeMap<(String, Method), usize> = BTreeMap::new();
    let mut route_lines = 0usize;
    let mut conflicts = Vec::new();
    for page in corpus.api_pages() {
        if error_files.contains(page.meta.path.as_path()) && opts.skip_invalid {
            for r in &page.routes {
                skipped.push(Diagnostic {
                    file: page.meta.path.clone(),
                    loc: r.loc,
                    severity: Severity::Warning,
                    code: "GD210",
                    message: format!(
                        "route `{} {}` skipped: the page has errors",
                        r.method, r.path
                    ),
                });
            }
            continue;
        }
        for r in &page.routes {
            let key = r.key();
            if r.segments.is_empty() {
                skipped.push(Diagnostic {
                    file: page.meta.path.clone(),
                    loc: r.loc,
                    severity: Severity::Warning,
                    code: "GD211",
                    message: format!(
                        "route `{}` has no path segments; nothing to generate",
                        r.original
                    ),
                });
                continue;
            }
            if !opts.only.is_empty() && !opts.only.iter().any(|p| matches_prefix(&key, p)) {
                continue;
            }
            if opts.exclude.iter().any(|p| matches_prefix(&key, p)) {
                continue;
            }
            route_lines += 1;
            let norm_key = key.trim_end_matches(':').to_string();
            match by_key.get(&(norm_key.clone(), r.method)) {
                Some(&i) => {
                    let e = &mut endpoints[i];
                    if !std::ptr::eq(e.page, page)
                        && (e.page.response != page.response
                            || e.page.body_params != page.body_params
                            || e.page.body != page.body)
                    {
                        // In your own docs this is a mistake to fix; in a large doc set you do
                        // not control (`skip_invalid`), the first page wins with a warning.
                        let d = Diagnostic {
                            file: page.meta.path.clone(),
                            loc: r.loc,
                            severity: if opts.skip_invalid { Severity::Warning } else { Severity::Error },
                            code: "GD220",
                            message: format!(
                                "conflicting operations: `{} {}` is also documented in `{}` with a different request body or response",
                                r.method,
                                r.path,
                                ctx.doc_path(&e.page.meta.path)
                            ),
                        };
                        if opts.skip_invalid {
                            diags.push(d);
                        } else {
                            conflicts.push(d);
                        }
                    }
                    e.routes.push(r);
                }
                None => {
                    by_key.insert((norm_key, r.method), endpoints.len());
                    endpoints.push(Endpoint {
                        method: r.method,
                        segments: r.segments.clone(),
                        query: r.query.clone(),
                        routes: vec![r],
                        page,
                    });
                }
            }
        }
    }

    if !conflicts.is_empty() {
        return Err(conflicts);
    }

    // 2. The tree.
    let mut nodes: Vec<Node> = vec![Node::default()];
    for (ei, e) in endpoints.iter().enumerate() {
        let mut cur = 0usize;
        for seg in &e.segments {
            let k = seg_key(seg);
            cur = match nodes[cur].children.get(&k) {
                Some(&n) => n,
                None => {
                    let n = nodes.len();
                    nodes.push(Node {
                        seg: Some(seg.clone()),
                        parent: Some(cur),
                        ..Default::default()
                    });
                    nodes[cur].children.insert(k, n);
                    n
                }
            };
        }
        if cur == 0 {
            continue;
        }
        nodes[cur].ops.insert(e.method, ei);
    }
    // Actions: collapsed leaves.
    for n in nodes.iter_mut().skip(1) {
        if !n.children.is_empty() || n.ops.len() != 1 {
            continue;
        }
        let (m, _) = n.ops.iter().next().expect("one op");
        n.action = match &n.seg {
            Some(Segment::Literal(l)) => *m == Method::Post && !l.starts_with('$'),
            Some(Segment::Function { .. }) => true,
            _ => false,
        };
    }
    // Type names, in tree order (deterministic).
    let mut type_namer = Namer::with_reserved(["Client"]);
    let mut stack = vec![0usize];
    let mut order = Vec::new();
    while let Some(n) = stack.pop() {
        order.push(n);
        for &c in nodes[n].children.values().rev() {
            stack.push(c);
        }
    }
    for &n in &order {
        if n == 0 {
            continue;
        }
        let parent = nodes[n].parent.expect("non-root");
        let part = node_name_part(nodes[n].seg.as_ref().expect("non-root"));
        let base = if parent == 0 {
            part
        } else {
            format!("{}{}", nodes[parent].type_name, part)
        };
        nodes[n].type_name = type_namer.unique(&base, "");
    }

    // 3. Generate.
    let mut models = Models::new(corpus);
    if opts.all_models {
        models.need_all();
    }
    let mut gen = Gen {
        ctx,
        endpoints: &endpoints,
        models: &mut models,
        op_namer: Namer::with_reserved(["ALL"]),
        op_statics: Vec::new(),
        op_idents: Vec::new(),
        requests: TokenStream::new(),
        request_types: BTreeMap::new(),
        request_namer: Namer::default(),
        diags: &mut diags,
        ops_generated: 0,
        child_names: BTreeMap::new(),
        calls: BTreeMap::new(),
        last_setters: Vec::new(),
    };
    let mut paths = TokenStream::new();
    let mut client_methods = TokenStream::new();
    for &n in &order {
        if nodes[n].action {
            continue;
        }
        let methods = gen.node_methods(&nodes, n);
        if n == 0 {
            client_methods = methods;
            continue;
        }
        let name = format_ident!("{}", nodes[n].type_name);
        let doc = node_doc(&nodes, n, &endpoints);
        paths.extend(quote! {
            #[doc = #doc]
            #[derive(Debug, Clone)]
            pub struct #name(pub #rt::Path);
            impl #name {
                #methods
            }
        });
    }
    let example_tests = if opts.example_tests {
        examples::generate(&endpoints, &nodes, &gen, &mut skipped)
    } else {
        TokenStream::new()
    };
    let models_tokens = models_module(gen.models, ctx, gen.diags);
    let n_models = models_tokens.1;
    let models_tokens = models_tokens.0;
    let ops = gen.op_statics;
    let op_idents = gen.op_idents;
    let requests = gen.requests;
    let n_ops = gen.ops_generated;

    // Least privilege for the whole generated set, per permission kind.
    let lp = |kind: PermissionKind| {
        let r = least_privileged(endpoints.iter().map(|e| {
            (
                format!("{} {}", e.method, e.routes[0].path),
                kind.row(&e.page.permissions) as &PermissionState,
            )
        }));
        let s = r.scopes;
        quote!(&[#(#s),*])
    };
    let lp_work = lp(PermissionKind::DelegatedWork);
    let lp_personal = lp(PermissionKind::DelegatedPersonal);
    let lp_app = lp(PermissionKind::Application);

    let tokens = quote! {
        /// A Microsoft Graph client generated from the docs folder. Wraps the runtime client;
        /// navigation starts here (`client.me()`, `client.drives()`).
        #[derive(Debug, Clone)]
        pub struct Client(pub #rt::Client);

        impl Client {
            /// A client for the global service (`https://graph.microsoft.com/v1.0`) with a static
            /// bearer token.
            pub fn new(token: impl Into<String>) -> Self {
                Client(#rt::Client::new(token))
            }
            /// A builder for the runtime client (base URL, national cloud, retries, ...); wrap
            /// its result with `Client::from`.
            pub fn builder() -> #rt::ClientBuilder {
                #rt::Client::builder()
            }
            /// The runtime client.
            pub fn runtime(&self) -> &#rt::Client {
                &self.0
            }
            /// Every generated operation (routes, doc page, permissions).
            pub fn operations() -> &'static [&'static #rt::Operation] {
                operations::ALL
            }
            /// The smallest set of scopes, least privileged first, that covers every generated
            /// operation for one permission type (operations whose page says "not supported"
            /// or does not say are left out; see `operations()` for them).
            pub fn least_privileged_scopes(kind: #rt::PermissionKind) -> &'static [&'static str] {
                match kind {
                    #rt::PermissionKind::DelegatedWork => #lp_work,
                    #rt::PermissionKind::DelegatedPersonal => #lp_personal,
                    #rt::PermissionKind::Application => #lp_app,
                }
            }
            #client_methods
        }

        impl From<#rt::Client> for Client {
            fn from(c: #rt::Client) -> Self {
                Client(c)
            }
        }

        /// Path nodes: one type per route prefix; methods navigate and start requests.
        #[allow(clippy::all)]
        pub mod paths {
            #paths
        }

        /// Request builders with typed setters, and their JSON body types.
        #[allow(clippy::all)]
        pub mod requests {
            #[allow(unused_imports)]
            use #rt::__private::serde as __serde;
            #requests
        }

        /// Resource and enum types from the docs' resource pages.
        #[allow(clippy::all)]
        pub mod models {
            #models_tokens
        }

        #example_tests

        /// The metadata of every operation: routes, doc page, permissions.
        #[allow(clippy::all)]
        pub mod operations {
            #(#ops)*
            /// Every operation, in route order.
            pub static ALL: &[&#rt::Operation] = &[#(&#op_idents),*];
        }
    };
    Ok(Generated {
        tokens,
        diagnostics: diags,
        operations: n_ops,
        routes: route_lines,
        models: n_models,
        skipped,
    })
}

fn models_module(
    models: &mut Models,
    ctx: &Ctx,
    diags: &mut Vec<Diagnostic>,
) -> (TokenStream, usize) {
    let rt = &ctx.runtime;
    let body = models.generate(ctx, diags);
    let count = body
        .clone()
        .into_iter()
        .filter(|t| matches!(t, proc_macro2::TokenTree::Ident(i) if i == "struct" || i == "enum"))
        .count();
    (
        quote! {
            #[allow(unused_imports)]
            use #rt::__private::serde as __serde;
            #[allow(unused_imports)]
            use #rt::__private::null_as_default as __null_default;
            #body
        },
        count,
    )
}

fn node_doc(nodes: &[Node], n: usize, endpoints: &[Endpoint]) -> String {
    let mut path = String::new();
    let mut cur = n;
    let mut parts = Vec::new();
    while cur != 0 {
        parts.push(seg_key(nodes[cur].seg.as_ref().expect("non-root")));
        cur = nodes[cur].parent.expect("non-root");
    }
    // Each key starts with `/`; a colon path continues the segment before it (`root:/{}`).
    for p in parts.iter().rev() {
        path.push_str(p.strip_prefix("/:").map(|_| &p[1..]).unwrap_or(p));
    }
    let mut doc = format!("`{path}`");
    if let Some((_, &e)) = nodes[n].ops.iter().next() {
        let page = endpoints[e].page;
        if let Some(t) = &page.meta.title {
            doc.push_str(&format!(" — {t}"));
        }
    }
    doc
}

struct Gen<'a, 'c> {
    ctx: &'a Ctx,
    endpoints: &'a [Endpoint<'c>],
    models: &'a mut Models<'c>,
    op_namer: Namer,
    op_statics: Vec<TokenStream>,
    op_idents: Vec<proc_macro2::Ident>,
    requests: TokenStream,
    /// Structural key of a request builder → its type name (identical builders are shared).
    request_types: BTreeMap<String, String>,
    request_namer: Namer,
    diags: &'a mut Vec<Diagnostic>,
    ops_generated: usize,
    /// (node, child node) → the navigation or action method name.
    pub(crate) child_names: BTreeMap<(usize, usize), String>,
    /// endpoint → how its method is called (for example tests).
    pub(crate) calls: BTreeMap<usize, OpCall>,
    /// Setter names of the last request builder made: (JSON name, setter).
    last_setters: Vec<(String, String)>,
}

/// How an operation's method is called: what the example tests need to know.
#[derive(Debug, Clone)]
pub(crate) struct OpCall {
    /// The node whose method it is (the parent, for actions).
    pub(crate) node: usize,
    /// The method name.
    pub(crate) name: String,
    /// The body the method takes.
    pub(crate) body: CallBody,
    /// The route has query placeholders (extra arguments).
    pub(crate) query_args: bool,
    /// The response kind, as seen from a sibling module of `paths`.
    pub(crate) kind: TokenStream,
}

/// The body argument(s) of an operation method.
#[derive(Debug, Clone)]
pub(crate) enum CallBody {
    None,
    /// `post(&body)`, with the model type as seen from a sibling module.
    Resource(TokenStream),
    /// `put(content_type, data)`.
    Binary,
    /// `post(odata_id)`.
    Ref,
    /// A request builder: (JSON name, setter name) per parameter.
    Builder(Vec<(String, String)>),
}

impl<'a, 'c> Gen<'a, 'c> {
    fn node_methods(&mut self, nodes: &[Node], n: usize) -> TokenStream {
        let rt = self.ctx.runtime.clone();
        let mut namer = Namer::with_reserved(["get", "post", "put", "patch", "delete"]);
        let mut out = TokenStream::new();
        let this = if n == 0 {
            quote!(#rt::Path::root(&self.0))
        } else {
            quote!(self.0)
        };
        // Children.
        for &c in nodes[n].children.values() {
            let child = &nodes[c];
            let seg = child.seg.as_ref().expect("child");
            let (base, args, build) = self.nav_parts(seg, &this);
            let name = namer.unique(&base, "_");
            self.child_names.insert((n, c), name.clone());
            let mid = ident(&name);
            if child.action {
                let (&method, &ei) = child.ops.iter().next().expect("action op");
                let m = self.operation(ei, method, &build, &args, &mid, nodes, c);
                out.extend(m);
            } else {
                let ty = format_ident!("{}", child.type_name);
                let doc = format!("Navigates to `{}`.", seg_key(seg));
                let prefix = if n == 0 { quote!(paths::) } else { quote!() };
                out.extend(quote! {
                    #[doc = #doc]
                    pub fn #mid(&self #(, #args)*) -> #prefix #ty {
                        #prefix #ty(#build)
                    }
                });
            }
        }
        // Operations on this node.
        for (&method, &ei) in &nodes[n].ops {
            let name = method.as_str().to_ascii_lowercase();
            let mid = ident(&name);
            let m = self.operation(ei, method, &quote!(#this.clone()), &[], &mid, nodes, n);
            out.extend(m);
        }
        out
    }

    /// Method name, parameters and the expression that builds the child path.
    fn nav_parts(
        &mut self,
        seg: &Segment,
        this: &TokenStream,
    ) -> (String, Vec<TokenStream>, TokenStream) {
        match seg {
            Segment::Literal(l) => {
                let base = naming::snake(l.trim_start_matches('$'));
                (base, vec![], quote!(#this.segment(#l)))
            }
            Segment::Cast(c) => {
                let base = format!("as_{}", naming::snake(naming::strip_namespace(c)));
                (base, vec![], quote!(#this.segment(#c)))
            }
            Segment::Key { .. } => (
                "by_id".into(),
                vec![quote!(id: impl Into<String>)],
                quote!(#this.key(&id.into())),
            ),
            Segment::KeyInParens {
                collection, quoted, ..
            } => (
                format!("{}_by_id", naming::snake(collection)),
                vec![quote!(id: impl Into<String>)],
                quote!(#this.segment(#collection).paren_key(&id.into(), #quoted)),
            ),
            Segment::ColonPath { .. } => (
                "item_by_path".into(),
                vec![quote!(path: impl AsRef<str>)],
                quote!(#this.colon_path(path.as_ref(), false)),
            ),
            Segment::Function { name, params } => {
                let mut args = Vec::new();
                let mut fills = Vec::new();
                let mut arg_namer = Namer::with_reserved(["self"]);
                // Every function parameter is the caller's: routes write them as `{x}`,
                // `'{x}'`, `x-value` or an example value, never as a fixed part of the route.
                for p in params {
                    let pname = &p.name;
                    let quoted =
                        p.quoted || matches!(&p.value, PathPart::Text(t) if t.starts_with('\''));
                    let a = ident(&arg_namer.unique(&naming::snake(&p.name), "_"));
                    args.push(quote!(#a: impl ::std::fmt::Display));
                    fills.push(quote!((#pname, #a.to_string(), #quoted)));
                }
                let build = quote! {{
                    let args: Vec<(&str, String, bool)> = vec![#(#fills),*];
                    let refs: Vec<(&str, &str, bool)> = args.iter().map(|(a, b, c)| (*a, b.as_str(), *c)).collect();
                    #this.function(#name, &refs)
                }};
                (naming::snake(name), args, build)
            }
        }
    }

    /// One operation method.
    #[allow(clippy::too_many_arguments)]
    fn operation(
        &mut self,
        ei: usize,
        method: Method,
        path_expr: &TokenStream,
        nav_args: &[TokenStream],
        mid: &proc_macro2::Ident,
        nodes: &[Node],
        node: usize,
    ) -> TokenStream {
        let rt = self.ctx.runtime.clone();
        let e = &self.endpoints[ei];
        let page = e.page;
        self.ops_generated += 1;
        // Operation static.
        let op_name = match (&nodes[node].action, nodes[node].seg.as_ref()) {
            (true, Some(Segment::Literal(l))) => l.clone(),
            (true, Some(Segment::Function { name, .. })) => name.clone(),
            _ => method.as_str().to_ascii_lowercase(),
        };
        let static_base = format!(
            "{}_{}",
            naming::screaming(nodes[node].static_base()),
            method.as_str()
        );
        let static_name = format_ident!("{}", self.op_namer.unique(&static_base, "_"));
        let routes: Vec<String> = e.routes.iter().map(route_text).collect();
        let doc_file = self.ctx.doc_path(&page.meta.path);
        let perms = perm_tokens(&rt, &page.permissions);
        let method_str = method.as_str();
        self.op_statics.push(quote! {
            #[doc = concat!("`", #method_str, "` — see `", #doc_file, "`.")]
            pub static #static_name: #rt::Operation = #rt::Operation {
                name: #op_name,
                method: #method_str,
                routes: &[#(#routes),*],
                doc: #doc_file,
                permissions: #perms,
            };
        });
        self.op_idents.push(static_name.clone());
        let op_ref = quote!(&super::operations::#static_name);
        let in_client = node_is_root_child(nodes, node) && nodes[node].action || node == 0;
        let sup = if in_client { quote!() } else { quote!(super::) };
        let op_ref = if in_client {
            quote!(&operations::#static_name)
        } else {
            op_ref
        };

        // Response kind.
        let last = e.segments.last();
        let kind = self.response_kind(e, last, &sup);

        // Query pairs shown in the route (`?startDateTime={s}`): placeholders become arguments.
        let mut args: Vec<TokenStream> = nav_args.to_vec();
        let mut query_fill = Vec::new();
        if let Some(q) = &e.query {
            let mut anamer = Namer::with_reserved(["self", "body", "id", "path"]);
            for pair in q.split('&').filter(|p| !p.is_empty()) {
                let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                let v = v.trim();
                if v.starts_with('{') && v.ends_with('}') {
                    let a = ident(&anamer.unique(&naming::snake(k), "_"));
                    args.push(quote!(#a: impl AsRef<str>));
                    query_fill.push(quote!(let req = req.query(#k, #a.as_ref());));
                } else {
                    query_fill.push(quote!(let req = req.query(#k, #v);));
                }
            }
        }

        let doc = op_doc(e, self.ctx, &op_name);
        let body_kind = if matches!(method, Method::Get | Method::Delete) {
            RequestBody::None
        } else if matches!(last, Some(Segment::Literal(l)) if l == "$ref")
            || !page.body_params.is_empty()
        {
            // `$ref` bodies (`@odata.id`) are handled below.
            RequestBody::Params
        } else {
            page.body.clone()
        };
        let is_ref = matches!(last, Some(Segment::Literal(l)) if l == "$ref")
            && matches!(method, Method::Post | Method::Put);

        let call_node = if nodes[node].action {
            nodes[node].parent.expect("action has a parent")
        } else {
            node
        };
        let call_body = if is_ref {
            CallBody::Ref
        } else {
            match &body_kind {
                RequestBody::Params if !page.body_params.is_empty() => {
                    CallBody::Builder(Vec::new())
                }
                RequestBody::Resource(ty) => CallBody::Resource(self.models.rust_type(
                    self.ctx,
                    ty,
                    &quote!(super::models::),
                )),
                RequestBody::Binary => CallBody::Binary,
                _ => CallBody::None,
            }
        };
        let sibling_kind = self.response_kind(e, last, &quote!(super::));
        self.calls.insert(
            ei,
            OpCall {
                node: call_node,
                name: mid.to_string(),
                body: call_body,
                query_args: args.len() > nav_args.len(),
                kind: sibling_kind,
            },
        );
        if is_ref {
            return quote! {
                #[doc = #doc]
                pub fn #mid(&self #(, #args)*, odata_id: impl AsRef<str>) -> #rt::Request<#kind> {
                    let req = #path_expr.request::<#kind>(#op_ref);
                    #(#query_fill)*
                    let mut body = #rt::__private::serde_json::Map::new();
                    body.insert("@odata.id".to_string(), #rt::__private::serde_json::Value::String(odata_id.as_ref().to_string()));
                    req.json(&body)
                }
            };
        }
        match body_kind {
            RequestBody::Params if !page.body_params.is_empty() => {
                let req_ty = self.request_builder(e, &op_name, nodes, node);
                if let Some(call) = self.calls.get_mut(&ei) {
                    call.body = CallBody::Builder(self.last_setters.clone());
                }
                let req_ty = format_ident!("{}", req_ty);
                let rpath = if in_client {
                    quote!(requests::)
                } else {
                    quote!(super::requests::)
                };
                quote! {
                    #[doc = #doc]
                    pub fn #mid(&self #(, #args)*) -> #rpath #req_ty {
                        let req = #path_expr.request::<#kind>(#op_ref);
                        #(#query_fill)*
                        #rpath #req_ty(#rt::ActionRequest::new(req, Default::default()))
                    }
                }
            }
            RequestBody::Resource(ty) => {
                let t = self.models.rust_type(self.ctx, &ty, &quote!(#sup models::));
                quote! {
                    #[doc = #doc]
                    pub fn #mid(&self #(, #args)*, body: &#t) -> #rt::Request<#kind> {
                        let req = #path_expr.request::<#kind>(#op_ref);
                        #(#query_fill)*
                        req.json(body)
                    }
                }
            }
            RequestBody::Binary => quote! {
                #[doc = #doc]
                pub fn #mid(&self #(, #args)*, content_type: &str, data: impl Into<Vec<u8>>) -> #rt::Request<#kind> {
                    let req = #path_expr.request::<#kind>(#op_ref);
                    #(#query_fill)*
                    req.bytes(content_type, data)
                }
            },
            _ => quote! {
                #[doc = #doc]
                pub fn #mid(&self #(, #args)*) -> #rt::Request<#kind> {
                    let req = #path_expr.request::<#kind>(#op_ref);
                    #(#query_fill)*
                    req
                }
            },
        }
    }

    fn response_kind(
        &mut self,
        e: &Endpoint,
        last: Option<&Segment>,
        sup: &TokenStream,
    ) -> TokenStream {
        let rt = self.ctx.runtime.clone();
        let json = quote!(#rt::__private::serde_json::Value);
        if let Some(Segment::Literal(l)) = last {
            if l == "$count" {
                return quote!(#rt::Count);
            }
            if l == "$value" && e.method == Method::Get {
                return quote!(#rt::Binary);
            }
            if l == "content" && e.method == Method::Get {
                return quote!(#rt::Binary);
            }
        }
        let prefix = quote!(#sup models::);
        match e.page.response.as_ref().map(|r| (&r.body, r.status)) {
            Some((ResponseBody::Single(t), _)) => {
                let t = self.models.rust_type(self.ctx, t, &prefix);
                quote!(#rt::Json<#t>)
            }
            Some((ResponseBody::Collection(t), _)) => {
                let inner = match t {
                    TypeRef::Collection(i) => i.as_ref(),
                    other => other,
                };
                let t = self.models.rust_type(self.ctx, inner, &prefix);
                quote!(#rt::Collection<#t>)
            }
            Some((ResponseBody::Binary, _)) => quote!(#rt::Binary),
            Some((ResponseBody::None, _)) => quote!(#rt::NoContent),
            None if e.method == Method::Delete => quote!(#rt::NoContent),
            None => quote!(#rt::Json<#json>),
        }
    }

    /// A request builder with a typed setter per body parameter; identical builders are shared.
    fn request_builder(
        &mut self,
        e: &Endpoint,
        op_name: &str,
        nodes: &[Node],
        node: usize,
    ) -> String {
        let rt = self.ctx.runtime.clone();
        let page = e.page;
        let mut fields = Vec::new();
        let mut setters = Vec::new();
        let mut fnamer = Namer::with_reserved([
            "build",
            "send",
            "into_request",
            "header",
            "query",
            "body",
            "request",
            "upload",
        ]);
        self.last_setters.clear();
        for p in &page.body_params {
            let fname = fnamer.unique(&naming::snake(&p.name), "_");
            self.last_setters.push((p.name.clone(), fname.clone()));
            let fid = ident(&fname);
            let is_coll = matches!(p.ty, TypeRef::Collection(_));
            let ty = self
                .models
                .rust_type(self.ctx, &p.ty, &quote!(super::models::));
            let jname = &p.name;
            let mut doc = first_paragraph(&p.description);
            if doc.is_empty() {
                doc = format!("`{}`", p.name);
            }
            if p.required {
                doc.push_str(" Required.");
            }
            if is_coll {
                fields.push(quote! {
                    #[doc = #doc]
                    #[serde(rename = #jname, skip_serializing_if = "Vec::is_empty")]
                    pub #fid: #ty,
                });
            } else {
                fields.push(quote! {
                    #[doc = #doc]
                    #[serde(rename = #jname, skip_serializing_if = "Option::is_none")]
                    pub #fid: Option<#ty>,
                });
            }
            let set = if is_coll {
                quote!(value)
            } else {
                quote!(Some(value))
            };
            let sdoc = format!("Sets `{}`. {}", p.name, doc);
            setters.push(quote! {
                #[doc = #sdoc]
                pub fn #fid(mut self, value: #ty) -> Self {
                    self.0.body.#fid = #set;
                    self
                }
            });
        }
        // A typed setter per documented header (Authorization and the body headers are set by
        // the runtime).
        for h in &page.headers {
            let lower = h.name.to_ascii_lowercase();
            if matches!(
                lower.as_str(),
                "authorization" | "content-type" | "content-length"
            ) || h.name.is_empty()
                || !h
                    .name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            {
                continue;
            }
            let sid = ident(&fnamer.unique(&naming::snake(&h.name), "_"));
            let hname = &h.name;
            let mut hdoc = format!("Sets the `{}` header", h.name);
            let note = first_paragraph(&h.description);
            if !note.is_empty() {
                hdoc.push_str(&format!(": {note}"));
            } else {
                hdoc.push('.');
            }
            if h.required == Some(true) {
                hdoc.push_str(" Required.");
            }
            setters.push(quote! {
                #[doc = #hdoc]
                pub fn #sid(mut self, value: impl AsRef<str>) -> Self {
                    self.0.request = self.0.request.header(#hname, value);
                    self
                }
            });
        }
        let kind = &self.response_kind(e, e.segments.last(), &quote!(super::));
        let mut key = format!("{op_name}|{kind}");
        for p in &page.body_params {
            key.push_str(&format!("|{}:{:?}", p.name, p.ty));
        }
        for h in &page.headers {
            key.push_str(&format!("|h:{}", h.name));
        }
        if let Some(name) = self.request_types.get(&key) {
            return name.clone();
        }
        let base = if nodes[node].action {
            naming::camel(op_name)
        } else {
            format!("{}{}", nodes[node].type_name, naming::camel(op_name))
        };
        let req_name = self.request_namer.unique(&format!("{base}Request"), "");
        let body_name = format_ident!("{}Body", req_name.trim_end_matches("Request"));
        let req_ident = format_ident!("{}", req_name);
        let kind_in_requests = kind.clone();
        let upload = if op_name.eq_ignore_ascii_case("createUploadSession") {
            // The finished upload answers with the driveItem, when the docs define one.
            let item = match self.models.resolve_named("driveItem", None) {
                crate::models::Resolved::Model(n) => {
                    let id = format_ident!("{}", n);
                    quote!(super::models::#id)
                }
                crate::models::Resolved::Json => quote!(#rt::__private::serde_json::Value),
            };
            quote! {
                /// An upload of a file through this upload session (see
                /// `graph_docs_runtime::upload`): set the slice size, a progress callback or a
                /// small-file request on it, then `upload_file(path)`. The session is created
                /// when the upload starts; slices go to the session's URL without the token.
                pub fn uploader(self) -> #rt::upload::UploadBuilder<#item> {
                    #rt::upload::UploadBuilder::from_action(self.0).decode_as::<#item>()
                }
                /// Creates the session and uploads the file at `path` in 10 MiB slices; returns
                /// the finished item.
                pub async fn upload_file(self, path: impl AsRef<::std::path::Path>) -> Result<#item, #rt::Error> {
                    self.uploader().upload_file(path).await
                }
            }
        } else {
            quote!()
        };
        let doc = format!(
            "Request builder for `{}` (`{}`): one setter per body parameter.",
            op_name,
            self.ctx.doc_path(&page.meta.path)
        );
        let bdoc = format!("The JSON body of `{op_name}`.");
        self.requests.extend(quote! {
            #[doc = #bdoc]
            #[derive(Debug, Clone, Default, PartialEq, __serde::Serialize)]
            #[serde(crate = "__serde")]
            pub struct #body_name {
                #(#fields)*
            }
            #[doc = #doc]
            #[derive(Debug, Clone)]
            pub struct #req_ident(pub #rt::ActionRequest<#body_name, #kind_in_requests>);
            impl #req_ident {
                #(#setters)*
                /// Adds a header (e.g. one the page documents as optional).
                pub fn header(mut self, name: impl AsRef<str>, value: impl AsRef<str>) -> Self {
                    self.0.request = self.0.request.header(name, value);
                    self
                }
                /// Adds a query pair.
                pub fn query(mut self, name: impl Into<String>, value: impl AsRef<str>) -> Self {
                    self.0.request = self.0.request.query(name, value);
                    self
                }
                /// The `http::Request` exactly as it will be sent, except `Authorization` and
                /// `client-request-id` (added at send time).
                pub fn build(&self) -> Result<#rt::__private::http::Request<Vec<u8>>, #rt::Error> {
                    self.0.build()
                }
                /// Sends the request (the runtime's one generic send path; no per-operation
                /// future).
                pub fn send(self) -> impl ::std::future::Future<Output = Result<<#kind_in_requests as #rt::ResponseKind>::Output, #rt::Error>> {
                    self.0.send()
                }
                /// The generic request, with the body serialised into it.
                pub fn into_request(self) -> #rt::Request<#kind_in_requests> {
                    self.0.into_request()
                }
                #upload
            }
        });
        self.request_types.insert(key, req_name.clone());
        req_name
    }
}

impl Node {
    /// The node's type name; the root has none and is called `Root` in static names.
    fn static_base(&self) -> &str {
        if self.type_name.is_empty() {
            "Root"
        } else {
            &self.type_name
        }
    }
}

fn node_is_root_child(nodes: &[Node], n: usize) -> bool {
    nodes[n].parent == Some(0)
}

/// `METHOD /path?query` as documented (placeholder names kept).
fn route_text(r: &&Route) -> String {
    match &r.query {
        Some(q) => format!("{} {}?{}", r.method, r.path, q),
        None => format!("{} {}", r.method, r.path),
    }
}

fn perm_tokens(rt: &TokenStream, p: &graph_docs_parse::Permissions) -> TokenStream {
    let row = |s: &PermissionState| match s {
        PermissionState::Scopes(v) => quote!(#rt::Scopes::AnyOf(&[#(#v),*])),
        PermissionState::NotSupported => quote!(#rt::Scopes::NotSupported),
        PermissionState::Unknown => quote!(#rt::Scopes::Unknown),
    };
    let (w, pe, a) = (
        row(&p.delegated_work),
        row(&p.delegated_personal),
        row(&p.application),
    );
    quote!(#rt::Permissions { delegated_work: #w, delegated_personal: #pe, application: #a })
}

fn perm_text(s: &PermissionState) -> String {
    match s {
        PermissionState::Scopes(v) => v.join(", "),
        PermissionState::NotSupported => "not supported".into(),
        PermissionState::Unknown => "unknown (the page does not say)".into(),
    }
}

fn op_doc(e: &Endpoint, ctx: &Ctx, op_name: &str) -> String {
    let page = e.page;
    let mut d = String::new();
    let title = page
        .meta
        .title
        .as_deref()
        .or(page.meta.h1.as_deref())
        .unwrap_or(op_name);
    d.push_str(title.trim());
    if let Some(s) = page
        .meta
        .summary
        .as_deref()
        .or(page.meta.description.as_deref())
    {
        let s = first_paragraph(s);
        if !s.is_empty() {
            d.push_str(&format!("\n\n{s}"));
        }
    }
    d.push_str("\n\n# Routes\n");
    for r in &e.routes {
        d.push_str(&format!("- `{}`\n", route_text(r)));
    }
    d.push_str("\n# Permissions\n");
    d.push_str(&format!(
        "- Delegated (work or school account): {}\n",
        perm_text(&page.permissions.delegated_work)
    ));
    d.push_str(&format!(
        "- Delegated (personal Microsoft account): {}\n",
        perm_text(&page.permissions.delegated_personal)
    ));
    d.push_str(&format!(
        "- Application: {}\n",
        perm_text(&page.permissions.application)
    ));
    let headers: Vec<_> = page
        .headers
        .iter()
        .filter(|h| !h.name.eq_ignore_ascii_case("authorization"))
        .collect();
    if !headers.is_empty() {
        d.push_str("\n# Headers\n");
        for h in headers {
            let req = match h.required {
                Some(true) => " (required)",
                Some(false) => " (optional)",
                None => "",
            };
            d.push_str(&format!("- `{}: {}`{}\n", h.name, h.value, req));
        }
    }
    if !page.odata_options.is_empty() && e.method == Method::Get {
        d.push_str("\n# Query options\n");
        let opts: Vec<String> = page
            .odata_options
            .iter()
            .map(|o| format!("`${o}`"))
            .collect();
        d.push_str(&opts.join(", "));
        d.push('\n');
    }
    if let Some(r) = &page.response {
        d.push_str(&format!("\n# Response\n`{}`", r.status));
        match &r.body {
            ResponseBody::Single(t) => d.push_str(&format!(" with a `{}`", type_text(t))),
            ResponseBody::Collection(t) => {
                d.push_str(&format!(" with a collection of `{}`", type_text(t)))
            }
            ResponseBody::Binary => d.push_str(" with binary content"),
            ResponseBody::None => {}
        }
        d.push('\n');
    }
    d.push_str(&format!(
        "\nDocumented in `{}`.",
        ctx.doc_path(&page.meta.path)
    ));
    d
}

fn type_text(t: &TypeRef) -> String {
    match t {
        TypeRef::Primitive(p) => format!("{p:?}"),
        TypeRef::Named { name, .. } => name.clone(),
        TypeRef::Collection(i) => format!("{} collection", type_text(i)),
        TypeRef::Unknown(s) => s.clone(),
    }
}

/// Kept for the unit tests of the prefix filter.
#[cfg(test)]
mod tests {
    use super::matches_prefix;

    #[test]
    fn prefix_filter_respects_segment_boundaries() {
        assert!(matches_prefix("/me/drive/root", "/me/drive"));
        assert!(matches_prefix("/me/drive", "/me/drive"));
        assert!(matches_prefix("/me/drive/root:/{}", "/me/drive/root"));
        assert!(!matches_prefix("/me/drives", "/me/drive"));
        assert!(matches_prefix("/users/{}/drive", "/users/{user-id}"));
        assert!(matches_prefix("/users/{}/drive", "users/{id}/"));
        assert!(matches_prefix("/anything", "/"));
    }
}
