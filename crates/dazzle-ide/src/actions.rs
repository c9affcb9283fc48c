//! Code actions: the quick fixes the rules carry, and a suppression comment for any
//! diagnostic that may be suppressed.

use dazzle_analysis::diagnostics::TextEdit;
use dazzle_syntax::{TextRange, TextSize};

use crate::{Analysis, Cancellable, FileId, ProjectId};

/// One action: a title, the code it addresses, and its edits in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeAction {
    /// Menu title.
    pub title: String,
    /// The diagnostic code it fixes or suppresses.
    pub code: &'static str,
    /// The diagnostic's range.
    pub diagnostic: TextRange,
    /// Whether it is the preferred fix.
    pub preferred: bool,
    /// Edits in the file.
    pub edits: Vec<TextEdit>,
}

/// The actions for the diagnostics that intersect `range`.
pub fn code_actions(
    analysis: &Analysis,
    project: ProjectId,
    file: FileId,
    range: TextRange,
) -> Cancellable<Vec<CodeAction>> {
    let diagnostics = analysis.file_diagnostics(project, file)?;
    let Some(text) = analysis.file_text(file)? else { return Ok(Vec::new()) };
    let mut out = Vec::new();
    for d in diagnostics.iter().filter(|d| d.range.intersect(range).is_some() || d.range.contains_range(range)) {
        for fix in &d.fixes {
            out.push(CodeAction {
                title: fix.label.clone(),
                code: d.code,
                diagnostic: d.range,
                preferred: true,
                edits: fix.edits.clone(),
            });
        }
        if d.code != "syntax-error" {
            out.push(CodeAction {
                title: format!("Suppress `{}` here", d.code),
                code: d.code,
                diagnostic: d.range,
                preferred: false,
                edits: vec![suppression(&text, d.range.start(), d.code)],
            });
        }
    }
    Ok(out)
}

/// `# dazzle-lsp: allow(code)` at the end of the line, or on a line of its own above it when
/// the line already ends in a comment.
fn suppression(text: &str, at: TextSize, code: &str) -> TextEdit {
    let at = usize::from(at).min(text.len());
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    let line = &text[start..end];
    let has_comment = line.contains('#');
    if has_comment {
        let indent: String = line.chars().take_while(|c| *c == ' ' || *c == '\t').collect();
        let offset = TextSize::try_from(start).unwrap_or_default();
        TextEdit { range: TextRange::empty(offset), insert: format!("{indent}# dazzle-lsp: allow({code})\n") }
    } else {
        let content_end = start + line.trim_end().len();
        let offset = TextSize::try_from(content_end).unwrap_or_default();
        TextEdit { range: TextRange::empty(offset), insert: format!("  # dazzle-lsp: allow({code})") }
    }
}
