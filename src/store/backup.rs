//! `council backup`: a consistent, complete copy of the session at any moment, screens open
//! or not, through SQLite's online backup API (a plain copy of the file can miss decisions
//! still in its -wal file).

use super::{Rejection, Store, StoreError, Unavailable};
use rusqlite::Connection;
use rusqlite::backup::{Backup, StepResult};
use std::path::{Path, PathBuf};

impl Store {
    /// Copies the session to `out` (refusing to replace a file unless `force`): written beside
    /// it under a temporary name, synced, checked and renamed into place. Returns the copy's
    /// chain head (entries and hash).
    pub fn backup_to(&self, out: &Path, force: bool) -> Result<(i64, String), StoreError> {
        let unavailable = |reason: String| StoreError::Unavailable {
            path: out.to_path_buf(),
            reason: Unavailable::Other(reason),
        };
        if out.exists() && !force {
            return Err(Rejection::BackupExists(out.to_path_buf()).into());
        }
        let same = std::fs::canonicalize(out).ok().is_some()
            && std::fs::canonicalize(out).ok() == std::fs::canonicalize(&self.path).ok();
        if same {
            return Err(Rejection::BackupOverSession.into());
        }
        let temp = temp_beside(out);
        let result = self.copy_into(&temp).and_then(|head| {
            std::fs::rename(&temp, out).map_err(|e| unavailable(e.to_string()))?;
            Ok(head)
        });
        if result.is_err() {
            let _ = std::fs::remove_file(&temp);
        }
        result
    }

    fn copy_into(&self, temp: &Path) -> Result<(i64, String), StoreError> {
        let unavailable = |reason: Unavailable| StoreError::Unavailable {
            path: temp.to_path_buf(),
            reason,
        };
        let other = |reason: String| unavailable(Unavailable::Other(reason));
        let _ = std::fs::remove_file(temp);
        let mut copy = Connection::open(temp).map_err(|e| other(e.to_string()))?;
        {
            let backup = Backup::new(&self.conn, &mut copy)?;
            // All pages in one step: one read snapshot of the source, so the copy is
            // consistent even while other processes keep writing. Retried while locked.
            let mut attempts = 0;
            loop {
                match backup.step(-1)? {
                    StepResult::Done => break,
                    StepResult::More => continue,
                    _ if attempts < 100 => {
                        attempts += 1;
                        std::thread::sleep(std::time::Duration::from_millis(20));
                    }
                    _ => {
                        return Err(unavailable(Unavailable::Locked));
                    }
                }
            }
        }
        // A copy on its own: no -wal file beside it.
        copy.pragma_update(None, "journal_mode", "DELETE")?;
        let check: String = copy.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        if check != "ok" {
            return Err(other(check));
        }
        let head = super::chain::head(&copy)?;
        copy.close().map_err(|(_, e)| other(e.to_string()))?;
        std::fs::File::open(temp)
            .and_then(|f| f.sync_all())
            .map_err(|e| other(e.to_string()))?;
        Ok(head)
    }
}

fn temp_beside(out: &Path) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "council-backup.db".into());
    out.with_file_name(format!(".{name}.backup-{}", std::process::id()))
}
