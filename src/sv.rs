//! Swedish as the archive writes it for readers: numbers grouped by thousands, counted nouns in
//! the right number, and the operating system's errors in Swedish.

/// "1 plan", "2 planer", "0 planer": a count with its noun (or adjective) in the right number.
/// Every message that counts something goes through this one helper.
pub fn antal(n: usize, singular: &str, plural: &str) -> String {
    format!("{n} {}", if n == 1 { singular } else { plural })
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
    fn one_is_singular_everything_else_plural() {
        assert_eq!(antal(1, "plan", "planer"), "1 plan");
        assert_eq!(antal(0, "plan", "planer"), "0 planer");
        assert_eq!(antal(2, "varning", "varningar"), "2 varningar");
        assert_eq!(antal(1, "fel", "fel"), "1 fel");
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
