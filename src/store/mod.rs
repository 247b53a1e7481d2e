//! The session store: one SQLite file is one session. The only module that sees SQL.

use crate::domain::{DecisionAction, ItemDetail, ItemState, ItemTexts, Session};
use crate::io::ImportBatch;
use std::path::{Path, PathBuf};

/// What can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: not a council session database ({reason})")]
    NotASession { path: PathBuf, reason: String },
    #[error("{path}: no such session database")]
    Missing { path: PathBuf },
    #[error("the session has no criteria yet: import a session folder first")]
    Empty,
    #[error("unknown unit '{0}'")]
    UnknownUnit(String),
    #[error("unknown criterion '{0}' (or not a leaf)")]
    UnknownCriterion(String),
    #[error("{0}")]
    Rejected(String),
    /// Another process decided the item after the caller read it (no silent overwrite).
    #[error("{unit} {criterion} was changed by {by} at {at} since you opened it")]
    Stale {
        unit: String,
        criterion: String,
        by: String,
        at: String,
        latest_seq: i64,
    },
    #[error("the session is finalised; it can no longer be changed")]
    Finalised,
    #[error("database error: {0}")]
    Sql(#[from] rusqlite::Error),
}

/// What an import adds or changes, counted per kind of record.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportPlan {
    pub criteria: Counts,
    pub units: Counts,
    /// Unit submissions: a changed one becomes a new version.
    pub submissions: Counts,
    pub proposals: Counts,
    pub survey: Counts,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub new: usize,
    pub changed: usize,
    pub unchanged: usize,
}

/// An opened session database.
pub struct Store {
    conn: rusqlite::Connection,
    path: PathBuf,
}

impl Store {
    /// Opens a session database, creating and migrating it as needed.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let _ = path;
        todo!()
    }

    /// Opens a database that must already exist.
    pub fn open_existing(path: &Path) -> Result<Store, StoreError> {
        let _ = path;
        todo!()
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The whole session's lean state, or None while nothing has been imported.
    pub fn load_session(&self) -> Result<Option<Session>, StoreError> {
        let _ = &self.conn;
        todo!()
    }

    /// Export texts of every item, laid out like `Session::items`.
    pub fn load_item_texts(&self, session: &Session) -> Result<Vec<ItemTexts>, StoreError> {
        let _ = session;
        todo!()
    }

    /// Notes, evidence, submission versions and the decision log of one item.
    pub fn item_detail(
        &self,
        unit_code: &str,
        criterion_code: &str,
    ) -> Result<ItemDetail, StoreError> {
        let _ = (unit_code, criterion_code);
        todo!()
    }

    /// The current lean state of one item (after a write, or when another process changed it).
    pub fn item_state(
        &self,
        unit_code: &str,
        criterion_code: &str,
    ) -> Result<ItemState, StoreError> {
        let _ = (unit_code, criterion_code);
        todo!()
    }

    /// What importing the batch would change, without writing.
    pub fn plan_import(&self, batch: &ImportBatch) -> Result<ImportPlan, StoreError> {
        let _ = batch;
        todo!()
    }

    /// Imports the batch in one transaction: all or nothing.
    pub fn apply_import(
        &mut self,
        batch: &ImportBatch,
        at: &str,
    ) -> Result<ImportPlan, StoreError> {
        let _ = (batch, at);
        todo!()
    }

    /// Appends one entry to an item's decision log, validated against the leaf and self-score,
    /// durable on return. `expected_seq` is the sequence number of the item's latest log entry as
    /// the caller saw it (`ItemState::log_seq`, 0 for none), or None to skip the check; a
    /// mismatch is refused with [`StoreError::Stale`].
    /// Returns the item's new state.
    pub fn record(
        &mut self,
        unit_code: &str,
        criterion_code: &str,
        action: &DecisionAction,
        by: &str,
        at: &str,
        expected_seq: Option<i64>,
    ) -> Result<ItemState, StoreError> {
        let _ = (unit_code, criterion_code, action, by, at, expected_seq);
        todo!()
    }

    /// Changes whenever any connection commits a write (`PRAGMA data_version`), for live refresh.
    pub fn data_version(&self) -> Result<i64, StoreError> {
        todo!()
    }
}
