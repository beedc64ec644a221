//! Documented examples → `#[test]`s (`include_graph_api!(.., example_tests = true)`).
//!
//! Each example request is matched against the routes of its page; the test builds the request
//! through the generated API with the example's path values, query and JSON body, and asserts
//! method, path, query and body equal the example's. The example response is decoded into the
//! operation's response type. Examples that cannot become tests get an `#[ignore = "reason"]`
//! test, so every skip is visible in `cargo test` output with its reason.

use graph_docs_parse::{Diagnostic, Example, Segment, Severity};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{CallBody, Endpoint, Gen, Node};
use crate::naming::{self, Namer};

/// A path value matched from an example URL, per route segment.
enum Arg {
    None,
    One(String),
    Many(Vec<String>),
}

/// Splits an example URL into (path after the version, query) — or None for other shapes.
fn split_url(url: &str) -> (String, Option<String>) {
    let mut u = url.trim();
    if let Some(i) = u.find("://") {
        let rest = &u[i + 3..];
        u = rest.find('/').map(|j| &rest[j..]).unwrap_or("/");
    }
    let (path, query) = match u.split_once('?') {
        Some((p, q)) => (p, Some(q.to_string())),
        None => (u, None),
    };
    let mut path = path.trim().to_string();
    if !path.starts_with('/') {
        path.insert(0, '/');
    }
    for v in ["/v1.0", "/beta"] {
        if path.len() > v.len()
            && path[..v.len()].eq_ignore_ascii_case(v)
            && path.as_bytes()[v.len()] == b'/'
        {
            path = path[v.len()..].to_string();
            break;
        }
    }
    let path = path.trim_end_matches('/').to_string();
    (path, query)
}

fn strip_quotes(s: &str) -> String {
    let t = s.trim();
    t.strip_prefix('\'')
        .and_then(|x| x.strip_suffix('\''))
        .unwrap_or(t)
        .replace("''", "'")
}

fn starts_ci(s: &str, prefix: &str) -> bool {
    s.len() >= prefix.len()
        && s.is_char_boundary(prefix.len())
        && s[..prefix.len()].eq_ignore_ascii_case(prefix)
}

/// Matches a path against route segments; one [`Arg`] per segment.
fn match_path(segments: &[Segment], path: &str) -> Option<Vec<Arg>> {
    let mut rest = path;
    let mut args = Vec::with_capacity(segments.len());
    for seg in segments {
        if let Segment::ColonPath { .. } = seg {
            rest = rest.strip_prefix(":/")?;
            let end = rest.find(':').unwrap_or(rest.len());
            let v = &rest[..end];
            if v.is_empty() {
                return None;
            }
            args.push(Arg::One(v.to_string()));
            rest = &rest[end..];
            continue;
        }
        // A colon path closed before the next segment: `...:/name:/next`.
        if let Some(r) = rest.strip_prefix(':') {
            rest = r;
        }
        rest = rest.strip_prefix('/')?;
        let boundary =
            |r: &str, n: usize| matches!(r.as_bytes().get(n), None | Some(b'/') | Some(b':'));
        match seg {
            Segment::Literal(l) | Segment::Cast(l) => {
                if !starts_ci(rest, l) || !boundary(rest, l.len()) {
                    return None;
                }
                rest = &rest[l.len()..];
                args.push(Arg::None);
            }
            Segment::Key { .. } => {
                let end = rest.find(['/', ':']).unwrap_or(rest.len());
                if end == 0 {
                    return None;
                }
                args.push(Arg::One(rest[..end].to_string()));
                rest = &rest[end..];
            }
            Segment::KeyInParens { collection, .. } => {
                if !starts_ci(rest, collection)
                    || rest.as_bytes().get(collection.len()) != Some(&b'(')
                {
                    return None;
                }
                let inner = &rest[collection.len() + 1..];
                let close = inner.find(')')?;
                args.push(Arg::One(strip_quotes(&inner[..close])));
                rest = &inner[close + 1..];
            }
            Segment::Function { name, params } => {
                if !starts_ci(rest, name) || rest.as_bytes().get(name.len()) != Some(&b'(') {
                    return None;
                }
                let inner = &rest[name.len() + 1..];
                // The closing parenthesis outside quotes.
                let mut in_q = false;
                let mut close = None;
                for (i, c) in inner.char_indices() {
                    match c {
                        '\'' => in_q = !in_q,
                        ')' if !in_q => {
                            close = Some(i);
                            break;
                        }
                        _ => {}
                    }
                }
                let close = close?;
                let body = &inner[..close];
                let mut values = Vec::new();
                let pairs: Vec<(String, String)> = split_args(body)
                    .into_iter()
                    .filter_map(|p| {
                        p.split_once('=')
                            .map(|(k, v)| (k.trim().to_string(), strip_quotes(v)))
                    })
                    .collect();
                for p in params {
                    let v = pairs
                        .iter()
                        .find(|(k, _)| k.eq_ignore_ascii_case(&p.name))?;
                    values.push(v.1.clone());
                }
                args.push(Arg::Many(values));
                rest = &inner[close + 1..];
            }
            Segment::ColonPath { .. } => unreachable!("handled above"),
        }
    }
    let rest = rest.trim_end_matches(':');
    if rest.is_empty() {
        Some(args)
    } else {
        None
    }
}

fn split_args(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut in_q = false;
    let mut start = 0;
    for (i, c) in s.char_indices() {
        match c {
            '\'' => in_q = !in_q,
            ',' if !in_q => {
                out.push(&s[start..i]);
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

fn has_placeholder(s: &str) -> bool {
    s.contains('{') || s.contains('<') || s.contains('}') || s.contains('>')
}

/// Generates the example tests module.
pub(super) fn generate(
    endpoints: &[Endpoint],
    nodes: &[Node],
    gen: &Gen,
    skipped: &mut Vec<Diagnostic>,
) -> TokenStream {
    let mut tests = TokenStream::new();
    let mut namer = Namer::default();
    // Examples per page, once per page (several endpoints share a page).
    let mut seen_pages = std::collections::BTreeSet::new();
    for e in endpoints {
        let page = e.page;
        if !seen_pages.insert(page as *const _ as usize) {
            continue;
        }
        let stem = page
            .meta
            .path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        for (i, ex) in page.examples.iter().enumerate() {
            let Some(req) = &ex.request else { continue };
            let name = format_ident!(
                "{}",
                namer.unique(&format!("{}_{}", naming::snake(&stem), i + 1), "_")
            );
            let doc_loc = format!("{}:{}", gen.ctx.doc_path(&page.meta.path), req.loc.line);
            match example_test(endpoints, nodes, gen, e, ex) {
                Ok(body) => {
                    let doc = format!("Example at `{doc_loc}`.");
                    tests.extend(quote! {
                        #[doc = #doc]
                        #[test]
                        fn #name() {
                            #body
                        }
                    });
                }
                Err(reason) => {
                    let reason_text = format!("{doc_loc}: {reason}");
                    skipped.push(Diagnostic {
                        file: page.meta.path.clone(),
                        loc: req.loc,
                        severity: Severity::Warning,
                        code: "GD230",
                        message: format!("example not turned into a test: {reason}"),
                    });
                    tests.extend(quote! {
                        #[test]
                        #[ignore = #reason_text]
                        fn #name() {}
                    });
                }
            }
        }
    }
    quote! {
        /// Tests generated from the documented examples.
        #[cfg(test)]
        #[allow(clippy::all, non_snake_case)]
        mod example_tests {
            #tests
        }
    }
}

fn example_test(
    endpoints: &[Endpoint],
    nodes: &[Node],
    gen: &Gen,
    first: &Endpoint,
    ex: &Example,
) -> Result<TokenStream, String> {
    let rt = &gen.ctx.runtime;
    let req = ex.request.as_ref().expect("checked");
    let (path, query) = split_url(&req.url);
    if has_placeholder(&path) {
        return Err(format!("the URL `{}` has placeholders", req.url));
    }
    // Endpoints of the same page and method.
    let mut found = None;
    for (ei, e) in endpoints.iter().enumerate() {
        if !std::ptr::eq(e.page, first.page) || e.method != req.method {
            continue;
        }
        if let Some(args) = match_path(&e.segments, &path) {
            found = Some((ei, e, args));
            break;
        }
    }
    let Some((ei, e, args)) = found else {
        return Err(format!(
            "`{} {}` matches no route of the page",
            req.method, path
        ));
    };
    let call = gen
        .calls
        .get(&ei)
        .ok_or("the operation was not generated")?;
    if call.query_args {
        return Err("the route has query placeholders".into());
    }
    // Walk the tree.
    let mut chain = TokenStream::new();
    let mut cur = 0usize;
    let mut action_args = TokenStream::new();
    for (seg, arg) in e.segments.iter().zip(args.iter()) {
        let key = super::seg_key(seg);
        let child = *nodes[cur]
            .children
            .get(&key)
            .ok_or("route not in the tree")?;
        if nodes[child].action {
            action_args = arg_tokens(arg);
            break;
        }
        let m = gen
            .child_names
            .get(&(cur, child))
            .ok_or("no method for a segment")?;
        let mid = crate::naming::ident(m);
        let a = arg_tokens(arg);
        chain.extend(quote!(.#mid(#a)));
        cur = child;
    }
    if call.node != cur {
        return Err("internal: the call node does not match the route".into());
    }
    // The operation call.
    let op = crate::naming::ident(call.name.trim_start_matches("r#"));
    let json_text = req.json.as_ref().map(|j| j.to_string());
    let mut setup = TokenStream::new();
    let mut finish = TokenStream::new();
    let sep = if action_args.is_empty() {
        quote!()
    } else {
        quote!(,)
    };
    let call_tokens = match &call.body {
        CallBody::None => quote!(.#op(#action_args)),
        CallBody::Resource(ty) => {
            let j = json_text
                .as_deref()
                .ok_or("the example request has no JSON body")?;
            setup.extend(quote!(let body: #ty = #rt::__private::contract::from_json(#j);));
            quote!(.#op(#action_args #sep &body))
        }
        CallBody::Binary => {
            let b = req.body.clone().unwrap_or_default();
            let ct = req
                .headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("content-type"))
                .map(|(_, v)| v.clone())
                .unwrap_or_else(|| "application/octet-stream".into());
            quote!(.#op(#action_args #sep #ct, #b.as_bytes().to_vec()))
        }
        CallBody::Ref => {
            let id = req
                .json
                .as_ref()
                .and_then(|j| j.get("@odata.id"))
                .and_then(|v| v.as_str())
                .ok_or("the example has no `@odata.id`")?;
            quote!(.#op(#action_args #sep #id))
        }
        CallBody::Builder(setters) => {
            let mut t = quote!(.#op(#action_args));
            if let Some(j) = &json_text {
                let obj = req
                    .json
                    .as_ref()
                    .and_then(|v| v.as_object())
                    .ok_or("the example body is not a JSON object")?;
                for key in obj.keys() {
                    let Some((_, setter)) = setters.iter().find(|(n, _)| n == key) else {
                        return Err(format!("the example sets `{key}`, which the page's parameter table does not list"));
                    };
                    let sid = crate::naming::ident(setter);
                    t.extend(quote!(.#sid(#rt::__private::contract::member(#j, #key))));
                }
            }
            finish.extend(quote!(.into_request()));
            t
        }
    };
    let pairs = query.as_deref().map(raw_query_pairs).unwrap_or_default();
    let qk: Vec<&str> = pairs.iter().map(|(k, _)| k.as_str()).collect();
    let qv: Vec<&str> = pairs.iter().map(|(_, v)| v.as_str()).collect();
    let method = req.method.as_str();
    let json_check = match (&call.body, &json_text) {
        (CallBody::Binary, _) | (_, None) => quote!(None),
        (_, Some(j)) => quote!(Some(#j)),
    };
    let kind = &call.kind;
    let response_check = match &ex.response {
        Some(r)
            if r.status != 204
                && r.body
                    .as_deref()
                    .map(|b| !b.trim().is_empty())
                    .unwrap_or(false) =>
        {
            match &r.json {
                Some(j) => {
                    let j = j.to_string();
                    let status = r.status;
                    quote!(#rt::__private::contract::check_response::<#kind>(#status, #j);)
                }
                None => quote!(),
            }
        }
        _ => quote!(),
    };
    Ok(quote! {
        let client = super::Client::new("token");
        #setup
        let req = client #chain #call_tokens #finish #(.query(#qk, #qv))*;
        let built = req.build().expect("the request builds");
        #rt::__private::contract::check_request(&built, "/v1.0", #method, #path, &[#((#qk, #qv)),*], #json_check);
        #response_check
    })
}

/// Query pairs as written in the example (the runtime decodes both sides when comparing).
fn raw_query_pairs(q: &str) -> Vec<(String, String)> {
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (k.to_string(), v.to_string())
        })
        .collect()
}

fn arg_tokens(a: &Arg) -> TokenStream {
    match a {
        Arg::None => TokenStream::new(),
        Arg::One(v) => quote!(#v),
        Arg::Many(vs) => quote!(#(#vs),*),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use graph_docs_parse::{FunctionParam, PathPart};

    fn lit(s: &str) -> Segment {
        Segment::Literal(s.into())
    }

    #[test]
    fn urls_split_and_match_route_shapes() {
        assert_eq!(
            split_url("https://graph.microsoft.com/v1.0/me/drive/root:/a/b.txt:/content?x=1"),
            (
                "/me/drive/root:/a/b.txt:/content".to_string(),
                Some("x=1".to_string())
            )
        );
        let segs = vec![
            lit("me"),
            lit("drive"),
            lit("root"),
            Segment::ColonPath {
                parts: vec![PathPart::Placeholder("p".into())],
                closed: true,
            },
            lit("content"),
        ];
        let m = match_path(&segs, "/me/drive/root:/a/b.txt:/content").unwrap();
        assert!(matches!(&m[3], Arg::One(v) if v == "a/b.txt"));
        assert!(match_path(&segs, "/me/drive/root/content").is_none());

        let f = vec![
            lit("me"),
            Segment::Function {
                name: "reminderView".into(),
                params: vec![
                    FunctionParam {
                        name: "startDateTime".into(),
                        value: PathPart::Placeholder("s".into()),
                        quoted: false,
                    },
                    FunctionParam {
                        name: "endDateTime".into(),
                        value: PathPart::Placeholder("e".into()),
                        quoted: false,
                    },
                ],
            },
        ];
        let m = match_path(
            &f,
            "/me/reminderView(startDateTime=2017-06-05T10:00:00,endDateTime='x,y')",
        )
        .unwrap();
        assert!(
            matches!(&m[1], Arg::Many(v) if v == &vec!["2017-06-05T10:00:00".to_string(), "x,y".to_string()])
        );
        let k = vec![
            lit("users"),
            Segment::Key {
                names: vec!["id".into()],
            },
            lit("drive"),
        ];
        let m = match_path(&k, "/users/a@b.com/drive").unwrap();
        assert!(matches!(&m[1], Arg::One(v) if v == "a@b.com"));
        assert!(match_path(&k, "/users/a@b.com/drives").is_none());
    }
}
