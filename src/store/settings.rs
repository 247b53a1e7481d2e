//! The session's settings (rank mode, bands, …): one table, each change an entry of the chain.

use super::chain::{self, NewEntry};
use super::{Store, StoreError};
use crate::domain::members::Permission;
use crate::domain::settings::{SettingChange, Settings, known_key, normalise};
use rusqlite::{Connection, params};

pub(super) fn read_settings(conn: &Connection) -> Result<Settings, StoreError> {
    let mut stmt = conn.prepare("SELECT key, value FROM settings")?;
    let map = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    Ok(Settings(map))
}

fn rejected(error: crate::domain::settings::SettingError) -> StoreError {
    StoreError::Rejected(super::Rejection::Setting(error))
}

impl Store {
    /// The session's settings.
    pub fn settings(&self) -> Result<Settings, StoreError> {
        read_settings(&self.conn)
    }

    /// Sets (or, with None, removes) settings, each value checked first; with a members list
    /// only the chair or the secretary may. Returns the settings after the change.
    pub fn configure(
        &mut self,
        changes: &[SettingChange],
        at: &str,
    ) -> Result<Settings, StoreError> {
        let normalised = normalised(changes)?;
        let default_name = self.actor_name();
        let asked = self.actor_name.clone();
        let tx = chain::begin_write(&mut self.conn)?;
        let by =
            super::members::authorise_in(&tx, &self.account, asked.as_deref(), Permission::Manage)?
                .unwrap_or(default_name);
        write_settings(&tx, &self.account, &by, &normalised, at)?;
        let settings = read_settings(&tx)?;
        tx.commit()?;
        Ok(settings)
    }
}

/// Each value checked and in its stored form; an unknown key refused.
pub(super) fn normalised(changes: &[SettingChange]) -> Result<Vec<SettingChange>, StoreError> {
    let mut normalised: Vec<SettingChange> = Vec::with_capacity(changes.len());
    for (key, value) in changes {
        let value = match value {
            Some(v) => Some(normalise(key, v).map_err(rejected)?),
            None => {
                known_key(key).map_err(rejected)?;
                None
            }
        };
        normalised.push((key.clone(), value));
    }
    Ok(normalised)
}

/// Writes normalised changes and their `configure` entry of the chain, inside the caller's
/// write transaction (a configure, or an import that brings a session.toml).
pub(super) fn write_settings(
    tx: &Connection,
    account: &crate::domain::account::Account,
    by: &str,
    normalised: &[SettingChange],
    at: &str,
) -> Result<(), StoreError> {
    for (key, value) in normalised {
        match value {
            Some(value) => tx.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![key, value],
            )?,
            None => tx.execute("DELETE FROM settings WHERE key = ?1", [key])?,
        };
    }
    let content = serde_json::json!({ "changes": normalised }).to_string();
    chain::append(
        tx,
        account,
        &NewEntry {
            action: "configure",
            by,
            at,
            content: &content,
            ..Default::default()
        },
    )?;
    Ok(())
}
