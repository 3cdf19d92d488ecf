// What the example archive's Markdown says, read straight from content/: the facts the pages
// must show. Only the parts the tests need: § headings, decision and reservation blocks, plan
// section headings.
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const { REPO } = require("./site");

const CONTENT = path.join(process.env.PROTOKOLL_ROT || REPO, "content");

/** Letters and digits only, lower case: compares text across Markdown, typography and HTML. */
const words = (s) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim();

function body(file) {
  const text = fs.readFileSync(file, "utf8");
  const m = text.match(/^---\r?\n[\s\S]*?\r?\n---\r?\n([\s\S]*)$/);
  return m ? m[1] : text;
}

/** Protocols: [{ forbund, name, rel, paragraphs: [{ number, title, decisions: [text], reservations: [text] }] }] */
function protocols() {
  const out = [];
  for (const forbund of fs.readdirSync(CONTENT).sort()) {
    const dir = path.join(CONTENT, forbund, "protokoll");
    if (!fs.existsSync(dir)) continue;
    for (const f of fs.readdirSync(dir).filter((n) => n.endsWith(".md")).sort()) {
      const name = f.replace(/\.md$/, "");
      const paragraphs = [];
      let block = null;
      for (const line of body(path.join(dir, f)).split(/\r?\n/)) {
        const h = line.match(/^## § (\d+) (.+?)\s*$/);
        if (h && !block) {
          paragraphs.push({ number: h[1], title: h[2], decisions: [], reservations: [] });
          continue;
        }
        const open = line.match(/^:::\s*(\S+)/);
        if (open && !block) {
          block = { kind: open[1].toLowerCase(), lines: [] };
          continue;
        }
        if (/^:::\s*$/.test(line) && block) {
          const p = paragraphs[paragraphs.length - 1];
          const text = block.lines.join(" ").trim();
          if (block.kind === "beslut") p.decisions.push(text);
          if (block.kind === "reservation" && text) p.reservations.push(text);
          block = null;
          continue;
        }
        if (block) block.lines.push(line);
      }
      out.push({ forbund, name, rel: `${forbund}/protokoll/${name}/`, paragraphs });
    }
  }
  return out;
}

/** Plans: [{ rel, sections: [title] }] */
function plans() {
  const out = [];
  for (const forbund of fs.readdirSync(CONTENT).sort()) {
    const dir = path.join(CONTENT, forbund, "planer");
    if (!fs.existsSync(dir)) continue;
    for (const f of fs.readdirSync(dir).filter((n) => n.endsWith(".md")).sort()) {
      const sections = body(path.join(dir, f)).split(/\r?\n/)
        .map((l) => l.match(/^## (.+?)(\s*\{#[^}]+\})?\s*$/))
        .filter(Boolean)
        .map((m) => m[1]);
      out.push({ rel: `${forbund}/planer/${f.replace(/\.md$/, "")}/`, sections });
    }
  }
  return out;
}

module.exports = { protocols, plans, words };
