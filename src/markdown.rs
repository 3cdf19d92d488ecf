//! Markdown to safe HTML: pulldown-cmark for the syntax, ammonia for the sanitising.
//!
//! Content comes from many hands (and from imported PDFs), so every rendered fragment passes the
//! sanitiser: no scripts, no event handlers, no `javascript:` or `data:` URLs. `id` and `class`
//! survive so that authors can anchor and style their own text. Table alignment is turned into
//! classes because inline `style` attributes would break a strict Content-Security-Policy.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd, html};
use std::collections::HashSet;
use std::sync::LazyLock;

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .add_generic_attributes(["id", "class"])
        .add_tags(["figure", "figcaption", "section"])
        .add_tag_attributes("ol", ["start"])
        .add_tag_attributes("td", ["colspan", "rowspan"])
        .add_tag_attributes("th", ["colspan", "rowspan", "scope"])
        .url_schemes(HashSet::from(["http", "https", "mailto", "tel"]))
        .link_rel(Some("noopener noreferrer"))
        // Author ids must not collide with the page's own anchors (`p16`, `innehall`, …).
        .id_prefix(Some("t-"));
    builder
});

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_STRIKETHROUGH
}

/// How deeply a content file's Markdown may nest: block quotes, lists, emphasis and links, and raw
/// HTML elements inside them, counted together. Protocols nest a few levels; 100,000 nested
/// `<div>` took the HTML parser of the sanitiser most of a minute (its scope checks walk the open
/// elements), and such a tree is more than a browser keeps (Chromium flattens past 512).
pub const MAX_NESTING: usize = 64;

/// Elements that have no end tag, or whose end tag may be left out and that close themselves
/// at their next sibling: open ones do not nest.
const NOT_NESTING: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "option",
    "optgroup", "colgroup", "rt", "rp",
];

/// The first place where `text` (a content file, front matter included: its strings are
/// Markdown too) nests deeper than [`MAX_NESTING`]: the byte offset and the depth reached there.
pub fn too_deep(text: &str) -> Option<(usize, usize)> {
    let mut depth = 0usize;
    let mut html = 0usize;
    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        match &event {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Html(raw) | Event::InlineHtml(raw) => {
                for (at, open) in html_tags(raw) {
                    if open {
                        html += 1;
                        if depth + html > MAX_NESTING {
                            return Some((range.start + at, depth + html));
                        }
                    } else {
                        html = html.saturating_sub(1);
                    }
                }
            }
            _ => {}
        }
        if depth + html > MAX_NESTING {
            return Some((range.start, depth + html));
        }
    }
    None
}

/// The tags of raw HTML that open or close a nesting element: (offset, opens).
fn html_tags(raw: &str) -> Vec<(usize, bool)> {
    let mut out = Vec::new();
    for (at, _) in raw.match_indices('<') {
        let rest = &raw[at + 1..];
        let (close, rest) = match rest.strip_prefix('/') {
            Some(r) => (true, r),
            None => (false, rest),
        };
        let name: String = rest
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase();
        if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
            continue;
        }
        if NOT_NESTING.contains(&name.as_str()) {
            continue;
        }
        let self_closing = !close
            && rest
                .find('>')
                .is_some_and(|end| rest[..end].trim_end().ends_with('/'));
        if !self_closing {
            out.push((at, !close));
        }
    }
    out
}

/// Renders Markdown to sanitised HTML.
///
/// Markdown without raw HTML cannot produce a tag or an event handler: pulldown-cmark escapes all
/// text. Its only ways to unsafe output are link and image URLs and heading attributes, which
/// the fast path filters event by event. Anything with raw HTML goes through ammonia.
pub fn to_html(markdown: &str) -> String {
    let events: Vec<Event> = Parser::new_ext(markdown, options()).collect();
    let has_raw_html = events
        .iter()
        .any(|e| matches!(e, Event::Html(_) | Event::InlineHtml(_)));
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    if has_raw_html {
        html::push_html(&mut raw, events.into_iter());
        let aligned = align_classes(&raw);
        let raw = escape_unclosed(&aligned);
        link_author_ids(&SANITIZER.clean(&raw).to_string())
    } else {
        html::push_html(&mut raw, safe_events(events).into_iter());
        let raw = align_classes(&raw)
            .replace("<a href=\"", "<a rel=\"noopener noreferrer\" href=\"")
            .replace(" id=\"", " id=\"t-");
        link_author_ids(&raw)
    }
}

/// Elements whose content the HTML parser reads as raw text, or as foreign (SVG, MathML) content
/// that the sanitiser removes whole: left open, each swallows the rest of the fragment.
const SWALLOWING: &[&str] = &[
    "script",
    "style",
    "textarea",
    "title",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "noscript",
    "plaintext",
    "template",
    "svg",
    "math",
];

/// Turns the opening tag of a [`SWALLOWING`] element that is never closed into text, so that a
/// stray `<style>` or `<svg` in a protocol shows as written instead of taking every paragraph
/// after it away (found with the browser suite's XSS corpus). Closed elements are left to the
/// sanitiser, which removes them.
fn escape_unclosed(html: &str) -> std::borrow::Cow<'_, str> {
    if !html.contains('<') {
        return std::borrow::Cow::Borrowed(html);
    }
    // ASCII lower-casing keeps every byte offset.
    let lower = html.to_ascii_lowercase();
    let last_close: Vec<Option<usize>> = SWALLOWING
        .iter()
        .map(|name| lower.rfind(&format!("</{name}")))
        .collect();
    let mut out = String::new();
    let mut copied = 0;
    for (i, _) in lower.match_indices('<') {
        let rest = &lower[i + 1..];
        let Some(k) = SWALLOWING.iter().position(|name| {
            rest.strip_prefix(name).is_some_and(|after| {
                after.is_empty()
                    || after.starts_with(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/')
            })
        }) else {
            continue;
        };
        if last_close[k].is_none_or(|close| close < i) {
            out.push_str(&html[copied..i]);
            out.push_str("&lt;");
            copied = i + 1;
        }
    }
    if copied == 0 {
        return std::borrow::Cow::Borrowed(html);
    }
    out.push_str(&html[copied..]);
    std::borrow::Cow::Owned(out)
}

fn align_classes(html: &str) -> String {
    html.replace(" style=\"text-align: right\"", " class=\"hoger\"")
        .replace(" style=\"text-align: center\"", " class=\"mitten\"")
        .replace(" style=\"text-align: left\"", " class=\"vanster\"")
}

/// The URL schemes a link may use; relative URLs and fragments have none.
fn safe_url(url: &str) -> bool {
    let scheme_end = url.find([':', '/', '?', '#']);
    match scheme_end {
        Some(i) if url[i..].starts_with(':') => {
            let scheme = url[..i].to_ascii_lowercase();
            matches!(scheme.as_str(), "http" | "https" | "mailto" | "tel")
        }
        _ => true,
    }
}

/// Drops links and images with unsafe URLs (keeping their text) and heading attributes other than
/// id and class. Headings get the theme's break hints ([`crate::sv::soft_hyphens`]), as the
/// templates' own headings do, so that a long compound breaks at its joint on a phone.
fn safe_events(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut out = Vec::with_capacity(events.len());
    // For each open link or image: was it kept? (They nest properly, so one stack serves both.)
    let mut kept: Vec<bool> = Vec::new();
    let mut in_heading = false;
    for event in events {
        match event {
            Event::Text(text) if in_heading => {
                out.push(Event::Text(crate::sv::soft_hyphens(&text).into()));
            }
            Event::End(end @ TagEnd::Heading(_)) => {
                in_heading = false;
                out.push(Event::End(end));
            }
            Event::Start(tag @ (Tag::Link { .. } | Tag::Image { .. })) => {
                let keep = match &tag {
                    Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } => safe_url(dest_url),
                    _ => false,
                };
                kept.push(keep);
                if keep {
                    out.push(Event::Start(tag));
                }
            }
            Event::End(end @ (TagEnd::Link | TagEnd::Image)) => {
                if kept.pop().unwrap_or(false) {
                    out.push(Event::End(end));
                }
            }
            Event::Start(Tag::Heading {
                level, id, classes, ..
            }) => {
                in_heading = true;
                out.push(Event::Start(Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs: Vec::new(),
                }));
            }
            other => out.push(other),
        }
    }
    out
}

/// Same-page links to an id of this fragment (a footnote, `{#id}`) follow the id's prefix; links
/// to the page's own anchors (`#p16`, a plan section) are left as written.
fn link_author_ids(html: &str) -> String {
    const HREF: &str = "href=\"#";
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find(HREF) {
        out.push_str(&rest[..i + HREF.len()]);
        rest = &rest[i + HREF.len()..];
        let fragment = &rest[..rest.find('"').unwrap_or(rest.len())];
        if html.contains(&format!("id=\"t-{fragment}\"")) {
            out.push_str("t-");
        }
    }
    out.push_str(rest);
    out
}

/// Renders Markdown whose author ids (footnotes, `{#id}`) are scoped, so that several fragments on
/// one page cannot produce the same id.
pub fn to_html_scoped(markdown: &str, min_level: u8, scope: &str) -> String {
    let html = to_html_nested(markdown, min_level);
    if scope.is_empty() || !html.contains("t-") {
        return html;
    }
    html.replace("id=\"t-", &format!("id=\"t-{scope}-"))
        .replace("href=\"#t-", &format!("href=\"#t-{scope}-"))
}

/// Renders Markdown and shifts its headings down so that they nest under the page's own
/// (a `###` in a paragraph must not compete with the paragraph's `h2`).
pub fn to_html_nested(markdown: &str, min_level: u8) -> String {
    let html = to_html(markdown);
    if min_level <= 1 {
        return html;
    }
    shift_headings(&html, min_level)
}

fn shift_headings(html: &str, min_level: u8) -> String {
    // Find the highest heading used, then shift so it lands on min_level.
    let top = (1..=6u8)
        .find(|l| html.contains(&format!("<h{l}")))
        .unwrap_or(6);
    if top >= min_level {
        return html.to_string();
    }
    let shift = min_level - top;
    let mut out = html.to_string();
    for level in (1..=6u8).rev() {
        let new = (level + shift).min(6);
        out = out
            .replace(&format!("<h{level}>"), &format!("<h{new}>"))
            .replace(&format!("<h{level} "), &format!("<h{new} "))
            .replace(&format!("</h{level}>"), &format!("</h{new}>"));
    }
    out
}

/// Plain text of a Markdown fragment, for excerpts, descriptions and the search index.
pub fn to_plain_text(markdown: &str) -> String {
    use pulldown_cmark::{Event, TagEnd};
    let mut out = String::with_capacity(markdown.len());
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::TableCell,
            ) => out.push(' '),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_is_measured_over_markdown_and_raw_html_together() {
        let ok = [
            "Text med *betoning* och [länk](x).\n\n> citat\n>\n> - lista\n>   - i lista\n",
            &"<p>stycke utan slut\n".repeat(500),
            &"<br>rad<img src=\"a.png\"><hr/>\n".repeat(500),
            &"<div>a</div>\n".repeat(1_000),
            &format!("{} citat", ">".repeat(MAX_NESTING / 2)),
        ];
        for text in ok {
            assert_eq!(too_deep(text), None, "{text:.80}");
        }
        let deep_quote = format!("Inledning\n\n{} citat\n", ">".repeat(100_000));
        let (at, depth) = too_deep(&deep_quote).expect("block quotes");
        assert!(
            depth > MAX_NESTING && at >= "Inledning\n\n".len(),
            "{at} {depth}"
        );
        let deep_div = format!(
            "{}text{}",
            "<div>".repeat(100_000),
            "</div>".repeat(100_000)
        );
        assert!(too_deep(&deep_div).is_some());
        let deep_list: String = (0..200)
            .map(|i| format!("{}- a\n", "  ".repeat(i)))
            .collect();
        assert!(too_deep(&deep_list).is_some());
        let deep_emphasis = format!("{}b{}", "*a ".repeat(1_000), "*".repeat(1_000));
        assert!(too_deep(&deep_emphasis).is_some());
    }

    #[test]
    fn headings_break_long_compounds_at_their_joints_and_body_text_is_left_alone() {
        let html = to_html("### Utvecklingsgruppen/Styrgrupp\n\nUtvecklingsgruppen möts.");
        assert!(
            html.contains("<h3>Utvecklings\u{ad}gruppen/\u{200b}Styrgrupp</h3>"),
            "{html}"
        );
        assert!(html.contains("<p>Utvecklingsgruppen möts.</p>"), "{html}");
    }

    #[test]
    fn tables_align_with_classes_not_styles() {
        let html = to_html("| a | b |\n|---|--:|\n| x | 1 500 |\n");
        assert!(html.contains("<td class=\"hoger\">1 500</td>"), "{html}");
        assert!(!html.contains("style="), "{html}");
    }

    #[test]
    fn scripts_handlers_and_javascript_urls_are_removed() {
        let html = to_html(
            "<script>alert(1)</script>\n\n<img src=x onerror=\"alert(2)\">\n\n[klicka](javascript:alert(3))\n\n<a href=\"data:text/html,x\">d</a>\n\n<p id=\"mitt\" class=\"k\">ok</p>",
        );
        for bad in ["<script", "onerror", "javascript:", "data:", "alert(1)"] {
            assert!(!html.contains(bad), "{bad} in {html}");
        }
        assert!(html.contains("id=\"t-mitt\""), "{html}");
        assert!(html.contains("class=\"k\""), "{html}");
    }

    #[test]
    fn links_to_page_anchors_are_kept_and_links_to_author_ids_follow_the_prefix() {
        let html = to_html("[§ 2](#p2) [not](#not) <span id=\"not\">x</span>");
        assert!(html.contains("href=\"#p2\""), "{html}");
        assert!(
            html.contains("href=\"#t-not\"") && html.contains("id=\"t-not\""),
            "{html}"
        );
    }

    #[test]
    fn unsafe_urls_without_raw_html_are_dropped_but_their_text_kept() {
        let html = to_html(
            "[klicka](javascript:alert(1)) <javascript:alert(2)> ![bild](data:image/svg+xml,x) [ok](https://x.se/) [rel](../a/#p2) [mejl](mailto:a@b.se)\n\n## Rubrik {#r .k onclick=alert(3)}\n",
        );
        // The text of a dropped autolink stays as harmless text; no URL attribute carries it.
        for bad in [
            "href=\"javascript:",
            "src=\"data:",
            "onclick",
            "alert(3)",
            "<img",
        ] {
            assert!(!html.contains(bad), "{bad} in {html}");
        }
        assert!(html.contains("klicka"), "{html}");
        assert!(html.contains("href=\"https://x.se/\""), "{html}");
        assert!(html.contains("href=\"../a/#p2\""), "{html}");
        assert!(html.contains("<h2 id=\"t-r\" class=\"k\">"), "{html}");
    }

    #[test]
    fn the_fast_path_output_is_already_clean() {
        // Whatever the fast path writes, the sanitiser keeps: it is no weaker than ammonia.
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
        let mut checked = 0;
        for entry in walkdir::WalkDir::new(root)
            .into_iter()
            .filter_map(Result::ok)
        {
            if entry.path().extension().is_none_or(|e| e != "md") {
                continue;
            }
            let text = std::fs::read_to_string(entry.path()).unwrap();
            let body = text.splitn(3, "---\n").nth(2).unwrap_or(&text);
            for chunk in body.split("\n## ").filter(|c| !c.contains(":::")) {
                let html = to_html(chunk);
                let again = SANITIZER.clean(&html).to_string();
                let normalise = |s: &str| {
                    s.replace("id=\"t-t-", "id=\"t-")
                        .replace(" rel=\"noopener noreferrer\"", "")
                };
                assert_eq!(
                    normalise(&again),
                    normalise(&html),
                    "in {}",
                    entry.path().display()
                );
                checked += 1;
            }
        }
        assert!(checked > 20, "only {checked} fragments");
    }

    #[test]
    fn a_stray_opening_tag_does_not_swallow_the_text_after_it() {
        // Found with the browser suite's XSS corpus: an unclosed `<style>`, `<svg>` or `<math>`
        // made the sanitiser drop every paragraph after it.
        for stray in [
            "<style>",
            "<svg onload=alert(1)>",
            "<math><mi>x</mi>",
            "<textarea>",
            "<title>",
            "<plaintext>",
            "<SCRIPT src=x>",
        ] {
            let html = to_html(&format!(
                "Före.\n\n{stray}\n\nEfter **texten**.\n\n## Rubrik\n"
            ));
            // CommonMark lets an HTML block that starts with <style>, <script> or <textarea> run
            // to its closing tag, so there the rest stays unformatted, but visible.
            let raw_block = ["<style", "<script", "<textarea"]
                .iter()
                .any(|t| stray.to_lowercase().starts_with(t));
            if raw_block {
                assert!(
                    html.contains("Efter **texten**.") && html.contains("## Rubrik"),
                    "{stray}: {html}"
                );
            } else {
                assert!(
                    html.contains("Efter <strong>texten</strong>."),
                    "{stray}: {html}"
                );
                assert!(html.contains("<h2>Rubrik</h2>"), "{stray}: {html}");
            }
            for bad in [
                "<script",
                "<style",
                "<svg",
                "<math",
                "onerror=",
                "<textarea",
                "<img src=\"x\" onerror",
            ] {
                assert!(
                    !html.to_lowercase().contains(bad),
                    "{stray}: {bad} in {html}"
                );
            }
        }
        // Closed, they are removed as before, content and all where the sanitiser says so.
        let html =
            to_html("a <style>p{}</style> b <script>alert(1)</script> c <svg><circle/></svg> d");
        assert!(!html.contains("alert") && !html.contains("p{}"), "{html}");
        assert!(html.contains("a  b  c  d"), "{html}");
    }

    #[test]
    fn headings_nest_below_the_page() {
        assert_eq!(to_html_nested("### Under", 3), "<h3>Under</h3>\n");
        assert_eq!(
            to_html_nested("# Topp\n## Nästa", 3),
            "<h3>Topp</h3>\n<h4>Nästa</h4>\n"
        );
    }

    #[test]
    fn footnotes_resolve_within_their_scope() {
        let html = to_html_scoped("Text[^1].\n\n[^1]: Not.\n", 3, "p16-2");
        assert!(html.contains("href=\"#t-p16-2-1\""), "{html}");
        assert!(html.contains("id=\"t-p16-2-1\""), "{html}");
    }

    #[test]
    fn plain_text_joins_words() {
        assert_eq!(
            to_plain_text("Styrelsen *beslutar*\natt fastställa.\n\n- a\n- b"),
            "Styrelsen beslutar att fastställa. a b"
        );
    }
}
