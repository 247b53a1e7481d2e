//! Crash harness: `council` processes are killed with SIGKILL at random moments while they write.
//! Afterwards the database must pass `PRAGMA integrity_check`, hold every acknowledged decision
//! exactly once, keep its hash chain and derived state intact, and an import must be all or
//! nothing.
//!
//! Short form (CI): 60 decide kills and 6 import kills. Long form:
//! `COUNCIL_CRASH_ROUNDS=2000 COUNCIL_CRASH_IMPORT_ROUNDS=100 cargo test --release --test crash_kill -- --nocapture`
//! (or `scripts/crash-harness.sh`). Replay a run with the printed `COUNCIL_CRASH_SEED=…`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests stop at the first failure

#[path = "malformed_extra/support.rs"]
mod support;

use rusqlite::Connection;
use std::collections::HashMap;
use std::os::unix::process::ExitStatusExt;
use std::process::Stdio;
use std::time::{Duration, Instant};
use support::*;

fn rounds(var: &str, short: usize) -> usize {
    std::env::var(var)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(short)
}

/// How one killed-at-random process ended.
enum Ending {
    /// Exited 0 and printed its confirmation line: the decision is acknowledged.
    Acknowledged,
    /// Died of the SIGKILL.
    Killed,
    /// Exited on its own with an error: never expected here.
    Failed(String),
}

/// Spawns `args`, sleeps `delay`, sends SIGKILL (a no-op if it has already exited) and reports
/// how the process ended and what it printed.
fn run_and_kill(args: &[&str], delay: Duration) -> (Option<i32>, Option<i32>, String, String) {
    let mut child = council_command(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    // The random delay is the point of the test: it picks the moment of the crash.
    std::thread::sleep(delay);
    let _ = child.kill();
    let output = child.wait_with_output().unwrap();
    (
        output.status.code(),
        output.status.signal(),
        text(&output.stdout),
        text(&output.stderr),
    )
}

const CALIBRATION_RUNS: usize = 3;

const DECIDE_SHAPE: Shape = Shape {
    fields: 3,
    leaves_per_field: 4,
    units: 4,
    evidence: false,
    self_score: "2",
};

#[test]
fn killed_decide_processes_lose_no_acknowledged_decision() {
    let rounds = rounds("COUNCIL_CRASH_ROUNDS", 60);
    let mut rng = Rng::from_env("COUNCIL_CRASH_SEED");
    let tmp = tempfile::tempdir().unwrap();
    let folder = write_session(tmp.path(), "session", DECIDE_SHAPE);
    let db = tmp.path().join("council.db");
    import_ok(&folder, &db);
    let db_arg = db.to_str().unwrap().to_string();

    let items: Vec<(String, String)> = DECIDE_SHAPE
        .unit_codes()
        .into_iter()
        .flat_map(|u| {
            DECIDE_SHAPE
                .leaves()
                .into_iter()
                .map(move |l| (u.clone(), l))
        })
        .collect();
    let scores = ["0", "0,5", "1", "1.5"];
    let decide_args = |n: usize| -> Vec<String> {
        let (unit, leaf) = &items[n % items.len()];
        [
            "decide",
            "--db",
            &db_arg,
            "--unit",
            unit,
            "--criterion",
            leaf,
            "--score",
            scores[n % scores.len()],
            "--reason",
            &format!("kill-test #{n}"),
            "--by",
            "crash harness",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    };
    let confirmation = |n: usize| {
        let (unit, leaf) = &items[n % items.len()];
        format!("{unit} {leaf} → ")
    };

    // Undisturbed runs tell how long a decide takes here; kills land within 1.5 × the median
    // (not the first run alone: a cold start would stretch the window past most processes).
    let mut acknowledged: Vec<String> = Vec::new();
    let mut durations = Vec::new();
    for n in 0..CALIBRATION_RUNS {
        let started = Instant::now();
        let calibration = decide_args(n);
        let out = council(&calibration.iter().map(String::as_str).collect::<Vec<_>>());
        durations.push(started.elapsed().as_micros() as u64);
        assert!(out.status.success(), "{}", text(&out.stderr));
        assert!(text(&out.stdout).contains(&confirmation(n)));
        acknowledged.push(format!("kill-test #{n}"));
    }
    durations.sort_unstable();
    let window_us = (durations[CALIBRATION_RUNS / 2] * 3 / 2).max(2_000);

    let (mut killed, mut exited_first) = (0usize, 0usize);
    let mut failures = Vec::new();
    let run_started = Instant::now();
    for n in CALIBRATION_RUNS..CALIBRATION_RUNS + rounds {
        let args = decide_args(n);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let delay = Duration::from_micros(rng.below(window_us));
        let (code, signal, stdout, stderr) = run_and_kill(&args, delay);
        let ending = match (code, signal) {
            (Some(0), _) if stdout.contains(&confirmation(n)) => Ending::Acknowledged,
            (_, Some(9)) => Ending::Killed,
            _ => Ending::Failed(format!(
                "#{n}: exit {code:?} signal {signal:?}\nstdout: {stdout}\nstderr: {stderr}"
            )),
        };
        match ending {
            Ending::Acknowledged => {
                exited_first += 1;
                acknowledged.push(format!("kill-test #{n}"));
            }
            Ending::Killed => killed += 1,
            Ending::Failed(message) => failures.push(message),
        }
    }
    let elapsed = run_started.elapsed();

    let conn = Connection::open(&db).unwrap();
    assert_eq!(integrity(&conn), "ok");
    let mut found: HashMap<String, i64> = HashMap::new();
    let mut statement = conn
        .prepare(
            "SELECT reason, count(*) FROM decision_log WHERE reason LIKE 'kill-test #%' GROUP BY reason",
        )
        .unwrap();
    for row in statement
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))
        .unwrap()
    {
        let (reason, count) = row.unwrap();
        found.insert(reason, count);
    }
    let lost: Vec<&String> = acknowledged
        .iter()
        .filter(|r| !found.contains_key(*r))
        .collect();
    let doubled: Vec<(&String, &i64)> = found.iter().filter(|(_, c)| **c > 1).collect();
    let chain = verify_chain(&conn);
    let mismatches = state_mismatches(&conn);
    println!(
        "crash harness (decide): {rounds} processes in {:.1} s, kill window {} µs: \
         {killed} killed by SIGKILL, {exited_first} finished first; \
         acknowledged {}, found in decision_log {}, lost {}, doubled {}, \
         chain {:?}, integrity ok",
        elapsed.as_secs_f64(),
        window_us,
        acknowledged.len(),
        found.len(),
        lost.len(),
        doubled.len(),
        chain,
    );
    assert!(
        failures.is_empty(),
        "processes failed on their own:\n{}",
        failures.join("\n")
    );
    assert!(lost.is_empty(), "acknowledged but lost: {lost:?}");
    assert!(doubled.is_empty(), "recorded twice: {doubled:?}");
    assert!(found.len() >= acknowledged.len() && found.len() <= rounds + CALIBRATION_RUNS);
    // Nothing but the import and these decisions was recorded, so the chain holds exactly
    // the rows found, after the import.
    assert_eq!(chain, Ok(found.values().sum::<i64>() as usize + 1));
    assert!(mismatches.is_empty(), "{mismatches:?}");
    // Both kinds of ending must occur, or the timings did not test anything.
    assert!(killed > 0, "no process was killed mid-way");
    assert!(exited_first > 0, "no process finished before its kill");
    drop(statement);
    drop(conn);

    // The tool itself still opens the database, reads it and finds nothing amiss.
    let summary = council(&["summary", "--db", &db_arg]);
    assert!(summary.status.success(), "{}", text(&summary.stderr));
    let (code, said) = tool_verify(&db);
    assert_eq!(code, Some(0), "{said}");
}

const IMPORT_BASE: Shape = Shape {
    fields: 6,
    leaves_per_field: 10,
    units: 5,
    evidence: false,
    self_score: "2",
};

const IMPORT_BIG: Shape = Shape {
    units: 200,
    evidence: true,
    self_score: "1,5",
    ..IMPORT_BASE
};

#[test]
fn a_killed_import_is_all_or_nothing() {
    let rounds = rounds("COUNCIL_CRASH_IMPORT_ROUNDS", 6);
    let mut rng = Rng::from_env("COUNCIL_CRASH_IMPORT_SEED");
    let tmp = tempfile::tempdir().unwrap();
    let base_folder = write_session(tmp.path(), "base", IMPORT_BASE);
    // Same criteria; the first five units change their self-scores (new submission versions),
    // 195 units are new, every item gets a note and an evidence row.
    let big_folder = write_session(tmp.path(), "big", IMPORT_BIG);
    let base_db = tmp.path().join("base.db");
    import_ok(&base_folder, &base_db);
    checkpoint(&base_db);
    let counts = |db: &std::path::Path| {
        let conn = Connection::open(db).unwrap();
        let ok = integrity(&conn);
        (ok, import_counts(&conn))
    };
    let (_, before) = counts(&base_db);

    // An undisturbed import gives the "after" state and the time it takes.
    let full_db = tmp.path().join("full.db");
    std::fs::copy(&base_db, &full_db).unwrap();
    let started = Instant::now();
    import_ok(&big_folder, &full_db);
    let window_us = started.elapsed().as_micros() as u64;
    let (_, after) = counts(&full_db);
    assert_ne!(before, after);

    let (mut none, mut all, mut killed) = (0usize, 0usize, 0usize);
    for round in 0..rounds {
        let db = tmp.path().join(format!("round{round}.db"));
        std::fs::copy(&base_db, &db).unwrap();
        // Half the kills aim at the last part of the run, where the transaction writes.
        let delay = if round % 2 == 0 {
            rng.below(window_us * 6 / 5)
        } else {
            window_us / 2 + rng.below(window_us * 3 / 5)
        };
        let (code, signal, _, stderr) = run_and_kill(
            &[
                "import",
                big_folder.to_str().unwrap(),
                "--db",
                db.to_str().unwrap(),
            ],
            Duration::from_micros(delay),
        );
        match (code, signal) {
            (Some(0), _) => {}
            (_, Some(9)) => killed += 1,
            _ => panic!("import failed on its own: {code:?} {signal:?} {stderr}"),
        }
        let (ok, now) = counts(&db);
        assert_eq!(ok, "ok", "round {round}: integrity");
        // Either way the import's chain entry went in with it, or not at all.
        let (code, said) = tool_verify(&db);
        assert_eq!(code, Some(0), "round {round}: {said}");
        if now == before {
            none += 1;
        } else if now == after {
            all += 1;
        } else {
            panic!("round {round}: half an import: {now:?}\nbefore {before:?}\nafter {after:?}");
        }
    }
    println!(
        "crash harness (import of {} self-scores): {rounds} runs, {killed} killed by SIGKILL, \
         kill window {window_us} µs; database as before: {none}, fully imported: {all}, \
         anything else: 0",
        IMPORT_BIG.units * IMPORT_BIG.leaves().len()
    );
    assert!(killed > 0, "no import was killed mid-way");
}
