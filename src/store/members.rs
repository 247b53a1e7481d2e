//! The session's members list: who may write, under which name and role. Every change goes
//! into the chain; the table is what the chain's member entries fold to.

use super::chain::{self, NewEntry};
use super::{Rejection, Store, StoreError};
use crate::domain::account::Account;
use crate::domain::members::{Member, Permission, Role, authorise};
use rusqlite::{Connection, params};

pub(super) fn read_members(conn: &Connection) -> Result<Vec<Member>, StoreError> {
    let mut stmt = conn.prepare("SELECT login, name, role FROM members ORDER BY login")?;
    let mut rows = stmt.query([])?;
    let mut members = Vec::new();
    while let Some(row) = rows.next()? {
        let role: String = row.get(2)?;
        members.push(Member {
            login: row.get(0)?,
            name: row.get(1)?,
            role: Role::parse(&role).unwrap_or(Role::Observer),
        });
    }
    Ok(members)
}

/// The name a write by `account` is recorded under: the member's own with a members list
/// (refused as [`StoreError::NotPermitted`] where the list does not allow it), else None.
pub(super) fn authorise_in(
    conn: &Connection,
    account: &Account,
    asked: Option<&str>,
    permission: Permission,
) -> Result<Option<String>, StoreError> {
    authorise(&read_members(conn)?, &account.login, asked, permission)
        .map_err(StoreError::NotPermitted)
}

/// A list that no chair or secretary could ever change again is refused.
fn check_managed(members: &[Member]) -> Result<(), StoreError> {
    if members.is_empty() || members.iter().any(|m| m.role.allows(Permission::Manage)) {
        Ok(())
    } else {
        Err(Rejection::NoChairOrSecretary.into())
    }
}

impl Store {
    /// The members list, by login; empty: anyone who can open the file may write.
    pub fn members(&self) -> Result<Vec<Member>, StoreError> {
        read_members(&self.conn)
    }

    /// Whether this process's login may write with `permission`: the name to record (the
    /// member's own) when the session has a members list, None when it has none.
    pub fn authorise(
        &self,
        asked: Option<&str>,
        permission: Permission,
    ) -> Result<Option<String>, StoreError> {
        authorise_in(&self.conn, &self.account, asked, permission)
    }

    /// Adds a member, or changes a member's name and role. Once the list exists only its
    /// chair or secretary may change it.
    pub fn add_member(&mut self, member: &Member, at: &str) -> Result<(), StoreError> {
        let content = serde_json::json!({
            "op": "add",
            "login": member.login,
            "name": member.name,
            "role": member.role.as_str(),
        })
        .to_string();
        self.change_members(&content, at, |members| {
            members.retain(|m| m.login != member.login);
            members.push(member.clone());
            Ok(())
        })
    }

    /// Removes a member.
    pub fn remove_member(&mut self, login: &str, at: &str) -> Result<(), StoreError> {
        let content = serde_json::json!({ "op": "remove", "login": login }).to_string();
        self.change_members(&content, at, |members| {
            let before = members.len();
            members.retain(|m| m.login != login);
            if members.len() == before {
                return Err(Rejection::NotOnTheList(login.to_string()).into());
            }
            Ok(())
        })
    }

    fn change_members(
        &mut self,
        content: &str,
        at: &str,
        change: impl FnOnce(&mut Vec<Member>) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let default_name = self.actor_name();
        let asked = self.actor_name.clone();
        let asked = asked.as_deref();
        let tx = chain::begin_write(&mut self.conn)?;
        let mut members = read_members(&tx)?;
        let by = if members.is_empty() {
            None
        } else {
            authorise(&members, &self.account.login, asked, Permission::Manage)
                .map_err(StoreError::NotPermitted)?
        };
        change(&mut members)?;
        check_managed(&members)?;
        tx.execute("DELETE FROM members", [])?;
        for m in &members {
            tx.execute(
                "INSERT INTO members (login, name, role) VALUES (?1, ?2, ?3)",
                params![m.login, m.name, m.role.as_str()],
            )?;
        }
        let by = by.unwrap_or(default_name);
        chain::append(
            &tx,
            &self.account,
            &NewEntry {
                action: "member",
                by: &by,
                at,
                content,
                ..Default::default()
            },
        )?;
        tx.commit()?;
        Ok(())
    }
}
