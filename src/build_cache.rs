//! The build's cache, outside the output: `.protokoll/bygge/<output>/` in the folder that holds
//! the output folder (beside the search server's index, [`crate::search::index::location`]).
//!
//! Content-addressed: every input file (site.toml, content/, themes/, templates/) is hashed
//! (SHA-256) and the cache is keyed by those hashes, never by times. It holds
//! - the whole build's key, its report and the output's files as the build left them (size and
//!   mtime): a rebuild of the same input for the same day into an output nobody touched is done
//!   at once;
//! - the search key (site.toml and content/ only: the theme and the day do not reach the search
//!   index) with the static index's files, stored by their hash: a rebuild whose content did not
//!   change (the daily rebuild for the anslagstavla, a template edit) reuses the search indexes.
//!
//! A cache that cannot be read, or was written by another version, is discarded with a note and
//! rebuilt; `build --full` does not read it.

use crate::diagnostics::{Diagnostic, Severity};
use crate::model::Pos;
use chrono::NaiveDate;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

/// Bumped when the cache's layout or the meaning of a key changes.
const FORMAT: u32 = 1;
/// The folder holding the caches, in the folder where the output folder lies.
pub const CACHE_HOME: &str = ".protokoll/bygge";
const STATE: &str = "tillstand.json";
const BLOBS: &str = "filer";
/// Each content file's parsed, checked result, stored under a key of its bytes and what else
/// the loader's result depends on ([`ModelStore`]).
const MODELS: &str = "modeller";
/// The pages of the last build, by key ([`PageRecord`]); read only when pages are rendered.
const PAGES: &str = "sidor.json";
/// Bumped when the loader's result for the same bytes changes meaning (the model or the checks
/// the loader makes); the program's own identity is part of every key as well.
const PARSER_VERSION: u32 = 1;

/// This program: its version and, so that a rebuilt binary of the same version (a developer's)
/// never trusts what another binary cached, the size and mtime of its executable.
fn program_identity() -> String {
    static IDENTITY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    IDENTITY
        .get_or_init(|| {
            let exe = std::env::current_exe()
                .ok()
                .and_then(|e| stat(&e))
                .map(|(len, mtime)| format!("{len}:{mtime}"))
                .unwrap_or_default();
            format!("{} {exe}", env!("CARGO_PKG_VERSION"))
        })
        .clone()
}

/// The cache of the output folder `output`.
pub fn location(output: &Path) -> PathBuf {
    let resolved = crate::output_guard::resolve(output).unwrap_or_else(|_| output.to_path_buf());
    let name = resolved
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_else(|| "public".into());
    let parent = resolved.parent().unwrap_or(Path::new("/"));
    parent.join(CACHE_HOME).join(name)
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct State {
    format: u32,
    version: String,
    whole: Option<Whole>,
    search: Option<Search>,
    /// Every input file's size, mtime (nanoseconds) and hash when it was last hashed: a file whose
    /// size and mtime are the same, and older than the cache, is not read again (as git's index
    /// does). A file changed within the same clock tick as the cache was written is hashed again.
    #[serde(default)]
    inputs: BTreeMap<PathBuf, (u64, i128, String)>,
    /// When the cache was written (nanoseconds since 1970).
    #[serde(default)]
    written: i128,
}

/// The last successful build: its key, what it reported and the files it left.
#[derive(Debug, Serialize, Deserialize)]
struct Whole {
    key: String,
    report: CachedReport,
    /// Every file of the output with its size and mtime (nanoseconds) after the build.
    files: BTreeMap<PathBuf, (u64, i128)>,
}

/// What a build reports, kept to report it again when nothing changed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CachedReport {
    pub base_path: String,
    pub pages: usize,
    pub files: usize,
    pub bytes: u64,
    pub protocols: usize,
    pub plans: usize,
    pub diagnostics: Vec<Diagnostic>,
    pub checks: Vec<Diagnostic>,
    pub next_status_change: Option<NaiveDate>,
}

/// The static search index of the last build whose content had this key.
#[derive(Debug, Serialize, Deserialize)]
struct Search {
    key: String,
    /// The hash of the tantivy index's meta.json that was written with these files.
    index_meta: String,
    /// Each file's path in the output and the hash its bytes are stored under.
    files: Vec<(PathBuf, String)>,
}

/// The hashes of the build's inputs.
#[derive(Debug, Clone)]
pub struct Keys {
    /// Everything: inputs, day, options, output folder and version.
    pub whole: String,
    /// What the search indexes are made of: site.toml and content/.
    pub search: String,
    /// What every page is made of besides content and the day: this program, site.toml, the
    /// theme and templates, the output folder and options.
    pub frame: String,
}

pub struct BuildCache {
    dir: PathBuf,
    /// The output folder it belongs to.
    output: PathBuf,
    state: State,
    notes: Vec<Diagnostic>,
    /// This build's inputs, recorded by [`BuildCache::store`].
    inputs: Inputs,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn sha256(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Every input file of the archive in `root`, relative to it, in a stable order.
fn input_files(root: &Path) -> Vec<PathBuf> {
    let mut files = vec![PathBuf::from("site.toml")];
    for dir in ["content", "themes", "templates"] {
        let base = root.join(dir);
        if !base.is_dir() {
            continue;
        }
        for entry in walkdir::WalkDir::new(&base)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
        {
            if entry.file_type().is_dir() {
                continue;
            }
            if let Ok(relative) = entry.path().strip_prefix(root) {
                files.push(relative.to_path_buf());
            }
        }
    }
    files
}

/// A file's size and mtime in nanoseconds.
fn stat(path: &Path) -> Option<(u64, i128)> {
    let meta = std::fs::metadata(path).ok()?;
    let mtime = meta
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_nanos() as i128;
    Some((meta.len(), mtime))
}

fn now_ns() -> i128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as i128)
}

/// The input files of `root` with their size, mtime and hash: from `known` when size and mtime
/// are unchanged and older than `before` minus a second, else read and hashed.
type Inputs = BTreeMap<PathBuf, (u64, i128, String)>;

fn hash_inputs(root: &Path, known: &Inputs, before: i128) -> Inputs {
    input_files(root)
        .into_par_iter()
        .map(|f| {
            let path = root.join(&f);
            let stamp = stat(&path);
            if let (Some((len, mtime)), Some((l, m, hash))) = (stamp, known.get(&f))
                && (len, mtime) == (*l, *m)
                && mtime < before - 1_000_000_000
            {
                return (f, (len, mtime, hash.clone()));
            }
            let (len, mtime) = stamp.unwrap_or((0, 0));
            let hash = match std::fs::read(&path) {
                Ok(bytes) => sha256(&bytes),
                Err(e) => format!("oläsbar: {}", e.kind()),
            };
            (f, (len, mtime, hash))
        })
        .collect()
}

/// The keys of a build of `root` for `today` into `output`, from the inputs' hashes.
fn keys_of(inputs: &Inputs, today: NaiveDate, precompress: bool, output: &Path) -> Keys {
    let hashes: Vec<(&PathBuf, &String)> = inputs.iter().map(|(f, (_, _, h))| (f, h)).collect();
    let mut search = Sha256::new();
    let mut whole = Sha256::new();
    let mut frame = Sha256::new();
    let version = format!("{FORMAT} {}", program_identity());
    for h in [&mut search, &mut whole, &mut frame] {
        h.update(version.as_bytes());
        h.update([0]);
    }
    for (file, hash) in hashes {
        let line = format!("{}\0{hash}\n", file.display());
        let content = file.starts_with("content");
        if file == Path::new("site.toml") || content {
            search.update(line.as_bytes());
        }
        if !content {
            frame.update(line.as_bytes());
        }
        whole.update(line.as_bytes());
    }
    let output = crate::output_guard::resolve(output).unwrap_or_else(|_| output.to_path_buf());
    let options = format!("{precompress}\0{}", output.display());
    whole.update(format!("{today}\0{options}").as_bytes());
    frame.update(options.as_bytes());
    Keys {
        whole: hex(&whole.finalize()),
        search: hex(&search.finalize()),
        frame: hex(&frame.finalize()),
    }
}

/// The files of `output` with their size and mtime.
fn output_files(output: &Path) -> Option<BTreeMap<PathBuf, (u64, i128)>> {
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(output).min_depth(1) {
        let entry = entry.ok()?;
        if entry.file_type().is_dir() {
            continue;
        }
        let meta = entry.metadata().ok()?;
        let mtime = meta
            .modified()
            .ok()?
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?
            .as_nanos() as i128;
        let relative = entry.path().strip_prefix(output).ok()?.to_path_buf();
        files.insert(relative, (meta.len(), mtime));
    }
    Some(files)
}

impl BuildCache {
    /// The cache of `output`, read unless `full`. A cache that cannot be read or is another
    /// version's is removed, with a note.
    pub fn open(output: &Path, full: bool) -> BuildCache {
        let dir = location(output);
        let mut cache = BuildCache {
            dir,
            output: output.to_path_buf(),
            state: State::default(),
            notes: Vec::new(),
            inputs: Inputs::new(),
        };
        if full {
            return cache;
        }
        let text = match std::fs::read(cache.dir.join(STATE)) {
            Ok(t) => t,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return cache,
            Err(e) => {
                cache.discard(&format!("den gick inte att läsa ({e})"));
                return cache;
            }
        };
        match serde_json::from_slice::<State>(&text) {
            Ok(state) if state.format == FORMAT && state.version == env!("CARGO_PKG_VERSION") => {
                cache.state = state;
            }
            Ok(state) => cache.discard(&format!(
                "den skrevs av protokoll {} (format {}), inte av denna version",
                state.version, state.format
            )),
            Err(e) => cache.discard(&format!("den är skadad ({e})")),
        }
        cache
    }

    fn discard(&mut self, why: &str) {
        let _ = std::fs::remove_dir_all(&self.dir);
        self.notes.push(
            Diagnostic::error(
                "byggcache",
                &self.dir,
                Pos::default(),
                format!("byggcachen kasserades och byggs om: {why}"),
            )
            .with_severity(Severity::Notis),
        );
    }

    /// The keys of a build of `root` for `today` into `output`. Only the input files whose size
    /// or mtime changed since the cache was written are read.
    pub fn keys(
        &mut self,
        root: &Path,
        today: NaiveDate,
        precompress: bool,
        output: &Path,
    ) -> Keys {
        self.inputs = hash_inputs(root, &self.state.inputs, self.state.written);
        keys_of(&self.inputs, today, precompress, output)
    }

    /// The loader's per-file results for `root`'s content as it is now (after [`Self::keys`]),
    /// checked with the privacy policy described by `salt`.
    pub fn models(&self, root: &Path, salt: &str, full: bool) -> ModelStore {
        ModelStore {
            dir: self.dir.join(MODELS),
            keys: model_keys(root, &self.inputs, salt),
            read: !full,
            used: Default::default(),
        }
    }

    /// The pages of the last build whose files (and compressed copies) the output holds with
    /// the size and mtime that build left: the others are rendered again. Empty with `--full`
    /// or when the record cannot be read.
    pub fn previous_pages(&self) -> PreviousPages {
        let Some(whole) = &self.state.whole else {
            return PreviousPages::default();
        };
        let Ok(bytes) = std::fs::read(self.dir.join(PAGES)) else {
            return PreviousPages::default();
        };
        let Ok(records) = serde_json::from_slice::<Vec<(String, PageRecord)>>(&bytes) else {
            return PreviousPages::default();
        };
        let output = &self.output;
        let untouched = |file: &PathBuf| {
            whole
                .files
                .get(file)
                .is_some_and(|was| stat(&output.join(file)).as_ref() == Some(was))
        };
        PreviousPages {
            pages: records
                .into_par_iter()
                .filter(|(_, r)| untouched(&r.file) && r.copies.iter().all(untouched))
                .collect(),
        }
    }

    /// What happened to the cache, for the build's report.
    pub fn take_notes(&mut self) -> Vec<Diagnostic> {
        std::mem::take(&mut self.notes)
    }

    /// The report of the last build, if it had this key and its output and search index are as
    /// it left them: nothing needs to be done.
    pub fn unchanged(&self, key: &str, output: &Path, index: &Path) -> Option<CachedReport> {
        let whole = self.state.whole.as_ref().filter(|w| w.key == key)?;
        if !index.join("meta.json").is_file() {
            return None;
        }
        (output_files(output)? == whole.files).then(|| whole.report.clone())
    }

    /// The static index files of the last build with this search key, if the tantivy index
    /// beside them is still the one written with them and every stored file is intact.
    pub fn search_files(&self, key: &str, index: &Path) -> Option<Vec<(PathBuf, Vec<u8>)>> {
        let search = self.state.search.as_ref().filter(|s| s.key == key)?;
        let meta = std::fs::read(index.join("meta.json")).ok()?;
        if sha256(&meta) != search.index_meta
            || !index.join(crate::search::engine::UNITS_FILE).is_file()
        {
            return None;
        }
        search
            .files
            .par_iter()
            .map(|(path, hash)| {
                let bytes = std::fs::read(self.dir.join(BLOBS).join(hash)).ok()?;
                (sha256(&bytes) == *hash).then(|| (path.clone(), bytes))
            })
            .collect()
    }

    /// Records a successful build: its key and report, the output as it is now, and the static
    /// index files (stored by hash; those no longer used are removed).
    pub fn store(
        mut self,
        keys: &Keys,
        report: CachedReport,
        output: &Path,
        index: &Path,
        search_files: &[(PathBuf, &[u8])],
        pages: &[(&String, &PageRecord)],
    ) -> io::Result<()> {
        let blobs = self.dir.join(BLOBS);
        std::fs::create_dir_all(&blobs)?;
        let mut files = Vec::with_capacity(search_files.len());
        for (path, bytes) in search_files {
            let hash = sha256(bytes);
            let blob = blobs.join(&hash);
            if !blob.is_file() {
                let partial = blobs.join(format!(".{hash}.del"));
                std::fs::write(&partial, bytes)?;
                std::fs::rename(&partial, &blob)?;
            }
            files.push((path.clone(), hash));
        }
        let keep: std::collections::HashSet<&String> = files.iter().map(|(_, h)| h).collect();
        for entry in std::fs::read_dir(&blobs)?.filter_map(Result::ok) {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !keep.contains(&name) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
        let index_meta = std::fs::read(index.join("meta.json"))
            .map(|m| sha256(&m))
            .unwrap_or_default();
        self.state = State {
            format: FORMAT,
            version: env!("CARGO_PKG_VERSION").to_string(),
            whole: output_files(output).map(|files| Whole {
                key: keys.whole.clone(),
                report,
                files,
            }),
            search: Some(Search {
                key: keys.search.clone(),
                index_meta,
                files,
            }),
            inputs: std::mem::take(&mut self.inputs),
            written: now_ns(),
        };
        // The pages first: a state whose pages did not get written finds the old record, whose
        // keys its pages do not have.
        let json = serde_json::to_vec(pages).map_err(io::Error::other)?;
        let partial = self.dir.join(format!(".{PAGES}.del"));
        std::fs::write(&partial, json)?;
        std::fs::rename(&partial, self.dir.join(PAGES))?;
        let json = serde_json::to_vec(&self.state).map_err(io::Error::other)?;
        let partial = self.dir.join(format!(".{STATE}.del"));
        std::fs::write(&partial, json)?;
        std::fs::rename(&partial, self.dir.join(STATE))
    }
}

/// What a build keeps of a page it made, to leave the page out of a later build whose page has
/// the same key: the file as the link check, the sitemap and the report need it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PageRecord {
    pub file: PathBuf,
    pub url: String,
    pub source: Option<PathBuf>,
    /// Its URL when the sitemap lists it.
    pub indexable: Option<String>,
    pub links: crate::render::links::PageLinks,
    /// Its size with its compressed copies'.
    pub bytes: u64,
    pub copies: Vec<PathBuf>,
}

/// The pages of the last build that the output still holds as that build left them.
#[derive(Debug, Default)]
pub struct PreviousPages {
    pages: std::collections::HashMap<String, PageRecord>,
}

impl PreviousPages {
    /// The record of the page with this key, if the output holds it untouched.
    pub fn get(&self, key: &str) -> Option<&PageRecord> {
        self.pages.get(key)
    }
}

/// Removes a cache folder a failed build started, and the folders above it that are left empty
/// (`.protokoll/bygge`, `.protokoll`): a failed build leaves the disk as it found it.
pub fn remove_new(dir: &Path) {
    let _ = std::fs::remove_dir_all(dir);
    for parent in dir.ancestors().skip(1).take(2) {
        if std::fs::remove_dir(parent).is_err() {
            break;
        }
    }
}

/// The loader's per-file results, by key: a rebuild parses only the files that changed.
///
/// A file's key is the hash of its path as the loader names it, its bytes, the privacy policy
/// the loader checks it with, the loader's version and this program; a protocol's key also
/// holds the PDFs in its folder (their size is in the model, and a named missing PDF is an
/// error). The stored bytes are JSON: one that does not read is parsed again.
pub struct ModelStore {
    dir: PathBuf,
    /// The file's path as the loader sees it, and its key.
    keys: std::collections::HashMap<PathBuf, String>,
    /// False for `--full`: results are stored, never read.
    read: bool,
    used: std::sync::Mutex<std::collections::HashSet<String>>,
}

impl ModelStore {
    /// Each content file's key, by the path the model names it with.
    pub fn keys(&self) -> &std::collections::HashMap<PathBuf, String> {
        &self.keys
    }
}

impl crate::load::ParseCache for ModelStore {
    fn get(&self, file: &Path) -> Option<Vec<u8>> {
        let key = self.keys.get(file)?;
        if !self.read {
            return None;
        }
        let bytes = std::fs::read(self.dir.join(key)).ok()?;
        if let Ok(mut used) = self.used.lock() {
            used.insert(key.clone());
        }
        Some(bytes)
    }

    fn put(&self, file: &Path, result: &[u8]) {
        let Some(key) = self.keys.get(file) else {
            return;
        };
        let partial = self.dir.join(format!(".{key}.del"));
        let stored = std::fs::create_dir_all(&self.dir)
            .and_then(|()| std::fs::write(&partial, result))
            .and_then(|()| std::fs::rename(&partial, self.dir.join(key)));
        if stored.is_ok()
            && let Ok(mut used) = self.used.lock()
        {
            used.insert(key.clone());
        }
    }
}

impl ModelStore {
    /// Removes the stored results this build did not use (older versions of files, removed
    /// files). Called after a successful build.
    pub fn sweep(&self) {
        let Ok(used) = self.used.lock() else { return };
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return;
        };
        for entry in entries.filter_map(Result::ok) {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !used.contains(&name) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

/// The loader's key of every content file in `inputs`, with the file named as the loader names
/// it (`root` joined to it).
fn model_keys(
    root: &Path,
    inputs: &Inputs,
    salt: &str,
) -> std::collections::HashMap<PathBuf, String> {
    // The PDFs of each folder, with their hashes: part of the keys of the protocols beside them.
    let mut pdfs: BTreeMap<&Path, String> = BTreeMap::new();
    for (file, (_, _, hash)) in inputs {
        if file.starts_with("content")
            && file
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("pdf"))
            && let (Some(dir), Some(name)) = (file.parent(), file.file_name())
        {
            let entry = pdfs.entry(dir).or_default();
            entry.push_str(&format!("{}\0{hash}\n", name.to_string_lossy()));
        }
    }
    let identity = program_identity();
    inputs
        .iter()
        .filter(|(f, _)| f.starts_with("content"))
        .map(|(file, (_, _, hash))| {
            let shown = root.join(file);
            let mut h = Sha256::new();
            h.update(
                format!(
                    "{PARSER_VERSION}\0{identity}\0{salt}\0{}\0{hash}\0",
                    shown.display()
                )
                .as_bytes(),
            );
            if let Some(list) = file.parent().and_then(|d| pdfs.get(d)) {
                h.update(list.as_bytes());
            }
            (shown, hex(&h.finalize()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn archive() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content/a")).unwrap();
        std::fs::create_dir_all(dir.path().join("themes/t")).unwrap();
        std::fs::write(dir.path().join("site.toml"), "titel = \"x\"\n").unwrap();
        std::fs::write(dir.path().join("content/a/forbund.yaml"), "namn: A\n").unwrap();
        std::fs::write(dir.path().join("themes/t/base.html"), "<p>").unwrap();
        dir
    }

    fn keys(root: &Path, day: NaiveDate, precompress: bool, out: &Path) -> Keys {
        keys_of(&hash_inputs(root, &Inputs::new(), 0), day, precompress, out)
    }

    #[test]
    fn a_file_is_read_again_unless_its_size_and_mtime_are_known_and_older_than_the_cache() {
        let dir = archive();
        let root = dir.path();
        let fresh = hash_inputs(root, &Inputs::new(), 0);
        let file = PathBuf::from("content/a/forbund.yaml");
        let (len, mtime, hash) = fresh[&file].clone();
        assert_eq!(hash, sha256(b"namn: A\n"));
        let mut known = fresh.clone();
        known.insert(file.clone(), (len, mtime, "känd".into()));
        // Written long after the file: the known hash is trusted without reading.
        let later = hash_inputs(root, &known, mtime + 10_000_000_000);
        assert_eq!(later[&file].2, "känd");
        // Written in the same second as the file was changed: read again.
        let racy = hash_inputs(root, &known, mtime + 500_000_000);
        assert_eq!(racy[&file].2, hash);
        // Another size: read again.
        known.insert(file.clone(), (len + 1, mtime, "känd".into()));
        assert_eq!(hash_inputs(root, &known, i128::MAX)[&file].2, hash);
    }

    #[test]
    fn keys_follow_content_not_times_and_the_theme_does_not_reach_search() {
        let dir = archive();
        let root = dir.path();
        let out = root.join("public");
        let day = NaiveDate::from_ymd_opt(2025, 3, 20).unwrap();
        let first = keys(root, day, false, &out);
        // The same bytes written again: the same keys.
        std::fs::write(root.join("content/a/forbund.yaml"), "namn: A\n").unwrap();
        let again = keys(root, day, false, &out);
        assert_eq!((&first.whole, &first.search), (&again.whole, &again.search));
        // The theme and the day change the whole key only.
        std::fs::write(root.join("themes/t/base.html"), "<p>!").unwrap();
        let theme = keys(root, day, false, &out);
        assert_ne!(theme.whole, first.whole);
        assert_eq!(theme.search, first.search);
        let moved = keys(root, day.succ_opt().unwrap(), false, &out);
        assert_ne!(moved.whole, theme.whole);
        assert_eq!(moved.search, first.search);
        // Content changes both.
        std::fs::write(root.join("content/a/forbund.yaml"), "namn: B\n").unwrap();
        let content = keys(root, day, false, &out);
        assert_ne!(content.search, first.search);
        assert_ne!(content.whole, theme.whole);
    }

    #[test]
    fn a_files_model_key_follows_its_bytes_the_policy_and_the_pdfs_beside_a_protocol() {
        let dir = archive();
        let root = dir.path();
        std::fs::create_dir_all(root.join("content/a/protokoll")).unwrap();
        let protocol = root.join("content/a/protokoll/2025-03-11.md");
        std::fs::write(&protocol, "---\n---\n").unwrap();
        let profile = root.join("content/a/forbund.yaml");
        let keys = |salt: &str| model_keys(root, &hash_inputs(root, &Inputs::new(), 0), salt);
        let first = keys("p");
        assert_eq!(first.len(), 2, "{first:?}");
        assert_eq!(first, keys("p"));
        // Another policy: every file is checked again.
        let other = keys("q");
        assert!(first.iter().all(|(f, k)| other[f] != *k));
        // A PDF beside the protocol: the protocol's key changes, the profile's does not.
        std::fs::write(root.join("content/a/protokoll/2025-03-11.pdf"), "%PDF").unwrap();
        let pdf = keys("p");
        assert_ne!(pdf[&protocol], first[&protocol]);
        assert_eq!(pdf[&profile], first[&profile]);
        // The protocol edited: its key changes, the profile's does not.
        std::fs::write(&protocol, "---\norgan: x\n---\n").unwrap();
        let edited = keys("p");
        assert_ne!(edited[&protocol], pdf[&protocol]);
        assert_eq!(edited[&profile], first[&profile]);
    }

    #[test]
    fn a_corrupt_or_foreign_cache_is_discarded_with_a_note() {
        let dir = archive();
        let out = dir.path().join("public");
        let cache = location(&out);
        std::fs::create_dir_all(&cache).unwrap();
        std::fs::write(cache.join(STATE), "{ inte json").unwrap();
        let mut opened = BuildCache::open(&out, false);
        let notes = opened.take_notes();
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(notes[0].message.contains("skadad"), "{}", notes[0].message);
        assert!(!cache.exists());

        std::fs::create_dir_all(&cache).unwrap();
        std::fs::write(
            cache.join(STATE),
            r#"{"format":1,"version":"0.0.0-annan","whole":null,"search":null}"#,
        )
        .unwrap();
        let mut opened = BuildCache::open(&out, false);
        let notes = opened.take_notes();
        assert!(notes[0].message.contains("0.0.0-annan"), "{notes:?}");
        assert!(opened.state.whole.is_none() && !cache.exists());
        // --full reads nothing, and says nothing.
        assert!(BuildCache::open(&out, true).take_notes().is_empty());
    }
}
