//! `council report`: the Word report, read back with docx-rs's reader: its tables and texts.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests stop at the first failure

mod common;

use common::{council, text, write_session};
use docx_rs::{DocumentChild, Table, TableCellContent, TableChild, TableRowChild};
use std::path::Path;

fn run(dir: &Path, args: &[&str]) -> String {
    let out = council(dir, args);
    assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
    text(&out.stdout)
}

fn cell_texts(table: &Table) -> Vec<Vec<String>> {
    table
        .rows
        .iter()
        .map(|TableChild::TableRow(row)| {
            row.cells
                .iter()
                .map(|TableRowChild::TableCell(cell)| {
                    cell.children
                        .iter()
                        .filter_map(|c| match c {
                            TableCellContent::Paragraph(p) => Some(p.raw_text()),
                            _ => None,
                        })
                        .collect::<Vec<_>>()
                        .join("\n")
                })
                .collect()
        })
        .collect()
}

/// The document's tables (as cell texts) and its paragraphs' texts.
fn read(path: &Path) -> (Vec<Vec<Vec<String>>>, String) {
    let docx = docx_rs::read_docx(&std::fs::read(path).unwrap()).unwrap();
    let mut tables = Vec::new();
    let mut paragraphs = String::new();
    for child in &docx.document.children {
        match child {
            DocumentChild::Table(table) => tables.push(cell_texts(table)),
            DocumentChild::Paragraph(p) => {
                paragraphs.push_str(&p.raw_text());
                paragraphs.push('\n');
            }
            _ => {}
        }
    }
    (tables, paragraphs)
}

#[test]
fn the_report_has_its_tables_and_says_what_the_council_did() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = write_session(tmp.path());
    run(tmp.path(), &["import", folder.to_str().unwrap()]);
    run(
        tmp.path(),
        &[
            "configure",
            "--issuer",
            "UBND TỈNH LÀO CAI",
            "--year",
            "2025",
            "--chair",
            "Nguyễn Văn A",
            "--secretary",
            "Trần Thị B",
            "--meeting-date",
            "23/11/2025",
            "--meeting-place",
            "Phòng họp số 1",
        ],
    );
    run(
        tmp.path(),
        &[
            "decide",
            "--unit",
            "SNV",
            "--criterion",
            "1.2",
            "--score",
            "3",
            "--reason",
            "Ban hành muộn\n\u{1b}]0;tiêu đề\u{7}",
            "--as",
            "Lê Văn C",
        ],
    );
    let written = run(tmp.path(), &["report", "--out", "bao-cao.docx"]);
    assert!(written.contains("bao-cao.docx"));
    let (tables, paragraphs) = read(&tmp.path().join("bao-cao.docx"));
    // National header, ranking, fields, adjusted items, signatures.
    assert_eq!(tables.len(), 5, "{tables:?}");
    let header = tables[0].concat().join("\n");
    for text in [
        "UBND TỈNH LÀO CAI",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Phòng họp số 1, ngày 23 tháng 11 năm 2025",
    ] {
        assert!(header.contains(text), "{text} in {header}");
    }
    assert!(paragraphs.contains("BÁO CÁO"), "{paragraphs}");
    assert!(paragraphs.contains("Kết quả thẩm định Chỉ số cải cách hành chính năm 2025"));
    assert!(paragraphs.contains("Thời gian: ngày 23 tháng 11 năm 2025."));
    assert!(paragraphs.contains("- Lê Văn C"), "{paragraphs}");
    // The ranking: a header and one row per unit, numbers with the decimal comma.
    let ranking = &tables[1];
    assert_eq!(ranking[0][0], "Xếp hạng");
    assert_eq!(ranking.len(), 1 + 3);
    assert!(ranking.iter().any(|row| row[1] == "SNV"));
    // Two fields; the adjusted item with its reason, control characters made visible.
    assert_eq!(tables[2].len(), 1 + 2);
    let adjusted = &tables[3];
    assert_eq!(adjusted.len(), 1 + 1, "{adjusted:?}");
    assert_eq!(adjusted[1][1], "SNV");
    assert!(
        adjusted[1][6].starts_with("Ban hành muộn"),
        "{:?}",
        adjusted[1]
    );
    assert!(adjusted[1][6].contains("\\x1b]0;"), "{:?}", adjusted[1]);
    let signatures = tables[4].concat().join("\n");
    for text in [
        "THƯ KÝ HỘI ĐỒNG",
        "CHỦ TỊCH HỘI ĐỒNG",
        "Trần Thị B",
        "Nguyễn Văn A",
    ] {
        assert!(signatures.contains(text), "{text} in {signatures}");
    }
    assert!(paragraphs.contains("Kết quả chưa chốt."));
    assert!(paragraphs.contains("Mã băm cuối của nhật ký quyết định: "));

    // Finalised: the report says when and by whom; an existing report is kept without --force.
    run(
        tmp.path(),
        &["finalize", "--force", "--reason", "Hội đồng thống nhất"],
    );
    let out = council(tmp.path(), &["report", "--out", "bao-cao.docx"]);
    assert_eq!(out.status.code(), Some(1));
    run(tmp.path(), &["report", "--out", "bao-cao.docx", "--force"]);
    let (_, paragraphs) = read(&tmp.path().join("bao-cao.docx"));
    assert!(paragraphs.contains("Kết quả đã chốt lúc "), "{paragraphs}");
    assert!(paragraphs.contains("Ghi chú: Hội đồng thống nhất"));
}
