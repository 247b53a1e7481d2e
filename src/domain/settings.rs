//! The session's settings: values that every screen and command of the session share (how
//! units are ranked and banded). Stored as text under a key, so that further keys (the
//! issuing body, the year, the chair's name, the meeting's date and place) only need an
//! entry in [`SETTINGS`].

use super::rollup::{Bands, RankMode};
use std::collections::BTreeMap;

/// `competition` (1, 1, 3) or `dense` (1, 1, 2).
pub const RANK_MODE: &str = "rank_mode";
/// Band thresholds on the index %, e.g. `A=90,B=80,C=70,D=0`.
pub const BANDS: &str = "bands";

/// A known setting: its key and how a value given for it is checked and written.
pub struct SettingSpec {
    pub key: &'static str,
    /// The stored form of a value, or why it is refused.
    pub normalise: fn(&str) -> Result<String, SettingError>,
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
];

/// Why a setting is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettingError {
    /// A key no session carries; the known keys are [`SETTINGS`].
    UnknownKey(String),
    RankMode(String),
    Bands(#[from] super::rollup::BandsError),
}

fn normalise_rank_mode(value: &str) -> Result<String, SettingError> {
    match value.trim() {
        "competition" => Ok("competition".into()),
        "dense" => Ok("dense".into()),
        other => Err(SettingError::RankMode(other.to_string())),
    }
}

fn normalise_bands(value: &str) -> Result<String, SettingError> {
    Ok(Bands::parse(value).map(|bands| bands.to_text())?)
}

/// Whether `key` is a setting a session can carry.
pub fn known_key(key: &str) -> Result<&'static SettingSpec, SettingError> {
    SETTINGS
        .iter()
        .find(|s| s.key == key)
        .ok_or_else(|| SettingError::UnknownKey(key.to_string()))
}

/// The keys a session can carry, for messages: "rank_mode, bands".
pub fn known_keys() -> String {
    SETTINGS
        .iter()
        .map(|s| s.key)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The stored form of `value` for `key`, or why it is refused (an unknown key included).
pub fn normalise(key: &str, value: &str) -> Result<String, SettingError> {
    (known_key(key)?.normalise)(value)
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

    /// The session's bands; the defaults unless set (a stored value that no longer parses
    /// falls back to them too, and `verify` names the row).
    pub fn bands(&self) -> Bands {
        self.get(BANDS)
            .and_then(|text| Bands::parse(text).ok())
            .unwrap_or_default()
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
