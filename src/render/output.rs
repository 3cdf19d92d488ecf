//! Writing the site: everything goes to a fresh folder beside the output, which is brought into
//! the output only when the whole build succeeded. A failed build leaves the previous site
//! untouched.
//!
//! When the output already holds a site, only what changed is staged: a file whose bytes equal
//! the output's is not written at all, and the commit moves the staged files in, removes the
//! files the build no longer makes and leaves every other file alone (its mtime included), so
//! rsync and object-store syncs send only what changed.

use std::collections::HashSet;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};

#[derive(Debug)]
pub struct Staging {
    /// The folder being written.
    dir: PathBuf,
    /// The output folder it will replace or update.
    target: PathBuf,
    /// The files of the previous site in the output folder, when it is brought up to date file by
    /// file; `None` when the staged folder replaces it whole.
    previous: Option<Arc<HashSet<PathBuf>>>,
    /// Folders already created: a national archive writes tens of thousands of files into a few
    /// thousand folders, and asking the file system again for each file is measurable.
    created: Mutex<HashSet<PathBuf>>,
    /// Every file of the new site: staged, or unchanged in the output.
    produced: Arc<Mutex<HashSet<PathBuf>>>,
    /// The folders above the staging folder that did not exist before it, innermost first:
    /// discarding a first build's staging removes them again.
    made: Vec<PathBuf>,
}

/// Keeps files of the output as they are: see [`Staging::keeper`].
#[derive(Debug, Clone)]
pub struct Keeper {
    previous: Option<Arc<HashSet<PathBuf>>>,
    produced: Arc<Mutex<HashSet<PathBuf>>>,
}

impl Keeper {
    /// Keeps the output's file at `relative` as it is, if there is one; returns whether it was
    /// kept.
    pub fn keep(&self, relative: &Path) -> bool {
        let there = self
            .previous
            .as_ref()
            .is_some_and(|files| files.contains(relative));
        if there && let Ok(mut p) = self.produced.lock() {
            p.insert(relative.to_path_buf());
        }
        there
    }
}

/// What a commit did to the output folder.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Synced {
    /// Files written: new or changed.
    pub written: usize,
    /// Files of the previous site the build no longer makes, removed.
    pub removed: usize,
    /// Files left as they were.
    pub kept: usize,
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

/// Removes the staging folders (`.<name>.bygge-<pid>`, `.<name>.gammal-<pid>`) that builds of
/// `target` killed before they finished left beside it. Only folders whose process is gone and
/// that are recognisably ours (the marker, or an old build's files) are removed; a concurrent
/// build's folder is left alone. Returns each removed folder, or the error removing it.
pub fn remove_stale(target: &Path) -> Vec<(PathBuf, io::Result<()>)> {
    let Some(name) = target.file_name().map(|n| n.to_string_lossy().to_string()) else {
        return Vec::new();
    };
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    // Without /proc there is no telling a dead build from a live one: remove nothing.
    if !Path::new("/proc/self").exists() {
        return Vec::new();
    }
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Vec::new();
    };
    let mut removed = Vec::new();
    for entry in entries.filter_map(Result::ok) {
        let file_name = entry.file_name().to_string_lossy().to_string();
        let Some(pid) = stale_pid(&file_name, &name) else {
            continue;
        };
        let path = entry.path();
        let ours = entry.file_type().is_ok_and(|t| t.is_dir())
            && (crate::output_guard::is_marked(&path)
                || crate::output_guard::looks_like_unmarked_build(&path));
        if pid == std::process::id() || Path::new(&format!("/proc/{pid}")).exists() || !ours {
            continue;
        }
        let result = remove_tree(&path);
        removed.push((path, result));
    }
    removed.sort_by(|a, b| a.0.cmp(&b.0));
    removed
}

/// The process id in a staging folder's name `.<name>.bygge-<pid>` or `.<name>.gammal-<pid>`.
fn stale_pid(file_name: &str, name: &str) -> Option<u32> {
    let rest = file_name.strip_prefix('.')?.strip_prefix(name)?;
    let pid = rest
        .strip_prefix(".bygge-")
        .or_else(|| rest.strip_prefix(".gammal-"))?;
    if pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    pid.parse().ok()
}

impl Staging {
    /// A staging folder for `target` whose commit brings the output up to date file by file.
    pub fn new(target: &Path) -> io::Result<Staging> {
        let previous = previous_files(target);
        Staging::create(target, previous)
    }

    /// A staging folder whose commit replaces `target` whole (the search server's index, which
    /// tantivy writes by itself).
    pub fn replacing(target: &Path) -> io::Result<Staging> {
        Staging::create(target, None)
    }

    fn create(target: &Path, previous: Option<HashSet<PathBuf>>) -> io::Result<Staging> {
        let dir = sibling(target, "bygge");
        if dir.exists() {
            std::fs::remove_dir_all(&dir)?;
        }
        let mut made = Vec::new();
        let mut above = dir.parent();
        while let Some(folder) = above.filter(|f| !f.as_os_str().is_empty() && !f.exists()) {
            made.push(folder.to_path_buf());
            above = folder.parent();
        }
        if let Some(parent) = dir.parent()
            && !parent.as_os_str().is_empty()
        {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::create_dir_all(&dir)?;
        // First, so that even a build killed at once leaves a folder recognisably ours.
        std::fs::write(
            dir.join(crate::output_guard::MARKER),
            crate::output_guard::MARKER_TEXT,
        )?;
        Ok(Staging {
            dir,
            target: target.to_path_buf(),
            previous: previous.map(Arc::new),
            created: Default::default(),
            produced: Default::default(),
            made,
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes one file, unless the output already holds these very bytes there; returns whether
    /// it was written. The relative path must stay inside the output folder: content names are
    /// checked by the loader, and this refuses anything else as a last line of defence.
    pub fn write(&self, relative: &Path, bytes: &[u8]) -> io::Result<bool> {
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
        if let Ok(mut p) = self.produced.lock() {
            p.insert(relative.to_path_buf());
        }
        if self.unchanged(relative, bytes) {
            return Ok(false);
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
        std::fs::write(path, bytes)?;
        Ok(true)
    }

    /// Keeps the output's file at `relative` as it is, if there is one: for a file derived from
    /// another that did not change (a compressed copy). Returns whether it was kept.
    pub fn keep(&self, relative: &Path) -> bool {
        self.keeper().keep(relative)
    }

    /// A handle that keeps the output's files like [`Staging::keep`], without borrowing the
    /// staging folder (which the build commits or discards).
    pub fn keeper(&self) -> Keeper {
        Keeper {
            previous: self.previous.clone(),
            produced: Arc::clone(&self.produced),
        }
    }

    /// The size of the output's file at `relative` (0 when it cannot be read).
    pub fn size_in_output(&self, relative: &Path) -> u64 {
        std::fs::symlink_metadata(self.target.join(relative)).map_or(0, |m| m.len())
    }

    /// Whether the output holds exactly `bytes` at `relative`.
    fn unchanged(&self, relative: &Path, bytes: &[u8]) -> bool {
        if !self
            .previous
            .as_ref()
            .is_some_and(|files| files.contains(relative))
        {
            return false;
        }
        let path = self.target.join(relative);
        let same_size = std::fs::symlink_metadata(&path)
            .is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64);
        same_size && std::fs::read(&path).is_ok_and(|old| old == bytes)
    }

    /// Brings the output folder up to the staged site: file by file when it held a site, else by
    /// putting the staged folder in its place.
    pub fn commit(self) -> io::Result<Synced> {
        let produced =
            std::mem::take(&mut *self.produced.lock().unwrap_or_else(|e| e.into_inner()));
        match &self.previous {
            Some(previous) if self.target.is_dir() => {
                let synced = sync_into(&self.dir, &self.target, previous.as_ref(), &produced)?;
                remove_tree(&self.dir)?;
                Ok(synced)
            }
            _ => {
                swap_in(&self.dir, &self.target)?;
                Ok(Synced {
                    written: produced.len(),
                    removed: 0,
                    kept: 0,
                })
            }
        }
    }

    /// Throws the staged folder away, and the folders made for it if they are empty again; the
    /// output folder is not touched.
    pub fn discard(self) {
        let _ = std::fs::remove_dir_all(&self.dir);
        for folder in &self.made {
            if std::fs::remove_dir(folder).is_err() {
                break;
            }
        }
    }
}

/// The files of the site in `target`, relative to it, when it can be updated file by file: a
/// marked folder of plain files and folders. Anything else (no site yet, a symbolic link in it)
/// is replaced whole, as a fresh build would.
fn previous_files(target: &Path) -> Option<HashSet<PathBuf>> {
    if !crate::output_guard::is_marked(target) {
        return None;
    }
    let mut files = HashSet::new();
    for entry in walkdir::WalkDir::new(target).min_depth(1) {
        let entry = entry.ok()?;
        let kind = entry.file_type();
        if kind.is_dir() {
            continue;
        }
        if !kind.is_file() {
            return None;
        }
        let relative = entry.path().strip_prefix(target).ok()?;
        if relative != Path::new(crate::output_guard::MARKER) {
            files.insert(relative.to_path_buf());
        }
    }
    Some(files)
}

/// Puts the folder `staged` in the place of `target` (two renames; the previous site is put back
/// if the second fails).
fn swap_in(staged: &Path, target: &Path) -> io::Result<()> {
    let old = sibling(target, "gammal");
    if old.exists() {
        std::fs::remove_dir_all(&old)?;
    }
    let had_previous = target.exists();
    if had_previous {
        std::fs::rename(target, &old)?;
    }
    if let Err(e) = std::fs::rename(staged, target) {
        if had_previous {
            // Put the previous site back rather than leave nothing.
            let _ = std::fs::rename(&old, target);
        }
        return Err(e);
    }
    if had_previous {
        remove_tree(&old)?;
    }
    Ok(())
}

/// Updates `target` to the new site: removes the files of `previous` that are not `produced`
/// (and the folders that leaves empty), then moves every staged file into place. Files neither
/// staged nor removed are not touched.
fn sync_into(
    staged: &Path,
    target: &Path,
    previous: &HashSet<PathBuf>,
    produced: &HashSet<PathBuf>,
) -> io::Result<Synced> {
    let mut synced = Synced::default();
    let mut gone: Vec<&PathBuf> = previous.difference(produced).collect();
    gone.sort();
    for relative in gone {
        match std::fs::remove_file(target.join(relative)) {
            Ok(()) => synced.removed += 1,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
        // The folders it leaves empty, up to the output folder.
        let mut folder = relative.parent();
        while let Some(f) = folder.filter(|f| !f.as_os_str().is_empty()) {
            if std::fs::remove_dir(target.join(f)).is_err() {
                break;
            }
            folder = f.parent();
        }
    }
    let mut created: HashSet<PathBuf> = HashSet::new();
    for entry in walkdir::WalkDir::new(staged).min_depth(1) {
        let entry = entry.map_err(io::Error::other)?;
        if !entry.file_type().is_file() {
            continue;
        }
        let relative = entry
            .path()
            .strip_prefix(staged)
            .map_err(io::Error::other)?;
        if relative == Path::new(crate::output_guard::MARKER) {
            continue;
        }
        let destination = target.join(relative);
        if let Some(parent) = relative.parent()
            && !parent.as_os_str().is_empty()
            && created.insert(parent.to_path_buf())
        {
            std::fs::create_dir_all(target.join(parent))?;
        }
        std::fs::rename(entry.path(), &destination)?;
        synced.written += 1;
    }
    synced.kept = produced.len().saturating_sub(synced.written);
    Ok(synced)
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
    fn stale_folders_of_dead_builds_go_live_and_foreign_ones_stay() {
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("public");
        let marked = |name: &str| {
            let d = root.path().join(name);
            std::fs::create_dir_all(d.join("a")).unwrap();
            std::fs::write(d.join("a/index.html"), "x").unwrap();
            std::fs::write(d.join(crate::output_guard::MARKER), "").unwrap();
            d
        };
        // pid_max on Linux is at most 2^22, so this process cannot exist.
        let dead = marked(".public.bygge-4194999");
        let dead_old = marked(".public.gammal-4194998");
        let live = marked(&format!(".public.bygge-{}", std::process::id()));
        let other_site = marked(".arkiv.bygge-4194999");
        let foreign = root.path().join(".public.bygge-4194997");
        std::fs::create_dir_all(&foreign).unwrap();
        std::fs::write(foreign.join("egen.txt"), "x").unwrap();
        let removed: Vec<PathBuf> = remove_stale(&out)
            .into_iter()
            .map(|(p, r)| {
                r.unwrap();
                p
            })
            .collect();
        assert_eq!(removed, vec![dead.clone(), dead_old.clone()]);
        assert!(!dead.exists() && !dead_old.exists());
        assert!(live.exists() && other_site.exists() && foreign.exists());
        assert_eq!(stale_pid(".public.bygge-12x", "public"), None);
        assert_eq!(stale_pid(".public.bygge-", "public"), None);
        assert_eq!(stale_pid(".publicx.bygge-1", "public"), None);
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
            .filter(|e| e.file_name() != crate::output_guard::MARKER)
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
