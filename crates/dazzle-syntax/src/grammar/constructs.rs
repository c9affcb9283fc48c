//! The top level: `module` / `use` / `app`, then the constructs of both dialects, each with
//! its header shape (dsl-syntax §2.3 and §2.5.22).

use std::fmt;

use super::{Body, Ctx, Label, Owner, did_you_mean, dotted_name, generic_line, soft_name, strict_name};
use crate::parser::Parser;
use crate::{
    Dialect, SyntaxError,
    SyntaxKind::{self, *},
};

/// How a construct's header line is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Header {
    /// `kw NAME ["Title"]:`; the name is a plain identifier when `strict`.
    Named { strict: bool, title: Title },
    /// `kw:` with no name.
    Bare,
    /// `kw on NAME:` (`audit on`, `search on`).
    On,
    /// `foreign_model NAME from API ["Title"]:`.
    ForeignModel,
    /// `story ST-001 "Title":` — the id is every token up to the title.
    Compound,
    /// `param a.b.c ["Description"]:`.
    Dotted,
    /// `feedback_widget: value` with an optional block.
    Valued,
    /// A 0.112 construct with an irregular header: keyword, anything, optional `:` and block.
    Loose,
}

/// Whether a construct's header takes a title string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Title {
    Optional,
    Required,
    Forbidden,
}

/// One top-level construct: its keyword, node kind, header shape, body grammar and whether
/// it still exists in 0.125.
struct Construct {
    keyword: &'static str,
    kind: SyntaxKind,
    header: Header,
    body: Ctx,
    in_0125: bool,
}

const fn named(strict: bool, title: Title) -> Header {
    Header::Named { strict, title }
}

const fn c(keyword: &'static str, kind: SyntaxKind, header: Header, body: Ctx) -> Construct {
    Construct { keyword, kind, header, body, in_0125: true }
}

const fn old(keyword: &'static str, kind: SyntaxKind, header: Header) -> Construct {
    Construct { keyword, kind, header, body: Ctx::Generic, in_0125: false }
}

use Title::{Forbidden, Optional as Opt, Required as Req};

/// Every top-level construct of 0.125 and of 0.112.
static CONSTRUCTS: &[Construct] = &[
    c("archetype", ARCHETYPE, named(true, Forbidden), Ctx::Entity),
    c("entity", ENTITY, named(true, Opt), Ctx::Entity),
    c("surface", SURFACE, named(true, Opt), Ctx::Surface),
    c("experience", EXPERIENCE, named(true, Opt), Ctx::Generic),
    c("service", SERVICE, named(true, Opt), Ctx::Generic),
    c("foreign_model", FOREIGN_MODEL, Header::ForeignModel, Ctx::ForeignModel),
    c("integration", INTEGRATION, named(true, Opt), Ctx::Generic),
    c("workspace", WORKSPACE, named(false, Opt), Ctx::Workspace),
    c("persona", PERSONA, named(false, Opt), Ctx::Properties),
    c("scenario", SCENARIO, named(false, Opt), Ctx::Generic),
    c("story", STORY, Header::Compound, Ctx::Generic),
    c("rhythm", RHYTHM, named(false, Opt), Ctx::Generic),
    c("policies", POLICIES, Header::Bare, Ctx::Policies),
    c("tenancy", TENANCY, Header::Bare, Ctx::Properties),
    c("llm_model", LLM_MODEL, named(false, Opt), Ctx::LlmModel),
    c("llm_config", LLM_CONFIG, Header::Bare, Ctx::Generic),
    c("llm_intent", LLM_INTENT, named(false, Opt), Ctx::Generic),
    c("process", PROCESS, named(false, Opt), Ctx::Process),
    c("schedule", SCHEDULE, named(false, Opt), Ctx::Process),
    c("nav", NAV, named(false, Forbidden), Ctx::Generic),
    c("sla", SLA, named(false, Opt), Ctx::Generic),
    c("island", ISLAND, named(false, Opt), Ctx::Generic),
    c("audit", AUDIT_ON, Header::On, Ctx::Generic),
    c("search", SEARCH_ON, Header::On, Ctx::Generic),
    c("grant_schema", GRANT_SCHEMA, named(false, Req), Ctx::GrantSchema),
    c("param", PARAM, Header::Dotted, Ctx::Generic),
    c("feedback_widget", FEEDBACK_WIDGET, Header::Valued, Ctx::Generic),
    c("guide", GUIDE, named(true, Opt), Ctx::Generic),
    c("subprocessor", SUBPROCESSOR, named(false, Req), Ctx::Generic),
    c("analytics", ANALYTICS, Header::Bare, Ctx::Generic),
    c("view", VIEW, named(false, Opt), Ctx::Generic),
    // 0.112 only
    old("enum", ENUM_DECL, named(true, Opt)),
    old("webhook", WEBHOOK, named(true, Opt)),
    old("approval", APPROVAL, named(true, Opt)),
    old("ledger", LEDGER, named(true, Opt)),
    old("transaction", TRANSACTION, named(true, Opt)),
    old("message", MESSAGE, named(true, Opt)),
    old("channel", CHANNEL, named(true, Opt)),
    old("asset", ASSET, named(true, Opt)),
    old("document", DOCUMENT, named(true, Opt)),
    old("template", TEMPLATE, named(true, Opt)),
    old("event_model", EVENT_MODEL, Header::Bare),
    old("subscribe", SUBSCRIBE, Header::Loose),
    old("projection", PROJECTION, Header::Loose),
    old("stream", STREAM, named(true, Opt)),
    old("hless", HLESS, Header::Loose),
    old("interfaces", INTERFACES, Header::Bare),
    old("data_products", DATA_PRODUCTS, Header::Bare),
    old("flow", FLOW, named(true, Opt)),
    old("test", TEST, named(true, Opt)),
    old("rule", RULE, Header::Compound),
    old("question", QUESTION_DECL, Header::Compound),
    old("job", JOB, named(true, Opt)),
    old("notification", NOTIFICATION, named(true, Opt)),
    old("atomic", ATOMIC, named(true, Opt)),
    old("demo", DEMO, Header::Bare),
];

fn construct(word: &str) -> Option<&'static Construct> {
    CONSTRUCTS.iter().find(|c| c.keyword == word)
}

/// The keywords of the top-level constructs `dialect` accepts, in table order.
pub fn construct_keywords(dialect: Dialect) -> impl Iterator<Item = &'static str> {
    CONSTRUCTS.iter().filter(move |c| c.in_0125 || dialect == Dialect::V0_112).map(|c| c.keyword)
}

/// Whether `kind` is the node of a top-level construct.
pub(crate) fn is_construct_kind(kind: SyntaxKind) -> bool {
    CONSTRUCTS.iter().any(|c| c.kind == kind)
}

/// The whole file: the header lines and the constructs, all at the top level.
pub(crate) fn source_file(p: &mut Parser<'_>) {
    p.items(Ctx::TopLevel, 0, None);
}

/// One top-level line.
pub(crate) fn top_level_line<'t>(p: &mut Parser<'t>) -> Body<'t> {
    let word = if p.at(IDENT) { p.current_text() } else { "" };
    if !matches!(word, "module" | "use" | "app") {
        // Anything else ends the header, as in the reference.
        p.header_open = false;
    }
    match word {
        "module" | "use" | "app" if p.header_open => header_line(p, word),
        // `view` is a construct only when a name or title follows (as in the reference).
        "view" if !matches!(p.nth(1), IDENT | STRING) => unknown_top_level(p),
        _ => match construct(word) {
            Some(c) => construct_header(p, c),
            None => unknown_top_level(p),
        },
    }
}

/// `module a.b`, `use a.b [as x]`, `app name ["Title"][:]`.
fn header_line<'t>(p: &mut Parser<'t>, word: &str) -> Body<'t> {
    match word {
        "module" => {
            p.start_node(MODULE_DECL);
            p.bump_as(KEYWORD);
            if p.seen_module_or_use {
                p.push_diagnostic(SyntaxError::warning(
                    "misplaced-header",
                    "`module` must be the first line of the file; this one is ignored",
                    p.nth_range(0),
                ));
            }
            p.seen_module_or_use = true;
            dotted_name(p, NAME, "a module name");
            p.finish_line();
            Body::None(Some("a `module` line"))
        }
        "use" => {
            p.start_node(USE_DECL);
            p.bump_as(KEYWORD);
            p.seen_module_or_use = true;
            dotted_name(p, NAME_REF, "a module name");
            if p.eat_keyword("as") {
                strict_name(p, "an alias");
            }
            p.finish_line();
            Body::None(Some("a `use` line"))
        }
        _ => {
            p.start_node(APP_DECL);
            p.bump_as(KEYWORD);
            p.header_open = false;
            soft_name(p, NAME, "an app name");
            p.eat(STRING);
            let has_colon = p.eat(COLON);
            p.finish_line();
            if has_colon { Body::Optional(Ctx::App) } else { Body::None(Some("an `app` line without `:`")) }
        }
    }
}

/// A word at the top level that starts no construct: kept, and reported as the reference
/// skips it (0.125 with `W_UNKNOWN_BLOCK_KEY`).
fn unknown_top_level<'t>(p: &mut Parser<'t>) -> Body<'t> {
    let range = p.nth_range(0);
    let message = if p.at(IDENT) {
        let word = p.current_text();
        let hint = did_you_mean(word, CONSTRUCTS.iter().map(|c| c.keyword))
            .map(|s| format!(" (did you mean `{s}`?)"))
            .unwrap_or_default();
        if matches!(word, "module" | "use" | "app") {
            format!("`{word}` must come before the first construct of the file; Dazzle ignores this line")
        } else {
            format!("Unknown top-level construct `{word}`{hint}: Dazzle skips this line and its block")
        }
    } else {
        format!("Unexpected {} at the top level: Dazzle skips it", p.describe(0))
    };
    let code = if message.starts_with('`') { "misplaced-header" } else { "unknown-construct" };
    p.push_diagnostic(SyntaxError::warning(code, message, range));
    generic_line(p, Ctx::Generic)
}

/// The header line of construct `c`; the body follows as its block.
fn construct_header<'t>(p: &mut Parser<'t>, c: &Construct) -> Body<'t> {
    p.start_node(c.kind);
    if !c.in_0125 && p.dialect == Dialect::V0_125 {
        p.push_diagnostic(SyntaxError::warning(
            "removed-construct",
            format!("`{}` was removed in Dazzle 0.125: 0.125 skips this block (it is valid in 0.112)", c.keyword),
            p.nth_range(0),
        ));
    }
    p.bump_as(KEYWORD);
    let mut label = Label::word(c.keyword);
    match c.header {
        Header::Named { strict, title } => {
            let name = p.current_text();
            let what = NameOf(c.keyword);
            let ok = if strict { strict_name(p, what) } else { soft_name(p, NAME, what) };
            if !ok {
                p.finish_line();
                return Body::Optional(c.body);
            }
            label = Label::named(c.keyword, " ", name);
            title_and_colon(p, title, label);
        }
        Header::Bare => expect_colon(p, label),
        Header::On => {
            if p.eat_keyword("on") {
                let name = p.current_text();
                if soft_name(p, NAME_REF, "an entity name") {
                    label = Label::named(c.keyword, " on ", name);
                    expect_colon(p, label);
                }
            } else {
                let found = p.describe(0);
                p.err_rest(format!("Expected `on ENTITY` after `{}`, got {found}", c.keyword));
            }
        }
        Header::ForeignModel => {
            let name = p.current_text();
            if strict_name(p, "a foreign model name") {
                label = Label::named("foreign_model", " ", name);
                if p.eat_keyword("from") {
                    p.start_node(NAME_REF);
                    if p.at(IDENT) {
                        p.bump();
                    }
                    p.finish_node();
                    title_and_colon(p, Title::Optional, label);
                } else {
                    let found = p.describe(0);
                    p.err_rest(format!("Expected `from SERVICE` after `{label}`, got {found}"));
                }
            }
        }
        Header::Compound => {
            p.start_node(NAME);
            while !p.at_eol() && !p.at(STRING) && !p.at(COLON) {
                p.bump();
            }
            p.finish_node();
            title_and_colon(p, Title::Required, label);
        }
        Header::Dotted => {
            if dotted_name(p, NAME, "a parameter name") {
                title_and_colon(p, Title::Optional, label);
            }
        }
        Header::Valued => {
            if p.eat(COLON) {
                p.eat_rest_as(VALUE);
            } else {
                let found = p.describe(0);
                p.err_rest(format!("Expected `:` after `{}`, got {found}", c.keyword));
            }
            p.finish_line();
            return Body::Optional(c.body);
        }
        Header::Loose => {
            p.eat_rest_as(VALUE);
            p.finish_line();
            return Body::Optional(c.body);
        }
    }
    p.finish_line();
    Body::Required(c.body, Owner::Header(label))
}

/// The optional (or required, or forbidden) title string, then the `:`.
fn title_and_colon(p: &mut Parser<'_>, title: Title, label: Label<'_>) {
    if p.at(STRING) {
        if title == Title::Forbidden {
            p.err_rest(format!("Expected :, got STRING: `{label}` takes no title"));
            return;
        }
        p.bump();
    } else if title == Title::Required && !p.at_eol() {
        let found = p.describe(0);
        p.err_rest(format!("Expected a title string after `{label}`, got {found}"));
        return;
    } else if title == Title::Required {
        p.error_here(format!("Expected a title string after `{label}`"));
    }
    expect_colon(p, label);
}

fn expect_colon(p: &mut Parser<'_>, label: Label<'_>) {
    if !p.eat(COLON) {
        let found = p.describe(0);
        p.err_rest(format!("Expected `:` after `{label}`, got {found}"));
    }
}

/// "the name of an `entity`" (or "of a `surface`"), for the message of a missing name.
#[derive(Clone, Copy)]
struct NameOf(&'static str);

impl fmt::Display for NameOf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let article = if self.0.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
        write!(f, "the name of {article} `{}`", self.0)
    }
}
