//! Deep nesting in content, the inputs that took the sanitiser minutes or built pages 100,000
//! levels deep: the input wrapped in up to 120,000 levels of one Markdown, HTML or YAML nesting
//! ([`protokoll_fuzz::deep`]) as a protocol's § body, a front-matter field and a förbund profile.
//! Asserts: nothing panics or overflows; a text the nesting check lets through renders to safe
//! HTML; block quotes, lists and block HTML elements deeper than the limit are refused by the
//! loader with the error `for-djup` at a line of the body; YAML deeper than its parser's limit
//! is an error, and a collection where text belongs is never accepted.
#![no_main]

use libfuzzer_sys::fuzz_target;
use protokoll::load::{parse_forbund, parse_protocol};
use protokoll::markdown::{self, MAX_NESTING};
use protokoll_fuzz::{Nesting, deep, unsafe_html};
use std::path::Path;

/// Markdown and HTML nestings. The first three nest at least one level per repetition whatever
/// follows; the others may not (`- - -` alone is a rule, CommonMark does not nest links, and
/// emphasis pairs as it can).
const MARKDOWN: &[Nesting] = &[
    (">", ""),
    ("<div>", "</div>"),
    ("> - ", ""),
    ("- ", ""),
    ("<span>", ""),
    ("*a ", "*"),
    ("[", "](x)"),
    ("<blockquote>", "</blockquote>"),
    ("<ul><li>", "</li></ul>"),
    ("<table><tr><td>", "</td></tr></table>"),
    ("**", "**"),
    ("<b><i>", "</i></b>"),
    ("1. ", ""),
    ("![", "](x.png)"),
];
const ALWAYS_NESTING: usize = 3;

const YAML: &[Nesting] = &[
    ("[", "]"),
    ("{a: ", "}"),
    ("- ", ""),
    ("&a [", "]"),
    ("!t [", "]"),
];

const HEAD: &str = "---\norgan: Styrelsen\nnummer: 1\ndatum: 2025-03-11\n";
const BODY_LINE: usize = 8;

fuzz_target!(|data: &[u8]| {
    if let Some((text, depth)) = deep(data, MARKDOWN) {
        if markdown::too_deep(&text).is_none() {
            let html = markdown::to_html(&text);
            let problems = unsafe_html(&html);
            assert!(problems.is_empty(), "{problems:?} in {html:.300}");
        }
        let file = format!("{HEAD}plats: Åstorp\n---\n\n## § 1 Rubrik\n\n{text}\n");
        let mut errors = Vec::new();
        let parsed = parse_protocol(
            &file,
            Path::new("content/fuzz/protokoll/2025-03-11.md"),
            &mut errors,
        );
        let form = usize::from(data[0]) % MARKDOWN.len();
        if form < ALWAYS_NESTING && depth > MAX_NESTING {
            assert!(
                parsed.is_none(),
                "depth {depth} of {:?} was accepted",
                MARKDOWN[form]
            );
            let deep_error = errors.iter().find(|d| d.code == "for-djup");
            assert!(
                deep_error.is_some_and(|d| d.line >= BODY_LINE),
                "depth {depth} of {:?}: {errors:?}",
                MARKDOWN[form]
            );
        }
    }
    if let Some((yaml, depth)) = deep(data, YAML) {
        let file = format!("{HEAD}plats: {yaml}\n---\n\n## § 1 Rubrik\n\nText.\n");
        let mut errors = Vec::new();
        let parsed = parse_protocol(
            &file,
            Path::new("content/fuzz/protokoll/2025-03-11.md"),
            &mut errors,
        );
        // `plats` is text, and a flow collection (tagged, anchored or not) never is.
        let form = usize::from(data[0]) % YAML.len();
        if depth > 0 && form != 2 {
            assert!(
                parsed.is_none() && !errors.is_empty(),
                "depth {depth} of {:?} was accepted as a place",
                YAML[form]
            );
        }
        let profile = format!("namn: Fuzz\nkortnamn: Fuzz\nmedlemmar: {yaml}\n");
        let mut errors = Vec::new();
        let _ = parse_forbund(
            &profile,
            Path::new("content/fuzz/forbund.yaml"),
            "fuzz",
            &mut errors,
        );
    }
});
