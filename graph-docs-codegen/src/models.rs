//! Resource and enum pages → serde model types (the `models` module).

use std::collections::{BTreeMap, BTreeSet};

use graph_docs_parse::{
    Corpus, Diagnostic, EnumDef, Loc, Primitive, Property, Severity, TypeDef, TypeRef,
};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::naming::{self, ident, Namer};
use crate::Ctx;

/// Names that generated models must not take, because generated code names them unqualified.
const RESERVED_TYPE_NAMES: &[&str] = &[
    "Option",
    "Some",
    "None",
    "Vec",
    "String",
    "Box",
    "Result",
    "Ok",
    "Err",
    "Default",
    "Clone",
    "Debug",
    "PartialEq",
    "Eq",
    "Hash",
    "From",
    "Into",
    "Serialize",
    "Deserialize",
    "Map",
    "Value",
];

/// How a model is referenced from a field or an operation.
#[derive(Debug, Clone)]
pub(crate) enum Resolved {
    /// A generated struct or enum, by its Rust name.
    Model(String),
    /// Not documented: `serde_json::Value`.
    Json,
}

/// The model registry: which types exist, their Rust names, which are needed.
pub(crate) struct Models<'c> {
    corpus: &'c Corpus,
    /// lower-cased doc name → Rust name, for every type in the corpus.
    names: BTreeMap<String, String>,
    /// lower-cased doc names of the types that must be generated.
    needed: BTreeSet<String>,
    /// Address of a corpus type definition → its key (to map `Corpus::resolve` answers back).
    by_addr: std::collections::HashMap<usize, String>,
}

/// The lookup key of a type name: lower case, namespace stripped.
pub(crate) fn type_key(name: &str) -> String {
    naming::strip_namespace(name.trim()).to_ascii_lowercase()
}

impl<'c> Models<'c> {
    pub(crate) fn new(corpus: &'c Corpus) -> Self {
        let mut namer = Namer::with_reserved(RESERVED_TYPE_NAMES.iter().copied());
        let mut names = BTreeMap::new();
        for (key, def) in &corpus.types {
            let doc_name = match def {
                TypeDef::Resource(r) => r.name.as_str(),
                TypeDef::Enum(e) => e.name.as_str(),
            };
            let rust = namer.unique(&naming::camel(naming::strip_namespace(doc_name)), "");
            names.insert(key.clone(), rust);
        }
        let by_addr = corpus
            .types
            .iter()
            .map(|(k, d)| (d as *const TypeDef as usize, k.clone()))
            .collect();
        Models {
            corpus,
            names,
            needed: BTreeSet::new(),
            by_addr,
        }
    }

    /// Finds the corpus key of a named type: by name, namespace-stripped name, or link file stem.
    fn lookup(&self, name: &str, link: Option<&str>) -> Option<String> {
        let candidates = [
            Some(name.trim().to_ascii_lowercase()),
            Some(type_key(name)),
            link.and_then(|l| {
                let file = l.rsplit('/').next()?;
                let stem = file.split(['.', '#', '?']).next()?;
                Some(stem.to_ascii_lowercase())
            }),
        ];
        for c in candidates.into_iter().flatten() {
            if self.names.contains_key(&c) {
                return Some(c);
            }
            // The corpus resolves aliases (titles, @odata.type) to a canonical entry.
            if let Some(def) = self.corpus.resolve(&c) {
                if let Some(k) = self.by_addr.get(&(def as *const TypeDef as usize)) {
                    return Some(k.clone());
                }
            }
        }
        None
    }

    /// Resolves a named type and marks it needed.
    pub(crate) fn resolve_named(&mut self, name: &str, link: Option<&str>) -> Resolved {
        match self.lookup(name, link) {
            Some(key) => {
                self.needed.insert(key.clone());
                Resolved::Model(self.names[&key].clone())
            }
            None => Resolved::Json,
        }
    }

    /// Marks every type of the corpus needed (no filter).
    pub(crate) fn need_all(&mut self) {
        self.needed.extend(self.names.keys().cloned());
    }

    /// The Rust type of a doc type, as seen from inside the `models` module (`prefix` is empty)
    /// or from outside (`prefix` = `models::`). Marks named types needed.
    pub(crate) fn rust_type(
        &mut self,
        ctx: &Ctx,
        ty: &TypeRef,
        prefix: &TokenStream,
    ) -> TokenStream {
        let rt = &ctx.runtime;
        match ty {
            TypeRef::Primitive(p) => primitive(rt, *p),
            TypeRef::Named { name, link } => match self.resolve_named(name, link.as_deref()) {
                Resolved::Model(n) => {
                    let id = format_ident!("{}", n);
                    quote!(#prefix #id)
                }
                Resolved::Json => quote!(#rt::__private::serde_json::Value),
            },
            TypeRef::Collection(inner) => {
                let inner = self.rust_type(ctx, inner, prefix);
                quote!(Vec<#inner>)
            }
            TypeRef::Unknown(_) => quote!(#rt::__private::serde_json::Value),
        }
    }

    /// Generates every needed model (after the operations have marked what they use). Closes the
    /// needed set over field types first.
    pub(crate) fn generate(&mut self, ctx: &Ctx, diags: &mut Vec<Diagnostic>) -> TokenStream {
        // Close over field types (base types are flattened into their derived types). A value
        // of a derived type in a field typed with its base keeps its extra members in
        // `additional_properties`; `all_models` generates every type.
        let mut queue: Vec<String> = self.needed.iter().cloned().collect();
        while let Some(key) = queue.pop() {
            let Some(TypeDef::Resource(r)) = self.corpus.types.get(&key) else {
                continue;
            };
            let mut refs = Vec::new();
            for p in self.all_properties(r) {
                collect_named(&p.ty, &mut refs);
            }
            for (name, link) in refs {
                if let Some(k) = self.lookup(&name, link.as_deref()) {
                    if self.needed.insert(k.clone()) {
                        queue.push(k);
                    }
                }
            }
        }

        // Which single-valued struct fields need a Box (they close a cycle).
        let boxed = self.cyclic_edges();

        let mut out = TokenStream::new();
        let needed: Vec<String> = self.needed.iter().cloned().collect();
        for key in needed {
            let Some(def) = self.corpus.types.get(&key) else {
                continue;
            };
            let rust = self.names[&key].clone();
            match def {
                TypeDef::Resource(r) => {
                    let props = self.all_properties(r);
                    let t = self.gen_struct(ctx, &rust, r, &props, &boxed, diags);
                    out.extend(t);
                }
                TypeDef::Enum(e) => out.extend(gen_enum(
                    &rust,
                    e,
                    &ctx.doc_path(&e_path(self.corpus, &key)),
                )),
            }
        }
        out
    }

    /// Properties of a resource including its base types' (base first), relationships included,
    /// deduplicated by JSON name.
    fn all_properties(&self, r: &'c graph_docs_parse::ResourcePage) -> Vec<&'c Property> {
        let mut chain = vec![r];
        let mut seen = BTreeSet::new();
        seen.insert(type_key(&r.name));
        let mut cur = r;
        while let Some(base) = &cur.base_type {
            let Some(key) = self.lookup(base, None) else {
                break;
            };
            if !seen.insert(key.clone()) {
                break;
            }
            match self.corpus.types.get(&key) {
                Some(TypeDef::Resource(b)) => {
                    chain.push(b);
                    cur = b;
                }
                _ => break,
            }
        }
        let mut names = BTreeSet::new();
        let mut props = Vec::new();
        for page in chain.iter().rev() {
            for p in page.properties.iter().chain(page.relationships.iter()) {
                if matches!(p.ty, TypeRef::Primitive(Primitive::Stream)) {
                    continue;
                }
                if names.insert(p.name.clone()) {
                    props.push(p);
                }
            }
        }
        props
    }

    /// Edges (struct key, field JSON name) whose target is in the same strongly connected
    /// component of the "contains a single value of" graph: those fields are boxed.
    fn cyclic_edges(&self) -> BTreeSet<(String, String)> {
        // Graph over needed resource keys.
        let keys: Vec<String> = self.needed.iter().cloned().collect();
        let index: BTreeMap<&str, usize> = keys
            .iter()
            .enumerate()
            .map(|(i, k)| (k.as_str(), i))
            .collect();
        let mut edges: Vec<Vec<(usize, String)>> = vec![Vec::new(); keys.len()];
        for (i, k) in keys.iter().enumerate() {
            if let Some(TypeDef::Resource(r)) = self.corpus.types.get(k) {
                for p in self.all_properties(r) {
                    if let TypeRef::Named { name, link } = &p.ty {
                        if let Some(t) = self.lookup(name, link.as_deref()) {
                            if let Some(&j) = index.get(t.as_str()) {
                                if matches!(self.corpus.types.get(&t), Some(TypeDef::Resource(_))) {
                                    edges[i].push((j, p.name.clone()));
                                }
                            }
                        }
                    }
                }
            }
        }
        let comp = tarjan(&edges);
        let mut out = BTreeSet::new();
        for (i, es) in edges.iter().enumerate() {
            for (j, field) in es {
                if comp[i] == comp[*j] {
                    out.insert((keys[i].clone(), field.clone()));
                }
            }
        }
        out
    }

    fn gen_struct(
        &mut self,
        ctx: &Ctx,
        rust: &str,
        r: &graph_docs_parse::ResourcePage,
        props: &[&Property],
        boxed: &BTreeSet<(String, String)>,
        diags: &mut Vec<Diagnostic>,
    ) -> TokenStream {
        let rt = &ctx.runtime;
        let key = type_key(&r.name);
        let name = format_ident!("{}", rust);
        let mut namer = Namer::default();
        let mut fields = Vec::new();
        for p in props {
            let fname = namer.unique(&naming::snake(&p.name), "_");
            let fid = ident(&fname);
            if let TypeRef::Unknown(cell) = &p.ty {
                diags.push(Diagnostic {
                    file: r.meta.path.clone(),
                    loc: p.loc,
                    severity: Severity::Warning,
                    code: "GD201",
                    message: format!(
                        "property `{}` of `{}` has a type the generator cannot read (`{cell}`); it is generated as `serde_json::Value`",
                        p.name, r.name
                    ),
                });
            }
            if let TypeRef::Named { name: tn, link } = &p.ty {
                if self.lookup(tn, link.as_deref()).is_none() {
                    diags.push(Diagnostic {
                        file: r.meta.path.clone(),
                        loc: p.loc,
                        severity: Severity::Warning,
                        code: "GD202",
                        message: format!(
                            "property `{}` of `{}` links to type `{tn}`, which no page documents; it is generated as `serde_json::Value`",
                            p.name, r.name
                        ),
                    });
                }
            }
            let rename = if naming::camel_roundtrips(&p.name, &fname) {
                quote!()
            } else {
                let n = &p.name;
                quote!(rename = #n,)
            };
            let doc = field_doc(p);
            let is_collection = matches!(p.ty, TypeRef::Collection(_));
            let ty = self.rust_type(ctx, &p.ty, &quote!());
            if is_collection {
                fields.push(quote! {
                    #[doc = #doc]
                    #[serde(#rename default, skip_serializing_if = "Vec::is_empty", deserialize_with = "__null_default")]
                    pub #fid: #ty,
                });
            } else {
                let ty = if boxed.contains(&(key.clone(), p.name.clone())) {
                    quote!(Box<#ty>)
                } else {
                    ty
                };
                fields.push(quote! {
                    #[doc = #doc]
                    #[serde(#rename default, skip_serializing_if = "Option::is_none")]
                    pub #fid: Option<#ty>,
                });
            }
        }
        let extra = ident(&namer.unique("additional_properties", "_"));
        let doc = type_doc(r, ctx);
        quote! {
            #[doc = #doc]
            #[derive(Debug, Clone, Default, PartialEq, #rt::__private::serde::Serialize, #rt::__private::serde::Deserialize)]
            #[serde(crate = "__serde", rename_all = "camelCase")]
            pub struct #name {
                #(#fields)*
                /// Properties the docs do not list, kept as sent by the service.
                #[serde(flatten)]
                pub #extra: #rt::__private::serde_json::Map<String, #rt::__private::serde_json::Value>,
            }
        }
    }
}

fn e_path(corpus: &Corpus, key: &str) -> std::path::PathBuf {
    // Find the page that defines the enum (for its doc line).
    for page in &corpus.pages {
        let enums: &[std::sync::Arc<EnumDef>] = match page {
            graph_docs_parse::Page::Enum(e) => &e.enums,
            graph_docs_parse::Page::Resource(r) => &r.enums,
            _ => continue,
        };
        if enums.iter().any(|e| type_key(&e.name) == key) {
            return page.meta().path.clone();
        }
    }
    std::path::PathBuf::new()
}

fn collect_named(ty: &TypeRef, out: &mut Vec<(String, Option<String>)>) {
    match ty {
        TypeRef::Named { name, link } => out.push((name.clone(), link.clone())),
        TypeRef::Collection(inner) => collect_named(inner, out),
        _ => {}
    }
}

/// Rust type of a primitive.
pub(crate) fn primitive(rt: &TokenStream, p: Primitive) -> TokenStream {
    match p {
        Primitive::String | Primitive::Guid | Primitive::Duration | Primitive::Binary => {
            quote!(String)
        }
        Primitive::Boolean => quote!(bool),
        Primitive::Byte => quote!(u8),
        Primitive::SByte => quote!(i8),
        Primitive::Int16 => quote!(i16),
        Primitive::Int32 => quote!(i32),
        Primitive::Int64 => quote!(i64),
        Primitive::Single => quote!(f32),
        Primitive::Double | Primitive::Decimal => quote!(f64),
        Primitive::Date => quote!(#rt::types::Date),
        Primitive::TimeOfDay => quote!(#rt::types::TimeOfDay),
        Primitive::DateTimeOffset => quote!(#rt::types::DateTimeOffset),
        Primitive::Stream => quote!(String),
        Primitive::Json => quote!(#rt::__private::serde_json::Value),
    }
}

fn field_doc(p: &Property) -> String {
    let mut d = first_paragraph(&p.description);
    if d.is_empty() {
        d = format!("`{}`", p.name);
    }
    if p.read_only && !d.to_ascii_lowercase().contains("read-only") {
        d.push_str(" Read-only.");
    }
    if !p.enum_values.is_empty() && !d.to_ascii_lowercase().contains("possible values") {
        d.push_str(&format!(
            " Possible values: `{}`.",
            p.enum_values.join("`, `")
        ));
    }
    d
}

fn type_doc(r: &graph_docs_parse::ResourcePage, ctx: &Ctx) -> String {
    let mut d = String::new();
    let summary = r
        .meta
        .summary
        .as_deref()
        .or(r.meta.description.as_deref())
        .unwrap_or("")
        .trim();
    if summary.is_empty() {
        d.push_str(&format!("The `{}` resource.", r.name));
    } else {
        d.push_str(summary);
    }
    if let Some(t) = &r.odata_type {
        d.push_str(&format!("\n\n`@odata.type`: `{t}`"));
    }
    if let Some(b) = &r.base_type {
        d.push_str(&format!("; base type: `{b}`"));
    }
    d.push_str(&format!(
        "\n\nDocumented in `{}`.",
        ctx.doc_path(&r.meta.path)
    ));
    d
}

/// The first paragraph of a markdown cell, one line.
pub(crate) fn first_paragraph(s: &str) -> String {
    let p = s.split("\n\n").next().unwrap_or("").trim();
    p.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn gen_enum(rust: &str, e: &EnumDef, doc_file: &str) -> TokenStream {
    let name = format_ident!("{}", rust);
    let mut namer = Namer::with_reserved(["Other"]);
    let mut variants = Vec::new();
    let mut from_arms = Vec::new();
    let mut to_arms = Vec::new();
    let mut seen = BTreeSet::new();
    for (i, m) in e.members.iter().enumerate() {
        if m.name.is_empty() || !seen.insert(m.name.clone()) {
            continue;
        }
        let v = format_ident!("{}", namer.unique(&naming::camel(&m.name), ""));
        let mut doc = first_paragraph(&m.description);
        if doc.is_empty() {
            doc = format!("`{}`", m.name);
        }
        let default = if i == 0 { quote!(#[default]) } else { quote!() };
        variants.push(quote!(#[doc = #doc] #default #v,));
        let s = &m.name;
        from_arms.push(quote!(#s => #name::#v,));
        to_arms.push(quote!(#name::#v => #s.into(),));
    }
    if variants.is_empty() {
        variants.push(quote!(
            #[default]
            #[doc = "No members are documented."]
            Unset,
        ));
        from_arms.push(quote!("" => #name::Unset,));
        to_arms.push(quote!(#name::Unset => String::new(),));
    }
    let doc = format!(
        "The `{}` enumeration.\n\nDocumented in `{}`.",
        e.name, doc_file
    );
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq, Eq, Hash, Default, __serde::Serialize, __serde::Deserialize)]
        #[serde(crate = "__serde", from = "String", into = "String")]
        pub enum #name {
            #(#variants)*
            /// A value this version of the docs does not list.
            Other(String),
        }
        impl From<String> for #name {
            fn from(s: String) -> Self {
                match s.as_str() {
                    #(#from_arms)*
                    _ => #name::Other(s),
                }
            }
        }
        impl From<#name> for String {
            fn from(v: #name) -> String {
                match v {
                    #(#to_arms)*
                    #name::Other(s) => s,
                }
            }
        }
    }
}

/// Tarjan's strongly connected components; returns the component id of each node.
fn tarjan(edges: &[Vec<(usize, String)>]) -> Vec<usize> {
    let n = edges.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut comp = vec![usize::MAX; n];
    let mut next = 0;
    let mut ncomp = 0;
    // Iterative DFS: (node, edge position).
    for start in 0..n {
        if index[start] != usize::MAX {
            continue;
        }
        let mut work = vec![(start, 0usize)];
        index[start] = next;
        low[start] = next;
        next += 1;
        stack.push(start);
        on_stack[start] = true;
        while let Some(&mut (v, ref mut pos)) = work.last_mut() {
            if *pos < edges[v].len() {
                let w = edges[v][*pos].0;
                *pos += 1;
                if index[w] == usize::MAX {
                    index[w] = next;
                    low[w] = next;
                    next += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
            } else {
                work.pop();
                if let Some(&(parent, _)) = work.last() {
                    low[parent] = low[parent].min(low[v]);
                }
                if low[v] == index[v] {
                    while let Some(w) = stack.pop() {
                        on_stack[w] = false;
                        comp[w] = ncomp;
                        if w == v {
                            break;
                        }
                    }
                    ncomp += 1;
                }
            }
        }
    }
    comp
}

#[allow(dead_code)]
fn loc0() -> Loc {
    Loc::default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tarjan_finds_cycles() {
        // 0 -> 1 -> 0 (cycle), 1 -> 2, 3 -> 3 (self loop)
        let e = vec![
            vec![(1, "a".into())],
            vec![(0, "b".into()), (2, "c".into())],
            vec![],
            vec![(3, "d".into())],
        ];
        let c = tarjan(&e);
        assert_eq!(c[0], c[1]);
        assert_ne!(c[1], c[2]);
        assert_ne!(c[3], c[0]);
    }
}
