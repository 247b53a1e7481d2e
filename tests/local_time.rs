//! Times are stored in UTC and shown in local time: `TZ` is honoured (a zone name or a POSIX
//! rule), files carry ISO 8601 with the offset, text output the local date and clock.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests stop at the first failure

mod common;

use common::{text, write_session};
use std::path::Path;
use std::process::{Command, Output};

fn council_in(zone: &str, dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_council"))
        .args(args)
        .current_dir(dir)
        .env("USER", "thư ký")
        .env("TZ", zone)
        // Witness files stay in the test's folder, never in the user's state folder.
        .env("XDG_STATE_HOME", dir.join(".state"))
        .output()
        .expect("the binary runs")
}

/// A finalised session with one decision and an export, made in Hanoi time.
fn session() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let folder = write_session(tmp.path());
    let dir = tmp.path();
    let zone = "Asia/Ho_Chi_Minh";
    assert!(
        council_in(zone, dir, &["import", folder.to_str().unwrap()])
            .status
            .success()
    );
    let decide = council_in(
        zone,
        dir,
        &[
            "decide",
            "--unit",
            "SNV",
            "--criterion",
            "1.2",
            "--score",
            "3",
            "--reason",
            "muộn",
        ],
    );
    assert!(decide.status.success(), "{}", text(&decide.stderr));
    let done = council_in(zone, dir, &["finalize", "--force", "--reason", "đủ"]);
    assert!(done.status.success(), "{}", text(&done.stderr));
    tmp
}

fn stored_decision_time(dir: &Path) -> String {
    let conn = rusqlite::Connection::open(dir.join("council.db")).unwrap();
    conn.query_row(
        // The decision, not the import before it: the two may fall in different seconds.
        "SELECT decided_at FROM decision_log WHERE action = 'decide'",
        [],
        |r| r.get(0),
    )
    .unwrap()
}

fn parse(text: &str) -> chrono::DateTime<chrono::FixedOffset> {
    chrono::DateTime::parse_from_rfc3339(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

#[test]
fn times_are_stored_in_utc() {
    let tmp = session();
    let stored = stored_decision_time(tmp.path());
    assert!(stored.ends_with('Z'), "{stored}");
}

#[test]
fn history_shows_local_time_in_the_zone_of_tz() {
    let tmp = session();
    let dir = tmp.path();
    let stored = parse(&stored_decision_time(dir));
    for (zone, hours) in [
        ("Asia/Ho_Chi_Minh", 7),
        ("UTC", 0),
        // POSIX: "UTC-7" is seven hours east of Greenwich.
        ("UTC-7", 7),
        ("<-03>3", -3),
    ] {
        if zone.contains('/') && !Path::new("/usr/share/zoneinfo").join(zone).exists() {
            continue; // no tz database on this machine; the POSIX forms still run
        }
        let offset = chrono::FixedOffset::east_opt(hours * 3600).unwrap();
        let local = stored.with_timezone(&offset);
        let csv = text(&council_in(zone, dir, &["history", "--format", "csv"]).stdout);
        let at = csv
            .lines()
            .find(|l| l.contains(",decide,"))
            .and_then(|l| l.split(',').nth(2))
            .unwrap_or_else(|| panic!("no decision in {csv}"))
            .to_string();
        assert_eq!(
            at,
            local.format("%Y-%m-%dT%H:%M:%S%:z").to_string(),
            "{zone}"
        );
        assert_eq!(
            parse(&at),
            stored.with_nanosecond0(),
            "{zone}: the same moment"
        );
        let shown = text(&council_in(zone, dir, &["history", "--unit", "SNV"]).stdout);
        let clock = local.format("%Y-%m-%d %H:%M").to_string();
        assert!(
            shown
                .lines()
                .any(|l| l.contains("quyết định") && l.contains(&clock)),
            "{zone}: {clock} not in\n{shown}"
        );
    }
}

trait Seconds {
    fn with_nanosecond0(self) -> Self;
}

impl Seconds for chrono::DateTime<chrono::FixedOffset> {
    fn with_nanosecond0(self) -> Self {
        use chrono::Timelike;
        self.with_nanosecond(0).unwrap()
    }
}

#[test]
fn exports_and_the_manifest_carry_local_time_with_its_offset() {
    let tmp = session();
    let dir = tmp.path();
    let stored = parse(&stored_decision_time(dir));
    let export = council_in("UTC-7", dir, &["export", "--out", "out"]);
    assert!(export.status.success(), "{}", text(&export.stderr));
    let results = std::fs::read_to_string(dir.join("out/results.csv")).unwrap();
    let hanoi = chrono::FixedOffset::east_opt(7 * 3600).unwrap();
    let expected = stored
        .with_timezone(&hanoi)
        .format("%Y-%m-%dT%H:%M:%S+07:00");
    assert!(results.contains(&expected.to_string()), "{results}");
    let manifest = std::fs::read_to_string(dir.join("out/manifest.json")).unwrap();
    let manifest: serde_json::Value = serde_json::from_str(&manifest).unwrap();
    let finalised = manifest["finalised_at"].as_str().unwrap();
    assert!(finalised.ends_with("+07:00"), "{finalised}");

    let utc = council_in("UTC", dir, &["export", "--out", "utc", "--format", "json"]);
    assert!(utc.status.success(), "{}", text(&utc.stderr));
    let results = std::fs::read_to_string(dir.join("utc/results.json")).unwrap();
    let expected = stored
        .with_timezone(&chrono::Utc)
        .format("%Y-%m-%dT%H:%M:%S+00:00");
    assert!(results.contains(&expected.to_string()), "{results}");
}

#[test]
fn sessions_that_stored_local_times_are_shown_and_ordered_by_their_moment() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = write_session(tmp.path());
    let dir = tmp.path();
    assert!(
        council_in("UTC", dir, &["import", folder.to_str().unwrap()])
            .status
            .success()
    );
    let decide = council_in(
        "UTC",
        dir,
        &[
            "decide",
            "--unit",
            "SNV",
            "--criterion",
            "1.2",
            "--score",
            "3",
            "--reason",
            "muộn",
        ],
    );
    assert!(decide.status.success());
    // An older build stored local time with its offset. Here the submission is an hour before
    // the decision, written at +14:00: its text sorts after the decision's UTC text.
    let decided = parse(&stored_decision_time(dir));
    let east = chrono::FixedOffset::east_opt(14 * 3600).unwrap();
    let old = (decided - chrono::Duration::hours(1))
        .with_timezone(&east)
        .to_rfc3339();
    assert!(old > stored_decision_time(dir));
    let conn = rusqlite::Connection::open(dir.join("council.db")).unwrap();
    conn.execute("UPDATE submissions SET imported_at = ?1", [&old])
        .unwrap();
    let shown = text(&council_in("UTC", dir, &["history", "--unit", "SNV"]).stdout);
    let item: Vec<&str> = shown
        .lines()
        .filter(|l| l.starts_with("SNV 1.2 "))
        .collect();
    assert!(item.last().unwrap().contains("quyết định"), "{shown}");
    let before = (decided - chrono::Duration::hours(1))
        .format("%Y-%m-%d %H:%M")
        .to_string();
    assert!(item[0].contains(&before), "{shown}");
}

#[test]
fn the_finalise_message_shows_local_time() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = write_session(tmp.path());
    let dir = tmp.path();
    assert!(
        council_in("UTC", dir, &["import", folder.to_str().unwrap()])
            .status
            .success()
    );
    let done = council_in("UTC-7", dir, &["finalize", "--force", "--reason", "đủ"]);
    let shown = text(&done.stdout);
    let now = chrono::Utc::now().with_timezone(&chrono::FixedOffset::east_opt(7 * 3600).unwrap());
    // "Đã chốt phiên họp lúc 2026-11-23 15:04 (…)": the local date and hour, not UTC's.
    assert!(
        shown.contains(&now.format(" %Y-%m-%d %H:").to_string())
            || shown.contains(
                &(now - chrono::Duration::minutes(1))
                    .format(" %Y-%m-%d %H:")
                    .to_string()
            ),
        "{shown}"
    );
    assert!(!shown.contains('Z') && !shown.contains('T'), "{shown}");
}
