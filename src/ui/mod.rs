//! Pure rendering of the application state with ratatui.
