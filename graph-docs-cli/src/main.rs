//! `graph-docs`: check, list, expand and permissions for Microsoft Graph API reference pages.
//!
//! Each subcommand lives in its own module with an `Args` struct and a `run(Args) -> ExitCode`
//! function; adding one is a new module plus a variant of [`Command`].

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod check;
mod expand;
mod list;
mod permissions;

/// Exit code for bad usage (clap also uses 2).
pub const EXIT_USAGE: u8 = 2;

#[derive(Parser, Debug)]
#[command(
    name = "graph-docs",
    version,
    about = "Typed Microsoft Graph clients from the API reference pages"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Parse every page below DIR and print diagnostics like rustc, then a summary
    /// (`--examples`: also check the worked examples against the pages).
    Check(check::Args),
    /// Print one line per endpoint: `METHOD /route  (page.md)`.
    List(list::Args),
    /// Print the generated client code (as `include_graph_api!` would expand it).
    Expand(expand::Args),
    /// Print the least privileged permission scopes for the selected endpoints.
    Permissions(permissions::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check(a) => check::run(a),
        Command::List(a) => list::run(a),
        Command::Expand(a) => expand::run(a),
        Command::Permissions(a) => permissions::run(a),
    }
}

/// Loads a docs folder, printing a clear message on failure.
pub(crate) fn load(dir: &std::path::Path) -> Result<graph_docs_parse::Corpus, ExitCode> {
    graph_docs_parse::Corpus::load(dir).map_err(|e| {
        eprintln!("error: {e}");
        ExitCode::from(EXIT_USAGE)
    })
}
