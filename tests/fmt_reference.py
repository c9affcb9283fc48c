#!/usr/bin/env python3
"""Differential check of `dazzle-lsp fmt` with the reference: every `.dsl` file of the
conformance kit (and of examples/) is formatted in a scratch copy, and each reference
interpreter given parses the original and the formatted file (the kit's tools/ref_check.py
parse-many). Where the reference accepted the original it must accept the formatted file, with
the same module, app, uses and parse warnings; where it rejected it, the formatted file must be
rejected with the same message.

usage: tests/fmt_reference.py KIT_DIR PYTHON [PYTHON ...]
       (PYTHON: an interpreter with dazzle-dsl installed, e.g. .venv-ref/bin/python;
        the binary: $DAZZLE_LSP, default target/release/dazzle-lsp)
"""

import json
import re
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


def parse_many(python, tool, files):
    out = subprocess.run([python, tool, "parse-many", *map(str, files)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def summary(record):
    """What the reference made of a file; an error without its position (lines may move)."""
    keep = ("accepted", "module", "app", "uses")
    out = {k: record.get(k) for k in keep if k in record}
    out["parse_warnings"] = [re.sub(r"\((\S+):\d+\)", r"(\1)", w) for w in record.get("parse_warnings") or []]
    if isinstance(record.get("error"), dict):
        out["error"] = {k: v for k, v in record["error"].items() if k not in ("line", "column")}
    return out


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    kit, pythons = Path(sys.argv[1]), sys.argv[2:]
    binary = os.path.abspath(os.environ.get("DAZZLE_LSP", "target/release/dazzle-lsp"))
    tool = kit / "tools" / "ref_check.py"
    repo = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory(prefix="dazzle-fmt-ref-") as tmp:
        pairs = []
        for name, source in (("corpus", kit / "corpus"), ("examples", repo / "examples")):
            copy = Path(tmp, name)
            shutil.copytree(source, copy)
            subprocess.run([binary, "fmt", str(copy)], capture_output=True, check=False)
            pairs += [(f, copy / f.relative_to(source)) for f in sorted(source.rglob("*.dsl"))]
        failures, totals = [], []
        for python in pythons:
            before = parse_many(python, tool, [a for a, _ in pairs])
            after = parse_many(python, tool, [b for _, b in pairs])
            accepted = 0
            for (original, _), a, b in zip(pairs, before, after):
                accepted += bool(a.get("accepted"))
                if summary(a) != summary(b):
                    failures.append(f"{python}: {original}: {summary(a)} -> {summary(b)}")
            totals.append(f"{python}: {len(pairs)} files, {accepted} accepted by the reference, all still accepted")
        for failure in failures:
            print("FAIL", failure)
        for line in totals:
            print("fmt reference:", line if not failures else line.replace("all still accepted", "see failures"))
        sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
