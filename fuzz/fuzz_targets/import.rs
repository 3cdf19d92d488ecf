//! The importer on text (`protokoll import` after text extraction): any text either becomes a
//! draft or a typed error, never a panic (in `import_file` a panic is caught and reported as an
//! internal error; here it is a crash). A draft's file name is a plain date or year name that
//! cannot leave its folder, the draft holds nothing the privacy guard blocks, and the loader
//! parses it without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use protokoll::import::report::FileReport;
use protokoll::import::{DocKind, Profile, convert};
use protokoll::load::{parse_plan, parse_protocol};
use protokoll::privacy;
use std::path::Path;

fn plain_name(name: &str, kind: DocKind) -> bool {
    let Some(stem) = name.strip_suffix(".md") else {
        return false;
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let plain = |r: &str| {
        !r.is_empty()
            && r.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    // A protocol without a date is still drafted, under a placeholder name (docs/import.md).
    if let Some(source) = stem.strip_prefix("utan-datum-") {
        return kind == DocKind::Protocol && plain(source);
    }
    match kind {
        DocKind::Plan => stem.len() == 4 && digits(stem),
        DocKind::Protocol => {
            let (date, rest) = stem.split_at(stem.len().min(10));
            let parts: Vec<&str> = date.split('-').collect();
            parts.len() == 3
                && parts.iter().all(|p| digits(p))
                && (rest.is_empty() || rest.strip_prefix('-').is_some_and(plain))
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(raw) = std::str::from_utf8(data) else {
        return;
    };
    // The same input read as a web copy (`.html`): the HTML reader gives plain text for any
    // markup, broken or not, and that text goes through the same checks.
    let page = protokoll::import::html::to_text(raw);
    for text in [raw, page.as_str()] {
        check(text);
    }
});

fn check(text: &str) {
    let profiles = [Profile {
        slug: "soderasen".into(),
        names: vec![
            "Söderåsens samordningsförbund".into(),
            "Samordningsförbundet Söderåsen".into(),
        ],
        boards: vec!["Söderåsens anslagstavla".into()],
    }];
    for forbund in [Some("fuzz"), None] {
        let mut report = FileReport::new("fuzz.txt".into());
        let Ok(c) = convert(text, forbund, &profiles, &mut report) else {
            continue;
        };
        assert!(
            plain_name(&c.file_name, c.kind),
            "the draft's file name {:?} is not a plain name",
            c.file_name
        );
        if let Some(slug) = &c.forbund {
            assert!(
                slug == "fuzz" || profiles.iter().any(|p| &p.slug == slug),
                "{slug:?}"
            );
        }
        let left = privacy::scan_blocking(&c.text);
        assert!(
            left.is_empty(),
            "the draft still holds {left:?}:\n{}",
            c.text
        );
        let mut errors = Vec::new();
        let path = Path::new(&c.file_name);
        match c.kind {
            DocKind::Protocol => {
                let _ = parse_protocol(&c.text, path, &mut errors);
            }
            DocKind::Plan => {
                let _ = parse_plan(&c.text, path, &mut errors);
            }
        }
    }
}
