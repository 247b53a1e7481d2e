//! Who a process writes as, and what else the store takes from outside the database. The
//! operating system is read in `io::system`; the store is handed the result.

/// The operating-system account of a process (not `$USER`: anyone can set that).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub login: String,
    pub uid: Option<u32>,
}

/// What a store is opened with: the account every entry is recorded under, where a new
/// session's id comes from, and the clock for the entries the store writes of itself (a
/// migration's). Function pointers, so that the store reads no file and no clock on its own.
#[derive(Debug, Clone)]
pub struct Host {
    pub account: Account,
    /// A fresh random session id (128 bits as hex).
    pub new_id: fn() -> String,
    /// Now, as stored.
    pub now: fn() -> String,
}
