// `protokoll serve` as the webmaster meets it (issue 21): after a save that breaks the build, the
// open page reloads with the error panel in view, even when the reader had scrolled far down
// (the browser would restore that scroll position, above which the panel sits).
"use strict";

const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { spawn } = require("node:child_process");
const { REPO, BUILD_DAY } = require("./lib/site");
const { launch } = require("./lib/browser");

function bin() {
  return process.env.PROTOKOLL_BIN
    ? [process.env.PROTOKOLL_BIN, []]
    : ["cargo", ["run", "--quiet", "--manifest-path", path.join(REPO, "Cargo.toml"), "--"]];
}

/** A copy of the example archive (site.toml and content/) that the test may break. */
function archiveCopy() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "protokoll-serve-arkiv-"));
  fs.copyFileSync(path.join(REPO, "site.toml"), path.join(root, "site.toml"));
  fs.cpSync(path.join(REPO, "content"), path.join(root, "content"), { recursive: true });
  return root;
}

/** `protokoll serve` on `root`, on a free port. */
function startServe(root) {
  const [cmd, pre] = bin();
  const child = spawn(cmd, [...pre, "serve", "--rot", root, "--port", "0", "--idag", BUILD_DAY],
    { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
  return new Promise((resolve, reject) => {
    let seen = "";
    const timer = setTimeout(() => reject(new Error(`protokoll serve gav ingen adress:\n${seen}`)), 120_000);
    const onData = (d) => {
      seen += d;
      const m = seen.match(/http:\/\/127\.0\.0\.1:(\d+)(\/\S*)/);
      if (m) {
        clearTimeout(timer);
        resolve({ origin: `http://127.0.0.1:${m[1]}`, base: m[2], close: () => child.kill() });
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => reject(new Error(`protokoll serve avslutades (${code}):\n${seen}`)));
  });
}

let root, server, browser;
before(async () => {
  root = archiveCopy();
  [server, browser] = await Promise.all([startServe(root), launch()]);
});
after(async () => {
  await browser?.close();
  server?.close();
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

for (const size of [{ width: 390, height: 844 }, { width: 1366, height: 900 }]) {
  test(`${size.width}×${size.height}: felpanelen syns efter omladdningen fast sidan var nedrullad`, async () => {
    const file = path.join(root, "content", "soderasen", "protokoll", "2025-03-11.md");
    const good = fs.readFileSync(file, "utf8");
    const context = await browser.newContext({ viewport: size });
    try {
      const page = await context.newPage();
      await page.goto(`${server.origin}${server.base}soderasen/protokoll/2025-03-11/`);
      await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
      const scrolled = await page.evaluate(() => window.scrollY);
      assert.ok(scrolled > size.height, `sidan gick inte att rulla ned (${scrolled} px)`);
      // Break the YAML: the build fails, the page reloads with the panel over the last good page.
      const reloaded = page.waitForEvent("load", { timeout: 90_000 });
      fs.writeFileSync(file, good.replace("organ: Styrelsen", "organ: [Styrelsen"));
      await reloaded;
      const panel = page.locator(".protokoll-fel");
      await panel.waitFor({ timeout: 30_000 });
      // The browser restores the scroll position after the load event; give it the time.
      await page.waitForTimeout(300);
      const box = await panel.boundingBox();
      assert.ok(box, "felpanelen syns inte");
      assert.ok(box.y >= -1 && box.y < size.height / 2,
        `felpanelen börjar ${Math.round(box.y)} px från fönstrets överkant (fönstret är ${size.height} px högt)`);
      assert.match(await panel.innerText(), /2025-03-11\.md:\d+/);
    } finally {
      fs.writeFileSync(file, good);
      await context.close();
    }
    // Fixed again: the next build is good before the next test breaks it.
    const deadline = Date.now() + 90_000;
    for (;;) {
      const r = await fetch(`${server.origin}${server.base}soderasen/protokoll/2025-03-11/`);
      if (!(await r.text()).includes("protokoll-fel")) break;
      assert.ok(Date.now() < deadline, "felet försvann inte efter rättelsen");
      await new Promise((ok) => setTimeout(ok, 200));
    }
  });
}
