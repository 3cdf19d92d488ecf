// Issue 7, Done when 2: a plain HTML page on another origin (another port on 127.0.0.1) embeds
// Söderåsen's iframe (/soderasen/inbaddning/) and the visitor sees the latest protocol and its
// last appeal day, with JavaScript and without. Links in the frame open in the whole window. The
// same frame served by `protokoll serve` may be framed, while an ordinary page of the archive may
// not (the proof that the framing check can fail).
"use strict";

const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const http = require("node:http");
const os = require("node:os");
const fs = require("node:fs");
const path = require("node:path");
const { spawn } = require("node:child_process");
const { REPO, BUILD_DAY, exampleSite, serve } = require("./lib/site");
const { launch, localOnly } = require("./lib/browser");

const LATEST = "Styrelsen 11 mars 2025, protokoll nr 2";
const LAST_APPEAL = "fredag 4 april 2025";

/** A förbund's own home page on its own origin, with the archive's iframe in a sidebar. */
function hostPage(frameSrc) {
  const html = `<!DOCTYPE html>
<html lang="sv">
<head><meta charset="utf-8"><title>Förbundets egen webbplats</title></head>
<body>
<main>
<h1>Välkommen till förbundet</h1>
<aside>
<iframe src="${frameSrc}" title="Söderåsens samordningsförbund: protokoll och anslag" width="300" height="800"></iframe>
</aside>
</main>
</body>
</html>`;
  const server = http.createServer((req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(html);
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      resolve({ origin: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => server.close(r)) });
    });
  });
}

let archive, browser;
before(async () => {
  archive = await serve(exampleSite());
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await archive?.close();
});

/** Opens the host page in a fresh context; returns { page, frame, context }. */
async function openHost(host, options = {}) {
  const context = await browser.newContext({
    viewport: { width: 1000, height: 800 },
    timezoneId: "Europe/Stockholm",
    javaScriptEnabled: options.javaScript !== false,
  });
  const outside = [];
  await localOnly(context, outside);
  const page = await context.newPage();
  // The facts refer to the build day; with the clock there the script agrees with the build.
  if (options.javaScript !== false) await page.clock.setFixedTime(new Date(`${BUILD_DAY}T10:00:00+01:00`));
  await page.goto(host.origin + "/");
  await page.waitForLoadState("load");
  const frame = page.frames().find((f) => f.parentFrame() === page.mainFrame());
  assert.ok(frame, "the host page has a frame");
  assert.deepEqual(outside, [], "the frame fetches nothing outside 127.0.0.1");
  return { page, frame, context };
}

for (const javaScript of [true, false]) {
  test(`inbäddningen på en annan webbplats visar senaste protokollet och sista dag att överklaga (JavaScript ${javaScript ? "på" : "av"})`, async () => {
    const src = `${archive.origin}${archive.base}soderasen/inbaddning/`;
    const host = await hostPage(src);
    try {
      assert.notEqual(new URL(host.origin).origin, new URL(archive.origin).origin, "two origins");
      const { page, frame, context } = await openHost(host, { javaScript });
      try {
        assert.equal(frame.url(), src);
        const text = await frame.locator("main").innerText();
        assert.match(text, new RegExp(LATEST), text);
        assert.match(text, new RegExp(`Sista dag att överklaga: ${LAST_APPEAL}`), text);
        // The notice is under "Anslagna nu" with its days left on the build day.
        const notices = await frame.getByRole("region", { name: "Anslagna nu" }).innerText();
        assert.match(notices, new RegExp(LATEST));
        assert.match(notices, /15 dagar kvar att överklaga\./);
        // The latest protocol heads "Senaste protokollen".
        const latest = frame.getByRole("region", { name: "Senaste protokollen" }).getByRole("listitem").first();
        assert.match(await latest.innerText(), new RegExp(`${LATEST}[\\s\\S]*${LAST_APPEAL}`));
        // It fits the 300 px sidebar: nothing scrolls sideways inside the frame.
        const widths = await frame.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
        assert.ok(widths[0] <= widths[1], `the frame scrolls sideways: ${widths}`);
        // A link opens the protocol in the whole window, not in the frame.
        await Promise.all([
          page.waitForURL(`${archive.origin}${archive.base}soderasen/protokoll/2025-03-11/`),
          frame.getByRole("link", { name: LATEST }).first().click(),
        ]);
        assert.equal(page.url(), `${archive.origin}${archive.base}soderasen/protokoll/2025-03-11/`);
      } finally {
        await context.close();
      }
    } finally {
      await host.close();
    }
  });
}

test("inbäddningen tar bort anslaget ur \"Anslagna nu\" när tiden för överklagande har gått ut (10 april 2025)", async () => {
  const host = await hostPage(`${archive.origin}${archive.base}soderasen/inbaddning/`);
  try {
    const context = await browser.newContext({ timezoneId: "Europe/Stockholm" });
    await localOnly(context, []);
    const page = await context.newPage();
    await page.clock.setFixedTime(new Date("2025-04-10T10:00:00+02:00"));
    await page.goto(host.origin + "/");
    const frame = page.frames().find((f) => f.parentFrame() === page.mainFrame());
    await frame.waitForLoadState("load");
    const notices = frame.getByRole("region", { name: "Anslagna nu" });
    await notices.getByText("Inget protokoll är anslaget just nu.").waitFor();
    assert.doesNotMatch(await notices.innerText(), new RegExp(LATEST));
    // The protocol is still among the latest, with its (past) last appeal day.
    assert.match(await frame.getByRole("region", { name: "Senaste protokollen" }).innerText(), new RegExp(LAST_APPEAL));
    await context.close();
  } finally {
    await host.close();
  }
});

/** Starts `protokoll serve` on the example archive (a free port); resolves to { origin, base, stop }. */
function startServe() {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "protokoll-serve-"));
  const args = ["serve", "--rot", REPO, "--port", "0", "--idag", BUILD_DAY, "--utdata", path.join(out, "finsam")];
  const bin = process.env.PROTOKOLL_BIN;
  const [cmd, argv] = bin
    ? [bin, args]
    : ["cargo", ["run", "--quiet", "--manifest-path", path.join(REPO, "Cargo.toml"), "--", ...args]];
  const child = spawn(cmd, argv, { stdio: ["ignore", "pipe", "pipe"] });
  const stop = () => {
    child.kill();
    fs.rmSync(out, { recursive: true, force: true });
  };
  return new Promise((resolve, reject) => {
    let seen = "";
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`protokoll serve skrev ingen adress:\n${seen}`));
    }, 120000);
    const onData = (chunk) => {
      seen += chunk;
      const m = seen.match(/http:\/\/127\.0\.0\.1:(\d+)(\/[^\s]*)/);
      if (m) {
        clearTimeout(timer);
        resolve({ origin: `http://127.0.0.1:${m[1]}`, base: m[2], stop });
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", (c) => { seen += c; });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`protokoll serve avslutades (${code}):\n${seen}`));
    });
  });
}

test("protokoll serve låter andra webbplatser rama in inbäddningen men inte arkivets vanliga sidor", async () => {
  const server = await startServe();
  try {
    const embed = await hostPage(`${server.origin}${server.base}soderasen/inbaddning/`);
    try {
      const { frame, context } = await openHost(embed);
      try {
        const text = await frame.locator("main").innerText();
        assert.match(text, new RegExp(LATEST));
        assert.match(text, new RegExp(LAST_APPEAL));
      } finally {
        await context.close();
      }
    } finally {
      await embed.close();
    }
    // The förbund's ordinary page says frame-ancestors 'self': the browser refuses to show it.
    const ordinary = await hostPage(`${server.origin}${server.base}soderasen/`);
    try {
      const { frame, context } = await openHost(ordinary);
      try {
        const blocked = frame.url().startsWith("chrome-error:") || (await frame.locator("h1").count()) === 0;
        assert.ok(blocked, `the ordinary page was shown in a frame of another origin (${frame.url()})`);
      } finally {
        await context.close();
      }
    } finally {
      await ordinary.close();
    }
  } finally {
    server.stop();
  }
});
