//! Bad databases and bad surroundings: a file that is not SQLite, another application's SQLite
//! file, a read-only or full disk, a 100 MB single line, legacy encodings, an export target that
//! cannot be written. Each case checks the exit code, the message and that the database file is
//! byte-identical afterwards (WAL folded in first).
//!
//! Read-only and full-disk media: the tests run as root in CI, where permission bits do not stop
//! writes. As root they mount a small tmpfs (`mount -t tmpfs -o size=…`, remounted `ro` for the
//! read-only case); without root they use `chmod` (read-only) and `ulimit -f` with SIGXFSZ
//! ignored (full disk). If neither works the case is skipped with a note on stdout.
//! `COUNCIL_TEST_NO_MOUNT=1` forces the fallbacks, to try them as root.
//!
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests stop at the first failure

#[path = "malformed_extra/support.rs"]
mod support;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Instant;
use support::*;

const SHAPE: Shape = Shape {
    fields: 3,
    leaves_per_field: 4,
    units: 4,
    evidence: false,
    self_score: "2",
};

/// The bytes of a database with its WAL folded in.
fn db_bytes(db: &Path) -> Vec<u8> {
    checkpoint(db);
    fs::read(db).unwrap()
}

fn run(args: &[&str]) -> (Option<i32>, String) {
    let out = council(args);
    (out.status.code(), text(&out.stderr))
}

fn arg(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// Every command that opens a database, pointed at `db`.
fn all_commands<'a>(folder: &'a str, db: &'a str, out: &'a str) -> Vec<Vec<&'a str>> {
    vec![
        vec!["import", folder, "--db", db, "--lang", "en"],
        vec![
            "decide",
            "--db",
            db,
            "--unit",
            "U1",
            "--criterion",
            "1.1",
            "--score",
            "1",
            "--reason",
            "x",
            "--lang",
            "en",
        ],
        vec!["summary", "--db", db, "--lang", "en"],
        vec!["export", "--db", db, "--out", out, "--lang", "en"],
    ]
}

fn is_root() -> bool {
    fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .and_then(|l| l.split_whitespace().nth(2).map(|uid| uid == "0"))
        })
        .unwrap_or(false)
}

/// A tmpfs mounted for one test, unmounted when dropped.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(at: &Path, size: &str) -> Option<Tmpfs> {
        // COUNCIL_TEST_NO_MOUNT=1 tries the fallbacks a machine without mount rights gets.
        if !is_root() || std::env::var_os("COUNCIL_TEST_NO_MOUNT").is_some() {
            return None;
        }
        fs::create_dir_all(at).unwrap();
        let ok = Command::new("mount")
            .args([
                "-t",
                "tmpfs",
                "-o",
                &format!("size={size}"),
                "tmpfs",
                arg(at),
            ])
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false);
        ok.then(|| Tmpfs(at.to_path_buf()))
    }

    fn remount_read_only(&self) -> bool {
        Command::new("mount")
            .args(["-o", "remount,ro", arg(&self.0)])
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false)
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).output();
    }
}

fn imported_session(dir: &Path) -> (PathBuf, PathBuf) {
    let folder = write_session(dir, "session", SHAPE);
    let db = dir.join("council.db");
    import_ok(&folder, &db);
    (folder, db)
}

#[test]
fn a_file_that_is_not_sqlite_is_refused_and_left_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = write_session(tmp.path(), "session", SHAPE);
    let out = tmp.path().join("out");
    let cases: [(&str, Vec<u8>); 3] = [
        (
            "notes.db",
            b"Bien ban hop hoi dong, not a database at all".to_vec(),
        ),
        ("empty-header.db", {
            // The SQLite magic followed by garbage: looks like SQLite, is not.
            let mut bytes = b"SQLite format 3\0".to_vec();
            bytes.extend((0u32..8000).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8));
            bytes
        }),
        (
            "spreadsheet.db",
            "unit_code,unit_name\nU1,Sở Nội vụ\n".as_bytes().to_vec(),
        ),
    ];
    for (name, bytes) in cases {
        let db = tmp.path().join(name);
        fs::write(&db, &bytes).unwrap();
        for command in all_commands(arg(&folder), arg(&db), arg(&out)) {
            let (code, stderr) = run(&command);
            assert_eq!(code, Some(3), "{command:?}: {stderr}");
            assert!(
                stderr.contains(name) && stderr.contains("not a council session database"),
                "{command:?}: {stderr}"
            );
            assert_eq!(fs::read(&db).unwrap(), bytes, "{command:?} changed {name}");
            assert!(!tmp.path().join(format!("{name}-wal")).exists());
            assert!(!out.exists(), "{command:?} wrote an export");
        }
    }
}

#[test]
fn a_truncated_council_database_is_refused_and_left_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let (folder, db) = imported_session(tmp.path());
    let mut bytes = db_bytes(&db);
    bytes.truncate(bytes.len() / 3);
    fs::write(&db, &bytes).unwrap();
    let out = tmp.path().join("out");
    for command in all_commands(arg(&folder), arg(&db), arg(&out)) {
        let (code, stderr) = run(&command);
        assert_eq!(code, Some(3), "{command:?}: {stderr}");
        assert!(stderr.contains("malformed"), "{command:?}: {stderr}");
        assert_eq!(fs::read(&db).unwrap(), bytes);
    }
}

fn other_application_db(path: &Path, user_version: i64) -> Vec<u8> {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch(&format!(
        "CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT);
         INSERT INTO moz_places (url) VALUES ('https://dichvucong.gov.vn');
         PRAGMA user_version = {user_version};"
    ))
    .unwrap();
    drop(conn);
    fs::read(path).unwrap()
}

#[test]
fn an_sqlite_file_of_another_application_is_refused_and_left_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = write_session(tmp.path(), "session", SHAPE);
    let db = tmp.path().join("places.sqlite");
    let bytes = other_application_db(&db, 0);
    let out = tmp.path().join("out");
    for command in all_commands(arg(&folder), arg(&db), arg(&out)) {
        let (code, stderr) = run(&command);
        assert_eq!(code, Some(3), "{command:?}: {stderr}");
        assert!(
            stderr.contains("places.sqlite")
                && stderr.contains("SQLite database of something else"),
            "{command:?}: {stderr}"
        );
        assert_eq!(fs::read(&db).unwrap(), bytes, "{command:?}");
    }
}

#[test]
fn another_application_with_its_own_user_version_is_refused_as_such() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = write_session(tmp.path(), "session", SHAPE);
    let out = tmp.path().join("out");
    for user_version in [1, 7] {
        let db = tmp.path().join(format!("app{user_version}.sqlite"));
        let bytes = other_application_db(&db, user_version);
        for command in all_commands(arg(&folder), arg(&db), arg(&out)) {
            let (code, stderr) = run(&command);
            assert_eq!(code, Some(3), "{command:?}: {stderr}");
            assert!(
                stderr.contains("something else") && !stderr.contains("newer council"),
                "{command:?}: {stderr}"
            );
            assert_eq!(fs::read(&db).unwrap(), bytes);
        }
    }
}

/// Makes `db` (already checkpointed) unwritable; returns how, and a guard to keep alive.
fn make_read_only(dir: &Path, db: &Path) -> Option<(&'static str, Option<Tmpfs>, PathBuf)> {
    let bytes = fs::read(db).unwrap();
    if let Some(mount) = Tmpfs::mount(&dir.join("ro"), "1m") {
        let moved = mount.0.join("council.db");
        fs::write(&moved, &bytes).unwrap();
        if mount.remount_read_only() {
            return Some(("a read-only tmpfs mount (root)", Some(mount), moved));
        }
    }
    if !is_root() {
        use std::os::unix::fs::PermissionsExt;
        let ro = dir.join("ro-dir");
        fs::create_dir_all(&ro).unwrap();
        let moved = ro.join("council.db");
        fs::write(&moved, &bytes).unwrap();
        fs::set_permissions(&moved, fs::Permissions::from_mode(0o444)).unwrap();
        fs::set_permissions(&ro, fs::Permissions::from_mode(0o555)).unwrap();
        return Some(("chmod 0444 file in a 0555 folder", None, moved));
    }
    None
}

#[test]
fn a_read_only_database_is_not_written() {
    let tmp = tempfile::tempdir().unwrap();
    let (folder, db) = imported_session(tmp.path());
    let bytes = db_bytes(&db);
    let Some((how, _guard, ro_db)) = make_read_only(tmp.path(), &db) else {
        println!("skipped: no way to make a read-only file here (root without mount)");
        return;
    };
    println!("read-only database via {how}");
    let out = tmp.path().join("out");
    for command in all_commands(arg(&folder), arg(&ro_db), arg(&out)) {
        let (code, stderr) = run(&command);
        println!("{command:?} → exit {code:?}: {}", stderr.trim());
        if command[0] == "import" || command[0] == "decide" {
            assert!(matches!(code, Some(1) | Some(3)), "{command:?}: {stderr}");
            assert!(stderr.contains("council.db"), "{stderr}");
        }
        assert_eq!(fs::read(&ro_db).unwrap(), bytes, "{command:?}");
    }
}

#[test]
fn a_read_only_database_says_so_and_can_still_be_read() {
    let tmp = tempfile::tempdir().unwrap();
    let (folder, db) = imported_session(tmp.path());
    db_bytes(&db);
    let Some((_, _guard, ro_db)) = make_read_only(tmp.path(), &db) else {
        return;
    };
    let (code, stderr) = run(&[
        "decide",
        "--db",
        arg(&ro_db),
        "--unit",
        "U1",
        "--criterion",
        "1.1",
        "--accept",
        "--lang",
        "en",
    ]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("read-only"), "{stderr}");
    assert!(!stderr.contains("not a council session"), "{stderr}");
    let (code, stderr) = run(&["summary", "--db", arg(&ro_db)]);
    assert_eq!(code, Some(0), "{stderr}");
    let _ = folder;
}

#[test]
fn a_database_path_under_a_regular_file_is_refused() {
    // ENOTDIR: what a root user meets instead of EACCES; nothing may be created anywhere.
    let tmp = tempfile::tempdir().unwrap();
    let folder = write_session(tmp.path(), "session", SHAPE);
    let file = tmp.path().join("plain.txt");
    fs::write(&file, "x").unwrap();
    let db = file.join("council.db");
    let out = tmp.path().join("out");
    for command in all_commands(arg(&folder), arg(&db), arg(&out)) {
        let (code, stderr) = run(&command);
        assert!(matches!(code, Some(1) | Some(3)), "{command:?}: {stderr}");
        assert!(
            stderr.contains("plain.txt/council.db"),
            "{command:?}: {stderr}"
        );
        assert_eq!(fs::read(&file).unwrap(), b"x");
        assert!(!out.exists());
    }
}

#[test]

fn a_failed_first_import_creates_no_database() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = write_session(tmp.path(), "session", SHAPE);
    fs::write(
        folder.join("self_scores.csv"),
        "unit_code,criterion_code,self_score\nU1,1.1,NaN\n",
    )
    .unwrap();
    let db = tmp.path().join("council.db");
    let (code, stderr) = run(&["import", arg(&folder), "--db", arg(&db)]);
    assert_eq!(code, Some(3), "{stderr}");
    assert!(!db.exists(), "a failed import created {}", db.display());
}

/// Writes a 100 MB single line into `folder/self_scores.csv`: `prefix` then `filler` bytes.
fn write_huge_line(folder: &Path, prefix: &str, filler: u8, suffix: &str) -> u64 {
    use std::io::Write;
    let path = folder.join("self_scores.csv");
    let mut file = std::io::BufWriter::new(fs::File::create(&path).unwrap());
    file.write_all(prefix.as_bytes()).unwrap();
    let chunk = vec![filler; 1 << 20];
    for _ in 0..100 {
        file.write_all(&chunk).unwrap();
    }
    file.write_all(suffix.as_bytes()).unwrap();
    file.flush().unwrap();
    fs::metadata(&path).unwrap().len()
}

/// Runs `council ARGS` under a 2 GiB address-space limit, so a runaway allocation fails the
/// test instead of the machine.
fn run_limited(args: &[&str]) -> (Output, f64) {
    let started = Instant::now();
    let out = Command::new("sh")
        .arg("-c")
        .arg("ulimit -v 2097152; exec \"$0\" \"$@\"")
        .arg(council_bin())
        .args(args)
        .env("USER", "kiểm thử")
        .output()
        .unwrap();
    (out, started.elapsed().as_secs_f64())
}

#[test]
fn a_100_mb_single_line_fails_with_exit_3_and_leaves_the_database_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let (folder, db) = imported_session(tmp.path());
    let before = db_bytes(&db);
    // One record whose score cell is 100 MB of digits.
    let size = write_huge_line(
        &folder,
        "unit_code,criterion_code,self_score,note\nU1,1.1,",
        b'9',
        ",note\n",
    );
    let (out, seconds) = run_limited(&["import", arg(&folder), "--db", arg(&db)]);
    let stderr = text(&out.stderr);
    println!(
        "100 MB score cell ({size} bytes): exit {:?} in {seconds:.1} s, {} bytes of messages",
        out.status.code(),
        out.stderr.len()
    );
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        &stderr[..stderr.len().min(500)]
    );
    assert!(stderr.contains("self_scores.csv:2:3"));
    assert_eq!(db_bytes(&db), before);
}

#[test]
fn a_100_mb_single_line_gets_a_short_message_quickly() {
    let tmp = tempfile::tempdir().unwrap();
    let (folder, db) = imported_session(tmp.path());
    let before = db_bytes(&db);
    for (prefix, suffix) in [
        (
            "unit_code,criterion_code,self_score,note\nU1,1.1,",
            ",note\n",
        ),
        ("", ""),
    ] {
        write_huge_line(&folder, prefix, b'9', suffix);
        let (out, seconds) = run_limited(&["import", arg(&folder), "--db", arg(&db)]);
        assert_eq!(out.status.code(), Some(3));
        assert!(
            out.stderr.len() < 64 * 1024,
            "{} bytes of messages",
            out.stderr.len()
        );
        assert!(seconds < 20.0, "{seconds} s");
        assert_eq!(db_bytes(&db), before);
    }
}

#[test]
fn legacy_encodings_are_refused_at_their_place() {
    let tmp = tempfile::tempdir().unwrap();
    let (folder, db) = imported_session(tmp.path());
    let before = db_bytes(&db);
    let good_scores = fs::read(folder.join("self_scores.csv")).unwrap();
    let good_units = fs::read(folder.join("units.csv")).unwrap();
    let utf16 = |big_endian: bool, bom: bool| -> Vec<u8> {
        let text = String::from_utf8(good_scores.clone()).unwrap();
        let mut bytes = Vec::new();
        if bom {
            bytes.extend(if big_endian {
                [0xFE, 0xFF]
            } else {
                [0xFF, 0xFE]
            });
        }
        for unit in text.encode_utf16() {
            bytes.extend(if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            });
        }
        bytes
    };
    // (file, bytes, expected place, expected words)
    let cases: Vec<(&str, Vec<u8>, &str, &str)> = vec![
        ("self_scores.csv", utf16(false, true), "self_scores.csv:1:1", "UTF-16 LE"),
        ("self_scores.csv", utf16(true, true), "self_scores.csv:1:1", "UTF-16 BE"),
        ("self_scores.csv", utf16(false, false), "self_scores.csv:1:1", "NUL byte"),
        (
            // "Sở Nội vụ" in Windows-1258: ơ = F5, combining hook above = D2, ô = F4, ư = FD.
            "units.csv",
            b"unit_code,unit_name,group\nU1,S\xF5\xD2 N\xF4\xD2i v\xFD\xF2,S\xF5\xD2\nU2,b,c\nU3,c,d\nU4,d,e\n"
                .to_vec(),
            "units.csv:2:2",
            "0xF5",
        ),
        (
            // Latin-1 "Café crème" in the note column of line 3.
            "self_scores.csv",
            b"unit_code,criterion_code,self_score,note\nU1,1.1,2,ok\nU1,1.2,2,Caf\xE9 cr\xE8me\n"
                .to_vec(),
            "self_scores.csv:3:4",
            "0xE9",
        ),
    ];
    for (file, bytes, place, words) in cases {
        fs::write(folder.join(file), &bytes).unwrap();
        let (code, stderr) = run(&["import", arg(&folder), "--db", arg(&db), "--lang", "en"]);
        assert_eq!(code, Some(3), "{file} {words}: {stderr}");
        assert!(stderr.contains(place), "{place}: {stderr}");
        assert!(stderr.contains(words), "{words}: {stderr}");
        assert!(stderr.contains("UTF-8"), "{stderr}");
        assert_eq!(db_bytes(&db), before);
        fs::write(folder.join("self_scores.csv"), &good_scores).unwrap();
        fs::write(folder.join("units.csv"), &good_units).unwrap();
    }
}

/// Runs a command on a full disk: a tiny tmpfs as root, else `ulimit -f` (512-byte blocks in
/// sh) with SIGXFSZ ignored so writes fail with EFBIG instead of killing the process.
struct FullDisk {
    dir: PathBuf,
    _mount: Option<Tmpfs>,
    file_limit_blocks: Option<u64>,
    how: &'static str,
}

impl FullDisk {
    fn new(tmp: &Path, size: &str) -> FullDisk {
        let dir = tmp.join("small");
        match Tmpfs::mount(&dir, size) {
            Some(mount) => FullDisk {
                dir,
                _mount: Some(mount),
                file_limit_blocks: None,
                how: "a small tmpfs mount (root)",
            },
            None => {
                fs::create_dir_all(&dir).unwrap();
                FullDisk {
                    dir,
                    _mount: None,
                    file_limit_blocks: Some(2 * 300),
                    how: "ulimit -f (RLIMIT_FSIZE), SIGXFSZ ignored",
                }
            }
        }
    }

    fn run(&self, args: &[&str]) -> (Option<i32>, String) {
        let out = match self.file_limit_blocks {
            None => council(args),
            Some(blocks) => Command::new("sh")
                .arg("-c")
                .arg(format!(
                    "trap '' XFSZ; ulimit -f {blocks}; exec \"$0\" \"$@\""
                ))
                .arg(council_bin())
                .args(args)
                .env("USER", "kiểm thử")
                .output()
                .unwrap(),
        };
        (out.status.code(), text(&out.stderr))
    }

    /// Fills the rest of a tmpfs, leaving about `leave` bytes; under ulimit, lowers the limit
    /// to one block, so that no file can grow past 512 bytes.
    fn fill(&mut self, leave: usize) {
        if let Some(blocks) = &mut self.file_limit_blocks {
            *blocks = 1;
            return;
        }
        use std::io::Write;
        let mut filler = fs::File::create(self.dir.join("filler")).unwrap();
        let chunk = vec![0u8; 4096];
        while filler.write_all(&chunk).is_ok() {}
        drop(filler);
        let len = fs::metadata(self.dir.join("filler")).unwrap().len();
        let file = fs::OpenOptions::new()
            .write(true)
            .open(self.dir.join("filler"))
            .unwrap();
        file.set_len(len.saturating_sub(leave as u64)).unwrap();
    }
}

#[test]
fn a_full_disk_fails_the_import_and_the_decision_cleanly() {
    let tmp = tempfile::tempdir().unwrap();
    let mut disk = FullDisk::new(tmp.path(), "1m");
    println!("full disk via {}", disk.how);
    let small = write_session(tmp.path(), "session", SHAPE);
    let db = disk.dir.join("council.db");
    let (code, stderr) = disk.run(&["import", arg(&small), "--db", arg(&db)]);
    assert_eq!(code, Some(0), "{stderr}");
    let before = db_bytes(&db);

    // A big import that cannot fit.
    let big = write_session(
        tmp.path(),
        "big",
        Shape {
            units: 2000,
            evidence: true,
            self_score: "1,5",
            ..SHAPE
        },
    );
    let (code, stderr) = disk.run(&["import", arg(&big), "--db", arg(&db), "--lang", "en"]);
    println!("import on a full disk → exit {code:?}: {}", stderr.trim());
    assert_eq!(code, Some(1), "{stderr}");
    // SQLITE_FULL on ENOSPC; under ulimit -f SQLite sees EFBIG, a plain I/O error.
    assert!(
        disk.file_limit_blocks.is_some() || stderr.contains("full"),
        "{stderr}"
    );
    let conn = rusqlite::Connection::open(&db).unwrap();
    assert_eq!(integrity(&conn), "ok");
    drop(conn);
    assert_eq!(
        db_bytes(&db),
        before,
        "a failed import changed the database"
    );

    // A decision when not even the WAL can grow.
    disk.fill(0);
    let long_reason = "Lý do rất dài. ".repeat(4000);
    let (code, stderr) = disk.run(&[
        "decide",
        "--db",
        arg(&db),
        "--unit",
        "U1",
        "--criterion",
        "1.1",
        "--score",
        "1",
        "--reason",
        &long_reason,
    ]);
    println!(
        "decide on a full disk → exit {code:?}: {}",
        stderr.trim().chars().take(200).collect::<String>()
    );
    assert!(matches!(code, Some(1) | Some(3)), "{stderr}");
    let _ = fs::remove_file(disk.dir.join("filler"));
    let conn = rusqlite::Connection::open(&db).unwrap();
    assert_eq!(integrity(&conn), "ok");
    assert_eq!(decision_entries(&conn), 0, "a failed decision was logged");
    drop(conn);
    assert_eq!(
        db_bytes(&db),
        before,
        "a failed decision changed the database"
    );
}

#[test]
fn a_full_disk_decision_is_a_runtime_error_that_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let mut disk = FullDisk::new(tmp.path(), "1m");
    if disk.file_limit_blocks.is_some() {
        return;
    }
    let small = write_session(tmp.path(), "session", SHAPE);
    let db = disk.dir.join("council.db");
    import_ok(&small, &db);
    checkpoint(&db);
    disk.fill(0);
    let (code, stderr) = disk.run(&[
        "decide",
        "--db",
        arg(&db),
        "--unit",
        "U1",
        "--criterion",
        "1.1",
        "--score",
        "1",
        "--reason",
        "x",
        "--lang",
        "en",
    ]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(!stderr.contains("not a council session"), "{stderr}");
    assert!(stderr.contains("full"), "{stderr}");
}

#[test]
fn an_export_that_cannot_be_written_fails_with_exit_1_and_leaves_no_half_files() {
    let tmp = tempfile::tempdir().unwrap();
    let (_folder, db) = imported_session(tmp.path());
    let before = db_bytes(&db);

    // Under a regular file (ENOTDIR).
    let file = tmp.path().join("plain.txt");
    fs::write(&file, "x").unwrap();
    let out = file.join("export");
    let (code, stderr) = run(&["export", "--db", arg(&db), "--out", arg(&out)]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("plain.txt"), "{stderr}");
    assert_eq!(fs::read(&file).unwrap(), b"x");

    // On a full disk: either every file is written or none is left behind.
    let mut disk = FullDisk::new(tmp.path(), "64k");
    let out = disk.dir.join("export");
    disk.fill(2048);
    let (code, stderr) = disk.run(&[
        "export",
        "--db",
        arg(&db),
        "--out",
        arg(&out),
        "--format",
        "json",
    ]);
    println!("export on a full disk → exit {code:?}: {}", stderr.trim());
    if disk.file_limit_blocks.is_none() {
        assert_eq!(code, Some(1), "{stderr}");
    } else {
        // Under ulimit the limit also stops the database's shared-memory file from growing, so
        // opening the database fails first (exit 3 today, like the full-disk decision).
        assert!(matches!(code, Some(1) | Some(3)), "{stderr}");
    }
    let left: Vec<String> = fs::read_dir(&out)
        .map(|entries| {
            entries
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    println!("left in the export folder: {left:?}");
    assert!(left.is_empty(), "half an export left behind: {left:?}");
    assert_eq!(db_bytes(&db), before, "export changed the database");
}

#[test]
fn a_criteria_file_without_its_required_columns_is_an_input_error() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = write_session(tmp.path(), "session", SHAPE);
    for (body, words) in [
        ("", "empty"),
        ("code,title,max_poin\n1,A,2\n", "max_points"),
        ("code,title\n1,A\n", "max_points"),
    ] {
        fs::write(folder.join("criteria.csv"), body).unwrap();
        let (code, stderr) = run(&["check", arg(&folder), "--lang", "en"]);
        assert_eq!(code, Some(3), "{body:?}: {stderr}");
        assert!(stderr.contains("criteria.csv:1"), "{body:?}: {stderr}");
        assert!(stderr.contains(words), "{body:?}: {stderr}");
        let db = tmp.path().join("new.db");
        let (code, stderr) = run(&["import", arg(&folder), "--db", arg(&db)]);
        assert_eq!(code, Some(3), "{body:?}: {stderr}");
    }
}
