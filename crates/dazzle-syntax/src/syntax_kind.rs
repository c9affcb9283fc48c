//! Every kind of token and node in a Dazzle syntax tree, in one `u16` enum.
//!
//! Token variants carry the logos patterns of the lexer (taplo's layout); node variants have
//! none. Words are always lexed as [`SyntaxKind::IDENT`]; the parser re-tags a word it reads
//! as a keyword in its context as [`SyntaxKind::KEYWORD`] (Dazzle keywords are contextual).

use logos::Logos;

macro_rules! syntax_kinds {
    ($( $(#[$attr:meta])* $name:ident ),* $(,)?) => {
        /// The kind of a token or node.
        #[allow(non_camel_case_types, missing_docs)]
        #[derive(Logos, Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[repr(u16)]
        pub enum SyntaxKind {
            $( $(#[$attr])* $name, )*
        }

        /// Every kind, indexed by its raw value.
        const ALL_KINDS: &[SyntaxKind] = &[$(SyntaxKind::$name),*];

        /// How many kinds there are (raw values run from 0 to this, exclusive).
        pub(crate) const KIND_COUNT: usize = ALL_KINDS.len();
    };
}

syntax_kinds! {
    // ---- trivia
    /// Spaces, tabs and carriage returns (a `\r` is horizontal white space, as in the reference).
    #[regex(r"[ \t\r]+")]
    WHITESPACE,
    /// `# …` to the end of the line.
    #[regex(r"#[^\r\n]*", allow_greedy = true)]
    COMMENT,
    /// A line feed; ends a logical line.
    #[token("\n")]
    NEWLINE,

    // ---- words and literals
    /// A word: `[\p{L}_][\p{L}\p{N}_]*`. Keywords are recognised by the parser.
    #[regex(r"[\p{L}_][\p{L}\p{N}_]*")]
    IDENT,
    /// A word the parser read as a keyword in its position.
    KEYWORD,
    /// `"…"` or `'…'`; escapes, raw newlines; an unterminated one ends at its line's end.
    /// (The lexer extends the opening quote to the closing one.)
    #[token("\"")]
    #[token("'")]
    STRING,
    /// ASCII digit followed by digits and dots (`1.2.3` is one token, as in the reference).
    #[regex(r"[0-9][0-9.]*")]
    NUMBER,
    /// An integer with a unit suffix `min h d w m y` (`30d`); made from a NUMBER by the lexer.
    DURATION,

    // ---- punctuation
    #[token(":")]
    COLON,
    #[token(",")]
    COMMA,
    #[token(".")]
    DOT,
    #[token("(")]
    L_PAREN,
    #[token(")")]
    R_PAREN,
    #[token("[")]
    L_BRACK,
    #[token("]")]
    R_BRACK,
    #[token("{")]
    L_BRACE,
    #[token("}")]
    R_BRACE,
    #[token("=")]
    EQ,
    #[token("==")]
    EQ2,
    #[token("!=")]
    NEQ,
    #[token(">")]
    GT,
    #[token("<")]
    LT,
    #[token(">=")]
    GTEQ,
    #[token("<=")]
    LTEQ,
    #[token("->")]
    ARROW,
    #[token("<-")]
    L_ARROW,
    #[token("<->")]
    BI_ARROW,
    #[token("/")]
    SLASH,
    #[token("?")]
    QUESTION,
    #[token("$")]
    DOLLAR,
    #[token("|")]
    PIPE,
    #[token("+")]
    PLUS,
    #[token("-")]
    MINUS,
    #[token("*")]
    STAR,
    #[token("%")]
    PERCENT,
    /// A character the language rejects (`!`, `@`, `;`, a BOM, …), kept so no byte is lost.
    ERROR_TOKEN,

    // ---- nodes: structure
    /// The whole file.
    SOURCE_FILE,
    /// The indented lines owned by the line above them.
    BLOCK,
    /// A line the parser has no typed view for (`key: value` or positional), plus its block.
    ITEM,
    /// The key of a generic `key: value` item.
    KEY,
    /// The value of a generic `key: value` item: the rest of the line.
    VALUE,
    /// Tokens the parser could not place; always reported as an error.
    ERROR,
    /// A name being defined.
    NAME,
    /// A reference to a name defined elsewhere.
    NAME_REF,
    /// `a.b.c`
    DOTTED_NAME,
    /// A comma-separated list of names or values, possibly in brackets.
    NAME_LIST,

    // ---- nodes: module header
    MODULE_DECL,
    USE_DECL,
    APP_DECL,

    // ---- nodes: top-level constructs (0.125 and 0.112)
    ENTITY,
    ARCHETYPE,
    SURFACE,
    EXPERIENCE,
    SERVICE,
    FOREIGN_MODEL,
    INTEGRATION,
    WORKSPACE,
    PERSONA,
    SCENARIO,
    STORY,
    RHYTHM,
    POLICIES,
    TENANCY,
    LLM_MODEL,
    LLM_CONFIG,
    LLM_INTENT,
    PROCESS,
    SCHEDULE,
    NAV,
    SLA,
    ISLAND,
    AUDIT_ON,
    SEARCH_ON,
    GRANT_SCHEMA,
    PARAM,
    FEEDBACK_WIDGET,
    GUIDE,
    SUBPROCESSOR,
    ANALYTICS,
    VIEW,
    // 0.112-only constructs (removed in 0.125)
    ENUM_DECL,
    WEBHOOK,
    APPROVAL,
    LEDGER,
    TRANSACTION,
    MESSAGE,
    CHANNEL,
    ASSET,
    DOCUMENT,
    TEMPLATE,
    EVENT_MODEL,
    SUBSCRIBE,
    PROJECTION,
    STREAM,
    HLESS,
    INTERFACES,
    DATA_PRODUCTS,
    FLOW,
    TEST,
    RULE,
    QUESTION_DECL,
    JOB,
    NOTIFICATION,
    ATOMIC,
    DEMO,

    // ---- nodes: entity body
    /// `name: type modifiers… [= default]`
    FIELD,
    /// The type of a field: `str(200)`, `ref User`, `enum[a, b]`, …
    FIELD_TYPE,
    /// The arguments of a type: `(200)`, `[a, b]`.
    TYPE_ARGS,
    /// A field modifier: `required`, `pk`, `pii(category=contact)`, `storage=s3`.
    MODIFIER,
    /// `= default` of a field.
    DEFAULT_VALUE,
    /// `computed expr` of a field.
    COMPUTED,
    /// `was: old_name` of a field.
    WAS_CLAUSE,
    /// `key=value` inside `pii(...)`, `file(...)` and similar argument lists.
    ARG,
    /// `unique a, b` / `index a, b`.
    CONSTRAINT_DECL,
    /// `soft_delete` / `legal_entity`.
    FLAG,
    /// `permit:` `forbid:` `access:` `permissions:` `visible:` blocks.
    ACCESS_BLOCK,
    /// One `op: condition` rule of an access block.
    ACCESS_RULE,
    /// `scope:` block.
    SCOPE_BLOCK,
    /// `op: condition` + `as:` child of a scope block.
    SCOPE_RULE,
    /// `as: persona, persona` / `as: *`.
    AS_CLAUSE,
    /// `audit: all | true | false | [ops]`.
    AUDIT_DECL,
    /// `transitions:` block.
    TRANSITIONS,
    /// `from -> to …` line.
    TRANSITION,

    // ---- nodes: conditions
    /// `a or b`
    OR_EXPR,
    /// `a and b`
    AND_EXPR,
    /// `not (a)`
    NOT_EXPR,
    /// `(a)`
    PAREN_EXPR,
    /// `role(name)`
    ROLE_CHECK,
    /// `has_grant("relation", field)`
    GRANT_CHECK,
    /// `path op value` or a bare `path` (meaning `path = true`).
    COMPARISON,
    /// `f(arg) op value`
    CALL_EXPR,
    /// `a.b[Branch].c`
    PATH,
    /// A literal, date expression or list on the right of a comparison.
    LITERAL,
    /// `today - 7d`, `start_of(month)`
    DATE_EXPR,
    /// `[a, b]` value list.
    LIST_EXPR,
    /// `all` in scope rules, `authenticated` / `anonymous` / `false` short forms.
    SHORT_FORM,
    /// `via Junction(field = current_user, …)` (optionally preceded by `not`).
    VIA_EXPR,
    /// `field = target` inside `via`.
    VIA_BINDING,

    // ---- nodes: other typed lines
    /// A `key: value` line of a known key (app, tenancy, persona, …).
    PROPERTY,
    /// `classify Entity.field as CLASS [retention: R]`.
    CLASSIFY,
    /// `erasure Entity[.field]: policy`.
    ERASURE,
    /// `relation NAME "Label":` in a grant schema.
    GRANT_RELATION,
    /// `uses entity X` / `uses nav X` / `uses service A, B`.
    USES_DECL,
    /// `access: public | authenticated | persona(a, b)` of a surface or workspace.
    ACCESS_SPEC,
    /// `as PERSONA:` variant block of a surface/ux.
    PERSONA_VARIANT,
    /// `section`/`action`/`related`/`companion` in a surface, or a workspace region.
    SUB_BLOCK,
    /// `constraint KIND k=v` of a foreign model.
    FOREIGN_CONSTRAINT,

}

impl SyntaxKind {
    /// Trivia never carries meaning: white space and comments.
    pub fn is_trivia(self) -> bool {
        matches!(self, SyntaxKind::WHITESPACE | SyntaxKind::COMMENT)
    }

    /// Whether this kind is a token (as opposed to a node).
    pub fn is_token(self) -> bool {
        self <= SyntaxKind::ERROR_TOKEN
    }

    /// The kind with this raw value, if there is one.
    pub fn from_raw(raw: u16) -> Option<SyntaxKind> {
        ALL_KINDS.get(usize::from(raw)).copied()
    }
}

impl From<SyntaxKind> for rowan::SyntaxKind {
    fn from(kind: SyntaxKind) -> Self {
        rowan::SyntaxKind(kind as u16)
    }
}
