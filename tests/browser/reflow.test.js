// Text that survives zoom (WCAG 1.4.4 and 1.4.10), on every page: at 640 CSS px (a 1280 px window
// at 200 % zoom), at 320 CSS px (400 %, the reflow criterion) and at 640 CSS px with the text
// alone enlarged to 200 % on top (Chromium's text-only zoom is a browser setting; doubling the
// root font size does the same), no page scrolls sideways and nothing sticks out of the window;
// a wide table may scroll inside its own box only. The broken fixture template must fail.
"use strict";

const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const { exampleSite, brokenSite, pages, serve, missingPageTypes } = require("./lib/site");
const { launch, localOnly, reflowProblems } = require("./lib/browser");

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

async function check(url, width, textZoom = false) {
  // The text zoom is emulated with a style tag, which the page's own CSP meta would refuse; the
  // browser setting it stands for is not subject to any page policy.
  const context = await browser.newContext({ viewport: { width, height: 800 }, timezoneId: "Europe/Stockholm", bypassCSP: textZoom });
  const outside = [];
  await localOnly(context, outside);
  const page = await context.newPage();
  try {
    await page.goto(url);
    if (textZoom) await page.addStyleTag({ content: "html { font-size: 200% !important; }" });
    return await reflowProblems(page);
  } finally {
    await context.close();
  }
}

const SIZES = [
  { width: 640, textZoom: false, name: "640 px" },
  { width: 320, textZoom: false, name: "320 px" },
  { width: 640, textZoom: true, name: "640 px med 200 % text" },
];

test("varje sidtyp (lib/site.js PAGE_TYPES, med sökningen) finns bland sidorna som prövas", () => {
  assert.deepEqual(missingPageTypes(all), []);
});

for (const { url } of all) {
  for (const { width, textZoom, name } of SIZES) {
    test(`ingen sidledsrullning vid ${name}: ${url}`, async () => {
      const problems = await check(server.origin + url, width, textZoom);
      assert.deepEqual(problems, [], `${url} vid ${name}:\n  ${problems.join("\n  ")}`);
    });
  }
}

test("kontrollen hittar den fasta bredden i den trasiga mallen (kontrollen kan fela)", async () => {
  const broken = await serve(brokenSite());
  try {
    const problems = await check(broken.origin + broken.base, 320);
    assert.match(problems.join("\n"), /sidan rullar i sidled/);
    assert.match(problems.join("\n"), /<p\.bred> .* sticker ut ur fönstret/);
  } finally {
    await broken.close();
  }
});
