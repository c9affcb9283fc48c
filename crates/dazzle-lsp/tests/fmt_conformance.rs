//! The formatter on every `.dsl` file of the conformance kit and of `examples/` (ignored unless
//! `DAZZLE_CONFORMANCE` names the kit; `.ci/run` runs it): `dazzle-lsp fmt` on a copy of each
//! project, then for every file — formatting is idempotent, the syntax errors (code and
//! message), the item index and the comments (in order) are those of the input, and the
//! strings are unchanged — and for every project, `--check --format json` reports the same
//! diagnostics (code, message, file) and `matrix --format json` prints the same bytes.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use dazzle_analysis::item_index::ItemIndex;
use dazzle_syntax::{Dialect, SyntaxKind};

fn binary(args: &[&str], cwd: &Path) -> (String, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_dazzle-lsp")).args(args).current_dir(cwd).output().unwrap();
    (String::from_utf8_lossy(&out.stdout).into_owned(), out.status.code().unwrap_or(-1))
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn dsl_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            dsl_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "dsl") {
            out.push(path);
        }
    }
}

/// What must survive formatting, for one file: syntax errors, item index, comments, strings.
type Facts = (Vec<(&'static str, String)>, ItemIndex, Vec<String>, Vec<String>);

fn facts(text: &str, dialect: Dialect) -> Facts {
    let parse = dazzle_syntax::parse(text, dialect);
    let errors = parse.errors().iter().map(|e| (e.code, e.message.clone())).collect();
    let (mut comments, mut strings) = (Vec::new(), Vec::new());
    dazzle_syntax::for_each_token(parse.green(), |kind, _, t| match kind {
        SyntaxKind::COMMENT => comments.push(t.trim_end().to_owned()),
        SyntaxKind::STRING => strings.push(t.to_owned()),
        _ => {}
    });
    (errors, ItemIndex::lower(&parse.tree(), text), comments, strings)
}

/// `(file, code, message)` of every diagnostic of `--check --format json`, counted.
fn check_diagnostics(project: &Path) -> BTreeMap<(String, String, String), usize> {
    let (json, _) = binary(&["--check", ".", "--format", "json"], project);
    let doc: serde_json::Value = serde_json::from_str(&json).expect("check JSON");
    let mut out = BTreeMap::new();
    for d in doc["diagnostics"].as_array().unwrap() {
        let key = (
            d["file"].as_str().unwrap().to_owned(),
            d["code"].as_str().unwrap().to_owned(),
            d["message"].as_str().unwrap().to_owned(),
        );
        *out.entry(key).or_insert(0) += 1;
    }
    out
}

#[test]
#[ignore = "needs the conformance kit: set DAZZLE_CONFORMANCE=path/to/shared/conformance"]
fn formatting_keeps_the_meaning_of_every_real_file() {
    let kit = PathBuf::from(std::env::var("DAZZLE_CONFORMANCE").expect("DAZZLE_CONFORMANCE"));
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let scratch = std::env::temp_dir().join(format!("dazzle-fmt-conformance-{}", std::process::id()));
    let _ = fs::remove_dir_all(&scratch);
    let mut roots: Vec<PathBuf> = Vec::new();
    for base in [kit.join("corpus/projects/examples"), kit.join("corpus/projects/fixtures"), repo.join("examples")] {
        let mut found: Vec<PathBuf> = fs::read_dir(&base).unwrap().flatten().map(|e| e.path()).collect();
        found.sort();
        roots.extend(found.into_iter().filter(|p| p.join("dazzle.toml").is_file()));
    }
    let (mut files, mut changed, mut projects) = (0, 0, 0);
    for (i, root) in roots.iter().enumerate() {
        let copy = scratch.join(format!("{i}"));
        copy_dir(root, &copy);
        assert!(matches!(binary(&["fmt", "."], &copy).1, 0), "fmt failed on {}", root.display());
        let (again, status) = binary(&["fmt", ".", "--check"], &copy);
        assert_eq!(status, 0, "not idempotent on {}: {again}", root.display());
        let (before, after) = (
            binary(&["matrix", ".", "--format", "json"], root).0,
            binary(&["matrix", ".", "--format", "json"], &copy).0,
        );
        assert!(before == after, "matrix JSON differs after formatting {}", root.display());
        assert_eq!(
            check_diagnostics(root),
            check_diagnostics(&copy),
            "--check differs after formatting {}",
            root.display()
        );
        let dialect = if binary(&["matrix", ".", "--format", "json"], root).0.contains("\"atomic_flows\"") {
            Dialect::V0_112
        } else {
            Dialect::V0_125
        };
        let mut originals = Vec::new();
        dsl_files(root, &mut originals);
        for original in originals {
            let formatted = copy.join(original.strip_prefix(root).unwrap());
            let (a, b) = (fs::read_to_string(&original).unwrap(), fs::read_to_string(&formatted).unwrap());
            assert!(facts(&a, dialect) == facts(&b, dialect), "{} lost something in formatting", original.display());
            files += 1;
            changed += usize::from(a != b);
        }
        projects += 1;
    }
    // The parser corpora: single files, some of them invalid on purpose.
    let mut singles = Vec::new();
    dsl_files(&kit.join("corpus/corpora"), &mut singles);
    for file in &singles {
        let text = fs::read_to_string(file).unwrap();
        for dialect in [Dialect::V0_125, Dialect::V0_112] {
            let once = dazzle_ide::format(&text, dialect, &dazzle_ide::FormatOptions::default());
            assert!(once.refused.is_none(), "{}: {:?}", file.display(), once.refused);
            let twice = dazzle_ide::format(&once.text, dialect, &dazzle_ide::FormatOptions::default());
            assert_eq!(once.text, twice.text, "{} is not idempotent", file.display());
            assert!(facts(&text, dialect) == facts(&once.text, dialect), "{} lost something", file.display());
        }
        files += 1;
    }
    fs::remove_dir_all(&scratch).ok();
    println!("fmt conformance: {projects} projects, {files} files ({changed} project files changed), all checks held");
}
