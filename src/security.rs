//! The HTTP headers the site is meant to be served with, in one place: `protokoll serve` sends
//! them, `docs/deploy.md` shows them for nginx and Apache, and the browser suite serves the built
//! site with them and asserts the pages break none of them (`tests/browser/csp.test.js`).
//!
//! The pages carry no inline script, no `<style>` and no `style` attribute (`tests/security.rs`
//! checks every built page), so a strict Content-Security-Policy costs them nothing.

/// The Content-Security-Policy of every page except the embed pages. `'wasm-unsafe-eval'` lets
/// the search page compile its analysis (sok-analys.wasm, a file of the site); it allows no
/// JavaScript eval.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self' 'wasm-unsafe-eval'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'";

/// The policy of the embed pages (`/<förbund>/inbaddning/`), which other sites may frame.
pub const EMBED_CONTENT_SECURITY_POLICY: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors *";

/// No access to the visitor's devices or sensors; the archive needs none.
pub const PERMISSIONS_POLICY: &str = "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()";

/// Directives a browser ignores in a `<meta http-equiv="Content-Security-Policy">` (CSP 3, §
/// "meta element"), and Chromium reports each one as a console error; the header keeps them.
const HEADER_ONLY_DIRECTIVES: &[&str] = &["frame-ancestors", "report-uri", "sandbox"];

/// `policy` as the page's own `<meta>` carries it: the same directives without the header-only
/// ones, so a site put on a host that sends no headers still refuses other hosts' images,
/// scripts and styles.
pub fn meta_policy(policy: &str) -> String {
    policy
        .split(';')
        .map(str::trim)
        .filter(|d| {
            let name = d.split_whitespace().next().unwrap_or("");
            !d.is_empty() && !HEADER_ONLY_DIRECTIVES.contains(&name)
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Whether a URL path is an embed page: its last folder is `inbaddning`.
pub fn is_embed(path: &str) -> bool {
    let path = path.split(['?', '#']).next().unwrap_or("");
    let trimmed = path.strip_suffix("index.html").unwrap_or(path);
    trimmed.trim_end_matches('/').rsplit('/').next() == Some("inbaddning")
}

/// The security headers for a response to `path` (a URL path, query and fragment ignored).
pub fn headers_for(path: &str) -> Vec<(&'static str, &'static str)> {
    let embed = is_embed(path);
    let mut out = vec![
        (
            "Content-Security-Policy",
            if embed {
                EMBED_CONTENT_SECURITY_POLICY
            } else {
                CONTENT_SECURITY_POLICY
            },
        ),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "no-referrer"),
        ("Permissions-Policy", PERMISSIONS_POLICY),
    ];
    if !embed {
        // For browsers without frame-ancestors; the embed page must send none.
        out.push(("X-Frame-Options", "SAMEORIGIN"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_embed_page_may_be_framed_by_others() {
        for embed in [
            "/finsam/soderasen/inbaddning/",
            "/finsam/soderasen/inbaddning/index.html",
            "/soderasen/inbaddning/?x=1",
        ] {
            let h = headers_for(embed);
            assert_eq!(h[0].1, EMBED_CONTENT_SECURITY_POLICY, "{embed}");
            assert!(!h.iter().any(|(n, _)| *n == "X-Frame-Options"), "{embed}");
        }
        for page in [
            "/finsam/",
            "/finsam/soderasen/",
            "/finsam/inbaddning.json",
            "/finsam/soderasen/inbaddning.json",
            "/finsam/soderasen/protokoll/inbaddning-x/",
        ] {
            let h = headers_for(page);
            assert_eq!(h[0].1, CONTENT_SECURITY_POLICY, "{page}");
            assert!(h.contains(&("X-Frame-Options", "SAMEORIGIN")), "{page}");
        }
    }

    #[test]
    fn the_meta_policy_is_the_header_policy_without_frame_ancestors() {
        for policy in [CONTENT_SECURITY_POLICY, EMBED_CONTENT_SECURITY_POLICY] {
            let meta = meta_policy(policy);
            assert!(!meta.contains("frame-ancestors"), "{meta}");
            let without = policy.rsplit_once("; frame-ancestors").map(|(a, _)| a);
            assert_eq!(Some(meta.as_str()), without);
        }
        assert_eq!(
            meta_policy("default-src 'self';; sandbox; report-uri /x ; img-src data:"),
            "default-src 'self'; img-src data:"
        );
    }

    #[test]
    fn the_policies_are_the_documented_ones() {
        let doc = include_str!("../docs/deploy.md");
        for text in [
            CONTENT_SECURITY_POLICY,
            EMBED_CONTENT_SECURITY_POLICY,
            PERMISSIONS_POLICY,
        ] {
            assert!(doc.contains(text), "docs/deploy.md does not show {text}");
        }
        // 'wasm-unsafe-eval' lets the search page compile its WebAssembly analysis; nothing may
        // allow inline script or JavaScript eval.
        for source in CONTENT_SECURITY_POLICY.split([' ', ';']) {
            assert!(
                !source.contains("unsafe") || source == "'wasm-unsafe-eval'",
                "{source}"
            );
        }
        assert!(!EMBED_CONTENT_SECURITY_POLICY.contains("unsafe"));
        assert!(CONTENT_SECURITY_POLICY.ends_with("frame-ancestors 'self'"));
        assert!(EMBED_CONTENT_SECURITY_POLICY.ends_with("frame-ancestors *"));
    }
}
