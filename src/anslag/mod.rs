//! Anslag and appeal: the legal calendar and the dates computed for every protocol.

pub mod calendar;
pub mod court;
pub mod dates;

pub use dates::{LegalDates, NoticeStatus};
