//! `session.toml` in a session folder: the session's settings (issuer, year, council name,
//! signers, meeting, rank mode, bands), keys named as `council configure` names them. Read at
//! import when present and applied in the same import; every problem at `session.toml:line:column`.

use super::report::Report;
use crate::domain::settings::{SettingChange, normalise};
use crate::io::Problem;
use std::io::Read;
use std::ops::Range;
use std::path::Path;
use toml::de::{DeTable, DeValue};

pub const SESSION_FILE: &str = "session.toml";

/// A settings file is a few lines; anything bigger is not one.
const MAX_SESSION_FILE_BYTES: u64 = 1 << 20;

/// The settings `DIR/session.toml` names, each checked; none when there is no such file.
/// Problems go to `report` as errors, so that the import is refused as a whole.
pub(super) fn read_session_file(dir: &Path, report: &mut Report) -> Vec<SettingChange> {
    let path = dir.join(SESSION_FILE);
    let file = match super::source::regular_file(&path) {
        Ok(Some(file)) => file,
        Ok(None) => return Vec::new(),
        Err(problem) => {
            report.error(&path, None, None, problem);
            return Vec::new();
        }
    };
    let mut bytes = Vec::new();
    if let Err(e) = file
        .take(MAX_SESSION_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
    {
        report.error(&path, None, None, Problem::System(e.to_string()));
        return Vec::new();
    }
    if bytes.len() as u64 > MAX_SESSION_FILE_BYTES {
        report.error(&path, None, None, Problem::SessionFileTooLarge);
        return Vec::new();
    }
    let Ok(text) = String::from_utf8(bytes) else {
        report.error(&path, None, None, Problem::SessionFileNotUtf8);
        return Vec::new();
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    parse_settings(text, &path, report)
}

fn parse_settings(text: &str, path: &Path, report: &mut Report) -> Vec<SettingChange> {
    let table = match DeTable::parse(text) {
        Ok(table) => table.into_inner(),
        Err(error) => {
            let (line, column) = place(text, error.span().unwrap_or(0..0));
            let problem = Problem::System(error.message().trim().to_string());
            report.error(path, line, column, problem);
            return Vec::new();
        }
    };
    let mut changes = Vec::new();
    for (key, value) in &table {
        let key_name = key.get_ref().replace('-', "_");
        let (line, column) = place(text, value.span());
        let Some(value) = value_text(value.get_ref()) else {
            report.error(
                path,
                line,
                column,
                Problem::SettingNotTextOrNumber(key_name.clone()),
            );
            continue;
        };
        match normalise(&key_name, &value) {
            Ok(normalised) => changes.push((key_name, Some(normalised))),
            Err(error) => {
                // An unknown key is pointed at the key, a bad value at the value.
                let (line, column) = if crate::domain::settings::known_key(&key_name).is_err() {
                    place(text, key.span())
                } else {
                    (line, column)
                };
                report.error(path, line, column, Problem::Setting(error));
            }
        }
    }
    changes
}

/// A value as `configure` would take it: a string, or a number or date written bare.
fn value_text(value: &DeValue<'_>) -> Option<String> {
    match value {
        DeValue::String(text) => Some(text.to_string()),
        DeValue::Integer(number) => Some(number.as_str().replace('_', "")),
        DeValue::Datetime(date) => Some(date.to_string()),
        _ => None,
    }
}

/// The 1-based line and column (in characters) where a byte range starts.
fn place(text: &str, span: Range<usize>) -> (Option<u64>, Option<u64>) {
    let start = span.start.min(text.len());
    let before = text.get(..start).unwrap_or("");
    let line = before.matches('\n').count() as u64 + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() as u64 + 1;
    (Some(line), Some(column))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> (Vec<SettingChange>, Vec<String>) {
        let mut report = Report::default();
        let changes = parse_settings(text, Path::new("ho-so/session.toml"), &mut report);
        (
            changes,
            report.errors.iter().map(|e| e.to_string()).collect(),
        )
    }

    #[test]
    fn settings_are_read_with_the_keys_of_configure() {
        let (changes, errors) = read(
            "issuer = \"UBND TỈNH LÀO CAI\"\nyear = 2025\ncouncil-name = \"HỘI ĐỒNG THẨM ĐỊNH\"\n\
             meeting_date = 2025-11-23\nchair = \" Nguyễn Văn A \"\nrank_mode = \"dense\"\n",
        );
        assert!(errors.is_empty(), "{errors:?}");
        let get = |key: &str| {
            changes
                .iter()
                .find(|(k, _)| k == key)
                .and_then(|(_, v)| v.clone())
        };
        assert_eq!(get("issuer").as_deref(), Some("UBND TỈNH LÀO CAI"));
        assert_eq!(get("year").as_deref(), Some("2025"));
        assert_eq!(get("council_name").as_deref(), Some("HỘI ĐỒNG THẨM ĐỊNH"));
        assert_eq!(get("meeting_date").as_deref(), Some("2025-11-23"));
        assert_eq!(get("chair").as_deref(), Some("Nguyễn Văn A"));
        assert_eq!(get("rank_mode").as_deref(), Some("dense"));
    }

    #[test]
    fn every_problem_is_at_its_line_and_column() {
        let (_, errors) = read("issuer = \"UBND\"\nyear = \"hai nghìn\"\n");
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].starts_with("ho-so/session.toml:2:8: year"),
            "{errors:?}"
        );

        let (_, errors) = read("  colour = \"đỏ\"\n");
        assert!(
            errors[0].starts_with("ho-so/session.toml:1:3: "),
            "{errors:?}"
        );
        assert!(errors[0].contains("colour"), "{errors:?}");

        let (_, errors) = read("issuer = \"UBND\nyear = 2025\n");
        assert!(errors[0].starts_with("ho-so/session.toml:1:"), "{errors:?}");

        let (_, errors) = read("chair = [\"A\", \"B\"]\n");
        assert!(
            errors[0].starts_with("ho-so/session.toml:1:9: chair"),
            "{errors:?}"
        );

        let (_, errors) = read("year = 2025\nyear = 2026\n");
        assert!(errors[0].starts_with("ho-so/session.toml:2:"), "{errors:?}");
    }
}
