//! A self-score that breaks its criterion's rule is still the unit's submission: imported as
//! claimed with a warning, marked invalid, counted as disputed until the council decides, its
//! appraised score the proposal or else the claim brought into range. End to end: the binary,
//! the exports, the agenda, finalising, and the screen through `update` and a rendered frame.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests stop at the first failure

mod common;

use common::{council, text, write_session};
use council::app::keymap::{Key, Keymap};
use council::app::{Action, AppState, update};
use council::lang::Lang;
use council::store::Store;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::fs;
use std::path::{Path, PathBuf};

/// The common session with three claims that break the rules: SNV 1.2 claims 5 of 4 (the
/// working group proposes 3), XBH 1.1 claims 7 of 6, XBH 1.2 claims 2,7 off the step of 0,5.
fn session_with_invalid_claims(dir: &Path) -> PathBuf {
    let folder = write_session(dir);
    fs::write(
        folder.join("self_scores.csv"),
        "unit_code,criterion_code,self_score,note\r\n\
         SNV,1.1,6,\"Đã ban hành\r\nđúng hạn\"\r\n\
         SNV,1.2,5,\r\n\
         SNV,2.1,\"5,5\",\r\n\
         STC,1.1,5,\r\n\
         STC,1.2,4,\r\n\
         STC,2.1,\"-1,5\",Chưa công khai\r\n\
         XBH,1.1,7,\r\n\
         XBH,1.2,\"2,7\",\r\n\
         XBH,2.1,\"5,5\",\r\n",
    )
    .unwrap();
    folder
}

fn imported(dir: &Path) -> PathBuf {
    let folder = session_with_invalid_claims(dir);
    let out = council(dir, &["import", folder.to_str().unwrap(), "--lang", "en"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    for place in [
        "self_scores.csv:4:3",
        "self_scores.csv:9:3",
        "self_scores.csv:10:3",
    ] {
        let line = stderr
            .lines()
            .find(|l| l.contains(place))
            .unwrap_or_else(|| panic!("no warning at {place}: {stderr}"));
        assert!(line.starts_with("warning: "), "{line}");
        assert!(line.contains("marked invalid"), "{line}");
    }
    dir.join("council.db")
}

/// results.csv as (unit, criterion) → the row's cells by column name.
fn results(dir: &Path) -> Vec<std::collections::HashMap<String, String>> {
    let out = council(dir, &["export", "--out", "out", "--no-bom", "--force"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let mut reader = csv::Reader::from_path(dir.join("out/results.csv")).unwrap();
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            headers
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

fn row<'a>(
    rows: &'a [std::collections::HashMap<String, String>],
    unit: &str,
    code: &str,
) -> &'a std::collections::HashMap<String, String> {
    rows.iter()
        .find(|r| r["unit_code"] == unit && r["criterion_code"] == code)
        .unwrap_or_else(|| panic!("no row {unit} {code}"))
}

#[test]
fn exports_say_invalid_and_count_the_claim_brought_into_range() {
    let tmp = tempfile::tempdir().unwrap();
    imported(tmp.path());
    let rows = results(tmp.path());
    let above = row(&rows, "XBH", "1.1");
    assert_eq!(
        (
            above["self_score"].as_str(),
            above["council_score"].as_str(),
            above["source"].as_str(),
            above["status"].as_str()
        ),
        ("7", "6", "clamped", "invalid")
    );
    let off_step = row(&rows, "XBH", "1.2");
    assert_eq!(
        (
            off_step["self_score"].as_str(),
            off_step["council_score"].as_str(),
            off_step["source"].as_str()
        ),
        ("2.7", "2.5", "clamped")
    );
    // A proposal counts before the clamped claim; the item is still invalid.
    let proposed = row(&rows, "SNV", "1.2");
    assert_eq!(
        (
            proposed["council_score"].as_str(),
            proposed["source"].as_str(),
            proposed["status"].as_str()
        ),
        ("3", "proposal", "invalid")
    );
    // The self total keeps what the unit claimed: 7 + 2,7 + 5,5.
    let mut reader = csv::Reader::from_path(tmp.path().join("out/ranking.csv")).unwrap();
    let headers = reader.headers().unwrap().clone();
    let self_total = headers.iter().position(|h| h == "self_total").unwrap();
    let xbh = reader
        .records()
        .map(Result::unwrap)
        .find(|r| &r[0] == "XBH")
        .unwrap();
    assert_eq!(&xbh[self_total], "15.2");
}

#[test]
fn the_agenda_includes_invalid_items_and_finalising_waits_for_them() {
    let tmp = tempfile::tempdir().unwrap();
    imported(tmp.path());
    let build = council(tmp.path(), &["agenda", "build", "--lang", "en"]);
    assert!(build.status.success(), "{}", text(&build.stderr));
    let agenda = text(&build.stdout);
    for item in ["XBH 1.1", "XBH 1.2", "SNV 1.2"] {
        assert!(agenda.contains(item), "{item} missing from {agenda}");
    }
    let finalize = council(tmp.path(), &["finalize", "--lang", "en"]);
    assert_ne!(finalize.status.code(), Some(0));
    assert!(
        text(&finalize.stderr).contains("XBH 1.1"),
        "{}",
        text(&finalize.stderr)
    );

    // A decision must itself be valid: accepting the claim of 7 on a 6-point criterion fails.
    let accept = council(
        tmp.path(),
        &["decide", "--unit", "XBH", "--criterion", "1.1", "--accept"],
    );
    assert_eq!(accept.status.code(), Some(3), "{}", text(&accept.stderr));
    let decide = council(
        tmp.path(),
        &[
            "decide",
            "--unit",
            "XBH",
            "--criterion",
            "1.1",
            "--score",
            "6",
            "--reason",
            "Tối đa 6 điểm",
        ],
    );
    assert!(decide.status.success(), "{}", text(&decide.stderr));
    let rows = results(tmp.path());
    let decided = row(&rows, "XBH", "1.1");
    assert_eq!(
        (decided["source"].as_str(), decided["status"].as_str()),
        ("council", "adjusted")
    );
}

#[test]
fn strict_refuses_the_claim_with_the_old_error() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = session_with_invalid_claims(tmp.path());
    let out = council(
        tmp.path(),
        &["import", folder.to_str().unwrap(), "--strict"],
    );
    assert_eq!(out.status.code(), Some(3));
    let stderr = text(&out.stderr);
    assert!(
        stderr
            .contains("self_scores.csv:9:3: self_score: 7 vượt quá điểm tối đa 6 của tiêu chí 1.1"),
        "{stderr}"
    );
    assert!(stderr.contains("3 lỗi"), "{stderr}");
    assert!(!tmp.path().join("council.db").exists());
    let check = council(tmp.path(), &["check", folder.to_str().unwrap(), "--strict"]);
    assert_eq!(check.status.code(), Some(3));
}

fn screen(db: &Path) -> AppState {
    let session = Store::open(db, council::io::system::host())
        .unwrap()
        .load_session()
        .unwrap()
        .unwrap();
    let mut state = AppState::new(session, Keymap::default(), Lang::Vi, "thu.ky");
    update(&mut state, Action::Resize(160, 48));
    state
}

fn at(state: &AppState) -> (String, String) {
    let (unit, leaf) = state.current_item().expect("an item is selected");
    (
        state.session.units[unit].code.clone(),
        state.session.framework.leaf(leaf).code().to_string(),
    )
}

#[test]
fn n_stops_at_invalid_items_and_the_screen_says_khong_hop_le() {
    let tmp = tempfile::tempdir().unwrap();
    let db = imported(tmp.path());
    let mut state = screen(&db);
    let mut visited = Vec::new();
    for _ in 0..6 {
        update(&mut state, Action::Key(Key::ch('n')));
        visited.push(at(&state));
    }
    for item in [("XBH", "1.1"), ("XBH", "1.2"), ("SNV", "1.2")] {
        let item = (item.0.to_string(), item.1.to_string());
        assert!(
            visited.contains(&item),
            "n never stopped at {item:?}: {visited:?}"
        );
    }
    // On XBH 1.1 the scorecard shows its state in words.
    while at(&state) != ("XBH".to_string(), "1.1".to_string()) {
        update(&mut state, Action::Key(Key::ch('n')));
    }
    // Wide enough for the detail pane to hold the state on one line.
    update(&mut state, Action::Resize(200, 50));
    let mut terminal = Terminal::new(TestBackend::new(200, 50)).unwrap();
    terminal
        .draw(|frame| frame.render_widget(&state, frame.area()))
        .unwrap();
    let frame = terminal.backend().to_string();
    assert!(frame.contains("không hợp lệ"), "{frame}");
}
