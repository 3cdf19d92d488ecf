// Search on any static host (/sok/): the query is analysed by the build's own Rust analysis
// compiled to WebAssembly (sok-analys.wasm), the index files under sok/data/ are fetched as the
// query needs them, and units are scored exactly as the server scores them (integer BM25
// impacts, ties to the archive's order). docs/search.md describes the files. Behind
// `protokoll serve` the page is marked data-server="1" and the server answers instead
// (svar.json), with tantivy's phrase positions; the page then already holds the results for the
// address it was opened with.
"use strict";
(function () {
  const form = document.getElementById("sokformular");
  const server = form?.dataset.server === "1";
  if (!form || !window.fetch || (!server && !window.WebAssembly)) return;
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
  const cache = new Map();
  const get = (name) => {
    if (!cache.has(name)) {
      cache.set(name, fetch(new URL(name, base)).then((r) => {
        if (!r.ok) throw new Error(`${name}: ${r.status}`);
        return r.json();
      }));
    }
    return cache.get(name);
  };

  // The analysis (crates/sok-wasm): UTF-8 in, JSON out.
  let wasm;
  const enc = new TextEncoder();
  const dec = new TextDecoder();
  function call(fn, ...texts) {
    const args = [];
    for (const t of texts) {
      const bytes = enc.encode(t);
      const ptr = wasm.sok_alloc(bytes.length);
      new Uint8Array(wasm.memory.buffer, ptr, bytes.length).set(bytes);
      args.push(ptr, bytes.length);
    }
    const packed = wasm[fn](...args);
    const ptr = Number(packed >> 32n);
    const len = Number(packed & 0xffffffffn);
    const out = JSON.parse(dec.decode(new Uint8Array(wasm.memory.buffer, ptr, len)));
    for (let i = 0; i < args.length; i += 2) wasm.sok_free(args[i], args[i + 1]);
    return out;
  }

  let manifest, directory;
  function shardOf(term) {
    const s = manifest.termer;
    let lo = 0, hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid][0] <= term) lo = mid; else hi = mid - 1;
    }
    return lo;
  }
  async function shard(i) {
    const s = await get(manifest.termer[i][1]);
    if (!s.index) s.index = new Map(s.termer.map((e) => [e[0], e]));
    return s;
  }
  function undelta(d) {
    let prev = 0;
    return d.map((x) => (prev += x));
  }
  // A term's units and impacts: [ords, impacts]; `full` asks for every unit of a common term.
  async function postings(term, full) {
    const i = shardOf(term);
    const s = await shard(i);
    const e = s.index.get(term);
    if (!e) return { ords: [], impacts: [], facets: null };
    if (e.length > 3 && full) {
      const tail = (await get(s.svans))[term];
      return { ords: undelta(tail[0]), impacts: tail[1], facets: e[3] };
    }
    return { ords: undelta(e[1]), impacts: e[2], facets: e.length > 3 ? e[3] : null, head: e.length > 3 };
  }
  // The first `manifest.prefix` terms beginning with `prefix`, in byte order, as the server does.
  async function withPrefix(prefix) {
    const out = [];
    for (let i = shardOf(prefix); i < manifest.termer.length && out.length < manifest.prefix; i++) {
      const s = await shard(i);
      let past = false;
      for (const e of s.termer) {
        if (e[0] < prefix) continue;
        if (!e[0].startsWith(prefix)) { past = true; break; }
        out.push(e[0]);
        if (out.length >= manifest.prefix) break;
      }
      if (past) break;
    }
    return out;
  }
  function runs(list) {
    const out = [];
    for (const [v, n] of list) for (let i = 0; i < n; i++) out.push(v);
    return out;
  }
  async function loadDirectory() {
    if (!directory) {
      const k = await get(manifest.katalog);
      directory = { forbund: runs(k.forbund), ar: runs(k.ar), typ: runs(k.typ), datum: runs(k.datum), beslut: k.beslut };
    }
    return directory;
  }
  const dayNumber = (iso) => {
    const [y, m, d] = iso.split("-").map(Number);
    return Math.round((Date.UTC(y, m - 1, d) - Date.UTC(1970, 0, 1)) / 86400000);
  };

  function readForm() {
    const f = new FormData(form);
    return {
      q: (f.get("q") || "").toString(),
      forbund: f.get("forbund") || "", ar: f.get("ar") || "", typ: f.get("typ") || "",
      beslut: f.get("beslut") === "1", fran: f.get("fran") || "", till: f.get("till") || "",
    };
  }

  async function run(state, shown) {
    const parsed = call("sok_parse", state.q);
    if (parsed.ord.length === 0 && parsed.fraser.length === 0) {
      return { total: 0, hits: [], facets: null, parsed };
    }
    const filtered = state.forbund || state.ar || state.typ || state.beslut || state.fran || state.till;
    const variantsOf = [];
    for (const [stem, prefix] of parsed.ord) {
      const v = [stem];
      if (prefix) for (const t of await withPrefix(prefix)) if (!v.includes(t)) v.push(t);
      variantsOf.push(v);
    }
    // A lone common word needs only its best units: its counts are stored with it.
    const lone = parsed.ord.length === 1 && parsed.fraser.length === 0 && parsed.utom.length === 0 && !filtered;
    let single = null;
    if (lone) {
      const lists = await Promise.all(variantsOf[0].map((t) => postings(t, false)));
      const present = lists.filter((l) => l.ords.length > 0);
      if (present.length === 1 && present[0].head) single = present[0];
    }
    const score = new Map();
    const met = new Map();
    let required = 0;
    const add = (ord, s) => {
      score.set(ord, (score.get(ord) || 0) + s);
      met.set(ord, (met.get(ord) || 0) + 1);
    };
    if (single) {
      required = 1;
      single.ords.forEach((o, i) => add(o, single.impacts[i]));
    } else {
      for (const v of variantsOf) {
        required++;
        const best = new Map();
        for (const l of await Promise.all(v.map((t) => postings(t, true)))) {
          l.ords.forEach((o, i) => best.set(o, Math.max(best.get(o) || 0, l.impacts[i])));
        }
        for (const [o, s] of best) add(o, s);
      }
      // On a static host a phrase finds the units that have all its words (the server also
      // checks that they follow each other).
      for (const phrase of parsed.fraser) {
        required++;
        const lists = await Promise.all(phrase.map((t) => postings(t, true)));
        const maps = lists.map((l) => new Map(l.ords.map((o, i) => [o, l.impacts[i]])));
        for (const o of maps[0].keys()) {
          if (maps.every((m) => m.has(o))) add(o, maps.reduce((s, m) => s + m.get(o), 0));
        }
      }
      for (const t of parsed.utom) for (const o of (await postings(t, true)).ords) met.set(o, -1);
    }
    const dir = await loadDirectory();
    const fIx = state.forbund ? manifest.forbund.findIndex((f) => f[0] === state.forbund) : -1;
    const from = state.fran ? dayNumber(state.fran) : null;
    const to = state.till ? dayNumber(state.till) : null;
    const fc = new Map(), yc = new Map(), kc = new Map();
    let dc = 0;
    const matched = [];
    for (const [o, m] of met) {
      if (m !== required) continue;
      const d = dir.datum[o];
      if ((from !== null || to !== null) && (d < 0 || (from !== null && d < from) || (to !== null && d > to))) continue;
      const okF = !state.forbund || dir.forbund[o] === fIx;
      const okY = !state.ar || String(dir.ar[o]) === state.ar;
      const okK = !state.typ || dir.typ[o] === state.typ;
      const dec = dir.beslut[o] === "1";
      const okD = !state.beslut || dec;
      if (okY && okK && okD) fc.set(dir.forbund[o], (fc.get(dir.forbund[o]) || 0) + 1);
      if (okF && okK && okD) yc.set(dir.ar[o], (yc.get(dir.ar[o]) || 0) + 1);
      if (okF && okY && okD) kc.set(dir.typ[o], (kc.get(dir.typ[o]) || 0) + 1);
      if (okF && okY && okK && dec) dc++;
      if (okF && okY && okK && okD) matched.push(o);
    }
    matched.sort((a, b) => score.get(b) - score.get(a) || a - b);
    let total = matched.length;
    let facets = { forbund: fc, ar: yc, typ: kc, beslut: dc };
    if (single) {
      const [n, f, y, k, d] = single.facets;
      total = n;
      facets = {
        forbund: new Map(Object.entries(f).map(([a, b]) => [Number(a), b])),
        ar: new Map(Object.entries(y).map(([a, b]) => [Number(a), b])),
        typ: new Map(Object.entries(k)), beslut: d,
      };
    }
    const top = matched.slice(0, shown);
    const hits = await Promise.all(top.map(async (o) => {
      const shard = manifest.kort.filter((c) => c[0] <= o).pop();
      const card = (await get(shard[1]))[o - shard[0]];
      return { ord: o, score: score.get(o), card, forbund: manifest.forbund[dir.forbund[o]][1] };
    }));
    // Counts by the filters' option values, as the server gives them.
    facets = {
      forbund: new Map([...facets.forbund].map(([i, n]) => [manifest.forbund[i][0], n])),
      ar: new Map([...facets.ar].map(([y, n]) => [String(y), n])),
      typ: facets.typ, beslut: facets.beslut,
    };
    return { total, hits, facets, parsed };
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
      total: first.total,
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
  function marked(text, query) {
    const marks = call("sok_marks", text, query);
    let out = "", at = 0;
    for (const [a, b] of marks) {
      out += esc(text.slice(at, a)) + "<mark>" + esc(text.slice(a, b)) + "</mark>";
      at = b;
    }
    return out + esc(text.slice(at));
  }
  const dateText = (iso) => {
    const [y, m, d] = iso.split("-").map(Number);
    return `${d} ${MONTHS[m - 1]} ${y}`;
  };
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
    if (["fran", "till"].some((n) => state[n] && !/^\d{4}-\d{2}-\d{2}$/.test(state[n]))) {
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
    for (const old of section.querySelectorAll(".sok-traffar, .sok-facetter, #sok-avgransa")) old.remove();
    if (!state.q.trim()) {
      count.textContent = "Skriv ett eller flera ord i sökrutan.";
      setCounts($("forbund"), null); setCounts($("ar"), null); setCounts($("typ"), null);
      return;
    }
    count.textContent = r.total === 0 ? `Inga träffar för ”${state.q.trim()}”.`
      : r.total === 1 ? `1 träff för ”${state.q.trim()}”.` : `${r.total} träffar för ”${state.q.trim()}”.`;
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
      const headingHtml = h.marked ? esc(heading) : marked(heading, state.q);
      const excerpt = h.marked ? text : text && marked(text, state.q);
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
    if (input.value && !server) update(false);
    form.dataset.klar = "1";
  })().catch((e) => {
    count.textContent = "Sökningen kunde inte startas: " + e.message;
    if (note) note.hidden = false;
  });

  async function startStatic() {
    const [m, w] = await Promise.all([
      get("manifest.json"),
      WebAssembly.instantiateStreaming
        ? WebAssembly.instantiateStreaming(fetch(form.dataset.analys)).catch(() =>
          fetch(form.dataset.analys).then((r) => r.arrayBuffer()).then((b) => WebAssembly.instantiate(b)))
        : fetch(form.dataset.analys).then((r) => r.arrayBuffer()).then((b) => WebAssembly.instantiate(b)),
    ]);
    manifest = m;
    wasm = w.instance.exports;
  }
})();
