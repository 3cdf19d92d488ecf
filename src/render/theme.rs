//! The theme: Tera templates and static files. The default theme is compiled into the binary so a
//! new archive builds anywhere; a `themes/<name>/` folder in the site replaces it, and the site's
//! own `templates/` folder overrides single templates of the same name.

use crate::diagnostics::Diagnostic;
use crate::model::Pos;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

macro_rules! embedded {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../themes/default/", $name)))),*]
    };
}

/// The default theme's files, relative to `themes/default/`.
pub const DEFAULT_THEME: &[(&str, &str)] = embedded!(
    "templates/base.html",
    "templates/index.html",
    "templates/forbund_list.html",
    "templates/forbund.html",
    "templates/protocol.html",
    "templates/plan.html",
    "templates/year.html",
    "templates/anslagstavla.html",
    "templates/tillganglighet.html",
    "templates/404.html",
    "templates/sok.html",
    "templates/sok_svar.html",
    "templates/inbaddning.html",
    "templates/anslag_kort.html",
    "templates/atom.xml",
    "templates/sitemap.xml",
    "templates/sitemap_index.xml",
    "templates/robots.txt",
    "static/style.css",
    "static/anslag.js",
    "static/sok.js",
);

/// The search analysis compiled to WebAssembly (crates/sok-wasm, built by scripts/build-wasm).
pub const ANALYSIS_WASM: &[u8] = include_bytes!("../../themes/default/static/sok-analys.wasm");

pub struct Theme {
    tera: tera::Tera,
    /// Static files to copy to `assets/`, by name.
    pub assets: BTreeMap<String, Vec<u8>>,
    /// Where each template came from, for error messages.
    origins: BTreeMap<String, PathBuf>,
    /// Each template's text, by name: the server renders its search page from them.
    sources: BTreeMap<String, String>,
}

/// A Tera engine over `templates` (name, text) with the theme's own filters. The build's theme
/// and the server's search page ([`crate::search::page`]) are made by it, so a template renders
/// alike in both.
pub fn engine<'t>(
    templates: impl IntoIterator<Item = (&'t str, &'t str)>,
) -> Result<tera::Tera, tera::Error> {
    let mut tera = tera::Tera::new();
    // `{{ title | avstava }}`: soft hyphens in long compounds, for headings on narrow screens.
    tera.register_filter(
        "avstava",
        |value: &str, _: tera::Kwargs, _: &tera::State| crate::sv::soft_hyphens(value),
    );
    tera.add_raw_templates(templates)?;
    Ok(tera)
}

fn read_dir_files(dir: &Path) -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    if !dir.is_dir() {
        return out;
    }
    for entry in walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
    {
        if entry.file_type().is_file()
            && let Ok(rel) = entry.path().strip_prefix(dir)
        {
            let name = rel.to_string_lossy().replace('\\', "/");
            if !name.starts_with('.') {
                out.push((name, entry.path().to_path_buf()));
            }
        }
    }
    out
}

/// Templates and static text files are published (the templates' text, the CSS and scripts as
/// they are): the privacy guard reads them like content, and names the file and line.
fn guard_theme_files(
    templates: &BTreeMap<String, (String, PathBuf)>,
    assets: &BTreeMap<String, Vec<u8>>,
    theme_dir: &Path,
) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    for (text, path) in templates.values() {
        errors.extend(crate::load::privacy_diagnostics(
            crate::privacy::scan_blocking(text),
            path,
        ));
    }
    for (name, bytes) in assets {
        // Binary files (images, fonts, the search's wasm) are not text a reader sees.
        let Ok(text) = std::str::from_utf8(bytes) else {
            continue;
        };
        let path = theme_dir.join("static").join(name);
        errors.extend(crate::load::privacy_diagnostics(
            crate::privacy::scan_blocking(text),
            &path,
        ));
    }
    errors
}

impl Theme {
    /// Loads the theme `name` for the site at `root`.
    pub fn load(root: &Path, name: &str) -> Result<Theme, Vec<Diagnostic>> {
        let mut templates: BTreeMap<String, (String, PathBuf)> = BTreeMap::new();
        let mut assets: BTreeMap<String, Vec<u8>> = BTreeMap::new();
        let mut errors = Vec::new();
        let theme_dir = root.join("themes").join(name);
        if name == "default" || !theme_dir.is_dir() {
            if name != "default" {
                errors.push(
                    Diagnostic::error(
                        "tema",
                        &root.join("site.toml"),
                        Pos::default(),
                        format!("temat `{name}` finns inte i themes/"),
                    )
                    .with_hint("ta bort raden `tema` för standardtemat"),
                );
            }
            for (file, text) in DEFAULT_THEME {
                let origin = PathBuf::from("themes/default").join(file);
                if let Some(t) = file.strip_prefix("templates/") {
                    templates.insert(t.to_string(), (text.to_string(), origin));
                } else if let Some(s) = file.strip_prefix("static/") {
                    assets.insert(s.to_string(), text.as_bytes().to_vec());
                }
            }
            assets.insert("sok-analys.wasm".to_string(), ANALYSIS_WASM.to_vec());
        }
        // Files on disk win over the compiled-in copy, so a theme can be edited without rebuilding.
        for (rel, path) in read_dir_files(&theme_dir.join("templates")) {
            match std::fs::read_to_string(&path) {
                Ok(text) => {
                    templates.insert(rel, (text, path));
                }
                Err(e) => errors.push(Diagnostic::error(
                    "tema",
                    &path,
                    Pos::default(),
                    format!("kan inte läsa mallen: {e}"),
                )),
            }
        }
        for (rel, path) in read_dir_files(&theme_dir.join("static")) {
            match std::fs::read(&path) {
                Ok(bytes) => {
                    assets.insert(rel, bytes);
                }
                Err(e) => errors.push(Diagnostic::error(
                    "tema",
                    &path,
                    Pos::default(),
                    format!("kan inte läsa filen: {e}"),
                )),
            }
        }
        for (rel, path) in read_dir_files(&root.join("templates")) {
            match std::fs::read_to_string(&path) {
                Ok(text) => {
                    templates.insert(rel, (text, path));
                }
                Err(e) => errors.push(Diagnostic::error(
                    "mall",
                    &path,
                    Pos::default(),
                    format!("kan inte läsa mallen: {e}"),
                )),
            }
        }
        errors.extend(guard_theme_files(&templates, &assets, &theme_dir));
        let origins: BTreeMap<String, PathBuf> = templates
            .iter()
            .map(|(k, (_, p))| (k.clone(), p.clone()))
            .collect();
        let sources: BTreeMap<String, String> =
            templates.into_iter().map(|(k, (t, _))| (k, t)).collect();
        let tera = engine(sources.iter().map(|(k, t)| (k.as_str(), t.as_str())));
        if let Err(e) = &tera {
            let message = e.to_string();
            let file = origins
                .iter()
                .find(|(k, _)| message.contains(k.as_str()))
                .map(|(_, p)| p.clone())
                .unwrap_or_else(|| theme_dir.join("templates"));
            errors.push(Diagnostic::error(
                "mall",
                &file,
                Pos::default(),
                format!("mallen går inte att tolka: {message}"),
            ));
        }
        let tera = match tera {
            Ok(t) if errors.is_empty() => t,
            _ => return Err(errors),
        };
        let theme = Theme {
            tera,
            assets,
            origins,
            sources,
        };
        // The feed, sitemap and robots.txt templates are rendered once with sample values, so
        // that a mistake in a site's own is reported now, at its file.
        let errors = crate::publish::templates::check(&theme);
        if errors.is_empty() {
            Ok(theme)
        } else {
            Err(errors)
        }
    }

    /// The templates' texts, by name.
    pub fn sources(&self) -> &BTreeMap<String, String> {
        &self.sources
    }

    pub fn origin(&self, template: &str) -> Option<&Path> {
        self.origins.get(template).map(PathBuf::as_path)
    }

    pub fn render(&self, template: &str, context: &tera::Context) -> Result<String, String> {
        self.tera.render(template, context).map_err(|e| {
            let mut message = e.to_string();
            let mut source = std::error::Error::source(&e);
            while let Some(s) = source {
                message.push_str(": ");
                message.push_str(&s.to_string());
                source = s.source();
            }
            message
        })
    }
}
