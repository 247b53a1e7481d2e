//! The session store: one SQLite file is one session. The only module that sees SQL.

mod agenda;
mod backup;
mod chain;
mod decisions;
mod import;
mod import_write;
mod load;
mod members;
mod record;
mod settings;

pub use agenda::{AgendaRow, ContentStamp, LeaderPosition, MeetingRow};
pub use record::{Finalisation, HistoryRow, OpenItem, VerifyReport, action_label};

use crate::domain::account::{Account, Host};
use crate::domain::text::tr;
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};

/// `PRAGMA application_id` of a council session: "CNCL".
pub const APPLICATION_ID: i64 = 0x434E_434C;

/// The schema version this build writes (`PRAGMA user_version`).
pub const SCHEMA_VERSION: i64 = 4;

/// Forward migrations: entry i brings a database from version i to i + 1.
const MIGRATIONS: &[&str] = &[
    include_str!("schema.sql"),
    include_str!("schema_v2.sql"),
    include_str!("schema_v3.sql"),
    include_str!("schema_v4.sql"),
];

/// The version whose migration also starts the one chain (see `chain::upgrade`).
const CHAIN_VERSION: i64 = 3;

/// What can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    NotASession {
        path: PathBuf,
        reason: String,
    },
    Missing {
        path: PathBuf,
    },
    /// The file is a session but cannot be used now (read-only, disk full, I/O error).
    Unavailable {
        path: PathBuf,
        reason: String,
    },
    Empty,
    UnknownUnit(String),
    UnknownCriterion(String),
    Rejected(String),
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
    NotPermitted(String),
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

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let message = match self {
            StoreError::NotASession { .. }
            | StoreError::Missing { .. }
            | StoreError::Unavailable { .. } => self.file_message(),
            StoreError::Stale { .. } | StoreError::NotYours { .. } => self.conflict_message(),
            _ => self.other_message(),
        };
        f.write_str(&message)
    }
}

impl StoreError {
    /// What is wrong with the session file.
    fn file_message(&self) -> String {
        match self {
            StoreError::NotASession { path, reason } => {
                let path = path.display();
                tr(
                    format!("{path}: not a council session database ({reason})"),
                    format!("{path}: không phải cơ sở dữ liệu phiên họp của hội đồng ({reason})"),
                )
            }
            StoreError::Missing { path } => {
                let path = path.display();
                tr(
                    format!("{path}: no such session database"),
                    format!("{path}: không có cơ sở dữ liệu phiên họp này"),
                )
            }
            StoreError::Unavailable { path, reason } => {
                let path = path.display();
                tr(
                    format!("{path}: cannot use the session database: {reason}"),
                    format!("{path}: không dùng được cơ sở dữ liệu phiên họp: {reason}"),
                )
            }
            _ => self.other_message(),
        }
    }

    /// Another reviewer's entry in the way of this one.
    fn conflict_message(&self) -> String {
        match self {
            StoreError::Stale {
                unit,
                criterion,
                by,
                at,
                ..
            } => {
                let at = crate::domain::time::local_date_time(at);
                tr(
                    format!("{unit} {criterion} was changed by {by} at {at} since you opened it"),
                    format!("{unit} {criterion} đã được {by} thay đổi lúc {at} sau khi bạn mở ra"),
                )
            }
            StoreError::NotYours {
                unit,
                criterion,
                by,
                at,
                redo,
            } => not_yours(&format!("{unit} {criterion}"), by, at, *redo),
            _ => self.other_message(),
        }
    }

    fn other_message(&self) -> String {
        match self {
            StoreError::Empty => tr(
                "the session has no criteria yet: import a session folder first",
                "phiên họp chưa có tiêu chí nào: hãy nhập thư mục phiên họp trước",
            ),
            StoreError::UnknownUnit(code) => tr(
                format!("unknown unit '{code}'"),
                format!("không có đơn vị mã '{code}'"),
            ),
            StoreError::UnknownCriterion(code) => tr(
                format!("unknown criterion '{code}' (or not a leaf)"),
                format!(
                    "không có tiêu chí mã '{code}' (hoặc đó không phải tiêu chí thành phần cuối cùng)"
                ),
            ),
            StoreError::Rejected(reason) => reason.clone(),
            StoreError::Finalised => tr(
                "the session is finalised; it can no longer be changed",
                "phiên họp đã chốt kết quả; không thể thay đổi nữa",
            ),
            StoreError::OpenDisputes(items) => {
                let count = items.len();
                let list = open_list(items);
                tr(
                    format!("{count} item(s) are still disputed and undecided: {list}"),
                    format!(
                        "còn {count} nội dung đang có ý kiến khác nhau và chưa quyết định: {list}"
                    ),
                )
            }
            StoreError::NotPermitted(reason) => reason.clone(),
            StoreError::Sql(error) => tr(
                format!("database error: {error}"),
                format!("lỗi cơ sở dữ liệu: {error}"),
            ),
            StoreError::NotASession { .. }
            | StoreError::Missing { .. }
            | StoreError::Unavailable { .. } => self.file_message(),
            StoreError::Stale { .. } | StoreError::NotYours { .. } => self.conflict_message(),
        }
    }
}

/// An undo or redo refused: who acted on `item` since, and when.
fn not_yours(item: &str, by: &str, at: &str, redo: bool) -> String {
    let at = crate::domain::time::local_date_time(at);
    if redo {
        tr(
            format!(
                "{item}: {by} acted at {at} after your undo; redo only restores your decision while nobody has acted since"
            ),
            format!(
                "{item}: {by} đã thay đổi lúc {at} sau khi bạn hoàn tác; chỉ làm lại được khi chưa ai thay đổi sau đó"
            ),
        )
    } else {
        tr(
            format!(
                "{item}: {by} decided at {at} and that decision is in force; undo only withdraws your own decision"
            ),
            format!(
                "{item}: {by} đã quyết định lúc {at} và quyết định đó đang có hiệu lực; chỉ hoàn tác được quyết định của chính mình"
            ),
        )
    }
}

fn open_list(items: &[OpenItem]) -> String {
    let mut names: Vec<String> = items
        .iter()
        .take(20)
        .map(|i| format!("{} {}", i.unit_code, i.criterion_code))
        .collect();
    if items.len() > 20 {
        let more = items.len() - 20;
        names.push(tr(
            format!("… {more} more"),
            format!("… và {more} nội dung khác"),
        ));
    }
    names.join(", ")
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
    conn: Connection,
    path: PathBuf,
    /// The operating-system account every entry is recorded under.
    account: Account,
    /// Where a new session id and the time of a migration's entry come from.
    new_id: fn() -> String,
    clock: fn() -> String,
    /// The display name of session-wide entries (imports, settings, members); the login if unset.
    actor_name: Option<String>,
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
                reason: tr(
                    "read-only, and not a session of this council version",
                    "chỉ đọc được, và không phải phiên họp của phiên bản council này",
                ),
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
                reason: something_else(),
            });
        }
        if version > SCHEMA_VERSION {
            return Err(StoreError::NotASession {
                path: path.to_path_buf(),
                reason: tr(
                    format!(
                        "written by a newer council (schema {version}, this one knows {SCHEMA_VERSION})"
                    ),
                    format!(
                        "do phiên bản council mới hơn ghi (lược đồ {version}, bản này chỉ biết {SCHEMA_VERSION})"
                    ),
                ),
            });
        }
        if version == 0 {
            let tables: i64 = conn
                .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))
                .map_err(fail)?;
            if tables > 0 {
                return Err(StoreError::NotASession {
                    path: path.to_path_buf(),
                    reason: something_else(),
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

fn something_else() -> String {
    tr(
        "it is an SQLite database of something else",
        "đây là cơ sở dữ liệu SQLite của một ứng dụng khác",
    )
}

fn not_a_session(path: &Path, error: &rusqlite::Error) -> StoreError {
    use rusqlite::ErrorCode;
    let unavailable = |reason: String| StoreError::Unavailable {
        path: path.to_path_buf(),
        reason,
    };
    match error {
        rusqlite::Error::SqliteFailure(e, _) => match e.code {
            ErrorCode::NotADatabase => StoreError::NotASession {
                path: path.to_path_buf(),
                reason: tr(
                    "the file is not an SQLite database",
                    "tệp không phải cơ sở dữ liệu SQLite",
                ),
            },
            ErrorCode::DatabaseCorrupt => StoreError::NotASession {
                path: path.to_path_buf(),
                reason: tr(
                    "the file is damaged (database disk image is malformed)",
                    "tệp bị hỏng (database disk image is malformed)",
                ),
            },
            ErrorCode::ReadOnly => unavailable(tr(
                "the file or its folder is read-only",
                "tệp hoặc thư mục chứa tệp chỉ cho phép đọc",
            )),
            ErrorCode::DiskFull => unavailable(tr("the disk is full", "ổ đĩa đã đầy")),
            ErrorCode::CannotOpen => unavailable(tr(
                "it cannot be opened (a missing or read-only folder, or no room for its -wal/-shm files)",
                "không mở được (thư mục không tồn tại hoặc chỉ cho phép đọc, hoặc không còn chỗ cho các tệp -wal/-shm)",
            )),
            ErrorCode::SystemIoFailure => unavailable(tr(
                "disk I/O error (is the disk full, or the file on a read-only or failing disk?)",
                "lỗi đọc/ghi đĩa (ổ đĩa đầy, hoặc tệp nằm trên ổ chỉ đọc hay ổ bị hỏng?)",
            )),
            ErrorCode::PermissionDenied => {
                unavailable(tr("permission denied", "không có quyền truy cập"))
            }
            _ => unavailable(error.to_string()),
        },
        other => unavailable(other.to_string()),
    }
}

#[cfg(test)]
mod record_tests;
#[cfg(test)]
mod tests;

impl From<rusqlite::types::FromSqlError> for StoreError {
    fn from(error: rusqlite::types::FromSqlError) -> StoreError {
        StoreError::Rejected(tr(
            format!("corrupt value in the database: {error}"),
            format!("giá trị hỏng trong cơ sở dữ liệu: {error}"),
        ))
    }
}
