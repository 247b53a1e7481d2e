//! Workbooks this code did not write: LibreOffice's xlsx, ods and xls of a self_scores.csv and
//! of a phụ biểu, and a CSV as a Vietnamese-locale Excel saves it (tests/fixtures/workbooks,
//! remade by its make.sh). Each reads as its CSV twin.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests stop at the first failure

mod common;

use common::{import, show};
use std::fs;
use std::path::{Path, PathBuf};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/workbooks");
const FORMATS: [&str; 3] = ["xlsx", "ods", "xls"];

/// A session folder of criteria.csv, units.csv and `files` ((fixture, name in the folder)),
/// with `extra` files written as given.
fn folder(dir: &Path, files: &[(&str, &str)], extra: &[(&str, &str)]) -> PathBuf {
    let folder = dir.join("ho-so");
    fs::create_dir_all(folder.join("phu-bieu")).unwrap();
    for (fixture, name) in [("criteria.csv", "criteria.csv"), ("units.csv", "units.csv")]
        .iter()
        .chain(files)
    {
        fs::copy(Path::new(FIXTURES).join(fixture), folder.join(name)).unwrap();
    }
    for (name, contents) in extra {
        fs::write(folder.join(name), contents).unwrap();
    }
    folder
}

#[test]
fn libreoffice_workbooks_of_self_scores_read_as_the_csv() {
    let tmp = tempfile::tempdir().unwrap();
    let csv = import(&folder(
        &tmp.path().join("csv"),
        &[("self_scores.csv", "self_scores.csv")],
        &[],
    ));
    assert_eq!(csv.batch.submissions[0].1.len(), 3);
    for format in FORMATS {
        let fixture = format!("self_scores.{format}");
        let dir = tmp.path().join(format);
        let read = import(&folder(&dir, &[(&fixture, &fixture)], &[]));
        assert_eq!(read.batch, csv.batch, "{format}");
    }
}

#[test]
fn a_csv_saved_by_a_vietnamese_excel_reads_as_the_comma_file() {
    let tmp = tempfile::tempdir().unwrap();
    let comma = folder(
        &tmp.path().join("a"),
        &[("self_scores.csv", "self_scores.csv")],
        &[],
    );
    let excel_vi = folder(
        &tmp.path().join("b"),
        &[("self_scores_excel_vi.csv", "self_scores.csv")],
        &[],
    );
    assert_eq!(import(&excel_vi).batch, import(&comma).batch);
}

/// The phụ biểu's rows for Sở Tư pháp as CSV.
const STP_SELF_SCORES: &str = "unit_code,criterion_code,self_score,note
STP,1.1.1,1,
STP,1.1.2,\"0,5\",Hoàn thành 85% kế hoạch
STP,1.2,1,
";
const STP_EVIDENCE: &str = "unit_code,criterion_code,ref,title
STP,1.1.1,376/KH-STP,Kế hoạch CCHC năm 2025
STP,1.1.1,12/BC-STP,Báo cáo CCHC quý I
STP,1.2,45/QĐ-STP,ngày 02/3/2025: Quyết định kiểm tra
STP,1.2,7/BC-STP,Báo cáo năm
";

#[test]
fn libreoffice_phu_bieu_read_as_their_csv_twin() {
    let tmp = tempfile::tempdir().unwrap();
    let twin = folder(
        &tmp.path().join("csv"),
        &[],
        &[
            ("self_scores.csv", STP_SELF_SCORES),
            ("evidence.csv", STP_EVIDENCE),
        ],
    );
    let twin = import(&twin);
    for format in FORMATS {
        let fixture = format!("phu-bieu-so-tu-phap.{format}");
        let in_folder = format!("phu-bieu/{fixture}");
        let dir = tmp.path().join(format);
        let read = import(&folder(&dir, &[(&fixture, &in_folder)], &[]));
        assert_eq!(read.batch, twin.batch, "{format}");
        // The subtotals and the total are formulas whose cached values add up: no warning
        // but the units that sent nothing.
        let warnings = show(&read.warnings);
        assert_eq!(read.warning_count, 1, "{format}: {warnings}");
        assert!(warnings.contains("SNV"), "{warnings}");
    }
}
