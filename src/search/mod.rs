//! Search: the Swedish analysis, the tantivy index every build writes, the engine behind the
//! server and the command line, and the static index for plain web hosts. docs/search.md
//! describes the query language and the layout.

pub mod analysis;
pub mod engine;
pub mod http;
pub mod index;
pub mod page;
pub mod query;
pub mod static_index;
pub mod stored;
