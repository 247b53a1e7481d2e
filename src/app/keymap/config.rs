//! The keys file, decoded with serde: one table per context (`[screens]`, `[editor]`,
//! `[confirm]`, `[agenda_list]`, `[help]`), each a `keymap` list of `{ on, run, desc }`
//! entries as in yazi's keymap files; and the first form, `[keys]` with `command = ["key", …]`,
//! which is the screens context.

use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct KeysFile {
    /// The first form of the file: `[keys]` with `command = ["key", …]` (the screens).
    #[serde(default)]
    pub keys: BTreeMap<String, KeyList>,
    pub screens: Option<Section>,
    pub editor: Option<Section>,
    pub confirm: Option<Section>,
    pub agenda_list: Option<Section>,
    pub help: Option<Section>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Section {
    #[serde(default)]
    pub keymap: Vec<Entry>,
}

/// One binding: the keys `on` run the command `run`; `desc` replaces its help text.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Entry {
    pub on: KeyList,
    pub run: String,
    pub desc: Option<String>,
}

/// A key, or a list of keys that all do the same.
#[derive(Debug, Deserialize)]
#[serde(
    untagged,
    expecting = "a key (\"n\") or a list of keys ([\"n\", \"ctrl+n\"])"
)]
pub(super) enum KeyList {
    One(String),
    Many(Vec<String>),
}

impl KeyList {
    pub fn texts(&self) -> Vec<&str> {
        match self {
            KeyList::One(key) => vec![key.as_str()],
            KeyList::Many(keys) => keys.iter().map(String::as_str).collect(),
        }
    }
}

/// Parses the file; a syntax or shape error comes with its line and column.
pub(super) fn parse(text: &str) -> Result<KeysFile, String> {
    toml::from_str(text).map_err(|e| e.to_string().trim_end().to_string())
}
