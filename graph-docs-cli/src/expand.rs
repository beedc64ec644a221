//! `graph-docs expand DIR [--only PREFIX]... [--exclude PREFIX]... [--skip-invalid]`.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use graph_docs_codegen::Options;
use graph_docs_parse::Severity;

/// Arguments of `expand`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The docs folder (every `.md` below it is read).
    pub dir: PathBuf,
    /// Only routes starting with this prefix (at a segment boundary; placeholder names do not
    /// matter: `/users/{id}` selects `/users/{user-id}/...`). Repeatable.
    #[arg(long, value_name = "PREFIX")]
    pub only: Vec<String>,
    /// Leave out routes starting with this prefix. Repeatable.
    #[arg(long, value_name = "PREFIX")]
    pub exclude: Vec<String>,
    /// Skip pages with errors (their diagnostics are still printed) instead of failing.
    #[arg(long)]
    pub skip_invalid: bool,
}

/// Runs `expand`: the generated code on stdout, diagnostics on stderr; exit 0, 1 on errors,
/// 2 on bad usage.
pub fn run(args: Args) -> ExitCode {
    let corpus = match crate::load(&args.dir) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let opts = Options {
        only: args.only,
        exclude: args.exclude,
        skip_invalid: args.skip_invalid,
        ..Default::default()
    };
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    match graph_docs_codegen::generate_file(&corpus, &opts) {
        Ok((text, generated)) => {
            for d in generated.diagnostics.iter().chain(&generated.skipped) {
                let _ = writeln!(err, "{d}");
            }
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            // a closed pipe (`| head`) is not an error
            let _ = out.write_all(text.as_bytes()).and_then(|_| out.flush());
            let errors = generated
                .diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .count();
            let _ = writeln!(
                err,
                "generated {} operations ({} routes) and {} models{}",
                generated.operations,
                generated.routes,
                generated.models,
                if errors > 0 {
                    format!("; {errors} pages with errors skipped")
                } else {
                    String::new()
                }
            );
            ExitCode::SUCCESS
        }
        Err(diags) => {
            for d in &diags {
                let _ = writeln!(err, "{d}");
            }
            let _ = writeln!(
                err,
                "error: no code generated: {} error{} (use --skip-invalid to leave those pages out)",
                diags.len(),
                if diags.len() == 1 { "" } else { "s" }
            );
            ExitCode::from(1)
        }
    }
}
