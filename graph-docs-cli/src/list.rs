//! `graph-docs list DIR`.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `list`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The docs folder (every `.md` below it is read).
    pub dir: PathBuf,
}

/// Runs `list`: one line per endpoint (method + route, placeholder names ignored), sorted by
/// route then method, with the first page documenting it.
pub fn run(args: Args) -> ExitCode {
    let corpus = match crate::load(&args.dir) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for ((_, method), (page, route)) in corpus.endpoints() {
        let path = &page.meta.path;
        let shown = path.strip_prefix(&args.dir).unwrap_or(path);
        if writeln!(out, "{method} {}  ({})", route.path, shown.display()).is_err() {
            break; // closed pipe
        }
    }
    let _ = out.flush();
    ExitCode::SUCCESS
}
