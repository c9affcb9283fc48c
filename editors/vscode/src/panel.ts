// A webview panel that shows something the server computes for a project: it follows the
// active .dsl document's project, refreshes (debounced) when a .dsl document changes or is
// saved or the server restarts, and drops results that a newer refresh overtook.
import * as vscode from "vscode";
import type { LanguageClient } from "vscode-languageclient/node";

const REFRESH_DELAY_MS = 400;

/** What a refresh shows: the panel's title and its whole HTML. */
export interface View {
  title: string;
  html: string;
}

export abstract class ProjectPanel implements vscode.Disposable {
  protected panel: vscode.WebviewPanel | undefined;
  protected documentUri: vscode.Uri | undefined;
  private timer: NodeJS.Timeout | undefined;
  private generation = 0;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    protected readonly getClient: () => LanguageClient | undefined,
    private readonly viewType: string,
    private readonly title: string,
    private readonly options: vscode.WebviewPanelOptions & vscode.WebviewOptions,
  ) {
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

  /** What the panel shows for `uri`'s project (`webview` for its CSP source). */
  protected abstract render(uri: vscode.Uri, client: LanguageClient, webview: vscode.Webview): Promise<View>;

  /** The page shown while the first result is computed, or when the server is not running. */
  protected abstract placeholder(message: string): View;

  /** Opens (or reveals) the panel for `uri`'s project and refreshes it. */
  protected open(uri: vscode.Uri): void {
    this.documentUri = uri;
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel(
        this.viewType,
        this.title,
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
        this.options,
      );
      this.panel.onDidDispose(() => {
        this.panel = undefined;
        if (this.timer) clearTimeout(this.timer);
      });
      this.panel.webview.html = this.placeholder("Loading…").html;
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
    const view =
      client && client.isRunning()
        ? await this.render(uri, client, panel.webview)
        : this.placeholder('The Dazzle language server is not running (see the "Dazzle Language Server" output).');
    // A newer refresh started meanwhile, or the panel was closed: drop this result.
    if (generation !== this.generation || this.panel !== panel) return;
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    panel.title = folder ? `${view.title} — ${folder.name}` : view.title;
    panel.webview.html = view.html;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}
