// The browser's search analysis (themes/default/static/sok-analys.wasm, crates/sok-wasm) must
// give the same tokens as the Rust analysis the index was built with (src/search/analysis.rs,
// asked through the hidden `protokoll sok-analys`), for every word and every line of the example
// archive and of a generated corpus. A stale wasm file fails here.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { execFileSync } = require("node:child_process");

const REPO = path.resolve(__dirname, "..", "..");
const WASM = path.join(REPO, "themes", "default", "static", "sok-analys.wasm");

function protokoll(args, input) {
  const bin = process.env.PROTOKOLL_BIN;
  const [cmd, argv] = bin
    ? [bin, args]
    : ["cargo", ["run", "--quiet", "--manifest-path", path.join(REPO, "Cargo.toml"), "--", ...args]];
  return execFileSync(cmd, argv, { input, encoding: "utf8", maxBuffer: 1 << 30, stdio: ["pipe", "pipe", "pipe"] });
}

async function wasmStems() {
  const { instance } = await WebAssembly.instantiate(fs.readFileSync(WASM));
  const w = instance.exports;
  const enc = new TextEncoder();
  const dec = new TextDecoder();
  return (text) => {
    const bytes = enc.encode(text);
    const ptr = w.sok_alloc(bytes.length);
    new Uint8Array(w.memory.buffer, ptr, bytes.length).set(bytes);
    const packed = w.sok_stems(ptr, bytes.length);
    const out = Number(BigInt.asUintN(32, packed >> 32n));
    const len = Number(BigInt.asUintN(32, packed));
    const json = JSON.parse(dec.decode(new Uint8Array(w.memory.buffer, out, len)));
    w.sok_free(ptr, bytes.length);
    return json;
  };
}

function markdownFiles(dir) {
  const out = [];
  (function walk(d) {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".md")) out.push(p);
    }
  })(dir);
  return out.sort();
}

/** Every distinct word and every distinct non-empty line of the archive's Markdown files. */
function vocabulary(contentDir) {
  const words = new Set();
  const lines = new Set();
  for (const file of markdownFiles(contentDir)) {
    for (const line of fs.readFileSync(file, "utf8").split("\n")) {
      if (line.trim()) lines.add(line);
      for (const m of line.matchAll(/[\p{L}\p{N}]+/gu)) words.add(m[0]);
    }
  }
  return { words: [...words].sort(), lines: [...lines].sort() };
}

async function compare(contentDir, minWords) {
  const { words, lines } = vocabulary(contentDir);
  assert.ok(words.length >= minWords, `${contentDir}: bara ${words.length} ord`);
  // Upper-case forms too: the analysis lower-cases, and both sides must do it alike.
  const inputs = [...words, ...words.map((w) => w.toUpperCase()), ...lines];
  const rust = protokoll(["sok-analys"], inputs.join("\n") + "\n").split("\n");
  assert.equal(rust.length, inputs.length + 1, "sok-analys gav inte en rad per indatarad");
  const stems = await wasmStems();
  const differ = [];
  let tokens = 0;
  for (let i = 0; i < inputs.length; i++) {
    const expected = JSON.parse(rust[i]);
    const actual = stems(inputs[i]);
    tokens += expected.length;
    if (JSON.stringify(actual) !== JSON.stringify(expected)) {
      differ.push(`${JSON.stringify(inputs[i]).slice(0, 80)}: Rust ${rust[i].slice(0, 80)}, wasm ${JSON.stringify(actual).slice(0, 80)}`);
    }
  }
  assert.ok(tokens >= minWords, `för få token (${tokens})`);
  assert.deepEqual(differ.slice(0, 20), [], `${differ.length} av ${inputs.length} indata skiljer sig; bygg om wasm med scripts/build-wasm`);
}

test("the wasm analysis gives the Rust tokens for the example archive's whole vocabulary", async () => {
  await compare(path.join(REPO, "content"), 1000);
});

test("the wasm analysis gives the Rust tokens for a generated corpus", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "protokoll-paritet-"));
  try {
    const out = path.join(dir, "arkiv");
    protokoll(["generate", "--storlek", "small", "--protokoll", "60", "--seed", "7", "--ut", out]);
    await compare(path.join(out, "content"), 1000);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
