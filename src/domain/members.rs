//! Who may write to a session. Without a members list anyone who can open the file writes;
//! with one, only its members do, each under the name the list gives their login.

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    Chair,
    Secretary,
    Member,
    Observer,
}

impl Role {
    pub fn parse(text: &str) -> Option<Role> {
        match text.trim() {
            "chair" => Some(Role::Chair),
            "secretary" => Some(Role::Secretary),
            "member" => Some(Role::Member),
            "observer" => Some(Role::Observer),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Chair => "chair",
            Role::Secretary => "secretary",
            Role::Member => "member",
            Role::Observer => "observer",
        }
    }

    pub fn allows(self, permission: Permission) -> bool {
        match permission {
            Permission::Decide => self != Role::Observer,
            Permission::Manage => matches!(self, Role::Chair | Role::Secretary),
        }
    }
}

/// What a write needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Decide, flag, undo, redo.
    Decide,
    /// Import, configure, change the members list, finalise: the chair or the secretary.
    Manage,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub login: String,
    pub name: String,
    pub role: Role,
}

/// Why a write is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    NotAMember {
        login: String,
    },
    /// `--as`/`--by` named someone else.
    NotYourName {
        login: String,
        member: String,
        asked: String,
    },
    RoleCannot {
        login: String,
        role: Role,
        permission: Permission,
    },
}

/// Whether `login` may write with `permission`, and under which name: None when the session
/// has no members list (any name goes), else the member's name. `asked` is the name given with
/// `--as`/`--by`, if any; it must be the member's own.
pub fn authorise(
    members: &[Member],
    login: &str,
    asked: Option<&str>,
    permission: Permission,
) -> Result<Option<String>, Refusal> {
    if members.is_empty() {
        return Ok(None);
    }
    let member = members
        .iter()
        .find(|m| m.login == login)
        .ok_or_else(|| Refusal::NotAMember {
            login: login.to_string(),
        })?;
    if let Some(asked) = asked.map(str::trim).filter(|a| !a.is_empty())
        && asked != member.name
    {
        return Err(Refusal::NotYourName {
            login: login.to_string(),
            member: member.name.clone(),
            asked: asked.to_string(),
        });
    }
    if !member.role.allows(permission) {
        return Err(Refusal::RoleCannot {
            login: login.to_string(),
            role: member.role,
            permission,
        });
    }
    Ok(Some(member.name.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list() -> Vec<Member> {
        vec![
            Member {
                login: "nva".into(),
                name: "Nguyễn Văn A".into(),
                role: Role::Chair,
            },
            Member {
                login: "ttb".into(),
                name: "Trần Thị B".into(),
                role: Role::Member,
            },
            Member {
                login: "khach".into(),
                name: "Khách".into(),
                role: Role::Observer,
            },
        ]
    }

    #[test]
    fn without_a_list_anyone_writes_under_any_name() {
        assert_eq!(
            authorise(&[], "x", Some("Chủ tọa"), Permission::Manage),
            Ok(None)
        );
    }

    #[test]
    fn with_a_list_only_members_write_and_only_as_themselves() {
        let members = list();
        assert_eq!(
            authorise(&members, "nva", None, Permission::Manage),
            Ok(Some("Nguyễn Văn A".into()))
        );
        assert_eq!(
            authorise(&members, "ttb", Some("Trần Thị B"), Permission::Decide),
            Ok(Some("Trần Thị B".into()))
        );
        assert!(matches!(
            authorise(&members, "root", None, Permission::Decide),
            Err(Refusal::NotAMember { .. })
        ));
        assert!(matches!(
            authorise(&members, "ttb", Some("Nguyễn Văn A"), Permission::Decide),
            Err(Refusal::NotYourName { .. })
        ));
        assert!(matches!(
            authorise(&members, "ttb", None, Permission::Manage),
            Err(Refusal::RoleCannot { .. })
        ));
        assert!(matches!(
            authorise(&members, "khach", None, Permission::Decide),
            Err(Refusal::RoleCannot { .. })
        ));
    }
}
