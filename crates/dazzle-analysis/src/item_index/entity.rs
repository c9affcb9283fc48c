//! Lowering an entity or archetype, read from the green tree: entities are most of what a
//! project declares, and reading them through red-tree cursors cost more than parsing them.

use std::sync::Arc;

use dazzle_syntax::green::{self, block_lines, child_node, child_token, first_ident, ident_in};
use dazzle_syntax::{Condition, GreenNodeData, SyntaxKind};

use super::{Audit, EntityItem, FieldItem, normalized, unquote, value_list};
use crate::access::{AccessSpec, Cond, Effect, Operation, PermissionRule, ScopeRule};

/// Lowers an `ENTITY` or `ARCHETYPE` node.
pub(crate) fn lower_entity(construct: &GreenNodeData) -> EntityItem {
    let mut entity = EntityItem {
        name: ident_in(construct, SyntaxKind::NAME).unwrap_or_default().to_owned(),
        ..EntityItem::default()
    };
    let (mut fields, mut access) = (Vec::new(), AccessSpec::default());
    // Rules seen so far, per block keyword (a handful: a list beats hashing them).
    let mut access_lines = Vec::new();
    let mut scope_lines = 0usize;
    for line in block_lines(construct) {
        match green::kind(line) {
            SyntaxKind::FIELD => fields.push(lower_field(line)),
            SyntaxKind::ACCESS_BLOCK => lower_access_block(line, &mut access, &mut access_lines),
            SyntaxKind::SCOPE_BLOCK => {
                for rule in block_lines(line).filter(|r| green::kind(r) == SyntaxKind::SCOPE_RULE) {
                    let nth = scope_lines;
                    scope_lines += 1;
                    if let Some(scope) = lower_scope_rule(rule, nth) {
                        access.scopes.push(scope);
                    }
                }
            }
            SyntaxKind::AUDIT_DECL => entity.audit_lines.push(lower_audit(line)),
            SyntaxKind::PROPERTY => {
                let (Some(key), Some(value)) =
                    (child_token(line, SyntaxKind::KEYWORD), child_node(line, SyntaxKind::VALUE).map(normalized))
                else {
                    continue;
                };
                match key {
                    "patterns" => entity.patterns = value_list(&value),
                    "extends" => entity.extends = value_list(&value),
                    "domain" => entity.domain = Some(value),
                    "archetype" => entity.archetype_kind = Some(value),
                    "signable" => entity.signable = value == "true",
                    _ => {}
                }
            }
            _ => {}
        }
    }
    entity.fields = fields.into();
    // An entity outlives the pass that lowers it: its lists keep no room to grow.
    access.permissions.shrink_to_fit();
    access.scopes.shrink_to_fit();
    entity.access = Arc::new(access);
    entity
}

/// The identifiers of the first `NAME_LIST` child (each item's first identifier), in a list of
/// their number (most name one or two, and the list outlives the pass).
fn names(node: &GreenNodeData) -> Vec<String> {
    let Some(list) = child_node(node, SyntaxKind::NAME_LIST) else {
        return Vec::new();
    };
    let idents = || green::child_nodes(list).filter_map(first_ident);
    let mut names = Vec::with_capacity(idents().count());
    names.extend(idents().map(str::to_owned));
    names
}

/// `audit: all|true|false` or `audit: [ops]`: the second keyword is the value when written.
fn lower_audit(line: &GreenNodeData) -> Audit {
    match green::child_tokens(line, SyntaxKind::KEYWORD).nth(1) {
        Some("false") => Audit::Off,
        Some(_) => Audit::All,
        None => {
            let ops = names(line);
            if ops.is_empty() { Audit::All } else { Audit::Operations(ops) }
        }
    }
}

/// A scope rule; `None` when its operation is not one.
fn lower_scope_rule(rule: &GreenNodeData, nth: usize) -> Option<ScopeRule> {
    let operation = Operation::from_name(child_token(rule, SyntaxKind::KEYWORD)?)?;
    let condition = match condition(rule) {
        Some(c) if green::kind(c) == SyntaxKind::SHORT_FORM => None,
        Some(c) => Some(lower_cond(c)),
        None => Some(Cond::Comparison(String::new())),
    };
    let personas = block_lines(rule)
        .find(|l| green::kind(l) == SyntaxKind::AS_CLAUSE)
        .map(
            |clause| {
                if child_token(clause, SyntaxKind::STAR).is_some() { vec!["*".to_owned()] } else { names(clause) }
            },
        )
        .unwrap_or_default();
    Some(ScopeRule { operation, condition, personas, origin: Some(nth) })
}

/// One pass over the field's children: its first name and type, whether it is computed, and
/// its modifiers in order (in lists of their size: fields outlive the pass).
fn lower_field(field: &GreenNodeData) -> FieldItem {
    let mut item = FieldItem::default();
    let (mut named, mut typed, mut computed) = (false, false, false);
    let (mut modifiers, mut pii_args) = (Vec::new(), Vec::new());
    for child in green::child_nodes(field) {
        match green::kind(child) {
            SyntaxKind::NAME if !named => {
                named = true;
                item.name = first_ident(child).unwrap_or_default().to_owned();
            }
            SyntaxKind::FIELD_TYPE if !typed => {
                typed = true;
                item.ty = child_token(child, SyntaxKind::KEYWORD).unwrap_or_default().to_owned();
                item.target = ident_in(child, SyntaxKind::NAME_REF).map(str::to_owned);
            }
            SyntaxKind::COMPUTED => computed = true,
            SyntaxKind::MODIFIER => {
                if let Some(keyword) = child_token(child, SyntaxKind::KEYWORD) {
                    modifiers.push(keyword.to_owned());
                }
                for arg in green::descendants(child).filter(|n| green::kind(n) == SyntaxKind::ARG) {
                    if let Some(key) = child_token(arg, SyntaxKind::KEYWORD) {
                        let value = ident_in(arg, SyntaxKind::NAME_REF).unwrap_or_default();
                        pii_args.push((key.to_owned(), value.to_owned()));
                    }
                }
            }
            _ => {}
        }
    }
    if computed {
        item.ty = "computed".to_owned();
    }
    item.modifiers = modifiers.into_boxed_slice();
    item.pii_args = pii_args.into_boxed_slice();
    item
}

fn lower_access_block<'g>(block: &'g GreenNodeData, access: &mut AccessSpec, lines: &mut Vec<(&'g str, usize)>) {
    let Some(kind) = child_token(block, SyntaxKind::KEYWORD) else {
        return;
    };
    let slot = match lines.iter().position(|(seen, _)| *seen == kind) {
        Some(slot) => slot,
        None => {
            lines.push((kind, 0));
            lines.len() - 1
        }
    };
    for rule in block_lines(block).filter(|r| green::kind(r) == SyntaxKind::ACCESS_RULE) {
        let counter = &mut lines[slot].1;
        let line = *counter;
        *counter += 1;
        if kind == "visible" {
            access.visibility += 1;
            continue;
        }
        let Some(op) = child_token(rule, SyntaxKind::KEYWORD) else {
            continue;
        };
        let condition = condition(rule);
        let short = condition.filter(|c| green::kind(c) == SyntaxKind::SHORT_FORM).and_then(green::first_token);
        let cond = match (short, condition) {
            (Some(_), _) => None,
            (None, Some(c)) => Some(lower_cond(c)),
            (None, None) => Some(Cond::Comparison(String::new())),
        };
        let effect = if kind == "forbid" { Effect::Forbid } else { Effect::Permit };
        let mut push = |operation: Operation| {
            let mut rule = PermissionRule::new(operation, effect, cond.clone());
            rule.origin = Some((kind.to_owned(), line));
            match short {
                Some("false") => rule.deny_all = true,
                Some("anonymous") => rule.require_auth = false,
                _ => {}
            }
            access.permissions.push(rule);
        };
        match (kind, op) {
            ("access", "read") => {
                access.visibility += 1;
                push(Operation::Read);
            }
            ("access", "write") => {
                push(Operation::Create);
                push(Operation::Update);
            }
            (_, op) => {
                if let Some(operation) = Operation::from_name(op) {
                    push(operation);
                }
            }
        }
    }
}

/// The first child node that is a condition.
fn condition(node: &GreenNodeData) -> Option<&GreenNodeData> {
    green::child_nodes(node).find(|n| Condition::is_condition_kind(green::kind(n)))
}

/// Lowers a condition node into the IR tree.
fn lower_cond(cond: &GreenNodeData) -> Cond {
    let mut operands = green::child_nodes(cond).filter(|n| Condition::is_condition_kind(green::kind(n)));
    let mut next = || operands.next().map_or(Cond::Comparison(String::new()), lower_cond);
    match green::kind(cond) {
        SyntaxKind::OR_EXPR => {
            let a = next();
            Cond::Or(Box::new(a), Box::new(next()))
        }
        SyntaxKind::AND_EXPR => {
            let a = next();
            Cond::And(Box::new(a), Box::new(next()))
        }
        SyntaxKind::NOT_EXPR => Cond::Not(Box::new(next())),
        SyntaxKind::PAREN_EXPR => next(),
        SyntaxKind::ROLE_CHECK => Cond::Role(ident_in(cond, SyntaxKind::NAME_REF).unwrap_or_default().to_owned()),
        SyntaxKind::GRANT_CHECK => Cond::Grant {
            relation: child_token(cond, SyntaxKind::STRING).map(unquote).unwrap_or_default(),
            field: child_node(cond, SyntaxKind::NAME_REF).map(green::text).unwrap_or_default(),
        },
        SyntaxKind::VIA_EXPR => Cond::Via {
            junction: ident_in(cond, SyntaxKind::NAME_REF).unwrap_or_default().to_owned(),
            negated: child_token(cond, SyntaxKind::KEYWORD) == Some("not"),
        },
        // COMPARISON and SHORT_FORM: the normalized text.
        _ => Cond::Comparison(normalized(cond)),
    }
}
