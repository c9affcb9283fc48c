//! The access-control IR of an entity, as the reference's linker sees it: permission rules
//! (permit and forbid, in source order across blocks), scope rules and visibility rules, with
//! conditions as trees. Carries no offsets.

use std::fmt;

/// One of the five matrix operations, in the matrix's fixed order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Operation {
    /// `list`
    List,
    /// `read`
    Read,
    /// `create`
    Create,
    /// `update`
    Update,
    /// `delete`
    Delete,
}

impl Operation {
    /// All operations in matrix order.
    pub const ALL: [Operation; 5] =
        [Operation::List, Operation::Read, Operation::Create, Operation::Update, Operation::Delete];

    /// The operation's DSL spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Operation::List => "list",
            Operation::Read => "read",
            Operation::Create => "create",
            Operation::Update => "update",
            Operation::Delete => "delete",
        }
    }

    /// Parses a DSL spelling.
    pub fn from_name(name: &str) -> Option<Operation> {
        Operation::ALL.into_iter().find(|op| op.as_str() == name)
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Permit or forbid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Effect {
    /// A `permit:` rule (or a legacy `access:` / `permissions:` rule).
    Permit,
    /// A `forbid:` rule.
    Forbid,
}

/// A condition tree of an access rule.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Cond {
    /// `role(name)`
    Role(String),
    /// `has_grant("relation", field)`
    Grant {
        /// The relation named by the string.
        relation: String,
        /// The scope field.
        field: String,
    },
    /// `path op value`, or a bare path (`path = true`); kept as its normalised text.
    Comparison(String),
    /// `[not] via Junction(bindings)` (scope rules only).
    Via {
        /// The junction entity.
        junction: String,
        /// `not via`.
        negated: bool,
    },
    /// `a and b`
    And(Box<Cond>, Box<Cond>),
    /// `a or b`
    Or(Box<Cond>, Box<Cond>),
    /// `not (a)` — a compound node with only a left side.
    Not(Box<Cond>),
}

impl Cond {
    /// Whether the tree holds only role checks (`not (…)` never counts: its missing right side
    /// is not pure, as in the reference).
    pub fn is_pure_role(&self) -> bool {
        match self {
            Cond::Role(_) => true,
            Cond::And(a, b) | Cond::Or(a, b) => a.is_pure_role() && b.is_pure_role(),
            Cond::Not(_) | Cond::Grant { .. } | Cond::Comparison(_) | Cond::Via { .. } => false,
        }
    }

    /// For a tree of `role(…)` tests alone (see [`Cond::is_pure_role`]), whether it names
    /// `role`; `None` for a tree that tests anything else. One walk where the two take two.
    pub fn pure_role_mentions(&self, role: &str) -> Option<bool> {
        match self {
            Cond::Role(r) => Some(r == role),
            Cond::And(a, b) | Cond::Or(a, b) => Some(a.pure_role_mentions(role)? | b.pure_role_mentions(role)?),
            Cond::Not(_) | Cond::Grant { .. } | Cond::Comparison(_) | Cond::Via { .. } => None,
        }
    }

    /// Whether `role(role)` occurs anywhere in the tree.
    pub fn mentions_role(&self, role: &str) -> bool {
        match self {
            Cond::Role(r) => r == role,
            Cond::And(a, b) | Cond::Or(a, b) => a.mentions_role(role) || b.mentions_role(role),
            Cond::Not(a) => a.mentions_role(role),
            Cond::Grant { .. } | Cond::Comparison(_) | Cond::Via { .. } => false,
        }
    }

    /// Whether the tree filters rows: a comparison or a grant check anywhere.
    pub fn has_field_filter(&self) -> bool {
        match self {
            Cond::Grant { .. } | Cond::Comparison(_) => true,
            Cond::Role(_) | Cond::Via { .. } => false,
            Cond::And(a, b) | Cond::Or(a, b) => a.has_field_filter() || b.has_field_filter(),
            Cond::Not(a) => a.has_field_filter(),
        }
    }

    /// Whether a comparison in the tree names `field` (as a path segment).
    pub fn mentions_field(&self, field: &str) -> bool {
        match self {
            Cond::Comparison(text) => text.split(|c: char| !(c.is_alphanumeric() || c == '_')).any(|w| w == field),
            Cond::And(a, b) | Cond::Or(a, b) => a.mentions_field(field) || b.mentions_field(field),
            Cond::Not(a) => a.mentions_field(field),
            Cond::Role(_) | Cond::Grant { .. } | Cond::Via { .. } => false,
        }
    }

    /// Whether every row the condition admits is restricted on `field`: an equality (or `in`)
    /// comparison naming it, on both sides of an `or` and on either side of an `and`; a
    /// junction (`via J(…)`) restricts, `not (…)`, `not via` and `!=` do not.
    pub fn restricts_field(&self, field: &str) -> bool {
        match self {
            Cond::Comparison(text) => self.mentions_field(field) && !text.contains("!=") && !text.contains(" not in "),
            Cond::And(a, b) => a.restricts_field(field) || b.restricts_field(field),
            Cond::Or(a, b) => a.restricts_field(field) && b.restricts_field(field),
            Cond::Via { negated, .. } => !negated,
            Cond::Not(_) | Cond::Role(_) | Cond::Grant { .. } => false,
        }
    }

    /// Whether an `and` joins two role-only operands naming more than one role somewhere in the
    /// tree (`role(a) and role(a)` is just `role(a)`, at runtime as in the matrix).
    pub fn has_role_conjunction(&self) -> bool {
        match self {
            Cond::And(a, b) => {
                let distinct = || {
                    let mut roles = Vec::new();
                    self.roles(&mut roles);
                    roles.sort_unstable();
                    roles.dedup();
                    roles.len() > 1
                };
                (a.is_pure_role() && b.is_pure_role() && distinct())
                    || a.has_role_conjunction()
                    || b.has_role_conjunction()
            }
            Cond::Or(a, b) => a.has_role_conjunction() || b.has_role_conjunction(),
            Cond::Not(a) => a.has_role_conjunction(),
            _ => false,
        }
    }

    /// Whether the tree has a `not (…)`.
    pub fn has_negation(&self) -> bool {
        match self {
            Cond::Not(_) => true,
            Cond::And(a, b) | Cond::Or(a, b) => a.has_negation() || b.has_negation(),
            _ => false,
        }
    }

    /// Whether the tree has a `has_grant(…)`.
    pub fn has_grant(&self) -> bool {
        match self {
            Cond::Grant { .. } => true,
            Cond::And(a, b) | Cond::Or(a, b) => a.has_grant() || b.has_grant(),
            Cond::Not(a) => a.has_grant(),
            _ => false,
        }
    }

    /// Whether the tree has a field comparison.
    pub fn has_comparison(&self) -> bool {
        match self {
            Cond::Comparison(_) => true,
            Cond::And(a, b) | Cond::Or(a, b) => a.has_comparison() || b.has_comparison(),
            Cond::Not(a) => a.has_comparison(),
            _ => false,
        }
    }

    /// Every `role(x)` name in the tree, in order.
    pub fn roles(&self, out: &mut Vec<String>) {
        self.for_each_role(&mut |role| out.push(role.to_owned()));
    }

    /// Calls `f` with every `role(x)` name in the tree, left to right.
    pub fn for_each_role<'a>(&'a self, f: &mut impl FnMut(&'a str)) {
        match self {
            Cond::Role(r) => f(r),
            Cond::And(a, b) | Cond::Or(a, b) => {
                a.for_each_role(f);
                b.for_each_role(f);
            }
            Cond::Not(a) => a.for_each_role(f),
            Cond::Grant { .. } | Cond::Comparison(_) | Cond::Via { .. } => {}
        }
    }
}

impl fmt::Display for Cond {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cond::Role(r) => write!(f, "role({r})"),
            Cond::Grant { relation, field } => write!(f, "has_grant(\"{relation}\", {field})"),
            Cond::Comparison(text) => f.write_str(text),
            Cond::Via { junction, negated } => write!(f, "{}via {junction}(…)", if *negated { "not " } else { "" }),
            Cond::And(a, b) => write!(f, "{a} and {b}"),
            Cond::Or(a, b) => write!(f, "{a} or {b}"),
            Cond::Not(a) => write!(f, "not ({a})"),
        }
    }
}

/// A permission rule: `op: condition` in `permit:` / `forbid:` / `access:` / `permissions:`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PermissionRule {
    /// The operation.
    pub operation: Operation,
    /// Permit or forbid.
    pub effect: Effect,
    /// The condition; `None` for `authenticated` / `anonymous` / `false`.
    pub condition: Option<Cond>,
    /// Personas named outside the condition (only framework-injected rules have any).
    pub personas: Vec<String>,
    /// `permit: op: false`: matches nobody.
    pub deny_all: bool,
    /// `authenticated` (or a condition) rather than `anonymous`.
    pub require_auth: bool,
    /// Where the rule was written: the block keyword and the rule's line number among the
    /// lines of all such blocks of the entity (`None` for framework rules).
    pub origin: Option<(String, usize)>,
}

impl PermissionRule {
    /// A rule with a condition (or none) and no personas.
    pub fn new(operation: Operation, effect: Effect, condition: Option<Cond>) -> PermissionRule {
        PermissionRule {
            operation,
            effect,
            condition,
            personas: Vec::new(),
            deny_all: false,
            require_auth: true,
            origin: None,
        }
    }
}

/// A scope rule: `op: all | condition` + `as: personas`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ScopeRule {
    /// The operation.
    pub operation: Operation,
    /// The row filter; `None` for `all`.
    pub condition: Option<Cond>,
    /// The `as:` list (`*` for everyone).
    pub personas: Vec<String>,
    /// The rule's index among the entity's scope rules (`None` for framework rules).
    pub origin: Option<usize>,
}

/// The access spec of an entity. The reference has none at all when an entity declares no
/// permit, forbid, scope, visible, access or permissions rule.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct AccessSpec {
    /// Number of visibility rules (the matrix ignores them).
    pub visibility: usize,
    /// Permit and forbid rules in source order.
    pub permissions: Vec<PermissionRule>,
    /// Scope rules in source order.
    pub scopes: Vec<ScopeRule>,
}

impl AccessSpec {
    /// Whether the entity declared any access rule (the reference's `access is not None`).
    pub fn is_declared(&self) -> bool {
        self.visibility > 0 || !self.permissions.is_empty() || !self.scopes.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::Cond;

    fn cond() -> impl Strategy<Value = Cond> {
        let leaf = prop_oneof![
            3 => prop::sample::select(vec!["admin", "agent", "x"]).prop_map(|r| Cond::Role(r.to_owned())),
            1 => Just(Cond::Comparison("a = b".to_owned())),
            1 => Just(Cond::Grant { relation: "r".to_owned(), field: "f".to_owned() }),
            1 => Just(Cond::Via { junction: "J".to_owned(), negated: false }),
        ];
        leaf.prop_recursive(4, 24, 2, |inner| {
            prop_oneof![
                2 => (inner.clone(), inner.clone()).prop_map(|(a, b)| Cond::And(Box::new(a), Box::new(b))),
                2 => (inner.clone(), inner.clone()).prop_map(|(a, b)| Cond::Or(Box::new(a), Box::new(b))),
                1 => inner.prop_map(|a| Cond::Not(Box::new(a))),
            ]
        })
    }

    proptest! {
        /// The one walk answers as the two walks it replaces.
        #[test]
        fn pure_role_mentions_is_pure_role_then_mentions_role(c in cond(), role in "admin|agent|y") {
            prop_assert_eq!(c.pure_role_mentions(&role), c.is_pure_role().then(|| c.mentions_role(&role)));
        }
    }
}
