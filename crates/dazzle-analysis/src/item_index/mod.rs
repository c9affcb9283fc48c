//! The item index of one file: what it declares, with no offsets, so that an edit which
//! changes no declaration produces an equal index and nothing downstream recomputes.

use std::sync::Arc;

use dazzle_syntax::{AstNode, Construct, GreenNodeData, Item, Property, SourceFile, SyntaxKind, SyntaxNode};

mod entity;

pub(crate) use entity::lower_entity;

use crate::access::AccessSpec;

/// Everything one file declares.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ItemIndex {
    /// The `module` name, if the file has a module line.
    pub module: Option<String>,
    /// The modules named by `use` lines.
    pub uses: Vec<String>,
    /// The `app` line and its body.
    pub app: Option<AppItem>,
    /// Personas in declaration order.
    pub personas: Vec<PersonaItem>,
    /// Entities in declaration order.
    pub entities: Vec<EntityItem>,
    /// Archetypes (their fields merge into entities that extend them).
    pub archetypes: Vec<EntityItem>,
    /// Every named top-level definition `(construct kind, name)`, in order.
    pub definitions: Vec<(SyntaxKind, String)>,
    /// Whether an `llm_config:` block exists.
    pub llm_config: bool,
    /// Whether a process has a step that runs an `llm_intent`.
    pub llm_process_step: bool,
    /// Entities named by `audit on X:` blocks.
    pub audit_on: Vec<String>,
    /// `feedback_widget:`'s value is `enabled` (`None` without the construct).
    pub feedback_widget: Option<bool>,
    /// Number of `guide` blocks.
    pub guides: usize,
    /// Whether the file uses syntax that 0.125 rejects but 0.112 accepts (the file is
    /// evidently written for 0.112).
    pub uses_0112_syntax: bool,
    /// Whether a 0.112 `job` block exists.
    pub jobs: bool,
    /// 0.112 `atomic` flows.
    pub atomic_flows: Vec<AtomicFlow>,
    /// `classify Entity.field as CLASS [retention: R]` lines.
    pub classify: Vec<Classification>,
    /// `erasure Entity[.field]: policy` lines as `(target, policy)`.
    pub erasure: Vec<(String, String)>,
    /// The values of `audit_access:` lines in `policies:`, in order (the last one counts).
    pub audit_access: Vec<String>,
    /// `tenancy:` properties in order.
    pub tenancy: Option<Vec<(String, String)>>,
    /// Surfaces: name, entity used, personas of `access: persona(…)`.
    pub surfaces: Vec<UiItem>,
    /// Workspaces: name, region sources, personas of `access: persona(…)`.
    pub workspaces: Vec<UiItem>,
    /// Number of lines keyed `rate_limit:` (anywhere).
    pub rate_limits: usize,
}

/// A `classify` line.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Classification {
    /// The entity.
    pub entity: String,
    /// The field.
    pub field: String,
    /// The data class as written.
    pub class: String,
    /// `retention:` as written.
    pub retention: Option<String>,
}

/// A surface or workspace, as far as names and access go.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UiItem {
    /// Its name.
    pub name: String,
    /// Entities it uses (`uses entity X`, region `source: X`).
    pub entities: Vec<String>,
    /// Personas of `access: persona(a, b)`.
    pub personas: Vec<String>,
}

/// A 0.112 `atomic` flow as the matrix projects it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AtomicFlow {
    /// Its name.
    pub name: String,
    /// Its title (the name when it has none).
    pub label: String,
    /// Personas of `permit: execute: role(a, b)`.
    pub roles: Vec<String>,
    /// `(entity, create|update)` per step.
    pub steps: Vec<(String, String)>,
    /// Invariants rendered `fn(Entity.field) op rhs`.
    pub invariants: Vec<String>,
}

/// The `app` declaration.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AppItem {
    /// The app's name.
    pub name: Option<String>,
    /// Its title, unquoted.
    pub title: Option<String>,
    /// Body properties `key: value` in order (value text as written).
    pub properties: Vec<(String, String)>,
}

impl AppItem {
    /// The value of property `key`, if present (the last one wins, as in the reference).
    pub fn property(&self, key: &str) -> Option<&str> {
        self.properties.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }
}

/// A persona.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PersonaItem {
    /// Its id (the matrix column: the reference ignores `role:`).
    pub id: String,
    /// The value of a `role:` line, which the reference silently drops.
    pub role_line: Option<String>,
}

/// An entity (or archetype).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EntityItem {
    /// Its name.
    pub name: String,
    /// `archetype: kind` (settings, tenant, user, …).
    pub archetype_kind: Option<String>,
    /// `extends: A, B`
    pub extends: Vec<String>,
    /// `patterns: a, b`
    pub patterns: Vec<String>,
    /// `domain: x`
    pub domain: Option<String>,
    /// Field declarations (shared with the linked entity).
    pub fields: Arc<[FieldItem]>,
    /// Access rules (shared with the linked entity).
    pub access: Arc<AccessSpec>,
    /// Its `audit:` lines in order (the last one decides).
    pub audit_lines: Vec<Audit>,
    /// `signable: true`
    pub signable: bool,
}

/// A field declaration.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FieldItem {
    /// Its name.
    pub name: String,
    /// The type keyword (`str`, `ref`, `enum`, …); empty when missing.
    pub ty: String,
    /// The entity of `ref X` / `has_many X` / …
    pub target: Option<String>,
    /// Modifier keywords (`required`, `pk`, `pii`, `sensitive`, …).
    pub modifiers: Box<[String]>,
    /// `pii(key=value, …)` arguments.
    pub pii_args: Box<[(String, String)]>,
}

impl FieldItem {
    /// Whether this is the stored (not computed) field `name`: what a `classify` can name.
    pub fn is_stored(&self, name: &str) -> bool {
        self.name == name && self.ty != "computed"
    }
}

/// An entity's `audit:` directive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Audit {
    /// `audit: all` / `audit: true` / `audit: []`
    All,
    /// `audit: false`
    Off,
    /// `audit: [ops]`
    Operations(Vec<String>),
}

impl ItemIndex {
    /// Lowers a parsed file; `text` is its source, searched before any whole-tree walk for a
    /// word the walk would look for.
    pub fn lower(file: &SourceFile, text: &str) -> ItemIndex {
        ItemIndex::lower_with(file, text, entity::lower_entity)
    }

    /// [`ItemIndex::lower`], with entities and archetypes lowered by `lower_entity`.
    pub(crate) fn lower_with(
        file: &SourceFile,
        text: &str,
        mut lower_entity: impl FnMut(&GreenNodeData) -> EntityItem,
    ) -> ItemIndex {
        let mut index = ItemIndex {
            module: file.module_decl().and_then(|m| m.name()).map(|n| n.text()),
            uses: file.use_decls().filter_map(|u| u.module()).map(|n| n.text()).collect(),
            app: file.app_decl().map(|app| AppItem {
                name: app.name().map(|t| t.text().to_owned()),
                title: app.title().map(|t| unquote(t.text())),
                properties: app.properties().filter_map(|p| property_pair(&p)).collect(),
            }),
            ..ItemIndex::default()
        };
        for construct in file.constructs() {
            index.add_construct(&construct, &mut lower_entity);
        }
        if memchr::memmem::find(text.as_bytes(), b"rate_limit").is_some() {
            index.rate_limits = count_rate_limits(file);
        }
        index
    }

    fn lower_policies(&mut self, construct: &Construct) {
        for line in construct.lines() {
            if let Some(c) = dazzle_syntax::Classify::cast(line.clone()) {
                let segments: Vec<String> =
                    c.target().map(|p| p.segments().map(|t| t.text().to_owned()).collect()).unwrap_or_default();
                let retention = line
                    .children()
                    .find(|n| n.kind() == SyntaxKind::PROPERTY)
                    .and_then(Property::cast)
                    .and_then(|p| p.value().map(|v| normalized(&v.green())));
                self.classify.push(Classification {
                    entity: segments.first().cloned().unwrap_or_default(),
                    field: segments.get(1).cloned().unwrap_or_default(),
                    class: c.class().map(|t| t.text().to_owned()).unwrap_or_default(),
                    retention,
                });
            } else if let Some(property) = Property::cast(line.clone())
                && property.key().is_some_and(|k| k.text() == "audit_access")
            {
                // A line without a word value is a syntax error, and sets nothing.
                let value = property.value().map(|v| normalized(&v.green())).unwrap_or_default();
                if value.starts_with(|c: char| c.is_alphabetic() || c == '_') {
                    self.audit_access.push(value);
                }
            } else if line.kind() == SyntaxKind::ERASURE {
                let tokens = line_tokens(&line);
                let colon = tokens.iter().position(|(k, _)| *k == SyntaxKind::COLON).unwrap_or(tokens.len());
                let target: String = tokens[1.min(colon)..colon].iter().map(|(_, t)| t.as_str()).collect();
                let policy: String =
                    tokens.get(colon + 1..).unwrap_or_default().iter().map(|(_, t)| t.as_str()).collect();
                self.erasure.push((target, policy));
            }
        }
    }

    fn add_construct(&mut self, construct: &Construct, lower_entity: &mut impl FnMut(&GreenNodeData) -> EntityItem) {
        let kind = construct.kind();
        if let Some(name) = construct.name_text() {
            self.definitions.push((kind, name));
        }
        match kind {
            SyntaxKind::JOB => self.jobs = true,
            SyntaxKind::ATOMIC => self.atomic_flows.push(lower_atomic(construct)),
            SyntaxKind::ENTITY | SyntaxKind::ARCHETYPE => {
                let entity = lower_entity(&construct.syntax().green());
                if kind == SyntaxKind::ENTITY {
                    self.entities.push(entity);
                } else {
                    self.archetypes.push(entity);
                }
            }
            SyntaxKind::PERSONA => {
                if let Some(id) = construct.name() {
                    let role_line = construct.property("role").and_then(|p| p.value().map(|v| normalized(&v.green())));
                    self.personas.push(PersonaItem { id: id.text().to_owned(), role_line });
                }
            }
            SyntaxKind::LLM_CONFIG => self.llm_config = true,
            SyntaxKind::PROCESS => self.llm_process_step |= has_llm_step(construct),
            SyntaxKind::AUDIT_ON => {
                if let Some(target) = construct.target() {
                    self.audit_on.push(target.text().to_owned());
                }
            }
            SyntaxKind::FEEDBACK_WIDGET => {
                let enabled = construct
                    .syntax()
                    .children()
                    .find(|n| n.kind() == SyntaxKind::VALUE)
                    .is_some_and(|v| v.text().to_string().trim() == "enabled");
                self.feedback_widget = Some(enabled);
            }
            SyntaxKind::GUIDE => self.guides += 1,
            SyntaxKind::POLICIES => self.lower_policies(construct),
            SyntaxKind::TENANCY => {
                self.tenancy = Some(construct.properties().filter_map(|p| property_pair(&p)).collect());
            }
            SyntaxKind::SURFACE | SyntaxKind::WORKSPACE => {
                let item = lower_ui(construct);
                if kind == SyntaxKind::SURFACE {
                    self.surfaces.push(item);
                } else {
                    self.workspaces.push(item);
                }
            }
            _ => {}
        }
    }
}

/// Lines keyed `rate_limit:` anywhere in the file.
fn count_rate_limits(file: &SourceFile) -> usize {
    let mut count = 0;
    let (mut at_line_start, mut pending_key) = (true, false);
    dazzle_syntax::for_each_token(&file.syntax().green(), |kind, _, text| {
        if kind.is_trivia() {
            return;
        }
        if pending_key && kind == SyntaxKind::COLON {
            count += 1;
        }
        pending_key = at_line_start && text == "rate_limit";
        at_line_start = kind == SyntaxKind::NEWLINE;
    });
    count
}

pub(super) fn unquote(s: &str) -> String {
    let inner = s.get(1..s.len().saturating_sub(1)).unwrap_or_default();
    inner.to_owned()
}

fn property_pair(p: &Property) -> Option<(String, String)> {
    Some((p.key()?.text().to_owned(), p.value().map(|v| normalized(&v.green())).unwrap_or_default()))
}

/// The node's significant tokens in a spacing that does not depend on the source's own:
/// one space between tokens, none around `.`, inside brackets or before `,` — so an edit of
/// spacing alone leaves the item index equal.
pub(super) fn normalized(node: &GreenNodeData) -> String {
    // Trivia out and single spaces in: about the text's own length.
    let mut out = String::with_capacity(u32::from(node.text_len()) as usize);
    let mut previous: Option<SyntaxKind> = None;
    // Read from the green tree: no cursor is allocated per token.
    dazzle_syntax::for_each_token(node, |kind, _, text| {
        if kind.is_trivia() || kind == SyntaxKind::NEWLINE {
            return;
        }
        let tight = matches!(kind, SyntaxKind::DOT | SyntaxKind::COMMA | SyntaxKind::R_PAREN | SyntaxKind::R_BRACK)
            || (kind == SyntaxKind::L_PAREN && previous == Some(SyntaxKind::IDENT))
            || matches!(previous, Some(SyntaxKind::DOT | SyntaxKind::L_PAREN | SyntaxKind::L_BRACK));
        if previous.is_some() && !tight {
            out.push(' ');
        }
        out.push_str(text);
        previous = Some(kind);
    });
    out
}

/// A comma list in a property value: `a, b, c` or `[a, b]`.
pub(super) fn value_list(value: &str) -> Vec<String> {
    value
        .trim_matches(|c| c == '[' || c == ']')
        .split(',')
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Whether a process has a direct step (`- step x:`) whose body names an `llm_intent`.
fn has_llm_step(process: &Construct) -> bool {
    process.lines().filter_map(Item::cast).filter(|i| i.key().is_some_and(|k| k.text() == "steps")).any(|steps| {
        steps.block().into_iter().flat_map(|b| b.lines()).filter_map(Item::cast).any(|step| {
            let is_step = step.syntax().text().to_string().trim_start().starts_with("- step");
            is_step
                && step
                    .block()
                    .into_iter()
                    .flat_map(|b| b.lines())
                    .filter_map(Item::cast)
                    .any(|line| line.key().is_some_and(|k| k.text() == "llm_intent"))
        })
    })
}

/// The significant tokens of a line (not of its block), as `(kind, text)`.
fn line_tokens(line: &SyntaxNode) -> Vec<(SyntaxKind, String)> {
    line.children_with_tokens()
        .flat_map(|e| match e {
            dazzle_syntax::NodeOrToken::Token(t) => vec![t],
            dazzle_syntax::NodeOrToken::Node(n) if n.kind() != SyntaxKind::BLOCK => {
                n.descendants_with_tokens().filter_map(|e| e.into_token()).collect()
            }
            dazzle_syntax::NodeOrToken::Node(_) => Vec::new(),
        })
        .filter(|t| !t.kind().is_trivia() && t.kind() != SyntaxKind::NEWLINE)
        .map(|t| (t.kind(), t.text().to_owned()))
        .collect()
}

fn lower_atomic(construct: &Construct) -> AtomicFlow {
    let name = construct.name().map(|t| t.text().to_owned()).unwrap_or_default();
    let mut flow = AtomicFlow {
        label: construct.title().map_or_else(|| name.clone(), |t| unquote(t.text())),
        name,
        ..AtomicFlow::default()
    };
    for line in construct.lines() {
        let tokens = line_tokens(&line);
        let words: Vec<&str> = tokens.iter().map(|(_, t)| t.as_str()).collect();
        match words.as_slice() {
            ["permit", ":", ..] => {
                let rules = Item::cast(line.clone()).and_then(|i| i.block()).into_iter().flat_map(|b| b.lines());
                for rule in rules {
                    let rule_tokens = line_tokens(&rule);
                    let mut in_role = false;
                    for (kind, text) in &rule_tokens {
                        match (kind, text.as_str()) {
                            (SyntaxKind::IDENT, "role") => in_role = true,
                            (SyntaxKind::R_PAREN, _) => in_role = false,
                            (SyntaxKind::IDENT, name) if in_role => flow.roles.push(name.to_owned()),
                            _ => {}
                        }
                    }
                }
            }
            [op @ ("create" | "update"), entity, ..] => flow.steps.push(((*entity).to_owned(), (*op).to_owned())),
            ["invariant", ":", rest @ ..] => flow.invariants.push(render_invariant(rest)),
            _ => {}
        }
    }
    flow
}

/// `sum(Posting.amount where x = y) = 0` → `sum(Posting.amount) = 0`.
fn render_invariant(tokens: &[&str]) -> String {
    let Some(open) = tokens.iter().position(|t| *t == "(") else {
        return tokens.concat();
    };
    let mut depth = 0;
    let mut close = tokens.len();
    for (i, t) in tokens.iter().enumerate().skip(open) {
        match *t {
            "(" => depth += 1,
            ")" => {
                depth -= 1;
                if depth == 0 {
                    close = i;
                    break;
                }
            }
            _ => {}
        }
    }
    let inside = &tokens[open + 1..close.min(tokens.len())];
    let subject: String = inside.iter().take_while(|t| **t != "where").copied().collect();
    let rest = tokens.get(close + 1..).unwrap_or_default();
    let (op, rhs) = rest.split_first().map_or(("", &[][..]), |(op, rhs)| (*op, rhs));
    let op = if op == "==" { "=" } else { op };
    format!("{}({subject}) {op} {}", tokens[..open].concat(), rhs.concat())
}

fn lower_ui(construct: &Construct) -> UiItem {
    let mut item =
        UiItem { name: construct.name().map(|t| t.text().to_owned()).unwrap_or_default(), ..UiItem::default() };
    for line in construct.lines() {
        if let Some(uses) = dazzle_syntax::UsesDecl::cast(line.clone()) {
            if uses.what().is_some_and(|w| w.text() == "entity") {
                item.entities.extend(uses.names().map(|t| t.text().to_owned()));
            }
        } else if let Some(spec) = dazzle_syntax::AccessSpec::cast(line.clone()) {
            item.personas.extend(spec.personas().map(|t| t.text().to_owned()));
        } else if let Some(region) = dazzle_syntax::SubBlock::cast(line.clone()) {
            let sources =
                region.syntax().children().filter(|n| n.kind() == SyntaxKind::BLOCK).flat_map(|b| b.children());
            for source in sources.filter_map(Item::cast) {
                if source.key().is_some_and(|k| k.text() == "source")
                    && let Some(value) = source.value()
                {
                    let text = value.text().to_string();
                    item.entities.extend(
                        value_list(&text).into_iter().filter(|s| s.chars().all(|c| c.is_alphanumeric() || c == '_')),
                    );
                }
            }
        }
    }
    item
}
