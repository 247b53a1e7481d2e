//! The operations both front ends run, above the store and the files and below `cli` and
//! `tui`: importing a session folder into a session, exporting a session's results, and its
//! Word report.
//! Nothing here prints or draws; the caller says what happened in its own way.

pub mod export;
pub mod import;
pub mod report;
