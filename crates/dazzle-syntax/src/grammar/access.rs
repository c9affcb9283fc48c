//! Rules of `permit:`, `forbid:`, `access:`, `permissions:`, `visible:` and `scope:` blocks
//! (dsl-syntax §2.5.3).

use super::condition::{condition, via_expr};
use super::{AccessKind, Body, Ctx, Owner};
use crate::SyntaxKind::*;
use crate::parser::Parser;

const OPERATIONS: &[&str] = &["create", "read", "update", "delete", "list"];

/// `op: false | authenticated | anonymous | condition`.
pub(crate) fn access_rule<'t>(p: &mut Parser<'t>, kind: AccessKind) -> Body<'t> {
    p.start_node(ACCESS_RULE);
    let block = match kind {
        AccessKind::Permit => "permit",
        AccessKind::Forbid => "forbid",
        AccessKind::Access => "access",
        AccessKind::Permissions => "permissions",
    };
    if !operation(p, kind, block) {
        p.finish_line();
        return Body::None(Some("an access rule"));
    }
    let short =
        matches!(p.current_text(), "false" | "authenticated" | "anonymous") && p.at(IDENT) && p.nth(1) == NEWLINE;
    if short && kind == AccessKind::Access {
        // `access:` always reads a condition: `authenticated` there is a field comparison.
        condition(p);
    } else if short {
        if p.at_word("false") && kind != AccessKind::Permit {
            p.err_rest(format!(
                "`false` short-form is only valid in `permit:` blocks; to deny an operation in \
                 `{block}:` remove the rule or use a condition"
            ));
        } else {
            p.start_node(SHORT_FORM);
            p.bump_as(KEYWORD);
            p.finish_node();
        }
    } else if condition(p) && kind == AccessKind::Permit {
        // The reference's parser, after the condition: rows are filtered in `scope:`.
        p.error_here(
            "Field condition in permit: block. Field conditions define row filtering, not authorization. \
             Move to a scope: block.",
        );
    }
    p.finish_line();
    Body::None(Some("an access rule"))
}

/// The operation and its colon; false (rest of line eaten) on error.
fn operation(p: &mut Parser<'_>, kind: AccessKind, block: &str) -> bool {
    let word = if p.at(IDENT) { p.current_text() } else { "" };
    let valid: &[&str] = match kind {
        AccessKind::Permit | AccessKind::Forbid => OPERATIONS,
        AccessKind::Access => &["create", "read", "update", "delete", "list", "write"],
        AccessKind::Permissions => &["create", "update", "delete"],
    };
    if word == "write" && kind != AccessKind::Access {
        p.err_rest(format!("'write' is not valid in {block}: blocks. Use 'create' and 'update' separately."));
        return false;
    }
    if !valid.contains(&word) {
        let found = p.describe(0);
        p.err_rest(format!("Expected an operation ({}) in `{block}:`, got {found}", valid.join(", ")));
        return false;
    }
    p.bump_as(KEYWORD);
    if !p.eat(COLON) {
        let found = p.describe(0);
        p.err_rest(format!("Expected `:` after `{word}`, got {found}"));
        return false;
    }
    if p.at_eol() {
        p.error_here(format!("Expected a rule after `{word}:`"));
        return false;
    }
    true
}

/// `when anonymous: cond` / `when authenticated: cond` in a `visible:` block.
pub(crate) fn visible_rule<'t>(p: &mut Parser<'t>) -> Body<'t> {
    p.start_node(ACCESS_RULE);
    if p.eat_keyword("when") && matches!(p.current_text(), "anonymous" | "authenticated") && p.at(IDENT) {
        p.bump_as(KEYWORD);
        if p.eat(COLON) {
            condition(p);
        } else {
            let found = p.describe(0);
            p.err_rest(format!("Expected `:`, got {found}"));
        }
    } else {
        let found = p.describe(0);
        p.err_rest(format!("Expected `when anonymous:` or `when authenticated:` in `visible:`, got {found}"));
    }
    p.finish_line();
    Body::None(Some("a visibility rule"))
}

/// `op: all | via J(…) | not via J(…) | condition`, with its `as:` line below.
pub(crate) fn scope_rule<'t>(p: &mut Parser<'t>) -> Body<'t> {
    p.start_node(SCOPE_RULE);
    if !operation(p, AccessKind::Permit, "scope") {
        p.finish_line();
        return Body::Optional(Ctx::ScopeRule);
    }
    if p.at_word("all") && p.nth(1) == NEWLINE {
        p.start_node(SHORT_FORM);
        p.bump_as(KEYWORD);
        p.finish_node();
    } else if p.at_word("via") || (p.at_word("not") && p.nth_word(1, "via")) {
        via_expr(p);
    } else {
        condition(p);
    }
    p.finish_line();
    Body::Required(Ctx::ScopeRule, Owner::Prose("a scope rule: an `as:` line naming its personas"))
}

/// `as: *` or `as: persona, persona` below a scope rule.
pub(crate) fn as_clause<'t>(p: &mut Parser<'t>) -> Body<'t> {
    p.start_node(AS_CLAUSE);
    if p.at_word("as") && p.nth(1) == COLON {
        p.bump_as(KEYWORD);
        p.bump();
        if p.at(STAR) {
            p.bump();
        } else {
            super::name_list(p, NAME_REF, "a persona name or `*`");
        }
    } else {
        let found = if p.at(IDENT) { p.current_text().to_owned() } else { p.describe(0) };
        p.err_rest(format!("Expected 'as:' clause in scope rule, got {found} (write `as: persona, …` or `as: *`)"));
    }
    p.finish_line();
    Body::None(Some("an `as:` clause"))
}
