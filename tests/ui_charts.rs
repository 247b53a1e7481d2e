//! The charts (issue 13): the dashboard (`b`), the scorecard's field bars and the comparison's
//! distribution, rendered with TestBackend at 80×24, 120×40 and 160×48, in colour and under
//! NO_COLOR; keystroke tests that open the dashboard and read its counts and band markers.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests stop at the first failure

use council::app::keymap::{Key, KeyCode, Keymap};
use council::app::sample::{sample_detail, sample_session};
use council::app::{Action, AppState, update};
use council::lang::Lang;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::Color;

fn state(width: u16, height: u16) -> AppState {
    let mut state = AppState::new(sample_session(), Keymap::default(), Lang::Vi, "thu.ky");
    state.clock = || "2026-11-23T09:00:00+07:00".to_string();
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

fn frame(state: &AppState, width: u16, height: u16) -> (String, Buffer) {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| frame.render_widget(state, frame.area()))
        .unwrap();
    let backend = terminal.backend();
    (backend.to_string(), backend.buffer().clone())
}

fn draw(state: &AppState, width: u16, height: u16) -> String {
    frame(state, width, height).0
}

/// The dashboard over the overview.
fn dashboard(width: u16, height: u16) -> AppState {
    let mut s = state(width, height);
    press(&mut s, "b");
    s
}

/// SNV's scorecard (its proposals lower two fields) on its first field: the field chart
/// shows under the table when the screen is tall, else in the detail pane of the field row.
fn scorecard(width: u16, height: u16) -> AppState {
    let mut s = state(width, height);
    press(&mut s, "ng");
    s
}

/// SNV's 1.1.2 across units: the distribution of the appraised scores, SNV marked.
fn compare(width: u16, height: u16) -> AppState {
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
    press(&mut s, "c");
    s
}

/// The same screen with NO_COLOR: the same text, and not one cell coloured.
fn assert_no_colour_keeps_the_shapes(mut s: AppState, name: &str, width: u16, height: u16) {
    let coloured = draw(&s, width, height);
    s.no_color = true;
    let (text, buffer) = frame(&s, width, height);
    assert_eq!(text, coloured, "{name}: NO_COLOR changed the text");
    for cell in buffer.content() {
        assert!(
            cell.fg == Color::Reset && cell.bg == Color::Reset,
            "{name}: a coloured cell {cell:?} under NO_COLOR"
        );
    }
    insta::assert_snapshot!(format!("{name}_no_color_{width}x{height}"), text);
}

#[test]
fn dashboard_snapshots() {
    for (w, h) in SIZES {
        insta::assert_snapshot!(format!("dashboard_{w}x{h}"), draw(&dashboard(w, h), w, h));
    }
}

#[test]
fn scorecard_field_bar_snapshots() {
    for (w, h) in SIZES {
        insta::assert_snapshot!(
            format!("scorecard_bars_{w}x{h}"),
            draw(&scorecard(w, h), w, h)
        );
    }
}

#[test]
fn compare_distribution_snapshots() {
    for (w, h) in SIZES {
        insta::assert_snapshot!(format!("compare_chart_{w}x{h}"), draw(&compare(w, h), w, h));
    }
}

#[test]
fn no_color_keeps_every_chart_in_text() {
    for (w, h) in SIZES {
        assert_no_colour_keeps_the_shapes(dashboard(w, h), "dashboard", w, h);
        assert_no_colour_keeps_the_shapes(scorecard(w, h), "scorecard_bars", w, h);
        assert_no_colour_keeps_the_shapes(compare(w, h), "compare_chart", w, h);
    }
}

const SIZES: [(u16, u16); 3] = [(80, 24), (120, 40), (160, 48)];

/// The rendered text of the screen, rows joined.
fn screen_text(state: &AppState) -> String {
    let (w, h) = (120, 40);
    draw(state, w, h)
}

#[test]
fn b_opens_the_dashboard_with_the_counts_and_the_band_markers_in_text() {
    let mut s = state(120, 40);
    let overview = screen_text(&s);
    assert!(
        overview.contains("b  toàn cảnh"),
        "the hint bar offers the dashboard"
    );
    press(&mut s, "b");
    let text = screen_text(&s);
    assert!(text.contains("Tổng hợp › Toàn cảnh"), "{text}");
    assert!(text.contains("Toàn cảnh · 5 đơn vị · 30 mục"), "{text}");
    // The progress bar's parts, counted in text.
    assert!(
        text.contains("█ đã quyết 2 · ▓ tranh chấp 4 · ▒ không hợp lệ 0 · ░ chờ 24"),
        "{text}"
    );
    assert!(text.contains("Tiến độ   7%"), "{text}");
    // Units per band (the sample: two at A, two at B, none at C, one at D).
    for band in ["A ≥90 2", "B ≥80 2", "C ≥70 0", "D ≥0  1"] {
        assert!(text.contains(band), "{band} in\n{text}");
    }
    // The thresholds marked under the distribution; D's 0 is below its first range.
    for marker in ["▲A ≥90", "▲B ≥80", "▲C ≥70"] {
        assert!(text.contains(marker), "{marker} in\n{text}");
    }
    assert!(!text.contains("▲D"), "{text}");
    // b again, or Esc, goes back to the screen below as it was.
    press(&mut s, "b");
    assert_eq!(screen_text(&s), overview);
    press(&mut s, "b");
    key(&mut s, KeyCode::Esc);
    assert_eq!(screen_text(&s), overview);
}

#[test]
fn the_dashboard_opens_over_the_scorecard_and_goes_back_to_it() {
    let mut s = state(120, 40);
    press(&mut s, "n");
    let before = s.current_item();
    press(&mut s, "b");
    assert!(s.current_item().is_none());
    key(&mut s, KeyCode::Esc);
    assert_eq!(s.current_item(), before);
}

#[test]
fn a_decision_made_while_the_dashboard_is_open_counts_at_once() {
    let mut s = dashboard(120, 40);
    assert!(screen_text(&s).contains("đã quyết 2 · ▓ tranh chấp 4"));
    // SNV 1.1.2 (disputed): the council takes the proposal, as another screen would record it.
    let mut item = s.session.item(0, 1).clone();
    item.council = item.proposal;
    item.log_seq += 1;
    update(&mut s, Action::ItemsChanged(vec![(0, 1, item)]));
    let text = screen_text(&s);
    assert!(text.contains("đã quyết 3 · ▓ tranh chấp 3"), "{text}");
}

#[test]
fn the_dashboard_follows_the_sessions_bands() {
    let mut s = dashboard(120, 40);
    let bands = council::domain::Bands::parse("Tốt=95,Khá=85").unwrap();
    update(
        &mut s,
        Action::RankingLoaded {
            rank_mode: council::domain::RankMode::Dense,
            bands,
        },
    );
    let text = screen_text(&s);
    assert_eq!(band_count(&text, "Tốt ≥95"), Some(1), "{text}");
    assert_eq!(band_count(&text, "Khá ≥85"), Some(2), "{text}");
    // Below the last band, whose threshold is above 0.
    assert_eq!(band_count(&text, "không xếp loại"), Some(2), "{text}");
    for expected in ["▲Tốt ≥95", "▲Khá ≥85"] {
        assert!(text.contains(expected), "{expected} in\n{text}");
    }
    assert!(!text.contains("A ≥90"), "{text}");
}

/// The count after a band's label on the dashboard ("Tốt ≥95      1 ████").
fn band_count(text: &str, label: &str) -> Option<usize> {
    let line = text.lines().find(|l| l.contains(label))?;
    let after = &line[line.find(label)? + label.len()..];
    after.split_whitespace().next()?.parse().ok()
}

#[test]
fn help_lists_the_dashboard_key() {
    let mut s = state(120, 40);
    press(&mut s, "?toan canh");
    let text = screen_text(&s);
    let line = text.lines().find(|l| l.contains("Toàn cảnh phiên họp"));
    assert!(line.is_some_and(|l| l.contains("│b ")), "{text}");
}

#[test]
fn the_dashboard_speaks_english_with_lang_en() {
    let mut s = AppState::new(sample_session(), Keymap::default(), Lang::En, "clerk");
    update(&mut s, Action::Resize(120, 40));
    press(&mut s, "b");
    let text = screen_text(&s);
    for expected in [
        "Dashboard · 5 units · 30 items",
        "█ decided 2 · ▓ disputed 4",
        "A ≥90 2",
    ] {
        assert!(text.contains(expected), "{expected} in\n{text}");
    }
}

#[test]
fn b_leaves_presentation_for_the_dashboard_and_p_presents_the_item_below_it() {
    let mut s = state(100, 35);
    press(&mut s, "n");
    let item = s.current_item();
    press(&mut s, "Pb");
    assert!(!s.presentation);
    assert!(screen_text(&s).contains("Toàn cảnh · 5 đơn vị"));
    press(&mut s, "P");
    assert!(s.presentation);
    assert_eq!(s.current_item(), item);
    assert!(
        !screen_text(&s).contains("Toàn cảnh"),
        "{}",
        screen_text(&s)
    );
}

#[test]
fn the_charts_draw_at_any_size_from_the_smallest_to_wide() {
    let sizes = [
        (60, 16),
        (61, 17),
        (79, 23),
        (100, 35),
        (119, 39),
        (200, 50),
        (250, 70),
    ];
    for (w, h) in sizes {
        for s in [dashboard(w, h), scorecard(w, h), compare(w, h)] {
            let text = draw(&s, w, h);
            assert_eq!(text.lines().count(), h as usize);
        }
    }
    // Ten thousand units: the same figures, counted from the synthetic session.
    let session = council::app::sample::synthetic_session(10_000);
    let mut s = AppState::new(session, Keymap::default(), Lang::Vi, "thu.ky");
    update(&mut s, Action::Resize(160, 48));
    press(&mut s, "b");
    let total: usize = s.dashboard.distribution.bands.iter().map(|b| b.count).sum();
    assert_eq!(total, 10_000);
    let buckets: usize = s
        .dashboard
        .distribution
        .buckets
        .iter()
        .map(|b| b.count)
        .sum();
    assert_eq!(buckets, 10_000);
    assert!(draw(&s, 160, 48).contains("Toàn cảnh · 10000 đơn vị"));
}

#[test]
fn the_dashboard_key_can_be_changed_in_the_keys_file() {
    let keymap = Keymap::default()
        .with_config(
            "[screens]\nkeymap = [{ on = \"B\", run = \"dashboard\", desc = \"Biểu đồ\" }]\n",
        )
        .unwrap();
    let mut s = AppState::new(sample_session(), keymap, Lang::Vi, "thu.ky");
    update(&mut s, Action::Resize(120, 40));
    press(&mut s, "b");
    assert!(!screen_text(&s).contains("Toàn cảnh ·"));
    press(&mut s, "B");
    assert!(screen_text(&s).contains("Toàn cảnh · 5 đơn vị"));
    press(&mut s, "?bieu do");
    assert!(screen_text(&s).contains("│B "), "{}", screen_text(&s));
}
