//! The `dazzle-lsp` executable: see the library for everything it does.

use std::process::ExitCode;

/// The tree, the queries and the rules allocate many small values; mimalloc serves them
/// markedly faster than the system allocator (see `bench/run.sh`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    dazzle_lsp::run()
}
