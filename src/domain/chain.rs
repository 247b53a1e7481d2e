//! The session's log is hash-chained: each entry carries the hash of the one before, so an
//! entry altered or deleted behind the tool's back breaks the chain at a nameable place. One
//! chain covers everything that determines a result: imports (with a digest of what they
//! wrote), decisions, flags, undos and redos, settings, members and the finalisation.

use sha2::{Digest, Sha256};

/// The hash that precedes the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The hash format of entries written by sessions of schema 1 and 2 (decisions only).
pub const FORMAT_LEGACY: i64 = 1;
/// The hash format this build writes: also covers the session id, the OS account and content.
pub const FORMAT_CURRENT: i64 = 2;

/// The fields of one log entry that the hash covers, in a fixed order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainFields<'a> {
    pub seq: i64,
    pub unit_code: &'a str,
    pub criterion_code: &'a str,
    pub action: &'a str,
    pub score: &'a str,
    /// The self-score the entry was made against.
    pub basis: &'a str,
    pub reason: &'a str,
    pub by: &'a str,
    pub at: &'a str,
    /// Which fields the hash covers: [`FORMAT_LEGACY`] or [`FORMAT_CURRENT`].
    pub format: i64,
    /// The session's own id (format 2 on).
    pub session: &'a str,
    /// The operating-system account that wrote the entry (format 2 on).
    pub login: &'a str,
    pub uid: Option<i64>,
    /// What an import, setting, member change or finalisation wrote, as JSON (format 2 on).
    pub content: &'a str,
}

/// SHA-256 (hex) of the previous hash and the entry's fields, each length-prefixed so that no
/// two different entries share a byte string.
pub fn entry_hash(previous: &str, fields: &ChainFields<'_>) -> String {
    let mut hasher = Sha256::new();
    let seq = fields.seq.to_string();
    let legacy = [
        previous,
        seq.as_str(),
        fields.unit_code,
        fields.criterion_code,
        fields.action,
        fields.score,
        fields.basis,
        fields.reason,
        fields.by,
        fields.at,
    ];
    let mut feed = |part: &str| {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part.as_bytes());
    };
    if fields.format == FORMAT_LEGACY {
        legacy.iter().for_each(|part| feed(part));
    } else {
        let uid = fields.uid.map(|u| u.to_string()).unwrap_or_default();
        let format = fields.format.to_string();
        feed("council-chain");
        feed(&format);
        legacy.iter().for_each(|part| feed(part));
        for part in [fields.session, fields.login, &uid, fields.content] {
            feed(part);
        }
    }
    hex(&hasher.finalize())
}

/// SHA-256 of bytes, as lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// A digest of table rows, value by value, each tagged with its type so that a number stored
/// as text (or the reverse) changes it too.
#[derive(Clone, Default)]
pub struct ContentHasher(Sha256);

impl ContentHasher {
    pub fn new() -> ContentHasher {
        ContentHasher::default()
    }
    fn tagged(&mut self, tag: u8, bytes: &[u8]) {
        self.0.update([tag]);
        self.0.update((bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
    }
    pub fn null(&mut self) {
        self.tagged(0, &[]);
    }
    pub fn integer(&mut self, value: i64) {
        self.tagged(1, &value.to_le_bytes());
    }
    pub fn real(&mut self, value: f64) {
        self.tagged(2, &value.to_bits().to_le_bytes());
    }
    pub fn text(&mut self, value: &[u8]) {
        self.tagged(3, value);
    }
    pub fn blob(&mut self, value: &[u8]) {
        self.tagged(4, value);
    }
    /// Marks the end of a row, so rows cannot be re-cut.
    pub fn end_row(&mut self) {
        self.tagged(5, &[]);
    }
    pub fn finish(self) -> String {
        hex(&self.0.finalize())
    }
}

/// One head a `council` process saw, as kept in a witness file outside the database.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Sighting {
    pub seq: i64,
    pub head: String,
    pub at: String,
    /// The display name of the process (`--as`, the member's name or the login).
    pub name: String,
    #[serde(default)]
    pub login: String,
    /// What saw it: "screen", or the command ("decide", "import", …).
    #[serde(default)]
    pub via: String,
    /// Where the session file was (for people reading the file; checks go by session id).
    #[serde(default)]
    pub path: String,
}

impl Sighting {
    /// Whether a council screen saw it (else a command did).
    pub fn by_screen(&self) -> bool {
        self.via == "screen"
    }
    /// The login, where it says something the name does not.
    pub fn other_login(&self) -> Option<&str> {
        (!self.login.is_empty() && self.login != self.name).then_some(self.login.as_str())
    }
    /// The command that saw it, where it was not a screen.
    pub fn command(&self) -> Option<&str> {
        (!self.via.is_empty() && !self.by_screen()).then_some(self.via.as_str())
    }
}

/// What a witness saw that the log no longer says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SightingProblem {
    /// The entry the witness saw has another hash now: the log was rewritten.
    Differs(Sighting),
    /// The witness saw an entry beyond the log's end (`last`).
    Removed { last: usize, sighting: Sighting },
}

/// Compares the chain (`hashes[i]` is entry i + 1's hash) with what witnesses saw. For each
/// person and process kind: the first entry that differs from what they saw, and the furthest
/// entry they saw that the log no longer has.
pub fn check_sightings(hashes: &[String], sightings: &[Sighting]) -> Vec<SightingProblem> {
    type Key<'s> = (&'s str, &'s str, &'s str);
    let mut groups: Vec<(Key<'_>, Option<&Sighting>, Option<&Sighting>)> = Vec::new();
    for sighting in sightings {
        let seen = usize::try_from(sighting.seq).unwrap_or(0);
        let beyond = seen > hashes.len();
        let agrees = seen == 0 || (!beyond && hashes[seen - 1] == sighting.head);
        if agrees {
            continue;
        }
        let key = (
            sighting.name.as_str(),
            sighting.login.as_str(),
            sighting.via.as_str(),
        );
        let index = match groups.iter().position(|g| g.0 == key) {
            Some(i) => i,
            None => {
                groups.push((key, None, None));
                groups.len() - 1
            }
        };
        let group = &mut groups[index];
        if beyond {
            if group.2.is_none_or(|s| s.seq < sighting.seq) {
                group.2 = Some(sighting);
            }
        } else if group.1.is_none_or(|s| s.seq > sighting.seq) {
            group.1 = Some(sighting);
        }
    }
    let mut problems = Vec::new();
    for (_, differs, beyond) in groups {
        if let Some(s) = differs {
            problems.push(SightingProblem::Differs(s.clone()));
        }
        if let Some(s) = beyond {
            let last = hashes.len();
            problems.push(SightingProblem::Removed {
                last,
                sighting: s.clone(),
            });
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> ChainFields<'static> {
        ChainFields {
            seq: 1,
            unit_code: "SNV",
            criterion_code: "1.1",
            action: "decide",
            score: "0.5",
            basis: "1",
            reason: "thiếu",
            by: "an",
            at: "2026-11-23T09:00:00+07:00",
            format: FORMAT_CURRENT,
            session: "5f0c",
            login: "an",
            uid: Some(1000),
            content: "",
        }
    }

    #[test]
    fn any_field_change_changes_the_hash() {
        let base = base();
        let h = entry_hash(GENESIS, &base);
        assert_eq!(h.len(), 64);
        assert_eq!(h, entry_hash(GENESIS, &base.clone()));
        let variants = [
            ChainFields {
                score: "0.75",
                ..base.clone()
            },
            ChainFields {
                session: "other",
                ..base.clone()
            },
            ChainFields {
                login: "root",
                ..base.clone()
            },
            ChainFields {
                uid: Some(0),
                ..base.clone()
            },
            ChainFields {
                content: "{}",
                ..base.clone()
            },
            ChainFields {
                format: FORMAT_LEGACY,
                ..base.clone()
            },
        ];
        for variant in variants {
            assert_ne!(h, entry_hash(GENESIS, &variant), "{variant:?}");
        }
        assert_ne!(h, entry_hash(&h, &base));
        // Moving a boundary between fields must not collide.
        assert_ne!(
            entry_hash(
                GENESIS,
                &ChainFields {
                    reason: "ab",
                    by: "c",
                    ..base.clone()
                }
            ),
            entry_hash(
                GENESIS,
                &ChainFields {
                    reason: "a",
                    by: "bc",
                    ..base
                }
            )
        );
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn legacy_entries_hash_as_they_always_did() {
        // The hash of a schema-2 entry, computed by the code of that time.
        let legacy = ChainFields {
            format: FORMAT_LEGACY,
            session: "ignored",
            login: "ignored",
            uid: Some(5),
            content: "ignored",
            ..base()
        };
        let plain = ChainFields {
            session: "",
            login: "",
            uid: None,
            content: "",
            ..legacy.clone()
        };
        assert_eq!(entry_hash(GENESIS, &legacy), entry_hash(GENESIS, &plain));
    }

    #[test]
    fn content_values_are_typed() {
        let digest = |f: fn(&mut ContentHasher)| {
            let mut h = ContentHasher::new();
            f(&mut h);
            h.finish()
        };
        assert_ne!(digest(|h| h.text(b"6")), digest(|h| h.integer(6)));
        assert_ne!(digest(|h| h.null()), digest(|h| h.text(b"")));
        assert_ne!(
            digest(|h| {
                h.text(b"a");
                h.end_row();
                h.text(b"b")
            }),
            digest(|h| {
                h.text(b"a");
                h.text(b"b");
                h.end_row()
            })
        );
    }

    #[test]
    fn sightings_name_the_first_entry_that_differs_per_person() {
        let hashes: Vec<String> = ["a", "b", "c"].iter().map(|s| s.to_string()).collect();
        let seen = |seq: i64, head: &str, name: &str, via: &str| Sighting {
            seq,
            head: head.into(),
            at: "2026-11-23T07:03:00Z".into(),
            name: name.into(),
            login: "nva".into(),
            via: via.into(),
            path: String::new(),
        };
        assert!(check_sightings(&hashes, &[seen(2, "b", "A", "screen")]).is_empty());
        let problems: Vec<String> = check_sightings(
            &hashes,
            &[
                seen(1, "a", "Nguyễn Văn A", "screen"),
                seen(2, "x", "Nguyễn Văn A", "screen"),
                seen(3, "y", "Nguyễn Văn A", "screen"),
                seen(5, "z", "Bình", "decide"),
            ],
        )
        .iter()
        .map(ToString::to_string)
        .collect();
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert_eq!(
            problems[0],
            format!(
                "entry 2 differs from what Nguyễn Văn A's screen saw at {} (login nva): the log was rewritten",
                super::super::time::local_date_time("2026-11-23T07:03:00Z")
            )
        );
        assert!(
            problems[1].contains("ends at entry 3 but Bình saw entry 5 at ")
                && problems[1].contains("(login nva, council decide)"),
            "{problems:?}"
        );
    }
}
