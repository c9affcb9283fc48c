//! Bodies other than the entity's: app, persona/tenancy properties, policies, grant schemas,
//! surfaces, workspaces, LLM models, foreign models and processes — typed as far as the
//! analysis needs them, generic beyond.

use super::condition::condition;
use super::{Body, Ctx, Label, Owner, entity, generic_line, name_list, property, soft_name};
use crate::SyntaxKind::*;
use crate::parser::Parser;

/// A line of the `app` body: `key: value` properties.
pub(crate) fn app_line<'t>(p: &mut Parser<'t>) -> Body<'t> {
    property_line(p)
}

/// `key: value` as a `PROPERTY`; `uses nav X` as a `USES_DECL`; anything else generic.
pub(crate) fn property_line<'t>(p: &mut Parser<'t>) -> Body<'t> {
    if p.at(IDENT) && p.nth(1) == COLON {
        property(p, Ctx::Generic)
    } else if p.at_word("uses") {
        uses_decl(p)
    } else {
        generic_line(p, Ctx::Generic)
    }
}

/// `uses entity X`, `uses nav X`, `uses service A, B`, `uses foreign X`.
fn uses_decl<'t>(p: &mut Parser<'t>) -> Body<'t> {
    p.start_node(USES_DECL);
    p.bump_as(KEYWORD);
    if p.at(IDENT) && p.nth(1) == IDENT {
        p.bump_as(KEYWORD);
    }
    name_list(p, NAME_REF, "a name");
    p.finish_line();
    Body::None(None)
}

/// `classify E.f as CLASS [retention: R]`, `erasure E[.f]: POLICY`, or a property.
pub(crate) fn policies_line<'t>(p: &mut Parser<'t>) -> Body<'t> {
    if p.at_word("classify") {
        p.start_node(CLASSIFY);
        p.bump_as(KEYWORD);
        field_path(p);
        if p.eat_keyword("as") {
            if p.at(IDENT) {
                p.start_node(NAME_REF);
                p.bump();
                p.finish_node();
            } else {
                let found = p.describe(0);
                p.err_rest(format!("Expected a data class after `as`, got {found}"));
            }
            if p.at_word("retention") && p.nth(1) == COLON {
                p.start_node(PROPERTY);
                p.bump_as(KEYWORD);
                p.bump();
                p.eat_rest_as(VALUE);
                p.finish_node();
            }
        } else {
            let found = p.describe(0);
            p.err_rest(format!("Expected `as CLASS` in classify, got {found}"));
        }
        p.finish_line();
        Body::None(Some("a classify line"))
    } else if p.at_word("erasure") {
        p.start_node(ERASURE);
        p.bump_as(KEYWORD);
        field_path(p);
        if p.eat(COLON) {
            p.eat_rest_as(VALUE);
        } else {
            let found = p.describe(0);
            p.err_rest(format!("Expected `:` after the erasure target, got {found}"));
        }
        p.finish_line();
        Body::None(Some("an erasure line"))
    } else if p.at_word("audit_access") && p.nth(1) == COLON && !matches!(p.nth(2), IDENT | KEYWORD) {
        // The reference reads one word here (`true`, `yes`, `on`; any other word is off).
        p.start_node(PROPERTY);
        p.bump_as(KEYWORD);
        p.bump();
        let found = p.describe(0);
        p.err_rest(format!("Expected a word after `audit_access:` (true, false, yes, no, on, off), got {found}"));
        p.finish_line();
        Body::None(Some("an audit_access line"))
    } else {
        property_line(p)
    }
}

/// `Entity.field` (or just `Entity`) as a `PATH` of `NAME_REF`s.
fn field_path(p: &mut Parser<'_>) {
    p.start_node(PATH);
    if p.at(IDENT) {
        p.start_node(NAME_REF);
        p.bump();
        p.finish_node();
        while p.at(DOT) && p.nth(1) == IDENT {
            p.bump();
            p.start_node(NAME_REF);
            p.bump();
            p.finish_node();
        }
    } else {
        let found = p.describe(0);
        p.err_rest(format!("Expected Entity.field, got {found}"));
    }
    p.finish_node();
}

/// `relation NAME "Label":` blocks and properties of a grant schema.
pub(crate) fn grant_schema_line<'t>(p: &mut Parser<'t>) -> Body<'t> {
    if p.at_word("relation") && p.nth(1) == IDENT {
        p.start_node(GRANT_RELATION);
        p.bump_as(KEYWORD);
        let name = p.current_text();
        soft_name(p, NAME, "a relation name");
        p.eat(STRING);
        if !p.eat(COLON) {
            let found = p.describe(0);
            p.err_rest(format!("Expected `:` after `relation {name}`, got {found}"));
        }
        p.finish_line();
        Body::Required(Ctx::GrantRelation, Owner::Header(Label::named("relation", " ", name)))
    } else {
        property_line(p)
    }
}

/// Properties of a grant relation; `granted_by:` and `approved_by:` hold conditions.
pub(crate) fn grant_relation_line<'t>(p: &mut Parser<'t>) -> Body<'t> {
    if (p.at_word("granted_by") || p.at_word("approved_by")) && p.nth(1) == COLON {
        p.start_node(PROPERTY);
        p.bump_as(KEYWORD);
        p.bump();
        condition(p);
        p.finish_line();
        Body::None(Some("a grant condition"))
    } else {
        property_line(p)
    }
}

/// Surface lines: `uses entity X`, `access:`, named sub-blocks, persona variants.
pub(crate) fn surface_line<'t>(p: &mut Parser<'t>) -> Body<'t> {
    if p.at_word("uses") {
        uses_decl(p)
    } else if p.at_word("access") && p.nth(1) == COLON {
        access_spec(p)
    } else if p.at_word("as") && p.nth(1) == IDENT && p.nth(2) == COLON {
        p.start_node(PERSONA_VARIANT);
        p.bump_as(KEYWORD);
        p.start_node(NAME_REF);
        p.bump();
        p.finish_node();
        p.bump();
        p.finish_line();
        Body::Optional(Ctx::Generic)
    } else if ["section", "action", "related", "companion"].contains(&p.current_text())
        && p.at(IDENT)
        && p.nth(1) == IDENT
    {
        sub_block(p)
    } else {
        generic_line(p, Ctx::Generic)
    }
}

/// `section NAME ["Title"] …:` and the like: keyword, name, the rest kept generic.
fn sub_block<'t>(p: &mut Parser<'t>) -> Body<'t> {
    p.start_node(SUB_BLOCK);
    p.bump_as(KEYWORD);
    p.start_node(NAME);
    p.bump();
    p.finish_node();
    p.eat_rest_as(VALUE);
    p.finish_line();
    Body::Optional(Ctx::Generic)
}

/// `access: public | authenticated | persona(a, b)`.
fn access_spec<'t>(p: &mut Parser<'t>) -> Body<'t> {
    p.start_node(ACCESS_SPEC);
    p.bump_as(KEYWORD);
    p.bump();
    if p.at_word("persona") && p.nth(1) == L_PAREN {
        p.bump_as(KEYWORD);
        p.bump();
        name_list(p, NAME_REF, "a persona name");
        if !p.eat(R_PAREN) {
            let found = p.describe(0);
            p.err_rest(format!("Expected `)` to close persona(…), got {found}"));
        }
    } else if (p.at_word("public") || p.at_word("authenticated")) && p.nth(1) == NEWLINE {
        p.bump_as(KEYWORD);
    } else {
        p.eat_rest_as(VALUE);
    }
    p.finish_line();
    Body::Optional(Ctx::Generic)
}

/// Workspace lines: `access:`, `uses nav X`, regions (`name:` + block), properties.
pub(crate) fn workspace_line<'t>(p: &mut Parser<'t>) -> Body<'t> {
    if p.at_word("access") && p.nth(1) == COLON {
        access_spec(p)
    } else if p.at_word("uses") {
        uses_decl(p)
    } else if p.at(IDENT) && p.nth(1) == COLON && p.nth(2) == NEWLINE {
        // `name:` with a block: a region (or a keyed block such as `ux:`).
        p.start_node(SUB_BLOCK);
        p.start_node(NAME);
        p.bump();
        p.finish_node();
        p.bump();
        p.finish_line();
        Body::Optional(Ctx::Region)
    } else {
        property_line(p)
    }
}

/// Workspace display modes that 0.125 knows (dsl-syntax §2.5.9).
const DISPLAY_MODES_0125: &[&str] = &[
    "auto",
    "list",
    "grid",
    "timeline",
    "summary",
    "metrics",
    "kanban",
    "bar_chart",
    "queue",
    "tabbed_list",
    "diagram",
    "activity_feed",
    "pivot_table",
    "line_chart",
    "pipeline_steps",
    "status_list",
    "confirm_action_panel",
    "cohort_strip",
    "day_timeline",
    "entity_card",
    "comparison",
    "insight_summary",
    "conversation",
];

/// A line of a workspace region: generic, with 0.112-only `display:` modes noted.
pub(crate) fn region_line<'t>(p: &mut Parser<'t>) -> Body<'t> {
    if p.at_word("display") && p.nth(1) == COLON && p.nth(2) == IDENT && p.nth(3) == NEWLINE {
        let mode = p.nth_text(2);
        if !DISPLAY_MODES_0125.contains(&mode) {
            p.only_in_0112(p.nth_range(2), &format!("Display mode `{mode}`"));
        }
    }
    generic_line(p, Ctx::Generic)
}

/// `llm_model` lines; `provider:` must name a known provider.
pub(crate) fn llm_model_line<'t>(p: &mut Parser<'t>) -> Body<'t> {
    if p.at_word("provider") && p.nth(1) == COLON {
        p.start_node(PROPERTY);
        p.bump_as(KEYWORD);
        p.bump();
        let value = p.current_text();
        if !p.at_eol() && !["anthropic", "openai", "google", "local"].contains(&value) {
            p.error_here(format!("Invalid LLM provider: {value}. Must be: anthropic, openai, google, or local"));
        }
        p.eat_rest_as(VALUE);
        p.finish_line();
        Body::None(None)
    } else {
        property_line(p)
    }
}

/// `foreign_model` lines: `key:`, `constraint KIND k=v…`, properties, and field lines.
pub(crate) fn foreign_model_line<'t>(p: &mut Parser<'t>) -> Body<'t> {
    const KINDS: &[&str] = &["read_only", "event_driven", "batch_import"];
    if p.at_word("constraint") && p.nth(1) != COLON {
        p.start_node(FOREIGN_CONSTRAINT);
        p.bump_as(KEYWORD);
        let kind = p.current_text();
        if !KINDS.contains(&kind) || !p.at(IDENT) {
            p.error_here(format!("Invalid foreign constraint kind '{kind}'. Valid kinds: {}.", KINDS.join(", ")));
        }
        p.eat_rest_as(VALUE);
        p.finish_line();
        Body::None(None)
    } else if p.at_word("key") && p.nth(1) == COLON {
        property(p, Ctx::Generic)
    } else {
        entity::entity_line(p)
    }
}

/// Process and schedule lines (at any depth): generic, with durations checked.
pub(crate) fn process_line<'t>(p: &mut Parser<'t>) -> Body<'t> {
    if p.at_word("wait") && p.nth(1) == COLON && !(p.nth(2) == DURATION && p.nth(3) == NEWLINE) {
        p.only_in_0112(p.nth_range(2), "Waiting for a signal (`wait:` with no duration)");
    }
    let timeout = p.at(IDENT) && p.nth(1) == COLON && p.current_text() == "timeout";
    if timeout && p.nth(2) == NUMBER && p.nth(3) == IDENT && p.nth(4) == NEWLINE && p.nth_text(3) != "s" {
        let value = format!("{}{}", p.nth_text(2), p.nth_text(3));
        let range = p.nth_range(2).cover(p.nth_range(3));
        p.error_range(
            format!("Invalid duration format: '{value}' — expected format like '30s', '5m', '2h', '7d'"),
            range,
        );
    }
    generic_line(p, Ctx::Process)
}
