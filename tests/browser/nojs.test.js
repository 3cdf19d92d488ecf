// Core content without JavaScript (BRIEF §6): with scripts off, every protocol shows each § of
// its Markdown source as a heading with its decisions and reservations, plans show their
// sections, the anslagstavla shows its notices, and the indexes link to every document.
"use strict";

const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const { exampleSite, pages, serve, missingPageTypes } = require("./lib/site");
const { launch, localOnly } = require("./lib/browser");
const { protocols, plans, words } = require("./lib/content");

const site = exampleSite();
let server, browser, context;
before(async () => {
  server = await serve(site);
  browser = await launch();
  context = await browser.newContext({ javaScriptEnabled: false });
  await localOnly(context, []);
});
after(async () => {
  await browser?.close();
  await server?.close();
});

async function open(rel) {
  const page = await context.newPage();
  const res = await page.goto(server.origin + server.base + rel);
  assert.equal(res.status(), 200, `${rel} svarar ${res.status()}`);
  return page;
}

/** What is missing on an open protocol page compared with its Markdown source. */
async function protocolProblems(page, protocol) {
  const problems = [];
  const headings = (await page.locator("section.paragraf > h2").allInnerTexts()).map(words);
  const expected = protocol.paragraphs.map((p) => words(`§ ${p.number} ${p.title}`));
  if (headings.length !== expected.length) problems.push(`${headings.length} §-rubriker på sidan, ${expected.length} i källan`);
  for (const p of protocol.paragraphs) {
    const name = `§ ${p.number} ${p.title}`;
    const section = page.getByRole("region", { name, exact: true });
    if ((await section.count()) !== 1 || !(await section.isVisible())) {
      problems.push(`${name}: ingen synlig rubrik och text`);
      continue;
    }
    if (!(await section.getByRole("heading", { level: 2, name, exact: true }).isVisible())) {
      problems.push(`${name}: rubriken syns inte`);
    }
    const decisions = section.locator(".block.beslut");
    const shown = (await decisions.allInnerTexts()).map(words);
    if (shown.length !== p.decisions.length) {
      problems.push(`${name}: ${shown.length} beslut på sidan, ${p.decisions.length} i källan`);
    }
    p.decisions.forEach((d, i) => {
      const text = shown[i] || "";
      if (!text.startsWith("beslut")) problems.push(`${name}: beslut ${i + 1} är inte märkt "Beslut"`);
      if (!text.includes(words(d))) problems.push(`${name}: beslut ${i + 1} saknar texten "${d.slice(0, 60)}…"`);
    });
    const reservations = (await section.locator(".block.reservation").allInnerTexts()).map(words);
    for (const r of p.reservations) {
      if (!reservations.some((t) => t.includes(words(r)))) problems.push(`${name}: reservationen "${r.slice(0, 60)}…" saknas`);
    }
  }
  return problems;
}

for (const protocol of protocols()) {
  test(`utan JavaScript: protokollet ${protocol.rel} visar alla § och beslut`, async () => {
    const page = await open(protocol.rel);
    const problems = await protocolProblems(page, protocol);
    assert.deepEqual(problems, [], problems.join("\n"));
    // The table of contents links to every §.
    for (const p of protocol.paragraphs) {
      const link = page.getByRole("navigation", { name: "Paragrafer" }).getByRole("link", { name: new RegExp(`^§ ${p.number} `) });
      assert.equal(await link.getAttribute("href"), `#p${p.number}`);
    }
    await page.close();
  });
}

test("kontrollen av protokollsidor kan fela: en § och ett beslut borttagna", async () => {
  const protocol = protocols().find((p) => p.rel === "soderasen/protokoll/2025-03-11/");
  const page = await context.newPage();
  await page.route("**/soderasen/protokoll/2025-03-11/", async (route) => {
    const res = await route.fetch();
    const html = (await res.text())
      .replace(/<section class="paragraf" id="p18"[\s\S]*?<\/section>/, "")
      // In § 15 itself: "Beslut i korthet" at the top repeats the decision.
      .replace(/(<section class="paragraf" id="p15"[\s\S]*?)Styrelsen beslutar att godkänna dagordningen\./, "$1");
    await route.fulfill({ response: res, body: html });
  });
  await page.goto(server.origin + server.base + protocol.rel);
  const problems = (await protocolProblems(page, protocol)).join("\n");
  assert.match(problems, /§ 18 Förslag till dokumenthanteringsplan.*: ingen synlig rubrik/);
  assert.match(problems, /§ 15 Godkännande av dagordning: beslut 1 saknar texten/);
  await page.close();
});

for (const plan of plans()) {
  test(`utan JavaScript: planen ${plan.rel} visar alla avsnitt`, async () => {
    const page = await open(plan.rel);
    for (const s of plan.sections) {
      assert.ok(await page.getByRole("heading", { level: 2, name: s, exact: true }).isVisible(), `avsnittet "${s}" saknas`);
    }
    await page.close();
  });
}

test("utan JavaScript: anslagstavlorna visar anslagen och hur man överklagar", async () => {
  for (const rel of ["anslagstavla/", "soderasen/anslagstavla/"]) {
    const page = await open(rel);
    const now = page.getByRole("region", { name: "Anslagna nu" });
    const item = now.getByRole("listitem").filter({ hasText: "Styrelsen 11 mars 2025, protokoll nr 2" });
    assert.equal(await item.count(), 1, `${rel}: Söderåsens anslag saknas`);
    const text = (await item.innerText()).replace(/\s+/g, " ");
    for (const fact of ["Sammanträdesdatum 11 mars 2025", "Anslaget uppsatt 14 mars 2025",
      "Förvaringsplats Söderåsens samordningsförbund, Åstorp", "Sista dag att överklaga fredag 4 april 2025"]) {
      assert.ok(text.includes(fact), `${rel}: "${fact}" saknas i anslaget: ${text}`);
    }
    const appeal = page.getByRole("region", { name: "Så överklagar du ett beslut" });
    assert.match(await appeal.innerText(), /skriftligt och skickas till förvaltningsrätten/);
    assert.match(await appeal.innerText(), /inom tre veckor/);
    await page.close();
  }
});

test("utan JavaScript: söksidan säger att sökningen kräver JavaScript eller servern och visar vägen till protokollen", async () => {
  // On a plain web host the search runs in the browser; without JavaScript the page must say so
  // (and point to the indexes) instead of showing an empty result that looks like "nothing found".
  // `protokoll serve` renders results without JavaScript; search.test.js covers that.
  for (const q of ["", "?q=budget"]) {
    const page = await open("sok/" + q);
    const note = page.locator("#sok-info");
    assert.ok(await note.isVisible(), `sok/${q}: meddelandet om JavaScript syns inte`);
    assert.match(await note.innerText(), /kräver JavaScript/);
    const hrefs = await note.locator("a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    assert.ok(hrefs.includes(server.base + "forbund/"), `sok/${q}: länken till förbunden saknas: ${hrefs}`);
    assert.ok(hrefs.includes(server.base), `sok/${q}: länken till startsidan saknas: ${hrefs}`);
    assert.ok(await page.getByRole("searchbox", { name: "Sök i protokoll, beslut och planer" }).isVisible(), `sok/${q}: sökrutan saknas`);
    assert.equal(await page.locator("li.traff").count(), 0, `sok/${q}: träffar utan JavaScript på en statisk webbplats`);
    await page.close();
  }
});

test("utan JavaScript: startsida, förbund och årssidor länkar till varje protokoll", async () => {
  const all = protocols();
  for (const rel of ["", "ar/2025/", "ar/2020/"]) {
    const page = await open(rel);
    const hrefs = await page.locator("main a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    const year = rel.match(/ar\/(\d{4})/);
    for (const p of all.filter((x) => !year || x.name.startsWith(year[1]))) {
      assert.ok(hrefs.includes(server.base + p.rel), `${rel || "startsidan"} länkar inte till ${p.rel}`);
    }
    await page.close();
  }
  for (const forbund of new Set(all.map((p) => p.forbund))) {
    const page = await open(`${forbund}/`);
    const hrefs = await page.locator("main a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    for (const p of all.filter((x) => x.forbund === forbund)) {
      assert.ok(hrefs.includes(server.base + p.rel), `${forbund}/ länkar inte till ${p.rel}`);
    }
    await page.close();
  }
});

test("utan JavaScript: tillgänglighetsredogörelsen har lagens uppgifter och länkas från varje sida", async () => {
  const page = await open("tillganglighet/");
  const text = await page.locator("main").innerText();
  for (const fact of [/Webbplatsen är delvis förenlig/, /Kända brister/, /webb@example\.se/, /Senaste bedömningen gjordes/,
    /uppdaterades senast/, /Hur vi testat webbplatsen/]) {
    assert.match(text, fact);
  }
  assert.equal(await page.getByRole("link", { name: "kontakta Digg och påtala det" }).getAttribute("href"), "https://www.digg.se/tdosanmalan");
  await page.close();
  for (const { url } of pages(site)) {
    const p = await context.newPage();
    await p.goto(server.origin + url);
    const link = p.getByRole("contentinfo").getByRole("link", { name: "Tillgänglighetsredogörelse" });
    assert.equal(await link.getAttribute("href"), server.base + "tillganglighet/", `${url} länkar inte till redogörelsen`);
    assert.equal(await p.locator("html").getAttribute("lang"), "sv", `${url} saknar lang="sv"`);
    await p.close();
  }
});

test("varje sidtyp (lib/site.js PAGE_TYPES, med sökningen) finns bland sidorna som prövas utan JavaScript", () => {
  assert.deepEqual(missingPageTypes(pages(site)), []);
});
