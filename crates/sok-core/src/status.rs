//! The status line over the results, in Swedish: the same words from the server, the command
//! line and the browser.

/// What the status line tells.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Status<'a> {
    /// The query as typed.
    pub query: &'a str,
    pub total: usize,
    /// Results that meet every word.
    pub complete: usize,
    /// A search by filters alone.
    pub browse: bool,
    /// The query with its corrections.
    pub corrected: Option<&'a str>,
    /// The meeting date (or range) read from the query, ISO.
    pub date: Option<&'a str>,
    pub invalid_date: Option<&'a str>,
    /// When nothing is found: how many hits there would be without each chosen filter
    /// ("förbundet", "året", "typen"), from the facet counts (each counted without its own filter).
    pub without: Vec<(&'a str, usize)>,
}

fn hits(n: usize) -> String {
    if n == 1 {
        "1 träff".to_string()
    } else {
        format!("{n} träffar")
    }
}

/// The status line (plain text).
pub fn status(s: &Status) -> String {
    let q = s.query.trim();
    let mut out = String::new();
    if let Some(d) = s.invalid_date {
        out.push_str(&format!("Datumet ”{d}” finns inte. "));
    }
    if let Some(c) = s.corrected {
        out.push_str(&format!(
            "Menade du ”{}”? Visar träffar för det. ",
            c.trim()
        ));
    }
    out.push_str(&if s.browse {
        match (s.total, q.is_empty()) {
            (0, true) => "Inga träffar med de valen.".to_string(),
            (n, true) => format!("{}, nyast först.", hits(n)),
            (0, false) => format!("Inga träffar för ”{q}”."),
            (n, false) => format!("{} för ”{q}”, nyast först.", hits(n)),
        }
    } else if s.total == 0 {
        format!("Inga träffar för ”{q}”.")
    } else if s.complete == s.total {
        format!("{} för ”{q}”.", hits(s.total))
    } else if s.complete == 0 {
        format!("{} för ”{q}”, ingen med alla ord.", hits(s.total))
    } else {
        format!(
            "{} för ”{q}”, {} med alla ord först.",
            hits(s.total),
            s.complete
        )
    });
    if let Some(d) = s.date {
        out.push_str(&format!(" Sammanträden {d}."));
    }
    if s.total == 0 {
        let offers: Vec<String> = s
            .without
            .iter()
            .filter(|(_, n)| *n > 0)
            .map(|(what, n)| format!("utan valet av {what}: {}", hits(*n)))
            .collect();
        if !offers.is_empty() {
            out.push_str(&format!(" Närmast: {}.", offers.join(", ")));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_status_says_what_was_found_and_how() {
        let s = |total, complete| Status {
            query: "budget ",
            total,
            complete,
            ..Status::default()
        };
        assert_eq!(status(&s(0, 0)), "Inga träffar för ”budget”.");
        assert_eq!(status(&s(1, 1)), "1 träff för ”budget”.");
        assert_eq!(
            status(&s(5, 2)),
            "5 träffar för ”budget”, 2 med alla ord först."
        );
        assert_eq!(
            status(&s(5, 0)),
            "5 träffar för ”budget”, ingen med alla ord."
        );
        let corrected = Status {
            corrected: Some("budget"),
            invalid_date: Some("2025-02-30"),
            ..s(3, 3)
        };
        assert_eq!(
            status(&corrected),
            "Datumet ”2025-02-30” finns inte. Menade du ”budget”? Visar träffar för det. 3 träffar för ”budget”."
        );
        let browse = Status {
            query: "",
            browse: true,
            date: Some("2025-03-11"),
            ..s(4, 4)
        };
        assert_eq!(
            status(&browse),
            "4 träffar, nyast först. Sammanträden 2025-03-11."
        );
    }
}
