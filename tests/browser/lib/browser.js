// Headless Chromium (Debian's package) driven by playwright-core, and the page checks shared by
// the suites. Each check returns a list of problems in plain Swedish/English so a failing test
// says what a visitor would run into; the tests assert the list is empty on the real site and
// non-empty on the broken fixture.
"use strict";

const fs = require("node:fs");
const { chromium } = require("playwright-core");

const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";

function launch() {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} saknas: installera Debians paket chromium (scripts/test gör det som root).`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** Fails the page on requests that leave 127.0.0.1 (the site must make no third-party requests). */
async function localOnly(context, outside) {
  await context.route(/.*/, (route) => {
    const u = new URL(route.request().url());
    if (u.hostname === "127.0.0.1" || u.protocol === "data:") return route.continue();
    outside.push(route.request().url());
    return route.abort();
  });
}

// ---------------------------------------------------------------------------------------------
// axe-core

const AXE_SOURCE = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/** Runs axe-core with the WCAG 2.1 A/AA rules on the open page; returns its violations. */
async function axe(page) {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(
    (tags) =>
      window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] })
        .then((r) => r.violations.map((v) => ({
          id: v.id,
          impact: v.impact,
          help: v.help,
          helpUrl: v.helpUrl,
          tags: v.tags.filter((t) => t.startsWith("wcag")),
          nodes: v.nodes.map((n) => ({ target: n.target.join(" "), html: n.html, summary: n.failureSummary })),
        }))),
    WCAG_TAGS,
  );
}

function formatViolations(violations) {
  return violations
    .map((v) =>
      `  [${v.impact}] ${v.id}: ${v.help} (${v.tags.join(", ")})\n    ${v.helpUrl}\n` +
      v.nodes
        .map((n) => `    - ${n.target}\n      ${n.html.slice(0, 200)}\n      ${(n.summary || "").replace(/\n/g, "\n      ")}`)
        .join("\n"))
    .join("\n");
}

// ---------------------------------------------------------------------------------------------
// Keyboard

/**
 * In-page helpers (run with page.evaluate): describe the focused element, check its focus
 * indicator, list the elements that belong in the Tab order.
 */
const KEYBOARD_HELPERS = () => {
  const parse = (c) => {
    const m = c.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
  };
  const lum = ({ r, g, b }) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const contrast = (a, b) => {
    const [x, y] = [lum(a), lum(b)].sort((m, n) => n - m);
    return (x + 0.05) / (y + 0.05);
  };
  // The colour behind an outline drawn around `el`: the nearest ancestor with a background.
  const behind = (el) => {
    for (let e = el.parentElement; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c.a > 0.5) return c;
    }
    return { r: 255, g: 255, b: 255, a: 1 };
  };
  const describe = (el) => {
    if (!el || el === document.body || el === document.documentElement) return "(ingenting, body)";
    const text = (el.innerText || el.getAttribute("aria-label") || "").trim().replace(/\s+/g, " ").slice(0, 60);
    const id = el.id ? `#${el.id}` : "";
    const href = el.getAttribute("href") ? ` href="${el.getAttribute("href")}"` : "";
    return `<${el.tagName.toLowerCase()}${id}${href}> "${text}"`;
  };
  const indicator = (el) => {
    const s = getComputedStyle(el);
    const width = parseFloat(s.outlineWidth) || 0;
    const problems = [];
    if (s.outlineStyle === "none" || width <= 0) {
      const shadow = s.boxShadow && s.boxShadow !== "none";
      if (!shadow) problems.push(`ingen synlig fokusmarkering (outline: ${s.outlineStyle} ${s.outlineWidth})`);
    } else {
      const c = parse(s.outlineColor);
      const ratio = c ? contrast(c, behind(el)) : 0;
      if (ratio < 3) problems.push(`fokusmarkeringen har kontrasten ${ratio.toFixed(2)}:1 mot bakgrunden (minst 3:1)`);
    }
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) problems.push("elementet syns inte (ingen yta)");
    else if (r.bottom < 0 || r.right < 0 || r.top > innerHeight || r.left > innerWidth) {
      problems.push("elementet är utanför fönstret när det har fokus");
    }
    return problems;
  };
  const visible = (el) => {
    if (el.closest("[inert]")) return false;
    const s = getComputedStyle(el);
    if (s.visibility === "hidden" || s.display === "none") return false;
    if (el.getClientRects().length === 0) return false;
    // Inside a closed <details>, only its own summary is shown.
    for (let d = el.closest("details:not([open])"); d; d = d.parentElement && d.parentElement.closest("details:not([open])")) {
      const summary = d.querySelector(":scope > summary");
      if (!(summary && (summary === el || summary.contains(el)))) return false;
    }
    return true;
  };
  const candidates = () =>
    [...document.querySelectorAll(
      'a[href], area[href], button, input:not([type="hidden"]), select, textarea, iframe, ' +
      'details > summary:first-of-type, [contenteditable=""], [contenteditable="true"], [tabindex]')]
      .filter((el) => !el.disabled && el.tabIndex >= 0 && visible(el));
  window.__kbd = { describe, indicator, candidates };
};

/**
 * Walks the open page by keyboard: the first Tab must land on the skip link ("Hoppa till
 * innehållet"), Enter on it must move focus to <main>; then Tab from the top of the page must
 * reach every link and control, each with a visible focus indicator. Returns the problems.
 */
async function keyboardProblems(page, url) {
  const problems = [];
  await page.goto(url);
  await page.evaluate(KEYBOARD_HELPERS);

  await page.keyboard.press("Tab");
  const first = await page.evaluate(() => {
    const el = document.activeElement;
    return {
      what: window.__kbd.describe(el),
      skip: el.tagName === "A" && /^Hoppa till innehållet$/.test(el.textContent.trim()),
      target: (el.getAttribute("href") || "").replace(/^#/, ""),
      indicator: window.__kbd.indicator(el),
    };
  });
  if (!first.skip) {
    problems.push(`första Tab ger ${first.what}, inte länken "Hoppa till innehållet"`);
  } else {
    for (const p of first.indicator) problems.push(`länken "Hoppa till innehållet": ${p}`);
    await page.keyboard.press("Enter");
    const after = await page.evaluate((target) => {
      const el = document.activeElement;
      return { what: window.__kbd.describe(el), main: el.tagName === "MAIN" && el.id === target };
    }, first.target);
    if (!after.main) problems.push(`Enter på "Hoppa till innehållet" flyttar fokus till ${after.what}, inte till huvudinnehållet <main>`);
  }

  // The whole Tab order, from the top of a freshly opened page (a blur would leave the browser's
  // focus navigation starting point where it was).
  await page.goto(url);
  await page.evaluate(KEYBOARD_HELPERS);
  const expected = await page.evaluate(() => {
    const list = window.__kbd.candidates();
    list.forEach((el, i) => el.setAttribute("data-kbd", String(i)));
    return list.map((el) => window.__kbd.describe(el));
  });
  const reached = new Set();
  const limit = expected.length * 2 + 10;
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press("Tab");
    const stop = await page.evaluate(() => {
      const el = document.activeElement;
      const atStart = !el || el === document.body;
      return {
        atStart,
        index: atStart ? null : el.getAttribute("data-kbd"),
        what: window.__kbd.describe(el),
        indicator: atStart ? [] : window.__kbd.indicator(el),
      };
    });
    if (stop.atStart) {
      if (reached.size > 0) break; // past the last element
      continue;
    }
    if (stop.index !== null && reached.has(stop.index)) break; // wrapped around
    if (stop.index !== null) reached.add(stop.index);
    for (const p of stop.indicator) problems.push(`${stop.what}: ${p}`);
  }
  expected.forEach((what, i) => {
    if (!reached.has(String(i))) problems.push(`${what} går inte att nå med Tab`);
  });
  return { problems, stops: reached.size, expected: expected.length };
}

// ---------------------------------------------------------------------------------------------
// Reflow (WCAG 1.4.10 and 1.4.4)

/**
 * At the open page's viewport: the document must not scroll sideways, and no element may stick
 * out of the window except inside a container that scrolls by itself (wide tables). Returns the
 * problems.
 */
async function reflowProblems(page) {
  return page.evaluate(() => {
    const problems = [];
    const doc = document.documentElement;
    if (doc.scrollWidth > doc.clientWidth) {
      problems.push(`sidan rullar i sidled: scrollWidth ${doc.scrollWidth} > clientWidth ${doc.clientWidth}`);
    }
    const width = doc.clientWidth;
    const scrolls = (el) => /(auto|scroll)/.test(getComputedStyle(el).overflowX);
    const describe = (el) => {
      const cls = el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\s+/).join(".") : "";
      return `<${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${cls}> "${(el.textContent || "").trim().replace(/\s+/g, " ").slice(0, 50)}"`;
    };
    const walk = (el) => {
      for (const child of el.children) {
        const s = getComputedStyle(child);
        if (s.display === "none" || s.visibility === "hidden") continue;
        const r = child.getBoundingClientRect();
        const offscreenOnPurpose = r.bottom <= 0; // e.g. the skip link until it is focused
        if (r.width > 0 && r.height > 0 && !offscreenOnPurpose && (r.right > width + 1 || r.left < -1)) {
          problems.push(`${describe(child)} sticker ut ur fönstret (${Math.round(r.left)}–${Math.round(r.right)} px av ${width})`);
          continue;
        }
        if (scrolls(child)) continue; // its content may be wider: it scrolls inside its own box
        walk(child);
      }
    };
    walk(document.body);
    return problems;
  });
}

module.exports = { launch, localOnly, axe, formatViolations, WCAG_TAGS, keyboardProblems, reflowProblems };
