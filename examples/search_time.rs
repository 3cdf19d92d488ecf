//! Time per answer of the search engine, in process (no HTTP): what `protokoll serve` spends on
//! each query of a list, by searching it over and over. Prints each query's mean time, the mean
//! over the list, and a checksum of the answers, so that two builds of the engine can be shown to
//! give the same answers (scripts/bench-search, BENCHMARKS.md).
//!
//!   cargo run --release --example search_time -- <built site> <query list> [rounds]

use protokoll::search::engine::{Engine, Request};
use std::error::Error;
use std::time::Instant;

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let usage = "search_time <byggd webbplats> <fråglista> [varv]";
    let site = args.next().ok_or(usage)?;
    let list = args.next().ok_or(usage)?;
    let rounds: u32 = args.next().map_or(Ok(1000), |r| r.parse())?;
    let engine = Engine::open(std::path::Path::new(&site))?;
    let queries: Vec<String> = std::fs::read_to_string(&list)?
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_string)
        .collect();
    let mut answers = Vec::new();
    let mut sum = 0.0;
    for q in &queries {
        let request = Request {
            text: q.clone(),
            limit: 10,
            ..Default::default()
        };
        let started = Instant::now();
        for _ in 1..rounds {
            engine.search(&request)?;
        }
        let answer = engine.search(&request)?;
        let micros = started.elapsed().as_secs_f64() * 1e6 / f64::from(rounds.max(1));
        sum += micros;
        println!("{q:<28} {micros:8.1} µs");
        answers.extend(serde_json::to_vec(&answer)?);
    }
    // FNV-1a: a stable fingerprint of every answer, hits, excerpts and facets alike.
    let checksum = answers.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    println!(
        "medel {:.1} µs per fråga över {} frågor, {rounds} varv; svarens kontrollsumma {checksum:016x} ({} byte)",
        sum / queries.len().max(1) as f64,
        queries.len(),
        answers.len()
    );
    Ok(())
}
