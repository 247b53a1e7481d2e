//! Application state and actions: testable without a terminal.
//!
//! The Elm loop: the terminal turns input into an [`Action`], [`update`] changes the
//! [`AppState`] and returns [`Effect`]s (store writes, loads, exports) for the runner to carry
//! out; their outcomes come back as actions. The view only reads the state.
//!
//! This module routes: a key goes to the open overlay, else through the keymap to the screen in
//! front (`screens/`), else to the global commands. Each screen and each overlay owns its state
//! and its keys.

pub mod charts;
pub mod decide;
pub mod finalise;
pub mod history;
pub mod keymap;
pub mod mouse;
pub mod overlay;
#[cfg(any(test, feature = "test-support"))]
pub mod sample;
pub mod screens;
pub mod view;

pub use crate::domain::{Bands, DecisionAction, ItemDetail, ItemState, Session};
use crate::lang::Lang;
use crate::messages::screen::Labels;
use finalise::FinalInfo;
use keymap::{Command, Key, Keymap};
use overlay::FinaliseConfirm;
use overlay::{ConfirmState, HelpState, JumpState, Overlay, SearchState};
use screens::agenda;
use screens::compare::CompareState;
use screens::diff::{self as diffview, DiffBase, DiffData, DiffState};
use screens::overview::OverviewState;
use screens::scorecard::ScorecardState;
use std::collections::HashMap;
use view::{SearchIndex, SessionStats, UnitWidths, Viewport};

pub use screens::Screen;
pub use screens::scorecard::Pane;

/// The colour scheme (the colours themselves live in the ui module).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ThemeName {
    #[default]
    Dark,
    Light,
    HighContrast,
}

impl ThemeName {
    pub fn parse(text: &str) -> Option<ThemeName> {
        match text.trim().to_lowercase().as_str() {
            "dark" | "toi" | "tối" => Some(ThemeName::Dark),
            "light" | "sang" | "sáng" => Some(ThemeName::Light),
            "high-contrast" | "contrast" | "hc" | "tuong-phan" => Some(ThemeName::HighContrast),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageKind {
    Info,
    Success,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub kind: MessageKind,
    pub text: String,
}

/// The detail of one item as last loaded from the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadedDetail {
    pub unit: usize,
    pub leaf: usize,
    pub detail: ItemDetail,
}

/// What a store write was for, so its outcome can be reported and undo kept right.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordIntent {
    Decide,
    Undo,
    Redo,
    Flag(bool),
}

/// A decision to append to the log (carried out by the runner).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordRequest {
    pub unit: usize,
    pub leaf: usize,
    pub unit_code: String,
    pub criterion_code: String,
    pub action: DecisionAction,
    pub by: String,
    pub at: String,
    pub expected_seq: Option<i64>,
    pub intent: RecordIntent,
}

/// Why a write did not happen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordFailure {
    pub message: String,
    /// Someone else decided the item meanwhile; `fresh` holds its current state.
    pub stale: bool,
    pub fresh: Option<ItemState>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    Record(RecordRequest),
    LoadDetail {
        unit: usize,
        leaf: usize,
    },
    /// Unit notes of one leaf for the listed units (comparison screen excerpts).
    LoadNotes {
        leaf: usize,
        units: Vec<usize>,
    },
    /// Export as `council export` does; without `overwrite` the runner asks first if files exist.
    Export {
        overwrite: bool,
    },
    /// Export the workbook as `council export --format xlsx` does, asking the same way.
    ExportWorkbook {
        overwrite: bool,
    },
    /// A unit's diff data (reasons, submission versions).
    LoadDiff {
        unit: usize,
        base: DiffBase,
    },
    /// Locks the session; `reason` is required by the store while items are disputed.
    Finalise {
        by: String,
        at: String,
        reason: Option<String>,
    },
    /// Save the agenda or publish the leader's position.
    Meeting(agenda::MeetingEffect),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Key(Key),
    /// Text pasted into the terminal (bracketed paste): it goes to the open input.
    Paste(String),
    Resize(u16, u16),
    /// How many rows each screen's table shows, as the ui laid out the last frame.
    Viewport(Viewport),
    /// Where the ui put what the mouse can hit, as it laid out the last frame.
    Regions(mouse::Regions),
    /// The left mouse button pressed at a cell (column, row from the top left, 0-based).
    Click {
        column: u16,
        row: u16,
    },
    /// One notch of the mouse wheel at a cell, down (towards the end) or up.
    Wheel {
        column: u16,
        row: u16,
        down: bool,
    },
    /// The session's rank mode and bands (its settings, read at start and after reloads).
    RankingLoaded {
        rank_mode: crate::domain::RankMode,
        bands: Bands,
    },
    /// The runner stopped a chain of effects that kept producing more (a bug): `dropped`
    /// were not carried out.
    EffectsOverflowed {
        dropped: usize,
    },
    DetailLoaded {
        unit: usize,
        leaf: usize,
        detail: ItemDetail,
    },
    NotesLoaded {
        leaf: usize,
        notes: Vec<(usize, String)>,
    },
    Recorded {
        unit: usize,
        leaf: usize,
        intent: RecordIntent,
        result: Result<ItemState, RecordFailure>,
    },
    ExportNeedsConfirm {
        dir: String,
        existing: Vec<String>,
    },
    WorkbookNeedsConfirm {
        dir: String,
        existing: Vec<String>,
    },
    Exported(Result<String, String>),
    /// Another process changed the session: the whole state is reloaded.
    Reloaded(Session),
    /// Other processes decided these items (unit, leaf, fresh state); the rest is unchanged.
    ItemsChanged(Vec<(usize, usize, ItemState)>),
    DiffLoaded {
        unit: usize,
        base: DiffBase,
        result: Result<DiffData, String>,
    },
    /// Whether (and how) the session is finalised, as the store says (at start, after reloads).
    FinalisationLoaded(Option<FinalInfo>),
    Finalised(Result<FinalInfo, String>),
    /// The agenda or the leader's position changed (or was read at start).
    Meeting(agenda::MeetingEvent),
}

pub struct AppState {
    pub session: Session,
    pub stats: SessionStats,
    pub search_index: SearchIndex,
    pub unit_widths: UnitWidths,
    pub bands: Bands,
    /// How ties rank on the overview (the session's setting).
    pub rank_mode: crate::domain::RankMode,
    pub keymap: Keymap,
    pub lang: Lang,
    pub theme: ThemeName,
    /// No colours at all (the NO_COLOR convention).
    pub no_color: bool,
    pub reviewer: String,
    /// The time stamp for decisions (injected so tests are deterministic).
    pub clock: fn() -> String,
    /// The zone times are shown in: the machine's (`TZ`); fixed in tests.
    pub zone: crate::domain::time::Zone,
    pub width: u16,
    pub height: u16,
    /// Rows of each screen's table as last drawn; None until the first frame (or after a
    /// resize), when a page is the terminal's height.
    pub viewport: Option<Viewport>,
    pub stack: Vec<Screen>,
    pub overview: OverviewState,
    pub scorecard: ScorecardState,
    pub compare: CompareState,
    pub disputed_only: bool,
    pub presentation: bool,
    pub overlay: Option<Overlay>,
    pub message: Option<Message>,
    pub detail: Option<LoadedDetail>,
    /// The item whose detail was last asked for, so it is asked for once.
    pub detail_requested: Option<(usize, usize)>,
    /// Unit notes for comparison excerpts, by (unit, leaf); "" while loading.
    pub notes: HashMap<(usize, usize), String>,
    /// Items decided in this TUI session, most recent last (for `u`).
    pub undo_stack: Vec<(usize, usize)>,
    pub redo_stack: Vec<(usize, usize)>,
    pub quit: bool,
    pub diff: DiffState,
    /// Set once the session is finalised: edits are refused.
    pub finalised: Option<FinalInfo>,
    /// Decisions made on a self-score that has since changed (they need review).
    pub stale_total: usize,
    /// The agenda and follow mode.
    pub meeting: agenda::MeetingState,
    /// The dashboard's figures (kept current while it is open).
    pub dashboard: charts::Dashboard,
    /// The reason editor's last save, until the store answers: a save refused because
    /// another reviewer decided first reopens the editor with it.
    pub sent_reason: Option<overlay::SentReason>,
    /// The regions of the last frame and the last click (double clicks).
    pub mouse: mouse::MouseState,
}

impl AppState {
    pub fn new(session: Session, keymap: Keymap, lang: Lang, reviewer: &str) -> AppState {
        let bands = Bands::default();
        let stats = SessionStats::compute(&session, &bands);
        let search_index = SearchIndex::build(&session);
        let unit_widths = UnitWidths::measure(&session);
        let mut state = AppState {
            session,
            stats,
            search_index,
            unit_widths,
            bands,
            rank_mode: crate::domain::RankMode::Competition,
            keymap,
            lang,
            theme: ThemeName::default(),
            no_color: false,
            reviewer: reviewer.to_string(),
            clock: crate::domain::time::now_stamp,
            zone: crate::domain::time::Zone::Local,
            width: 80,
            height: 24,
            viewport: None,
            stack: vec![Screen::Overview],
            overview: OverviewState::default(),
            scorecard: ScorecardState::default(),
            compare: CompareState::default(),
            disputed_only: false,
            presentation: false,
            overlay: None,
            message: None,
            detail: None,
            detail_requested: None,
            notes: HashMap::new(),
            undo_stack: Vec::new(),
            redo_stack: Vec::new(),
            quit: false,
            diff: DiffState::default(),
            finalised: None,
            stale_total: 0,
            meeting: agenda::MeetingState::default(),
            dashboard: charts::Dashboard::default(),
            sent_reason: None,
            mouse: mouse::MouseState::default(),
        };
        state.stale_total = finalise::stale_count(&state.session);
        state.rebuild_overview(None);
        state
    }

    /// Ranks and bands units as the session's settings say.
    pub(crate) fn set_ranking(&mut self, rank_mode: crate::domain::RankMode, bands: Bands) {
        if (rank_mode, &bands) == (self.rank_mode, &self.bands) {
            return;
        }
        self.rank_mode = rank_mode;
        self.bands = bands;
        self.stats = SessionStats::compute_ranked(&self.session, &self.bands, self.rank_mode);
        let unit = self.current_unit();
        self.rebuild_overview(unit);
        self.refresh_dashboard();
    }

    /// How the screen writes numbers: 7,5 in Vietnamese, 7.5 in English.
    pub fn numbers(&self) -> crate::domain::score::Numbers {
        crate::domain::score::Numbers::of(self.lang)
    }

    pub fn labels(&self) -> &'static Labels {
        crate::messages::screen::labels(self.lang)
    }

    pub fn screen(&self) -> Screen {
        self.stack.last().copied().unwrap_or(Screen::Overview)
    }

    /// The item the screen is about: the selected leaf of the scorecard, or the selected unit
    /// of the comparison of a leaf.
    pub fn current_item(&self) -> Option<(usize, usize)> {
        match self.screen() {
            Screen::Overview => None,
            Screen::Scorecard => {
                let node = self.scorecard_node()?;
                let leaf = self.session.framework.node(node).leaf_index?;
                Some((self.scorecard.unit, leaf))
            }
            Screen::Compare => {
                let leaf = self.session.framework.node(self.compare.node).leaf_index?;
                let row = self.compare.rows.get(self.compare.selected)?;
                Some((row.unit, leaf))
            }
            Screen::Diff | Screen::Dashboard => None,
        }
    }

    /// The unit the screen is about, if any.
    pub fn current_unit(&self) -> Option<usize> {
        match self.screen() {
            Screen::Overview => self.overview_unit(),
            Screen::Scorecard => Some(self.scorecard.unit),
            Screen::Compare => self.compare.rows.get(self.compare.selected).map(|r| r.unit),
            Screen::Diff => Some(self.diff.unit),
            Screen::Dashboard => None,
        }
    }

    /// The loaded detail of an item, if it is the one loaded.
    pub fn detail_of(&self, unit: usize, leaf: usize) -> Option<&ItemDetail> {
        self.detail
            .as_ref()
            .filter(|d| d.unit == unit && d.leaf == leaf)
            .map(|d| &d.detail)
    }

    /// Rows a page moves on a screen: its table's height as drawn.
    fn page_of(&self, screen: Screen) -> usize {
        self.viewport
            .map_or(self.height as usize, |v| v.rows(screen))
            .max(1)
    }

    pub(crate) fn page(&self) -> usize {
        self.page_of(self.screen())
    }

    pub(crate) fn say(&mut self, kind: MessageKind, text: impl Into<String>) {
        self.message = Some(Message {
            kind,
            text: text.into(),
        });
    }

    /// After anything moved: keep windows scrolled to the selection and ask for what the
    /// screen needs from the store.
    fn settle(&mut self, effects: &mut Vec<Effect>) {
        let page = self.page();
        screens::overview::settle(self, self.page_of(Screen::Overview));
        match self.screen() {
            Screen::Overview | Screen::Dashboard => {}
            Screen::Scorecard => screens::scorecard::settle(self, page),
            Screen::Compare => screens::compare::settle(self, page, effects),
            Screen::Diff => diffview::settle(self, page, effects),
        }
        if let Some((unit, leaf)) = self.current_item()
            && self.detail_of(unit, leaf).is_none()
            && self.detail_requested != Some((unit, leaf))
        {
            self.detail_requested = Some((unit, leaf));
            effects.push(Effect::LoadDetail { unit, leaf });
        }
        agenda::settle(self, effects);
    }

    /// Puts a fresh item state in place and refreshes everything derived from it.
    pub(crate) fn replace_item(&mut self, unit: usize, leaf: usize, state: ItemState) {
        if unit >= self.session.units.len() || leaf >= self.session.leaf_count() {
            return;
        }
        let was_stale = self.session.item(unit, leaf).decision_stale;
        self.stale_total = self.stale_total.saturating_sub(usize::from(was_stale))
            + usize::from(state.decision_stale);
        *self.session.item_mut(unit, leaf) = state;
        self.stats.refresh_unit(&self.session, unit, &self.bands);
        self.rebuild_overview(None);
        if self.scorecard.unit == unit && !self.scorecard.expanded.is_empty() {
            self.rebuild_scorecard(None);
        }
        if self.stack.contains(&Screen::Compare) {
            self.rebuild_compare(None);
        }
        self.refresh_dashboard();
        // The history changed: load the detail again.
        if self
            .detail
            .as_ref()
            .is_some_and(|d| d.unit == unit && d.leaf == leaf)
        {
            self.detail = None;
        }
        if self.detail_requested == Some((unit, leaf)) {
            self.detail_requested = None;
        }
    }
}

/// Applies one action; returns what the runner must do.
pub fn update(state: &mut AppState, action: Action) -> Vec<Effect> {
    let mut effects = Vec::new();
    match action {
        Action::Key(key) => {
            state.message = None;
            let before = agenda::before_key(state);
            on_key(state, key, &mut effects);
            agenda::after_key(state, before);
        }
        Action::Paste(text) => overlay::on_paste(state, &text),
        Action::Resize(width, height) => {
            state.width = width;
            state.height = height;
            state.viewport = None;
        }
        Action::Viewport(viewport) => state.viewport = Some(viewport),
        Action::Regions(regions) => state.mouse.regions = regions,
        // The mouse moves the screen as movement keys do (a follower that clicks looks
        // around on its own).
        Action::Click { column, row } => {
            state.message = None;
            let before = agenda::before_key(state);
            mouse::on_click(state, column, row, &mut effects);
            agenda::after_key(state, before);
        }
        Action::Wheel { column, row, down } => {
            let before = agenda::before_key(state);
            mouse::on_wheel(state, column, row, down);
            agenda::after_key(state, before);
        }
        Action::RankingLoaded { rank_mode, bands } => state.set_ranking(rank_mode, bands),
        Action::EffectsOverflowed { dropped } => {
            let text = format!("{} ({dropped})", state.labels().effects_overflowed);
            state.say(MessageKind::Error, text);
        }
        Action::DetailLoaded { unit, leaf, detail } => {
            state.detail = Some(LoadedDetail { unit, leaf, detail });
        }
        Action::NotesLoaded { leaf, notes } => {
            state
                .notes
                .extend(notes.into_iter().map(|(unit, note)| ((unit, leaf), note)));
        }
        Action::Recorded {
            unit,
            leaf,
            intent,
            result,
        } => decide::on_recorded(state, unit, leaf, intent, result),
        Action::ExportNeedsConfirm { dir, existing } => {
            let question = ConfirmState::OverwriteExport { dir, existing };
            state.overlay = Some(Overlay::Confirm(question));
        }
        Action::WorkbookNeedsConfirm { dir, existing } => {
            let question = ConfirmState::OverwriteWorkbook { dir, existing };
            state.overlay = Some(Overlay::Confirm(question));
        }
        Action::Exported(result) => on_exported(state, result),
        Action::Reloaded(session) => on_reloaded(state, session),
        Action::ItemsChanged(items) => {
            for (unit, leaf, item) in items {
                state.replace_item(unit, leaf, item);
            }
        }
        Action::DiffLoaded { unit, base, result } => diffview::loaded(state, unit, base, result),
        Action::FinalisationLoaded(info) => state.finalised = info,
        Action::Finalised(result) => finalise::on_finalised(state, result),
        Action::Meeting(event) => agenda::on_event(state, event),
    }
    if !state.quit {
        state.settle(&mut effects);
    }
    effects
}

/// Where the export went, or why it failed.
fn on_exported(state: &mut AppState, result: Result<String, String>) {
    let labels = state.labels();
    match result {
        Ok(where_to) => state.say(
            MessageKind::Success,
            format!("{}: {where_to}", labels.exported),
        ),
        Err(e) => state.say(MessageKind::Error, format!("{}: {e}", labels.export_failed)),
    }
}

fn on_reloaded(state: &mut AppState, session: Session) {
    // The dashboard stays in front: the screen below it is the one to find again.
    let dashboard = state.screen() == Screen::Dashboard;
    if dashboard {
        state.stack.pop();
    }
    let same_shape = session.units.len() == state.session.units.len()
        && session.framework == state.session.framework;
    let unit_code = state
        .current_unit()
        .map(|u| state.session.units[u].code.clone());
    let node_code = match state.screen() {
        Screen::Scorecard => state
            .scorecard_node()
            .map(|n| state.session.framework.node(n).code().to_string()),
        Screen::Compare => Some(
            state
                .session
                .framework
                .node(state.compare.node)
                .code()
                .to_string(),
        ),
        Screen::Overview | Screen::Diff | Screen::Dashboard => None,
    };
    state.session = session;
    state.stale_total = finalise::stale_count(&state.session);
    state.diff.loaded = None;
    state.diff.requested = None;
    state.stats = SessionStats::compute_ranked(&state.session, &state.bands, state.rank_mode);
    state.search_index = SearchIndex::build(&state.session);
    state.unit_widths = UnitWidths::measure(&state.session);
    state.detail = None;
    state.detail_requested = None;
    state.notes.clear();
    if !same_shape {
        state.undo_stack.clear();
        state.redo_stack.clear();
    }
    let unit = unit_code.and_then(|c| state.session.unit_index(&c));
    let node = node_code.and_then(|c| state.session.framework.find(&c));
    state.rebuild_overview(unit);
    match (state.screen(), unit, node) {
        (Screen::Scorecard, Some(u), node) => {
            if !same_shape {
                state.scorecard.expanded.clear();
            }
            state.open_scorecard(u);
            if let Some(n) = node {
                state.show_node(u, n);
            }
        }
        (Screen::Compare, _, Some(n)) => {
            state.compare.node = n;
            state.rebuild_compare(unit);
        }
        (Screen::Diff, Some(u), _) => diffview::on_reloaded(state, u, same_shape),
        _ => state.stack = vec![Screen::Overview],
    }
    if dashboard {
        state.stack.push(Screen::Dashboard);
    }
    state.refresh_dashboard();
    let text = state.labels().reloaded;
    state.say(MessageKind::Info, text);
}

fn on_key(state: &mut AppState, key: Key, effects: &mut Vec<Effect>) {
    if let Some(list) = state.meeting.list.take() {
        state.meeting.list = list.on_key(state, key, effects);
        return;
    }
    if let Some(overlay) = state.overlay.take() {
        overlay::on_key(state, overlay, key, effects);
        return;
    }
    let Some(command) = state.keymap.command(key) else {
        return;
    };
    on_command(state, command, effects);
}

/// A command from the keymap: presentation mode first, then the screen in front, then the
/// commands that mean the same everywhere.
fn on_command(state: &mut AppState, command: Command, effects: &mut Vec<Effect>) {
    if state.finalised.is_some() && finalise::is_edit(command) {
        let text = state.labels().finalised_refused;
        state.say(MessageKind::Error, text);
        return;
    }
    let page = state.page();
    if screens::present::on_command(state, command)
        || screens::on_command(state, command, page)
        || decide::on_command(state, command, effects)
    {
        return;
    }
    match command {
        Command::Quit => state.quit = true,
        Command::Help => state.overlay = Some(Overlay::Help(HelpState::default())),
        Command::Search => state.overlay = Some(Overlay::Search(SearchState::default())),
        Command::Jump => state.overlay = Some(Overlay::Jump(JumpState::default())),
        Command::Back if state.stack.len() > 1 => {
            state.stack.pop();
        }
        Command::NextDisputed => screens::next_disputed(state, true),
        Command::PrevDisputed => screens::next_disputed(state, false),
        Command::ToggleDisputedOnly => toggle_disputed_only(state),
        Command::Export => state.overlay = Some(Overlay::Confirm(ConfirmState::ExportFormat)),
        Command::Diff => diffview::open(state),
        Command::Dashboard => state.toggle_dashboard(),
        Command::Finalise => {
            state.overlay = Some(Overlay::Finalise(FinaliseConfirm::of(&state.session)));
        }
        Command::AgendaNext
        | Command::AgendaPrev
        | Command::AgendaList
        | Command::Lead
        | Command::Follow => agenda::on_command(state, command),
        // A screen's own command on a screen without it (sorting the scorecard, folding the
        // overview): nothing to do.
        _ => {}
    }
}

/// `f`: only what still needs the council, on every screen of the stack.
fn toggle_disputed_only(state: &mut AppState) {
    state.disputed_only = !state.disputed_only;
    state.rebuild_overview(None);
    if state.stack.contains(&Screen::Scorecard) {
        state.rebuild_scorecard(None);
    }
    if state.stack.contains(&Screen::Compare) {
        state.rebuild_compare(None);
    }
}
