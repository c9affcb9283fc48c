#!/usr/bin/env bash
# End-to-end tests in real editors: every `tests/editors/<editor>/` holds an idempotent
# `install.sh` (installs the editor and what its test needs) and a `run.sh` that drives the
# built server (`$DAZZLE_LSP`) on a copy of examples/clinic, exits non-zero on failure and says
# which step failed. Prints `editors: N passed, N failed` at the end.
#   usage: tests/editors/run-all.sh [--no-install] [EDITOR...]
set -uo pipefail
cd "$(dirname "$0")/../.."
install=1
if [ "${1:-}" = "--no-install" ]; then install=0; shift; fi
editors=("$@")
if [ ${#editors[@]} -eq 0 ]; then
  for dir in tests/editors/*/; do editors+=("$(basename "$dir")"); done
fi
: "${DAZZLE_LSP:=$PWD/target/release/dazzle-lsp}"
export DAZZLE_LSP
if [ ! -x "$DAZZLE_LSP" ]; then
  echo "error: the server binary $DAZZLE_LSP does not exist (cargo build --release -p dazzle-lsp)" >&2
  exit 2
fi
passed=0
failed=0
for editor in "${editors[@]}"; do
  dir="tests/editors/$editor"
  start=$(date +%s)
  if [ "$install" = 1 ] && ! bash "$dir/install.sh"; then
    echo "FAIL $editor: install.sh failed"
    failed=$((failed + 1))
    continue
  fi
  if bash "$dir/run.sh"; then
    echo "PASS $editor ($(( $(date +%s) - start )) s incl. install)"
    passed=$((passed + 1))
  else
    echo "FAIL $editor ($(( $(date +%s) - start )) s incl. install)"
    failed=$((failed + 1))
  fi
done
echo "editors: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
