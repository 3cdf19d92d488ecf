//! Whose folder is the output? The build replaces its output folder whole, so the output may only
//! be a folder the build made itself: never the archive's sources, never somebody else's files.
//!
//! Every output folder the build creates carries the marker file [`MARKER`]; an existing folder
//! without it is refused unless it is empty. Paths are compared after resolving symlinks, `..`
//! and relative parts, so `--utdata ./content/../content` or a link to `content/` is seen for
//! what it is.

use std::io;
use std::path::{Component, Path, PathBuf};

/// The file in every output folder (and staging folder) the build creates: it says the folder is
/// the build's own to replace. It is not part of the site: no page, sitemap or listing names it.
pub const MARKER: &str = ".protokoll-utdata";

/// What the marker says to someone who opens it.
pub const MARKER_TEXT: &str = "Den här mappen skapades av `protokoll build` och ersätts helt vid \
varje bygge.\nLägg inga egna filer här: de försvinner vid nästa bygge.\n";

/// Where the output folder was chosen, so the error can name the setting to change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Setting {
    /// `--utdata` on the command line.
    Flag,
    /// `utdata` in site.toml: the file and the setting's line (`None` when the default is used).
    SiteToml { file: PathBuf, line: Option<usize> },
}

/// How the output relates to a folder of sources.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    Is,
    Contains,
    Inside,
}

/// Why an output folder is refused. Nothing has been written when this is returned.
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    #[error(
        "utdatamappen `{}` {} {what} (`{}`): bygget ersätter hela utdatamappen och skulle radera källfilerna",
        output.display(),
        relation_text(*relation),
        folder.display()
    )]
    Sources {
        output: PathBuf,
        relation: Relation,
        /// The source folder, as resolved.
        folder: PathBuf,
        /// What it is, in words ("arkivets innehållsmapp content/").
        what: &'static str,
    },
    #[error(
        "utdatamappen `{}` finns redan, innehåller {entries} filer eller mappar och skapades inte av protokoll: bygget ersätter hela utdatamappen och skulle radera dem",
        output.display()
    )]
    Foreign { output: PathBuf, entries: usize },
    #[error("utdatamappen `{}` är en fil, inte en mapp", output.display())]
    NotAFolder { output: PathBuf },
    #[error("kan inte avgöra var utdatamappen `{}` ligger: {error}", output.display())]
    Unresolved { output: PathBuf, error: io::Error },
}

fn relation_text(r: Relation) -> &'static str {
    match r {
        Relation::Is => "är",
        Relation::Contains => "innehåller",
        Relation::Inside => "ligger i",
    }
}

/// An output folder the build may replace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owned {
    /// The output folder with symlinks and `..` resolved: the build writes here, so that a link
    /// named `public` is never followed by the removal of the previous site.
    pub target: PathBuf,
    /// An unmarked folder that holds exactly what an older build (before the marker) wrote: it
    /// is taken over, and the user is told.
    pub adopted: bool,
}

/// `path` made absolute with every symlink, `.` and `..` resolved. The output need not exist yet:
/// its nearest existing ancestor is resolved and the rest applied by name, which is what creating
/// the missing folders will do (new folders are not links).
pub fn resolve(path: &Path) -> io::Result<PathBuf> {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()?.join(path)
    };
    let parts: Vec<Component> = absolute.components().collect();
    for split in (0..=parts.len()).rev() {
        let prefix: PathBuf = parts[..split].iter().collect();
        let base = if split == 0 {
            // Only the empty path: `absolute` always has a root.
            PathBuf::from("/")
        } else {
            match prefix.canonicalize() {
                Ok(p) => p,
                Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                Err(e) => return Err(e),
            }
        };
        let mut out = base;
        for c in &parts[split..] {
            match c {
                Component::Normal(n) => out.push(n),
                Component::ParentDir => {
                    out.pop();
                }
                Component::CurDir | Component::RootDir | Component::Prefix(_) => {}
            }
        }
        return Ok(out);
    }
    Ok(absolute)
}

/// The archive's sources: the output may be none of them, contain none and lie in none (the
/// root excepted, where `public/` normally lies).
const SOURCES: [(&str, &str); 4] = [
    ("content", "arkivets innehållsmapp content/"),
    ("themes", "arkivets temamapp themes/"),
    ("templates", "arkivets mallmapp templates/"),
    // The build's own cache and the search server's index: replacing the output would drop them.
    (".protokoll", "arkivets byggcache .protokoll/"),
];

/// Decides whether the build may replace `output` for the archive in `root`. Reads, never writes.
pub fn check(root: &Path, output: &Path) -> Result<Owned, Refusal> {
    let unresolved = |error| Refusal::Unresolved {
        output: output.to_path_buf(),
        error,
    };
    let target = resolve(output).map_err(unresolved)?;
    let root_resolved = resolve(root).map_err(unresolved)?;
    let sources_refusal = |relation, source: &Path, what| Refusal::Sources {
        output: output.to_path_buf(),
        relation,
        folder: source.to_path_buf(),
        what,
    };
    const ROOT: &str = "arkivets mapp (där site.toml ligger)";
    if target == root_resolved {
        return Err(sources_refusal(Relation::Is, &root_resolved, ROOT));
    }
    if root_resolved.starts_with(&target) {
        return Err(sources_refusal(Relation::Contains, &root_resolved, ROOT));
    }
    for (dir, what) in SOURCES {
        let source = resolve(&root.join(dir)).map_err(unresolved)?;
        let relation = if target == source {
            Relation::Is
        } else if source.starts_with(&target) {
            Relation::Contains
        } else if target.starts_with(&source) {
            Relation::Inside
        } else {
            continue;
        };
        return Err(sources_refusal(relation, &source, what));
    }
    match std::fs::symlink_metadata(&target) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Ok(Owned {
                target,
                adopted: false,
            });
        }
        Err(e) => return Err(unresolved(e)),
        Ok(m) if !m.is_dir() => {
            return Err(Refusal::NotAFolder {
                output: output.to_path_buf(),
            });
        }
        Ok(_) => {}
    }
    if is_marked(&target) {
        return Ok(Owned {
            target,
            adopted: false,
        });
    }
    let entries = std::fs::read_dir(&target)
        .map_err(unresolved)?
        .filter(|e| e.is_ok())
        .count();
    if entries == 0 {
        return Ok(Owned {
            target,
            adopted: false,
        });
    }
    if looks_like_unmarked_build(&target) {
        return Ok(Owned {
            target,
            adopted: true,
        });
    }
    Err(Refusal::Foreign {
        output: output.to_path_buf(),
        entries,
    })
}

/// Whether the folder carries the build's marker (a plain file, not a link to one).
pub fn is_marked(dir: &Path) -> bool {
    std::fs::symlink_metadata(dir.join(MARKER)).is_ok_and(|m| m.is_file())
}

/// An output written by a build from before the marker: the start page, the 404 page, the
/// search server's tantivy index and the theme's assets. A deployed copy lacks the tantivy index
/// (docs/deploy.md excludes it), and no other program writes `sok/index/meta.json` beside a
/// `404.html`, so a folder with all four is taken to be the build's own.
pub fn looks_like_unmarked_build(dir: &Path) -> bool {
    let file = |p: &str| std::fs::symlink_metadata(dir.join(p)).is_ok_and(|m| m.is_file());
    let folder = |p: &str| std::fs::symlink_metadata(dir.join(p)).is_ok_and(|m| m.is_dir());
    file("index.html") && file("404.html") && file("sok/index/meta.json") && folder("assets")
}

/// The line of `utdata` in site.toml's text, if it is set there.
pub fn setting_line(site_toml: &str) -> Option<usize> {
    site_toml
        .lines()
        .position(|l| {
            l.trim_start()
                .strip_prefix("utdata")
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map(|i| i + 1)
}

/// The refusal as a diagnostic at the setting that chose the folder, with the fix.
pub fn diagnostic(refusal: &Refusal, setting: &Setting) -> crate::diagnostics::Diagnostic {
    use crate::diagnostics::Diagnostic;
    use crate::model::Pos;
    let foreign = matches!(refusal, Refusal::Foreign { .. });
    let (file, pos, prefix, fix) = match setting {
        Setting::Flag => (
            match refusal {
                Refusal::Sources { output, .. }
                | Refusal::Foreign { output, .. }
                | Refusal::NotAFolder { output }
                | Refusal::Unresolved { output, .. } => output.clone(),
            },
            Pos::default(),
            "--utdata: ".to_string(),
            "välj en egen mapp med --utdata, t.ex. --utdata public (en mapp som inte finns skapas)"
                .to_string(),
        ),
        Setting::SiteToml { file, line } => (
            file.clone(),
            Pos {
                line: line.unwrap_or(1),
                column: 1,
            },
            match line {
                Some(_) => "utdata i site.toml: ".to_string(),
                None => "utdata (inte angiven i site.toml, standard public): ".to_string(),
            },
            "ändra eller lägg till `utdata` i site.toml, t.ex. utdata = \"public\", eller ange --utdata"
                .to_string(),
        ),
    };
    let hint = if foreign {
        format!("{fix}; eller töm mappen om filerna i den inte behövs")
    } else {
        fix
    };
    Diagnostic::error("utdata", &file, pos, format!("{prefix}{refusal}")).with_hint(hint)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn archive() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for d in ["content/a", "themes/t", "templates"] {
            std::fs::create_dir_all(dir.path().join(d)).unwrap();
        }
        std::fs::write(dir.path().join("site.toml"), "").unwrap();
        dir
    }

    #[test]
    fn resolve_applies_dot_dot_after_the_nearest_existing_folder() {
        let dir = archive();
        let root = dir.path().canonicalize().unwrap();
        assert_eq!(
            resolve(&dir.path().join("ny/../content")).unwrap(),
            root.join("content")
        );
        assert_eq!(
            resolve(&dir.path().join("content/./a/../../ny/x")).unwrap(),
            root.join("ny/x")
        );
        std::os::unix::fs::symlink(root.join("content"), root.join("länk")).unwrap();
        assert_eq!(
            resolve(&dir.path().join("länk/ny")).unwrap(),
            root.join("content/ny")
        );
    }

    #[test]
    fn sources_the_root_and_its_parents_are_refused() {
        let dir = archive();
        let root = dir.path();
        let refused = [
            (root.join("content"), Relation::Is),
            (root.join("content/a/x"), Relation::Inside),
            (root.join("themes"), Relation::Is),
            (root.join("themes/t"), Relation::Inside),
            (root.join("templates"), Relation::Is),
            (root.to_path_buf(), Relation::Is),
            (root.join("."), Relation::Is),
            (root.join("ny/.."), Relation::Is),
            (root.parent().unwrap().to_path_buf(), Relation::Contains),
            (PathBuf::from("/"), Relation::Contains),
        ];
        for (out, want) in refused {
            match check(root, &out) {
                Err(Refusal::Sources { relation, .. }) => assert_eq!(relation, want, "{out:?}"),
                other => panic!("{out:?}: {other:?}"),
            }
        }
        assert!(check(root, &root.join("public")).is_ok());
        assert!(check(root, &root.join("a/b/public")).is_ok());
    }

    #[test]
    fn a_foreign_folder_is_refused_an_empty_or_marked_one_accepted() {
        let dir = archive();
        let out = dir.path().join("public");
        std::fs::create_dir(&out).unwrap();
        assert!(!check(dir.path(), &out).unwrap().adopted);
        std::fs::write(out.join("uppsats.docx"), "x").unwrap();
        assert!(matches!(
            check(dir.path(), &out),
            Err(Refusal::Foreign { entries: 1, .. })
        ));
        std::fs::write(out.join(MARKER), MARKER_TEXT).unwrap();
        assert!(check(dir.path(), &out).is_ok());
        std::fs::write(dir.path().join("fil"), "x").unwrap();
        assert!(matches!(
            check(dir.path(), &dir.path().join("fil")),
            Err(Refusal::NotAFolder { .. })
        ));
    }

    #[test]
    fn the_setting_line_is_found() {
        assert_eq!(setting_line("titel = \"x\"\n  utdata = \"ut\"\n"), Some(2));
        assert_eq!(setting_line("utdatamapp = 1\n"), None);
    }
}
