//! The condition grammar of access rules (dsl-syntax §2.5.3):
//!
//! ```text
//! cond     := and ('or' and)*            and := primary ('and' primary)*
//! primary  := '(' cond ')' | 'not' '(' cond ')' | 'role' '(' name ')'
//!           | 'has_grant' '(' STRING ',' name ')' | comparison
//! comparison := (IDENT '(' name ')' | path) [op value]
//! ```
//! plus the scope-only `via Junction(binding, …)` and `not via …`.

use crate::SyntaxKind::*;
use crate::parser::Parser;

/// Parentheses nested deeper than this are reported, bounding recursion.
const MAX_NESTING: u32 = 64;

/// Parses one condition to wherever it ends on the line; whether it holds a comparison (a
/// field condition, as opposed to `role(…)` and `has_grant(…)` checks).
pub(crate) fn condition(p: &mut Parser<'_>) -> bool {
    or_expr(p, 0)
}

fn or_expr(p: &mut Parser<'_>, depth: u32) -> bool {
    let start = p.checkpoint();
    let mut field = and_expr(p, depth);
    while p.at_word("or") {
        p.start_node_at(start, OR_EXPR);
        p.bump_as(KEYWORD);
        field |= and_expr(p, depth);
        p.finish_node();
    }
    field
}

fn and_expr(p: &mut Parser<'_>, depth: u32) -> bool {
    let start = p.checkpoint();
    let mut field = primary(p, depth);
    while p.at_word("and") {
        p.start_node_at(start, AND_EXPR);
        p.bump_as(KEYWORD);
        field |= primary(p, depth);
        p.finish_node();
    }
    field
}

fn primary(p: &mut Parser<'_>, depth: u32) -> bool {
    if depth >= MAX_NESTING {
        p.err_rest(format!("Condition nested more than {MAX_NESTING} levels deep"));
        return false;
    }
    if p.at(L_PAREN) {
        p.start_node(PAREN_EXPR);
        p.bump();
        let field = or_expr(p, depth + 1);
        close_paren(p, "the parenthesised condition");
        p.finish_node();
        field
    } else if p.at_word("not") && p.nth(1) == L_PAREN {
        p.start_node(NOT_EXPR);
        p.bump_as(KEYWORD);
        p.bump();
        let field = or_expr(p, depth + 1);
        close_paren(p, "not (…)");
        p.finish_node();
        field
    } else if p.at_word("not") {
        p.err_rest("`not` must be followed by a parenthesised condition: write `not (field = value)`");
        false
    } else if p.at_word("role") && p.nth(1) == L_PAREN {
        p.start_node(ROLE_CHECK);
        p.bump_as(KEYWORD);
        p.bump();
        name_ref(p, "a persona name");
        if p.at(COMMA) {
            p.err_rest("Expected ), got ,: role() takes one persona; write `role(a) or role(b)`");
        } else {
            close_paren(p, "role(…)");
        }
        p.finish_node();
        false
    } else if p.at_word("role") {
        // `role` is a keyword of conditions: not a field that can be compared.
        let found = p.describe(1);
        p.err_rest(format!("Expected `(` after `role`, got {found}: a role check is written `role(persona)`"));
        false
    } else if p.at_word("has_grant") && p.nth(1) == L_PAREN {
        p.start_node(GRANT_CHECK);
        p.bump_as(KEYWORD);
        p.bump();
        if !p.eat(STRING) {
            let found = p.describe(0);
            p.err_rest(format!("Expected the relation name as a string in has_grant(…), got {found}"));
        } else if !p.eat(COMMA) {
            let found = p.describe(0);
            p.err_rest(format!("Expected `,` in has_grant(\"relation\", field), got {found}"));
        } else {
            name_ref(p, "a field name");
            close_paren(p, "has_grant(…)");
        }
        p.finish_node();
        false
    } else {
        comparison(p)
    }
}

fn close_paren(p: &mut Parser<'_>, what: &str) {
    if !p.eat(R_PAREN) {
        let found = p.describe(0);
        p.err_rest(format!("Expected `)` to close {what}, got {found}"));
    }
}

fn name_ref(p: &mut Parser<'_>, what: &str) {
    if p.at(IDENT) {
        p.start_node(NAME_REF);
        p.bump();
        p.finish_node();
    } else {
        let found = p.describe(0);
        p.err_rest(format!("Expected {what}, got {found}"));
    }
}

/// `path [op value]` or `f(arg) op value`; true once it has started.
fn comparison(p: &mut Parser<'_>) -> bool {
    if !p.at(IDENT) {
        let found = p.describe(0);
        p.err_rest(format!("Expected a condition (a field, role(…) or has_grant(…)), got {found}"));
        return false;
    }
    p.start_node(COMPARISON);
    if p.nth(1) == L_PAREN {
        p.start_node(CALL_EXPR);
        p.bump();
        p.bump();
        name_ref(p, "an argument");
        close_paren(p, "the call");
        p.finish_node();
    } else {
        path(p);
    }
    if comparison_operator(p) {
        value(p);
    } else if p.at(EQ2) {
        p.err_rest("Expected comparison operator, got ==: conditions compare with a single `=`");
    }
    p.finish_node();
    true
}

/// `a.b`, `subject[Branch].school`.
fn path(p: &mut Parser<'_>) {
    p.start_node(PATH);
    p.start_node(NAME_REF);
    p.bump();
    p.finish_node();
    if p.at(L_BRACK) && p.nth(1) == IDENT && p.nth(2) == R_BRACK {
        p.bump();
        p.start_node(NAME_REF);
        p.bump();
        p.finish_node();
        p.bump();
    }
    while p.at(DOT) && p.nth(1) == IDENT {
        p.bump();
        p.start_node(NAME_REF);
        p.bump();
        p.finish_node();
    }
    p.finish_node();
}

/// `= != > < >= <= in | not in | is | is not`; consumes it if present.
fn comparison_operator(p: &mut Parser<'_>) -> bool {
    match p.current() {
        EQ | NEQ | GT | LT | GTEQ | LTEQ => {
            p.bump();
            true
        }
        IDENT if p.at_word("in") => {
            p.bump_as(KEYWORD);
            true
        }
        IDENT if p.at_word("not") && p.nth_word(1, "in") => {
            p.bump_as(KEYWORD);
            p.bump_as(KEYWORD);
            true
        }
        IDENT if p.at_word("is") => {
            p.bump_as(KEYWORD);
            p.eat_keyword("not");
            true
        }
        _ => false,
    }
}

/// The right-hand side of a comparison.
fn value(p: &mut Parser<'_>) {
    match p.current() {
        L_BRACK => {
            p.start_node(LIST_EXPR);
            p.bump();
            while matches!(p.current(), STRING | NUMBER | IDENT) {
                literal(p);
                if !p.eat(COMMA) {
                    break;
                }
            }
            if !p.eat(R_BRACK) {
                let found = p.describe(0);
                p.err_rest(format!("Expected `]` to close the value list, got {found}"));
            }
            p.finish_node();
        }
        IDENT if matches!(p.current_text(), "today" | "now" | "start_of") => {
            p.start_node(DATE_EXPR);
            let start_of = p.at_word("start_of");
            p.bump_as(KEYWORD);
            if start_of {
                if p.eat(L_PAREN) {
                    p.eat(IDENT);
                    close_paren(p, "start_of(…)");
                } else {
                    let found = p.describe(0);
                    p.err_rest(format!("Expected `(` after start_of, got {found}"));
                }
            }
            if matches!(p.current(), PLUS | MINUS) {
                p.bump();
                if !p.eat(DURATION) {
                    let found = p.describe(0);
                    p.err_rest(format!("Expected a duration such as 7d after the sign, got {found}"));
                }
            }
            p.finish_node();
        }
        STRING | NUMBER | IDENT | DURATION => literal(p),
        _ => {
            let found = p.describe(0);
            p.err_rest(format!("Expected literal value, got {found}"));
        }
    }
}

/// A string, number, word or dotted path (`current_user.team`).
fn literal(p: &mut Parser<'_>) {
    p.start_node(LITERAL);
    if p.at(IDENT) {
        path(p);
    } else {
        p.bump();
    }
    p.finish_node();
}

/// `[not] via Junction(field = current_user, other = id, …)`.
pub(crate) fn via_expr(p: &mut Parser<'_>) {
    p.start_node(VIA_EXPR);
    p.eat_keyword("not");
    p.bump_as(KEYWORD);
    if !p.at(IDENT) {
        let found = p.describe(0);
        p.err_rest(format!("Expected the junction entity after `via`, got {found}"));
        p.finish_node();
        return;
    }
    p.start_node(NAME_REF);
    p.bump();
    p.finish_node();
    if !p.eat(L_PAREN) {
        let found = p.describe(0);
        p.err_rest(format!("Expected `(` after the junction entity, got {found}"));
        p.finish_node();
        return;
    }
    loop {
        p.start_node(VIA_BINDING);
        if p.at(IDENT) {
            path(p);
        } else {
            let found = p.describe(0);
            p.err_rest(format!("Expected a junction field, got {found}"));
            p.finish_node();
            break;
        }
        if matches!(p.current(), EQ | NEQ) {
            p.bump();
            if p.at(IDENT) {
                path(p);
            } else {
                let found = p.describe(0);
                p.err_rest(format!("Expected `current_user`, `id`, `null` or a field, got {found}"));
                p.finish_node();
                break;
            }
        } else {
            let found = p.describe(0);
            p.err_rest(format!("Expected `=` or `!=` in the via binding, got {found}"));
            p.finish_node();
            break;
        }
        p.finish_node();
        if !p.eat(COMMA) {
            break;
        }
    }
    close_paren(p, "via (…)");
    p.finish_node();
}
