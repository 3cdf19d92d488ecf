//! The privacy guard: personnummer, samordningsnummer, masked birth dates, e-signature data, IP
//! addresses and private contact details must never reach the web (BRIEF §5; GDPR, IMY).
//!
//! Detection is deliberately strict about what counts as a personal identity number (a real date,
//! day + 60 for samordningsnummer, a valid Luhn check digit) so that amounts, dates, decision ids and
//! organisationsnummer pass, and deliberately broad about signature appendices and IP addresses.
//! Messages never repeat a full number: a log is a publication too.

use chrono::NaiveDate;
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

static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    // 10 or 12 digits, optionally with - or + before the last four; a masked tail of X or *.
    Regex::new(r"(?:^|[^0-9A-Za-z])((?:\d{2})?\d{6})([-+]?)(\d{4}|[Xx*]{4})(?:[^0-9A-Za-z]|$)")
        .expect("static regex")
});
static IPV4: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^0-9.])((?:\d{1,3}\.){3}\d{1,3})(?:[^0-9.]|\.\D|\.$|$)")
        .expect("static regex")
});
static IPV6: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:^|[^0-9a-f:])((?:[0-9a-f]{1,4}:){2,7}(?::|[0-9a-f]{1,4})(?:[0-9a-f:]*))")
        .expect("static regex")
});
static SIGNATURE_KEYS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)"?\b(ssn|client_ip|order_ref|orderref|qr_secret|qr_start_secret|qr_start_token|autostart_token|bankid_signatures|personal_number|personalnumber)\b"?\s*[:=]"#)
        .expect("static regex")
});
static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+").expect("static regex")
});
static PHONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^0-9])((?:\+46\s?|0)(?:7\d[\s-]?\d{3}[\s-]?\d{2}[\s-]?\d{2}|\d{1,3}-\d{2,3}\s?\d{2}\s?\d{2}))(?:[^0-9]|$)")
        .expect("static regex")
});

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

fn mask(number: &str) -> String {
    let digits: String = number.chars().filter(char::is_ascii_digit).collect();
    let head: String = digits.chars().take(4).collect();
    format!("{head}…-****")
}

/// Finds every occurrence of personal data in `text`.
pub fn scan(text: &str, policy: &Policy) -> Vec<Finding> {
    let mut found = Vec::new();
    let mut push = |kind: Kind, start: usize, end: usize, shown: String| {
        let (line, column) = line_col(text, start);
        found.push(Finding {
            kind,
            start,
            end,
            line,
            column,
            shown,
        });
    };
    for caps in NUMBER.captures_iter(text) {
        let (Some(date), Some(sep), Some(tail)) = (caps.get(1), caps.get(2), caps.get(3)) else {
            continue;
        };
        let date_digits = date.as_str();
        let masked = !tail.as_str().bytes().all(|b| b.is_ascii_digit());
        // Without a separator, 10 digits is YYMMDDNNNN and 12 is YYYYMMDDNNNN; both are covered.
        let Some(coordination) = birth_date_kind(date_digits) else {
            continue;
        };
        let start = date.start();
        let end = tail.end();
        if masked {
            // A masked 10-digit form (`820629-XXXX`) reveals less; only the full birth date counts.
            if date_digits.len() == 8 || !sep.as_str().is_empty() {
                push(
                    Kind::MaskedBirthDate,
                    start,
                    end,
                    format!("{}…-XXXX", &date_digits[..4]),
                );
            }
            continue;
        }
        let ten: Vec<u8> = date_digits[date_digits.len() - 6..]
            .bytes()
            .chain(tail.as_str().bytes())
            .map(|b| b - b'0')
            .collect();
        if luhn_valid(&ten) {
            let kind = if coordination {
                Kind::Samordningsnummer
            } else {
                Kind::Personnummer
            };
            push(kind, start, end, mask(&text[start..end]));
        }
    }
    for caps in IPV4.captures_iter(text) {
        let Some(m) = caps.get(1) else { continue };
        if m.as_str()
            .split('.')
            .all(|o| o.parse::<u16>().is_ok_and(|v| v <= 255) && (o == "0" || !o.starts_with('0')))
        {
            push(Kind::IpAddress, m.start(), m.end(), "x.x.x.x".into());
        }
    }
    for caps in IPV6.captures_iter(text) {
        let Some(m) = caps.get(1) else { continue };
        let s = m.as_str();
        // Times (13:00) and ratios never have three colons; require hex groups that look like v6.
        if s.matches(':').count() >= 3
            && s.chars().any(|c| c.is_ascii_hexdigit())
            && !s.ends_with(':')
            || s.contains("::") && s.len() > 3
        {
            push(Kind::IpAddress, m.start(), m.end(), "x:x::x".into());
        }
    }
    for m in SIGNATURE_KEYS.find_iter(text) {
        push(
            Kind::SignatureData,
            m.start(),
            m.end(),
            m.as_str()
                .trim_matches(|c| c == '"' || c == ':' || c == '=' || c == ' ')
                .to_string(),
        );
    }
    for m in EMAIL.find_iter(text) {
        if !policy.email_allowed(m.as_str()) {
            push(Kind::Email, m.start(), m.end(), m.as_str().to_string());
        }
    }
    for caps in PHONE.captures_iter(text) {
        let Some(m) = caps.get(1) else { continue };
        push(Kind::Phone, m.start(), m.end(), m.as_str().to_string());
    }
    found.sort_by_key(|f| (f.start, f.end));
    found.dedup_by(|b, a| a.start <= b.start && b.end <= a.end && a.kind.blocks_publication());
    found
}

/// Replaces every finding with a visible marker, never silently.
pub fn redact(text: &str, findings: &[Finding]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for f in findings {
        if f.start < at {
            continue;
        }
        out.push_str(&text[at..f.start]);
        out.push_str(&format!("[borttaget: {}]", f.kind.rule_id()));
        at = f.end;
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
    fn reports_never_show_the_full_number() {
        let f = &scan("198001012387", &Policy::default())[0];
        assert!(!f.shown.contains("012387"), "{}", f.shown);
        assert_eq!((f.line, f.column), (1, 1));
    }
}
