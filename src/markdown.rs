//! Markdown to safe HTML: pulldown-cmark for the syntax, ammonia for the sanitising.
//!
//! Content comes from many hands (and from imported PDFs), so every rendered fragment passes the
//! sanitiser: no scripts, no event handlers, no `javascript:` or `data:` URLs. `id` and `class`
//! survive so that authors can anchor and style their own text. Table alignment is turned into
//! classes because inline `style` attributes would break a strict Content-Security-Policy.

use pulldown_cmark::{Options, Parser, html};
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

/// Renders Markdown to sanitised HTML.
pub fn to_html(markdown: &str) -> String {
    let parser = Parser::new_ext(markdown, options());
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut raw, parser);
    let raw = raw
        .replace(" style=\"text-align: right\"", " class=\"hoger\"")
        .replace(" style=\"text-align: center\"", " class=\"mitten\"")
        .replace(" style=\"text-align: left\"", " class=\"vanster\"");
    link_author_ids(&SANITIZER.clean(&raw).to_string())
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
