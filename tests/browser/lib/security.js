// The security headers the site is served with, read from src/security.rs (the one place that
// defines them; `protokoll serve` sends them and docs/deploy.md shows them), and the in-page
// recorders the XSS and CSP suites use.
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const { REPO } = require("./site");

const SOURCE = fs.readFileSync(path.join(REPO, "src", "security.rs"), "utf8");

function constant(name) {
  const m = SOURCE.match(new RegExp(`pub const ${name}: &str = "([^"]*)";`));
  if (!m) throw new Error(`src/security.rs har ingen konstant ${name}`);
  return m[1];
}

const CSP = constant("CONTENT_SECURITY_POLICY");
const EMBED_CSP = constant("EMBED_CONTENT_SECURITY_POLICY");
const PERMISSIONS_POLICY = constant("PERMISSIONS_POLICY");

function isEmbed(pathname) {
  const trimmed = pathname.replace(/index\.html$/, "").replace(/\/+$/, "");
  return trimmed.split("/").pop() === "inbaddning";
}

/** The headers for a URL path, as src/security.rs `headers_for` gives them. */
function securityHeaders(pathname) {
  const embed = isEmbed(pathname);
  const headers = {
    "content-security-policy": embed ? EMBED_CSP : CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "permissions-policy": PERMISSIONS_POLICY,
  };
  if (!embed) headers["x-frame-options"] = "SAMEORIGIN";
  return headers;
}

/**
 * Watches an open page (attach before goto) for anything a payload would do when it runs: a
 * dialog (alert, confirm, prompt; dismissed at once), a console message or page error mentioning
 * XSS, a Content-Security-Policy violation, a navigation away from the page. Returns a recorder;
 * `problems(page)` adds what the page's own state shows (a global a payload sets).
 */
async function watch(context, page) {
  const seen = [];
  await context.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener("securitypolicyviolation", (e) => {
      window.__cspViolations.push(`${e.violatedDirective} blockerade ${e.blockedURI || "inline"} (${e.sourceFile || ""}:${e.lineNumber || 0}) ${e.sample || ""}`.trim());
    });
  });
  page.on("dialog", (d) => {
    seen.push(`dialogruta (${d.type()}): ${d.message()}`);
    d.dismiss().catch(() => {});
  });
  page.on("console", (m) => {
    const text = m.text();
    if (/xss/i.test(text)) seen.push(`konsolen: ${text}`);
    if (/Content Security Policy/i.test(text)) seen.push(`CSP i konsolen: ${text}`);
  });
  page.on("pageerror", (e) => seen.push(`skriptfel: ${e.message}`));
  return {
    seen,
    async problems(page) {
      const state = await page.evaluate(() => ({
        xss: typeof window.__xss === "undefined" ? null : JSON.stringify(window.__xss),
        csp: window.__cspViolations || [],
      }));
      const out = [...seen];
      if (state.xss !== null) out.push(`window.__xss sattes: ${state.xss}`);
      for (const v of state.csp) out.push(`CSP-överträdelse: ${v}`);
      return out;
    },
  };
}

/**
 * What the page's DOM, as the browser parsed it, holds that could run script: script elements
 * other than the site's own, event handler attributes, javascript:/vbscript:/data: URLs in URL
 * attributes, frames, objects, embeds, <base>, <meta http-equiv="refresh">, style elements and
 * attributes.
 */
async function domProblems(page) {
  return page.evaluate(() => {
    const problems = [];
    const urlAttributes = ["href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "srcset", "ping", "cite"];
    const describe = (el) => `<${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}>`;
    for (const el of document.querySelectorAll("*")) {
      const tag = el.tagName.toLowerCase();
      if (tag === "script") {
        const src = el.getAttribute("src") || "";
        if (!/\/assets\/[a-z0-9.-]+\.js$/.test(src) || el.textContent.trim() !== "") problems.push(`skript ${el.outerHTML.slice(0, 120)}`);
      }
      if (["iframe", "frame", "object", "embed", "base", "style", "svg", "math"].includes(tag)) {
        problems.push(`element ${describe(el)}`);
      }
      if (tag === "meta" && (el.getAttribute("http-equiv") || "").toLowerCase() === "refresh") problems.push(`meta refresh`);
      for (const attr of el.attributes) {
        const name = attr.name.toLowerCase();
        if (name.startsWith("on")) problems.push(`händelseattribut ${name}="${attr.value.slice(0, 60)}" på ${describe(el)}`);
        if (name === "style" || name === "srcdoc") problems.push(`attribut ${name} på ${describe(el)}`);
        if (urlAttributes.includes(name)) {
          let protocol;
          try {
            protocol = new URL(attr.value, document.baseURI).protocol;
          } catch {
            protocol = "";
          }
          if (["javascript:", "vbscript:", "data:"].includes(protocol)) {
            problems.push(`${name}="${attr.value.slice(0, 60)}" på ${describe(el)}`);
          }
        }
      }
    }
    return problems;
  });
}

module.exports = { CSP, EMBED_CSP, PERMISSIONS_POLICY, securityHeaders, watch, domProblems };
