#!/bin/sh
# Seeds the fuzz corpora from the real projects of the conformance kit (never committed).
# usage: fuzz/seed.sh [KIT_DIR]   (default: ../shared/conformance beside the repository)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
kit=${1:-$here/../../shared/conformance}
for target in parse; do
  mkdir -p "$here/corpus/$target"
  find "$kit/corpus" -name '*.dsl' | while read -r f; do
    cp "$f" "$here/corpus/$target/$(printf '%s' "$f" | cksum | cut -d' ' -f1).dsl"
  done
done
echo "seeded $(ls "$here/corpus/parse" | wc -l) files"
