//! `dazzle-lsp`: the language server and headless linter of the Dazzle DSL.
//!
//! This crate is the only one that knows about the outside world: the command line, files,
//! terminals, output formats and the Language Server Protocol. The language itself lives in
//! `dazzle-syntax`, its meaning in `dazzle-analysis`, the editor features in `dazzle-ide`.
//! The library exists for the binary and for the fuzz targets; it is not a stable API.

mod check_cmd;
mod cli;
mod client_settings;
mod diff_cmd;
mod diff_render;
pub mod document;
mod fmt_cmd;
mod formatting;
mod line_index;
mod lsp_convert;
mod matrix_cmd;
mod matrix_golden;
mod matrix_output;
mod parallel;
mod parse_cmd;
mod project_loader;
mod py_json;
mod render;
mod report;
mod report_cmd;
mod revision;
mod rules_catalog;
mod server;
mod stdout;
mod transport;

pub use cli::run;
pub use lsp_convert::Encoding;
