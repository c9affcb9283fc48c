//! Parse throughput on a generated file of realistic Dazzle (entities with fields, permit,
//! scope and audit blocks, personas, surfaces and workspaces): `cargo bench -p dazzle-syntax`.
//! The file (1.2 MB) is large enough to be parsed in pieces, one per core (`pieces.rs`);
//! `taskset -c 0 cargo bench -p dazzle-syntax` gives the one-core figure.

use dazzle_syntax::{Dialect, parse};
use divan::counter::BytesCount;
use std::fmt::Write;

/// The allocator the shipped binary uses, so the figures are the product's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    divan::main();
}

/// About 60 lines per entity group; `groups` of them.
fn generate(groups: usize) -> String {
    let mut out =
        String::from("module bench.big\nuse bench.shared\n\napp big \"Big\":\n  security_profile: standard\n\n");
    for i in 0..groups {
        let _ = write!(
            out,
            "# Entity group {i}\n\
persona role{i} \"Role {i}\":\n  description: \"Persona number {i}\"\n  goals: \"a\", \"b\"\n\n\
entity Thing{i} \"Thing {i}\":\n  intent: \"Generated entity {i}\"\n  id: uuid pk\n  \
name: str(200) required searchable\n  email: email pii(category=contact)\n  amount: decimal(10,2) = 0\n  \
status: enum[draft, live, archived] = draft\n  owner: ref User required\n  created_at: datetime auto_add\n  \
due: date = today + 30d\n\n  transitions:\n    draft -> live: requires owner\n    live -> archived: role(admin)\n\n  \
permit:\n    list: role(role{i}) or role(admin)\n    read: role(role{i}) or role(admin)\n    create: authenticated\n    \
update: role(admin)\n    delete: false\n\n  scope:\n    list: owner = current_user and status != archived\n      as: role{i}\n    \
read: via Membership{i}(thing = id, user = current_user)\n      as: role{i}\n    list: all\n      as: admin\n\n  audit: all\n\n\
surface thing{i}_list \"Things {i}\":\n  uses entity Thing{i}\n  mode: list\n  access: persona(role{i}, admin)\n  \
section main:\n    field name \"Name\"\n    field status \"Status\" width: 20%\n\n\
workspace desk{i} \"Desk {i}\":\n  purpose: \"Work on things\"\n  access: persona(role{i})\n  queue:\n    source: Thing{i}\n    \
filter: status = live\n    display: list\n\n"
        );
    }
    out
}

#[divan::bench(args = [1_000])]
fn parse_generated_file(bencher: divan::Bencher, groups: usize) {
    let text = generate(groups);
    assert!(text.lines().count() >= 50_000, "only {} lines", text.lines().count());
    assert!(parse(&text, Dialect::V0_125).errors().is_empty());
    bencher.counter(BytesCount::of_str(&text)).bench(|| parse(divan::black_box(&text), Dialect::V0_125));
}

#[divan::bench(args = [1_000])]
fn lex_generated_file(bencher: divan::Bencher, groups: usize) {
    let text = generate(groups);
    bencher.counter(BytesCount::of_str(&text)).bench(|| dazzle_syntax::lex(divan::black_box(&text)));
}
