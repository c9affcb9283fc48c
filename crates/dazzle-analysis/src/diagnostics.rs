//! Diagnostics as plain values: a stable code, a severity, a message, a file and a byte range,
//! and optionally a fix. Rules first produce offset-free [`Finding`]s anchored by a
//! [`Locator`]; `locate` turns them into ranges in the current text.

use dazzle_syntax::TextRange;

use crate::db::SourceFile;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// Fails `--check`.
    Error,
    /// Should be fixed; fails `--check --deny-warnings`.
    Warning,
    /// Worth knowing.
    Info,
    /// A suggestion.
    Hint,
}

impl Severity {
    /// Lower-case name (`error`, `warning`, `info`, `hint`).
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::Hint => "hint",
        }
    }

    /// Parses a lower-case name.
    pub fn from_name(name: &str) -> Option<Severity> {
        match name {
            "error" => Some(Severity::Error),
            "warning" | "warn" => Some(Severity::Warning),
            "info" => Some(Severity::Info),
            "hint" => Some(Severity::Hint),
            _ => None,
        }
    }

    /// Parses a configured severity (`dazzle.toml`, an editor's settings): a name, or `off`
    /// (`Some(None)`); `information` is accepted as VS Code spells it.
    pub fn from_setting(name: &str) -> Option<Option<Severity>> {
        match name {
            "off" => Some(None),
            "information" => Some(Some(Severity::Info)),
            _ => Severity::from_name(name).map(Some),
        }
    }
}

/// Which text a diagnostic is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DiagnosticFile {
    /// A `.dsl` file of the project.
    Source(SourceFile),
    /// The project's `dazzle.toml`.
    Manifest,
}

/// A text edit: replace `range` with `insert`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TextEdit {
    /// What to replace (empty to insert).
    pub range: TextRange,
    /// The new text.
    pub insert: String,
}

/// A quick fix: edits in the diagnostic's file.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Fix {
    /// What the fix does, for a menu.
    pub label: String,
    /// The edits.
    pub edits: Vec<TextEdit>,
}

/// A located diagnostic.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    /// Stable kebab-case code (each has a page in docs/rules).
    pub code: &'static str,
    /// Severity after configuration.
    pub severity: Severity,
    /// The message.
    pub message: String,
    /// The file.
    pub file: DiagnosticFile,
    /// The range in that file.
    pub range: TextRange,
    /// Other places in the same file that explain it.
    pub related: Vec<RelatedRange>,
    /// Quick fixes.
    pub fixes: Vec<Fix>,
}

/// A place related to a diagnostic, in the same file.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RelatedRange {
    /// The range.
    pub range: TextRange,
    /// What it has to do with the diagnostic.
    pub message: String,
}

/// Where in a file a finding belongs, without offsets.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Locator {
    /// The start of the file.
    File,
    /// The name of a top-level definition (`entity X`, `persona y`, …).
    Definition(String),
    /// The `n`-th rule line of the entity's blocks with this keyword (`permit`, `forbid`, …).
    AccessRule {
        /// The entity.
        entity: String,
        /// The block keyword.
        block: String,
        /// The rule's index among the lines of all such blocks.
        nth: usize,
    },
    /// A `role(x)` inside that rule.
    RuleRole {
        /// The entity.
        entity: String,
        /// The block keyword.
        block: String,
        /// The rule's index.
        nth: usize,
        /// The persona named.
        role: String,
    },
    /// The `n`-th scope rule of the entity.
    ScopeRule {
        /// The entity.
        entity: String,
        /// The rule's index.
        nth: usize,
    },
    /// A persona named in the `as:` line of the `n`-th scope rule.
    ScopeAs {
        /// The entity.
        entity: String,
        /// The rule's index.
        nth: usize,
        /// The persona named.
        persona: String,
    },
    /// A field's name.
    Field {
        /// The entity.
        entity: String,
        /// The field.
        field: String,
    },
    /// The `nth` line keyed `key` in a definition's body (e.g. a persona's `role:`, an entity's
    /// last `audit:`).
    DefinitionKey {
        /// The definition's name.
        name: String,
        /// The key.
        key: String,
        /// Which of the lines so keyed (0 for the first).
        nth: usize,
    },
    /// The value of the last `key:` line of the `app` body (the one in effect), or the `app`
    /// line itself.
    AppKey(String),
    /// The last `key:` line in the body of the first unnamed top-level block opened by `block`
    /// (`tenancy:`, `policies:`), or that block's first line.
    BlockKey {
        /// The block's keyword.
        block: String,
        /// The key.
        key: String,
    },
    /// The `n`-th line (document order) whose first word is `word` (`classify`, `erasure`, a
    /// key such as `rate_limit`).
    NthLine {
        /// The first word.
        word: String,
        /// Its occurrence.
        nth: usize,
    },
    /// A `use` line naming this module.
    Use(String),
    /// The `module` line.
    Module,
    /// A reference to `target` inside the definition named `definition`.
    Reference {
        /// The definition holding the reference.
        definition: String,
        /// The name referred to.
        target: String,
    },
}

/// What a fix should do, without offsets.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum FixSpec {
    /// Append lines (already indented one level) to the end of an entity's body.
    AppendToEntity {
        /// The entity.
        entity: String,
        /// The menu label.
        label: String,
        /// The lines, relative to the body's indentation.
        lines: Vec<String>,
    },
    /// Replace the finding's range with `text`.
    Replace {
        /// The menu label.
        label: String,
        /// The replacement.
        text: String,
    },
    /// Append text at the end of the file.
    AppendToFile {
        /// The menu label.
        label: String,
        /// The text.
        text: String,
    },
}

/// An offset-free rule result.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Finding {
    /// Stable code.
    pub code: &'static str,
    /// Default severity (before configuration).
    pub severity: Severity,
    /// The message.
    pub message: String,
    /// The file it is in (`None`: the manifest).
    pub file: Option<SourceFile>,
    /// Where in that file.
    pub locator: Locator,
    /// Other places in that file that explain it.
    pub related: Vec<Related>,
    /// Fixes.
    pub fixes: Vec<FixSpec>,
}

/// An offset-free related place of a finding.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Related {
    /// Where.
    pub locator: Locator,
    /// What it has to do with the finding.
    pub message: String,
}
