//! The privacy scanner: never panics, and every finding is a non-empty range of whole characters
//! inside the text whose line and column are those of its start.
#![no_main]

use libfuzzer_sys::fuzz_target;
use protokoll::load::position_of;
use protokoll::privacy::{self, Kind, Policy};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let policy = Policy {
        allowed_emails: vec!["info@example.se".into()],
        allowed_domains: vec!["soderasen.se".into()],
    };
    for (found, blocking_only) in [
        (privacy::scan(text, &policy), false),
        (privacy::scan_blocking(text), true),
    ] {
        for f in &found {
            assert!(f.start < f.end && f.end <= text.len(), "{f:?}");
            assert!(
                text.is_char_boundary(f.start),
                "start inside a character: {f:?}"
            );
            assert!(
                text.is_char_boundary(f.end),
                "end inside a character: {f:?}"
            );
            let pos = position_of(text, f.start);
            assert_eq!((pos.line, pos.column), (f.line, f.column), "{f:?}");
            assert!(!blocking_only || f.kind.blocks_publication(), "{f:?}");
        }
        // Redaction removes exactly what was found: with the markers taken out, the redacted
        // text is the text outside every finding (no byte of a finding survives, nothing else
        // is lost), and there is a marker whenever something was found.
        let redacted = privacy::redact(text, &found);
        let mut covered = vec![false; text.len()];
        for f in &found {
            covered[f.start..f.end].iter_mut().for_each(|c| *c = true);
        }
        let outside: String = text
            .char_indices()
            .filter(|(i, _)| !covered[*i])
            .map(|(_, c)| c)
            .collect();
        let markers: Vec<String> = [
            Kind::Personnummer,
            Kind::Samordningsnummer,
            Kind::MaskedBirthDate,
            Kind::SignatureData,
            Kind::IpAddress,
            Kind::Email,
            Kind::Phone,
        ]
        .iter()
        .map(|k| format!("[borttaget: {}]", k.rule_id()))
        .collect();
        let strip = |s: &str| {
            markers
                .iter()
                .fold(s.to_string(), |s, m| s.replace(m.as_str(), ""))
        };
        assert_eq!(strip(&redacted), strip(&outside), "{found:?}");
        assert!(found.is_empty() || redacted.contains("[borttaget: "));
    }
});
