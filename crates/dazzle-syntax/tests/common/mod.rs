//! What several test files share: the repository's own `.dsl` files.

use std::path::{Path, PathBuf};

fn dsl_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        let hidden = path.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.'));
        if path.is_dir() && !hidden && !path.ends_with("target") {
            dsl_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "dsl") {
            out.push(path);
        }
    }
}

/// The texts of every `.dsl` file under `crates/` and `examples/`, in path order.
pub fn repository_dsl_texts() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = Vec::new();
    dsl_files(&root.join("crates"), &mut files);
    dsl_files(&root.join("examples"), &mut files);
    files.sort();
    assert!(files.len() > 50, "the repository's .dsl files were not found");
    files.iter().map(|f| std::fs::read_to_string(f).unwrap()).collect()
}
