//! The mouse through `update` (issue 13): a click selects a row, a double click drills down,
//! the wheel scrolls, a click on the breadcrumb goes back. Regions come from the ui's layout
//! as the runner reports them before each frame; results are checked on the state and on the
//! rendered frame.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests stop at the first failure

use council::app::keymap::{Key, KeyCode, Keymap};
use council::app::mouse::DOUBLE_CLICK_MS;
use council::app::overlay::Overlay;
use council::app::sample::{sample_session, synthetic_session};
use council::app::screens::agenda::{MeetingEvent, Role};
use council::app::view::OverviewRow;
use council::app::{Action, AppState, Pane, Screen, update};
use council::domain::agenda::LeaderPosition;
use council::lang::Lang;
use std::cell::Cell;

thread_local! {
    /// The clock of these tests: milliseconds since 2026-11-23 09:00 UTC, moved by each test
    /// (tests run on threads of their own).
    static MILLIS: Cell<i64> = const { Cell::new(0) };
}

fn clock() -> String {
    let start = chrono::DateTime::parse_from_rfc3339("2026-11-23T09:00:00Z").unwrap();
    let at = start + chrono::Duration::milliseconds(MILLIS.get());
    council::domain::time::stamp(at.with_timezone(&chrono::Utc))
}

const W: u16 = 160;
const H: u16 = 48;

fn screen_of(session: council::domain::Session) -> AppState {
    let mut s = AppState::new(session, Keymap::default(), Lang::Vi, "thu.ky");
    s.clock = clock;
    update(&mut s, Action::Resize(W, H));
    council::tui::report_viewport(&mut s, W, H);
    s
}

fn state() -> AppState {
    screen_of(sample_session())
}

/// As the loop does after every event: the viewport and the regions of the next frame.
fn settle(s: &mut AppState) {
    council::tui::report_viewport(s, W, H);
}

fn click(s: &mut AppState, column: u16, row: u16) {
    update(s, Action::Click { column, row });
    settle(s);
}

fn wheel(s: &mut AppState, down: bool) {
    update(
        s,
        Action::Wheel {
            column: 10,
            row: 10,
            down,
        },
    );
    settle(s);
}

fn later(ms: i64) {
    MILLIS.set(MILLIS.get() + ms);
}

fn rows(s: &AppState) -> Vec<String> {
    let buf = council::ui::render_to_buffer(s, W, H);
    (0..H)
        .map(|y| (0..W).map(|x| buf[(x, y)].symbol().to_string()).collect())
        .collect()
}

/// The screen line (0-based) that shows `text`, and the column it starts at.
fn find(s: &AppState, text: &str) -> (u16, u16) {
    for (y, row) in rows(s).iter().enumerate() {
        if let Some(at) = row.find(text) {
            return (row[..at].chars().count() as u16, y as u16);
        }
    }
    panic!("{text} is not on the screen:\n{}", rows(s).join("\n"));
}

fn unit_code(s: &AppState) -> String {
    s.session.units[s.current_unit().unwrap()].code.clone()
}

#[test]
fn a_click_selects_the_row_under_it() {
    let mut s = state();
    let (x, y) = find(&s, "Sở Tài chính");
    click(&mut s, x, y);
    assert_eq!(s.screen(), Screen::Overview);
    assert_eq!(unit_code(&s), "STC");
    // The frame marks it: the ▶ gutter is on that line.
    assert!(
        rows(&s)[y as usize].starts_with('▶'),
        "{}",
        rows(&s)[y as usize]
    );
    // Below the last row, or on the header: nothing.
    click(&mut s, 5, H - 5);
    click(&mut s, 5, 1);
    assert_eq!(unit_code(&s), "STC");
    // A group heading is a row too (h / l fold it): a click selects it.
    later(DOUBLE_CLICK_MS + 100);
    let (hx, hy) = find(&s, "▾ ");
    click(&mut s, hx + 3, hy);
    assert_eq!(s.current_unit(), None);
    assert!(
        rows(&s)[hy as usize].starts_with('▶'),
        "{}",
        rows(&s)[hy as usize]
    );
}

#[test]
fn a_double_click_drills_down_and_slow_clicks_do_not() {
    let mut s = state();
    let (x, y) = find(&s, "Sở Tài chính");
    click(&mut s, x, y);
    later(DOUBLE_CLICK_MS + 100);
    click(&mut s, x, y);
    assert_eq!(s.screen(), Screen::Overview, "two slow clicks only select");
    later(120);
    click(&mut s, x, y);
    assert_eq!(s.screen(), Screen::Scorecard);
    assert_eq!(unit_code(&s), "STC");
    // A second click on another cell is not a double click.
    let (x, y) = find(&s, "1.1 ");
    click(&mut s, x, y);
    later(50);
    click(&mut s, x + 1, y);
    assert_eq!(s.screen(), Screen::Scorecard);
    assert_eq!(
        s.session
            .framework
            .node(s.scorecard_node().unwrap())
            .code()
            .to_string(),
        "1.1"
    );
    // A double click on a leaf opens it across units, as Enter does.
    update(&mut s, Action::Key(Key::ch('l')));
    settle(&mut s);
    let (x, y) = find(&s, "1.1.1 ");
    later(1000);
    click(&mut s, x, y);
    later(100);
    click(&mut s, x, y);
    assert_eq!(s.screen(), Screen::Compare);
    assert!(rows(&s)[0].contains("So sánh 1.1.1"), "{}", rows(&s)[0]);
}

#[test]
fn the_breadcrumb_goes_back_to_the_screen_clicked() {
    let mut s = state();
    update(&mut s, Action::Key(Key::plain(KeyCode::Enter)));
    update(&mut s, Action::Key(Key::ch('c')));
    settle(&mut s);
    assert_eq!(s.screen(), Screen::Compare);
    let unit = s.session.units[s.scorecard.unit].clone();
    let (x, y) = find(&s, &format!("{} {}", unit.code, unit.name));
    assert_eq!(y, 0);
    click(&mut s, x + 2, y);
    assert_eq!(s.screen(), Screen::Scorecard);
    assert_eq!(s.stack, vec![Screen::Overview, Screen::Scorecard]);
    let (x, _) = find(&s, "Tổng hợp");
    click(&mut s, x, 0);
    assert_eq!(s.stack, vec![Screen::Overview]);
    // The counts at the right end of the breadcrumb are not a way back.
    update(&mut s, Action::Key(Key::plain(KeyCode::Enter)));
    settle(&mut s);
    click(&mut s, W - 3, 0);
    assert_eq!(s.screen(), Screen::Scorecard);
}

#[test]
fn the_wheel_scrolls_the_table_and_the_detail_pane() {
    let mut s = screen_of(synthetic_session(300));
    let first = s.overview.selected;
    wheel(&mut s, true);
    wheel(&mut s, true);
    assert_eq!(s.overview.offset, 6);
    assert!(s.overview.selected >= first + 6);
    assert!(matches!(
        s.overview.rows[s.overview.selected],
        OverviewRow::Unit(_)
    ));
    // The frame shows the scrolled window: its first row is the seventh.
    let unit = match s.overview.rows[6] {
        OverviewRow::Unit(u) => s.session.units[u].code.clone(),
        OverviewRow::Group(_) => "▸".to_string(),
    };
    assert!(rows(&s)[2].contains(&unit), "{}", rows(&s)[2]);
    wheel(&mut s, false);
    assert_eq!(s.overview.offset, 3);
    for _ in 0..10 {
        wheel(&mut s, false);
    }
    assert_eq!(s.overview.offset, 0);

    // On the scorecard, over the detail pane: the detail scrolls, the table stays.
    update(&mut s, Action::Key(Key::plain(KeyCode::Enter)));
    settle(&mut s);
    let detail = s.mouse.regions.detail.unwrap();
    let selected = s.scorecard.selected;
    update(
        &mut s,
        Action::Wheel {
            column: detail.x + 2,
            row: detail.y + 2,
            down: true,
        },
    );
    assert_eq!(s.scorecard.detail_scroll, 3);
    assert_eq!(s.scorecard.selected, selected);
    // A click in the detail pane gives it the focus.
    click(&mut s, detail.x + 2, detail.y + 2);
    assert_eq!(s.scorecard.pane, Pane::Detail);
}

#[test]
fn the_mouse_leaves_open_windows_and_the_presenter_alone() {
    let mut s = state();
    let before = unit_code(&s);
    let other = match s.overview.rows[s.overview.selected + 2] {
        OverviewRow::Unit(u) => s.session.units[u].name.clone(),
        OverviewRow::Group(_) => panic!("the sample's first group has three units"),
    };
    let (x, y) = find(&s, &other);
    update(&mut s, Action::Key(Key::ch('?')));
    click(&mut s, x, y);
    assert_eq!(unit_code(&s), before);
    // The wheel scrolls the help instead.
    wheel(&mut s, true);
    assert!(matches!(&s.overlay, Some(Overlay::Help(h)) if h.scroll == 3));
    update(&mut s, Action::Key(Key::plain(KeyCode::Esc)));
    // An editor is open on an item: a click does not change the item under it.
    update(&mut s, Action::Key(Key::ch('n')));
    update(&mut s, Action::Key(Key::ch('e')));
    settle(&mut s);
    assert!(matches!(s.overlay, Some(Overlay::Score(_))));
    let item = s.current_item();
    assert!(item.is_some());
    let (x, y) = find(&s, "1.2 ");
    click(&mut s, x, y);
    assert_eq!(s.current_item(), item);
    update(&mut s, Action::Key(Key::plain(KeyCode::Esc)));
    // Presentation mode has nothing to click.
    update(&mut s, Action::Key(Key::ch('P')));
    settle(&mut s);
    assert_eq!(s.mouse.regions, Default::default());
}

#[test]
fn a_follower_that_clicks_looks_around_on_its_own() {
    let mut s = state();
    update(&mut s, Action::Key(Key::ch('.')));
    update(
        &mut s,
        Action::Meeting(MeetingEvent::LeaderMoved {
            position: Some(LeaderPosition {
                leader: "chủ tọa".into(),
                unit_code: Some("SNV".into()),
                screen: "overview".into(),
                ..Default::default()
            }),
            started_unix: None,
        }),
    );
    settle(&mut s);
    assert_eq!(s.meeting.role, Role::Follower { attached: true });
    let (x, y) = find(&s, "Sở Tài chính");
    click(&mut s, x, y);
    assert_eq!(s.meeting.role, Role::Follower { attached: false });
}
