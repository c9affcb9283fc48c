//! The formatter: one style for Dazzle files, taken from how the upstream projects are written
//! (docs/formatting.md), that never changes what a file means.
//!
//! Indentation is re-derived from the layout (2 or 4 spaces a level; a `- item`'s keys align
//! with its text and the block of a `- header:` is one level further); blank lines are one
//! between top-level constructs and at most one inside blocks; spacing is normalised only
//! around the key's colon, commas, brackets and condition operators; trailing white space
//! goes; the file ends with exactly one line break, and the lines written end with the break of
//! the file's first non-blank line (so CRLF files stay CRLF). Strings are never touched and
//! comments stay on their lines.
//!
//! A top-level item with a syntax error is kept byte for byte. And the result is checked: it
//! must parse to the same tokens, the same tree shape, the same line breaks between tokens and
//! the same diagnostics as the input — otherwise the input is returned unchanged, with the reason.

mod lines;
mod spacing;
mod verify;

use dazzle_syntax::{Dialect, Severity, SyntaxKind, TextRange, indent_width};

use lines::{Line, LineKind};

/// How to format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FormatOptions {
    /// Spaces per indentation level (2 or 4).
    pub indent: u32,
}

impl Default for FormatOptions {
    fn default() -> FormatOptions {
        FormatOptions { indent: 2 }
    }
}

/// The result of formatting a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Formatted {
    /// The formatted text (the input itself when `refused` is set).
    pub text: String,
    /// Top-level items of the input kept byte for byte because they have syntax errors.
    pub skipped: Vec<TextRange>,
    /// Why the input was returned unchanged, when the self-check failed.
    pub refused: Option<String>,
}

/// Formats `text` (a file of the `dialect`).
pub fn format(text: &str, dialect: Dialect, options: &FormatOptions) -> Formatted {
    if let Some(line) = lone_carriage_return(text) {
        let reason = format!(
            "line {line} has a carriage return not followed by a line feed, which Dazzle does not read as a line \
             break; the file is left as it is"
        );
        return Formatted { text: text.to_owned(), skipped: Vec::new(), refused: Some(reason) };
    }
    let parse = dazzle_syntax::parse(text, dialect);
    let skipped = broken_items(&parse);
    let lines = lines::split(parse.green());
    let out = render(text, &lines, &skipped, options);
    match verify::same_meaning(&parse, &out, dialect) {
        Ok(()) => Formatted { text: out, skipped, refused: None },
        Err(reason) => Formatted { text: text.to_owned(), skipped, refused: Some(reason) },
    }
}

/// The 1-based line of the first `\r` not followed by `\n`, if any.
fn lone_carriage_return(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let at = (0..bytes.len()).find(|&i| bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n'))?;
    Some(text[..at].matches('\n').count() + 1)
}

/// The top-level items (children of the file) that hold a syntax error.
fn broken_items(parse: &dazzle_syntax::Parse) -> Vec<TextRange> {
    let root = parse.syntax();
    let mut out: Vec<TextRange> = Vec::new();
    for e in parse.errors().iter().filter(|e| e.severity == Severity::Error) {
        let at = e.range.start().min(root.text_range().end().checked_sub(1.into()).unwrap_or_default());
        let item = root
            .children_with_tokens()
            .find(|c| c.text_range().contains(at) || (c.text_range().start() == at && c.text_range().is_empty()))
            .map(|c| c.text_range())
            .unwrap_or_else(|| TextRange::empty(at));
        // An error at the very end of an item (e.g. at its last line break) belongs to it too.
        if !out.iter().any(|r| r.contains_range(item)) {
            out.push(item);
        }
    }
    out.sort_by_key(|r| r.start());
    out
}

/// An open line of the layout: its column as written and as formatted, and for a `- item`
/// where its text starts (written, and relative to the dash when formatted). A `kept` level
/// is a line of an item kept as written.
struct Level {
    orig: u32,
    new: u32,
    dash: Option<(u32, u32)>,
    kept: bool,
}

/// The formatted column of a line written at `column`; with `push`, the line opens a level.
fn place(stack: &mut Vec<Level>, column: u32, indent: u32, push: Option<Option<(u32, u32)>>) -> u32 {
    let mut probe = stack.len();
    while probe > 0 && stack[probe - 1].orig > column {
        probe -= 1;
    }
    let (new, keep) = match probe.checked_sub(1).map(|i| &stack[i]) {
        Some(top) if top.orig == column => (top.new, probe - 1),
        // Below a line kept as written the scale of its indentation is unknown: a line placed
        // there (a comment after the item) keeps its column, so a second pass agrees.
        Some(top) if top.kept => (column, probe),
        Some(top) => {
            let new = match top.dash {
                Some((text_orig, text_offset)) if column <= text_orig => top.new + text_offset,
                Some((_, text_offset)) => top.new + text_offset + indent,
                None => top.new + indent,
            };
            (new, probe)
        }
        // An indented line with nothing above it is a syntax error, kept where it is.
        None => (column, 0),
    };
    if let Some(dash) = push {
        stack.truncate(keep);
        stack.push(Level { orig: column, new, dash, kept: false });
    }
    new
}

/// The line break the file uses: the one ending its first line that holds something (else its
/// first line break; LF in a file without one). Formatting neither drops nor reorders such
/// lines and ends the first with this break, so a second pass reads the same one — a count of
/// the file's breaks would not be stable, as collapsed blank lines shift the balance.
fn line_break(text: &str) -> &'static str {
    let mut start = 0;
    let mut first_break = None;
    while let Some(end) = text[start..].find('\n').map(|i| start + i) {
        let crlf = end > start && text.as_bytes()[end - 1] == b'\r';
        first_break.get_or_insert(crlf);
        if !text[start..end].trim().is_empty() {
            return if crlf { "\r\n" } else { "\n" };
        }
        start = end + 1;
    }
    if first_break == Some(true) { "\r\n" } else { "\n" }
}

/// The line break after a line kept as written: its own, else (at the end of the file) the
/// file's — but `\n` after a string left open, which would take a `\r` into its text.
fn kept_break(line: &Line<'_>, eol: &'static str) -> &'static str {
    let open_string = line
        .toks
        .last()
        .is_some_and(|t| t.kind == SyntaxKind::STRING && (t.text.len() < 2 || !t.text.ends_with(&t.text[..1])));
    if line.newline || open_string { "\n" } else { eol }
}

fn render(text: &str, lines: &[Line<'_>], skipped: &[TextRange], options: &FormatOptions) -> String {
    let eol = line_break(text);
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut stack: Vec<Level> = Vec::new();
    let mut blanks = 0usize;
    let mut started = false;
    let mut previous_column = 0u32;
    for line in lines {
        let kind = line.kind();
        let column = line.column();
        // A line of an item kept as written: `first` when the item starts on it.
        let kept = skipped.iter().find(|r| {
            let (start, end) = (usize::from(r.start()), usize::from(r.end()));
            start <= line.end && (line.start < end || start == end)
        });
        let first = kept.is_some_and(|r| usize::from(r.start()) >= line.start);
        if kept.is_some() && !first {
            out.push_str(&text[line.start..line.end]);
            out.push_str(kept_break(line, eol));
            if kind == LineKind::Content {
                let dash = spacing::dash_text_offset(line).map(|o| (column + o, o));
                stack.retain(|l| l.orig < column);
                stack.push(Level { orig: column, new: column, dash, kept: true });
            }
            if kind != LineKind::Blank {
                previous_column = column;
            }
            continue;
        }
        if kind == LineKind::Blank {
            blanks += 1;
            continue;
        }
        if started {
            // One blank line before a top-level line that follows a body; else at most one.
            let wanted = if column == 0 && previous_column > 0 { 1 } else { blanks.min(1) };
            for _ in 0..wanted {
                out.push_str(eol);
            }
        }
        blanks = 0;
        if first {
            out.push_str(&text[line.start..line.end]);
            out.push_str(kept_break(line, eol));
            if kind == LineKind::Content {
                stack.clear();
                let dash = spacing::dash_text_offset(line).map(|o| (column + o, o));
                stack.push(Level { orig: column, new: column, dash, kept: true });
            }
        } else {
            let new = match kind {
                LineKind::Comment => place(&mut stack, column, options.indent, None),
                _ => place(&mut stack, column, options.indent, Some(dash_info(line, column))),
            };
            out.extend(std::iter::repeat_n(' ', new as usize));
            out.push_str(&spacing::body(line));
            out.push_str(eol);
        }
        started = true;
        previous_column = column;
    }
    out
}

/// For a `- item` line: where its text starts as written, and relative to the dash once
/// formatted.
fn dash_info(line: &Line<'_>, column: u32) -> Option<(u32, u32)> {
    let offset = spacing::dash_text_offset(line)?;
    let mut s = line.significant();
    let dash = s.next()?;
    let text = s.next()?;
    let between = indent_width(
        &line.toks.iter().filter(|t| t.start > dash.start && t.start < text.start).map(|t| t.text).collect::<String>(),
    );
    let written = if text.start == dash.start + 1 { 1 } else { 1 + between };
    Some((column + written, offset))
}
