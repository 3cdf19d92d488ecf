// Static search in headless Chromium, for scripts/bench-search:
//   node scripts/bench-search.js SITE [QUERIES]
//
// SITE is a built site folder; QUERIES a file of one query per line (default
// scripts/bench-search.queries, the fixed list of issue 5). It is served on 127.0.0.1 under its base path by a server that
// sends text, JSON and wasm gzip-compressed (level 9, as a host with precompressed files or
// on-the-fly gzip would), with Content-Length, and the index's .bin files (gzip blocks already)
// as they are, answering byte ranges as static hosts do. Bytes are Chromium's own count of what came over
// the wire (CDP Network.loadingFinished encodedDataLength: compressed body plus headers).
//
// First query: a fresh browser context (empty cache) opens <base>sok/?q=QUERY and waits for the
// answer; every request of the page is counted, split into the search's own (sok.js, the wasm
// analysis, sok/data/*) and the page's (HTML, style sheet, anslag script).
// Later queries: in one page, each query of the list is typed after the ones before it; the
// requests between typing it and its answer are counted.
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const http = require("node:http");
const zlib = require("node:zlib");
const { chromium } = require(path.join(__dirname, "..", "tests", "browser", "node_modules", "playwright-core"));

const site = path.resolve(process.argv[2] || "");
const QUERIES = fs.readFileSync(process.argv[3] || path.join(__dirname, "bench-search.queries"), "utf8").split("\n").filter(Boolean);

function basePath(dir) {
  const html = fs.readFileSync(path.join(dir, "index.html"), "utf8");
  const m = html.match(/<link rel="stylesheet" href="(\/[^"]*?)assets\/[^"/]+\.css"/);
  if (!m) throw new Error("no style sheet link in index.html");
  return m[1];
}

const TYPES = {
  ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript",
  ".json": "application/json", ".wasm": "application/wasm", ".svg": "image/svg+xml",
};

function serve(dir) {
  const base = basePath(dir);
  const gz = new Map();
  const server = http.createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (!pathname.startsWith(base)) { res.writeHead(404).end(); return; }
    let file = path.join(dir, pathname.slice(base.length));
    if (pathname.endsWith("/")) file = path.join(file, "index.html");
    if (!file.startsWith(dir) || !fs.existsSync(file) || !fs.statSync(file).isFile()) { res.writeHead(404).end(); return; }
    // Hashed names may be cached for ever; the rest is revalidated (as docs/deploy.md advises).
    const immutable = /\/sok\/data\/[a-z]-[0-9a-f]+\.(json|bin)$|\/assets\//.test(pathname);
    const cache = immutable ? "public, max-age=31536000, immutable" : "no-cache";
    const type = TYPES[path.extname(file)] || "application/octet-stream";
    // The index's .bin files are gzip blocks already: sent as they are, in the byte ranges asked for.
    const range = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range || "");
    if (file.endsWith(".bin")) {
      const all = fs.readFileSync(file);
      const [start, end] = range ? [Number(range[1]), Math.min(Number(range[2]), all.length - 1)] : [0, all.length - 1];
      const body = all.subarray(start, end + 1);
      res.writeHead(range ? 206 : 200, {
        "content-type": type, "content-length": body.length, "accept-ranges": "bytes", "cache-control": cache,
        ...(range ? { "content-range": `bytes ${start}-${end}/${all.length}` } : {}),
      });
      res.end(body);
      return;
    }
    if (!gz.has(file)) gz.set(file, zlib.gzipSync(fs.readFileSync(file), { level: 9 }));
    const body = gz.get(file);
    res.writeHead(200, { "content-type": type, "content-encoding": "gzip", "content-length": body.length, "cache-control": cache });
    res.end(body);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () =>
    resolve({ origin: `http://127.0.0.1:${server.address().port}`, base, close: () => server.close() })));
}

/** Records every finished request of `page`: { url, bytes }. */
async function recorder(context, page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: false });
  const urls = new Map();
  const done = [];
  const statuses = new Map();
  cdp.on("Network.requestWillBeSent", (e) => urls.set(e.requestId, e.request.url));
  cdp.on("Network.responseReceived", (e) => statuses.set(e.requestId, e.response.status));
  cdp.on("Network.loadingFinished", (e) => {
    done.push({ url: urls.get(e.requestId) || "?", bytes: e.encodedDataLength, status: statuses.get(e.requestId) });
  });
  return done;
}

const isSearch = (url) => /\/sok\/data\/|sok[^/]*\.js$|\.wasm$/.test(new URL(url).pathname);
const fileOf = (r) => `${path.basename(new URL(r.url).pathname)}${r.status === 206 ? " (del)" : ""} ${kb(r.bytes)}`;
const kb = (b) => (b / 1024).toFixed(1);
function pct(values, p) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}

async function answered(page, q) {
  await page.waitForFunction((q) => document.getElementById("sok-antal").textContent.includes(`för ”${q}”`), q, { timeout: 120_000 });
}

(async () => {
  const server = await serve(site);
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium", args: ["--no-sandbox"] });
  const url = (q) => `${server.origin}${server.base}sok/?q=${encodeURIComponent(q)}`;
  const first = [];
  const failed = [];
  for (const q of QUERIES) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const log = await recorder(context, page);
    const t0 = Date.now();
    try {
      await page.goto(url(q));
      await answered(page, q);
    } catch (e) {
      // One query that fails (no answer within the limit) is reported, and the list goes on.
      console.error(`${q}: ${e.message.split("\n")[0]}`);
      failed.push(q);
      await context.close().catch(() => {});
      continue;
    }
    const ms = Date.now() - t0;
    await page.waitForTimeout(50);
    const search = log.filter((r) => isSearch(r.url));
    const hits = await page.locator("li.traff").count();
    first.push({
      q, ms, hits,
      searchBytes: search.reduce((s, r) => s + r.bytes, 0), searchRequests: search.length,
      allBytes: log.reduce((s, r) => s + r.bytes, 0), allRequests: log.length,
      files: search.map(fileOf),
    });
    await context.close();
  }
  console.log("Första frågan (tom cache, sidan öppnas med ?q=):\n");
  console.log("| fråga | träffar visade | sökningens KB | sökningens förfrågningar | hela sidan KB | hela sidans förfrågningar | ms |");
  console.log("|---|---:|---:|---:|---:|---:|---:|");
  for (const r of first) {
    console.log(`| ${r.q} | ${r.hits} | ${kb(r.searchBytes)} | ${r.searchRequests} | ${kb(r.allBytes)} | ${r.allRequests} | ${r.ms} |`);
  }
  const sb = first.map((r) => r.searchBytes);
  const sr = first.map((r) => r.searchRequests);
  if (failed.length) console.log(`\nUtan svar: ${failed.length} (${failed.join(" | ")})`);
  console.log(`\nFörsta frågan, sökningen: median ${kb(pct(sb, 50))} KB, p95 ${kb(pct(sb, 95))} KB, max ${kb(Math.max(...sb))} KB; förfrågningar median ${pct(sr, 50)}, max ${Math.max(...sr)}`);
  const worst = first.reduce((a, b) => (b.searchBytes > a.searchBytes ? b : a));
  console.log(`Största första frågan (${worst.q}): ${worst.files.join(", ")}`);

  // Later queries: typed one after the other in the same page.
  const context = await browser.newContext();
  const page = await context.newPage();
  const log = await recorder(context, page);
  await page.goto(`${server.origin}${server.base}sok/`);
  await page.waitForFunction(() => document.getElementById("sok-info").hidden);
  const later = [];
  for (const [i, q] of QUERIES.entries()) {
    const before = log.length;
    await page.fill("#q", q);
    try {
      await answered(page, q);
    } catch (e) {
      console.error(`${q} (senare): ${e.message.split("\n")[0]}`);
      continue;
    }
    await page.waitForTimeout(50);
    const mine = log.slice(before);
    if (i > 0) later.push({ q, bytes: mine.reduce((s, r) => s + r.bytes, 0), requests: mine.length,
      files: mine.map(fileOf) });
  }
  await context.close();
  console.log("\nSenare frågor (skrivna i tur och ordning på samma sida, efter den första):\n");
  console.log("| fråga | KB | förfrågningar |");
  console.log("|---|---:|---:|");
  for (const r of later) console.log(`| ${r.q} | ${kb(r.bytes)} | ${r.requests} |`);
  const lb = later.map((r) => r.bytes);
  console.log(`\nSenare frågor: median ${kb(pct(lb, 50))} KB, p95 ${kb(pct(lb, 95))} KB, max ${kb(Math.max(...lb))} KB; förfrågningar max ${Math.max(...later.map((r) => r.requests))}`);
  const big = later.reduce((a, b) => (b.bytes > a.bytes ? b : a));
  console.log(`Största senare fråga (${big.q}): ${big.files.join(", ")}`);
  await browser.close();
  server.close();
})().catch((e) => { console.error(e); process.exit(1); });
