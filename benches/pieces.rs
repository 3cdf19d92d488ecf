//! In-process benchmarks of the pieces a build repeats for every protocol: parsing a content file,
//! rendering Markdown safely, the privacy scan and the legal date computation.
//! Run: `cargo bench --bench pieces`.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::Path;

fn example(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn pieces(c: &mut Criterion) {
    let protocol = example("content/soderasen/protokoll/2025-03-11.md");
    let file = Path::new("content/soderasen/protokoll/2025-03-11.md");
    c.bench_function("parse protocol (Söderåsen 2025-03-11)", |b| {
        b.iter(|| {
            let mut errors = Vec::new();
            black_box(protokoll::load::parse_protocol(
                black_box(&protocol),
                file,
                &mut errors,
            ))
        })
    });
    let body = protocol
        .split("\n---\n")
        .nth(1)
        .unwrap_or(&protocol)
        .to_string();
    c.bench_function("markdown to sanitised html (protocol body)", |b| {
        b.iter(|| black_box(protokoll::markdown::to_html(black_box(&body))))
    });
    c.bench_function("privacy scan (protocol file)", |b| {
        let policy = protokoll::privacy::Policy::default();
        b.iter(|| black_box(protokoll::privacy::scan(black_box(&protocol), &policy)))
    });
    c.bench_function("last appeal day", |b| {
        let d = chrono::NaiveDate::from_ymd_opt(2025, 12, 10).unwrap_or_default();
        b.iter(|| black_box(protokoll::anslag::calendar::last_appeal_day(black_box(d))))
    });
}

criterion_group!(benches, pieces);
criterion_main!(benches);
