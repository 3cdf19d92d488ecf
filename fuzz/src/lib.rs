//! Shared pieces of the fuzz targets: a browser-like look at generated HTML, and arbitrary dates.

use chrono::{Datelike, NaiveDate};
use html5ever::tendril::TendrilSink;
use html5ever::{QualName, local_name, ns};
use markup5ever_rcdom::{Handle, NodeData, RcDom};

/// Elements that must never come out of the Markdown renderer: they run script, load other
/// documents, change where links go or carry inline style.
const FORBIDDEN_ELEMENTS: &[&str] = &[
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "meta", "link",
    "style", "svg", "math", "form", "template", "noscript",
];

/// Attributes that hold a URL a browser may follow or load.
const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "cite",
    "poster",
    "background",
    "data",
    "srcset",
    "ping",
    "longdesc",
    "xlink:href",
];

/// What a browser makes of a URL attribute's scheme: it ignores ASCII tab and newlines anywhere,
/// and leading C0 controls and spaces.
fn url_scheme_text(value: &str) -> String {
    value
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect::<String>()
        .trim_start_matches(|c: char| c <= ' ')
        .to_ascii_lowercase()
}

/// The problems a browser would run into in an HTML fragment: elements that run script, event
/// handler or style attributes, `javascript:`, `vbscript:` or `data:` URLs. Empty when safe.
pub fn unsafe_html(html: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let lower = html.to_ascii_lowercase();
    if lower.contains("<script") {
        problems.push("the text `<script` is in the output".to_string());
    }
    let dom = html5ever::parse_fragment(
        RcDom::default(),
        html5ever::ParseOpts::default(),
        QualName::new(None, ns!(html), local_name!("div")),
        vec![],
        false,
    )
    .one(html);
    walk(&dom.document, &mut problems);
    problems
}

fn walk(node: &Handle, problems: &mut Vec<String>) {
    if let NodeData::Element { name, attrs, .. } = &node.data {
        let element = name.local.to_ascii_lowercase();
        if FORBIDDEN_ELEMENTS.contains(&element.as_str()) {
            problems.push(format!("element <{element}>"));
        }
        for attr in attrs.borrow().iter() {
            let attr_name = match &attr.name.prefix {
                Some(prefix) => format!("{prefix}:{}", attr.name.local),
                None => attr.name.local.to_string(),
            }
            .to_ascii_lowercase();
            if attr_name.starts_with("on") {
                problems.push(format!("event handler {attr_name} on <{element}>"));
            }
            if matches!(attr_name.as_str(), "style" | "srcdoc") {
                problems.push(format!("attribute {attr_name} on <{element}>"));
            }
            let value = url_scheme_text(&attr.value);
            if URL_ATTRIBUTES.contains(&attr_name.as_str())
                && ["javascript:", "vbscript:", "data:"]
                    .iter()
                    .any(|s| value.starts_with(s))
            {
                problems.push(format!(
                    "{attr_name}={:?} on <{element}>",
                    attr.value.to_string()
                ));
            }
        }
    }
    for child in node.children.borrow().iter() {
        walk(child, problems);
    }
}

/// A date anywhere in chrono's range from four bytes (little-endian `i32`): negative values land
/// in 1900–2200, where the Swedish calendar matters; 0–1023 are the first days chrono can
/// represent and the 1024 largest values its last days; the rest spread over the whole range
/// (year ±262 143).
pub fn date_from(bytes: [u8; 4]) -> NaiveDate {
    let raw = i32::from_le_bytes(bytes);
    let min = i64::from(NaiveDate::MIN.num_days_from_ce());
    let max = i64::from(NaiveDate::MAX.num_days_from_ce());
    let days = if raw < 0 {
        let start =
            i64::from(NaiveDate::from_ymd_opt(1900, 1, 1).map_or(0, |d| d.num_days_from_ce()));
        start + i64::from(raw).rem_euclid(300 * 366)
    } else if raw < 1024 {
        min + i64::from(raw)
    } else if raw > i32::MAX - 1024 {
        max - i64::from(i32::MAX - raw)
    } else {
        min + i64::from(raw).rem_euclid(max - min + 1)
    };
    i32::try_from(days)
        .ok()
        .and_then(NaiveDate::from_num_days_from_ce_opt)
        .unwrap_or(NaiveDate::MIN)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_checker_finds_what_it_looks_for() {
        assert!(unsafe_html("<p class=\"k\">ok <a href=\"https://x.se/\">x</a></p>").is_empty());
        for bad in [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "<a href=\" jav&#x09;ascript:alert(1)\">x</a>",
            "<a href=\"data:text/html,x\">x</a>",
            "<svg><circle/></svg>",
            "<p style=\"color:red\">x</p>",
        ] {
            assert!(!unsafe_html(bad).is_empty(), "{bad}");
        }
    }
}

/// One way of nesting: text before and after each level (`("(", ")")`, `(">", "")`).
pub type Nesting = (&'static str, &'static str);

/// Deep nesting built from a fuzz input: its first byte picks one of `forms`, its second how
/// deep (0-199 as is, then hundreds up to 5,000, then steps of 20,000 up to 120,000: deep
/// enough for every limit and for the stack overflows that came before them), and the rest is
/// the text in the middle. `None` for inputs shorter than two bytes.
pub fn deep(data: &[u8], forms: &[Nesting]) -> Option<(String, usize)> {
    let (&form, rest) = data.split_first()?;
    let (&level, inner) = rest.split_first()?;
    let depth = match level {
        0..=199 => usize::from(level),
        200..=249 => usize::from(level - 199) * 100,
        _ => usize::from(level - 249) * 20_000,
    };
    let (open, close) = *forms.get(usize::from(form) % forms.len().max(1))?;
    let inner = String::from_utf8_lossy(inner);
    let mut text = String::with_capacity((open.len() + close.len()) * depth + inner.len());
    for _ in 0..depth {
        text.push_str(open);
    }
    text.push_str(&inner);
    for _ in 0..depth {
        text.push_str(close);
    }
    Some((text, depth))
}

#[cfg(test)]
mod deep_tests {
    use super::deep;

    #[test]
    fn the_second_byte_sets_the_depth_and_the_first_the_form() {
        let forms = [("(", ")"), ("NOT ", "")];
        assert_eq!(deep(b"\x00\x02ab", &forms), Some(("((ab))".to_string(), 2)));
        assert_eq!(deep(b"\x01\x01a", &forms), Some(("NOT a".to_string(), 1)));
        assert_eq!(deep(b"\x00\xff", &forms).map(|d| d.1), Some(120_000));
        assert_eq!(deep(b"\x00\xc8", &forms).map(|d| d.1), Some(100));
        assert_eq!(deep(b"\x00", &forms), None);
    }
}
