//! Command-line parsing and dispatch.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use dazzle_syntax::Dialect;

/// Language server and security linter for the Dazzle DSL.
#[derive(Debug, Parser)]
#[command(name = "dazzle-lsp", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Print the lossless syntax tree of a file and every syntax diagnostic in it.
    Parse {
        /// The `.dsl` file to parse.
        file: PathBuf,
        /// The Dazzle dialect whose removed constructs are reported.
        #[arg(long, default_value = "0.125", value_parser = parse_dialect)]
        dialect: Dialect,
        /// `tree` prints the tree and the diagnostics; `json` only the diagnostics.
        #[arg(long, value_enum, default_value_t = ParseFormat::Tree)]
        format: ParseFormat,
    },
    /// Print the static RBAC matrix of a project, as `dazzle rbac matrix` does.
    Matrix {
        /// The project directory (or a directory or file inside it); default: the current one.
        #[arg(default_value = ".")]
        project: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = MatrixFormat::Table)]
        format: MatrixFormat,
        /// The Dazzle dialect (default: `[tool.dazzle-lsp] dialect` of dazzle.toml, else 0.125).
        #[arg(long, value_parser = parse_dialect)]
        dialect: Option<Dialect>,
    },
}

/// Output of the `matrix` command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum MatrixFormat {
    /// A Markdown table.
    Table,
    /// The reference's JSON document.
    Json,
    /// CSV with CRLF line ends.
    Csv,
}

/// Output of the `parse` command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ParseFormat {
    /// `KIND@start..end` per node and token, then `line:col: message` per diagnostic.
    Tree,
    /// `{"version": 1, "diagnostics": [...]}`.
    Json,
}

fn parse_dialect(s: &str) -> Result<Dialect, String> {
    s.parse()
}

/// Parses the command line and runs the command; returns the process status.
pub(crate) fn run() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Parse {
            file,
            dialect,
            format,
        } => crate::parse_cmd::run(&file, dialect, format),
        Command::Matrix {
            project,
            format,
            dialect,
        } => crate::matrix_cmd::run(&project, format, dialect),
    }
}
