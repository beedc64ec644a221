//! Documented examples → `#[test]`s (`include_graph_api!(.., example_tests = true)`).
//!
//! Each example request is matched against the routes of its page; the test builds the request
//! through the generated API with the example's path values, query and JSON body, and asserts
//! method, path, query and body equal the example's. The example response is decoded into the
//! operation's response type. Examples that cannot become tests get an `#[ignore = "reason"]`
//! test, so every skip is visible in `cargo test` output with its reason.

use graph_docs_parse::example_url::{self, PathValue};
use graph_docs_parse::{routes, Diagnostic, Example, Severity};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{CallBody, Endpoint, Gen, Node};
use crate::naming::{self, Namer};

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
    let written = example_url::example_path(&req.url)
        .map_err(|host| format!("the URL is on `{host}`, not on Graph"))?;
    let (path, query) = routes::normalise(&written);
    if has_placeholder(&path) {
        return Err(format!("the URL `{}` has placeholders", req.url));
    }
    // Endpoints of the same page and method.
    let mut found = None;
    for (ei, e) in endpoints.iter().enumerate() {
        if !std::ptr::eq(e.page, first.page) || e.method != req.method {
            continue;
        }
        if let Some(args) =
            example_url::match_route(&e.segments, &example_url::split_segments(&path))
        {
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

fn arg_tokens(a: &PathValue) -> TokenStream {
    match a {
        PathValue::None => TokenStream::new(),
        PathValue::One(v) => quote!(#v),
        PathValue::Args(vs) => quote!(#(#vs),*),
    }
}
