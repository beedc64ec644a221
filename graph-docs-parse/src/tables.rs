//! Table helpers: finding columns by header, reading names, parameter / header / property rows.

use crate::markdown::Cell;
use crate::model::{HeaderParam, Loc, Param, Property, Severity, TypeRef};
use crate::{codes, types, Ctx};

/// An ASCII-lower-cased copy of a short string, on the stack when it fits (header cells,
/// type names): matching table headers allocates nothing.
#[derive(Clone)]
pub(crate) enum Lower {
    Inline([u8; 40], u8),
    Heap(String),
}

impl Lower {
    pub(crate) fn new(s: &str) -> Lower {
        let b = s.as_bytes();
        if b.len() <= 40 {
            let mut buf = [0u8; 40];
            for (d, s) in buf.iter_mut().zip(b) {
                *d = s.to_ascii_lowercase();
            }
            Lower::Inline(buf, b.len() as u8)
        } else {
            Lower::Heap(s.to_ascii_lowercase())
        }
    }
}

impl std::ops::Deref for Lower {
    type Target = str;
    fn deref(&self) -> &str {
        match self {
            Lower::Inline(buf, len) => {
                let bytes = buf.get(..*len as usize).unwrap_or_default();
                // SAFETY: `bytes` is a whole `&str` (`Lower::new` copies all of it) with its
                // ASCII letters lower-cased, which leaves every other byte, hence every
                // multi-byte character, untouched: still valid UTF-8.
                unsafe { std::str::from_utf8_unchecked(bytes) }
            }
            Lower::Heap(s) => s,
        }
    }
}

impl PartialEq<str> for Lower {
    fn eq(&self, other: &str) -> bool {
        **self == *other
    }
}

impl PartialEq<&str> for Lower {
    fn eq(&self, other: &&str) -> bool {
        **self == **other
    }
}

/// A header cell normalised for matching (`**Property name**` → `property name`).
pub(crate) fn norm_header(c: &Cell) -> Lower {
    Lower::new(head(c))
}

/// A header cell's text as [`norm_header`] reads it, before lower-casing: matched below with
/// ASCII case ignored, which is what comparing the lower-cased copy with a lower-case name does.
fn head<'c>(c: &'c Cell) -> &'c str {
    trim_ws(trim_ascii_set(cell_text(c), |b| {
        matches!(b, b'*' | b'_' | b'`' | b':')
    }))
}

/// Index of the first header cell whose [`head`] is one of `names` (lower-case; ASCII case
/// ignored): `col(headers, |h| names.contains(h))` without the normalised header list.
fn col_named(header: &[Cell], names: &[&str]) -> Option<usize> {
    header.iter().position(|c| head_is(c, names))
}

/// Whether a header cell's [`head`] is one of `names` (lower-case; ASCII case ignored).
fn head_is(c: &Cell, names: &[&str]) -> bool {
    let h = head(c).as_bytes();
    names.iter().any(|n| h.eq_ignore_ascii_case(n.as_bytes()))
}

/// Whether a header cell's [`head`] starts with "description" (ASCII case ignored).
fn is_description(c: &Cell) -> bool {
    starts_with_ci(head(c).as_bytes(), b"description")
}

/// Index of the type column ([`type_col`]) of a header row.
fn type_col_of(header: &[Cell]) -> Option<usize> {
    col_named(header, &["type", "data type", "value type", "types"])
}

/// `c.text()` (the cell's text, trimmed), without a call to `str::trim` when there is
/// nothing to trim.
fn cell_text<'c>(c: &'c Cell) -> &'c str {
    trim_ws(&c.inline.text)
}

/// `s.trim()`, without the call when `s` is empty or starts and ends with a printable ASCII
/// byte (the common case: nothing to trim).
pub(crate) fn trim_ws(s: &str) -> &str {
    let plain = |b: &u8| (0x21..0x80).contains(b);
    match s.as_bytes() {
        [] => s,
        [f, .., l] if plain(f) && plain(l) => s,
        [f] if plain(f) => s,
        _ => s.trim(),
    }
}

/// `s` with the bytes that satisfy `f` trimmed from both ends: `s.trim_matches(f)` for a set
/// of ASCII characters (a byte of a multi-byte character is never ASCII, so trimming bytes
/// trims the same characters).
pub(crate) fn trim_ascii_set(s: &str, f: impl Fn(u8) -> bool) -> &str {
    let b = s.as_bytes();
    let mut start = 0;
    let mut end = b.len();
    while start < end && f(b[start]) {
        start += 1;
    }
    while end > start && f(b[end - 1]) {
        end -= 1;
    }
    &s[start..end]
}

/// Whether `b` is whitespace for `char::is_whitespace` (an ASCII byte; for a byte >= 0x80,
/// always false: the caller decodes non-ASCII text itself).
fn is_ascii_ws(b: u8) -> bool {
    matches!(b, b'\t'..=b'\r' | b' ')
}

/// Calls `f` with the start of each occurrence of `needle` (ASCII lower-case) in `hay`,
/// ASCII case ignored, in order, until `f` returns `true`; returns whether it did. That is
/// each occurrence in an ASCII-lower-cased copy of `hay`, without the copy: `needle[rare]`, a
/// letter that is rare in English text, is looked for (either case) with `memchr2`, and the
/// needle checked around each hit.
fn ci_each(hay: &[u8], needle: &[u8], rare: usize, mut f: impl FnMut(usize) -> bool) -> bool {
    let r = needle[rare];
    for p in memchr::memchr2_iter(r, r.to_ascii_uppercase(), hay) {
        let Some(i) = p.checked_sub(rare) else {
            continue;
        };
        if hay
            .get(i..i + needle.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(needle))
            && f(i)
        {
            return true;
        }
    }
    false
}

/// The first occurrence of `needle` in `hay`, ASCII case ignored (see [`ci_each`]).
fn ci_find(hay: &[u8], needle: &[u8], rare: usize) -> Option<usize> {
    let mut at = None;
    ci_each(hay, needle, rare, |i| {
        at = Some(i);
        true
    });
    at
}

/// Whether `b` starts with the ASCII text `p`, ASCII case ignored.
fn starts_with_ci(b: &[u8], p: &[u8]) -> bool {
    b.get(..p.len()).is_some_and(|x| x.eq_ignore_ascii_case(p))
}

/// Whether `b` ends with the ASCII text `p`, ASCII case ignored.
fn ends_with_ci(b: &[u8], p: &[u8]) -> bool {
    b.len() >= p.len() && b[b.len() - p.len()..].eq_ignore_ascii_case(p)
}

/// `s.split(pat)` for a short ASCII `pat` that starts with a space: each piece passed to
/// `each` (the pieces here are a few words: a byte loop beats a searcher's set-up).
fn split_each<'s>(s: &'s str, pat: &[u8], mut each: impl FnMut(&'s str)) {
    let b = s.as_bytes();
    let (mut start, mut i) = (0, 0);
    while i + pat.len() <= b.len() {
        if b[i] == b' ' && b[i..i + pat.len()] == *pat {
            each(&s[start..i]);
            i += pat.len();
            start = i;
        } else {
            i += 1;
        }
    }
    each(&s[start..]);
}

/// Whether a (normalised) header names the type column.
pub(crate) fn is_type_header(h: &str) -> bool {
    h == "type" || h == "data type" || h == "value type" || h == "types"
}

/// Index of the first header that satisfies `f`.
pub(crate) fn col(headers: &[Lower], f: impl Fn(&str) -> bool) -> Option<usize> {
    headers.iter().position(|h| f(h))
}

/// The name column of a parameter/property table, if the first header names one.
pub(crate) fn is_name_header(h: &str) -> bool {
    matches!(
        h,
        "property"
            | "properties"
            | "name"
            | "parameter"
            | "parameters"
            | "property name"
            | "parameter name"
            | "relationship"
            | "relationships"
            | "header"
            | "headers"
            | "member"
            | "members"
            | "query parameter"
            | "field"
            | "key"
            | "attribute"
            | "instance attribute"
            | "annotation"
            | "value"
            | "enum value"
            | "navigation property"
            | "option"
            | "facet"
    )
}

/// The type column.
pub(crate) fn type_col(headers: &[Lower]) -> Option<usize> {
    col(headers, is_type_header)
}

/// A cell's name: first token of the plain text, markup and escapes removed.
pub(crate) fn cell_name(c: &Cell) -> String {
    let t = cell_text(c);
    // fast path: the first whitespace-separated token, when it and what precedes it are ASCII
    let b = t.as_bytes();
    let mut start = None;
    let mut end = b.len();
    let mut backslash = false;
    let mut i = 0;
    while i < b.len() {
        // the common bytes (printable ASCII but the backslash) in a tight loop
        if start.is_some() {
            while i < b.len() && (0x21..0x80).contains(&b[i]) && b[i] != b'\\' {
                i += 1;
            }
            let Some(&x) = b.get(i) else { break };
            if !x.is_ascii() {
                return cell_name_slow(t);
            }
            if is_ascii_ws(x) {
                end = i;
                break;
            }
            backslash |= x == b'\\';
        } else {
            let x = b[i];
            if !x.is_ascii() {
                return cell_name_slow(t);
            }
            if !is_ascii_ws(x) {
                start = Some(i);
                backslash |= x == b'\\';
            }
        }
        i += 1;
    }
    let Some(start) = start else {
        return String::new();
    };
    // the trimmed characters hold no backslash: every one of the token's is in the name
    let name = trim_ascii_set(&t[start..end], |ch| {
        matches!(ch, b'*' | b'`' | b'_' | b'"' | b'\'' | b',' | b':')
    });
    if backslash {
        name.replace('\\', "")
    } else {
        name.to_string()
    }
}

/// `cell_name` of any text (non-ASCII whitespace splits tokens too).
fn cell_name_slow(t: &str) -> String {
    let t = t
        .split(|ch: char| ch.is_whitespace() || ch == '\n')
        .find(|s| !s.is_empty())
        .unwrap_or("");
    t.trim_matches(|ch: char| {
        ch == '*' || ch == '`' || ch == '_' || ch == '"' || ch == '\'' || ch == ',' || ch == ':'
    })
    .replace('\\', "")
}

/// Whether a description (or name cell) says the parameter is required: it holds
/// "required", not "not required", and no "optional" unless it starts with "required" (ASCII
/// case ignored).
fn says_required(desc: &str) -> bool {
    let l = desc.as_bytes();
    let mut required = false;
    // (the occurrences of "required": is one of them "not required"?)
    if ci_each(l, b"required", 2, |i| {
        required = true;
        i >= 4 && l[i - 4..i].eq_ignore_ascii_case(b"not ")
    }) {
        return false;
    }
    required && (starts_with_ci(l, b"required") || ci_find(l, b"optional", 1).is_none())
}

/// Reads a type cell, recording an unknown one.
pub(crate) fn read_type(
    cx: &mut Ctx<'_>,
    cell: Option<&Cell>,
    row_loc: Loc,
    what: &str,
) -> TypeRef {
    let ty = match cell {
        Some(c) => types::parse_cell(cell_text(c), &c.inline.links),
        None => TypeRef::Unknown(String::new()),
    };
    if let TypeRef::Unknown(t) = &ty {
        cx.diag(
            cell.map(|c| c.loc(cx.text)).unwrap_or(row_loc),
            Severity::Warning,
            codes::UNKNOWN_TYPE,
            if t.is_empty() {
                format!("the type cell of `{what}` is empty; write a type such as `String` or a link to a resource page")
            } else {
                format!("cannot read the type cell `{t}` of `{what}` as a type; write a primitive (`String`, `Int32`, ...), a resource link, or `x collection`")
            },
        );
    }
    ty
}

/// Reads `Name|Type|Description` rows.
/// The name and type columns of a parameter table that is not `Name | Type | ...`: the name
/// in a later column (`Permission type | Property | Type | Description`), or the types in a
/// `Value` column (`Name | Value | Description` with `string`, `Boolean`, ... as values).
/// `None` when the table has no name column, or no column that holds types.
pub(crate) fn param_columns(header: &[Cell], rows: &[&[Cell]]) -> Option<(usize, usize)> {
    let ncol = header.iter().position(|c| {
        let h = head(c);
        // (no name header is longer: nothing to lower-case)
        h.len() <= 24 && {
            let h = Lower::new(h);
            is_name_header(&h) && !matches!(&*h, "member" | "members" | "header" | "headers")
        }
    })?;
    if let Some(t) = type_col_of(header) {
        return Some((ncol, t));
    }
    // a `Value` column whose every cell is a type (not `Name | Value` pairs of literal values)
    let vcol = col_named(header, &["value", "values"])?;
    let mut cells = rows
        .iter()
        .filter_map(|r| r.get(vcol))
        .filter(|c| !cell_text(c).is_empty())
        .peekable();
    cells.peek()?;
    cells
        .all(|c| {
            !matches!(
                crate::types::parse_cell(cell_text(c), &c.inline.links),
                TypeRef::Unknown(_)
            )
        })
        .then_some((ncol, vcol))
}

#[inline(never)] // (kept out of the page readers, so that profiles show it)
pub(crate) fn params(cx: &mut Ctx<'_>, header: &[Cell], rows: &[&[Cell]]) -> Vec<Param> {
    let (ncol, tcol) = match param_columns(header, rows) {
        Some((n, t)) => (n, Some(t)),
        None => (0, type_col_of(header)),
    };
    let dcol = header
        .iter()
        .position(|c| is_description(c) || head_is(c, &["notes", "details"]));
    let rcol = col_named(header, &["required", "required?"]);
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let Some(first) = row.get(ncol).or(row.first()) else {
            continue;
        };
        let name = cell_name(first);
        if name.is_empty() {
            cx.diag(
                first.loc(cx.text),
                Severity::Warning,
                codes::ROW_WITHOUT_NAME,
                "table row has an empty name cell; the row is ignored".into(),
            );
            continue;
        }
        let ty = match tcol {
            Some(i) => read_type(cx, row.get(i), first.loc(cx.text), &name),
            None => TypeRef::Unknown(String::new()),
        };
        let description = dcol
            .and_then(|i| row.get(i))
            .map(|c| cell_text(c).to_string())
            .unwrap_or_default();
        let required = match rcol.and_then(|i| row.get(i)) {
            Some(c) => {
                let t = cell_text(c).as_bytes();
                starts_with_ci(t, b"yes")
                    || starts_with_ci(t, b"true")
                    || starts_with_ci(t, b"required")
            }
            None => says_required(&description) || says_required(cell_text(first)),
        };
        out.push(Param {
            name,
            ty,
            description,
            required,
            loc: first.loc(cx.text),
        });
    }
    out
}

/// Reads a request-headers table.
#[inline(never)] // (kept out of the page readers, so that profiles show it)
pub(crate) fn headers(header: &[Cell], rows: &[&[Cell]]) -> Vec<HeaderParam> {
    let vcol = col_named(header, &["value", "values"])
        .or_else(|| header.iter().position(is_description))
        .unwrap_or(1);
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let Some(first) = row.first() else { continue };
        let name = cell_name(first);
        if name.is_empty() {
            continue;
        }
        let description = row
            .get(vcol)
            .map(|c| cell_text(c).to_string())
            .unwrap_or_default();
        // (the first "required" and "optional", ASCII case ignored)
        let req_pos = ci_find(description.as_bytes(), b"required", 2);
        let opt_pos = ci_find(description.as_bytes(), b"optional", 1);
        let required = match (req_pos, opt_pos) {
            (Some(r), Some(o)) => Some(r < o),
            (Some(r), None) => Some(!ends_with_ci(
                description[..r].trim_end().as_bytes(),
                b"not",
            )),
            (None, Some(_)) => Some(false),
            (None, None) => None,
        };
        let cut = [req_pos, opt_pos]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(description.len());
        // `description[..cut]` up to the first ". ", then up to the first line break
        let mut value = &description[..cut];
        if let Some(i) = value.as_bytes().windows(2).position(|w| w == b". ") {
            value = &value[..i];
        }
        if let Some(i) = value.bytes().position(|b| b == b'\n') {
            value = &value[..i];
        }
        let value = trim_ws(trim_ws(value).trim_end_matches(['.', ',', ';'])).to_string();
        out.push(HeaderParam {
            name,
            value,
            description,
            required,
            loc: first.first_loc(),
        });
    }
    out
}

/// Reads a properties / relationships table.
pub(crate) fn properties(cx: &mut Ctx<'_>, header: &[Cell], rows: &[&[Cell]]) -> Vec<Property> {
    let tcol = type_col_of(header).unwrap_or(1);
    let dcol = header.iter().position(is_description).unwrap_or(tcol + 1);
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let Some(first) = row.first() else { continue };
        let name = cell_name(first);
        if name.is_empty() {
            cx.diag(
                first.loc(cx.text),
                Severity::Warning,
                codes::ROW_WITHOUT_NAME,
                "property row has an empty name cell; the row is ignored".into(),
            );
            continue;
        }
        let ty = read_type(cx, row.get(tcol), first.loc(cx.text), &name);
        let description = row
            .get(dcol)
            .map(|c| cell_text(c).to_string())
            .unwrap_or_default();
        // (the phrases below are looked for with ASCII case ignored)
        let l = description.as_bytes();
        // "read-only", "read only", "readonly": an occurrence of "only" that follows "read"
        let read_only = ci_each(l, b"only", 3, |i| {
            let before = &l[..i];
            ends_with_ci(before, b"read-")
                || ends_with_ci(before, b"read ")
                || ends_with_ci(before, b"read")
        });
        // "not nullable", "non-nullable" and "not null" (which the first holds) say false,
        // else "nullable" says true: all of them are an occurrence of "null" in some context
        let mut is_nullable = false;
        let not_null = ci_each(l, b"null", 1, |i| {
            let nullable_here = starts_with_ci(&l[i..], b"nullable");
            let before = &l[..i];
            if ends_with_ci(before, b"not ") || ends_with_ci(before, b"non-") && nullable_here {
                return true;
            }
            is_nullable |= nullable_here;
            false
        });
        let nullable = if not_null {
            Some(false)
        } else if is_nullable {
            Some(true)
        } else {
            None
        };
        let enum_values = possible_values(&description);
        out.push(Property {
            name,
            ty,
            description,
            read_only,
            nullable,
            enum_values,
            loc: first.loc(cx.text),
        });
    }
    out
}

/// The values of a "Possible values are: a, b, c." sentence (its phrase matched with ASCII
/// case ignored).
fn possible_values(desc: &str) -> Vec<String> {
    let lower = desc.as_bytes();
    // the phrases that introduce the list, in order of preference, each as the text before
    // and from its "values": the first match of each is at one of the occurrences of "values"
    const PHRASES: [(&str, &str); 4] = [
        ("possible ", "values are"),
        ("possible ", "values:"),
        ("the possible ", "values are"),
        ("supported ", "values are"),
    ];
    let mut first_end: [Option<usize>; 4] = [None; 4];
    ci_each(lower, b"values", 0, |i| {
        for ((before, after), end) in PHRASES.iter().zip(&mut first_end) {
            if end.is_none()
                && ends_with_ci(&lower[..i], before.as_bytes())
                && starts_with_ci(&lower[i..], after.as_bytes())
            {
                *end = Some(i + after.len());
            }
        }
        false
    });
    let Some(p) = first_end.into_iter().flatten().next() else {
        return Vec::new();
    };
    let rest = desc[p..].trim_start_matches([':', ' ']);
    // the list ends at a line break or at a '.' followed by whitespace or the end
    let rb = rest.as_bytes();
    let end = (0..rb.len())
        .find(|&i| {
            rb[i] == b'\n'
                || (rb[i] == b'.'
                    && match rb.get(i + 1) {
                        None => true,
                        Some(&n) if n.is_ascii() => is_ascii_ws(n),
                        Some(_) => rest[i + 1..].starts_with(char::is_whitespace),
                    })
        })
        .unwrap_or(rest.len());
    let list = &rest[..end];
    let mut out = Vec::new();
    // the pieces of `list.split(',')`, each split at " or ", each of those at " and "
    let mut each = |part: &str| {
        let mut part = trim_ws(part);
        for pre in ["and ", "or "] {
            if let Some(r) = part.strip_prefix(pre) {
                part = trim_ws(r);
            }
        }
        let v = trim_ws(trim_ascii_set(part, |c| {
            matches!(c, b'`' | b'*' | b'"' | b'\'' | b'_')
        }));
        // the first word (`v` is trimmed)
        let v = match v.bytes().position(|c| is_ascii_ws(c) || !c.is_ascii()) {
            None => v,
            Some(i) if v.as_bytes()[i].is_ascii() => &v[..i],
            Some(_) => v.split_whitespace().next().unwrap_or(""),
        };
        let v = trim_ascii_set(v, |c| {
            matches!(c, b'`' | b'*' | b'"' | b'\'' | b'_' | b')' | b'(')
        });
        if !v.is_empty()
            && v.bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-' || c == b'.')
        {
            out.push(v.to_string());
        }
    };
    // `list.split(',')`
    let mut rest = list;
    loop {
        let (p, next) = match rest.bytes().position(|c| c == b',') {
            Some(i) => (&rest[..i], Some(&rest[i + 1..])),
            None => (rest, None),
        };
        split_each(p, b" or ", |p| split_each(p, b" and ", &mut each));
        match next {
            Some(n) => rest = n,
            None => break,
        }
    }
    out
}

/// Enum members from a `Member|Value|Description` table.
pub(crate) fn enum_members(header: &[Cell], rows: &[&[Cell]]) -> Vec<crate::model::EnumMember> {
    let vcol = col_named(header, &["value", "int value"]).filter(|&i| i > 0);
    let dcol = header.iter().position(is_description);
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let Some(first) = row.first() else { continue };
        let name = cell_name(first);
        if name.is_empty() {
            continue;
        }
        out.push(crate::model::EnumMember {
            name,
            value: vcol
                .and_then(|i| row.get(i))
                .and_then(|c| cell_text(c).parse().ok()),
            description: dcol
                .and_then(|i| row.get(i))
                .map(|c| cell_text(c).to_string())
                .unwrap_or_default(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_insensitive_search() {
        assert_eq!(ci_find(b"xREQUIRED", b"required", 2), Some(1));
        // a rare byte too close to the start, or a match cut by the end
        assert_eq!(ci_find(b"q required", b"required", 2), Some(2));
        assert_eq!(ci_find(b"requ", b"required", 2), None);
        assert_eq!(ci_find("é Optional".as_bytes(), b"optional", 1), Some(3));
        let mut all = Vec::new();
        ci_each(b"Null, NULL and nullable", b"null", 1, |i| {
            all.push(i);
            false
        });
        assert_eq!(all, [0, 6, 15]);
    }

    /// `says_required` as it was written first (a lower-cased copy searched for phrases).
    fn says_required_reference(desc: &str) -> bool {
        let l = desc.to_ascii_lowercase();
        l.contains("required")
            && !(l.contains("not required") || l.contains("optional") && !l.starts_with("required"))
    }

    #[test]
    fn says_required_matches_reference() {
        for d in [
            "",
            "Required.",
            "REQUIRED. Optional otherwise",
            "Optional. Required when x",
            "Not required.",
            "not\u{a0}required",
            "NOT REQUIRED",
            "Required; not required for y",
            "The request id",
            "qrequired",
            "é required é",
        ] {
            assert_eq!(says_required(d), says_required_reference(d), "{d:?}");
        }
    }

    #[test]
    fn possible_values_sentence() {
        assert_eq!(
            possible_values(
                "The state. Possible values are: `none`, `pending`, and `done`. Read-only."
            ),
            vec!["none", "pending", "done"]
        );
        assert_eq!(
            possible_values("Possible values are a, b or c"),
            vec!["a", "b", "c"]
        );
        assert!(possible_values("No list here.").is_empty());
        // the first phrase of the list that occurs wins, wherever the others are
        assert_eq!(
            possible_values("Supported values are: x, y. Possible values: `q`."),
            vec!["q"]
        );
        assert_eq!(
            possible_values("Values values. THE POSSIBLE VALUES ARE a or b\nc"),
            vec!["a", "b"]
        );
        assert_eq!(
            possible_values("supported values are x and\u{a0}y, z.\u{2003}w"),
            vec!["x", "z"]
        );
        assert_eq!(
            possible_values("SUPPORTED VALUES ARE: A OR B"),
            vec!["A"] // (" or " splits in the text as written: not here)
        );
    }
}
