//! Generated files for the tests of what must not change a parse (the line memo, the pieces):
//! lines of every context, at every indentation, repeated in the same and in other contexts.

use proptest::prelude::*;

/// Lines of every context: the header (whose flags a line may change), constructs, entity
/// bodies, access and scope rules, generic lines, strings, comments, 0.112-only syntax,
/// and lines in error (which are never kept).
const LINES: &[&str] = &[
    "module shop.core",
    "use shop.shared",
    "app shop \"Shop\":",
    "app shop",
    "entity Task \"Task\":",
    "entity Task:",
    "archetype Audited:",
    "persona admin \"Admin\":",
    "surface task_list \"Tasks\":",
    "workspace desk \"Desk\":",
    "view v \"V\":",
    "bogus top level",
    "id: uuid pk",
    "name: str(200) required searchable",
    "email: email pii(category=contact)",
    "status: enum[draft, live] = draft",
    "owner: ref User required",
    "total: computed a + b",
    "intent: \"A record\"",
    "soft_delete",
    "unique name, owner",
    "publish Changed when created",
    "permit:",
    "forbid:",
    "scope:",
    "transitions:",
    "audit: all",
    "audit: [create, read]",
    "list: role(admin) or role(agent)",
    "read: authenticated",
    "create: false",
    "update: owner = current_user and status != archived",
    "delete: role(admin) and not role(agent)",
    "read: via Membership(thing = id, user = current_user)",
    "list: all",
    "as: admin",
    "as: *",
    "draft -> live: requires owner",
    "key: value",
    "field name \"Name\"",
    "section main:",
    "mode: list",
    "access: persona(admin, agent)",
    "queue:",
    "source: Task",
    "show_aggregate: count",
    "# a comment",
    "id: uuid pk # trailing comment",
    "\"unterminated",
    ":",
    "permit",
    "id uuid",
    "read: role(",
    "123 abc",
];

/// A chunk of lines, each at an indentation (spaces or a tab).
fn chunk() -> impl Strategy<Value = Vec<(usize, usize)>> {
    prop::collection::vec((0usize..5, 0..LINES.len()), 1..8)
}

/// Chunks, each repeated, so that lines recur in the same and in other contexts.
pub(crate) fn file() -> impl Strategy<Value = String> {
    let chunks = prop::collection::vec((chunk(), 1usize..4), 1..6);
    (chunks, any::<bool>()).prop_map(|(chunks, crlf)| {
        let newline = if crlf { "\r\n" } else { "\n" };
        let mut text = String::new();
        for (lines, times) in chunks {
            for _ in 0..times {
                for &(depth, line) in &lines {
                    let indent = if depth == 4 { "\t".to_owned() } else { "  ".repeat(depth) };
                    text.push_str(&indent);
                    text.push_str(LINES[line]);
                    text.push_str(newline);
                }
            }
        }
        text
    })
}
