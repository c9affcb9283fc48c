// Opens the HTML security report from disk in headless Chromium (playwright-core) with the
// network off and checks what a reviewer relies on: no request of any kind (and no CSP or
// script error), every entity and persona of the project — as `dazzle-lsp matrix --format json`
// lists them — in the grid, a scoped cell expanding to its predicate as written in the
// project's DSL, the persona filter, the dark and print styles; then saves a screenshot.
// Environment (set by report_browser.sh): PW_PREFIX, REPORT (the .html), MATRIX (the matrix
// JSON), PROJECT (its directory), SCREENSHOT, CHROMIUM (default /usr/bin/chromium).
"use strict";
const fs = require("fs");
const path = require("path");
const { chromium } = require(path.join(process.env.PW_PREFIX, "node_modules", "playwright-core"));

const REPORT = process.env.REPORT;
const matrix = JSON.parse(fs.readFileSync(process.env.MATRIX, "utf8"));
const PROJECT = process.env.PROJECT;
const SCREENSHOT = process.env.SCREENSHOT;

function check(cond, message) {
  if (!cond) throw new Error(message);
}

/** Every .dsl file of the project, concatenated: where a row filter must be written. */
function sources(dir) {
  let out = "";
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out += sources(p);
    else if (entry.name.endsWith(".dsl")) out += fs.readFileSync(p, "utf8") + "\n";
  }
  return out;
}

async function main() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--no-proxy-server"],
  });
  const results = [];
  try {
    const context = await browser.newContext({ offline: true, viewport: { width: 1300, height: 1500 } });
    const page = await context.newPage();
    const url = "file://" + path.resolve(REPORT);
    const requests = [];
    const problems = [];
    page.on("request", (r) => requests.push(r.url()));
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") problems.push(m.text());
    });
    page.on("pageerror", (e) => problems.push(String(e)));
    await page.goto(url, { waitUntil: "load" });
    await page.waitForTimeout(300);
    const others = requests.filter((r) => r !== url);
    check(others.length === 0, `the page requested ${others.join(", ")}`);
    check(problems.length === 0, `console errors: ${problems.join(" | ")}`);
    results.push(`1 request (the page itself), no console errors`);

    const rowNames = await page.locator("#grid tbody th[scope=row]").evaluateAll((ths) =>
      ths.map((th) => th.childNodes[0].textContent.trim()),
    );
    check(JSON.stringify(rowNames) === JSON.stringify(matrix.entities), `grid rows ${rowNames} != matrix entities ${matrix.entities}`);
    const personas = await page.locator("#grid thead th[scope=colgroup]").allInnerTexts();
    check(JSON.stringify(personas) === JSON.stringify(matrix.roles), `grid personas ${personas} != ${matrix.roles}`);
    const cells = await page.locator("#grid tbody td").count();
    check(cells === matrix.cells.length, `${cells} grid cells, the matrix has ${matrix.cells.length}`);
    // Each cell's decision (in its title) is the matrix's.
    const titles = await page.locator("#grid tbody td").evaluateAll((tds) => tds.map((td) => td.title));
    const want = new Map(matrix.cells.map((c) => [`${c.role} ${c.operation} ${c.entity}`, c.decision]));
    for (const t of titles) {
      const [key, rest] = t.split(": ");
      const decision = rest.split(" — ")[0];
      check(want.get(key) === decision, `cell ${key}: ${decision} in the page, ${want.get(key)} in the matrix`);
    }
    results.push(`${rowNames.length} entities × ${personas.length} personas, ${cells} cells equal to the matrix`);

    const scoped = page.locator("#grid td.d-scoped").first();
    check(await scoped.count(), "no scoped cell");
    const hidden = await scoped.locator("code").isVisible();
    check(!hidden, "the predicate shows before the cell is expanded");
    await scoped.locator("summary").click();
    const predicate = (await scoped.locator("code").innerText()).trim();
    check(await scoped.locator("code").isVisible(), "expanding a scoped cell does not show its predicate");
    check(predicate.length > 0 && sources(PROJECT).includes(predicate), `predicate "${predicate}" is not written in the DSL`);
    results.push(`a scoped cell expands to \`${predicate}\``);

    // The persona filter (the page's script) hides the other personas' columns.
    await page.locator("#filters select").selectOption({ label: matrix.roles[matrix.roles.length - 1] });
    const visible = await page.locator("#grid tbody tr:first-child td:visible").count();
    check(visible === 5, `${visible} cells of the first row visible with one persona selected`);
    await page.locator("#filters select").selectOption({ value: "" });

    await page.screenshot({ path: SCREENSHOT });
    results.push(`screenshot ${SCREENSHOT}`);

    const light = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await page.emulateMedia({ colorScheme: "dark" });
    const dark = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    check(light !== dark, `the same background in light and dark (${light})`);
    await page.emulateMedia({ colorScheme: "light", media: "print" });
    const filters = await page.locator("#filters").isVisible();
    check(!filters, "the filters are printed");
    const pdf = await page.pdf({ format: "A4", landscape: true });
    check(pdf.length > 10000, "printing gave an empty PDF");
    results.push(`dark background ${dark}; prints (${Math.round(pdf.length / 1024)} KiB PDF) without the filters`);
    check(requests.filter((r) => r !== url).length === 0, "a request after interaction");
  } finally {
    await browser.close();
  }
  for (const r of results) console.log(`  ok: ${r}`);
}

main().catch((err) => {
  console.error(`report browser test FAILED: ${err.message}`);
  process.exit(1);
});
