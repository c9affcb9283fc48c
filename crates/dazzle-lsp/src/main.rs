//! The `dazzle-lsp` executable: see the library for everything it does.

use std::process::ExitCode;

/// The tree, the queries and the rules allocate many small values; mimalloc serves them
/// markedly faster than the system allocator (see `bench/run.sh`). It is built to advise its
/// arena for transparent huge pages: where the kernel grants them on request, the heap is
/// faulted in 2 MiB at a time, twenty times fewer faults (each costs about 2 µs in a virtual
/// machine), for a peak RSS rounded up to whole huge pages.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    dazzle_lsp::run()
}
