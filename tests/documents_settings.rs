//! The settings the official documents carry (issuer, year, council name, signers, meeting):
//! `council configure` and a session folder's `session.toml`, through the real binary.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests stop at the first failure

mod common;

use common::{council, text, write_session};
use std::path::Path;

fn run(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = council(dir, args);
    (out.status.code(), text(&out.stdout), text(&out.stderr))
}

#[test]
fn configure_sets_and_unsets_the_document_keys() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = write_session(tmp.path());
    let (code, _, stderr) = run(tmp.path(), &["import", folder.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{stderr}");
    let (code, _, stderr) = run(
        tmp.path(),
        &[
            "configure",
            "--issuer",
            "UBND TỈNH LÀO CAI",
            "--year",
            "2025",
            "--council-name",
            "HỘI ĐỒNG THẨM ĐỊNH CHỈ SỐ CCHC",
            "--chair",
            "Nguyễn Văn A",
            "--secretary",
            "Trần Thị B",
            "--meeting-date",
            "23/11/2025",
            "--meeting-place",
            "Phòng họp số 1, UBND tỉnh",
        ],
    );
    assert_eq!(code, Some(0), "{stderr}");
    let (_, stdout, _) = run(tmp.path(), &["configure"]);
    for line in [
        "issuer: UBND TỈNH LÀO CAI",
        "year: 2025",
        "council_name: HỘI ĐỒNG THẨM ĐỊNH CHỈ SỐ CCHC",
        "chair: Nguyễn Văn A",
        "secretary: Trần Thị B",
        "meeting_date: 2025-11-23",
        "meeting_place: Phòng họp số 1, UBND tỉnh",
    ] {
        assert!(stdout.contains(line), "{line} in {stdout}");
    }
    let (code, _, stderr) = run(tmp.path(), &["configure", "--year", "hai nghìn"]);
    assert_eq!(code, Some(3), "{stderr}");
    assert!(stderr.contains("year"), "{stderr}");
    let (code, _, _) = run(tmp.path(), &["configure", "--unset", "chair"]);
    assert_eq!(code, Some(0));
    let (_, stdout, _) = run(tmp.path(), &["configure"]);
    assert!(!stdout.contains("chair:"), "{stdout}");
    let (code, _, stderr) = run(tmp.path(), &["verify"]);
    assert_eq!(code, Some(0), "{stderr}");
}

#[test]
fn session_toml_is_applied_in_the_same_import_and_enters_the_chain() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = write_session(tmp.path());
    std::fs::write(
        folder.join("session.toml"),
        "# Phiên thẩm định\nissuer = \"UBND TỈNH LÀO CAI\"\nyear = 2025\nchair = \"Nguyễn Văn A\"\n\
         meeting_date = 2025-11-23\n",
    )
    .unwrap();
    let (code, stdout, stderr) = run(tmp.path(), &["import", folder.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains("session.toml"), "{stdout}");
    let (_, stdout, _) = run(tmp.path(), &["configure"]);
    assert!(stdout.contains("issuer: UBND TỈNH LÀO CAI"), "{stdout}");
    assert!(stdout.contains("meeting_date: 2025-11-23"), "{stdout}");
    let (_, history, _) = run(tmp.path(), &["history", "--format", "csv"]);
    assert!(history.contains("configure"), "{history}");
    let (code, _, stderr) = run(tmp.path(), &["verify"]);
    assert_eq!(code, Some(0), "{stderr}");

    // A re-import whose session.toml is wrong is refused whole, at its line and column.
    std::fs::write(
        folder.join("session.toml"),
        "issuer = \"UBND\"\nyear = \"năm nay\"\n",
    )
    .unwrap();
    let before = std::fs::read(tmp.path().join("council.db")).unwrap();
    let (code, _, stderr) = run(
        tmp.path(),
        &["import", folder.to_str().unwrap(), "--lang", "en"],
    );
    assert_eq!(code, Some(3), "{stderr}");
    assert!(stderr.contains("session.toml:2:8: year"), "{stderr}");
    assert_eq!(
        std::fs::read(tmp.path().join("council.db")).unwrap(),
        before
    );
}

#[test]
fn a_wrong_session_toml_refuses_a_new_session_and_creates_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = write_session(tmp.path());
    std::fs::write(
        folder.join("session.toml"),
        "issuer = \"UBND\"\ncolour = \"đỏ\"\n",
    )
    .unwrap();
    let (code, _, stderr) = run(
        tmp.path(),
        &["import", folder.to_str().unwrap(), "--lang", "en"],
    );
    assert_eq!(code, Some(3), "{stderr}");
    assert!(
        stderr.contains("session.toml:2:1: unknown setting 'colour'"),
        "{stderr}"
    );
    assert!(!tmp.path().join("council.db").exists());
}
