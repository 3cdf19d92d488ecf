//! protokoll: a static site generator for the public archive of Swedish samordningsförbund.
//!
//! Content (`content/`, see `docs/content-format.md`) is loaded into the [`model`], checked against
//! the law ([`check`], [`anslag`]), rendered through the theme's templates ([`render`]) and written
//! atomically to the output folder ([`build`]).

pub mod anslag;
pub mod build;
pub mod build_cache;
pub mod check;
pub mod cli;
pub mod config;
pub mod diagnostics;
pub mod extract;
pub mod generate;
pub mod import;
pub mod load;
pub mod markdown;
pub mod model;
pub mod output_guard;
pub mod privacy;
pub mod publish;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod security;
pub mod serve;
pub mod sv;
