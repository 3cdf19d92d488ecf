// Search parity (issue 19): the static client (sok.js and the wasm core in Chromium, reading the
// static index over HTTP exactly as a visitor's browser does), the server's JSON endpoint
// (`protokoll serve`) and the command line (`protokoll search --json`) must give the same top 10
// and the same total for a query. Used by tests/browser/search*.test.js and by
// scripts/bench-search-parity (the national corpus).
"use strict";

const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { spawn, execFile } = require("node:child_process");
const { REPO, BUILD_DAY } = require("./site");

/** The protokoll command: $PROTOKOLL_BIN, or `cargo run` in the repository. */
function bin() {
  return process.env.PROTOKOLL_BIN
    ? [process.env.PROTOKOLL_BIN, []]
    : ["cargo", ["run", "--quiet", "--manifest-path", path.join(REPO, "Cargo.toml"), "--"]];
}

/**
 * `protokoll serve` on the archive at `root` (built first by serve into `out`, or a temporary
 * folder), on a free port. `day`: the build day.
 */
function startServer(root = REPO, { out, day = BUILD_DAY, timeout = 120_000 } = {}) {
  const temp = out ? null : fs.mkdtempSync(path.join(os.tmpdir(), "protokoll-serve-"));
  const utdata = out || path.join(temp, "finsam");
  const [cmd, pre] = bin();
  const child = spawn(cmd, [...pre, "serve", "--rot", root, "--port", "0", "--idag", day, "--utdata", utdata],
    { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
  return new Promise((resolve, reject) => {
    let seen = "";
    const timer = setTimeout(() => reject(new Error(`protokoll serve gav ingen adress:\n${seen}`)), timeout);
    const onData = (d) => {
      seen += d;
      const m = seen.match(/http:\/\/127\.0\.0\.1:(\d+)(\/\S*)/);
      if (m) {
        clearTimeout(timer);
        resolve({
          origin: `http://127.0.0.1:${m[1]}`, base: m[2], utdata,
          close: () => { child.kill(); if (temp) fs.rmSync(temp, { recursive: true, force: true }); },
        });
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => reject(new Error(`protokoll serve avslutades (${code}):\n${seen}`)));
  });
}

const status = (page) => page.locator("#sok-antal").textContent();

/** Waits until the live region reports the answer to `q` (or that nothing was found). */
async function answered(page, q) {
  try {
    await page.waitForFunction((q) => {
      const t = document.getElementById("sok-antal").textContent;
      return t.includes(`för ”${q.trim()}”`);
    }, q, { timeout: 30_000 });
  } catch (e) {
    throw new Error(`${q}: ${await status(page)}: ${e.message}`);
  }
}

const hitIds = (page) => page.locator("li.traff").evaluateAll((l) => l.map((li) => li.dataset.id));

/** The number of hits the live region reports. */
async function shownTotal(page) {
  const t = await status(page);
  // After a correction ("Menade du …? Visar träffar för det.") or a date note comes the count.
  const m = t.match(/(\d+) träff/);
  return m ? Number(m[1]) : 0;
}

/** The static client's top 10 and total for `q` on the static host `where`. */
async function staticTop10(page, q, where) {
  await page.goto(`${where.origin}${where.base}sok/?q=${encodeURIComponent(q)}`);
  await answered(page, q);
  return { ids: await hitIds(page), total: await shownTotal(page) };
}

/** The server's top 10 and total for `q` (svar.json). */
async function serverTop10(server, q) {
  const r = await fetch(`${server.origin}${server.base}sok/svar.json?q=${encodeURIComponent(q)}&antal=10`);
  if (r.status !== 200) throw new Error(`${q}: svar.json gav ${r.status}`);
  const body = await r.json();
  return { ids: body.hits.map((h) => h.id), total: body.total };
}

/** The command line's top 10 and total for `q` over the built site `site`. */
function cliTop10(site, q) {
  const [cmd, pre] = bin();
  return new Promise((resolve, reject) => {
    execFile(cmd, [...pre, "search", q, "--rot", site, "--antal", "10", "--json"], { encoding: "utf8", maxBuffer: 64 << 20 },
      (err, out) => {
        if (err) return reject(new Error(`${q}: protokoll search: ${err.message}`));
        const body = JSON.parse(out);
        resolve({ ids: body.hits.map((h) => h.id), total: body.total });
      });
  });
}

/**
 * Asks every query of `queries` in all three places. `page`: a browser page (or `pages`, several,
 * to ask that many queries at once); `statics`: the static host of the built site `site`;
 * `server`: `protokoll serve` on the same archive. Returns the differences (one text per query
 * that differs, in the list's order), the queries with no hit, and the number asked. `totals`:
 * whether the totals must agree too.
 */
async function compareAll({ page, pages = [page], statics, server, site, queries, totals = true, progress }) {
  const results = new Array(queries.length);
  let next = 0;
  let done = 0;
  let differing = 0;
  const same = (a, b) => JSON.stringify(a.ids) === JSON.stringify(b.ids) && (!totals || a.total === b.total);
  async function worker(p) {
    while (next < queries.length) {
      const i = next++;
      const q = queries[i];
      const [fromPage, answer, cli] = await Promise.all([staticTop10(p, q, statics), serverTop10(server, q), cliTop10(site, q)]);
      const differ = !same(fromPage, answer) || !same(cli, answer)
        ? `${q}:\n  webbläsare  ${fromPage.total} ${fromPage.ids.join(" ")}\n  server      ${answer.total} ${answer.ids.join(" ")}\n  kommandorad ${cli.total} ${cli.ids.join(" ")}`
        : null;
      results[i] = { q, empty: answer.total === 0, differ };
      if (differ) differing++;
      if (progress) progress(++done, queries.length, differing);
    }
  }
  await Promise.all(pages.map(worker));
  return {
    differ: results.filter((r) => r.differ).map((r) => r.differ),
    empty: results.filter((r) => r.empty).map((r) => r.q),
    asked: queries.length,
  };
}

/** The non-empty lines of a query list (one query a line). */
function queryList(file) {
  return fs.readFileSync(file, "utf8").split("\n").filter((l) => l.trim());
}

module.exports = {
  bin, startServer, answered, status, hitIds, shownTotal, staticTop10, serverTop10, cliTop10, compareAll, queryList,
};
