// "Dazzle: Show RBAC Matrix": a webview with the project's static RBAC matrix, as the server
// computes it (`dazzle/rbacMatrix`, the JSON of `dazzle-lsp matrix --format json`), or — in its
// "changes since HEAD" mode — who gained or lost access since the last commit
// (`dazzle/matrixDiff`, the JSON of `dazzle-lsp diff --format json`). One panel; it follows the
// active .dsl document's project and refreshes (debounced) when a .dsl document changes or is
// saved (see panel.ts); a link at the top switches modes.
import * as vscode from "vscode";
import type { LanguageClient } from "vscode-languageclient/node";
import { ProjectPanel, View, escapeHtml } from "./panel";

interface Cell {
  role: string;
  entity: string;
  operation: string;
  decision: string;
}

interface MatrixWarning {
  kind?: string;
  entity?: string;
  role?: string;
  operation?: string;
  message: string;
}

export interface Matrix {
  roles: string[];
  entities: string[];
  operations: string[];
  cells: Cell[];
  warnings?: MatrixWarning[];
}

interface Location {
  file: string;
  line: number;
  column: number;
}

interface Change {
  entity: string;
  persona: string;
  operation: string;
  before: string | null;
  after: string | null;
  kind: "widened" | "narrowed" | "changed";
  sensitive: boolean;
  requires_sign_off: boolean;
  location: Location | null;
}

export interface MatrixDiff {
  base: string;
  base_commit: string | null;
  changes: Change[];
  entities: { added: string[]; removed: string[] };
  personas: { added: string[]; removed: string[] };
  summary: { widened: number; narrowed: number; changed: number; requires_sign_off: number };
}

export type Mode = "matrix" | "changes";

/** What each decision means, shown in the legend and as the cell's tooltip. */
const DECISIONS: Record<string, string> = {
  PERMIT: "a permit matched; no row filter",
  PERMIT_SCOPED: "a permit matched and a scope rule filters the rows",
  PERMIT_NO_SCOPE: "a permit matched but no scope rule covers the persona: the runtime denies (403/404)",
  PERMIT_FILTERED: "a permit matched on the legacy path and its condition filters the rows",
  PERMIT_UNPROTECTED: "the entity has no permission rules at all",
  DENY: "a forbid matched, or no permit did",
};

export class MatrixPanel extends ProjectPanel {
  private mode: Mode = "matrix";

  constructor(getClient: () => LanguageClient | undefined) {
    // No scripts; command links switch modes.
    super(getClient, "dazzle.rbacMatrix", "RBAC Matrix", {
      enableScripts: false,
      enableCommandUris: true,
      retainContextWhenHidden: false,
      localResourceRoots: [],
    });
  }

  /** Opens (or reveals) the panel for `uri`'s project, in `mode`. */
  show(uri: vscode.Uri, mode: Mode = "matrix"): void {
    this.mode = mode;
    this.open(uri);
  }

  protected async render(uri: vscode.Uri, client: LanguageClient): Promise<View> {
    const textDocument = { uri: client.code2ProtocolConverter.asUri(uri) };
    const method = this.mode === "changes" ? "dazzle/matrixDiff" : "dazzle/rbacMatrix";
    let body: string;
    try {
      if (this.mode === "changes") {
        const diff = await client.sendRequest<MatrixDiff>(method, { textDocument });
        body = renderChanges(diff);
      } else {
        const matrix = await client.sendRequest<Matrix | null>(method, { textDocument });
        body = matrix ? renderMatrix(matrix) : `<p class="muted">No Dazzle project found for ${escapeHtml(uri.fsPath)}.</p>`;
      }
    } catch (err) {
      body = `<p class="error">${method} failed: ${escapeHtml(err instanceof Error ? err.message : String(err))}</p>`;
    }
    return { title: this.mode === "changes" ? "RBAC Changes" : "RBAC Matrix", html: this.page(modeSwitch(this.mode, uri) + body) };
  }

  protected placeholder(message: string): View {
    return { title: "RBAC Matrix", html: this.page(`<p class="muted">${escapeHtml(message)}</p>`) };
  }

  private page(body: string): string {
    const csp = `default-src 'none'; style-src ${this.panel?.webview.cspSource ?? ""} 'unsafe-inline';`;
    return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>RBAC Matrix</title>
<style>${STYLE}</style></head>
<body>${body}</body></html>`;
  }
}

function decisionClass(decision: string): string {
  if (decision === "DENY") return "deny";
  if (decision === "PERMIT_NO_SCOPE" || decision === "PERMIT_UNPROTECTED") return "warn";
  if (decision === "PERMIT_SCOPED" || decision === "PERMIT_FILTERED") return "scoped";
  if (decision.startsWith("PERMIT")) return "permit";
  return "other";
}

export function renderMatrix(m: Matrix): string {
  const byKey = new Map<string, string>();
  for (const c of m.cells) byKey.set(`${c.entity}\u0000${c.role}\u0000${c.operation}`, c.decision);
  const seen = new Set(m.cells.map((c) => c.decision));

  const head = `<tr><th>Entity</th><th>Persona</th>${m.operations.map((o) => `<th>${escapeHtml(o)}</th>`).join("")}</tr>`;
  const rows: string[] = [];
  for (const entity of m.entities) {
    m.roles.forEach((role, i) => {
      const cells = m.operations.map((op) => {
        const d = byKey.get(`${entity}\u0000${role}\u0000${op}`);
        if (d === undefined) return `<td class="none">—</td>`;
        const tip = DECISIONS[d] ?? d;
        const key = escapeHtml(`${entity}/${role}/${op}`);
        return `<td class="d ${decisionClass(d)}" data-cell="${key}" title="${escapeHtml(`${role} ${op} ${entity}: ${tip}`)}">${escapeHtml(d)}</td>`;
      });
      const entityCell =
        i === 0 ? `<th class="entity" rowspan="${m.roles.length}" scope="rowgroup">${escapeHtml(entity)}</th>` : "";
      rows.push(`<tr class="${i === 0 ? "first" : ""}">${entityCell}<th class="role" scope="row">${escapeHtml(role)}</th>${cells.join("")}</tr>`);
    });
  }

  const legend = [...seen]
    .sort()
    .map((d) => `<span class="d ${decisionClass(d)}">${escapeHtml(d)}</span> ${escapeHtml(DECISIONS[d] ?? "")}`)
    .join("<br>");

  const warnings = (m.warnings ?? []).map((w) => `<li>${escapeHtml(w.message)}</li>`).join("");

  return `<h2>RBAC matrix</h2>
<p class="muted">${m.entities.length} entities × ${m.roles.length} personas × ${m.operations.length} operations, computed statically by dazzle-lsp.</p>
<p class="legend">${legend}</p>
<table>${head}${rows.join("")}</table>
${warnings ? `<h3>Warnings (${m.warnings!.length})</h3><ul class="warnings">${warnings}</ul>` : ""}`;
}

/** A command link to the other mode. */
function modeSwitch(mode: Mode, uri: vscode.Uri): string {
  const [command, label] =
    mode === "changes" ? ["dazzle.showMatrix", "Show the whole matrix"] : ["dazzle.showMatrixChanges", "Show changes since HEAD"];
  const args = encodeURIComponent(JSON.stringify([uri.toString()]));
  return `<p class="switch"><a href="command:${command}?${args}">${label}</a></p>`;
}

/** Who gained or lost access since the base (the JSON of `dazzle-lsp diff --format json`). */
export function renderChanges(d: MatrixDiff): string {
  const base = d.base_commit ? `${d.base} (${d.base_commit.slice(0, 7)})` : d.base;
  const s = d.summary;
  const structure = [
    ...d.entities.added.map((e) => `entity <b>${escapeHtml(e)}</b> added`),
    ...d.entities.removed.map((e) => `entity <b>${escapeHtml(e)}</b> removed`),
    ...d.personas.added.map((p) => `persona <b>${escapeHtml(p)}</b> added`),
    ...d.personas.removed.map((p) => `persona <b>${escapeHtml(p)}</b> removed`),
  ];
  if (d.changes.length === 0 && structure.length === 0) {
    return `<h2>Changes since ${escapeHtml(base)}</h2><p class="muted">No access changes.</p>`;
  }
  const rows = d.changes.map((c) => {
    const kind = c.requires_sign_off ? `${c.kind} · requires sign-off` : c.kind;
    const where = c.location ? `${c.location.file}:${c.location.line}:${c.location.column}` : "—";
    const before = c.before ?? "—";
    const after = c.after ?? "—";
    return `<tr class="${c.kind}"><th scope="row">${escapeHtml(c.entity)}${c.sensitive ? " (sensitive)" : ""}</th><td>${escapeHtml(c.persona)}</td><td>${escapeHtml(c.operation)}</td><td class="d ${decisionClass(before)}">${escapeHtml(before)}</td><td class="d ${decisionClass(after)}">${escapeHtml(after)}</td><td class="kind">${escapeHtml(kind)}</td><td class="d">${escapeHtml(where)}</td></tr>`;
  });
  return `<h2>Changes since ${escapeHtml(base)}</h2>
<p class="summary">${s.widened} widened${s.requires_sign_off ? ` (${s.requires_sign_off} requires sign-off)` : ""}, ${s.narrowed} narrowed, ${s.changed} changed</p>
${structure.length ? `<ul>${structure.map((x) => `<li>${x}</li>`).join("")}</ul>` : ""}
<table><tr><th>Entity</th><th>Persona</th><th>Operation</th><th>Before</th><th>After</th><th>Change</th><th>Decided at</th></tr>${rows.join("")}</table>`;
}

const STYLE = `
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); padding: 0 16px 16px; }
h2 { font-weight: 600; margin: 12px 0 4px; }
.muted { color: var(--vscode-descriptionForeground); }
.error { color: var(--vscode-errorForeground); }
table { border-collapse: collapse; margin-top: 8px; }
th, td { border: 1px solid var(--vscode-panel-border, rgba(128,128,128,0.35)); padding: 2px 8px; text-align: left; white-space: nowrap; }
th { font-weight: 600; background: var(--vscode-editorWidget-background); }
th.role { font-weight: normal; }
tr.first > * { border-top-width: 2px; }
.d { font-family: var(--vscode-editor-font-family); font-size: 0.9em; }
span.d { padding: 0 4px; border-radius: 3px; display: inline-block; margin: 2px 0; }
.permit { background: rgba(46,160,67,0.30); }
.scoped { background: rgba(31,111,235,0.30); }
.warn { background: rgba(210,153,34,0.40); }
.deny { background: rgba(248,81,73,0.22); color: var(--vscode-descriptionForeground); }
.other { background: rgba(128,128,128,0.25); }
.legend { line-height: 1.7; }
ul.warnings { padding-left: 20px; }
ul.warnings li { margin: 4px 0; }
.switch { margin: 8px 0 0; }
tr.widened .kind { color: var(--vscode-errorForeground); font-weight: 600; }
tr.narrowed .kind { color: var(--vscode-descriptionForeground); }
`;
