#!/usr/bin/env bash
# End-to-end test of dazzle-lsp under Emacs + Eglot (emacs --batch), on a temporary copy of
# examples/clinic, with HOME in a temporary directory (no user init or state). See test.el for
# the steps. Runs once per Emacs: the system's `emacs` (Debian 12: 28.2 + elpa-eglot 1.9) and,
# when install.sh unpacked it, Emacs 30 from bookworm-backports (Eglot 1.17).
#   env: DAZZLE_LSP (default target/release/dazzle-lsp),
#        EMACS (one Emacs to run instead of all the installed ones),
#        DAZZLE_E2E_TIMEOUT (hard cap per run in seconds, default 120),
#        DAZZLE_E2E_STEP_TIMEOUT (bound of each wait in ms, default 10000),
#        DAZZLE_E2E_EMACS_RULES (dir-locals | init | both; see test.el; by default each Emacs
#          runs twice, with the rules as initializationOptions and from .dir-locals.el),
#        DAZZLE_E2E_RESULT (JSON result of the last run; default <tmp>/<n>/result.json),
#        DAZZLE_E2E_KEEP=1 keeps the temp directory.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
: "${DAZZLE_LSP:=$repo/target/release/dazzle-lsp}"
emacs30="${XDG_CACHE_HOME:-$HOME/.cache}/dazzle-lsp-e2e/emacs30/bin/emacs"
if [ -n "${EMACS:-}" ]; then
  emacsen=("$EMACS")
else
  emacsen=(emacs)
  if [ -x "$emacs30" ]; then emacsen+=("$emacs30"); fi
fi
hard_timeout="${DAZZLE_E2E_TIMEOUT:-120}"
export DAZZLE_E2E_STEP_TIMEOUT="${DAZZLE_E2E_STEP_TIMEOUT:-10000}"

if [ ! -x "$DAZZLE_LSP" ]; then
  echo "emacs e2e: error: server binary $DAZZLE_LSP not found (cargo build --release -p dazzle-lsp)" >&2
  exit 2
fi
for e in "${emacsen[@]}"; do
  if ! command -v "$e" >/dev/null 2>&1; then
    echo "emacs e2e: error: $e not found (run tests/editors/emacs/install.sh)" >&2
    exit 2
  fi
done
DAZZLE_LSP="$(cd "$(dirname "$DAZZLE_LSP")" && pwd)/$(basename "$DAZZLE_LSP")"
export DAZZLE_LSP

tmp="$(mktemp -d "${TMPDIR:-/tmp}/dazzle-emacs-e2e.XXXXXX")"
cleanup() {
  if [ "${DAZZLE_E2E_KEEP:-0}" = 1 ]; then
    echo "emacs e2e: kept $tmp" >&2
  else
    rm -rf "$tmp"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# One run of test.el under Emacs $1 (run number $2), rules sent as $3; 0 on success.
run_one() {
  local emacs="$1" dir="$tmp/$2"
  export DAZZLE_E2E_EMACS_RULES="$3"
  mkdir -p "$dir/home"
  (
    cp -R "$repo/examples/clinic" "$dir/clinic"
    # A git repository with one commit: the baseline of the "since HEAD" code lens.
    (cd "$dir/clinic" && git init -q && git add -A && GIT_AUTHOR_NAME=e2e GIT_AUTHOR_EMAIL=e2e@example.com \
      GIT_COMMITTER_NAME=e2e GIT_COMMITTER_EMAIL=e2e@example.com git -c commit.gpgsign=false commit -q -m base)
    export HOME="$dir/home" XDG_CONFIG_HOME="$dir/home/.config" XDG_CACHE_HOME="$dir/home/.cache" \
      XDG_DATA_HOME="$dir/home/.local/share" XDG_STATE_HOME="$dir/home/.local/state"
    export DAZZLE_E2E_PROJECT="$dir/clinic"
    export DAZZLE_E2E_RESULT="${DAZZLE_E2E_RESULT:-$dir/result.json}"
    version="$("$emacs" --version | head -1)"

    start_ms=$(date +%s%3N)
    set +e
    # -q, not -Q: Debian's site-start puts elpa-eglot on the load-path (Emacs 28).
    timeout -k 5 "$hard_timeout" "$emacs" --batch -q -l "$here/test.el" </dev/null >"$dir/emacs.out" 2>&1
    rc=$?
    set -e
    elapsed=$(( $(date +%s%3N) - start_ms ))

    grep -a -v -e '^\[eglot\]' -e '^\[jsonrpc\]' -e '^Loading ' "$dir/emacs.out" || true
    if [ -f "$DAZZLE_E2E_RESULT" ]; then
      echo "emacs e2e result, $version ($DAZZLE_E2E_RESULT):"
      cat "$DAZZLE_E2E_RESULT"
      echo
    fi
    if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
      echo "emacs e2e: hard timeout of ${hard_timeout}s hit (exit $rc)" >&2
    fi
    if [ "$rc" != 0 ]; then
      if [ ! -f "$DAZZLE_E2E_RESULT" ]; then
        echo "--- emacs output ---" >&2
        tail -n 40 "$dir/emacs.out" >&2
      fi
      echo "emacs e2e: FAIL, $version, rules via $3 (exit $rc, ${elapsed} ms)" >&2
      exit 1
    fi
    echo "emacs e2e: PASS, $version, rules via $3 (${elapsed} ms)"
  )
}

failed=0
n=0
read -r -a modes <<<"${DAZZLE_E2E_EMACS_RULES:-init dir-locals}"
for e in "${emacsen[@]}"; do
  for mode in "${modes[@]}"; do
    n=$((n + 1))
    run_one "$e" "$n" "$mode" || failed=$((failed + 1))
  done
done
[ "$failed" -eq 0 ]
