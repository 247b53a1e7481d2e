//! The page height is the ui's: the runner reports how many rows each table shows as drawn,
//! and a page moves exactly that far, with the selection on the last row drawn.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests stop at the first failure

use council::app::keymap::{Key, KeyCode, Keymap};
use council::app::sample::synthetic_session;
use council::app::{Action, AppState, Screen, update};
use council::lang::Lang;
use council::tui::report_viewport;

fn page_down(state: &mut AppState) {
    update(state, Action::Key(Key::plain(KeyCode::PageDown)));
}

/// The line of the frame with the selection marker.
fn marker_line(state: &AppState, width: u16, height: u16) -> usize {
    let buf = council::ui::render_to_buffer(state, width, height);
    (0..height)
        .find(|&y| buf[(0, y)].symbol() == "▶")
        .expect("a selected row") as usize
}

#[test]
fn a_page_is_the_rows_the_table_shows() {
    let (w, h) = (80, 24);
    let mut s = AppState::new(synthetic_session(200), Keymap::default(), Lang::Vi, "bench");
    update(&mut s, Action::Resize(w, h));
    assert!(report_viewport(&mut s, w, h).is_empty());
    let viewport = s.viewport.unwrap();
    // 24 rows: breadcrumb, table header, message line, footer; the rest are table rows.
    assert_eq!(viewport.overview, 20);
    // Nothing to report when nothing changed.
    assert!(report_viewport(&mut s, w, h).is_empty());
    assert_eq!(s.overview.selected, 1, "the first unit, under its group");
    page_down(&mut s);
    assert_eq!(s.overview.selected, 21);
    // The selection is on the table's last row, where the app scrolled it.
    assert_eq!(marker_line(&s, w, h), 21);
    page_down(&mut s);
    assert_eq!(s.overview.selected, 41);
    assert_eq!(s.overview.offset, 41 - 19);
    assert_eq!(marker_line(&s, w, h), 21);

    // The scorecard at this width has its detail pane below: fewer rows, and a page is that.
    update(&mut s, Action::Key(Key::plain(KeyCode::Enter)));
    update(&mut s, Action::Key(Key::ch('+')));
    assert_eq!(s.screen(), Screen::Scorecard);
    report_viewport(&mut s, w, h);
    let rows = s.viewport.unwrap().scorecard;
    assert_eq!(rows, 12);
    page_down(&mut s);
    assert_eq!(s.scorecard.selected, rows);
    assert_eq!(marker_line(&s, w, h), 2 + rows - 1);

    // A resize forgets the old figure until the next frame reports the new one.
    update(&mut s, Action::Resize(160, 48));
    assert_eq!(s.viewport, None);
    report_viewport(&mut s, 160, 48);
    assert_eq!(s.viewport.unwrap().scorecard, 44);
}
