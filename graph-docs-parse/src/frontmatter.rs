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

/// `char::is_whitespace` for an ASCII byte.
fn ascii_ws(c: u8) -> bool {
    matches!(c, b' ' | b'\t'..=b'\r')
}

/// `s.trim_end()`: ASCII whitespace trimmed byte by byte, `str::trim_end` for the rest when
/// a non-ASCII character (possibly Unicode whitespace) ends the text.
fn trim_end(s: &str) -> &str {
    let b = s.as_bytes();
    let mut j = b.len();
    while j > 0 && ascii_ws(b[j - 1]) {
        j -= 1;
    }
    let t = &s[..j];
    if j > 0 && b[j - 1] >= 0x80 {
        t.trim_end()
    } else {
        t
    }
}

/// `s.trim_start()`, the same way.
fn trim_start(s: &str) -> &str {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() && ascii_ws(b[i]) {
        i += 1;
    }
    let t = &s[i..];
    if i < b.len() && b[i] >= 0x80 {
        t.trim_start()
    } else {
        t
    }
}

/// `s.trim()`, the same way (cheaper than `str::trim` for the short, mostly ASCII texts of
/// front matter lines, headings and table cells).
#[inline]
pub(crate) fn trim(s: &str) -> &str {
    // (the common case: a printable ASCII character at both ends, nothing to trim)
    if let (Some(&f), Some(&l)) = (s.as_bytes().first(), s.as_bytes().last()) {
        if (b'!'..=b'~').contains(&f) && (b'!'..=b'~').contains(&l) {
            return s;
        }
    }
    trim_start(trim_end(s))
}

/// Reads the front matter at the start of `text`, if any.
#[inline(never)] // (once per page: kept out of `parse_page` so that profiles show it)
pub(crate) fn parse(text: &str) -> (FrontMatter, Vec<FmIssue>) {
    let mut map = FrontMatter::default();
    let mut issues = Vec::new();
    let bytes = text.as_bytes();
    // the lines as `text.split('\n')` gives them: `next` is the start of the next one, if any
    let first_end = memchr::memchr(b'\n', bytes).unwrap_or(bytes.len());
    if trim_end(&text[..first_end]) != "---" {
        return (map, issues);
    }
    let mut next = (first_end < bytes.len()).then_some(first_end + 1);
    // (a typical front matter: 6-10 short pairs)
    map.buf.reserve(256);
    map.pairs.reserve(12);
    let mut closed = false;
    let mut lineno = 1u32;
    while let Some(start) = next {
        let end = match memchr::memchr(b'\n', &bytes[start..]) {
            Some(e) => {
                next = Some(start + e + 1);
                start + e
            }
            None => {
                next = None;
                bytes.len()
            }
        };
        lineno += 1;
        let mut line = &text[start..end];
        while let Some(l) = line.strip_suffix('\r') {
            line = l;
        }
        // (the common line, `key: value`, starts with an ASCII letter: not blank, not the
        // closing line, not a comment or continuation line)
        if !line.as_bytes().first().is_some_and(u8::is_ascii_alphabetic) {
            let end_trimmed = trim_end(line);
            if end_trimmed == "---" || end_trimmed == "..." {
                closed = true;
                break;
            }
            if end_trimmed.is_empty() || trim_start(line).starts_with('#') {
                continue;
            }
            // continuation lines of a multi-line value (indented or list items)
            if matches!(line.as_bytes().first(), Some(b' ' | b'\t' | b'-')) {
                continue;
            }
        }
        let pair = line
            .as_bytes()
            .iter()
            .position(|&c| c == b':')
            .map(|i| (trim(&line[..i]), &line[i + 1..]));
        match pair {
            Some((k, v)) if !k.is_empty() => map.insert(k, unquote(trim_value(v))),
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

/// `trim(v)` for the text after a key's `:`, usually one space and then the value: that space
/// cut without a call when the value then starts and ends with a printable ASCII character.
fn trim_value(v: &str) -> &str {
    let printable = |c: &u8| (b'!'..=b'~').contains(c);
    match v.as_bytes() {
        [b' ', f, .., l] if printable(f) && printable(l) => &v[1..],
        [b' ', f] if printable(f) => &v[1..],
        _ => trim(v),
    }
}

/// `v` (trimmed) without one pair of surrounding quotes.
fn unquote(v: &str) -> &str {
    let b = v.as_bytes();
    if b.len() >= 2 && (b[0] == b'"' || b[0] == b'\'') && b[b.len() - 1] == b[0] {
        &v[1..v.len() - 1]
    } else {
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_trimmed_like_str_trim() {
        let (m, _) = parse("---\nkey:  spaced \r\r\nk2: \u{a0}x\nk3: y\nk4:z\n---\n");
        assert_eq!(m.get("key"), Some("spaced"));
        assert_eq!(m.get("k2"), Some("x"));
        assert_eq!(m.get("k3"), Some("y"));
        assert_eq!(m.get("k4"), Some("z"));
    }

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

    /// The reading before it scanned bytes (the reference).
    fn parse_ref(text: &str) -> (FrontMatter, Vec<FmIssue>) {
        let mut map = FrontMatter::default();
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
            if line.starts_with(' ') || line.starts_with('\t') || line.starts_with('-') {
                continue;
            }
            match line.split_once(':') {
                Some((k, v)) if !k.trim().is_empty() => {
                    let v = v.trim();
                    let v = if v.len() >= 2
                        && ((v.starts_with('"') && v.ends_with('"'))
                            || (v.starts_with('\'') && v.ends_with('\'')))
                    {
                        &v[1..v.len() - 1]
                    } else {
                        v
                    };
                    map.insert(k.trim(), v);
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

    #[test]
    fn reads_like_the_reference() {
        const PIECES: &[&str] = &[
            "---",
            "...",
            "\n",
            "\r\n",
            "\r",
            " ",
            "\t",
            "\u{a0}",
            "\u{2003}",
            "\u{85}",
            ":",
            ": ",
            "title",
            "ms.topic",
            "\"",
            "'",
            "\"x\"",
            "'y'",
            "#",
            "# c",
            "-",
            "- item",
            "é",
            "a",
            "value with: colon",
            "\u{feff}",
        ];
        let mut texts: Vec<String> = [
            "",
            "---",
            "---\n",
            "---\n---",
            "--- \r\nk: v\r\n--- \r\n",
            "---\u{a0}\nk:v\n...",
            "---\n\u{a0}k\u{a0}:\u{a0}\"v\"\u{a0}\n---\n",
            "---\nk: \"\n---",
            "---\nk: '\"\n---",
            "---\n:v\n---",
            "---\n  : v\nnot a pair\n---",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let mut rng = fastrand::Rng::with_seed(11);
        for _ in 0..20_000 {
            let n = rng.usize(1..16);
            let body: String = (0..n).map(|_| PIECES[rng.usize(..PIECES.len())]).collect();
            texts.push(format!("---\n{body}"));
        }
        texts.push(format!("---\n{}", "k: v\n".repeat(300)));
        for t in texts {
            assert_eq!(parse(&t), parse_ref(&t), "{t:?}");
        }
    }

    #[test]
    fn unclosed() {
        let (_, issues) = parse("---\ntitle: x\n");
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].0, "GD005");
    }
}
