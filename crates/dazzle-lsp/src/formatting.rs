//! Formatting a file the way its project asks — the indentation of `[tool.dazzle-lsp.format]`
//! and the dialect of `[tool.dazzle-lsp]` in the `dazzle.toml` above it — and the result as
//! minimal line edits (for the server) or a unified diff (for `fmt --diff`).

use std::ops::Range;
use std::path::Path;

use dazzle_analysis::manifest::Manifest;
use dazzle_ide::{FormatOptions, Formatted};
use dazzle_syntax::Dialect;
use similar::{DiffOp, TextDiff};

/// What a project configures for formatting.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct FormatSettings {
    pub options: FormatOptions,
    pub dialect: Option<Dialect>,
}

impl FormatSettings {
    /// The settings of a manifest's text.
    pub(crate) fn from_manifest(text: Option<&str>) -> FormatSettings {
        let manifest = text.map(Manifest::parse).unwrap_or_default();
        FormatSettings {
            options: FormatOptions { indent: manifest.format_indent.unwrap_or(FormatOptions::default().indent) },
            dialect: manifest.dialect,
        }
    }

    /// The settings of the project holding `path` (read from the `dazzle.toml` above it; a
    /// file that does not exist yet is looked up from its directory).
    pub(crate) fn for_path(path: &Path) -> FormatSettings {
        let dir = path.parent().map(|p| if p.as_os_str().is_empty() { Path::new(".") } else { p });
        let manifest = crate::project_loader::find_project_root(path)
            .or_else(|| dir.and_then(crate::project_loader::find_project_root))
            .and_then(|root| std::fs::read_to_string(root.join("dazzle.toml")).ok());
        FormatSettings::from_manifest(manifest.as_deref())
    }

    /// Formats `text`. Without a configured dialect the file is read as 0.125, or as 0.112
    /// when it uses syntax only 0.112 has.
    pub(crate) fn format(&self, text: &str) -> Formatted {
        let dialect = self.dialect.unwrap_or_else(|| {
            let parse = dazzle_syntax::parse(text, Dialect::V0_125);
            if parse.errors().iter().any(|e| e.code.starts_with("removed-")) {
                Dialect::V0_112
            } else {
                Dialect::V0_125
            }
        });
        dazzle_ide::format(text, dialect, &self.options)
    }
}

/// The edits that turn `old` into `new`, one per run of changed lines: `(byte range in old,
/// replacement)`.
pub(crate) fn line_edits(old: &str, new: &str) -> Vec<(Range<usize>, String)> {
    let diff = TextDiff::from_lines(old, new);
    let starts = |slices: &[&str]| {
        let mut offsets = Vec::with_capacity(slices.len() + 1);
        let mut at = 0;
        for s in slices {
            offsets.push(at);
            at += s.len();
        }
        offsets.push(at);
        offsets
    };
    let (old_starts, new_starts) = (starts(diff.old_slices()), starts(diff.new_slices()));
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    for op in diff.ops() {
        if let DiffOp::Equal { .. } = op {
            continue;
        }
        let (o, n) = (op.old_range(), op.new_range());
        let range = old_starts[o.start]..old_starts[o.end];
        let text = new[new_starts[n.start]..new_starts[n.end]].to_owned();
        match edits.last_mut() {
            Some((last, replacement)) if last.end == range.start => {
                last.end = range.end;
                replacement.push_str(&text);
            }
            _ => edits.push((range, text)),
        }
    }
    edits
}

/// A unified diff of `old` → `new` for `name`, with three lines of context.
pub(crate) fn unified_diff(old: &str, new: &str, name: &str) -> String {
    TextDiff::from_lines(old, new).unified_diff().context_radius(3).header(name, name).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_cover_only_changed_lines_and_reproduce_the_new_text() {
        let old = "a\nb  \nc\nd\ne\n";
        let new = "a\nb\nc\nd\ne\n\nf\n";
        let edits = line_edits(old, new);
        assert_eq!(edits, vec![(2..6, "b\n".to_owned()), (12..12, "\nf\n".to_owned())]);
        let mut applied = old.to_owned();
        for (range, text) in edits.iter().rev() {
            applied.replace_range(range.clone(), text);
        }
        assert_eq!(applied, new);
    }
}
