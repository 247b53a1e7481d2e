//! Application state and actions: testable without a terminal.
//!
//! The Elm loop: the terminal turns input into an [`Action`], [`update`] changes the
//! [`AppState`] and returns [`Effect`]s (store writes, loads, exports) for the runner to carry
//! out; their outcomes come back as actions. The view only reads the state.

pub mod agenda;
pub mod diffview;
pub mod finalise;
pub mod history;
pub mod keymap;
pub mod labels;
pub mod overlay;
pub mod sample;
pub mod view;

use crate::domain::text::fold_for_search;
use crate::domain::{Bands, DecisionAction, ItemDetail, ItemState, NodeId, Session, format_vi};
use diffview::{DiffBase, DiffData, DiffState};
use finalise::{FinalInfo, FinaliseConfirm};
use keymap::{Command, Key, KeyCode, Keymap};
use labels::{Labels, Lang};
use overlay::{
    ConfirmState, HelpState, ItemRef, JumpState, MAX_HITS, Overlay, ReasonEditor, ScoreEditor,
    SearchHit, SearchState,
};
use std::collections::HashMap;
use view::{
    CompareRow, CompareSort, OverviewRow, SearchIndex, SessionStats, Spread, UnitSort,
    scroll_offset, table_height,
};

/// The three screens, stacked: Esc goes back down the stack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Overview,
    Scorecard,
    Compare,
    /// One unit's changes (`D`).
    Diff,
}

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

/// Which part of the scorecard the movement keys act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Pane {
    #[default]
    Table,
    Detail,
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

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OverviewState {
    pub sort: UnitSort,
    pub rows: Vec<OverviewRow>,
    /// Index into `rows`; always a unit row when there is one.
    pub selected: usize,
    pub offset: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScorecardState {
    pub unit: usize,
    /// Per node id.
    pub expanded: Vec<bool>,
    pub rows: Vec<NodeId>,
    pub selected: usize,
    pub offset: usize,
    pub pane: Pane,
    pub detail_scroll: usize,
    /// Roll-ups of every node for this unit.
    pub totals: Vec<crate::domain::Totals>,
    pub disputed: Vec<u32>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CompareState {
    pub node: NodeId,
    pub sort: CompareSort,
    pub rows: Vec<CompareRow>,
    pub spread: Spread,
    pub selected: usize,
    pub offset: usize,
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
    Resize(u16, u16),
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
}

impl AppState {
    pub fn new(session: Session, keymap: Keymap, lang: Lang, reviewer: &str) -> AppState {
        let bands = Bands::default();
        let stats = SessionStats::compute(&session, &bands);
        let search_index = SearchIndex::build(&session);
        let mut state = AppState {
            session,
            stats,
            search_index,
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
        };
        state.stale_total = finalise::stale_count(&state.session);
        state.rebuild_overview(None);
        state
    }

    /// Ranks and bands units as the session's settings say.
    pub fn set_ranking(&mut self, rank_mode: crate::domain::RankMode, bands: Bands) {
        if (rank_mode, &bands) == (self.rank_mode, &self.bands) {
            return;
        }
        self.rank_mode = rank_mode;
        self.bands = bands;
        self.stats = SessionStats::compute_ranked(&self.session, &self.bands, self.rank_mode);
        let unit = self.current_unit();
        self.rebuild_overview(unit);
    }

    pub fn labels(&self) -> &'static Labels {
        self.lang.labels()
    }

    pub fn screen(&self) -> Screen {
        self.stack.last().copied().unwrap_or(Screen::Overview)
    }

    /// The unit under the cursor on the overview.
    pub fn overview_unit(&self) -> Option<usize> {
        match self.overview.rows.get(self.overview.selected) {
            Some(OverviewRow::Unit(u)) => Some(*u),
            _ => None,
        }
    }

    /// The node under the cursor on the scorecard.
    pub fn scorecard_node(&self) -> Option<NodeId> {
        self.scorecard.rows.get(self.scorecard.selected).copied()
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
            Screen::Diff => None,
        }
    }

    /// The unit the screen is about, if any.
    pub fn current_unit(&self) -> Option<usize> {
        match self.screen() {
            Screen::Overview => self.overview_unit(),
            Screen::Scorecard => Some(self.scorecard.unit),
            Screen::Compare => self.compare.rows.get(self.compare.selected).map(|r| r.unit),
            Screen::Diff => Some(self.diff.unit),
        }
    }

    /// The loaded detail of an item, if it is the one loaded.
    pub fn detail_of(&self, unit: usize, leaf: usize) -> Option<&ItemDetail> {
        self.detail
            .as_ref()
            .filter(|d| d.unit == unit && d.leaf == leaf)
            .map(|d| &d.detail)
    }

    fn page(&self) -> usize {
        table_height(self.screen(), self.width, agenda::screen_height(self)).max(1)
    }

    fn say(&mut self, kind: MessageKind, text: impl Into<String>) {
        self.message = Some(Message {
            kind,
            text: text.into(),
        });
    }

    // ----- rebuilding view models -----

    fn rebuild_overview(&mut self, keep_unit: Option<usize>) {
        let keep = keep_unit.or_else(|| self.overview_unit());
        self.overview.rows = view::overview_rows(
            &self.session,
            &self.stats,
            self.overview.sort,
            self.disputed_only,
            &self.search_index.unit_names,
        );
        let position = keep.and_then(|u| {
            self.overview
                .rows
                .iter()
                .position(|r| *r == OverviewRow::Unit(u))
        });
        self.overview.selected = match position {
            Some(p) => p,
            None => self.nearest_unit_row(self.overview.selected, true),
        };
    }

    /// The unit row at or after (or before) `from`, falling back the other way.
    fn nearest_unit_row(&self, from: usize, forward: bool) -> usize {
        let rows = &self.overview.rows;
        if rows.is_empty() {
            return 0;
        }
        let from = from.min(rows.len() - 1);
        let is_unit = |i: usize| matches!(rows[i], OverviewRow::Unit(_));
        let after = (from..rows.len()).find(|&i| is_unit(i));
        let before = (0..=from).rev().find(|&i| is_unit(i));
        let found = if forward {
            after.or(before)
        } else {
            before.or(after)
        };
        found.unwrap_or(0)
    }

    fn open_scorecard(&mut self, unit: usize) {
        let nodes = self.session.framework.nodes().len();
        if self.scorecard.unit != unit || self.scorecard.expanded.len() != nodes {
            // Fields open, deeper levels closed: one screen shows the whole set's shape.
            self.scorecard = ScorecardState {
                unit,
                expanded: self
                    .session
                    .framework
                    .nodes()
                    .iter()
                    .map(|n| n.parent.is_none())
                    .collect(),
                ..Default::default()
            };
        }
        self.scorecard.unit = unit;
        self.rebuild_scorecard(None);
        if self.screen() != Screen::Scorecard {
            self.stack.retain(|s| *s == Screen::Overview);
            self.stack.push(Screen::Scorecard);
        }
    }

    fn rebuild_scorecard(&mut self, keep_node: Option<NodeId>) {
        let keep = keep_node.or_else(|| self.scorecard_node());
        let unit = self.scorecard.unit;
        if unit >= self.session.units.len() {
            return;
        }
        self.scorecard.totals = view::unit_node_totals(&self.session, unit);
        self.scorecard.disputed = view::disputed_per_node(&self.session, unit);
        self.scorecard.rows = view::tree_rows(
            &self.session,
            &self.scorecard.expanded,
            &self.scorecard.disputed,
            self.disputed_only,
        );
        if let Some(node) = keep {
            // The node itself, or its nearest visible ancestor.
            let mut probe = Some(node);
            while let Some(id) = probe {
                if let Some(p) = self.scorecard.rows.iter().position(|&r| r == id) {
                    self.scorecard.selected = p;
                    return;
                }
                probe = self.session.framework.node(id).parent;
            }
        }
        self.scorecard.selected = self
            .scorecard
            .selected
            .min(self.scorecard.rows.len().saturating_sub(1));
    }

    fn open_compare(&mut self, node: NodeId) {
        if self.compare.node != node {
            self.compare.selected = 0;
            self.compare.offset = 0;
        }
        self.compare.node = node;
        self.rebuild_compare(None);
        if self.screen() != Screen::Compare {
            self.stack.push(Screen::Compare);
        }
    }

    fn rebuild_compare(&mut self, keep_unit: Option<usize>) {
        let keep =
            keep_unit.or_else(|| self.compare.rows.get(self.compare.selected).map(|r| r.unit));
        let (rows, spread) = view::compare_rows(
            &self.session,
            self.compare.node,
            self.compare.sort,
            self.disputed_only,
        );
        self.compare.rows = rows;
        self.compare.spread = spread;
        if let Some(u) = keep
            && let Some(p) = self.compare.rows.iter().position(|r| r.unit == u)
        {
            self.compare.selected = p;
        }
        self.compare.selected = self
            .compare
            .selected
            .min(self.compare.rows.len().saturating_sub(1));
    }

    /// Makes one item the scorecard's selection: opens the unit, expands the branch.
    fn show_item(&mut self, unit: usize, leaf: usize) {
        self.open_scorecard(unit);
        let node = self.session.framework.leaves()[leaf];
        let mut parent = self.session.framework.node(node).parent;
        while let Some(p) = parent {
            self.scorecard.expanded[p] = true;
            parent = self.session.framework.node(p).parent;
        }
        self.rebuild_scorecard(Some(node));
        if let Some(p) = self
            .overview
            .rows
            .iter()
            .position(|r| *r == OverviewRow::Unit(unit))
        {
            self.overview.selected = p;
        }
    }

    fn show_node(&mut self, unit: usize, node: NodeId) {
        self.open_scorecard(unit);
        let mut parent = self.session.framework.node(node).parent;
        while let Some(p) = parent {
            self.scorecard.expanded[p] = true;
            parent = self.session.framework.node(p).parent;
        }
        self.rebuild_scorecard(Some(node));
    }

    /// After anything moved: keep windows scrolled to the selection and ask for what the
    /// screen needs from the store.
    fn settle(&mut self, effects: &mut Vec<Effect>) {
        let page = self.page();
        self.overview.offset = scroll_offset(
            self.overview.selected,
            self.overview.offset,
            table_height(Screen::Overview, self.width, agenda::screen_height(self)),
            self.overview.rows.len(),
        );
        match self.screen() {
            Screen::Overview => {}
            Screen::Scorecard => {
                self.scorecard.offset = scroll_offset(
                    self.scorecard.selected,
                    self.scorecard.offset,
                    page,
                    self.scorecard.rows.len(),
                );
            }
            Screen::Compare => {
                self.compare.offset = scroll_offset(
                    self.compare.selected,
                    self.compare.offset,
                    page,
                    self.compare.rows.len(),
                );
                if let Some(leaf) = self.session.framework.node(self.compare.node).leaf_index {
                    let end = (self.compare.offset + page).min(self.compare.rows.len());
                    let missing: Vec<usize> = self.compare.rows[self.compare.offset..end]
                        .iter()
                        .map(|r| r.unit)
                        .filter(|&u| !self.notes.contains_key(&(u, leaf)))
                        .collect();
                    if !missing.is_empty() {
                        for &u in &missing {
                            self.notes.insert((u, leaf), String::new());
                        }
                        effects.push(Effect::LoadNotes {
                            leaf,
                            units: missing,
                        });
                    }
                }
            }
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
    fn replace_item(&mut self, unit: usize, leaf: usize, state: ItemState) {
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

    fn record(
        &mut self,
        unit: usize,
        leaf: usize,
        action: DecisionAction,
        intent: RecordIntent,
        expected_seq: i64,
    ) -> Effect {
        let criterion_code = self.session.framework.leaf(leaf).code().to_string();
        self.say(MessageKind::Info, self.labels().saving);
        Effect::Record(RecordRequest {
            unit,
            leaf,
            unit_code: self.session.units[unit].code.clone(),
            criterion_code,
            action,
            by: self.reviewer.clone(),
            at: (self.clock)(),
            expected_seq: Some(expected_seq),
            intent,
        })
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
        Action::Resize(width, height) => {
            state.width = width;
            state.height = height;
        }
        Action::DetailLoaded { unit, leaf, detail } => {
            state.detail = Some(LoadedDetail { unit, leaf, detail });
        }
        Action::NotesLoaded { leaf, notes } => {
            for (unit, note) in notes {
                state.notes.insert((unit, leaf), note);
            }
        }
        Action::Recorded {
            unit,
            leaf,
            intent,
            result,
        } => on_recorded(state, unit, leaf, intent, result),
        Action::ExportNeedsConfirm { dir, existing } => {
            state.overlay = Some(Overlay::Confirm(ConfirmState::OverwriteExport {
                dir,
                existing,
            }));
        }
        Action::Exported(result) => match result {
            Ok(where_to) => {
                let text = format!("{}: {where_to}", state.labels().exported);
                state.say(MessageKind::Success, text);
            }
            Err(e) => {
                let text = format!("{}: {e}", state.labels().export_failed);
                state.say(MessageKind::Error, text);
            }
        },
        Action::Reloaded(session) => on_reloaded(state, session),
        Action::ItemsChanged(items) => {
            for (unit, leaf, item) in items {
                state.replace_item(unit, leaf, item);
            }
        }
        Action::DiffLoaded { unit, base, result } => {
            state.diff.accept(&state.session, unit, base, result);
        }
        Action::FinalisationLoaded(info) => state.finalised = info,
        Action::Finalised(result) => finalise::on_finalised(state, result),
        Action::Meeting(event) => agenda::on_event(state, event),
    }
    if !state.quit {
        state.settle(&mut effects);
    }
    effects
}

fn on_recorded(
    state: &mut AppState,
    unit: usize,
    leaf: usize,
    intent: RecordIntent,
    result: Result<ItemState, RecordFailure>,
) {
    let labels = state.labels();
    match result {
        Ok(fresh) => {
            state.replace_item(unit, leaf, fresh);
            let text = match intent {
                RecordIntent::Decide => {
                    state.undo_stack.push((unit, leaf));
                    state.redo_stack.clear();
                    labels.saved
                }
                RecordIntent::Undo => {
                    state.redo_stack.push((unit, leaf));
                    labels.undone
                }
                RecordIntent::Redo => {
                    state.undo_stack.push((unit, leaf));
                    labels.redone
                }
                RecordIntent::Flag(true) => labels.flagged,
                RecordIntent::Flag(false) => labels.unflagged,
            };
            state.say(MessageKind::Success, text);
        }
        Err(failure) => {
            // An undo or redo that did not happen stays available.
            match intent {
                RecordIntent::Undo => state.undo_stack.push((unit, leaf)),
                RecordIntent::Redo => state.redo_stack.push((unit, leaf)),
                _ => {}
            }
            if let Some(fresh) = failure.fresh {
                state.replace_item(unit, leaf, fresh);
            }
            let own_undo = matches!(intent, RecordIntent::Undo | RecordIntent::Redo);
            let text = if failure.stale && own_undo {
                // Who acted since, and when, is the whole message: it must fit the line.
                failure.message.clone()
            } else if failure.stale {
                format!("{} ({})", labels.stale, failure.message)
            } else {
                format!("{}: {}", labels.save_failed, failure.message)
            };
            state.say(MessageKind::Error, text);
        }
    }
}

fn on_reloaded(state: &mut AppState, session: Session) {
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
        Screen::Overview | Screen::Diff => None,
    };
    state.session = session;
    state.stale_total = finalise::stale_count(&state.session);
    state.diff.loaded = None;
    state.diff.requested = None;
    state.stats = SessionStats::compute_ranked(&state.session, &state.bands, state.rank_mode);
    state.search_index = SearchIndex::build(&state.session);
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
    let text = state.labels().reloaded;
    state.say(MessageKind::Info, text);
}

fn on_key(state: &mut AppState, key: Key, effects: &mut Vec<Effect>) {
    if agenda::on_list_key(state, key, effects) {
        return;
    }
    if let Some(overlay) = state.overlay.take() {
        on_overlay_key(state, overlay, key, effects);
        return;
    }
    let Some(command) = state.keymap.command(key) else {
        return;
    };
    on_command(state, command, effects);
}

fn on_command(state: &mut AppState, command: Command, effects: &mut Vec<Effect>) {
    let labels = state.labels();
    if state.finalised.is_some() && finalise::is_edit(command) {
        state.say(MessageKind::Error, labels.finalised_refused);
        return;
    }
    if state.screen() == Screen::Diff && diffview::on_command(state, command) {
        return;
    }
    match command {
        Command::Quit => state.quit = true,
        Command::Help => state.overlay = Some(Overlay::Help(HelpState::default())),
        Command::Search => state.overlay = Some(Overlay::Search(SearchState::default())),
        Command::Jump => state.overlay = Some(Overlay::Jump(JumpState::default())),
        Command::Presentation => state.presentation = !state.presentation,
        Command::Back => {
            if state.presentation {
                state.presentation = false;
            } else if state.screen() == Screen::Scorecard && state.scorecard.pane == Pane::Detail {
                state.scorecard.pane = Pane::Table;
            } else if state.stack.len() > 1 {
                state.stack.pop();
            }
        }
        Command::Down
        | Command::Up
        | Command::Top
        | Command::Bottom
        | Command::PageDown
        | Command::PageUp => move_cursor(state, command),
        Command::Collapse | Command::Expand | Command::CollapseAll | Command::ExpandAll => {
            fold_tree(state, command)
        }
        Command::Open => match state.screen() {
            Screen::Overview => {
                if let Some(u) = state.overview_unit() {
                    state.open_scorecard(u);
                }
            }
            Screen::Scorecard => {
                if let Some(node) = state.scorecard_node() {
                    if state.session.framework.node(node).is_leaf() {
                        state.open_compare(node);
                    } else {
                        let open = state.scorecard.expanded[node];
                        state.scorecard.expanded[node] = !open;
                        state.rebuild_scorecard(Some(node));
                    }
                }
            }
            Screen::Compare => {
                if let Some(row) = state.compare.rows.get(state.compare.selected) {
                    let (unit, node) = (row.unit, state.compare.node);
                    state.show_node(unit, node);
                }
            }
            Screen::Diff => {}
        },
        Command::Compare => match state.screen() {
            Screen::Scorecard => {
                if let Some(node) = state.scorecard_node() {
                    state.open_compare(node);
                }
            }
            Screen::Overview | Screen::Compare | Screen::Diff => {}
        },
        Command::SwitchPane => {
            if state.screen() == Screen::Scorecard {
                state.scorecard.pane = match state.scorecard.pane {
                    Pane::Table => Pane::Detail,
                    Pane::Detail => Pane::Table,
                };
            }
        }
        Command::NextDisputed => next_disputed(state, true),
        Command::PrevDisputed => next_disputed(state, false),
        Command::ToggleDisputedOnly => {
            state.disputed_only = !state.disputed_only;
            state.rebuild_overview(None);
            if state.stack.contains(&Screen::Scorecard) {
                state.rebuild_scorecard(None);
            }
            if state.stack.contains(&Screen::Compare) {
                state.rebuild_compare(None);
            }
        }
        Command::Sort => match state.screen() {
            Screen::Overview => {
                state.overview.sort = state.overview.sort.next();
                state.rebuild_overview(None);
            }
            Screen::Compare => {
                state.compare.sort = state.compare.sort.next();
                state.rebuild_compare(None);
            }
            Screen::Scorecard | Screen::Diff => {}
        },
        Command::EditScore => {
            if let Some((unit, leaf)) = decidable_item(state) {
                let item = state.session.item(unit, leaf);
                let prefill = item.council.or(item.proposal).or(item.self_score);
                state.overlay = Some(Overlay::Score(ScoreEditor {
                    item: ItemRef {
                        unit,
                        leaf,
                        expected_seq: item.log_seq,
                    },
                    input: prefill.map(format_vi).unwrap_or_default(),
                }));
            }
        }
        Command::AcceptSelf => {
            if let Some((unit, leaf)) = decidable_item(state) {
                let item = state.session.item(unit, leaf);
                let (score, seq) = (item.self_points(), item.log_seq);
                let action = DecisionAction::Decide {
                    score,
                    reason: String::new(),
                };
                let effect = state.record(unit, leaf, action, RecordIntent::Decide, seq);
                effects.push(effect);
            }
        }
        Command::AcceptProposal => {
            if let Some((unit, leaf)) = decidable_item(state) {
                let item = state.session.item(unit, leaf);
                match item.proposal {
                    None => state.say(MessageKind::Error, labels.no_proposal),
                    Some(score) => {
                        let required = score != item.self_points();
                        let text = state
                            .detail_of(unit, leaf)
                            .map(|d| d.proposal_note.clone())
                            .unwrap_or_default();
                        state.overlay = Some(Overlay::Reason(ReasonEditor {
                            item: ItemRef {
                                unit,
                                leaf,
                                expected_seq: item.log_seq,
                            },
                            score,
                            text,
                            required,
                            show_required: false,
                        }));
                    }
                }
            }
        }
        Command::ToggleFlag => {
            if let Some((unit, leaf)) = decidable_item(state) {
                let item = state.session.item(unit, leaf);
                let (on, seq) = (!item.flagged, item.log_seq);
                let effect = state.record(
                    unit,
                    leaf,
                    DecisionAction::Flag { on },
                    RecordIntent::Flag(on),
                    seq,
                );
                effects.push(effect);
            }
        }
        Command::Undo => match state.undo_stack.pop() {
            None => state.say(MessageKind::Info, labels.nothing_to_undo),
            Some((unit, leaf)) => {
                state.show_item(unit, leaf);
                let seq = state.session.item(unit, leaf).log_seq;
                let effect =
                    state.record(unit, leaf, DecisionAction::Undo, RecordIntent::Undo, seq);
                effects.push(effect);
            }
        },
        Command::Redo => match state.redo_stack.pop() {
            None => state.say(MessageKind::Info, labels.nothing_to_redo),
            Some((unit, leaf)) => {
                state.show_item(unit, leaf);
                let seq = state.session.item(unit, leaf).log_seq;
                let effect =
                    state.record(unit, leaf, DecisionAction::Redo, RecordIntent::Redo, seq);
                effects.push(effect);
            }
        },
        Command::Export => effects.push(Effect::Export { overwrite: false }),
        Command::Diff => diffview::open(state),
        // Only on the diff screen (handled above).
        Command::CycleDiffBase => {}
        Command::Finalise => {
            state.overlay = Some(Overlay::Finalise(FinaliseConfirm::of(&state.session)));
        }
        Command::AgendaNext
        | Command::AgendaPrev
        | Command::AgendaList
        | Command::Lead
        | Command::Follow => agenda::on_command(state, command),
    }
}

/// The current item if it is a leaf that can be decided; otherwise says why not.
fn decidable_item(state: &mut AppState) -> Option<(usize, usize)> {
    match state.current_item() {
        Some(item) => Some(item),
        None => {
            if state.screen() != Screen::Overview {
                let text = state.labels().not_a_leaf;
                state.say(MessageKind::Error, text);
            }
            None
        }
    }
}

fn move_cursor(state: &mut AppState, command: Command) {
    let page = state.page();
    let step = |selected: usize, len: usize| -> usize {
        let last = len.saturating_sub(1);
        match command {
            Command::Down => (selected + 1).min(last),
            Command::Up => selected.saturating_sub(1),
            Command::Top => 0,
            Command::Bottom => last,
            Command::PageDown => (selected + page).min(last),
            Command::PageUp => selected.saturating_sub(page),
            _ => selected,
        }
    };
    match state.screen() {
        Screen::Overview => {
            let target = step(state.overview.selected, state.overview.rows.len());
            let forward = matches!(command, Command::Down | Command::PageDown | Command::Bottom)
                || (command == Command::Top);
            let mut row = state.nearest_unit_row(target, forward);
            // Moving up onto a group heading skips to the unit above it.
            if command == Command::Up && row == state.overview.selected && target < row {
                row = state.nearest_unit_row(target, false);
            }
            state.overview.selected = row;
        }
        Screen::Scorecard => match state.scorecard.pane {
            Pane::Table => {
                state.scorecard.selected =
                    step(state.scorecard.selected, state.scorecard.rows.len());
                state.scorecard.detail_scroll = 0;
            }
            Pane::Detail => {
                state.scorecard.detail_scroll = match command {
                    Command::Down => state.scorecard.detail_scroll + 1,
                    Command::Up => state.scorecard.detail_scroll.saturating_sub(1),
                    Command::Top => 0,
                    Command::PageDown => state.scorecard.detail_scroll + page / 2,
                    Command::PageUp => state.scorecard.detail_scroll.saturating_sub(page / 2),
                    _ => state.scorecard.detail_scroll,
                }
                .min(500);
            }
        },
        Screen::Compare => {
            state.compare.selected = step(state.compare.selected, state.compare.rows.len());
        }
        Screen::Diff => diffview::move_cursor(state, command, page),
    }
}

fn fold_tree(state: &mut AppState, command: Command) {
    if state.screen() != Screen::Scorecard {
        return;
    }
    let Some(node) = state.scorecard_node() else {
        return;
    };
    let fw = &state.session.framework;
    let has_children = !fw.node(node).children.is_empty();
    match command {
        Command::Expand if has_children => state.scorecard.expanded[node] = true,
        Command::Collapse => {
            if has_children && state.scorecard.expanded[node] {
                state.scorecard.expanded[node] = false;
            } else if let Some(parent) = fw.node(node).parent {
                // Already closed (or a leaf): go up to the parent, as file trees do.
                state.rebuild_scorecard(Some(parent));
                return;
            }
        }
        Command::ExpandAll => state.scorecard.expanded.iter_mut().for_each(|e| *e = true),
        Command::CollapseAll => {
            state.scorecard.expanded.iter_mut().for_each(|e| *e = false);
            let field = fw.field_of(node);
            state.rebuild_scorecard(Some(field));
            return;
        }
        _ => {}
    }
    state.rebuild_scorecard(Some(node));
}

/// Moves to the next (or previous) disputed item, in the overview's order of units and the
/// framework's order of leaves, crossing units.
fn next_disputed(state: &mut AppState, forward: bool) {
    let units: Vec<usize> = view::overview_rows(
        &state.session,
        &state.stats,
        state.overview.sort,
        false,
        &state.search_index.unit_names,
    )
    .into_iter()
    .filter_map(|r| match r {
        OverviewRow::Unit(u) => Some(u),
        OverviewRow::Group(_) => None,
    })
    .collect();
    if units.is_empty() || (state.stats.disputed_total == 0 && state.stale_total == 0) {
        let text = state.labels().no_disputed;
        state.say(MessageKind::Info, text);
        return;
    }
    let leaves = state.session.leaf_count();
    // Position in the walk: (index into `units`, leaf), or before the unit's first leaf.
    let (start_unit, start_leaf): (usize, Option<usize>) = match state.current_item() {
        Some((u, l)) => (units.iter().position(|&x| x == u).unwrap_or(0), Some(l)),
        None => {
            let u = state.current_unit().unwrap_or(units[0]);
            let pos = units.iter().position(|&x| x == u).unwrap_or(0);
            match state.screen() {
                // From a unit's parent row, start at that node's first leaf.
                Screen::Scorecard => {
                    let first = state
                        .scorecard_node()
                        .map(|n| state.session.framework.leaf_range(n).start)
                        .unwrap_or(0);
                    (pos, first.checked_sub(1))
                }
                _ => (pos, None),
            }
        }
    };
    let total = units.len() * leaves;
    let linear = |pos: usize, leaf: usize| pos * leaves + leaf;
    let start = match start_leaf {
        Some(l) => linear(start_unit, l) as isize,
        None => linear(start_unit, 0) as isize - 1,
    };
    for step in 1..=total as isize {
        let i = if forward { start + step } else { start - step };
        let i = i.rem_euclid(total as isize) as usize;
        let (pos, leaf) = (i / leaves, i % leaves);
        let unit = units[pos];
        if finalise::needs_review(state.session.item(unit, leaf)) {
            state.show_item(unit, leaf);
            state.scorecard.pane = Pane::Table;
            return;
        }
    }
    let text = state.labels().no_disputed;
    state.say(MessageKind::Info, text);
}

// ----- overlays -----

fn is_newline_key(key: Key) -> bool {
    (key.code == KeyCode::Enter && (key.shift || key.alt))
        || (key.ctrl && key.code == KeyCode::Char('j'))
}

/// Applies a text-editing key to a single input; returns whether it was one.
fn edit_text(text: &mut String, key: Key) -> bool {
    match key.code {
        KeyCode::Char(c) if !key.ctrl && !key.alt => {
            text.push(c);
            true
        }
        KeyCode::Backspace => {
            text.pop();
            true
        }
        KeyCode::Char('u') if key.ctrl => {
            text.clear();
            true
        }
        KeyCode::Char('w') if key.ctrl => {
            let trimmed = text.trim_end().len();
            text.truncate(trimmed);
            let cut = text.rfind(char::is_whitespace).map_or(0, |i| i + 1);
            text.truncate(cut);
            true
        }
        _ => false,
    }
}

fn on_overlay_key(state: &mut AppState, overlay: Overlay, key: Key, effects: &mut Vec<Effect>) {
    let esc = key.code == KeyCode::Esc;
    let enter = key.code == KeyCode::Enter && !is_newline_key(key);
    match overlay {
        Overlay::Help(mut help) => {
            if esc {
                return;
            }
            match key.code {
                KeyCode::Down => help.scroll += 1,
                KeyCode::Up => help.scroll = help.scroll.saturating_sub(1),
                KeyCode::PageDown => help.scroll += 10,
                KeyCode::PageUp => help.scroll = help.scroll.saturating_sub(10),
                _ => {
                    if edit_text(&mut help.filter, key) {
                        help.scroll = 0;
                    }
                }
            }
            state.overlay = Some(Overlay::Help(help));
        }
        Overlay::Score(mut editor) => {
            if esc {
                return;
            }
            if enter {
                let def = &state.session.framework.leaf(editor.item.leaf).def;
                if let Ok(score) = editor.check(def) {
                    let item = state.session.item(editor.item.unit, editor.item.leaf);
                    let required = score != item.self_points();
                    let previous = state
                        .detail_of(editor.item.unit, editor.item.leaf)
                        .and_then(|d| crate::domain::session::decision_in_force(&d.log))
                        .filter(|(s, ..)| **s == score)
                        .map(|(_, reason, _)| reason.to_string())
                        .unwrap_or_default();
                    state.overlay = Some(Overlay::Reason(ReasonEditor {
                        item: editor.item,
                        score,
                        text: previous,
                        required,
                        show_required: false,
                    }));
                    return;
                }
            } else {
                edit_text(&mut editor.input, key);
            }
            state.overlay = Some(Overlay::Score(editor));
        }
        Overlay::Reason(mut editor) => {
            if esc {
                return;
            }
            if enter {
                if editor.is_acceptable() {
                    let action = DecisionAction::Decide {
                        score: editor.score,
                        reason: editor.text.trim().to_string(),
                    };
                    let item = editor.item;
                    let effect = state.record(
                        item.unit,
                        item.leaf,
                        action,
                        RecordIntent::Decide,
                        item.expected_seq,
                    );
                    effects.push(effect);
                    return;
                }
                editor.show_required = true;
            } else if is_newline_key(key) {
                editor.text.push('\n');
            } else if edit_text(&mut editor.text, key) {
                editor.show_required = false;
            }
            state.overlay = Some(Overlay::Reason(editor));
        }
        Overlay::Search(mut search) => {
            if esc {
                return;
            }
            match key.code {
                KeyCode::Down => {
                    search.selected = (search.selected + 1).min(search.hits.len().saturating_sub(1))
                }
                KeyCode::Up => search.selected = search.selected.saturating_sub(1),
                KeyCode::Enter => {
                    if let Some(hit) = search.hits.get(search.selected).copied() {
                        open_hit(state, hit);
                        return;
                    }
                }
                _ => {
                    if edit_text(&mut search.query, key) {
                        run_search(state, &mut search);
                    }
                }
            }
            state.overlay = Some(Overlay::Search(search));
        }
        Overlay::Jump(mut jump) => {
            if esc {
                return;
            }
            if enter {
                if jump_to(state, &jump.input) {
                    return;
                }
                jump.not_found = true;
            } else if edit_text(&mut jump.input, key) {
                jump.not_found = false;
            }
            state.overlay = Some(Overlay::Jump(jump));
        }
        Overlay::Confirm(confirm) => match key.code {
            KeyCode::Char('y') | KeyCode::Char('Y') | KeyCode::Char('c') | KeyCode::Char('C') => {
                match confirm {
                    ConfirmState::OverwriteExport { .. } => {
                        effects.push(Effect::Export { overwrite: true })
                    }
                }
            }
            KeyCode::Char('n')
            | KeyCode::Char('N')
            | KeyCode::Char('k')
            | KeyCode::Char('K')
            | KeyCode::Esc => {}
            _ => state.overlay = Some(Overlay::Confirm(confirm)),
        },
        Overlay::Finalise(confirm) => finalise::on_key(state, confirm, key, effects),
    }
}

fn run_search(state: &AppState, search: &mut SearchState) {
    search.hits.clear();
    search.selected = 0;
    let needle = fold_for_search(search.query.trim());
    if needle.is_empty() {
        return;
    }
    let index = &state.search_index;
    let nodes = index
        .nodes
        .iter()
        .enumerate()
        .filter(|(_, hay)| hay.contains(&needle))
        .map(|(id, _)| SearchHit::Node(id));
    let units = index
        .units
        .iter()
        .enumerate()
        .filter(|(_, hay)| hay.contains(&needle))
        .map(|(u, _)| SearchHit::Unit(u));
    search.hits = units.chain(nodes).take(MAX_HITS).collect();
}

fn open_hit(state: &mut AppState, hit: SearchHit) {
    match hit {
        SearchHit::Unit(u) => state.open_scorecard(u),
        SearchHit::Node(node) => match state.screen() {
            Screen::Scorecard => {
                let unit = state.scorecard.unit;
                state.show_node(unit, node);
            }
            Screen::Overview | Screen::Compare | Screen::Diff => match state.overview_unit() {
                // From the overview, a criterion opens within the selected unit.
                Some(u) if state.screen() == Screen::Overview => state.show_node(u, node),
                _ => state.open_compare(node),
            },
        },
    }
}

/// ":S01", ":2.1.3" or ":S01 2.1.3". Returns false when nothing matches.
fn jump_to(state: &mut AppState, input: &str) -> bool {
    let parts: Vec<&str> = input.split_whitespace().collect();
    let find_unit = |code: &str| {
        state
            .session
            .units
            .iter()
            .position(|u| u.code.eq_ignore_ascii_case(code))
    };
    match parts.as_slice() {
        [one] => {
            if let Some(u) = find_unit(one) {
                state.open_scorecard(u);
                true
            } else if let Some(node) = state.session.framework.find(one) {
                let unit = match state.screen() {
                    Screen::Overview => state.overview_unit(),
                    _ => state.current_unit(),
                };
                match unit {
                    Some(u) => state.show_node(u, node),
                    None => state.open_compare(node),
                }
                true
            } else {
                false
            }
        }
        [unit, code] => match (find_unit(unit), state.session.framework.find(code)) {
            (Some(u), Some(node)) => {
                state.show_node(u, node);
                true
            }
            _ => false,
        },
        _ => false,
    }
}
