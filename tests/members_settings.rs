//! Who may write (members list, OS login), the session's ranking settings, and copies of a
//! session (backup, checkpoint on close): through the real binary.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests stop at the first failure

mod common;

use common::{council, text, write_session};
use std::path::Path;

fn imported() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let folder = write_session(tmp.path());
    let out = council(tmp.path(), &["import", folder.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    tmp
}

fn run(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = council(dir, args);
    (out.status.code(), text(&out.stdout), text(&out.stderr))
}

fn login() -> String {
    council::io::system::account().login.clone()
}

const DECIDE: [&str; 6] = ["decide", "--unit", "XBH", "--criterion", "1.1", "--accept"];

#[test]
fn a_login_not_on_the_members_list_is_refused() {
    let tmp = imported();
    let (code, _, stderr) = run(
        tmp.path(),
        &[
            "members",
            "add",
            "chutoa",
            "--name",
            "Chủ tọa",
            "--role",
            "chair",
            "--lang",
            "en",
        ],
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr.contains("you can no longer write to this session"),
        "{stderr}"
    );
    let mut args = DECIDE.to_vec();
    args.extend(["--as", "Chủ tọa", "--lang", "en"]);
    let (code, _, stderr) = run(tmp.path(), &args);
    assert_eq!(code, Some(3), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "the login '{}' is not on this session's members list",
            login()
        )),
        "{stderr}"
    );
    // Nor may it import, configure or finalise, or change the list back.
    for args in [
        vec!["configure", "--dense"],
        vec!["finalize", "--force", "--reason", "x"],
        vec!["members", "remove", "chutoa"],
    ] {
        let (code, _, stderr) = run(tmp.path(), &args);
        assert_eq!(code, Some(3), "{args:?}: {stderr}");
    }
    let (code, stdout, _) = run(tmp.path(), &["members", "list", "--lang", "en"]);
    assert_eq!(code, Some(0));
    assert!(stdout.contains("chutoa") && stdout.contains("Chủ tọa") && stdout.contains("chair"));
    // The list and its changes are in the chain.
    let (code, _, stderr) = run(tmp.path(), &["verify"]);
    assert_eq!(code, Some(0), "{stderr}");
}

/// A session whose members list has a chair (another login) and this login in `role`, set
/// while this login was still the secretary.
fn with_me_as(role: &str) -> tempfile::TempDir {
    let tmp = imported();
    let me = login();
    for (login, name, role) in [
        (me.as_str(), "Nguyễn Văn A", "secretary"),
        ("chutoa", "Chủ tọa", "chair"),
        (me.as_str(), "Nguyễn Văn A", role),
    ] {
        let (code, _, stderr) = run(
            tmp.path(),
            &["members", "add", login, "--name", name, "--role", role],
        );
        assert_eq!(code, Some(0), "{stderr}");
    }
    tmp
}

#[test]
fn a_member_writes_under_their_own_name_and_role() {
    let tmp = with_me_as("member");
    let me = login();
    // --as may only name the member the login is.
    let mut args = DECIDE.to_vec();
    args.extend(["--as", "Chủ tọa", "--lang", "en"]);
    let (code, _, stderr) = run(tmp.path(), &args);
    assert_eq!(code, Some(3));
    assert!(stderr.contains("cannot write as 'Chủ tọa'"), "{stderr}");
    let (code, _, stderr) = run(tmp.path(), &DECIDE);
    assert_eq!(code, Some(0), "{stderr}");
    // A member decides but does not finalise, import, configure or change the list.
    let (code, _, stderr) = run(
        tmp.path(),
        &["finalize", "--force", "--reason", "x", "--lang", "en"],
    );
    assert_eq!(code, Some(3));
    assert!(
        stderr.contains("only the chair or the secretary"),
        "{stderr}"
    );
    for args in [
        vec!["configure", "--dense"],
        vec!["members", "remove", "chutoa"],
    ] {
        let (code, _, stderr) = run(tmp.path(), &args);
        assert_eq!(code, Some(3), "{args:?}: {stderr}");
    }
    // History and the export show the name and the login.
    let (_, history, _) = run(tmp.path(), &["history", "--unit", "XBH", "--format", "csv"]);
    assert!(
        history.contains(&format!("Nguyễn Văn A,{me},decide")),
        "{history}"
    );
    let (code, _, stderr) = run(tmp.path(), &["export", "--out", "out"]);
    assert_eq!(code, Some(0), "{stderr}");
    let results = std::fs::read_to_string(tmp.path().join("out/results.csv")).unwrap();
    assert!(
        results.contains(&format!("Nguyễn Văn A,{me},")),
        "{results}"
    );
    let (code, _, stderr) = run(tmp.path(), &["verify"]);
    assert_eq!(code, Some(0), "{stderr}");
}

#[test]
fn an_observer_follows_but_does_not_decide() {
    let tmp = with_me_as("observer");
    let (code, _, stderr) = run(tmp.path(), &[&DECIDE[..], &["--lang", "en"]].concat());
    assert_eq!(code, Some(3), "{stderr}");
    assert!(stderr.contains("it can follow but not decide"), "{stderr}");
    let (code, _, _) = run(tmp.path(), &["summary"]);
    assert_eq!(code, Some(0));
}

#[test]
fn the_chair_finalises() {
    let tmp = imported();
    let me = login();
    let (code, _, stderr) = run(
        tmp.path(),
        &[
            "members",
            "add",
            &me,
            "--name",
            "Chủ tọa",
            "--role",
            "chair",
        ],
    );
    assert_eq!(code, Some(0), "{stderr}");
    let (code, stdout, stderr) = run(
        tmp.path(),
        &[
            "finalize",
            "--force",
            "--reason",
            "Hội đồng thống nhất",
            "--lang",
            "en",
        ],
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains("Session finalised"), "{stdout}");
    let (_, history, _) = run(tmp.path(), &["history", "--format", "csv"]);
    assert!(
        history.contains(&format!("Chủ tọa,{me},finalise")),
        "{history}"
    );
}

#[test]
fn a_session_file_open_to_every_account_is_warned_about() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = imported();
    let db = tmp.path().join("council.db");
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o666)).unwrap();
    let (code, _, stderr) = run(tmp.path(), &[&DECIDE[..], &["--lang", "en"]].concat());
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr.contains("every account on this machine can write to it"),
        "{stderr}"
    );
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o660)).unwrap();
    let (_, _, stderr) = run(
        tmp.path(),
        &["decide", "--unit", "XBH", "--criterion", "1.2", "--accept"],
    );
    assert!(!stderr.contains("chmod"), "{stderr}");
}

#[test]
fn bands_must_descend() {
    let tmp = imported();
    for args in [
        vec!["configure", "--bands", "A=90,B=95"],
        vec!["summary", "--bands", "A=90,B=95"],
        vec!["export", "--bands", "A=90,B=90"],
    ] {
        let (code, _, stderr) = run(tmp.path(), &[&args[..], &["--lang", "en"]].concat());
        assert_eq!(code, Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("highest first"), "{stderr}");
    }
}

fn ranking_rows(dir: &Path, out: &str) -> Vec<Vec<String>> {
    let mut reader = csv::Reader::from_path(dir.join(out).join("ranking.csv")).unwrap();
    reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

#[test]
fn the_session_setting_ranks_and_bands_for_every_command() {
    let tmp = imported();
    // Tied appraised totals: STC and XBH both reach 11.5 of 15.5 after these decisions.
    let (code, stdout, stderr) = run(
        tmp.path(),
        &["configure", "--bands", "Đạt=75", "--dense", "--lang", "en"],
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stdout.contains("dense") && stdout.contains("Đạt=75"),
        "{stdout}"
    );
    let (code, _, stderr) = run(tmp.path(), &["export", "--out", "set"]);
    assert_eq!(code, Some(0), "{stderr}");
    let rows = ranking_rows(tmp.path(), "set");
    // rank is column 8, band column 10.
    let bands: Vec<&str> = rows.iter().map(|r| r[10].as_str()).collect();
    assert!(bands.contains(&"Đạt"), "{rows:?}");
    assert!(bands.contains(&"không xếp loại"), "{rows:?}");
    let (_, summary, _) = run(tmp.path(), &["summary"]);
    assert!(summary.contains("không xếp loại"), "{summary}");
    // A flag overrides the setting for that command only.
    let (code, _, _) = run(tmp.path(), &["export", "--out", "flag", "--bands", "A=0"]);
    assert_eq!(code, Some(0));
    let rows = ranking_rows(tmp.path(), "flag");
    assert!(rows.iter().all(|r| r[10] == "A"), "{rows:?}");
    let (_, summary, _) = run(tmp.path(), &["summary"]);
    assert!(summary.contains("Đạt"), "{summary}");
    // Back to the defaults.
    let (code, stdout, _) = run(
        tmp.path(),
        &[
            "configure",
            "--unset",
            "bands",
            "--unset",
            "rank_mode",
            "--lang",
            "en",
        ],
    );
    assert_eq!(code, Some(0));
    assert!(stdout.contains("A=90,B=80,C=70,D=0") && stdout.contains("competition"));
    let (code, _, stderr) = run(tmp.path(), &["configure", "--unset", "colour"]);
    assert_eq!(code, Some(3), "{stderr}");
    let (code, _, stderr) = run(tmp.path(), &["verify"]);
    assert_eq!(code, Some(0), "{stderr}");
}

#[test]
fn dense_ranking_from_the_setting_matches_the_flag() {
    let tmp = imported();
    // SNV and XBH tie at 15 of 15,5; STC is third (competition) or second (dense).
    let (code, _, _) = run(
        tmp.path(),
        &["decide", "--unit", "SNV", "--criterion", "1.2", "--accept"],
    );
    assert_eq!(code, Some(0));
    let (code, _, _) = run(tmp.path(), &["export", "--out", "flag", "--dense"]);
    assert_eq!(code, Some(0));
    let (code, _, _) = run(tmp.path(), &["configure", "--dense"]);
    assert_eq!(code, Some(0));
    let (code, _, _) = run(tmp.path(), &["export", "--out", "setting"]);
    assert_eq!(code, Some(0));
    assert_eq!(
        ranking_rows(tmp.path(), "flag"),
        ranking_rows(tmp.path(), "setting")
    );
    let (code, _, _) = run(
        tmp.path(),
        &["export", "--out", "competition", "--competition"],
    );
    assert_eq!(code, Some(0));
    let rank_of_stc = |out: &str| {
        ranking_rows(tmp.path(), out)
            .into_iter()
            .find(|r| r[0] == "STC")
            .map(|r| r[8].clone())
            .unwrap()
    };
    assert_eq!(rank_of_stc("setting"), "2");
    assert_eq!(rank_of_stc("competition"), "3");
}

/// Decisions of `count` processes while another connection keeps the session open, as a
/// screen does.
fn decide_with_a_screen_open(dir: &Path, count: usize) -> rusqlite::Connection {
    let screen = rusqlite::Connection::open(dir.join("council.db")).unwrap();
    screen
        .query_row("SELECT count(*) FROM meta", [], |r| r.get::<_, i64>(0))
        .unwrap();
    let items = [
        ("SNV", "1.1"),
        ("SNV", "2.1"),
        ("STC", "1.2"),
        ("STC", "2.1"),
        ("XBH", "1.1"),
        ("XBH", "1.2"),
        ("XBH", "2.1"),
    ];
    for (unit, criterion) in items.iter().take(count) {
        let (code, _, stderr) = run(
            dir,
            &[
                "decide",
                "--unit",
                unit,
                "--criterion",
                criterion,
                "--accept",
            ],
        );
        assert_eq!(code, Some(0), "{stderr}");
    }
    screen
}

fn decisions_in(db: &Path) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row(
        "SELECT count(*) FROM decision_log WHERE action = 'decide'",
        [],
        |r| r.get(0),
    )
    .unwrap()
}

#[test]
fn a_plain_copy_taken_while_a_screen_is_open_holds_every_decision() {
    let tmp = imported();
    let screen = decide_with_a_screen_open(tmp.path(), 7);
    // The database file alone, as `cp council.db` copies it (no -wal beside the copy).
    let copy = tmp.path().join("copy");
    std::fs::create_dir(&copy).unwrap();
    std::fs::copy(tmp.path().join("council.db"), copy.join("council.db")).unwrap();
    assert_eq!(decisions_in(&copy.join("council.db")), 7);
    drop(screen);
}

#[test]
fn a_backup_is_whole_and_the_same_session() {
    let tmp = imported();
    let screen = decide_with_a_screen_open(tmp.path(), 5);
    // A screen in the middle of reading: the backup still completes.
    screen
        .execute_batch("BEGIN; SELECT count(*) FROM decision_log;")
        .unwrap();
    let (code, stdout, stderr) = run(tmp.path(), &["backup", "--out", "kept.db", "--lang", "en"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stdout.contains("Backed up to kept.db (6 log entries"),
        "{stdout}"
    );
    let kept = tmp.path().join("kept.db");
    assert_eq!(decisions_in(&kept), 5);
    assert!(!Path::new(&format!("{}-wal", kept.display())).exists());
    let (code, stdout, stderr) = run(tmp.path(), &["verify", "--db", "kept.db", "--lang", "en"]);
    assert_eq!(code, Some(0), "{stderr}");
    let id = |db: &Path| -> String {
        rusqlite::Connection::open(db)
            .unwrap()
            .query_row("SELECT value FROM meta WHERE key = 'session_id'", [], |r| {
                r.get(0)
            })
            .unwrap()
    };
    assert_eq!(id(&kept), id(&tmp.path().join("council.db")));
    assert!(stdout.contains(&id(&kept)), "{stdout}");
    // An existing file is only replaced with --force.
    let (code, _, _) = run(tmp.path(), &["backup", "--out", "kept.db"]);
    assert_eq!(code, Some(3));
    let (code, _, _) = run(tmp.path(), &["backup", "--out", "kept.db", "--force"]);
    assert_eq!(code, Some(0));
    screen.execute_batch("COMMIT").unwrap();
}

#[test]
fn every_session_gets_its_own_id() {
    let (a, b) = (imported(), imported());
    let id = |dir: &Path| {
        let (_, stdout, _) = run(dir, &["verify", "--lang", "en"]);
        stdout
            .split("session id ")
            .nth(1)
            .and_then(|s| s.split(';').next())
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(id(a.path()).len(), 32);
    assert_ne!(id(a.path()), id(b.path()));
}
