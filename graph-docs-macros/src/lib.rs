//! `include_graph_api!`: a typed Microsoft Graph client generated at compile time from a folder
//! of API reference pages.
//!
//! ```ignore
//! graph_docs_macros::include_graph_api!("docs");
//! // options:
//! graph_docs_macros::include_graph_api!("docs", only = ["/me/drive"], exclude = ["/me/drive/special"]);
//! ```
//!
//! This crate is thin: it parses the arguments, resolves the folder relative to the invoking
//! crate's `CARGO_MANIFEST_DIR`, loads it with `graph-docs-parse`, generates with
//! `graph-docs-codegen`, and turns every error into a `compile_error!` naming the doc file and
//! line, spanned on the path argument.
//!
//! Options (all optional, in any order):
//! - `only = ["/prefix", ...]`: generate only routes under these prefixes (and the models they
//!   reach);
//! - `exclude = ["/prefix", ...]`: leave these routes out;
//! - `crate = "::path::to::runtime"`: where generated code finds `graph-docs-runtime`
//!   (default `::graph_docs_runtime`);
//! - `skip_invalid = true`: pages with errors are skipped instead of failing the build;
//! - `example_tests = true`: one `#[test]` per documented example pair;
//! - `track = false`: do not `include_bytes!` every page (rebuild tracking then relies on the
//!   build script's `cargo:rerun-if-changed`).
//!
//! Rebuilds: every page read is tracked with `include_bytes!`, so editing a page rebuilds the
//! crate. Adding or removing a page needs a build script with
//! `println!("cargo:rerun-if-changed=docs");` (stable Rust cannot track a directory from a macro).
#![deny(missing_docs)]

use std::path::PathBuf;

use proc_macro::TokenStream;
use proc_macro2::{Span, TokenStream as TokenStream2};
use quote::quote;
use syn::ext::IdentExt;
use syn::parse::{Parse, ParseStream};
use syn::{Ident, LitBool, LitStr, Token};

struct Args {
    path: LitStr,
    only: Vec<String>,
    exclude: Vec<String>,
    runtime: Option<String>,
    skip_invalid: bool,
    example_tests: bool,
    all_models: bool,
    track: bool,
}

fn parse_str_list(input: ParseStream) -> syn::Result<Vec<String>> {
    let content;
    syn::bracketed!(content in input);
    let items = content.parse_terminated(|p: ParseStream| p.parse::<LitStr>(), Token![,])?;
    Ok(items.into_iter().map(|l| l.value()).collect())
}

impl Parse for Args {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let path: LitStr = input.parse().map_err(|e| {
            syn::Error::new(
                e.span(),
                "expected the docs folder as a string literal, e.g. include_graph_api!(\"docs\")",
            )
        })?;
        let mut args = Args {
            path,
            only: Vec::new(),
            exclude: Vec::new(),
            runtime: None,
            skip_invalid: false,
            example_tests: false,
            all_models: false,
            track: true,
        };
        while !input.is_empty() {
            input.parse::<Token![,]>()?;
            if input.is_empty() {
                break;
            }
            let key = Ident::parse_any(input)?;
            input.parse::<Token![=]>()?;
            match key.to_string().as_str() {
                "only" => args.only = parse_str_list(input)?,
                "exclude" => args.exclude = parse_str_list(input)?,
                "crate" => args.runtime = Some(input.parse::<LitStr>()?.value()),
                "skip_invalid" => args.skip_invalid = input.parse::<LitBool>()?.value,
                "example_tests" => args.example_tests = input.parse::<LitBool>()?.value,
                "all_models" => args.all_models = input.parse::<LitBool>()?.value,
                "track" => args.track = input.parse::<LitBool>()?.value,
                other => {
                    return Err(syn::Error::new(
                        key.span(),
                        format!(
                            "unknown option `{other}`; expected one of: only, exclude, crate, skip_invalid, example_tests, all_models, track"
                        ),
                    ))
                }
            }
        }
        Ok(args)
    }
}

/// A cache of generated code for long-lived macro servers (rust-analyzer expands the macro
/// again on every edit of the invoking crate): keyed by folder and options, valid while the
/// pages (names, sizes and modification times) are unchanged. rustc loads the macro afresh
/// for each crate, so a build never sees a stale entry.
mod cache {
    use std::collections::BTreeMap;
    use std::path::{Path, PathBuf};
    use std::sync::Mutex;
    use std::time::SystemTime;

    type Signature = Vec<(PathBuf, u64, Option<SystemTime>)>;

    pub(crate) struct Hit {
        pub(crate) files: Vec<PathBuf>,
        pub(crate) code: String,
    }

    struct Entry {
        signature: Signature,
        files: Vec<PathBuf>,
        code: String,
    }

    static CACHE: Mutex<BTreeMap<String, Entry>> = Mutex::new(BTreeMap::new());

    /// Every `.md` below `dir` plus the files the last load read, with size and mtime.
    fn signature(dir: &Path, extra: &[PathBuf]) -> Signature {
        let mut paths: Vec<PathBuf> = extra.to_vec();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            let Ok(rd) = std::fs::read_dir(&d) else {
                continue;
            };
            for e in rd.flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.extension().is_some_and(|x| x.eq_ignore_ascii_case("md")) {
                    paths.push(p);
                }
            }
        }
        paths.sort();
        paths.dedup();
        paths
            .into_iter()
            .map(|p| {
                let m = std::fs::metadata(&p).ok();
                let len = m.as_ref().map(|m| m.len()).unwrap_or(u64::MAX);
                let modified = m.and_then(|m| m.modified().ok());
                (p, len, modified)
            })
            .collect()
    }

    pub(crate) fn lookup(key: &str, dir: &Path) -> Option<Hit> {
        let cache = CACHE.lock().ok()?;
        let e = cache.get(key)?;
        if signature(dir, &e.files) != e.signature {
            return None;
        }
        Some(Hit {
            files: e.files.clone(),
            code: e.code.clone(),
        })
    }

    pub(crate) fn store(key: String, dir: &Path, files: &[PathBuf], code: &str) {
        let signature = signature(dir, files);
        if let Ok(mut cache) = CACHE.lock() {
            cache.insert(
                key,
                Entry {
                    signature,
                    files: files.to_vec(),
                    code: code.to_string(),
                },
            );
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn entries_expire_when_a_page_is_added_edited_or_removed() {
            let dir = std::env::temp_dir().join(format!("gd-cache-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(dir.join("api")).unwrap();
            let page = dir.join("api/a.md");
            std::fs::write(&page, "# a").unwrap();
            store("k".into(), &dir, std::slice::from_ref(&page), "code-1");
            assert_eq!(
                lookup("k", &dir).map(|h| h.code),
                Some("code-1".to_string())
            );
            assert!(lookup("other", &dir).is_none());
            // Edited (size changes).
            std::fs::write(&page, "# a, edited").unwrap();
            assert!(lookup("k", &dir).is_none());
            store("k".into(), &dir, std::slice::from_ref(&page), "code-2");
            // Added.
            std::fs::write(dir.join("api/b.md"), "# b").unwrap();
            assert!(lookup("k", &dir).is_none());
            store("k".into(), &dir, std::slice::from_ref(&page), "code-3");
            assert_eq!(
                lookup("k", &dir).map(|h| h.code),
                Some("code-3".to_string())
            );
            // Removed.
            std::fs::remove_file(dir.join("api/b.md")).unwrap();
            assert!(lookup("k", &dir).is_none());
            let _ = std::fs::remove_dir_all(&dir);
        }
    }
}

/// `a/b/../c` → `a/c` without touching the file system (for a folder that does not exist, so
/// the error names a readable path).
fn lexical_normalize(p: &std::path::Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}

fn error_at(span: Span, msg: &str) -> TokenStream2 {
    quote::quote_spanned!(span=> ::core::compile_error!(#msg);)
}

/// Generates a typed Microsoft Graph client from the pages below a folder (relative to the
/// invoking crate's `Cargo.toml`, or absolute). See the crate docs for options.
#[proc_macro]
pub fn include_graph_api(input: TokenStream) -> TokenStream {
    let args = match syn::parse::<Args>(input) {
        Ok(a) => a,
        Err(e) => return e.to_compile_error().into(),
    };
    expand(&args).into()
}

fn expand(args: &Args) -> TokenStream2 {
    let span = args.path.span();
    let given = PathBuf::from(args.path.value());
    let dir = if given.is_absolute() {
        given
    } else {
        match std::env::var_os("CARGO_MANIFEST_DIR") {
            Some(m) => PathBuf::from(m).join(given),
            None => given,
        }
    };
    let dir = std::fs::canonicalize(&dir).unwrap_or_else(|_| lexical_normalize(&dir));
    let opts = graph_docs_codegen::Options {
        only: args.only.clone(),
        exclude: args.exclude.clone(),
        runtime: args.runtime.clone(),
        skip_invalid: args.skip_invalid,
        example_tests: args.example_tests,
        all_models: args.all_models,
    };
    let key = format!("{}|{:?}", dir.display(), opts);
    let (files, generated) = match cache::lookup(&key, &dir) {
        Some(hit) => (hit.files, Ok(hit.code)),
        None => {
            let corpus = match graph_docs_parse::Corpus::load(&dir) {
                Ok(c) => c,
                Err(e) => return error_at(span, &format!("graph-docs: {e}")),
            };
            // Build the (large) output with proc-macro2's own token implementation and hand it
            // to the compiler as one string: one bridge call instead of one per token, which
            // makes expanding thousands of pages several times faster.
            proc_macro2::fallback::force();
            let generated =
                graph_docs_codegen::generate(&corpus, &opts).map(|g| g.tokens.to_string());
            proc_macro2::fallback::unforce();
            if let Ok(code) = &generated {
                cache::store(key, &dir, &corpus.files, code);
            }
            (corpus.files, generated)
        }
    };
    let mut out = TokenStream2::new();
    if args.track {
        for f in &files {
            if let Some(s) = f.to_str() {
                out.extend(quote!(
                    const _: &[u8] = ::core::include_bytes!(#s);
                ));
            }
        }
    }
    match generated {
        Ok(code) => match code.parse::<TokenStream2>() {
            Ok(tokens) => {
                out.extend(tokens);
                out
            }
            Err(e) => error_at(
                span,
                &format!("graph-docs: internal error: generated code does not lex: {e}"),
            ),
        },
        Err(errors) => {
            for d in errors {
                out.extend(error_at(span, &d.to_string()));
            }
            out
        }
    }
}
