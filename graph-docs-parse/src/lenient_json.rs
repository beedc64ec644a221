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
    let first_err = match serde_json::from_str(trimmed) {
        Ok(v) => return Lenient::Strict(v),
        Err(e) => e,
    };
    // strings spanning lines are most often broken lines inside a string; fall back to
    // closing them at the line end
    for multiline in [true, false] {
        if let Ok(v) = serde_json::from_str(&repair_with(trimmed, multiline)) {
            return Lenient::Repaired(v);
        }
    }
    Lenient::Failed(first_err.to_string())
}

/// Checks `text` leniently without building a value: `Ok(None)` when it is strict JSON,
/// `Ok(Some(repaired))` when it parses after rewriting, `Err(message)` when it does not parse.
///
/// Agrees with [`parse`] (same rewriting, same `serde_json` grammar and nesting limit), at a
/// fraction of the cost: nothing is allocated for strict JSON.
pub fn check(text: &str) -> Result<Option<String>, String> {
    let trimmed = text.trim();
    let first_err = match serde_json::from_str::<Skip>(trimmed) {
        Ok(_) => return Ok(None),
        Err(e) => e,
    };
    for multiline in [true, false] {
        let r = repair_with(trimmed, multiline);
        if serde_json::from_str::<Skip>(&r).is_ok() {
            return Ok(Some(r));
        }
    }
    Err(first_err.to_string())
}

/// Any JSON value, read and dropped on the way: the same grammar, number rules and nesting
/// limit as building a `serde_json::Value` (which `serde::de::IgnoredAny` does not share: it
/// skips values without the nesting limit), without allocating.
pub(crate) struct Skip;

impl<'de> serde::Deserialize<'de> for Skip {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Skip, D::Error> {
        d.deserialize_any(SkipVisitor)
    }
}

/// The visitor behind [`Skip`] (also used where a value of another shape is skipped).
pub(crate) struct SkipVisitor;

impl<'de> serde::de::Visitor<'de> for SkipVisitor {
    type Value = Skip;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_str<E>(self, _: &str) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_unit<E>(self) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_none<E>(self) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Skip, D::Error> {
        <Skip as serde::Deserialize>::deserialize(d)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut a: A) -> Result<Skip, A::Error> {
        while a.next_element::<Skip>()?.is_some() {}
        Ok(Skip)
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut a: A) -> Result<Skip, A::Error> {
        while a.next_entry::<Skip, Skip>()?.is_some() {}
        Ok(Skip)
    }
}

/// A JSON body that parses (leniently). It is checked when the page is parsed; the
/// `serde_json::Value` is built on first use ([`Json::value`], or through `Deref`), so pages
/// whose JSON is never looked at do not pay for building (and dropping) value trees.
pub struct Json {
    /// Strict JSON: the source text, or its repair.
    text: Box<str>,
    repaired: bool,
    value: std::sync::OnceLock<serde_json::Value>,
}

impl Json {
    /// Checks `text` leniently; `Err` carries `serde_json`'s message for the source text.
    pub fn new(text: &str) -> Result<Json, String> {
        let (text, repaired) = match check(text)? {
            None => (Box::from(text.trim()), false),
            Some(r) => (r.into_boxed_str(), true),
        };
        Ok(Json {
            text,
            repaired,
            value: std::sync::OnceLock::new(),
        })
    }

    /// A `Json` holding `v` (already built).
    pub fn from_value(v: serde_json::Value) -> Json {
        let value = std::sync::OnceLock::new();
        let text = v.to_string().into_boxed_str();
        let _ = value.set(v);
        Json {
            text,
            repaired: false,
            value,
        }
    }

    /// The value (built on first call).
    pub fn value(&self) -> &serde_json::Value {
        self.value.get_or_init(|| {
            // checked by `new`: cannot fail; `Null` keeps this total all the same
            serde_json::from_str(&self.text).unwrap_or(serde_json::Value::Null)
        })
    }

    /// The strict JSON text the value is built from (the source, or its repair).
    pub fn strict_text(&self) -> &str {
        &self.text
    }

    /// Whether the source needed rewriting (comments, trailing commas, `...`) to parse.
    pub fn was_repaired(&self) -> bool {
        self.repaired
    }
}

impl std::ops::Deref for Json {
    type Target = serde_json::Value;
    fn deref(&self) -> &serde_json::Value {
        self.value()
    }
}

impl Clone for Json {
    fn clone(&self) -> Json {
        Json {
            text: self.text.clone(),
            repaired: self.repaired,
            value: self.value.clone(),
        }
    }
}

impl std::fmt::Debug for Json {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.value(), f)
    }
}

impl PartialEq for Json {
    fn eq(&self, other: &Json) -> bool {
        self.text == other.text || self.value() == other.value()
    }
}

impl PartialEq<serde_json::Value> for Json {
    fn eq(&self, other: &serde_json::Value) -> bool {
        self.value() == other
    }
}

impl serde::Serialize for Json {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.value().serialize(s)
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
    repair_with(text, true)
}

fn is_literal(tok: &[u8]) -> bool {
    matches!(tok, b"true" | b"false" | b"null")
        || std::str::from_utf8(tok)
            .is_ok_and(|t| serde_json::from_str::<serde_json::Number>(t).is_ok())
}

fn repair_with(text: &str, multiline_strings: bool) -> String {
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
            b'"' | b'\'' => {
                before_value(&mut out, &mut last, &mut pending_comma, b'"');
                let quote = c;
                out.push(b'"');
                i += 1;
                let mut closed = false;
                while i < b.len() {
                    let d = b[i];
                    match d {
                        b'\\' => {
                            out.push(d);
                            if let Some(&n) = b.get(i + 1) {
                                out.push(n);
                            }
                            i += 2;
                        }
                        _ if d == quote => {
                            i += 1;
                            closed = true;
                            break;
                        }
                        b'"' => {
                            // a double quote inside a single-quoted string
                            out.extend_from_slice(b"\\\"");
                            i += 1;
                        }
                        b'\n' | b'\r' if !multiline_strings => break,
                        b'\n' => {
                            out.extend_from_slice(b"\\n");
                            i += 1;
                        }
                        b'\r' => i += 1,
                        b'\t' => {
                            out.extend_from_slice(b"\\t");
                            i += 1;
                        }
                        _ => {
                            out.push(d);
                            i += 1;
                        }
                    }
                }
                let _ = closed;
                out.push(b'"');
                last = b'"';
                continue;
            }
            0xC2 if b.get(i + 1) == Some(&0xA0) => {
                // a no-break space
                out.push(b' ');
                i += 2;
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
                // copy a bare token (number, literal; anything else is quoted) or a
                // structural byte
                if c.is_ascii_alphanumeric() || c == b'-' || c == b'+' {
                    let start = i;
                    while i < b.len()
                        && (b[i].is_ascii_alphanumeric()
                            || matches!(b[i], b'-' | b'+' | b'.' | b'_' | b':'))
                    {
                        if b[i] == b'.' && b.get(i + 1) == Some(&b'.') {
                            break;
                        }
                        i += 1;
                    }
                    let tok = &b[start..i];
                    if is_literal(tok) {
                        out.extend_from_slice(tok);
                        last = if tok[tok.len() - 1].is_ascii_alphabetic() {
                            b'e'
                        } else {
                            b'0'
                        };
                    } else {
                        // a bare word (`2018-04-01T12:39:16Z`, `string`): keep it as a string
                        let tok = if last != b':' && tok.ends_with(b":") {
                            &tok[..tok.len() - 1]
                        } else {
                            tok
                        };
                        if last != b':' && tok.len() < i - start {
                            i -= 1; // leave the `:` of an unquoted key
                        }
                        out.push(b'"');
                        out.extend_from_slice(tok);
                        out.push(b'"');
                        last = b'"';
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
    fn check_and_lazy_json_agree_with_parse() {
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        let shallow = format!("{}{}", "[".repeat(100), "]".repeat(100));
        let cases = [
            deep.as_str(),
            shallow.as_str(),
            r#"{"big": 1e400}"#,
            r#"{"a": "\u00e9\n", "b": -0.5e-3}"#,
            r#"{"a": 1, "b": [true, null]}"#,
            "{\n  // comment\n  \"a\": 1,\n}",
            r#"{"value": [{"id": "1"}, ...]}"#,
            "{\"a\": 1 \"b\": 2}",
            "{'single': 'quoted'}",
            "not json at all {",
            "",
            "[1, 2,, 3]",
        ];
        for text in cases {
            let parsed = parse(text);
            match (Json::new(text), &parsed) {
                (Ok(j), Lenient::Strict(v)) => {
                    assert!(!j.was_repaired(), "{text}");
                    assert_eq!(j.value(), v, "{text}");
                }
                (Ok(j), Lenient::Repaired(v)) => {
                    assert!(j.was_repaired(), "{text}");
                    assert_eq!(j.value(), v, "{text}");
                    // the repaired text is strict JSON
                    let strict: serde_json::Value = serde_json::from_str(j.strict_text()).unwrap();
                    assert_eq!(&strict, v, "{text}");
                }
                (Err(e), Lenient::Failed(m)) => assert_eq!(&e, m, "{text}"),
                (j, p) => panic!(
                    "{text:?}: check says {:?}, parse says {p:?}",
                    j.map(|j| j.value().clone())
                ),
            }
        }
        // the value is built once, on demand, and compares with values and other `Json`s
        let j = Json::new("{\"id\": \"x\",}").unwrap();
        assert_eq!(j, json!({"id": "x"}));
        assert_eq!(j["id"], "x");
        assert!(std::ptr::eq(j.value(), j.value()));
        assert_eq!(j.clone(), Json::from_value(json!({"id": "x"})));
        assert_eq!(serde_json::to_value(&j).unwrap(), json!({"id": "x"}));
    }

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
    fn single_quotes_bare_words_and_broken_lines() {
        let v = parse_value("[{'target':'#p', 'x': 'say \"hi\"'}]").unwrap();
        assert_eq!(v, json!([{"target": "#p", "x": "say \"hi\""}]));
        let v = parse_value("{\"d\": 2018-04-01T12:39:16Z, \"n\": -1.5e3, \"t\": string}").unwrap();
        assert_eq!(
            v,
            json!({"d": "2018-04-01T12:39:16Z", "n": -1.5e3, "t": "string"})
        );
        let v = parse_value("{\"id\": \"a/b\n('c')\"}").unwrap();
        assert_eq!(v, json!({"id": "a/b\n('c')"}));
        let v = parse_value("{\u{a0}\"a\":\u{a0}1}").unwrap();
        assert_eq!(v, json!({"a": 1}));
    }

    #[test]
    fn failure_reports() {
        assert!(matches!(parse("{\"a\": }}"), Lenient::Failed(_)));
        assert!(matches!(parse(""), Lenient::Failed(_)));
    }
}
