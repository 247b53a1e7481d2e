//! Third-party file parsers run contained: a panic inside one (calamine on a damaged
//! workbook, found by fuzzing) refuses that file instead of ending the program.

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};

thread_local! {
    static CONTAINING: Cell<bool> = const { Cell::new(false) };
}

/// Whether this thread is inside [`contain`]: the panic hook stays quiet then, since the
/// panic is caught and reported as the file's problem.
pub fn is_containing() -> bool {
    CONTAINING.get()
}

/// Runs `parse`; None if it panicked.
pub(crate) fn contain<T>(parse: impl FnOnce() -> T) -> Option<T> {
    let outer = CONTAINING.replace(true);
    let outcome = catch_unwind(AssertUnwindSafe(parse));
    CONTAINING.set(outer);
    outcome.ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_inside_is_none_and_the_flag_is_restored() {
        #[allow(clippy::panic)]
        let caught: Option<()> = contain(|| panic!("damaged"));
        assert_eq!(caught, None);
        assert!(!is_containing());
        assert_eq!(contain(|| (is_containing(), 7)), Some((true, 7)));
    }
}
