//! The real binary, driven as a user would: import, check, decide, export, summary.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests stop at the first failure

mod common;

use common::{council, text, write_session};
use std::fs;
use std::path::Path;

fn read_csv(path: &Path) -> Vec<Vec<String>> {
    let bytes = fs::read(path).unwrap();
    let body = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(&bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(body);
    reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

fn column(rows: &[Vec<String>], name: &str) -> usize {
    rows[0]
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name}"))
}

#[test]
fn import_decide_export_and_summary() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = write_session(tmp.path());
    let folder = folder.to_str().unwrap();

    let check = council(tmp.path(), &["check", folder]);
    assert!(check.status.success(), "{}", text(&check.stderr));
    assert!(
        !tmp.path().join("council.db").exists(),
        "check must not create a database"
    );

    let dry = council(tmp.path(), &["import", folder, "--dry-run", "--lang", "en"]);
    assert!(dry.status.success(), "{}", text(&dry.stderr));
    assert!(text(&dry.stdout).contains("Dry run"));
    assert!(
        !tmp.path().join("council.db").exists(),
        "a dry run must not create a database"
    );

    let import = council(tmp.path(), &["import", folder]);
    assert!(import.status.success(), "{}", text(&import.stderr));

    let again = council(tmp.path(), &["import", folder, "--dry-run", "--lang", "en"]);
    let report = text(&again.stdout);
    assert!(
        report.contains("submissions") && report.contains("unchanged       3"),
        "{report}"
    );

    let no_reason = council(
        tmp.path(),
        &[
            "decide",
            "--unit",
            "SNV",
            "--criterion",
            "1.2",
            "--score",
            "2,5",
        ],
    );
    assert_eq!(
        no_reason.status.code(),
        Some(3),
        "{}",
        text(&no_reason.stderr)
    );
    let off_step = council(
        tmp.path(),
        &[
            "decide",
            "--unit",
            "SNV",
            "--criterion",
            "1.2",
            "--score",
            "2.25",
            "--reason",
            "x",
        ],
    );
    assert_eq!(off_step.status.code(), Some(3));
    let decided = council(
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
            "Kế hoạch ban hành muộn",
        ],
    );
    assert!(decided.status.success(), "{}", text(&decided.stderr));
    let accepted = council(
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
    assert!(accepted.status.success(), "{}", text(&accepted.stderr));
    let agreed = council(
        tmp.path(),
        &[
            "decide",
            "--unit",
            "XBH",
            "--criterion",
            "2.1",
            "--accept",
            "--by",
            "chủ tịch",
        ],
    );
    assert!(agreed.status.success(), "{}", text(&agreed.stderr));

    // A deduction item takes a negative score, written as it is.
    let negative = council(
        tmp.path(),
        &[
            "decide",
            "--unit",
            "SNV",
            "--criterion",
            "2.1",
            "--score",
            "-1,5",
            "--reason",
            "Không công khai",
        ],
    );
    assert!(negative.status.success(), "{}", text(&negative.stderr));

    let export = council(tmp.path(), &["export", "--out", "out"]);
    assert!(export.status.success(), "{}", text(&export.stderr));
    let results = read_csv(&tmp.path().join("out/results.csv"));
    let (unit, criterion, score, source, status, reason, by, evidence) = (
        column(&results, "unit_code"),
        column(&results, "criterion_code"),
        column(&results, "council_score"),
        column(&results, "source"),
        column(&results, "status"),
        column(&results, "reason"),
        column(&results, "decided_by"),
        column(&results, "evidence"),
    );
    let row = |u: &str, c: &str| {
        results
            .iter()
            .find(|r| r[unit] == u && r[criterion] == c)
            .unwrap()
            .clone()
    };
    let snv = row("SNV", "1.2");
    assert_eq!(
        (
            snv[score].as_str(),
            snv[source].as_str(),
            snv[status].as_str()
        ),
        ("2.5", "council", "adjusted")
    );
    assert_eq!(snv[reason], "Kế hoạch ban hành muộn");
    assert_eq!(snv[by], "thư ký");
    assert_eq!(row("SNV", "1.1")[evidence], "376/KH-UBND; 12/BC-SNV");
    assert_eq!(row("XBH", "2.1")[by], "chủ tịch");
    assert_eq!(row("STC", "2.1")[score], "-1.5");
    assert_eq!(
        (
            row("SNV", "2.1")[score].as_str(),
            row("SNV", "2.1")[source].as_str()
        ),
        ("-1.5", "council")
    );
    assert_eq!(results.len(), 1 + 3 * 3);

    // Refuses to overwrite without --force.
    let twice = council(tmp.path(), &["export", "--out", "out"]);
    assert_eq!(twice.status.code(), Some(1));
    assert!(
        council(
            tmp.path(),
            &["export", "--out", "out", "--force", "--format", "json"]
        )
        .status
        .success()
    );

    let summary = council(tmp.path(), &["summary", "--lang", "en"]);
    let table = text(&summary.stdout);
    assert!(summary.status.success());
    // SNV: 6 + 2.5 − 1.5 = 7 of 15.5 → 45.16 %; English numbers use the dot.
    assert!(
        table
            .lines()
            .any(|l| l.contains("SNV") && l.contains("45.16")),
        "{table}"
    );
    let summary = text(&council(tmp.path(), &["summary"]).stdout);
    assert!(
        summary
            .lines()
            .any(|l| l.contains("STC") && l.contains("7,5")),
        "{summary}"
    );
    assert!(
        summary
            .lines()
            .any(|l| l.contains("SNV") && l.contains("45,16")),
        "{summary}"
    );
}

#[test]
fn bad_input_exits_3_and_leaves_the_database_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = write_session(tmp.path());
    assert!(
        council(tmp.path(), &["import", folder.to_str().unwrap()])
            .status
            .success()
    );
    let db = tmp.path().join("council.db");
    // Fold the WAL in so the file compare below sees everything.
    drop(rusqlite::Connection::open(&db).unwrap());
    let before = fs::read(&db).unwrap();

    fs::write(
        folder.join("self_scores.csv"),
        "unit_code,criterion_code,self_score\nSNV,1.1,7\nSNV,1.2,NaN\n",
    )
    .unwrap();
    let bad = council(tmp.path(), &["import", folder.to_str().unwrap()]);
    assert_eq!(bad.status.code(), Some(3));
    let message = text(&bad.stderr);
    assert!(message.contains("self_scores.csv:2:3"), "{message}");
    assert!(message.contains("self_scores.csv:3:3"), "{message}");
    assert_eq!(fs::read(&db).unwrap(), before);

    let unknown = council(
        tmp.path(),
        &["decide", "--unit", "NOPE", "--criterion", "1.1", "--accept"],
    );
    assert_eq!(unknown.status.code(), Some(3));
    let usage = council(tmp.path(), &["decide", "--unit", "SNV"]);
    assert_eq!(usage.status.code(), Some(2));
    let missing_db = council(tmp.path(), &["summary", "--db", "nowhere.db"]);
    assert_eq!(missing_db.status.code(), Some(1));
    fs::write(
        tmp.path().join("junk.db"),
        "not a database, only text that goes on for a while",
    )
    .unwrap();
    let junk = council(tmp.path(), &["summary", "--db", "junk.db"]);
    assert_eq!(junk.status.code(), Some(3), "{}", text(&junk.stderr));
}
