//! Property tests: whatever bytes a file holds, the import answers without panicking and points
//! into the file; and any note or score written by a CSV writer reads back as written.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests stop at the first failure

use council::domain::text::nfc;
use council::io::import::read_session_dir;
use proptest::prelude::*;
use rust_decimal::Decimal;

const CRITERIA: &str =
    "code,title,max_points,min_points,step\n1,Lĩnh vực,10,,\n1.1,Tiêu chí,10,-5,0.25\n";
const UNITS: &str = "unit_code,unit_name\nSNV,Sở Nội vụ\n";

fn folder(self_scores: &[u8]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("criteria.csv"), CRITERIA).unwrap();
    std::fs::write(dir.path().join("units.csv"), UNITS).unwrap();
    std::fs::write(dir.path().join("self_scores.csv"), self_scores).unwrap();
    dir
}

fn csv_row(fields: &[&str]) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(fields).unwrap();
    writer.into_inner().unwrap()
}

fn physical_lines(bytes: &[u8]) -> u64 {
    let lone_cr = bytes
        .windows(2)
        .filter(|pair| pair[0] == b'\r' && pair[1] != b'\n')
        .count()
        + usize::from(bytes.last() == Some(&b'\r'));
    (bytes.iter().filter(|&&b| b == b'\n').count() + lone_cr) as u64 + 1
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn any_bytes_give_an_answer_that_points_into_the_file(
        body in proptest::collection::vec(any::<u8>(), 0..400),
        csv_like in "[a-z0-9,\"\r\n. ]{0,200}",
    ) {
        for bytes in [body.clone(), format!("unit_code,criterion_code,self_score\n{csv_like}").into_bytes()] {
            let dir = folder(&bytes);
            if let Err(errors) = read_session_dir(dir.path(), None) {
                prop_assert!(!errors.is_empty());
                for error in errors {
                    prop_assert!(error.file.ends_with("self_scores.csv"), "{}", error);
                    prop_assert!(!error.message().is_empty());
                    if let Some(line) = error.line {
                        // Physical lines: LF, CRLF and a lone CR each end one.
                        let lines = physical_lines(&bytes);
                        prop_assert!(line >= 1 && line <= lines, "{} (file has {lines} lines)", error);
                    }
                }
            }
        }
    }

    #[test]
    fn notes_read_back_as_written(note in "[^\u{0}]{0,80}", crlf in any::<bool>()) {
        let mut bytes = b"unit_code,criterion_code,self_score,note\n".to_vec();
        bytes.extend(csv_row(&["SNV", "1.1", "1", &note]));
        if crlf {
            bytes = String::from_utf8(bytes).unwrap().replace('\n', "\r\n").into_bytes();
        }
        let dir = folder(&bytes);
        let imported = read_session_dir(dir.path(), None).unwrap();
        let row = &imported.batch.submissions[0].1[0];
        let expected = nfc(note.trim());
        let expected = if crlf { expected.replace('\n', "\r\n") } else { expected };
        prop_assert_eq!(&row.note, &nfc(expected.trim()));
    }

    #[test]
    fn scores_on_the_step_read_back_with_comma_or_dot(quarters in -20i64..=40, comma in any::<bool>()) {
        let score = Decimal::new(quarters * 25, 2);
        let text = score.normalize().to_string();
        let text = if comma { text.replace('.', ",") } else { text };
        let bytes = [b"unit_code,criterion_code,self_score\n".to_vec(), csv_row(&["SNV", "1.1", &text])].concat();
        let dir = folder(&bytes);
        let imported = read_session_dir(dir.path(), None).unwrap();
        prop_assert_eq!(imported.batch.submissions[0].1[0].score, Some(score));
    }
}
