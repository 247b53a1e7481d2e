//! The screen's trace, for measuring how fast changes travel between processes (the live
//! benchmark, `benches/live.rs`): with `COUNCIL_TRACE=FILE` a screen appends one line to FILE
//! each time a frame shows what other processes changed (`shown`, once the frame is written
//! to the terminal), and each time this screen, leading, published a move (`published`, once
//! the database has it). A line is the wall-clock time in nanoseconds since the Unix epoch
//! and what happened:
//!
//! ```text
//! 1764321000123456789 seen decision 42 move 17
//! 1764321000123999999 published move 18
//! ```
//!
//! `seen decision D move M`: the frame shows the decision log up to entry D and the leader's
//! move M. A debugging aid: it costs nothing when the variable is not set.

use crate::store::Store;
use std::io::Write;
use std::time::{SystemTime, UNIX_EPOCH};

pub struct Trace {
    file: std::fs::File,
    /// What the next frame will show of other processes' changes.
    unshown: Option<(i64, i64)>,
}

fn unix_nanos() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos())
}

impl Trace {
    /// The trace asked for by `COUNCIL_TRACE`, if any (a file that cannot be opened: none).
    pub fn from_env() -> Option<Trace> {
        let path = std::env::var_os("COUNCIL_TRACE")?;
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .ok()?;
        Some(Trace {
            file,
            unshown: None,
        })
    }

    fn line(&mut self, what: &str) {
        // One write per line: lines from one process never interleave.
        let _ = self
            .file
            .write_all(format!("{} {what}\n", unix_nanos()).as_bytes());
    }

    /// Other processes' changes were read, up to (decision, move): the next frame shows them.
    pub fn seen(&mut self, marks: (i64, i64)) {
        self.unshown = Some(marks);
    }

    /// A frame was drawn.
    pub fn shown(&mut self) {
        if let Some((decision, moved)) = self.unshown.take() {
            self.line(&format!("seen decision {decision} move {moved}"));
        }
    }

    /// This screen published a move (leading): the database now has it.
    pub fn published(&mut self, store: &Store) {
        if let Ok(meeting) = store.meeting() {
            self.line(&format!("published move {}", meeting.move_seq));
        }
    }
}
