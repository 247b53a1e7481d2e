//! The session store: one SQLite file is one session. The only module that sees SQL.

mod agenda;
mod backup;
mod chain;
mod decisions;
mod import;
mod import_write;
mod load;
mod members;
mod problems;
mod record;
mod settings;

pub use agenda::{AgendaRow, ContentStamp, LeaderPosition, MeetingRow};
pub use problems::{
    ContentDifference, DecisionDifference, EntryRef, SessionEntry, StateField, UnitPart,
    VerifyProblem,
};
pub use record::{Finalisation, HistoryRow, OpenItem, VerifyReport};

use crate::domain::account::{Account, Host};
use crate::domain::members::Refusal;
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};

/// `PRAGMA application_id` of a council session: "CNCL".
pub const APPLICATION_ID: i64 = 0x434E_434C;

/// The schema version this build writes (`PRAGMA user_version`).
pub const SCHEMA_VERSION: i64 = 5;

/// Forward migrations: entry i brings a database from version i to i + 1.
const MIGRATIONS: &[&str] = &[
    include_str!("schema.sql"),
    include_str!("schema_v2.sql"),
    include_str!("schema_v3.sql"),
    include_str!("schema_v4.sql"),
    include_str!("schema_v5.sql"),
];

/// The version whose migration also starts the one chain (see `chain::upgrade`).
const CHAIN_VERSION: i64 = 3;

/// What can go wrong in the store. The catalogue (messages/store.rs) says it in words.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    NotASession {
        path: PathBuf,
        reason: NotASession,
    },
    Missing {
        path: PathBuf,
    },
    /// The file is a session but cannot be used now (read-only, disk full, I/O error).
    Unavailable {
        path: PathBuf,
        reason: Unavailable,
    },
    Empty,
    UnknownUnit(String),
    UnknownCriterion(String),
    Rejected(Rejection),
    /// Another process decided the item after the caller read it (no silent overwrite).
    Stale {
        unit: String,
        criterion: String,
        by: String,
        at: String,
        latest_seq: i64,
    },
    Finalised,
    OpenDisputes(Vec<OpenItem>),
    /// The members list does not let this login do this.
    NotPermitted(Refusal),
    /// An undo or redo of someone else's decision: who acted on the item since, and when.
    NotYours {
        unit: String,
        criterion: String,
        by: String,
        at: String,
        redo: bool,
    },
    Sql(#[from] rusqlite::Error),
}

/// Why a file is not a council session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotASession {
    NotSqlite,
    Damaged,
    /// An SQLite database of another application.
    OtherApplication,
    /// Written by a newer council, with this schema version.
    Newer {
        version: i64,
    },
}

/// Why a session cannot be used now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unavailable {
    ReadOnly,
    DiskFull,
    CannotOpen,
    DiskIo,
    PermissionDenied,
    /// Read-only, and of another schema version: it cannot be migrated.
    ReadOnlyOtherVersion,
    /// Another process kept the session locked through every retry.
    Locked,
    /// The new database could not be put in place (the operating system's words).
    CannotCreate(String),
    /// As SQLite or the operating system says it.
    Other(String),
}

/// A write or a read the store refuses, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rejection {
    Decision(crate::domain::session::DecisionError),
    Setting(crate::domain::settings::SettingError),
    NothingToUndo {
        unit: String,
        criterion: String,
    },
    NothingToRedo {
        unit: String,
        criterion: String,
    },
    /// The session's log does not verify, so it is not finalised or exported as final.
    DoesNotVerify(Vec<VerifyProblem>),
    /// A members list that nobody could change again.
    NoChairOrSecretary,
    NotOnTheList(String),
    OnTheAgendaTwice {
        unit: String,
        criterion: String,
    },
    NoSuchVersion {
        unit: String,
        version: u32,
    },
    /// A new session's database that exists already.
    Exists(PathBuf),
    /// A resubmission whose criteria.csv is not the session's framework (the first code that
    /// differs).
    OtherFramework {
        differing: String,
    },
    BackupExists(PathBuf),
    BackupOverSession,
    /// Values the store never writes: the database was changed by something else.
    CorruptNumber(String),
    CorruptEvidence(String),
    CorruptValue(String),
    CorruptCode(crate::domain::criteria::CodeError),
    CorruptCriteria(Vec<crate::domain::FrameworkError>),
}

impl From<Rejection> for StoreError {
    fn from(rejection: Rejection) -> StoreError {
        StoreError::Rejected(rejection)
    }
}

/// What an import adds or changes/// What an import adds or changes, counted per kind of record.
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
    conn: Connection,
    path: PathBuf,
    /// The operating-system account every entry is recorded under.
    account: Account,
    /// Where a new session id and the time of a migration's entry come from.
    new_id: fn() -> String,
    clock: fn() -> String,
    /// The display name of session-wide entries (imports, settings, members); the login if unset.
    actor_name: Option<String>,
    /// The framework as of an import (its `last_import_at`), for looking an item's codes up.
    framework_cache: load::FrameworkCache,
}

impl Drop for Store {
    /// Copies the write-ahead log into the database file as far as no reader needs it, so a
    /// plain copy of the file taken later holds every decision (the last process to close
    /// also removes the -wal file; SQLite does that itself).
    fn drop(&mut self) {
        let _ = self
            .conn
            .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
    }
}

impl Store {
    /// Opens a session database, creating and migrating it as needed.
    pub fn open(path: &Path, host: Host) -> Result<Store, StoreError> {
        let conn = Connection::open(path).map_err(|e| not_a_session(path, &e))?;
        Store::set_up(conn, path, host)
    }

    /// Opens a database that must already exist.
    pub fn open_existing(path: &Path, host: Host) -> Result<Store, StoreError> {
        if !path.exists() {
            return Err(StoreError::Missing {
                path: path.to_path_buf(),
            });
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| not_a_session(path, &e))?;
        Store::set_up(conn, path, host)
    }

    /// Opens a session to read it: as `open_existing`, else, where the file cannot be written
    /// (a read-only disk or folder), read-only as it stands on disk.
    pub fn open_for_reading(path: &Path, host: Host) -> Result<Store, StoreError> {
        match Store::open_existing(path, host.clone()) {
            Err(StoreError::Unavailable { .. }) => Store::open_immutable(path, host),
            // On a read-only disk the open may pass and the first read fail (no -shm file).
            Ok(store)
                if store
                    .conn
                    .query_row("SELECT count(*) FROM meta", [], |_| Ok(()))
                    .is_err() =>
            {
                drop(store);
                Store::open_immutable(path, host)
            }
            other => other,
        }
    }

    fn open_immutable(path: &Path, host: Host) -> Result<Store, StoreError> {
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        let uri = format!("file:{}?immutable=1", path.display());
        let conn = Connection::open_with_flags(&uri, flags).map_err(|e| not_a_session(path, &e))?;
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| not_a_session(path, &e))?;
        let application: i64 = conn
            .query_row("PRAGMA application_id", [], |r| r.get(0))
            .map_err(|e| not_a_session(path, &e))?;
        if application != APPLICATION_ID || version != SCHEMA_VERSION {
            return Err(StoreError::Unavailable {
                path: path.to_path_buf(),
                reason: Unavailable::ReadOnlyOtherVersion,
            });
        }
        Ok(Store::from_parts(conn, path, host))
    }

    fn from_parts(conn: Connection, path: &Path, host: Host) -> Store {
        Store {
            conn,
            path: path.to_path_buf(),
            account: host.account,
            new_id: host.new_id,
            clock: host.now,
            actor_name: None,
            framework_cache: Default::default(),
        }
    }

    /// What this store was opened with.
    fn host(&self) -> Host {
        Host {
            account: self.account.clone(),
            new_id: self.new_id,
            now: self.clock,
        }
    }

    /// A scratch session in memory, e.g. to plan an import without creating a file.
    pub fn in_memory(host: Host) -> Result<Store, StoreError> {
        let path = Path::new(":memory:");
        let conn = Connection::open_in_memory().map_err(|e| not_a_session(path, &e))?;
        Store::set_up(conn, path, host)
    }

    fn set_up(conn: Connection, path: &Path, host: Host) -> Result<Store, StoreError> {
        let fail = |e: rusqlite::Error| not_a_session(path, &e);
        // Wait for another writer instead of failing at once.
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(fail)?;
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(fail)?;
        // Sessions carry council's application id: another program's SQLite file is refused
        // even when it keeps a user_version of its own.
        let application: i64 = conn
            .query_row("PRAGMA application_id", [], |r| r.get(0))
            .map_err(fail)?;
        if version > 0 && application != APPLICATION_ID {
            return Err(StoreError::NotASession {
                path: path.to_path_buf(),
                reason: NotASession::OtherApplication,
            });
        }
        if version > SCHEMA_VERSION {
            return Err(StoreError::NotASession {
                path: path.to_path_buf(),
                reason: NotASession::Newer { version },
            });
        }
        if version == 0 {
            let tables: i64 = conn
                .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))
                .map_err(fail)?;
            if tables > 0 {
                return Err(StoreError::NotASession {
                    path: path.to_path_buf(),
                    reason: NotASession::OtherApplication,
                });
            }
        }
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(fail)?;
        // A confirmed decision must survive a power cut: sync the WAL on every commit.
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        let mut store = Store::from_parts(conn, path, host);
        store.migrate(version)?;
        Ok(store)
    }

    fn migrate(&mut self, from: i64) -> Result<(), StoreError> {
        let host = self.host();
        for (i, script) in MIGRATIONS.iter().enumerate().skip(from as usize) {
            let to = i as i64 + 1;
            let tx = self
                .conn
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            // A finalised session is locked by triggers: lift the lock for the migration alone.
            let finalised = to == CHAIN_VERSION && record::unlock(&tx)?;
            tx.execute_batch(script)?;
            if to == CHAIN_VERSION {
                chain::upgrade(&tx, &host)?;
            }
            if finalised {
                record::lock(&tx)?;
            }
            tx.pragma_update(None, "user_version", to)?;
            tx.commit()?;
        }
        Ok(())
    }

    /// The display name recorded on session-wide entries (imports, settings, members) this
    /// store writes; by default the login.
    pub fn set_actor_name(&mut self, name: &str) {
        self.actor_name = Some(name.to_string()).filter(|n| !n.trim().is_empty());
    }

    fn actor_name(&self) -> String {
        self.actor_name
            .clone()
            .unwrap_or_else(|| self.account.login.clone())
    }

    /// The operating-system account this store records on every entry.
    pub fn account(&self) -> &Account {
        &self.account
    }

    /// Pretends another account, for the store's own tests of several reviewers.
    #[cfg(test)]
    pub(crate) fn set_account(&mut self, login: &str, uid: u32) {
        self.account = Account {
            login: login.to_string(),
            uid: Some(uid),
        };
    }

    /// The session's own id, made when it was created (a copy keeps it).
    pub fn session_id(&self) -> Result<String, StoreError> {
        chain::session_id(&self.conn)
    }

    /// The chain's last entry: its number and hash (0 and the genesis hash when empty).
    pub fn chain_head(&self) -> Result<(i64, String), StoreError> {
        chain::head(&self.conn)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Changes whenever another connection commits a write (`PRAGMA data_version`), for live refresh.
    pub fn data_version(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }

    /// Whether any criteria have been imported.
    pub fn has_framework(&self) -> Result<bool, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT EXISTS (SELECT 1 FROM criteria)", [], |r| r.get(0))?)
    }

    /// The raw connection, for the store's own tests.
    #[cfg(test)]
    pub(crate) fn connection(&self) -> &Connection {
        &self.conn
    }
}

fn not_a_session(path: &Path, error: &rusqlite::Error) -> StoreError {
    use rusqlite::ErrorCode;
    let not_a_session = |reason| StoreError::NotASession {
        path: path.to_path_buf(),
        reason,
    };
    let reason = match error {
        rusqlite::Error::SqliteFailure(e, _) => match e.code {
            ErrorCode::NotADatabase => return not_a_session(NotASession::NotSqlite),
            ErrorCode::DatabaseCorrupt => return not_a_session(NotASession::Damaged),
            ErrorCode::ReadOnly => Unavailable::ReadOnly,
            ErrorCode::DiskFull => Unavailable::DiskFull,
            ErrorCode::CannotOpen => Unavailable::CannotOpen,
            ErrorCode::SystemIoFailure => Unavailable::DiskIo,
            ErrorCode::PermissionDenied => Unavailable::PermissionDenied,
            _ => Unavailable::Other(error.to_string()),
        },
        other => Unavailable::Other(other.to_string()),
    };
    StoreError::Unavailable {
        path: path.to_path_buf(),
        reason,
    }
}

#[cfg(test)]
mod record_tests;
#[cfg(test)]
mod tests;

impl From<rusqlite::types::FromSqlError> for StoreError {
    fn from(error: rusqlite::types::FromSqlError) -> StoreError {
        StoreError::Rejected(Rejection::CorruptValue(error.to_string()))
    }
}
