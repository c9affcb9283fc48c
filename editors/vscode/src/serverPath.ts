// Finding the dazzle-lsp executable: the `dazzle.server.path` setting, then the server bundled
// in the extension (`server/<platform>-<arch>/dazzle-lsp`), then `$DAZZLE_LSP`, then
// `dazzle-lsp` on PATH. Every place looked at is recorded, so a failure can say what was tried.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export interface Found {
  path: string;
  /** Where it came from, for the log: "setting dazzle.server.path", "bundled", ... */
  source: string;
}

export interface Lookup {
  found?: Found;
  /** One line per place looked at, e.g. "setting dazzle.server.path: not set". */
  tried: string[];
}

const exe = process.platform === "win32" ? "dazzle-lsp.exe" : "dazzle-lsp";

function isExecutableFile(p: string): boolean {
  try {
    if (!fs.statSync(p).isFile()) return false;
    if (process.platform === "win32") return true;
    fs.accessSync(p, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function expandHome(p: string): string {
  if (p === "~") return os.homedir();
  if (p.startsWith("~/")) return path.join(os.homedir(), p.slice(2));
  return p;
}

/** `bundledDir` is the extension's `server/` directory. `workspaceDirs` resolve a relative setting. */
export function findServer(setting: string, bundledDir: string, workspaceDirs: string[]): Lookup {
  const tried: string[] = [];

  const configured = setting.trim();
  if (configured) {
    const expanded = expandHome(configured);
    const candidates = path.isAbsolute(expanded)
      ? [expanded]
      : expanded.includes("/") || expanded.includes("\\")
        ? workspaceDirs.map((d) => path.resolve(d, expanded))
        : [];
    for (const c of candidates) {
      if (isExecutableFile(c)) return { found: { path: c, source: "setting dazzle.server.path" }, tried };
    }
    // A bare command name in the setting: look it up on PATH.
    if (candidates.length === 0) {
      const onPath = searchPath(expanded);
      if (onPath) return { found: { path: onPath, source: "setting dazzle.server.path (on PATH)" }, tried };
    }
    // An explicit setting that does not resolve is an error: don't silently use another server.
    tried.push(`setting dazzle.server.path = "${configured}": not an executable file`);
    return { tried };
  }
  tried.push("setting dazzle.server.path: not set");

  const platformDir = `${process.platform}-${process.arch}`;
  const bundled = path.join(bundledDir, platformDir, exe);
  if (fs.existsSync(bundled) && !isExecutableFile(bundled) && process.platform !== "win32") {
    // A .vsix is a zip: make sure the executable bit survived the install.
    try {
      fs.chmodSync(bundled, 0o755);
    } catch {
      /* reported below */
    }
  }
  if (isExecutableFile(bundled)) return { found: { path: bundled, source: `bundled server/${platformDir}` }, tried };
  tried.push(`bundled server/${platformDir}/${exe}: not in this package`);

  const env = process.env.DAZZLE_LSP?.trim();
  if (env) {
    const p = expandHome(env);
    if (isExecutableFile(p)) return { found: { path: p, source: "environment variable DAZZLE_LSP" }, tried };
    tried.push(`$DAZZLE_LSP = "${env}": not an executable file`);
  } else {
    tried.push("$DAZZLE_LSP: not set");
  }

  const onPath = searchPath(exe);
  if (onPath) return { found: { path: onPath, source: "PATH" }, tried };
  tried.push(`${exe} on PATH: not found`);
  return { tried };
}

function searchPath(name: string): string | undefined {
  const dirs = (process.env.PATH ?? "").split(path.delimiter).filter(Boolean);
  const exts = process.platform === "win32" ? ["", ".exe", ".cmd"] : [""];
  for (const dir of dirs) {
    for (const ext of exts) {
      const p = path.join(dir, name + ext);
      if (isExecutableFile(p)) return p;
    }
  }
  return undefined;
}
