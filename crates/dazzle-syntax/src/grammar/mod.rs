//! What each line means, by context: the module header, the top-level constructs of both
//! dialects, and the bodies with typed views. Any line a context does not know stays a
//! generic `ITEM` (key, value, block), so nothing is lost and unknown constructs survive.

mod access;
mod bodies;
mod condition;
mod constructs;
mod entity;

use std::fmt;

use crate::SyntaxKind::{self, *};
use crate::keywords;
use crate::parser::Parser;

pub use constructs::construct_keywords;
pub(crate) use constructs::{is_construct_kind, source_file};
pub use entity::{entity_keys, field_modifiers, field_types};

/// The grammar that applies to the lines of a block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Ctx {
    /// Module header and top-level constructs.
    TopLevel,
    /// Lines with no typed view: `key: value`, positional lines, blocks.
    Generic,
    /// Entity and archetype bodies.
    Entity,
    /// `permit:` / `forbid:` / `access:` / `permissions:` rules.
    Access(AccessKind),
    /// `visible:` rules (`when anonymous: cond`).
    Visible,
    /// `scope:` rules.
    Scope,
    /// The `as:` line below a scope rule.
    ScopeRule,
    /// `transitions:` lines.
    Transitions,
    /// The `app` body.
    App,
    /// Key/value bodies whose keys the analysis reads (persona, tenancy, …).
    Properties,
    /// `policies:` body.
    Policies,
    /// `grant_schema` body.
    GrantSchema,
    /// `relation` body inside a grant schema.
    GrantRelation,
    /// Surface body.
    Surface,
    /// Workspace body.
    Workspace,
    /// `llm_model` body.
    LlmModel,
    /// `foreign_model` body.
    ForeignModel,
    /// `process` / `schedule` bodies and everything below them.
    Process,
    /// A workspace region's body.
    Region,
    /// An entity's `on_transition:` block and everything below it.
    OnTransition,
}

/// Which access block a rule belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum AccessKind {
    Permit,
    Forbid,
    Access,
    Permissions,
}

/// What may follow a line one level deeper.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Body<'t> {
    /// No block; if one follows anyway it is kept generic, and reported when a description
    /// of the line is given.
    None(Option<&'static str>),
    /// A block is allowed, parsed with this grammar.
    Optional(Ctx),
    /// A block must follow (named by the second field in the error when none does).
    Required(Ctx, Owner<'t>),
}

/// How the error for a missing block names the line that needs it. Formatted only when the
/// error is reported: most such lines have their block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Owner<'t> {
    /// A header line, quoted with its colon: `` `entity Task:` ``.
    Header(Label<'t>),
    /// A description in words.
    Prose(&'static str),
}

impl fmt::Display for Owner<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Owner::Header(label) => write!(f, "`{label}:`"),
            Owner::Prose(text) => f.write_str(text),
        }
    }
}

/// How messages name a header line: its keyword, and its name if it has one (`entity Task`,
/// `workspace on Task`, `permit`). Formatted only when a message uses it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Label<'t> {
    head: &'t str,
    /// What joins the head and the name (` `, ` on `); empty without a name.
    join: &'static str,
    name: &'t str,
}

impl<'t> Label<'t> {
    /// A line named by one word.
    pub(crate) fn word(word: &'t str) -> Label<'t> {
        Label { head: word, join: "", name: "" }
    }

    /// A line named by a word, then `join`, then a name.
    pub(crate) fn named(head: &'t str, join: &'static str, name: &'t str) -> Label<'t> {
        Label { head, join, name }
    }
}

impl fmt::Display for Label<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}{}", self.head, self.join, self.name)
    }
}

/// Parses the line at the cursor (entered) in `ctx`; starts exactly one node, which the
/// caller finishes.
pub(crate) fn line<'t>(p: &mut Parser<'t>, ctx: Ctx) -> Body<'t> {
    match ctx {
        Ctx::TopLevel => constructs::top_level_line(p),
        Ctx::Generic => generic_line(p, Ctx::Generic),
        Ctx::Entity => entity::entity_line(p),
        Ctx::Access(kind) => access::access_rule(p, kind),
        Ctx::Visible => access::visible_rule(p),
        Ctx::Scope => access::scope_rule(p),
        Ctx::ScopeRule => access::as_clause(p),
        Ctx::Transitions => entity::transition(p),
        Ctx::App => bodies::app_line(p),
        Ctx::Properties => bodies::property_line(p),
        Ctx::Policies => bodies::policies_line(p),
        Ctx::GrantSchema => bodies::grant_schema_line(p),
        Ctx::GrantRelation => bodies::grant_relation_line(p),
        Ctx::Surface => bodies::surface_line(p),
        Ctx::Workspace => bodies::workspace_line(p),
        Ctx::LlmModel => bodies::llm_model_line(p),
        Ctx::ForeignModel => bodies::foreign_model_line(p),
        Ctx::Process => bodies::process_line(p),
        Ctx::Region => bodies::region_line(p),
        Ctx::OnTransition => entity::on_transition_line(p),
    }
}

/// A line with no typed view: `ITEM(KEY ':' VALUE)` for `key: value`, else plain tokens.
/// Its block (if any) is parsed with `child`.
pub(crate) fn generic_line<'t>(p: &mut Parser<'t>, child: Ctx) -> Body<'t> {
    if p.at_word("show_aggregate") && p.nth(1) == COLON {
        p.only_in_0112(p.nth_range(0), "`show_aggregate:`");
    }
    p.start_node(ITEM);
    if p.at(IDENT) && p.nth(1) == COLON {
        p.start_node(KEY);
        p.bump();
        p.finish_node();
        p.bump();
        p.eat_rest_as(VALUE);
    }
    p.finish_line_quietly();
    Body::Optional(child)
}

/// `key: value` with the key read as a keyword: `PROPERTY(KEYWORD ':' VALUE?)`.
/// The caller has checked that the line starts with a word; the colon is required.
pub(crate) fn property<'t>(p: &mut Parser<'t>, child: Ctx) -> Body<'t> {
    p.start_node(PROPERTY);
    let key = p.current_text();
    p.bump_as(KEYWORD);
    if !p.eat(COLON) {
        let found = p.describe(0);
        p.err_rest(format!("Expected `:` after `{key}`, got {found}"));
    }
    p.eat_rest_as(VALUE);
    p.finish_line();
    Body::Optional(child)
}

/// A name being defined, at a position where the reference accepts only a plain identifier
/// (`entity`, `surface`, … names): a keyword of both dialects is an error.
pub(crate) fn strict_name(p: &mut Parser<'_>, what: impl fmt::Display + Copy) -> bool {
    name_node(p, NAME, what, true)
}

/// A name at a position that also accepts soft keywords (field names, personas, …).
pub(crate) fn soft_name(p: &mut Parser<'_>, kind: SyntaxKind, what: impl fmt::Display + Copy) -> bool {
    name_node(p, kind, what, false)
}

fn name_node(p: &mut Parser<'_>, kind: SyntaxKind, what: impl fmt::Display + Copy, strict: bool) -> bool {
    if !p.at(IDENT) {
        let found = p.describe(0);
        p.err_rest(format!("Expected {what}, got {found}"));
        return false;
    }
    let word = p.current_text();
    if strict && keywords::is_keyword_in_both(word) {
        p.error_here(format!(
            "Expected IDENTIFIER, got {word}: `{word}` is a Dazzle keyword and cannot be used as {what}"
        ));
    } else if !strict && reserved(word) {
        p.error_here(reserved_message(word));
    }
    p.start_node(kind);
    p.bump();
    p.finish_node();
    true
}

/// Whether no dialect accepts `word` even where soft keywords may stand.
pub(crate) fn reserved(word: &str) -> bool {
    keywords::is_strict(word) && keywords::is_keyword_in_both(word)
}

pub(crate) fn reserved_message(word: &str) -> String {
    format!(
        "'{word}' is a reserved keyword and cannot be used as an identifier. \
         Try a different name like '{word}_value'"
    )
}

/// `a.b.c` as a `DOTTED_NAME` of `NAME`s (or `NAME_REF`s).
pub(crate) fn dotted_name(p: &mut Parser<'_>, part: SyntaxKind, what: impl fmt::Display + Copy) -> bool {
    p.start_node(DOTTED_NAME);
    let ok = soft_name(p, part, what);
    if ok {
        while p.at(DOT) && p.nth(1) == IDENT {
            p.bump();
            soft_name(p, part, what);
        }
    }
    p.finish_node();
    ok
}

/// `a, b, c` (optionally in brackets) as a `NAME_LIST` of `kind` nodes.
pub(crate) fn name_list(p: &mut Parser<'_>, kind: SyntaxKind, what: &str) {
    p.start_node(NAME_LIST);
    let bracketed = p.eat(L_BRACK);
    loop {
        if !p.at(IDENT) {
            let found = p.describe(0);
            p.err_rest(format!("Expected {what}, got {found}"));
            break;
        }
        p.start_node(kind);
        p.bump();
        p.finish_node();
        if !p.eat(COMMA) {
            break;
        }
    }
    if bracketed && !p.eat(R_BRACK) && !p.at_eol() {
        let found = p.describe(0);
        p.err_rest(format!("Expected `]` to close the list, got {found}"));
    }
    p.finish_node();
}

/// Levenshtein distance in characters, for "did you mean" hints.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The closest of `candidates` to `word`, if it is close enough to be a likely typo.
pub(crate) fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let len = word.chars().count();
    candidates
        .into_iter()
        // The distance is at least the difference in length: a candidate whose length is
        // more than two away is never close enough, and is not measured.
        .filter(|c| c.chars().count().abs_diff(len) <= 2)
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, c)| *d <= 2 && *d < c.len().max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests;
