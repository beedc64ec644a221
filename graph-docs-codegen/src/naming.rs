//! Names have one home: every doc name becomes a Rust identifier here.
//!
//! - a route segment → a method (`joinedGroups` → `joined_groups`, `$value` → `value`),
//! - a resource name → a type (`driveItemUploadableProperties` → `DriveItemUploadableProperties`),
//! - a JSON property → a field (`@odata.type` → `odata_type`, `@microsoft.graph.conflictBehavior`
//!   → `microsoft_graph_conflict_behavior`),
//! - keywords are escaped (`type` → `r#type`; `self`, `Self`, `crate`, `super` → `self_`),
//! - names that would start with a digit get a prefix (`2fa` → `_2fa` / `N2fa`),
//! - collisions are resolved by [`Namer`]: the first name (in a deterministic order) keeps its
//!   name, later ones get `_2`, `_3`, ... (types: `2`, `3`).

use std::collections::{BTreeMap, HashSet};

use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, Span};

/// Rust keywords (strict and reserved, all editions we support).
const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen", "union",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["self", "Self", "crate", "super", "_"];

/// Words in doc names that are noise for identifiers.
fn clean(raw: &str) -> String {
    // Keep letters, digits and separators; everything else becomes a word break.
    let mut s = String::with_capacity(raw.len());
    for c in raw.chars() {
        if c.is_ascii_alphanumeric() {
            s.push(c);
        } else {
            s.push('_');
        }
    }
    s
}

/// `joinedGroups` → `joined_groups`; `$value` → `value`; `@odata.type` → `odata_type`.
/// Returns a string that is a valid identifier once [`ident`] has escaped keywords.
pub fn snake(raw: &str) -> String {
    let mut s = clean(raw).to_snake_case();
    if s.is_empty() {
        s.push_str("unnamed");
    }
    if s.as_bytes()[0].is_ascii_digit() {
        s.insert(0, '_');
    }
    s
}

/// `driveItemUploadableProperties` → `DriveItemUploadableProperties`;
/// `microsoft.graph.user` → `MicrosoftGraphUser` (strip the namespace first where wanted).
pub fn camel(raw: &str) -> String {
    let mut s = clean(raw).to_upper_camel_case();
    if s.is_empty() {
        s.push_str("Unnamed");
    }
    if s.as_bytes()[0].is_ascii_digit() {
        s.insert(0, 'N');
    }
    // `Self` is the only keyword an UpperCamelCase name can be.
    if s == "Self" {
        s.push('_');
    }
    s
}

/// `SCREAMING_SNAKE` from any name.
pub fn screaming(raw: &str) -> String {
    snake(raw).trim_start_matches('_').to_ascii_uppercase()
}

/// A type name without its `microsoft.graph.` (or any dotted) namespace: the last part.
pub fn strip_namespace(name: &str) -> &str {
    name.rsplit('.').next().unwrap_or(name)
}

/// Makes an identifier from a name produced by [`snake`] or [`camel`], escaping keywords:
/// raw identifiers where Rust allows them (`r#type`), a `_` suffix where it does not (`self_`).
pub fn ident(name: &str) -> Ident {
    if NOT_RAW.contains(&name) {
        return Ident::new(&format!("{name}_"), Span::call_site());
    }
    if KEYWORDS.contains(&name) {
        return Ident::new_raw(name, Span::call_site());
    }
    Ident::new(name, Span::call_site())
}

/// Whether serde's `rename_all = "camelCase"` maps the snake field name back to the JSON name,
/// so no explicit `rename` is needed.
pub fn camel_roundtrips(json_name: &str, field: &str) -> bool {
    let field = field.trim_start_matches('_');
    let mut out = String::with_capacity(field.len());
    let mut upper = false;
    for c in field.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out == json_name
}

/// Allocates unique names in one scope (one impl block, one module). Deterministic: the same
/// sequence of requests always yields the same names.
#[derive(Debug, Default)]
pub struct Namer {
    used: HashSet<String>,
    /// How many times each base name was asked for.
    counts: BTreeMap<String, u32>,
}

impl Namer {
    /// A namer with some names already taken (e.g. `get`, `post` on a node).
    pub fn with_reserved<'a>(reserved: impl IntoIterator<Item = &'a str>) -> Self {
        let mut n = Namer::default();
        for r in reserved {
            n.used.insert(r.to_string());
        }
        n
    }

    /// Returns `base` if free, else `base{sep}2`, `base{sep}3`, ... (first free).
    pub fn unique(&mut self, base: &str, sep: &str) -> String {
        if self.used.insert(base.to_string()) {
            return base.to_string();
        }
        let counter = self.counts.entry(base.to_string()).or_insert(1);
        loop {
            *counter += 1;
            let candidate = format!("{base}{sep}{counter}");
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
        }
    }

    /// Whether `name` is taken.
    pub fn is_used(&self, name: &str) -> bool {
        self.used.contains(name)
    }

    /// Marks `name` as taken.
    pub fn reserve(&mut self, name: &str) {
        self.used.insert(name.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_names() {
        assert_eq!(snake("joinedGroups"), "joined_groups");
        assert_eq!(snake("createUploadSession"), "create_upload_session");
        assert_eq!(snake("$value"), "value");
        assert_eq!(snake("$ref"), "ref");
        assert_eq!(snake("@odata.type"), "odata_type");
        assert_eq!(
            snake("@microsoft.graph.conflictBehavior"),
            "microsoft_graph_conflict_behavior"
        );
        assert_eq!(snake("2fa"), "_2fa");
        assert_eq!(snake("id|name"), "id_name");
        assert_eq!(snake("eTag"), "e_tag");
        assert_eq!(snake("sha1Hash"), "sha1_hash");
        assert_eq!(snake(""), "unnamed");
        assert_eq!(snake("$$$"), "unnamed");
        assert_eq!(
            snake("microsoft.graph.sharedDriveItem"),
            "microsoft_graph_shared_drive_item"
        );
    }

    #[test]
    fn camel_names() {
        assert_eq!(
            camel("driveItemUploadableProperties"),
            "DriveItemUploadableProperties"
        );
        assert_eq!(camel("uploadSession"), "UploadSession");
        assert_eq!(camel("2fa"), "N2fa");
        assert_eq!(camel("self"), "Self_");
        assert_eq!(camel("@odata.type"), "OdataType");
        assert_eq!(camel(""), "Unnamed");
    }

    #[test]
    fn keywords_are_escaped() {
        assert_eq!(ident("type").to_string(), "r#type");
        assert_eq!(ident("ref").to_string(), "r#ref");
        assert_eq!(ident("self").to_string(), "self_");
        assert_eq!(ident("Self").to_string(), "Self_");
        assert_eq!(ident("crate").to_string(), "crate_");
        assert_eq!(ident("super").to_string(), "super_");
        assert_eq!(ident("async").to_string(), "r#async");
        assert_eq!(ident("file_size").to_string(), "file_size");
        assert_eq!(ident("_2fa").to_string(), "_2fa");
    }

    #[test]
    fn camel_roundtrip_decides_renames() {
        assert!(camel_roundtrips("fileSize", "file_size"));
        assert!(camel_roundtrips("eTag", "e_tag"));
        assert!(camel_roundtrips("sha1Hash", "sha1_hash"));
        assert!(!camel_roundtrips("@odata.type", "odata_type"));
        assert!(!camel_roundtrips("webURL", "web_url"));
        assert!(!camel_roundtrips("ID", "id"));
    }

    #[test]
    fn namer_resolves_collisions_deterministically() {
        let mut n = Namer::with_reserved(["get"]);
        assert_eq!(n.unique("get", "_"), "get_2");
        assert_eq!(n.unique("items", "_"), "items");
        assert_eq!(n.unique("items", "_"), "items_2");
        assert_eq!(n.unique("items", "_"), "items_3");
        n.reserve("x_2");
        assert_eq!(n.unique("x", "_"), "x");
        assert_eq!(n.unique("x", "_"), "x_3");
        assert!(n.is_used("x_3"));
    }

    #[test]
    fn strip_namespaces() {
        assert_eq!(strip_namespace("microsoft.graph.user"), "user");
        assert_eq!(strip_namespace("user"), "user");
    }
}
