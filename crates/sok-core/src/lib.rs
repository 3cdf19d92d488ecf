//! protokoll's search core: one implementation of what a query means, used natively by the
//! server and the command line and compiled to WebAssembly for the browser (`crates/sok-wasm`).
//!
//! - [`analysis`]: what a word becomes in the index and in a query (stems, compound parts).
//! - [`query`]: the citizens' query language (words, "phrases", -exclusions, the typed word).
//! - [`dates`]: a meeting date written in the query ("2025-03-11", "11 mars 2025").
//! - [`forms`]: the forms of a word that Snowball does not join (irregular Swedish forms,
//!   definite endings) and one-edit spelling corrections.
//! - [`plan`]: from a parsed query and the index's vocabulary to the terms each word matches.
//! - [`rank`]: all-word matches first, then the best partial matches; filters and facets.
//! - [`excerpt`]: a window of the text cut at word bounds around the best match.
//!
//! Nothing here depends on more than `std` and the stemmer, so that it compiles to wasm.

pub mod analysis;
pub mod dates;
pub mod excerpt;
pub mod filter;
pub mod forms;
pub mod plan;
pub mod query;
pub mod rank;
pub mod status;
