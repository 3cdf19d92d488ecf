// The site under test: a built archive, served from a small static server on 127.0.0.1.
//
// PROTOKOLL_SITE  a built site (the `--utdata` folder, e.g. /tmp/x/finsam); without it the example
//                 archive is built into a temporary folder with `cargo run`.
// PROTOKOLL_BIN   the protokoll binary used for builds (default: `cargo run --quiet --`).
// Every build uses --idag 2025-03-20, the day the tests' facts about the anslagstavla refer to.
"use strict";

const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const http = require("node:http");
const { execFileSync } = require("node:child_process");

const REPO = path.resolve(__dirname, "..", "..", "..");
const BUILD_DAY = "2025-03-20";

function tempDir(prefix) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  process.on("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Builds the archive at `root` into `out` with the build day fixed; returns `out`. */
function build(root, out) {
  const args = ["build", "--rot", root, "--idag", BUILD_DAY, "--utdata", out];
  const bin = process.env.PROTOKOLL_BIN;
  const [cmd, argv] = bin
    ? [bin, args]
    : ["cargo", ["run", "--quiet", "--manifest-path", path.join(REPO, "Cargo.toml"), "--", ...args]];
  try {
    execFileSync(cmd, argv, { stdio: ["ignore", "pipe", "pipe"], encoding: "utf8", maxBuffer: 64 << 20 });
  } catch (e) {
    throw new Error(`bygget misslyckades: ${cmd} ${argv.join(" ")}\n${e.stdout || ""}${e.stderr || ""}`);
  }
  return out;
}

let exampleDir;
/** The built example archive (content/ and site.toml of the repository). */
function exampleSite() {
  if (!exampleDir) {
    exampleDir = process.env.PROTOKOLL_SITE
      ? path.resolve(process.env.PROTOKOLL_SITE)
      : build(REPO, path.join(tempDir("protokoll-site-"), "finsam"));
  }
  return exampleDir;
}

let brokenDir;
/**
 * The example archive built with the deliberately broken base template in
 * fixtures/trasig/ (no skip link, an image without alt text, low contrast, no focus outline,
 * a fixed-width box, invalid markup). The checks must find these faults.
 */
function brokenSite() {
  if (!brokenDir) {
    const root = tempDir("protokoll-trasig-");
    fs.copyFileSync(path.join(REPO, "site.toml"), path.join(root, "site.toml"));
    fs.cpSync(path.join(REPO, "content"), path.join(root, "content"), { recursive: true });
    fs.cpSync(path.join(__dirname, "..", "fixtures", "trasig"), root, { recursive: true });
    brokenDir = build(root, path.join(root, "ut", "finsam"));
  }
  return brokenDir;
}

let xssDir;
/**
 * The XSS corpus fixtures/xss/ built: content, front matter values, förbund names and the site's
 * own settings carry script tags, event handlers, javascript:/data: URLs, SVG payloads, broken
 * tags and template syntax. Nothing of it may run in a browser.
 */
function xssSite() {
  if (!xssDir) {
    const root = path.join(__dirname, "..", "fixtures", "xss");
    xssDir = build(root, path.join(tempDir("protokoll-xss-"), "ondsint"));
  }
  return xssDir;
}

/** The URL path the site lives under ("/finsam/"), from the start page's link to its style sheet. */
function basePath(dir) {
  const html = fs.readFileSync(path.join(dir, "index.html"), "utf8");
  const m = html.match(/<link rel="stylesheet" href="(\/[^"]*?)assets\/[^"/]+\.css"/);
  if (!m) throw new Error(`${dir}/index.html länkar inte till någon stilmall under assets/`);
  return m[1];
}

/** Every HTML file of a built site: [{ file, url }] with url the path a browser asks for. */
function pages(dir) {
  const base = basePath(dir);
  const out = [];
  (function walk(d) {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".html")) {
        const rel = path.relative(dir, p).split(path.sep).join("/");
        out.push({ file: p, url: base + rel.replace(/(^|\/)index\.html$/, "$1") });
      }
    }
  })(dir);
  return out;
}

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".txt": "text/plain; charset=utf-8",
  ".wasm": "application/wasm",
  ".bin": "application/octet-stream",
};

/**
 * Serves the built site `dir` under its base path on 127.0.0.1 (a free port), like a web server
 * would: folders answer with index.html, missing addresses with 404.html and status 404.
 * `options.headers(pathname)` adds response headers (e.g. the security headers of lib/security.js);
 * byte ranges are answered with 206 unless `options.ranges` is false.
 * Resolves to { origin, base, close() }.
 */
function serve(dir, options = {}) {
  const base = basePath(dir);
  const root = fs.realpathSync(dir);
  const extra = options.headers || (() => ({}));
  const notFound = (res) => {
    const p = path.join(root, "404.html");
    res.writeHead(404, { "content-type": TYPES[".html"] });
    res.end(fs.existsSync(p) ? fs.readFileSync(p) : "404");
  };
  const server = http.createServer((req, res) => {
    const writeHead = res.writeHead.bind(res);
    res.writeHead = (status, headers = {}) => {
      let pathname = "/";
      try {
        pathname = new URL(req.url, "http://127.0.0.1").pathname;
      } catch {
        // a malformed address gets no extra headers
      }
      return writeHead(status, { ...extra(pathname), ...headers });
    };
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, "http://127.0.0.1").pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    if (!pathname.startsWith(base)) return notFound(res);
    let file = path.resolve(root, "." + path.posix.normalize("/" + pathname.slice(base.length)));
    if (file !== root && !file.startsWith(root + path.sep)) return notFound(res);
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) {
      if (!pathname.endsWith("/")) {
        res.writeHead(301, { location: pathname + "/" }).end();
        return;
      }
      file = path.join(file, "index.html");
    }
    if (!fs.existsSync(file) || !fs.statSync(file).isFile()) return notFound(res);
    const type = TYPES[path.extname(file)] || "application/octet-stream";
    const body = fs.readFileSync(file);
    // Byte ranges (RFC 9110 §14), as static hosts answer them; `options.ranges: false` plays a
    // host that ignores them and sends the whole file.
    const range = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range || "");
    if (range && options.ranges !== false) {
      const start = Number(range[1]);
      const end = Math.min(Number(range[2]), body.length - 1);
      if (start > end) {
        res.writeHead(416, { "content-range": `bytes */${body.length}` }).end();
        return;
      }
      res.writeHead(206, { "content-type": type, "content-range": `bytes ${start}-${end}/${body.length}`, "accept-ranges": "bytes" });
      res.end(body.subarray(start, end + 1));
      return;
    }
    res.writeHead(200, { "content-type": type });
    res.end(body);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const origin = `http://127.0.0.1:${server.address().port}`;
      resolve({ origin, base, close: () => new Promise((r) => server.close(r)) });
    });
  });
}

/**
 * The page types of the example archive that every suite must cover, by URL below the base path.
 * The suites check every page of the site; this list makes sure none of these is missing.
 */
const PAGE_TYPES = {
  "startsida": "",
  "förbundslista": "forbund/",
  "förbund": "soderasen/",
  "protokoll (Söderåsen 2025)": "soderasen/protokoll/2025-03-11/",
  "protokoll (Söderåsen 2020)": "soderasen/protokoll/2020-11-24/",
  "protokoll (Blekinge)": "blekinge/protokoll/2025-05-05/",
  "plan": "sydostraskane/planer/2020/",
  "år (alla förbund)": "ar/2025/",
  "år (ett förbund)": "soderasen/ar/2025/",
  "anslagstavla (nationell)": "anslagstavla/",
  "anslagstavla (förbund)": "soderasen/anslagstavla/",
  "tillgänglighetsredogörelse": "tillganglighet/",
  "404": "404.html",
  "inbäddning (iframe)": "soderasen/inbaddning/",
  "sök": "sok/",
};

/**
 * The page types of PAGE_TYPES that `list` (pages() of the example archive) lacks, as
 * "type: url". Each suite that walks every page asserts this is empty, so that a page type the
 * build stops writing (or writes elsewhere) cannot drop out of a suite unnoticed.
 */
function missingPageTypes(list) {
  const urls = new Set(list.map((p) => p.url));
  const notFound = list.find((p) => p.file.endsWith("404.html"));
  if (!notFound) return ["404: 404.html"];
  const base = notFound.url.replace(/404\.html$/, "");
  return Object.entries(PAGE_TYPES).filter(([, rel]) => !urls.has(base + rel)).map(([type, rel]) => `${type}: ${base + rel}`);
}

module.exports = { REPO, BUILD_DAY, build, exampleSite, brokenSite, xssSite, basePath, pages, serve, PAGE_TYPES, missingPageTypes };
