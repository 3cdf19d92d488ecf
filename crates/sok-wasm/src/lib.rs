//! The search core (`crates/sok-core`) for the browser: the same query analysis, plan, ranking,
//! excerpts and status line as the server and the command line, compiled to WebAssembly. sok.js
//! only fetches the index files, hands what it fetched to these functions and renders.
//!
//! The interface is plain memory: the caller writes UTF-8 into buffers from `sok_alloc`, calls a
//! function, and reads the answer (JSON, HTML or text) at the pointer and length it returns,
//! packed into one u64: pointer in the high half, length in the low half. Inputs that are lists
//! are lines and spaces (terms hold neither), so no JSON parser is compiled in.

use sok_core::filter::{self, Columns, Want};
use sok_core::plan::{self, Lexicon, Need, Plan, Source};
use sok_core::{analysis, excerpt, query, rank, status};
use std::cell::RefCell;
use std::collections::HashMap;

static mut OUT: Vec<u8> = Vec::new();

thread_local! {
    /// The directory's facet columns (and the meeting days once asked for), set once.
    static COLUMNS: RefCell<Columns> = RefCell::new(Columns::default());
    /// The last query's ranked candidates ([`sok_rank`], [`sok_browse`]), for [`sok_filter`].
    static RANKED: RefCell<Vec<(u32, u64)>> = const { RefCell::new(Vec::new()) };
    /// How many requirements the last ranked query had.
    static REQUIREMENTS: RefCell<usize> = const { RefCell::new(0) };
}

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

fn answer(out: String) -> u64 {
    #[allow(static_mut_refs)]
    unsafe {
        OUT = out.into_bytes();
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

fn opt(s: Option<&str>) -> String {
    s.map_or("null".to_string(), string)
}

fn list(items: impl IntoIterator<Item = String>) -> String {
    format!("[{}]", items.into_iter().collect::<Vec<_>>().join(","))
}

fn strings<'a>(items: impl IntoIterator<Item = &'a String>) -> String {
    list(items.into_iter().map(|s| string(s)))
}

/// The query analysis of a text: the stem of each word, as a JSON list.
#[unsafe(no_mangle)]
pub extern "C" fn sok_stems(ptr: *const u8, len: usize) -> u64 {
    let text = input(ptr, len);
    answer(list(
        analysis::query_tokens(&text)
            .into_iter()
            .map(|t| string(&t.stem)),
    ))
}

/// What the browser knows of the index: lines `t<TAB>term<TAB>units` and
/// `p<TAB>prefix<TAB>completion completion …`.
struct Known {
    terms: HashMap<String, u32>,
    prefixes: HashMap<String, Vec<String>>,
}

impl Known {
    fn parse(text: &str) -> Known {
        let mut k = Known {
            terms: HashMap::new(),
            prefixes: HashMap::new(),
        };
        for line in text.lines() {
            let mut f = line.splitn(3, '\t');
            match (f.next(), f.next(), f.next()) {
                (Some("t"), Some(t), Some(n)) => {
                    k.terms.insert(t.to_string(), n.parse().unwrap_or(0));
                }
                (Some("p"), Some(p), Some(c)) => {
                    let c = c.split(' ').filter(|s| !s.is_empty()).map(String::from);
                    k.prefixes.insert(p.to_string(), c.collect());
                }
                _ => {}
            }
        }
        k
    }
}

impl Lexicon for Known {
    fn units(&self, term: &str) -> Option<u32> {
        self.terms.get(term).copied()
    }
    fn completions(&self, prefix: &str) -> Option<Vec<String>> {
        self.prefixes.get(prefix).cloned()
    }
}

fn plan_json(text: &str, p: &Plan) -> String {
    let words = list(p.words.iter().map(|w| {
        format!(
            "{{\"stem\":{},\"forms\":{},\"prefix\":{},\"part\":{}}}",
            string(&w.stem),
            strings(&w.forms),
            opt(w.prefix.as_deref()),
            matches!(w.source, Source::Part(_))
        )
    }));
    let (stems, prefixes) = p.highlight_terms();
    let date = p
        .date
        .map_or("null".to_string(), |d| format!("[{},{}]", d.from, d.to));
    let date_text = p.date.map(|d| {
        let (a, b) = (
            sok_core::dates::iso_of(d.from),
            sok_core::dates::iso_of(d.to),
        );
        if a == b { a } else { format!("{a} – {b}") }
    });
    let corrected = (!p.corrections.is_empty()).then(|| plan::corrected_text(text, &p.corrections));
    format!(
        "{{\"plan\":{{\"words\":{words},\"phrases\":{},\"excluded\":{},\"date\":{date},\"dateText\":{},\"invalidDate\":{},\"corrected\":{},\"term\":{},\"prefix\":{},\"hasWords\":{},\"marks\":[{},{}]}}}}",
        list(p.phrases.iter().map(strings)),
        strings(&p.excluded),
        opt(date_text.as_deref()),
        opt(p.invalid_date.as_deref()),
        opt(corrected.as_deref()),
        opt(p.single_term()),
        opt(p.single_prefix()),
        p.has_words(),
        strings(&stems),
        strings(&prefixes),
    )
}

/// The plan of a query (`{"plan": …}`), or what must be fetched first (`{"need": {"terms",
/// "prefixes"}}`), from the query and what is known of the index (see [`Known`]).
#[unsafe(no_mangle)]
pub extern "C" fn sok_plan(qptr: *const u8, qlen: usize, kptr: *const u8, klen: usize) -> u64 {
    let text = input(qptr, qlen);
    let known = Known::parse(&input(kptr, klen));
    answer(match plan::resolve(&query::parse(&text), &known) {
        Ok(p) => plan_json(&text, &p),
        Err(Need { terms, prefixes }) => format!(
            "{{\"need\":{{\"terms\":{},\"prefixes\":{}}}}}",
            strings(&terms),
            strings(&prefixes)
        ),
    })
}

/// A full list: (ordinal, impact) by ordinal.
type List = Vec<(u32, u32)>;

fn numbers(line: &str) -> List {
    let n: Vec<u32> = line
        .split(' ')
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().unwrap_or(0))
        .collect();
    n.chunks_exact(2).map(|c| (c[0], c[1])).collect()
}

/// Ranks the candidates ([`rank::rank`]) from the full lists and keeps them for
/// [`sok_filter`]: lines `w` (a word follows: one line per form, `ordinal impact …`), `p` (a
/// phrase: one line per word; on a static host its words must all be in the unit) and `x`
/// (excluded terms' lists follow). Answers the number of candidates.
#[unsafe(no_mangle)]
pub extern "C" fn sok_rank(ptr: *const u8, len: usize) -> u64 {
    let text = input(ptr, len);
    // Each group: its kind and its lists.
    let mut groups: Vec<(char, Vec<List>)> = Vec::new();
    for line in text.lines() {
        match line {
            "w" | "p" | "x" => groups.push((line.chars().next().unwrap_or('w'), Vec::new())),
            _ => {
                if let Some(g) = groups.last_mut() {
                    g.1.push(numbers(line));
                }
            }
        }
    }
    let mut requirements = Vec::new();
    let mut excluded: Vec<List> = Vec::new();
    for (kind, lists) in groups {
        let refs: Vec<&[(u32, u32)]> = lists.iter().map(Vec::as_slice).collect();
        match kind {
            'w' => requirements.push(rank::best_of(&refs)),
            'p' => requirements.push(rank::all_of(&refs)),
            _ => excluded.extend(lists),
        }
    }
    let refs: Vec<&[(u32, u32)]> = excluded.iter().map(Vec::as_slice).collect();
    let ranked = rank::rank(&requirements, &refs);
    let n = ranked.len();
    REQUIREMENTS.with(|r| *r.borrow_mut() = requirements.len());
    RANKED.with(|r| *r.borrow_mut() = ranked);
    answer(n.to_string())
}

/// Every unit as a candidate of a search by filters alone, newest meeting first
/// ([`filter::browse_all`]); needs the meeting days ([`sok_days`]).
#[unsafe(no_mangle)]
pub extern "C" fn sok_browse() -> u64 {
    let all = COLUMNS.with(|c| filter::browse_all(&c.borrow().day));
    let n = all.len();
    REQUIREMENTS.with(|r| *r.borrow_mut() = 0);
    RANKED.with(|r| *r.borrow_mut() = all);
    answer(n.to_string())
}

fn small_numbers<T: std::str::FromStr>(line: Option<&str>) -> Vec<T> {
    line.unwrap_or("")
        .split(' ')
        .filter_map(|s| s.parse().ok())
        .collect()
}

/// The directory's facet columns, once: lines of förbund, year and kind value numbers and
/// decisions (0 or 1), one number per unit, then a line with the count of förbund, year and
/// kind values.
#[unsafe(no_mangle)]
pub extern "C" fn sok_columns(ptr: *const u8, len: usize) -> u64 {
    let text = input(ptr, len);
    let mut lines = text.lines();
    let forbund = small_numbers(lines.next());
    let year = small_numbers(lines.next());
    let kind = small_numbers(lines.next());
    let decision = small_numbers::<u8>(lines.next())
        .into_iter()
        .map(|d| d == 1)
        .collect();
    let counts: Vec<usize> = small_numbers(lines.next());
    COLUMNS.with(|c| {
        let mut c = c.borrow_mut();
        *c = Columns {
            forbund,
            year,
            kind,
            decision,
            day: std::mem::take(&mut c.day),
            forbund_values: counts.first().copied().unwrap_or(0),
            year_values: counts.get(1).copied().unwrap_or(0),
            kind_values: counts.get(2).copied().unwrap_or(0),
        };
    });
    answer(String::new())
}

/// Every unit's meeting day (-1 for none), one line of numbers.
#[unsafe(no_mangle)]
pub extern "C" fn sok_days(ptr: *const u8, len: usize) -> u64 {
    let days = small_numbers(Some(&input(ptr, len)));
    COLUMNS.with(|c| c.borrow_mut().day = days);
    answer(String::new())
}

/// Filters the last ranked candidates and counts the facets ([`filter::filter_and_count`]). The
/// filters: one line `förbund year kind decisions from to`, each `-` when not chosen (decisions
/// 0 or 1). Answers `{"total", "complete", "page": [ordinal, key, …] (the first `shown` in
/// order), "forbund": [count by value], "year": […], "kind": […], "decisions"}`.
#[unsafe(no_mangle)]
pub extern "C" fn sok_filter(ptr: *const u8, len: usize, shown: usize) -> u64 {
    let text = input(ptr, len);
    let f: Vec<&str> = text.split(' ').collect();
    let get = |i: usize| f.get(i).copied().filter(|v| *v != "-");
    let want = Want {
        forbund: get(0).map(|v| v.parse().unwrap_or(u32::MAX)),
        year: get(1).map(|v| v.parse().unwrap_or(u32::MAX)),
        kind: get(2).map(|v| v.parse().unwrap_or(u32::MAX)),
        decisions_only: get(3) == Some("1"),
        from: get(4).and_then(|v| v.parse().ok()),
        to: get(5).and_then(|v| v.parse().ok()),
    };
    let requirements = REQUIREMENTS.with(|r| *r.borrow());
    let mut c = RANKED.with(|r| {
        COLUMNS.with(|cols| filter::filter_and_count(&cols.borrow(), &r.borrow(), &want))
    });
    let total = c.matched.len();
    let complete = if requirements == 0 {
        total
    } else {
        rank::complete(&c.matched, requirements)
    };
    filter::page(&mut c.matched, shown);
    let counts = |v: &[usize]| list(v.iter().map(usize::to_string));
    answer(format!(
        "{{\"total\":{total},\"complete\":{complete},\"page\":{},\"forbund\":{},\"year\":{},\"kind\":{},\"decisions\":{}}}",
        list(c.matched.iter().map(|(o, k)| format!("{o},{k}"))),
        counts(&c.forbund),
        counts(&c.year),
        counts(&c.kind),
        c.decisions
    ))
}

/// Marked terms from two lines: the stems, then the typed beginnings, space-separated.
fn terms(text: &str) -> (Vec<String>, Vec<String>) {
    let mut lines = text.lines();
    let mut words = || -> Vec<String> {
        lines
            .next()
            .unwrap_or("")
            .split(' ')
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect()
    };
    let stems = words();
    (stems, words())
}

/// A title in HTML, its words for the marked terms in `<mark>`.
#[unsafe(no_mangle)]
pub extern "C" fn sok_mark(ptr: *const u8, len: usize, tptr: *const u8, tlen: usize) -> u64 {
    let text = input(ptr, len);
    let (stems, prefixes) = terms(&input(tptr, tlen));
    answer(excerpt::marked_html(
        &text,
        &query::highlights(&text, &stems, &prefixes),
    ))
}

/// An excerpt in HTML ([`excerpt::excerpt_html`]) of a card's text for the marked terms.
#[unsafe(no_mangle)]
pub extern "C" fn sok_excerpt(ptr: *const u8, len: usize, tptr: *const u8, tlen: usize) -> u64 {
    let text = input(ptr, len);
    let (stems, prefixes) = terms(&input(tptr, tlen));
    answer(excerpt::excerpt_html(&[&text], &stems, &prefixes))
}

/// The status line: fields separated by tabs: query, total, complete, browse (0/1), corrected,
/// date, invalid date (empty for none), then the hits without each chosen filter as pairs of
/// fields (what, count).
#[unsafe(no_mangle)]
pub extern "C" fn sok_status(ptr: *const u8, len: usize) -> u64 {
    let text = input(ptr, len);
    let f: Vec<&str> = text.split('\t').collect();
    let get = |i: usize| f.get(i).copied().unwrap_or("");
    let some = |i: usize| Some(get(i)).filter(|s| !s.is_empty());
    answer(status::status(&status::Status {
        query: get(0),
        total: get(1).parse().unwrap_or(0),
        complete: get(2).parse().unwrap_or(0),
        browse: get(3) == "1",
        corrected: some(4),
        date: some(5),
        invalid_date: some(6),
        without: f
            .get(7..)
            .unwrap_or_default()
            .chunks_exact(2)
            .map(|c| (c[0], c[1].parse().unwrap_or(0)))
            .collect(),
    }))
}
