//! The URL scheme: one place that knows every address the site promises (`docs/urls.md`).
//!
//! Every link is an absolute path under the site's base path, so the archive works under a
//! sub-path such as `/finsam/`.

use std::path::PathBuf;

#[derive(Debug, Clone)]
pub struct Urls {
    /// Starts and ends with `/`.
    base: String,
}

impl Urls {
    pub fn new(base_path: &str) -> Self {
        Urls {
            base: base_path.to_string(),
        }
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    fn join(&self, rest: &str) -> String {
        format!("{}{}", self.base, rest)
    }

    pub fn home(&self) -> String {
        self.join("")
    }
    pub fn forbund_list(&self) -> String {
        self.join("forbund/")
    }
    pub fn forbund(&self, slug: &str) -> String {
        self.join(&format!("{slug}/"))
    }
    pub fn protocol(&self, slug: &str, id: &str) -> String {
        self.join(&format!("{slug}/protokoll/{id}/"))
    }
    pub fn paragraph(&self, slug: &str, id: &str, number: u32) -> String {
        format!("{}#p{number}", self.protocol(slug, id))
    }
    pub fn plan(&self, slug: &str, id: &str) -> String {
        self.join(&format!("{slug}/planer/{id}/"))
    }
    pub fn year(&self, year: i32) -> String {
        self.join(&format!("ar/{year}/"))
    }
    pub fn forbund_year(&self, slug: &str, year: i32) -> String {
        self.join(&format!("{slug}/ar/{year}/"))
    }
    pub fn anslagstavla(&self) -> String {
        self.join("anslagstavla/")
    }
    pub fn forbund_anslagstavla(&self, slug: &str) -> String {
        self.join(&format!("{slug}/anslagstavla/"))
    }
    pub fn accessibility(&self) -> String {
        self.join("tillganglighet/")
    }
    pub fn search(&self) -> String {
        self.join("sok/")
    }
    pub fn not_found(&self) -> String {
        self.join("404.html")
    }
    /// Atom feed of the newest protocols of every förbund.
    pub fn feed(&self) -> String {
        self.join("flode.xml")
    }
    /// Atom feed of a förbund's protocols.
    pub fn forbund_feed(&self, slug: &str) -> String {
        self.join(&format!("{slug}/flode.xml"))
    }
    /// Atom feed of a förbund's notices, as they are posted.
    pub fn notices_feed(&self, slug: &str) -> String {
        self.join(&format!("{slug}/anslagstavla/flode.xml"))
    }
    /// iCalendar of a förbund's coming board meetings.
    pub fn meetings_calendar(&self, slug: &str) -> String {
        self.join(&format!("{slug}/kalender.ics"))
    }
    /// iCalendar of a förbund's notice periods (posted to last appeal day).
    pub fn notices_calendar(&self, slug: &str) -> String {
        self.join(&format!("{slug}/anslagstavla/kalender.ics"))
    }
    /// JSON of a förbund: profile and document list (an OParl Body).
    pub fn forbund_data(&self, slug: &str) -> String {
        self.join(&format!("{slug}/forbund.json"))
    }
    /// JSON of one protocol (an OParl Meeting).
    pub fn protocol_data(&self, slug: &str, id: &str) -> String {
        format!("{}protokoll.json", self.protocol(slug, id))
    }
    /// JSON list of every förbund.
    pub fn data_index(&self) -> String {
        self.join("data/forbund.json")
    }
    /// The page a förbund shows in an iframe on its own site.
    pub fn embed(&self, slug: &str) -> String {
        self.join(&format!("{slug}/inbaddning/"))
    }
    /// The same facts as the embed page, as JSON.
    pub fn embed_data(&self, slug: &str) -> String {
        self.join(&format!("{slug}/inbaddning.json"))
    }
    /// The förbund's timeline image.
    pub fn timeline(&self, slug: &str) -> String {
        self.join(&format!("{slug}/tidslinje.svg"))
    }
    pub fn sitemap(&self) -> String {
        self.join("sitemap.xml")
    }
    /// Part `n` (1-based) of a sitemap split into several files.
    pub fn sitemap_part(&self, n: usize) -> String {
        self.join(&format!("sitemap-{n}.xml"))
    }
    pub fn robots(&self) -> String {
        self.join("robots.txt")
    }

    pub fn asset(&self, name: &str) -> String {
        self.join(&format!("assets/{name}"))
    }

    /// The file (relative to the output folder) that serves a URL of this site.
    pub fn file_for(&self, url: &str) -> Option<PathBuf> {
        let path = url.split('#').next()?.split('?').next()?;
        let rest = path.strip_prefix(&self.base)?;
        let mut file = PathBuf::new();
        for segment in rest.split('/').filter(|s| !s.is_empty()) {
            if segment == ".." || segment == "." || segment.contains('\\') {
                return None;
            }
            file.push(segment);
        }
        if rest.is_empty() || rest.ends_with('/') {
            file.push("index.html");
        }
        Some(file)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_live_under_the_base_path() {
        let u = Urls::new("/finsam/");
        assert_eq!(
            u.paragraph("soderasen", "2025-03-11", 16),
            "/finsam/soderasen/protokoll/2025-03-11/#p16"
        );
        assert_eq!(
            u.file_for("/finsam/soderasen/protokoll/2025-03-11/#p16"),
            Some(PathBuf::from("soderasen/protokoll/2025-03-11/index.html"))
        );
        assert_eq!(u.file_for("/finsam/"), Some(PathBuf::from("index.html")));
        assert_eq!(
            u.file_for("/finsam/assets/style.css"),
            Some(PathBuf::from("assets/style.css"))
        );
        assert_eq!(u.file_for("/annat/"), None);
        assert_eq!(u.file_for("/finsam/../etc/passwd"), None);
    }
}
