//! Rendered frames of every screen and overlay at 80×24 and 160×48 (insta snapshots).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests stop at the first failure

use council::app::keymap::{Key, KeyCode, Keymap};
use council::app::sample::{sample_detail, sample_session};
use council::app::{Action, AppState, update};
use council::lang::Lang;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn fixed_clock() -> String {
    "2026-11-23T09:00:00+07:00".to_string()
}

fn state(width: u16, height: u16) -> AppState {
    let mut state = AppState::new(sample_session(), Keymap::default(), Lang::Vi, "thu.ky");
    state.clock = fixed_clock;
    state.zone =
        council::domain::time::Zone::Fixed(chrono::FixedOffset::east_opt(7 * 3600).unwrap());
    update(&mut state, Action::Resize(width, height));
    state
}

fn press(state: &mut AppState, keys: &str) {
    for c in keys.chars() {
        update(state, Action::Key(Key::ch(c)));
    }
}

fn key(state: &mut AppState, code: KeyCode) {
    update(state, Action::Key(Key::plain(code)));
}

fn draw(state: &AppState, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| frame.render_widget(state, frame.area()))
        .unwrap();
    terminal.backend().to_string()
}

/// Opens SNV's scorecard at 1.1.2 with its detail loaded.
fn at_disputed_item(width: u16, height: u16) -> AppState {
    let mut s = state(width, height);
    press(&mut s, "n");
    update(
        &mut s,
        Action::DetailLoaded {
            unit: 0,
            leaf: 1,
            detail: sample_detail(),
        },
    );
    s
}

const SIZES: [(u16, u16); 2] = [(80, 24), (160, 48)];

#[test]
fn overview() {
    for (w, h) in SIZES {
        let s = state(w, h);
        insta::assert_snapshot!(format!("overview_{w}x{h}"), draw(&s, w, h));
    }
}

#[test]
fn scorecard_with_detail() {
    for (w, h) in SIZES {
        let s = at_disputed_item(w, h);
        insta::assert_snapshot!(format!("scorecard_{w}x{h}"), draw(&s, w, h));
    }
}

#[test]
fn compare_across_units() {
    for (w, h) in SIZES {
        let mut s = at_disputed_item(w, h);
        press(&mut s, "c");
        update(
            &mut s,
            Action::NotesLoaded {
                leaf: 1,
                notes: vec![
                    (0, "Đã hoàn thành 18/20 nhiệm vụ".into()),
                    (3, "Hoàn thành một nửa".into()),
                ],
            },
        );
        insta::assert_snapshot!(format!("compare_{w}x{h}"), draw(&s, w, h));
    }
}

#[test]
fn help_overlay() {
    for (w, h) in SIZES {
        let mut s = state(w, h);
        press(&mut s, "?");
        insta::assert_snapshot!(format!("help_{w}x{h}"), draw(&s, w, h));
    }
    let (w, h) = (80, 24);
    let mut s = state(w, h);
    press(&mut s, "?tranh chap");
    insta::assert_snapshot!("help_filtered_80x24", draw(&s, w, h));
}

#[test]
fn score_editor_with_live_range_error() {
    for (w, h) in SIZES {
        let mut s = at_disputed_item(w, h);
        press(&mut s, "e");
        key(&mut s, KeyCode::Backspace);
        press(&mut s, "3");
        insta::assert_snapshot!(format!("score_editor_{w}x{h}"), draw(&s, w, h));
    }
}

#[test]
fn reason_editor() {
    for (w, h) in SIZES {
        let mut s = at_disputed_item(w, h);
        press(&mut s, "e");
        key(&mut s, KeyCode::Enter);
        press(&mut s, "Chỉ hoàn thành 90% nhiệm vụ");
        insta::assert_snapshot!(format!("reason_editor_{w}x{h}"), draw(&s, w, h));
    }
}

#[test]
fn search() {
    for (w, h) in SIZES {
        let mut s = state(w, h);
        press(&mut s, "/thu tuc");
        insta::assert_snapshot!(format!("search_{w}x{h}"), draw(&s, w, h));
    }
}

#[test]
fn jump() {
    for (w, h) in SIZES {
        let mut s = state(w, h);
        press(&mut s, ":9.9");
        key(&mut s, KeyCode::Enter);
        insta::assert_snapshot!(format!("jump_{w}x{h}"), draw(&s, w, h));
    }
}

#[test]
fn confirm_overwrite() {
    for (w, h) in SIZES {
        let mut s = state(w, h);
        update(
            &mut s,
            Action::ExportNeedsConfirm {
                dir: "/phien/export".into(),
                existing: vec![
                    "/phien/export/results.csv".into(),
                    "/phien/export/summary.csv".into(),
                ],
            },
        );
        insta::assert_snapshot!(format!("confirm_{w}x{h}"), draw(&s, w, h));
    }
}

#[test]
fn presentation_mode() {
    for (w, h) in SIZES {
        let mut s = at_disputed_item(w, h);
        press(&mut s, "P");
        insta::assert_snapshot!(format!("presentation_{w}x{h}"), draw(&s, w, h));
    }
}

#[test]
fn too_small() {
    let s = state(59, 15);
    insta::assert_snapshot!("too_small", draw(&s, 59, 15));
}

#[test]
fn english_overview() {
    let mut s = AppState::new(sample_session(), Keymap::default(), Lang::En, "clerk");
    update(&mut s, Action::Resize(80, 24));
    insta::assert_snapshot!("overview_en_80x24", draw(&s, 80, 24));
}

#[test]
fn never_panics_at_any_size() {
    for w in [0u16, 1, 10, 59, 60, 61, 79, 80, 119, 120, 200] {
        for h in [0u16, 1, 5, 15, 16, 17, 24, 50] {
            let mut s = at_disputed_item(w, h);
            council::ui::render_to_buffer(&s, w, h);
            press(&mut s, "c");
            council::ui::render_to_buffer(&s, w, h);
            press(&mut s, "P");
            council::ui::render_to_buffer(&s, w, h);
            press(&mut s, "P?");
            council::ui::render_to_buffer(&s, w, h);
        }
    }
}
