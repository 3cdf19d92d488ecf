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

/// The `content` of the page's `<meta http-equiv="Content-Security-Policy">`, if it has exactly
/// one, in `<head>` before anything the page loads.
fn meta_policy(html: &str) -> Result<String, String> {
    let all = tags(html);
    let metas: Vec<_> = all
        .iter()
        .filter(|t| {
            t.name == "meta"
                && t.attr("http-equiv")
                    .is_some_and(|v| v.eq_ignore_ascii_case("content-security-policy"))
        })
        .collect();
    let [meta] = metas.as_slice() else {
        return Err(format!("{} CSP-meta", metas.len()));
    };
    let first_load = all
        .iter()
        .find(|t| matches!(t.name.as_str(), "link" | "script" | "img" | "style"))
        .map_or(usize::MAX, |t| t.start);
    let head_end = html.find("</head>").unwrap_or(0);
    if meta.start > first_load || meta.start > head_end {
        return Err("CSP-meta efter det första som sidan hämtar".into());
    }
    Ok(meta.attr("content").unwrap_or_default().to_string())
}

fn assert_every_page_carries_the_policy(out: &Path) {
    use protokoll::security::{CONTENT_SECURITY_POLICY, EMBED_CONTENT_SECURITY_POLICY};
    let pages = html_pages(out);
    assert!(pages.len() >= 5, "only {} pages", pages.len());
    let mut failures = Vec::new();
    for (file, html) in &pages {
        let embed = file.parent().and_then(Path::file_name) == Some("inbaddning".as_ref());
        let header = if embed {
            EMBED_CONTENT_SECURITY_POLICY
        } else {
            CONTENT_SECURITY_POLICY
        };
        // The header's policy without frame-ancestors, which a browser ignores in a meta.
        let expected = header.split("; frame-ancestors").next().unwrap_or_default();
        match meta_policy(html) {
            Ok(policy) if policy == expected => {}
            Ok(policy) => failures.push(format!("{}: {policy}", file.display())),
            Err(e) => failures.push(format!("{}: {e}", file.display())),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_page_of_the_example_archive_and_the_fixtures_carries_the_policy_in_a_meta() {
    let (_dir, out) = build_example();
    assert_every_page_carries_the_policy(&out);
    assert!(
        out.join("soderasen/inbaddning/index.html").is_file(),
        "the embed page is among them"
    );
    for name in ["xss", "subpath", "check-sent-anslag"] {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        build_ok(&fixture(name), &out);
        assert_every_page_carries_the_policy(&out);
    }
}

/// A protocol with images and embeds from other hosts: each is reported at its file and line,
/// a warning that lets the build through, an error with `strikt = true`.
#[test]
fn images_and_embeds_from_other_hosts_are_reported_at_their_line_and_fail_a_strict_build() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("arkiv");
    copy_site(&repo(), &site);
    let protocol = site.join("content/soderasen/protokoll/2025-03-11.md");
    let text = read(&protocol);
    let loads = [
        "![Karta](https://kartor.example/karta.png)",
        "<img alt=\"Logga\" src=\"https://bilder.example/logga.png\">",
        "<iframe src=\"https://video.example/embed/1\"></iframe>",
        "<video><source src=\"//video.example/film.mp4\"></video>",
        "<img srcset=\"egen.png 1x, https://bilder.example/stor.png 2x\" alt=\"x\">",
    ];
    let mut with = text.clone();
    with.push_str("\n\nBilder:\n\n");
    let first_line = with.lines().count() + 1;
    for l in loads {
        with.push_str(l);
        with.push_str("\n\n");
    }
    std::fs::write(&protocol, &with).unwrap();
    let out = dir.path().join("public");
    let run = build_ok(&site, &out);
    let report = format!("{}{}", run.stdout, run.stderr);
    for (i, url) in [
        "https://kartor.example/karta.png",
        "https://bilder.example/logga.png",
        "https://video.example/embed/1",
        "//video.example/film.mp4",
        "https://bilder.example/stor.png",
    ]
    .iter()
    .enumerate()
    {
        let line = first_line + 2 * i;
        let at = format!("2025-03-11.md:{line}:");
        assert!(
            report.lines().any(|l| l.contains(&at)
                && l.contains("varning [extern-resurs]")
                && l.contains(url)),
            "{url} is not reported at line {line}:\n{report}"
        );
    }
    // Nothing of it reaches the pages: the sanitiser removes the embeds, and the image that
    // stays is the policy's to block.
    let page = read(&out.join("soderasen/protokoll/2025-03-11/index.html"));
    assert!(!page.contains("video.example"), "an embed reached the page");

    let toml = read(&site.join("site.toml"));
    std::fs::write(site.join("site.toml"), format!("strikt = true\n{toml}")).unwrap();
    let strict = build(&site, &dir.path().join("strikt"));
    assert!(
        !strict.ok(),
        "a strict build went through:\n{}",
        strict.stdout
    );
    let report = format!("{}{}", strict.stdout, strict.stderr);
    assert!(
        report.contains(&format!("2025-03-11.md:{first_line}:"))
            && report.contains("fel [extern-resurs]"),
        "{report}"
    );
    assert!(!dir.path().join("strikt/index.html").exists());
}
