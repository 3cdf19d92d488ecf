//! Markdown rendering with sanitising: whatever the text, the HTML has no script element, no event
//! handler or style attribute and no `javascript:`/`vbscript:`/`data:` URL, as a browser's HTML
//! parser (html5ever, the one the sanitiser uses) sees it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use protokoll::load::body::slugify;
use protokoll::markdown;
use protokoll_fuzz::unsafe_html;

fn assert_safe(what: &str, input: &str, html: &str) {
    let problems = unsafe_html(html);
    assert!(
        problems.is_empty(),
        "{what}: {problems:?}\ninput: {input:?}\noutput: {html:?}"
    );
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    assert_safe("to_html", text, &markdown::to_html(text));
    // As a paragraph of a protocol and a section of a plan render it.
    assert_safe(
        "to_html_scoped",
        text,
        &markdown::to_html_scoped(text, 3, "p16-2"),
    );
    let first_line = text.lines().next().unwrap_or("");
    let scope = slugify(first_line);
    assert_safe(
        "to_html_scoped (plan)",
        text,
        &markdown::to_html_scoped(text, 3, &scope),
    );
    assert_safe("to_html_nested", text, &markdown::to_html_nested(text, 4));
    let plain = markdown::to_plain_text(text);
    assert!(
        !plain.contains('\n'),
        "plain text has no line breaks: {plain:?}"
    );
});
