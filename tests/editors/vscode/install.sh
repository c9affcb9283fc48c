#!/usr/bin/env bash
# Installs what tests/editors/vscode/run.sh needs, idempotently:
#   - apt: build-essential pkg-config libkrb5-dev ripgrep chromium (code-server's native modules,
#     its ripgrep, the headless browser);
#   - code-server 4.100.3 (= VS Code 1.100.3, needs Node 20) from npm into a cache prefix;
#   - playwright-core (drives /usr/bin/chromium; no browser download);
#   - the extension .vsix, built by editors/vscode/build.sh.
# Everything offline except the package registries (apt, npm). See
# /work/shared/docs/editor-clients.md section 2 for the recipe and its pitfalls.
set -euo pipefail
cd "$(dirname "$0")/../../.."
ROOT=$PWD
CS_VERSION=4.100.3
PW_VERSION=1.65.1
CACHE="${DAZZLE_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dazzle-lsp-e2e}"
CS_PREFIX="$CACHE/code-server"
PW_PREFIX="$CACHE/playwright"
step() { echo "== vscode install: $*"; }
fail() { echo "vscode install FAILED at step: $*" >&2; exit 1; }

# --- apt ---------------------------------------------------------------------------------
pkgs=(build-essential pkg-config libkrb5-dev ripgrep chromium)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  step "apt-get install ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  timeout 900 $SUDO apt-get update -qq || fail "apt-get update"
  timeout 1800 $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || fail "apt-get install ${missing[*]}"
fi
command -v rg >/dev/null || fail "ripgrep (rg) not on PATH after apt"
[ -x /usr/bin/chromium ] || fail "/usr/bin/chromium missing after apt"

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null) || fail "node not found"
[ "$node_major" = 20 ] || fail "code-server $CS_VERSION needs Node 20, found $(node --version)"

# --- code-server -------------------------------------------------------------------------
CS_BIN="$CS_PREFIX/node_modules/.bin/code-server"
cs_ok() {
  [ -x "$CS_BIN" ] || return 1
  local h; h=$(mktemp -d)
  local v; v=$(HOME="$h" XDG_CONFIG_HOME="$h/.config" XDG_DATA_HOME="$h/.local/share" \
    timeout 60 "$CS_BIN" --version 2>/dev/null | grep -m1 "^$CS_VERSION ") || true
  rm -rf "$h"
  [[ "$v" == "$CS_VERSION "* ]]
}
if cs_ok; then
  step "code-server $CS_VERSION already installed in $CS_PREFIX"
else
  step "code-server $CS_VERSION into $CS_PREFIX (node-gyp builds, a few minutes)"
  mkdir -p "$CS_PREFIX"
  cd "$CS_PREFIX"
  [ -f package.json ] || echo '{"name":"cs-host","private":true}' > package.json
  [ -f "code-server-$CS_VERSION.tgz" ] || timeout 600 npm pack --silent "code-server@$CS_VERSION" >/dev/null \
    || fail "npm pack code-server@$CS_VERSION"
  # @vscode/ripgrep's postinstall downloads rg from GitHub; seed its cache with Debian's rg.
  rgver=$(tar -xzOf "code-server-$CS_VERSION.tgz" package/lib/vscode/npm-shrinkwrap.json \
    | node -e 'const l=JSON.parse(require("fs").readFileSync(0,"utf8"));console.log(l.packages["node_modules/@vscode/ripgrep"].version)') \
    || fail "reading the @vscode/ripgrep version from code-server's shrinkwrap"
  [ -f "vscode-ripgrep-$rgver.tgz" ] || timeout 600 npm pack --silent "@vscode/ripgrep@$rgver" >/dev/null \
    || fail "npm pack @vscode/ripgrep@$rgver"
  rgtag=$(tar -xzOf "vscode-ripgrep-$rgver.tgz" package/lib/postinstall.js | sed -n "s/^const VERSION = '\(.*\)';.*/\1/p")
  [ -n "$rgtag" ] || fail "reading the ripgrep tag from @vscode/ripgrep's postinstall.js"
  rgcache="$(node -p 'require("os").tmpdir()')/vscode-ripgrep-cache-$rgver"
  mkdir -p "$rgcache" rgtmp
  cp "$(command -v rg)" rgtmp/rg
  tar -C rgtmp -czf "$rgcache/ripgrep-$rgtag-x86_64-unknown-linux-musl.tar.gz" rg
  # As root the postinstall wants --unsafe-perm; node-pty's postinstall runs npx (needs yes);
  # node-gyp must use the local Node headers, not download them.
  [ -d /usr/include/node ] && export npm_config_nodedir="${npm_config_nodedir:-/usr}"
  npm_config_unsafe_perm=true npm_config_yes=true timeout 2400 \
    nice npm install --no-audit --no-fund --loglevel=error "./code-server-$CS_VERSION.tgz" \
    || fail "npm install code-server-$CS_VERSION.tgz"
  cd "$ROOT"
  cs_ok || fail "code-server --version does not print $CS_VERSION"
fi

# --- playwright-core ---------------------------------------------------------------------
if [ -f "$PW_PREFIX/node_modules/playwright-core/package.json" ] \
  && [ "$(node -p "require('$PW_PREFIX/node_modules/playwright-core/package.json').version")" = "$PW_VERSION" ]; then
  step "playwright-core $PW_VERSION already installed"
else
  step "playwright-core $PW_VERSION into $PW_PREFIX"
  mkdir -p "$PW_PREFIX"
  [ -f "$PW_PREFIX/package.json" ] || echo '{"name":"pw-host","private":true}' > "$PW_PREFIX/package.json"
  (cd "$PW_PREFIX" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 timeout 600 \
    npm install --no-audit --no-fund --loglevel=error "playwright-core@$PW_VERSION") \
    || fail "npm install playwright-core@$PW_VERSION"
fi

# --- the extension -----------------------------------------------------------------------
step "building the extension (editors/vscode/build.sh)"
timeout 1200 bash "$ROOT/editors/vscode/build.sh" || fail "editors/vscode/build.sh"
ls "$ROOT"/editors/vscode/dazzle-*.vsix >/dev/null 2>&1 || fail "no editors/vscode/dazzle-*.vsix after build.sh"
step "done"
