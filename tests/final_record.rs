//! Diffs, history, finalising, the lock, and `verify` catching tampering from outside.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests stop at the first failure

mod common;

use common::{council, text, write_session};
use std::fs;

fn decided_session() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let folder = write_session(tmp.path());
    assert!(
        council(tmp.path(), &["import", folder.to_str().unwrap()])
            .status
            .success()
    );
    let ok = council(
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
    assert!(ok.status.success(), "{}", text(&ok.stderr));
    (tmp, folder)
}

#[test]
fn diff_against_self_and_proposal_is_a_unified_diff() {
    let (tmp, _) = decided_session();
    let out = council(tmp.path(), &["diff", "--unit", "SNV"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let diff = text(&out.stdout);
    let expected = "--- SNV tự chấm\n+++ SNV thẩm định\n@@ -1,3 +1,3 @@\n 1.1 Báo cáo định kỳ: 6\n-1.2 Ban hành kế hoạch: 3,5\n+1.2 Ban hành kế hoạch: 2,5 — Ban hành muộn\n 2.1 Công khai thủ tục: 5,5\n";
    assert_eq!(diff, expected);
    // In English the headers are English and the numbers use the dot.
    let english = text(&council(tmp.path(), &["diff", "--unit", "SNV", "--lang", "en"]).stdout);
    let expected = "--- SNV self\n+++ SNV appraised\n@@ -1,3 +1,3 @@\n 1.1 Báo cáo định kỳ: 6\n-1.2 Ban hành kế hoạch: 3.5\n+1.2 Ban hành kế hoạch: 2.5 — Ban hành muộn\n 2.1 Công khai thủ tục: 5.5\n";
    assert_eq!(english, expected);
    let proposal = text(
        &council(
            tmp.path(),
            &["diff", "--unit", "SNV", "--against", "proposal"],
        )
        .stdout,
    );
    assert!(
        proposal.contains("-1.2 Ban hành kế hoạch: 3\n"),
        "{proposal}"
    );
    let all = text(&council(tmp.path(), &["diff", "--all"]).stdout);
    assert!(
        all.contains("--- STC tự chấm") && all.contains("--- SNV tự chấm"),
        "{all}"
    );
    // Piped output is plain; --colour always paints.
    assert!(!diff.contains('\u{1b}'));
    let painted =
        text(&council(tmp.path(), &["diff", "--unit", "SNV", "--colour", "always"]).stdout);
    assert!(painted.contains("\u{1b}[31m-1.2"));
    let bad = council(
        tmp.path(),
        &["diff", "--unit", "SNV", "--against", "nonsense"],
    );
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn a_resubmission_is_versioned_diffed_and_flags_decisions_made_on_the_old_score() {
    let (tmp, folder) = decided_session();
    let ok = council(
        tmp.path(),
        &["decide", "--unit", "SNV", "--criterion", "1.1", "--accept"],
    );
    assert!(ok.status.success());
    let resubmission = tmp.path().join("resubmission");
    fs::create_dir_all(&resubmission).unwrap();
    fs::write(
        resubmission.join("self_scores.csv"),
        "unit_code,criterion_code,self_score,note\nSNV,1.1,5,Bổ sung giải trình\n",
    )
    .unwrap();
    let out = council(tmp.path(), &["import", resubmission.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let versions = text(
        &council(
            tmp.path(),
            &["diff", "--unit", "SNV", "--against", "version:1"],
        )
        .stdout,
    );
    assert!(
        versions.contains("-1.1 Báo cáo định kỳ: 6 — Đã ban hành đúng hạn"),
        "{versions}"
    );
    assert!(
        versions.contains("+1.1 Báo cáo định kỳ: 5 — Bổ sung giải trình"),
        "{versions}"
    );
    let history =
        text(&council(tmp.path(), &["history", "--unit", "SNV", "--format", "csv"]).stdout);
    let mut reader = csv::Reader::from_reader(history.as_bytes());
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .filter(|r: &Vec<String>| r[0] == "SNV" && r[1] == "1.1")
        .collect();
    assert_eq!(rows.len(), 3, "{history}");
    // unit, criterion, at, by, login, event, score, text
    assert_eq!(
        (rows[0][5].as_str(), rows[0][6].as_str()),
        ("submission", "6")
    );
    assert!(rows[0][7].starts_with("v1: Đã ban hành"));
    let login = council::io::system::account().login.clone();
    assert_eq!(
        (
            rows[1][5].as_str(),
            rows[1][6].as_str(),
            rows[1][3].as_str(),
            rows[1][4].as_str()
        ),
        ("decide", "6", "thư ký", login.as_str())
    );
    assert_eq!(
        (rows[2][5].as_str(), rows[2][6].as_str()),
        ("submission", "5")
    );
    assert_eq!(rows[2][7], "v2: Bổ sung giải trình");
    drop(folder);
    // The decision on 1.1 was made on a self-score of 6; it is now flagged for review.
    let store = council::store::Store::open_existing(
        &tmp.path().join("council.db"),
        council::io::system::host(),
    )
    .unwrap();
    let session = store.load_session().unwrap().unwrap();
    assert!(session.item(0, 0).decision_stale);
}

#[test]
fn finalising_refuses_open_disputes_then_locks_the_database() {
    let (tmp, _) = decided_session();
    let refused = council(tmp.path(), &["finalize", "--lang", "en"]);
    assert_eq!(refused.status.code(), Some(3));
    let message = text(&refused.stderr);
    assert!(message.contains("STC 1.1"), "{message}");
    assert!(
        !message.contains("SNV 1.2"),
        "decided items are not open: {message}"
    );

    let forced = council(
        tmp.path(),
        &[
            "finalize",
            "--force",
            "--reason",
            "Hội đồng thống nhất giữ đề xuất",
        ],
    );
    assert!(forced.status.success(), "{}", text(&forced.stderr));
    let later = council(
        tmp.path(),
        &[
            "decide",
            "--unit",
            "STC",
            "--criterion",
            "1.1",
            "--accept",
            "--lang",
            "en",
        ],
    );
    assert_eq!(later.status.code(), Some(1));
    assert!(text(&later.stderr).contains("finalised"));

    // The lock is in the database itself: a write from another program is refused.
    let conn = rusqlite::Connection::open(tmp.path().join("council.db")).unwrap();
    for statement in [
        "UPDATE decision_log SET reason = 'x'",
        "DELETE FROM decision_log",
        "INSERT INTO meta (key, value) VALUES ('x', 'y')",
        "UPDATE self_scores SET score = '0'",
        "DELETE FROM proposals",
    ] {
        let error = conn.execute(statement, []).unwrap_err().to_string();
        assert!(
            error.contains("finalised") || error.contains("append-only"),
            "{statement}: {error}"
        );
    }

    let export = council(tmp.path(), &["export", "--out", "final"]);
    assert!(export.status.success(), "{}", text(&export.stderr));
    let manifest: serde_json::Value =
        serde_json::from_slice(&fs::read(tmp.path().join("final/manifest.json")).unwrap()).unwrap();
    let files = manifest["files"].as_array().unwrap();
    assert_eq!(files.len(), 3);
    let results = fs::read(tmp.path().join("final/results.csv")).unwrap();
    let entry = files.iter().find(|f| f["file"] == "results.csv").unwrap();
    assert_eq!(
        entry["sha256"],
        council::domain::chain::sha256_hex(&results)
    );
    let verify = text(&council(tmp.path(), &["verify"]).stdout);
    assert!(
        verify.contains(manifest["chain_head_sha256"].as_str().unwrap()),
        "{verify}"
    );
}

/// Tamper as someone with the sqlite3 shell would: drop the guards, then edit.
fn tamper(db: &std::path::Path, sql: &str) {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.execute_batch("DROP TRIGGER decision_log_no_update; DROP TRIGGER decision_log_no_delete;")
        .unwrap();
    conn.execute_batch(sql).unwrap();
}

#[test]
fn verify_names_an_updated_and_a_deleted_entry() {
    let (tmp, _) = decided_session();
    for (unit, criterion) in [("STC", "1.1"), ("XBH", "1.1"), ("XBH", "1.2")] {
        assert!(
            council(
                tmp.path(),
                &[
                    "decide",
                    "--unit",
                    unit,
                    "--criterion",
                    criterion,
                    "--accept"
                ]
            )
            .status
            .success()
        );
    }
    let intact = council(tmp.path(), &["verify", "--lang", "en"]);
    assert!(intact.status.success(), "{}", text(&intact.stderr));
    // The import, then four decisions.
    assert!(
        text(&intact.stdout).contains("5 entries"),
        "{}",
        text(&intact.stdout)
    );

    let db = tmp.path().join("council.db");
    tamper(
        &db,
        "UPDATE decision_log SET score = '3.5', reason = '' WHERE seq = 2",
    );
    let caught = council(tmp.path(), &["verify", "--lang", "en"]);
    assert_eq!(caught.status.code(), Some(1));
    let message = text(&caught.stderr);
    assert!(
        message.contains("entry 2 (SNV 1.2") && message.contains("altered"),
        "{message}"
    );

    let (tmp, _) = decided_session();
    for (unit, criterion) in [("STC", "1.1"), ("XBH", "1.1")] {
        assert!(
            council(
                tmp.path(),
                &[
                    "decide",
                    "--unit",
                    unit,
                    "--criterion",
                    criterion,
                    "--accept"
                ]
            )
            .status
            .success()
        );
    }
    tamper(
        &tmp.path().join("council.db"),
        "DELETE FROM decision_log WHERE seq = 3",
    );
    let message = text(&council(tmp.path(), &["verify", "--lang", "en"]).stderr);
    assert!(message.contains("entries 3–3 are missing"), "{message}");

    let (tmp, _) = decided_session();
    assert!(
        council(
            tmp.path(),
            &["decide", "--unit", "STC", "--criterion", "1.1", "--accept"]
        )
        .status
        .success()
    );
    tamper(
        &tmp.path().join("council.db"),
        "DELETE FROM decision_log WHERE seq = 3",
    );
    let message = text(&council(tmp.path(), &["verify", "--lang", "en"]).stderr);
    assert!(
        message.contains("the log ends at entry 2 but the session recorded 3 entries"),
        "{message}"
    );
}

#[test]
fn a_tampered_finalised_session_gets_no_manifest() {
    let (tmp, _) = decided_session();
    let done = council(tmp.path(), &["finalize", "--force", "--reason", "đủ"]);
    assert!(done.status.success(), "{}", text(&done.stderr));
    let db = tmp.path().join("council.db");
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch(
        "DROP TRIGGER decision_log_no_update; DROP TRIGGER final_decision_log_update;
         UPDATE decision_log SET reason = 'sửa lén' WHERE seq = 2;",
    )
    .unwrap();
    let export = council(tmp.path(), &["export", "--out", "final", "--lang", "en"]);
    assert_eq!(export.status.code(), Some(1));
    assert!(
        text(&export.stderr).contains("does not verify"),
        "{}",
        text(&export.stderr)
    );
    assert!(!tmp.path().join("final/manifest.json").exists());
    assert!(!tmp.path().join("final/results.csv").exists());
}
