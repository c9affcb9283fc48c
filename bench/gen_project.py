#!/usr/bin/env python3
"""Generate a large, valid Dazzle project for benchmarks (stdlib only).

    bench/gen_project.py OUT_DIR [--lines 50000] [--files 24]

Writes OUT_DIR/dazzle.toml and OUT_DIR/dsl/*.dsl: a root module with the app and personas,
and modules of entities (fields, transitions, permit/scope/audit), surfaces and workspaces,
each `use`-ing the root. Both dazzle-lsp and `dazzle` (0.125 and 0.112) accept it.
"""
import argparse
import pathlib

PERSONAS = ["admin", "manager", "agent", "auditor", "customer", "partner"]


def entity(module: int, i: int) -> str:
    name = f"Thing{module}x{i}"
    p = PERSONAS
    return f'''# {name}: generated entity {i} of module {module}
entity {name} "Thing {module}.{i}":
  intent: "A generated record for benchmarks"
  domain: bench
  display_field: title
  id: uuid pk
  title: str(200) required searchable
  code: str(40) unique
  email: email pii(category=contact)
  amount: decimal(12,2) = 0
  quantity: int = 1
  due_on: date = today + 30d
  status: enum[draft, active, archived] = draft
  owner: ref Owner{module} required
  notes: text
  created_at: datetime auto_add
  updated_at: datetime auto_update

  transitions:
    draft -> active: requires owner
    active -> archived: role({p[0]})

  permit:
    list: role({p[0]}) or role({p[1]}) or role({p[2]})
    read: role({p[0]}) or role({p[1]}) or role({p[2]}) or role({p[3]})
    create: role({p[1]}) or role({p[2]})
    update: role({p[1]}) or role({p[2]})
    delete: role({p[0]})

  forbid:
    delete: role({p[4]})

  scope:
    list: owner = current_user and status != archived
      as: {p[2]}
    list: all
      as: {p[0]}, {p[1]}
    read: all
      as: {p[3]}
    create: all
      as: {p[1]}, {p[2]}
    update: owner = current_user
      as: {p[2]}
    update: all
      as: {p[1]}
    delete: all
      as: {p[0]}

  audit: [create, update, delete]

surface thing{module}x{i}_list "Things {module}.{i}":
  uses entity {name}
  mode: list
  access: persona({p[0]}, {p[1]}, {p[2]})
  section main "Main":
    field title "Title"
    field status "Status"
    field due_on "Due"

workspace desk{module}x{i} "Desk {module}.{i}":
  purpose: "Work the queue"
  access: persona({p[2]})
  queue:
    source: {name}
    filter: status = active
    display: list
    limit: 20

'''


def owner(module: int) -> str:
    return f'''entity Owner{module} "Owner {module}":
  id: uuid pk
  name: str(120) required
  permit:
    list: authenticated
    read: authenticated
    create: role(admin)
    update: role(admin)
    delete: role(admin)
  scope:
    list: all
      as: *
    create: all
      as: admin
    update: all
      as: admin
    delete: all
      as: admin

'''


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out")
    ap.add_argument("--lines", type=int, default=50_000)
    ap.add_argument("--files", type=int, default=24)
    a = ap.parse_args()
    out = pathlib.Path(a.out)
    (out / "dsl").mkdir(parents=True, exist_ok=True)
    (out / "dazzle.toml").write_text(
        '[project]\nname = "bench"\nversion = "0.1.0"\nroot = "bench.core"\n\n[modules]\npaths = ["./dsl"]\n'
    )
    root = ['module bench.core\n\napp bench "Benchmark":\n  security_profile: standard\n\n']
    for p in PERSONAS:
        root.append(f'persona {p} "{p.title()}":\n  description: "The {p} persona"\n\n')
    (out / "dsl" / "app.dsl").write_text("".join(root))
    modules = max(1, a.files - 1)
    per_entity = entity(0, 0).count("\n")
    per_module = max(1, -(-a.lines // modules) // per_entity + 1)
    total = 0
    for m in range(modules):
        text = [f"module bench.m{m}\nuse bench.core\n\n", owner(m)]
        text += [entity(m, i) for i in range(per_module)]
        body = "".join(text)
        total += body.count("\n")
        (out / "dsl" / f"m{m:03d}.dsl").write_text(body)
    print(f"{out}: {modules + 1} files, {total} lines")


if __name__ == "__main__":
    main()
