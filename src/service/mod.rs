//! The operations both front ends run, above the store and the files and below `cli` and
//! `tui`: importing a session folder into a session, and exporting a session's results.
//! Nothing here prints or draws; the caller says what happened in its own way.

pub mod export;
pub mod import;
