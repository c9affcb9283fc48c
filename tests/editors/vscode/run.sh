#!/usr/bin/env bash
# End-to-end test of the Dazzle VS Code extension in a real VS Code (code-server 4.100.3 =
# VS Code 1.100.3: real workbench, real extension host), driven in headless Chromium by
# playwright-core (tests/editors/vscode/drive.js). Run tests/editors/vscode/install.sh first.
#
# It copies examples/clinic to a temporary directory, installs the .vsix into a throwaway
# profile, points `dazzle.server.path` at $DAZZLE_LSP, starts code-server on a free localhost
# port and asserts, in the workbench UI (see drive.js): the .dsl file opens in language mode
# Dazzle with the grammar's colours; dazzle-lsp's diagnostics appear (squiggles, status bar,
# Problems panel with source dazzle-lsp and codes); `dazzle.rules` reaches the server
# (missing-audit raised to error via initializationOptions, then turned off by editing
# settings.json -> workspace/didChangeConfiguration); hovering an entity name shows its RBAC
# matrix table (every persona, decisions), screenshotted to $VSCODE_E2E_SCREENSHOT (default
# target/e2e/vscode-hover.png; docs/images/vscode-hover.png is refreshed by pointing it there);
# "Dazzle: Show RBAC Matrix" opens a colour-coded webview table that refreshes after an edit;
# the code lens above each entity shows its matrix row, and after the edit a second lens shows
# the change since HEAD (the copy is a git repository), as does the matrix view's changes mode.
# Exit 0 only on success; the failing step is named.
#   VSCODE_E2E_KEEP=1     keep the temporary directory (logs, profile, screenshots) for inspection
#   VSCODE_E2E_TIMEOUT=N  cap in seconds on code-server and each drive.js run (default 300)
#   DEBUG_SHOTS=1         drive.js also screenshots intermediate states into that directory
set -euo pipefail
cd "$(dirname "$0")/../../.."
ROOT=$PWD
CACHE="${DAZZLE_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dazzle-lsp-e2e}"
CS_BIN="$CACHE/code-server/node_modules/.bin/code-server"
PW_PREFIX="$CACHE/playwright"
DAZZLE_LSP="${DAZZLE_LSP:-$ROOT/target/release/dazzle-lsp}"
SCREENSHOT="${VSCODE_E2E_SCREENSHOT:-$ROOT/target/e2e/vscode-hover.png}"
mkdir -p "$(dirname "$SCREENSHOT")"
RUN_TIMEOUT="${VSCODE_E2E_TIMEOUT:-300}"

fail() { echo "vscode run FAILED at step: $*" >&2; exit 1; }

[ -x "$DAZZLE_LSP" ] || fail "server binary: \$DAZZLE_LSP=$DAZZLE_LSP is not executable (cargo build --release -p dazzle-lsp)"
[ -x "$CS_BIN" ] || fail "code-server: $CS_BIN missing (run tests/editors/vscode/install.sh)"
[ -f "$PW_PREFIX/node_modules/playwright-core/package.json" ] || fail "playwright-core: not in $PW_PREFIX (run tests/editors/vscode/install.sh)"
[ -x /usr/bin/chromium ] || fail "chromium: /usr/bin/chromium missing (run tests/editors/vscode/install.sh)"
VSIX=$(ls -t "$ROOT"/editors/vscode/dazzle-*.vsix 2>/dev/null | head -1) || true
[ -n "$VSIX" ] || fail "extension: no editors/vscode/dazzle-*.vsix (run editors/vscode/build.sh)"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/dazzle-vscode-e2e.XXXXXX")
CS_PID=""
cleanup() {
  local rc=$?
  if [ -n "$CS_PID" ] && kill -0 "$CS_PID" 2>/dev/null; then
    # code-server runs in its own session/process group (setsid): end the whole group
    # (server, extension host, dazzle-lsp).
    kill -TERM -- "-$CS_PID" 2>/dev/null || true
    for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$CS_PID" 2>/dev/null || break; sleep 0.3; done
    kill -KILL -- "-$CS_PID" 2>/dev/null || true
  fi
  if [ "$rc" -ne 0 ]; then
    echo "--- code-server log (tail) ---" >&2
    tail -n 30 "$TMP/code-server.log" 2>/dev/null >&2 || true
    local out
    out=$(find "$TMP/user-data/logs" -name '*Dazzle Language Server*.log' 2>/dev/null | head -1)
    if [ -n "$out" ]; then echo "--- Dazzle Language Server output (tail) ---" >&2; tail -n 30 "$out" >&2; fi
    out=$(find "$TMP/user-data/logs" -name 'exthost.log' 2>/dev/null | head -1)
    if [ -n "$out" ]; then echo "--- extension host log (tail) ---" >&2; tail -n 30 "$out" >&2; fi
  fi
  if [ -n "${VSCODE_E2E_KEEP:-}" ] || [ "$rc" -ne 0 ]; then
    echo "(kept $TMP)" >&2
  else
    rm -rf "$TMP"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start=$(date +%s)
PROJECT="$TMP/clinic"
cp -r "$ROOT/examples/clinic" "$PROJECT"
# A git repository with one commit, so that the "since HEAD" code lens has a baseline.
(cd "$PROJECT" && git init -q && git add -A && GIT_AUTHOR_NAME=e2e GIT_AUTHOR_EMAIL=e2e@example.com \
  GIT_COMMITTER_NAME=e2e GIT_COMMITTER_EMAIL=e2e@example.com git -c commit.gpgsign=false commit -q -m base) \
  || fail "git init of the project copy"
UD="$TMP/user-data"
EXT="$TMP/extensions"
mkdir -p "$TMP/home/.config" "$TMP/home/.local/share" "$TMP/home/.cache" "$UD/User" "$EXT"
# A throwaway HOME/XDG so code-server writes its config.yaml and state there, not in ~.
export HOME="$TMP/home" XDG_CONFIG_HOME="$TMP/home/.config" XDG_DATA_HOME="$TMP/home/.local/share" \
  XDG_CACHE_HOME="$TMP/home/.cache"
unset DAZZLE_LSP_BUNDLE
# dazzle.server.path is machine-overridable: in code-server (a remote window) it belongs in the
# remote ("Machine") settings; VS Code drops it from the user settings on their next reload.
mkdir -p "$UD/Machine"
printf '{\n  "dazzle.server.path": "%s"\n}\n' "$DAZZLE_LSP" > "$UD/Machine/settings.json"
cat > "$UD/User/settings.json" <<JSON
{
  "dazzle.rules": { "missing-audit": "error" },
  "dazzle.trace.server": "messages",
  "[dazzle]": { "editor.formatOnSave": true },
  "[jsonc]": {
    "editor.autoClosingBrackets": "never",
    "editor.autoClosingQuotes": "never",
    "editor.autoSurround": "never",
    "editor.quickSuggestions": { "other": false, "comments": false, "strings": false },
    "editor.suggestOnTriggerCharacters": false,
    "editor.formatOnType": false
  },
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.enableExperiments": false,
  "workbench.welcomePage.walkthroughs.openOnInstall": false,
  "security.workspace.trust.enabled": false,
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "extensions.ignoreRecommendations": true,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "editor.minimap.enabled": false,
  "workbench.colorTheme": "Default Dark Modern",
  "editor.hover.delay": 200,
  "editor.fontSize": 14,
  "window.restoreWindows": "none"
}
JSON

echo "== vscode run: install $(basename "$VSIX") into a throwaway profile"
timeout 120 "$CS_BIN" --user-data-dir "$UD" --extensions-dir "$EXT" --install-extension "$VSIX" \
  > "$TMP/install-extension.log" 2>&1 || { cat "$TMP/install-extension.log" >&2; fail "code-server --install-extension $VSIX"; }
ls "$EXT" | grep -q '^dazzle-lsp\.dazzle-' || fail "the extension is not in $EXT after --install-extension"

# start_code_server USER_DATA_DIR LOG: code-server on a free port, in its own process group.
start_code_server() {
  PORT=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
  echo "== vscode run: code-server on 127.0.0.1:$PORT, project $PROJECT"
  setsid timeout "$RUN_TIMEOUT" "$CS_BIN" --auth none --bind-addr "127.0.0.1:$PORT" \
    --disable-telemetry --disable-update-check --disable-workspace-trust --disable-getting-started-override \
    --user-data-dir "$1" --extensions-dir "$EXT" "$PROJECT" > "$2" 2>&1 &
  CS_PID=$!
  local i
  for i in $(seq 1 120); do
    if curl -fsS -o /dev/null "http://127.0.0.1:$PORT/healthz" 2>/dev/null; then break; fi
    kill -0 "$CS_PID" 2>/dev/null || fail "code-server exited during start-up (see $2)"
    [ "$i" = 120 ] && fail "code-server did not answer /healthz within 60 s"
    sleep 0.5
  done
  echo "   code-server up after $(( $(date +%s) - start )) s"
}
stop_code_server() {
  kill -TERM -- "-$CS_PID" 2>/dev/null || true
  for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$CS_PID" 2>/dev/null || break; sleep 0.3; done
  kill -KILL -- "-$CS_PID" 2>/dev/null || true
  CS_PID=""
}
# drive MODE RESULT: runs drive.js, fails with its message.
drive() {
  MODE="$1" PW_PREFIX="$PW_PREFIX" CS_URL="http://127.0.0.1:$PORT" PROJECT="$PROJECT" DSL_FILE="dsl/records.dsl" \
    ENTITY="Practice" PERSONAS="admin,clinician,receptionist,patient" \
    USER_SETTINGS="$UD/User/settings.json" RULE_CODE="missing-audit" EDIT_LINE=11 \
    MISSING_SERVER="$MISSING_SERVER" SCREENSHOT="$SCREENSHOT" RESULT="$2" ARTIFACTS="$TMP/$1" \
    timeout "$RUN_TIMEOUT" node "$ROOT/tests/editors/vscode/drive.js" || fail "$(node -e '
      try { const r = require(process.argv[1]); console.log(r.error || "drive.js failed") } catch { console.log("drive.js failed (no result)") }' "$2")"
  grep -q '"ok": true' "$2" || fail "drive.js ($1) reported no success"
}

start_code_server "$UD" "$TMP/code-server.log"
echo "== vscode run: driving the workbench in headless chromium"
MISSING_SERVER=""
drive main "$TMP/result.json"
stop_code_server

# Negative check: a server path that does not exist gives an error naming it, whose button
# opens the setting. A second, fresh profile.
MISSING_SERVER="$TMP/no-such-dir/dazzle-lsp"
UD2="$TMP/user-data-missing"
mkdir -p "$UD2/User" "$UD2/Machine"
cp "$UD/User/settings.json" "$UD2/User/settings.json"
printf '{\n  "dazzle.server.path": "%s"\n}\n' "$MISSING_SERVER" > "$UD2/Machine/settings.json"
start_code_server "$UD2" "$TMP/code-server-missing.log"
echo "== vscode run: missing server -> error message"
drive missing-server "$TMP/result-missing.json"
stop_code_server

echo "== vscode run: PASS in $(( $(date +%s) - start )) s (screenshot: ${SCREENSHOT#$ROOT/})"
