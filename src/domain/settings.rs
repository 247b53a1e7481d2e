//! The session's settings: values that every screen and command of the session share (how
//! units are ranked and banded; the issuing body, the year, the council's name, the signers and
//! the meeting that the official documents carry). Stored as text under a key, so that a
//! further key only needs an entry in [`SETTINGS`].

use super::rollup::{Bands, RankMode};
use std::collections::BTreeMap;

/// `competition` (1, 1, 3) or `dense` (1, 1, 2).
pub const RANK_MODE: &str = "rank_mode";
/// Band thresholds on the index %, e.g. `A=90,B=80,C=70,D=0`.
pub const BANDS: &str = "bands";
/// The issuing body at the top left of the official documents (`UBND TỈNH LÀO CAI`).
pub const ISSUER: &str = "issuer";
/// The year of the scoring round (`2025`).
pub const YEAR: &str = "year";
/// The council's name under the issuer (`HỘI ĐỒNG THẨM ĐỊNH CHỈ SỐ CCHC`).
pub const COUNCIL_NAME: &str = "council_name";
/// The names in the signature blocks.
pub const CHAIR: &str = "chair";
pub const SECRETARY: &str = "secretary";
/// When and where the council met (the report): a date `2025-11-23`, a place.
pub const MEETING_DATE: &str = "meeting_date";
pub const MEETING_PLACE: &str = "meeting_place";

/// A known setting: its key and how a value given for it is checked and written.
pub struct SettingSpec {
    pub key: &'static str,
    /// The stored form of a value, or why it is refused.
    pub normalise: fn(&str) -> Result<String, ValueProblem>,
}

/// Every key a session can carry.
pub const SETTINGS: &[SettingSpec] = &[
    SettingSpec {
        key: RANK_MODE,
        normalise: normalise_rank_mode,
    },
    SettingSpec {
        key: BANDS,
        normalise: normalise_bands,
    },
    SettingSpec {
        key: ISSUER,
        normalise: normalise_line,
    },
    SettingSpec {
        key: YEAR,
        normalise: normalise_year,
    },
    SettingSpec {
        key: COUNCIL_NAME,
        normalise: normalise_line,
    },
    SettingSpec {
        key: CHAIR,
        normalise: normalise_line,
    },
    SettingSpec {
        key: SECRETARY,
        normalise: normalise_line,
    },
    SettingSpec {
        key: MEETING_DATE,
        normalise: normalise_date,
    },
    SettingSpec {
        key: MEETING_PLACE,
        normalise: normalise_line,
    },
];

/// The longest text a document setting may hold: a heading line, not a file.
pub const MAX_LINE_CHARS: usize = 200;

/// Why a setting is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettingError {
    /// A key no session carries; the known keys are [`SETTINGS`].
    UnknownKey(String),
    /// A value refused for a key.
    Value { key: String, problem: ValueProblem },
}

/// What is wrong with a setting's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueProblem {
    /// Use --unset to remove a setting.
    Empty,
    /// A control character (its code point) in a line of a document.
    Control(u32),
    /// More than [`MAX_LINE_CHARS`] characters (how many).
    TooLong(usize),
    Year(String),
    Date(String),
    RankMode(String),
    Bands(super::rollup::BandsError),
}

/// A line of a document (a name, a body, a place): trimmed, NFC, one line, not empty.
fn normalise_line(value: &str) -> Result<String, ValueProblem> {
    let line = super::text::nfc(value.trim());
    if line.is_empty() {
        return Err(ValueProblem::Empty);
    }
    if let Some(c) = line.chars().find(|c| c.is_control()) {
        return Err(ValueProblem::Control(c as u32));
    }
    let chars = line.chars().count();
    if chars > MAX_LINE_CHARS {
        return Err(ValueProblem::TooLong(chars));
    }
    Ok(line)
}

fn normalise_year(value: &str) -> Result<String, ValueProblem> {
    match value.trim().parse::<u16>() {
        Ok(year) if (1990..=2200).contains(&year) => Ok(year.to_string()),
        _ => Err(ValueProblem::Year(value.trim().to_string())),
    }
}

/// A date as `2025-11-23` or as Vietnamese write it, `23/11/2025`; stored `2025-11-23`.
fn normalise_date(value: &str) -> Result<String, ValueProblem> {
    let text = value.trim();
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .or_else(|_| chrono::NaiveDate::parse_from_str(text, "%d/%m/%Y"))
        .map(|date| date.format("%Y-%m-%d").to_string())
        .map_err(|_| ValueProblem::Date(text.to_string()))
}

fn normalise_rank_mode(value: &str) -> Result<String, ValueProblem> {
    match value.trim() {
        "competition" => Ok("competition".into()),
        "dense" => Ok("dense".into()),
        other => Err(ValueProblem::RankMode(other.to_string())),
    }
}

fn normalise_bands(value: &str) -> Result<String, ValueProblem> {
    Bands::parse(value)
        .map(|bands| bands.to_text())
        .map_err(ValueProblem::Bands)
}

/// Whether `key` is a setting a session can carry.
pub fn known_key(key: &str) -> Result<&'static SettingSpec, SettingError> {
    SETTINGS
        .iter()
        .find(|s| s.key == key)
        .ok_or_else(|| SettingError::UnknownKey(key.to_string()))
}

/// The keys a session can carry, for messages: "rank_mode, bands, …".
pub fn known_keys() -> String {
    SETTINGS
        .iter()
        .map(|s| s.key)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The stored form of `value` for `key`, or why it is refused (an unknown key included; a
/// refused value names its key: `chair: empty value …`).
pub fn normalise(key: &str, value: &str) -> Result<String, SettingError> {
    (known_key(key)?.normalise)(value).map_err(|problem| SettingError::Value {
        key: key.to_string(),
        problem,
    })
}

/// One change: a key set to a value, or removed (None: back to the default).
pub type SettingChange = (String, Option<String>);

/// The settings of a session, by key.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings(pub BTreeMap<String, String>);

impl Settings {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).map(String::as_str)
    }

    /// Applies changes in order.
    pub fn apply(&mut self, changes: &[SettingChange]) {
        for (key, value) in changes {
            match value {
                Some(value) => self.0.insert(key.clone(), value.clone()),
                None => self.0.remove(key),
            };
        }
    }

    /// The session's rank mode; competition ranking unless set.
    pub fn rank_mode(&self) -> RankMode {
        match self.get(RANK_MODE) {
            Some("dense") => RankMode::Dense,
            _ => RankMode::Competition,
        }
    }

    /// A document setting (issuer, year, names, meeting), "" when not set.
    pub fn text(&self, key: &str) -> &str {
        self.get(key).unwrap_or("")
    }

    /// The session's bands; the defaults unless set (a stored value that no longer parses
    /// falls back to them too, and `verify` names the row).
    pub fn bands(&self) -> Bands {
        self.get(BANDS)
            .and_then(|text| Bands::parse(text).ok())
            .unwrap_or_default()
    }
}

/// What the official documents carry from the settings: the heading and the signers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Letterhead {
    /// `UBND TỈNH LÀO CAI`; "" when not set.
    pub issuer: String,
    /// `2025`; "" when not set.
    pub year: String,
    pub council_name: String,
    pub chair: String,
    pub secretary: String,
}

impl Letterhead {
    /// The council's name when none is set.
    pub const DEFAULT_COUNCIL_NAME: &'static str = "HỘI ĐỒNG THẨM ĐỊNH";

    pub fn from_settings(settings: &Settings) -> Letterhead {
        Letterhead {
            issuer: settings.text(ISSUER).to_string(),
            year: settings.text(YEAR).to_string(),
            council_name: settings.text(COUNCIL_NAME).to_string(),
            chair: settings.text(CHAIR).to_string(),
            secretary: settings.text(SECRETARY).to_string(),
        }
    }

    /// The council's name, or the default one.
    pub fn council(&self) -> &str {
        if self.council_name.is_empty() {
            Self::DEFAULT_COUNCIL_NAME
        } else {
            &self.council_name
        }
    }

    /// `KẾT QUẢ THẨM ĐỊNH CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2025` (no year when none is set).
    pub fn appraisal_title(&self) -> String {
        let title = "KẾT QUẢ THẨM ĐỊNH CHỈ SỐ CẢI CÁCH HÀNH CHÍNH";
        if self.year.is_empty() {
            title.to_string()
        } else {
            format!("{title} NĂM {}", self.year)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_checked_and_written_in_one_form() {
        assert_eq!(normalise(RANK_MODE, " dense ").unwrap(), "dense");
        assert!(normalise(RANK_MODE, "olympic").is_err());
        assert_eq!(
            normalise(BANDS, "Tốt=85, Khá=70,Yếu=0").unwrap(),
            "Tốt=85,Khá=70,Yếu=0"
        );
        assert!(normalise(BANDS, "A=90,B=95").is_err());
        assert!(
            normalise("colour", "red")
                .unwrap_err()
                .to_string()
                .contains("rank_mode")
        );
    }

    #[test]
    fn document_settings_are_one_clean_line() {
        assert_eq!(
            normalise(ISSUER, "  UBND TỈNH LÀO CAI ").unwrap(),
            "UBND TỈNH LÀO CAI"
        );
        assert_eq!(
            normalise(CHAIR, "Nguye\u{302}\u{303}n Văn A").unwrap(),
            "Nguyễn Văn A"
        );
        assert!(normalise(CHAIR, "   ").is_err());
        assert!(normalise(MEETING_PLACE, "Phòng họp\nsố 2").is_err());
        assert!(normalise(COUNCIL_NAME, &"x".repeat(201)).is_err());
        assert_eq!(normalise(YEAR, " 2025 ").unwrap(), "2025");
        assert!(normalise(YEAR, "25").is_err());
        assert!(normalise(YEAR, "2025.5").is_err());
        assert_eq!(normalise(MEETING_DATE, "23/11/2025").unwrap(), "2025-11-23");
        assert_eq!(normalise(MEETING_DATE, "2025-11-23").unwrap(), "2025-11-23");
        assert!(normalise(MEETING_DATE, "31/02/2025").is_err());
        assert!(normalise(MEETING_DATE, "hôm qua").is_err());
    }

    #[test]
    fn settings_fold_their_changes_and_fall_back_to_defaults() {
        let mut settings = Settings::default();
        assert_eq!(settings.rank_mode(), RankMode::Competition);
        assert_eq!(settings.bands(), Bands::default());
        settings.apply(&[
            (RANK_MODE.into(), Some("dense".into())),
            (BANDS.into(), Some("Đạt=50".into())),
        ]);
        assert_eq!(settings.rank_mode(), RankMode::Dense);
        assert_eq!(settings.bands().0.len(), 1);
        settings.apply(&[(RANK_MODE.into(), None)]);
        assert_eq!(settings.rank_mode(), RankMode::Competition);
    }
}
