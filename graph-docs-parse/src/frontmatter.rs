//! YAML-style front matter (`---` … `---`), read as flat `key: value` pairs.

use crate::codes;
use crate::model::Loc;

/// A page's front matter: its flat `key: value` pairs (quotes removed), stored as one string
/// and an offset table (one allocation each, however many pairs), looked up like a map.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FrontMatter {
    buf: String,
    /// Per pair, in document order: key start, value start (= key end), value end in `buf`.
    pairs: Vec<(u32, u32, u32)>,
}

impl FrontMatter {
    fn insert(&mut self, key: &str, value: &str) {
        let k = self.buf.len();
        self.buf.push_str(key);
        let v = self.buf.len();
        self.buf.push_str(value);
        let end = self.buf.len();
        // (a front matter is at most a few hundred lines: offsets fit)
        self.pairs.push((k as u32, v as u32, end as u32));
    }

    fn pair(&self, &(k, v, e): &(u32, u32, u32)) -> (&str, &str) {
        let (k, v, e) = (k as usize, v as usize, e as usize);
        (
            self.buf.get(k..v).unwrap_or(""),
            self.buf.get(v..e).unwrap_or(""),
        )
    }

    /// The value of `key` (the last one, if the key is repeated).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.pairs
            .iter()
            .rev()
            .map(|p| self.pair(p))
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v)
    }

    /// Every pair in document order (a repeated key appears each time).
    pub fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.pairs.iter().map(|p| self.pair(p))
    }

    /// The distinct keys with their values ([`FrontMatter::get`]), sorted by key.
    pub fn to_map(&self) -> std::collections::BTreeMap<&str, &str> {
        self.pairs().collect()
    }

    /// The number of distinct keys.
    pub fn len(&self) -> usize {
        self.to_map().len()
    }

    /// Whether there are no pairs.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }
}

impl serde::Serialize for FrontMatter {
    /// As a map sorted by key, one entry per distinct key.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.to_map().serialize(s)
    }
}

/// A problem found in the front matter (code, location, message).
pub(crate) type FmIssue = (&'static str, Loc, String);

/// Reads the front matter at the start of `text`, if any.
pub(crate) fn parse(text: &str) -> (FrontMatter, Vec<FmIssue>) {
    let mut map = FrontMatter::default();
    let mut issues = Vec::new();
    let mut lines = text.split('\n');
    match lines.next() {
        Some(first) if first.trim_end() == "---" => {}
        _ => return (map, issues),
    }
    // (a typical front matter: 6-10 short pairs)
    map.buf.reserve(256);
    map.pairs.reserve(12);
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
                map.insert(k.trim(), unquote(v.trim()));
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
        assert_eq!(m.get("title"), Some("Get a user"));
        assert_eq!(m.get("doc_type"), Some("apiPageType"));
        assert_eq!(m.get("author"), Some(""));
        assert_eq!(m.get("missing"), None);
        assert_eq!(m.len(), 3);
        assert_eq!(
            m.pairs().collect::<Vec<_>>(),
            [
                ("title", "Get a user"),
                ("doc_type", "apiPageType"),
                ("author", "")
            ]
        );
    }

    #[test]
    fn repeated_keys_keep_the_last_value_like_a_map() {
        let (m, _) = parse("---\nms.topic: a\ntitle: one\nms.topic: b\n---\n");
        assert_eq!(m.get("ms.topic"), Some("b"));
        assert_eq!(m.len(), 2);
        assert_eq!(
            serde_json::to_string(&m).unwrap(),
            r#"{"ms.topic":"b","title":"one"}"#
        );
    }

    #[test]
    fn unclosed() {
        let (_, issues) = parse("---\ntitle: x\n");
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].0, "GD005");
    }
}
