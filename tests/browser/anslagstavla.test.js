// Issue 3, point 2: the anslagstavla is right on the build day without JavaScript, and its small
// script keeps it right when a visitor opens the page later than the build.
// The example archive is built with --idag 2025-03-20; Söderåsen's protocol of 2025-03-11 was
// posted 2025-03-14, so the last day to appeal is Friday 4 April 2025.
"use strict";

const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const { exampleSite, serve } = require("./lib/site");
const { launch, localOnly } = require("./lib/browser");

let server, browser;
before(async () => {
  server = await serve(exampleSite());
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

// The notice's link: "Söderåsens samordningsförbund: Styrelsen 11 mars 2025, protokoll nr 2" on
// the national anslagstavla, without the förbund's name on Söderåsen's own.
const NOTICE = /^(Söderåsens samordningsförbund: )?Styrelsen 11 mars 2025, protokoll nr 2$/;

/**
 * Opens a page with the given options: `now` fixes the page's clock (a Date), `js` false turns
 * JavaScript off, `timezoneId` sets the visitor's time zone. Returns the page.
 */
async function open(url, { now, js = true, timezoneId = "Europe/Stockholm" } = {}) {
  const context = await browser.newContext({ javaScriptEnabled: js, timezoneId, locale: "sv-SE" });
  const outside = [];
  await localOnly(context, outside);
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  if (now) await page.clock.setFixedTime(now);
  await page.goto(server.origin + server.base + url);
  await page.waitForLoadState("load");
  page.finish = async () => {
    await context.close();
    assert.deepEqual(errors, [], "skriptfel på sidan");
    assert.deepEqual(outside, [], "sidan hämtar något utanför webbplatsen");
  };
  return page;
}

// The two lists, found the way a screen reader user finds them: regions named by their headings.
const current = (page) => page.getByRole("region", { name: "Anslagna nu" });
const expired = (page) => page.getByRole("region", { name: "Nyligen nedtagna" });
const notice = (region) => region.getByRole("listitem").filter({ has: region.page().getByRole("link", { name: NOTICE }) });

async function assertCurrent(page, statusText) {
  const item = notice(current(page));
  assert.equal(await item.count(), 1, "Söderåsen 2025-03-11 står inte under \"Anslagna nu\"");
  assert.equal(await notice(expired(page)).count(), 0, "Söderåsen 2025-03-11 står också under \"Nyligen nedtagna\"");
  const text = (await item.innerText()).replace(/\s+/g, " ");
  assert.match(text, /Anslaget uppsatt 14 mars 2025/);
  assert.match(text, /Sista dag att överklaga fredag 4 april 2025/);
  assert.equal((await item.locator("time[datetime='2025-04-04']").count()), 1, "sista dagen saknas i datetime");
  assert.equal((await item.locator(".status").innerText()).trim(), statusText);
  assert.ok(await item.isVisible());
}

async function assertExpired(page) {
  assert.equal(await notice(current(page)).count(), 0, "Söderåsen 2025-03-11 står kvar under \"Anslagna nu\"");
  const item = notice(expired(page));
  assert.equal(await item.count(), 1, "Söderåsen 2025-03-11 står inte under \"Nyligen nedtagna\"");
  assert.ok(await item.isVisible());
  assert.equal((await item.locator(".status").innerText()).trim(), "Tiden för överklagande har löpt ut.");
  // The lists say so when they are empty, and not otherwise.
  assert.ok(await current(page).getByText("Inga protokoll är anslagna just nu.").isVisible(),
    "\"Anslagna nu\" är tom men säger det inte");
  assert.ok(!(await expired(page).getByText("Inga anslag har tagits ned").isVisible()),
    "\"Nyligen nedtagna\" säger att den är tom fast den inte är det");
}

test("på byggdagen utan JavaScript: Söderåsen 2025-03-11 är anslaget, sista dag 4 april 2025", async () => {
  const page = await open("anslagstavla/", { js: false, now: new Date("2025-04-10T10:00:00+02:00") });
  await assertCurrent(page, "15 dagar kvar att överklaga.");
  assert.ok(await current(page).getByRole("link", { name: "Söderåsens samordningsförbund: Styrelsen 11 mars 2025, protokoll nr 2" }).isVisible());
  assert.ok(await expired(page).getByText("Inga anslag har tagits ned de senaste 60 dagarna.").isVisible());
  await page.finish();
});

test("på byggdagen med JavaScript: skriptet ändrar ingenting", async () => {
  const page = await open("anslagstavla/", { now: new Date("2025-03-20T12:00:00+01:00") });
  await assertCurrent(page, "15 dagar kvar att överklaga.");
  await page.finish();
});

test("några dagar senare räknar skriptet om dagarna som är kvar", async () => {
  const page = await open("anslagstavla/", { now: new Date("2025-04-01T09:00:00+02:00") });
  await assertCurrent(page, "3 dagar kvar att överklaga.");
  assert.equal(await current(page).locator("[data-idag]").innerText(), "1 april 2025", "läget visar inte besökarens dag");
  await page.finish();
});

test("på sista dagen, 4 april 2025: fortfarande anslaget, \"Sista dagen att överklaga är i dag\"", async () => {
  for (const now of ["2025-04-04T00:05:00+02:00", "2025-04-04T23:55:00+02:00"]) {
    const page = await open("anslagstavla/", { now: new Date(now) });
    await assertCurrent(page, "Sista dagen att överklaga är i dag.");
    await page.finish();
  }
});

test("efter sista dagen flyttar skriptet anslaget till \"Nyligen nedtagna\"", async () => {
  for (const url of ["anslagstavla/", "soderasen/anslagstavla/"]) {
    const page = await open(url, { now: new Date("2025-04-10T10:00:00+02:00") });
    await assertExpired(page);
    await page.finish();
  }
});

test("datumet räknas i svensk tid, var besökaren än är", async () => {
  // 00:30 on 5 April in Stockholm is still 4 April in Los Angeles: the period has run out.
  let page = await open("anslagstavla/", { now: new Date("2025-04-05T00:30:00+02:00"), timezoneId: "America/Los_Angeles" });
  await assertExpired(page);
  await page.finish();
  // 23:30 on 4 April in Stockholm is already 5 April in Tokyo: the last day is today.
  page = await open("anslagstavla/", { now: new Date("2025-04-04T23:30:00+02:00"), timezoneId: "Asia/Tokyo" });
  await assertCurrent(page, "Sista dagen att överklaga är i dag.");
  await page.finish();
});

test("protokollsidan visar också att tiden har löpt ut", async () => {
  const url = "soderasen/protokoll/2025-03-11/";
  let page = await open(url, { js: false });
  const status = () => page.locator(".sista-dag .status");
  assert.match(await page.locator(".sista-dag").innerText(), /Sista dag att överklaga: fredag 4 april 2025/);
  assert.equal((await status().innerText()).trim(), "15 dagar kvar att överklaga.");
  await page.finish();
  page = await open(url, { now: new Date("2025-04-10T10:00:00+02:00") });
  assert.equal((await status().innerText()).trim(), "Tiden för överklagande har löpt ut.");
  await page.finish();
});
