//! The formatter's self-check: the output must mean what the input meant. Both are parsed and
//! compared token by token — kind, text (a comment without its trailing blanks), the node it
//! is in, its block depth, whether a line break precedes it, and the adjacencies the language
//! reads (`name(`, `name[`, `=>`) — and by their diagnostics (code and message).

use dazzle_syntax::{Dialect, Parse, SyntaxKind};

use super::lines::{self, Tok};

#[derive(Debug, PartialEq, Eq)]
struct Mark<'a> {
    kind: SyntaxKind,
    text: &'a str,
    parent: SyntaxKind,
    depth: u32,
    line_break_before: bool,
    adjacent_to_previous: bool,
}

fn marks<'a>(parse: &'a Parse) -> Vec<Mark<'a>> {
    let mut out = Vec::new();
    let mut previous: Option<Tok<'a>> = None;
    let mut previous_end = 0usize;
    for line in lines::split(parse.green()) {
        let mut first = true;
        for t in line.toks.iter().filter(|t| t.kind != SyntaxKind::WHITESPACE) {
            let adjacent = previous.is_some_and(|p| {
                previous_end == t.start
                    && ((p.is_word() && matches!(t.kind, SyntaxKind::L_PAREN | SyntaxKind::L_BRACK))
                        || (p.kind == SyntaxKind::EQ && t.kind == SyntaxKind::GT))
            });
            let text = if t.kind == SyntaxKind::COMMENT { t.text.trim_end() } else { t.text };
            out.push(Mark {
                kind: t.kind,
                text,
                parent: t.parent,
                depth: t.depth,
                line_break_before: first && !out.is_empty(),
                adjacent_to_previous: adjacent,
            });
            first = false;
            previous_end = t.start + t.text.len();
            previous = Some(*t);
        }
    }
    out
}

/// `Ok` when `output` parses to the same tokens, tree shape and diagnostics as `input`.
pub(super) fn same_meaning(input: &Parse, output: &str, dialect: Dialect) -> Result<(), String> {
    let reparsed = dazzle_syntax::parse(output, dialect);
    let (before, after) = (marks(input), marks(&reparsed));
    if let Some(i) = (0..before.len().min(after.len())).find(|&i| before[i] != after[i]) {
        return Err(format!(
            "formatting would change the file's structure at `{}` (internal check; the file is left as it is)",
            before[i].text
        ));
    }
    if before.len() != after.len() {
        return Err("formatting would change the file's tokens (internal check; the file is left as it is)".to_owned());
    }
    let messages = |p: &Parse| p.errors().iter().map(|e| (e.code, e.message.clone())).collect::<Vec<_>>();
    if messages(input) != messages(&reparsed) {
        return Err(
            "formatting would change the file's diagnostics (internal check; the file is left as it is)".to_owned()
        );
    }
    Ok(())
}
