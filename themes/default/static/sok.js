// Search on any static host (/sok/): the query is analysed by the build's own Rust analysis
// compiled to WebAssembly (sok-analys.wasm), the blocks of the index files under sok/data/ that
// the query needs are read with range requests (a one-word query, or two words that stand
// together in a title, needs one block), and units are scored exactly as the server scores them
// (integer BM25 impacts, ties to the archive's order). docs/search.md describes the files. Behind
// `protokoll serve` the page is marked data-server="1" and the server answers instead
// (svar.json), with tantivy's phrase positions; the page then already holds the results for the
// address it was opened with.
"use strict";
(function () {
  const form = document.getElementById("sokformular");
  const server = form?.dataset.server === "1";
  if (!form || !window.fetch || (!server && !(window.WebAssembly && window.DecompressionStream))) return;
  const $ = (id) => document.getElementById(id);
  const input = $("q");
  const count = $("sok-antal");
  const section = $("sok-resultat");
  const base = new URL(form.dataset.manifest, location.href);
  const MONTHS = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
    "september", "oktober", "november", "december"];
  const PAGE = 10;
  // The note for browsers without JavaScript goes at once, not when the index has loaded, so the
  // page does not change under a keyboard user; it comes back if the search cannot start.
  const note = $("sok-info");
  if (note) note.hidden = true;
  // The filters are folded on a narrow screen, so that the first hit shows; on a wide one they
  // stand open beside the search box.
  const filters = $("sok-filter");
  if (filters && window.matchMedia?.("(min-width: 48em)").matches) filters.open = true;
  // The index files (sok/data/*.bin) are runs of gzip blocks: a block is read with a range
  // request and inflated here. A host that ignores ranges sends the whole file; it is kept and
  // the blocks are cut from it.
  const whole = new Map();
  const blocks = new Map();
  async function bytesOf(file, start, length) {
    if (whole.has(file)) return (await whole.get(file)).slice(start, start + length);
    const r = await fetch(new URL(file, base), { headers: { Range: `bytes=${start}-${start + length - 1}` } });
    if (!r.ok) throw new Error(`${file}: ${r.status}`);
    if (r.status === 206) return r.arrayBuffer();
    const all = r.arrayBuffer();
    whole.set(file, all);
    return (await all).slice(start, start + length);
  }
  const gunzip = (bytes) => new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip")));
  // One block, inflated and read by `read` (JSON by default), fetched once.
  function block(file, start, length, read = (r) => r.json()) {
    const key = `${file} ${start}`;
    if (!blocks.has(key)) blocks.set(key, bytesOf(file, start, length).then((b) => read(gunzip(b))));
    return blocks.get(key);
  }
  const getJson = (name) => {
    if (!blocks.has(name)) {
      blocks.set(name, fetch(new URL(name, base)).then((r) => {
        if (!r.ok) throw new Error(`${name}: ${r.status}`);
        return r.json();
      }));
    }
    return blocks.get(name);
  };
  const starts = (lengths) => {
    let at = 0;
    return lengths.map((n) => { const s = at; at += n; return s; });
  };

  // The analysis (crates/sok-wasm): UTF-8 in, JSON out.
  let wasm;
  const enc = new TextEncoder();
  const dec = new TextDecoder();
  const call = (fn, ...texts) => JSON.parse(callText(fn, ...texts));
  function callText(fn, ...texts) {
    const args = [];
    const numbers = texts.filter((t) => typeof t === "number");
    texts = texts.filter((t) => typeof t !== "number");
    for (const t of texts) {
      const bytes = enc.encode(t);
      const ptr = wasm.sok_alloc(bytes.length);
      new Uint8Array(wasm.memory.buffer, ptr, bytes.length).set(bytes);
      args.push(ptr, bytes.length);
    }
    const packed = wasm[fn](...args, ...numbers);
    const ptr = Number(packed >> 32n);
    const len = Number(packed & 0xffffffffn);
    const out = dec.decode(new Uint8Array(wasm.memory.buffer, ptr, len));
    for (let i = 0; i < args.length; i += 2) wasm.sok_free(args[i], args[i + 1]);
    return out;
  }

  let manifest, termStarts, directory;
  // Cards of the units met so far: [id, url, label, title, document, date, text] by ordinal.
  const cards = new Map();
  function blockOf(term) {
    const s = manifest.termer.block;
    let lo = 0, hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid][0] <= term) lo = mid; else hi = mid - 1;
    }
    return lo;
  }
  async function termBlock(i) {
    const b = await block(manifest.termer.fil, termStarts[i], manifest.termer.block[i][1]);
    if (!b.index) {
      b.index = new Map(b.termer.map((e) => [e[0], e]));
      b.prefixes = new Map(b.prefix.map((e) => [e[0], e]));
      b.pairs = new Map((b.par || []).map((e) => [e[0], e]));
      for (const [o, c] of b.kort) cards.set(o, c);
    }
    return b;
  }
  function undelta(d) {
    let prev = 0;
    return d.map((x) => (prev += x));
  }
  // A term's entry: [term, total, facets, ordinals (delta), impacts, place of the full list or
  // null], with every unit for a rare term and the best `manifest.topp` for the others.
  async function entry(term) {
    return (await termBlock(blockOf(term))).index.get(term) || null;
  }
  // A full list in the postings file: varints (7 bits a byte, high bit = more): the number of
  // units, the steps between their ordinals, their impacts.
  function fullList(bytes) {
    let at = 0;
    const next = () => {
      let n = 0, shift = 0, b;
      do { b = bytes[at++]; n += (b & 0x7f) * 2 ** shift; shift += 7; } while (b & 0x80);
      return n;
    };
    const count = next();
    const ords = new Array(count), impacts = new Array(count);
    for (let i = 0, o = 0; i < count; i++) ords[i] = o += next();
    for (let i = 0; i < count; i++) impacts[i] = next();
    return { ords, impacts };
  }
  async function units(e) {
    if (!e) return { ords: [], impacts: [] };
    if (!e[5]) return { ords: undelta(e[3]), impacts: e[4] };
    return block(manifest.poster, e[5][0], e[5][1], async (r) => fullList(new Uint8Array(await r.arrayBuffer())));
  }
  // The first `manifest.prefix` terms beginning with `prefix`, in byte order, as the server does.
  async function withPrefix(prefix) {
    const out = [];
    for (let i = blockOf(prefix); i < manifest.termer.block.length && out.length < manifest.prefix; i++) {
      const b = await termBlock(i);
      let past = false;
      for (const e of b.termer) {
        if (e[0] < prefix) continue;
        if (!e[0].startsWith(prefix)) { past = true; break; }
        out.push(e);
        if (out.length >= manifest.prefix) break;
      }
      if (past) break;
    }
    return out;
  }
  // The answer stored for a typed beginning of two or more words, in the block of its first
  // completion; null when it begins at most one word (or none).
  async function prefixEntry(prefix) {
    const list = manifest.termer.block;
    for (let i = blockOf(prefix); i < list.length; i++) {
      const b = await termBlock(i);
      const first = b.termer.find((e) => e[0] >= prefix);
      if (!first) {
        // The next block's first term begins with its key: skip it when it cannot begin with prefix.
        const key = list[i + 1]?.[0];
        if (key === undefined || !(key.startsWith(prefix) || prefix.startsWith(key))) return null;
        continue;
      }
      return first[0].startsWith(prefix) ? b.prefixes.get(prefix) || null : null;
    }
    return null;
  }
  function runs(list) {
    const out = [];
    for (const [v, n] of list) for (let i = 0; i < n; i++) out.push(v);
    return out;
  }
  async function loadDirectory() {
    if (!directory) {
      const k = await getJson(manifest.katalog);
      directory = {
        forbund: runs(k.forbund), ar: runs(k.ar), typ: runs(k.typ),
        beslut: runs(k.beslut), kort: starts(k.kort), langd: k.kort,
      };
      // Values are numbered in sorted order, as the server numbers them.
      directory.years = [...new Set(directory.ar)].sort((a, b) => a - b);
      directory.kinds = [...new Set(directory.typ)].sort();
      const yearIx = new Map(directory.years.map((y, i) => [y, i]));
      const kindIx = new Map(directory.kinds.map((t, i) => [t, i]));
      callText("sok_columns", [
        directory.forbund.join(" "), directory.ar.map((y) => yearIx.get(y)).join(" "),
        directory.typ.map((t) => kindIx.get(t)).join(" "), directory.beslut.join(" "),
        `${manifest.forbund.length} ${directory.years.length} ${directory.kinds.length}`,
      ].join("\n"));
    }
    return directory;
  }
  // Meeting days, for a date range: each run's day is the change from the previous run's.
  let days;
  async function loadDays() {
    if (!days) {
      let day = 0;
      days = runs((await getJson(manifest.datum)).datum.map(([change, n]) => [day += change, n]));
      callText("sok_days", days.join(" "));
    }
    return days;
  }
  async function card(o) {
    if (!cards.has(o)) {
      const dir = await loadDirectory();
      const i = Math.floor(o / manifest.kort.per);
      const list = await block(manifest.kort.fil, dir.kort[i], dir.langd[i]);
      list.forEach((c, j) => cards.set(i * manifest.kort.per + j, c));
    }
    return cards.get(o);
  }
  const dayNumber = (iso) => {
    const [y, m, d] = iso.split("-").map(Number);
    return Math.round((Date.UTC(y, m - 1, d) - Date.UTC(1970, 0, 1)) / 86400000);
  };

  // A real day written ÅÅÅÅ-MM-DD (not 2025-02-30, which Date would roll over into March).
  const isDate = (iso) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) return false;
    const [y, m, d] = iso.split("-").map(Number);
    const t = new Date(Date.UTC(y, m - 1, d));
    return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
  };
  function readForm() {
    const f = new FormData(form);
    return {
      q: (f.get("q") || "").toString(),
      forbund: f.get("forbund") || "", ar: f.get("ar") || "", typ: f.get("typ") || "",
      beslut: f.get("beslut") === "1", fran: f.get("fran") || "", till: f.get("till") || "",
    };
  }

  // A static card ends with its förbund's place in the manifest.
  async function hit(o, key) {
    const c = await card(o);
    return { ord: o, key, card: c, forbund: manifest.forbund[c[7]][1] };
  }
  // What is known of the index, for the core's plan: each term asked for with its number of
  // units (0: not a term), each typed beginning with its completions.
  const knownTerms = new Map();
  const knownPrefixes = new Map();
  const knownText = () => [...knownTerms].map(([t, n]) => `t\t${t}\t${n}`)
    .concat([...knownPrefixes].map(([p, c]) => `p\t${p}\t${c.join(" ")}`)).join("\n");
  // The query's plan from the core (sok-core's plan::resolve): asked again with the term blocks
  // it needs until it can decide, so it decides as the server does.
  async function planOf(q) {
    for (let round = 0; round < 8; round++) {
      const out = call("sok_plan", q, knownText());
      if (out.plan) return out.plan;
      await Promise.all([
        ...out.need.terms.map(async (t) => { const e = await entry(t); knownTerms.set(t, e ? e[1] : 0); }),
        ...out.need.prefixes.map(async (p) => knownPrefixes.set(p, (await withPrefix(p)).map((e) => e[0]))),
      ]);
    }
    throw new Error("frågan kunde inte tolkas");
  }
  const noFacets = () => ({ forbund: new Map(), ar: new Map(), typ: new Map(), beslut: 0 });
  const facetsOf = ([f, y, k, d]) => ({
    forbund: new Map(Object.entries(f).map(([a, b]) => [manifest.forbund[Number(a)][0], b])),
    ar: new Map(Object.entries(y)), typ: new Map(Object.entries(k)), beslut: d,
  });
  // Keys as the core makes them (sok-core rank::key): requirements met above the score.
  const KEY_SCORE = 2 ** 40;
  const listText = (l) => l.ords.map((o, i) => `${o} ${l.impacts[i]}`).join(" ");
  async function run(state, shown) {
    const plan = await planOf(state.q);
    const filtered = state.forbund || state.ar || state.typ || state.beslut || state.fran || state.till;
    const base = { plan, browse: false };
    if (!plan.hasWords && !filtered && !plan.date) return { ...base, total: 0, complete: 0, hits: [], facets: null };
    // One word without filters, first page: its stored answer (the word's entry, or the one kept
    // for what was typed) holds its counts and its best units; the core's keys of one word are
    // its impacts with one requirement met.
    if (!filtered && !plan.date && shown <= manifest.topp && (plan.term || plan.prefix)) {
      const e = plan.term ? await entry(plan.term) : await prefixEntry(plan.prefix);
      if (e && (plan.term || e)) {
        const ords = undelta(e[3]);
        const top = ords.map((o, i) => [o, KEY_SCORE + e[4][i]]).sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, shown);
        const hits = await Promise.all(top.map(([o, k]) => hit(o, k)));
        return { ...base, total: e[1], complete: e[1], hits, facets: facetsOf(e[2]) };
      }
    }
    const dirLoaded = loadDirectory();
    // The date range: the form's and the query's date together.
    let from = state.fran ? dayNumber(state.fran) : null;
    let to = state.till ? dayNumber(state.till) : null;
    if (plan.date) {
      from = from === null ? plan.date[0] : Math.max(from, plan.date[0]);
      to = to === null ? plan.date[1] : Math.min(to, plan.date[1]);
    }
    if (from !== null || to !== null || !plan.hasWords) await loadDays();
    if (plan.hasWords) {
      // Every form's full list; the core ranks them (sok-core rank) and keeps the candidates.
      const lists = async (terms) => Promise.all(terms.map(async (t) => listText(await units(await entry(t)))));
      const parts = [];
      for (const w of plan.words) parts.push("w", ...(await lists(w.forms)));
      for (const ph of plan.phrases) parts.push("p", ...(await lists(ph)));
      if (plan.excluded.length) parts.push("x", ...(await lists(plan.excluded)));
      await dirLoaded;
      callText("sok_rank", parts.join("\n"));
    } else {
      // Filters alone: every unit, newest meeting first.
      await dirLoaded;
      callText("sok_browse");
      base.browse = true;
    }
    const dir = await dirLoaded;
    // The filters as the core's value numbers (a value no unit has keeps nothing).
    const NONE = 4294967295;
    const number = (list, v) => (list.indexOf(v) < 0 ? NONE : list.indexOf(v));
    const want = [
      state.forbund ? number(manifest.forbund.map((f) => f[0]), state.forbund) : "-",
      state.ar ? number(dir.years, Number(state.ar)) : "-",
      state.typ ? number(dir.kinds, state.typ) : "-",
      state.beslut ? 1 : "-", from === null ? "-" : from, to === null ? "-" : to,
    ];
    const c = call("sok_filter", want.join(" "), shown);
    const page = [];
    for (let i = 0; i < c.page.length; i += 2) page.push([c.page[i], c.page[i + 1]]);
    const hits = await Promise.all(page.map(([o, k]) => hit(o, k)));
    // Counts by the filters' option values, as the server gives them.
    const byValue = (counts, values) => new Map(counts.map((n, i) => [values[i], n]).filter(([, n]) => n > 0));
    const facets = {
      forbund: byValue(c.forbund, manifest.forbund.map((f) => f[0])),
      ar: byValue(c.year, dir.years.map(String)),
      typ: byValue(c.kind, dir.kinds), beslut: c.decisions,
    };
    return { ...base, total: c.total, complete: c.complete, hits, facets };
  }

  // The same answer from the server's JSON endpoint; its excerpts are marked already.
  const PAGE_MAX = 50;
  async function runServer(state, shown) {
    const endpoint = new URL("svar.json", new URL(form.getAttribute("action"), location.href));
    const pages = [];
    for (let start = 0; start < shown; start += PAGE_MAX) {
      const p = new URLSearchParams();
      for (const [k, v] of Object.entries(state)) if (v) p.set(k, v === true ? "1" : v);
      p.set("start", String(start));
      p.set("antal", String(Math.min(PAGE_MAX, shown - start)));
      endpoint.search = "?" + p;
      pages.push(fetch(endpoint).then(async (r) => {
        const body = await r.json();
        if (!r.ok) throw new Error(body.fel || String(r.status));
        return body;
      }));
    }
    const answers = await Promise.all(pages);
    const first = answers[0];
    const byValue = (list) => new Map(list.map((f) => [f.value, f.count]));
    return {
      total: first.total, complete: first.complete, browse: first.browse, statusLine: first.status,
      plan: { corrected: first.corrected, dateText: first.date, invalidDate: first.invalid_date },
      hits: answers.flatMap((a) => a.hits).map((h) => ({
        card: [h.id, h.url, h.label, h.title, h.document, h.date, h.excerpt],
        forbund: h.forbund_name, marked: true,
      })),
      facets: {
        forbund: byValue(first.facets.forbund), ar: byValue(first.facets.year),
        typ: byValue(first.facets.kind), beslut: first.facets.decisions,
      },
    };
  }

  const esc = (s) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
  // Titles and excerpts are marked by the core (sok_mark, sok_excerpt), for the plan's terms.
  const marksOf = (plan) => `${plan.marks[0].join(" ")}\n${plan.marks[1].join(" ")}`;
  const dateText = (iso) => {
    const [y, m, d] = iso.split("-").map(Number);
    return `${d} ${MONTHS[m - 1]} ${y}`;
  };
  // The status line: the core's words (sok-core status), from the server's JSON or the wasm.
  function statusText(q, r) {
    const p = r.plan || {};
    const fields = [q.replace(/\t/g, " "), r.total, r.complete, r.browse ? 1 : 0,
      p.corrected || "", p.dateText || "", p.invalidDate || ""];
    // Nothing found: the hits without each chosen filter (its facet counts, counted without it).
    const sum = (m) => [...m.values()].reduce((a, b) => a + b, 0);
    const state = readForm();
    if (r.facets) {
      if (state.forbund) fields.push("förbund", sum(r.facets.forbund));
      if (state.ar) fields.push("år", sum(r.facets.ar));
      if (state.typ) fields.push("typ", sum(r.facets.typ));
    }
    if (wasm) return callText("sok_status", fields.join("\t"));
    return r.statusLine;
  }
  function setCounts(select, counts, keyOf) {
    for (const opt of select.options) {
      if (!opt.dataset.namn) opt.dataset.namn = opt.textContent;
      if (!opt.value) continue;
      const n = counts ? counts.get(keyOf(opt.value)) || 0 : null;
      opt.textContent = n === null ? opt.dataset.namn : `${opt.dataset.namn} (${n})`;
    }
  }

  let list = null, more = null, shown = PAGE, seq = 0;
  async function update(push) {
    const state = readForm();
    const mine = ++seq;
    if (["fran", "till"].some((n) => state[n] && !isDate(state[n]))) {
      count.textContent = "Skriv datum som ÅÅÅÅ-MM-DD, till exempel 2025-03-11.";
      return;
    }
    let r;
    try {
      r = await (server ? runServer(state, shown) : run(state, shown));
    } catch (e) {
      if (mine === seq) count.textContent = "Sökningen misslyckades: " + e.message;
      return;
    }
    if (mine !== seq) return;
    if (push) {
      const p = new URLSearchParams();
      for (const [k, v] of Object.entries(state)) if (v) p.set(k, v === true ? "1" : v);
      history.replaceState(null, "", p.toString() ? "?" + p : location.pathname);
    }
    list?.remove();
    more?.remove();
    list = more = null;
    // What the server rendered into the page for the address it was opened with.
    for (const old of section.querySelectorAll(".sok-traffar, .sok-facetter, #sok-avgransa, .sok-sidor, .sok-forslag, .sok-narmast")) old.remove();
    if (!state.q.trim() && !r.browse) {
      count.textContent = "Skriv ett eller flera ord i sökrutan.";
      setCounts($("forbund"), null); setCounts($("ar"), null); setCounts($("typ"), null);
      return;
    }
    count.textContent = statusText(state.q, r);
    if (r.facets) {
      setCounts($("forbund"), r.facets.forbund, String);
      setCounts($("ar"), r.facets.ar, String);
      setCounts($("typ"), r.facets.typ, String);
      const label = document.querySelector('label[for="beslut"]');
      label.textContent = `Bara paragrafer med beslut (${r.facets.beslut})`;
    }
    list = document.createElement("ol");
    list.className = "sok-traffar";
    for (const h of r.hits) {
      const [id, url, label, title, doc, date, text] = h.card;
      const li = document.createElement("li");
      li.className = "traff";
      li.dataset.id = id;
      const heading = label.startsWith("§") ? `${label} ${title}` : title;
      const headingHtml = h.marked ? esc(heading) : callText("sok_mark", heading, marksOf(r.plan));
      const excerpt = h.marked ? text : text && callText("sok_excerpt", text, marksOf(r.plan));
      li.innerHTML = `<h3><a href="${esc(url)}">${headingHtml}</a></h3>` +
        `<p class="meta">${esc(h.forbund)}${date ? ` · <time datetime="${esc(date)}">${esc(dateText(date))}</time>` : ""} · ${esc(doc)}</p>` +
        (excerpt ? `<p class="utdrag">${excerpt}</p>` : "");
      list.append(li);
    }
    section.append(list);
    if (r.total > r.hits.length) {
      more = document.createElement("button");
      more.type = "button";
      more.textContent = "Visa fler träffar";
      more.addEventListener("click", () => { shown += PAGE; update(false); });
      section.append(more);
    }
  }

  (async () => {
    if (!server) await startStatic();
    const p = new URLSearchParams(location.search);
    for (const name of ["q", "forbund", "ar", "typ", "fran", "till"]) if (p.get(name)) form.elements[name].value = p.get(name);
    if (p.get("beslut") === "1") form.elements.beslut.checked = true;
    let timer;
    input.addEventListener("input", () => { clearTimeout(timer); shown = PAGE; timer = setTimeout(() => update(true), 150); });
    form.addEventListener("change", (e) => { if (e.target !== input) { shown = PAGE; update(true); } });
    form.addEventListener("submit", (e) => { e.preventDefault(); shown = PAGE; update(true); });
    // The server has rendered the results of this address already.
    if (!server && ["q", "forbund", "ar", "typ", "beslut", "fran", "till"].some((n) => p.get(n))) update(false);
    form.dataset.klar = "1";
  })().catch((e) => {
    count.textContent = "Sökningen kunde inte startas: " + e.message;
    if (note) note.hidden = false;
  });

  async function startStatic() {
    const analysis = fetch(form.dataset.analys);
    const [m, w] = await Promise.all([
      getJson("manifest.json"),
      WebAssembly.instantiateStreaming
        ? WebAssembly.instantiateStreaming(analysis).catch(() =>
          fetch(form.dataset.analys).then((r) => r.arrayBuffer()).then((b) => WebAssembly.instantiate(b)))
        : analysis.then((r) => r.arrayBuffer()).then((b) => WebAssembly.instantiate(b)),
    ]);
    if (m.version !== 2) throw new Error(`okänd version av sökindexet (${m.version})`);
    manifest = m;
    termStarts = starts(m.termer.block.map((b) => b[1]));
    wasm = w.instance.exports;
  }
})();
