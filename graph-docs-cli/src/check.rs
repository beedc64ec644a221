//! `graph-docs check DIR [--examples] [--json] [--skipped]`.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use graph_docs_parse::contracts::{self, ContractReport};
use graph_docs_parse::{codes, Diagnostic, Severity};

/// Arguments of `check`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The docs folder (every `.md` below it is read).
    pub dir: PathBuf,
    /// Also check the worked examples against the pages (routes, JSON bodies against the
    /// resource definitions), the JSON representations against the properties tables and the
    /// type links (codes GD060–GD069).
    #[arg(long)]
    pub examples: bool,
    /// Print exactly one JSON object with the counts instead of diagnostics.
    #[arg(long)]
    pub json: bool,
    /// With `--examples`: also print one `file:line: skipped: reason` line per example that
    /// could not be checked.
    #[arg(long, requires = "examples")]
    pub skipped: bool,
}

/// Runs `check`: exit 0 without errors, 1 with errors, 2 on bad usage.
pub fn run(args: Args) -> ExitCode {
    let corpus = match crate::load(&args.dir) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let stats = corpus.stats();
    let report: Option<ContractReport> = args.examples.then(|| contracts::check(&corpus));
    let mut diags: Vec<&Diagnostic> = corpus.diagnostics.iter().collect();
    if let Some(r) = &report {
        // the parser's GD042 for an example body that the checker reports as GD062
        diags.retain(|d| {
            d.code != codes::BAD_JSON
                || !r.diagnostics.iter().any(|c| {
                    c.code == codes::EXAMPLE_BAD_JSON
                        && c.file == d.file
                        && c.loc.line == d.loc.line
                })
        });
        diags.extend(&r.diagnostics);
    }
    diags.sort_by(|a, b| (&a.file, a.loc, a.code).cmp(&(&b.file, b.loc, b.code)));
    let errors = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = diags.len() - errors;

    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if args.json {
        let mut v = serde_json::to_value(&stats).unwrap_or_default();
        if let (Some(r), Some(obj)) = (&report, v.as_object_mut()) {
            if let Ok(serde_json::Value::Object(c)) = serde_json::to_value(&r.counts) {
                obj.extend(c);
            }
            let mut per_code: BTreeMap<&str, usize> = BTreeMap::new();
            for d in &diags {
                *per_code.entry(d.code).or_default() += 1;
            }
            obj.insert("codes".into(), serde_json::json!(per_code));
            obj.insert("errors".into(), errors.into());
            obj.insert("warnings".into(), warnings.into());
        }
        let _ = writeln!(out, "{v}");
    } else {
        for d in &diags {
            if writeln!(out, "{d}").is_err() {
                return exit(errors);
            }
        }
        if let (Some(r), true) = (&report, args.skipped) {
            for s in &r.skipped {
                let detail = if s.detail.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", s.detail)
                };
                let _ = writeln!(
                    out,
                    "{}:{}:{}: skipped[{}]: {}{detail}",
                    s.file.display(),
                    s.loc.line,
                    s.loc.col,
                    s.reason.name(),
                    s.reason.describe()
                );
            }
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
            errors,
            if errors == 1 { "" } else { "s" },
            warnings,
            if warnings == 1 { "" } else { "s" },
        );
        if let Some(r) = &report {
            let c = &r.counts;
            let _ = writeln!(
                out,
                "examples: {} requests, {} checked ({} ok), {} skipped",
                c.examples, c.examples_checked, c.examples_ok, c.examples_skipped
            );
        }
    }
    let _ = out.flush();
    exit(errors)
}

fn exit(errors: usize) -> ExitCode {
    if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
