//! Property tests of two rule families against oracles written here, from the specification
//! (security-semantics §3.4 and §4) rather than from the implementation:
//!
//! - `missing-audit`: for generated projects (random fields, `classify` lines, `signable:` and
//!   `audit:` lines in any order and number, the app's `audit_trail`, framework-like names and
//!   markers, both dialects), the findings equal a direct evaluation of the decision table —
//!   which entities are reported and on which line;
//! - `anti-turing`: allowed calls nested at random depth in random constructs are never a
//!   finding, and a control-flow keyword inserted on any line is exactly one finding, on it.

use dazzle_analysis::diagnostics::Diagnostic;
use dazzle_analysis::{AnalysisHost, Durability};
use dazzle_syntax::Dialect;
use proptest::prelude::*;

const MANIFEST: &str = "[project]\nname = \"p\"\nroot = \"p.core\"\n";

/// The diagnostics of a one-file project.
fn diagnostics(text: &str, dialect: Dialect) -> Vec<Diagnostic> {
    let mut host = AnalysisHost::default();
    let file = host.add_file("app.dsl", text, dialect, Durability::LOW);
    let project = host.add_project(Some(MANIFEST), &[file], Some(dialect));
    host.analysis().file_diagnostics(project, file).expect("not cancelled")
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset].matches('\n').count() + 1
}

fn dialect(old: bool) -> Dialect {
    if old { Dialect::V0_112 } else { Dialect::V0_125 }
}

// ------------------------------------------------------------------------------ missing-audit

#[derive(Debug, Clone, Copy, PartialEq)]
enum FieldKind {
    Plain,
    Pii,
    SpecialCategory,
    Sensitive,
}

#[derive(Debug, Clone, PartialEq)]
enum AuditValue {
    All,
    True,
    False,
    EmptyList,
    Operations(Vec<&'static str>, bool),
}

#[derive(Debug, Clone, PartialEq)]
enum BodyLine {
    Field(FieldKind),
    Audit(AuditValue),
    Signable(bool),
}

#[derive(Debug, Clone)]
struct EntitySpec {
    name: &'static str,
    marker: Option<&'static str>,
    lines: Vec<BodyLine>,
    classify: Vec<(usize, &'static str)>,
}

#[derive(Debug, Clone)]
struct AuditProject {
    audit_trail: bool,
    old_dialect: bool,
    entities: Vec<EntitySpec>,
}

const NAMES: &[&str] =
    &["Customer", "AuditEntry", "SystemHealth", "ProcessRun", "Invoice", "Note", "LogEntry", "User", "Visit"];
const CLASSES: &[&str] = &[
    "pii_direct",
    "PII_INDIRECT",
    "pii_sensitive",
    "financial_txn",
    "FINANCIAL_ACCOUNT",
    "business_internal",
    "public",
    "unclassified",
    "pii_bogus",
];
const MARKERS: &[&str] = &["patterns: system", "domain: platform", "archetype: user"];

fn body_line() -> impl Strategy<Value = BodyLine> {
    let field = prop_oneof![
        Just(FieldKind::Plain),
        Just(FieldKind::Pii),
        Just(FieldKind::SpecialCategory),
        Just(FieldKind::Sensitive)
    ];
    let ops = prop::sample::subsequence(vec!["create", "read", "update", "delete", "list"], 1..=3);
    let audit = prop_oneof![
        Just(AuditValue::All),
        Just(AuditValue::True),
        Just(AuditValue::False),
        Just(AuditValue::EmptyList),
        (ops, any::<bool>()).prop_map(|(o, commas)| AuditValue::Operations(o, commas)),
    ];
    prop_oneof![
        4 => field.prop_map(BodyLine::Field),
        3 => audit.prop_map(BodyLine::Audit),
        1 => any::<bool>().prop_map(BodyLine::Signable),
    ]
}

fn entity(name: &'static str) -> impl Strategy<Value = EntitySpec> {
    (
        prop::option::weighted(0.3, prop::sample::select(MARKERS)),
        prop::collection::vec(body_line(), 0..7),
        prop::collection::vec((0usize..6, prop::sample::select(CLASSES)), 0..3),
    )
        .prop_map(move |(marker, lines, classify)| EntitySpec { name, marker, lines, classify })
}

fn audit_project() -> impl Strategy<Value = AuditProject> {
    (any::<bool>(), any::<bool>(), prop::sample::subsequence(NAMES, 1..=5))
        .prop_flat_map(|(audit_trail, old_dialect, names)| {
            let entities: Vec<_> = names.into_iter().map(entity).collect();
            (Just(audit_trail), Just(old_dialect), entities)
        })
        .prop_map(|(audit_trail, old_dialect, entities)| AuditProject { audit_trail, old_dialect, entities })
}

/// An expected finding: entity, 1-based line, and whether it is the special-category one.
type Expected = (String, usize, bool);

/// Renders the project and evaluates the §3.4 decision table on the specification itself.
fn render_audit(project: &AuditProject) -> (String, Vec<Expected>) {
    let mut text = String::from("module p.core\napp p \"P\":\n  security_profile: standard\n");
    if project.audit_trail {
        text.push_str("  audit_trail: true\n");
    }
    text.push_str("\npersona admin \"Admin\":\n  description: \"a\"\n");
    let mut expected = Vec::new();
    let mut policies = Vec::new();
    for e in &project.entities {
        text.push('\n');
        let name_line = text.matches('\n').count() + 1;
        text.push_str(&format!("entity {} \"{}\":\n  id: uuid pk\n", e.name, e.name));
        if let Some(marker) = e.marker {
            text.push_str(&format!("  {marker}\n"));
        }
        let mut fields = Vec::new();
        let mut last_audit: Option<(usize, &AuditValue)> = None;
        let mut signable = false;
        for line in &e.lines {
            let here = text.matches('\n').count() + 1;
            match line {
                BodyLine::Field(kind) => {
                    let ty = match kind {
                        FieldKind::Plain => "str(50)",
                        FieldKind::Pii => "email pii(category=contact)",
                        FieldKind::SpecialCategory => "text pii(category=health, sensitivity=special_category)",
                        FieldKind::Sensitive => "text sensitive",
                    };
                    text.push_str(&format!("  f{}: {ty}\n", fields.len()));
                    fields.push(*kind);
                }
                BodyLine::Audit(value) => {
                    let written = match value {
                        AuditValue::All => "all".to_owned(),
                        AuditValue::True => "true".to_owned(),
                        AuditValue::False => "false".to_owned(),
                        AuditValue::EmptyList => "[]".to_owned(),
                        AuditValue::Operations(ops, true) => format!("[{}]", ops.join(", ")),
                        AuditValue::Operations(ops, false) => format!("[{}]", ops.join(" ")),
                    };
                    text.push_str(&format!("  audit: {written}\n"));
                    last_audit = Some((here, value));
                }
                BodyLine::Signable(on) => {
                    text.push_str(&format!("  signable: {on}\n"));
                    signable = *on;
                }
            }
        }
        let mut classified = false;
        for (field, class) in &e.classify {
            if *field < fields.len() {
                policies.push(format!("  classify {}.f{field} as {class}\n", e.name));
                let lower = class.to_lowercase();
                classified |= ["pii_direct", "pii_indirect", "pii_sensitive", "financial_txn", "financial_account"]
                    .contains(&lower.as_str());
            }
        }
        let required = signable || classified || fields.iter().any(|k| *k != FieldKind::Plain);
        // None: not audited; Some(None): every operation; Some(Some(ops)): those operations.
        let audited: Option<Option<&Vec<&str>>> = match last_audit {
            Some((_, AuditValue::False)) => None,
            Some((_, AuditValue::Operations(ops, _))) => Some(Some(ops)),
            Some(_) => Some(None),
            None if signable || project.audit_trail => Some(None),
            None => None,
        };
        if !required {
            continue;
        }
        match audited {
            None => expected.push((e.name.to_owned(), last_audit.map_or(name_line, |(l, _)| l), false)),
            Some(Some(ops)) if fields.contains(&FieldKind::SpecialCategory) && !ops.contains(&"read") => {
                expected.push((e.name.to_owned(), last_audit.map_or(name_line, |(l, _)| l), true));
            }
            Some(_) => {}
        }
    }
    if !policies.is_empty() {
        text.push_str("\npolicies:\n");
        text.extend(policies);
    }
    expected.sort();
    (text, expected)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn missing_audit_follows_the_decision_table(project in audit_project()) {
        let (text, expected) = render_audit(&project);
        let mut found: Vec<Expected> = diagnostics(&text, dialect(project.old_dialect))
            .into_iter()
            .filter(|d| d.code == "missing-audit")
            .map(|d| {
                let entity = d.message.split('\'').nth(1).unwrap_or_default().to_owned();
                let special = d.message.contains("special-category");
                (entity, line_of(&text, usize::from(d.range.start())), special)
            })
            .collect();
        found.sort();
        prop_assert_eq!(found, expected, "{}", text);
    }
}

// -------------------------------------------------------------------------------- anti-turing

/// §4: the reference's allow-list, and its type keywords, which it also accepts as calls.
const ALLOWED: &[&str] = &[
    "avg",
    "bucket",
    "config",
    "count",
    "cron",
    "days_since",
    "days_until",
    "env",
    "in",
    "length",
    "lower",
    "max",
    "min",
    "now",
    "persona",
    "regex",
    "role",
    "sum",
    "today",
    "upper",
    "str",
    "text",
    "int",
    "decimal",
    "bool",
    "date",
    "datetime",
    "uuid",
    "email",
    "ref",
    "money",
    "json",
];

/// §4: the reference's banned words.
const BANNED: &[&str] = &[
    "if", "else", "elif", "then", "for", "while", "loop", "repeat", "each", "def", "fn", "function", "lambda", "match",
    "case", "switch", "return", "yield", "await", "break", "continue",
];

/// An expression of allowed calls nested at random depth, with operators between them.
fn allowed_expression() -> impl Strategy<Value = String> {
    let leaf =
        prop::sample::select(vec!["amount", "qty", "Order.qty", "created", "\"x\"", "3", "7d"]).prop_map(String::from);
    leaf.prop_recursive(5, 32, 3, |inner| {
        prop_oneof![
            3 => (prop::sample::select(ALLOWED), prop::collection::vec(inner.clone(), 0..3), any::<bool>()).prop_map(
                |(name, args, upper)| {
                    let name = if upper { name.to_uppercase() } else { name.to_owned() };
                    format!("{name}({})", args.join(", "))
                }
            ),
            1 => (inner.clone(), prop::sample::select(vec!["+", "-", "*", "/", ">", "<=", "=", "and", "or"]), inner)
                .prop_map(|(a, op, b)| format!("{a} {op} {b}")),
        ]
    })
}

/// Where an expression goes: `(section, line template)`; `{e}` is the expression.
const SLOTS: &[(&str, &str)] = &[
    ("entity", "  c{n}: computed {e}"),
    ("entity", "  invariant: {e}"),
    ("transition", "    draft -> done: guard: {e}"),
    ("persona", "  goals: {e}"),
    ("persona", "  unknown_{n}: {e}"),
    ("region", "    filter: {e}"),
    ("region", "    group_by: {e}"),
    ("aggregate", "      m{n}: {e}"),
    ("surface", "    field qty \"Qty\" when: {e}"),
    ("surface", "    field amount \"Amount\" visible: {e}"),
    ("process", "    - step s{n}:\n        condition: {e}\n        service: worker"),
    ("process_key", "  unknown_{n}: {e}"),
    ("unknown", "  key_{n}: {e}"),
];

/// A project whose expressions are generated, and which also uses banned words as names in
/// every way the specification allows (enum values, lone values, keys, comparisons, names).
fn clean_project(placements: &[(usize, String)]) -> String {
    let mut parts: std::collections::BTreeMap<&str, Vec<String>> = std::collections::BTreeMap::new();
    for (n, (slot, e)) in placements.iter().enumerate() {
        let (section, template) = SLOTS[*slot % SLOTS.len()];
        parts.entry(section).or_default().push(template.replace("{n}", &n.to_string()).replace("{e}", e));
    }
    let get = |s: &str| parts.get(s).map(|v| v.join("\n") + "\n").unwrap_or_default();
    format!(
        "module p.core\napp p \"P\":\n  security_profile: standard\n\npersona admin \"Admin\":\n  description: \"a\"\n{}\
         \nentity Order \"Order\":\n  id: uuid pk\n  amount: decimal(10,2)\n  qty: int\n  created: datetime\n  \
         state: enum[draft, done, case, return, switch] = draft\n  loop: bool = false\n  else: str(10)\n{}  transitions:\n    \
         draft -> done: role(admin)\n{}  permit:\n    read: role(admin)\n  scope:\n    read: state = case\n      as: \
         admin\n  audit: all\n\nsurface order_view \"Orders\":\n  uses entity Order\n  mode: view\n  section case \
         \"Case\":\n    field return \"Return\"\n    field state \"State\" widget=switch\n{}\nworkspace desk \"Desk\":\n  \
         access: persona(admin)\n  nav_group \"Main\":\n    return\n    case\n  orders:\n    source: Order\n{}    aggregate:\n      total: count(Order)\n{}\n\
         process fulfil \"Fulfil\":\n  trigger:\n    when: entity Order created\n  steps:\n    - step match:\n        \
         service: matcher\n        on_failure: continue\n{}{}\nthing extra \"Extra\":\n  then: done\n{}",
        get("persona"),
        get("entity"),
        get("transition"),
        get("surface"),
        get("region"),
        get("aggregate"),
        get("process"),
        get("process_key"),
        get("unknown"),
    )
}

fn anti_turing(text: &str, old: bool) -> Vec<Diagnostic> {
    diagnostics(text, dialect(old)).into_iter().filter(|d| d.code == "anti-turing").collect()
}

/// The lines after which a line at the same indentation is a sibling: lines not followed by a
/// deeper one.
fn leaf_lines(text: &str) -> Vec<usize> {
    let lines: Vec<&str> = text.lines().collect();
    let indent = |l: &str| l.len() - l.trim_start().len();
    (0..lines.len())
        .filter(|&i| !lines[i].trim().is_empty())
        .filter(|&i| lines[i + 1..].iter().find(|l| !l.trim().is_empty()).is_none_or(|n| indent(n) <= indent(lines[i])))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn allowed_calls_are_never_findings(
        placements in prop::collection::vec((0..SLOTS.len(), allowed_expression()), 1..10),
        old in any::<bool>(),
    ) {
        let text = clean_project(&placements);
        let found = anti_turing(&text, old);
        prop_assert!(found.is_empty(), "{:?}\n{}", found, text);
    }

    #[test]
    fn a_banned_keyword_on_any_line_is_exactly_one_finding(
        placements in prop::collection::vec((0..SLOTS.len(), allowed_expression()), 0..5),
        old in any::<bool>(),
        at in any::<prop::sample::Index>(),
        word in prop::sample::select(BANNED),
        form in 0..5usize,
    ) {
        let clean = clean_project(&placements);
        let leaves = leaf_lines(&clean);
        let after = leaves[at.index(leaves.len())];
        let lines: Vec<&str> = clean.lines().collect();
        let indent = &lines[after][..lines[after].len() - lines[after].trim_start().len()];
        let inserted = match form {
            0 => format!("{indent}{word} ready"),
            1 => format!("{indent}inserted_key: {word} ready"),
            2 => format!("{indent}filter: qty > count(Order) and {word} ready"),
            3 => format!("{indent}label_x: qty = {word} ready"),
            _ => format!("{indent}field qty \"Q\" visible: {word} ready"),
        };
        let mut text = lines[..=after].join("\n");
        let start = text.len() + 1 + inserted.find(word).expect("the word is in it");
        text.push('\n');
        text.push_str(&inserted);
        text.push('\n');
        text.push_str(&lines[after + 1..].join("\n"));
        text.push('\n');
        let found = anti_turing(&text, old);
        prop_assert_eq!(found.len(), 1, "{:?}\n{}", found, text);
        prop_assert_eq!(usize::from(found[0].range.start()), start);
        prop_assert_eq!(usize::from(found[0].range.end()), start + word.len());
    }
}
