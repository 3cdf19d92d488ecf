//! Swedish as the archive writes it for readers: numbers grouped by thousands, counted nouns in
//! the right number, and the operating system's errors in Swedish.

/// "1 plan", "2 planer", "0 planer": a count with its noun (or adjective) in the right number.
/// Every message that counts something goes through this one helper.
pub fn antal(n: usize, singular: &str, plural: &str) -> String {
    format!("{n} {}", if n == 1 { singular } else { plural })
}

/// Soft hyphens (U+00AD) at the joints of long Swedish compounds: after a linking s that ends
/// "…ings", "…hets", "…ions", "…tets" or "…nads" ("Samordnings\u{ad}förbundet",
/// "Tillgänglighets\u{ad}redogörelse"), with at least four letters on each side, in words of
/// twelve letters or more. A narrow screen then breaks such a heading as "Samordnings-/förbundet"
/// instead of at an arbitrary letter; elsewhere the hyphens are invisible. Two words joined by a
/// slash may break after it.
pub fn soft_hyphens(text: &str) -> String {
    const JOINTS: [&str; 5] = ["ings", "hets", "ions", "tets", "nads"];
    let mut out = String::with_capacity(text.len() + 8);
    for (i, word) in text.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let letters: Vec<char> = word.chars().collect();
        if letters.iter().filter(|c| c.is_alphabetic()).count() < 12 {
            out.push_str(word);
            continue;
        }
        let lower: Vec<char> = word.to_lowercase().chars().collect();
        for (at, c) in letters.iter().enumerate() {
            out.push(*c);
            let end = at + 1;
            let joint = lower.len() == letters.len()
                && end >= 4
                && end + 4 <= letters.len()
                && letters[end..end + 4].iter().all(|c| c.is_alphabetic())
                && letters[..end]
                    .iter()
                    .rev()
                    .take(4)
                    .all(|c| c.is_alphabetic())
                && JOINTS.iter().any(|j| {
                    let j: Vec<char> = j.chars().collect();
                    lower[end - j.len()..end] == j[..]
                });
            if joint {
                out.push('\u{ad}');
            }
            // "Utvecklingsgruppen/Styrgrupp" is one unbreakable unit to a browser (no break
            // after a slash before a letter): a zero-width space lets it break after the slash.
            if *c == '/'
                && at > 0
                && letters[at - 1].is_alphabetic()
                && letters.get(end).is_some_and(|n| n.is_alphabetic())
            {
                out.push('\u{200b}');
            }
        }
    }
    out
}

/// An I/O error as a webmaster reads it: what happened in Swedish, the system's code kept for
/// searching ("filen eller mappen finns inte (os-fel 2)").
pub fn io_error(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    let what = match e.kind() {
        K::NotFound => "filen eller mappen finns inte",
        K::PermissionDenied => "behörighet saknas",
        K::AlreadyExists => "finns redan",
        K::IsADirectory => "är en mapp, inte en fil",
        K::NotADirectory => "är ingen mapp",
        K::DirectoryNotEmpty => "mappen är inte tom",
        K::ReadOnlyFilesystem => "filsystemet är skrivskyddat",
        K::StorageFull | K::QuotaExceeded => "disken är full",
        K::FileTooLarge => "filen är för stor",
        K::InvalidData => "innehållet går inte att läsa (inte UTF-8?)",
        K::InvalidInput | K::InvalidFilename => "ogiltigt namn eller värde",
        K::TimedOut => "tiden tog slut",
        K::Interrupted => "avbröts",
        K::UnexpectedEof => "filen tog slut för tidigt",
        K::AddrInUse => "adressen eller porten används redan",
        K::AddrNotAvailable => "adressen finns inte på den här datorn",
        K::ConnectionRefused => "anslutningen nekades",
        K::ConnectionReset | K::ConnectionAborted | K::BrokenPipe => "anslutningen bröts",
        K::OutOfMemory => "minnet tog slut",
        K::CrossesDevices => "kan inte flyttas mellan filsystem",
        K::ResourceBusy | K::ExecutableFileBusy => "används av ett annat program",
        _ => "in- eller utmatningsfel",
    };
    match e.raw_os_error() {
        Some(code) => format!("{what} (os-fel {code})"),
        None if e.get_ref().is_some() => format!("{what}: {e}"),
        None => what.to_string(),
    }
}

/// `95999` as `95 999`, `3084000` as `3 084 000`: Swedish digit grouping with spaces.
/// A file size as Swedish readers write it: "182 kB", "1,4 MB" (decimal units; at least 1 kB).
pub fn file_size(bytes: u64) -> String {
    if bytes < 1_000_000 {
        format!("{} kB", bytes.div_ceil(1000).max(1))
    } else {
        format!("{:.1} MB", bytes as f64 / 1_000_000.0).replace('.', ",")
    }
}

pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_sizes_read_as_swedish() {
        assert_eq!(file_size(0), "1 kB");
        assert_eq!(file_size(2_216), "3 kB");
        assert_eq!(file_size(182_000), "182 kB");
        assert_eq!(file_size(1_450_000), "1,4 MB");
    }

    #[test]
    fn one_is_singular_everything_else_plural() {
        assert_eq!(antal(1, "plan", "planer"), "1 plan");
        assert_eq!(antal(0, "plan", "planer"), "0 planer");
        assert_eq!(antal(2, "varning", "varningar"), "2 varningar");
        assert_eq!(antal(1, "fel", "fel"), "1 fel");
    }

    #[test]
    fn long_compounds_get_soft_hyphens_at_their_joints() {
        assert_eq!(
            soft_hyphens("Söderåsens samordningsförbund"),
            "Söderåsens samordnings\u{ad}förbund"
        );
        assert_eq!(
            soft_hyphens("Tillgänglighetsredogörelse"),
            "Tillgänglighets\u{ad}redogörelse"
        );
        assert_eq!(
            soft_hyphens("Förslag till dokumenthanteringsplan"),
            "Förslag till dokumenthanterings\u{ad}plan"
        );
        // Short words, and joints too near an end, are left alone.
        assert_eq!(
            soft_hyphens("Styrelsen 11 mars 2025, protokoll nr 2"),
            "Styrelsen 11 mars 2025, protokoll nr 2"
        );
        assert_eq!(
            soft_hyphens("Verksamhetsberättelsens"),
            "Verksamhets\u{ad}berättelsens"
        );
        assert_eq!(
            soft_hyphens("Organisationsnummer"),
            "Organisations\u{ad}nummer"
        );
        assert_eq!(
            soft_hyphens("Utvecklingsgruppen/Styrgrupp"),
            "Utvecklings\u{ad}gruppen/\u{200b}Styrgrupp"
        );
        // Not in a short word, nor in a date or an address.
        assert_eq!(soft_hyphens("och/eller"), "och/eller");
        assert_eq!(
            soft_hyphens("2025/2026 Verksamhetsplan/budget"),
            "2025/2026 Verksamhets\u{ad}plan/\u{200b}budget"
        );
    }

    #[test]
    fn system_errors_are_swedish_with_their_code() {
        let e = std::fs::read("/finns/inte/alls").unwrap_err();
        assert_eq!(io_error(&e), "filen eller mappen finns inte (os-fel 2)");
        let e = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        assert_eq!(io_error(&e), "behörighet saknas");
    }

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(thousands(7), "7");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1 000");
        assert_eq!(thousands(95_999), "95 999");
        assert_eq!(thousands(1_234_567), "1 234 567");
    }
}
