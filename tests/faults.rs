//! Faults leave a clean state (issue 17): the build never writes over the archive's sources or
//! someone else's folder, removes what killed builds left behind, names the root cause of a
//! failed write first, follows symbolic links inside the archive, and refuses oversized files.

mod common;

use common::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

const MARKER: &str = ".protokoll-utdata";

fn protokoll(cwd: &Path, args: &[&str]) -> Run {
    common::protokoll(cwd, args)
}

/// A copy of the example archive, with a `templates/` override and a file in it, so that every
/// kind of source folder exists and holds something.
fn archive(dir: &Path) -> PathBuf {
    let site = dir.join("arkiv");
    copy_site(&repo(), &site);
    std::fs::create_dir_all(site.join("templates")).unwrap();
    std::fs::write(site.join("templates/egen.html"), "{# egen mall #}\n").unwrap();
    assert!(site.join("themes").is_dir(), "the example has themes/");
    site
}

/// Every file and folder under `dir` with its bytes; a symbolic link as where it points (not
/// followed, so a link into the sources is not counted twice).
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            let meta = std::fs::symlink_metadata(&path).unwrap();
            let rel = path.strip_prefix(dir).unwrap().to_path_buf();
            if meta.file_type().is_symlink() {
                let target = std::fs::read_link(&path).unwrap();
                out.insert(rel, format!("-> {}", target.display()).into_bytes());
            } else if meta.is_dir() {
                out.insert(rel, b"/".to_vec());
                stack.push(path);
            } else {
                out.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    out
}

/// The `site.toml` of `site` with `utdata` set to `value`; returns the setting's line.
fn set_utdata(site: &Path, value: &str) -> usize {
    let path = site.join("site.toml");
    let text = read(&path);
    let mut line = 0;
    let new: Vec<String> = text
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if l.starts_with("utdata") {
                line = i + 1;
                format!("utdata = {value:?}")
            } else {
                l.to_string()
            }
        })
        .collect();
    assert!(line > 0, "no utdata line in {}", path.display());
    std::fs::write(&path, new.join("\n") + "\n").unwrap();
    line
}

/// The error lines (`…: fel [code] …`) of a build's report.
fn error_lines(run: &Run) -> Vec<&str> {
    run.stderr
        .lines()
        .filter(|l| l.contains(": fel ["))
        .collect()
}

#[test]
fn an_output_over_the_sources_or_a_foreign_folder_is_refused_and_nothing_changes() {
    let dir = tempfile::tempdir().unwrap();
    let site = archive(dir.path());
    let foreign = dir.path().join("mina-dokument");
    std::fs::create_dir_all(foreign.join("2024")).unwrap();
    std::fs::write(foreign.join("2024/uppsats.txt"), "mitt arbete").unwrap();
    let outside = dir.path().join("annat");
    std::fs::create_dir_all(&outside).unwrap();
    // A link named like an output folder that leads into the sources.
    std::os::unix::fs::symlink(site.join("content"), outside.join("public")).unwrap();
    let site_str = site.to_str().unwrap().to_string();
    // (--utdata as given on the command line run in the archive, utdata in site.toml)
    let cases: Vec<(String, String)> = vec![
        ("content".into(), "content".into()),
        ("./content/".into(), "content/../content".into()),
        ("themes".into(), "themes".into()),
        ("themes/default".into(), "themes/default".into()),
        ("templates".into(), "templates".into()),
        (".".into(), ".".into()),
        (site_str.clone(), site_str.clone()),
        ("content/soderasen".into(), "content/soderasen".into()),
        (
            "content/soderasen/protokoll/ny".into(),
            "content/soderasen/protokoll/ny".into(),
        ),
        ("..".into(), "..".into()),
        ("ny/../../arkiv".into(), "ny/../../arkiv".into()),
        (
            foreign.to_str().unwrap().into(),
            foreign.to_str().unwrap().into(),
        ),
        (
            outside.join("public").to_str().unwrap().into(),
            outside.join("public").to_str().unwrap().into(),
        ),
    ];
    let before = snapshot(dir.path());
    assert!(before.len() > 40, "{} files", before.len());
    for (flag, setting) in &cases {
        let run = protokoll(&site, &["build", "--idag", IDAG, "--utdata", flag]);
        let errors = error_lines(&run);
        assert_eq!(run.code, Some(1), "--utdata {flag}: {}", run.stderr);
        assert!(
            errors
                .iter()
                .any(|l| l.contains("[utdata] --utdata: utdatamappen")),
            "--utdata {flag}: {}",
            run.stderr
        );
        assert!(
            run.stderr.contains("välj en egen mapp med --utdata"),
            "--utdata {flag}: {}",
            run.stderr
        );
        assert!(
            snapshot(dir.path()) == before,
            "--utdata {flag} changed files"
        );

        let toml_before = read(&site.join("site.toml"));
        let line = set_utdata(&site, setting);
        let with_setting = snapshot(dir.path());
        let run = protokoll(&site, &["build", "--idag", IDAG]);
        assert_eq!(run.code, Some(1), "utdata = {setting:?}: {}", run.stderr);
        let at = format!("site.toml:{line}:1: fel [utdata] utdata i site.toml: utdatamappen");
        assert!(
            error_lines(&run).iter().any(|l| l.contains(&at)),
            "utdata = {setting:?}: {}",
            run.stderr
        );
        assert!(
            run.stderr
                .contains("ändra eller lägg till `utdata` i site.toml")
        );
        assert!(
            snapshot(dir.path()) == with_setting,
            "utdata = {setting:?} changed files"
        );
        std::fs::write(site.join("site.toml"), toml_before).unwrap();
    }
    // The messages say what the folder is.
    let run = protokoll(&site, &["build", "--idag", IDAG, "--utdata", "content"]);
    assert!(
        run.stderr.contains("är arkivets innehållsmapp content/"),
        "{}",
        run.stderr
    );
    let run = protokoll(&site, &["build", "--idag", IDAG, "--utdata", ".."]);
    assert!(
        run.stderr.contains("innehåller arkivets mapp"),
        "{}",
        run.stderr
    );
    let run = protokoll(
        &site,
        &[
            "build",
            "--idag",
            IDAG,
            "--utdata",
            foreign.to_str().unwrap(),
        ],
    );
    assert!(
        run.stderr.contains("skapades inte av protokoll") && run.stderr.contains("töm mappen"),
        "{}",
        run.stderr
    );
    // Without `utdata` in site.toml the default public/ is checked too, and the error says so.
    let toml_before = read(&site.join("site.toml"));
    let without: String = toml_before
        .lines()
        .filter(|l| !l.starts_with("utdata"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(site.join("site.toml"), without).unwrap();
    std::fs::create_dir(site.join("public")).unwrap();
    std::fs::write(site.join("public/egen.html"), "min egen sida").unwrap();
    let run = protokoll(&site, &["build", "--idag", IDAG]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "site.toml:1:1: fel [utdata] utdata (inte angiven i site.toml, standard public): utdatamappen"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(read(&site.join("public/egen.html")), "min egen sida");
    std::fs::remove_dir_all(site.join("public")).unwrap();
    std::fs::write(site.join("site.toml"), toml_before).unwrap();
    // `serve` refuses the same folders before it builds or listens.
    let run = protokoll(&site, &["serve", "--port", "0", "--utdata", "content"]);
    assert_eq!(run.code, Some(2), "{}{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains("--utdata: utdatamappen") && run.stderr.contains("innehållsmapp"),
        "{}",
        run.stderr
    );
    assert!(snapshot(dir.path()) == before, "serve changed files");
}

#[test]
fn the_builds_own_output_is_rebuilt_and_an_empty_folder_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build_ok(&repo(), &out);
    let marker = read(&out.join(MARKER));
    assert!(marker.contains("protokoll build"), "{marker}");
    // Not part of the site: no sitemap or page names it.
    for (file, text) in read_tree(&out) {
        assert!(
            !String::from_utf8_lossy(&text).contains(MARKER),
            "{} names the marker",
            file.display()
        );
    }
    std::fs::write(out.join("gammal-sida.html"), "från förra bygget").unwrap();
    build_ok(&repo(), &out);
    assert!(out.join(MARKER).is_file() && out.join("index.html").is_file());
    assert!(!out.join("gammal-sida.html").exists());

    let empty = dir.path().join("tom");
    std::fs::create_dir(&empty).unwrap();
    build_ok(&repo(), &empty);
    assert!(empty.join("index.html").is_file() && empty.join(MARKER).is_file());
    // Nothing but the two outputs and the search server's indexes is left beside them.
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, [".protokoll", "public", "tom"]);
}

#[test]
fn an_older_unmarked_output_is_taken_over_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build_ok(&repo(), &out);
    // What a build before the marker left: no marker, and the tantivy index inside the output.
    std::fs::remove_file(out.join(MARKER)).unwrap();
    std::fs::create_dir_all(out.join("sok/index")).unwrap();
    std::fs::write(out.join("sok/index/meta.json"), "{}").unwrap();
    let run = build_ok(&repo(), &out);
    assert!(
        run.stderr.contains("saknade markeringsfilen"),
        "{}",
        run.stderr
    );
    assert!(out.join(MARKER).is_file());
    // Without the search server's index, which builds before the marker kept in the output, it
    // is not recognisably ours.
    std::fs::remove_file(out.join(MARKER)).unwrap();
    let run = build(&repo(), &out);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stderr.contains("skapades inte av protokoll"));
}

#[test]
fn stale_staging_folders_of_dead_builds_are_removed_and_live_ones_kept() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let stale = |name: &str| {
        let d = dir.path().join(name);
        std::fs::create_dir_all(d.join("soderasen/protokoll")).unwrap();
        std::fs::write(d.join(MARKER), "").unwrap();
        std::fs::write(d.join("soderasen/protokoll/index.html"), vec![b'x'; 50_000]).unwrap();
        d
    };
    // Linux pids stop at 2^22 (pid_max): these builds are dead.
    let dead = stale(".public.bygge-4194301");
    let dead_old = stale(".public.gammal-4194302");
    let mut sleeper = Command::new("sleep").arg("60").spawn().unwrap();
    let live = stale(&format!(".public.bygge-{}", sleeper.id()));
    // Not ours: no marker. Left alone whatever its name.
    let foreign = dir.path().join(".public.bygge-4194303");
    std::fs::create_dir_all(&foreign).unwrap();
    std::fs::write(foreign.join("anteckningar.txt"), "egna").unwrap();

    let run = build_ok(&repo(), &out);
    let _ = sleeper.kill();
    let _ = sleeper.wait();
    assert!(!dead.exists(), "{}", run.stderr);
    assert!(!dead_old.exists(), "{}", run.stderr);
    assert!(live.exists(), "a live build's folder was removed");
    assert!(foreign.join("anteckningar.txt").exists());
    assert!(
        run.stderr
            .contains("tog bort en byggmapp som ett avbrutet bygge lämnat kvar"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_build_killed_half_way_leaves_nothing_after_the_next_build() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build_ok(&repo(), &out);
    let first = snapshot(&out);
    // Kill a build as soon as its staging folder exists; a build can finish before it is seen,
    // so try a few times.
    let mut killed = None;
    for _ in 0..20 {
        let mut child = Command::new(env!("CARGO_BIN_EXE_protokoll"))
            .current_dir(repo())
            .args(["build", "--idag", "2025-03-21", "--utdata"])
            .arg(&out)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let staging = dir.path().join(format!(".public.bygge-{}", child.id()));
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        let mut seen = false;
        while std::time::Instant::now() < deadline {
            if staging.join(MARKER).exists() {
                seen = child.kill().is_ok();
                break;
            }
            if child.try_wait().unwrap().is_some() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        let status = child.wait().unwrap();
        if seen && !status.success() && staging.exists() {
            killed = Some(staging);
            break;
        }
    }
    let staging = killed.expect("no build could be killed while it was writing");
    // The killed build left its folder, and the previous site is whole.
    assert!(staging.is_dir());
    assert!(snapshot(&out) == first, "the killed build changed the site");
    let run = build_ok(&repo(), &out);
    assert!(!staging.exists(), "{}", run.stderr);
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, [".protokoll", "public"]);
    let index_home: Vec<_> = std::fs::read_dir(dir.path().join(".protokoll/sokindex"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        index_home,
        ["public"],
        "a staging folder of the index is left"
    );
}

/// Mounts a tmpfs of `size` at `at` (needs root); `Err` says why not.
fn mount_tmpfs(at: &Path, size: &str) -> Result<(), String> {
    // SAFETY-free check of root: `id -u` rather than libc.
    let uid = Command::new("id")
        .arg("-u")
        .output()
        .map_err(|e| e.to_string())?;
    if String::from_utf8_lossy(&uid.stdout).trim() != "0" {
        return Err("testet körs inte som root".into());
    }
    let out = Command::new("mount")
        .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
        .arg(at)
        .output()
        .map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(format!(
            "mount vägrade: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(())
}

struct Mounted(PathBuf);

impl Drop for Mounted {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_full_or_read_only_disk_gives_one_first_line_naming_the_cause() {
    // The summary itself, whatever the machine allows.
    let output = Path::new("/srv/public");
    let failures: Vec<(PathBuf, std::io::Error)> = (0..96_000)
        .map(|i| {
            (
                output.join(format!("p{i}/index.html")),
                std::io::Error::from_raw_os_error(28),
            )
        })
        .collect();
    let summary = protokoll::build::summarise_io_errors(output, failures);
    assert_eq!(summary.len(), 1, "{summary:?}");
    assert!(summary[0].message.contains("disken är full"));
    assert!(summary[0].message.contains("och 95 999 filer till"));

    let dir = tempfile::tempdir().unwrap();
    let disk = dir.path().join("disk");
    std::fs::create_dir(&disk).unwrap();
    if let Err(why) = mount_tmpfs(&disk, "200k") {
        eprintln!(
            "OBS: provet med en riktigt full disk hoppades över ({why}); sammanfattningen och en skrivskyddad mapp provades"
        );
        // Without root, permissions hold: a folder nobody may write into.
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&disk, std::fs::Permissions::from_mode(0o555)).unwrap();
        let run = build(&repo(), &disk.join("public"));
        std::fs::set_permissions(&disk, std::fs::Permissions::from_mode(0o755)).unwrap();
        assert_eq!(run.code, Some(1), "{}", run.stderr);
        let first = run.stderr.lines().next().unwrap_or_default();
        assert!(
            first.contains("fel [skriva]") && first.contains("åtkomst nekad"),
            "first line: {first}\n{}",
            run.stderr
        );
        return;
    }
    let _mounted = Mounted(disk.clone());
    let out = disk.join("public");
    let run = build(&repo(), &out);
    assert_eq!(run.code, Some(1), "{}{}", run.stdout, run.stderr);
    let first = run.stderr.lines().next().unwrap_or_default();
    assert!(
        first.contains("fel [skriva]") && first.contains("disken är full"),
        "first line: {first}\n{}",
        run.stderr
    );
    let errors = error_lines(&run);
    assert!(
        errors.len() <= 3,
        "{} error lines:\n{}",
        errors.len(),
        run.stderr
    );
    assert!(
        first.contains("filer till kunde inte skrivas av samma orsak"),
        "{first}"
    );
    // The failed build cleaned up after itself: the disk is empty again.
    assert_eq!(std::fs::read_dir(&disk).unwrap().count(), 0);

    // Read-only: the same, with its own cause.
    let remount = Command::new("mount")
        .args(["-o", "remount,ro"])
        .arg(&disk)
        .status()
        .unwrap();
    assert!(remount.success());
    let run = build(&repo(), &out);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    let first = run.stderr.lines().next().unwrap_or_default();
    assert!(
        first.contains("fel [skriva]") && first.contains("skrivskyddat"),
        "first line: {first}\n{}",
        run.stderr
    );
    assert!(error_lines(&run).len() <= 3, "{}", run.stderr);
}

/// The protocol count of a successful build's summary line.
fn protocols_built(run: &Run) -> usize {
    let line = run
        .stdout
        .lines()
        .find(|l| l.starts_with("Byggt "))
        .unwrap_or_else(|| panic!("{}", run.stdout));
    let before = line.split(" protokoll").next().unwrap();
    before.rsplit(' ').next().unwrap().parse().unwrap()
}

#[test]
fn symlinks_inside_the_archive_are_followed_and_others_reported() {
    let dir = tempfile::tempdir().unwrap();
    let site = archive(dir.path());
    let out = dir.path().join("public");
    let all = protocols_built(&build_ok(&site, &out));

    // A förbund folder and a single protocol kept elsewhere in the archive, linked in.
    let shared = site.join("delat");
    std::fs::create_dir_all(&shared).unwrap();
    std::fs::rename(site.join("content/blekinge"), shared.join("blekinge")).unwrap();
    std::os::unix::fs::symlink("../delat/blekinge", site.join("content/blekinge")).unwrap();
    let protocol_dir = site.join("content/soderasen/protokoll");
    let protocol = std::fs::read_dir(&protocol_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "md"))
        .unwrap();
    let name = protocol.file_name().unwrap().to_owned();
    std::fs::rename(&protocol, shared.join(&name)).unwrap();
    std::os::unix::fs::symlink(shared.join(&name), &protocol).unwrap();
    let run = build_ok(&site, &out);
    assert_eq!(protocols_built(&run), all, "{}", run.stdout);

    // Outside the archive, a loop and a dangling link: each an error at the link.
    let elsewhere = dir.path().join("utanfor");
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::fs::copy(shared.join(&name), elsewhere.join("2030-01-01.md")).unwrap();
    let outside = protocol_dir.join("2030-01-01.md");
    std::os::unix::fs::symlink(elsewhere.join("2030-01-01.md"), &outside).unwrap();
    let looped = protocol_dir.join("slinga");
    std::os::unix::fs::symlink("..", &looped).unwrap();
    let dangling = protocol_dir.join("2031-01-01.md");
    std::os::unix::fs::symlink("finns-inte.md", &dangling).unwrap();
    let run = build(&site, &out);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    let located = error_locations(&run.stderr);
    for (path, code) in [
        (&outside, "lank-utanfor"),
        (&looped, "lank-slinga"),
        (&dangling, "lank-trasig"),
    ] {
        let at = format!("{}:1:1", path.display());
        assert!(
            located.iter().any(|(l, c)| *l == at && c == code),
            "{code} at {at}: {located:?}\n{}",
            run.stderr
        );
    }
}

#[test]
fn an_oversized_content_file_is_refused_by_name_before_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let site = archive(dir.path());
    let big = site.join("content/soderasen/protokoll/2030-01-01.md");
    // 100 MB, sparse: if the build read it, it would take gigabytes of memory.
    std::fs::File::create(&big)
        .unwrap()
        .set_len(100 * 1024 * 1024)
        .unwrap();
    let started = std::time::Instant::now();
    let run = build(&site, &dir.path().join("public"));
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    let at = format!("{}:1:1: fel [for-stor]", big.display());
    let line = run
        .stderr
        .lines()
        .find(|l| l.starts_with(&at))
        .unwrap_or_else(|| panic!("{}", run.stderr));
    assert!(
        line.contains("100,0 MB") && line.contains("högst 5,0 MB"),
        "{line}"
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(60));
    // Just under the limit is read (and here fails only as a protocol would).
    std::fs::File::create(&big)
        .unwrap()
        .set_len(protokoll::load::files::MAX_CONTENT_FILE_BYTES)
        .unwrap();
    let run = build(&site, &dir.path().join("public"));
    assert!(!run.stderr.contains("[for-stor]"), "{}", run.stderr);
}
