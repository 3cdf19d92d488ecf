//! E-signature appendices: the JSON a signing service appends to a signed PDF (BankID: `ssn`,
//! `client_ip`, `order_ref`, `qr_secret`, …). It holds personnummer and IP addresses and must never
//! be published (BRIEF §5). The whole appendix is cut; only what the archive may show is kept: the
//! day of the last signature (the justering), the signers (to be matched to their roles in the
//! header) and the document checksum.

use crate::privacy;
use chrono::{NaiveDate, NaiveDateTime};
use serde_json::Value;

/// What is kept from a cut appendix.
#[derive(Debug, Clone, Default)]
pub struct Signatures {
    /// First and last line (1-based) of the cut appendix.
    pub lines: (usize, usize),
    pub checksum: Option<String>,
    /// Signers' names as the service wrote them (upper case), with the local day they signed.
    /// Used only to match signers to roles; never written to the draft.
    pub signers: Vec<(String, Option<NaiveDate>)>,
    /// The day the last signature was made (Swedish local time).
    pub last_signed: Option<NaiveDate>,
    /// The appendix could not be read as JSON: it was cut all the same.
    pub unreadable: bool,
    /// The appendix was cut off (its closing brackets missing) and was read after closing it.
    pub truncated: bool,
    /// Personal data found in the cut text, by kind (already masked).
    pub personal_data: Vec<(privacy::Kind, String)>,
    /// Keys of signature data seen (ssn, client_ip, …).
    pub keys: Vec<String>,
}

const MARKERS: &[&str] = &[
    "bankid_signatures",
    "\"ssn\"",
    "client_ip",
    "order_ref",
    "qr_secret",
    "original_checksum",
    "\"signatures\"",
];

/// Finds the end (byte offset after the closing brace) of the JSON value starting at `start`,
/// skipping braces inside strings.
fn balanced_end(text: &str, start: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (i, c) in text[start..].char_indices() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '{' | '[' => depth += 1,
            '}' | ']' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(start + i + c.len_utf8());
                }
            }
            _ => {}
        }
    }
    None
}

/// Closes what a truncated JSON text left open: a string, then its arrays and objects.
fn close_open(text: &str) -> String {
    let mut stack = Vec::new();
    let mut in_string = false;
    let mut escaped = false;
    for c in text.chars() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '{' => stack.push('}'),
            '[' => stack.push(']'),
            '}' | ']' => {
                stack.pop();
            }
            _ => {}
        }
    }
    let mut out = text.trim_end().to_string();
    if in_string {
        out.push('"');
    }
    // A dangling comma or key would still fail; drop it.
    while out.ends_with(',') || out.ends_with(':') {
        out.pop();
    }
    out.extend(stack.into_iter().rev());
    out
}

fn to_local_date(s: &str) -> Option<NaiveDate> {
    use chrono::TimeZone;
    let s = s.trim();
    if let Ok(dt) = chrono::DateTime::parse_from_rfc3339(s) {
        return Some(dt.with_timezone(&chrono_tz::Europe::Stockholm).date_naive());
    }
    // "2025-03-12 10:49" without a zone is the service's local (Swedish) time.
    for fmt in ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(s, fmt) {
            return chrono_tz::Europe::Stockholm
                .from_local_datetime(&dt)
                .earliest()
                .map(|d| d.date_naive())
                .or(Some(dt.date()));
        }
    }
    None
}

fn is_checksum(s: &str) -> bool {
    s.len() >= 32 && s.len() <= 128 && s.chars().all(|c| c.is_ascii_hexdigit())
}

fn walk(v: &Value, out: &mut Signatures) {
    match v {
        Value::Object(map) => {
            for (k, val) in map {
                let key = k.to_lowercase();
                if [
                    "ssn",
                    "client_ip",
                    "order_ref",
                    "qr_secret",
                    "qr_token",
                    "personal_number",
                    "signature",
                    "ocsp_response",
                ]
                .contains(&key.as_str())
                    && !out.keys.contains(&key)
                {
                    out.keys.push(key.clone());
                }
                if key.contains("checksum")
                    && let Some(s) = val.as_str()
                    && is_checksum(s)
                    && out.checksum.is_none()
                {
                    out.checksum = Some(s.to_lowercase());
                }
                walk(val, out);
            }
            // A signer: a name and the moment of signing.
            let name = map
                .get("real_name")
                .or_else(|| map.get("name"))
                .and_then(Value::as_str);
            let when = ["completed_at", "timestamp", "signed_at", "created_at"]
                .iter()
                .find_map(|k| map.get(*k).and_then(Value::as_str).and_then(to_local_date));
            if let Some(name) = name
                && map.contains_key("real_name")
            {
                out.signers.push((name.to_string(), when));
            }
            if let Some(d) = when {
                out.last_signed = Some(out.last_signed.map_or(d, |l| l.max(d)));
            }
        }
        Value::Array(items) => items.iter().for_each(|i| walk(i, out)),
        Value::String(s) => {
            // "Kontrollsumma: d4ae…" inside a signing summary.
            if out.checksum.is_none()
                && let Some(i) = s.to_lowercase().find("kontrollsumma:")
            {
                let rest = &s[i + "kontrollsumma:".len()..];
                let word: String = rest
                    .trim_start()
                    .chars()
                    .take_while(char::is_ascii_hexdigit)
                    .collect();
                if is_checksum(&word) {
                    out.checksum = Some(word.to_lowercase());
                }
            }
        }
        _ => {}
    }
}

/// Cuts every e-signature JSON appendix from `text`. The cut lines become empty lines, so that the
/// line numbers of the rest stay those of the source.
pub fn cut(text: &str) -> (String, Vec<Signatures>) {
    let mut out = text.to_string();
    let mut found = Vec::new();
    let mut search_from = 0;
    while let Some(rel) = out[search_from..].find('{') {
        let start = search_from + rel;
        let end = balanced_end(&out, start);
        let region_end = end.unwrap_or(out.len());
        let region = &out[start..region_end];
        let lower = region.to_lowercase();
        if !MARKERS.iter().any(|m| lower.contains(m)) {
            search_from = start + 1;
            continue;
        }
        let line_start = out[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = out[region_end..]
            .find('\n')
            .map_or(out.len(), |i| region_end + i);
        let mut sig = Signatures::default();
        match serde_json::from_str::<Value>(region) {
            Ok(v) => walk(&v, &mut sig),
            // A cut-off appendix (the PDF's last page missing) is closed and read again.
            Err(_) => match serde_json::from_str::<Value>(&close_open(region)) {
                Ok(v) => {
                    walk(&v, &mut sig);
                    sig.truncated = true;
                }
                Err(_) => sig.unreadable = true,
            },
        }
        let cut_text = &out[line_start..line_end];
        for f in privacy::scan(cut_text, &privacy::Policy::default()) {
            if f.kind != privacy::Kind::SignatureData {
                sig.personal_data.push((f.kind, f.shown));
            }
        }
        let first_line = out[..line_start].matches('\n').count() + 1;
        let newlines = cut_text.matches('\n').count();
        sig.lines = (first_line, first_line + newlines);
        let blank = "\n".repeat(newlines);
        out.replace_range(line_start..line_end, &blank);
        search_from = line_start + blank.len();
        found.push(sig);
        if search_from >= out.len() {
            break;
        }
    }
    (out, found)
}

#[cfg(test)]
mod tests {
    use super::*;

    const APPENDIX: &str = r#"§ 27 Avslutning
Ordföranden avslutar mötet.
{
    "original_checksum": "d4aeb9a1f93ff4d9ff1e72982c00d11b165279d4095275dadff132a6f1c28d99",
    "bankid_signatures": [
        {
            "real_name": "BENGT NILSSON",
            "created_at": "2025-03-12 09:16",
            "order_ref": "0195896d-1c2d-75ce-9fe5-658f5d08e737",
            "full_sign_data": {
                "data": {
                    "summary": "Kontrollsumma: d4aeb9a1f93ff4d9ff1e72982c00d11b165279d4095275dadff132a6f1c28d99\n",
                    "timestamp": "2025-03-11T23:16:24Z",
                    "app_opaque": {"client_ip": "203.0.113.51", "ssn": "196606064571"},
                    "qr_secret": "eb8a023b-3ce5-4142-a1ec-e7d6461b907c"
                },
                "completed_at": "2025-03-11T23:16:40Z"
            }
        }
    ]
}
"#;

    #[test]
    fn the_appendix_is_cut_and_only_safe_facts_kept() {
        let (rest, sigs) = cut(APPENDIX);
        assert_eq!(sigs.len(), 1);
        let s = &sigs[0];
        assert_eq!(
            s.checksum.as_deref(),
            Some("d4aeb9a1f93ff4d9ff1e72982c00d11b165279d4095275dadff132a6f1c28d99")
        );
        // 23:16 UTC on the 11th is 00:16 on the 12th in Sweden.
        assert_eq!(s.last_signed, NaiveDate::from_ymd_opt(2025, 3, 12));
        assert_eq!(s.signers.len(), 1);
        assert_eq!(s.lines.0, 3);
        assert!(s.keys.contains(&"ssn".to_string()));
        let kinds: Vec<_> = s.personal_data.iter().map(|p| p.0).collect();
        assert!(kinds.contains(&privacy::Kind::Personnummer), "{kinds:?}");
        assert!(kinds.contains(&privacy::Kind::IpAddress), "{kinds:?}");
        assert!(
            privacy::scan(&rest, &privacy::Policy::default()).is_empty(),
            "{rest}"
        );
        assert_eq!(rest.lines().count(), APPENDIX.lines().count());
        assert!(rest.starts_with("§ 27 Avslutning\nOrdföranden avslutar mötet.\n"));
    }

    #[test]
    fn an_appendix_without_its_closing_brace_is_still_read() {
        let text = APPENDIX.trim_end().trim_end_matches('}');
        let (rest, sigs) = cut(text);
        assert!(sigs[0].truncated && !sigs[0].unreadable);
        assert!(sigs[0].checksum.is_some());
        assert!(privacy::scan(&rest, &privacy::Policy::default()).is_empty());
    }

    #[test]
    fn a_truncated_appendix_is_cut_to_the_end() {
        let text = "Text före.\n{\n \"bankid_signatures\": [ { \"ssn\": \"198001012387\", \"client_ip\": \"198.51";
        let (rest, sigs) = cut(text);
        assert!(sigs[0].truncated);
        assert_eq!(rest.trim(), "Text före.");
        let (rest, sigs) = cut("Text före.\n{\n \"ssn\": 1980010123 , : ]");
        assert!(sigs[0].unreadable);
        assert_eq!(rest.trim(), "Text före.");
    }

    #[test]
    fn ordinary_braces_stay() {
        let text = "En mängd {a, b} i texten.";
        let (rest, sigs) = cut(text);
        assert!(sigs.is_empty());
        assert_eq!(rest, text);
    }
}
