//! Writing the site: everything goes to a fresh folder beside the output, which replaces the
//! output only when the whole build succeeded. A failed build leaves the previous site untouched.

use std::io;
use std::path::{Component, Path, PathBuf};

#[derive(Debug)]
pub struct Staging {
    /// The folder being written.
    dir: PathBuf,
    /// The output folder it will replace.
    target: PathBuf,
    /// Folders already created: a national archive writes tens of thousands of files into a few
    /// thousand folders, and asking the file system again for each file is measurable.
    created: std::sync::Mutex<std::collections::HashSet<PathBuf>>,
}

/// Removes a folder tree, with its top-level entries in parallel (deleting a previous national
/// site is tens of thousands of unlinks).
fn remove_tree(dir: &Path) -> io::Result<()> {
    use rayon::prelude::*;
    let entries: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.par_iter().try_for_each(|p| {
        if p.is_dir() && !p.is_symlink() {
            std::fs::remove_dir_all(p)
        } else {
            std::fs::remove_file(p)
        }
    })?;
    std::fs::remove_dir(dir)
}

fn sibling(target: &Path, tag: &str) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "public".to_string());
    target.with_file_name(format!(".{name}.{tag}-{}", std::process::id()))
}

impl Staging {
    pub fn new(target: &Path) -> io::Result<Staging> {
        let dir = sibling(target, "bygge");
        if dir.exists() {
            std::fs::remove_dir_all(&dir)?;
        }
        if let Some(parent) = dir.parent()
            && !parent.as_os_str().is_empty()
        {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::create_dir_all(&dir)?;
        Ok(Staging {
            dir,
            target: target.to_path_buf(),
            created: Default::default(),
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes one file. The relative path must stay inside the output folder: content names
    /// are checked by the loader, and this refuses anything else as a last line of defence.
    pub fn write(&self, relative: &Path, bytes: &[u8]) -> io::Result<()> {
        if relative.is_absolute()
            || relative
                .components()
                .any(|c| !matches!(c, Component::Normal(_)))
        {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "vägran att skriva utanför utdatamappen: {}",
                    relative.display()
                ),
            ));
        }
        let path = self.dir.join(relative);
        if let Some(parent) = relative.parent()
            && !parent.as_os_str().is_empty()
        {
            let known = self
                .created
                .lock()
                .map(|c| c.contains(parent))
                .unwrap_or(false);
            if !known {
                std::fs::create_dir_all(self.dir.join(parent))?;
                if let Ok(mut c) = self.created.lock() {
                    c.insert(parent.to_path_buf());
                }
            }
        }
        std::fs::write(path, bytes)
    }

    /// Replaces the output folder with the staged one.
    pub fn commit(self) -> io::Result<()> {
        let old = sibling(&self.target, "gammal");
        if old.exists() {
            std::fs::remove_dir_all(&old)?;
        }
        let had_previous = self.target.exists();
        if had_previous {
            std::fs::rename(&self.target, &old)?;
        }
        if let Err(e) = std::fs::rename(&self.dir, &self.target) {
            if had_previous {
                // Put the previous site back rather than leave nothing.
                let _ = std::fs::rename(&old, &self.target);
            }
            return Err(e);
        }
        if had_previous {
            remove_tree(&old)?;
        }
        Ok(())
    }

    /// Throws the staged folder away; the output folder is not touched.
    pub fn discard(self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commit_replaces_and_discard_keeps() {
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("public");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join("gammal.html"), "x").unwrap();

        let s = Staging::new(&out).unwrap();
        s.write(Path::new("ny.html"), b"y").unwrap();
        s.discard();
        assert!(out.join("gammal.html").exists());
        assert!(!out.join("ny.html").exists());

        let s = Staging::new(&out).unwrap();
        s.write(Path::new("a/ny.html"), b"y").unwrap();
        s.commit().unwrap();
        assert!(!out.join("gammal.html").exists());
        assert!(out.join("a/ny.html").exists());
        assert_eq!(
            std::fs::read_dir(root.path()).unwrap().count(),
            1,
            "no leftovers"
        );
    }

    #[test]
    fn refuses_paths_outside() {
        let root = tempfile::tempdir().unwrap();
        let s = Staging::new(&root.path().join("public")).unwrap();
        assert!(s.write(Path::new("../x"), b"").is_err());
        assert!(s.write(Path::new("/etc/x"), b"").is_err());
        s.discard();
    }

    #[test]
    fn refuses_every_path_with_a_component_that_is_not_a_plain_name() {
        let root = tempfile::tempdir().unwrap();
        let s = Staging::new(&root.path().join("webb").join("public")).unwrap();
        let outside = root.path().join("utanfor");
        let refused = [
            "..",
            "../utanfor",
            "a/../../utanfor",
            "a/b/../../../utanfor",
            "./../utanfor",
            "./x",
            ".",
            "",
            "/",
            "/tmp/utanfor",
            "//utanfor",
        ];
        for path in refused {
            let e = s.write(Path::new(path), b"x").expect_err(path);
            assert!(
                e.kind() == io::ErrorKind::InvalidInput || path.is_empty(),
                "{path:?}: {e}"
            );
        }
        // Names that only look odd are plain names and stay inside: a backslash, percent
        // escapes, bidi controls and a two-dot leader are ordinary characters on Unix.
        for path in [
            "a\\..\\b",
            "%2e%2e/x",
            "a\u{202e}b/x",
            "\u{2025}/x",
            "...",
            "a/./b",
        ] {
            s.write(Path::new(path), b"x").expect(path);
        }
        let written: Vec<PathBuf> = walkdir::WalkDir::new(root.path())
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| e.path().to_path_buf())
            .collect();
        assert_eq!(written.len(), 6, "{written:?}");
        assert!(
            written.iter().all(|p| p.starts_with(s.dir())),
            "written outside the staging folder: {written:?}"
        );
        assert!(!outside.exists());
        s.discard();
    }
}
