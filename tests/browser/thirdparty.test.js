// No third-party requests (BRIEF §5, issue 17): every page of the built example archive, loaded
// with JavaScript on in headless Chromium, asks only the test server for anything, and its own
// Content-Security-Policy meta (served here without any security header, as a host that sends
// none would) blocks nothing of it and draws no console message (a `frame-ancestors` in a meta
// would). A page with an image from another host injected is shown to be stopped by the meta
// alone, so the check can fail.
"use strict";

const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const { exampleSite, pages, serve } = require("./lib/site");
const { launch } = require("./lib/browser");
const { watch } = require("./lib/security");

const site = exampleSite();
let server;
let browser;
before(async () => {
  // No headers: what protects the page here is its meta.
  server = await serve(site);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/**
 * Loads `url` and lets its scripts run; returns every request that went to another host than the
 * test server (aborted, so nothing leaves the machine) and the CSP problems seen.
 */
async function load(url, inject) {
  const context = await browser.newContext({ timezoneId: "Europe/Stockholm" });
  const origin = new URL(server.origin);
  const outside = [];
  await context.route(/.*/, async (route) => {
    const u = new URL(route.request().url());
    if (u.protocol === "data:") return route.continue();
    if (u.host !== origin.host) {
      outside.push(route.request().url());
      return route.abort();
    }
    if (inject && route.request().url() === server.origin + url) {
      const res = await route.fetch();
      return route.fulfill({ response: res, body: inject(await res.text()) });
    }
    return route.continue();
  });
  const page = await context.newPage();
  const recorder = await watch(context, page);
  await page.goto(server.origin + url, { waitUntil: "load" });
  await page.waitForLoadState("networkidle");
  const problems = (await recorder.problems(page)).filter((p) => /CSP/.test(p));
  const meta = await page.evaluate(
    () => document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute("content") ?? null,
  );
  await context.close();
  return { outside, problems, meta };
}

for (const { url } of pages(site)) {
  test(`inga anrop till andra värdar och ingen CSP-anmärkning: ${url}`, async () => {
    const { outside, problems, meta } = await load(url);
    assert.deepEqual(outside, [], `${url} hämtade från andra värdar`);
    assert.deepEqual(problems, [], `på ${url}:\n  ${problems.join("\n  ")}`);
    assert.ok(meta && meta.includes("default-src 'self'"), `${url} har ingen CSP-meta: ${meta}`);
  });
}

test("sidans meta stoppar en bild från en annan värd (kontrollen kan fela)", async () => {
  const url = pages(site).find((p) => /protokoll\/2025-03-11\/$/.test(p.url)).url;
  const { outside, problems } = await load(url, (html) =>
    html.replace("</main>", '<img src="https://tredje.example/spion.png" alt="x"></main>'),
  );
  // Blocked before it is sent: the policy, not the test's router, stops it.
  assert.deepEqual(outside, []);
  assert.ok(
    problems.some((p) => /img-src/.test(p) && /tredje\.example/.test(p)),
    `ingen överträdelse för bilden: ${problems.join("; ")}`,
  );
});
