//! Import (CSV → domain, with file:line:column errors) and export (domain → CSV/JSON).
//! The only module besides the store that touches files.

pub mod agenda;
pub mod export;
pub mod import;
pub mod report;
pub mod system;
pub mod witness;
pub mod xlsx;

mod problem;

// The rows a folder is read into are the domain's; named here too for the reader's callers.
pub use crate::domain::import::{ImportBatch, ProposalRow, SelfScoreRow, SurveyRow};

pub use problem::{
    CodeCell, FileKind, FolderEntry, InputError, InputWarning, NotRead, NotUtf8, Problem,
    RequiredCell, RequiredFile, ScoredBy, Separator, UnknownColumn,
};
