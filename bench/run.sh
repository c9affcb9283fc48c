#!/usr/bin/env bash
# Whole-process benchmarks of dazzle-lsp side by side with the Python reference.
#   bench/run.sh [matrix|check|diff|report|fmt|lsp|all]   (the reference is optional: .venv-ref/bin/dazzle if present)
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
  diff)
    # Two commits of the generated project that differ in one permit: line.
    repo="$out/big-git"
    if [ ! -d "$repo/.git" ]; then
      rm -rf "$repo" && cp -R "$out/big" "$repo"
      (cd "$repo" && git init -q && git add -A && git -c user.name=b -c user.email=b@example.com commit -q -m base &&
        file=$(grep -l "permit:" dsl/*.dsl | head -1) &&
        line=$(grep -n "^    update: role(admin)\$" "$file" | head -1 | cut -d: -f1) &&
        sed -i "${line}s/\$/ or role(customer)/" "$file" &&
        git -c user.name=b -c user.email=b@example.com commit -q -am "one permit line")
    fi
    echo "== diff: generated project, HEAD~1 -> HEAD (one permit line), against one matrix run"
    (cd "$repo" && "$ours" diff . --base HEAD~1 --head HEAD --format human --fail-on none | head -3)
    python3 bench/compare.py --cwd "$repo" --runs 20 --ref-runs 20 \
      --cmd "matrix=$ours matrix . --format json" \
      --cmd "diff=$ours diff . --base HEAD~1 --head HEAD --format json --fail-on none"
    ;;
  report)
    echo "== report: generated project, each format against one --check"
    python3 bench/compare.py --cwd "$out/big" --runs 20 --ref-runs 20 \
      --cmd "check=$ours --check . --format json" \
      --cmd "report-html=$ours report . -o $out/report.html" \
      --cmd "report-json=$ours report . --format json -o $out/report.json" \
      --cmd "report-markdown=$ours report . --format markdown -o $out/report.md"
    ls -l "$out"/report.html "$out"/report.json "$out"/report.md | awk '{ printf "   %s: %.2f MB\n", $9, $5 / 1048576 }'
    ;;
  fmt)
    echo "== fmt --check: generated project against one --check"
    python3 bench/compare.py --cwd "$out/big" --runs 20 --ref-runs 20 \
      --cmd "check=$ours --check . --format json" \
      --cmd "fmt-check=$ours fmt . --check"
    ;;
  lsp)
    for project in "$kit/corpus/projects/examples/acme_billing" examples/clinic "$out/big"; do
      [ -d "$project" ] || continue
      echo "== language server latency: $project"
      python3 bench/lsp_latency.py "$ours" "$project" --edits 200
    done
    ;;
  all) "$0" matrix; "$0" check; "$0" diff; "$0" report; "$0" fmt; "$0" lsp ;;
  *) echo "usage: bench/run.sh [matrix|check|diff|report|fmt|lsp|all]" >&2; exit 2 ;;
esac
