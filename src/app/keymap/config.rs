//! The keys file, decoded with serde: one table per context (`[screens]`, `[editor]`,
//! `[confirm]`, `[agenda_list]`, `[help]`), each a `keymap` list of `{ on, run, desc }`
//! entries as in yazi's keymap files; and the first form, `[keys]` with `command = ["key", …]`,
//! which is the screens context.

use super::KeymapError;
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
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

/// A key, or a list of keys that all do the same; `NotKeys` for a value of another kind (a
/// number, a table), reported with the command it was given for.
#[derive(Debug)]
pub(super) enum KeyList {
    Keys(Vec<String>),
    NotKeys,
}

impl KeyList {
    /// The keys as written; None when the value was not keys.
    pub fn texts(&self) -> Option<Vec<&str>> {
        match self {
            KeyList::Keys(keys) => Some(keys.iter().map(String::as_str).collect()),
            KeyList::NotKeys => None,
        }
    }
}

/// One element of a list of keys: a key, or something else.
struct KeyItem(Option<String>);

/// Read by hand rather than as an untagged enum: a value that is not keys is kept (and
/// reported with its command, beside the file's other problems) instead of failing the whole
/// file, and the built-in keys are read without buffering every value first.
impl<'de> Deserialize<'de> for KeyList {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ListVisitor)
    }
}

impl<'de> Deserialize<'de> for KeyItem {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match deserializer.deserialize_any(ListVisitor)? {
            KeyList::Keys(mut one) if one.len() == 1 => Ok(KeyItem(one.pop())),
            _ => Ok(KeyItem(None)),
        }
    }
}

struct ListVisitor;

impl<'de> Visitor<'de> for ListVisitor {
    type Value = KeyList;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key (\"n\") or a list of keys ([\"n\", \"ctrl+n\"])")
    }
    fn visit_str<E: de::Error>(self, key: &str) -> Result<KeyList, E> {
        Ok(KeyList::Keys(vec![key.to_string()]))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<KeyList, A::Error> {
        let mut keys = Vec::new();
        let mut all_keys = true;
        while let Some(KeyItem(key)) = seq.next_element::<KeyItem>()? {
            match key {
                Some(key) => keys.push(key),
                None => all_keys = false,
            }
        }
        Ok(if all_keys {
            KeyList::Keys(keys)
        } else {
            KeyList::NotKeys
        })
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<KeyList, A::Error> {
        while map
            .next_entry::<de::IgnoredAny, de::IgnoredAny>()?
            .is_some()
        {}
        Ok(KeyList::NotKeys)
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<KeyList, E> {
        Ok(KeyList::NotKeys)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<KeyList, E> {
        Ok(KeyList::NotKeys)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<KeyList, E> {
        Ok(KeyList::NotKeys)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<KeyList, E> {
        Ok(KeyList::NotKeys)
    }
}

/// Parses the file. Not TOML at all, or TOML but not a keys file (a table that does not
/// exist, an entry without `run`): serde's message, with line and column, on one line.
pub(super) fn parse(text: &str) -> Result<KeysFile, KeymapError> {
    toml::from_str(text).map_err(|e| {
        let message = crate::domain::text::one_line(&e.to_string());
        if text.parse::<toml::Table>().is_err() {
            KeymapError::NotToml(message)
        } else {
            KeymapError::Shape(message)
        }
    })
}
