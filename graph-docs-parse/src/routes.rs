//! Route lines: `METHOD /path?query` → [`Route`] with normalised path and typed segments.

use std::borrow::Cow;

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
    let t = trim(line);
    let (m, rest) = match first_whitespace(t) {
        // (the ASCII whitespace after the method cut first, so `trim` usually has nothing to do)
        Some(i) => {
            let j = i + t.as_bytes()[i..]
                .iter()
                .take_while(|&&c| is_ascii_ws(c))
                .count();
            (&t[..i], trim(&t[j..]))
        }
        None => (t, ""),
    };
    let method = Method::parse(m).ok_or(RouteError::NotARoute)?;
    // " HTTP/1.1" suffix
    let rest = trim(rest.strip_suffix("HTTP/1.1").unwrap_or(rest));
    if rest.is_empty() {
        return Err(RouteError::EmptyPath);
    }
    let (path, query) = normalise(rest);
    let (segments, balance) = segments_and_balance(&path);
    balance?;
    Ok(Route {
        method,
        path,
        segments,
        query,
        original,
        loc,
    })
}

/// The ASCII bytes `char::is_whitespace` accepts (it also accepts some non-ASCII chars):
/// space, `\t`, `\n`, vertical tab, form feed, `\r`.
fn is_ascii_ws(b: u8) -> bool {
    (b == b' ') | (b.wrapping_sub(b'\t') < 5)
}

/// `s.trim()`: ASCII whitespace is cut byte by byte, the char-aware `trim` only runs when
/// a non-ASCII char is left at either end.
fn trim(s: &str) -> &str {
    let b = s.as_bytes();
    if let (Some(&f), Some(&l)) = (b.first(), b.last()) {
        if f < 0x80 && l < 0x80 && !is_ascii_ws(f) && !is_ascii_ws(l) {
            return s;
        }
    }
    let Some(start) = b.iter().position(|&c| !is_ascii_ws(c)) else {
        return "";
    };
    // there is a non-whitespace byte, so `rposition` finds one at or after `start`
    let end = b
        .iter()
        .rposition(|&c| !is_ascii_ws(c))
        .map_or(start, |i| i + 1);
    // both ends are char boundaries: only ASCII bytes were cut
    let s = &s[start..end];
    if b[start] >= 0x80 || b[end - 1] >= 0x80 {
        s.trim()
    } else {
        s
    }
}

/// Whether some byte of `b` satisfies `f` (no early exit, so the loop vectorises).
fn any_byte(b: &[u8], f: impl Fn(u8) -> bool) -> bool {
    b.iter().fold(false, |acc, &c| acc | f(c))
}

/// Byte position of the first `char::is_whitespace` char: a byte scan over the ASCII
/// prefix, then the char scan from the first non-ASCII byte on.
fn first_whitespace(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let i = b.iter().position(|&c| c >= 0x80 || is_ascii_ws(c))?;
    if b[i] < 0x80 {
        return Some(i);
    }
    // `i` is a char boundary: everything before it is ASCII.
    s[i..].find(char::is_whitespace).map(|j| i + j)
}

/// `s` without any `char::is_whitespace` chars; borrowed when there are none.
fn without_whitespace(s: &str) -> Cow<'_, str> {
    if !any_byte(s.as_bytes(), |c| (c >= 0x80) | is_ascii_ws(c)) {
        Cow::Borrowed(s)
    } else if s.is_ascii() {
        let mut out = String::with_capacity(s.len());
        let mut run = 0;
        for (i, &c) in s.as_bytes().iter().enumerate() {
            if is_ascii_ws(c) {
                out.push_str(&s[run..i]);
                run = i + 1;
            }
        }
        out.push_str(&s[run..]);
        Cow::Owned(out)
    } else if s.contains(char::is_whitespace) {
        Cow::Owned(s.chars().filter(|c| !c.is_whitespace()).collect())
    } else {
        Cow::Borrowed(s)
    }
}

/// Whether `s` starts with the ASCII text `p` (at least two bytes), ignoring ASCII case.
fn starts_ci(s: &str, p: &str) -> bool {
    let (s, p) = (s.as_bytes(), p.as_bytes());
    // the first two bytes settle most calls
    s.len() >= p.len()
        && s[0].eq_ignore_ascii_case(&p[0])
        && s[1].eq_ignore_ascii_case(&p[1])
        && s[2..p.len()].eq_ignore_ascii_case(&p[2..])
}

/// Normalises a written path: removes whitespace, host and `/v1.0` / `/beta`, splits the
/// query, adds the leading `/`, drops trailing and doubled `/`.
pub fn normalise(written: &str) -> (String, Option<String>) {
    let stripped = without_whitespace(written);
    let full: &str = &stripped;
    // the path is `full[start..end]`
    let mut start = 0;
    for scheme in ["https://", "http://"] {
        if starts_ci(full, scheme) {
            start = scheme.len();
        }
    }
    if start > 0 || starts_ci(full, "graph.microsoft.com") {
        start = full[start..]
            .find('/')
            .map(|i| i + start)
            .unwrap_or(full.len());
    }
    for v in ["/v1.0", "v1.0", "/beta", "beta"] {
        let s = &full[start..];
        if starts_ci(s, v) && matches!(s.as_bytes().get(v.len()), None | Some(b'/') | Some(b'?')) {
            start += v.len();
            break;
        }
    }
    let mut end = full.len();
    let query = match find_top(&full[start..], b'?') {
        Some(q) => {
            end = start + q;
            let query = &full[end + 1..];
            (!query.is_empty()).then(|| query.to_string())
        }
        None => None,
    };
    let b = &full.as_bytes()[start..end];
    let double_slash = b
        .iter()
        .zip(&b[1.min(b.len())..])
        .fold(false, |acc, (&x, &y)| acc | ((x == b'/') & (y == b'/')));
    if b.first() == Some(&b'/') && b.last() != Some(&b'/') && !double_slash {
        // already normal (`/` + non-empty pieces): keep the text, in the buffer made for it
        // when whitespace was removed
        let path = match stripped {
            Cow::Owned(mut own) => {
                own.truncate(end);
                own.drain(..start);
                own
            }
            Cow::Borrowed(s) => s[start..end].to_string(),
        };
        return (path, query);
    }
    let s = &full[start..end];
    // `/` + the non-empty pieces between slashes, joined with `/`
    let mut out = String::with_capacity(s.len() + 1);
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'/' {
            i += 1;
            continue;
        }
        let piece = i;
        while i < b.len() && b[i] != b'/' {
            i += 1;
        }
        out.push('/');
        out.push_str(&s[piece..i]);
    }
    if out.is_empty() {
        out.push('/');
    }
    (out, query)
}

/// Position of the ASCII byte `needle` outside braces, parentheses and quotes.
fn find_top(s: &str, needle: u8) -> Option<usize> {
    let b = s.as_bytes();
    if !any_byte(b, |c| c == needle) {
        return None;
    }
    let mut depth = 0i32;
    let mut quote = false;
    for (i, &c) in b.iter().enumerate() {
        match c {
            b'\'' => quote = !quote,
            b'{' | b'(' if !quote => depth += 1,
            b'}' | b')' if !quote => depth -= 1,
            c if c == needle && depth <= 0 && !quote => return Some(i),
            _ => {}
        }
    }
    None
}

/// Whether the braces, parentheses and quotes of a path balance: braces never nest and
/// close, parentheses never close before they open and close, quotes come in pairs.
/// [`split_scan`] keeps the counts (of `{`, `}`, `(`, `)` and `'`, quoted or not) and
/// notes the first imbalance met, which wins.
#[derive(Default)]
struct Balance {
    braces: i32,
    parens: i32,
    quotes: u32,
    error: Option<&'static str>,
}

impl Balance {
    fn result(&self) -> Result<(), RouteError> {
        if let Some(what) = self.error {
            return Err(RouteError::Unbalanced(what));
        }
        if self.braces != 0 {
            return Err(RouteError::Unbalanced("`{}`"));
        }
        if self.parens != 0 {
            return Err(RouteError::Unbalanced("`()`"));
        }
        if self.quotes % 2 != 0 {
            return Err(RouteError::Unbalanced("quotes"));
        }
        Ok(())
    }
}

/// Splits `path` on `/` outside quotes and parentheses (and braces, when `braces`: route
/// placeholders can hold anything), dropping empty pieces.
pub(crate) fn split_outside(path: &str, braces: bool) -> Vec<&str> {
    let mut out = Vec::new();
    split_scan(path, braces, |piece, _| out.push(piece));
    out
}

/// The one scan behind [`split_outside`]: calls `piece` with each non-empty piece and
/// whether it holds a `:`. With `braces`, also returns the path's [`Balance`].
fn split_scan<'a>(path: &'a str, braces: bool, mut piece: impl FnMut(&'a str, bool)) -> Balance {
    let b = path.as_bytes();
    let table = if braces { &SPLIT_BRACES } else { &SPLIT };
    let (mut depth, mut quote) = (0i32, false);
    // the current piece starts at `start`; one past the last `:` seen (0: none yet)
    let (mut start, mut colon_end) = (0usize, 0usize);
    let mut bal = Balance::default();
    let mut i = 0;
    loop {
        while i < b.len() && !table[usize::from(b[i])] {
            i += 1;
        }
        if i >= b.len() {
            break;
        }
        let c = b[i];
        i += 1;
        match c {
            b'/' if depth <= 0 && !quote => {
                if i - 1 > start {
                    piece(&path[start..i - 1], colon_end > start);
                }
                start = i;
            }
            b':' => colon_end = i,
            b'\'' => {
                quote = !quote;
                bal.quotes += 1;
            }
            b'(' => {
                if !quote {
                    depth += 1;
                }
                bal.parens += 1;
            }
            b')' => {
                if !quote {
                    depth -= 1;
                }
                bal.parens -= 1;
                if bal.parens < 0 && bal.error.is_none() {
                    bal.error = Some("`()`");
                }
            }
            b'{' => {
                if !quote {
                    depth += 1;
                }
                bal.braces += 1;
                if bal.braces > 1 && bal.error.is_none() {
                    bal.error = Some("`{}`");
                }
            }
            b'}' => {
                if !quote {
                    depth -= 1;
                }
                bal.braces -= 1;
                if bal.braces < 0 && bal.error.is_none() {
                    bal.error = Some("`{}`");
                }
            }
            _ => {}
        }
    }
    if start < b.len() {
        piece(&path[start..], colon_end > start);
    }
    bal
}

/// The bytes [`split_scan`] looks at: `/`, `:`, `'`, `(`, `)` and, with `braces`, `{`, `}`.
const fn split_table(braces: bool) -> [bool; 256] {
    let mut t = [false; 256];
    t[b'/' as usize] = true;
    t[b':' as usize] = true;
    t[b'\'' as usize] = true;
    t[b'(' as usize] = true;
    t[b')' as usize] = true;
    t[b'{' as usize] = braces;
    t[b'}' as usize] = braces;
    t
}
static SPLIT: [bool; 256] = split_table(false);
static SPLIT_BRACES: [bool; 256] = split_table(true);

/// The segments of a normalised path.
pub fn segments(path: &str) -> Vec<Segment> {
    segments_and_balance(path).0
}

/// The segments of a normalised path, and whether its braces, parentheses and quotes
/// balance (one scan finds both).
fn segments_and_balance(path: &str) -> (Vec<Segment>, Result<(), RouteError>) {
    // (counted in u8 lanes, 255 bytes at a time, so the loop vectorises)
    let slashes: usize = path
        .as_bytes()
        .chunks(255)
        .map(|ch| usize::from(ch.iter().fold(0u8, |n, &c| n + u8::from(c == b'/'))))
        .sum();
    let mut out = Vec::with_capacity(slashes);
    // the text of an open colon path: `x:/a/b` until a piece ends with ':'
    let mut colon_path: Option<String> = None;
    let balance = split_scan(path, true, |seg, has_colon| {
        if let Some(inner) = &mut colon_path {
            if !inner.is_empty() {
                inner.push('/');
            }
            if let Some(x) = seg.strip_suffix(':') {
                inner.push_str(x);
                out.push(Segment::ColonPath {
                    parts: parts(inner),
                    closed: true,
                });
                colon_path = None;
            } else {
                inner.push_str(seg);
            }
            return;
        }
        let colon = if has_colon { find_top(seg, b':') } else { None };
        let Some(colon) = colon else {
            out.push(simple(seg));
            return;
        };
        let head = &seg[..colon];
        let after = &seg[colon + 1..];
        if !head.is_empty() {
            out.push(simple(head));
        }
        // the colon path: `after` and following pieces until one ends with ':'
        match after.strip_suffix(':') {
            Some(x) => out.push(Segment::ColonPath {
                parts: parts(x),
                closed: true,
            }),
            None => colon_path = Some(after.to_string()),
        }
    });
    if let Some(inner) = colon_path {
        out.push(Segment::ColonPath {
            parts: parts(&inner),
            closed: false,
        });
    }
    (out, balance.result())
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

/// The `|`-separated names of a placeholder, trimmed, without empty ones.
fn names(inner: &str) -> Vec<String> {
    if !any_byte(inner.as_bytes(), |c| c == b'|') {
        let n = trim(inner);
        return if n.is_empty() {
            Vec::new()
        } else {
            vec![n.to_string()]
        };
    }
    let mut out = Vec::new();
    for n in inner.split('|') {
        let n = trim(n);
        if !n.is_empty() {
            out.push(n.to_string());
        }
    }
    out
}

/// [`names`] joined with `|`.
fn joined_names(inner: &str) -> String {
    let mut out = String::with_capacity(inner.len());
    for n in inner.split('|') {
        let n = trim(n);
        if !n.is_empty() {
            if !out.is_empty() {
                out.push('|');
            }
            out.push_str(n);
        }
    }
    out
}

/// `{x}` or `'{x}'` → (the text between the braces, quoted).
fn placeholder(v: &str) -> Option<(&str, bool)> {
    let (v, quoted) = match v.strip_prefix('\'').and_then(|x| x.strip_suffix('\'')) {
        Some(x) => (x, true),
        None => (v, false),
    };
    let inner = v.strip_prefix('{')?.strip_suffix('}')?;
    if any_byte(inner.as_bytes(), |c| (c == b'{') | (c == b'}')) {
        return None;
    }
    Some((inner, quoted))
}

fn simple(seg: &str) -> Segment {
    if let Some((inner, false)) = placeholder(seg) {
        return Segment::Key {
            names: names(inner),
        };
    }
    let open = if seg.ends_with(')') {
        seg.find('(')
    } else {
        None
    };
    if let Some(open) = open {
        let name = &seg[..open];
        let inner = &seg[open + 1..seg.len() - 1];
        if inner.is_empty() {
            return Segment::Function {
                name: name.to_string(),
                params: Vec::new(),
            };
        }
        if find_top(inner, b'=').is_some() {
            let mut params = Vec::new();
            for p in split_commas(inner) {
                let Some((n, v)) = p.split_once('=') else {
                    continue;
                };
                let (value, quoted) = match placeholder(v) {
                    Some((names, quoted)) => (PathPart::Placeholder(joined_names(names)), quoted),
                    None => (PathPart::Text(v.to_string()), false),
                };
                params.push(FunctionParam {
                    name: n.to_string(),
                    value,
                    quoted,
                });
            }
            return Segment::Function {
                name: name.to_string(),
                params,
            };
        }
        if let Some((names_inner, quoted)) = placeholder(inner) {
            return Segment::KeyInParens {
                collection: name.to_string(),
                names: names(names_inner),
                quoted,
            };
        }
        return Segment::Literal(seg.to_string());
    }
    // (either prefix implies a `.` and no leading `$`)
    if (starts_ci(seg, "microsoft.") || starts_ci(seg, "graph."))
        && !any_byte(seg.as_bytes(), |c| (c == b'{') | (c == b'('))
    {
        return Segment::Cast(seg.to_string());
    }
    Segment::Literal(seg.to_string())
}

/// Splits `s` on `,` outside quotes, braces and parentheses, dropping empty pieces.
fn split_commas(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut quote = false;
    let mut start = 0;
    for (i, &c) in s.as_bytes().iter().enumerate() {
        match c {
            b'\'' => quote = !quote,
            b'{' | b'(' if !quote => depth += 1,
            b'}' | b')' if !quote => depth -= 1,
            b',' if depth <= 0 && !quote => {
                if i > start {
                    out.push(&s[start..i]);
                }
                start = i + 1;
            }
            _ => {}
        }
    }
    if start < s.len() {
        out.push(&s[start..]);
    }
    out
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
    /// The parser before it scanned bytes (kept to check the faster one against).
    mod old {
        #![allow(clippy::all)]
        use crate::model::{FunctionParam, Loc, Method, PathPart, Route, Segment};
        use crate::routes::RouteError;

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
                if starts_ci(&s, v)
                    && matches!(s.as_bytes().get(v.len()), None | Some(b'/') | Some(b'?'))
                {
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
        pub fn split_outside(path: &str, braces: bool) -> Vec<&str> {
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

        // (`parts` did not change: the oracle uses the real one)
        use super::super::parts;

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
                                Some((names, quoted)) => {
                                    (PathPart::Placeholder(names.join("|")), quoted)
                                }
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
    }

    /// Random route-ish lines: path characters, brackets, quotes, colons, ASCII and Unicode
    /// whitespace, non-ASCII letters.
    fn random_line(rng: &mut fastrand::Rng) -> String {
        const PIECES: &[&str] = &[
            "/",
            "/",
            "/",
            "a",
            "users",
            "{",
            "}",
            "{id}",
            "{id | name}",
            "(",
            ")",
            "'",
            ":",
            "?",
            "=",
            ",",
            "|",
            ".",
            "$",
            " ",
            "\t",
            "\u{b}",
            "\u{a0}",
            "\u{2003}",
            "\u{85}",
            "é",
            "ü",
            "microsoft.graph.x",
            "Graph.y",
            "https://",
            "HTTP://",
            "graph.microsoft.com",
            "/v1.0",
            "v1.0",
            "/beta",
            "Beta",
            "//",
            ":/",
            "\r",
            " HTTP/1.1",
            "$ref",
            "delta()",
            "range(address='{a}')",
            "x=",
            "{",
            "('",
            "')",
        ];
        let method = [
            "GET ",
            "post ",
            "Delete\t",
            "PATCH\u{a0}",
            "PUT",
            "get  ",
            "HEAD ",
            "",
        ];
        let mut s = String::from(method[rng.usize(..method.len())]);
        for _ in 0..rng.usize(0..14) {
            s.push_str(PIECES[rng.usize(..PIECES.len())]);
        }
        s
    }

    #[test]
    fn same_as_the_char_scanning_parser() {
        let mut rng = fastrand::Rng::with_seed(7);
        for _ in 0..200_000 {
            let line = random_line(&mut rng);
            assert_eq!(
                parse_route(&line, Loc::line(1)),
                old::parse_route(&line, Loc::line(1)),
                "{line:?}"
            );
            let rest = line.split_once(' ').map_or("", |x| x.1);
            assert_eq!(normalise(rest), old::normalise(rest), "{rest:?}");
            assert_eq!(segments(rest), old::segments(rest), "{rest:?}");
            for braces in [false, true] {
                assert_eq!(
                    split_outside(rest, braces),
                    old::split_outside(rest, braces),
                    "{rest:?}"
                );
            }
        }
    }

    #[test]
    fn trim_and_whitespace_edges() {
        for s in [
            "",
            " ",
            "\u{a0}",
            "a",
            " a ",
            "\u{a0}a\u{2003}",
            "é",
            " é ",
            "\u{b}x\u{c}",
            "a\u{85}",
        ] {
            assert_eq!(trim(s), s.trim(), "{s:?}");
            let no_ws: String = s.chars().filter(|c| !c.is_whitespace()).collect();
            assert_eq!(without_whitespace(s), no_ws, "{s:?}");
        }
        assert_eq!(first_whitespace("GET\u{a0}/x"), Some(3));
        assert_eq!(first_whitespace("GÉT\u{2003}/x"), Some(4));
        assert_eq!(first_whitespace("GET"), None);
        // non-ASCII whitespace inside a path goes, like ASCII whitespace
        assert_eq!(normalise("/a\u{a0}/b /c").0, "/a/b/c");
    }
}
