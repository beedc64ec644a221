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
            buf[..b.len()].copy_from_slice(b);
            buf[..b.len()].make_ascii_lowercase();
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
    Lower::new(
        c.text()
            .trim_matches(|c: char| c == '*' || c == '_' || c == '`' || c == ':')
            .trim(),
    )
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
    let t = c.text();
    let t = t
        .split(|ch: char| ch.is_whitespace() || ch == '\n')
        .find(|s| !s.is_empty())
        .unwrap_or("");
    t.trim_matches(|ch: char| {
        ch == '*' || ch == '`' || ch == '_' || ch == '"' || ch == '\'' || ch == ',' || ch == ':'
    })
    .replace('\\', "")
}

/// `s` ASCII-lower-cased into `buf`, which is reused from row to row (no allocation once it is
/// long enough).
fn lower_into<'b>(buf: &'b mut String, s: &str) -> &'b str {
    buf.clear();
    buf.push_str(s);
    buf.make_ascii_lowercase();
    buf
}

fn says_required(desc: &str, buf: &mut String) -> bool {
    let l = lower_into(buf, desc);
    if !l.contains("required") {
        return false;
    }
    !(l.contains("not required") || l.contains("optional") && !l.starts_with("required"))
}

/// Reads a type cell, recording an unknown one.
pub(crate) fn read_type(
    cx: &mut Ctx<'_>,
    cell: Option<&Cell>,
    row_loc: Loc,
    what: &str,
) -> TypeRef {
    let ty = match cell {
        Some(c) => types::parse_cell(c.text(), &c.inline.links),
        None => TypeRef::Unknown(String::new()),
    };
    if let TypeRef::Unknown(t) = &ty {
        cx.diag(
            cell.map(|c| c.loc).unwrap_or(row_loc),
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
    let hs: Vec<Lower> = header.iter().map(norm_header).collect();
    let ncol = hs.iter().position(|h| {
        is_name_header(h) && !matches!(&**h, "member" | "members" | "header" | "headers")
    })?;
    if let Some(t) = type_col(&hs) {
        return Some((ncol, t));
    }
    // a `Value` column whose every cell is a type (not `Name | Value` pairs of literal values)
    let vcol = col(&hs, |h| h == "value" || h == "values")?;
    let mut cells = rows
        .iter()
        .filter_map(|r| r.get(vcol))
        .filter(|c| !c.text().is_empty())
        .peekable();
    cells.peek()?;
    cells
        .all(|c| {
            !matches!(
                crate::types::parse_cell(c.text(), &c.inline.links),
                TypeRef::Unknown(_)
            )
        })
        .then_some((ncol, vcol))
}

pub(crate) fn params(cx: &mut Ctx<'_>, header: &[Cell], rows: &[&[Cell]]) -> Vec<Param> {
    let hs: Vec<Lower> = header.iter().map(norm_header).collect();
    let (ncol, tcol) = match param_columns(header, rows) {
        Some((n, t)) => (n, Some(t)),
        None => (0, type_col(&hs)),
    };
    let dcol = col(&hs, |h| {
        h.starts_with("description") || h == "notes" || h == "details"
    });
    let rcol = col(&hs, |h| h == "required" || h == "required?");
    let mut out = Vec::new();
    let mut buf = String::new();
    for row in rows {
        let Some(first) = row.get(ncol).or(row.first()) else {
            continue;
        };
        let name = cell_name(first);
        if name.is_empty() {
            cx.diag(
                first.loc,
                Severity::Warning,
                codes::ROW_WITHOUT_NAME,
                "table row has an empty name cell; the row is ignored".into(),
            );
            continue;
        }
        let ty = match tcol {
            Some(i) => read_type(cx, row.get(i), first.loc, &name),
            None => TypeRef::Unknown(String::new()),
        };
        let description = dcol
            .and_then(|i| row.get(i))
            .map(|c| c.text().to_string())
            .unwrap_or_default();
        let required = match rcol.and_then(|i| row.get(i)) {
            Some(c) => {
                let t = Lower::new(c.text());
                t.starts_with("yes") || t.starts_with("true") || t.starts_with("required")
            }
            None => says_required(&description, &mut buf) || says_required(first.text(), &mut buf),
        };
        out.push(Param {
            name,
            ty,
            description,
            required,
            loc: first.loc,
        });
    }
    out
}

/// Reads a request-headers table.
pub(crate) fn headers(header: &[Cell], rows: &[&[Cell]]) -> Vec<HeaderParam> {
    let hs: Vec<Lower> = header.iter().map(norm_header).collect();
    let vcol = col(&hs, |h| h == "value" || h == "values")
        .or_else(|| col(&hs, |h| h.starts_with("description")))
        .unwrap_or(1);
    let mut out = Vec::new();
    let mut lower_buf = String::new();
    for row in rows {
        let Some(first) = row.first() else { continue };
        let name = cell_name(first);
        if name.is_empty() {
            continue;
        }
        let description = row
            .get(vcol)
            .map(|c| c.text().to_string())
            .unwrap_or_default();
        let lower = lower_into(&mut lower_buf, &description);
        let req_pos = lower.find("required");
        let opt_pos = lower.find("optional");
        let required = match (req_pos, opt_pos) {
            (Some(r), Some(o)) => Some(r < o),
            (Some(r), None) => Some(!lower[..r].trim_end().ends_with("not")),
            (None, Some(_)) => Some(false),
            (None, None) => None,
        };
        let cut = [req_pos, opt_pos]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(description.len());
        let mut value = description[..cut].to_string();
        if let Some(p) = value.find(". ") {
            value.truncate(p);
        }
        if let Some(p) = value.find('\n') {
            value.truncate(p);
        }
        let value = value
            .trim()
            .trim_end_matches(['.', ',', ';'])
            .trim()
            .to_string();
        out.push(HeaderParam {
            name,
            value,
            description,
            required,
            loc: first.loc,
        });
    }
    out
}

/// Reads a properties / relationships table.
pub(crate) fn properties(cx: &mut Ctx<'_>, header: &[Cell], rows: &[&[Cell]]) -> Vec<Property> {
    let hs: Vec<Lower> = header.iter().map(norm_header).collect();
    let tcol = type_col(&hs).unwrap_or(1);
    let dcol = col(&hs, |h| h.starts_with("description")).unwrap_or(tcol + 1);
    let mut out = Vec::new();
    let mut lower_buf = String::new();
    for row in rows {
        let Some(first) = row.first() else { continue };
        let name = cell_name(first);
        if name.is_empty() {
            cx.diag(
                first.loc,
                Severity::Warning,
                codes::ROW_WITHOUT_NAME,
                "property row has an empty name cell; the row is ignored".into(),
            );
            continue;
        }
        let ty = read_type(cx, row.get(tcol), first.loc, &name);
        let description = row
            .get(dcol)
            .map(|c| c.text().to_string())
            .unwrap_or_default();
        let lower = lower_into(&mut lower_buf, &description);
        // every phrase below holds "read" / "null": most descriptions are ruled out by one scan
        let read_only = lower.contains("read")
            && (lower.contains("read-only")
                || lower.contains("read only")
                || lower.contains("readonly"));
        let nullable = if !lower.contains("null") {
            None
        } else if lower.contains("not nullable")
            || lower.contains("non-nullable")
            || lower.contains("not null")
        {
            Some(false)
        } else if lower.contains("nullable") {
            Some(true)
        } else {
            None
        };
        let enum_values = possible_values_lower(&description, lower);
        out.push(Property {
            name,
            ty,
            description,
            read_only,
            nullable,
            enum_values,
            loc: first.loc,
        });
    }
    out
}

/// The values of a "Possible values are: a, b, c." sentence.
#[cfg(test)]
fn possible_values(desc: &str) -> Vec<String> {
    possible_values_lower(desc, &desc.to_ascii_lowercase())
}

/// The values of a "Possible values are: a, b, c." sentence in `desc`, whose ASCII-lower-cased
/// copy is `lower`.
fn possible_values_lower(desc: &str, lower: &str) -> Vec<String> {
    // every phrase below holds "values"
    if !lower.contains("values") {
        return Vec::new();
    }
    let Some(p) = [
        "possible values are",
        "possible values:",
        "the possible values are",
        "supported values are",
    ]
    .iter()
    .find_map(|k| lower.find(k).map(|i| i + k.len())) else {
        return Vec::new();
    };
    let rest = desc[p..].trim_start_matches([':', ' ']);
    let end = rest
        .char_indices()
        .find(|&(i, c)| {
            c == '\n'
                || (c == '.'
                    && rest[i + 1..]
                        .chars()
                        .next()
                        .map_or(true, |n| n.is_whitespace()))
        })
        .map(|(i, _)| i)
        .unwrap_or(rest.len());
    let list = &rest[..end];
    let mut out = Vec::new();
    for part in list
        .split(',')
        .flat_map(|p| p.split(" or "))
        .flat_map(|p| p.split(" and "))
    {
        let mut part = part.trim();
        for pre in ["and ", "or "] {
            if let Some(r) = part.strip_prefix(pre) {
                part = r.trim();
            }
        }
        let v = part
            .trim_matches(|c: char| c == '`' || c == '*' || c == '"' || c == '\'' || c == '_')
            .trim();
        let v = v.split_whitespace().next().unwrap_or("");
        let v = v.trim_matches(|c: char| {
            c == '`' || c == '*' || c == '"' || c == '\'' || c == '_' || c == ')' || c == '('
        });
        if !v.is_empty()
            && v.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.')
        {
            out.push(v.to_string());
        }
    }
    out
}

/// Enum members from a `Member|Value|Description` table.
pub(crate) fn enum_members(header: &[Cell], rows: &[&[Cell]]) -> Vec<crate::model::EnumMember> {
    let hs: Vec<Lower> = header.iter().map(norm_header).collect();
    let vcol = col(&hs, |h| h == "value" || h == "int value").filter(|&i| i > 0);
    let dcol = col(&hs, |h| h.starts_with("description"));
    rows.iter()
        .filter_map(|row| {
            let first = row.first()?;
            let name = cell_name(first);
            if name.is_empty() {
                return None;
            }
            Some(crate::model::EnumMember {
                name,
                value: vcol
                    .and_then(|i| row.get(i))
                    .and_then(|c| c.text().parse().ok()),
                description: dcol
                    .and_then(|i| row.get(i))
                    .map(|c| c.text().to_string())
                    .unwrap_or_default(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

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
    }
}
