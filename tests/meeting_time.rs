//! Meeting time (issue 13): each agenda item's time budget, from `agenda build --minutes` and
//! the agenda CSV's third column to the bar's "còn 1:20" / "quá 0:35 ⚠"; and the chair's
//! current item on the agenda bar of screens that are not following.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests stop at the first failure

mod common;

use common::{council, text, write_session};
use council::app::keymap::{Key, Keymap};
use council::app::sample::sample_session;
use council::app::screens::agenda::{MeetingEvent, Role};
use council::app::{Action, AppState, update};
use council::domain::agenda::{AgendaItem, AgendaOrder, LeaderPosition, build};
use council::lang::Lang;
use ratatui::style::Color;

const NOW: i64 = 1_800_000_000;

fn fixed_now() -> i64 {
    NOW
}

fn fixed_clock() -> String {
    "2026-11-23T09:00:00+07:00".to_string()
}

/// The sample with its agenda (SNV 1.1.2, SNV 2.1, XBH 2.2, PCL 1.2), the first item on a
/// 3-minute budget.
fn meeting() -> AppState {
    let mut s = AppState::new(sample_session(), Keymap::default(), Lang::Vi, "thu.ky");
    s.clock = fixed_clock;
    s.meeting.now = fixed_now;
    update(&mut s, Action::Resize(100, 35));
    let items = build(&s.session, AgendaOrder::Unit);
    let first = items[0];
    update(&mut s, Action::Meeting(MeetingEvent::AgendaLoaded(items)));
    update(
        &mut s,
        Action::Meeting(MeetingEvent::BudgetsLoaded(vec![(first, 180)])),
    );
    s
}

fn frame(state: &AppState, width: u16, height: u16) -> ratatui::buffer::Buffer {
    council::ui::render_to_buffer(state, width, height)
}

fn row_text(buf: &ratatui::buffer::Buffer, y: u16) -> String {
    (0..buf.area.width)
        .map(|x| buf[(x, y)].symbol().to_string())
        .collect()
}

/// The style of the first cell of `needle` on row `y`.
fn colour_of(buf: &ratatui::buffer::Buffer, y: u16, needle: &str) -> (Color, Color) {
    let row = row_text(buf, y);
    let at = row.find(needle).expect("the text is on the row");
    let x = row[..at].chars().count() as u16;
    let cell = &buf[(x, y)];
    (cell.fg, cell.bg)
}

#[test]
fn the_bar_counts_the_budget_down_then_shows_the_overrun_in_text_and_colour() {
    let mut s = meeting();
    update(&mut s, Action::Key(Key::ch(']')));
    s.meeting.item_started = Some(NOW - 100);
    let buf = frame(&s, 100, 35);
    let bar = row_text(&buf, 1);
    assert!(bar.contains("mục này còn 1:20"), "{bar}");
    assert!(!bar.contains('⚠'), "{bar}");

    s.meeting.item_started = Some(NOW - 215);
    let buf = frame(&s, 100, 35);
    let bar = row_text(&buf, 1);
    assert!(bar.contains("mục này quá 0:35 ⚠"), "{bar}");
    // The overrun in the warning colour, the rest of the bar not.
    let (_, over_bg) = colour_of(&buf, 1, "mục này quá");
    let (_, count_bg) = colour_of(&buf, 1, "còn 4");
    assert_eq!(over_bg, Color::Red);
    assert_ne!(count_bg, Color::Red);

    // Without colour the marker and the words are still there.
    s.no_color = true;
    let bar = row_text(&frame(&s, 100, 35), 1);
    assert!(bar.contains("quá 0:35 ⚠"), "{bar}");
    // At 80 columns the meeting clock gives way to the item's.
    s.no_color = false;
    update(&mut s, Action::Resize(80, 24));
    let bar = row_text(&frame(&s, 80, 24), 1);
    assert!(bar.contains("quá 0:35 ⚠"), "{bar}");
    // The agenda list shows each item's budget.
    update(&mut s, Action::Key(Key::ch('A')));
    let buf = frame(&s, 80, 24);
    let rows: Vec<String> = (0..24).map(|y| row_text(&buf, y)).collect();
    let first = rows.iter().find(|r| r.contains("1. ")).unwrap();
    assert!(
        first.contains("SNV 1.1.2") && first.contains("⏱ 3:00"),
        "{first}"
    );
    let second = rows.iter().find(|r| r.contains("2. ")).unwrap();
    assert!(!second.contains('⏱'), "{second}");
}

#[test]
fn an_item_without_a_budget_shows_its_time_as_before() {
    let mut s = meeting();
    update(&mut s, Action::Key(Key::ch(']')));
    update(&mut s, Action::Key(Key::ch(']')));
    s.meeting.item_started = Some(NOW - 135);
    let bar = row_text(&frame(&s, 100, 35), 1);
    assert!(bar.contains("Đang bàn 2/4"), "{bar}");
    assert!(bar.contains("mục này 02:15"), "{bar}");
    // English.
    s.lang = Lang::En;
    s.meeting.position = Some(0);
    s.meeting.item_started = Some(NOW - 215);
    let bar = row_text(&frame(&s, 100, 35), 1);
    assert!(bar.contains("item 0:35 over ⚠"), "{bar}");
}

fn chair_at(unit: &str, criterion: &str, position: usize) -> Action {
    Action::Meeting(MeetingEvent::LeaderMoved {
        position: Some(LeaderPosition {
            leader: "chủ tọa".into(),
            unit_code: Some(unit.into()),
            criterion_code: Some(criterion.into()),
            screen: "scorecard".into(),
            presenting: true,
            agenda_position: Some(position),
            item_started_unix: Some(NOW - 30),
        }),
        started_unix: Some(NOW - 600),
    })
}

#[test]
fn a_screen_that_is_not_following_shows_the_chairs_item() {
    let mut s = meeting();
    assert_eq!(s.meeting.role, Role::Local);
    // Nobody leads: Now follows this screen, as before.
    update(&mut s, Action::Key(Key::ch(']')));
    assert_eq!(s.meeting.position, Some(0));
    // The chair is on XBH 2.2: this screen stays where it is, but "Đang bàn" is the chair's.
    update(&mut s, chair_at("XBH", "2.2", 2));
    assert_eq!(s.current_item(), Some((0, 1)));
    assert_eq!(s.meeting.position, Some(2));
    assert_eq!(s.meeting.item_started, Some(NOW - 30));
    let bar = row_text(&frame(&s, 100, 35), 1);
    assert!(bar.contains("Đang bàn 3/4: XBH 2.2"), "{bar}");
    // Looking at another agenda item does not make it Now.
    update(&mut s, Action::Key(Key::ch(']')));
    assert_eq!(s.session.units[s.current_unit().unwrap()].code, "SNV");
    assert_eq!(s.meeting.position, Some(2));
    // `]` walks on from the item this screen shows, not from the chair's.
    let shown = s.current_item().unwrap();
    assert_eq!(
        AgendaItem::leaf(&s.session, shown.0, shown.1),
        s.meeting.agenda.items[1]
    );
    // The chair moves on: so does this screen's bar.
    update(&mut s, chair_at("PCL", "1.2", 3));
    assert_eq!(s.meeting.position, Some(3));
    // Taking the lead makes this screen's items Now again.
    update(&mut s, Action::Key(Key::ch('L')));
    update(&mut s, Action::Key(Key::ch('[')));
    assert_eq!(s.meeting.position, Some(0));
}

fn codes(dir: &std::path::Path) -> std::path::PathBuf {
    let folder = write_session(dir);
    let import = council(
        dir,
        &["import", folder.to_str().unwrap(), "--db", "council.db"],
    );
    assert!(import.status.success(), "{}", text(&import.stderr));
    folder
}

#[test]
fn agenda_build_takes_a_budget_for_every_item_and_show_prints_it() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    codes(dir);
    let build = council(
        dir,
        &["agenda", "build", "--db", "council.db", "--minutes", "3"],
    );
    assert!(build.status.success(), "{}", text(&build.stderr));
    let shown = text(&build.stdout);
    assert_eq!(shown.matches("⏱ 3:00").count(), 2, "{shown}");
    // A budget that is not minutes is a usage error, and nothing is saved.
    let bad = council(
        dir,
        &[
            "agenda",
            "build",
            "--db",
            "council.db",
            "--minutes",
            "0",
            "--force",
        ],
    );
    assert_eq!(bad.status.code(), Some(2), "{}", text(&bad.stderr));
    assert!(text(&bad.stderr).contains("'0'"), "{}", text(&bad.stderr));
    let show = council(dir, &["agenda", "show", "--db", "council.db"]);
    assert_eq!(text(&show.stdout).matches("⏱ 3:00").count(), 2);
}

#[test]
fn the_agenda_csv_third_column_gives_each_item_its_minutes() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    codes(dir);
    std::fs::write(
        dir.join("agenda.csv"),
        "unit_code,criterion_code,minutes\nSNV,1.2,\"2,5\"\nSTC,1.1,\nXBH,,10\n",
    )
    .unwrap();
    let import = council(
        dir,
        &[
            "agenda",
            "import",
            "agenda.csv",
            "--db",
            "council.db",
            "--minutes",
            "1",
        ],
    );
    assert!(import.status.success(), "{}", text(&import.stderr));
    let shown = text(&import.stdout);
    let lines: Vec<&str> = shown.lines().filter(|l| l.contains(". ")).collect();
    assert!(
        lines[0].contains("SNV 1.2") && lines[0].ends_with("⏱ 2:30"),
        "{shown}"
    );
    // The row without minutes takes --minutes.
    assert!(
        lines[1].contains("STC 1.1") && lines[1].ends_with("⏱ 1:00"),
        "{shown}"
    );
    assert!(
        lines[2].contains("XBH —") && lines[2].ends_with("⏱ 10:00"),
        "{shown}"
    );

    // A bad cell is named at its place (exit 3), and the saved agenda is unchanged.
    std::fs::write(
        dir.join("bad.csv"),
        "unit_code,criterion_code,minutes\nSNV,1.2,mười\n",
    )
    .unwrap();
    let bad = council(
        dir,
        &[
            "agenda",
            "import",
            "bad.csv",
            "--db",
            "council.db",
            "--force",
        ],
    );
    assert_eq!(bad.status.code(), Some(3));
    assert!(
        text(&bad.stderr).contains("bad.csv:2:3: cột minutes: 'mười' không phải một số phút"),
        "{}",
        text(&bad.stderr)
    );
    let show = text(&council(dir, &["agenda", "show", "--db", "council.db"]).stdout);
    assert!(show.contains("⏱ 2:30"), "{show}");
}
