// The strict Content-Security-Policy of src/security.rs (documented in docs/deploy.md) costs the
// site nothing: every page of the example archive and of the XSS corpus, served with the policy
// and the other security headers, loads with zero violations (securitypolicyviolation events and
// the browser's console), also when the anslagstavla script rewrites the page on a later day. A
// template with inline style and a page with inline script and a style attribute are shown to
// produce violations, so the check can fail.
"use strict";

const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const { exampleSite, xssSite, brokenSite, pages, serve } = require("./lib/site");
const { launch } = require("./lib/browser");
const { CSP, securityHeaders, watch } = require("./lib/security");

const sites = { exempelarkivet: exampleSite(), "XSS-korpusen": xssSite() };
const servers = {};
let browser;
before(async () => {
  for (const [name, dir] of Object.entries(sites)) servers[name] = await serve(dir, { headers: securityHeaders });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  for (const s of Object.values(servers)) await s.close();
});

/** Loads `url` from `server` with JavaScript on; returns the violations seen and the response headers. */
async function violations(server, url, options = {}) {
  const context = await browser.newContext({ timezoneId: "Europe/Stockholm" });
  await context.route(/.*/, async (route) => {
    const u = new URL(route.request().url());
    if (u.hostname !== "127.0.0.1" && u.protocol !== "data:") return route.abort();
    if (options.inject && route.request().url() === server.origin + url) {
      const res = await route.fetch();
      return route.fulfill({ response: res, body: options.inject(await res.text()) });
    }
    return route.continue();
  });
  const page = await context.newPage();
  const recorder = await watch(context, page);
  if (options.now) await page.clock.setFixedTime(options.now);
  const res = await page.goto(server.origin + url, { waitUntil: "load" });
  await page.waitForTimeout(100);
  const problems = (await recorder.problems(page)).filter((p) => /CSP/.test(p));
  const headers = res.headers();
  await context.close();
  return { problems, headers };
}

for (const [name, dir] of Object.entries(sites)) {
  for (const { url } of pages(dir)) {
    test(`CSP utan överträdelser (${name}): ${url}`, async () => {
      const { problems, headers } = await violations(servers[name], url);
      assert.equal(headers["content-security-policy"], securityHeaders(url)["content-security-policy"]);
      assert.equal(headers["x-content-type-options"], "nosniff");
      assert.deepEqual(problems, [], `på ${url}:\n  ${problems.join("\n  ")}`);
    });
  }
  for (const { url } of pages(dir).filter((p) => /anslagstavla\/$|protokoll\//.test(p.url))) {
    test(`CSP utan överträdelser när skriptet skriver om sidan (${name}, 10 april 2025): ${url}`, async () => {
      const { problems } = await violations(servers[name], url, { now: new Date("2025-04-10T10:00:00+02:00") });
      assert.deepEqual(problems, [], `på ${url}:\n  ${problems.join("\n  ")}`);
    });
  }
}

test("policyn är sträng: inget 'unsafe-inline', inget 'unsafe-eval', bara egna källor", () => {
  // 'wasm-unsafe-eval' (the search page's WebAssembly) is neither.
  assert.doesNotMatch(CSP, /'unsafe-(inline|eval)'/);
  for (const directive of ["default-src 'self'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'self'"]) {
    assert.ok(CSP.includes(directive), `${directive} saknas i ${CSP}`);
  }
});

test("kontrollen hittar inline-stil och inline-skript (kontrollen kan fela)", async () => {
  // The broken fixture template has a <style> element.
  const broken = await serve(brokenSite(), { headers: securityHeaders });
  try {
    const { problems } = await violations(broken, broken.base);
    assert.ok(problems.some((p) => /style-src/.test(p)), `den trasiga mallens <style> gav ingen överträdelse: ${problems.join("; ")}`);
  } finally {
    await broken.close();
  }
  // A page of the example archive with an inline script and a style attribute injected.
  const server = servers.exempelarkivet;
  const url = pages(sites.exempelarkivet)[0].url;
  const { problems } = await violations(server, url, {
    inject: (html) => html.replace("</main>", "<script>document.title = 'x';</script><p style=\"color: red\">röd</p></main>"),
  });
  const found = problems.join("\n");
  assert.match(found, /script-src/);
  assert.match(found, /style-src/);
});
