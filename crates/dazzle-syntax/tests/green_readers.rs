//! The green-tree readers (and `Condition::is_condition_kind`) answer as the red tree and its
//! views do, on every node of every `.dsl` file of the repository, parsed in both dialects.

mod common;

use dazzle_syntax::{Condition, Dialect, NodeOrToken, SyntaxKind, SyntaxNode, green, parse};

fn first_token_of(node: &SyntaxNode, kind: SyntaxKind, deep: bool) -> Option<String> {
    let tokens: Vec<_> = if deep {
        node.descendants_with_tokens().filter_map(NodeOrToken::into_token).collect()
    } else {
        node.children_with_tokens().filter_map(NodeOrToken::into_token).collect()
    };
    tokens.into_iter().find(|t| t.kind() == kind).map(|t| t.text().to_owned())
}

fn check(red: &SyntaxNode, green: &dazzle_syntax::GreenNode) {
    let reds: Vec<SyntaxNode> = red.descendants().collect();
    let greens: Vec<_> = green::descendants(green).collect();
    assert_eq!(reds.len(), greens.len());
    for (r, g) in reds.iter().zip(greens) {
        assert_eq!(r.kind(), green::kind(g));
        assert_eq!(Condition::cast(r.clone()).is_some(), Condition::is_condition_kind(green::kind(g)));
        assert_eq!(r.text().to_string(), green::text(g));
        assert_eq!(r.first_token().map(|t| t.text().to_owned()).as_deref(), green::first_token(g));
        assert_eq!(r.last_token().map(|t| t.text().to_owned()).as_deref(), green::last_token(g));
        assert_eq!(first_token_of(r, SyntaxKind::IDENT, true).as_deref(), green::first_ident(g));
        for kind in [SyntaxKind::KEYWORD, SyntaxKind::STRING, SyntaxKind::STAR] {
            assert_eq!(first_token_of(r, kind, false).as_deref(), green::child_token(g, kind));
        }
        for kind in [SyntaxKind::NAME, SyntaxKind::NAME_REF, SyntaxKind::BLOCK] {
            let child = r.children().find(|c| c.kind() == kind);
            assert_eq!(child.map(|c| c.text().to_string()), green::child_node(g, kind).map(green::text));
        }
        let lines: Vec<SyntaxKind> = r
            .children()
            .find(|c| c.kind() == SyntaxKind::BLOCK)
            .into_iter()
            .flat_map(|b| b.children())
            .map(|l| l.kind())
            .collect();
        assert_eq!(lines, green::block_lines(g).map(green::kind).collect::<Vec<_>>());
    }
}

#[test]
fn green_readers_agree_with_the_red_tree() {
    for text in common::repository_dsl_texts() {
        for dialect in [Dialect::V0_112, Dialect::V0_125] {
            let parsed = parse(&text, dialect);
            check(&parsed.syntax(), parsed.green());
        }
    }
}
