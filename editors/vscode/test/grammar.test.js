'use strict';
// Snapshot test of the TextMate grammar (syntaxes/dazzle.tmLanguage.json), run by `npm test`.
//
// Every test/grammar/*.dsl is tokenized with vscode-textmate + vscode-oniguruma (the engine
// VS Code itself uses) and compared with the .scopes file beside it: one line per token,
//
//   LINE:START-END "text" scope.a scope.b
//
// LINE and columns 1-based, END inclusive, columns in UTF-16 code units; the root scope
// (source.dazzle) is omitted, whitespace-only tokens are skipped and the others are shown
// without their leading/trailing whitespace (START-END is the trimmed text's range).
//
// A fixture may also carry assertion comments (not written to the .scopes file; they are
// checked on every run, also with UPDATE_SNAPSHOTS=1). They refer to the closest preceding
// line that is not an assertion:
//
//   entity Task "Task":
//   # <- keyword.declaration.dazzle          the column of the `#`
//   #      ^^^^ entity.name.type.dazzle      every column under a caret
//   #      ^^^^ !keyword                     no scope of the token may start with `keyword`
//
// Several scopes on one assertion must all hold. A scope matches a token scope equal to it
// or starting with it plus a dot (`entity.name` matches `entity.name.type.dazzle`).
//
//   UPDATE_SNAPSHOTS=1 npm test     rewrites the .scopes files (and creates missing ones)
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

const HERE = __dirname;
const FIXTURES = path.join(HERE, 'grammar');
const GRAMMAR = path.join(HERE, '..', 'syntaxes', 'dazzle.tmLanguage.json');
const ROOT_SCOPE = 'source.dazzle';
const UPDATE = !!process.env.UPDATE_SNAPSHOTS && process.env.UPDATE_SNAPSHOTS !== '0';
const ASSERTION = /^(\s*)#(\s*)(<-|\^+)\s+(\S.*?)\s*$/;

let grammarPromise;
function loadGrammar() {
  if (!grammarPromise) {
    const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
    const onigLib = oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength)).then(() => ({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }));
    const registry = new vsctm.Registry({
      onigLib,
      loadGrammar: async (scopeName) => {
        if (scopeName !== ROOT_SCOPE) return null;
        const text = fs.readFileSync(GRAMMAR, 'utf8');
        return vsctm.parseRawGrammar(text, GRAMMAR);
      },
    });
    grammarPromise = registry.loadGrammar(ROOT_SCOPE).then((g) => {
      if (!g) throw new Error(`grammar ${ROOT_SCOPE} not loaded from ${GRAMMAR}`);
      return g;
    });
  }
  return grammarPromise;
}

// Tokenizes `text`; returns { snapshot, tokens, lines, assertions }.
function tokenize(grammar, text) {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  let ruleStack = vsctm.INITIAL;
  const tokens = []; // per line: [{ start, end, text, scopes }]
  const out = [];
  const assertions = [];
  let target = -1; // index of the last non-assertion line
  lines.forEach((line, i) => {
    const r = grammar.tokenizeLine(line, ruleStack, 0);
    ruleStack = r.ruleStack;
    const lineTokens = r.tokens.map((t) => ({
      start: t.startIndex,
      end: Math.min(t.endIndex, line.length),
      text: line.slice(t.startIndex, Math.min(t.endIndex, line.length)),
      scopes: t.scopes.filter((s) => s !== ROOT_SCOPE),
    }));
    tokens.push(lineTokens);
    const m = ASSERTION.exec(line);
    if (m && target >= 0) {
      const hash = m[1].length;
      const cols = [];
      if (m[3] === '<-') cols.push(hash);
      else for (let c = 0; c < m[3].length; c++) cols.push(hash + 1 + m[2].length + c);
      assertions.push({ line: i, target, cols, scopes: m[4].split(/\s+/) });
      return; // assertion lines are not part of the snapshot
    }
    target = i;
    for (const t of lineTokens) {
      const text = t.text.trim();
      if (text === '') continue;
      const start = t.start + (t.text.length - t.text.trimStart().length);
      out.push(`${i + 1}:${start + 1}-${start + text.length} ${JSON.stringify(text)}${t.scopes.length ? ' ' + t.scopes.join(' ') : ''}`);
    }
  });
  return { snapshot: out.join('\n') + '\n', tokens, lines, assertions };
}

function scopeMatches(tokenScope, wanted) {
  return tokenScope === wanted || tokenScope.startsWith(wanted + '.');
}

function checkAssertions({ tokens, lines, assertions }) {
  const failures = [];
  for (const a of assertions) {
    // One message per (token, wanted scope), not one per caret.
    const seen = new Set();
    for (const col of a.cols) {
      const tok = tokens[a.target].find((t) => t.start <= col && col < t.end);
      const where = `line ${a.target + 1} col ${col + 1} (assertion on line ${a.line + 1})`;
      if (!tok) {
        if (!seen.has('none')) failures.push(`${where}: no token there (line is ${JSON.stringify(lines[a.target])})`);
        seen.add('none');
        continue;
      }
      for (const want of a.scopes) {
        const key = `${tok.start}/${want}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const negated = want.startsWith('!');
        const scope = negated ? want.slice(1) : want;
        const has = tok.scopes.some((s) => scopeMatches(s, scope));
        if (has === negated) {
          failures.push(
            `${where}: token ${JSON.stringify(tok.text)} ${negated ? 'must not have' : 'lacks'} scope ${scope}\n` +
              `    its scopes: ${tok.scopes.join(' ') || '(root only)'}`,
          );
        }
      }
    }
  }
  return failures;
}

// Line diff (LCS), printed like `diff -u` hunks with 2 lines of context.
function diffLines(expected, actual, context = 2) {
  const a = expected.split('\n');
  const b = actual.split('\n');
  const n = a.length;
  const m = b.length;
  const lcs = Array.from({ length: n + 1 }, () => new Int32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const ops = []; // [' '|'-'|'+', text]
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) (ops.push([' ', a[i]]), i++, j++);
    else if (i < n && (j >= m || lcs[i + 1][j] >= lcs[i][j + 1])) ops.push(['-', a[i++]]);
    else ops.push(['+', b[j++]]);
  }
  const keep = new Array(ops.length).fill(false);
  ops.forEach((op, k) => {
    if (op[0] !== ' ') for (let c = Math.max(0, k - context); c <= Math.min(ops.length - 1, k + context); c++) keep[c] = true;
  });
  const out = [];
  let skipped = false;
  ops.forEach((op, k) => {
    if (!keep[k]) {
      if (!skipped) out.push('  …');
      skipped = true;
      return;
    }
    skipped = false;
    out.push(`${op[0] === ' ' ? ' ' : op[0]} ${op[1]}`);
  });
  return out.join('\n');
}

const fixtures = fs
  .readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.dsl'))
  .sort();

test('grammar fixtures exist and every .scopes file has its .dsl', () => {
  assert.ok(fixtures.length > 0, `no fixtures in ${FIXTURES}`);
  const orphans = fs
    .readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.scopes') && !fixtures.includes(f.replace(/\.scopes$/, '.dsl')));
  assert.deepEqual(orphans, [], 'orphan .scopes files (delete them)');
});

for (const file of fixtures) {
  test(`grammar: ${file}`, async () => {
    const grammar = await loadGrammar();
    const dslPath = path.join(FIXTURES, file);
    const scopesPath = dslPath.replace(/\.dsl$/, '.scopes');
    const result = tokenize(grammar, fs.readFileSync(dslPath, 'utf8'));

    const failures = checkAssertions(result);

    const rel = path.relative(process.cwd(), scopesPath);
    if (UPDATE) {
      const old = fs.existsSync(scopesPath) ? fs.readFileSync(scopesPath, 'utf8') : null;
      if (old !== result.snapshot) {
        fs.writeFileSync(scopesPath, result.snapshot);
        console.log(`# updated ${rel}`);
      }
    } else if (!fs.existsSync(scopesPath)) {
      failures.push(`${rel} does not exist (run: UPDATE_SNAPSHOTS=1 npm test)`);
    } else {
      const expected = fs.readFileSync(scopesPath, 'utf8');
      if (expected !== result.snapshot) {
        failures.push(
          `${rel} differs from the tokenization (- expected, + actual; ` +
            `if the change is intended: UPDATE_SNAPSHOTS=1 npm test):\n` +
            diffLines(expected.replace(/\n$/, ''), result.snapshot.replace(/\n$/, '')),
        );
      }
    }
    if (failures.length) assert.fail(`${file}:\n` + failures.join('\n'));
  });
}
