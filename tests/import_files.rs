//! What the importer reads and what it refuses: only regular files, under the size cap, in
//! bounded memory; folders with nothing to import; evidence rows that repeat; resubmissions
//! that leave items out; `council check --db`; unit codes that only look different.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests stop at the first failure

mod common;

use common::{council, text, write_session};
use council::io::import::{ImportOptions, MAX_FILE_BYTES, read_session, read_session_dir};
use std::fs;
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

/// Reads the folder on another thread so that a read that blocks (a FIFO) fails the test
/// instead of hanging it.
fn read_with_deadline(dir: &Path) -> Result<Vec<String>, Vec<String>> {
    let (send, receive) = mpsc::channel();
    let dir = dir.to_path_buf();
    std::thread::spawn(move || {
        let result = read_session_dir(&dir, None);
        let _ = send.send(result.map(|i| w(&i.warnings)).map_err(|e| w(&e)));
    });
    receive
        .recv_timeout(Duration::from_secs(60))
        .expect("the import returned")
}

fn w(messages: &[council::io::InputError]) -> Vec<String> {
    messages.iter().map(ToString::to_string).collect()
}

fn one_starting(messages: &[String], start: &str, contains: &str) {
    assert!(
        messages
            .iter()
            .any(|m| m.contains(start) && m.contains(contains)),
        "no message at {start} with {contains:?}: {messages:#?}"
    );
}

#[test]
fn a_fifo_is_refused_at_once_with_its_name() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = write_session(tmp.path());
    let fifo = folder.join("proposals.csv");
    fs::remove_file(&fifo).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let errors = read_with_deadline(&folder).unwrap_err();
    one_starting(&errors, "proposals.csv: ", "FIFO");
}

#[test]
fn devices_and_links_to_them_are_refused() {
    for device in ["/dev/zero", "/dev/urandom"] {
        let tmp = tempfile::tempdir().unwrap();
        let folder = write_session(tmp.path());
        fs::remove_file(folder.join("evidence.csv")).unwrap();
        std::os::unix::fs::symlink(device, folder.join("evidence.csv")).unwrap();
        let errors = read_with_deadline(&folder).unwrap_err();
        one_starting(&errors, "evidence.csv: ", "a device, not a regular file");
    }
}

#[test]
fn a_dangling_link_says_where_it_points() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = write_session(tmp.path());
    fs::remove_file(folder.join("evidence.csv")).unwrap();
    std::os::unix::fs::symlink("/nowhere/evidence.csv", folder.join("evidence.csv")).unwrap();
    let errors = read_with_deadline(&folder).unwrap_err();
    one_starting(&errors, "evidence.csv: ", "/nowhere/evidence.csv");
}

#[test]
fn a_file_over_the_cap_is_refused_before_it_is_read() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = write_session(tmp.path());
    // Sparse: no disk space is used, and nothing would be read before the refusal.
    let file = fs::OpenOptions::new()
        .write(true)
        .open(folder.join("evidence.csv"))
        .unwrap();
    file.set_len(MAX_FILE_BYTES + 1).unwrap();
    let started = std::time::Instant::now();
    let errors = read_with_deadline(&folder).unwrap_err();
    one_starting(&errors, "evidence.csv: ", "over 2 GiB");
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[test]
fn a_large_file_is_read_in_bounded_memory() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = write_session(tmp.path());
    // 1.9 GB under a 1 GiB address-space limit: reading it whole would fail to allocate.
    let file = fs::OpenOptions::new()
        .write(true)
        .open(folder.join("evidence.csv"))
        .unwrap();
    file.set_len(MAX_FILE_BYTES - (100 << 20)).unwrap();
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg("ulimit -v 1048576; exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_council"))
        .args(["check", folder.to_str().unwrap(), "--lang", "en"])
        .output()
        .unwrap();
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    // The zeros run on past the cap of one row, after the three real lines.
    assert!(
        stderr.contains("evidence.csv:4: ") && stderr.contains("128 MiB"),
        "{stderr}"
    );
}

#[test]
fn evidence_with_the_same_number_is_kept_when_title_or_location_differs() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = write_session(tmp.path());
    fs::write(
        folder.join("evidence.csv"),
        "unit_code,criterion_code,ref,title,location\n\
         SNV,1.1,280/QĐ-UBND,Quyết định của UBND xã A,a.pdf\n\
         SNV,1.1,280/QĐ-UBND,Quyết định của UBND xã B,b.pdf\n\
         SNV,1.1,280/QĐ-UBND,Quyết định của UBND xã A,a2024.pdf\n\
         SNV,1.1,280/QĐ-UBND,Quyết định của UBND xã A,a.pdf\n",
    )
    .unwrap();
    let imported = read_session_dir(&folder, None).expect("never refused for a repeat");
    let (_, rows) = &imported.batch.submissions[0];
    let evidence = rows[0].evidence.as_ref().unwrap();
    let locations: Vec<&str> = evidence.iter().map(|e| e.location.as_str()).collect();
    assert_eq!(locations, ["a.pdf", "b.pdf", "a2024.pdf"]);
    one_starting(
        &w(&imported.warnings),
        "evidence.csv:5:3: ",
        "already on line 2",
    );
}

#[test]
fn fifty_thousand_unknown_columns_give_one_short_warning() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = write_session(tmp.path());
    let extra: Vec<String> = (0..50_000).map(|i| format!("x{i}")).collect();
    let filler = vec![""; 50_000].join(",");
    fs::write(
        folder.join("units.csv"),
        format!(
            "unit_code,unit_name,{}\nSNV,Sở Nội vụ,{filler}\nSTC,Sở Tài chính,{filler}\nXBH,Xã Bảo Hà,{filler}\n",
            extra.join(",")
        ),
    )
    .unwrap();
    let imported = read_session_dir(&folder, None).unwrap();
    let about_columns: Vec<&council::io::InputError> = imported
        .warnings
        .iter()
        .filter(|w| w.file.ends_with("units.csv"))
        .collect();
    assert_eq!(about_columns.len(), 1, "{about_columns:#?}");
    let message = &about_columns[0].message();
    assert!(message.len() < 500, "{} bytes", message.len());
    assert!(
        message.contains("'x0'") && message.contains("49990 more"),
        "{message}"
    );
}

#[test]
fn the_error_count_is_the_total() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = write_session(tmp.path());
    let mut rows = String::from("unit_code,criterion_code,self_score\n");
    for i in 0..250 {
        rows.push_str(&format!("U{i},1.1,1\n"));
    }
    fs::write(folder.join("self_scores.csv"), rows).unwrap();
    let refused = read_session(&folder, None, ImportOptions::default()).unwrap_err();
    assert_eq!(refused.count, 250);
    assert_eq!(refused.errors.len(), 201);
    let out = council(
        tmp.path(),
        &["import", folder.to_str().unwrap(), "--lang", "en"],
    );
    let stderr = text(&out.stderr);
    assert!(stderr.contains("… 50 more errors"), "{stderr}");
    assert!(
        stderr.contains("250 error(s); the database is unchanged"),
        "{stderr}"
    );
}

/// Imports the common session into `dir/council.db`.
fn imported_session(dir: &Path) -> std::path::PathBuf {
    let folder = write_session(dir);
    let out = council(dir, &["import", folder.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    dir.join("council.db")
}

/// A second folder beside the session, holding `files`.
fn round2(dir: &Path, files: &[(&str, &str)]) -> std::path::PathBuf {
    let round2 = dir.join("round2");
    fs::create_dir_all(&round2).unwrap();
    for (name, content) in files {
        fs::write(round2.join(name), content).unwrap();
    }
    round2
}

/// `council COMMAND FOLDER --db DB --lang en`.
fn against(dir: &Path, command: &str, folder: &Path, db: &Path) -> std::process::Output {
    let (folder, db) = (folder.to_str().unwrap(), db.to_str().unwrap());
    council(dir, &[command, folder, "--db", db, "--lang", "en"])
}

#[test]
fn a_resubmission_that_leaves_items_out_names_what_is_carried_forward() {
    let tmp = tempfile::tempdir().unwrap();
    let db = imported_session(tmp.path());
    let scores = "unit_code,criterion_code,self_score\nSNV,1.2,4\n";
    let round2 = round2(tmp.path(), &[("self_scores.csv", scores)]);
    let out = against(tmp.path(), "import", &round2, &db);
    let stderr = text(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains(
            "unit SNV: 2 items not in this file keep the score, note and evidence of its \
             previous version: 1.1, 2.1"
        ),
        "{stderr}"
    );
}

#[test]
fn check_with_a_database_validates_a_resubmission_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let db = imported_session(tmp.path());
    drop(rusqlite::Connection::open(&db).unwrap());
    let before = fs::read(&db).unwrap();
    let bad_scores = "unit_code,criterion_code,self_score\nSNV,1.2,4\nSTC,1.1,x\n";
    let folder = round2(tmp.path(), &[("self_scores.csv", bad_scores)]);
    let bad = against(tmp.path(), "check", &folder, &db);
    assert_eq!(bad.status.code(), Some(3));
    let stderr = text(&bad.stderr);
    assert!(stderr.contains("self_scores.csv:3:3"), "{stderr}");
    let good_scores = "unit_code,criterion_code,self_score\nSNV,1.2,4\n";
    let folder = round2(tmp.path(), &[("self_scores.csv", good_scores)]);
    let good = against(tmp.path(), "check", &folder, &db);
    assert!(good.status.success(), "{}", text(&good.stderr));
    let stdout = text(&good.stdout);
    assert!(stdout.starts_with("Valid"), "{stdout}");
    // Alone, the folder is not a session: it has no criteria or units.
    let alone = council(tmp.path(), &["check", folder.to_str().unwrap()]);
    assert_eq!(alone.status.code(), Some(3));
    assert_eq!(fs::read(&db).unwrap(), before);
}

#[test]
fn a_folder_with_no_session_files_is_an_error_naming_what_it_holds() {
    let tmp = tempfile::tempdir().unwrap();
    let db = imported_session(tmp.path());
    let wrong = tmp.path().join("wrong");
    fs::create_dir(&wrong).unwrap();
    fs::write(
        wrong.join("Self_Scores.CSV"),
        "unit_code,criterion_code,self_score\n",
    )
    .unwrap();
    fs::write(wrong.join("self_scores.xlsx"), b"PK\x03\x04").unwrap();
    std::os::unix::fs::symlink("/nowhere/units.csv", wrong.join("units-link.csv")).unwrap();
    for db_args in [vec!["--db", db.to_str().unwrap()], vec!["--db", "new.db"]] {
        let mut args = vec!["import", wrong.to_str().unwrap(), "--lang", "en"];
        args.extend(db_args);
        let out = council(tmp.path(), &args);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "{stderr}");
        assert!(stderr.contains("none of the session files"), "{stderr}");
        assert!(
            stderr.contains("Self_Scores.CSV (names are case-sensitive"),
            "{stderr}"
        );
        assert!(stderr.contains("self_scores.xlsx (a workbook"), "{stderr}");
        assert!(
            stderr.contains("units-link.csv (a link to something that does not exist"),
            "{stderr}"
        );
    }
    assert!(!tmp.path().join("new.db").exists());
}

#[test]
fn a_unit_code_differing_from_the_sessions_only_by_case_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let db = imported_session(tmp.path());
    let units = "unit_code,unit_name\nsnv,Sở Nội vụ\n";
    let folder = round2(tmp.path(), &[("units.csv", units)]);
    let out = against(tmp.path(), "import", &folder, &db);
    assert_eq!(out.status.code(), Some(3));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("units.csv:2:1: unit_code 'snv' differs from 'SNV' (in the session)"),
        "{stderr}"
    );
    // In the item files a look-alike code is unknown, with a hint.
    fs::remove_file(folder.join("units.csv")).unwrap();
    let scores = "unit_code,criterion_code,self_score\nsnv,1.2,4\n";
    let folder = round2(tmp.path(), &[("self_scores.csv", scores)]);
    let out = against(tmp.path(), "check", &folder, &db);
    let stderr = text(&out.stderr);
    assert!(stderr.contains("(did you mean 'SNV'?)"), "{stderr}");
}

#[test]
fn an_exported_ref_holding_a_semicolon_reads_back_as_one_ref() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = write_session(tmp.path());
    fs::write(
        folder.join("evidence.csv"),
        "unit_code,criterion_code,ref,title\n\
         SNV,1.1,\"12/KH; 13/KH\",Hai kế hoạch\n\
         SNV,1.1,280/QĐ-UBND,Quyết định\n",
    )
    .unwrap();
    let out = council(tmp.path(), &["import", folder.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = council(tmp.path(), &["export", "--out", "out", "--no-bom"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let mut reader = csv::Reader::from_path(tmp.path().join("out/results.csv")).unwrap();
    let headers = reader.headers().unwrap().clone();
    let evidence = headers.iter().position(|h| h == "evidence").unwrap();
    let cell = reader
        .records()
        .map(Result::unwrap)
        .find(|r| &r[0] == "SNV" && &r[3] == "1.1")
        .unwrap()[evidence]
        .to_string();
    assert_eq!(cell, "\"12/KH; 13/KH\"; 280/QĐ-UBND");
    assert_eq!(
        council::io::export::split_evidence(&cell),
        ["12/KH; 13/KH", "280/QĐ-UBND"]
    );
}

#[test]
fn the_warning_count_is_the_total() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = write_session(tmp.path());
    let mut rows = String::from("unit_code,criterion_code,ref,title\n");
    for _ in 0..250 {
        rows.push_str("SNV,1.1,376/KH-UBND,Kế hoạch\n");
    }
    fs::write(folder.join("evidence.csv"), rows).unwrap();
    let out = council(
        tmp.path(),
        &["import", folder.to_str().unwrap(), "--lang", "en"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("… 49 more warnings"),
        "{}",
        text(&out.stderr)
    );
    assert!(
        text(&out.stdout).contains("warnings 249"),
        "{}",
        text(&out.stdout)
    );
}
