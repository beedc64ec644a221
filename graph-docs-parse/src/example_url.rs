//! Example URLs against routes: one matcher for the example checker (`contracts`) and for the
//! example tests the code generator emits, so both agree on which route an example calls and
//! with which path values.

use crate::model::{PathPart, Segment};
use crate::types;

/// The example URL as a route path (query kept): host and version segment removed.
/// `Err(host)` when the URL is on a host other than Graph's.
pub fn example_path(url: &str) -> Result<String, String> {
    let u = url.trim();
    let lower = u.to_ascii_lowercase();
    let mut rest = u;
    let mut absolute = false;
    for scheme in ["https://", "http://"] {
        if lower.starts_with(scheme) {
            rest = &u[scheme.len()..];
            absolute = true;
        }
    }
    if !absolute && lower.starts_with("graph.microsoft.com") {
        absolute = true;
    }
    if absolute {
        let (host, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, ""),
        };
        let h = host.to_ascii_lowercase();
        if !(h.contains("graph.") || h.contains("microsoftgraph.")) {
            return Err(host.to_string());
        }
        // the first segment is the version (`v1.0`, `beta`, or whatever the page wrote)
        let path = path.trim_start_matches('/');
        let after = match path.find(['/', '?']) {
            Some(i) if path.as_bytes()[i] == b'/' => &path[i..],
            Some(i) => &path[i..],
            None => "",
        };
        return Ok(after.to_string());
    }
    let p = rest.trim_start_matches('/');
    let first_end = p.find(['/', '?']).unwrap_or(p.len());
    let first = &p[..first_end];
    if first.eq_ignore_ascii_case("v1.0") || first.eq_ignore_ascii_case("beta") {
        return Ok(p[first_end..].to_string());
    }
    Ok(format!("/{p}"))
}

/// The name of a route segment that is a name (literal, function, cast), without the
/// `microsoft.graph.` prefix, lower-cased.
fn seg_name(s: &Segment) -> Option<String> {
    let n = match s {
        Segment::Literal(l) => l.split('(').next().unwrap_or(l),
        Segment::Function { name, .. } => name.as_str(),
        Segment::Cast(c) => c.as_str(),
        Segment::KeyInParens { collection, .. } => collection.as_str(),
        _ => return None,
    };
    Some(name_key(n))
}

fn name_key(n: &str) -> String {
    let n = types::strip_prefix_ci(n, "microsoft.graph.").unwrap_or(n);
    n.to_ascii_lowercase()
}

/// Splits an example path on top-level `/` (not inside quotes or parentheses).
pub fn split_segments(path: &str) -> Vec<&str> {
    crate::routes::split_outside(path, false)
}

/// Whether one written example segment fits one route segment (not a colon path).
fn seg_matches(route: &Segment, ex: &str) -> bool {
    if ex.is_empty() {
        return false;
    }
    match route {
        Segment::Key { .. } => true,
        Segment::ColonPath { .. } => false,
        Segment::KeyInParens { .. }
        | Segment::Literal(_)
        | Segment::Function { .. }
        | Segment::Cast(_) => {
            // `lists('x')`, `range(address='A1')`, `delta()`: compare the names
            let ex_name = match (ex.find('('), ex.ends_with(')')) {
                (Some(i), true) => &ex[..i],
                _ => ex,
            };
            seg_name(route).is_some_and(|r| r == name_key(ex_name))
        }
    }
}

/// A path value an example gives for one route segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathValue {
    /// A literal or cast segment: nothing to fill.
    None,
    /// A key, a key in parentheses (quotes removed) or a colon path (`a/b.txt`).
    One(String),
    /// A function call's arguments, in the route's parameter order (quotes removed).
    Args(Vec<String>),
}

fn unquote(s: &str) -> String {
    let t = s.trim();
    t.strip_prefix('\'')
        .and_then(|x| x.strip_suffix('\''))
        .map(|x| x.replace("''", "'"))
        .unwrap_or_else(|| t.to_string())
}

/// The part inside the outer parentheses of `name(...)`.
fn paren_body(e: &str) -> &str {
    match (e.find('('), e.ends_with(')')) {
        (Some(i), true) => &e[i + 1..e.len() - 1],
        _ => "",
    }
}

/// Splits `a=1,b='x,y'` on commas outside quotes into `(name, value)` pairs.
fn args(body: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let (mut quote, mut start) = (false, 0);
    let mut push = |part: &str| {
        if let Some((k, v)) = part.split_once('=') {
            out.push((k.trim().to_string(), unquote(v)));
        }
    };
    for (i, c) in body.char_indices() {
        match c {
            '\'' => quote = !quote,
            ',' if !quote => {
                push(&body[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    push(&body[start..]);
    out
}

fn value_of(route: &Segment, ex: &str) -> PathValue {
    match route {
        Segment::Key { .. } => PathValue::One(ex.to_string()),
        Segment::KeyInParens { .. } => PathValue::One(unquote(paren_body(ex))),
        Segment::Function { params, .. } => {
            let given = args(paren_body(ex));
            PathValue::Args(
                params
                    .iter()
                    .map(|p| {
                        given
                            .iter()
                            .find(|(k, _)| k.eq_ignore_ascii_case(&p.name))
                            .map(|(_, v)| v.clone())
                            .unwrap_or_else(|| match &p.value {
                                PathPart::Text(t) => unquote(t),
                                PathPart::Placeholder(_) => String::new(),
                            })
                    })
                    .collect(),
            )
        }
        _ => PathValue::None,
    }
}

/// Matches route segments against written example segments (from [`split_segments`]) and
/// returns one [`PathValue`] per route segment. A route colon path (after its head segment,
/// `root:` / `{item-id}:`) takes the example segments up to one ending with `:` (or all the
/// rest when the route's colon path is not closed).
pub fn match_route(route: &[Segment], ex: &[&str]) -> Option<Vec<PathValue>> {
    let (mut ri, mut ei) = (0, 0);
    let mut values = Vec::with_capacity(route.len());
    while ri < route.len() {
        let r = &route[ri];
        if let Segment::ColonPath { closed, .. } = r {
            // no head: the previous example segment ended with `:` already
            let mut taken = Vec::new();
            while ei < ex.len() {
                let e = ex[ei];
                ei += 1;
                taken.push(e);
                if *closed && e.ends_with(':') {
                    break;
                }
            }
            if taken.is_empty() {
                return None;
            }
            values.push(PathValue::One(
                taken.join("/").trim_end_matches(':').to_string(),
            ));
            ri += 1;
            continue;
        }
        let e = ex.get(ei)?;
        let head_of_colon = matches!(route.get(ri + 1), Some(Segment::ColonPath { .. }));
        let written = if head_of_colon {
            // `root:` or `root:/x` written as `root:` then `x`
            e.strip_suffix(':')?
        } else {
            e
        };
        if !seg_matches(r, written) {
            return None;
        }
        values.push(value_of(r, written));
        ri += 1;
        ei += 1;
    }
    (ei == ex.len()).then_some(values)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routes;

    #[test]
    fn example_paths() {
        assert_eq!(
            example_path("https://graph.microsoft.com/v1.0/me/drive?$top=2").unwrap(),
            "/me/drive?$top=2"
        );
        assert_eq!(
            example_path("https://graph.microsoft.com/localtest/drives/{drivesId}/root").unwrap(),
            "/drives/{drivesId}/root"
        );
        assert_eq!(example_path("/beta/me").unwrap(), "/me");
        assert_eq!(example_path("me/events").unwrap(), "/me/events");
        assert_eq!(
            example_path("https://contoso.sharepoint.com/x").unwrap_err(),
            "contoso.sharepoint.com"
        );
    }

    #[test]
    fn segment_matching() {
        let m = |route: &str, ex: &str| {
            match_route(&routes::segments(route), &split_segments(ex)).is_some()
        };
        let r = "/drives/{drive-id}/root:/{item-path}:/content";
        assert!(m(r, "/Drives/b!x/root:/a/b.txt:/content"));
        assert!(!m(r, "/drives/b!x/root/content"));
        assert!(!m(r, "/drives/b!x/root:/a/b.txt:/content/x"));
        assert!(m(
            "/me/drive/items/{parent-id}:/{filename}:/content",
            "/me/drive/items/01AB:/f.txt:/content"
        ));
        assert!(m("/me/drive/root:/{item-path}", "/me/drive/root:/a/b"));
        assert!(m("/me/calendar/getSchedule", "/me/calendar/getSchedule()"));
        assert!(m(
            "/me/reminderView(startDateTime={startDateTime},endDateTime={endDateTime})",
            "/me/reminderView(startDateTime=2017-06-05T10:00:00,endDateTime=2017-06-11T11:00:00)"
        ));
        assert!(m(
            "/sites/{site-id}/lists('{list-id}')",
            "/sites/s1/lists('a/b')"
        ));
        assert!(m(
            "/me/drive/items/{id}/microsoft.graph.sharedDriveItem",
            "/me/drive/items/x/sharedDriveItem"
        ));
        // an id with colons is one segment
        assert!(m(
            "/teams/{team-id}/channels/{channel-id}",
            "/teams/t/channels/19:abc@thread.tacv2"
        ));
        assert!(!m("/teams/{team-id}/channels", "/teams/t/channel"));
        assert!(!m("/teams/{team-id}", "/teams"));
    }

    #[test]
    fn path_values() {
        let v = |route: &str, ex: &str| match_route(&routes::segments(route), &split_segments(ex));
        assert_eq!(
            v(
                "/me/drive/items/{parent-id}:/{filename}:/content",
                "/me/drive/items/01AB:/a/f.txt:/content"
            ),
            Some(vec![
                PathValue::None,
                PathValue::None,
                PathValue::None,
                PathValue::One("01AB".into()),
                PathValue::One("a/f.txt".into()),
                PathValue::None,
            ])
        );
        assert_eq!(
            v(
                "/me/reminderView(startDateTime={s},endDateTime={e})",
                "/me/reminderView(endDateTime='x,y',startDateTime=2017-06-05T10:00:00)"
            ),
            Some(vec![
                PathValue::None,
                PathValue::Args(vec!["2017-06-05T10:00:00".into(), "x,y".into()]),
            ])
        );
        assert_eq!(
            v(
                "/sites/{site-id}/lists('{list-id}')",
                "/sites/s1/lists('it''s')"
            ),
            Some(vec![
                PathValue::None,
                PathValue::One("s1".into()),
                PathValue::One("it's".into()),
            ])
        );
        assert_eq!(v("/teams/{team-id}", "/teams"), None);
    }
}
