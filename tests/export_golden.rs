//! Byte-for-byte comparison of a small session's export with the committed golden files.
//! Regenerate with `UPDATE_GOLDEN=1 cargo test --test export_golden`, then check the diff by eye.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests stop at the first failure

#[path = "golden/fixture.rs"]
mod fixture;

use council::io::export::{ExportFormat, ExportOptions, export_session};
use std::path::{Path, PathBuf};

fn golden_dir(format: ExportFormat) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(format.extension())
}

fn check_against_golden(format: ExportFormat) {
    let session = fixture::session();
    let texts = fixture::item_texts(&session);
    let out = tempfile::tempdir().unwrap();
    let mut opts = ExportOptions::new(out.path().join("export"));
    opts.format = format;
    // The fixture's times are written in Hanoi time whatever the machine's zone.
    opts.zone =
        council::domain::time::Zone::Fixed(chrono::FixedOffset::east_opt(7 * 3600).unwrap());
    let written = export_session(&session, &texts, &opts).unwrap();
    assert_eq!(written, opts.target_paths());
    let golden = golden_dir(format);
    let update = std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1");
    for path in &written {
        let actual = std::fs::read(path).unwrap();
        let expected_path = golden.join(path.file_name().unwrap());
        if update {
            std::fs::create_dir_all(&golden).unwrap();
            std::fs::write(&expected_path, &actual).unwrap();
            continue;
        }
        let expected = std::fs::read(&expected_path).unwrap_or_else(|e| {
            panic!(
                "{}: {e} (run with UPDATE_GOLDEN=1)",
                expected_path.display()
            )
        });
        assert!(
            actual == expected,
            "{} differs from {}:\n--- actual\n{}\n--- expected\n{}",
            path.display(),
            expected_path.display(),
            String::from_utf8_lossy(&actual),
            String::from_utf8_lossy(&expected)
        );
    }
}

#[test]
fn csv_export_matches_golden_files() {
    check_against_golden(ExportFormat::Csv);
}

#[test]
fn json_export_matches_golden_files() {
    check_against_golden(ExportFormat::Json);
}
