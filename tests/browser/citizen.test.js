// Issue 21: what a citizen meets, at a laptop's size (1366×900) and a phone's (390×844).
// - A protocol page shows the last appeal day and the court that hears an appeal in the first
//   screen, before any scrolling.
// - No table cell breaks a number over lines; wide tables scroll inside their own box (a named,
//   focusable region), never the page, and print in full.
// - The start page and the anslagstavla (and a förbund's page and its anslagstavla) agree on what
//   is posted, on any date: the tests move the visitor's clock.
// - Every page has a search form that works, also with JavaScript off.
// The example archive is built with --idag 2025-03-20.
"use strict";

const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const { exampleSite, serve, pages, PAGE_TYPES } = require("./lib/site");
const { launch, localOnly } = require("./lib/browser");

const SIZES = [
  { name: "1366×900", width: 1366, height: 900 },
  { name: "390×844", width: 390, height: 844 },
];

let server, browser;
before(async () => {
  server = await serve(exampleSite());
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

// The build day, unless a test moves the clock: the facts above hold on it.
const BUILD_DAY = new Date("2025-03-20T12:00:00+01:00");

async function open(url, { size = SIZES[0], now = BUILD_DAY, js = true, media } = {}) {
  const context = await browser.newContext({
    viewport: { width: size.width, height: size.height },
    javaScriptEnabled: js,
    timezoneId: "Europe/Stockholm",
    locale: "sv-SE",
  });
  const outside = [];
  await localOnly(context, outside);
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  if (now) await page.clock.setFixedTime(now);
  if (media) await page.emulateMedia({ media });
  const res = await page.goto(url.startsWith("http") ? url : server.origin + server.base + url);
  await page.waitForLoadState("load");
  page.response = res;
  page.finish = async () => {
    await context.close();
    assert.deepEqual(errors, [], `skriptfel på ${url}`);
    assert.deepEqual(outside, [], `${url} hämtar något utanför webbplatsen`);
  };
  return page;
}

/** The element's box relative to the top of the page (the window is not scrolled). */
async function box(page, selector) {
  const b = await page.locator(selector).first().boundingBox();
  assert.ok(b, `${selector} syns inte`);
  return b;
}

// ---------------------------------------------------------------------------------------------
// 1. The facts first.

const PROTOCOLS = [
  { url: "soderasen/protokoll/2025-03-11/", last: /Sista dag att överklaga: fredag 4 april 2025/, court: "Förvaltningsrätten i Malmö" },
  { url: "soderasen/protokoll/2020-11-24/", last: /Överklagandetiden gick ut måndag 21 december 2020/, court: "Förvaltningsrätten i Malmö" },
  // No anslag data in the Blekinge protocol: the page says so, in the same place.
  { url: "blekinge/protokoll/2025-05-05/", last: /saknar uppgift om när justeringen anslogs/, court: "Förvaltningsrätten i Växjö" },
];

for (const size of SIZES) {
  test(`${size.name}: sista dag att överklaga och förvaltningsrätten syns utan att man rullar`, async () => {
    for (const p of PROTOCOLS) {
      for (const js of [true, false]) {
        const page = await open(p.url, { size, js });
        const summary = page.getByRole("region", { name: "I korthet" });
        const appeal = summary.locator("dt:text-is('Överklagande') + dd");
        const court = summary.locator("dt:text-is('Överklaga till') + dd");
        assert.match((await appeal.innerText()).replace(/\s+/g, " "), p.last, p.url);
        assert.match(await court.innerText(), new RegExp(p.court), p.url);
        for (const [what, el] of [["sista dagen", appeal], ["domstolen", court]]) {
          const b = await el.boundingBox();
          assert.ok(b, `${what} syns inte på ${p.url}`);
          assert.ok(b.y + b.height <= size.height,
            `${what} slutar ${Math.round(b.y + b.height)} px ner på ${p.url}, under första skärmen (${size.height} px)`);
        }
        // The summary comes before the attendance list.
        const attendance = page.getByRole("region", { name: "Sammanträdet" });
        assert.ok((await summary.boundingBox()).y < (await attendance.boundingBox()).y);
        await page.finish();
      }
    }
  });
}

test("\"Beslut i korthet\" länkar till varje paragraf med beslut", async () => {
  const page = await open("soderasen/protokoll/2025-03-11/");
  const links = page.locator(".i-korthet a");
  const hrefs = await links.evaluateAll((as) => as.map((a) => a.getAttribute("href")));
  const withDecision = await page.locator("section.paragraf:has(.block.beslut)").evaluateAll((s) => s.map((x) => "#" + x.id));
  assert.ok(withDecision.length >= 10, `bara ${withDecision.length} paragrafer med beslut`);
  assert.deepEqual(hrefs, withDecision);
  await links.first().click();
  assert.equal(new URL(page.url()).hash, withDecision[0]);
  await page.finish();
});

test("anslagstavlan säger vilken förvaltningsrätt ett överklagande går till", async () => {
  const page = await open("soderasen/anslagstavla/");
  const item = page.getByRole("region", { name: "Anslagna nu" }).getByRole("listitem").first();
  assert.match(await item.innerText(), /Överklaga till\s+Förvaltningsrätten i Malmö/);
  assert.match(await page.locator("#overklaga").innerText(), /Förvaltningsrätten i Malmö/);
  await page.finish();
});

// ---------------------------------------------------------------------------------------------
// 2. Tables.

const TABLE_PAGES = ["soderasen/protokoll/2020-11-24/", "sydostraskane/planer/2020/", "forbund/", "soderasen/"];

/** Numbers in table cells that the browser laid out over more than one line. */
function brokenNumbers(page) {
  return page.evaluate(() => {
    const out = [];
    for (const cell of document.querySelectorAll("td, th")) {
      const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const re = /(?<![\p{L}\d-])[−-]?\d[\d\u00a0\u202f ]*\d(?:\u00a0(?:kr|tkr|%))?/gu;
        for (let m = re.exec(node.data); m; m = re.exec(node.data)) {
          // A grouped number in the text must be one: "3 126 000" with ordinary spaces counts too.
          const range = document.createRange();
          range.setStart(node, m.index);
          range.setEnd(node, m.index + m[0].length);
          const tops = new Set(Array.from(range.getClientRects()).filter((r) => r.width > 0).map((r) => Math.round(r.top)));
          if (tops.size > 1) out.push(`${m[0]} (${tops.size} rader) i "${cell.textContent.trim().slice(0, 60)}"`);
        }
      }
    }
    return out;
  });
}

for (const size of SIZES) {
  test(`${size.name}: ingen tabellcell bryter ett tal, och tal står till höger`, async () => {
    for (const url of TABLE_PAGES) {
      const page = await open(url, { size });
      assert.deepEqual(await brokenNumbers(page), [], url);
      // Every cell holding only an amount or a count is right-aligned in tabular figures.
      const misaligned = await page.evaluate(() => Array.from(document.querySelectorAll("td"))
        .filter((td) => /^[−-]?\d{1,3}(?:[\s\u00a0]\d{3})*(?:[.,]\d+)?(?:[\s\u00a0](?:kr|tkr))?$/.test(td.textContent.trim()))
        .filter((td) => getComputedStyle(td).textAlign !== "right" || !getComputedStyle(td).fontVariantNumeric.includes("tabular-nums"))
        .map((td) => td.textContent.trim()));
      assert.deepEqual(misaligned, [], url);
      await page.finish();
    }
  });

  test(`${size.name}: breda tabeller rullar i sin egen ruta, inte sidan`, async () => {
    let wide = 0;
    for (const url of TABLE_PAGES) {
      const page = await open(url, { size });
      const boxes = await page.evaluate(() => Array.from(document.querySelectorAll("table")).map((t) => {
        const frame = t.parentElement;
        return {
          framed: frame.classList.contains("tabellram"),
          role: frame.getAttribute("role"),
          name: frame.getAttribute("aria-label") || frame.getAttribute("aria-labelledby"),
          tabindex: frame.getAttribute("tabindex"),
          overflows: frame.scrollWidth > frame.clientWidth + 1,
        };
      }));
      for (const b of boxes) {
        assert.ok(b.framed, `${url}: en tabell utan rullruta`);
        assert.equal(b.role, "region", url);
        assert.ok(b.name, `${url}: rullrutan saknar namn`);
        assert.equal(b.tabindex, "0", url);
      }
      const pageWidth = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
      assert.ok(pageWidth[0] <= pageWidth[1], `${url}: sidan är ${pageWidth[0]} px bred i ett ${pageWidth[1]} px fönster`);
      // Keyboard: focus a box that overflows and press the right arrow: the box scrolls, the page not.
      const index = boxes.findIndex((b) => b.overflows);
      if (index >= 0) {
        wide++;
        const frame = page.locator(".tabellram").nth(index);
        await frame.focus();
        await page.keyboard.press("ArrowRight");
        await page.keyboard.press("End");
        await page.waitForTimeout(100);
        const [inner, windowX] = await frame.evaluate((f) => [f.scrollLeft, window.scrollX]);
        assert.ok(inner > 0, `${url}: tabellrutan rullade inte`);
        assert.equal(windowX, 0, `${url}: sidan rullade i sidled`);
      }
      await page.finish();
    }
    if (size.width < 500) assert.ok(wide > 0, "ingen tabell är bredare än mobilen: testet prövar inget");
  });
}

test("utskrift: en bred tabell skrivs ut hel, utan rullruta", async () => {
  const page = await open("soderasen/protokoll/2020-11-24/", { size: SIZES[1], media: "print" });
  const frames = await page.evaluate(() => Array.from(document.querySelectorAll(".tabellram")).map((f) => getComputedStyle(f).overflowX));
  assert.ok(frames.length > 0);
  assert.ok(frames.every((o) => o === "visible"), frames.join(", "));
  await page.finish();
});

// ---------------------------------------------------------------------------------------------
// 3. One truth: the start page, the förbund page and the anslagstavlor agree on any date.

const DAYS = [
  "2025-03-12T09:00:00+01:00", // before the notice was posted (14 March)
  "2025-03-20T12:00:00+01:00", // the build day
  "2025-04-04T23:55:00+02:00", // the last appeal day
  "2025-04-05T00:05:00+02:00", // the day after
  "2025-06-03T12:00:00+02:00", // 60 days after the last day: still "nyligen"
  "2025-06-04T12:00:00+02:00", // 61 days after: gone
  "2026-12-07T12:00:00+01:00", // long after
];

async function postedOnStart(page) {
  const count = (await page.locator("[data-antal]").first().innerText()).trim();
  const links = await page.locator('[data-lista="aktuella"] li:visible a').evaluateAll((as) => as.map((a) => a.getAttribute("href")));
  return { count, links };
}

async function postedOnBoard(page) {
  const links = await page.locator('[data-lista="aktuella"] li:visible h3 a').evaluateAll((as) => as.map((a) => a.getAttribute("href")));
  const expired = await page.locator('[data-lista="nedtagna"] li:visible h3 a').evaluateAll((as) => as.map((a) => a.getAttribute("href")));
  const empty = await page.locator('[data-tom="aktuella"]').isVisible();
  return { links, expired, empty };
}

function countText(n, forbund) {
  if (n === 0) return forbund ? "Inget protokoll från förbundet är anslaget just nu." : "Inga protokoll är anslagna just nu.";
  return n === 1 ? "Ett protokoll är anslaget just nu." : `${n} protokoll är anslagna just nu.`;
}

for (const size of SIZES) for (const [start, board, forbund] of [["", "anslagstavla/", false], ["soderasen/", "soderasen/anslagstavla/", true]]) {
  test(`${size.name}: /${start} och /${board} visar samma anslag vilken dag det än är`, async () => {
    const seen = new Set();
    for (const now of DAYS) {
      const a = await open(start, { size, now: new Date(now) });
      const b = await open(board, { size, now: new Date(now) });
      const s = await postedOnStart(a);
      const t = await postedOnBoard(b);
      assert.deepEqual(s.links, t.links, `${now}: startsidan och anslagstavlan är oeniga`);
      assert.equal(s.count, countText(t.links.length, forbund), now);
      assert.equal(t.empty, t.links.length === 0, now);
      seen.add(t.links.length);
      const day = now.slice(0, 10);
      if (day > "2025-06-03") assert.deepEqual(t.expired, [], `${now}: ett anslag som togs ned för över 60 dagar sedan står kvar`);
      if (day >= "2025-04-05" && day <= "2025-06-03") assert.equal(t.expired.length, 1, `${now}: det nyss nedtagna anslaget saknas`);
      await a.finish();
      await b.finish();
    }
    assert.ok(seen.has(0) && seen.has(1), "dagarna prövar inte både ett anslag och inget");
  });
}

test("utan JavaScript visar start och anslagstavla läget på byggdagen, lika", async () => {
  const a = await open("", { js: false });
  const b = await open("anslagstavla/", { js: false });
  const s = await postedOnStart(a);
  const t = await postedOnBoard(b);
  assert.deepEqual(s.links, t.links);
  assert.equal(t.links.length, 1);
  assert.equal(s.count, "Ett protokoll är anslaget just nu.");
  await a.finish();
  await b.finish();
});

// ---------------------------------------------------------------------------------------------
// 4. Search from every page.

for (const size of SIZES) test(`${size.name}: varje sida har ett synligt sökformulär som är ett vanligt GET-formulär till /sok/`, async () => {
  const list = pages(exampleSite()).filter((p) => !p.url.endsWith("/inbaddning/"));
  assert.ok(list.length >= Object.keys(PAGE_TYPES).length - 1);
  const page = await open("", { size, js: false });
  for (const p of list) {
    await page.goto(server.origin + p.url);
    const form = page.getByRole("search").first();
    assert.equal(await form.count(), 1, `${p.url}: inget sökformulär`);
    assert.ok(await form.isVisible(), `${p.url}: sökformuläret syns inte`);
    const box = await form.boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= size.width, `${p.url}: sökformuläret ryms inte i bredden`);
    const action = await form.getAttribute("action");
    assert.equal(new URL(action, server.origin + p.url).pathname, server.base + "sok/", p.url);
    assert.equal((await form.getAttribute("method")).toLowerCase(), "get", p.url);
    // A label, not a placeholder, names the field.
    const field = form.locator('input[name="q"]');
    assert.equal(await field.count(), 1, p.url);
    const id = await field.getAttribute("id");
    assert.equal(await page.locator(`label[for="${id}"]`).count(), 1, `${p.url}: sökrutan saknar etikett`);
  }
  await page.finish();
});

for (const size of SIZES) {
  test(`${size.name}: sökrutan i sidhuvudet leder till sökresultat, med och utan JavaScript`, async () => {
    for (const js of [false, true]) {
      for (const url of ["", "soderasen/protokoll/2025-03-11/", "anslagstavla/"]) {
        const page = await open(url, { size, js });
        const form = url === "" ? page.locator("form.startsok") : page.locator("header").getByRole("search");
        await form.getByRole("searchbox").fill("årsredovisning");
        await form.getByRole("button", { name: "Sök" }).click();
        await page.waitForURL(/\/sok\/\?q=/);
        const u = new URL(page.url());
        assert.equal(u.pathname, server.base + "sok/");
        assert.equal(u.searchParams.get("q"), "årsredovisning");
        if (js) {
          // The static search page reads ?q= and shows hits.
          await page.locator("#sok-resultat li").first().waitFor({ timeout: 15000 });
          assert.equal(await page.locator("#q").inputValue(), "årsredovisning");
        } else {
          // The static host has no server search: the page says how to find protocols instead.
          assert.match(await page.locator("#sok-info").innerText(), /kräver JavaScript/);
        }
        await page.finish();
      }
    }
  });
}

// ---------------------------------------------------------------------------------------------
// 5. The embed's documented size holds its list.

test("inbäddningen ryms i den höjd docs/embed.md anger", async () => {
  const fs = require("node:fs");
  const path = require("node:path");
  const doc = fs.readFileSync(path.join(__dirname, "..", "..", "docs", "embed.md"), "utf8");
  const m = /<iframe[^>]*width="(\d+)" height="(\d+)"/.exec(doc);
  assert.ok(m, "docs/embed.md har ingen iframe med bredd och höjd");
  const size = { name: "inbäddning", width: Number(m[1]), height: Number(m[2]) };
  const page = await open("soderasen/inbaddning/", { size });
  const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollHeight, document.documentElement.clientHeight]);
  assert.ok(scroll <= client, `inbäddningen är ${scroll} px hög i en ram på ${client} px`);
  await page.finish();
});

// ---------------------------------------------------------------------------------------------
// 5b. The plan's table of contents numbers each section once ("1. Inledning", not "1. 1. Inledning").

test("planens innehållsförteckning numrerar varje avsnitt en gång", async () => {
  const page = await open("sydostraskane/planer/2020/");
  const items = await page.locator("nav.innehall li").evaluateAll((lis) => lis.map((li) => {
    const marker = getComputedStyle(li).listStyleType;
    return { text: li.innerText.trim(), numbered: li.parentElement.localName === "ol" && marker !== "none" };
  }));
  assert.ok(items.length >= 10, `bara ${items.length} avsnitt i innehållsförteckningen`);
  for (const [i, item] of items.entries()) {
    // What a reader sees: the list's own number (if it shows one) and then the text.
    const seen = (item.numbered ? `${i + 1}. ` : "") + item.text;
    assert.ok(!/^\d+\.\s*\d+\./.test(seen), `"${seen}" har två nummer`);
    assert.match(seen, new RegExp(`^${i + 1}\\. \\S`), `"${seen}" har inte numret ${i + 1}`);
  }
  await page.finish();
});

// ---------------------------------------------------------------------------------------------
// 6. Headings on a phone: a long compound breaks at its joint with a hyphen, never at a letter,
//    and no heading sticks out of its box.

const NARROW = [
  { name: "320×640", width: 320, height: 640 },
  SIZES[1],
];

for (const size of NARROW) {
  test(`${size.name}: rubriker delar långa ord bara vid ett bindestreck och ryms i sin ruta`, async () => {
    const list = pages(exampleSite());
    const page = await open("", { size });
    const problems = [];
    // The search page with hits as well: their headings are § headings (written by sok.js here).
    const query = server.base + "sok/?q=samordningsf%C3%B6rbundets";
    const urls = [...list.map((p) => p.url), query];
    for (const url of urls) {
      await page.goto(server.origin + url);
      if (url === query) await page.locator("li.traff").first().waitFor();
      const found = await page.evaluate(() => {
        const out = [];
        for (const h of document.querySelectorAll("h1, h2, h3, h4, summary")) {
          if (!h.getClientRects().length) continue;
          const name = h.textContent.replace(/\s+/g, " ").trim().slice(0, 60);
          if (h.scrollWidth > h.clientWidth + 1 || h.getBoundingClientRect().right > document.documentElement.clientWidth + 1) {
            out.push(`<${h.localName}> "${name}" sticker ut ur sin ruta`);
          }
          const walker = document.createTreeWalker(h, NodeFilter.SHOW_TEXT);
          for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            for (const m of n.data.matchAll(/\S+/g)) {
              // Each letter's line: a new line inside the word must follow a (soft) hyphen.
              let top = null;
              for (let i = 0; i < m[0].length; i++) {
                const range = document.createRange();
                range.setStart(n, m.index + i);
                range.setEnd(n, m.index + i + 1);
                // The last box: a letter after a break also reports a box at the end of the line
                // before, where the hyphen is drawn.
                const r = Array.from(range.getClientRects()).filter((x) => x.width > 0).pop();
                if (!r) continue;
                if (top !== null && r.top > top + 2 && !/[\u00ad\u200b\-\u2010\u2013/]/.test(m[0][i - 1])) {
                  const plain = (t) => t.replace(/[\u00ad\u200b]/g, "");
                  out.push(`<${h.localName}> "${plain(m[0])}" bryts mitt i ordet: "${plain(m[0].slice(0, i))}/${plain(m[0].slice(i))}"`);
                }
                top = r.top;
              }
            }
          }
        }
        return out;
      });
      for (const w of found) problems.push(`${url}: ${w}`);
    }
    assert.deepEqual(problems, []);
    await page.finish();
  });
}
