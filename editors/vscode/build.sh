#!/usr/bin/env bash
# Builds the Dazzle VS Code extension into editors/vscode/dazzle-<version>.vsix:
# npm ci, typecheck, grammar snapshot tests (npm test), esbuild bundle, the server binary
# copied to server/<platform>-<arch>/, LICENSE assembled from the repository's, vsce package.
# Offline apart from the npm registry (npm ci).
#   DAZZLE_LSP_BUNDLE=/path/to/dazzle-lsp  server to bundle (default: target/release/dazzle-lsp)
#   DAZZLE_VSIX_NO_SERVER=1                package without a bundled server
set -euo pipefail
cd "$(dirname "$0")"
HERE=$PWD
ROOT=$(cd ../.. && pwd)
step() { echo "== vscode build: $*"; }
fail() { echo "vscode build FAILED at step: $*" >&2; exit 1; }

command -v node >/dev/null || fail "node is not installed (Node 18+ needed; @vscode/vsce 3.9.2 works on Node 20)"
version=$(node -p 'require("./package.json").version')
name=$(node -p 'require("./package.json").name')
vsix="$HERE/$name-$version.vsix"

step "npm ci"
npm ci --no-audit --no-fund --loglevel=error || fail "npm ci"
step "typecheck (tsc --noEmit)"
npm run --silent typecheck || fail "typecheck"
step "grammar snapshot tests (npm test)"
npm test --silent || fail "grammar snapshot tests (npm test; UPDATE_SNAPSHOTS=1 npm test after an intended grammar change)"
step "bundle (esbuild -> dist/extension.js)"
rm -rf dist
npm run --silent build || fail "esbuild bundle"

rm -rf server
if [ -z "${DAZZLE_VSIX_NO_SERVER:-}" ]; then
  src="${DAZZLE_LSP_BUNDLE:-$ROOT/target/release/dazzle-lsp}"
  [ -x "$src" ] || fail "no server binary at $src (run: cargo build --release -p dazzle-lsp, or set DAZZLE_LSP_BUNDLE)"
  platform=$(node -p 'process.platform + "-" + process.arch')
  exe=dazzle-lsp
  [ "${platform%%-*}" = win32 ] && exe=dazzle-lsp.exe
  step "bundling $src as server/$platform/$exe"
  mkdir -p "server/$platform"
  cp "$src" "server/$platform/$exe"
  chmod 755 "server/$platform/$exe"
  # The release binary carries debug info; the packaged copy does not need it.
  if command -v strip >/dev/null; then strip "server/$platform/$exe" 2>/dev/null || true; fi
fi

step "LICENSE (the repository's MIT and Apache-2.0 texts)"
{
  echo "dazzle-lsp is licensed under either of the MIT license or the Apache License, Version 2.0,"
  echo "at your option. Both texts follow."
  echo
  cat "$ROOT/LICENSE-MIT"
  echo
  cat "$ROOT/LICENSE-APACHE"
} > LICENSE

step "vsce package -> $(basename "$vsix")"
rm -f "$vsix"
npx --no-install vsce package --no-dependencies -o "$vsix" \
  || fail "vsce package"
[ -f "$vsix" ] || fail "vsce did not produce $vsix"
echo "$vsix"
