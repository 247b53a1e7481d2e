//! The terminal loop: init/restore, events → actions, effects → store.

use crate::app::finalise::FinalInfo;
use crate::app::keymap::{Key, KeyCode};
use crate::app::screens::diff::{DiffBase, DiffContent, DiffData};
use crate::app::{Action, AppState, Effect, RecordFailure, RecordRequest, ThemeName, update};
use crate::io::export::ExportOptions;
use crate::lang::Lang;
use crate::messages::Localised;
use crate::store::{Store, StoreError};
use crossterm::event::{self, Event, KeyEventKind, KeyModifiers};
use std::collections::VecDeque;
use std::path::Path;
use std::time::{Duration, Instant};

pub mod detail;
pub mod keys;
pub mod meeting;
pub mod settings;
pub mod trace;

/// How the council screen starts. Colours are dropped when NO_COLOR is set; keys come from
/// `$COUNCIL_KEYS` or `~/.config/council/keys.toml` over the defaults; `x` exports into
/// `export/` beside the database.
#[derive(Debug, Clone)]
pub struct TuiOptions {
    /// Recorded as the author of every decision (`--as`, default the login name).
    pub reviewer: String,
    pub lang: Lang,
    pub theme: ThemeName,
    /// Lead the meeting (`--lead`): publish every move; start in presentation mode.
    pub lead: bool,
    /// Follow the leader (`--follow`).
    pub follow: bool,
    /// Take the mouse (`--no-mouse` or `mouse = false` in the settings file turn it off).
    pub mouse: bool,
}

/// The NO_COLOR convention: present and not empty.
pub fn no_color_requested() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

/// Converts a terminal key event into the application's key.
pub fn key_from_event(event: &crossterm::event::KeyEvent) -> Option<Key> {
    use crossterm::event::KeyCode as C;
    let code = match event.code {
        C::Char(c) => KeyCode::Char(c),
        C::Enter => KeyCode::Enter,
        C::Esc => KeyCode::Esc,
        C::Tab => KeyCode::Tab,
        C::BackTab => KeyCode::BackTab,
        C::Backspace => KeyCode::Backspace,
        C::Delete => KeyCode::Delete,
        C::Up => KeyCode::Up,
        C::Down => KeyCode::Down,
        C::Left => KeyCode::Left,
        C::Right => KeyCode::Right,
        C::Home => KeyCode::Home,
        C::End => KeyCode::End,
        C::PageUp => KeyCode::PageUp,
        C::PageDown => KeyCode::PageDown,
        C::F(n) => KeyCode::F(n),
        _ => return None,
    };
    let m = event.modifiers;
    Some(
        Key {
            code,
            ctrl: m.contains(KeyModifiers::CONTROL),
            alt: m.contains(KeyModifiers::ALT),
            shift: m.contains(KeyModifiers::SHIFT),
        }
        .normalised(),
    )
}

/// Whether the council screen can start here: input and output are both a terminal.
pub fn has_terminal() -> bool {
    use std::io::IsTerminal;
    std::io::stdin().is_terminal() && std::io::stdout().is_terminal()
}

/// Why the council screen stopped on an error.
#[derive(Debug, thiserror::Error)]
pub enum ScreenError {
    /// Reading the session before the screen opens.
    Load(StoreError),
    /// A session with nothing to show yet, and the like.
    Store(#[from] StoreError),
    /// Setting the terminal up.
    Start(std::io::Error),
    /// The terminal, while the screen runs.
    Terminal(#[from] std::io::Error),
}

impl Localised for ScreenError {
    fn text(&self, lang: Lang) -> String {
        let screen = crate::messages::screen::labels(lang);
        match self {
            ScreenError::Load(error) => {
                format!("{}: {}", screen.loading_the_session, error.text(lang))
            }
            ScreenError::Store(error) => error.text(lang),
            ScreenError::Start(error) => format!("{}: {error}", screen.starting_the_screen),
            ScreenError::Terminal(error) => error.to_string(),
        }
    }
}

crate::messages::english_display!(ScreenError);

/// Opens the council screen on a session and runs until the user quits.
pub fn run(store: Store, options: TuiOptions) -> Result<(), ScreenError> {
    let mut store = store;
    // The watcher notes the database's version before anything is read, so that a change
    // made meanwhile by another process is seen on the first poll rather than lost.
    let watcher = meeting::Watcher::new(&store);
    let session = store
        .load_session()
        .map_err(ScreenError::Load)?
        .ok_or(StoreError::Empty)?;
    let keys_path = keys::keys_path();
    let (keymap, keymap_problem) = keys::load_keymap(keys_path.as_deref(), options.lang);
    let (settings, settings_problem) = settings::load(settings::settings_path().as_deref());
    let mouse = options.mouse && settings.mouse;
    let mut state = AppState::new(session, keymap, options.lang, &options.reviewer);
    state.theme = options.theme;
    state.no_color = no_color_requested();
    let problems: Vec<String> = keymap_problem.into_iter().chain(settings_problem).collect();
    if let Some(problem) = (!problems.is_empty()).then(|| problems.join("; ")) {
        state.message = Some(crate::app::Message {
            kind: crate::app::MessageKind::Error,
            text: problem,
        });
    }
    let export_dir = crate::service::export::default_export_dir(store.path());
    let store_path = store.path().to_path_buf();
    let mut start = meeting::start_actions(&store, &state.session, options.lead, options.follow);
    start.extend(ranking_action(&store));

    let mut witness = ScreenWitness::new(&store, &options.reviewer);
    witness.see(&store);

    // ratatui's init installs a panic hook that restores the terminal before the message (the
    // one-line hook of main.rs, installed before it, then prints).
    let mut terminal = match ratatui::try_init() {
        Ok(terminal) => terminal,
        Err(error) => {
            ratatui::restore();
            return Err(ScreenError::Start(error));
        }
    };
    // A paste arrives as one event (not as keys, whose Enter would save a half-pasted reason).
    // A terminal without bracketed paste simply sends keys.
    let _ = crossterm::execute!(std::io::stdout(), crossterm::event::EnableBracketedPaste);
    if mouse {
        capture_mouse();
    }
    let mut runner = Runner {
        store: &mut store,
        export_dir: &export_dir,
        watcher,
        witness: &mut witness,
        mouse,
        trace: trace::Trace::from_env(),
        loader: detail::DetailLoader::start(&store_path, options.lang),
    };
    let result = event_loop(&mut terminal, &mut state, &mut runner, start);
    let _ = crossterm::execute!(std::io::stdout(), crossterm::event::DisableBracketedPaste);
    if mouse {
        release_mouse();
    }
    ratatui::restore();
    result
}

/// Takes the mouse's events from the terminal (clicks and the wheel come as events; the
/// terminal's own selection then needs Shift). A panic gives it back before ratatui's hook
/// restores the rest.
fn capture_mouse() {
    let _ = crossterm::execute!(std::io::stdout(), crossterm::event::EnableMouseCapture);
    let restore_rest = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        release_mouse();
        restore_rest(info);
    }));
}

fn release_mouse() {
    let _ = crossterm::execute!(std::io::stdout(), crossterm::event::DisableMouseCapture);
}

/// The session's rank mode and bands (its settings), for the overview.
fn ranking_action(store: &Store) -> Option<Action> {
    let settings = store.settings().ok()?;
    Some(Action::RankingLoaded {
        rank_mode: settings.rank_mode(),
        bands: settings.bands(),
    })
}

/// The screen's witness: the chain heads this screen saw, kept outside the database.
struct ScreenWitness {
    witness: Option<crate::io::witness::Witness>,
    seen: (i64, String),
}

impl ScreenWitness {
    fn new(store: &Store, reviewer: &str) -> ScreenWitness {
        let witness = store
            .session_id()
            .ok()
            .map(|id| crate::io::witness::Witness::new(&id, store.path(), reviewer, "screen"));
        ScreenWitness {
            witness,
            seen: (-1, String::new()),
        }
    }

    /// Records the head if it moved (one indexed read).
    fn see(&mut self, store: &Store) {
        let (Some(witness), Ok(head)) = (self.witness.as_mut(), store.chain_head()) else {
            return;
        };
        if head != self.seen {
            // A screen keeps going without its witness (a read-only home folder).
            let _ = witness.see(head.0, &head.1, &crate::domain::time::now_stamp());
            self.seen = head;
        }
    }
}

/// How often the database is looked at for other processes' changes (`PRAGMA data_version`,
/// one cheap read): a decision or a leader's move shows on every screen within this and a
/// frame.
const WATCH_EVERY: Duration = Duration::from_millis(40);

/// What the loop carries besides the state: the store and what goes with it.
struct Runner<'a> {
    store: &'a mut Store,
    export_dir: &'a Path,
    watcher: meeting::Watcher,
    witness: &'a mut ScreenWitness,
    /// Whether the mouse is taken; when not, mouse input is ignored.
    mouse: bool,
    trace: Option<trace::Trace>,
    /// Reads the detail pane's texts on a thread of its own.
    loader: Option<detail::DetailLoader>,
}

impl Runner<'_> {
    fn effects(&mut self, state: &mut AppState, mut effects: Vec<Effect>) {
        let publishes = self.trace.is_some()
            && effects.iter().any(|e| {
                matches!(
                    e,
                    Effect::Meeting(crate::app::screens::agenda::MeetingEffect::Publish { .. })
                )
            });
        let loader = self.loader.as_mut();
        run_effects_with(self.store, state, self.export_dir, &mut effects, loader);
        if publishes && let Some(trace) = &mut self.trace {
            trace.published(self.store);
        }
    }

    /// The detail pane's texts read meanwhile, brought into the state; whether any came.
    fn take_details(&mut self, state: &mut AppState) -> bool {
        let Some(loader) = &mut self.loader else {
            return false;
        };
        let arrived = loader.arrived(&state.session);
        let any = !arrived.is_empty();
        for action in arrived {
            let effects = update(state, action);
            self.effects(state, effects);
        }
        any
    }

    /// An event from the terminal, as an action for the state; whether anything happened.
    fn on_event(&mut self, state: &mut AppState, event: Event) -> bool {
        if !self.mouse && matches!(event, Event::Mouse(_)) {
            return false;
        }
        let Some(action) = action_of(event) else {
            return false;
        };
        let effects = update(state, action);
        self.effects(state, effects);
        self.witness.see(self.store);
        true
    }
}

fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    state: &mut AppState,
    runner: &mut Runner,
    start: Vec<Action>,
) -> Result<(), ScreenError> {
    let size = terminal.size()?;
    let mut pending = Vec::new();
    for action in start {
        pending.extend(update(state, action));
    }
    pending.extend(update(state, Action::Resize(size.width, size.height)));
    pending.extend(update(state, finalisation_action(runner.store)));
    runner.effects(state, pending);
    let mut shown_second = 0;
    let mut dirty = true;
    let mut next_watch = Instant::now();
    while !state.quit {
        if dirty {
            let size = terminal.size()?;
            let effects = report_viewport(state, size.width, size.height);
            runner.effects(state, effects);
            terminal.draw(|frame| frame.render_widget(&*state, frame.area()))?;
            if let Some(trace) = &mut runner.trace {
                trace.shown();
            }
            dirty = false;
        }
        // Other processes' writes are looked for on a clock of their own, so that a stream
        // of events (keys held down, the mouse moving) cannot hold them back.
        let now = Instant::now();
        if now >= next_watch {
            next_watch = now + WATCH_EVERY;
            dirty |= watch(state, runner);
            // The meeting's clocks tick once a second.
            let second = (state.meeting.now)();
            if state.meeting.has_bar() && second != shown_second {
                shown_second = second;
                dirty = true;
            }
            continue;
        }
        dirty |= runner.take_details(state);
        let wait = match &runner.loader {
            Some(loader) if loader.waiting() => DETAIL_CHECK_EVERY.min(next_watch - now),
            _ => next_watch - now,
        };
        if event::poll(wait)? {
            let event = event::read()?;
            dirty |= runner.on_event(state, event);
        }
    }
    Ok(())
}

/// While the detail pane's texts are being read, how often the loop looks for them.
const DETAIL_CHECK_EVERY: Duration = Duration::from_millis(5);

/// What other processes changed since the last look, brought into the state; whether there
/// was anything.
fn watch(state: &mut AppState, runner: &mut Runner) -> bool {
    let actions = runner.watcher.poll(runner.store, &state.session);
    let changed = !actions.is_empty();
    for action in actions {
        let reloaded = matches!(action, Action::Reloaded(_));
        let mut effects = update(state, action);
        if reloaded {
            // Someone may have finalised the session with `council finalize`, or changed its
            // settings with `council configure`.
            effects.extend(update(state, finalisation_action(runner.store)));
            if let Some(ranking) = ranking_action(runner.store) {
                effects.extend(update(state, ranking));
            }
        }
        runner.effects(state, effects);
        runner.witness.see(runner.store);
    }
    if changed && let Some(trace) = &mut runner.trace {
        trace.seen(runner.watcher.marks());
    }
    changed
}

/// A terminal event as an action: keys (not their release), resizes, pastes, and of the
/// mouse the left button's presses and the wheel.
pub fn action_of(event: Event) -> Option<Action> {
    match event {
        Event::Key(key) if key.kind != KeyEventKind::Release => {
            key_from_event(&key).map(Action::Key)
        }
        Event::Resize(width, height) => Some(Action::Resize(width, height)),
        Event::Paste(text) => Some(Action::Paste(text)),
        Event::Mouse(mouse) => mouse_action(&mouse),
        _ => None,
    }
}

/// A mouse event as an action; moves, drags, releases and the other buttons are not used.
fn mouse_action(mouse: &crossterm::event::MouseEvent) -> Option<Action> {
    use crossterm::event::{MouseButton, MouseEventKind};
    let (column, row) = (mouse.column, mouse.row);
    match mouse.kind {
        MouseEventKind::Down(MouseButton::Left) => Some(Action::Click { column, row }),
        MouseEventKind::ScrollDown => Some(Action::Wheel {
            column,
            row,
            down: true,
        }),
        MouseEventKind::ScrollUp => Some(Action::Wheel {
            column,
            row,
            down: false,
        }),
        _ => None,
    }
}

/// Tells the app how many rows each table shows at this size (as the ui lays the frame out),
/// when that changed: paging then moves exactly one screenful; and where the frame puts what
/// the mouse can hit.
pub fn report_viewport(state: &mut AppState, width: u16, height: u16) -> Vec<Effect> {
    let viewport = crate::ui::viewport(state, width, height);
    let mut effects = Vec::new();
    if state.viewport != Some(viewport) {
        effects = update(state, Action::Viewport(viewport));
    }
    let regions = crate::ui::regions(state, width, height);
    if state.mouse.regions != regions {
        effects.extend(update(state, Action::Regions(regions)));
    }
    effects
}

/// More effects than this in a row, one leading to the next, means an effect feeds itself:
/// the runner stops there and says so.
const MAX_EFFECTS: usize = 1000;

/// Carries out effects against the store, feeding their outcomes back as actions.
pub fn run_effects(
    store: &mut Store,
    state: &mut AppState,
    export_dir: &Path,
    effects: &mut Vec<Effect>,
) {
    run_effects_with(store, state, export_dir, effects, None);
}

/// As [`run_effects`], the detail pane's reads handed to `loader` when there is one (their
/// outcomes come later, from [`detail::DetailLoader::arrived`]).
pub fn run_effects_with(
    store: &mut Store,
    state: &mut AppState,
    export_dir: &Path,
    effects: &mut Vec<Effect>,
    mut loader: Option<&mut detail::DetailLoader>,
) {
    let outcome = drain_effects(effects.drain(..), MAX_EFFECTS, |effect| {
        let effect = match loader.as_deref_mut() {
            Some(loader) => match loader.take(effect, &state.session) {
                Some(effect) => effect,
                None => return Vec::new(),
            },
            None => effect,
        };
        match execute(store, &state.session, export_dir, effect, state.lang) {
            Some(action) => update(state, action),
            None => Vec::new(),
        }
    });
    if let Err(dropped) = outcome {
        update(state, Action::EffectsOverflowed { dropped });
    }
}

/// Runs effects first in, first out, each one's follow-ups after the ones already waiting;
/// at most `limit` of them. Err holds how many were left undone.
fn drain_effects(
    effects: impl IntoIterator<Item = Effect>,
    limit: usize,
    mut run: impl FnMut(Effect) -> Vec<Effect>,
) -> Result<(), usize> {
    let mut queue: VecDeque<Effect> = effects.into_iter().collect();
    let mut done = 0;
    while let Some(effect) = queue.pop_front() {
        if done == limit {
            return Err(queue.len() + 1);
        }
        done += 1;
        queue.extend(run(effect));
    }
    Ok(())
}

/// One effect against the store; the outcome as an action.
/// What the store and the files say goes into the actions in the screen's language `lang`.
pub fn execute(
    store: &mut Store,
    session: &crate::domain::Session,
    export_dir: &Path,
    effect: Effect,
    lang: Lang,
) -> Option<Action> {
    match effect {
        Effect::LoadDetail { unit, leaf } => {
            let unit_code = &session.units.get(unit)?.code;
            let code = session.framework.leaf(leaf).code().to_string();
            detail::detail_action(store, (unit, leaf), (unit_code, &code), lang)
        }
        Effect::LoadNotes { leaf, units } => {
            let code = session.framework.leaf(leaf).code().to_string();
            let units: Vec<(usize, String)> = units
                .into_iter()
                .filter_map(|u| Some((u, session.units.get(u)?.code.clone())))
                .collect();
            Some(detail::notes_action(store, leaf, &code, &units, lang))
        }
        Effect::Record(request) => Some(record(store, request, lang)),
        Effect::Export { overwrite } => Some(export(store, export_dir, (overwrite, false), lang)),
        Effect::ExportWorkbook { overwrite } => {
            Some(export(store, export_dir, (overwrite, true), lang))
        }
        Effect::LoadDiff { unit, base } => Some(Action::DiffLoaded {
            unit,
            base,
            result: load_diff(store, session, unit, base).map_err(|e| e.text(lang)),
        }),
        Effect::Finalise { by, at, reason } => Some(Action::Finalised(
            store
                .finalize(&by, &at, reason.as_deref())
                .map(final_info)
                .map_err(|e| e.text(lang)),
        )),
        Effect::Meeting(effect) => meeting::execute(store, effect, lang),
    }
}

fn final_info(f: crate::store::Finalisation) -> FinalInfo {
    FinalInfo {
        at: f.at,
        by: f.by,
        reason: f.reason,
        head_hash: f.head_hash,
        entries: f.entries,
    }
}

/// Whether the session is finalised, as an action for `update`.
pub fn finalisation_action(store: &Store) -> Action {
    Action::FinalisationLoaded(store.finalisation().ok().flatten().map(final_info))
}

/// What a unit's diff needs from the store: its versions, and the reasons of its appraised
/// scores or the two submission versions.
fn load_diff(
    store: &Store,
    session: &crate::domain::Session,
    unit: usize,
    base: DiffBase,
) -> Result<DiffData, StoreError> {
    let unit_code = &session
        .units
        .get(unit)
        .ok_or_else(|| StoreError::UnknownUnit(unit.to_string()))?
        .code;
    let versions = store.submission_versions(unit_code)?;
    let content = match base {
        DiffBase::Version(v) => DiffContent::Versions {
            old: store.submission_items(session, unit_code, Some(v))?,
            current: store.submission_items(session, unit_code, None)?,
        },
        DiffBase::SelfScores | DiffBase::Proposals => {
            DiffContent::Reasons(store.unit_reasons(session, unit)?)
        }
    };
    Ok(DiffData { versions, content })
}

fn record(store: &mut Store, request: RecordRequest, lang: Lang) -> Action {
    let RecordRequest {
        unit,
        leaf,
        unit_code,
        criterion_code,
        action,
        by,
        at,
        expected_seq,
        intent,
    } = request;
    let result = store
        .record(&unit_code, &criterion_code, &action, &by, &at, expected_seq)
        .map_err(|error| {
            // Another reviewer's decision in the way of an undo is shown as a stale save is.
            let stale = matches!(
                error,
                StoreError::Stale { .. } | StoreError::NotYours { .. }
            );
            RecordFailure {
                message: error.text(lang),
                stale,
                fresh: store.item_state(&unit_code, &criterion_code).ok(),
            }
        });
    Action::Recorded {
        unit,
        leaf,
        intent,
        result,
    }
}

fn export(store: &Store, dir: &Path, (overwrite, workbook): (bool, bool), lang: Lang) -> Action {
    let mut options = ExportOptions::new(dir);
    options.force = overwrite;
    if let Ok(settings) = store.settings() {
        options.rank_mode = settings.rank_mode();
        options.bands = settings.bands();
        options.letterhead = crate::domain::settings::Letterhead::from_settings(&settings);
    }
    if workbook {
        options.format = crate::io::export::ExportFormat::Xlsx;
    }
    let mut existing: Vec<String> = options
        .existing_targets()
        .into_iter()
        .map(|p| p.display().to_string())
        .collect();
    let manifest = dir.join("manifest.json");
    if matches!(store.finalisation(), Ok(Some(_))) && manifest.exists() {
        existing.push(manifest.display().to_string());
    }
    if !overwrite && !existing.is_empty() {
        let dir = dir.display().to_string();
        return if workbook {
            Action::WorkbookNeedsConfirm { dir, existing }
        } else {
            Action::ExportNeedsConfirm { dir, existing }
        };
    }
    let written = crate::service::export::write_export(store, &options);
    Action::Exported(
        written
            .map(|_| dir.display().to_string())
            .map_err(|e| e.text(lang)),
    )
}

/// Benchmark hook: applies one key to the state and renders a frame of the given size with
/// ratatui's TestBackend, as the loop does (the viewport reported first). Returns the effects
/// (not executed).
pub fn bench_frame(
    state: &mut AppState,
    terminal: &mut ratatui::Terminal<ratatui::backend::TestBackend>,
    key: Key,
) -> anyhow::Result<Vec<Effect>> {
    let mut effects = update(state, Action::Key(key));
    let size = terminal.size()?;
    effects.extend(report_viewport(state, size.width, size.height));
    terminal.draw(|frame| frame.render_widget(&*state, frame.area()))?;
    Ok(effects)
}

/// data/sample imported into `dir/council.db`, for the tests of the loop's parts: its path
/// and the importing store.
#[cfg(test)]
pub(crate) fn sample_session_store(dir: &Path) -> (std::path::PathBuf, Store) {
    let db = dir.join("council.db");
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample");
    let (store, _, _) = crate::service::import::import_new(
        &sample,
        &db,
        ("thư ký", "2026-11-23T08:00:00+07:00"),
        crate::io::import::ImportOptions::default(),
        crate::io::system::host(),
        |_| {},
    )
    .unwrap();
    (db, store)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_left_button_and_the_wheel_become_actions_and_the_rest_of_the_mouse_is_left() {
        use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
        let event = |kind| {
            Event::Mouse(MouseEvent {
                kind,
                column: 7,
                row: 3,
                modifiers: KeyModifiers::NONE,
            })
        };
        let (column, row) = (7, 3);
        assert_eq!(
            action_of(event(MouseEventKind::Down(MouseButton::Left))),
            Some(Action::Click { column, row })
        );
        assert_eq!(
            action_of(event(MouseEventKind::ScrollDown)),
            Some(Action::Wheel {
                column,
                row,
                down: true
            })
        );
        assert_eq!(
            action_of(event(MouseEventKind::ScrollUp)),
            Some(Action::Wheel {
                column,
                row,
                down: false
            })
        );
        for kind in [
            MouseEventKind::Moved,
            MouseEventKind::Up(MouseButton::Left),
            MouseEventKind::Down(MouseButton::Right),
            MouseEventKind::Drag(MouseButton::Left),
        ] {
            assert_eq!(action_of(event(kind)), None, "{kind:?}");
        }
    }

    #[test]
    fn effects_run_in_order_and_a_chain_that_never_ends_is_stopped() {
        let load = |leaf| Effect::LoadDetail { unit: 0, leaf };
        let mut seen = Vec::new();
        // Each of the first effects asks for one more: first in, first out.
        let outcome = drain_effects([load(0), load(1)], 10, |effect| {
            seen.push(effect.clone());
            match effect {
                Effect::LoadDetail { leaf, .. } if leaf < 2 => vec![load(leaf + 10)],
                _ => Vec::new(),
            }
        });
        assert_eq!(outcome, Ok(()));
        assert_eq!(seen, vec![load(0), load(1), load(10), load(11)]);
        // One that feeds itself forever: stopped at the limit, and the rest is counted.
        let mut runs = 0;
        let outcome = drain_effects([load(0)], 64, |effect| {
            runs += 1;
            vec![effect.clone(), effect]
        });
        assert_eq!(runs, 64);
        assert_eq!(outcome, Err(65));
    }
}
