//! Application state and actions: testable without a terminal.
