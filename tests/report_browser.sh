#!/usr/bin/env bash
# The real-browser test of `dazzle-lsp report` (tests/report_browser.js): renders the HTML
# report of examples/clinic with the built binary and opens it from disk in headless Chromium,
# network off. Installs what it needs if missing (apt chromium, playwright-core from npm, in the
# cache the VS Code test uses).
#   DAZZLE_LSP=/path/to/dazzle-lsp   the binary (default: target/release/dazzle-lsp)
#   UPDATE_SCREENSHOT=1              also write the screenshot to docs/images/report.png
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PW_VERSION=1.65.1
CACHE="${DAZZLE_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dazzle-lsp-e2e}"
PW_PREFIX="$CACHE/playwright"
BIN="${DAZZLE_LSP:-$ROOT/target/release/dazzle-lsp}"
OUT="${REPORT_BROWSER_OUT:-$ROOT/target/report-browser}"
fail() { echo "report browser test FAILED: $*" >&2; exit 1; }

[ -x "$BIN" ] || fail "no binary at $BIN (cargo build --release -p dazzle-lsp)"
if [ ! -x /usr/bin/chromium ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  DEBIAN_FRONTEND=noninteractive timeout 900 $SUDO apt-get update -qq || fail "apt-get update"
  DEBIAN_FRONTEND=noninteractive timeout 1800 $SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null \
    || fail "apt-get install chromium"
fi
if [ ! -f "$PW_PREFIX/node_modules/playwright-core/package.json" ]; then
  mkdir -p "$PW_PREFIX"
  timeout 600 npm install --silent --no-audit --no-fund --prefix "$PW_PREFIX" "playwright-core@$PW_VERSION" \
    || fail "npm install playwright-core@$PW_VERSION"
fi

mkdir -p "$OUT"
"$BIN" report examples/clinic -o "$OUT/report.html" || fail "dazzle-lsp report"
"$BIN" matrix examples/clinic --format json > "$OUT/matrix.json" 2>/dev/null || fail "dazzle-lsp matrix"
PW_PREFIX="$PW_PREFIX" REPORT="$OUT/report.html" MATRIX="$OUT/matrix.json" PROJECT="$ROOT/examples/clinic" \
  SCREENSHOT="$OUT/report.png" timeout 180 node tests/report_browser.js || fail "see above"
if [ -n "${UPDATE_SCREENSHOT:-}" ]; then
  cp "$OUT/report.png" docs/images/report.png
  echo "wrote docs/images/report.png"
fi
echo "report browser test: passed ($(wc -c < "$OUT/report.html") bytes of HTML)"
