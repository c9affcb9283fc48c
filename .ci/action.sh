#!/usr/bin/env bash
# The body of the composite GitHub Action (action.yml at the repository root), also run by
# .ci/run through tests/ci_recipe.sh on a scratch repository. Inputs come as environment:
#   DAZZLE_LSP        the binary (default: dazzle-lsp on PATH)
#   INPUT_PROJECT     the project directory (default .)
#   INPUT_CHECK       "true": --check, SARIF to INPUT_SARIF and GitHub annotations
#   INPUT_SARIF       where the SARIF goes (default dazzle-lsp.sarif)
#   INPUT_DIFF_BASE   a git revision to diff against ("" = no diff)
#   INPUT_FAIL_ON     widened | any | none (default widened)
#   GITHUB_STEP_SUMMARY, GITHUB_OUTPUT  as GitHub Actions sets them (files; optional here)
# Exit status: 1 when the check has errors or the diff has a change that INPUT_FAIL_ON names,
# 2 on usage errors; the outputs are written either way.
set -uo pipefail
bin="${DAZZLE_LSP:-dazzle-lsp}"
project="${INPUT_PROJECT:-.}"
sarif="${INPUT_SARIF:-dazzle-lsp.sarif}"
summary="${GITHUB_STEP_SUMMARY:-/dev/null}"
output="${GITHUB_OUTPUT:-/dev/null}"
status=0

if [ "${INPUT_CHECK:-true}" = true ]; then
  "$bin" --check "$project" --format sarif > "$sarif"
  check=$?
  # The same findings as annotations on the changed lines of the pull request.
  "$bin" --check "$project" --format github || true
  echo "sarif=$sarif" >> "$output"
  echo "check-status=$check" >> "$output"
  [ "$check" -gt "$status" ] && status=$check
fi

if [ -n "${INPUT_DIFF_BASE:-}" ]; then
  markdown="$(mktemp)"
  "$bin" diff "$project" --base "$INPUT_DIFF_BASE" --format markdown --fail-on "${INPUT_FAIL_ON:-widened}" > "$markdown"
  diff=$?
  if [ "$diff" -le 1 ]; then
    cat "$markdown" >> "$summary"
    "$bin" diff "$project" --base "$INPUT_DIFF_BASE" --format github --fail-on none
    { echo "diff-markdown<<DAZZLE_LSP_EOF"; cat "$markdown"; echo "DAZZLE_LSP_EOF"; } >> "$output"
  fi
  echo "diff-status=$diff" >> "$output"
  rm -f "$markdown"
  [ "$diff" -gt "$status" ] && status=$diff
fi
exit "$status"
