#!/usr/bin/env python3
"""Differential test of `dazzle-lsp diff` on real projects with random access edits.

For every project of the conformance kit, and several random rounds each: the project is
committed to a scratch git repository, a few lines of its `permit:` / `forbid:` / `scope:`
blocks are mutated at random (a persona swapped or added, a rule dropped or opened to every
user, a scope condition replaced, an `as:` list changed, an operation renamed), and committed
again. Then `dazzle-lsp diff --base HEAD~1 --head HEAD --format json` must report exactly the
cells that differ between `matrix --format json` of the two revisions — compared here, cell by
cell, with the classification written independently below. With --reference, the same check
is made against the reference's own `dazzle rbac matrix --format json` at both revisions, for
the projects the reference can load.

usage: tests/diff_differential.py KIT_DIR [--rounds N] [--seed S] [--reference PATH/TO/dazzle]
       (the binary: $DAZZLE_LSP, default target/release/dazzle-lsp)
"""

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

OPERATIONS = ["list", "read", "create", "update", "delete"]
# How much a decision opens (the documented order of docs/rules/access-widened.md).
BREADTH = {
    "DENY": 0,
    "PERMIT_NO_SCOPE": 1,
    "PERMIT_SCOPED": 2,
    "PERMIT_FILTERED": 2,
    "PERMIT": 3,
    "PERMIT_UNPROTECTED": 4,
}
ACCESS_BLOCKS = ("permit:", "forbid:", "scope:")

GIT_ENV = dict(
    os.environ,
    GIT_AUTHOR_NAME="t",
    GIT_AUTHOR_EMAIL="t@example.com",
    GIT_COMMITTER_NAME="t",
    GIT_COMMITTER_EMAIL="t@example.com",
    GIT_CONFIG_GLOBAL="/dev/null",
    GIT_CONFIG_SYSTEM="/dev/null",
)


def git(repo, *args):
    subprocess.run(["git", *args], cwd=repo, env=GIT_ENV, check=True, capture_output=True)


def expected(base, head):
    """The changes between two matrix documents: {(entity, persona, op): (before, after, kind)}."""

    def table(doc):
        cells = {(c["entity"], c["role"], c["operation"]): c["decision"] for c in doc["cells"]}
        return cells, set(doc["roles"]), set(doc["entities"])

    (bc, br, be), (hc, hr, he) = table(base), table(head)
    out = {}
    for entity in be | he:
        for role in br | hr:
            for op in OPERATIONS:
                before = bc.get((entity, role, op), "DENY") if entity in be and role in br else None
                after = hc.get((entity, role, op), "DENY") if entity in he and role in hr else None
                b, a = before or "DENY", after or "DENY"
                if BREADTH[a] > BREADTH[b]:
                    kind = "widened"
                elif BREADTH[a] < BREADTH[b]:
                    kind = "narrowed"
                elif a != b:
                    kind = "changed"
                else:
                    continue
                out[(entity, role, op)] = (before, after, kind)
    structure = {
        "entities": {"added": sorted(he - be), "removed": sorted(be - he)},
        "personas": {"added": sorted(hr - br), "removed": sorted(br - hr)},
    }
    return out, structure


def access_lines(text):
    """(line index, block) of every rule line under permit:/forbid:/scope:."""
    lines = text.split("\n")
    out, block, depth = [], None, None
    for i, line in enumerate(lines):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(line) - len(line.lstrip())
        if block is not None and indent <= depth:
            block = None
        if stripped in ACCESS_BLOCKS:
            block, depth = stripped[:-1], indent
        elif block is not None:
            out.append((i, block))
    return out


def mutate(text, personas, rnd):
    """One random edit of an access rule line; None when the file has none."""
    candidates = access_lines(text)
    if not candidates:
        return None
    lines = text.split("\n")
    i, block = rnd.choice(candidates)
    line = lines[i]
    indent = line[: len(line) - len(line.lstrip())]
    stripped = line.strip()
    persona = rnd.choice(personas) if personas else "admin"
    if stripped.startswith("as:"):
        chosen = rnd.sample(personas, k=min(len(personas), rnd.randint(1, 2))) if personas else []
        lines[i] = indent + "as: " + (", ".join(chosen) if chosen and rnd.random() < 0.8 else "*")
    elif ":" in stripped:
        op, _, cond = stripped.partition(":")
        cond = cond.strip()
        choice = rnd.randrange(6)
        if choice == 0 and "role(" in cond:
            cond = re.sub(r"role\(\w+\)", f"role({persona})", cond, count=1)
        elif choice == 1 and block != "scope":
            cond = f"{cond} or role({persona})"
        elif choice == 2 and block != "scope":
            cond = "authenticated"
        elif choice == 3 and block == "scope":
            cond = rnd.choice(["all", "id = current_user"])
        elif choice == 4 and op.strip() in OPERATIONS:
            op = rnd.choice(OPERATIONS)
        elif choice == 5 and block != "scope" and sum(1 for _, b in candidates if b == block) > 1:
            del lines[i]
            return "\n".join(lines)
        else:
            cond = f"role({persona})" if block != "scope" else "all"
        lines[i] = f"{indent}{op.strip()}: {cond}"
    else:
        return None
    return "\n".join(lines)


def run(binary, *args, cwd=None):
    return subprocess.run([binary, *args], cwd=cwd, capture_output=True, text=True)


def matrix(binary, project):
    out = run(binary, "matrix", str(project), "--format", "json")
    if out.returncode != 0:
        raise RuntimeError(f"matrix failed on {project}: {out.stderr}")
    return json.loads(out.stdout)


def reference_matrix(dazzle, project):
    out = subprocess.run([dazzle, "rbac", "matrix", "--format", "json"], cwd=project, capture_output=True, text=True)
    if out.returncode != 0:
        return None
    return json.loads(out.stdout)


def reported(doc):
    changes = {
        (c["entity"], c["persona"], c["operation"]): (c["before"], c["after"], c["kind"]) for c in doc["changes"]
    }
    return changes, {"entities": doc["entities"], "personas": doc["personas"]}


def normalize(structure):
    return {k: {kk: sorted(vv) for kk, vv in v.items()} for k, v in structure.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("kit")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reference", help="the reference's `dazzle` executable")
    args = parser.parse_args()
    binary = os.path.abspath(os.environ.get("DAZZLE_LSP", "target/release/dazzle-lsp"))
    projects = sorted(p for p in Path(args.kit, "corpus/projects").glob("*/*") if (p / "dazzle.toml").exists())
    rnd = random.Random(args.seed)
    totals = {"rounds": 0, "cells": 0, "mismatches": 0, "reference_rounds": 0, "reference_cells": 0}
    failures = []
    for project in projects:
        for round_ in range(args.rounds):
            with tempfile.TemporaryDirectory(prefix="dazzle-diff-") as tmp:
                repo = Path(tmp, "repo")
                shutil.copytree(project, repo)
                git(repo, "init", "-q")
                git(repo, "add", "-A")
                git(repo, "commit", "-q", "-m", "base")
                base_copy = Path(tmp, "base")
                shutil.copytree(repo, base_copy, ignore=shutil.ignore_patterns(".git"))
                personas = matrix(binary, repo)["roles"]
                files = [f for f in sorted(repo.glob("**/*.dsl")) if access_lines(f.read_text())]
                for _ in range(rnd.randint(2, 6) if files else 0):
                    target = rnd.choice(files)
                    edited = mutate(target.read_text(), personas, rnd)
                    if edited is not None:
                        target.write_text(edited)
                git(repo, "commit", "-q", "-a", "--allow-empty", "-m", "head")
                out = run(binary, "diff", ".", "--base", "HEAD~1", "--head", "HEAD", "--format", "json", cwd=repo)
                if out.returncode not in (0, 1):
                    failures.append(f"{project.name} round {round_}: diff exited {out.returncode}: {out.stderr}")
                    continue
                got, got_structure = reported(json.loads(out.stdout))
                want, want_structure = expected(matrix(binary, base_copy), matrix(binary, repo))
                totals["rounds"] += 1
                totals["cells"] += len(want)
                if got != want or normalize(got_structure) != want_structure:
                    totals["mismatches"] += 1
                    extra = sorted(set(got.items()) - set(want.items()))[:5]
                    missing = sorted(set(want.items()) - set(got.items()))[:5]
                    failures.append(f"{project.parent.name}/{project.name} round {round_}: extra {extra} missing {missing}")
                if args.reference:
                    ref_base, ref_head = reference_matrix(args.reference, base_copy), reference_matrix(args.reference, repo)
                    if ref_base is not None and ref_head is not None:
                        ref_want, ref_structure = expected(ref_base, ref_head)
                        totals["reference_rounds"] += 1
                        totals["reference_cells"] += len(ref_want)
                        if got != ref_want or normalize(got_structure) != ref_structure:
                            totals["mismatches"] += 1
                            failures.append(f"{project.parent.name}/{project.name} round {round_}: differs from the reference")
    for failure in failures:
        print("FAIL", failure)
    print(
        f"diff differential: {totals['rounds']} rounds on {len(projects)} projects, {totals['cells']} changed cells "
        f"checked against matrix JSON; {totals['reference_rounds']} rounds ({totals['reference_cells']} cells) against "
        f"the reference; {totals['mismatches']} mismatches"
    )
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
