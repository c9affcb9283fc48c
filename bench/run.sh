#!/usr/bin/env bash
# Whole-process benchmarks of dazzle-lsp side by side with the Python reference.
#   bench/run.sh [matrix]        (the reference is optional: .venv-ref/bin/dazzle if present)
# Install the reference with:
#   python3.12 -m venv .venv-ref && .venv-ref/bin/pip install dazzle-dsl==0.125.0
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-matrix}
cargo build --release -p dazzle-lsp >&2
ours="$PWD/target/release/dazzle-lsp"
ref="$PWD/.venv-ref/bin/dazzle"
out=${BENCH_OUT:-$PWD/bench/out}
mkdir -p "$out"
[ -d "$out/big" ] || python3 bench/gen_project.py "$out/big" --lines 50000 --files 24
case "$what" in
  matrix)
    echo "== matrix: generated project ($(cat "$out"/big/dsl/*.dsl | wc -l) lines, $(ls "$out"/big/dsl | wc -l) files)"
    python3 bench/compare.py --cwd "$out/big" --runs 20 --ref-runs 3 --same-output \
      --cmd "dazzle-lsp=$ours matrix . --format json" \
      --cmd "reference=$ref rbac matrix --format json"
    ;;
  *) echo "usage: bench/run.sh [matrix]" >&2; exit 2 ;;
esac
