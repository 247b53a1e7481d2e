//! The terminal loop: init/restore, events → actions, effects → store.

use crate::app::diffview::{DiffBase, DiffContent, DiffData};
use crate::app::finalise::FinalInfo;
use crate::app::keymap::{Key, KeyCode, Keymap};
use crate::app::labels::Lang;
use crate::app::{Action, AppState, Effect, RecordFailure, RecordRequest, ThemeName, update};
use crate::io::export::ExportOptions;
use crate::store::{Store, StoreError};
use anyhow::Context;
use crossterm::event::{self, Event, KeyEventKind, KeyModifiers};
use std::path::Path;
use std::time::Duration;

pub mod meeting;

/// How the council screen starts. Colours are dropped when NO_COLOR is set; keys come from
/// `$COUNCIL_KEYS` or `~/.config/council/keys.toml` over the defaults; `x` exports into
/// `export/` beside the database.
#[derive(Debug, Clone)]
pub struct TuiOptions {
    /// Recorded as the author of every decision (`--as`, default the login name).
    pub reviewer: String,
    pub lang: crate::cli::Lang,
    pub theme: crate::cli::Theme,
    /// Lead the meeting (`--lead`): publish every move; start in presentation mode.
    pub lead: bool,
    /// Follow the leader (`--follow`).
    pub follow: bool,
}

fn app_lang(lang: crate::cli::Lang) -> Lang {
    match lang {
        crate::cli::Lang::Vi => Lang::Vi,
        crate::cli::Lang::En => Lang::En,
    }
}

fn app_theme(theme: crate::cli::Theme) -> ThemeName {
    match theme {
        crate::cli::Theme::Dark => ThemeName::Dark,
        crate::cli::Theme::Light => ThemeName::Light,
        crate::cli::Theme::HighContrast => ThemeName::HighContrast,
    }
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

/// Opens the council screen on a session and runs until the user quits.
pub fn run(store: Store, options: TuiOptions) -> anyhow::Result<()> {
    let mut store = store;
    // The watcher notes the database's version before anything is read, so that a change
    // made meanwhile by another process is seen on the first poll rather than lost.
    let watcher = meeting::Watcher::new(&store);
    let session = store
        .load_session()
        .with_context(|| crate::domain::text::tr("loading the session", "đọc phiên họp"))?
        .ok_or(StoreError::Empty)?;
    let keys_path = Keymap::default_path();
    let (keymap, keymap_problem) = Keymap::load(keys_path.as_deref());
    let mut state = AppState::new(session, keymap, app_lang(options.lang), &options.reviewer);
    load_ranking(&store, &mut state);
    state.theme = app_theme(options.theme);
    state.no_color = no_color_requested();
    if let Some(problem) = keymap_problem {
        state.message = Some(crate::app::Message {
            kind: crate::app::MessageKind::Error,
            text: problem.to_string(),
        });
    }
    let export_dir = crate::service::export::default_export_dir(store.path());
    for action in meeting::start_actions(&store, &mut state, options.lead, options.follow) {
        update(&mut state, action);
    }
    meeting::finish_start(&mut state, options.lead);

    let mut witness = ScreenWitness::new(&store, &options.reviewer);
    witness.see(&store);

    // ratatui's init installs a panic hook that restores the terminal before the message (the
    // one-line hook of main.rs, installed before it, then prints).
    let mut terminal = match ratatui::try_init() {
        Ok(terminal) => terminal,
        Err(error) => {
            ratatui::restore();
            return Err(error).with_context(|| {
                crate::domain::text::tr("starting the council screen", "mở màn hình hội đồng")
            });
        }
    };
    let result = event_loop(
        &mut terminal,
        &mut store,
        &mut state,
        &export_dir,
        watcher,
        &mut witness,
    );
    ratatui::restore();
    result
}

/// The session's rank mode and bands (its settings), for the overview.
fn load_ranking(store: &Store, state: &mut AppState) {
    if let Ok(settings) = store.settings() {
        state.set_ranking(settings.rank_mode(), settings.bands());
    }
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
            let _ = witness.see(head.0, &head.1, &crate::cli::now());
            self.seen = head;
        }
    }
}

fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    store: &mut Store,
    state: &mut AppState,
    export_dir: &Path,
    mut watcher: meeting::Watcher,
    witness: &mut ScreenWitness,
) -> anyhow::Result<()> {
    let size = terminal.size()?;
    let mut pending = update(state, Action::Resize(size.width, size.height));
    pending.extend(update(state, finalisation_action(store)));
    run_effects(store, state, export_dir, &mut pending);
    let mut shown_second = 0;
    let mut dirty = true;
    while !state.quit {
        if dirty {
            terminal.draw(|frame| frame.render_widget(&*state, frame.area()))?;
            dirty = false;
        }
        // A slow poll, only to notice writes by other processes; quicker in a meeting, where
        // followers should move within a fraction of a second and the clocks tick.
        let meeting = state.meeting.has_bar();
        let wait = if meeting { 200 } else { 500 };
        if !event::poll(Duration::from_millis(wait))? {
            for action in watcher.poll(store, &state.session) {
                let reloaded = matches!(action, Action::Reloaded(_));
                let mut effects = update(state, action);
                if reloaded {
                    // Someone may have finalised the session with `council finalize`, or
                    // changed its settings with `council configure`.
                    effects.extend(update(state, finalisation_action(store)));
                    load_ranking(store, state);
                }
                run_effects(store, state, export_dir, &mut effects);
                witness.see(store);
                dirty = true;
            }
            let second = (state.meeting.now)();
            if meeting && second != shown_second {
                shown_second = second;
                dirty = true;
            }
            continue;
        }
        let action = match event::read()? {
            Event::Key(key) if key.kind != KeyEventKind::Release => {
                key_from_event(&key).map(Action::Key)
            }
            Event::Resize(width, height) => Some(Action::Resize(width, height)),
            _ => None,
        };
        if let Some(action) = action {
            let mut effects = update(state, action);
            run_effects(store, state, export_dir, &mut effects);
            witness.see(store);
            dirty = true;
        }
    }
    Ok(())
}

/// Carries out effects against the store, feeding their outcomes back as actions.
pub fn run_effects(
    store: &mut Store,
    state: &mut AppState,
    export_dir: &Path,
    effects: &mut Vec<Effect>,
) {
    // Effects may produce further effects (an outcome that needs a detail load): drain them.
    let mut guard = 0;
    while let Some(effect) = (!effects.is_empty()).then(|| effects.remove(0)) {
        guard += 1;
        if guard > 64 {
            break;
        }
        if let Some(action) = execute(store, &state.session, export_dir, effect) {
            effects.extend(update(state, action));
        }
    }
}

/// One effect against the store; the outcome as an action.
pub fn execute(
    store: &mut Store,
    session: &crate::domain::Session,
    export_dir: &Path,
    effect: Effect,
) -> Option<Action> {
    match effect {
        Effect::LoadDetail { unit, leaf } => {
            let unit_code = &session.units.get(unit)?.code;
            let code = session.framework.leaf(leaf).code().to_string();
            let detail = store.item_detail_for_screen(unit_code, &code).ok()?;
            Some(Action::DetailLoaded { unit, leaf, detail })
        }
        Effect::LoadNotes { leaf, units } => {
            let code = session.framework.leaf(leaf).code().to_string();
            let notes = units
                .into_iter()
                .filter_map(|u| {
                    let unit_code = &session.units.get(u)?.code;
                    let detail = store.item_detail_for_screen(unit_code, &code).ok()?;
                    Some((u, detail.note))
                })
                .collect();
            Some(Action::NotesLoaded { leaf, notes })
        }
        Effect::Record(request) => Some(record(store, request)),
        Effect::Export { overwrite } => Some(export(store, export_dir, overwrite)),
        Effect::LoadDiff { unit, base } => Some(Action::DiffLoaded {
            unit,
            base,
            result: load_diff(store, session, unit, base).map_err(|e| e.to_string()),
        }),
        Effect::Finalise { by, at, reason } => Some(Action::Finalised(
            store
                .finalize(&by, &at, reason.as_deref())
                .map(final_info)
                .map_err(|e| e.to_string()),
        )),
        Effect::Meeting(effect) => meeting::execute(store, effect),
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

fn record(store: &mut Store, request: RecordRequest) -> Action {
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
                message: error.to_string(),
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

fn export(store: &Store, dir: &Path, overwrite: bool) -> Action {
    let mut options = ExportOptions::new(dir);
    options.force = overwrite;
    if let Ok(settings) = store.settings() {
        options.rank_mode = settings.rank_mode();
        options.bands = settings.bands();
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
        return Action::ExportNeedsConfirm {
            dir: dir.display().to_string(),
            existing,
        };
    }
    Action::Exported(export_files(store, &options).map(|()| dir.display().to_string()))
}

/// Writes the same files as `council export` with its default options.
fn export_files(store: &Store, options: &ExportOptions) -> Result<(), String> {
    crate::service::export::write_export(store, options).map(|_| ())
}

/// Benchmark hook: applies one key to the state and renders a frame of the given size with
/// ratatui's TestBackend. Returns the effects of the key (not executed).
pub fn bench_frame(
    state: &mut AppState,
    terminal: &mut ratatui::Terminal<ratatui::backend::TestBackend>,
    key: Key,
) -> anyhow::Result<Vec<Effect>> {
    let effects = update(state, Action::Key(key));
    terminal.draw(|frame| frame.render_widget(&*state, frame.area()))?;
    Ok(effects)
}

/// A synthetic session for benchmarks and tests: `units` units in four groups over a
/// framework of 8 fields × 4 criteria × 3 sub-criteria; some items disputed.
pub fn synthetic_session(units: usize) -> crate::domain::Session {
    use crate::domain::{Code, CriterionDef, CriterionKind, Framework, Session, Unit};
    use rust_decimal::Decimal;
    let mut defs = Vec::new();
    let def = |code: String, title: String, max: Decimal| CriterionDef {
        code: Code::parse(&code)
            .unwrap_or_else(|_| Code::parse("1").unwrap_or_else(|_| unreachable!())),
        title,
        max_points: max,
        min_points: Decimal::ZERO,
        step: Some(Decimal::new(25, 2)),
        kind: CriterionKind::Score,
        rule: "Đúng hạn: điểm tối đa; chậm: 0".to_string(),
    };
    for f in 1..=8 {
        defs.push(def(
            f.to_string(),
            format!("Lĩnh vực {f}: cải cách hành chính"),
            Decimal::from(12),
        ));
        for c in 1..=4 {
            defs.push(def(
                format!("{f}.{c}"),
                format!("Tiêu chí {f}.{c} thủ tục"),
                Decimal::from(3),
            ));
            for s in 1..=3 {
                defs.push(def(
                    format!("{f}.{c}.{s}"),
                    format!("Ban hành kế hoạch {f}.{c}.{s} đúng thời hạn"),
                    Decimal::ONE,
                ));
            }
        }
    }
    let framework = match Framework::build(defs) {
        Ok(f) => f,
        Err(_) => unreachable!("the synthetic framework is valid"),
    };
    let groups = ["Sở, ban, ngành", "Xã", "Phường", "Đặc khu"];
    let unit_list = (0..units)
        .map(|i| Unit {
            code: format!("U{i:05}"),
            name: format!("Đơn vị số {i} tỉnh Lào Cai"),
            group: groups[i % groups.len()].to_string(),
        })
        .collect();
    let mut session = Session::new(framework, unit_list);
    let leaves = session.leaf_count();
    for u in 0..units {
        for l in 0..leaves {
            let item = session.item_mut(u, l);
            item.self_score = Some(Decimal::ONE);
            if (u * 7 + l * 3) % 11 == 0 {
                item.proposal = Some(Decimal::new(5, 1));
            }
            item.evidence_count = ((u + l) % 3) as u32;
        }
    }
    session
}
