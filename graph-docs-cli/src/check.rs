//! `graph-docs check DIR [--json]`.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use graph_docs_parse::Severity;

/// Arguments of `check`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The docs folder (every `.md` below it is read).
    pub dir: PathBuf,
    /// Print exactly one JSON object with the counts instead of diagnostics.
    #[arg(long)]
    pub json: bool,
}

/// Runs `check`: exit 0 without errors, 1 with errors, 2 on bad usage.
pub fn run(args: Args) -> ExitCode {
    let corpus = match crate::load(&args.dir) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let stats = corpus.stats();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if args.json {
        let _ = writeln!(
            out,
            "{}",
            serde_json::to_string(&stats).unwrap_or_else(|_| "{}".into())
        );
    } else {
        let mut diags: Vec<_> = corpus.diagnostics.iter().collect();
        diags.sort_by(|a, b| (&a.file, a.loc, a.code).cmp(&(&b.file, b.loc, b.code)));
        for d in diags {
            let _ = writeln!(out, "{d}");
        }
        let _ = writeln!(
            out,
            "checked {} pages ({} API, {} resource, {} enum, {} other): {} routes, {} endpoints, {} examples; {} error{}, {} warning{}",
            stats.pages,
            stats.api_pages,
            stats.resource_pages,
            stats.enum_pages,
            stats.other_pages,
            stats.routes,
            stats.endpoints,
            stats.examples,
            stats.errors,
            if stats.errors == 1 { "" } else { "s" },
            stats.warnings,
            if stats.warnings == 1 { "" } else { "s" },
        );
    }
    let _ = out.flush();
    if corpus
        .diagnostics
        .iter()
        .any(|d| d.severity == Severity::Error)
    {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
