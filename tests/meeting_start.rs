//! Starting as the chair or a member goes through `update` like everything else: the part in
//! the meeting, presentation mode and the meeting clock are actions, and the leader's first
//! position is published as an effect the runner carries out.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests stop at the first failure

use council::app::keymap::Keymap;
use council::app::sample::sample_session;
use council::app::screens::agenda::{MeetingEffect, MeetingEvent, Role};
use council::app::{Action, AppState, Effect, update};
use council::lang::Lang;

fn fixed_now() -> i64 {
    1_800_000_000
}

fn state() -> AppState {
    let mut state = AppState::new(sample_session(), Keymap::default(), Lang::Vi, "Chủ tọa");
    state.meeting.now = fixed_now;
    state
}

#[test]
fn the_chair_joins_following_then_takes_the_lead_and_publishes() {
    let mut s = state();
    let effects = update(
        &mut s,
        Action::Meeting(MeetingEvent::Join {
            lead: true,
            follow: false,
        }),
    );
    assert!(effects.is_empty());
    assert_eq!(s.meeting.role, Role::Follower { attached: true });
    assert!(s.presentation);
    assert_eq!(s.meeting.meeting_started, None);
    let effects = update(&mut s, Action::Meeting(MeetingEvent::TakeLead));
    assert_eq!(s.meeting.role, Role::Leader);
    assert_eq!(s.meeting.meeting_started, Some(fixed_now()));
    let published = effects.iter().find_map(|e| match e {
        Effect::Meeting(MeetingEffect::Publish { position, .. }) => Some(position.clone()),
        _ => None,
    });
    let position = published.expect("the leader's position is published");
    assert_eq!(position.leader, "Chủ tọa");
    assert!(position.presenting);
}

#[test]
fn a_member_joins_following_and_a_lone_screen_stays_on_its_own() {
    let mut s = state();
    update(
        &mut s,
        Action::Meeting(MeetingEvent::Join {
            lead: false,
            follow: true,
        }),
    );
    assert_eq!(s.meeting.role, Role::Follower { attached: true });
    assert!(!s.presentation);
    let mut alone = state();
    update(
        &mut alone,
        Action::Meeting(MeetingEvent::Join {
            lead: false,
            follow: false,
        }),
    );
    assert_eq!(alone.meeting.role, Role::Local);
}
