// Drives VS Code (code-server's workbench) in headless Chromium with playwright-core, against a
// running code-server that has the Dazzle .vsix installed and a copy of examples/clinic open.
// Every step is bounded; the first failure ends the run with exit 1 and names the step.
// Environment: MODE (main | missing-server), PW_PREFIX (where playwright-core is installed),
// CS_URL, PROJECT, DSL_FILE (relative to PROJECT), ENTITY, PERSONAS, USER_SETTINGS, RULE_CODE,
// EDIT_LINE, MISSING_SERVER, SCREENSHOT, RESULT, ARTIFACTS (dir for screenshots of failures),
// CHROMIUM (default /usr/bin/chromium). run.sh sets them all.
"use strict";
const fs = require("fs");
const path = require("path");
const { chromium } = require(path.join(process.env.PW_PREFIX, "node_modules", "playwright-core"));

const env = (name, dflt) => {
  const v = process.env[name] ?? dflt;
  if (v === undefined) throw new Error(`environment variable ${name} is not set`);
  return v;
};
const CS_URL = env("CS_URL");
const PROJECT = env("PROJECT");
const DSL_FILE = env("DSL_FILE");
const ENTITY = env("ENTITY");
const PERSONAS = env("PERSONAS").split(",");
const SCREENSHOT = env("SCREENSHOT");
const RESULT = env("RESULT");
const ARTIFACTS = env("ARTIFACTS");
const CHROMIUM = env("CHROMIUM", "/usr/bin/chromium");
// "main": the scenario against a working server; "missing-server": `dazzle.server.path` names
// MISSING_SERVER, which does not exist.
const MODE = env("MODE", "main");
const MISSING_SERVER = env("MISSING_SERVER", "");
fs.mkdirSync(ARTIFACTS, { recursive: true });
const USER_SETTINGS = env("USER_SETTINGS");
// dazzle.rules in the initial settings.json: RULE_CODE is raised to "error" (the run starts with
// it) and later turned "off" by rewriting settings.json (workspace/didChangeConfiguration).
const RULE_CODE = env("RULE_CODE");
// The line (1-based) of ENTITY's `list: role(admin)` permit rule, edited to `list: authenticated`.
const EDIT_LINE = Number(env("EDIT_LINE"));

const result = { steps: [], ok: false };
const t0 = Date.now();
let page;

async function step(name, timeoutMs, fn) {
  const start = Date.now();
  let timer;
  try {
    const value = await Promise.race([
      fn(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    const ms = Date.now() - start;
    result.steps.push({ name, ok: true, ms, detail: typeof value === "string" ? value : undefined });
    console.log(`  ok   ${name} (${ms} ms)${typeof value === "string" ? ": " + value : ""}`);
    return value;
  } catch (err) {
    const ms = Date.now() - start;
    result.steps.push({ name, ok: false, ms, error: String(err && err.message ? err.message : err) });
    console.log(`  FAIL ${name} (${ms} ms): ${err && err.message ? err.message : err}`);
    const e = new Error(`step "${name}" failed: ${err && err.message ? err.message : err}`);
    e.step = name;
    throw e;
  } finally {
    clearTimeout(timer);
  }
}

/** The status bar's problem counts, e.g. { errors: 1, warnings: 3, label: "Errors: 1, Warnings: 3" }. */
async function problemCounts() {
  return page.evaluate(() => {
    const item = document.querySelector(".statusbar-item#status\\.problems");
    const label = (item?.getAttribute("aria-label") || item?.textContent || "").trim();
    const num = (re) => Number((label.match(re) || [])[1] || 0);
    return { errors: num(/Errors?: (\d+)/i), warnings: num(/Warnings?: (\d+)/i), label };
  });
}

async function waitForCounts(predicate, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    last = await problemCounts();
    if (predicate(last)) return last;
    await page.waitForTimeout(250);
  }
  throw new Error(`status bar problems stayed at "${last && last.label}"`);
}

/** The frame of the RBAC matrix webview (the one holding its table), or undefined. */
async function matrixFrame() {
  for (const frame of page.frames()) {
    try {
      if ((await frame.locator("td[data-cell]").count()) > 0) return frame;
    } catch {
      /* detached frame */
    }
  }
  return undefined;
}

/** The texts of the code lenses the editor shows (every lens of the visible lines). */
async function codeLensTexts() {
  return page.locator(".monaco-editor .codelens-decoration").evaluateAll((els) => els.map((e) => e.textContent ?? ""));
}

/** Waits until a shown code lens satisfies `predicate`; returns its text. */
async function waitForLens(predicate, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let texts = [];
  while (Date.now() < deadline) {
    texts = await codeLensTexts();
    const hit = texts.find(predicate);
    if (hit) return hit;
    await page.waitForTimeout(300);
  }
  throw new Error(`no such code lens; shown: ${JSON.stringify(texts)}`);
}

/** The frame of the "changes since HEAD" webview, or undefined. */
async function changesFrame() {
  for (const frame of page.frames()) {
    try {
      if ((await frame.locator("h2", { hasText: "Changes since" }).count()) > 0) return frame;
    } catch {
      /* detached frame */
    }
  }
  return undefined;
}

/** Hovers the entity's name with the mouse (keyboard fallback) and checks the matrix table. */
async function hoverEntity() {
  // Put the cursor on the entity's name (Ctrl+G line:column), which scrolls it into view.
  const lines = fs.readFileSync(path.join(PROJECT, DSL_FILE), "utf8").split("\n");
  const lineNo = lines.findIndex((l) => new RegExp(`^entity ${ENTITY}\\b`).test(l)) + 1;
  if (lineNo === 0) throw new Error(`no "entity ${ENTITY}" line in ${DSL_FILE}`);
  await page.locator(".editor-group-container.active .monaco-editor .view-lines").first().click({ position: { x: 40, y: 5 } });
  await page.keyboard.press("Control+G");
  const input = page.locator(".quick-input-widget input");
  await input.waitFor({ state: "visible", timeout: 10000 });
  await input.fill(`:${lineNo}:${"entity ".length + 2}`);
  await page.keyboard.press("Enter");
  await input.waitFor({ state: "hidden", timeout: 10000 });
  const hover = page.locator(".monaco-hover:not(.hidden)").filter({ hasText: PERSONAS[0] });
  const line = page.locator(".monaco-editor .view-lines .view-line", { hasText: `entity ${ENTITY}` }).first();
  const word = line.locator("span > span", { hasText: new RegExp(`^${ENTITY}$`) }).first();
  // Mouse hover, as a user does; retried a few times (the first move can land before the
  // editor has its hover controller ready). Falls back to the keyboard (Ctrl+K Ctrl+I).
  for (let attempt = 0; attempt < 4; attempt++) {
    await page.mouse.move(5, 5);
    await page.waitForTimeout(300);
    const box = await word.boundingBox();
    if (!box) throw new Error(`entity name ${ENTITY} not found on screen`);
    const area = await page.locator(".editor-group-container.active .monaco-editor .view-lines").first().boundingBox();
    if (box.x < area.x || box.x + box.width > area.x + area.width) {
      throw new Error(`entity name ${ENTITY} is outside the editor's visible area: ${JSON.stringify(box)}`);
    }
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 4 });
    try {
      await hover.first().waitFor({ state: "visible", timeout: 5000 });
      break;
    } catch {
      /* retry */
    }
  }
  if (!(await hover.first().isVisible())) {
    const box = await word.boundingBox();
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.keyboard.press("Control+K");
    await page.keyboard.press("Control+I");
    await hover.first().waitFor({ state: "visible", timeout: 10000 });
    result.hoverVia = "keyboard";
  } else {
    result.hoverVia = "mouse";
  }
  const h = hover.first();
  await h.locator("table").first().waitFor({ state: "visible", timeout: 5000 });
  const text = (await h.innerText()).replace(/\s+/g, " ").trim();
  for (const p of PERSONAS) if (!text.includes(p)) throw new Error(`persona ${p} missing from the hover: ${text}`);
  if (!text.includes(ENTITY)) throw new Error(`entity name missing from the hover: ${text}`);
  if (!/PERMIT/.test(text) || !/DENY/.test(text)) throw new Error(`no PERMIT/DENY decisions in the hover: ${text}`);
  const table = (await h.locator("table").first().innerText()).replace(/\s+/g, " ");
  for (const op of ["list", "read", "create", "update", "delete"]) {
    if (!table.includes(op)) throw new Error(`operation ${op} missing from the hover table: ${table}`);
  }
  return text.length > 300 ? text.slice(0, 300) + "…" : text;
}

/** `dazzle.server.path` names a missing file: an error that says so, whose button opens the setting. */
async function missingServer() {
  await step("error notification names the missing server", 60000, async () => {
    const toast = page.locator(".notifications-toasts .notification-toast", { hasText: "could not find the dazzle-lsp" }).first();
    await toast.waitFor({ state: "visible", timeout: 55000 });
    const text = (await toast.innerText()).replace(/\s+/g, " ");
    if (!text.includes(MISSING_SERVER)) throw new Error(`the message does not name ${MISSING_SERVER}: ${text}`);
    if (!/Tried:/.test(text)) throw new Error(`the message does not list what was tried: ${text}`);
    return text.length > 240 ? text.slice(0, 240) + "…" : text;
  });
  await step("its Open Setting button opens dazzle.server.path in the settings editor", 30000, async () => {
    const toast = page.locator(".notifications-toasts .notification-toast", { hasText: "could not find the dazzle-lsp" }).first();
    await toast.hover();
    await toast.locator(".monaco-button", { hasText: "Open Setting" }).first().click();
    const editor = page.locator(".settings-editor");
    await editor.waitFor({ state: "visible", timeout: 20000 });
    await page.waitForFunction(
      () => /Server: Path/i.test(document.querySelector(".settings-editor .settings-body")?.textContent ?? ""),
      null,
      { timeout: 20000 },
    );
    return "settings editor shows Dazzle › Server: Path";
  });
}

async function shot(name) {
  if (process.env.DEBUG_SHOTS) await page.screenshot({ path: path.join(ARTIFACTS, `debug-${name}.png`) });
}

/** Replaces the text of line EDIT_LINE of the active editor (Ctrl+G, then type over it). */
async function retypeEditLine(text) {
  const editor = page.locator(".editor-group-container.active .monaco-editor .view-lines").first();
  // Near the left edge: a click at the right edge of the (narrow, split) editor scrolls it sideways.
  await editor.click({ position: { x: 40, y: 10 } });
  await page.keyboard.press("Control+G");
  const input = page.locator(".quick-input-widget input");
  await input.waitFor({ state: "visible", timeout: 10000 });
  await input.fill(`:${EDIT_LINE}`);
  await page.keyboard.press("Enter");
  await input.waitFor({ state: "hidden", timeout: 10000 });
  await page.keyboard.press("End");
  await page.keyboard.press("Shift+Home");
  await page.keyboard.insertText(text);
  await page.keyboard.press("Escape"); // close a completion list, if any
}

/** The frame of the security report webview, or undefined. */
async function reportFrame() {
  for (const frame of page.frames()) {
    try {
      if ((await frame.locator("h1", { hasText: "Security report" }).count()) > 0) return frame;
    } catch {
      /* detached frame */
    }
  }
  return undefined;
}

/** Runs a command through the command palette (F1), by its title. */
async function runCommand(title) {
  await page.keyboard.press("F1");
  const input = page.locator(".quick-input-widget input");
  await input.waitFor({ state: "visible", timeout: 10000 });
  await input.fill(">" + title);
  const row = page.locator(".quick-input-list .monaco-list-row", { hasText: title }).first();
  await row.waitFor({ state: "visible", timeout: 10000 });
  await page.keyboard.press("Enter");
}

async function main() {
  const browser = await step("launch chromium", 30000, () =>
    chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-default-apps",
        "--disable-sync",
        "--no-first-run",
        "--no-default-browser-check",
        "--metrics-recording-only",
        "--disable-features=Translate,MediaRouter,OptimizationHints",
      ],
    }),
  );
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
    page = await context.newPage();
    page.on("pageerror", (e) => result.pageErrors = [...(result.pageErrors ?? []), String(e)].slice(-20));

    await step("workbench loads", 90000, async () => {
      await page.goto(`${CS_URL}/?folder=${encodeURIComponent(PROJECT)}`, { waitUntil: "domcontentloaded" });
      await page.locator(".monaco-workbench .part.editor").waitFor({ state: "visible", timeout: 85000 });
      await page.locator(".monaco-workbench .part.statusbar").waitFor({ state: "visible", timeout: 85000 });
    });

    if (MODE === "missing-server") {
      await missingServer();
      result.ok = true;
      return;
    }

    await step(`open ${DSL_FILE} (quick open)`, 60000, async () => {
      // Give the workbench a moment to finish restoring, then focus it.
      await page.waitForTimeout(1000);
      await page.locator(".monaco-workbench .part.editor").click({ position: { x: 200, y: 200 } }).catch(() => {});
      const input = page.locator(".quick-input-widget input");
      for (let attempt = 0; attempt < 5; attempt++) {
        await page.keyboard.press("Control+P");
        try {
          await input.waitFor({ state: "visible", timeout: 5000 });
          break;
        } catch {
          await page.keyboard.press("Escape");
        }
      }
      await input.fill(path.basename(DSL_FILE));
      const row = page.locator(".quick-input-list .monaco-list-row", { hasText: path.basename(DSL_FILE) }).first();
      await row.waitFor({ state: "visible", timeout: 30000 });
      await page.keyboard.press("Enter");
      await page
        .locator(`.tabs-container .tab[data-resource-name="${path.basename(DSL_FILE)}"], .tabs-container .tab:has-text("${path.basename(DSL_FILE)}")`)
        .first()
        .waitFor({ state: "visible", timeout: 20000 });
      await page.locator(".monaco-editor .view-lines .view-line", { hasText: `entity ${ENTITY}` }).first()
        .waitFor({ state: "visible", timeout: 20000 });
    });

    await step("language mode is Dazzle", 30000, async () => {
      const mode = page.locator(".statusbar-item#status\\.editor\\.mode");
      await page.waitForFunction(
        () => /Dazzle/.test(document.querySelector(".statusbar-item#status\\.editor\\.mode")?.textContent ?? ""),
        null,
        { timeout: 25000 },
      );
      return (await mode.textContent()).trim();
    });

    await step("grammar highlights the entity declaration", 15000, async () => {
      // The name after `entity` is its own token (entity.name.type), coloured unlike plain text.
      const line = page.locator(".monaco-editor .view-lines .view-line", { hasText: `entity ${ENTITY}` }).first();
      // Tokenization is asynchronous: the line may first render as one plain span.
      let spans, kw, name;
      for (let i = 0; i < 50; i++) {
        spans = await line.locator("span > span").evaluateAll((els) =>
          els.map((e) => ({ text: e.textContent, cls: e.className, color: getComputedStyle(e).color })),
        );
        kw = spans.find((s) => s.text.trim() === "entity");
        name = spans.find((s) => s.text.trim() === ENTITY);
        if (kw && name) break;
        await page.waitForTimeout(200);
      }
      if (!kw || !name) throw new Error(`tokens not split as expected: ${JSON.stringify(spans)}`);
      if (kw.color === name.color) throw new Error(`keyword and name share one colour: ${JSON.stringify(spans)}`);
      return `entity=${kw.color} ${name.text}=${name.color}`;
    });

    const problems = await step("diagnostics from dazzle-lsp appear (squiggles + status bar)", 60000, async () => {
      await page.locator(".monaco-editor .squiggly-warning, .monaco-editor .squiggly-error, .monaco-editor .squiggly-info")
        .first()
        .waitFor({ state: "attached", timeout: 55000 });
      const label = await page.locator(".statusbar-item#status\\.problems").first().getAttribute("aria-label").catch(() => null);
      const text = (await page.locator(".statusbar-item#status\\.problems").first().textContent().catch(() => "")) ?? "";
      return `status bar problems: ${label ?? text.trim()}`;
    });
    result.problems = problems;

    await step("Problems panel lists dazzle-lsp findings with codes", 30000, async () => {
      await page.keyboard.press("Control+Shift+M");
      const panel = page.locator(".markers-panel");
      await panel.waitFor({ state: "visible", timeout: 15000 });
      await page.waitForFunction(
        () => /dazzle-lsp/.test(document.querySelector(".markers-panel")?.textContent ?? ""),
        null,
        { timeout: 15000 },
      );
      const text = (await panel.textContent()) ?? "";
      // Each row renders "<message>dazzle-lsp<code>[Ln, Col]" (source and code as separate labels).
      const codes = [...new Set([...text.matchAll(/dazzle-lsp\(?([a-z]+(?:-[a-z]+)+)/g)].map((m) => m[1]))];
      if (codes.length === 0) throw new Error(`no diagnostic code in the Problems panel: ${text.slice(0, 500)}`);
      result.codes = codes;
      // Hide the panel again so that the hover has room.
      await page.keyboard.press("Control+Shift+M");
      await panel.waitFor({ state: "hidden", timeout: 5000 }).catch(() => {});
      return `codes: ${codes.join(", ")}`;
    });

    await step(`dazzle.rules (initializationOptions): ${RULE_CODE} is reported as an error`, 30000, async () => {
      const c = await waitForCounts((c) => c.errors >= 1, 25000);
      return c.label;
    });

    await step(`code lens above entity ${ENTITY} shows its matrix row per persona`, 45000, async () => {
      const lens = await waitForLens((t) => PERSONAS.every((p) => t.includes(p)) && t.includes("·"), 40000);
      const changes = (await codeLensTexts()).filter((t) => t.includes("since HEAD"));
      if (changes.length > 0) throw new Error(`a change lens before any edit: ${changes.join(" | ")}`);
      return lens;
    });

    const hoverText = await step(`hover on entity ${ENTITY} shows its RBAC matrix`, 60000, () => hoverEntity());
    result.hover = hoverText;

    await step(`screenshot of the hover -> ${path.relative(process.cwd(), SCREENSHOT)}`, 20000, async () => {
      await page.waitForTimeout(500); // let the hover finish laying out
      const h = page.locator(".monaco-hover:not(.hidden)").first();
      const hb = await h.boundingBox();
      const line = page.locator(".monaco-editor .view-lines .view-line", { hasText: `entity ${ENTITY}` }).first();
      const lb = await line.boundingBox();
      const editor = await page.locator(".monaco-workbench .part.editor").boundingBox();
      // The hover, the hovered line and a margin of editor around them.
      const x0 = Math.max(editor.x, Math.min(hb.x, lb.x) - 24);
      const y0 = Math.max(0, Math.min(hb.y, lb.y) - 40);
      const x1 = Math.min(editor.x + editor.width, Math.max(hb.x + hb.width, lb.x + 420) + 24);
      const y1 = Math.min(800, Math.max(hb.y + hb.height, lb.y + lb.height) + 40);
      fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
      await page.screenshot({ path: SCREENSHOT, clip: { x: x0, y: y0, width: x1 - x0, height: y1 - y0 } });
      return `${Math.round(x1 - x0)}x${Math.round(y1 - y0)}, ${fs.statSync(SCREENSHOT).size} bytes`;
    });

    await step("Dazzle: Show RBAC Matrix opens a colour-coded webview table", 60000, async () => {
      await page.mouse.move(5, 5);
      await page.keyboard.press("Escape");
      await runCommand("Dazzle: Show RBAC Matrix");
      const deadline = Date.now() + 50000;
      let frame;
      while (Date.now() < deadline && !(frame = await matrixFrame())) await page.waitForTimeout(500);
      if (!frame) throw new Error("no webview with the matrix table appeared");
      const text = (await frame.locator("table").first().innerText()).replace(/\s+/g, " ");
      for (const p of [ENTITY, ...PERSONAS]) if (!text.includes(p)) throw new Error(`${p} missing from the matrix table`);
      const deny = await frame.locator("td.deny").count();
      const permit = await frame.locator("td.permit, td.scoped").count();
      if (deny === 0 || permit === 0) throw new Error(`cells not colour-coded (deny=${deny}, permit=${permit})`);
      const denyBg = await frame.locator("td.deny").first().evaluate((e) => getComputedStyle(e).backgroundColor);
      const permitBg = await frame.locator("td.permit").first().evaluate((e) => getComputedStyle(e).backgroundColor);
      if (!denyBg || denyBg === "rgba(0, 0, 0, 0)" || denyBg === permitBg) throw new Error(`decision colours: DENY ${denyBg}, PERMIT ${permitBg}`);
      await page.screenshot({ path: path.join(ARTIFACTS, "matrix.png") }).catch(() => {});
      return `${await frame.locator("tr").count()} rows, ${deny} DENY / ${permit} PERMIT* cells`;
    });

    await step(`dazzle.rules change (workspace/didChangeConfiguration): ${RULE_CODE} off`, 30000, async () => {
      // As a user does: edit the user settings.json in VS Code and save (code-server does not
      // pick up changes written to the file behind its back).
      const before = await problemCounts();
      const settings = JSON.parse(fs.readFileSync(USER_SETTINGS, "utf8"));
      settings["dazzle.rules"] = { [RULE_CODE]: "off" };
      await runCommand("Preferences: Open User Settings (JSON)");
      await page.locator(".tabs-container .tab", { hasText: "settings.json" }).first().waitFor({ state: "visible", timeout: 15000 });
      const editor = page.locator(".editor-group-container.active .monaco-editor .view-lines").first();
      await editor.waitFor({ state: "visible", timeout: 10000 });
      await editor.click();
      await page.keyboard.press("Control+A");
      await page.keyboard.press("Delete");
      // Inserted at once (like a paste); auto-closing and suggestions are off for jsonc in the
      // test profile. Short lines: a long one scrolls the shared editor widget sideways.
      await page.keyboard.insertText(JSON.stringify(settings, null, 2));
      await page.keyboard.press("Control+S");
      const after = await waitForCounts((c) => c.errors < before.errors, 20000);
      const saved = JSON.parse(fs.readFileSync(USER_SETTINGS, "utf8"));
      if (JSON.stringify(saved["dazzle.rules"]) !== JSON.stringify(settings["dazzle.rules"])) {
        throw new Error(`settings.json was not saved as typed: ${fs.readFileSync(USER_SETTINGS, "utf8")}`);
      }
      await page.keyboard.press("Control+W"); // back to the .dsl editor
      await page.locator(".tabs-container .tab.active", { hasText: path.basename(DSL_FILE) }).first().waitFor({ state: "visible", timeout: 10000 });
      await shot("after-settings");
      return `${before.label} -> ${after.label}`;
    });

    await step("the matrix webview refreshes after an edit (unsaved)", 45000, async () => {
      // Practice's `list: role(admin)` becomes `list: authenticated`: clinician may now list.
      const cell = `${ENTITY}/${PERSONAS[1]}/list`;
      const before = await (await matrixFrame()).locator(`td[data-cell="${cell}"]`).innerText();
      if (before.trim() !== "DENY") throw new Error(`${cell} is ${before} before the edit, expected DENY`);
      await retypeEditLine("list: authenticated");
      // The editor renders the typed line a moment later: wait for it, do not just look once.
      await page
        .locator(".monaco-editor .view-lines .view-line", { hasText: "list: authenticated" })
        .first()
        .waitFor({ state: "visible", timeout: 10000 })
        .catch(() => {
          throw new Error(`the edit did not land on line ${EDIT_LINE}`);
        });
      const deadline = Date.now() + 40000;
      let now = before;
      while (Date.now() < deadline) {
        const frame = await matrixFrame();
        if (frame) {
          try {
            now = (await frame.locator(`td[data-cell="${cell}"]`).innerText({ timeout: 1000 })).trim();
          } catch {
            /* the webview is being replaced */
          }
          if (now !== "DENY") {
            await shot("after-edit");
            return `${cell}: DENY -> ${now}`;
          }
        }
        await page.waitForTimeout(300);
      }
      throw new Error(`${cell} still ${now} after the edit`);
    });

    await step("a second code lens shows the change since HEAD after the edit", 45000, async () => {
      // The edit above opened Practice's list to every authenticated persona.
      return waitForLens((t) => t.includes("since HEAD") && t.includes(`+${PERSONAS[1]} list`), 40000);
    });

    await step("Dazzle: Show RBAC Matrix Changes Since HEAD lists the widened cells", 45000, async () => {
      await page.mouse.move(5, 5);
      await page.keyboard.press("Escape");
      await runCommand("Dazzle: Show RBAC Matrix Changes Since HEAD");
      const deadline = Date.now() + 40000;
      let frame, text = "";
      while (Date.now() < deadline) {
        frame = await changesFrame();
        if (frame) {
          text = (await frame.locator("body").innerText().catch(() => "")).replace(/\s+/g, " ");
          if (text.includes(ENTITY) && text.includes("widened")) break;
        }
        await page.waitForTimeout(400);
      }
      if (!text.includes(`${ENTITY} ${PERSONAS[1]} list`) || !text.includes("widened")) {
        throw new Error(`changes view lacks the widened ${PERSONAS[1]} list on ${ENTITY}: ${text.slice(0, 400)}`);
      }
      await page.screenshot({ path: path.join(ARTIFACTS, "changes.png") }).catch(() => {});
      return text.match(/\d+ widened[^.]*?changed/)?.[0] ?? "changes shown";
    });

    await step("format on save rewrites a mis-spaced line through dazzle-lsp", 45000, async () => {
      // Back in the .dsl editor: the edited permit line, written badly, then saved.
      await page.keyboard.press("Escape");
      await page.locator(`.tabs-container .tab:has-text("${path.basename(DSL_FILE)}")`).first().click();
      await retypeEditLine("list:authenticated   ");
      await page.keyboard.press("Control+S");
      const file = path.join(PROJECT, DSL_FILE);
      const deadline = Date.now() + 40000;
      let line = "";
      while (Date.now() < deadline) {
        line = fs.readFileSync(file, "utf8").split("\n")[EDIT_LINE - 1];
        if (line === "    list: authenticated") return `saved as ${JSON.stringify(line)}`;
        await page.waitForTimeout(300);
      }
      throw new Error(`line ${EDIT_LINE} on disk is ${JSON.stringify(line)} after saving`);
    });

    await step("Dazzle: Open Security Report shows the project's report and follows unsaved edits", 60000, async () => {
      await page.keyboard.press("Escape");
      await runCommand("Dazzle: Open Security Report");
      // The saved line lets clinician list Practice; the report's grid says so in the cell title.
      const cell = `td[title^="${PERSONAS[1]} list ${ENTITY}:"]`;
      const title = async () => {
        const frame = await reportFrame();
        return frame ? frame.locator(cell).first().getAttribute("title", { timeout: 1000 }).catch(() => null) : null;
      };
      let deadline = Date.now() + 25000;
      let before = null;
      while (Date.now() < deadline && !(before = await title())) await page.waitForTimeout(400);
      if (!before || before.includes("DENY")) throw new Error(`report cell before the edit: ${before}`);
      const frame = await reportFrame();
      const rows = await frame.locator("#grid tbody tr").count();
      for (const persona of PERSONAS) {
        if ((await frame.locator("#grid thead th", { hasText: persona }).count()) === 0) throw new Error(`persona ${persona} missing`);
      }
      // Back to `list: role(admin)`, unsaved: the report is rebuilt from the editor's text.
      await page.locator(`.tabs-container .tab:has-text("${path.basename(DSL_FILE)}")`).first().click();
      await retypeEditLine("list: role(admin)");
      deadline = Date.now() + 25000;
      let after = before;
      while (Date.now() < deadline && !(after ?? "").includes("DENY")) {
        await page.waitForTimeout(400);
        after = (await title()) ?? after;
      }
      if (!(after ?? "").includes("DENY")) throw new Error(`report cell after the edit: ${after}`);
      await page.screenshot({ path: path.join(ARTIFACTS, "report.png") }).catch(() => {});
      return `${rows} entities; ${before.split(": ")[1]} -> ${after.split(": ")[1]}`;
    });

    await step("Dazzle: Restart Server, then diagnostics and hover come back", 60000, async () => {
      await page.mouse.move(5, 5);
      await page.keyboard.press("Escape");
      await shot("before-restart");
      await runCommand("Dazzle: Restart Server");
      await page.waitForTimeout(1500);
      await shot("after-restart");
      const c = await waitForCounts((c) => c.warnings + c.errors > 0, 30000);
      await hoverEntity();
      return c.label;
    });

    result.ok = true;
  } finally {
    if (!result.ok && page) {
      try {
        await page.screenshot({ path: path.join(ARTIFACTS, "failure.png") });
        console.log(`  (screenshot of the failure: ${path.join(ARTIFACTS, "failure.png")})`);
      } catch {
        /* best effort */
      }
    }
    await browser.close().catch(() => {});
  }
}

main()
  .then(() => {
    result.ms = Date.now() - t0;
    fs.writeFileSync(RESULT, JSON.stringify(result, null, 2));
    process.exit(0);
  })
  .catch((err) => {
    result.ms = Date.now() - t0;
    result.error = String(err && err.message ? err.message : err);
    try {
      fs.writeFileSync(RESULT, JSON.stringify(result, null, 2));
    } catch {
      /* ignore */
    }
    console.error(`vscode run FAILED: ${result.error}`);
    process.exit(1);
  });
