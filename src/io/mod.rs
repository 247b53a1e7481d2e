//! Import (CSV → domain, with file:line:column errors) and export (domain → CSV/JSON).
//! The only module besides the store that touches files.

pub mod agenda;
pub mod export;
pub mod import;
pub mod report;
pub mod system;
pub mod witness;
pub mod xlsx;

// The rows a folder is read into are the domain's; named here too for the reader's callers.
pub use crate::domain::import::{ImportBatch, ProposalRow, SelfScoreRow, SurveyRow};

use std::fmt;
use std::path::PathBuf;

/// A problem with an input file, pointing at the place it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    pub file: PathBuf,
    /// 1-based physical line, where there is one.
    pub line: Option<u64>,
    /// 1-based column (field number within the record), where there is one.
    pub column: Option<u64>,
    pub message: String,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for InputError {}

/// A warning that does not stop an import (unknown columns, missing self-scores, …).
pub type InputWarning = InputError;
