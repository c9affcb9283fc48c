#!/bin/sh
# Seeds the fuzz corpora from the real projects: the conformance kit (never committed) and the
# bundled example. `parse` and `pieces` take the files as they are (`pieces` repeats each up to
# 160 KiB); `incremental_edits` and `positions` take a file, a NUL byte and the bytes their edits or positions are drawn from (here the file's own
# first bytes, so seeding is deterministic), each file also with CRLF line breaks.
# usage: fuzz/seed.sh [KIT_DIR]   (default: ../shared/conformance beside the repository)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
kit=${1:-$here/../../shared/conformance}
files() {
  if [ -d "$kit/corpus" ]; then find "$kit/corpus" -name '*.dsl'; fi
  find "$here/../examples" -name '*.dsl'
}
mkdir -p "$here/corpus/parse" "$here/corpus/pieces" "$here/corpus/fmt" "$here/corpus/incremental_edits" "$here/corpus/positions"
files | while read -r f; do
  sum=$(printf '%s' "$f" | cksum | cut -d' ' -f1)
  cp "$f" "$here/corpus/parse/$sum.dsl"
  cp "$f" "$here/corpus/pieces/$sum.dsl"
  # The formatter: the file, and the file with CRLF line breaks and tabs for indentation.
  head -c 8000 "$f" > "$here/corpus/fmt/$sum.dsl"
  head -c 8000 "$f" | sed 's/^  /\t/; s/$/\r/' > "$here/corpus/fmt/$sum-crlf-tabs.dsl"
  # Edits re-analyse the whole text twice per step: keep the texts short (the first 3000 bytes).
  for target in incremental_edits positions; do
    { head -c 3000 "$f"; printf '\000'; head -c 512 "$f"; } > "$here/corpus/$target/$sum"
    { head -c 3000 "$f" | sed 's/$/\r/'; printf '\000'; head -c 512 "$f"; } > "$here/corpus/$target/$sum-crlf"
  done
done
for target in parse pieces fmt incremental_edits positions; do
  echo "$target: $(ls "$here/corpus/$target" | wc -l) files"
done
