//! Swedish as the archive writes it for readers: numbers grouped by thousands.

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
    fn thousands_are_grouped() {
        assert_eq!(thousands(7), "7");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1 000");
        assert_eq!(thousands(95_999), "95 999");
        assert_eq!(thousands(1_234_567), "1 234 567");
    }
}
