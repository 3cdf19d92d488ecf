// axe-core with the WCAG 2.1 A and AA rules on every page of the built example archive, at a
// desktop width and at 320 CSS px (where wide tables scroll inside their own box): zero
// violations. The same check on the broken fixture template must find its faults.
"use strict";

const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const { exampleSite, brokenSite, pages, serve, PAGE_TYPES } = require("./lib/site");
const { launch, localOnly, axe, formatViolations } = require("./lib/browser");

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

async function violationsAt(origin, url, width, options = {}) {
  const context = await browser.newContext({ viewport: { width, height: 900 }, timezoneId: "Europe/Stockholm" });
  const outside = [];
  await localOnly(context, outside);
  const page = await context.newPage();
  if (options.now) await page.clock.setFixedTime(options.now);
  await page.goto(origin + url);
  const violations = await axe(page);
  await context.close();
  assert.deepEqual(outside, [], "sidan hämtar något utanför webbplatsen");
  return violations;
}

test("varje sidtyp finns i det byggda exempelarkivet", () => {
  const urls = new Set(all.map((p) => p.url));
  const base = all.find((p) => p.file.endsWith("404.html")).url.replace(/404\.html$/, "");
  for (const [type, rel] of Object.entries(PAGE_TYPES)) assert.ok(urls.has(base + rel), `${type}: ${base + rel} saknas`);
});

for (const { url } of all) {
  for (const width of [1280, 320]) {
    test(`axe WCAG 2.1 A/AA: ${url} vid ${width} px`, async () => {
      const violations = await violationsAt(server.origin, url, width);
      assert.equal(violations.length, 0, `${violations.length} regler bryts på ${url}:\n${formatViolations(violations)}`);
    });
  }
}

test("axe WCAG 2.1 A/AA: anslagstavlan när skriptet har flyttat anslaget (10 april 2025)", async () => {
  const url = all.find((p) => p.url.endsWith("/anslagstavla/")).url;
  const violations = await violationsAt(server.origin, url, 1280, { now: new Date("2025-04-10T10:00:00+02:00") });
  assert.equal(violations.length, 0, formatViolations(violations));
});

test("axe hittar felen i den trasiga mallen (kontrollen kan fela)", async () => {
  const broken = await serve(brokenSite());
  try {
    for (const rel of ["", "soderasen/protokoll/2025-03-11/"]) {
      const violations = await violationsAt(broken.origin, broken.base + rel, 1280);
      const ids = violations.map((v) => v.id);
      for (const id of ["html-has-lang", "image-alt", "link-name", "color-contrast"]) {
        assert.ok(ids.includes(id), `axe missade ${id} på den trasiga sidan ${rel}; hittade: ${ids.join(", ")}`);
      }
      // The report is readable: rule, help text, element.
      assert.match(formatViolations(violations), /image-alt: Images must have alternative text[\s\S]*logga\.svg/);
    }
  } finally {
    await broken.close();
  }
});
