//! Rendered frames of the meeting: the agenda bar, the list overlay, the follower's header and
//! the presenter's screen, at a projector's 100×35 and a large 200×50 (insta snapshots).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests stop at the first failure

use council::app::keymap::{Key, Keymap};
use council::app::sample::{sample_detail, sample_session};
use council::app::screens::agenda::{MeetingEvent, Role};
use council::app::{Action, AppState, update};
use council::domain::agenda::{AgendaOrder, build};
use council::lang::Lang;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const NOW: i64 = 1_800_000_000;

fn fixed_clock() -> String {
    "2026-11-23T09:00:00+07:00".to_string()
}

fn fixed_now() -> i64 {
    NOW
}

const SIZES: [(u16, u16); 2] = [(100, 35), (200, 50)];

/// The sample session with its agenda, on SNV 1.1.2 (the first entry), 2:15 into the item
/// and 41:07 into the meeting.
fn meeting(width: u16, height: u16) -> AppState {
    let mut s = AppState::new(sample_session(), Keymap::default(), Lang::Vi, "chu.toa");
    s.clock = fixed_clock;
    s.zone = council::domain::time::Zone::Fixed(chrono::FixedOffset::east_opt(7 * 3600).unwrap());
    s.meeting.now = fixed_now;
    update(&mut s, Action::Resize(width, height));
    let items = build(&s.session, AgendaOrder::Unit);
    update(&mut s, Action::Meeting(MeetingEvent::AgendaLoaded(items)));
    update(&mut s, Action::Key(Key::ch(']')));
    update(
        &mut s,
        Action::DetailLoaded {
            unit: 0,
            leaf: 1,
            detail: sample_detail(),
        },
    );
    s.meeting.item_started = Some(NOW - 135);
    s.meeting.meeting_started = Some(NOW - 2467);
    s.message = None;
    s
}

fn draw(state: &AppState, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| frame.render_widget(state, frame.area()))
        .unwrap();
    terminal.backend().to_string()
}

#[test]
fn agenda_bar_on_the_scorecard() {
    for (w, h) in SIZES {
        let s = meeting(w, h);
        let frame = draw(&s, w, h);
        assert!(frame.contains("Đang bàn 1/4"), "{frame}");
        assert!(frame.contains("còn 4"), "{frame}");
        assert!(
            frame.contains("02:15") && frame.contains("41:07"),
            "{frame}"
        );
        insta::assert_snapshot!(format!("agenda_bar_{w}x{h}"), frame);
    }
}

#[test]
fn presenter_screen_of_the_leader() {
    for (w, h) in SIZES {
        let mut s = meeting(w, h);
        s.meeting.role = Role::Leader;
        s.presentation = true;
        let frame = draw(&s, w, h);
        assert!(frame.contains("● Chủ tọa"), "{frame}");
        assert!(frame.contains("Tiếp: SNV 2.1"), "{frame}");
        insta::assert_snapshot!(format!("presenter_{w}x{h}"), frame);
    }
}

#[test]
fn agenda_list_overlay() {
    for (w, h) in SIZES {
        let mut s = meeting(w, h);
        update(&mut s, Action::Key(Key::ch('A')));
        update(&mut s, Action::Key(Key::ch('j')));
        let frame = draw(&s, w, h);
        assert!(frame.contains("Chương trình họp (4, còn 4)"), "{frame}");
        insta::assert_snapshot!(format!("agenda_list_{w}x{h}"), frame);
    }
}

#[test]
fn detached_follower_header() {
    let (w, h) = (100, 35);
    let mut s = meeting(w, h);
    s.meeting.role = Role::Follower { attached: false };
    let frame = draw(&s, w, h);
    assert!(
        frame.contains("đang xem riêng — nhấn . để theo chủ tọa"),
        "{frame}"
    );
    insta::assert_snapshot!("follower_detached_100x35", frame);
}
