//! The builder against rowan's own `GreenNodeBuilder`, which shares nothing: any sequence of
//! tokens and nodes, checkpoints included, must give an equal tree.

use proptest::prelude::*;
use rowan::{GreenNode, GreenNodeBuilder};

use super::{GreenBuilder, LOOKUPS_ON_TRIAL};
use crate::SyntaxKind::{self, *};

/// A tree to build: a token, or a node started before its children or wrapped around them
/// through a checkpoint.
#[derive(Debug, Clone)]
enum Tree {
    Token(SyntaxKind, &'static str),
    Node { kind: SyntaxKind, wrapped: bool, children: Vec<Tree> },
}

/// Few texts, so that tokens and small nodes repeat; strings and comments are never shared,
/// and a word can be re-tagged as a keyword.
const TOKENS: &[(SyntaxKind, &str)] = &[
    (IDENT, "a"),
    (IDENT, "role"),
    (KEYWORD, "role"),
    (NUMBER, "1"),
    (WHITESPACE, " "),
    (WHITESPACE, "  "),
    (WHITESPACE, "\t"),
    (COLON, ":"),
    (L_PAREN, "("),
    (NEWLINE, "\n"),
    (STRING, "\"s\""),
    (COMMENT, "# c"),
];

const NODES: &[SyntaxKind] = &[NAME_REF, NAME, FIELD, BLOCK, ITEM];

fn tree() -> impl Strategy<Value = Tree> {
    let leaf = prop::sample::select(TOKENS).prop_map(|(kind, text)| Tree::Token(kind, text));
    leaf.prop_recursive(6, 256, 12, |inner| {
        // Up to 11 children: past the largest node the builder shares.
        (prop::sample::select(NODES), any::<bool>(), prop::collection::vec(inner, 0..12))
            .prop_map(|(kind, wrapped, children)| Tree::Node { kind, wrapped, children })
    })
}

fn build(builder: &mut GreenBuilder<'static>, tree: &Tree) {
    match tree {
        Tree::Token(kind, text) => builder.token(*kind, text),
        Tree::Node { kind, wrapped: false, children } => {
            builder.start_node(*kind);
            children.iter().for_each(|child| build(builder, child));
            builder.finish_node();
        }
        Tree::Node { kind, wrapped: true, children } => {
            let checkpoint = builder.checkpoint();
            children.iter().for_each(|child| build(builder, child));
            builder.start_node_at(checkpoint, *kind);
            builder.finish_node();
        }
    }
}

fn build_with_rowan(builder: &mut GreenNodeBuilder<'static>, tree: &Tree) {
    match tree {
        Tree::Token(kind, text) => builder.token((*kind).into(), text),
        Tree::Node { kind, wrapped: false, children } => {
            builder.start_node((*kind).into());
            children.iter().for_each(|child| build_with_rowan(builder, child));
            builder.finish_node();
        }
        Tree::Node { kind, wrapped: true, children } => {
            let checkpoint = builder.checkpoint();
            children.iter().for_each(|child| build_with_rowan(builder, child));
            builder.start_node_at(checkpoint, (*kind).into());
            builder.finish_node();
        }
    }
}

fn ours(trees: &[Tree]) -> GreenNode {
    ours_and_shared_nodes(trees).0
}

/// Our tree, and how many nodes the builder shared on the way.
fn ours_and_shared_nodes(trees: &[Tree]) -> (GreenNode, usize) {
    let mut builder = GreenBuilder::with_capacity(0);
    builder.start_node(SOURCE_FILE);
    trees.iter().for_each(|tree| build(&mut builder, tree));
    builder.finish_node();
    let shared = builder.nodes.len();
    (builder.finish(), shared)
}

fn rowans(trees: &[Tree]) -> GreenNode {
    let mut builder = GreenNodeBuilder::new();
    builder.start_node(SOURCE_FILE.into());
    trees.iter().for_each(|tree| build_with_rowan(&mut builder, tree));
    builder.finish_node();
    builder.finish()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    #[test]
    fn builds_the_tree_rowan_builds(trees in prop::collection::vec(tree(), 0..8)) {
        prop_assert_eq!(ours(&trees), rowans(&trees));
    }
}

#[test]
fn an_empty_file_is_an_empty_root() {
    assert_eq!(ours(&[]), rowans(&[]));
}

/// Nodes over the same children that differ only in kind: every kind, around the same token
/// and around the same node, so that some of them meet in the table's probe groups.
#[test]
fn nodes_that_differ_only_in_kind_stay_apart() {
    let kinds = (0..).map_while(SyntaxKind::from_raw);
    let trees: Vec<Tree> = kinds
        .flat_map(|kind| {
            let inner = Tree::Node { kind: NAME_REF, wrapped: false, children: vec![Tree::Token(IDENT, "a")] };
            [
                Tree::Node { kind, wrapped: false, children: vec![Tree::Token(IDENT, "a")] },
                Tree::Node { kind, wrapped: false, children: vec![inner, Tree::Token(WHITESPACE, " ")] },
            ]
        })
        .collect();
    assert!(trees.len() > 200);
    assert_eq!(ours(&trees), rowans(&trees));
}

/// A kind whose nodes lookups keep missing (names that never repeat) is no longer looked up
/// once tried enough, while one found often enough keeps being shared; the tree is rowan's.
#[test]
fn a_kind_rarely_found_is_no_longer_looked_up() {
    let name = |text: String| Tree::Node {
        kind: NAME,
        wrapped: false,
        children: vec![Tree::Token(IDENT, Box::leak(text.into_boxed_str()))],
    };
    let distinct: Vec<Tree> = (0..200).map(|i| name(format!("n{i}"))).collect();
    let (tree, shared) = ours_and_shared_nodes(&distinct);
    assert_eq!(tree, rowans(&distinct));
    assert_eq!(shared, LOOKUPS_ON_TRIAL as usize);

    let half_found: Vec<Tree> =
        (0..200).map(|i| name(if i % 2 == 0 { "same".to_owned() } else { format!("n{i}") })).collect();
    let (tree, shared) = ours_and_shared_nodes(&half_found);
    assert_eq!(tree, rowans(&half_found));
    assert_eq!(shared, 101);
}
