//! `dazzle-lsp`: the language server and headless linter of the Dazzle DSL.
//!
//! This crate is the only one that knows about the outside world: the command line, files,
//! terminals and output formats. The language itself lives in `dazzle-syntax`.

mod check_cmd;
mod cli;
mod line_index;
mod lsp_convert;
mod matrix_cmd;
mod matrix_golden;
mod parallel;
mod parse_cmd;
mod project_loader;
mod py_json;
mod render;
mod rules_catalog;
mod server;

use std::process::ExitCode;

/// The tree, the queries and the rules allocate many small values; mimalloc serves them
/// markedly faster than the system allocator (see `bench/run.sh`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    cli::run()
}
