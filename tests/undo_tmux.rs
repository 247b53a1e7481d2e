//! Undo is yours alone, with two processes: a reviewer's screen and another reviewer's
//! `council decide`. And the screen ranks and bands units as the session's settings say.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests stop at the first failure

mod common;

use common::tmux::Tmux;
use common::{council, text, write_session};
use std::path::Path;

fn ok(dir: &Path, args: &[&str]) {
    let out = council(dir, args);
    assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
}

fn imported() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let folder = write_session(tmp.path());
    ok(tmp.path(), &["import", folder.to_str().unwrap()]);
    tmp
}

/// (action, decided_by) of the item's log entries, oldest first.
fn item_log(dir: &Path, unit: &str, criterion: &str) -> Vec<(String, String)> {
    let conn = rusqlite::Connection::open(dir.join("council.db")).unwrap();
    conn.prepare(
        "SELECT action, decided_by FROM decision_log WHERE unit_code = ?1 AND criterion_code = ?2
         ORDER BY seq",
    )
    .unwrap()
    .query_map([unit, criterion], |r| Ok((r.get(0)?, r.get(1)?)))
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

fn pairs(entries: &[(&str, &str)]) -> Vec<(String, String)> {
    entries
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn undo_never_puts_your_decision_back_over_another_reviewers() {
    let tmp = imported();
    let dir = tmp.path();
    let tmux = Tmux::start("undo");
    tmux.open("an", dir, "--as An");
    tmux.wait_for("an", "the overview", 10, |s| s.contains("Tổng hợp"));
    tmux.keys("an", ":");
    tmux.keys("an", "SNV 1.1");
    tmux.enter("an");
    tmux.wait_for("an", "SNV's scorecard", 5, |s| {
        s.contains("Sở Nội vụ") && s.contains("Chi tiết")
    });
    tmux.keys("an", "a");
    tmux.wait_for("an", "An's decision saved", 5, |s| s.contains("Đã lưu"));

    // Another reviewer, another process, decides the same item.
    let binh_decides = |score: &str, reason: &str| {
        let args = [
            "decide",
            "--unit",
            "SNV",
            "--criterion",
            "1.1",
            "--score",
            score,
            "--reason",
            reason,
            "--as",
            "Bình",
        ];
        ok(dir, &args);
    };
    binh_decides("5", "Thiếu báo cáo quý");
    tmux.wait_for("an", "Bình's decision on An's screen", 5, |s| {
        s.contains("Bình")
    });
    tmux.keys("an", "u");
    let screen = tmux.wait_for("an", "the refusal", 5, |s| {
        s.contains("Bình đã quyết định lúc")
    });
    assert!(
        screen.contains("SNV 1.1: Bình đã quyết định lúc 20"),
        "{screen}"
    );
    assert_eq!(
        item_log(dir, "SNV", "1.1"),
        pairs(&[("decide", "An"), ("decide", "Bình")]),
        "the refused undo wrote nothing"
    );

    // An decides again: An's own decision can be undone (Bình's is in force again) and redone.
    tmux.keys("an", "a");
    tmux.wait_for("an", "An's second decision", 5, |s| s.contains("Đã lưu"));
    tmux.keys("an", "u");
    tmux.wait_for("an", "the undo", 5, |s| s.contains("Đã hoàn tác"));
    tmux.keys("an", "U");
    tmux.wait_for("an", "the redo", 5, |s| s.contains("Đã làm lại"));
    // Bình acts again; An's redo stack is empty, An's undo is refused once more.
    binh_decides("4", "Chỉ một báo cáo");
    tmux.wait_for("an", "Bình's second decision", 5, |s| {
        s.contains("Hội đồng 4")
    });
    tmux.keys("an", "u");
    tmux.wait_for("an", "the second refusal", 5, |s| {
        s.contains("Bình đã quyết định lúc")
    });
    let log = item_log(dir, "SNV", "1.1");
    assert_eq!(
        log.last(),
        Some(&("decide".to_string(), "Bình".to_string())),
        "{log:?}"
    );
    assert_eq!(log.len(), 6, "{log:?}");
    tmux.keys("an", "q");
}

#[test]
fn the_screen_ranks_and_bands_as_the_session_says() {
    let tmp = imported();
    let dir = tmp.path();
    ok(dir, &["configure", "--bands", "Xuất sắc=95,Đạt=80"]);
    let tmux = Tmux::start("bands");
    tmux.open("s", dir, "");
    let screen = tmux.wait_for("s", "the overview", 10, |s| s.contains("Tổng hợp"));
    // XBH (15 of 15,5: 96,77 %) and SNV (14,5: 93,55 %), STC (6,5: 41,94 %).
    assert!(screen.contains("Xuất sắc"), "{screen}");
    assert!(screen.contains("Đạt"), "{screen}");
    assert!(screen.contains("không xếp loại"), "{screen}");
    // A change of the setting reaches the open screen.
    ok(dir, &["configure", "--bands", "Tốt=0"]);
    tmux.wait_for("s", "the new bands", 5, |s| {
        s.contains("Tốt") && !s.contains("Xuất sắc")
    });
    tmux.keys("s", "q");
}
