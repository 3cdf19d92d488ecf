//! The browser's copy of the search analysis: `src/search/analysis.rs` and `src/search/query.rs`
//! compiled unchanged to WebAssembly, so a query is analysed in the browser exactly as the build
//! analysed the text. The interface is plain memory: the caller writes UTF-8 into a buffer from
//! `sok_alloc`, calls a function, and reads the JSON answer at the pointer and length it returns
//! (packed into one u64: pointer in the high half, length in the low half).

#![allow(dead_code)]

// At the crate root, so that `super::analysis` in query.rs names the analysis as it does in the
// main crate.
#[path = "../../../src/search/analysis.rs"]
mod analysis;
#[path = "../../../src/search/query.rs"]
mod query;

static mut OUT: Vec<u8> = Vec::new();

#[unsafe(no_mangle)]
pub extern "C" fn sok_alloc(len: usize) -> *mut u8 {
    let mut v = Vec::<u8>::with_capacity(len);
    let p = v.as_mut_ptr();
    std::mem::forget(v);
    p
}

/// # Safety
/// `ptr` and `len` come from `sok_alloc`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sok_free(ptr: *mut u8, len: usize) {
    drop(unsafe { Vec::from_raw_parts(ptr, 0, len) });
}

fn input(ptr: *const u8, len: usize) -> String {
    let bytes = unsafe { std::slice::from_raw_parts(ptr, len) };
    String::from_utf8_lossy(bytes).into_owned()
}

fn answer(json: String) -> u64 {
    #[allow(static_mut_refs)]
    unsafe {
        OUT = json.into_bytes();
        ((OUT.as_ptr() as u64) << 32) | OUT.len() as u64
    }
}

fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn list(items: impl IntoIterator<Item = String>) -> String {
    format!("[{}]", items.into_iter().collect::<Vec<_>>().join(","))
}

/// The query analysis of a text: the stem of each word, as a JSON list.
#[unsafe(no_mangle)]
pub extern "C" fn sok_stems(ptr: *const u8, len: usize) -> u64 {
    let text = input(ptr, len);
    answer(list(analysis::query_tokens(&text).into_iter().map(|t| string(&t.stem))))
}

/// A parsed query: `{"ord":[[stem, prefix|null]], "fraser":[[stem]], "utom":[stem]}`.
#[unsafe(no_mangle)]
pub extern "C" fn sok_parse(ptr: *const u8, len: usize) -> u64 {
    let q = query::parse(&input(ptr, len));
    let words = list(q.words.iter().map(|w| {
        format!(
            "[{},{}]",
            string(&w.stem),
            w.prefix.as_deref().map_or("null".to_string(), string)
        )
    }));
    let phrases = list(q.phrases.iter().map(|p| list(p.iter().map(|s| string(s)))));
    let excluded = list(q.excluded.iter().map(|s| string(s)));
    answer(format!("{{\"ord\":{words},\"fraser\":{phrases},\"utom\":{excluded}}}"))
}

/// Character ranges of the words to mark in a text for a query: `[[from, to], …]` in UTF-16
/// units, as JavaScript strings count.
#[unsafe(no_mangle)]
pub extern "C" fn sok_marks(ptr: *const u8, len: usize, qptr: *const u8, qlen: usize) -> u64 {
    let text = input(ptr, len);
    let q = query::parse(&input(qptr, qlen));
    let (stems, prefixes) = q.highlight_terms();
    let utf16 = |byte: usize| text[..byte].encode_utf16().count();
    answer(list(
        query::highlights(&text, &stems, &prefixes)
            .into_iter()
            .map(|(a, b)| format!("[{},{}]", utf16(a), utf16(b))),
    ))
}
