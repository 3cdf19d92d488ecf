//! The citizens' query language: lives in the search core crate (`crates/sok-core`), shared
//! with the browser.
pub use sok_core::query::*;
