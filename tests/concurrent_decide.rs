//! Several reviewers on one session: concurrent `council decide` processes on the same database.
//! Six writers decide disjoint items, two more race for the same items. Nothing may be lost or
//! doubled, the hash chain must stay intact, and no one may see "database is locked".
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests stop at the first failure

#[path = "malformed_extra/support.rs"]
mod support;

use rusqlite::Connection;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Barrier};
use std::time::Instant;
use support::*;

const SHAPE: Shape = Shape {
    fields: 3,
    leaves_per_field: 4,
    units: 7,
    evidence: false,
    self_score: "2",
};
const WRITERS: usize = 6;
/// The racers both decide every item of this unit, in the same order.
const RACED_UNIT: &str = "U7";

/// What one command did.
struct Outcome {
    writer: String,
    item: String,
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Decides every leaf of `unit` in order. `lockstep`: a barrier shared with a rival, met before
/// each command so that both hit the same item at the same moment.
fn decide_all(
    db: &str,
    writer: &str,
    unit: &str,
    score: &str,
    start: &Barrier,
    lockstep: Option<&Barrier>,
) -> Vec<Outcome> {
    start.wait();
    SHAPE
        .leaves()
        .iter()
        .map(|leaf| {
            if let Some(rival) = lockstep {
                rival.wait();
            }
            let reason = format!("{writer} on {unit} {leaf}");
            let out = council(&[
                "decide",
                "--db",
                db,
                "--unit",
                unit,
                "--criterion",
                leaf,
                "--score",
                score,
                "--reason",
                &reason,
                "--by",
                writer,
            ]);
            Outcome {
                writer: writer.to_string(),
                item: format!("{unit} {leaf}"),
                code: out.status.code(),
                stdout: text(&out.stdout),
                stderr: text(&out.stderr),
            }
        })
        .collect()
}

#[test]
fn concurrent_reviewers_lose_nothing_and_never_see_a_lock() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = write_session(tmp.path(), "session", SHAPE);
    let db = tmp.path().join("council.db");
    import_ok(&folder, &db);
    let db_arg = db.to_str().unwrap().to_string();

    let start = Arc::new(Barrier::new(WRITERS + 2));
    let mut threads = Vec::new();
    for k in 1..=WRITERS {
        let (db, start) = (db_arg.clone(), start.clone());
        threads.push(std::thread::spawn(move || {
            decide_all(
                &db,
                &format!("reviewer {k}"),
                &format!("U{k}"),
                "1",
                &start,
                None,
            )
        }));
    }
    let lockstep = Arc::new(Barrier::new(2));
    for (racer, score) in [("racer A", "0,5"), ("racer B", "1,5")] {
        let (db, start, lockstep) = (db_arg.clone(), start.clone(), lockstep.clone());
        threads.push(std::thread::spawn(move || {
            decide_all(&db, racer, RACED_UNIT, score, &start, Some(&lockstep))
        }));
    }
    let started = Instant::now();
    let outcomes: Vec<Outcome> = threads
        .into_iter()
        .flat_map(|t| t.join().unwrap())
        .collect();
    let elapsed = started.elapsed();

    let succeeded: Vec<&Outcome> = outcomes
        .iter()
        .filter(|o| o.code == Some(0) && o.stdout.contains(&format!("{} → ", o.item)))
        .collect();
    let failed: Vec<&Outcome> = outcomes
        .iter()
        .filter(|o| !(o.code == Some(0) && o.stdout.contains(&format!("{} → ", o.item))))
        .collect();
    let describe = |o: &&Outcome| format!("{} {}: {:?} {}", o.writer, o.item, o.code, o.stderr);
    let locked: Vec<String> = outcomes
        .iter()
        .filter(|o| o.stderr.contains("locked") || o.stderr.contains("busy"))
        .map(|o| describe(&o))
        .collect();
    // A racer may be told that the other one changed the item meanwhile (exit 3, no overwrite);
    // the disjoint writers must all succeed.
    let writer_failures: Vec<String> = failed
        .iter()
        .filter(|o| o.writer.starts_with("reviewer"))
        .map(describe)
        .collect();
    let racer_other_failures: Vec<String> = failed
        .iter()
        .filter(|o| {
            o.writer.starts_with("racer")
                && !(o.code == Some(3) && o.stderr.contains("was changed by"))
        })
        .map(describe)
        .collect();

    let conn = Connection::open(&db).unwrap();
    assert_eq!(integrity(&conn), "ok");
    let rows = decision_entries(&conn);
    let chain = verify_chain(&conn);
    let raced_items_decided: i64 = conn
        .query_row(
            "SELECT count(DISTINCT criterion_code) FROM decision_log WHERE unit_code = ?1",
            [RACED_UNIT],
            |r| r.get(0),
        )
        .unwrap();
    let racer_successes = succeeded
        .iter()
        .filter(|o| o.writer.starts_with("racer"))
        .count();
    println!(
        "concurrent decide: {} processes ({WRITERS} writers on disjoint items, 2 racers on the \
         same {} items) in {:.1} s: {} succeeded ({racer_successes} of them racers'), \
         {} refused as stale, decision_log rows {rows}, chain {chain:?}, \
         'database is locked' {}",
        outcomes.len(),
        SHAPE.leaves().len(),
        elapsed.as_secs_f64(),
        succeeded.len(),
        failed.len(),
        locked.len(),
    );
    for o in &failed {
        println!("  refused: {}", describe(o).trim());
    }
    assert!(locked.is_empty(), "busy timeout did not help: {locked:?}");
    assert!(writer_failures.is_empty(), "{writer_failures:?}");
    assert!(racer_other_failures.is_empty(), "{racer_other_failures:?}");
    assert_eq!(
        rows,
        succeeded.len(),
        "decision entries must equal successful commands"
    );
    // The chain: the import, then the decisions.
    assert_eq!(chain, Ok(succeeded.len() + 1));
    let (code, said) = tool_verify(&db);
    assert_eq!(code, Some(0), "{said}");
    assert_eq!(state_mismatches(&conn), Vec::<String>::new());
    assert_eq!(raced_items_decided as usize, SHAPE.leaves().len());
    // Every successful command's decision is in the log under its own name, once.
    for o in &succeeded {
        let reason = format!("{} on {}", o.writer, o.item);
        let count: i64 = conn
            .query_row(
                "SELECT count(*) FROM decision_log WHERE reason = ?1 AND decided_by = ?2",
                [&reason, &o.writer],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(count, 1, "{reason}");
    }
}

#[test]
fn a_re_import_while_reviewers_decide_loses_no_decision() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = write_session(tmp.path(), "session", SHAPE);
    let db = tmp.path().join("council.db");
    import_ok(&folder, &db);
    // The same session with 300 more units, notes and evidence: a long write transaction.
    let bigger = write_session(
        tmp.path(),
        "bigger",
        Shape {
            units: 300,
            evidence: true,
            ..SHAPE
        },
    );
    let db_arg = db.to_str().unwrap().to_string();
    let start = Arc::new(Barrier::new(4));
    let import_done = Arc::new(AtomicBool::new(false));
    let mut deciders = Vec::new();
    for k in 1..=3 {
        let (db, start, done) = (db_arg.clone(), start.clone(), import_done.clone());
        deciders.push(std::thread::spawn(move || {
            start.wait();
            let mut outcomes = Vec::new();
            // Keep deciding until the import is over, so the two surely overlap.
            for round in 0.. {
                if round > 0 && done.load(Ordering::SeqCst) {
                    break;
                }
                let writer = format!("reviewer {k} round {round}");
                let unit = format!("U{k}");
                let solo = Barrier::new(1);
                outcomes.extend(decide_all(&db, &writer, &unit, "1", &solo, None));
            }
            outcomes
        }));
    }
    start.wait();
    let started = Instant::now();
    let import = council(&["import", bigger.to_str().unwrap(), "--db", &db_arg]);
    let import_seconds = started.elapsed().as_secs_f64();
    import_done.store(true, Ordering::SeqCst);
    let outcomes: Vec<Outcome> = deciders
        .into_iter()
        .flat_map(|t| t.join().unwrap())
        .collect();
    let failures: Vec<String> = outcomes
        .iter()
        .filter(|o| o.code != Some(0))
        .map(|o| format!("{} {}: {:?} {}", o.writer, o.item, o.code, o.stderr))
        .collect();
    println!(
        "re-import during decisions: import {:?} in {import_seconds:.1} s, {} decisions, {} failed",
        import.status.code(),
        outcomes.len(),
        failures.len()
    );
    assert!(import.status.success(), "{}", text(&import.stderr));
    assert!(failures.is_empty(), "{failures:?}");
    let conn = Connection::open(&db).unwrap();
    assert_eq!(integrity(&conn), "ok");
    // The chain: two imports and the decisions.
    assert_eq!(verify_chain(&conn), Ok(outcomes.len() + 2));
    assert_eq!(decision_entries(&conn), outcomes.len());
    assert_eq!(state_mismatches(&conn), Vec::<String>::new());
    let (code, said) = tool_verify(&db);
    assert_eq!(code, Some(0), "{said}");
    for o in &outcomes {
        let reason = format!("{} on {}", o.writer, o.item);
        let count: i64 = conn
            .query_row(
                "SELECT count(*) FROM decision_log WHERE reason = ?1",
                [&reason],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(count, 1, "{reason}");
    }
    let units: i64 = conn
        .query_row("SELECT count(*) FROM units", [], |r| r.get(0))
        .unwrap();
    assert_eq!(units, 300);
}
