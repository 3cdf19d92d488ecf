// HTML validity: the Nu HTML Checker (vnu-jar from npm, run on the machine's Java) on every
// generated HTML file and style sheet of the example archive: zero errors; warnings are printed.
// The broken fixture template must give errors, so the check is proven able to fail.
"use strict";

const { test } = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const { execFileSync, spawnSync } = require("node:child_process");
const { exampleSite, brokenSite, pages, missingPageTypes } = require("./lib/site");

const VNU = require.resolve("vnu-jar/build/dist/vnu.jar");
const JAVA = process.env.JAVA || "java";

function cssFiles(dir) {
  const assets = path.join(dir, "assets");
  return fs.existsSync(assets) ? fs.readdirSync(assets).filter((f) => f.endsWith(".css")).map((f) => path.join(assets, f)) : [];
}

/** Runs vnu once on all files; returns its messages grouped by file. */
function vnu(files) {
  const r = spawnSync(JAVA, ["-jar", VNU, "--format", "json", "--also-check-css", "--exit-zero-always", ...files], {
    encoding: "utf8",
    maxBuffer: 256 << 20,
  });
  if (r.error) throw new Error(`kan inte starta ${JAVA}: ${r.error.message} (installera Java, t.ex. apt-get install default-jre-headless)`);
  // vnu writes its JSON report on stderr.
  let report;
  try {
    report = JSON.parse(r.stderr);
  } catch {
    throw new Error(`vnu gav ingen JSON-rapport (status ${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
  const byFile = new Map(files.map((f) => [f, []]));
  for (const m of report.messages) {
    const file = m.url ? decodeURIComponent(new URL(m.url).pathname) : "(okänd fil)";
    if (!byFile.has(file)) byFile.set(file, []);
    byFile.get(file).push(m);
  }
  return byFile;
}

const format = (file, m) =>
  `${file}:${m.lastLine ?? "?"}:${m.firstColumn ?? m.lastColumn ?? "?"}: ${m.subType || m.type}: ${m.message}` +
  (m.extract ? `\n    ${m.extract.replace(/\n/g, "⏎")}` : "");
const isError = (m) => m.type === "error" || m.type === "non-document-error";

const site = exampleSite();
const broken = brokenSite();
const siteFiles = [...pages(site).map((p) => p.file), ...cssFiles(site)];
const brokenFiles = [path.join(broken, "index.html"), path.join(broken, "soderasen", "protokoll", "2025-03-11", "index.html")];

let results;
function results_() {
  results ??= vnu([...siteFiles, ...brokenFiles]);
  return results;
}

test("varje sidtyp (lib/site.js PAGE_TYPES, med sökningen) finns bland filerna som kontrolleras", () => {
  assert.deepEqual(missingPageTypes(pages(site).filter((p) => siteFiles.includes(p.file))), []);
});

test("java finns och vnu-jar är installerat", () => {
  const v = execFileSync(JAVA, ["-jar", VNU, "--version"], { encoding: "utf8" }).trim();
  assert.match(v, /^\d+\.\d+/);
});

test("Nu HTML Checker: varje HTML-fil och stilmall i exempelarkivet är felfri", (t) => {
  const byFile = results_();
  assert.ok(siteFiles.length >= 20, `bara ${siteFiles.length} filer att kontrollera`);
  assert.ok(siteFiles.some((f) => f.endsWith(".css")), "ingen stilmall kontrollerades");
  const errors = [];
  const warnings = [];
  for (const file of siteFiles) {
    for (const m of byFile.get(file) || []) (isError(m) ? errors : warnings).push(format(path.relative(site, file), m));
  }
  if (warnings.length) t.diagnostic(`${warnings.length} varningar:\n${warnings.join("\n")}`);
  t.diagnostic(`${siteFiles.length} filer kontrollerade, ${errors.length} fel, ${warnings.length} varningar`);
  assert.equal(errors.length, 0, `${errors.length} fel:\n${errors.join("\n")}`);
});

test("Nu HTML Checker hittar felen i den trasiga mallen (kontrollen kan fela)", () => {
  const byFile = results_();
  for (const file of brokenFiles) {
    const errors = (byFile.get(file) || []).filter(isError).map((m) => m.message).join("\n");
    assert.match(errors, /No “p” element in scope but a “p” end tag seen/, file);
    assert.match(errors, /Duplicate ID “dubbel”/, file);
    assert.match(errors, /Element “trasig” not allowed/, file);
  }
});
