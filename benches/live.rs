//! How fast one process's change reaches every other screen: real `council` screen processes
//! in tmux on one session, a writer process deciding, a leader moving, each screen tracing
//! (`COUNCIL_TRACE`, see src/tui/trace.rs) the moment a frame showing the change has been
//! written to its terminal. Then the screens' CPU while idle.
//!
//!     cargo bench --bench live -- [--screens N] [--events N] [--idle SECONDS] [--units N]
//!
//! Defaults: 4 followers and a leader on data/sample, 100 decisions and 100 moves, 60 s idle.
//! `--units N` generates a session of N units with council-gen instead. Needs tmux.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a benchmark stops at the first failure

use council::domain::DecisionAction;
use council::store::Store;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

const COUNCIL: &str = env!("CARGO_BIN_EXE_council");
const GENERATOR: &str = env!("CARGO_BIN_EXE_council-gen");

struct Options {
    screens: usize,
    events: usize,
    idle_seconds: u64,
    units: Option<usize>,
}

fn options() -> Options {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .map(|v| v.parse::<u64>().expect("a number"))
    };
    Options {
        screens: value("--screens").unwrap_or(4) as usize,
        events: value("--events").unwrap_or(100) as usize,
        idle_seconds: value("--idle").unwrap_or(60),
        units: value("--units").map(|u| u as usize),
    }
}

fn run(command: &mut Command) -> String {
    let out = command.output().expect("the command runs");
    assert!(
        out.status.success(),
        "{command:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn council(dir: &Path, args: &[&str]) -> String {
    run(Command::new(COUNCIL)
        .args(args)
        .current_dir(dir)
        .env("XDG_STATE_HOME", dir.join(".state")))
}

fn unix_nanos() -> i128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as i128)
}

/// The tmux session of a screen (a dot in a target names a pane).
fn target(name: &str) -> String {
    name.replace('.', "-")
}

/// A private tmux server, killed at the end.
struct Tmux(String);

impl Tmux {
    fn run(&self, args: &[&str]) -> String {
        run(Command::new("tmux").arg("-L").arg(&self.0).args(args))
    }

    /// A screen in a detached session; returns its process id.
    fn open(&self, name: &str, dir: &Path, flags: &str, trace: &Path) -> u32 {
        let command = format!(
            "cd '{}' && exec env USER='{name}' XDG_STATE_HOME='{}/.state' COUNCIL_TRACE='{}' \
             TERM=xterm-256color '{COUNCIL}' --db council.db --as '{name}' {flags}",
            dir.display(),
            dir.display(),
            trace.display()
        );
        self.run(&[
            "new-session",
            "-d",
            "-s",
            &target(name),
            "-x",
            "120",
            "-y",
            "40",
            &command,
        ]);
        let pid = self.run(&["display", "-p", "-t", &target(name), "#{pane_pid}"]);
        pid.trim().parse().expect("a process id")
    }

    fn wait_for(&self, name: &str, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while !self
            .run(&["capture-pane", "-p", "-t", &target(name)])
            .contains(text)
        {
            assert!(Instant::now() < deadline, "{name} never showed {text}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.0, "kill-server"])
            .output();
    }
}

/// One line of a trace: when, the decision and the move shown (or published).
#[derive(Debug, Clone, Copy)]
struct TraceLine {
    at: i128,
    decision: Option<i64>,
    moved: i64,
    published: bool,
}

fn read_trace(path: &Path) -> Vec<TraceLine> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .filter_map(|line| {
            let words: Vec<&str> = line.split_whitespace().collect();
            match words.as_slice() {
                [at, "seen", "decision", d, "move", m] => Some(TraceLine {
                    at: at.parse().ok()?,
                    decision: d.parse().ok(),
                    moved: m.parse().ok()?,
                    published: false,
                }),
                [at, "published", "move", m] => Some(TraceLine {
                    at: at.parse().ok()?,
                    decision: None,
                    moved: m.parse().ok()?,
                    published: true,
                }),
                _ => None,
            }
        })
        .collect()
}

/// Waits until `found` finds its line in every trace; returns each trace's line time.
fn wait_in_all(traces: &[PathBuf], found: impl Fn(&TraceLine) -> bool) -> Vec<i128> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let times: Vec<Option<i128>> = traces
            .iter()
            .map(|t| read_trace(t).iter().find(|l| found(l)).map(|l| l.at))
            .collect();
        if times.iter().all(Option::is_some) {
            return times.into_iter().flatten().collect();
        }
        assert!(
            Instant::now() < deadline,
            "a screen never showed the change"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// A pause of 150–400 ms, different each time, so that events fall at every phase of the
/// screens' polling.
fn pause(i: usize) {
    let ms = 150 + (i * 7919 % 250) as u64;
    std::thread::sleep(Duration::from_millis(ms));
}

fn percentiles(name: &str, mut millis: Vec<f64>) -> String {
    millis.sort_by(f64::total_cmp);
    let pick = |q: f64| millis[((millis.len() - 1) as f64 * q).round() as usize];
    format!(
        "{name}: p50 {:.0} ms, p95 {:.0} ms, max {:.0} ms ({} screen-events)",
        pick(0.5),
        pick(0.95),
        millis.last().copied().unwrap_or(0.0),
        millis.len()
    )
}

/// Decisions by a writer (this process): from its commit to each screen's frame.
fn decisions(db: &Path, traces: &[PathBuf], events: std::ops::Range<usize>) -> Vec<f64> {
    let mut store = Store::open_existing(db, council::io::system::host()).unwrap();
    let session = store.load_session().unwrap().unwrap();
    let leaves = session.leaf_count();
    let mut latencies = Vec::new();
    for i in events {
        // Items of the last units, which the leader's agenda walk does not touch.
        let unit = session.units.len() - 1 - (i / leaves) % session.units.len();
        let leaf = i % leaves;
        let item = session.item(unit, leaf);
        let action = DecisionAction::Decide {
            score: item.self_points(),
            reason: String::new(),
        };
        let unit_code = &session.units[unit].code;
        let code = session.framework.leaf(leaf).code().to_string();
        let at = council::domain::time::now_stamp();
        store
            .record(unit_code, &code, &action, "ghi.bench", &at, None)
            .unwrap();
        let committed = unix_nanos();
        let seq = store.content_stamp().unwrap().decision_seq;
        for shown in wait_in_all(traces, |l| l.decision.is_some_and(|d| d >= seq)) {
            latencies.push((shown - committed) as f64 / 1e6);
        }
        pause(i);
    }
    latencies
}

/// The leader walks the agenda (`]`, `[`): from its publication to each follower's frame.
fn moves(tmux: &Tmux, leader_trace: &Path, traces: &[PathBuf], events: usize) -> Vec<f64> {
    let mut latencies = Vec::new();
    for i in 0..events {
        let before = read_trace(leader_trace)
            .iter()
            .filter(|l| l.published)
            .count();
        // ] to the first entry, then ] ] [ [ …: back and forth over the first three.
        let key = if i == 0 || ((i - 1) / 2) % 2 == 0 {
            "]"
        } else {
            "["
        };
        tmux.run(&["send-keys", "-t", &target("chu.toa"), "-l", key]);
        let deadline = Instant::now() + Duration::from_secs(10);
        let published = loop {
            let lines = read_trace(leader_trace);
            if let Some(line) = lines.iter().filter(|l| l.published).nth(before) {
                break *line;
            }
            assert!(Instant::now() < deadline, "the leader never published");
            std::thread::sleep(Duration::from_millis(2));
        };
        for shown in wait_in_all(traces, |l| !l.published && l.moved >= published.moved) {
            latencies.push((shown - published.at) as f64 / 1e6);
        }
        pause(i);
    }
    latencies
}

/// CPU time (user + system) of a process so far, in clock ticks.
fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    // The fields after the command name (which is in parentheses): utime is the 14th field.
    let after = &stat[stat.rfind(')').unwrap() + 2..];
    let fields: Vec<&str> = after.split_whitespace().collect();
    fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
}

fn idle_cpu(pids: &[(String, u32)], seconds: u64) -> Vec<(String, f64)> {
    let ticks_per_second: f64 = run(Command::new("getconf").arg("CLK_TCK"))
        .trim()
        .parse()
        .unwrap_or(100.0);
    let before: Vec<u64> = pids.iter().map(|(_, pid)| cpu_ticks(*pid)).collect();
    std::thread::sleep(Duration::from_secs(seconds));
    pids.iter()
        .zip(before)
        .map(|((name, pid), before)| {
            let used = (cpu_ticks(*pid) - before) as f64 / ticks_per_second;
            (name.clone(), used / seconds as f64 * 100.0)
        })
        .collect()
}

/// A session folder: data/sample, or a generated one.
fn session_folder(dir: &Path, units: Option<usize>) -> PathBuf {
    match units {
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/sample"),
        Some(units) => {
            let out = dir.join("generated");
            run(Command::new(GENERATOR)
                .args(["--out", out.to_str().unwrap(), "--units"])
                .arg(units.to_string()));
            out
        }
    }
}

fn main() {
    let options = options();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let folder = session_folder(dir, options.units);
    council(
        dir,
        &["import", folder.to_str().unwrap(), "--db", "council.db"],
    );

    let tmux = Tmux(format!("council-live-{}", std::process::id()));
    let leader_trace = dir.join("trace.chu.toa");
    let mut pids = vec![(
        "leader".to_string(),
        tmux.open("chu.toa", dir, "--lead", &leader_trace),
    )];
    tmux.wait_for("chu.toa", "● Chủ tọa");
    let mut followers = Vec::new();
    for i in 1..=options.screens {
        let name = format!("uy.vien.{i}");
        let trace = dir.join(format!("trace.{name}"));
        pids.push((name.clone(), tmux.open(&name, dir, "--follow", &trace)));
        tmux.wait_for(&name, "Theo chủ tọa");
        followers.push(trace);
    }
    // A screen on its own: no meeting on it while there is no agenda.
    let own_trace = dir.join("trace.rieng");
    pids.push((
        "on its own".to_string(),
        tmux.open("rieng", dir, "", &own_trace),
    ));
    tmux.wait_for("rieng", "Tổng hợp");
    let db = dir.join("council.db");
    let session = Store::open_existing(&db, council::io::system::host())
        .unwrap()
        .load_session()
        .unwrap()
        .unwrap();
    println!(
        "{} followers, a leader and a screen on its own on one session of {} units ({} items); \
         {} events of each kind",
        options.screens,
        session.units.len(),
        session.items.len(),
        options.events
    );

    let mut everyone = followers.clone();
    everyone.push(leader_trace.clone());
    everyone.push(own_trace.clone());
    let decided = decisions(&db, &everyone, 0..options.events);
    println!("{}", percentiles("decision visible, every screen", decided));
    let more = options.events..options.events * 3 / 2;
    let own_only = decisions(&db, std::slice::from_ref(&own_trace), more);
    println!(
        "{}",
        percentiles("decision visible, the screen on its own", own_only)
    );

    council(dir, &["agenda", "build", "--db", "council.db"]);
    tmux.wait_for("rieng", "Đang bàn");
    let moved = moves(&tmux, &leader_trace, &followers, options.events);
    println!("{}", percentiles("follower moved", moved));

    // Idle: the meeting's screens tick their clocks once a second; the screen on its own,
    // without an agenda again, only looks at the database.
    council(dir, &["agenda", "clear", "--db", "council.db"]);
    std::thread::sleep(Duration::from_secs(2));
    for (name, percent) in idle_cpu(&pids, options.idle_seconds) {
        println!(
            "idle CPU over {} s, {name}: {percent:.2} % of a core",
            options.idle_seconds
        );
    }
}
