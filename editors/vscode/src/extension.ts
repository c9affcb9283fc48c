// The Dazzle extension: starts dazzle-lsp over stdio for `dazzle` documents (*.dsl), passes the
// per-code severities of `dazzle.rules` and the `dazzle.codeLens.*` switches to it, and adds
// "Dazzle: Restart Server", "Dazzle: Show RBAC Matrix", "Dazzle: Show RBAC Matrix Changes Since
// HEAD" (also the commands of the server's code lenses), "Dazzle: Open Security Report" and
// "Dazzle: Save Security Report…".
import * as path from "path";
import * as vscode from "vscode";
import {
  DidChangeConfigurationNotification,
  LanguageClient,
  LanguageClientOptions,
  RevealOutputChannelOn,
  ServerOptions,
  State,
  TransportKind,
} from "vscode-languageclient/node";
import { MatrixPanel } from "./matrix";
import { ReportPanel, fetchReport } from "./report";
import { findServer } from "./serverPath";

const SEVERITIES = new Set(["error", "warning", "info", "hint", "off"]);

let client: LanguageClient | undefined;
let output: vscode.OutputChannel;
let matrix: MatrixPanel;
let report: ReportPanel;
/** Serialises start/stop/restart so that commands and setting changes cannot interleave. */
let lifecycle: Promise<void> = Promise.resolve();

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel("Dazzle Language Server");
  matrix = new MatrixPanel(() => client);
  report = new ReportPanel(() => client);
  context.subscriptions.push(output, matrix, report);

  context.subscriptions.push(
    vscode.commands.registerCommand("dazzle.restartServer", () => queue(() => restart(context))),
    vscode.commands.registerCommand("dazzle.showMatrix", (uri?: string) => showMatrix(context, "matrix", uri)),
    vscode.commands.registerCommand("dazzle.showMatrixChanges", (uri?: string) => showMatrix(context, "changes", uri)),
    vscode.commands.registerCommand("dazzle.openSecurityReport", async (from?: unknown) => {
      const uri = await ready(context, from);
      if (uri) report.show(uri);
    }),
    vscode.commands.registerCommand("dazzle.saveSecurityReport", (from?: unknown) => saveReport(context, from)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration("dazzle.server.path")) {
        void queue(() => restart(context));
      } else if ((e.affectsConfiguration("dazzle.rules") || e.affectsConfiguration("dazzle.codeLens")) && client?.isRunning()) {
        // Exactly the shape the server reads: { settings: { dazzle: { rules, codeLens } } }.
        void client
          .sendNotification(DidChangeConfigurationNotification.type, { settings: { dazzle: settings() } })
          .catch((err) => output.appendLine(`didChangeConfiguration failed: ${String(err)}`));
      }
    }),
  );

  await queue(() => start(context));
}

export async function deactivate(): Promise<void> {
  await queue(() => stop());
}

function queue(job: () => Promise<void>): Promise<void> {
  lifecycle = lifecycle.then(job, job);
  return lifecycle;
}

/** `dazzle.rules`, keeping only valid `code: severity` pairs (the others are logged). */
function rules(): Record<string, string> {
  const raw = vscode.workspace.getConfiguration("dazzle").get<unknown>("rules");
  const out: Record<string, string> = {};
  if (raw && typeof raw === "object" && !Array.isArray(raw)) {
    for (const [code, severity] of Object.entries(raw as Record<string, unknown>)) {
      if (typeof severity === "string" && SEVERITIES.has(severity)) out[code] = severity;
      else output.appendLine(`dazzle.rules: ignoring ${code} = ${JSON.stringify(severity)} (expected error|warning|info|hint|off)`);
    }
  }
  return out;
}

/** `dazzle.codeLens.*`: which code lenses the server shows. */
function codeLens(): { matrix: boolean; changes: boolean } {
  const config = vscode.workspace.getConfiguration("dazzle.codeLens");
  return { matrix: config.get<boolean>("matrix") ?? true, changes: config.get<boolean>("changes") ?? true };
}

/** The settings the server reads (initializationOptions, and `dazzle` of didChangeConfiguration). */
function settings(): { rules: Record<string, string>; codeLens: { matrix: boolean; changes: boolean } } {
  return { rules: rules(), codeLens: codeLens() };
}

async function start(context: vscode.ExtensionContext): Promise<void> {
  if (client) return;
  const setting = vscode.workspace.getConfiguration("dazzle").get<string>("server.path") ?? "";
  const workspaceDirs = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === "file").map((f) => f.uri.fsPath);
  const lookup = findServer(setting, path.join(context.extensionPath, "server"), workspaceDirs);
  if (!lookup.found) {
    const tried = lookup.tried.join("; ");
    output.appendLine(`Could not find the dazzle-lsp language server. Tried: ${tried}.`);
    void vscode.window
      .showErrorMessage(
        `Dazzle: could not find the dazzle-lsp language server. Tried: ${tried}. Set "dazzle.server.path" to the dazzle-lsp executable.`,
        "Open Setting",
      )
      .then((choice) => {
        if (choice) openServerPathSetting();
      });
    return;
  }
  const { path: serverPath, source } = lookup.found;
  output.appendLine(`Starting ${serverPath} (from ${source})`);

  const run = { command: serverPath, args: [] as string[], transport: TransportKind.stdio };
  const serverOptions: ServerOptions = { run, debug: run };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "dazzle" },
      { scheme: "untitled", language: "dazzle" },
    ],
    initializationOptions: settings(),
    outputChannel: output,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
  };
  // The id "dazzle" makes the client honour the `dazzle.trace.server` setting.
  const c = new LanguageClient("dazzle", "Dazzle Language Server", serverOptions, clientOptions);
  c.onDidChangeState((e) => {
    if (e.newState === State.Running) {
      matrix.serverRestarted();
      report.serverRestarted();
    }
  });
  client = c;
  try {
    await c.start();
  } catch (err) {
    client = undefined;
    const message = err instanceof Error ? err.message : String(err);
    output.appendLine(`client start failed: ${message}`);
    void vscode.window
      .showErrorMessage(`Dazzle: the language server ${serverPath} (from ${source}) failed to start: ${message}`, "Show Output", "Open Setting")
      .then((choice) => {
        if (choice === "Show Output") output.show();
        else if (choice === "Open Setting") openServerPathSetting();
      });
    try {
      await c.dispose();
    } catch {
      /* already failed */
    }
  }
}

/**
 * Opens the settings UI on `dazzle.server.path`. The setting is machine-overridable, so in a
 * remote window (SSH, WSL, containers, code-server) it lives in the remote settings.
 */
function openServerPathSetting(): void {
  const command = vscode.env.remoteName ? "workbench.action.openRemoteSettings" : "workbench.action.openSettings";
  void vscode.commands.executeCommand(command, { query: "dazzle.server.path" });
}

async function stop(): Promise<void> {
  const c = client;
  client = undefined;
  if (!c) return;
  try {
    await c.stop(2000);
  } catch (err) {
    output.appendLine(`stopping the server: ${err instanceof Error ? err.message : String(err)}`);
  }
  try {
    await c.dispose();
  } catch {
    /* already stopped */
  }
}

async function restart(context: vscode.ExtensionContext): Promise<void> {
  output.appendLine("Restarting the server");
  await stop();
  await start(context);
}

/** The document whose project the matrix shows: the active .dsl editor, else any .dsl file. */
async function matrixDocument(): Promise<vscode.Uri | undefined> {
  const active = vscode.window.activeTextEditor?.document;
  if (active?.languageId === "dazzle") return active.uri;
  const visible = vscode.window.visibleTextEditors.find((e) => e.document.languageId === "dazzle");
  if (visible) return visible.document.uri;
  const open = vscode.workspace.textDocuments.find((d) => d.languageId === "dazzle");
  if (open) return open.uri;
  const [first] = await vscode.workspace.findFiles("**/*.dsl", "**/node_modules/**", 1);
  return first;
}

/** The document a command is about, with the server running: `undefined` when there is none. */
async function ready(context: vscode.ExtensionContext, from?: unknown): Promise<vscode.Uri | undefined> {
  // From a code lens: the document's URI as a string; from the editor title: a Uri.
  const uri = typeof from === "string" ? vscode.Uri.parse(from) : from instanceof vscode.Uri ? from : await matrixDocument();
  if (!uri) {
    void vscode.window.showWarningMessage("Dazzle: open a .dsl file of a Dazzle project first.");
    return undefined;
  }
  if (!client) await queue(() => start(context));
  if (!client) return undefined; // start() reported why
  if (client.state === State.Starting) {
    await new Promise<void>((resolve) => {
      const d = client!.onDidChangeState((e) => {
        if (e.newState !== State.Starting) {
          d.dispose();
          resolve();
        }
      });
    });
  }
  return uri;
}

async function showMatrix(context: vscode.ExtensionContext, mode: "matrix" | "changes", from?: unknown): Promise<void> {
  const uri = await ready(context, from);
  if (uri) matrix.show(uri, mode);
}

/** Asks where, and writes the report of the document's project there (HTML, Markdown or JSON by extension). */
async function saveReport(context: vscode.ExtensionContext, from?: unknown): Promise<void> {
  const uri = await ready(context, from);
  if (!uri || !client) return;
  const folder = vscode.workspace.getWorkspaceFolder(uri)?.uri ?? vscode.Uri.joinPath(uri, "..");
  const target = await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.joinPath(folder, "security-report.html"),
    filters: { HTML: ["html"], Markdown: ["md"], JSON: ["json"] },
    title: "Save the security report",
  });
  if (!target) return;
  const format = target.path.endsWith(".md") ? "markdown" : target.path.endsWith(".json") ? "json" : "html";
  if (target.path.endsWith(".dsl") || target.path.endsWith("/dazzle.toml")) {
    void vscode.window.showErrorMessage("Dazzle: the report is not written over a project source file.");
    return;
  }
  try {
    const content = await fetchReport(client, uri, format);
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(content));
    void vscode.window.showInformationMessage(`Dazzle: security report saved to ${target.fsPath}.`);
  } catch (err) {
    void vscode.window.showErrorMessage(`Dazzle: the security report failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}
