//! E-signature appendices: the keys of BankID's answers (v5 and v6 `completionData`), of other
//! Swedish e-identification and e-signing services' JSON, and the encoded blobs they carry
//! (certificates, OCSP responses, signed XML, JSON Web Tokens).
//!
//! A key counts where it stands as a key: before `:` or `=`, not continuing a longer word.
//! Distinctive keys count bare (`ocspResponse: …`, as YAML or a pasted log has them); keys that
//! are also ordinary English words count only quoted, as JSON writes them (`"signature":`).

use std::ops::Range;

/// Keys that only e-identification data uses, compared without regard to ASCII case.
const KEYS: [&str; 44] = [
    "ssn",
    "client_ip",
    "clientip",
    "order_ref",
    "orderref",
    "qr_secret",
    "qr_start_secret",
    "qrstartsecret",
    "qr_start_token",
    "qrstarttoken",
    "autostart_token",
    "autostarttoken",
    "bankid_signatures",
    "personal_number",
    "personalnumber",
    "personal_identity_number",
    "personalidentitynumber",
    "personal_id",
    "personalid",
    "national_identity_number",
    "nationalidentitynumber",
    "social_security_number",
    "socialsecuritynumber",
    "socialno",
    "social_no",
    "ocsp_response",
    "ocspresponse",
    "completion_data",
    "completiondata",
    "bankid_issue_date",
    "bankidissuedate",
    "ip_address",
    "ipaddress",
    "given_name",
    "givenname",
    "uhi",
    "signatory_ip",
    "signer_ip",
    "signeripaddress",
    "user_ip",
    "userip",
    "registrationlevel",
    "identityscheme",
    "nin",
];

/// Keys that are also ordinary words: only a quoted key counts.
const QUOTED_KEYS: [&str; 9] = [
    "signature",
    "surname",
    "mrtd",
    "stepup",
    "risk",
    "hintcode",
    "birthdate",
    "dateofbirth",
    "date_of_birth",
];

fn key_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The keys of e-signature data in `text`: each range covers the key with its quotes and the
/// `:` or `=`; the second value is the key as written.
pub fn keys(text: &str) -> Vec<(Range<usize>, String)> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    for at in memchr::memchr2_iter(b':', b'=', bytes) {
        let mut end = at;
        while end > 0 && matches!(bytes[end - 1], b' ') {
            end -= 1;
        }
        let quoted = end > 0 && matches!(bytes[end - 1], b'"' | b'\'');
        if quoted {
            end -= 1;
        }
        let start = bytes[..end]
            .iter()
            .rposition(|&b| !key_byte(b))
            .map_or(0, |i| i + 1);
        if start == end || end - start > 32 {
            continue;
        }
        let key = text[start..end].to_ascii_lowercase();
        let known = KEYS.contains(&key.as_str())
            || (quoted
                && start > 0
                && bytes[start - 1] == bytes[end]
                && QUOTED_KEYS.contains(&key.as_str()));
        if known {
            let from = if quoted && start > 0 {
                start - 1
            } else {
                start
            };
            found.push((from..at + 1, text[start..end].to_string()));
        }
    }
    found
}

/// Base64 runs that are e-signature payloads: DER certificates and OCSP responses (`MII…`),
/// signed XML (`PD94…`, `<?xml`), and JSON Web Tokens (`eyJ….….…`). An image in a `data:` URL
/// is not one.
pub fn blobs(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let b64 = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'-' | b'_');
    let mut found = Vec::new();
    for prefix in ["MII", "PD94", "eyJ"] {
        for at in memchr::memmem::find_iter(bytes, prefix.as_bytes()) {
            if at > 0 && b64(bytes[at - 1]) {
                continue;
            }
            if text[..at].ends_with("base64,") {
                continue;
            }
            let run = if prefix == "eyJ" {
                // header.payload.signature
                let mut end = at;
                let mut parts = 0;
                loop {
                    let len = bytes[end..].iter().take_while(|&&b| b64(b)).count();
                    if len < 10 {
                        break;
                    }
                    parts += 1;
                    end += len;
                    if bytes.get(end) == Some(&b'.') && parts < 3 {
                        end += 1;
                    } else {
                        break;
                    }
                }
                (parts == 3).then_some(end)
            } else {
                let len = bytes[at..].iter().take_while(|&&b| b64(b)).count();
                (len >= 64).then_some(at + len)
            };
            if let Some(end) = run {
                found.push(at..end);
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key_names(text: &str) -> Vec<String> {
        keys(text).into_iter().map(|(_, k)| k).collect()
    }

    #[test]
    fn bankid_v6_completion_data() {
        let json = r#"{"orderRef":"x","status":"complete","completionData":{"user":{"personalNumber":"x","name":"A B","givenName":"A","surname":"B"},"device":{"ipAddress":"x","uhi":"x"},"bankIdIssueDate":"2020-01-01","signature":"x","ocspResponse":"x"}}"#;
        let found = key_names(json);
        for key in [
            "orderRef",
            "completionData",
            "personalNumber",
            "givenName",
            "surname",
            "ipAddress",
            "uhi",
            "bankIdIssueDate",
            "signature",
            "ocspResponse",
        ] {
            assert!(found.iter().any(|k| k == key), "{key}: {found:?}");
        }
    }

    #[test]
    fn ordinary_words_before_a_colon_are_not_keys() {
        for text in [
            "Signature: Anna",
            "Risk: låg",
            "Beslut: bifall",
            "xssn: 1",
            "Kl 13:00",
            "href=\"/a\"",
            "\"name\": \"Styrelsen\"",
        ] {
            assert!(keys(text).is_empty(), "{text}: {:?}", keys(text));
        }
        assert_eq!(key_names("order_ref=abc"), ["order_ref"]);
        assert_eq!(key_names("ocspResponse : MIIx"), ["ocspResponse"]);
    }

    #[test]
    fn encoded_payloads() {
        let cert = format!("\"x\": \"MII{}\"", "A".repeat(80));
        assert_eq!(blobs(&cert).len(), 1);
        let jwt = "token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxOTgyMDYyOTEyMzIifQ.c2lnbmF0dXJlX2hlcmU";
        assert_eq!(blobs(jwt).len(), 1);
        let image = format!("url(data:image/svg+xml;base64,PD94{})", "A".repeat(80));
        assert!(blobs(&image).is_empty());
        assert!(blobs("MIIA kort").is_empty());
    }
}
