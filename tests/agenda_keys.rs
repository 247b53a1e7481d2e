//! The meeting through the real keymap and `update`: agenda keys, the agenda list overlay, the
//! leader publishing its moves and a follower following, detaching and snapping back.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests stop at the first failure

use council::app::keymap::{Key, KeyCode, Keymap};
use council::app::sample::sample_session;
use council::app::screens::agenda::{MeetingEffect, MeetingEvent, Role};
use council::app::{Action, AppState, Effect, RecordIntent, Screen, update};
use council::domain::agenda::{AgendaItem, AgendaOrder, LeaderPosition, build};
use council::domain::{DecisionAction, ItemState};
use council::lang::Lang;
use rust_decimal::Decimal;

fn fixed_clock() -> String {
    "2026-11-23T09:00:00+07:00".to_string()
}

fn fixed_now() -> i64 {
    1_800_000_000
}

fn state() -> AppState {
    let mut state = AppState::new(sample_session(), Keymap::default(), Lang::Vi, "thu.ky");
    state.clock = fixed_clock;
    state.meeting.now = fixed_now;
    update(&mut state, Action::Resize(100, 35));
    state
}

/// The sample's disputed items in unit order: SNV 1.1.2, SNV 2.1, XBH 2.2, PCL 1.2.
fn with_agenda() -> AppState {
    let mut s = state();
    let items = build(&s.session, AgendaOrder::Unit);
    update(&mut s, Action::Meeting(MeetingEvent::AgendaLoaded(items)));
    s
}

fn press(state: &mut AppState, keys: &str) -> Vec<Effect> {
    let mut effects = Vec::new();
    for c in keys.chars() {
        effects.extend(update(state, Action::Key(Key::ch(c))));
    }
    effects
}

/// `:` then the codes then Enter.
fn jump(state: &mut AppState, codes: &str) {
    press(state, ":");
    for c in codes.chars() {
        update(state, Action::Key(Key::ch(c)));
    }
    update(state, Action::Key(Key::plain(KeyCode::Enter)));
}

fn item_name(state: &AppState) -> String {
    match state.current_item() {
        Some((u, l)) => format!(
            "{} {}",
            state.session.units[u].code,
            state.session.framework.leaf(l).code()
        ),
        None => "-".into(),
    }
}

fn saved_agenda(effects: &[Effect]) -> Option<Vec<String>> {
    effects.iter().rev().find_map(|e| match e {
        Effect::Meeting(MeetingEffect::SaveAgenda { items, by, .. }) => {
            assert_eq!(by, "thu.ky");
            Some(
                items
                    .iter()
                    .map(|(u, c)| format!("{u} {}", c.clone().unwrap_or_default()))
                    .collect(),
            )
        }
        _ => None,
    })
}

#[test]
fn brackets_walk_the_agenda_and_now_follows_the_screen() {
    let mut s = with_agenda();
    assert_eq!(s.meeting.agenda.len(), 4);
    assert_eq!(s.meeting.position, None);
    press(&mut s, "]");
    assert_eq!(item_name(&s), "SNV 1.1.2");
    assert_eq!(s.meeting.position, Some(0));
    assert_eq!(s.meeting.item_started, Some(fixed_now()));
    press(&mut s, "]]");
    assert_eq!(item_name(&s), "XBH 2.2");
    press(&mut s, "[");
    assert_eq!(item_name(&s), "SNV 2.1");
    press(&mut s, "]]");
    assert_eq!(item_name(&s), "PCL 1.2");
    // At the end: it says so and stays.
    press(&mut s, "]");
    assert_eq!(item_name(&s), "PCL 1.2");
    assert!(s.message.as_ref().unwrap().text.contains("mục cuối"));
    // Reaching an agenda item by other means makes it Now too.
    jump(&mut s, "SNV 2.1");
    assert_eq!(item_name(&s), "SNV 2.1");
    assert_eq!(s.meeting.position, Some(1));
}

#[test]
fn without_an_agenda_the_keys_say_how_to_make_one() {
    let mut s = state();
    press(&mut s, "]");
    assert_eq!(s.screen(), Screen::Overview);
    assert!(
        s.message
            .as_ref()
            .unwrap()
            .text
            .contains("council agenda build")
    );
}

#[test]
fn the_list_overlay_reorders_removes_adds_and_goes() {
    let mut s = with_agenda();
    press(&mut s, "]");
    press(&mut s, "A");
    assert!(s.meeting.list.is_some());
    assert_eq!(s.meeting.list.as_ref().unwrap().selected, 0);
    // J moves SNV 1.1.2 down; Now stays on it.
    let effects = press(&mut s, "J");
    assert_eq!(
        saved_agenda(&effects).unwrap(),
        ["SNV 2.1", "SNV 1.1.2", "XBH 2.2", "PCL 1.2"]
    );
    assert_eq!(s.meeting.position, Some(1));
    // K moves it back up.
    let effects = press(&mut s, "K");
    assert_eq!(
        saved_agenda(&effects).unwrap(),
        ["SNV 1.1.2", "SNV 2.1", "XBH 2.2", "PCL 1.2"]
    );
    // x removes the selected entry (the second).
    press(&mut s, "j");
    let effects = press(&mut s, "x");
    assert_eq!(
        saved_agenda(&effects).unwrap(),
        ["SNV 1.1.2", "XBH 2.2", "PCL 1.2"]
    );
    // + adds the item on screen (SNV 1.1.2) — already there: nothing saved.
    let effects = press(&mut s, "+");
    assert_eq!(saved_agenda(&effects), None);
    assert!(s.message.as_ref().unwrap().text.contains("đã có"));
    // Enter goes to the selected entry and closes the list.
    press(&mut s, "G");
    update(&mut s, Action::Key(Key::plain(KeyCode::Enter)));
    assert!(s.meeting.list.is_none());
    assert_eq!(item_name(&s), "PCL 1.2");
    // + adds the item on screen after the selected entry.
    jump(&mut s, "STC 2.2");
    assert_eq!(item_name(&s), "STC 2.2");
    press(&mut s, "A");
    press(&mut s, "k");
    let effects = press(&mut s, "+");
    assert_eq!(
        saved_agenda(&effects).unwrap(),
        ["SNV 1.1.2", "XBH 2.2", "STC 2.2", "PCL 1.2"]
    );
    assert_eq!(s.meeting.list.as_ref().unwrap().selected, 2);
    // Esc closes without moving.
    update(&mut s, Action::Key(Key::plain(KeyCode::Esc)));
    assert!(s.meeting.list.is_none());
    assert_eq!(item_name(&s), "STC 2.2");
}

#[test]
fn a_decision_marks_the_item_discussed() {
    let mut s = with_agenda();
    press(&mut s, "]");
    assert_eq!(s.meeting.agenda.remaining(&s.session), 4);
    let effects = press(&mut s, "a");
    let request = effects
        .iter()
        .find_map(|e| match e {
            Effect::Record(r) => Some(r.clone()),
            _ => None,
        })
        .expect("accepting records a decision");
    assert!(matches!(request.action, DecisionAction::Decide { .. }));
    let fresh = ItemState {
        council: Some(Decimal::from(2)),
        ..s.session.item(0, 1).clone()
    };
    update(
        &mut s,
        Action::Recorded {
            unit: 0,
            leaf: 1,
            intent: RecordIntent::Decide,
            result: Ok(fresh),
        },
    );
    assert_eq!(s.meeting.agenda.remaining(&s.session), 3);
}

fn published(effects: &[Effect]) -> Vec<LeaderPosition> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Meeting(MeetingEffect::Publish { position, .. }) => Some(position.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn a_leader_publishes_each_move_once() {
    let mut s = with_agenda();
    let effects = press(&mut s, "L");
    assert_eq!(s.meeting.role, Role::Leader);
    let first = published(&effects);
    assert_eq!(first.len(), 1);
    assert_eq!(first[0].screen, "overview");
    assert_eq!(first[0].leader, "thu.ky");
    let effects = press(&mut s, "]");
    let moved = published(&effects);
    assert_eq!(moved.len(), 1);
    assert_eq!(moved[0].unit_code.as_deref(), Some("SNV"));
    assert_eq!(moved[0].criterion_code.as_deref(), Some("1.1.2"));
    assert_eq!(moved[0].screen, "scorecard");
    assert_eq!(moved[0].agenda_position, Some(0));
    // Opening help does not move: nothing to publish.
    let effects = press(&mut s, "?");
    assert!(published(&effects).is_empty());
    update(&mut s, Action::Key(Key::plain(KeyCode::Esc)));
    // L again stops leading: no more publications.
    press(&mut s, "L");
    assert!(published(&press(&mut s, "j")).is_empty());
}

fn leader_at(unit: &str, criterion: &str, position: usize) -> Action {
    Action::Meeting(MeetingEvent::LeaderMoved {
        position: Some(LeaderPosition {
            leader: "chủ tọa".into(),
            unit_code: Some(unit.into()),
            criterion_code: Some(criterion.into()),
            screen: "scorecard".into(),
            presenting: true,
            agenda_position: Some(position),
            item_started_unix: Some(fixed_now() - 30),
        }),
        started_unix: Some(fixed_now() - 600),
    })
}

#[test]
fn a_follower_follows_detaches_and_snaps_back() {
    let mut s = with_agenda();
    press(&mut s, ".");
    assert_eq!(s.meeting.role, Role::Follower { attached: true });
    assert!(s.message.as_ref().unwrap().text.contains("Chưa có chủ tọa"));
    update(&mut s, leader_at("XBH", "2.2", 2));
    assert_eq!(item_name(&s), "XBH 2.2");
    assert_eq!(s.meeting.position, Some(2));
    assert_eq!(s.meeting.item_started, Some(fixed_now() - 30));
    assert_eq!(s.meeting.meeting_started, Some(fixed_now() - 600));
    // Looking around detaches.
    press(&mut s, "k");
    assert_eq!(s.meeting.role, Role::Follower { attached: false });
    let own = item_name(&s);
    // The leader moves on: the follower stays where it looks, but Now is the leader's.
    update(&mut s, leader_at("PCL", "1.2", 3));
    assert_eq!(item_name(&s), own);
    assert_eq!(s.meeting.position, Some(3));
    // One key snaps back.
    press(&mut s, ".");
    assert_eq!(s.meeting.role, Role::Follower { attached: true });
    assert_eq!(item_name(&s), "PCL 1.2");
    // Keys that do not move (help) do not detach.
    press(&mut s, "?");
    update(&mut s, Action::Key(Key::plain(KeyCode::Esc)));
    assert_eq!(s.meeting.role, Role::Follower { attached: true });
}

#[test]
fn a_follower_follows_to_the_comparison_and_the_overview() {
    let mut s = with_agenda();
    press(&mut s, ".");
    let mut position = LeaderPosition {
        leader: "chủ tọa".into(),
        unit_code: Some("STC".into()),
        criterion_code: Some("1.2".into()),
        screen: "compare".into(),
        ..Default::default()
    };
    update(
        &mut s,
        Action::Meeting(MeetingEvent::LeaderMoved {
            position: Some(position.clone()),
            started_unix: None,
        }),
    );
    assert_eq!(s.screen(), Screen::Compare);
    assert_eq!(item_name(&s), "STC 1.2");
    position.screen = "overview".into();
    position.criterion_code = None;
    update(
        &mut s,
        Action::Meeting(MeetingEvent::LeaderMoved {
            position: Some(position),
            started_unix: None,
        }),
    );
    assert_eq!(s.screen(), Screen::Overview);
    assert_eq!(s.overview_unit(), Some(1));
}

#[test]
fn an_agenda_changed_elsewhere_keeps_now_on_its_entry() {
    let mut s = with_agenda();
    press(&mut s, "]]");
    assert_eq!(s.meeting.position, Some(1));
    let mut items = s.meeting.agenda.items.clone();
    items.reverse();
    items.push(AgendaItem {
        unit: 1,
        node: None,
    });
    update(&mut s, Action::Meeting(MeetingEvent::AgendaLoaded(items)));
    assert_eq!(s.meeting.position, Some(2));
    assert_eq!(s.meeting.agenda.len(), 5);
}

#[test]
fn the_keymap_offers_the_meeting_keys_without_clashes() {
    let map = Keymap::default();
    use council::app::keymap::Command;
    for (key, command) in [
        (']', Command::AgendaNext),
        ('[', Command::AgendaPrev),
        ('A', Command::AgendaList),
        ('L', Command::Lead),
        ('.', Command::Follow),
    ] {
        assert_eq!(map.command(Key::ch(key)), Some(command));
        assert!(!command.description(Lang::Vi).is_empty());
        assert!(!command.short(Lang::En).is_empty());
    }
}
