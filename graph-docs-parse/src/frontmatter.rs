//! YAML-style front matter (`---` … `---`), read as flat `key: value` pairs.

use std::collections::BTreeMap;

use crate::codes;
use crate::model::Loc;

/// A problem found in the front matter (code, location, message).
pub(crate) type FmIssue = (&'static str, Loc, String);

/// Reads the front matter at the start of `text`, if any.
pub(crate) fn parse(text: &str) -> (BTreeMap<String, String>, Vec<FmIssue>) {
    let mut map = BTreeMap::new();
    let mut issues = Vec::new();
    let mut lines = text.split('\n');
    match lines.next() {
        Some(first) if first.trim_end() == "---" => {}
        _ => return (map, issues),
    }
    let mut closed = false;
    for (n, raw) in lines.enumerate() {
        let line = raw.trim_end_matches('\r');
        let lineno = n as u32 + 2;
        if line.trim_end() == "---" || line.trim_end() == "..." {
            closed = true;
            break;
        }
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        // continuation lines of a multi-line value (indented or list items)
        if line.starts_with(' ') || line.starts_with('\t') || line.starts_with('-') {
            continue;
        }
        match line.split_once(':') {
            Some((k, v)) if !k.trim().is_empty() => {
                map.insert(k.trim().to_string(), unquote(v.trim()).to_string());
            }
            _ => issues.push((
                codes::FRONT_MATTER,
                Loc::line(lineno),
                format!("front matter line `{}` is not `key: value`", line.trim()),
            )),
        }
        if lineno > 200 {
            break;
        }
    }
    if !closed {
        issues.push((
            codes::FRONT_MATTER,
            Loc::line(1),
            "front matter starts with `---` but is never closed by a `---` line".to_string(),
        ));
    }
    (map, issues)
}

fn unquote(v: &str) -> &str {
    let v = v.trim();
    if v.len() >= 2
        && ((v.starts_with('"') && v.ends_with('"')) || (v.starts_with('\'') && v.ends_with('\'')))
    {
        &v[1..v.len() - 1]
    } else {
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_pairs() {
        let (m, issues) =
            parse("---\ntitle: \"Get a user\"\ndoc_type: 'apiPageType'\nauthor:\n---\n# x");
        assert!(issues.is_empty());
        assert_eq!(m["title"], "Get a user");
        assert_eq!(m["doc_type"], "apiPageType");
        assert_eq!(m["author"], "");
    }

    #[test]
    fn unclosed() {
        let (_, issues) = parse("---\ntitle: x\n");
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].0, "GD005");
    }
}
