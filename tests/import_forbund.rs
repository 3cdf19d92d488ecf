//! Issue 21, Done when 3: a Blekinge text imported with `--forbund soderasen` is filed where it
//! was told, with a warning that the text names another förbund; a text that names the given
//! förbund, or one imported without `--forbund`, gets no such warning.

mod common;

use common::*;

const BLEKINGE: &str = "Samordningsförbundet i Blekinge\nProtokoll styrelsemöte\nDatum: 2025-05-05\nPlats: Karlshamn\n\n§ 1 Mötets öppnande\nOrdföranden öppnade mötet.\n\n§ 2 Val av justerare\nStyrelsen beslutar att utse Anna Exempel att justera protokollet.\n";

#[test]
fn forbund_given_on_the_command_line_that_the_text_contradicts_is_warned_about() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("content"), &dir.path().join("content"));
    std::fs::write(dir.path().join("blekinge.txt"), BLEKINGE).unwrap();
    let import = |file: &str, forbund: &str| {
        protokoll(
            dir.path(),
            &[
                "import",
                file,
                "--forbund",
                forbund,
                "--ut",
                "content",
                "--rapport",
                "rapport.md",
                "--skriv-over",
            ],
        )
    };
    let wrong = import("blekinge.txt", "soderasen");
    assert!(wrong.ok(), "{}\n{}", wrong.stdout, wrong.stderr);
    assert!(
        wrong.stderr.contains(
            "varning: blekinge.txt: texten nämner Samordningsförbundet i Blekinge men inte Söderåsens samordningsförbund"
        ),
        "{}",
        wrong.stderr
    );
    assert!(
        wrong.stderr.contains("--forbund soderasen"),
        "{}",
        wrong.stderr
    );
    assert!(
        dir.path()
            .join("content/soderasen/protokoll/2025-05-05.md")
            .is_file()
    );

    // The right förbund: no warning.
    let right = import("blekinge.txt", "blekinge");
    assert!(right.ok(), "{}", right.stderr);
    assert!(!right.stderr.contains("varning"), "{}", right.stderr);

    // A förbund the archive does not know, named the usual way, contradicts too.
    std::fs::write(
        dir.path().join("ljusdal.txt"),
        BLEKINGE.replace(
            "Samordningsförbundet i Blekinge",
            "Ljusdals samordningsförbund",
        ),
    )
    .unwrap();
    let unknown = import("ljusdal.txt", "soderasen");
    assert!(
        unknown
            .stderr
            .contains("texten nämner Ljusdals samordningsförbund men inte Söderåsens"),
        "{}",
        unknown.stderr
    );

    // A Söderåsen text that mentions Blekinge in passing is Söderåsen's.
    std::fs::write(
        dir.path().join("soderasen.txt"),
        BLEKINGE.replace(
            "Samordningsförbundet i Blekinge\n",
            "Söderåsens samordningsförbund\nStudiebesök hos Samordningsförbundet i Blekinge.\n",
        ),
    )
    .unwrap();
    let own = import("soderasen.txt", "soderasen");
    assert!(!own.stderr.contains("varning"), "{}", own.stderr);
}
