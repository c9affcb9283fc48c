//! Diagnostics of the lexer and parser, as plain values.

use rowan::TextRange;

/// How bad a syntax diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// The reference rejects the file (in every dialect that has the construct).
    Error,
    /// The reference accepts the file but drops or ignores part of it.
    Warning,
}

/// A lexical or syntax diagnostic with a stable code and a byte range.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SyntaxError {
    /// Stable kebab-case code: `syntax-error`, `removed-construct`, `unknown-construct`, ….
    pub code: &'static str,
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong, in the user's terms.
    pub message: String,
    /// Where, in bytes of the file.
    pub range: TextRange,
}

impl SyntaxError {
    /// A `syntax-error`.
    pub fn new(message: impl Into<String>, range: TextRange) -> SyntaxError {
        SyntaxError { code: "syntax-error", severity: Severity::Error, message: message.into(), range }
    }

    /// A warning with its own code.
    pub fn warning(code: &'static str, message: impl Into<String>, range: TextRange) -> SyntaxError {
        SyntaxError { code, severity: Severity::Warning, message: message.into(), range }
    }
}
