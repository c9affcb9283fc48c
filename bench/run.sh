#!/usr/bin/env bash
# Whole-process benchmarks of dazzle-lsp side by side with the Python reference.
#   bench/run.sh [matrix|check|diff|report|fmt|lsp|parse|scaling|all|ci|link-order]
# The reference is optional (.venv-ref/bin/dazzle if present); install it with:
#   python3.12 -m venv .venv-ref && .venv-ref/bin/pip install dazzle-dsl==0.125.0
# Every job stores its figures in the benchmark record $BENCH_RECORD (default
# bench/results/<today>.json; see bench/README.md). `ci` is the short version .ci/run runs: a
# few runs of each job into a scratch record, gated by `compare.py --gate` against the newest
# committed record.
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-all}
kit="$(cd .. && pwd)/shared/conformance"
cargo build --release -p dazzle-lsp >&2
ours="$PWD/target/release/dazzle-lsp"
ref="$PWD/.venv-ref/bin/dazzle"
out=${BENCH_OUT:-$PWD/bench/out}
record=${BENCH_RECORD:-$PWD/bench/results/$(date -u +%F).json}
runs=${BENCH_RUNS:-20}
ref_runs=${BENCH_REF_RUNS:-3}
mkdir -p "$out"
[ -d "$out/big" ] || python3 bench/gen_project.py "$out/big" --lines 50000 --files 24
compare() { python3 bench/compare.py --record "$record" "$@"; }
case "$what" in
  matrix)
    echo "== matrix: generated project ($(cat "$out"/big/dsl/*.dsl | wc -l) lines, $(ls "$out"/big/dsl | wc -l) files)"
    compare --job matrix --cwd "$out/big" --runs "$runs" --ref-runs "$ref_runs" --same-output \
      --cmd "dazzle-lsp=$ours matrix . --format json" \
      --cmd "reference=$ref rbac matrix --format json"
    ;;
  check)
    if [ -d "$kit/corpus/projects/examples/acme_billing" ]; then
      echo "== check: acme_billing (conformance kit) vs dazzle lint"
      compare --job check-acme --cwd "$kit/corpus/projects/examples/acme_billing" --runs "$runs" --ref-runs "$ref_runs" \
        --cmd "dazzle-lsp=$ours --check . --format json" \
        --cmd "reference=$ref lint"
    fi
    echo "== check: generated project vs dazzle validate"
    compare --job check --cwd "$out/big" --runs "$runs" --ref-runs "$ref_runs" \
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
    compare --job diff --cwd "$repo" --runs "$runs" --ref-runs "$runs" \
      --cmd "matrix=$ours matrix . --format json" \
      --cmd "diff=$ours diff . --base HEAD~1 --head HEAD --format json --fail-on none"
    ;;
  report)
    echo "== report: generated project, each format against one --check"
    compare --job report --cwd "$out/big" --runs "$runs" --ref-runs "$runs" \
      --cmd "check=$ours --check . --format json" \
      --cmd "report-html=$ours report . -o $out/report.html" \
      --cmd "report-json=$ours report . --format json -o $out/report.json" \
      --cmd "report-markdown=$ours report . --format markdown -o $out/report.md"
    ls -l "$out"/report.html "$out"/report.json "$out"/report.md | awk '{ printf "   %s: %.2f MB\n", $9, $5 / 1048576 }'
    ;;
  fmt)
    echo "== fmt --check: generated project against one --check"
    compare --job fmt --cwd "$out/big" --runs "$runs" --ref-runs "$runs" \
      --cmd "check=$ours --check . --format json" \
      --cmd "fmt-check=$ours fmt . --check"
    ;;
  lsp)
    for project in "$kit/corpus/projects/examples/acme_billing" examples/clinic "$out/big"; do
      [ -d "$project" ] || continue
      name=$(basename "$project")
      echo "== language server latency: $project"
      python3 bench/lsp_latency.py "$ours" "$project" --edits 200 --record "$record" --job "lsp-$name"
    done
    # The same edits at the end of the largest file: nothing after the edited construct.
    echo "== language server latency: $out/big, editing its last entity"
    python3 bench/lsp_latency.py "$ours" "$out/big" --edits 200 --at last --record "$record" --job lsp-big-last
    # One 1,000-line file on its own (no project around it).
    single="$out/single"
    if [ ! -f "$single/big.dsl" ]; then
      python3 bench/gen_project.py "$out/single-src" --lines 1000 --files 1 >/dev/null
      mkdir -p "$single" && cat "$out"/single-src/dsl/*.dsl > "$single/big.dsl"
    fi
    echo "== language server latency: one $(wc -l < "$single/big.dsl")-line file"
    python3 bench/lsp_latency.py "$ours" "$single" --file "$single/big.dsl" --edits 200 --record "$record" --job lsp-single-file
    ;;
  parse)
    echo "== parse throughput (cargo bench -p dazzle-syntax): the file is parsed in pieces on every core"
    cargo bench -p dazzle-syntax --bench parse 2>&1 | tail -12
    if command -v taskset >/dev/null; then
      echo "== the same on one core (taskset -c 0): one piece"
      taskset -c 0 cargo bench -p dazzle-syntax --bench parse 2>&1 | tail -12
    fi
    ;;
  scaling)
    echo "== scaling: --check on generated projects of 5k to 1M lines; the kit's projects in one process"
    python3 bench/scaling.py "$ours" "$out" --kit "$kit" --record "$record" --svg bench/scaling.svg
    ;;
  all) for job in matrix check diff report fmt lsp scaling; do "$0" "$job"; done ;;
  link-order)
    # Rewrites crates/dazzle-lsp/link/hot-functions.txt from callgrind runs of the everyday
    # jobs (needs valgrind), then relinks with it.
    python3 bench/link_order.py write "$ours" "$out/big"
    cargo build --release -p dazzle-lsp >&2
    python3 bench/link_order.py coverage "$ours"
    ;;
  ci)
    # Short runs into a scratch record, then the gate against the newest committed record.
    # Ours run 15 times (a fraction of a second each job): a median of 5 swung by half in a
    # busy moment, closer to the gate's floor than a regression should need to come.
    # The build just wrote up to a gigabyte of artifacts, which the kernel writes back from
    # 30 s on, on the cores the timings need: flushing them first keeps that out of the first
    # job (in CI, `matrix`, timed first, took 25.9 ms against 18.2 ms for the `--check` after).
    sync
    scratch=$(mktemp -d)
    export BENCH_RECORD="$scratch/ci.json" BENCH_RUNS=15 BENCH_REF_RUNS=1
    python3 bench/link_order.py coverage "$ours"
    "$0" matrix
    "$0" check
    python3 bench/lsp_latency.py "$ours" "$out/big" --edits 40 --spawns 3 --record "$BENCH_RECORD" --job lsp-big
    newest=$(ls bench/results/*.json 2>/dev/null | sort | tail -1)
    if [ -n "$newest" ]; then
      echo "== against the record $newest"
      python3 bench/compare.py --records "$newest" "$BENCH_RECORD"
      python3 bench/compare.py --gate "$newest" "$BENCH_RECORD"
    else
      echo "no committed record in bench/results: nothing to gate"
    fi
    rm -rf "$scratch"
    ;;
  *) echo "usage: bench/run.sh [matrix|check|diff|report|fmt|lsp|parse|scaling|all|ci|link-order]" >&2; exit 2 ;;
esac
