//! The terminal loop: init/restore, events → actions, effects → store.
