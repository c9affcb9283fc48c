//! A project as it was at a git revision, read straight from git objects (`git ls-tree`, `git
//! cat-file --batch`): the work tree and the index are never touched.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Stdio};

use dazzle_analysis::AnalysisHost;
use dazzle_analysis::manifest::Manifest;
use dazzle_syntax::Dialect;

use crate::project_loader::{self, FileCache, LoadedProject};

/// The git repository holding a project.
pub(crate) struct Repo {
    /// Its top-level directory.
    root: PathBuf,
}

/// Runs git in `dir` with `args`; its stdout, or a message naming what failed.
fn git(dir: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_OPTIONAL_LOCKS", "0")
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(stderr.lines().next().unwrap_or("git failed").trim().to_owned());
    }
    Ok(output.stdout)
}

impl Repo {
    /// The repository that `path` is in.
    pub(crate) fn discover(path: &Path) -> Result<Repo, String> {
        let out = git(path, &["rev-parse", "--show-toplevel"])
            .map_err(|e| format!("{}: not in a git repository ({e})", path.display()))?;
        let root = PathBuf::from(String::from_utf8_lossy(&out).trim_end_matches(['\n', '\r']));
        Ok(Repo { root: std::fs::canonicalize(&root).unwrap_or(root) })
    }

    /// The commit `rev` names (a branch, tag, sha, `HEAD~1`, …).
    pub(crate) fn resolve(&self, rev: &str) -> Result<String, String> {
        if rev.starts_with('-') {
            return Err(format!("`{rev}` is not a revision"));
        }
        let spec = format!("{rev}^{{commit}}");
        let out = git(&self.root, &["rev-parse", "--verify", "--quiet", "--end-of-options", &spec])
            .map_err(|_| format!("unknown revision `{rev}` in {}", self.root.display()))?;
        Ok(String::from_utf8_lossy(&out).trim().to_owned())
    }

    /// `path` (absolute) relative to the repository's top level.
    fn relative(&self, path: &Path) -> Result<PathBuf, String> {
        let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        path.strip_prefix(&self.root)
            .map(Path::to_path_buf)
            .map_err(|_| format!("{} is outside the repository {}", path.display(), self.root.display()))
    }

    /// The regular files under `dirs` (relative to the top level) at `commit`.
    fn files(&self, commit: &str, dirs: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
        let mut args: Vec<String> = vec!["ls-tree".into(), "-r".into(), "-z".into(), commit.into(), "--".into()];
        args.extend(dirs.iter().map(|d| if d.as_os_str().is_empty() { ".".to_owned() } else { slash(d) }));
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = git(&self.root, &refs)?;
        let mut files = Vec::new();
        for entry in out.split(|&b| b == 0).filter(|e| !e.is_empty()) {
            let entry = String::from_utf8_lossy(entry);
            let Some((meta, path)) = entry.split_once('\t') else { continue };
            // Regular files only: symbolic links (120000) and submodules (commit) are skipped.
            if meta.starts_with("100644 blob") || meta.starts_with("100755 blob") {
                files.push(PathBuf::from(path));
            }
        }
        Ok(files)
    }

    /// The contents of `commit:path` for each path, `None` where there is no such file.
    fn read(&self, commit: &str, paths: &[PathBuf]) -> Result<Vec<Option<Vec<u8>>>, String> {
        let mut child = Command::new("git")
            .arg("-C")
            .arg(&self.root)
            .args(["cat-file", "--batch"])
            .env("GIT_OPTIONAL_LOCKS", "0")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot run git: {e}"))?;
        let mut stdin = child.stdin.take().ok_or("git cat-file: no stdin")?;
        let names: String = paths.iter().map(|p| format!("{commit}:{}\n", slash(p))).collect();
        let writer = std::thread::spawn(move || stdin.write_all(names.as_bytes()));
        let mut reader = BufReader::new(child.stdout.take().ok_or("git cat-file: no stdout")?);
        let mut out = Vec::with_capacity(paths.len());
        for _ in paths {
            let mut header = String::new();
            reader.read_line(&mut header).map_err(|e| format!("git cat-file: {e}"))?;
            let fields: Vec<&str> = header.split_whitespace().collect();
            match fields.as_slice() {
                [_, "blob", size] => {
                    let size: usize = size.parse().map_err(|_| "git cat-file: bad size".to_owned())?;
                    let mut bytes = vec![0; size + 1];
                    reader.read_exact(&mut bytes).map_err(|e| format!("git cat-file: {e}"))?;
                    bytes.pop();
                    out.push(Some(bytes));
                }
                [_, "missing"] | [_, _, _] => out.push(None),
                _ => return Err(format!("git cat-file: unexpected answer `{}`", header.trim())),
            }
        }
        let _ = writer.join();
        let _ = child.wait();
        Ok(out)
    }
}

/// A path with `/` separators, as git names it.
fn slash(path: &Path) -> String {
    path.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// `base/rel` with `.` and `..` resolved lexically.
fn normalize(base: &Path, rel: &str) -> PathBuf {
    let mut out = PathBuf::new();
    for component in base.join(rel).components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Where a revision's project came from, for reports.
pub(crate) struct Revision {
    /// The revision as given.
    pub rev: String,
    /// The commit it names.
    pub commit: String,
}

/// Loads the project whose root (in the work tree) is `project_root` as it was at `rev`, into
/// `host` (sharing identical files through `cache`). A project that did not exist then loads
/// as an empty project.
pub(crate) fn load(
    host: &mut AnalysisHost,
    cache: Option<&mut FileCache>,
    project_root: &Path,
    rev: &str,
    dialect: Option<Dialect>,
) -> Result<(LoadedProject, Revision), String> {
    let repo = Repo::discover(project_root)?;
    let commit = repo.resolve(rev)?;
    let project_dir = repo.relative(project_root)?;
    let manifest_path = project_dir.join("dazzle.toml");
    let manifest_text = match repo.read(&commit, std::slice::from_ref(&manifest_path))?.pop().flatten() {
        Some(bytes) => Some(text(bytes, &manifest_path, rev)?),
        None => None,
    };
    let manifest = manifest_text.as_deref().map(Manifest::parse).unwrap_or_default();
    let dirs: Vec<PathBuf> = manifest.module_paths.iter().map(|m| normalize(&project_dir, m)).collect();
    let mut paths: Vec<PathBuf> = if manifest_text.is_some() {
        repo.files(&commit, &dirs)?
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "dsl"))
            .filter(|p| dirs.iter().any(|d| p.starts_with(d)))
            .collect()
    } else {
        Vec::new()
    };
    paths.sort();
    paths.dedup();
    let contents = repo.read(&commit, &paths)?;
    let mut files = Vec::with_capacity(paths.len());
    for (path, bytes) in paths.iter().zip(contents) {
        let Some(bytes) = bytes else { continue };
        let relative = path.strip_prefix(&project_dir).map(Path::to_path_buf).unwrap_or_else(|_| path.clone());
        files.push((relative, text(bytes, path, rev)?));
    }
    let root = repo.root.join(&project_dir);
    let loaded = project_loader::load_texts(host, cache, root, manifest_text, files, dialect);
    Ok((loaded, Revision { rev: rev.to_owned(), commit }))
}

fn text(bytes: Vec<u8>, path: &Path, rev: &str) -> Result<String, String> {
    String::from_utf8(bytes).map_err(|e| {
        format!("{}:{}: not UTF-8 text (invalid byte at offset {})", rev, path.display(), e.utf8_error().valid_up_to())
    })
}
