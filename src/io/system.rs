//! Facts from the operating system: the account a process runs as, random ids, and whether a
//! session file is open to other accounts. No unsafe code: the account comes from
//! `/proc/self`'s owner (set by the kernel, not by the environment) and the password database.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

pub use crate::domain::account::{Account, Host};

/// The account this process runs as, read once.
pub fn account() -> &'static Account {
    static ACCOUNT: OnceLock<Account> = OnceLock::new();
    ACCOUNT.get_or_init(|| {
        let uid = own_uid();
        let login = uid
            .and_then(login_of)
            .or_else(|| run("id", &["-un"]))
            .or_else(|| uid.map(|u| format!("uid{u}")))
            .unwrap_or_else(|| "unknown".to_string());
        Account { login, uid }
    })
}

/// What a store is opened with on this machine: this process's account, random ids from the
/// system and the system clock.
pub fn host() -> Host {
    Host {
        account: account().clone(),
        new_id: random_id,
        now: crate::domain::time::now_stamp,
    }
}

fn own_uid() -> Option<u32> {
    std::fs::metadata("/proc/self")
        .map(|m| m.uid())
        .ok()
        .or_else(|| run("id", &["-u"])?.parse().ok())
}

/// The login of a uid, from the password database (`getent` also asks LDAP and the like).
fn login_of(uid: u32) -> Option<String> {
    let line = run("getent", &["passwd", &uid.to_string()]).or_else(|| {
        let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
        passwd
            .lines()
            .find(|line| line.split(':').nth(2) == Some(uid.to_string().as_str()))
            .map(str::to_string)
    })?;
    line.split(':')
        .next()
        .map(str::to_string)
        .filter(|l| !l.is_empty())
}

fn run(program: &str, args: &[&str]) -> Option<String> {
    let out = std::process::Command::new(program)
        .args(args)
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
        .filter(|s| !s.is_empty())
}

/// 128 random bits as hex, for a new session's id.
pub fn random_id() -> String {
    use std::io::Read;
    let mut bytes = [0u8; 16];
    let read = std::fs::File::open("/dev/urandom").and_then(|mut f| f.read_exact(&mut bytes));
    if read.is_err() {
        // No /dev/urandom: the time, the process and a counter still make it unique here.
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let seed = format!("{nanos}-{}-{:p}", std::process::id(), &bytes);
        return crate::domain::chain::sha256_hex(seed.as_bytes())[..32].to_string();
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The session file and its folder where other accounts (not the owner, not the group) may
/// write to them.
pub fn open_to_others(db: &Path) -> Vec<PathBuf> {
    let folder = db
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    [db, folder]
        .into_iter()
        .filter(|path| std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o002 != 0))
        .map(Path::to_path_buf)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_account_is_the_processes_own() {
        let account = account();
        let expected = run("id", &["-un"]).unwrap();
        assert_eq!(account.login, expected);
        assert_eq!(
            account.uid.map(|u| u.to_string()),
            run("id", &["-u"]),
            "the uid of the process"
        );
    }

    #[test]
    fn ids_are_random_hex() {
        let (a, b) = (random_id(), random_id());
        assert_eq!(a.len(), 32);
        assert_ne!(a, b);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
    }

    #[test]
    fn a_world_writable_session_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("council.db");
        std::fs::write(&db, b"").unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o770)).unwrap();
        std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o660)).unwrap();
        assert!(open_to_others(&db).is_empty());
        std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o666)).unwrap();
        assert_eq!(open_to_others(&db), vec![db.clone()]);
    }
}
