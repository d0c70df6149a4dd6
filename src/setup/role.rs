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
    pub fn parse(text: &str) -> Result<Role, String> {
        Role::ALL
            .into_iter()
            .find(|r| r.name() == text)
            .ok_or_else(|| {
                let names: Vec<&str> = Role::ALL.iter().map(|r| r.name()).collect();
                format!("role \"{text}\": must be one of {}", names.join(", "))
            })
    }

    pub fn is_director(self) -> bool {
        matches!(
            self,
            Role::NatDirector | Role::DrDirector | Role::TunDirector
        )
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
