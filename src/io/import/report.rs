//! Errors and warnings of one import: every one counted, the first 200 listed.

use super::MAX_LISTED;
use crate::io::{InputError, InputWarning, Problem};
use std::path::Path;

#[derive(Default)]
pub(in crate::io) struct Report {
    pub(in crate::io) errors: Vec<InputError>,
    pub(in crate::io) error_count: usize,
    pub(super) warnings: Vec<InputWarning>,
    pub(super) warning_count: usize,
}

pub(super) fn entry(
    file: &Path,
    line: Option<u64>,
    column: Option<u64>,
    problem: Problem,
) -> InputError {
    InputError {
        file: file.to_path_buf(),
        line,
        column,
        problem,
    }
}

impl Report {
    pub(super) fn error(
        &mut self,
        file: &Path,
        line: Option<u64>,
        column: Option<u64>,
        problem: Problem,
    ) {
        let place = (file, line, column);
        push_capped(&mut self.errors, &mut self.error_count, place, problem);
    }

    pub(super) fn warn(
        &mut self,
        file: &Path,
        line: Option<u64>,
        column: Option<u64>,
        problem: Problem,
    ) {
        let place = (file, line, column);
        push_capped(&mut self.warnings, &mut self.warning_count, place, problem);
    }

    /// Appends another report's messages after this one's, within the same caps.
    pub(super) fn absorb(&mut self, other: Report) {
        self.error_count += other.error_count;
        self.warning_count += other.warning_count;
        let room = MAX_LISTED.saturating_sub(self.errors.len());
        self.errors.extend(other.errors.into_iter().take(room));
        let room = MAX_LISTED.saturating_sub(self.warnings.len());
        self.warnings.extend(other.warnings.into_iter().take(room));
    }

    /// Adds what `more` says to the first error listed.
    pub(super) fn extend_first_error(&mut self, more: Problem) {
        if let Some(first) = self.errors.first_mut() {
            let problem = std::mem::replace(&mut first.problem, Problem::NoCriteria);
            first.problem = Problem::Also(Box::new(problem), Box::new(more));
        }
    }

    pub(super) fn into_refused(self, dir: &Path) -> super::Refused {
        let count = self.error_count;
        let warnings = with_unlisted(self.warnings, self.warning_count, dir, Noun::Warnings);
        super::Refused {
            errors: with_unlisted(self.errors, self.error_count, dir, Noun::Errors),
            count,
            warnings,
        }
    }

    pub(super) fn into_warnings(self, dir: &Path) -> Vec<InputWarning> {
        with_unlisted(self.warnings, self.warning_count, dir, Noun::Warnings)
    }
}

/// Counts a message and lists it while fewer than [`MAX_LISTED`] are listed.
pub(super) fn push_capped(
    listed: &mut Vec<InputError>,
    count: &mut usize,
    (file, line, column): (&Path, Option<u64>, Option<u64>),
    problem: Problem,
) {
    *count += 1;
    if listed.len() < MAX_LISTED {
        listed.push(entry(file, line, column, problem));
    }
}

/// What a list of messages holds, to name it in its closing line.
pub(super) enum Noun {
    Errors,
    Warnings,
}

/// The listed messages, ending with how many more there were.
pub(super) fn with_unlisted(
    mut listed: Vec<InputError>,
    count: usize,
    dir: &Path,
    noun: Noun,
) -> Vec<InputError> {
    let unlisted = count - listed.len();
    if unlisted > 0 {
        let problem = match noun {
            Noun::Errors => Problem::MoreErrors(unlisted),
            Noun::Warnings => Problem::MoreWarnings(unlisted),
        };
        listed.push(entry(dir, None, None, problem));
    }
    listed
}
