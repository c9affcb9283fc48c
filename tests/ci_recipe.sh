#!/usr/bin/env bash
# Runs the CI recipe of docs/ci.md — the composite action's body, .ci/action.sh, with the
# environment GitHub Actions gives it — on a scratch repository: a base branch with
# examples/clinic, a pull-request branch that lets receptionists update visits (personal data).
# Checks the SARIF, the job summary, the outputs and the exit status for each --fail-on.
#   usage: tests/ci_recipe.sh   (DAZZLE_LSP: the binary, default target/release/dazzle-lsp)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="$(realpath "${DAZZLE_LSP:-$root/target/release/dazzle-lsp}")"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/dazzle-ci-recipe.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
fail() { echo "ci recipe: FAIL: $*" >&2; exit 1; }

export GIT_AUTHOR_NAME=ci GIT_AUTHOR_EMAIL=ci@example.com GIT_COMMITTER_NAME=ci GIT_COMMITTER_EMAIL=ci@example.com
repo="$tmp/repo"
mkdir -p "$repo"
cp -R "$root/examples/clinic" "$repo/clinic"
cd "$repo"
git init -q -b main
git add -A
git commit -q -m base
git update-ref refs/remotes/origin/main HEAD   # what actions/checkout with fetch-depth: 0 leaves
git checkout -q -b pr
sed -i 's/^    update: role(clinician)$/    update: role(clinician) or role(receptionist)/' clinic/dsl/records.dsl
git commit -q -am "let receptionists update visits"

run() { # FAIL_ON: runs the action's body; prints its exit status
  : > "$tmp/summary" && : > "$tmp/output"
  set +e
  DAZZLE_LSP="$bin" INPUT_PROJECT=clinic INPUT_CHECK=true INPUT_SARIF="$tmp/out.sarif" INPUT_DIFF_BASE=origin/main \
    INPUT_FAIL_ON="$1" GITHUB_STEP_SUMMARY="$tmp/summary" GITHUB_OUTPUT="$tmp/output" \
    "$root/.ci/action.sh" > "$tmp/stdout" 2> "$tmp/stderr"
  echo $?
  set -e
}

status=$(run widened)
[ "$status" = 1 ] || fail "--fail-on widened: exit $status, expected 1 ($(cat "$tmp/stderr"))"
python3 - "$tmp/out.sarif" <<'PY' || fail "the SARIF is not a SARIF 2.1.0 log with results"
import json, sys
doc = json.load(open(sys.argv[1]))
assert doc["version"] == "2.1.0" and doc["runs"][0]["results"], doc
PY
grep -q '^- ⚠️ receptionist gained update on Visit (sensitive — requires sign-off)$' "$tmp/summary" \
  || fail "the job summary lacks the widened change: $(cat "$tmp/summary")"
grep -q '^::error file=clinic/dsl/records.dsl,line=78,.*title=access-widened::receptionist gained update on Visit' "$tmp/stdout" \
  || fail "no access-widened annotation on records.dsl:78: $(grep '^::' "$tmp/stdout" | head -5)"
grep -q '^::warning file=clinic/dsl/records.dsl,.*title=missing-audit::' "$tmp/stdout" \
  || fail "no --check annotations"
grep -q '^diff-markdown<<DAZZLE_LSP_EOF$' "$tmp/output" || fail "no diff-markdown output"
grep -q '^diff-status=1$' "$tmp/output" || fail "diff-status is not 1: $(cat "$tmp/output")"

status=$(run none)
[ "$status" = 0 ] || fail "--fail-on none: exit $status, expected 0"

git checkout -q main
status=$(run any)
[ "$status" = 0 ] || fail "no change on main with --fail-on any: exit $status, expected 0"
grep -qx 'No access changes.' "$tmp/summary" || fail "main vs origin/main: $(cat "$tmp/summary")"

echo "ci recipe: ok (widened fails, --fail-on none passes, no change passes; SARIF, summary, annotations, outputs)"
