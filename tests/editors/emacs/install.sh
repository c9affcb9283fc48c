#!/usr/bin/env bash
# Installs the Emacsen of the end-to-end test, from Debian's apt repositories:
#   1. emacs-nox 28.2 + elpa-eglot 1.9 (Debian 12), installed with apt-get;
#   2. Emacs 30 (Eglot 1.17 built in) from bookworm-backports, side by side: its packages are
#      downloaded with a private apt source list and unpacked under
#      ${XDG_CACHE_HOME:-~/.cache}/dazzle-lsp-e2e/emacs30 (nothing under /etc or in dpkg's
#      database changes), run through the wrapper emacs30/bin/emacs. Optional: a failure there
#      only warns. DAZZLE_EMACS30=0 skips it.
# Idempotent: each part is skipped when already in place.
set -euo pipefail
cache="${XDG_CACHE_HOME:-$HOME/.cache}/dazzle-lsp-e2e"
sudo=""
if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive

have_eglot() {
  "$1" --batch -q --eval "(require 'eglot)" >/dev/null 2>&1
}

# 1. Debian 12's Emacs + Eglot.
if command -v emacs >/dev/null 2>&1 && have_eglot emacs; then
  echo "emacs: $(emacs --version | head -1) with eglot (already installed)"
else
  if ! apt-cache show elpa-eglot >/dev/null 2>&1; then
    $sudo apt-get -o DPkg::Lock::Timeout=600 update -qq
  fi
  $sudo apt-get -y --no-install-recommends -o DPkg::Lock::Timeout=600 install emacs-nox elpa-eglot
  have_eglot emacs || { echo "error: emacs installed but (require 'eglot) fails" >&2; exit 1; }
  echo "emacs: $(emacs --version | head -1) with eglot (installed)"
fi

# 2. Emacs 30 from bookworm-backports, unpacked into the cache.
install_emacs30() {
  local dir="$cache/emacs30" apt_dir="$cache/emacs30-apt"
  local root="$dir/root"
  if [ -x "$dir/bin/emacs" ] && have_eglot "$dir/bin/emacs"; then
    echo "emacs30: $("$dir/bin/emacs" --version | head -1) (already unpacked in $dir)"
    return 0
  fi
  rm -rf "$dir" "$apt_dir"
  mkdir -p "$apt_dir/sources.list.d" "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" \
    "$apt_dir/debs" "$root" "$dir/bin"
  cp /etc/apt/sources.list.d/*.sources "$apt_dir/sources.list.d/" 2>/dev/null || true
  cp /etc/apt/sources.list "$apt_dir/sources.list.d/main.list" 2>/dev/null || true
  echo 'deb http://deb.debian.org/debian bookworm-backports main' > "$apt_dir/sources.list.d/backports.list"
  local apt=(-o "Dir::Etc::sourceparts=$apt_dir/sources.list.d" -o "Dir::Etc::sourcelist=/dev/null"
             -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache"
             -o APT::Sandbox::User=root -o DPkg::Lock::Timeout=600)
  apt-get "${apt[@]}" update -qq
  (cd "$apt_dir/debs" &&
    apt-get "${apt[@]}" download emacs-nox/bookworm-backports emacs-bin-common/bookworm-backports \
      emacs-common/bookworm-backports libtree-sitter0)
  for deb in "$apt_dir"/debs/*.deb; do dpkg-deb -x "$deb" "$root"; done
  local version pdmp loadpath
  version="$(ls "$root/usr/share/emacs" | grep -E '^[0-9]+\.[0-9]+$' | sort -V | tail -1)"
  pdmp="$(find "$root/usr/libexec/emacs/$version" -name '*.pdmp' | head -1)"
  loadpath="$(find "$root/usr/share/emacs/$version/lisp" -type d | paste -sd:)"
  cat > "$dir/bin/emacs" <<WRAPPER
#!/bin/sh
# Emacs $version from bookworm-backports, unpacked by tests/editors/emacs/install.sh.
export LD_LIBRARY_PATH="$root/usr/lib/x86_64-linux-gnu\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}"
export EMACSLOADPATH="$loadpath"
export EMACSDATA="$root/usr/share/emacs/$version/etc"
export EMACSPATH="$root/usr/libexec/emacs/$version/x86_64-linux-gnu"
# --no-site-file: the system's site-start belongs to Debian's Emacs 28 and its packages.
exec "$root/usr/bin/emacs-nox" --dump-file="$pdmp" --no-site-file "\$@"
WRAPPER
  chmod +x "$dir/bin/emacs"
  rm -rf "$apt_dir/debs"
  have_eglot "$dir/bin/emacs" || { echo "error: the unpacked Emacs $version cannot (require 'eglot)" >&2; return 1; }
  echo "emacs30: $("$dir/bin/emacs" --version | head -1) (unpacked in $dir)"
}

if [ "${DAZZLE_EMACS30:-1}" != 0 ]; then
  if ! install_emacs30; then
    echo "warning: Emacs 30 from bookworm-backports could not be set up; the test runs on $(emacs --version | head -1) only" >&2
    rm -rf "$cache/emacs30"
  fi
fi
