//! Issue 8, Content-Security-Policy: the built pages carry no inline script and no inline style,
//! so the strict policy of `src/security.rs` (`script-src 'self'; style-src 'self'`) blocks
//! nothing of the site's own. Checked on every page of the example archive and of the XSS fixture,
//! and shown to fail on a template with inline code. The browser suite (`csp.test.js`) serves the
//! same sites with the policy and counts the browser's own violation reports.

mod common;

use common::*;
use std::path::Path;

/// Everything in a page that a policy without `'unsafe-inline'` would block: `<script>` without
/// `src` (or with a body), `<style>` elements, `style` attributes, event handler attributes and
/// `javascript:` URLs.
fn inline_code(html: &str) -> Vec<String> {
    let mut problems = Vec::new();
    for tag in tags(html) {
        match tag.name.as_str() {
            "script" => {
                let body = &outer(html, &tag)[tag.end - tag.start..];
                if tag.attr("src").is_none_or(str::is_empty) {
                    problems.push(format!("<script> utan src vid byte {}", tag.start));
                } else if body != "</script>" {
                    problems.push(format!("<script src> med innehåll vid byte {}", tag.start));
                }
            }
            "style" => problems.push(format!("<style> vid byte {}", tag.start)),
            _ => {}
        }
        for (name, value) in &tag.attrs {
            if name == "style" {
                problems.push(format!("style=\"{value}\" på <{}>", tag.name));
            }
            if name.starts_with("on") {
                problems.push(format!("{name}=\"{value}\" på <{}>", tag.name));
            }
            if value.trim().to_lowercase().starts_with("javascript:") {
                problems.push(format!("{name}=\"{value}\" på <{}>", tag.name));
            }
        }
    }
    // The tag scanner reads start tags; make sure none hides from it.
    let lower = html.to_lowercase();
    let scripts = tags(html).iter().filter(|t| t.name == "script").count();
    if lower.matches("<script").count() != scripts {
        problems.push("fler <script än skript-taggar".into());
    }
    if lower.contains("<style") && !problems.iter().any(|p| p.starts_with("<style>")) {
        problems.push("<style".into());
    }
    problems
}

fn assert_no_inline_code(out: &Path) {
    let pages = html_pages(out);
    assert!(pages.len() >= 10, "only {} pages", pages.len());
    let mut failures = Vec::new();
    for (file, html) in &pages {
        let problems = inline_code(html);
        if !problems.is_empty() {
            failures.push(format!("{}: {}", file.display(), problems.join("; ")));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn no_page_of_the_example_archive_has_inline_script_or_style() {
    let (_dir, out) = build_example();
    assert_no_inline_code(&out);
}

#[test]
fn no_page_of_the_xss_fixture_has_inline_script_or_style() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build_ok(&fixture("xss"), &out);
    assert_no_inline_code(&out);
}

#[test]
fn the_check_finds_inline_script_and_style_in_a_template() {
    // The example archive with a base template that has each kind of inline code once.
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("arkiv");
    copy_site(&repo(), &site);
    let base = read(&repo().join("themes/default/templates/base.html"));
    let broken = base
        .replace(
            "</head>",
            "<style>p { color: red; }</style>\n<script>window.x = 1;</script>\n</head>",
        )
        .replace(
            "<main id=\"innehall\"",
            "<main style=\"color: red\" onclick=\"x()\" id=\"innehall\"",
        );
    assert_ne!(broken, base);
    std::fs::create_dir_all(site.join("templates")).unwrap();
    std::fs::write(site.join("templates/base.html"), broken).unwrap();
    let out = dir.path().join("public");
    build_ok(&site, &out);
    let pages = html_pages(&out);
    let html = pages
        .get(Path::new("index.html"))
        .expect("the start page was built");
    let problems = inline_code(html);
    for expected in [
        "<style>",
        "<script> utan src",
        "style=\"color: red\" på <main>",
        "onclick=\"x()\" på <main>",
    ] {
        assert!(
            problems.iter().any(|p| p.starts_with(expected)),
            "missed {expected}: {problems:?}"
        );
    }
}
