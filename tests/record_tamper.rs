//! Tampering with a session behind the tool's back, as someone with the sqlite3 shell (or a
//! script that recomputes the hash chain) would: every change that moves a result must be
//! named by `council verify`. Each case starts from a fresh session with three decisions
//! (entries: 1 import, 2 SNV 1.2, 3 STC 1.1, 4 XBH 1.1; finalised: 5 finalise).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests stop at the first failure

mod common;
#[path = "malformed_extra/support.rs"]
mod support;

use common::{council, text, write_session};
use council::domain::chain::{GENESIS, entry_hash};
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use support::chain_rows;

fn ok(dir: &Path, args: &[&str]) -> String {
    let out = council(dir, args);
    assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
    text(&out.stdout)
}

/// A session with three decisions, finalised or not.
fn session(finalised: bool) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let folder = write_session(tmp.path());
    ok(tmp.path(), &["import", folder.to_str().unwrap()]);
    ok(
        tmp.path(),
        &[
            "decide",
            "--unit",
            "SNV",
            "--criterion",
            "1.2",
            "--score",
            "2,5",
            "--reason",
            "Ban hành muộn",
        ],
    );
    ok(
        tmp.path(),
        &[
            "decide",
            "--unit",
            "STC",
            "--criterion",
            "1.1",
            "--proposal",
        ],
    );
    ok(
        tmp.path(),
        &["decide", "--unit", "XBH", "--criterion", "1.1", "--accept"],
    );
    if finalised {
        ok(tmp.path(), &["finalize"]);
    }
    let db = tmp.path().join("council.db");
    (tmp, db)
}

/// Runs SQL with every guard trigger dropped, then puts the triggers back (as a careful
/// tamperer would, so that nothing looks unlocked).
fn tamper(db: &Path, sql: &str) {
    let conn = Connection::open(db).unwrap();
    let triggers = drop_triggers(&conn);
    conn.execute_batch(sql).unwrap();
    for trigger in triggers {
        conn.execute_batch(&trigger).unwrap();
    }
}

fn drop_triggers(conn: &Connection) -> Vec<String> {
    let triggers: Vec<(String, String)> = conn
        .prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'trigger'")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for (name, _) in &triggers {
        conn.execute_batch(&format!("DROP TRIGGER \"{name}\""))
            .unwrap();
    }
    triggers.into_iter().map(|(_, sql)| sql).collect()
}

/// Recomputes every entry's hash from its fields, and the session's recorded head: what
/// someone who read council's source would do after editing the log.
fn rehash(db: &Path) {
    let conn = Connection::open(db).unwrap();
    let triggers = drop_triggers(&conn);
    let (session, rows) = chain_rows(&conn);
    let mut previous = GENESIS.to_string();
    for row in &rows {
        let hash = entry_hash(&previous, &row.fields(&session));
        conn.execute(
            "UPDATE decision_log SET prev_hash = ?1, hash = ?2 WHERE seq = ?3",
            rusqlite::params![previous, hash, row.seq],
        )
        .unwrap();
        previous = hash;
    }
    conn.execute(
        "UPDATE meta SET value = ?1 WHERE key = 'chain_head'",
        [&previous],
    )
    .unwrap();
    conn.execute(
        "UPDATE meta SET value = ?1 WHERE key = 'chain_seq'",
        [rows.len().to_string()],
    )
    .unwrap();
    // A tamperer who re-hashes the log but leaves the recorded head as it was.
    conn.execute_batch(
        "UPDATE meta SET value = (SELECT value FROM meta WHERE key = 'keep_head')
             WHERE key = 'chain_head' AND EXISTS (SELECT 1 FROM meta WHERE key = 'keep_head');
         DELETE FROM meta WHERE key = 'keep_head';",
    )
    .unwrap();
    for trigger in triggers {
        conn.execute_batch(&trigger).unwrap();
    }
}

/// `council verify`: exit code and stderr.
fn verify(dir: &Path, extra: &[&str]) -> (Option<i32>, String, String) {
    let mut args = vec!["verify", "--lang", "en"];
    args.extend_from_slice(extra);
    let out = council(dir, &args);
    (out.status.code(), text(&out.stdout), text(&out.stderr))
}

struct Case {
    name: &'static str,
    finalised: bool,
    sql: &'static str,
    /// Recompute the chain after the edit.
    rehash: bool,
    expect: &'static str,
}

fn cases() -> Vec<Case> {
    let case = |name, finalised, sql, rehash, expect| Case {
        name,
        finalised,
        sql,
        rehash,
        expect,
    };
    vec![
        case(
            "a decision rewritten, the chain recomputed",
            false,
            "UPDATE decision_log SET score = '3.5', reason = '' WHERE seq = 2;
             UPDATE decision_state SET council = '3.5', reason = '' WHERE log_seq = 2;",
            true,
            "entry 2 differs from what thư ký saw",
        ),
        case(
            "the log wiped",
            false,
            "DELETE FROM decision_log; DELETE FROM meta WHERE key IN ('chain_head', 'chain_seq');",
            false,
            "are in no import entry of the log",
        ),
        case(
            "the log and the current decisions wiped",
            false,
            "DELETE FROM decision_log; DELETE FROM decision_state;
             DELETE FROM meta WHERE key IN ('chain_head', 'chain_seq');",
            false,
            "the log ends at entry 0 but thư ký saw entry 4",
        ),
        case(
            "the last decision truncated, the chain re-hashed",
            false,
            "DELETE FROM decision_log WHERE seq = 4; DELETE FROM decision_state WHERE log_seq = 4;",
            true,
            "the log ends at entry 3 but thư ký saw entry 4",
        ),
        case(
            "a current-decision row deleted",
            false,
            "DELETE FROM decision_state WHERE log_seq = 2",
            false,
            "SNV 1.2: current decision differs from the log (its row is missing",
        ),
        case(
            "a current decision's reason edited",
            false,
            "UPDATE decision_state SET reason = 'khác' WHERE log_seq = 2",
            false,
            "SNV 1.2: current decision differs from the log (reason)",
        ),
        case(
            "a current decision's score edited",
            false,
            "UPDATE decision_state SET council = '4' WHERE log_seq = 2",
            false,
            "SNV 1.2: current decision differs from the log (score 4 here, 2.5 in the log)",
        ),
        case(
            "a current decision's author edited",
            false,
            "UPDATE decision_state SET decided_by = 'Chủ tọa' WHERE log_seq = 2",
            false,
            "SNV 1.2: current decision differs from the log (who decided)",
        ),
        case(
            "a self-score changed",
            false,
            "UPDATE self_scores SET score = '1' WHERE submission_id = (SELECT current_submission FROM units WHERE code = 'XBH')
                 AND criterion_id = (SELECT id FROM criteria WHERE code = '2.1')",
            false,
            "unit XBH: its submission versions, self-scores, notes or evidence differ",
        ),
        case(
            "evidence removed",
            false,
            "UPDATE self_scores SET evidence = '[]', evidence_count = 0 WHERE evidence_count > 0",
            false,
            "unit SNV: its submission versions, self-scores, notes or evidence differ",
        ),
        case(
            "a proposal changed",
            false,
            "UPDATE proposals SET score = '0'",
            false,
            "unit STC: its working-group proposals differ",
        ),
        case(
            "a criterion's maximum changed",
            false,
            "UPDATE criteria SET max_points = '7' WHERE code = '1.1'",
            false,
            "criterion 1.1: its maximum, minimum, step, kind, title or rule differs",
        ),
        case(
            "a unit moved to another group",
            false,
            "UPDATE units SET grp = 'Xã' WHERE code = 'SNV'",
            false,
            "unit SNV: its name, group or current submission version differ",
        ),
        case(
            "a unit's current submission pointed elsewhere",
            false,
            "UPDATE units SET current_submission = NULL WHERE code = 'XBH'",
            false,
            "unit XBH: its name, group or current submission version differ",
        ),
        case(
            "a unit added",
            false,
            "INSERT INTO units (id, code, name, grp) VALUES (99, 'ZZZ', 'Thêm', 'Sở')",
            false,
            "unit ZZZ: rows were added outside council",
        ),
        case(
            "a setting changed",
            false,
            "INSERT INTO settings VALUES ('rank_mode', 'dense')",
            false,
            "setting rank_mode is 'dense' here but 'none' in the log",
        ),
        case(
            "a member added",
            false,
            "INSERT INTO members VALUES ('root', 'Chủ tọa', 'chair')",
            false,
            "member root differs from the log's members list",
        ),
        case(
            "the session id changed",
            false,
            "UPDATE meta SET value = '0123456789abcdef0123456789abcdef' WHERE key = 'session_id'",
            false,
            "was altered after it was recorded",
        ),
        case(
            "an entry appended by hand",
            false,
            "INSERT INTO decision_log (seq, unit_code, criterion_code, action, score, basis, reason,
                 decided_by, decided_at, prev_hash, hash, login, uid, content, format)
             SELECT 5, 'XBH', '1.2', 'decide', '0', '3.5', 'x', 'Chủ tọa', decided_at, hash, 'x',
                    login, uid, '', 2 FROM decision_log WHERE seq = 4",
            false,
            "the log ends at entry 5 but the session recorded 4 entries",
        ),
        case(
            "the last entry replaced with a recomputed hash",
            false,
            "UPDATE decision_log SET reason = 'khác' WHERE seq = 4;
             UPDATE decision_state SET reason = 'khác' WHERE log_seq = 4;
             INSERT INTO meta VALUES ('keep_head', (SELECT value FROM meta WHERE key = 'chain_head'));",
            true,
            "entry 4, the last, is not the entry the session recorded as its last",
        ),
        case(
            "a finalisation forged",
            false,
            "INSERT INTO meta VALUES ('finalised_at', '2026-11-23T12:00:00+07:00'), ('finalised_by', 'x')",
            false,
            "no finalisation is in the log: finalised outside council",
        ),
        case(
            "the finalised keys deleted",
            true,
            "DELETE FROM meta WHERE key LIKE 'finalised%'",
            false,
            "session un-finalised outside council",
        ),
        case(
            "the finalisation's reason edited",
            true,
            "UPDATE meta SET value = 'khác' WHERE key = 'finalised_reason'",
            false,
            "the session's record of its finalisation differs from entry 5",
        ),
        case(
            "self-scores changed after finalising",
            true,
            "UPDATE self_scores SET score = '6' WHERE score = '5'",
            false,
            "unit STC: its submission versions, self-scores, notes or evidence differ from what entry 5 (finalise",
        ),
        case(
            "a proposal changed after finalising",
            true,
            "UPDATE proposals SET score = '3.5' WHERE score = '3'",
            false,
            "unit SNV: its working-group proposals differ from what entry 5 (finalise",
        ),
        case(
            "evidence changed after finalising",
            true,
            "UPDATE self_scores SET evidence = '[[\"1/QĐ\",\"\",\"\"]]', evidence_count = 1 WHERE evidence_count = 0",
            false,
            "its submission versions, self-scores, notes or evidence differ from what entry 5",
        ),
        case(
            "a criterion's maximum changed after finalising",
            true,
            "UPDATE criteria SET max_points = '5' WHERE code = '2.1'",
            false,
            "criterion 2.1: its maximum, minimum, step, kind, title or rule differs from what entry 5",
        ),
        case(
            "a unit's group changed after finalising",
            true,
            "UPDATE units SET grp = 'Sở' WHERE code = 'XBH'",
            false,
            "unit XBH: its name, group or current submission version differ from what entry 5",
        ),
        case(
            "a current decision changed after finalising",
            true,
            "UPDATE decision_state SET council = '4' WHERE log_seq = 2",
            false,
            "SNV 1.2: current decision differs from the log",
        ),
        case(
            "an entry added after finalising, hashes recomputed",
            true,
            "INSERT INTO decision_log (seq, unit_code, criterion_code, action, score, basis, reason,
                 decided_by, decided_at, prev_hash, hash, login, uid, content, format)
             SELECT 6, 'XBH', '1.2', 'decide', '0', '3.5', 'x', 'Chủ tọa', decided_at, '', '',
                    login, uid, '', 2 FROM decision_log WHERE seq = 5;
             INSERT INTO decision_state SELECT u.id, c.id, '0', '3.5', 'x', 'Chủ tọa',
                    (SELECT decided_at FROM decision_log WHERE seq = 5), 0, 6, 'root'
             FROM units u, criteria c WHERE u.code = 'XBH' AND c.code = '1.2';",
            true,
            "entries from 6 on were added after the finalisation (entry 5",
        ),
    ]
}

#[test]
fn every_change_that_moves_a_result_is_named() {
    let mut handled = 0;
    let all = cases();
    for case in &all {
        let (tmp, db) = session(case.finalised);
        let (code, _, stderr) = verify(tmp.path(), &[]);
        assert_eq!(code, Some(0), "{}: before tampering: {stderr}", case.name);
        tamper(&db, case.sql);
        if case.rehash {
            rehash(&db);
        }
        let (code, stdout, stderr) = verify(tmp.path(), &[]);
        assert_eq!(code, Some(1), "{}: not caught: {stdout}{stderr}", case.name);
        assert!(
            stderr.contains(case.expect),
            "{}: expected «{}» in:\n{stderr}",
            case.name,
            case.expect
        );
        handled += 1;
    }
    println!(
        "tampering: {} cases tried, {handled} named by verify",
        all.len()
    );
}

#[test]
fn dropping_the_lock_of_a_finalised_session_is_named() {
    let (tmp, db) = session(true);
    let conn = Connection::open(&db).unwrap();
    drop_triggers(&conn);
    drop(conn);
    let (code, _, stderr) = verify(tmp.path(), &[]);
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains("session un-finalised outside council: the lock on meta, criteria"),
        "{stderr}"
    );
}

#[test]
fn an_older_copy_put_in_the_sessions_place_is_named_by_the_witnesses() {
    let (tmp, db) = session(false);
    let early = tmp.path().join("early.db");
    ok(tmp.path(), &["backup", "--out", early.to_str().unwrap()]);
    ok(
        tmp.path(),
        &["decide", "--unit", "XBH", "--criterion", "1.2", "--accept"],
    );
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    std::fs::copy(&early, &db).unwrap();
    let (code, _, stderr) = verify(tmp.path(), &[]);
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains("the log ends at entry 4 but thư ký saw entry 5"),
        "{stderr}"
    );
}

#[test]
fn a_copy_elsewhere_is_checked_against_the_same_witnesses() {
    let (tmp, _) = session(false);
    let copy = tmp.path().join("elsewhere.db");
    ok(tmp.path(), &["backup", "--out", copy.to_str().unwrap()]);
    tamper(
        &copy,
        "UPDATE decision_log SET score = '4', reason = '' WHERE seq = 2;
         UPDATE decision_state SET council = '4', reason = '' WHERE log_seq = 2;",
    );
    rehash(&copy);
    let (code, _, stderr) = verify(tmp.path(), &["--db", copy.to_str().unwrap()]);
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains("entry 2 differs from what thư ký saw"),
        "{stderr}"
    );
    // A writer on the rewritten copy is warned at once.
    let out = council(
        tmp.path(),
        &[
            "decide",
            "--db",
            copy.to_str().unwrap(),
            "--unit",
            "XBH",
            "--criterion",
            "1.2",
            "--accept",
            "--lang",
            "en",
        ],
    );
    assert!(out.status.success());
    assert!(
        text(&out.stderr).contains("differs from what")
            && text(&out.stderr).contains("run `council verify`"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_head_from_the_minutes_is_checked() {
    let (tmp, db) = session(false);
    let (_, stdout, _) = verify(tmp.path(), &[]);
    let head = stdout
        .split("head hash ")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    ok(
        tmp.path(),
        &["decide", "--unit", "XBH", "--criterion", "1.2", "--accept"],
    );
    let (code, stdout, _) = verify(tmp.path(), &["--head", &head]);
    assert_eq!(code, Some(0));
    assert!(
        stdout.contains(&format!(
            "the head {head} is entry 4 of the log (1 entries since)"
        )),
        "{stdout}"
    );
    // Without any witness (another user's account, say), the minutes still catch a rewrite.
    tamper(&db, "UPDATE decision_log SET reason = 'x' WHERE seq = 3;");
    rehash(&db);
    std::fs::remove_dir_all(tmp.path().join(".state")).unwrap();
    let (code, _, stderr) = verify(tmp.path(), &["--head", &head]);
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains(&format!("the head {head} is not in this session's log")),
        "{stderr}"
    );
}

#[test]
fn a_manifest_is_checked_against_its_files_and_the_session() {
    let (tmp, _) = session(true);
    ok(tmp.path(), &["export", "--out", "final"]);
    let manifest = tmp.path().join("final/manifest.json");
    let manifest_arg = manifest.to_str().unwrap().to_string();
    let (code, stdout, stderr) = verify(tmp.path(), &["--manifest", &manifest_arg]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stdout.contains("3 files of the manifest checked against the session"),
        "{stdout}"
    );
    // A file edited after the export.
    let ranking = tmp.path().join("final/ranking.csv");
    let original = std::fs::read(&ranking).unwrap();
    let edited = String::from_utf8(original.clone())
        .unwrap()
        .replacen(",1,1,", ",2,2,", 1);
    std::fs::write(&ranking, &edited).unwrap();
    let (code, _, stderr) = verify(tmp.path(), &["--manifest", &manifest_arg]);
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains("ranking.csv: changed after the export"),
        "{stderr}"
    );
    // The same edit with the manifest's hash made to match: the session still tells.
    let mut json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&manifest).unwrap()).unwrap();
    for file in json["files"].as_array_mut().unwrap() {
        if file["file"] == "ranking.csv" {
            file["sha256"] = council::domain::chain::sha256_hex(edited.as_bytes()).into();
        }
    }
    std::fs::write(&manifest, serde_json::to_vec(&json).unwrap()).unwrap();
    let (code, _, stderr) = verify(tmp.path(), &["--manifest", &manifest_arg]);
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains("ranking.csv: does not match what this session exports now"),
        "{stderr}"
    );
}

#[test]
fn verify_speaks_vietnamese_by_default() {
    let (tmp, db) = session(false);
    tamper(
        &db,
        "UPDATE decision_state SET reason = 'khác' WHERE log_seq = 2",
    );
    let out = council(tmp.path(), &["verify"]);
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("SNV 1.2: quyết định hiện hành khác với nhật ký (lý do)"),
        "{stderr}"
    );
    let ok = council(tmp.path(), &["history"]);
    let history = text(&ok.stdout);
    assert!(
        history.contains("nhập dữ liệu") && history.contains("quyết định"),
        "{history}"
    );
    assert!(!history.contains(" decide "), "{history}");
}
