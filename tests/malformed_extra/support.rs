//! Shared by the crash, concurrency and malformed-database tests (included with `#[path]`):
//! generated session folders, a seeded random source, and database checks done with rusqlite
//! behind the tool's back.
#![allow(dead_code)]

use council::domain::chain::{ChainFields, GENESIS, entry_hash};
use rusqlite::Connection;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn council_bin() -> &'static str {
    env!("CARGO_BIN_EXE_council")
}

/// A `council` command with a fixed login name, so results do not depend on the environment.
pub fn council_command(args: &[&str]) -> Command {
    let mut command = Command::new(council_bin());
    command
        .args(args)
        .env("USER", "kiểm thử")
        .env("LC_ALL", "C")
        // Witness files go to the test's own state folder, never the user's.
        .env("XDG_STATE_HOME", state_dir());
    command
}

/// The state folder (witness files) of the harnesses' `council` processes.
pub fn state_dir() -> &'static str {
    concat!(env!("CARGO_TARGET_TMPDIR"), "/council-state")
}

/// `council verify` on a database, its chain and tables only: the harnesses copy one session
/// into many files that share its id, so the witnesses of one copy would speak against another.
pub fn tool_verify(db: &Path) -> (Option<i32>, String) {
    let out = council_command(&["verify", "--lang", "en", "--db", db.to_str().unwrap()])
        .env("XDG_STATE_HOME", format!("{}.no-witnesses", db.display()))
        .output()
        .expect("the binary runs");
    (out.status.code(), text(&out.stdout) + &text(&out.stderr))
}

pub fn council(args: &[&str]) -> Output {
    council_command(args).output().expect("the binary runs")
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// xorshift64*: enough randomness for kill timings, reproducible from a printed seed.
pub struct Rng(u64);

impl Rng {
    /// Seeded from `var` if set (to replay a run), else from the clock.
    pub fn from_env(var: &str) -> Rng {
        let seed = std::env::var(var)
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_nanos() as u64)
                    .unwrap_or(0x9E37_79B9_7F4A_7C15)
            });
        println!("{var}={seed}");
        Rng(seed | 1)
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in 0..bound (bound > 0).
    pub fn below(&mut self, bound: u64) -> u64 {
        self.next() % bound.max(1)
    }
}

/// The shape of a generated session folder.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    pub fields: usize,
    pub leaves_per_field: usize,
    /// Units U1..=Un.
    pub units: usize,
    /// Adds an evidence row and a note per item (a heavier import).
    pub evidence: bool,
    /// The self-score given to every item (each leaf is worth 2 points, step 0,5).
    pub self_score: &'static str,
}

impl Shape {
    pub fn leaves(&self) -> Vec<String> {
        (1..=self.fields)
            .flat_map(|f| (1..=self.leaves_per_field).map(move |l| format!("{f}.{l}")))
            .collect()
    }
    pub fn unit_codes(&self) -> Vec<String> {
        (1..=self.units).map(|u| format!("U{u}")).collect()
    }
}

/// Writes a valid session folder of the given shape under `dir/name`.
pub fn write_session(dir: &Path, name: &str, shape: Shape) -> PathBuf {
    let folder = dir.join(name);
    fs::create_dir_all(&folder).unwrap();
    let mut criteria = String::from("code,title,max_points,step\n");
    for f in 1..=shape.fields {
        writeln!(criteria, "{f},Lĩnh vực {f},{},", 2 * shape.leaves_per_field).unwrap();
        for l in 1..=shape.leaves_per_field {
            writeln!(criteria, "{f}.{l},Tiêu chí {f}.{l},2,\"0,5\"").unwrap();
        }
    }
    fs::write(folder.join("criteria.csv"), criteria).unwrap();
    let mut units = String::from("unit_code,unit_name,group\n");
    let mut scores = String::from("unit_code,criterion_code,self_score,note\n");
    let mut evidence = String::from("unit_code,criterion_code,ref,title\n");
    for unit in shape.unit_codes() {
        writeln!(units, "{unit},Đơn vị {unit},Sở").unwrap();
        for leaf in shape.leaves() {
            let note = if shape.evidence {
                format!("Ghi chú {unit} {leaf}")
            } else {
                String::new()
            };
            writeln!(scores, "{unit},{leaf},\"{}\",{note}", shape.self_score).unwrap();
            if shape.evidence {
                writeln!(evidence, "{unit},{leaf},{unit}/{leaf}/KH-UBND,Kế hoạch").unwrap();
            }
        }
    }
    fs::write(folder.join("units.csv"), units).unwrap();
    fs::write(folder.join("self_scores.csv"), scores).unwrap();
    if shape.evidence {
        fs::write(folder.join("evidence.csv"), evidence).unwrap();
    }
    folder
}

/// Imports `folder` into `db` and fails the test if that does not work.
pub fn import_ok(folder: &Path, db: &Path) {
    let out = council(&[
        "import",
        folder.to_str().unwrap(),
        "--db",
        db.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "import failed: {}", text(&out.stderr));
}

/// Folds the WAL into the main file (opening and closing a connection checkpoints it), so the
/// file's bytes say everything.
pub fn checkpoint(db: &Path) {
    let conn = Connection::open(db).unwrap();
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .unwrap();
    drop(conn);
}

pub fn integrity(conn: &Connection) -> String {
    conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap()
}

/// One entry of the session's log as stored, read behind the tool's back.
pub struct ChainRow {
    pub seq: i64,
    /// unit, criterion, action, score, basis, reason, by, at, prev_hash, hash, login, content
    pub texts: Vec<String>,
    pub uid: Option<i64>,
    pub format: i64,
}

impl ChainRow {
    pub fn prev_hash(&self) -> &str {
        &self.texts[8]
    }
    pub fn hash(&self) -> &str {
        &self.texts[9]
    }
    /// What the hash covers, as council's own hash function takes it.
    pub fn fields<'a>(&'a self, session: &'a str) -> ChainFields<'a> {
        let t = &self.texts;
        ChainFields {
            seq: self.seq,
            unit_code: &t[0],
            criterion_code: &t[1],
            action: &t[2],
            score: &t[3],
            basis: &t[4],
            reason: &t[5],
            by: &t[6],
            at: &t[7],
            format: self.format,
            session,
            login: &t[10],
            uid: self.uid,
            content: &t[11],
        }
    }
}

/// The session's id and every entry of its log, in seq order.
pub fn chain_rows(conn: &Connection) -> (String, Vec<ChainRow>) {
    let session: String = conn
        .query_row(
            "SELECT coalesce((SELECT value FROM meta WHERE key = 'session_id'), '')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let rows = conn
        .prepare(
            "SELECT seq, unit_code, criterion_code, action, score, basis, reason, decided_by,
                    decided_at, prev_hash, hash, login, content, uid, format
             FROM decision_log ORDER BY seq",
        )
        .unwrap()
        .query_map([], |r| {
            Ok(ChainRow {
                seq: r.get(0)?,
                texts: (1..=12).map(|i| r.get(i)).collect::<Result<_, _>>()?,
                uid: r.get(13)?,
                format: r.get(14)?,
            })
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();
    (session, rows)
}

/// Recomputes the session log's hash chain in seq order (every entry kind, each hashed in the
/// format it was written in); returns the number of entries, or where and how it breaks.
pub fn verify_chain(conn: &Connection) -> Result<usize, String> {
    let (session, rows) = chain_rows(conn);
    let mut previous = GENESIS.to_string();
    let mut count = 0;
    for row in &rows {
        let seq = row.seq;
        if row.prev_hash() != previous {
            return Err(format!(
                "seq {seq}: prev_hash does not match the entry before"
            ));
        }
        if row.hash() != entry_hash(&previous, &row.fields(&session)) {
            return Err(format!(
                "seq {seq}: stored hash is not the hash of the entry"
            ));
        }
        count += 1;
        if seq != count as i64 {
            return Err(format!("seq {seq}: expected {count} (a gap or a jump)"));
        }
        previous = row.hash().to_string();
    }
    Ok(count)
}

/// Entries of the log that are council decisions (not imports and other session entries).
pub fn decision_entries(conn: &Connection) -> usize {
    conn.query_row(
        "SELECT count(*) FROM decision_log WHERE unit_code <> ''",
        [],
        |r| r.get::<_, i64>(0),
    )
    .unwrap() as usize
}

/// Items whose derived state (decision_state.log_seq) disagrees with the log's latest entry:
/// the two are written in one transaction, so a crash must never leave them apart.
pub fn state_mismatches(conn: &Connection) -> Vec<String> {
    let mut statement = conn
        .prepare(
            "SELECT u.code, c.code, s.log_seq,
                    (SELECT max(seq) FROM decision_log l
                      WHERE l.unit_code = u.code AND l.criterion_code = c.code)
             FROM decision_state s JOIN units u ON u.id = s.unit_id
                                   JOIN criteria c ON c.id = s.criterion_id",
        )
        .unwrap();
    let mut mismatches: Vec<String> = statement
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, Option<i64>>(3)?,
            ))
        })
        .unwrap()
        .map(|r| r.unwrap())
        .filter(|(_, _, state, log)| Some(*state) != *log)
        .map(|(u, c, state, log)| format!("{u} {c}: state at seq {state}, log at {log:?}"))
        .collect();
    let logged_items: i64 = conn
        .query_row(
            "SELECT count(*) FROM (SELECT DISTINCT unit_code, criterion_code FROM decision_log
             WHERE unit_code <> '')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let state_items: i64 = conn
        .query_row("SELECT count(*) FROM decision_state", [], |r| r.get(0))
        .unwrap();
    if logged_items != state_items {
        mismatches.push(format!(
            "{logged_items} items in the log but {state_items} in decision_state"
        ));
    }
    mismatches
}

/// Row counts of the tables an import writes, in a fixed order (evidence lives in the items'
/// rows, so it is counted from there).
pub fn import_counts(conn: &Connection) -> Vec<(&'static str, i64)> {
    [
        ("criteria", "SELECT count(*) FROM criteria"),
        ("units", "SELECT count(*) FROM units"),
        ("submissions", "SELECT count(*) FROM submissions"),
        ("self_scores", "SELECT count(*) FROM self_scores"),
        (
            "evidence",
            "SELECT coalesce(sum(evidence_count), 0) FROM self_scores",
        ),
        ("proposals", "SELECT count(*) FROM proposals"),
        ("proposal_history", "SELECT count(*) FROM proposal_history"),
        ("survey", "SELECT count(*) FROM survey"),
        ("meta", "SELECT count(*) FROM meta"),
    ]
    .into_iter()
    .map(|(table, sql)| (table, conn.query_row(sql, [], |r| r.get(0)).unwrap()))
    .collect()
}
