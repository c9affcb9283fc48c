#!/usr/bin/env bash
# End-to-end test of editors/nvim (the Lua plugin) with Neovim 0.11.4 against $DAZZLE_LSP, on a
# temporary copy of examples/clinic. The plugin is installed as a plain package (packpath) in
# isolated XDG directories and configured from an init.lua, as a user would. See test.lua for
# the steps. The scenario runs once per plugin backend: "auto" (vim.lsp.config + vim.lsp.enable
# on 0.11) and "start" (the vim.lsp.start path Neovim 0.8–0.10 use).
#   env: DAZZLE_LSP (default target/release/dazzle-lsp), NVIM (default: the venv of install.sh),
#        DAZZLE_E2E_NVIM_BACKENDS (default "auto start"),
#        DAZZLE_E2E_TIMEOUT (hard cap per run in seconds, default 120),
#        DAZZLE_E2E_STEP_TIMEOUT (bound of each wait in ms, default 10000),
#        DAZZLE_E2E_RESULT (JSON result of the last run; default <tmp>/<backend>/result.json),
#        DAZZLE_E2E_KEEP=1 keeps the temp directory.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
: "${DAZZLE_LSP:=$repo/target/release/dazzle-lsp}"
: "${NVIM:=${XDG_CACHE_HOME:-$HOME/.cache}/dazzle-lsp-e2e/nvim/bin/nvim}"
backends="${DAZZLE_E2E_NVIM_BACKENDS:-auto start}"
hard_timeout="${DAZZLE_E2E_TIMEOUT:-120}"
export DAZZLE_E2E_STEP_TIMEOUT="${DAZZLE_E2E_STEP_TIMEOUT:-10000}"

if [ ! -x "$DAZZLE_LSP" ]; then
  echo "nvim e2e: error: server binary $DAZZLE_LSP not found (cargo build --release -p dazzle-lsp)" >&2
  exit 2
fi
if [ ! -x "$NVIM" ]; then
  echo "nvim e2e: error: $NVIM not found (run tests/editors/nvim/install.sh)" >&2
  exit 2
fi
DAZZLE_LSP="$(cd "$(dirname "$DAZZLE_LSP")" && pwd)/$(basename "$DAZZLE_LSP")"
export DAZZLE_LSP
nvim_version="$("$NVIM" --version | head -1)"

tmp="$(mktemp -d "${TMPDIR:-/tmp}/dazzle-nvim-e2e.XXXXXX")"
cleanup() {
  if [ "${DAZZLE_E2E_KEEP:-0}" = 1 ]; then
    echo "nvim e2e: kept $tmp" >&2
  else
    rm -rf "$tmp"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# One run of test.lua with the plugin set up for backend $1; 0 on success.
run_one() {
  local backend="$1" dir="$tmp/$1"
  mkdir -p "$dir"
  (
    # Isolated XDG directories: no user config, state, shada or plugins leak in or out.
    export XDG_CONFIG_HOME="$dir/config" XDG_DATA_HOME="$dir/data" XDG_STATE_HOME="$dir/state" \
      XDG_CACHE_HOME="$dir/cache" XDG_RUNTIME_DIR="$dir/run"
    mkdir -p "$XDG_CONFIG_HOME/nvim" "$XDG_DATA_HOME/nvim/site/pack/dazzle/start" "$XDG_STATE_HOME" \
      "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"
    chmod 700 "$XDG_RUNTIME_DIR"
    # The plugin as a plain package (the packpath install of editors/nvim/README.md).
    ln -s "$repo/editors/nvim" "$XDG_DATA_HOME/nvim/site/pack/dazzle/start/dazzle.nvim"
    # The user's init.lua: the documented setup call, exercising the rules and lsp options.
    cat > "$XDG_CONFIG_HOME/nvim/init.lua" <<LUA
require('dazzle').setup({
  cmd = { os.getenv('DAZZLE_LSP') },
  rules = { ['unscoped-entity'] = 'error', ['pii-field-unmarked'] = 'off' },
  backend = '$backend',
  lsp = {
    on_exit = function(code, signal)
      _G.dazzle_e2e_server_exit = { code = code, signal = signal }
    end,
  },
})
LUA
    cp -R "$repo/examples/clinic" "$dir/clinic"
    # A git repository with one commit: the baseline of the "since HEAD" code lens and :DazzleDiff.
    (cd "$dir/clinic" && git init -q && git add -A && GIT_AUTHOR_NAME=e2e GIT_AUTHOR_EMAIL=e2e@example.com \
      GIT_COMMITTER_NAME=e2e GIT_COMMITTER_EMAIL=e2e@example.com git -c commit.gpgsign=false commit -q -m base)
    export DAZZLE_E2E_PROJECT="$dir/clinic" DAZZLE_E2E_BACKEND="$backend"
    export DAZZLE_E2E_RESULT="${DAZZLE_E2E_RESULT:-$dir/result.json}"

    start_ms=$(date +%s%3N)
    set +e
    timeout -k 5 "$hard_timeout" "$NVIM" --headless -n -i NONE \
      -c "luafile $here/test.lua" </dev/null >"$dir/nvim.out" 2>&1
    rc=$?
    set -e
    elapsed=$(( $(date +%s%3N) - start_ms ))

    grep -v '^Running healthchecks' "$dir/nvim.out" | sed '/^$/d' || true
    if [ -f "$DAZZLE_E2E_RESULT" ]; then
      echo "nvim e2e result, backend $backend ($DAZZLE_E2E_RESULT):"
      cat "$DAZZLE_E2E_RESULT"
      echo
    fi
    if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
      echo "nvim e2e: hard timeout of ${hard_timeout}s hit (exit $rc)" >&2
    fi
    if [ "$rc" != 0 ] && [ ! -f "$DAZZLE_E2E_RESULT" ]; then
      # test.lua prints the log tail itself unless it never got that far.
      log="$(find "$dir/state" "$dir/cache" -name 'lsp.log' 2>/dev/null | head -1)"
      if [ -n "$log" ]; then
        echo "--- tail of $log ---" >&2
        tail -n 40 "$log" | cut -c1-400 >&2
      fi
    fi
    if [ "$rc" != 0 ]; then
      echo "nvim e2e: FAIL, backend $backend (exit $rc, ${elapsed} ms)" >&2
      exit 1
    fi
    echo "nvim e2e: PASS, backend $backend (${elapsed} ms, $nvim_version)"
  )
}

failed=0
for backend in $backends; do
  run_one "$backend" || failed=$((failed + 1))
done
[ "$failed" -eq 0 ]
