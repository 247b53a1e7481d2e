//! Start-up and keystroke latency of the council screen, measured as the real loop does it:
//! open the store, load the session, build the state, draw the first frame; then for each key,
//! `update`, the effects against the store (diffs loaded as the runner loads them, the detail
//! pane's texts handed to its reading thread as the runner hands them), the viewport and a
//! full redraw at 160×48 (ratatui TestBackend, so the terminal's own speed is left out); then,
//! apart, the time from the key to the frame that shows the detail read in the background.
//!
//!     cargo bench --bench screen -- [DB ...]
//!
//! With no DB it measures an in-memory synthetic session of 10,000 units (without a store:
//! no effects). benches/screen-sessions.sh makes the databases of the README's table: the
//! sample, 10,000 and 100,000 units, a 10,000-leaf framework, and a 120 MB and a 200 MB note.
//!
//! The keys, 20 rounds of them (the first not counted): moving on the overview, the walk
//! over disputed items, the scorecard and its detail pane, the filter and the sorts, a unit's
//! diff (`D`, `t` through its bases), the comparison, search, help, and `:` to the first
//! unit's first item (where benches/screen-sessions.sh puts the long note), moving past it
//! and back.

use council::app::keymap::{Key, Keymap};
use council::app::{Action, AppState, Effect, update};
use council::domain::Session;
use council::lang::Lang;
use council::store::Store;
use council::tui::detail::DetailLoader;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::path::Path;
use std::time::{Duration, Instant};

const WIDTH: u16 = 160;
const HEIGHT: u16 = 48;

/// The keys of a round; `:JUMP` stands for `:`, the first item's codes and Enter.
const KEYS: &[&str] = &[
    "j", "j", "k", "G", "g", "pagedown", "pagedown", "pageup", "n", "n", "n", "j", "j", "l", "h",
    "tab", "tab", "N", "esc", "f", "f", "s", "s", "enter", "D", "j", "n", "t", "t", "t", "esc",
    "c", "s", "j", "esc", "-", "+", "esc", "/", "t", "h", "u", "esc", "?", "esc", ":JUMP", "j",
    "k", "j", "j", "k", "k", "esc", "esc",
];

fn main() -> anyhow::Result<()> {
    let paths: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    if paths.is_empty() {
        let started = Instant::now();
        let session = council::app::sample::synthetic_session(10_000);
        measure(
            "synthetic, 10,000 units (in memory)",
            session,
            None,
            started,
        )?;
    }
    for path in paths {
        let started = Instant::now();
        let mut store = Store::open_existing(Path::new(&path), council::io::system::host())?;
        let session = store
            .load_session()?
            .ok_or_else(|| anyhow::anyhow!("{path}: empty session"))?;
        measure(
            &path,
            session,
            Some((&mut store, Path::new(&path))),
            started,
        )?;
    }
    Ok(())
}

/// The keys of `:` to the session's first item (unit code, space, criterion code, Enter).
fn jump_keys(session: &Session) -> Vec<Key> {
    let codes = format!(
        "{} {}",
        session.units.first().map_or("", |u| u.code.as_str()),
        session.framework.leaf(0).code()
    );
    std::iter::once(Key::ch(':'))
        .chain(codes.chars().map(Key::ch))
        .chain(std::iter::once(Key::plain(
            council::app::keymap::KeyCode::Enter,
        )))
        .collect()
}

/// The screen as the loop runs it: the state, the store, the detail pane's reading thread
/// and a terminal.
struct Screen<'a> {
    state: AppState,
    store: Option<&'a mut Store>,
    loader: Option<DetailLoader>,
    terminal: Terminal<TestBackend>,
}

impl Screen<'_> {
    fn effects(&mut self, mut effects: Vec<Effect>) {
        if let Some(store) = self.store.as_deref_mut() {
            let export = std::env::temp_dir().join("council-bench-export");
            let loader = self.loader.as_mut();
            council::tui::run_effects_with(store, &mut self.state, &export, &mut effects, loader);
        }
    }

    fn draw(&mut self) -> anyhow::Result<()> {
        let state = &self.state;
        self.terminal
            .draw(|frame| frame.render_widget(state, frame.area()))?;
        Ok(())
    }

    /// One key as the loop handles it: update, effects, viewport and regions, a frame.
    fn press(&mut self, key: Key) -> anyhow::Result<()> {
        let mut effects = update(&mut self.state, Action::Key(key));
        effects.extend(council::tui::report_viewport(
            &mut self.state,
            WIDTH,
            HEIGHT,
        ));
        self.effects(effects);
        self.draw()
    }

    /// Waits for the detail pane's texts asked for, and draws them; whether any came.
    fn details(&mut self) -> anyhow::Result<bool> {
        let mut any = false;
        while let Some(loader) = self.loader.as_mut()
            && loader.waiting()
        {
            let Some(answer) = loader.next(Duration::from_secs(60), &self.state.session) else {
                break;
            };
            any = true;
            if let Some(action) = answer {
                let effects = update(&mut self.state, action);
                self.effects(effects);
            }
        }
        if any {
            self.draw()?;
        }
        Ok(any)
    }
}

fn measure(
    name: &str,
    session: Session,
    store: Option<(&mut Store, &Path)>,
    started: Instant,
) -> anyhow::Result<()> {
    let units = session.units.len();
    let items = session.items.len();
    let leaves = session.leaf_count();
    let jump = jump_keys(&session);
    let (store, loader) = match store {
        Some((store, path)) => (Some(store), DetailLoader::start(path, Lang::Vi)),
        None => (None, None),
    };
    let mut screen = Screen {
        state: AppState::new(session, Keymap::default(), Lang::Vi, "bench"),
        store,
        loader,
        terminal: Terminal::new(TestBackend::new(WIDTH, HEIGHT))?,
    };
    let mut effects = update(&mut screen.state, Action::Resize(WIDTH, HEIGHT));
    effects.extend(council::tui::report_viewport(
        &mut screen.state,
        WIDTH,
        HEIGHT,
    ));
    screen.effects(effects);
    screen.draw()?;
    let first_frame = started.elapsed();
    screen.details()?;

    let mut times: Vec<(Duration, &str)> = Vec::new();
    let mut cpu_times: Vec<Duration> = Vec::new();
    let mut detail_times: Vec<(Duration, &str)> = Vec::new();
    for round in 0..20 {
        for &name in KEYS {
            let keys = match name {
                ":JUMP" => jump.clone(),
                _ => vec![Key::parse(name).map_err(anyhow::Error::msg)?],
            };
            for key in keys {
                let (start, cpu_start) = (Instant::now(), thread_cpu());
                screen.press(key)?;
                let (elapsed, cpu_end) = (start.elapsed(), thread_cpu());
                let detail_came = screen.details()?;
                if round > 0 {
                    times.push((elapsed, name));
                    if let (Some(a), Some(b)) = (cpu_start, cpu_end) {
                        cpu_times.push(b.saturating_sub(a));
                    }
                    if detail_came {
                        detail_times.push((start.elapsed(), name));
                    }
                }
            }
        }
    }
    report(name, (units, leaves, items), first_frame, times);
    cpu_times.sort();
    if let Some(&max) = cpu_times.last() {
        let pick = |q: f64| cpu_times[((cpu_times.len() - 1) as f64 * q) as usize];
        println!(
            "  the same keys on the CPU (this thread, to the scheduler's tick): p95 {:.1} ms, max {:.1} ms",
            pick(0.95).as_secs_f64() * 1e3,
            max.as_secs_f64() * 1e3
        );
    }
    detail_times.sort();
    if let Some(&(max, key)) = detail_times.last() {
        let pick = |q: f64| detail_times[((detail_times.len() - 1) as f64 * q) as usize].0;
        println!(
            "  key to the frame with the detail read in the background: median {:.1} ms, p95 {:.1} ms, max {:.1} ms ({key}; {} reads)",
            pick(0.5).as_secs_f64() * 1e3,
            pick(0.95).as_secs_f64() * 1e3,
            max.as_secs_f64() * 1e3,
            detail_times.len()
        );
    }
    measure_dashboard(&mut screen)?;
    Ok(())
}

/// The dashboard (`b`): opening it computes its figures once (every unit's index % and
/// status counts); a key on it only redraws; `b` again closes it.
fn measure_dashboard(screen: &mut Screen) -> anyhow::Result<()> {
    let mut columns: [Vec<Duration>; 3] = Default::default();
    for _ in 0..20 {
        for (times, key) in columns.iter_mut().zip(["b", "j", "b"]) {
            let key = Key::parse(key).map_err(anyhow::Error::msg)?;
            let start = Instant::now();
            screen.press(key)?;
            times.push(start.elapsed());
        }
    }
    let median = |times: &mut Vec<Duration>| {
        times.sort();
        times[times.len() / 2].as_secs_f64() * 1e3
    };
    let [open, redraw, close] = &mut columns;
    println!(
        "  dashboard: open (b) median {:.2} ms, a key on it {:.2} ms, close (b) {:.2} ms",
        median(open),
        median(redraw),
        median(close)
    );
    Ok(())
}

/// The time this thread has spent on a processor (Linux's schedstat), so that a key's own cost
/// can be told from the waits of a machine shared with other work.
fn thread_cpu() -> Option<Duration> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos = text.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(nanos))
}

fn report(
    name: &str,
    (units, leaves, items): (usize, usize, usize),
    first_frame: Duration,
    mut times: Vec<(Duration, &str)>,
) {
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    times.sort();
    let pick = |q: f64| times[((times.len() - 1) as f64 * q) as usize].0;
    println!("{name}: {units} units × {leaves} leaves, {items} items");
    println!("  first frame after start-up: {:>8.1} ms", ms(first_frame));
    println!(
        "  keystroke (update, effects, redraw): median {:.2} ms, p95 {:.2} ms, p99 {:.2} ms, max {:.2} ms ({} keys)",
        ms(pick(0.5)),
        ms(pick(0.95)),
        ms(pick(0.99)),
        times.last().map_or(0.0, |t| ms(t.0)),
        times.len()
    );
    // Each key's slowest press, slowest first (times is sorted, so the first seen is the max).
    let mut seen = Vec::new();
    let slowest: Vec<String> = times
        .iter()
        .rev()
        .filter(|(_, key)| {
            let new = !seen.contains(key);
            seen.push(key);
            new
        })
        .take(8)
        .map(|(d, key)| format!("{key} {:.1} ms", ms(*d)))
        .collect();
    println!("  slowest keys: {}", slowest.join(", "));
}
