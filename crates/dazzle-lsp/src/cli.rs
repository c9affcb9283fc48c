//! Command-line parsing and dispatch.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use dazzle_syntax::Dialect;

/// Language server and security linter for the Dazzle DSL.
///
/// With no arguments (or `--stdio`) it is a language server on stdin/stdout;
/// `dazzle-lsp --check [PATH…]` lints projects for CI; `dazzle-lsp matrix` prints the RBAC
/// matrix; `dazzle-lsp diff --base REV` reports who gained access in a change; `dazzle-lsp fmt`
/// formats files; `dazzle-lsp parse FILE` prints a syntax tree.
#[derive(Debug, Parser)]
#[command(name = "dazzle-lsp", version, about, args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    check: CheckArgs,
}

/// The headless linter's options.
#[derive(Debug, Args)]
struct CheckArgs {
    /// Speak LSP on stdin/stdout (also the default when no command is given).
    #[arg(long, conflicts_with = "check")]
    stdio: bool,
    /// Lint PATHs (project directories, `.dsl` files, or directories searched for projects).
    #[arg(long)]
    check: bool,
    /// What to lint (default: the current directory).
    #[arg(requires = "check")]
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CheckFormat::Human, requires = "check")]
    format: CheckFormat,
    /// Fail (exit 1) on warnings too.
    #[arg(long, requires = "check")]
    deny_warnings: bool,
    /// Only report these codes (comma-separated), on top of dazzle.toml's configuration.
    #[arg(long, value_delimiter = ',', requires = "check")]
    select: Vec<String>,
    /// Never report these codes (comma-separated).
    #[arg(long, value_delimiter = ',', requires = "check")]
    ignore: Vec<String>,
    /// Colour: `auto` colours only on a terminal and never with NO_COLOR set.
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto, requires = "check")]
    color: ColorWhen,
    /// Report every cell that differs from this committed matrix JSON as `matrix-drift`.
    #[arg(long, requires = "check")]
    matrix_golden: Option<PathBuf>,
    /// The Dazzle dialect (default: `[tool.dazzle-lsp] dialect`, else inferred).
    #[arg(long, value_parser = parse_dialect, requires = "check")]
    dialect: Option<Dialect>,
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
        /// The Dazzle dialect (default: `[tool.dazzle-lsp] dialect` of dazzle.toml, else inferred).
        #[arg(long, value_parser = parse_dialect)]
        dialect: Option<Dialect>,
        /// Also write the matrix as JSON to this file (the golden master for `--matrix-golden`).
        #[arg(long)]
        write: Option<PathBuf>,
    },
    /// Format `.dsl` files: files, projects (their module paths), or everything below a
    /// directory; `-` reads standard input and writes standard output.
    Fmt {
        /// What to format (default: the current directory).
        paths: Vec<PathBuf>,
        /// Change nothing: list the files that would change (exit 1 if any).
        #[arg(long)]
        check: bool,
        /// Change nothing: print a unified diff of what would change (exit 1 if anything).
        #[arg(long, conflicts_with = "check")]
        diff: bool,
        /// The path standard input stands for (its project's settings apply).
        #[arg(long)]
        stdin_filepath: Option<PathBuf>,
    },
    /// Write the security report of a project: summary, RBAC matrix, findings with their OWASP /
    /// CWE / ASVS mapping, the security guide's checklist scored, OWASP Top 10 coverage.
    Report {
        /// The project directory (or a directory or file inside it); default: the current one.
        #[arg(default_value = ".")]
        project: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ReportFormat::Html)]
        format: ReportFormat,
        /// Write to this file instead of standard output (never a `.dsl` file or dazzle.toml).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// The Dazzle dialect (default: `[tool.dazzle-lsp] dialect` of dazzle.toml, else inferred).
        #[arg(long, value_parser = parse_dialect)]
        dialect: Option<Dialect>,
    },
    /// Report who gained or lost access between two revisions of a project (or against a
    /// committed matrix JSON): every persona × entity × operation whose decision differs.
    Diff {
        /// The project directory (or a directory or file inside it); default: the current one.
        #[arg(default_value = ".")]
        project: PathBuf,
        /// The base: a git revision (branch, tag, sha, `HEAD~1`) or a matrix JSON file
        /// (`dazzle-lsp matrix --format json`).
        #[arg(long)]
        base: String,
        /// The head: a git revision (default: the work tree as it is on disk, uncommitted
        /// changes included).
        #[arg(long)]
        head: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = DiffFormat::Human)]
        format: DiffFormat,
        /// Which changes make the exit status 1.
        #[arg(long, value_enum, default_value_t = FailOn::Widened)]
        fail_on: FailOn,
        /// The Dazzle dialect of both sides (default: each side's dazzle.toml, else inferred).
        #[arg(long, value_parser = parse_dialect)]
        dialect: Option<Dialect>,
        /// Colour: `auto` colours only on a terminal and never with NO_COLOR set.
        #[arg(long, value_enum, default_value_t = ColorWhen::Auto)]
        color: ColorWhen,
    },
}

/// Output of the `report` command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ReportFormat {
    /// One self-contained HTML page (no network requests).
    Html,
    /// Markdown, the matrix as one table per entity.
    Markdown,
    /// JSON, schema `dazzle-lsp-report/1` (docs/report.schema.json).
    Json,
}

/// Output of the `diff` command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum DiffFormat {
    /// One line per change with its location, for a terminal.
    Human,
    /// A pull-request comment: summary lines, then a table per entity.
    Markdown,
    /// One JSON document (docs/cli.md).
    Json,
    /// SARIF 2.1.0 for code scanning.
    Sarif,
    /// GitHub Actions workflow commands.
    Github,
}

/// Which changes fail `diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum FailOn {
    /// A persona gained access somewhere.
    Widened,
    /// Anything changed (a cell, a persona, an entity).
    Any,
    /// Never.
    None,
}

/// Output of the `parse` command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ParseFormat {
    /// `KIND@start..end` per node and token, then `line:col: message` per diagnostic.
    Tree,
    /// `{"version": 1, "diagnostics": [...]}`.
    Json,
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

/// Output of `--check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum CheckFormat {
    /// Source snippets with file:line:col, code and help, then a summary line.
    Human,
    /// One JSON document (docs/cli.md).
    Json,
    /// SARIF 2.1.0 for code scanning.
    Sarif,
    /// GitHub Actions workflow commands.
    Github,
}

/// When to colour human output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ColorWhen {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

fn parse_dialect(s: &str) -> Result<Dialect, String> {
    s.parse()
}

/// Parses the command line and runs the command (the linter, the matrix, the parser view or
/// the language server); returns the process status.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Parse { file, dialect, format }) => crate::parse_cmd::run(&file, dialect, format),
        Some(Command::Matrix { project, format, dialect, write }) => {
            crate::matrix_cmd::run(&project, format, dialect, write.as_deref())
        }
        Some(Command::Report { project, format, output, dialect }) => {
            crate::report_cmd::run(crate::report_cmd::ReportOptions { project, format, output, dialect })
        }
        Some(Command::Fmt { paths, check, diff, stdin_filepath }) => {
            crate::fmt_cmd::run(crate::fmt_cmd::FmtOptions { paths, check, diff, stdin_filepath })
        }
        Some(Command::Diff { project, base, head, format, fail_on, dialect, color }) => {
            crate::diff_cmd::run(crate::diff_cmd::DiffOptions { project, base, head, format, fail_on, dialect, color })
        }
        None if cli.check.check => crate::check_cmd::run(crate::check_cmd::CheckOptions {
            paths: cli.check.paths,
            format: cli.check.format,
            deny_warnings: cli.check.deny_warnings,
            select: cli.check.select,
            ignore: cli.check.ignore,
            color: cli.check.color,
            dialect: cli.check.dialect,
            matrix_golden: cli.check.matrix_golden,
        }),
        None => crate::server::run(),
    }
}
