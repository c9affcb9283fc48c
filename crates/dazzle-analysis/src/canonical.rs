//! The canonical form of a file's text: what remains when comments, blank lines and the
//! spacing between tokens are normalised away. Two texts with the same canonical form
//! declare the same things, so the item index is computed from it.

use dazzle_syntax::{SyntaxKind, lex};

/// Each line that holds a token, as its indentation width in spaces followed by its tokens
/// separated by one space.
pub fn canonical_text(text: &str) -> String {
    let lexed = lex(text);
    let mut out = String::with_capacity(text.len());
    let mut offset = 0usize;
    let mut line_start = true;
    let mut indent = 0usize;
    let mut line_has_token = false;
    for token in &lexed.tokens {
        let len = usize::from(token.len);
        let slice = &text[offset..offset + len];
        offset += len;
        match token.kind {
            SyntaxKind::NEWLINE => {
                if line_has_token {
                    out.push('\n');
                }
                line_start = true;
                indent = 0;
                line_has_token = false;
            }
            SyntaxKind::WHITESPACE => {
                if line_start {
                    indent = slice
                        .bytes()
                        .take_while(|b| matches!(b, b' ' | b'\t'))
                        .map(|b| if b == b'\t' { 4 } else { 1 })
                        .sum();
                }
                line_start = false;
            }
            SyntaxKind::COMMENT => line_start = false,
            _ => {
                if line_has_token {
                    out.push(' ');
                } else {
                    out.extend(std::iter::repeat_n(' ', indent));
                    line_has_token = true;
                }
                out.push_str(slice);
                line_start = false;
            }
        }
    }
    if line_has_token {
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_and_spacing_do_not_change_the_canonical_form() {
        let a = "entity A:  # c\n  id:   uuid pk\n\n\t# note\n  name: str(10)\n";
        let b = "entity A:\n  id: uuid pk\n  name: str ( 10 )\n";
        assert_eq!(canonical_text(a), canonical_text(b));
        assert_eq!(canonical_text(a), "entity A :\n  id : uuid pk\n  name : str ( 10 )\n");
    }

    #[test]
    fn indentation_is_significant() {
        assert_ne!(canonical_text("a:\n  b: c\n"), canonical_text("a:\nb: c\n"));
        assert_eq!(canonical_text("a:\n\tb: c\n"), canonical_text("a:\n    b: c\n"));
    }
}
