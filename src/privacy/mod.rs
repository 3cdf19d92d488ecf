//! The privacy guard: personnummer, samordningsnummer, masked birth dates, e-signature data, IP
//! addresses and private contact details must never reach the web (BRIEF §5; GDPR, IMY).
//!
//! Detection is deliberately strict about what counts as a personal identity number (a real date,
//! day + 60 for samordningsnummer, a valid Luhn check digit) so that amounts, dates, decision ids and
//! organisationsnummer pass, and deliberately broad about signature appendices and IP addresses.
//! Messages never repeat a full number: a log is a publication too.

mod identity;
mod network;
pub mod normalize;
mod signature;

use chrono::NaiveDate;
use normalize::View;
use regex::Regex;
use serde::Serialize;
use std::sync::LazyLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Personnummer,
    Samordningsnummer,
    /// `19820629XXXX`: the number is hidden but the birth date is not.
    MaskedBirthDate,
    /// A key of an e-signature appendix (`ssn`, `client_ip`, `order_ref`, `qr_secret`, …).
    SignatureData,
    IpAddress,
    Email,
    Phone,
}

impl Kind {
    pub fn rule_id(self) -> &'static str {
        match self {
            Kind::Personnummer => "personnummer",
            Kind::Samordningsnummer => "samordningsnummer",
            Kind::MaskedBirthDate => "maskerat-fodelsedatum",
            Kind::SignatureData => "signaturdata",
            Kind::IpAddress => "ip-adress",
            Kind::Email => "e-post",
            Kind::Phone => "telefonnummer",
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Kind::Personnummer => "ett personnummer",
            Kind::Samordningsnummer => "ett samordningsnummer",
            Kind::MaskedBirthDate => "ett maskerat personnummer som avslöjar ett födelsedatum",
            Kind::SignatureData => "uppgifter från en e-signaturbilaga",
            Kind::IpAddress => "en IP-adress",
            Kind::Email => "en e-postadress som inte är godkänd för publicering",
            Kind::Phone => "ett telefonnummer",
        }
    }

    /// Every kind, for looking a rule id up.
    pub const ALL: [Kind; 7] = [
        Kind::Personnummer,
        Kind::Samordningsnummer,
        Kind::MaskedBirthDate,
        Kind::SignatureData,
        Kind::IpAddress,
        Kind::Email,
        Kind::Phone,
    ];

    /// Whether a diagnostic code is one of the guard's rule ids.
    pub fn is_rule_id(code: &str) -> bool {
        Kind::ALL.iter().any(|k| k.rule_id() == code)
    }

    /// Identity numbers, signature data and IP addresses block a build; contact details warn.
    pub fn blocks_publication(self) -> bool {
        !matches!(self, Kind::Email | Kind::Phone)
    }
}

/// One occurrence of personal data in a text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub kind: Kind,
    /// Byte range in the scanned text.
    pub start: usize,
    pub end: usize,
    pub line: usize,
    pub column: usize,
    /// A safe rendering for reports, e.g. `1980…-****`.
    pub shown: String,
    /// What makes two findings the same number (digits without separators), to find in a
    /// source file what a generated page shows. Never reported: it is the number itself.
    #[serde(skip)]
    pub key: String,
}

/// What may be published although it looks like contact data.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    /// Exact e-mail addresses allowed (functional addresses such as `info@förbund.se`).
    pub allowed_emails: Vec<String>,
    /// Domains whose addresses are allowed (e.g. the förbund's own).
    pub allowed_domains: Vec<String>,
}

impl Policy {
    fn email_allowed(&self, email: &str) -> bool {
        let lower = email.to_lowercase();
        self.allowed_emails
            .iter()
            .any(|a| a.to_lowercase() == lower)
            || lower.rsplit_once('@').is_some_and(|(_, domain)| {
                self.allowed_domains.iter().any(|d| {
                    domain == d.to_lowercase()
                        || domain.ends_with(&format!(".{}", d.to_lowercase()))
                })
            })
    }
}

/// Luhn check over the ten digits `YYMMDDNNNN`.
pub fn luhn_valid(digits: &[u8]) -> bool {
    if digits.len() != 10 {
        return false;
    }
    let sum: u32 = digits
        .iter()
        .enumerate()
        .map(|(i, &d)| {
            let d = u32::from(d);
            if i % 2 == 0 {
                let x = d * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// Whether `yymmdd`/`yyyymmdd` is a real birth date; `Some(true)` for a samordningsnummer (day + 60).
fn birth_date_kind(date_digits: &str) -> Option<bool> {
    let (year, rest) = if date_digits.len() == 8 {
        (date_digits[..4].parse::<i32>().ok()?, &date_digits[4..])
    } else {
        // A 10-digit number does not say its century; any century with a real date counts.
        (
            2000 + date_digits[..2].parse::<i32>().ok()?,
            &date_digits[2..],
        )
    };
    if date_digits.len() == 8 && !(1850..=2100).contains(&year) {
        return None;
    }
    let month: u32 = rest[..2].parse().ok()?;
    let day: u32 = rest[2..4].parse().ok()?;
    let (day, coordination) = if day > 60 {
        (day - 60, true)
    } else {
        (day, false)
    };
    let real = |y: i32| NaiveDate::from_ymd_opt(y, month, day).is_some();
    let ok = if date_digits.len() == 8 {
        real(year)
    } else {
        real(year) || real(year - 100)
    };
    ok.then_some(coordination)
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// Finds what must never be published (identity numbers, signature data, IP addresses), skipping
/// the contact-detail checks that only warn: the guard over generated pages.
pub fn scan_blocking(text: &str) -> Vec<Finding> {
    scan_with(text, &Policy::default(), false)
}

/// Finds every occurrence of personal data in `text`.
pub fn scan(text: &str, policy: &Policy) -> Vec<Finding> {
    scan_with(text, policy, true)
}

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+").expect("static regex")
});
static PHONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:\+46\s?|0)(?:7[0-9][\s-]?[0-9]{3}[\s-]?[0-9]{2}[\s-]?[0-9]{2}|[0-9]{1,3}-[0-9]{2,3}\s?[0-9]{2}\s?[0-9]{2})",
    )
    .expect("static regex")
});

/// True when the characters around `start..end` do not continue the token (no letter or digit).
fn isolated(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    let free = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
    free(before) && free(after)
}

fn scan_with(text: &str, policy: &Policy, contact_details: bool) -> Vec<Finding> {
    let view = View::of(text);
    let mut found = Vec::new();
    let mut push = |kind: Kind, range: std::ops::Range<usize>, shown: String, key: String| {
        let (line, column) = line_col(text, range.start);
        found.push(Finding {
            kind,
            start: range.start,
            end: range.end,
            line,
            column,
            shown,
            key,
        });
    };
    // Numbers are looked for in the view as it is, with inline markup taken out (what a reader
    // sees of `<b>820629</b>-1232`), and with only the brackets of inline tags and comments
    // taken out (`<span title="820629**1232**">`, `<!-- 820629**1232** -->`).
    let joined = view.without_markup(normalize::Markup::Joined);
    let opened = view
        .has_markup_around_digits()
        .then(|| view.without_markup(normalize::Markup::Opened))
        .flatten();
    let mut views: Vec<(&View, Option<&View>)> = vec![(&view, None)];
    for p in [&joined, &opened].into_iter().flatten() {
        views.push((p, Some(&view)));
    }
    for (v, outer) in views {
        let back = |r: std::ops::Range<usize>| {
            let r = v.original_range(r);
            match outer {
                Some(o) => o.original_range(r),
                None => r,
            }
        };
        for f in identity::find(&v.text) {
            push(f.kind, back(f.range), f.shown, f.key);
        }
        for r in network::ipv4(&v.text) {
            let key = v.text[r.clone()].to_string();
            push(Kind::IpAddress, back(r), "x.x.x.x".into(), key);
        }
    }
    for r in network::ipv6(&view.text) {
        let key = view.text[r.clone()].to_ascii_lowercase();
        push(
            Kind::IpAddress,
            view.original_range(r),
            "x:x::x".into(),
            key,
        );
    }
    for (r, key) in signature::keys(&view.text) {
        push(
            Kind::SignatureData,
            view.original_range(r),
            key.clone(),
            key,
        );
    }
    for r in signature::blobs(&view.text) {
        let shown = format!("{}…", &view.text[r.start..r.start + 3]);
        push(
            Kind::SignatureData,
            view.original_range(r),
            shown,
            String::new(),
        );
    }
    if contact_details {
        for m in EMAIL.find_iter(&view.text) {
            if !policy.email_allowed(m.as_str()) {
                let shown = m.as_str().to_string();
                push(
                    Kind::Email,
                    view.original_range(m.range()),
                    shown.clone(),
                    shown,
                );
            }
        }
        for m in PHONE.find_iter(&view.text) {
            if isolated(&view.text, m.start(), m.end()) {
                let shown = m.as_str().to_string();
                push(
                    Kind::Phone,
                    view.original_range(m.range()),
                    shown.clone(),
                    shown,
                );
            }
        }
    }
    // The same number seen in both views, or inside a longer form of itself (`19 820629-1232`),
    // is one finding: the widest.
    found.sort_by_key(|f| (f.start, std::cmp::Reverse(f.end)));
    let mut kept: Vec<Finding> = Vec::with_capacity(found.len());
    for f in found {
        let inside = kept.iter().rev().take(8).any(|k| {
            k.start <= f.start
                && f.end <= k.end
                && (k.kind == f.kind || k.kind.blocks_publication())
        });
        if !inside {
            kept.push(f);
        }
    }
    kept
}

/// Where in `source` (a content file) the number of `finding` (found in a page made from it)
/// stands, as line and column: the same finding in the source, or else the finding's digits in
/// the same order, whatever stands between them (markup, escapes, separators).
pub fn locate(source: &str, finding: &Finding) -> Option<(usize, usize)> {
    if let Some(f) = scan_blocking(source)
        .into_iter()
        .find(|f| f.kind == finding.kind && f.key == finding.key)
    {
        return Some((f.line, f.column));
    }
    let view = View::of(source);
    let key: Vec<u8> = finding.key.bytes().filter(u8::is_ascii_digit).collect();
    if key.len() < 4 {
        let at = view
            .text
            .to_ascii_lowercase()
            .find(&finding.key.to_ascii_lowercase())?;
        return Some(line_col(source, view.original(at, false)));
    }
    let digits: Vec<(u8, usize)> = view
        .text
        .bytes()
        .enumerate()
        .filter(|(_, b)| b.is_ascii_digit())
        .map(|(i, b)| (b, i))
        .collect();
    let at = digits
        .windows(key.len())
        .find(|w| w.iter().map(|d| d.0).eq(key.iter().copied()))?[0]
        .1;
    Some(line_col(source, view.original(at, false)))
}

/// Replaces every finding with a visible marker, never silently. Overlapping findings (an IPv4
/// address whose tail also reads as an IPv6 address, found by the fuzzer) become one marker that
/// covers them all, named after the first that blocks publication.
pub fn redact(text: &str, findings: &[Finding]) -> String {
    let mut sorted: Vec<&Finding> = findings.iter().collect();
    sorted.sort_by_key(|f| (f.start, std::cmp::Reverse(f.end)));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    let mut i = 0;
    while i < sorted.len() {
        let first = sorted[i];
        let (start, mut end, mut kind) = (first.start.max(at), first.end, first.kind);
        i += 1;
        while i < sorted.len() && sorted[i].start < end {
            end = end.max(sorted[i].end);
            if !kind.blocks_publication() && sorted[i].kind.blocks_publication() {
                kind = sorted[i].kind;
            }
            i += 1;
        }
        if end <= start {
            continue;
        }
        out.push_str(&text[at..start]);
        out.push_str(&format!("[borttaget: {}]", kind.rule_id()));
        at = end;
    }
    out.push_str(&text[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<Kind> {
        scan(text, &Policy::default())
            .into_iter()
            .map(|f| f.kind)
            .collect()
    }

    #[test]
    fn personnummer_in_every_form() {
        // 198001012387 is the seed's; 196606064571 too (both Luhn-valid test numbers).
        for text in [
            "198001012387",
            "19800101-2387",
            "800101-2387",
            "8001012387",
            "800101+2387",
            "ssn 196606064571.",
        ] {
            let k = kinds(text);
            assert!(k.contains(&Kind::Personnummer), "{text}: {k:?}");
        }
    }

    #[test]
    fn luhn_and_date_are_required() {
        assert!(kinds("198001012388").is_empty(), "wrong check digit");
        assert!(kinds("19801301-2387").is_empty(), "month 13");
    }

    #[test]
    fn samordningsnummer_has_day_plus_sixty() {
        // 1980-01-01 as samordningsnummer: day 61. Check digit computed for 8001612384.
        let ten: Vec<u8> = "800161238".bytes().map(|b| b - b'0').collect();
        let check = (0..10).find(|&c| {
            let mut v = ten.clone();
            v.push(c);
            luhn_valid(&v)
        });
        let number = format!("19800161-238{}", check.unwrap());
        assert_eq!(kinds(&number), vec![Kind::Samordningsnummer], "{number}");
    }

    #[test]
    fn masked_birth_dates() {
        assert_eq!(
            kinds("\"ssn\": \"19820629XXXX\""),
            vec![Kind::SignatureData, Kind::MaskedBirthDate]
        );
        assert_eq!(kinds("19820629-****"), vec![Kind::MaskedBirthDate]);
    }

    #[test]
    fn ip_addresses_and_signature_keys() {
        assert_eq!(
            kinds("\"client_ip\": \"192.0.2.14\","),
            vec![Kind::SignatureData, Kind::IpAddress]
        );
        assert_eq!(kinds("från 2001:db8::1 kl"), vec![Kind::IpAddress]);
        assert!(kinds("kl 13:00-15:00, avsnitt 3.1.2").is_empty());
    }

    #[test]
    fn no_false_positives_on_protocol_text() {
        let text = "Budget 3 084 000 kr och 1 542 000 kr. Mötet 2025-03-11 kl 13.00–14.30.\n\
                    Beslut 2025-3 §14:2. Organisationsnummer 222000-1347 och 16222000-1347.\n\
                    Diarienummer 2024-00123. Justerad 250312. Avsnitt 1.2.3. Totalt 10 674 888 kr.\n\
                    Tid 09.00 - 12.00, 2020-11-16, 201116, 20211231.";
        let found = scan(text, &Policy::default());
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn contact_details_respect_the_allow_list() {
        let policy = Policy {
            allowed_emails: vec!["webb@example.se".into()],
            allowed_domains: vec!["soderasen.se".into()],
        };
        let found: Vec<Kind> = scan(
            "webb@example.se, info@soderasen.se, anna.svensson@gmail.com, 070-123 45 67",
            &policy,
        )
        .into_iter()
        .map(|f| f.kind)
        .collect();
        assert_eq!(found, vec![Kind::Email, Kind::Phone]);
    }

    #[test]
    fn redaction_marks_every_removal() {
        let text = "Signerat av 198001012387 från 192.0.2.14.";
        let found = scan(text, &Policy::default());
        assert_eq!(
            redact(text, &found),
            "Signerat av [borttaget: personnummer] från [borttaget: ip-adress]."
        );
    }

    #[test]
    fn digits_of_every_script_are_digits() {
        // The fuzzer once found a crash in slicing such digits; now they are read as what a
        // reader sees: the Arabic-Indic and full-width forms of a personnummer and an address.
        let text = "Åsa Öberg \u{202d}198001012387\u{202c} ١٩٨٠٠١٠١٢٣٨٧ e\u{301} ١٩٢.٠.٢.١٤";
        let found = scan(text, &Policy::default());
        assert_eq!(
            found.iter().map(|f| f.kind).collect::<Vec<_>>(),
            vec![Kind::Personnummer, Kind::Personnummer, Kind::IpAddress],
            "{found:?}"
        );
        assert_eq!(&text[found[0].start..found[0].end], "198001012387");
        assert_eq!(&text[found[2].start..found[2].end], "١٩٢.٠.٢.١٤");
        assert!(scan("٩٩٩٩٩٩٩٩٩٩٩٩ ２０２５", &Policy::default()).is_empty());
    }

    #[test]
    fn signature_keys_followed_at_once_by_their_value() {
        // Found by the fuzzer: `isolated` also looked after the `:`/`=`, so a key written without
        // a space before its value was missed, and turned up only once a neighbour was redacted.
        assert_eq!(kinds("order_ref=abc123"), vec![Kind::SignatureData]);
        assert_eq!(
            kinds("bankid_signatures:bankid_signatures:x"),
            vec![Kind::SignatureData, Kind::SignatureData]
        );
        let f = &scan("qr_secret:\tabc", &Policy::default())[0];
        assert_eq!(f.shown, "qr_secret");
        assert!(
            kinds("xssn: 1").is_empty(),
            "a longer word that ends in ssn"
        );
        let text = "o qr_secret: y personal_number=198001012387 bankid_signatures:o s";
        let found = scan(text, &Policy::default());
        assert!(
            scan_blocking(&redact(text, &found)).is_empty(),
            "{}",
            redact(text, &found)
        );
    }

    #[test]
    fn a_double_colon_alone_is_not_an_ip_address() {
        // Found by the fuzzer: `::` parses as the IPv6 unspecified address, so ordinary text
        // with a double colon blocked the build as if it published an IP address.
        for text in [
            "Se nedan ::",
            "Punkt 3 :: klar",
            "cafe:: och dead::beef",
            "a :: b",
        ] {
            assert!(kinds(text).is_empty(), "{text}: {:?}", kinds(text));
        }
        assert_eq!(kinds("från fe80::1 kl"), vec![Kind::IpAddress]);
        assert_eq!(kinds("från ::1 kl"), vec![Kind::IpAddress]);
    }

    #[test]
    fn overlapping_findings_are_redacted_whole() {
        // Found by the fuzzer: `192.0.2.1::1` is an IPv4 address whose tail `1::1` also reads as
        // an IPv6 address; redaction skipped the second and left `::1` in the text.
        let text = "\"client_ip\": \"192.0.2.1::1 kl";
        let found = scan(text, &Policy::default());
        assert!(found.len() >= 3, "{found:?}");
        let redacted = redact(text, &found);
        assert_eq!(
            redacted, "[borttaget: signaturdata] \"[borttaget: ip-adress] kl",
            "{found:?}"
        );
        assert!(scan_blocking(&redacted).is_empty());
    }

    #[test]
    fn a_page_finding_is_located_in_its_source() {
        let source = "---\ntitel: x\n---\n\nText\n8206&shy;29\n-12&#51;2 slut\n";
        let page = "<p>8206\u{ad}29 -1232</p>";
        let f = &scan_blocking(page)[0];
        assert_eq!(locate(source, f), Some((6, 1)));
    }

    #[test]
    fn reports_never_show_the_full_number() {
        let f = &scan("198001012387", &Policy::default())[0];
        assert!(!f.shown.contains("012387"), "{}", f.shown);
        assert_eq!((f.line, f.column), (1, 1));
    }

    /// Forms written after the matcher, to see that it holds for the family and not only for
    /// the forms it was written from (tests/guard.rs has those).
    #[test]
    fn held_out_forms() {
        // 820629-1232 and 19750314-4821 have valid check digits.
        for text in [
            "(820629-1232)",
            "pnr: 820629-1232,",
            "personnummer 19820629-1232.",
            "820629\t1232",
            "820629 -1232",
            "820629- 1232",
            "82 06 29-1232",
            "19820629 \u{2013} 1232",
            "820629\u{a0}\u{2011}\u{a0}1232",
            "820629&#x2011;1232",
            "820629\\u00a01232",
            "８２０６２９－１２３２",
            "?pnr=19820629-1232&x=1",
            "<td>19750314-4821</td>",
            "750314-48\n21",
        ] {
            let k = kinds(text);
            assert!(k.contains(&Kind::Personnummer), "{text:?}: {k:?}");
        }
    }

    proptest::proptest! {
        /// Whatever the text, every finding is a non-empty range on character boundaries of the
        /// original, at its line and column, over texts dense in what the view rewrites.
        #[test]
        fn findings_are_ranges_of_the_original(
            text in "([0-9]{1,8}|[-+./: \n*_`<>!&#;xX]|&#[0-9]{2,4};|&nbsp;|\\u2011|<b>|</b>|<!--|-->|\u{a0}|\u{ad}|\u{200b}|\u{2011}|\u{ff11}|\u{661}|é|ß|\u{1d7cf}){0,40}"
        ) {
            for f in scan(&text, &Policy::default()) {
                proptest::prop_assert!(f.start < f.end && f.end <= text.len(), "{:?}", f);
                proptest::prop_assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end));
                proptest::prop_assert_eq!((f.line, f.column), line_col(&text, f.start));
            }
        }
    }
}
