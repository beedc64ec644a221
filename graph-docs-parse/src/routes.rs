//! Route lines: `METHOD /path?query` → [`Route`] with normalised path and typed segments.

use crate::model::{FunctionParam, Loc, Method, PathPart, Route, Segment};

/// Why a line is not a route.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RouteError {
    /// The line does not start with an HTTP method followed by a path.
    NotARoute,
    /// Brackets or quotes do not balance.
    Unbalanced(&'static str),
    /// The method is followed by nothing usable.
    EmptyPath,
}

impl std::fmt::Display for RouteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RouteError::NotARoute => {
                f.write_str("is not `METHOD /path` (METHOD one of GET, POST, PUT, PATCH, DELETE)")
            }
            RouteError::Unbalanced(what) => write!(f, "has unbalanced {what}"),
            RouteError::EmptyPath => f.write_str("has a method but no path"),
        }
    }
}

/// Parses one route line (`original` is kept as written).
pub fn parse_route(line: &str, loc: Loc) -> Result<Route, RouteError> {
    let original = line.trim_end_matches('\r').to_string();
    let t = line.trim();
    let (m, rest) = match t.find(|c: char| c.is_whitespace()) {
        Some(i) => (&t[..i], t[i..].trim()),
        None => (t, ""),
    };
    let method = Method::parse(m).ok_or(RouteError::NotARoute)?;
    // " HTTP/1.1" suffix
    let rest = rest.strip_suffix("HTTP/1.1").unwrap_or(rest).trim();
    if rest.is_empty() {
        return Err(RouteError::EmptyPath);
    }
    let (path, query) = normalise(rest);
    check_balance(&path)?;
    let segments = segments(&path);
    Ok(Route {
        method,
        path,
        segments,
        query,
        original,
        loc,
    })
}

/// Normalises a written path: removes whitespace, host and `/v1.0` / `/beta`, splits the
/// query, adds the leading `/`, drops trailing and doubled `/`.
pub fn normalise(written: &str) -> (String, Option<String>) {
    let mut s: String = if written.contains(char::is_whitespace) {
        written.chars().filter(|c| !c.is_whitespace()).collect()
    } else {
        written.to_string()
    };
    let starts_ci = |s: &str, p: &str| {
        s.len() >= p.len() && s.as_bytes()[..p.len()].eq_ignore_ascii_case(p.as_bytes())
    };
    let mut start = 0;
    for scheme in ["https://", "http://"] {
        if starts_ci(&s, scheme) {
            start = scheme.len();
        }
    }
    if start > 0 || starts_ci(&s, "graph.microsoft.com") {
        start = s[start..].find('/').map(|i| i + start).unwrap_or(s.len());
    }
    s.drain(..start);
    for v in ["/v1.0", "v1.0", "/beta", "beta"] {
        if starts_ci(&s, v) && matches!(s.as_bytes().get(v.len()), None | Some(b'/') | Some(b'?')) {
            s.drain(..v.len());
            break;
        }
    }
    let query = match find_top(&s, '?') {
        Some(q) => {
            let query = s[q + 1..].to_string();
            s.truncate(q);
            (!query.is_empty()).then_some(query)
        }
        None => None,
    };
    let mut out = String::with_capacity(s.len() + 1);
    out.push('/');
    let mut prev_slash = true;
    for c in s.chars() {
        if c == '/' {
            if prev_slash {
                continue;
            }
            prev_slash = true;
        } else {
            prev_slash = false;
        }
        out.push(c);
    }
    while out.len() > 1 && out.ends_with('/') {
        out.pop();
    }
    (out, query)
}

/// Position of `needle` outside braces, parentheses and quotes.
fn find_top(s: &str, needle: char) -> Option<usize> {
    let mut depth = 0i32;
    let mut quote = false;
    for (i, c) in s.char_indices() {
        match c {
            '\'' => quote = !quote,
            '{' | '(' if !quote => depth += 1,
            '}' | ')' if !quote => depth -= 1,
            c if c == needle && depth <= 0 && !quote => return Some(i),
            _ => {}
        }
    }
    None
}

fn check_balance(path: &str) -> Result<(), RouteError> {
    let (mut braces, mut parens, mut quotes) = (0i32, 0i32, 0u32);
    for c in path.chars() {
        match c {
            '{' => braces += 1,
            '}' => braces -= 1,
            '(' => parens += 1,
            ')' => parens -= 1,
            '\'' => quotes += 1,
            _ => {}
        }
        if !(0..=1).contains(&braces) {
            return Err(RouteError::Unbalanced("`{}`"));
        }
        if parens < 0 {
            return Err(RouteError::Unbalanced("`()`"));
        }
    }
    if braces != 0 {
        return Err(RouteError::Unbalanced("`{}`"));
    }
    if parens != 0 {
        return Err(RouteError::Unbalanced("`()`"));
    }
    if quotes % 2 != 0 {
        return Err(RouteError::Unbalanced("quotes"));
    }
    Ok(())
}

/// Splits a normalised path (leading `/`) on top-level `/`.
fn split_top(path: &str) -> Vec<&str> {
    split_outside(path, true)
}

/// Splits `path` on `/` outside quotes and parentheses (and braces, when `braces`: route
/// placeholders can hold anything), dropping empty pieces.
pub(crate) fn split_outside(path: &str, braces: bool) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut quote, mut start) = (0i32, false, 0);
    for (i, c) in path.char_indices() {
        match c {
            '\'' => quote = !quote,
            '(' if !quote => depth += 1,
            ')' if !quote => depth -= 1,
            '{' if braces && !quote => depth += 1,
            '}' if braces && !quote => depth -= 1,
            '/' if depth <= 0 && !quote => {
                if i > start {
                    out.push(&path[start..i]);
                }
                start = i + 1;
            }
            _ => {}
        }
    }
    if start < path.len() {
        out.push(&path[start..]);
    }
    out
}

/// The segments of a normalised path.
pub fn segments(path: &str) -> Vec<Segment> {
    let raw = split_top(path);
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let seg = raw[i];
        i += 1;
        let Some(colon) = find_top(seg, ':') else {
            out.push(simple(seg));
            continue;
        };
        let head = &seg[..colon];
        let after = &seg[colon + 1..];
        if !head.is_empty() {
            out.push(simple(head));
        }
        // the colon path: `after` and following segments until one ends with ':'
        let mut inner = String::new();
        let mut closed = false;
        if !after.is_empty() {
            if let Some(x) = after.strip_suffix(':') {
                inner.push_str(x);
                closed = true;
            } else {
                inner.push_str(after);
            }
        }
        while !closed && i < raw.len() {
            let s = raw[i];
            i += 1;
            if !inner.is_empty() {
                inner.push('/');
            }
            if let Some(x) = s.strip_suffix(':') {
                inner.push_str(x);
                closed = true;
            } else {
                inner.push_str(s);
            }
        }
        out.push(Segment::ColonPath {
            parts: parts(&inner),
            closed,
        });
    }
    out
}

/// Splits text into literal text and `{placeholder}` parts.
fn parts(s: &str) -> Vec<PathPart> {
    let mut out = Vec::new();
    let mut rest = s;
    while !rest.is_empty() {
        match rest.find('{') {
            Some(0) => match rest.find('}') {
                Some(end) => {
                    out.push(PathPart::Placeholder(rest[1..end].trim().to_string()));
                    rest = &rest[end + 1..];
                }
                None => {
                    out.push(PathPart::Text(rest.to_string()));
                    break;
                }
            },
            Some(i) => {
                out.push(PathPart::Text(rest[..i].to_string()));
                rest = &rest[i..];
            }
            None => {
                out.push(PathPart::Text(rest.to_string()));
                break;
            }
        }
    }
    out
}

fn names(inner: &str) -> Vec<String> {
    inner
        .split('|')
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty())
        .collect()
}

/// `{x}` or `'{x}'` → (names, quoted).
fn placeholder(v: &str) -> Option<(Vec<String>, bool)> {
    let (v, quoted) = match v.strip_prefix('\'').and_then(|x| x.strip_suffix('\'')) {
        Some(x) => (x, true),
        None => (v, false),
    };
    let inner = v.strip_prefix('{')?.strip_suffix('}')?;
    if inner.contains(['{', '}']) {
        return None;
    }
    Some((names(inner), quoted))
}

fn simple(seg: &str) -> Segment {
    if let Some((names, false)) = placeholder(seg) {
        return Segment::Key { names };
    }
    if let (Some(open), true) = (seg.find('('), seg.ends_with(')')) {
        let name = &seg[..open];
        let inner = &seg[open + 1..seg.len() - 1];
        if inner.is_empty() {
            return Segment::Function {
                name: name.to_string(),
                params: Vec::new(),
            };
        }
        if find_top(inner, '=').is_some() {
            let params = split_commas(inner)
                .into_iter()
                .filter_map(|p| {
                    let (n, v) = p.split_once('=')?;
                    let (value, quoted) = match placeholder(v) {
                        Some((names, quoted)) => (PathPart::Placeholder(names.join("|")), quoted),
                        None => (PathPart::Text(v.to_string()), false),
                    };
                    Some(FunctionParam {
                        name: n.to_string(),
                        value,
                        quoted,
                    })
                })
                .collect();
            return Segment::Function {
                name: name.to_string(),
                params,
            };
        }
        if let Some((names, quoted)) = placeholder(inner) {
            return Segment::KeyInParens {
                collection: name.to_string(),
                names,
                quoted,
            };
        }
        return Segment::Literal(seg.to_string());
    }
    if seg.contains('.') && !seg.starts_with('$') && !seg.contains(['{', '(']) {
        let lower = seg.to_ascii_lowercase();
        if lower.starts_with("microsoft.") || lower.starts_with("graph.") {
            return Segment::Cast(seg.to_string());
        }
    }
    Segment::Literal(seg.to_string())
}

fn split_commas(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut quote = false;
    let mut start = 0;
    for (i, c) in s.char_indices() {
        match c {
            '\'' => quote = !quote,
            '{' | '(' if !quote => depth += 1,
            '}' | ')' if !quote => depth -= 1,
            ',' if depth <= 0 && !quote => {
                out.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&s[start..]);
    out.into_iter().filter(|p| !p.is_empty()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(s: &str) -> Route {
        parse_route(s, Loc::line(1)).unwrap()
    }
    fn lit(s: &str) -> Segment {
        Segment::Literal(s.into())
    }
    fn key(n: &[&str]) -> Segment {
        Segment::Key {
            names: n.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn plain_and_keys() {
        let x = r("GET /users/{id | userPrincipalName}/events/{id}");
        assert_eq!(x.method, Method::Get);
        assert_eq!(x.path, "/users/{id|userPrincipalName}/events/{id}");
        assert_eq!(
            x.segments,
            vec![
                lit("users"),
                key(&["id", "userPrincipalName"]),
                lit("events"),
                key(&["id"])
            ]
        );
        assert_eq!(x.key(), "/users/{}/events/{}");
        assert_eq!(r("GET /users/{user-id}/events/{event-id}").key(), x.key());
    }

    #[test]
    fn normalisation() {
        let x = r("get https://graph.microsoft.com/v1.0/me/events/ ?$select=subject");
        assert_eq!(x.method, Method::Get);
        assert_eq!(x.path, "/me/events");
        assert_eq!(x.query.as_deref(), Some("$select=subject"));
        assert_eq!(r("GET me//drive/").path, "/me/drive");
        assert_eq!(r("GET /beta/me").path, "/me");
        assert_eq!(r("GET /").path, "/");
        assert_eq!(r("GET /").key(), "/");
        assert_eq!(
            r("DELETE /groups/{id}/members/{id}/$ref").segments.last(),
            Some(&lit("$ref"))
        );
    }

    #[test]
    fn functions() {
        let x = r("GET /me/calendar/calendarView/reminderView(startDateTime={startDateTime},endDateTime={endDateTime})");
        assert_eq!(
            x.segments.last(),
            Some(&Segment::Function {
                name: "reminderView".into(),
                params: vec![
                    FunctionParam {
                        name: "startDateTime".into(),
                        value: PathPart::Placeholder("startDateTime".into()),
                        quoted: false
                    },
                    FunctionParam {
                        name: "endDateTime".into(),
                        value: PathPart::Placeholder("endDateTime".into()),
                        quoted: false
                    },
                ]
            })
        );
        assert_eq!(
            r("GET /me/drive/root/delta()").segments.last(),
            Some(&Segment::Function {
                name: "delta".into(),
                params: vec![]
            })
        );
        let x =
            r("GET /me/drive/items/{id}/workbook/worksheets/{id|name}/range(address='{address}')");
        assert_eq!(
            x.segments.last(),
            Some(&Segment::Function {
                name: "range".into(),
                params: vec![FunctionParam {
                    name: "address".into(),
                    value: PathPart::Placeholder("address".into()),
                    quoted: true
                }]
            })
        );
        assert_eq!(x.segments[6], key(&["id", "name"]));
    }

    #[test]
    fn keys_in_parens_and_casts() {
        let x = r("GET /sites/{site-id}/lists('{list-id}')/items");
        assert_eq!(
            x.segments[2],
            Segment::KeyInParens {
                collection: "lists".into(),
                names: vec!["list-id".into()],
                quoted: true
            }
        );
        let x = r("GET /workbook/worksheets({id})/range");
        assert_eq!(
            x.segments[1],
            Segment::KeyInParens {
                collection: "worksheets".into(),
                names: vec!["id".into()],
                quoted: false
            }
        );
        let x = r("GET /items/{id}/microsoft.graph.sharedDriveItem/root");
        assert_eq!(
            x.segments[2],
            Segment::Cast("microsoft.graph.sharedDriveItem".into())
        );
    }

    #[test]
    fn colon_paths() {
        let x = r("PUT /me/drive/root:/{item-path}:/content");
        assert_eq!(
            x.segments,
            vec![
                lit("me"),
                lit("drive"),
                lit("root"),
                Segment::ColonPath {
                    parts: vec![PathPart::Placeholder("item-path".into())],
                    closed: true
                },
                lit("content")
            ]
        );
        let x = r("PUT /me/drive/items/{parent-id}:/{filename}:/content");
        assert_eq!(x.segments[3], key(&["parent-id"]));
        assert_eq!(
            x.segments[4],
            Segment::ColonPath {
                parts: vec![PathPart::Placeholder("filename".into())],
                closed: true
            }
        );
        let x = r("GET /drive/root:/folder/{name}");
        assert_eq!(
            x.segments[2],
            Segment::ColonPath {
                parts: vec![
                    PathPart::Text("folder/".into()),
                    PathPart::Placeholder("name".into())
                ],
                closed: false
            }
        );
    }

    #[test]
    fn errors() {
        assert_eq!(
            parse_route("For a user:", Loc::line(1)),
            Err(RouteError::NotARoute)
        );
        assert_eq!(parse_route("GET", Loc::line(1)), Err(RouteError::EmptyPath));
        assert!(matches!(
            parse_route("GET /users/{id", Loc::line(1)),
            Err(RouteError::Unbalanced(_))
        ));
    }
}
