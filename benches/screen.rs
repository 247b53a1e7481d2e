//! Start-up and keystroke latency of the council screen, measured as the real loop does it:
//! open the store, load the session, build the state, draw the first frame; then for each key,
//! `update` plus a full redraw at 160×48 (ratatui TestBackend, so the terminal's own speed is
//! left out).
//!
//!     cargo bench --bench screen -- [DB ...]
//!
//! With no DB it measures an in-memory synthetic session of 10,000 units. benches/bench.sh
//! passes data/sample's database and a generated 10,000-unit one.

use council::app::keymap::{Key, Keymap};
use council::app::{Action, AppState, update};
use council::domain::Session;
use council::lang::Lang;
use council::store::Store;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::time::{Duration, Instant};

const KEYS: &[&str] = &[
    "j", "j", "k", "G", "g", "pagedown", "pagedown", "pageup", "n", "n", "n", "j", "j", "l", "h",
    "tab", "tab", "N", "esc", "f", "f", "s", "s", "c", "s", "esc", "enter", "-", "+", "esc", "/",
    "t", "h", "u", "esc", "?", "esc",
];

fn main() -> anyhow::Result<()> {
    let paths: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    if paths.is_empty() {
        let started = Instant::now();
        let session = council::app::sample::synthetic_session(10_000);
        measure("synthetic, 10,000 units (in memory)", session, started)?;
    }
    for path in paths {
        let started = Instant::now();
        let store = Store::open_existing(std::path::Path::new(&path), council::io::system::host())?;
        let session = store
            .load_session()?
            .ok_or_else(|| anyhow::anyhow!("{path}: empty session"))?;
        measure(&path, session, started)?;
    }
    Ok(())
}

fn measure(name: &str, session: Session, started: Instant) -> anyhow::Result<()> {
    let units = session.units.len();
    let items = session.items.len();
    let mut state = AppState::new(session, Keymap::default(), Lang::Vi, "bench");
    let mut terminal = Terminal::new(TestBackend::new(160, 48))?;
    update(&mut state, Action::Resize(160, 48));
    terminal.draw(|frame| frame.render_widget(&state, frame.area()))?;
    let first_frame = started.elapsed();

    let mut times: Vec<Duration> = Vec::new();
    for round in 0..20 {
        for key in KEYS {
            let key = Key::parse(key).map_err(anyhow::Error::msg)?;
            let start = Instant::now();
            council::tui::bench_frame(&mut state, &mut terminal, key)?;
            let elapsed = start.elapsed();
            if round > 0 {
                times.push(elapsed);
            }
        }
    }
    times.sort();
    let pick = |q: f64| times[((times.len() - 1) as f64 * q) as usize];
    println!("{name}: {units} units, {items} items");
    println!(
        "  first frame after start-up: {:>8.1} ms",
        first_frame.as_secs_f64() * 1e3
    );
    println!(
        "  keystroke update + redraw:  median {:.2} ms, p99 {:.2} ms, max {:.2} ms ({} keys)",
        pick(0.5).as_secs_f64() * 1e3,
        pick(0.99).as_secs_f64() * 1e3,
        times.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
        times.len()
    );
    Ok(())
}
