//! Running the meeting: the agenda (Now / Next / Then), the agenda list overlay, and the
//! leader / follower roles of follow mode. State and logic only; the runner (tui.rs) talks to
//! the store and the ui module draws.
//!
//! The agenda's "Now" follows the screen: whenever the screen shows an item that is on the
//! agenda, that entry becomes Now (and its clock restarts). A follower's Now is the leader's.

use super::Screen;
use super::scorecard::Pane;
use crate::app::keymap::Command;
use crate::app::overlay::agenda_list::AgendaListState;
use crate::app::{AppState, Effect, MessageKind};
use crate::domain::agenda::{Agenda, AgendaItem, BudgetClock, LeaderPosition};
use crate::messages::screen::meeting_labels;
use std::collections::HashMap;

/// This process's part in the meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Role {
    /// On its own: no publishing, no following.
    #[default]
    Local,
    /// Publishes every move through the database.
    Leader,
    /// Moves with the leader while `attached`; any movement key detaches.
    Follower { attached: bool },
}

/// Where the screen is, as far as following is concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub screen: Screen,
    pub unit: Option<usize>,
    pub node: Option<crate::domain::NodeId>,
}

pub struct MeetingState {
    pub agenda: Agenda,
    /// The agenda entry being discussed ("Now").
    pub position: Option<usize>,
    /// When Now started, and when the meeting started (Unix seconds).
    pub item_started: Option<i64>,
    pub meeting_started: Option<i64>,
    pub role: Role,
    /// The leader's latest published position, as read from the database.
    pub leader: Option<LeaderPosition>,
    /// What this process published last (leaders), so each move is published once.
    pub last_published: Option<LeaderPosition>,
    pub list: Option<AgendaListState>,
    /// Unix seconds now; injected so that tests are deterministic.
    pub now: fn() -> i64,
    /// The agenda items' time budgets in seconds (items without one are not here).
    pub budgets: HashMap<AgendaItem, u32>,
}

impl Default for MeetingState {
    fn default() -> Self {
        MeetingState {
            agenda: Agenda::default(),
            position: None,
            item_started: None,
            meeting_started: None,
            role: Role::Local,
            leader: None,
            last_published: None,
            list: None,
            now: unix_now,
            budgets: HashMap::new(),
        }
    }
}

impl MeetingState {
    /// Whether the agenda bar is shown.
    pub fn has_bar(&self) -> bool {
        !self.agenda.is_empty() || self.role != Role::Local
    }

    pub fn is_following(&self) -> bool {
        self.role == Role::Follower { attached: true }
    }

    /// Whether this screen decides what is being discussed ("Now"): the leader does, and a
    /// screen on its own while nobody leads. Every other screen shows the chair's Now, so
    /// that "Đang bàn" is the same in the whole room.
    pub fn owns_now(&self) -> bool {
        match self.role {
            Role::Leader => true,
            Role::Local => self.leader.is_none(),
            Role::Follower { .. } => false,
        }
    }

    /// The budget of the item being discussed and where its clock stands; None without one.
    pub fn budget_clock(&self) -> Option<BudgetClock> {
        let item = self.agenda.get(self.position?)?;
        let budget = *self.budgets.get(item)?;
        let started = self.item_started?;
        Some(BudgetClock::of((self.now)() - started, budget))
    }
}

pub fn unix_now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// What the runner does for the meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MeetingEffect {
    /// Replace the saved agenda with these (unit code, criterion code) pairs; entries new to
    /// the agenda are recorded as added by `by` at `at`.
    SaveAgenda {
        items: Vec<(String, Option<String>)>,
        by: String,
        at: String,
    },
    /// Publish the leader's position; `meeting_started` starts the meeting clock if it has not
    /// started yet.
    Publish {
        position: LeaderPosition,
        meeting_started: i64,
        at: String,
    },
}

/// What the runner reports back about the meeting.
#[derive(Debug, Clone, PartialEq)]
pub enum MeetingEvent {
    /// At start: this process leads (`--lead`: it follows first, to pick the meeting up where
    /// it was, and opens in presentation mode) or follows (`--follow`).
    Join { lead: bool, follow: bool },
    /// After the start: the leader takes over (the meeting clock starts if it has not).
    TakeLead,
    /// The saved agenda, read at start or after another process changed it.
    AgendaLoaded(Vec<AgendaItem>),
    /// The saved agenda's time budgets in seconds (sent after `AgendaLoaded`).
    BudgetsLoaded(Vec<(AgendaItem, u32)>),
    /// The meeting row changed (or was read at start).
    LeaderMoved {
        position: Option<LeaderPosition>,
        started_unix: Option<i64>,
    },
    /// A save or a publication failed.
    Failed(String),
}

pub fn place(state: &AppState) -> Place {
    let node = match state.screen() {
        Screen::Overview => None,
        Screen::Scorecard => state.scorecard_node(),
        Screen::Compare => Some(state.compare.node),
        Screen::Diff | Screen::Dashboard => None,
    };
    Place {
        screen: state.screen(),
        unit: state.current_unit(),
        node,
    }
}

/// The position to publish: this screen, this agenda entry.
pub fn snapshot(state: &AppState) -> LeaderPosition {
    let place = place(state);
    let screen = match place.screen {
        Screen::Overview => "overview",
        Screen::Scorecard => "scorecard",
        Screen::Compare => "compare",
        // Followers see the unit's scorecard while the leader reads its changes.
        Screen::Diff => "scorecard",
        Screen::Dashboard => "dashboard",
    };
    LeaderPosition {
        leader: state.reviewer.clone(),
        unit_code: place
            .unit
            .and_then(|u| state.session.units.get(u))
            .map(|u| u.code.clone()),
        criterion_code: place
            .node
            .map(|n| state.session.framework.node(n).code().to_string()),
        screen: screen.to_string(),
        presenting: state.presentation,
        agenda_position: state.meeting.position,
        item_started_unix: state.meeting.item_started,
    }
}

/// Before a key: where the screen is, and whether it was following.
pub(crate) fn before_key(state: &AppState) -> (Place, bool) {
    (place(state), state.meeting.is_following())
}

/// After a key: a follower that moved on its own is detached (the key that starts following
/// moves too, but it was not following before it).
pub(crate) fn after_key(state: &mut AppState, (before, was_following): (Place, bool)) {
    if was_following && state.meeting.is_following() && place(state) != before {
        state.meeting.role = Role::Follower { attached: false };
    }
}

/// Called whenever the state settles: Now follows the screen, and a leader publishes moves.
pub(crate) fn settle(state: &mut AppState, effects: &mut Vec<Effect>) {
    if state.meeting.owns_now() {
        let place = place(state);
        let leaf = match state.screen() {
            Screen::Overview => None,
            _ => state.current_item().map(|(_, leaf)| leaf),
        };
        let found = match place.unit {
            Some(unit) if state.screen() != Screen::Overview => state
                .meeting
                .agenda
                .position_for_screen(&state.session, unit, leaf),
            _ => None,
        };
        if let Some(position) = found
            && state.meeting.position != Some(position)
        {
            set_position(state, position);
        }
    }
    if state.meeting.role == Role::Leader {
        let now = snapshot(state);
        if state.meeting.last_published.as_ref() != Some(&now) {
            state.meeting.last_published = Some(now.clone());
            let meeting_started = *state
                .meeting
                .meeting_started
                .get_or_insert_with(state.meeting.now);
            effects.push(Effect::Meeting(MeetingEffect::Publish {
                position: now,
                meeting_started,
                at: (state.clock)(),
            }));
        }
    }
}

fn set_position(state: &mut AppState, position: usize) {
    state.meeting.position = Some(position);
    let now = (state.meeting.now)();
    state.meeting.item_started = Some(now);
    if state.meeting.meeting_started.is_none() {
        state.meeting.meeting_started = Some(now);
    }
}

/// Shows an agenda entry on the screen and makes it Now.
pub(crate) fn go_to(state: &mut AppState, position: usize) {
    let Some(item) = state.meeting.agenda.get(position).copied() else {
        return;
    };
    if item.unit >= state.session.units.len() {
        return;
    }
    match item.node {
        Some(node) => state.show_node(item.unit, node),
        None => state.open_scorecard(item.unit),
    }
    state.scorecard.pane = Pane::Table;
    if state.meeting.owns_now() && state.meeting.position != Some(position) {
        set_position(state, position);
    }
}

/// The agenda entry `]` / `[` move from: Now on the screen that owns it, else the entry this
/// screen shows (Now being the chair's).
fn own_position(state: &AppState) -> Option<usize> {
    if state.meeting.owns_now() {
        return state.meeting.position;
    }
    if state.screen() == Screen::Overview {
        return None;
    }
    let unit = state.current_unit()?;
    let leaf = state.current_item().map(|(_, leaf)| leaf);
    state
        .meeting
        .agenda
        .position_for_screen(&state.session, unit, leaf)
}

fn say(state: &mut AppState, kind: MessageKind, text: impl Into<String>) {
    state.say(kind, text);
}

/// The meeting's commands.
pub(crate) fn on_command(state: &mut AppState, command: Command) {
    let labels = meeting_labels(state.lang);
    match command {
        Command::AgendaNext | Command::AgendaPrev => {
            if state.meeting.agenda.is_empty() {
                say(state, MessageKind::Info, labels.no_agenda);
                return;
            }
            let last = state.meeting.agenda.len() - 1;
            let from = own_position(state);
            let target = match (command, from) {
                (Command::AgendaNext, None) => Some(0),
                (Command::AgendaNext, Some(p)) => (p < last).then_some(p + 1),
                (_, None) => Some(last),
                (_, Some(p)) => p.checked_sub(1),
            };
            match target {
                Some(p) => go_to(state, p),
                None => {
                    let text = if command == Command::AgendaNext {
                        labels.agenda_end
                    } else {
                        labels.agenda_start
                    };
                    // Back on the current entry, so "]" at the end still shows it.
                    if let Some(p) = from {
                        go_to(state, p);
                    }
                    say(state, MessageKind::Info, text);
                }
            }
        }
        Command::AgendaList => {
            let selected = state.meeting.position.unwrap_or(0);
            state.meeting.list = Some(AgendaListState { selected });
        }
        Command::Lead => {
            if state.meeting.role == Role::Leader {
                state.meeting.role = Role::Local;
                state.meeting.last_published = None;
                say(state, MessageKind::Info, labels.lead_stopped);
            } else {
                state.meeting.role = Role::Leader;
                say(state, MessageKind::Success, labels.lead_started);
            }
        }
        Command::Follow => {
            state.meeting.role = Role::Follower { attached: true };
            match state.meeting.leader.clone() {
                Some(position) => follow_to(state, &position),
                None => say(state, MessageKind::Info, labels.no_leader),
            }
        }
        _ => {}
    }
}

/// Moves the screen to the leader's position (followers).
pub(crate) fn follow_to(state: &mut AppState, position: &LeaderPosition) {
    let unit = position
        .unit_code
        .as_deref()
        .and_then(|c| state.session.unit_index(c));
    let node = position
        .criterion_code
        .as_deref()
        .and_then(|c| state.session.framework.find(c));
    match (position.screen.as_str(), unit, node) {
        ("scorecard", Some(u), Some(n)) => state.show_node(u, n),
        ("scorecard", Some(u), None) => state.open_scorecard(u),
        ("compare", unit, Some(n)) => {
            if let Some(u) = unit {
                state.show_node(u, n);
            }
            state.open_compare(n);
            if let Some(u) = unit
                && let Some(p) = state.compare.rows.iter().position(|r| r.unit == u)
            {
                state.compare.selected = p;
            }
        }
        ("dashboard", ..) => {
            state.stack = vec![Screen::Overview];
            state.toggle_dashboard();
        }
        _ => {
            state.stack = vec![Screen::Overview];
            state.rebuild_overview(unit);
        }
    }
    state.scorecard.pane = Pane::Table;
    take_leader_clock(state, position);
}

fn take_leader_clock(state: &mut AppState, position: &LeaderPosition) {
    state.meeting.position = position
        .agenda_position
        .filter(|&p| p < state.meeting.agenda.len());
    state.meeting.item_started = position.item_started_unix;
}

/// Outcomes from the runner.
pub(crate) fn on_event(state: &mut AppState, event: MeetingEvent) {
    match event {
        MeetingEvent::Join { lead, follow } => {
            if lead || follow {
                state.meeting.role = Role::Follower { attached: true };
            }
            if lead {
                state.presentation = true;
            }
        }
        MeetingEvent::TakeLead => {
            state.meeting.role = Role::Leader;
            if state.meeting.meeting_started.is_none() {
                state.meeting.meeting_started = Some((state.meeting.now)());
            }
        }
        MeetingEvent::AgendaLoaded(items) => {
            let current = state
                .meeting
                .position
                .and_then(|p| state.meeting.agenda.get(p).copied());
            state.meeting.agenda = Agenda::new(items);
            state.meeting.position = current.and_then(|c| state.meeting.agenda.position_of(&c));
            if let Some(list) = &mut state.meeting.list {
                list.selected = list
                    .selected
                    .min(state.meeting.agenda.len().saturating_sub(1));
            }
        }
        MeetingEvent::LeaderMoved {
            position,
            started_unix,
        } => {
            state.meeting.meeting_started = started_unix.or(state.meeting.meeting_started);
            state.meeting.leader = position.clone();
            if let Some(position) = position {
                match state.meeting.role {
                    Role::Follower { attached: true } => follow_to(state, &position),
                    // A detached follower, or a screen on its own, keeps looking around but
                    // shows the leader's Now.
                    Role::Follower { attached: false } | Role::Local => {
                        take_leader_clock(state, &position)
                    }
                    Role::Leader => {}
                }
            }
        }
        MeetingEvent::BudgetsLoaded(budgets) => {
            state.meeting.budgets = budgets.into_iter().collect();
        }
        MeetingEvent::Failed(message) => {
            let text = format!("{}: {message}", meeting_labels(state.lang).meeting_failed);
            say(state, MessageKind::Error, text);
        }
    }
}
