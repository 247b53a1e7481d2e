//! Round trips of well-formed session folders through `read_session_dir`: the many shapes a
//! spreadsheet export takes (BOM, CRLF, decimal commas, multi-line notes, Vietnamese headers,
//! NFD text) all come out as the same clean batch.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests stop at the first failure

use council::domain::{Code, CriterionDef, CriterionKind, Framework, Session, Unit};
use council::io::InputError;
use council::io::import::{ImportOptions, Imported, read_session, read_session_dir};
use rust_decimal::Decimal;
use std::str::FromStr;
use tempfile::TempDir;

const CRITERIA: &str = "\
code,title,max_points,min_points,step,kind,rule
1,Chỉ đạo điều hành,3,,,,
1.1,Kế hoạch CCHC,2,,0.5,,Ban hành đúng hạn: 2; chậm: 0
1.2,Báo cáo CCHC,1,,0.25,,
2,Hài lòng của người dân,2,,,survey,
2.1,Khảo sát hài lòng,2,,,survey,
3,Điểm trừ,0,,,penalty,
3.1,Vi phạm kỷ luật,0,-2,0.5,penalty,
";

const UNITS: &str = "\
unit_code,unit_name,group
SNV,Sở Nội vụ,Sở
STP,Sở Tư pháp,Sở
";

fn dec(text: &str) -> Decimal {
    Decimal::from_str(text).unwrap()
}

fn folder(files: &[(&str, &[u8])]) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in files {
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    dir
}

fn import(files: &[(&str, &[u8])]) -> Imported {
    let dir = folder(files);
    match read_session_dir(dir.path(), None) {
        Ok(imported) => imported,
        Err(errors) => panic!("{}", show(&errors)),
    }
}

/// Read with --strict, which refuses what it always refused (self-scores that break their
/// leaf's rule are otherwise imported as claims, with a warning).
fn import_err(files: &[(&str, &[u8])]) -> Vec<InputError> {
    let dir = folder(files);
    read_session(dir.path(), None, ImportOptions { strict: true })
        .expect_err("the folder should be refused")
        .errors
}

fn show(errors: &[InputError]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

fn basic(self_scores: &str) -> Imported {
    import(&[
        ("criteria.csv", CRITERIA.as_bytes()),
        ("units.csv", UNITS.as_bytes()),
        ("self_scores.csv", self_scores.as_bytes()),
    ])
}

fn unit_rows<'a>(imported: &'a Imported, unit: &str) -> &'a [council::io::SelfScoreRow] {
    &imported
        .batch
        .submissions
        .iter()
        .find(|(code, _)| code == unit)
        .unwrap_or_else(|| panic!("no submission for {unit}"))
        .1
}

#[test]
fn reads_a_plain_folder_into_a_batch() {
    let imported = basic(
        "unit_code,criterion_code,self_score,note\n\
         SNV,1.2,1,Đủ báo cáo\n\
         SNV,1.1,\"1,5\",Đã ban hành\n\
         SNV,3.1,-0.5,\n\
         STP,1.1,2,\n\
         STP,1.2,0.75,\n\
         STP,3.1,0,\n",
    );
    let batch = &imported.batch;
    let framework = batch.framework.as_ref().unwrap();
    assert_eq!(framework.leaves().len(), 4);
    assert_eq!(framework.maximum(), dec("5"));
    assert_eq!(
        batch.units,
        vec![
            Unit {
                code: "SNV".into(),
                name: "Sở Nội vụ".into(),
                group: "Sở".into()
            },
            Unit {
                code: "STP".into(),
                name: "Sở Tư pháp".into(),
                group: "Sở".into()
            },
        ]
    );
    let order: Vec<&str> = batch.submissions.iter().map(|(u, _)| u.as_str()).collect();
    assert_eq!(order, ["SNV", "STP"]);
    // Rows come in leaf order, whatever the file order.
    let snv = unit_rows(&imported, "SNV");
    let codes: Vec<&str> = snv.iter().map(|r| r.criterion_code.as_str()).collect();
    assert_eq!(codes, ["1.1", "1.2", "3.1"]);
    assert_eq!(snv[0].score, Some(dec("1.5")));
    assert_eq!(snv[0].note, "Đã ban hành");
    assert!(snv[0].in_self_scores);
    assert_eq!(snv[0].evidence, None);
    assert_eq!(snv[2].score, Some(dec("-0.5")));
    assert!(batch.proposals.is_empty() && batch.survey.is_empty());
    assert!(imported.warnings.is_empty(), "{}", show(&imported.warnings));
    let rule = &framework.node(framework.find("1.1").unwrap()).def.rule;
    assert_eq!(rule, "Ban hành đúng hạn: 2; chậm: 0");
}

#[test]
fn bom_and_crlf_read_like_plain_files() {
    let with_bom_crlf = |text: &str| {
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend(text.replace('\n', "\r\n").into_bytes());
        bytes
    };
    let self_scores =
        "unit_code,criterion_code,self_score,note\nSNV,1.1,\"1,5\",\"a\nb\"\nSNV,1.2,1,x\n";
    let plain = import(&[
        ("criteria.csv", CRITERIA.as_bytes()),
        ("units.csv", UNITS.as_bytes()),
        ("self_scores.csv", self_scores.as_bytes()),
    ]);
    let windows = import(&[
        ("criteria.csv", &with_bom_crlf(CRITERIA)),
        ("units.csv", &with_bom_crlf(UNITS)),
        ("self_scores.csv", &with_bom_crlf(self_scores)),
    ]);
    assert_eq!(windows.batch.units[0].code, "SNV");
    assert_eq!(unit_rows(&windows, "SNV")[1].note, "x");
    // The quoted note keeps its line break as written (CRLF inside quotes is data).
    assert_eq!(unit_rows(&windows, "SNV")[0].note, "a\r\nb");
    assert_eq!(unit_rows(&plain, "SNV")[0].note, "a\nb");
    assert_eq!(
        windows.batch.framework, plain.batch.framework,
        "BOM/CRLF criteria differ"
    );
}

#[test]
fn errors_after_a_multi_line_note_keep_physical_line_numbers() {
    let errors = import_err(&[
        ("criteria.csv", CRITERIA.as_bytes()),
        ("units.csv", UNITS.as_bytes()),
        (
            "self_scores.csv",
            "unit_code,criterion_code,self_score,note\r\n\
             SNV,1.1,2,\"dòng 1\r\ndòng 2\r\ndòng 3\"\r\n\
             SNV,1.2,9,\r\n"
                .as_bytes(),
        ),
    ]);
    assert_eq!(errors.len(), 1, "{}", show(&errors));
    assert_eq!((errors[0].line, errors[0].column), (Some(5), Some(3)));
}

#[test]
fn decimal_commas_and_dots_both_read() {
    let imported = basic(
        "unit_code,criterion_code,self_score\n\
         SNV,1.1,\"1,5\"\n\
         SNV,1.2,0.25\n\
         STP,1.1,\" 2 \"\n\
         STP,1.2,\"0,75\"\n",
    );
    assert_eq!(unit_rows(&imported, "SNV")[0].score, Some(dec("1.5")));
    assert_eq!(unit_rows(&imported, "SNV")[1].score, Some(dec("0.25")));
    assert_eq!(unit_rows(&imported, "STP")[0].score, Some(dec("2")));
    assert_eq!(unit_rows(&imported, "STP")[1].score, Some(dec("0.75")));
}

#[test]
fn criteria_rows_may_come_in_any_order() {
    let mut lines: Vec<&str> = CRITERIA.lines().collect();
    let header = lines.remove(0);
    lines.reverse();
    lines.swap(0, 3);
    let shuffled = format!("{header}\n{}\n", lines.join("\n"));
    let ordered = basic("unit_code,criterion_code,self_score\nSNV,1.1,1\n");
    let reordered = import(&[
        ("criteria.csv", shuffled.as_bytes()),
        ("units.csv", UNITS.as_bytes()),
        (
            "self_scores.csv",
            b"unit_code,criterion_code,self_score\nSNV,1.1,1\n",
        ),
    ]);
    assert_eq!(ordered.batch.framework, reordered.batch.framework);
}

#[test]
fn formula_like_notes_stay_text() {
    let imported = basic(
        "unit_code,criterion_code,self_score,note\n\
         SNV,1.1,1,=SUM(A1)\n\
         SNV,1.2,1,\"=HYPERLINK(\"\"x\"\")\"\n\
         SNV,3.1,0,+1\n",
    );
    let rows = unit_rows(&imported, "SNV");
    assert_eq!(rows[0].note, "=SUM(A1)");
    assert_eq!(rows[1].note, "=HYPERLINK(\"x\")");
    assert_eq!(rows[2].note, "+1");
}

#[test]
fn negative_minimum_items_take_negative_scores() {
    let imported = basic("unit_code,criterion_code,self_score\nSNV,3.1,\"-1,5\"\nSTP,3.1,-2\n");
    let framework = imported.batch.framework.as_ref().unwrap();
    let penalty = &framework.node(framework.find("3.1").unwrap()).def;
    assert_eq!(penalty.min_points, dec("-2"));
    assert_eq!(penalty.kind, CriterionKind::Penalty);
    assert_eq!(unit_rows(&imported, "SNV")[0].score, Some(dec("-1.5")));
    assert_eq!(unit_rows(&imported, "STP")[0].score, Some(dec("-2")));
    let errors = import_err(&[
        ("criteria.csv", CRITERIA.as_bytes()),
        ("units.csv", UNITS.as_bytes()),
        (
            "self_scores.csv",
            b"unit_code,criterion_code,self_score\nSNV,3.1,-2.5\n",
        ),
    ]);
    assert!(
        errors[0].message().contains("below the minimum -2"),
        "{}",
        show(&errors)
    );
}

#[test]
fn vietnamese_headers_are_recognised() {
    let criteria = CRITERIA.replace(
        "code,title,max_points,min_points,step,kind,rule",
        "Mã,Tên tiêu chí,Điểm tối đa,diem_toi_thieu,Bước,Loại,Cách tính điểm",
    );
    let imported = import(&[
        ("criteria.csv", criteria.as_bytes()),
        (
            "units.csv",
            " Mã đơn vị , TÊN ĐƠN VỊ ,Nhóm\nSNV,Sở Nội vụ,Sở\n".as_bytes(),
        ),
        (
            "self_scores.csv",
            "ma_don_vi,Mã tiêu chí,Điểm tự chấm,Ghi chú\nSNV,1.1,2,tốt\n".as_bytes(),
        ),
        (
            "evidence.csv",
            "mã đơn vị,mã tiêu chí,Số hiệu,Trích yếu,Đường dẫn\nSNV,1.1,12/KH-UBND,Kế hoạch,kh.pdf\n"
                .as_bytes(),
        ),
        (
            "proposals.csv",
            "Mã đơn vị,Mã tiêu chí,Điểm đề xuất,Ghi chú\nSNV,1.1,\"1,5\",thiếu\n".as_bytes(),
        ),
        (
            "survey.csv",
            "Mã đơn vị,Mã tiêu chí,Điểm điều tra\nSNV,2.1,\"1,75\"\n".as_bytes(),
        ),
    ]);
    let batch = &imported.batch;
    assert_eq!(batch.units[0].group, "Sở");
    let row = &unit_rows(&imported, "SNV")[0];
    assert_eq!((row.score, row.note.as_str()), (Some(dec("2")), "tốt"));
    let evidence = row.evidence.as_ref().unwrap();
    assert_eq!(evidence[0].reference, "12/KH-UBND");
    assert_eq!(evidence[0].location, "kh.pdf");
    assert_eq!(batch.proposals[0].note, "thiếu");
    assert_eq!(batch.proposals[0].score, dec("1.5"));
    assert_eq!(batch.survey[0].score, dec("1.75"));
    let framework = batch.framework.as_ref().unwrap();
    assert_eq!(
        framework.node(framework.find("2.1").unwrap()).def.kind,
        CriterionKind::Survey
    );
}

#[test]
fn unknown_columns_are_named_in_a_warning() {
    let imported = basic("STT,unit_code,criterion_code,self_score,Người nhập\n1,SNV,1.1,2,An\n");
    let warning = imported
        .warnings
        .iter()
        .find(|w| w.message().starts_with("unknown columns"))
        .expect("a warning about unknown columns");
    assert!(warning.file.ends_with("self_scores.csv"));
    assert_eq!(warning.line, Some(1));
    assert!(warning.message().contains("'STT'"), "{}", warning.message());
    assert!(
        warning.message().contains("'Người nhập'"),
        "{}",
        warning.message()
    );
    assert_eq!(unit_rows(&imported, "SNV")[0].score, Some(dec("2")));
}

#[test]
fn nfd_text_is_normalised_to_nfc() {
    // "Sở Nội vụ" and "Đã có" typed with combining marks, as some Mac tools write them.
    let nfd_name = "So\u{31b}\u{309} No\u{302}\u{323}i vu\u{323}";
    let units = format!("unit_code,unit_name\nSNV,{nfd_name}\n");
    let imported = import(&[
        ("criteria.csv", CRITERIA.as_bytes()),
        ("units.csv", units.as_bytes()),
        (
            "self_scores.csv",
            "unit_code,criterion_code,self_score,note\nSNV,1.1,2,\"Đa\u{303} co\u{301}\"\n"
                .as_bytes(),
        ),
    ]);
    assert_eq!(imported.batch.units[0].name, "Sở Nội vụ");
    assert_eq!(unit_rows(&imported, "SNV")[0].note, "Đã có");
}

#[test]
fn evidence_rows_group_by_item_in_file_order() {
    let imported = import(&[
        ("criteria.csv", CRITERIA.as_bytes()),
        ("units.csv", UNITS.as_bytes()),
        (
            "self_scores.csv",
            b"unit_code,criterion_code,self_score\nSNV,1.1,2\nSNV,1.2,1\n",
        ),
        (
            "evidence.csv",
            "unit_code,criterion_code,ref,title,location\n\
             SNV,1.1,376/KH-UBND,Kế hoạch CCHC,kh.pdf\n\
             STP,1.2,9/BC-STP,Báo cáo quý,\n\
             SNV,1.1,12/QĐ-UBND,Quyết định,\n\
             SNV,3.1,1/BB,Biên bản,\n"
                .as_bytes(),
        ),
    ]);
    let batch = &imported.batch;
    let order: Vec<&str> = batch.submissions.iter().map(|(u, _)| u.as_str()).collect();
    assert_eq!(
        order,
        ["SNV", "STP"],
        "units only in evidence.csv come last"
    );
    let snv = unit_rows(&imported, "SNV");
    let refs: Vec<&str> = snv[0]
        .evidence
        .as_ref()
        .unwrap()
        .iter()
        .map(|e| e.reference.as_str())
        .collect();
    assert_eq!(refs, ["376/KH-UBND", "12/QĐ-UBND"]);
    assert_eq!(snv[1].evidence, None, "1.2 has no evidence rows");
    assert_eq!(snv[2].criterion_code, "3.1");
    assert!(!snv[2].in_self_scores);
    assert_eq!(snv[2].score, None);
    let stp = unit_rows(&imported, "STP");
    assert_eq!(stp.len(), 1);
    assert!(!stp[0].in_self_scores);
    assert_eq!(stp[0].evidence.as_ref().unwrap()[0].title, "Báo cáo quý");
}

#[test]
fn survey_rows_and_proposals_are_read_and_checked() {
    let imported = import(&[
        ("criteria.csv", CRITERIA.as_bytes()),
        ("units.csv", UNITS.as_bytes()),
        (
            "self_scores.csv",
            b"unit_code,criterion_code,self_score\nSNV,1.1,2\n",
        ),
        (
            "survey.csv",
            b"unit_code,criterion_code,score\nSNV,2.1,1.5\nSTP,2.1,\"2,0\"\n",
        ),
        (
            "proposals.csv",
            b"unit_code,criterion_code,proposed_score,note\nSNV,1.1,1.5,thieu\nSTP,1.2,,\n",
        ),
    ]);
    let survey = &imported.batch.survey;
    assert_eq!(survey.len(), 2);
    assert_eq!(
        (survey[1].unit_code.as_str(), survey[1].score),
        ("STP", dec("2"))
    );
    assert_eq!(imported.batch.proposals.len(), 1);
    assert_eq!(imported.batch.proposals[0].criterion_code, "1.1");
    assert!(
        imported
            .warnings
            .iter()
            .any(|w| w.message().contains("1 rows with an empty proposed_score"))
    );
}

#[test]
fn empty_and_missing_self_scores_are_warned_about() {
    let imported =
        basic("unit_code,criterion_code,self_score\nSNV,1.1,\nSTP,1.1,2\nSTP,1.2,1\nSTP,3.1,0\n");
    let snv = unit_rows(&imported, "SNV");
    assert_eq!(snv.len(), 1);
    assert_eq!(snv[0].score, None);
    assert!(snv[0].in_self_scores);
    let messages: Vec<String> = imported.warnings.iter().map(ToString::to_string).collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("self_scores.csv:2:3: self_score is empty")),
        "{messages:?}"
    );
    // Survey leaf 2.1 is not counted as missing.
    assert!(
        messages.iter().any(|m| m.ends_with(
            "unit SNV: 2 leaves without a self-score (1.2, 3.1): counted 0, marked missing"
        )),
        "{messages:?}"
    );
    assert!(
        !messages.iter().any(|m| m.contains("unit STP:")),
        "{messages:?}"
    );
}

fn existing_session() -> Session {
    let def = |code: &str, max: &str| CriterionDef {
        code: Code::parse(code).unwrap(),
        title: format!("Tiêu chí {code}"),
        max_points: dec(max),
        min_points: Decimal::ZERO,
        step: None,
        kind: CriterionKind::Score,
        rule: String::new(),
    };
    let framework =
        Framework::build(vec![def("1", "3"), def("1.1", "2"), def("1.2", "1")]).unwrap();
    Session::new(
        framework,
        vec![Unit {
            code: "SNV".into(),
            name: "Sở Nội vụ".into(),
            group: String::new(),
        }],
    )
}

#[test]
fn an_existing_session_supplies_framework_and_units() {
    let session = existing_session();
    let dir = folder(&[
        ("units.csv", "unit_code,unit_name\nSYT,Sở Y tế\n".as_bytes()),
        (
            "self_scores.csv",
            b"unit_code,criterion_code,self_score\nSNV,1.2,1\nSYT,1.1,2\n",
        ),
    ]);
    let imported = read_session_dir(dir.path(), Some(&session)).unwrap();
    assert_eq!(imported.batch.framework, None);
    assert_eq!(imported.batch.units.len(), 1, "only the file's units");
    assert_eq!(imported.batch.submissions.len(), 2);
    // A resubmission touches some leaves only: no "missing" warnings then.
    assert!(imported.warnings.is_empty(), "{}", show(&imported.warnings));

    // Evidence alone is a valid resubmission.
    let dir = folder(&[(
        "evidence.csv",
        b"unit_code,criterion_code,ref\nSNV,1.1,5/KH\n",
    )]);
    let imported = read_session_dir(dir.path(), Some(&session)).unwrap();
    let rows = &imported.batch.submissions[0].1;
    assert!(!rows[0].in_self_scores);
    assert_eq!(rows[0].evidence.as_ref().unwrap().len(), 1);

    let dir = folder(&[(
        "self_scores.csv",
        b"unit_code,criterion_code,self_score\nSYT,1.1,2\n",
    )]);
    let errors = read_session_dir(dir.path(), Some(&session)).unwrap_err();
    assert!(errors[0].message().starts_with("unknown unit code 'SYT'"));
}

#[test]
fn a_new_session_needs_criteria_units_and_self_scores() {
    let dir = folder(&[]);
    let errors = read_session_dir(dir.path(), None).unwrap_err();
    let files: Vec<String> = errors
        .iter()
        .map(|e| e.file.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(files, ["criteria.csv", "units.csv", "self_scores.csv"]);
}

#[test]
fn errors_are_capped_with_a_count_of_the_rest() {
    let mut self_scores = String::from("unit_code,criterion_code,self_score\n");
    for i in 0..350 {
        self_scores.push_str(&format!("U{i},1.1,1\n"));
    }
    let errors = import_err(&[
        ("criteria.csv", CRITERIA.as_bytes()),
        ("units.csv", UNITS.as_bytes()),
        ("self_scores.csv", self_scores.as_bytes()),
    ]);
    assert_eq!(errors.len(), 201);
    assert_eq!(errors[199].line, Some(201));
    assert_eq!(errors[200].message(), "… 150 more errors");
}

#[test]
fn junk_never_panics() {
    // A few hostile shapes: lone quotes, control bytes, very long fields, only separators.
    let long = "9".repeat(100_000);
    let inputs: Vec<Vec<u8>> = vec![
        b"\"".to_vec(),
        b"unit_code,criterion_code,self_score\n\"SNV,1.1,2\n".to_vec(),
        b",,,\n,,,\n".to_vec(),
        b"\r\r\r".to_vec(),
        format!("unit_code,criterion_code,self_score\nSNV,1.1,{long}\n").into_bytes(),
        b"unit_code,criterion_code,self_score\nSNV,1.1.1.1.1.1.1,1\nSNV,99999999999,1\n".to_vec(),
    ];
    for input in inputs {
        let dir = folder(&[
            ("criteria.csv", CRITERIA.as_bytes()),
            ("units.csv", UNITS.as_bytes()),
            ("self_scores.csv", &input),
        ]);
        if let Err(errors) = read_session_dir(dir.path(), None) {
            assert!(errors.iter().all(|e| !e.message().is_empty()));
        }
    }
}

#[test]
fn a_unit_without_self_scores_is_warned_about() {
    let imported = basic("unit_code,criterion_code,self_score\nSNV,1.1,2\nSNV,1.2,1\nSNV,3.1,0\n");
    let messages: Vec<String> = imported.warnings.iter().map(|w| w.message()).collect();
    assert_eq!(
        messages,
        ["unit STP: no rows in self_scores.csv: all its leaves count 0, marked missing"]
    );
}
