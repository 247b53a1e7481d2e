//! The keys file, decoded with serde: one table per context (`[screens]`, `[editor]`,
//! `[confirm]`, `[agenda_list]`, `[help]`), each a `keymap` list of `{ on, run, desc }`
//! entries as in yazi's keymap files; and the first form, `[keys]` with `command = ["key", …]`,
//! which is the screens context.

use serde::Deserialize;
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use std::collections::BTreeMap;
use std::fmt;

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
#[derive(Debug)]
pub(super) struct KeyList(Vec<String>);

impl KeyList {
    pub fn texts(&self) -> Vec<&str> {
        self.0.iter().map(String::as_str).collect()
    }
}

/// Read by hand rather than as an untagged enum: the message says what was expected, and the
/// built-in keys are read without buffering every value first.
impl<'de> Deserialize<'de> for KeyList {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Keys;
        impl<'de> Visitor<'de> for Keys {
            type Value = KeyList;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a key (\"n\") or a list of keys ([\"n\", \"ctrl+n\"])")
            }
            fn visit_str<E: de::Error>(self, key: &str) -> Result<KeyList, E> {
                Ok(KeyList(vec![key.to_string()]))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<KeyList, A::Error> {
                let mut keys = Vec::new();
                while let Some(key) = seq.next_element::<String>()? {
                    keys.push(key);
                }
                Ok(KeyList(keys))
            }
        }
        deserializer.deserialize_any(Keys)
    }
}

/// Parses the file; a syntax or shape error comes with its line and column.
pub(super) fn parse(text: &str) -> Result<KeysFile, String> {
    toml::from_str(text).map_err(|e| e.to_string().trim_end().to_string())
}
