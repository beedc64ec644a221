//! Reading a type from a table cell or a sentence: primitives (with `Edm.` spellings), named
//! types (links or bare names), collections (`x collection`, `Collection(x)`, `[x](x.md) collection`).

use crate::markdown::Link;
use crate::model::{Primitive, TypeRef};

/// Parses a primitive name (case-insensitive, `Edm.` prefix accepted).
pub fn primitive(name: &str) -> Option<Primitive> {
    let n = name.trim();
    let n = strip_prefix_ci(n, "edm.").unwrap_or(n);
    let lower = crate::tables::Lower::new(n);
    Some(match &*lower {
        "string" | "str" | "text" => Primitive::String,
        "boolean" | "bool" => Primitive::Boolean,
        "byte" => Primitive::Byte,
        "sbyte" => Primitive::SByte,
        "int16" | "short" => Primitive::Int16,
        "int32" | "int" | "integer" | "number" => Primitive::Int32,
        "int64" | "long" => Primitive::Int64,
        "single" | "float" => Primitive::Single,
        "double" => Primitive::Double,
        "decimal" => Primitive::Decimal,
        "guid" | "uuid" => Primitive::Guid,
        "date" => Primitive::Date,
        "timeofday" | "time" => Primitive::TimeOfDay,
        "datetimeoffset" | "datetime" | "timestamp" => Primitive::DateTimeOffset,
        "duration" | "timespan" => Primitive::Duration,
        "binary" | "base64" | "base64binary" => Primitive::Binary,
        "stream" => Primitive::Stream,
        "json" | "object" | "untyped" => Primitive::Json,
        _ => return None,
    })
}

pub(crate) use crate::tables::Lower;

pub(crate) fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    if s.len() >= prefix.len()
        && s.is_char_boundary(prefix.len())
        && s[..prefix.len()].eq_ignore_ascii_case(prefix)
    {
        Some(&s[prefix.len()..])
    } else {
        None
    }
}

fn is_ident(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '#')
        && s.chars().any(|c| c.is_ascii_alphabetic())
}

/// Whether a link destination points at a page (a `.md` file, not a web page or an anchor).
pub(crate) fn is_page_link(dest: &str) -> bool {
    let d = dest.split('#').next().unwrap_or("").as_bytes();
    d.len() >= 3
        && d[d.len() - 3..].eq_ignore_ascii_case(b".md")
        && !(d.len() >= 4 && d[..4].eq_ignore_ascii_case(b"http"))
}

/// The file stem of a link (`../resources/user.md#x` → `user`).
pub(crate) fn link_stem(dest: &str) -> &str {
    let d = dest.split('#').next().unwrap_or("");
    let d = d.rsplit('/').next().unwrap_or(d);
    d.strip_suffix(".md")
        .or_else(|| d.strip_suffix(".MD"))
        .unwrap_or(d)
}

fn clean_name(s: &str) -> String {
    s.trim()
        .trim_matches(|c: char| {
            c == '*' || c == '`' || c == '_' || c == '"' || c == '\'' || c == '#'
        })
        .trim()
        .to_string()
}

/// Reads a type cell: `text` is the cell's plain text, `links` its links.
/// Returns `TypeRef::Unknown` with the text when nothing matches.
pub(crate) fn parse_cell(text: &str, links: &[Link]) -> TypeRef {
    let text = text.trim();
    let lower = crate::tables::Lower::new(text);
    let is_coll = lower.contains("collection")
        || lower.ends_with("[]")
        || lower.starts_with("array of")
        || lower.ends_with(" array");
    if let Some(link) = links.iter().find(|l| {
        is_page_link(l.dest)
            || (!l.dest.starts_with("http")
                && !l.dest.starts_with("#tab/")
                && is_ident(&clean_name(l.text)))
    }) {
        let mut name = clean_name(link.text);
        if name.is_empty() || !is_ident(&name) {
            name = link_stem(link.dest).to_string();
        }
        if let Some(p) = primitive(&name) {
            let t = TypeRef::Primitive(p);
            return if is_coll {
                TypeRef::Collection(Box::new(t))
            } else {
                t
            };
        }
        let t = TypeRef::Named {
            name,
            link: if link.dest.is_empty() {
                None
            } else {
                Some(link.dest.to_string())
            },
        };
        return if is_coll {
            TypeRef::Collection(Box::new(t))
        } else {
            t
        };
    }
    parse_text(text).unwrap_or_else(|| TypeRef::Unknown(text.to_string()))
}

/// Reads a type written as plain text.
pub fn parse_text(text: &str) -> Option<TypeRef> {
    let t = text.trim().trim_end_matches('.').trim();
    let t = t
        .trim_matches(|c: char| c == '*' || c == '`' || c == '_')
        .trim();
    // "(Optional) String"
    let t = match t.strip_prefix('(').and_then(|r| r.split_once(')')) {
        Some((_, rest)) if !rest.trim().is_empty() => rest.trim(),
        _ => t,
    };
    if t.is_empty() {
        return None;
    }
    // Collection(x)
    if let Some(rest) = strip_prefix_ci(t, "collection(") {
        let inner = rest.strip_suffix(')').unwrap_or(rest);
        return parse_text(inner).map(|x| TypeRef::Collection(Box::new(x)));
    }
    for suffix in [" collection", " array", "[]"] {
        if t.len() >= suffix.len()
            && t.as_bytes()[t.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
        {
            let inner = &t[..t.len() - suffix.len()];
            return parse_text(inner).map(|x| TypeRef::Collection(Box::new(x)));
        }
    }
    for prefix in ["collection of ", "array of ", "list of "] {
        if let Some(inner) = strip_prefix_ci(t, prefix) {
            return parse_text(inner.trim_end_matches('s'))
                .map(|x| TypeRef::Collection(Box::new(x)));
        }
    }
    // "String (identifier)", "Int32 (read-only)", "string enum"
    let first = t
        .split(|c: char| c.is_whitespace() || c == '(' || c == ',')
        .find(|s| !s.is_empty())
        .unwrap_or(t);
    let first = first.trim_matches(|c: char| c == '*' || c == '`' || c == '_');
    if let Some(p) = primitive(first) {
        return Some(TypeRef::Primitive(p));
    }
    if is_ident(first)
        && (first.len() == t.len()
            || t[first.len()..].trim_start().starts_with('(')
            || suffix_is_noise(&t[first.len()..]))
    {
        let name = first.trim_start_matches('#');
        let name = strip_prefix_ci(name, "microsoft.graph.").unwrap_or(name);
        if let Some(p) = primitive(name) {
            return Some(TypeRef::Primitive(p));
        }
        return Some(TypeRef::Named {
            name: name.to_string(),
            link: None,
        });
    }
    None
}

fn suffix_is_noise(rest: &str) -> bool {
    let r = rest.trim().to_ascii_lowercase();
    matches!(
        r.as_str(),
        "resource"
            | "object"
            | "enum"
            | "enumeration"
            | "type"
            | "complex type"
            | "value"
            | "flags"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(n: &str) -> TypeRef {
        TypeRef::Named {
            name: n.to_string(),
            link: None,
        }
    }

    #[test]
    fn primitives_and_edm() {
        assert_eq!(
            parse_text("Int64"),
            Some(TypeRef::Primitive(Primitive::Int64))
        );
        assert_eq!(
            parse_text("Edm.String"),
            Some(TypeRef::Primitive(Primitive::String))
        );
        assert_eq!(
            parse_text("boolean"),
            Some(TypeRef::Primitive(Primitive::Boolean))
        );
        assert_eq!(
            parse_text("(Optional) String"),
            Some(TypeRef::Primitive(Primitive::String))
        );
        assert_eq!(
            parse_text("String (identifier)"),
            Some(TypeRef::Primitive(Primitive::String))
        );
        assert_eq!(
            parse_text("DateTimeOffset"),
            Some(TypeRef::Primitive(Primitive::DateTimeOffset))
        );
    }

    #[test]
    fn collections() {
        assert_eq!(
            parse_text("String collection"),
            Some(TypeRef::Collection(Box::new(TypeRef::Primitive(
                Primitive::String
            ))))
        );
        assert_eq!(
            parse_text("Collection(microsoft.graph.user)"),
            Some(TypeRef::Collection(Box::new(named("user"))))
        );
        assert_eq!(
            parse_text("driveItem collection"),
            Some(TypeRef::Collection(Box::new(named("driveItem"))))
        );
    }

    #[test]
    fn links() {
        let l = vec![Link {
            text: "itemActivity",
            dest: "../resources/itemactivity.md",
        }];
        assert_eq!(
            parse_cell("itemActivity collection", &l),
            TypeRef::Collection(Box::new(TypeRef::Named {
                name: "itemActivity".into(),
                link: Some("../resources/itemactivity.md".into())
            }))
        );
        assert_eq!(
            parse_cell("a b c d", &[]),
            TypeRef::Unknown("a b c d".into())
        );
    }
}
