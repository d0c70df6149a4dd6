//! The role of this machine in an LVS setup: a director (NAT, DR, TUN) or a real server.

use serde::Serialize;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    NatDirector,
    DrDirector,
    TunDirector,
    DrRealServer,
    TunRealServer,
    /// Advice only: the real server's default gateway must be the director's inside address.
    NatRealServer,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::NatDirector,
        Role::DrDirector,
        Role::TunDirector,
        Role::DrRealServer,
        Role::TunRealServer,
        Role::NatRealServer,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Role::NatDirector => "nat-director",
            Role::DrDirector => "dr-director",
            Role::TunDirector => "tun-director",
            Role::DrRealServer => "dr-real-server",
            Role::TunRealServer => "tun-real-server",
            Role::NatRealServer => "nat-real-server",
        }
    }

    /// A role by its name; the error lists every name allowed.
    pub fn parse(text: &str) -> Result<Role, UnknownRole> {
        Role::ALL
            .into_iter()
            .find(|r| r.name() == text)
            .ok_or_else(|| UnknownRole(text.to_string()))
    }

    pub fn is_director(self) -> bool {
        matches!(
            self,
            Role::NatDirector | Role::DrDirector | Role::TunDirector
        )
    }
}

/// A role name that is none of [`Role::ALL`]; the message lists every name allowed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("role \"{0}\": must be one of {names}", names = Role::ALL.map(Role::name).join(", "))]
pub struct UnknownRole(pub String);

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
