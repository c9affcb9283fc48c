//! `dazzle.toml`: the project's root module, module paths, and dazzle-lsp's own settings under
//! `[tool.dazzle-lsp]`. The caller reads the file; this module only interprets its text.

use dazzle_syntax::{Dialect, TextRange, TextSize};
use toml_edit::{Document, Item, Table};

/// What the analysis needs from `dazzle.toml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    /// `[project] name`
    pub name: Option<String>,
    /// `[project] root`: the root module's name.
    pub root: Option<String>,
    /// `[modules] paths`, relative to the project root (default `["./dsl"]`).
    pub module_paths: Vec<String>,
    /// `[tool.dazzle-lsp] dialect`
    pub dialect: Option<Dialect>,
    /// Problems found in the manifest itself.
    pub diagnostics: Vec<ManifestDiagnostic>,
}

impl Default for Manifest {
    fn default() -> Self {
        Manifest {
            name: None,
            root: None,
            module_paths: vec!["./dsl".to_owned()],
            dialect: None,
            diagnostics: Vec::new(),
        }
    }
}

/// A problem in `dazzle.toml`, located in its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestDiagnostic {
    /// Stable code.
    pub code: &'static str,
    /// What is wrong.
    pub message: String,
    /// Where, in bytes of the manifest.
    pub range: TextRange,
}

impl Manifest {
    /// Interprets the text of a `dazzle.toml`. Never fails: problems become diagnostics and
    /// defaults apply.
    pub fn parse(text: &str) -> Manifest {
        let mut manifest = Manifest::default();
        let doc = match Document::parse(text) {
            Ok(doc) => doc,
            Err(err) => {
                let range = err
                    .span()
                    .map_or(TextRange::empty(0.into()), |s| range(s.start, s.end));
                manifest.diagnostics.push(ManifestDiagnostic {
                    code: "invalid-manifest",
                    message: format!("dazzle.toml is not valid TOML: {}", err.message().trim()),
                    range,
                });
                return manifest;
            }
        };
        let root = doc.as_table();
        if let Some(project) = root.get("project").and_then(Item::as_table) {
            manifest.name = string(project, "name");
            manifest.root = string(project, "root");
        }
        if let Some(paths) = root
            .get("modules")
            .and_then(Item::as_table)
            .and_then(|m| m.get("paths"))
            .and_then(Item::as_array)
        {
            manifest.module_paths = paths
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect();
        }
        if let Some(tool) = root
            .get("tool")
            .and_then(Item::as_table)
            .and_then(|t| t.get("dazzle-lsp"))
            .and_then(Item::as_table)
            && let Some(item) = tool.get("dialect")
        {
            match item.as_str().map(str::parse::<Dialect>) {
                Some(Ok(dialect)) => manifest.dialect = Some(dialect),
                Some(Err(message)) => manifest.diagnostics.push(ManifestDiagnostic {
                    code: "invalid-manifest",
                    message,
                    range: item
                        .span()
                        .map_or(TextRange::empty(0.into()), |s| range(s.start, s.end)),
                }),
                None => {}
            }
        }
        manifest
    }
}

fn string(table: &Table, key: &str) -> Option<String> {
    table.get(key).and_then(Item::as_str).map(str::to_owned)
}

fn range(start: usize, end: usize) -> TextRange {
    let clamp = |n: usize| TextSize::try_from(n).unwrap_or(TextSize::new(u32::MAX));
    TextRange::new(clamp(start), clamp(end.max(start)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_root_paths_and_tool_settings() {
        let m = Manifest::parse(
            "[project]\nname = \"shop\"\nroot = \"shop.core\"\n[modules]\npaths = [\"./dsl\", \"./extra\"]\n\
             [tool.dazzle-lsp]\ndialect = \"0.112\"\n",
        );
        assert_eq!(m.root.as_deref(), Some("shop.core"));
        assert_eq!(m.module_paths, vec!["./dsl", "./extra"]);
        assert_eq!(m.dialect, Some(Dialect::V0_112));
        assert!(m.diagnostics.is_empty());
    }

    #[test]
    fn invalid_toml_is_a_located_diagnostic_with_defaults() {
        let m = Manifest::parse("[project\nroot = 1");
        assert_eq!(m.module_paths, vec!["./dsl"]);
        assert_eq!(m.diagnostics.len(), 1);
        assert!(
            m.diagnostics[0]
                .message
                .starts_with("dazzle.toml is not valid TOML")
        );
    }
}
