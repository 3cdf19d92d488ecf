//! Getting text out of an input file: a PDF (through `pdftotext -layout`, or the pure Rust
//! `pdf-extract` in a separate process when poppler is missing) or already extracted text.
//!
//! Every input is untrusted: a PDF parser may panic, loop or eat memory on a malformed file, so
//! the size is checked before anything is read, the PDF is parsed in a child process with a time
//! limit, and every failure becomes an [`ExtractError`] with a Swedish message for the report.
//!
//! Shared by `protokoll import` and the build, which guards the text of the PDFs published
//! beside protocols (`crate::load`).

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;
use wait_timeout::ChildExt;

/// Larger inputs are refused before they are read: a protocol, even with scanned annexes, is far
/// smaller, and a bigger file is more likely a mistake (a video, a disk image) than a protocol.
pub const DEFAULT_MAX_BYTES: u64 = 32 * 1024 * 1024;

/// How long text extraction from one PDF may take before it is abandoned.
pub const DEFAULT_PDF_TIMEOUT: Duration = Duration::from_secs(60);

/// Why no text could be had from a file.
#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    #[error("kan inte läsa filen: {0}")]
    Io(#[from] std::io::Error),
    #[error("filen är tom")]
    Empty,
    #[error("filen är för stor ({size_mb} MB; gränsen är {limit_mb} MB)")]
    TooLarge { size_mb: u64, limit_mb: u64 },
    #[error("filen är varken text eller PDF (binärt innehåll)")]
    Binary,
    #[error("filformatet `.{0}` kan inte importeras: spara dokumentet som PDF eller text (.txt)")]
    Unsupported(String),
    #[error("PDF-filen är trasig eller går inte att läsa: {0}")]
    BadPdf(String),
    #[error("textutvinningen ur PDF-filen tog mer än {0} s och avbröts")]
    Timeout(u64),
    #[error("PDF-filen innehåller ingen text (inskannad bild?): kör textigenkänning (OCR) först")]
    NoText,
}

/// How PDFs are turned into text.
#[derive(Debug, Clone)]
pub struct Extractor {
    pub max_bytes: u64,
    pub pdf_timeout: Duration,
    /// Use `pdftotext` when it is installed.
    pub use_pdftotext: bool,
    /// A `protokoll` binary whose hidden `pdf-text` command runs the pure Rust fallback in a
    /// child process; without it the fallback runs on a thread of this process.
    pub helper: Option<PathBuf>,
}

impl Default for Extractor {
    fn default() -> Self {
        Extractor {
            max_bytes: DEFAULT_MAX_BYTES,
            pdf_timeout: DEFAULT_PDF_TIMEOUT,
            use_pdftotext: std::env::var_os("PROTOKOLL_UTAN_PDFTOTEXT").is_none(),
            helper: None,
        }
    }
}

/// Text and how it was obtained.
#[derive(Debug, Clone)]
pub struct Extracted {
    pub text: String,
    /// e.g. "pdftotext -layout", "text (UTF-8)".
    pub method: String,
    /// Things the reviewer should know about the extraction.
    pub notes: Vec<String>,
}

fn is_pdf(bytes: &[u8]) -> bool {
    // The header may be preceded by a little junk; readers accept it within the first 1 KB.
    let head = &bytes[..bytes.len().min(1024)];
    head.windows(5).any(|w| w == b"%PDF-")
}

impl Extractor {
    /// Reads `path` and returns its text.
    pub fn extract(&self, path: &Path) -> Result<Extracted, ExtractError> {
        let size = std::fs::metadata(path)?.len();
        if size > self.max_bytes {
            return Err(ExtractError::TooLarge {
                size_mb: size.div_ceil(1024 * 1024),
                limit_mb: self.max_bytes / (1024 * 1024),
            });
        }
        let mut bytes = Vec::with_capacity(size as usize);
        // `take` guards against a file that grows while it is read.
        std::fs::File::open(path)?
            .take(self.max_bytes + 1)
            .read_to_end(&mut bytes)?;
        if bytes.len() as u64 > self.max_bytes {
            return Err(ExtractError::TooLarge {
                size_mb: (bytes.len() as u64).div_ceil(1024 * 1024),
                limit_mb: self.max_bytes / (1024 * 1024),
            });
        }
        if bytes.iter().all(|b| b.is_ascii_whitespace()) {
            return Err(ExtractError::Empty);
        }
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        if is_pdf(&bytes) {
            return self.pdf(path);
        }
        match ext.as_str() {
            "pdf" => Err(ExtractError::BadPdf(
                "filen saknar PDF-huvud (%PDF-)".into(),
            )),
            "doc" | "docx" | "odt" | "rtf" | "pages" | "xls" | "xlsx" => {
                Err(ExtractError::Unsupported(ext))
            }
            "html" | "htm" | "xhtml" => html_text(decode_text(&bytes)?),
            _ => {
                let text = decode_text(&bytes)?;
                if crate::import::html::looks_like_html(&text.text) {
                    html_text(text)
                } else {
                    Ok(text)
                }
            }
        }
    }

    fn pdf(&self, path: &Path) -> Result<Extracted, ExtractError> {
        if self.use_pdftotext {
            let mut cmd = Command::new("pdftotext");
            cmd.args(["-layout", "-enc", "UTF-8"]).arg(path).arg("-");
            match run_with_timeout(cmd, self.pdf_timeout) {
                Ok(Output::Done {
                    status,
                    stdout,
                    stderr,
                }) => {
                    if !status {
                        return Err(ExtractError::BadPdf(first_line(&stderr)));
                    }
                    return finish_pdf(stdout, "pdftotext -layout");
                }
                Ok(Output::TimedOut) => {
                    return Err(ExtractError::Timeout(self.pdf_timeout.as_secs()));
                }
                // Not installed: fall through to the pure Rust extraction.
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(ExtractError::Io(e)),
            }
        }
        match &self.helper {
            Some(helper) => {
                let mut cmd = Command::new(helper);
                cmd.arg("pdf-text").arg(path);
                match run_with_timeout(cmd, self.pdf_timeout)? {
                    Output::Done {
                        status: true,
                        stdout,
                        ..
                    } => {
                        let mut e = finish_pdf(stdout, "pdf-extract (inbyggd, utan poppler)")?;
                        e.notes.push(
                            "pdftotext saknas: texten togs ut med den inbyggda PDF-läsaren, som \
                             inte bevarar spalter och tabeller lika väl; installera poppler-utils"
                                .into(),
                        );
                        Ok(e)
                    }
                    Output::Done { stderr, .. } => Err(ExtractError::BadPdf(first_line(&stderr))),
                    Output::TimedOut => Err(ExtractError::Timeout(self.pdf_timeout.as_secs())),
                }
            }
            None => {
                let bytes = std::fs::read(path)?;
                let timeout = self.pdf_timeout;
                let (tx, rx) = std::sync::mpsc::channel();
                // A thread that overruns is abandoned: it cannot be stopped, but the import goes on.
                std::thread::spawn(move || {
                    let _ = tx.send(pdf_text_in_process(&bytes));
                });
                match rx.recv_timeout(timeout) {
                    Ok(Ok(text)) => finish_pdf(text.into_bytes(), "pdf-extract (inbyggd)"),
                    Ok(Err(e)) => Err(ExtractError::BadPdf(e)),
                    Err(_) => Err(ExtractError::Timeout(timeout.as_secs())),
                }
            }
        }
    }
}

/// A web copy: the page's text, read block by block (see [`crate::import::html`]).
fn html_text(page: Extracted) -> Result<Extracted, ExtractError> {
    let text = crate::import::html::to_text(&page.text);
    if text.chars().filter(|c| c.is_alphabetic()).count() < 20 {
        return Err(ExtractError::Empty);
    }
    let mut notes = page.notes;
    notes.push(
        "webbsida (HTML): radnumren i rapporten avser sidans text som den lästes, ett block per \
         rad och tabellceller åtskilda av mellanslag, inte källkodens rader"
            .into(),
    );
    Ok(Extracted {
        text,
        method: format!("HTML ({})", page.method),
        notes,
    })
}

/// The pure Rust extraction, with panics of the PDF library turned into errors. Used by the
/// hidden `protokoll pdf-text` command (in a child process) and as the in-process fallback.
pub fn pdf_text_in_process(bytes: &[u8]) -> Result<String, String> {
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        pdf_extract::extract_text_from_mem(bytes)
    }));
    match result {
        Ok(Ok(text)) => Ok(text),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err("PDF-läsaren kunde inte tolka filen".to_string()),
    }
}

fn first_line(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr);
    // pdftotext prints warnings before the error that matters; the last line names it.
    text.lines()
        .rfind(|l| !l.trim().is_empty())
        .map(|l| l.trim().chars().take(200).collect())
        .unwrap_or_else(|| "okänt fel".to_string())
}

fn finish_pdf(stdout: Vec<u8>, method: &str) -> Result<Extracted, ExtractError> {
    let text = String::from_utf8_lossy(&stdout).into_owned();
    if text.chars().filter(|c| c.is_alphabetic()).count() < 20 {
        return Err(ExtractError::NoText);
    }
    Ok(Extracted {
        text,
        method: method.to_string(),
        notes: Vec::new(),
    })
}

enum Output {
    Done {
        status: bool,
        stdout: Vec<u8>,
        stderr: Vec<u8>,
    },
    TimedOut,
}

/// Runs a command, reading its output on threads (so a full pipe cannot block it) and killing it
/// when it overruns `timeout`.
fn run_with_timeout(mut cmd: Command, timeout: Duration) -> std::io::Result<Output> {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let mut out = child.stdout.take();
    let mut err = child.stderr.take();
    let out_thread = std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(o) = out.as_mut() {
            let _ = o.read_to_end(&mut buf);
        }
        buf
    });
    let err_thread = std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(e) = err.as_mut() {
            // Enough to explain a failure; a flood of warnings is cut.
            let _ = e.take(64 * 1024).read_to_end(&mut buf);
            let _ = std::io::copy(e, &mut std::io::sink());
        }
        buf
    });
    match child.wait_timeout(timeout)? {
        Some(status) => Ok(Output::Done {
            status: status.success(),
            stdout: out_thread.join().unwrap_or_default(),
            stderr: err_thread.join().unwrap_or_default(),
        }),
        None => {
            let _ = child.kill();
            let _ = child.wait();
            Ok(Output::TimedOut)
        }
    }
}

/// Text input: UTF-8 (with or without BOM), or Windows-1252 as older exports are.
fn decode_text(bytes: &[u8]) -> Result<Extracted, ExtractError> {
    if bytes.contains(&0) {
        return Err(ExtractError::Binary);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let (text, method, notes) = match std::str::from_utf8(bytes) {
        Ok(t) => (t.to_string(), "text (UTF-8)", Vec::new()),
        // A file cut off in the middle of a character: only its last character is broken.
        Err(e) if e.error_len().is_none() => (
            String::from_utf8_lossy(&bytes[..e.valid_up_to()]).into_owned(),
            "text (UTF-8)",
            vec!["filen slutar mitt i ett tecken (avkortad?); sista tecknet togs bort".to_string()],
        ),
        Err(_) => {
            let text: String = bytes.iter().map(|&b| windows_1252(b)).collect();
            (
                text,
                "text (Windows-1252)",
                vec![
                    "filen var inte UTF-8 och lästes som Windows-1252; kontrollera å, ä och ö"
                        .to_string(),
                ],
            )
        }
    };
    let controls = text
        .chars()
        .filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}'))
        .count();
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    if controls * 100 > text.chars().count().max(1) || letters < 20 {
        return Err(if letters == 0 && controls == 0 {
            ExtractError::Empty
        } else {
            ExtractError::Binary
        });
    }
    Ok(Extracted {
        text,
        method: method.to_string(),
        notes,
    })
}

/// One byte of Windows-1252 (the Swedish letters are the same as in Latin-1).
fn windows_1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9f => HIGH[(b - 0x80) as usize],
        _ => b as char,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }

    #[test]
    fn text_inputs_and_their_errors() {
        let dir = tempfile::tempdir().unwrap();
        let ex = Extractor::default();
        let ok = write(
            dir.path(),
            "a.txt",
            "Sammanträdesprotokoll nr 2 2025-03-11 för styrelsen".as_bytes(),
        );
        assert_eq!(ex.extract(&ok).unwrap().method, "text (UTF-8)");
        let empty = write(dir.path(), "b.txt", b"  \n\n");
        assert!(matches!(ex.extract(&empty), Err(ExtractError::Empty)));
        let binary = write(dir.path(), "c.txt", &[0u8, 1, 2, 3, 255, 0, 7]);
        assert!(matches!(ex.extract(&binary), Err(ExtractError::Binary)));
        let latin1 = write(
            dir.path(),
            "d.txt",
            b"Sammantr\xe4desprotokoll f\xf6r styrelsen i \xc5storp, protokoll",
        );
        let e = ex.extract(&latin1).unwrap();
        assert!(
            e.text
                .contains("Sammanträdesprotokoll för styrelsen i Åstorp"),
            "{}",
            e.text
        );
        let docx = write(dir.path(), "e.docx", b"PK\x03\x04 not really a document");
        assert!(matches!(
            ex.extract(&docx),
            Err(ExtractError::Unsupported(_))
        ));
        let fake_pdf = write(
            dir.path(),
            "f.pdf",
            b"this is not a pdf at all, only text pretending",
        );
        assert!(matches!(
            ex.extract(&fake_pdf),
            Err(ExtractError::BadPdf(_))
        ));
    }

    #[test]
    fn size_is_checked_before_reading() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(dir.path(), "big.txt", &vec![b'a'; 3 * 1024 * 1024]);
        let ex = Extractor {
            max_bytes: 1024 * 1024,
            ..Extractor::default()
        };
        match ex.extract(&p) {
            Err(ExtractError::TooLarge { size_mb, limit_mb }) => {
                assert_eq!((size_mb, limit_mb), (3, 1))
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_truncated_pdf_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(
            dir.path(),
            "t.pdf",
            b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Ty",
        );
        for use_pdftotext in [true, false] {
            let ex = Extractor {
                use_pdftotext,
                pdf_timeout: Duration::from_secs(20),
                ..Extractor::default()
            };
            let r = ex.extract(&p);
            assert!(
                matches!(r, Err(ExtractError::BadPdf(_)) | Err(ExtractError::NoText)),
                "{r:?}"
            );
        }
    }
}
