#!/usr/bin/env bash
# Whole-process benchmarks of dazzle-lsp side by side with the Python reference.
#   bench/run.sh [matrix|check|lsp|all]   (the reference is optional: .venv-ref/bin/dazzle if present)
# Install the reference with:
#   python3.12 -m venv .venv-ref && .venv-ref/bin/pip install dazzle-dsl==0.125.0
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-all}
kit="$(cd .. && pwd)/shared/conformance"
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
  check)
    if [ -d "$kit/corpus/projects/examples/acme_billing" ]; then
      echo "== check: acme_billing (conformance kit) vs dazzle lint"
      python3 bench/compare.py --cwd "$kit/corpus/projects/examples/acme_billing" --runs 20 --ref-runs 3 \
        --cmd "dazzle-lsp=$ours --check . --format json" \
        --cmd "reference=$ref lint"
    fi
    echo "== check: generated project vs dazzle validate"
    python3 bench/compare.py --cwd "$out/big" --runs 20 --ref-runs 3 \
      --cmd "dazzle-lsp=$ours --check . --format json" \
      --cmd "reference=$ref validate"
    ;;
  lsp)
    for project in "$kit/corpus/projects/examples/acme_billing" examples/clinic "$out/big"; do
      [ -d "$project" ] || continue
      echo "== language server latency: $project"
      python3 bench/lsp_latency.py "$ours" "$project" --edits 200
    done
    ;;
  all) "$0" matrix; "$0" check; "$0" lsp ;;
  *) echo "usage: bench/run.sh [matrix|check|lsp|all]" >&2; exit 2 ;;
esac
