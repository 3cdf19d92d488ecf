// Keyboard only, on every page of the built example archive: the first Tab lands on the skip
// link "Hoppa till innehållet", Enter moves focus to the main content, every link and control
// is reached by Tab, and each shows a visible focus indicator (an outline with at least 3:1
// contrast against what is behind it). The broken fixture template must fail the same walk.
"use strict";

const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const { exampleSite, brokenSite, pages, serve, missingPageTypes } = require("./lib/site");
const { launch, localOnly, keyboardProblems } = require("./lib/browser");

const site = exampleSite();
const all = pages(site);
let server, browser;
before(async () => {
  server = await serve(site);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

async function walk(url, width = 1280) {
  const context = await browser.newContext({ viewport: { width, height: 800 }, timezoneId: "Europe/Stockholm" });
  const outside = [];
  await localOnly(context, outside);
  const page = await context.newPage();
  try {
    return await keyboardProblems(page, url);
  } finally {
    await context.close();
  }
}

test("varje sidtyp (lib/site.js PAGE_TYPES, med sökningen) finns bland sidorna som prövas", () => {
  assert.deepEqual(missingPageTypes(all), []);
});

for (const { url } of all) {
  test(`tangentbord: ${url}`, async () => {
    const r = await walk(server.origin + url);
    assert.deepEqual(r.problems, [], `${r.problems.length} problem på ${url}:\n  ${r.problems.join("\n  ")}`);
    assert.ok(r.expected >= 8, `bara ${r.expected} länkar och kontroller hittades på ${url}`);
    assert.equal(r.stops, r.expected);
  });
}

test("tangentbord vid 320 px: protokollsidan med breda tabeller", async () => {
  const url = all.find((p) => p.url.endsWith("/soderasen/protokoll/2020-11-24/")).url;
  const r = await walk(server.origin + url, 320);
  assert.deepEqual(r.problems, [], r.problems.join("\n"));
});

test("tangentbordskontrollen hittar felen i den trasiga mallen (kontrollen kan fela)", async () => {
  const broken = await serve(brokenSite());
  try {
    const r = await walk(broken.origin + broken.base);
    const text = r.problems.join("\n");
    assert.match(text, /första Tab ger .* inte länken "Hoppa till innehållet"/);
    assert.match(text, /ingen synlig fokusmarkering/);
  } finally {
    await broken.close();
  }
});
