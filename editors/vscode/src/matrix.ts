// "Dazzle: Show RBAC Matrix": a webview with the project's static RBAC matrix, as the server
// computes it (`dazzle/rbacMatrix`, the JSON of `dazzle-lsp matrix --format json`). One panel;
// it follows the active .dsl document's project and refreshes (debounced) when a .dsl document
// changes or is saved.
import * as vscode from "vscode";
import type { LanguageClient } from "vscode-languageclient/node";

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

const REFRESH_DELAY_MS = 400;

/** What each decision means, shown in the legend and as the cell's tooltip. */
const DECISIONS: Record<string, string> = {
  PERMIT: "a permit matched; no row filter",
  PERMIT_SCOPED: "a permit matched and a scope rule filters the rows",
  PERMIT_NO_SCOPE: "a permit matched but no scope rule covers the persona: the runtime denies (403/404)",
  PERMIT_FILTERED: "a permit matched on the legacy path and its condition filters the rows",
  PERMIT_UNPROTECTED: "the entity has no permission rules at all",
  DENY: "a forbid matched, or no permit did",
};

export class MatrixPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private documentUri: vscode.Uri | undefined;
  private timer: NodeJS.Timeout | undefined;
  private generation = 0;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly getClient: () => LanguageClient | undefined) {
    this.disposables.push(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.languageId === "dazzle" && e.contentChanges.length > 0) this.schedule();
      }),
      vscode.workspace.onDidSaveTextDocument((d) => {
        if (d.languageId === "dazzle") this.schedule();
      }),
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        if (this.panel && editor?.document.languageId === "dazzle") {
          if (editor.document.uri.toString() !== this.documentUri?.toString()) {
            this.documentUri = editor.document.uri;
            this.schedule();
          }
        }
      }),
    );
  }

  /** Opens (or reveals) the panel for `uri`'s project. */
  show(uri: vscode.Uri): void {
    this.documentUri = uri;
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel(
        "dazzle.rbacMatrix",
        "RBAC Matrix",
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
        { enableScripts: false, retainContextWhenHidden: false, localResourceRoots: [] },
      );
      this.panel.onDidDispose(() => {
        this.panel = undefined;
        if (this.timer) clearTimeout(this.timer);
      });
      this.panel.webview.html = this.page("<p class=\"muted\">Loading the RBAC matrix…</p>");
    } else {
      this.panel.reveal(undefined, true);
    }
    void this.refresh();
  }

  /** Called by the extension after the server (re)started. */
  serverRestarted(): void {
    if (this.panel) this.schedule();
  }

  private schedule(): void {
    if (!this.panel) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), REFRESH_DELAY_MS);
  }

  private async refresh(): Promise<void> {
    const panel = this.panel;
    const uri = this.documentUri;
    if (!panel || !uri) return;
    const generation = ++this.generation;
    const client = this.getClient();
    let body: string;
    if (!client || !client.isRunning()) {
      body = `<p class="error">The Dazzle language server is not running (see the "Dazzle Language Server" output).</p>`;
    } else {
      try {
        const matrix = await client.sendRequest<Matrix | null>("dazzle/rbacMatrix", {
          textDocument: { uri: client.code2ProtocolConverter.asUri(uri) },
        });
        body = matrix ? renderMatrix(matrix) : `<p class="muted">No Dazzle project found for ${escapeHtml(uri.fsPath)}.</p>`;
      } catch (err) {
        body = `<p class="error">dazzle/rbacMatrix failed: ${escapeHtml(err instanceof Error ? err.message : String(err))}</p>`;
      }
    }
    // A newer refresh started meanwhile, or the panel was closed: drop this result.
    if (generation !== this.generation || this.panel !== panel) return;
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    panel.title = folder ? `RBAC Matrix — ${folder.name}` : "RBAC Matrix";
    panel.webview.html = this.page(body);
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

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
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

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
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
`;
