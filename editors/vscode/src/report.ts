// "Dazzle: Open Security Report": the page of `dazzle-lsp report` in a webview, built by the
// server from the editor's texts (`dazzle/securityReport`), unsaved edits included; it follows
// the active .dsl document's project and refreshes as it is edited (see panel.ts). "Dazzle: Save
// Security Report…" writes the same page (or its Markdown or JSON) where the user chooses.
import * as vscode from "vscode";
import type { LanguageClient } from "vscode-languageclient/node";
import { ProjectPanel, View, escapeHtml } from "./panel";

interface Report {
  format: "html" | "markdown" | "json";
  content: string;
}

/** The report of `uri`'s project, in `format`. */
export async function fetchReport(client: LanguageClient, uri: vscode.Uri, format: Report["format"]): Promise<string> {
  const textDocument = { uri: client.code2ProtocolConverter.asUri(uri) };
  const report = await client.sendRequest<Report>("dazzle/securityReport", { textDocument, format });
  return report.content;
}

export class ReportPanel extends ProjectPanel {
  constructor(getClient: () => LanguageClient | undefined) {
    // The page's own script only filters the grid; it reads fully without it. Its CSP
    // (default-src 'none') forbids every request.
    super(getClient, "dazzle.securityReport", "Security Report", {
      enableScripts: true,
      enableCommandUris: false,
      retainContextWhenHidden: false,
      localResourceRoots: [],
    });
  }

  /** Opens (or reveals) the report of `uri`'s project. */
  show(uri: vscode.Uri): void {
    this.open(uri);
  }

  protected async render(uri: vscode.Uri, client: LanguageClient): Promise<View> {
    try {
      return { title: "Security Report", html: await fetchReport(client, uri, "html") };
    } catch (err) {
      return this.placeholder(`dazzle/securityReport failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  protected placeholder(message: string): View {
    return {
      title: "Security Report",
      html: `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline';">
<style>body { font-family: var(--vscode-font-family); color: var(--vscode-descriptionForeground); padding: 0 16px; }</style>
</head><body><p>${escapeHtml(message)}</p></body></html>`,
    };
  }
}
