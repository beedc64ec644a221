//! `graph-docs permissions DIR [--only PREFIX]... [--application | --personal] [--json]`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use graph_docs_codegen::permissions::{least_privileged, PermissionKind};
use graph_docs_parse::PermissionState;

/// Arguments of `permissions`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The docs folder (every `.md` below it is read).
    pub dir: PathBuf,
    /// Only endpoints whose route starts with this prefix (at a segment boundary; placeholder
    /// names do not matter: `/users/{id}` selects `/users/{user-id}/...`). Repeatable.
    #[arg(long, value_name = "PREFIX", num_args = 1..)]
    pub only: Vec<String>,
    /// Application permissions instead of delegated (work or school account).
    #[arg(long, conflicts_with = "personal")]
    pub application: bool,
    /// Delegated permissions for personal Microsoft accounts instead of work or school.
    #[arg(long)]
    pub personal: bool,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

use graph_docs_codegen::matches_prefix;

struct Op {
    method: &'static str,
    route: String,
    page: String,
    state: PermissionState,
}

fn shown(dir: &Path, p: &Path) -> String {
    p.strip_prefix(dir)
        .unwrap_or(p)
        .to_string_lossy()
        .replace('\\', "/")
}

/// Runs `permissions`: exit 0, 2 on bad usage.
pub fn run(args: Args) -> ExitCode {
    let corpus = match crate::load(&args.dir) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let (kind, kind_name, kind_text) = if args.application {
        (PermissionKind::Application, "application", "application")
    } else if args.personal {
        (
            PermissionKind::DelegatedPersonal,
            "delegated_personal",
            "delegated (personal Microsoft account)",
        )
    } else {
        (
            PermissionKind::DelegatedWork,
            "delegated_work",
            "delegated (work or school account)",
        )
    };
    let ops: Vec<Op> = corpus
        .endpoints()
        .into_iter()
        .filter(|((key, _), _)| {
            args.only.is_empty() || args.only.iter().any(|p| matches_prefix(key, p))
        })
        .map(|((_, method), (page, route))| Op {
            method: method.as_str(),
            route: route.path.clone(),
            page: shown(&args.dir, &page.meta.path),
            state: kind.row(&page.permissions).clone(),
        })
        .collect();
    let label = |o: &Op| format!("{} {}", o.method, o.route);
    let lp = least_privileged(ops.iter().map(|o| (label(o), &o.state)));

    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if args.json {
        let per: Vec<serde_json::Value> = ops
            .iter()
            .map(|o| {
                let (state, scopes) = match &o.state {
                    PermissionState::Scopes(s) if !s.is_empty() => ("scopes", s.clone()),
                    PermissionState::NotSupported => ("not_supported", Vec::new()),
                    _ => ("unknown", Vec::new()),
                };
                serde_json::json!({
                    "method": o.method,
                    "route": o.route,
                    "page": o.page,
                    "state": state,
                    "least_privileged": scopes.first(),
                    "scopes": scopes,
                })
            })
            .collect();
        let v = serde_json::json!({
            "permission_type": kind_name,
            "operations": ops.len(),
            "scopes": lp.scopes,
            "not_supported": lp.not_supported,
            "unknown": lp.unknown,
            "per_operation": per,
        });
        let _ = writeln!(out, "{v}");
        let _ = out.flush();
        return ExitCode::SUCCESS;
    }
    let mut text = String::new();
    let n = ops.len();
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    text.push_str(&format!(
        "least privileged {kind_text} scopes for {n} operation{}:\n",
        plural(n)
    ));
    if lp.scopes.is_empty() {
        text.push_str("  (none)\n");
    }
    for s in &lp.scopes {
        text.push_str(&format!("  {s}\n"));
    }
    let find = |l: &str| ops.iter().find(|o| label(o) == l);
    for (title, list) in [
        ("not supported", &lp.not_supported),
        ("unknown (the page does not state them)", &lp.unknown),
    ] {
        text.push_str(&format!(
            "{title}: {} operation{}\n",
            list.len(),
            plural(list.len())
        ));
        for l in list {
            let page = find(l).map(|o| o.page.as_str()).unwrap_or("");
            text.push_str(&format!("  {l}  ({page})\n"));
        }
    }
    text.push_str("per operation (least privileged scope):\n");
    for o in &ops {
        let least = match &o.state {
            PermissionState::Scopes(s) if !s.is_empty() => s[0].as_str(),
            PermissionState::NotSupported => "not supported",
            _ => "unknown",
        };
        text.push_str(&format!("  {}  {least}  ({})\n", label(o), o.page));
    }
    let _ = out.write_all(text.as_bytes()).and_then(|_| out.flush());
    ExitCode::SUCCESS
}
