//! Links the executable with its most executed functions first and together
//! (`link/hot-functions.txt`, written by `bench/run.sh link-order`): a run then maps a few
//! hundred kilobytes of code instead of most of the binary. Only on x86_64 Linux, whose
//! default linker (LLD, since Rust 1.90) reads a symbol ordering file; names the binary does
//! not have are skipped. `DAZZLE_LSP_NO_LINK_ORDER=1` links in the default order (for
//! another linker).

use std::env;
use std::path::Path;

fn main() {
    let manifest = env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let list = Path::new(&manifest).join("link").join("hot-functions.txt");
    println!("cargo:rerun-if-changed={}", list.display());
    println!("cargo:rerun-if-env-changed=DAZZLE_LSP_NO_LINK_ORDER");
    let linux_x86_64 = env::var("TARGET").is_ok_and(|target| target == "x86_64-unknown-linux-gnu");
    if linux_x86_64 && env::var_os("DAZZLE_LSP_NO_LINK_ORDER").is_none() && list.is_file() {
        println!("cargo:rustc-link-arg-bins=-Wl,--symbol-ordering-file={}", list.display());
        println!("cargo:rustc-link-arg-bins=-Wl,--no-warn-symbol-ordering");
    }
}
