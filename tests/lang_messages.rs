//! Detailed messages follow `--lang`: Vietnamese by default, English on request, with the
//! same file:line:column places.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests stop at the first failure

mod common;

use common::{council, text, write_session};
use std::fs;

/// A session folder whose self-scores give 7 points to criterion 1.1 (maximum 6) on line 2
/// (an error with --strict; without it, the unit's claim, imported with a warning).
fn folder_with_a_score_above_the_maximum(dir: &std::path::Path) -> String {
    let folder = write_session(dir);
    fs::write(
        folder.join("self_scores.csv"),
        "unit_code,criterion_code,self_score\nSNV,1.1,7\n",
    )
    .unwrap();
    folder.to_str().unwrap().to_string()
}

#[test]
fn import_errors_are_vietnamese_by_default() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = folder_with_a_score_above_the_maximum(tmp.path());
    let out = council(tmp.path(), &["import", &folder, "--strict"]);
    assert_eq!(out.status.code(), Some(3));
    let stderr = text(&out.stderr);
    let line = stderr
        .lines()
        .find(|line| line.contains("self_scores.csv:2:3"))
        .unwrap_or_else(|| panic!("no message at self_scores.csv:2:3: {stderr}"));
    assert!(line.starts_with("lỗi: "), "{line}");
    assert!(
        line.contains("self_score: 7 vượt quá điểm tối đa 6 của tiêu chí 1.1"),
        "{line}"
    );
    assert!(!stderr.contains("above the maximum"), "{stderr}");
    assert!(!tmp.path().join("council.db").exists());
}

#[test]
fn import_errors_are_english_with_lang_en() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = folder_with_a_score_above_the_maximum(tmp.path());
    let out = council(tmp.path(), &["import", &folder, "--strict", "--lang", "en"]);
    assert_eq!(out.status.code(), Some(3));
    let stderr = text(&out.stderr);
    let line = stderr
        .lines()
        .find(|line| line.contains("self_scores.csv:2:3"))
        .unwrap_or_else(|| panic!("no message at self_scores.csv:2:3: {stderr}"));
    assert!(line.starts_with("error: "), "{line}");
    assert!(
        line.contains("self_score: 7 is above the maximum 6 of criterion 1.1"),
        "{line}"
    );
    assert!(!stderr.contains("vượt quá"), "{stderr}");
}

#[test]
fn store_errors_follow_the_language_too() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = write_session(tmp.path());
    let imported = council(tmp.path(), &["import", folder.to_str().unwrap()]);
    assert!(imported.status.success(), "{}", text(&imported.stderr));
    let args = [
        "decide",
        "--unit",
        "KHONG",
        "--criterion",
        "1.1",
        "--accept",
    ];
    let vietnamese = text(&council(tmp.path(), &args).stderr);
    assert!(
        vietnamese.contains("không có đơn vị mã 'KHONG'"),
        "{vietnamese}"
    );
    let english_args = [&args[..], &["--lang", "en"]].concat();
    let english = text(&council(tmp.path(), &english_args).stderr);
    assert!(english.contains("unknown unit 'KHONG'"), "{english}");
}
