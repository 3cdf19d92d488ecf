//! Excerpts: a window of [`WORDS`] words of a hit's text, cut at word bounds, centred on the
//! place where most of the marked words stand together, with "…" where text is left out. The
//! server and the browser both render results through [`excerpt_html`].

use crate::analysis::next_word;
use crate::query::highlights;

/// Words in an excerpt.
pub const WORDS: usize = 32;

/// HTML with the five special characters escaped.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `text` escaped, with the given byte ranges (sorted, not overlapping) in `<mark>`.
pub fn marked_html(text: &str, marks: &[(usize, usize)]) -> String {
    let mut out = String::new();
    let mut at = 0;
    for &(a, b) in marks {
        if a < at || b > text.len() {
            continue;
        }
        out.push_str(&html_escape(&text[at..a]));
        out.push_str("<mark>");
        out.push_str(&html_escape(&text[a..b]));
        out.push_str("</mark>");
        at = b;
    }
    out.push_str(&html_escape(&text[at..]));
    out
}

/// The words of `text` (byte ranges), up to `limit`.
fn word_ranges(text: &str, limit: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut from = 0;
    while out.len() < limit
        && let Some(w) = next_word(text, from)
    {
        from = w.1;
        out.push(w);
    }
    out
}

/// The first word of the window: the window of [`WORDS`] words that holds the most marked words,
/// then moved so that its marked words stand in its middle.
fn window_start(words: &[(usize, usize)], marked: &[bool]) -> usize {
    if words.len() <= WORDS || !marked.iter().any(|m| *m) {
        return 0;
    }
    let mut best = (0usize, 0usize);
    let mut count = marked[..WORDS].iter().filter(|m| **m).count();
    best.0 = count;
    for start in 1..=words.len() - WORDS {
        count = count + usize::from(marked[start + WORDS - 1]) - usize::from(marked[start - 1]);
        if count > best.0 {
            best = (count, start);
        }
    }
    let inside: Vec<usize> = (best.1..best.1 + WORDS).filter(|&i| marked[i]).collect();
    let (first, last) = (inside[0], inside[inside.len() - 1]);
    let centre = (first + last) / 2;
    centre
        .saturating_sub(WORDS / 2)
        .min(words.len() - WORDS)
        .min(first)
}

/// An excerpt in HTML of the text (of `texts`, the first with the most marked words) for these
/// query stems and typed beginnings: marked words in `<mark>`, "…" where text is left out.
pub fn excerpt_html(texts: &[&str], stems: &[String], prefixes: &[String]) -> String {
    let mut best: Option<(&str, Vec<(usize, usize)>)> = None;
    for t in texts.iter().filter(|t| !t.trim().is_empty()) {
        let h = highlights(t, stems, prefixes);
        if best.as_ref().is_none_or(|(_, b)| h.len() > b.len()) {
            best = Some((t, h));
        }
    }
    let Some((text, marks)) = best else {
        return String::new();
    };
    // Without a mark only the beginning is shown: its words are enough.
    let limit = if marks.is_empty() {
        WORDS + 1
    } else {
        usize::MAX
    };
    let words = word_ranges(text, limit);
    if words.is_empty() {
        return html_escape(text.trim());
    }
    let mut marked = vec![false; words.len()];
    let mut m = marks.iter().peekable();
    for (i, w) in words.iter().enumerate() {
        while m.peek().is_some_and(|x| x.1 <= w.0) {
            m.next();
        }
        marked[i] = m.peek().is_some_and(|x| x.0 < w.1 && x.1 > w.0);
    }
    let first = window_start(&words, &marked);
    let last = (first + WORDS).min(words.len()) - 1;
    let (start, end) = (words[first].0, words[last].1);
    let inside: Vec<(usize, usize)> = marks
        .iter()
        .filter(|m| m.0 >= start && m.1 <= end)
        .map(|m| (m.0 - start, m.1 - start))
        .collect();
    let mut out = String::new();
    if first > 0 {
        out.push('…');
    }
    out.push_str(&marked_html(&text[start..end], &inside));
    if text[end..].chars().any(char::is_alphanumeric) {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::stem;

    fn body(n: usize, at: &[(usize, &str)]) -> String {
        let mut w: Vec<String> = (0..n).map(|i| format!("ord{i}")).collect();
        for (i, s) in at {
            w[*i] = s.to_string();
        }
        w.join(" ")
    }

    #[test]
    fn an_excerpt_is_cut_at_words_and_centred_on_the_match() {
        let text = body(100, &[(60, "Förbundet")]);
        let e = excerpt_html(&[&text], &[stem("förbundet")], &[]);
        assert!(e.starts_with('…') && e.ends_with('…'), "{e}");
        assert!(e.contains("<mark>Förbundet</mark>"), "{e}");
        let words: Vec<&str> = e.trim_matches('…').split(' ').collect();
        assert_eq!(words.len(), WORDS);
        let at = words
            .iter()
            .position(|w| w.contains("mark"))
            .expect("marked");
        assert!((12..=20).contains(&at), "centred: {at} in {e}");
    }

    #[test]
    fn the_window_goes_where_the_marked_words_stand_together() {
        let text = body(
            200,
            &[
                (10, "budget"),
                (150, "budget"),
                (155, "revision"),
                (158, "budget"),
            ],
        );
        let e = excerpt_html(&[&text], &[stem("budget"), stem("revision")], &[]);
        assert_eq!(e.matches("<mark>").count(), 3, "{e}");
    }

    #[test]
    fn a_short_text_is_whole_and_without_dots() {
        let e = excerpt_html(&["Budgeten för 2025."], &[stem("budget")], &[]);
        assert_eq!(e, "<mark>Budgeten</mark> för 2025");
        let e = excerpt_html(&["", "Inget här."], &[stem("budget")], &[]);
        assert_eq!(e, "Inget här");
    }

    #[test]
    fn without_a_match_the_text_begins() {
        let text = body(100, &[]);
        let e = excerpt_html(&[&text], &[stem("saknas")], &[]);
        assert!(e.starts_with("ord0 ") && e.ends_with("ord31…"), "{e}");
    }

    #[test]
    fn escaping() {
        assert_eq!(
            html_escape("a<b> & \"c\" 'd'"),
            "a&lt;b&gt; &amp; &quot;c&quot; &#39;d&#39;"
        );
    }
}
