//! protokoll: a static site generator for the public archive of Swedish samordningsförbund.
//!
//! Content (`content/`, see `docs/content-format.md`) is loaded into the [`model`], rendered
//! through the theme's templates and written atomically to the output folder.

pub mod anslag;
pub mod config;
pub mod diagnostics;
pub mod load;
pub mod model;
