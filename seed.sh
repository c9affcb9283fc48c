#!/bin/sh
# Seeds the fuzz corpora from the real projects of the conformance kit (never committed).
# usage: fuzz/seed.sh [KIT_DIR]   (default: ../shared/conformance beside the repository)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
kit=${1:-$here/../../shared/conformance}
mkdir -p "$here/corpus/parse" "$here/corpus/analysis"
find "$kit/corpus" -name '*.dsl' | while read -r f; do
  cp "$f" "$here/corpus/parse/$(printf '%s' "$f" | cksum | cut -d' ' -f1).dsl"
done
# analysis: one input per project — dazzle.toml, then up to eight .dsl files, NUL-separated.
python3 - "$kit/corpus/projects" "$here/corpus/analysis" <<'PY'
import glob, hashlib, os, sys
base, out = sys.argv[1], sys.argv[2]
for project in sorted(glob.glob(base + "/*/*")):
    manifest = os.path.join(project, "dazzle.toml")
    if not os.path.exists(manifest):
        continue
    parts = [open(manifest, "rb").read()]
    parts += [open(f, "rb").read() for f in sorted(glob.glob(project + "/dsl/**/*.dsl", recursive=True))[:8]]
    data = b"\0".join(parts)
    open(os.path.join(out, hashlib.md5(data).hexdigest()[:12]), "wb").write(data)
PY
echo "seeded $(ls "$here/corpus/parse" | wc -l) parse and $(ls "$here/corpus/analysis" | wc -l) analysis inputs"
