//! The lexer: text → tokens (kind + length) and lexical errors. It never fails and never drops
//! a byte: a character the language rejects becomes an [`SyntaxKind::ERROR_TOKEN`].

use logos::Logos;
use rowan::{TextRange, TextSize};

use crate::{SyntaxError, SyntaxKind};

/// One token: its kind and its length in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// The token's kind.
    pub kind: SyntaxKind,
    /// Its length in bytes.
    pub len: TextSize,
}

/// The tokens of a text, and the lexical errors found in it.
#[derive(Debug, Default)]
pub struct Lexed {
    /// Every token, trivia included; their lengths add up to the text's length.
    pub tokens: Vec<Token>,
    /// `Unexpected character` and `Unterminated string literal` errors.
    pub errors: Vec<SyntaxError>,
}

/// Splits `text` into tokens exactly as the reference lexer does, minus its aborts.
pub fn lex(text: &str) -> Lexed {
    let mut tokens = Vec::with_capacity(text.len() / 2 + 1);
    let mut errors = Vec::new();
    let mut lexer = SyntaxKind::lexer(text);
    while let Some(result) = lexer.next() {
        let kind = next_kind(&mut lexer, text, result, &mut errors);
        tokens.push(Token { kind, len: TextSize::of(lexer.slice()) });
    }
    Lexed { tokens, errors }
}

/// The parser's form of [`lex`]: a column per token attribute, made by `line_lexer`. A
/// token's text is sliced from the source by its start and the next one's: a column of texts
/// would take 16 bytes a token, five times the source, for fresh memory the parse pays for.
pub(crate) struct Columns {
    /// Every token's kind.
    pub(crate) kinds: Vec<SyntaxKind>,
    /// Every token's start offset, and the text's length at the end.
    pub(crate) starts: Vec<u32>,
}

impl Columns {
    /// Empty columns with room for `tokens` tokens each.
    pub(crate) fn with_capacity(tokens: usize) -> Columns {
        Columns { kinds: Vec::with_capacity(tokens), starts: Vec::with_capacity(tokens) }
    }

    /// Adds a token of `kind` that starts at `start`.
    #[inline]
    pub(crate) fn push(&mut self, kind: SyntaxKind, start: usize) {
        self.kinds.push(kind);
        self.starts.push(u32::try_from(start).expect("a text shorter than 4 GiB"));
    }

    /// Adds again the tokens `tokens`, which are followed by the same text at `start`.
    pub(crate) fn copy(&mut self, tokens: std::ops::Range<usize>, start: usize) {
        let first = self.starts.len();
        let shift = u32::try_from(start).expect("a text shorter than 4 GiB") - self.starts[tokens.start];
        self.kinds.extend_from_within(tokens.clone());
        self.starts.extend_from_within(tokens);
        for start in &mut self.starts[first..] {
            *start += shift;
        }
    }
}

/// The error of a string with no closing quote in the rest of the text: the one lexical
/// error that depends on the text after it.
pub(crate) const UNTERMINATED_STRING: &str = "Unterminated string literal";

/// The kind of the token `lexer` just matched as `result`, extended to the whole string or
/// duration it starts; a lexical error is added to `errors`.
#[inline]
pub(crate) fn next_kind<'t>(
    lexer: &mut logos::Lexer<'t, SyntaxKind>,
    text: &'t str,
    result: Result<SyntaxKind, ()>,
    errors: &mut Vec<SyntaxError>,
) -> SyntaxKind {
    let start = lexer.span().start;
    match result {
        Ok(SyntaxKind::STRING) => {
            let rest = &text[lexer.span().end..];
            let quote = text.as_bytes()[start];
            match closing_quote(rest, quote) {
                Some(len) => lexer.bump(len),
                None => {
                    let line_end = rest.find('\n').unwrap_or(rest.len());
                    lexer.bump(line_end);
                    errors.push(SyntaxError::new(UNTERMINATED_STRING, range(start, lexer.span().end)));
                }
            }
            SyntaxKind::STRING
        }
        Ok(SyntaxKind::NUMBER) => {
            let rest = &text[lexer.span().end..];
            match duration_suffix(lexer.slice(), rest) {
                Some(len) => {
                    lexer.bump(len);
                    SyntaxKind::DURATION
                }
                None => SyntaxKind::NUMBER,
            }
        }
        Ok(kind) => kind,
        Err(()) => {
            let bad = text[start..].chars().next().unwrap_or('\u{fffd}');
            errors.push(SyntaxError::new(
                format!("Unexpected character: {}", python_repr(bad)),
                range(start, start + bad.len_utf8()),
            ));
            SyntaxKind::ERROR_TOKEN
        }
    }
}

fn range(start: usize, end: usize) -> TextRange {
    let start = TextSize::try_from(start).unwrap_or(TextSize::new(u32::MAX));
    let end = TextSize::try_from(end).unwrap_or(TextSize::new(u32::MAX));
    TextRange::new(start, end)
}

/// Length of the rest of a string literal up to and including its closing `quote`, if any.
/// A backslash escapes the next character; raw newlines are part of the string.
fn closing_quote(rest: &str, quote: u8) -> Option<usize> {
    let bytes = rest.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b if b == quote => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

/// The duration suffix that follows a whole number, as the reference reads it: the run of
/// letters right after the digits must be exactly one of `min h d w m y`.
fn duration_suffix(number: &str, rest: &str) -> Option<usize> {
    if !number.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let run: usize = rest.chars().take_while(|c| c.is_alphabetic()).map(char::len_utf8).sum();
    matches!(&rest[..run], "min" | "h" | "d" | "w" | "m" | "y").then_some(run)
}

/// A character as Python's `repr` shows it, which is what the reference prints.
pub(crate) fn python_repr(c: char) -> String {
    let escaped = match c {
        '\\' => "\\\\".to_owned(),
        '\'' => return "\"'\"".to_owned(),
        '\n' => "\\n".to_owned(),
        '\r' => "\\r".to_owned(),
        '\t' => "\\t".to_owned(),
        c if is_printable(c) => c.to_string(),
        c if (c as u32) < 0x100 => format!("\\x{:02x}", c as u32),
        c if (c as u32) < 0x10000 => format!("\\u{:04x}", c as u32),
        c => format!("\\U{:08x}", c as u32),
    };
    format!("'{escaped}'")
}

/// Python's `str.isprintable` for the characters that reach the error path.
fn is_printable(c: char) -> bool {
    if c == ' ' {
        return true;
    }
    !(c.is_control()
        || c.is_whitespace()
        || matches!(c as u32, 0xad | 0x600..=0x605 | 0x61c | 0x6dd | 0x70f | 0x180e
            | 0x200b..=0x200f | 0x202a..=0x202e | 0x2060..=0x2064 | 0x2066..=0x206f
            | 0xfeff | 0xfff9..=0xfffb | 0xe000..=0xf8ff))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(SyntaxKind, &str)> {
        let lexed = lex(text);
        let mut pos = 0;
        lexed
            .tokens
            .iter()
            .map(|t| {
                let len = usize::from(t.len);
                let s = &text[pos..pos + len];
                pos += len;
                (t.kind, s)
            })
            .filter(|(k, _)| *k != SyntaxKind::WHITESPACE)
            .collect()
    }

    #[test]
    fn durations_back_off_like_the_reference() {
        use SyntaxKind::*;
        assert_eq!(
            kinds("30d 5m 1min 30s 7days 10MB 3d5 1.5d"),
            vec![
                (DURATION, "30d"),
                (DURATION, "5m"),
                (DURATION, "1min"),
                (NUMBER, "30"),
                (IDENT, "s"),
                (NUMBER, "7"),
                (IDENT, "days"),
                (NUMBER, "10"),
                (IDENT, "MB"),
                (DURATION, "3d"),
                (NUMBER, "5"),
                (NUMBER, "1.5"),
                (IDENT, "d"),
            ]
        );
    }

    #[test]
    fn operators_take_the_longest_match() {
        use SyntaxKind::*;
        assert_eq!(
            kinds("<-> <- -> <= == != ::"),
            vec![
                (BI_ARROW, "<->"),
                (L_ARROW, "<-"),
                (ARROW, "->"),
                (LTEQ, "<="),
                (EQ2, "=="),
                (NEQ, "!="),
                (COLON, ":"),
                (COLON, ":"),
            ]
        );
    }

    #[test]
    fn strings_escape_span_lines_and_recover_when_unterminated() {
        use SyntaxKind::*;
        assert_eq!(
            kinds("'a\\'b' \"x\ny\" \"open\nnext"),
            vec![(STRING, "'a\\'b'"), (STRING, "\"x\ny\""), (STRING, "\"open"), (NEWLINE, "\n"), (IDENT, "next"),]
        );
        let errors = lex("x = \"open\n").errors;
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].message, "Unterminated string literal");
        assert_eq!(errors[0].range, TextRange::new(4.into(), 9.into()));
    }

    #[test]
    fn rejected_characters_are_kept_and_reported_as_python_shows_them() {
        let lexed = lex("\u{feff}a ! b ² \u{a0}\\");
        let messages: Vec<_> = lexed.errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(
            messages,
            vec![
                "Unexpected character: '\\ufeff'",
                "Unexpected character: '!'",
                "Unexpected character: '²'",
                "Unexpected character: '\\xa0'",
                "Unexpected character: '\\\\'",
            ]
        );
        let total: u32 = lexed.tokens.iter().map(|t| u32::from(t.len)).sum();
        assert_eq!(total as usize, "\u{feff}a ! b ² \u{a0}\\".len());
    }

    #[test]
    fn unicode_words_are_identifiers() {
        use SyntaxKind::*;
        assert_eq!(kinds("Café x² _a1"), vec![(IDENT, "Café"), (IDENT, "x²"), (IDENT, "_a1")]);
    }
}
