//! Reading a type from a table cell or a sentence: primitives (with `Edm.` spellings), named
//! types (links or bare names), collections (`x collection`, `Collection(x)`, `[x](x.md) collection`).

use crate::markdown::Link;
use crate::model::{Primitive, TypeRef};

/// Parses a primitive name (case-insensitive, `Edm.` prefix accepted).
pub fn primitive(name: &str) -> Option<Primitive> {
    let n = trim_ws(name);
    primitive_word(strip_prefix_ci(n, "edm.").unwrap_or(n).as_bytes())
}

/// `primitive` of a name without surrounding whitespace or `Edm.` prefix: compared, ASCII
/// case ignored, with the names of its length only.
fn primitive_word(n: &[u8]) -> Option<Primitive> {
    use Primitive as P;
    let names: &[(&[u8], Primitive)] = match n.len() {
        3 => &[(b"str", P::String), (b"int", P::Int32)],
        4 => &[
            (b"text", P::String),
            (b"bool", P::Boolean),
            (b"byte", P::Byte),
            (b"long", P::Int64),
            (b"guid", P::Guid),
            (b"uuid", P::Guid),
            (b"date", P::Date),
            (b"time", P::TimeOfDay),
            (b"json", P::Json),
        ],
        5 => &[
            (b"int32", P::Int32),
            (b"sbyte", P::SByte),
            (b"int16", P::Int16),
            (b"short", P::Int16),
            (b"int64", P::Int64),
            (b"float", P::Single),
        ],
        6 => &[
            (b"string", P::String),
            (b"number", P::Int32),
            (b"single", P::Single),
            (b"double", P::Double),
            (b"binary", P::Binary),
            (b"base64", P::Binary),
            (b"stream", P::Stream),
            (b"object", P::Json),
        ],
        7 => &[
            (b"boolean", P::Boolean),
            (b"integer", P::Int32),
            (b"decimal", P::Decimal),
            (b"untyped", P::Json),
        ],
        8 => &[
            (b"datetime", P::DateTimeOffset),
            (b"duration", P::Duration),
            (b"timespan", P::Duration),
        ],
        9 => &[
            (b"timeofday", P::TimeOfDay),
            (b"timestamp", P::DateTimeOffset),
        ],
        12 => &[(b"base64binary", P::Binary)],
        14 => &[(b"datetimeoffset", P::DateTimeOffset)],
        _ => return None,
    };
    names
        .iter()
        .find(|(k, _)| n.eq_ignore_ascii_case(k))
        .map(|&(_, p)| p)
}

pub(crate) use crate::tables::Lower;
use crate::tables::{trim_ascii_set, trim_ws};

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

/// Whether `s` is made of ASCII letters, digits, `_`, `.` and `#`, with at least one letter.
fn is_ident(s: &str) -> bool {
    let mut letter = false;
    for &b in s.as_bytes() {
        if b.is_ascii_alphabetic() {
            letter = true;
        } else if !(b.is_ascii_digit() || b == b'_' || b == b'.' || b == b'#') {
            return false;
        }
    }
    letter
}

/// Whether a link destination points at a page (a `.md` file, not a web page or an anchor).
pub(crate) fn is_page_link(dest: &str) -> bool {
    let d = dest.as_bytes();
    let d = match memchr::memchr(b'#', d) {
        Some(i) => &d[..i],
        None => d,
    };
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

/// A link text without surrounding markup.
fn clean_name(s: &str) -> &str {
    trim_ws(trim_ascii_set(trim_ws(s), |b| {
        matches!(b, b'*' | b'`' | b'_' | b'"' | b'\'' | b'#')
    }))
}

/// Whether a type cell's text says the type is a collection (`x collection`, `x[]`,
/// `array of x`, `x array`; ASCII case ignored).
fn says_collection(text: &str) -> bool {
    let b = text.as_bytes();
    b.windows(10)
        .any(|w| w[0] | 0x20 == b'c' && w.eq_ignore_ascii_case(b"collection"))
        || b.ends_with(b"[]")
        || b.get(..8)
            .is_some_and(|p| p.eq_ignore_ascii_case(b"array of"))
        || (b.len() >= 6 && b[b.len() - 6..].eq_ignore_ascii_case(b" array"))
}

/// Reads a type cell: `text` is the cell's plain text, `links` its links.
/// Returns `TypeRef::Unknown` with the text when nothing matches.
pub(crate) fn parse_cell(text: &str, links: &[Link]) -> TypeRef {
    let text = trim_ws(text);
    if let Some(link) = links.iter().find(|l| {
        is_page_link(l.dest)
            || (!l.dest.starts_with("http")
                && !l.dest.starts_with("#tab/")
                && is_ident(clean_name(l.text)))
    }) {
        let is_coll = says_collection(text);
        let name = clean_name(link.text);
        let name = if name.is_empty() || !is_ident(name) {
            link_stem(link.dest)
        } else {
            name
        };
        if let Some(p) = primitive(name) {
            let t = TypeRef::Primitive(p);
            return if is_coll {
                TypeRef::Collection(Box::new(t))
            } else {
                t
            };
        }
        let t = TypeRef::Named {
            name: name.to_string(),
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
    // fast path: a bare word of ASCII letters and digits (`String`, `Int32`, `driveItem`),
    // which none of the steps below changes: a primitive, else a named type if it holds a
    // letter
    let b = text.as_bytes();
    if !b.is_empty() && b.iter().all(u8::is_ascii_alphanumeric) {
        // (no whitespace to trim, no `Edm.` prefix)
        if let Some(p) = primitive_word(b) {
            return Some(TypeRef::Primitive(p));
        }
        return b
            .iter()
            .any(u8::is_ascii_alphabetic)
            .then(|| TypeRef::Named {
                name: text.to_string(),
                link: None,
            });
    }
    let t = trim_ws(trim_ws(text).trim_end_matches('.'));
    let t = trim_ws(trim_ascii_set(t, |b| matches!(b, b'*' | b'`' | b'_')));
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
    let first = first_word(t);
    let first = trim_ascii_set(first, |b| matches!(b, b'*' | b'`' | b'_'));
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

/// The first non-empty piece of `t` split at whitespace, `(` and `,`; `t` when there is none.
fn first_word(t: &str) -> &str {
    let b = t.as_bytes();
    let mut start = None;
    for (i, &x) in b.iter().enumerate() {
        if !x.is_ascii() {
            // Unicode whitespace splits too
            return t
                .split(|c: char| c.is_whitespace() || c == '(' || c == ',')
                .find(|s| !s.is_empty())
                .unwrap_or(t);
        }
        let delim = matches!(x, b'\t'..=b'\r' | b' ' | b'(' | b',');
        match start {
            None if !delim => start = Some(i),
            Some(s) if delim => return &t[s..i],
            _ => {}
        }
    }
    match start {
        Some(s) => &t[s..],
        None => t,
    }
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

    /// `primitive` as it was written first (a lower-cased copy matched against the names).
    fn primitive_reference(name: &str) -> Option<Primitive> {
        let n = name.trim();
        let n = strip_prefix_ci(n, "edm.").unwrap_or(n);
        Some(match n.to_ascii_lowercase().as_str() {
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

    #[test]
    fn primitive_matches_reference() {
        let names = [
            "string",
            "str",
            "text",
            "boolean",
            "bool",
            "byte",
            "sbyte",
            "int16",
            "short",
            "int32",
            "int",
            "integer",
            "number",
            "int64",
            "long",
            "single",
            "float",
            "double",
            "decimal",
            "guid",
            "uuid",
            "date",
            "timeofday",
            "time",
            "datetimeoffset",
            "datetime",
            "timestamp",
            "duration",
            "timespan",
            "binary",
            "base64",
            "base64binary",
            "stream",
            "json",
            "object",
            "untyped",
            "user",
            "strings",
            "",
            "in",
            "datetimeoffsets",
            "ſtring",
            "stri\u{a0}",
            "int\u{a0}",
            "x",
        ];
        for n in names {
            for v in [
                n.to_string(),
                n.to_ascii_uppercase(),
                format!("Edm.{n}"),
                format!(" EDM.{} ", n.to_ascii_uppercase()),
                format!("\u{a0}{n}\u{2003}"),
                format!("{n}\u{a0}"),
                format!("@{n}"),
            ] {
                assert_eq!(primitive(&v), primitive_reference(&v), "{v:?}");
                assert_eq!(parse_text(&v), parse_text_reference(&v), "{v:?}");
            }
        }
    }

    /// `parse_text` without the fast path, for a bare ASCII word.
    fn parse_text_reference(text: &str) -> Option<TypeRef> {
        let b = text.as_bytes();
        if b.is_empty() || !b.iter().all(u8::is_ascii_alphanumeric) {
            return parse_text(text);
        }
        if let Some(p) = primitive_reference(text) {
            return Some(TypeRef::Primitive(p));
        }
        is_ident(text).then(|| TypeRef::Named {
            name: text.to_string(),
            link: None,
        })
    }

    #[test]
    fn bare_words() {
        assert_eq!(parse_text("123"), None);
        assert_eq!(parse_text("user2"), Some(named("user2")));
        assert_eq!(
            parse_text("INT64"),
            Some(TypeRef::Primitive(Primitive::Int64))
        );
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
