//! IP addresses, v4 (also with leading zeros) and v6, in a normalised text.
//!
//! Four dotted numbers are also how outlines are numbered ("bilaga 2.1.1.1"): such a number is
//! an address only when a part is over 31, a part is zero-padded to three digits (`010`), or
//! the text right before it says IP. Personal addresses (a signer's `client_ip`) are public
//! ones, and those have a part over 31 whatever the network.

use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

// Patterns without capture groups or Unicode word boundaries, so the regex engine can use its
// fast DFA; boundaries are checked in code. Digits are ASCII `[0-9]`: the view has mapped every
// script's digits to them.
static IPV4: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}").expect("static regex")
});
static IPV6: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[0-9A-Fa-f]{0,4}:[0-9A-Fa-f]{0,4}:[0-9A-Fa-f:.]*").expect("static regex")
});

/// Where a pattern's matches can be, for [`find_in_runs`].
pub(super) struct RunShape {
    /// Every byte the pattern can match.
    member: fn(u8) -> bool,
    /// The next place at or after a position where a match may hold, found without looking at
    /// every byte when the pattern allows it.
    next_anchor: fn(&[u8], usize) -> Option<usize>,
    /// The shortest match.
    min_len: usize,
    /// A byte every match holds at least so many times (the dots of an IPv4 address).
    marks: Option<(u8, usize)>,
}

/// The first position at or after `from` that is a multiple of `stride` and passes `test`. Any
/// `stride` consecutive bytes hold one such multiple, so a pattern whose every match holds
/// `stride` consecutive bytes passing `test` is never stepped over.
fn sampled(bytes: &[u8], from: usize, stride: usize, test: fn(u8) -> bool) -> Option<usize> {
    (from.div_ceil(stride) * stride..bytes.len())
        .step_by(stride)
        .find(|&i| test(bytes[i]))
}

fn ipv4_member(b: u8) -> bool {
    b.is_ascii_digit() || b == b'.'
}

/// An IPv4 address: seven digits and dots in a row at least.
const IPV4_RUNS: RunShape = RunShape {
    member: ipv4_member,
    next_anchor: |bytes, from| sampled(bytes, from, 7, ipv4_member),
    min_len: 7,
    marks: Some((b'.', 3)),
};
/// An IPv6 address: two colons at least.
const IPV6_RUNS: RunShape = RunShape {
    member: |b| b.is_ascii_hexdigit() || b == b':' || b == b'.',
    next_anchor: |bytes, from| memchr::memchr(b':', bytes.get(from..)?).map(|i| from + i),
    min_len: 2,
    marks: Some((b':', 2)),
};

/// The runs of member bytes long enough to hold a match.
fn runs(bytes: &[u8], shape: &RunShape) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(anchor) = (shape.next_anchor)(bytes, from) {
        if !(shape.member)(bytes[anchor]) {
            from = anchor + 1;
            continue;
        }
        let start = bytes[..anchor]
            .iter()
            .rposition(|&b| !(shape.member)(b))
            .map_or(0, |i| i + 1);
        let end = bytes[anchor..]
            .iter()
            .position(|&b| !(shape.member)(b))
            .map_or(bytes.len(), |i| anchor + i);
        let run = &bytes[start..end];
        if run.len() >= shape.min_len
            && shape
                .marks
                .is_none_or(|(mark, least)| run.iter().filter(|&&b| b == mark).count() >= least)
        {
            found.push(start..end);
        }
        from = end + 1;
    }
    found
}

/// The matches of `pattern` in `text`, searched only inside the runs of bytes that can be part of
/// a match and are long enough to hold one. Exact for a pattern that matches nothing but such
/// bytes: no match can cross the edge of a run, so searching run by run finds what a search of
/// the whole text finds. It spares the regex engine reading every byte of every page.
fn find_in_runs<'t>(
    pattern: &'t Regex,
    text: &'t str,
    shape: &RunShape,
) -> impl Iterator<Item = regex::Match<'t>> + 't {
    runs(text.as_bytes(), shape)
        .into_iter()
        .flat_map(move |run| {
            // Runs consist of ASCII bytes, so their edges are character boundaries.
            let haystack = &text[..run.end];
            let mut at = run.start;
            std::iter::from_fn(move || {
                if at >= haystack.len() {
                    return None;
                }
                let m = pattern.find_at(haystack, at)?;
                // The patterns never match the empty string; the guard keeps the loop finite anyway.
                at = m.end().max(at + 1);
                Some(m)
            })
        })
}

/// True when the characters around `start..end` do not continue the token (no letter or digit).
fn isolated(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    let free = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
    free(before) && free(after)
}

/// Whether the few words before `start` name an IP address (`IP`, `ip-adress`, `client_ip`,
/// `IPv4`, `ipAddress`).
fn said_to_be_ip(text: &str, start: usize) -> bool {
    let mut from = start.saturating_sub(24);
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    let window = text[from..start].to_ascii_lowercase();
    let bytes = window.as_bytes();
    window.match_indices("ip").any(|(i, _)| {
        let before = i.checked_sub(1).map(|j| bytes[j]);
        let after = &window[i + 2..];
        before.is_none_or(|b| !b.is_ascii_alphabetic())
            && (after.starts_with(|c: char| !c.is_ascii_alphabetic())
                || after.is_empty()
                || after.starts_with("v4")
                || after.starts_with("v6")
                || after.starts_with("adr")
                || after.starts_with("addr"))
    })
}

/// The IPv4 addresses in `text`.
pub fn ipv4(text: &str) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    for m in find_in_runs(&IPV4, text, &IPV4_RUNS) {
        // "1.2.3.4.5" is a section number, not an address.
        let before_dot = text[..m.start()].ends_with('.');
        let after = &text[m.end()..];
        let continues =
            after.starts_with('.') && after[1..].starts_with(|c: char| c.is_ascii_digit());
        if before_dot || continues || !isolated(text, m.start(), m.end()) {
            continue;
        }
        let parts: Vec<&str> = m.as_str().split('.').collect();
        let values: Vec<u32> = parts.iter().filter_map(|p| p.parse().ok()).collect();
        if values.len() != 4 || values.iter().any(|&v| v > 255) {
            continue;
        }
        let padded = parts.iter().any(|p| p.len() == 3 && p.starts_with('0'));
        let outline = values.iter().all(|&v| v <= 31) && !padded;
        if !outline || said_to_be_ip(text, m.start()) {
            found.push(m.range());
        }
    }
    found
}

/// The IPv6 addresses in `text`.
pub fn ipv6(text: &str) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    for m in find_in_runs(&IPV6, text, &IPV6_RUNS) {
        let candidate = m.as_str().trim_end_matches('.');
        // At least one digit: `::` alone (the unspecified address; found by the fuzzer as a
        // blocking "IP address" in ordinary punctuation) and words of the letters a–f around
        // `::` are not addresses anyone publishes by mistake.
        if candidate.matches(':').count() >= 2
            && candidate.bytes().any(|b| b.is_ascii_digit())
            && isolated(text, m.start(), m.start() + candidate.len())
            && candidate.parse::<std::net::Ipv6Addr>().is_ok()
        {
            found.push(m.start()..m.start() + candidate.len());
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_and_outline_numbers() {
        for text in [
            "192.0.2.14",
            "från 192.000.002.014",
            "010.000.000.001",
            "IP 10.0.0.1",
            "ip-adress: 10.1.2.3",
            "client_ip=10.1.2.3",
            "81.227.12.34",
        ] {
            assert_eq!(ipv4(text).len(), 1, "{text}");
        }
        for text in [
            "bilaga 2.1.1.1",
            "avsnitt 3.2.10.1",
            "1.2.3.4.5",
            "punkt 01.02.03.04",
            "version 1.0.0.0",
            "3.084.000.1200",
        ] {
            assert!(ipv4(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn ipv6_needs_a_digit() {
        assert_eq!(ipv6("från 2001:db8::1 kl").len(), 1);
        assert!(ipv6("Se nedan :: och cafe:: och dead::beef").is_empty());
        assert!(ipv6("kl 13:00-15:00").is_empty());
    }

    proptest::proptest! {
        /// Searching run by run finds exactly what a search of the whole text finds, for texts
        /// dense in the characters the patterns are made of.
        #[test]
        fn run_search_equals_whole_search(text in "[0-9.:+*xXaf å-]{0,60}") {
            for (pattern, shape) in [(&*IPV4, &IPV4_RUNS), (&*IPV6, &IPV6_RUNS)] {
                let whole: Vec<_> = pattern.find_iter(&text).map(|m| m.range()).collect();
                let runs: Vec<_> = find_in_runs(pattern, &text, shape).map(|m| m.range()).collect();
                proptest::prop_assert_eq!(whole, runs, "{:?}", pattern.as_str());
            }
        }
    }
}
