//! Lenient JSON: the examples and annotations of the docs use `//` and `/* */` comments,
//! trailing commas, `...` ellipses and sometimes forget a comma. This module rewrites such text
//! into strict JSON (identity on strict JSON) and parses it with `serde_json`.

/// The outcome of a lenient parse.
#[derive(Debug, Clone, PartialEq)]
pub enum Lenient {
    /// The text was strict JSON.
    Strict(serde_json::Value),
    /// The text parsed after rewriting (comments, commas, ellipses removed).
    Repaired(serde_json::Value),
    /// The text does not parse even leniently; the message says where.
    Failed(String),
}

impl Lenient {
    /// The value, if the text parsed.
    pub fn value(self) -> Option<serde_json::Value> {
        match self {
            Lenient::Strict(v) | Lenient::Repaired(v) => Some(v),
            Lenient::Failed(_) => None,
        }
    }
}

/// Parses `text` leniently.
pub fn parse(text: &str) -> Lenient {
    let trimmed = text.trim();
    if let Ok(v) = serde_json::from_str(trimmed) {
        return Lenient::Strict(v);
    }
    let fixed = repair(trimmed);
    match serde_json::from_str(&fixed) {
        Ok(v) => Lenient::Repaired(v),
        Err(e) => Lenient::Failed(e.to_string()),
    }
}

/// Parses `text` leniently, returning the value if any.
pub fn parse_value(text: &str) -> Option<serde_json::Value> {
    parse(text).value()
}

fn is_value_end(c: u8) -> bool {
    matches!(c, b'"' | b'}' | b']' | b'0'..=b'9' | b'e' | b'l')
}

/// Rewrites lenient JSON into strict JSON: drops comments and ellipses (an ellipsis in value
/// position becomes `null`), drops trailing and doubled commas, inserts missing commas between
/// values.
pub fn repair(text: &str) -> String {
    let b = text.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(b.len() + 16);
    let mut last: u8 = 0; // last significant byte emitted
    let mut pending_comma = false;
    let mut i = 0;
    // emits a structural or value-start byte, resolving a pending comma first
    fn before_value(out: &mut Vec<u8>, last: &mut u8, pending: &mut bool, next: u8) {
        let closing = next == b'}' || next == b']';
        if *pending {
            if !closing
                && *last != b'{'
                && *last != b'['
                && *last != b','
                && *last != b':'
                && *last != 0
            {
                out.push(b',');
                *last = b',';
            }
            *pending = false;
        } else if !closing
            && next != b':'
            && next != b','
            && is_value_end(*last)
            && (next == b'"' || next == b'{' || next == b'[')
        {
            // a missing comma between two values / members
            out.push(b',');
            *last = b',';
        }
    }
    while i < b.len() {
        let c = b[i];
        match c {
            b'"' => {
                before_value(&mut out, &mut last, &mut pending_comma, c);
                // copy the string verbatim
                let start = i;
                i += 1;
                while i < b.len() {
                    match b[i] {
                        b'\\' => i += 2,
                        b'"' => {
                            i += 1;
                            break;
                        }
                        b'\n' => break, // unterminated string: stop at line end
                        _ => i += 1,
                    }
                }
                let end = i.min(b.len());
                out.extend_from_slice(&b[start..end]);
                if end > 0 && b[end - 1] != b'"' {
                    out.push(b'"');
                }
                last = b'"';
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < b.len() && !(b[i] == b'*' && b[i + 1] == b'/') {
                    i += 1;
                }
                i = (i + 2).min(b.len());
                continue;
            }
            b'.' if b.get(i + 1) == Some(&b'.') => {
                while i < b.len() && b[i] == b'.' {
                    i += 1;
                }
                if last == b':' {
                    out.extend_from_slice(b"null");
                    last = b'l';
                }
                continue;
            }
            0xE2 if b.get(i + 1) == Some(&0x80) && b.get(i + 2) == Some(&0xA6) => {
                // U+2026 HORIZONTAL ELLIPSIS
                i += 3;
                if last == b':' {
                    out.extend_from_slice(b"null");
                    last = b'l';
                }
                continue;
            }
            b',' => {
                if last != b'[' && last != b'{' && last != b',' && last != 0 {
                    pending_comma = true;
                }
                i += 1;
                continue;
            }
            b' ' | b'\t' | b'\r' | b'\n' => {
                out.push(c);
                i += 1;
                continue;
            }
            _ => {
                before_value(&mut out, &mut last, &mut pending_comma, c);
                // copy a bare token (number, literal) or a structural byte
                if c.is_ascii_alphanumeric() || c == b'-' || c == b'+' {
                    let start = i;
                    while i < b.len()
                        && (b[i].is_ascii_alphanumeric()
                            || matches!(b[i], b'-' | b'+' | b'.' | b'_'))
                    {
                        if b[i] == b'.' && b.get(i + 1) == Some(&b'.') {
                            break;
                        }
                        i += 1;
                    }
                    out.extend_from_slice(&b[start..i]);
                    last = b[i - 1];
                    if last.is_ascii_alphabetic() && last != b'e' && last != b'l' {
                        // keep `true` / `false` value-ends recognisable
                        last = b'e';
                    }
                    continue;
                }
                out.push(c);
                last = c;
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn strict_is_strict() {
        assert_eq!(
            parse(r#"{"a": [1, 2]}"#),
            Lenient::Strict(json!({"a": [1, 2]}))
        );
    }

    #[test]
    fn comments_commas_ellipses() {
        let v =
            parse_value("{\n // note\n \"a\": 1, /* x */\n \"b\": [1, 2,],\n \"c\": ...,\n ...\n}")
                .unwrap();
        assert_eq!(v, json!({"a": 1, "b": [1, 2], "c": null}));
        let v = parse_value("{\"value\": [ {\"id\": \"1\"}, ... ]}").unwrap();
        assert_eq!(v, json!({"value": [{"id": "1"}]}));
        let v = parse_value("{\"a\": \"x\"\n \"b\": true\n \"c\": {}}").unwrap();
        assert_eq!(v, json!({"a": "x", "b": true, "c": {}}));
        let v = parse_value("[1, 2 …]").unwrap();
        assert_eq!(v, json!([1, 2]));
    }

    #[test]
    fn strings_keep_slashes_and_dots() {
        let v = parse_value(r#"{"url": "https://x/..//y", "q": "a \" // b",}"#).unwrap();
        assert_eq!(v, json!({"url": "https://x/..//y", "q": "a \" // b"}));
    }

    #[test]
    fn failure_reports() {
        assert!(matches!(parse("{\"a\": string}"), Lenient::Failed(_)));
        assert!(matches!(parse(""), Lenient::Failed(_)));
    }
}
