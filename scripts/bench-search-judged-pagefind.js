// Pagefind over the same built pages, for scripts/bench-search-judged: indexes a copy of the
// built site with npm `pagefind` (PAGEFIND, default `npx pagefind`), then runs each query (JSON
// list on stdin) in headless Chromium through Pagefind's own search API and prints, per query,
// the units of the archive in Pagefind's order: its results (pages) in order, each page's
// sub-results (the § and section headings, `#p16-rubrik` → `#p16`) in order, at most 10.
"use strict";
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { execFileSync } = require("node:child_process");
const browserLib = path.join(__dirname, "..", "tests", "browser", "lib");
const { serve } = require(path.join(browserLib, "site.js"));
const { launch } = require(path.join(browserLib, "browser.js"));

async function main() {
  const built = process.argv[2];
  const queries = JSON.parse(fs.readFileSync(0, "utf8"));
  const site = fs.mkdtempSync(path.join(os.tmpdir(), "pagefind-"));
  fs.cpSync(built, site, { recursive: true });
  const [cmd, ...args] = (process.env.PAGEFIND || "npx pagefind").split(" ");
  execFileSync(cmd, [...args, "--site", site], { stdio: ["ignore", "ignore", "inherit"] });
  // The units' facts lie beside the output folder (.protokoll/sokindex/<output>/), in sites
  // built before issue 20 inside it (sok/index/).
  const beside = path.join(path.dirname(path.resolve(built)), ".protokoll", "sokindex", path.basename(path.resolve(built)), "enheter.json");
  const facts = fs.existsSync(beside) ? beside : path.join(site, "sok", "index", "enheter.json");
  const units = JSON.parse(fs.readFileSync(facts, "utf8"));
  const byUrl = new Map(units.map((u) => [u.url, u.id]));
  const statics = await serve(site);
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await page.goto(`${statics.origin}${statics.base}`);
    const found = await page.evaluate(async ({ base, queries }) => {
      const pf = await import(`${base}pagefind/pagefind.js`);
      await pf.init();
      const out = [];
      for (const q of queries) {
        const r = await pf.search(q);
        const pages = await Promise.all(r.results.slice(0, 20).map((x) => x.data()));
        out.push(pages.flatMap((p) => [p.url, ...p.sub_results.map((s) => s.url)]));
      }
      return out;
    }, { base: statics.base, queries });
    const ranked = found.map((urls) => {
      const ids = [];
      for (const u of urls) {
        const id = byUrl.get(u.replace(/-rubrik$/, ""));
        if (id && !ids.includes(id)) ids.push(id);
      }
      return ids.slice(0, 10);
    });
    process.stdout.write(JSON.stringify(ranked));
  } finally {
    await browser.close();
    await statics.close();
    fs.rmSync(site, { recursive: true, force: true });
  }
}
main().catch((e) => { console.error(e); process.exit(1); });
