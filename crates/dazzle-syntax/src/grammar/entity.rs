//! Entity and archetype bodies: keys, flags, constraints, access blocks, transitions and
//! field declarations with their types, modifiers and defaults (dsl-syntax §2.5.1–2.5.2).

use super::{
    AccessKind, Body, Ctx, Label, Owner, did_you_mean, generic_line, name_list, property, reserved, reserved_message,
};
use crate::SyntaxKind::*;
use crate::parser::Parser;

/// Entity keys written `key: value` (or `key:` + block) that hold no access semantics.
const PROPERTY_KEYS: &[&str] = &[
    "intent",
    "domain",
    "patterns",
    "extends",
    "archetype",
    "display_field",
    "subtype_of",
    "was",
    "managed_by",
    "expose",
    "signable",
    "signing_validator",
    "signing_template",
    "examples",
    "temporal",
    "graph_edge",
    "graph_node",
    "lifecycle",
    "fitness",
    "seed",
    "tenant_host",
    "membership",
    "auth_identity",
    "on_transition",
    "invariant",
];

/// Types written as one word.
const SIMPLE_TYPES: &[&str] =
    &["text", "int", "float", "bool", "date", "datetime", "uuid", "email", "slug", "json", "url", "timezone"];

/// Every type keyword, for "did you mean".
const ALL_TYPES: &[&str] = &[
    "str",
    "text",
    "int",
    "decimal",
    "float",
    "bool",
    "date",
    "datetime",
    "uuid",
    "email",
    "slug",
    "json",
    "money",
    "file",
    "url",
    "timezone",
    "enum",
    "ref",
    "poly_ref",
    "has_many",
    "has_one",
    "embeds",
    "belongs_to",
    "latest_one",
    "descendants_of",
    "ancestors_of",
];

/// Names other languages give to Dazzle's types.
const TYPE_ALIASES: &[(&str, &str)] = &[
    ("string", "str(N)"),
    ("varchar", "str(N)"),
    ("char", "str(N)"),
    ("integer", "int"),
    ("number", "decimal(P,S)"),
    ("boolean", "bool"),
    ("timestamp", "datetime"),
    ("blob", "file"),
    ("bytes", "file"),
    ("currency", "money"),
    ("double", "float"),
];

/// One-word field modifiers.
const SIMPLE_MODIFIERS: &[&str] =
    &["required", "optional", "pk", "auto_add", "auto_update", "sensitive", "searchable", "indexed"];

/// The keys an entity body accepts besides fields: its properties and access blocks.
pub fn entity_keys() -> impl Iterator<Item = &'static str> {
    PROPERTY_KEYS.iter().copied().chain(["permit", "scope", "forbid", "audit", "transitions"])
}

/// Every field type keyword.
pub fn field_types() -> &'static [&'static str] {
    ALL_TYPES
}

/// The one-word field modifiers.
pub fn field_modifiers() -> &'static [&'static str] {
    SIMPLE_MODIFIERS
}

/// One line of an entity or archetype body.
pub(crate) fn entity_line<'t>(p: &mut Parser<'t>) -> Body<'t> {
    if !p.at(IDENT) {
        p.start_node(ITEM);
        let found = p.describe(0);
        p.err_rest(format!("Expected a field declaration or an entity keyword, got {found}"));
        p.finish_line();
        return Body::None(None);
    }
    let word = p.current_text();
    let colon_next = p.nth(1) == COLON;
    match word {
        "permit" | "forbid" | "access" | "permissions" if colon_next => {
            let kind = match word {
                "permit" => AccessKind::Permit,
                "forbid" => AccessKind::Forbid,
                "access" => AccessKind::Access,
                _ => AccessKind::Permissions,
            };
            block_header(p, ACCESS_BLOCK, Ctx::Access(kind), word)
        }
        "visible" if colon_next => block_header(p, ACCESS_BLOCK, Ctx::Visible, word),
        "scope" if colon_next => block_header(p, SCOPE_BLOCK, Ctx::Scope, word),
        "transitions" if colon_next => block_header(p, TRANSITIONS, Ctx::Transitions, word),
        "audit" if colon_next => audit_decl(p),
        "soft_delete" => flag(p, true),
        "legal_entity" if !colon_next => flag(p, false),
        "unique" | "index" if !colon_next => {
            p.start_node(CONSTRAINT_DECL);
            p.bump_as(KEYWORD);
            name_list(p, NAME_REF, "a field name");
            p.finish_line();
            Body::None(Some("a constraint line"))
        }
        // 0.112: `publish Event when created` lines and the `bulk:` block.
        "publish" if !colon_next => {
            p.only_in_0112(p.nth_range(0), "An entity `publish` line");
            generic_line(p, Ctx::Generic)
        }
        "on_transition" if colon_next => property(p, Ctx::OnTransition),
        "bulk" if colon_next && p.nth(2) == NEWLINE => property(p, Ctx::Generic),
        _ if colon_next && PROPERTY_KEYS.contains(&word) => property(p, Ctx::Generic),
        _ => field(p),
    }
}

/// `permit:` and the like: the keyword, `:`, nothing else; the rules follow as a block.
fn block_header<'t>(p: &mut Parser<'t>, kind: crate::SyntaxKind, child: Ctx, word: &'t str) -> Body<'t> {
    p.start_node(kind);
    p.bump_as(KEYWORD);
    p.bump();
    p.finish_line();
    Body::Required(child, Owner::Header(Label::word(word)))
}

/// `soft_delete` / `legal_entity`: a bare flag, no colon.
fn flag<'t>(p: &mut Parser<'t>, colon_is_error: bool) -> Body<'t> {
    p.start_node(FLAG);
    let word = p.current_text();
    p.bump_as(KEYWORD);
    if colon_is_error && p.at(COLON) {
        p.err_rest(format!("Unexpected ':': `{word}` is a bare flag, write it on its own without `: true`"));
    }
    p.finish_line();
    Body::None(Some("a flag"))
}

/// `audit: all | true | false | [create, read, …]`.
fn audit_decl<'t>(p: &mut Parser<'t>) -> Body<'t> {
    p.start_node(AUDIT_DECL);
    p.bump_as(KEYWORD);
    p.bump();
    if p.at(L_BRACK) {
        audit_operations(p);
    } else if matches!(p.current_text(), "all" | "true" | "false") && p.at(IDENT) {
        p.bump_as(KEYWORD);
    } else {
        let found = p.describe(0);
        p.err_rest(format!("Expected `all`, `true`, `false` or a list of operations after `audit:`, got {found}"));
    }
    p.finish_line();
    Body::None(Some("`audit:`"))
}

/// `[create, read, …]` after `audit:`: commas are optional and `[]` means every operation, as
/// in the reference; a word that is not an operation is an error.
fn audit_operations(p: &mut Parser<'_>) {
    const OPERATIONS: [&str; 5] = ["create", "read", "update", "delete", "list"];
    p.start_node(NAME_LIST);
    p.bump();
    loop {
        if p.eat(R_BRACK) {
            break;
        }
        if p.at_eol() {
            p.error_here("Expected `]` to close the list of audited operations");
            break;
        }
        if !p.at(IDENT) || !OPERATIONS.contains(&p.current_text()) {
            let found = p.describe(0);
            p.err_rest(format!(
                "Expected an operation (create, read, update, delete, list) in `audit: [...]`, got {found}"
            ));
            break;
        }
        p.start_node(NAME_REF);
        p.bump();
        p.finish_node();
        p.eat(COMMA);
    }
    p.finish_node();
}

/// `name: type modifiers… [= default] [was: old]` or `name: computed expr`.
fn field<'t>(p: &mut Parser<'t>) -> Body<'t> {
    p.start_node(FIELD);
    let name = p.current_text();
    if reserved(name) {
        p.error_here(reserved_message(name));
    }
    p.start_node(NAME);
    p.bump();
    p.finish_node();
    if !p.eat(COLON) {
        let found = p.describe(0);
        p.err_rest(format!("Expected `:` after field name `{name}`, got {found} (a field is written `{name}: type`)"));
        p.finish_line();
        return Body::Optional(Ctx::Generic);
    }
    if p.at_eol() {
        p.error_here("Missing field type after ':'. Expected a type like str(200), int, bool, date or ref Entity");
        p.finish_line();
        return Body::None(Some("a field"));
    }
    if p.at_word("computed") {
        p.start_node(COMPUTED);
        p.bump_as(KEYWORD);
        while !p.at_eol() {
            p.bump();
        }
        p.finish_node();
        p.finish_line();
        return Body::None(Some("a computed field"));
    }
    let is_enum = p.at_word("enum");
    if !field_type(p) {
        p.finish_line();
        return Body::Optional(Ctx::Generic);
    }
    modifiers(p);
    p.finish_line();
    if is_enum {
        // `semantic: value=tone, …` may follow an enum field one level deeper.
        Body::Optional(Ctx::Generic)
    } else {
        Body::None(Some("a field declaration"))
    }
}

/// The type of a field, as a `FIELD_TYPE` node. False after an error (rest of line eaten).
fn field_type(p: &mut Parser<'_>) -> bool {
    let word = if p.at(IDENT) { p.current_text() } else { "" };
    p.start_node(FIELD_TYPE);
    let ok = match word {
        "str" => {
            p.bump_as(KEYWORD);
            type_args(p, "str", &[NUMBER], true)
        }
        "decimal" => {
            p.bump_as(KEYWORD);
            if p.at(L_PAREN) {
                type_args(p, "decimal", &[NUMBER, COMMA, NUMBER], true)
            } else {
                p.err_rest("decimal requires precision and scale arguments: decimal(P,S), e.g. decimal(10,2)");
                false
            }
        }
        "money" | "file" => {
            p.bump_as(KEYWORD);
            if p.at(L_PAREN) { free_args(p) } else { true }
        }
        "enum" => {
            p.bump_as(KEYWORD);
            if p.at(L_BRACK) {
                name_list(p, NAME, "an enum value");
                true
            } else {
                let found = p.describe(0);
                p.err_rest(format!("Expected [, got {found}: enum values are written enum[a, b, c]"));
                false
            }
        }
        "ref" | "embeds" | "belongs_to" => {
            p.bump_as(KEYWORD);
            entity_ref(p, word)
        }
        "poly_ref" => {
            p.bump_as(KEYWORD);
            if p.at(L_BRACK) {
                name_list(p, NAME_REF, "an entity name");
                true
            } else {
                let found = p.describe(0);
                p.err_rest(format!("Expected [, got {found}: write poly_ref [A, B]"));
                false
            }
        }
        "has_many" | "has_one" => {
            p.bump_as(KEYWORD);
            let ok = entity_ref(p, word);
            if ok && word == "has_many" && p.eat_keyword("via") {
                entity_ref(p, "via");
            }
            while ["cascade", "restrict", "nullify", "readonly"].contains(&p.current_text()) && p.at(IDENT) {
                p.bump_as(KEYWORD);
            }
            ok
        }
        "latest_one" => {
            p.bump_as(KEYWORD);
            let ok = entity_ref(p, word);
            if ok && p.eat_keyword("via") {
                p.start_node(NAME_REF);
                p.eat(IDENT);
                p.finish_node();
            }
            ok
        }
        "descendants_of" | "ancestors_of" => {
            p.bump_as(KEYWORD);
            p.eat_keyword("self");
            if p.eat_keyword("via") {
                p.start_node(NAME_REF);
                p.eat(IDENT);
                p.finish_node();
                if p.eat(DOT) {
                    p.start_node(NAME_REF);
                    p.eat(IDENT);
                    p.finish_node();
                }
                true
            } else {
                let found = p.describe(0);
                p.err_rest(format!("Expected `self via FIELD` after `{word}`, got {found}"));
                false
            }
        }
        _ if SIMPLE_TYPES.contains(&word) => {
            p.bump_as(KEYWORD);
            true
        }
        _ => {
            let shown = if p.at(IDENT) { p.current_text().to_owned() } else { p.describe(0) };
            let lower = shown.to_lowercase();
            let hint = TYPE_ALIASES
                .iter()
                .find(|(alias, _)| *alias == lower)
                .map(|(_, ty)| *ty)
                .or_else(|| did_you_mean(&shown, ALL_TYPES.iter().copied()))
                .map(|t| format!(" Did you mean '{t}'?"))
                .unwrap_or_default();
            p.err_rest(format!("Unknown type: '{shown}'.{hint} Valid types: {}", sorted_types().join(", ")));
            false
        }
    };
    p.finish_node();
    ok
}

fn sorted_types() -> Vec<&'static str> {
    let mut types = ALL_TYPES.to_vec();
    types.sort_unstable();
    types
}

/// `IDENT` naming an entity after `ref`, `has_many`, ….
fn entity_ref(p: &mut Parser<'_>, after: &str) -> bool {
    if p.at(IDENT) {
        p.start_node(NAME_REF);
        p.bump();
        p.finish_node();
        true
    } else {
        let found = p.describe(0);
        p.err_rest(format!("Expected an entity name after `{after}`, got {found}"));
        false
    }
}

/// `(` expected tokens `)` as `TYPE_ARGS`.
fn type_args(p: &mut Parser<'_>, ty: &str, expected: &[crate::SyntaxKind], required: bool) -> bool {
    if !p.at(L_PAREN) {
        if required {
            let found = p.describe(0);
            p.err_rest(format!("Expected (, got {found}: write {ty}(N), e.g. {ty}(200)"));
            return false;
        }
        return true;
    }
    p.start_node(TYPE_ARGS);
    p.bump();
    for kind in expected {
        if !p.eat(*kind) {
            let found = p.describe(0);
            p.err_rest(format!("Expected {} in {ty}(…), got {found}", describe_kind(*kind)));
            p.finish_node();
            return false;
        }
    }
    let ok = p.eat(R_PAREN);
    if !ok {
        let found = p.describe(0);
        p.err_rest(format!("Expected ) to close {ty}(…), got {found}"));
    }
    p.finish_node();
    ok
}

fn describe_kind(kind: crate::SyntaxKind) -> &'static str {
    match kind {
        NUMBER => "a number",
        COMMA => "`,`",
        _ => "a token",
    }
}

/// `( … )` with free contents (`money(EUR)`, `file(200MB, ui: drag_drop)`).
fn free_args(p: &mut Parser<'_>) -> bool {
    p.start_node(TYPE_ARGS);
    p.bump();
    let mut depth = 1;
    while !p.at_eol() {
        match p.current() {
            L_PAREN => depth += 1,
            R_PAREN => depth -= 1,
            _ => {}
        }
        p.bump();
        if depth == 0 {
            break;
        }
    }
    let ok = depth == 0;
    if !ok {
        p.error_here("Expected ) to close the type arguments");
    }
    p.finish_node();
    ok
}

/// Modifiers, `= default` and `was: old` in any order, to the end of the line.
fn modifiers(p: &mut Parser<'_>) {
    while !p.at_eol() {
        let word = if p.at(IDENT) { p.current_text() } else { "" };
        if SIMPLE_MODIFIERS.contains(&word) {
            p.start_node(MODIFIER);
            p.bump_as(KEYWORD);
            p.finish_node();
        } else if word == "unique" {
            p.start_node(MODIFIER);
            p.bump_as(KEYWORD);
            p.eat(QUESTION);
            p.finish_node();
        } else if word == "pii" {
            p.start_node(MODIFIER);
            p.bump_as(KEYWORD);
            if p.at(L_PAREN) {
                pii_args(p);
            }
            p.finish_node();
        } else if word == "storage" && p.nth(1) == EQ {
            p.start_node(MODIFIER);
            p.bump_as(KEYWORD);
            p.bump();
            loop {
                p.start_node(NAME_REF);
                p.eat(IDENT);
                p.finish_node();
                if !p.eat(PIPE) {
                    break;
                }
            }
            p.finish_node();
        } else if word == "was" && p.nth(1) == COLON {
            p.start_node(WAS_CLAUSE);
            p.bump_as(KEYWORD);
            p.bump();
            p.start_node(NAME_REF);
            p.eat(IDENT);
            p.finish_node();
            p.finish_node();
        } else if p.at(EQ) {
            default_value(p);
        } else {
            let found = p.describe(0);
            let hint = if word.is_empty() {
                String::new()
            } else {
                did_you_mean(word, SIMPLE_MODIFIERS.iter().copied().chain(["unique", "pii"]))
                    .map(|m| format!(" (did you mean `{m}`?)"))
                    .unwrap_or_default()
            };
            p.err_rest(format!(
                "Unexpected {found} after the field type{hint}: expected a modifier \
                 (required, optional, pk, unique, pii(…), …) or `= default`"
            ));
        }
    }
}

/// `pii(category=contact, sensitivity=high)` arguments as `TYPE_ARGS(ARG…)`.
fn pii_args(p: &mut Parser<'_>) {
    p.start_node(TYPE_ARGS);
    p.bump();
    while p.at(IDENT) {
        p.start_node(ARG);
        p.bump_as(KEYWORD);
        if p.eat(EQ) {
            p.start_node(NAME_REF);
            p.eat(IDENT);
            p.finish_node();
        }
        p.finish_node();
        if !p.eat(COMMA) {
            break;
        }
    }
    if !p.eat(R_PAREN) {
        let found = p.describe(0);
        p.err_rest(format!(
            "Expected `)` to close pii(…), got {found} (write pii(category=contact, sensitivity=high))"
        ));
    }
    p.finish_node();
}

/// `= value`: a literal or date expression, or — when an operator follows the first word —
/// an expression to the end of the line.
fn default_value(p: &mut Parser<'_>) {
    p.start_node(DEFAULT_VALUE);
    p.bump();
    let expression = p.at_word("if")
        || matches!(
            p.nth(1),
            PLUS | MINUS | STAR | SLASH | PERCENT | DOT | ARROW | L_PAREN | EQ | EQ2 | NEQ | GT | LT | GTEQ | LTEQ
        ) && !matches!(p.current_text(), "today" | "now" | "start_of")
        || ["and", "or", "in", "is", "not"].contains(&p.nth_text(1)) && p.nth(1) == IDENT;
    if expression {
        while !p.at_eol() {
            p.bump();
        }
    } else if p.at(MINUS) {
        p.err_rest("Invalid default value - unexpected '-': negative literals are not supported");
    } else if matches!(p.current_text(), "today" | "now" | "start_of") && p.at(IDENT) {
        p.start_node(DATE_EXPR);
        let is_start_of = p.at_word("start_of");
        p.bump_as(KEYWORD);
        if is_start_of && p.eat(L_PAREN) {
            p.eat(IDENT);
            p.eat(R_PAREN);
        }
        if matches!(p.current(), PLUS | MINUS) {
            p.bump();
            p.eat(DURATION);
        }
        p.finish_node();
    } else if matches!(p.current(), STRING | NUMBER | IDENT | DURATION) {
        p.start_node(LITERAL);
        p.bump();
        p.finish_node();
    } else {
        let found = p.describe(0);
        p.err_rest(format!("Invalid default value: expected a literal after `=`, got {found}"));
    }
    p.finish_node();
}

/// `from -> to ["Label"] [confirm ["Question"]] [requires f | : guards]` in `transitions:`.
pub(crate) fn transition<'t>(p: &mut Parser<'t>) -> Body<'t> {
    p.start_node(TRANSITION);
    let from_ok = if p.eat(STAR) {
        true
    } else if p.at(IDENT) {
        p.start_node(NAME_REF);
        p.bump();
        p.finish_node();
        true
    } else {
        false
    };
    if !from_ok || !p.eat(ARROW) {
        let found = p.describe(0);
        p.err_rest(format!("Expected a transition `from -> to`, got {found}"));
        p.finish_line();
        return Body::Optional(Ctx::Generic);
    }
    if p.at(IDENT) {
        p.start_node(NAME_REF);
        p.bump();
        p.finish_node();
    } else {
        let found = p.describe(0);
        p.err_rest(format!("Expected the target state after `->`, got {found}"));
    }
    p.eat_rest_as(VALUE);
    p.finish_line();
    Body::Optional(Ctx::Generic)
}

/// A line of an `on_transition:` block (at any depth); 0.112's `invoke` effect is noted.
pub(crate) fn on_transition_line<'t>(p: &mut Parser<'t>) -> Body<'t> {
    if p.at_word("invoke") {
        p.only_in_0112(p.nth_range(0), "The `invoke` transition effect");
    }
    generic_line(p, Ctx::OnTransition)
}
