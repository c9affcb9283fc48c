//! Finding and reading a project from disk: `dazzle.toml` (in the directory or above it),
//! the `.dsl` files under its module paths, sorted as the reference sorts them.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use dazzle_analysis::Durability;
use dazzle_analysis::manifest::Manifest;
use dazzle_analysis::{AnalysisHost, FileId, ProjectId};
use dazzle_syntax::Dialect;

/// A project loaded into a host.
pub(crate) struct LoadedProject {
    /// The directory holding `dazzle.toml` (or the lone file's directory).
    pub root: PathBuf,
    /// The project in the host.
    pub project: ProjectId,
    /// Each file: its id, its path relative to `root`, and its text (shared with the host).
    pub files: Vec<(FileId, PathBuf, Arc<str>)>,
    /// The manifest text, when there is one.
    pub manifest_text: Option<String>,
}

/// Files already added to a host, by path, dialect and text: projects loaded through the same
/// cache (the two sides of a `diff`) share the inputs of identical files, so each is parsed and
/// indexed once.
#[derive(Default)]
pub(crate) struct FileCache(std::collections::HashMap<(String, Dialect, String), FileId>);

impl FileCache {
    /// The file with this path, dialect and text, added to `host` the first time it is asked for.
    fn file(&mut self, host: &mut AnalysisHost, name: String, dialect: Dialect, text: &str) -> FileId {
        *self
            .0
            .entry((name, dialect, text.to_owned()))
            .or_insert_with_key(|(name, _, text)| host.add_file(name, text.as_str(), dialect, Durability::MEDIUM))
    }
}

/// Why a project could not be loaded.
#[derive(Debug)]
pub(crate) struct LoadError(pub String);

/// The directory at or above `start` that holds a `dazzle.toml`.
pub(crate) fn find_project_root(start: &Path) -> Option<PathBuf> {
    let start = fs::canonicalize(start).ok()?;
    let dir = if start.is_file() { start.parent()?.to_path_buf() } else { start };
    dir.ancestors().find(|d| d.join("dazzle.toml").is_file()).map(Path::to_path_buf)
}

/// The project roots (directories holding a `dazzle.toml`) at or below a workspace folder, at
/// most `depth` directories down; hidden directories, `node_modules` and `target` are skipped and
/// symbolic links are not followed. Nested projects below a found root are not searched.
pub(crate) fn discover_projects(folder: &Path, depth: usize) -> Vec<PathBuf> {
    let mut out = Vec::new();
    find_roots(folder, depth, &mut out);
    out.sort();
    out
}

fn find_roots(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) {
    if dir.join("dazzle.toml").is_file() {
        out.push(dir.to_path_buf());
        return;
    }
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten().filter(|_| depth > 0) {
        let name = entry.file_name();
        let skipped = name.to_string_lossy().starts_with('.') || name == "node_modules" || name == "target";
        if !skipped && entry.file_type().is_ok_and(|k| k.is_dir()) {
            find_roots(&entry.path(), depth - 1, out);
        }
    }
}

/// Loads the project containing `path` (a project directory, a directory inside one, or a
/// `.dsl` file). A `.dsl` file outside any project is a project of its own.
pub(crate) fn load(host: &mut AnalysisHost, path: &Path, dialect: Option<Dialect>) -> Result<LoadedProject, LoadError> {
    load_shared(host, None, path, dialect)
}

/// [`load`], sharing identical files with the other projects loaded through `cache`, if any.
pub(crate) fn load_shared(
    host: &mut AnalysisHost,
    cache: Option<&mut FileCache>,
    path: &Path,
    dialect: Option<Dialect>,
) -> Result<LoadedProject, LoadError> {
    if !path.exists() {
        return Err(LoadError(format!("{}: no such file or directory", path.display())));
    }
    let lone_file = path.is_file();
    let root = match find_project_root(path) {
        Some(root) => root,
        None if lone_file => fs::canonicalize(path)
            .ok()
            .and_then(|p| p.parent().map(Path::to_path_buf))
            .ok_or_else(|| LoadError(format!("{}: cannot resolve its directory", path.display())))?,
        None => {
            return Err(LoadError(format!(
                "{}: no dazzle.toml in this directory or above it (a Dazzle project needs one)",
                path.display()
            )));
        }
    };
    let manifest_path = root.join("dazzle.toml");
    let manifest_text = if manifest_path.is_file() { Some(read_text(&manifest_path)?) } else { None };
    let manifest = manifest_text.as_deref().map(Manifest::parse).unwrap_or_default();
    let paths: Vec<PathBuf> = if manifest_text.is_none() {
        vec![fs::canonicalize(path).map_err(|e| LoadError(format!("{}: {e}", path.display())))?]
    } else {
        discover(&root, &manifest.module_paths)
    };
    let mut files = Vec::with_capacity(paths.len());
    for file in paths {
        let text = read_text(&file)?;
        files.push((file.strip_prefix(&root).unwrap_or(&file).to_path_buf(), text));
    }
    Ok(load_texts(host, cache, root, manifest_text, files, dialect))
}

/// Adds a project's texts to `host`: its manifest and its `.dsl` files (paths relative to
/// `root`, in discovery order), read as `dialect` or as the manifest or the files say. Without
/// a `cache`, every file is added as it is (nothing to share it with: no text is hashed).
pub(crate) fn load_texts(
    host: &mut AnalysisHost,
    mut cache: Option<&mut FileCache>,
    root: PathBuf,
    manifest_text: Option<String>,
    texts: Vec<(PathBuf, String)>,
    dialect: Option<Dialect>,
) -> LoadedProject {
    let manifest = manifest_text.as_deref().map(Manifest::parse).unwrap_or_default();
    let file_dialect = dialect.or(manifest.dialect).unwrap_or_default();
    let mut ids: Vec<FileId> = Vec::with_capacity(texts.len());
    let mut files = Vec::with_capacity(texts.len());
    for (relative, text) in texts {
        let name = relative.to_string_lossy().into_owned();
        let text: Arc<str> = Arc::from(text);
        let id = match cache.as_deref_mut() {
            Some(cache) => cache.file(host, name, file_dialect, &text),
            None => host.add_file(&name, Arc::clone(&text), file_dialect, Durability::MEDIUM),
        };
        ids.push(id);
        files.push((id, relative, text));
    }
    let project = host.add_project(manifest_text.as_deref(), &ids, dialect);
    LoadedProject { root, project, files, manifest_text }
}

/// The `.dsl` files of the project at or above `path`: its module paths' files (or the lone
/// file itself outside any project).
pub(crate) fn project_files(path: &Path) -> Result<Vec<PathBuf>, LoadError> {
    let Some(root) = find_project_root(path) else {
        return Ok(vec![path.to_path_buf()]);
    };
    let manifest = read_text(&root.join("dazzle.toml"))?;
    Ok(discover(&root, &Manifest::parse(&manifest).module_paths))
}

/// Every `.dsl` file under the module paths, deduplicated and sorted component-wise (as
/// Python sorts `Path`s). Symbolic links to directories are not followed, so a link loop
/// cannot hang discovery.
fn discover(root: &Path, module_paths: &[String]) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for rel in module_paths {
        if let Ok(base) = fs::canonicalize(root.join(rel)) {
            walk(&base, &mut files);
        }
    }
    files.sort();
    files.dedup();
    files
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    if dir.is_file() {
        if dir.extension().is_some_and(|e| e == "dsl") {
            out.push(dir.to_path_buf());
        }
        return;
    }
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            walk(&path, out);
        } else if path.extension().is_some_and(|e| e == "dsl") && (kind.is_file() || path.is_file()) {
            out.push(path);
        }
    }
}

fn read_text(path: &Path) -> Result<String, LoadError> {
    let bytes = fs::read(path).map_err(|e| LoadError(format!("{}: {e}", path.display())))?;
    String::from_utf8(bytes).map_err(|e| {
        LoadError(format!(
            "{}: not UTF-8 text (invalid byte at offset {})",
            path.display(),
            e.utf8_error().valid_up_to()
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discovers_projects_below_a_folder_without_descending_into_them() {
        let root = std::env::temp_dir().join(format!("dazzle-discover-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        for dir in ["a", "b/nested", "b/nested/inner", ".hidden", "node_modules/x", "deep/1/2/3"] {
            fs::create_dir_all(root.join(dir)).unwrap();
            fs::write(root.join(dir).join("dazzle.toml"), "").unwrap();
        }
        let found: Vec<PathBuf> =
            discover_projects(&root, 3).iter().map(|p| p.strip_prefix(&root).unwrap().to_path_buf()).collect();
        assert_eq!(found, vec![PathBuf::from("a"), PathBuf::from("b/nested")]);
        assert_eq!(discover_projects(&root.join("a"), 0), vec![root.join("a")]);
        fs::remove_dir_all(&root).unwrap();
    }
}
