//! Witness files: the chain heads that `council` processes saw, kept outside the database in
//! the user's state folder (`$XDG_STATE_HOME/council/witness/`, by default
//! `~/.local/state/council/witness/`), one file per session id, one JSON line per sighting.
//! A chain recomputed behind the tool's back no longer matches what the witnesses saw.

use crate::domain::chain::Sighting;
use std::io::Write;
use std::os::unix::fs::DirBuilderExt;
use std::path::PathBuf;

/// The user's state folder: `$XDG_STATE_HOME` when set to an absolute path, else
/// `~/.local/state`.
pub fn state_dir() -> Option<PathBuf> {
    std::env::var_os("XDG_STATE_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| {
            std::env::var_os("HOME")
                .map(PathBuf::from)
                .filter(|p| p.is_absolute())
                .map(|home| home.join(".local/state"))
        })
}

/// The folder of witness files.
pub fn witness_dir() -> Option<PathBuf> {
    state_dir().map(|dir| dir.join("council").join("witness"))
}

/// The witness file of a session. The id comes from the database, so anything but a plain id
/// is hashed rather than used as a file name.
pub fn witness_file(session_id: &str) -> Option<PathBuf> {
    let plain = !session_id.is_empty()
        && session_id.len() <= 64
        && session_id.chars().all(|c| c.is_ascii_alphanumeric());
    let name = if plain {
        session_id.to_string()
    } else {
        crate::domain::chain::sha256_hex(session_id.as_bytes())
    };
    witness_dir().map(|dir| dir.join(format!("{name}.jsonl")))
}

/// Why a head seen could not be kept.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WitnessError {
    /// Neither XDG_STATE_HOME nor HOME is set.
    NoStateFolder,
    /// The witness file could not be written (the system's words).
    CannotKeep {
        file: PathBuf,
        error: String,
    },
    Json(String),
}

/// Appends the heads one process sees, each once.
#[derive(Debug, Clone)]
pub struct Witness {
    file: Option<PathBuf>,
    name: String,
    login: String,
    via: String,
    path: String,
    last: Option<(i64, String)>,
}

impl Witness {
    /// A witness for the session `session_id` at `path`, writing as `name` (and the process's
    /// login); `via` is "screen" or the command.
    pub fn new(session_id: &str, path: &std::path::Path, name: &str, via: &str) -> Witness {
        Witness {
            file: witness_file(session_id),
            name: name.to_string(),
            login: super::system::account().login.clone(),
            via: via.to_string(),
            path: std::path::absolute(path)
                .unwrap_or_else(|_| path.to_path_buf())
                .display()
                .to_string(),
            last: None,
        }
    }

    /// Records that the chain's head is entry `seq` with hash `head`, unless this witness
    /// already recorded it.
    pub fn see(&mut self, seq: i64, head: &str, at: &str) -> Result<(), WitnessError> {
        if self
            .last
            .as_ref()
            .is_some_and(|(s, h)| *s == seq && h == head)
        {
            return Ok(());
        }
        let Some(file) = &self.file else {
            return Err(WitnessError::NoStateFolder);
        };
        let sighting = Sighting {
            seq,
            head: head.to_string(),
            at: at.to_string(),
            name: self.name.clone(),
            login: self.login.clone(),
            via: self.via.clone(),
            path: self.path.clone(),
        };
        let mut line =
            serde_json::to_string(&sighting).map_err(|e| WitnessError::Json(e.to_string()))?;
        line.push('\n');
        let fail = |e: std::io::Error| WitnessError::CannotKeep {
            file: file.clone(),
            error: e.to_string(),
        };
        if let Some(dir) = file.parent() {
            std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(dir)
                .map_err(fail)?;
        }
        // One write of one short line in append mode: lines of processes writing at once
        // do not interleave.
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(file)
            .and_then(|mut f| f.write_all(line.as_bytes()))
            .map_err(fail)?;
        self.last = Some((seq, head.to_string()));
        Ok(())
    }
}

/// Every sighting of a session kept in this user's state folder, oldest first; lines that do
/// not parse are counted, not fatal.
pub fn sightings(session_id: &str) -> (Vec<Sighting>, usize) {
    let Some(file) = witness_file(session_id) else {
        return (Vec::new(), 0);
    };
    let Ok(text) = std::fs::read_to_string(&file) else {
        return (Vec::new(), 0);
    };
    let mut bad = 0;
    let seen = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .filter_map(|line| {
            let parsed = serde_json::from_str::<Sighting>(line).ok();
            bad += usize::from(parsed.is_none());
            parsed
        })
        .collect();
    (seen, bad)
}
