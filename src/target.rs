//! Where a director is: a target as the command line names it (`--on local`, `--on sim:lb1`).
//! One type for every kind of director, so the console, `compare` and the subcommands parse
//! targets in one place; the remote kinds (`ssh:`, `netns:`, `exec:`) come with the agent.

use std::fmt;
use std::str::FromStr;

/// The role a simulated director plays in its pair: a master binds the VIPs and runs the
/// master sync daemon; a backup binds none and runs the backup sync daemon.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SimRole {
    Master,
    Backup,
}

/// A director.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Target {
    /// This host's IPVS (or the network namespace `--netns` entered).
    Local,
    /// A simulated director (`sim:NAME[:backup]`): the demo's table with traffic seeded from
    /// its name, so the same name gives the same director every time.
    Sim { name: String, role: SimRole },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TargetError {
    #[error("`{0}`: an empty target; allowed: local, sim:NAME[:backup]")]
    Empty(String),
    #[error(
        "`{0}`: a simulated director needs a name of letters, digits, `-`, `_` or `.` (e.g. sim:lb1, sim:lb2:backup)"
    )]
    SimName(String),
    #[error("`{0}`: a simulated director's role is `master` or `backup` (e.g. sim:lb2:backup)")]
    SimRole(String),
    #[error("`{0}`: unknown kind of target; allowed: local, sim:NAME[:backup]")]
    Unknown(String),
}

impl Target {
    /// A short name for headers and rows: `local`, `lb1`.
    pub fn name(&self) -> String {
        match self {
            Target::Local => "local".into(),
            Target::Sim { name, .. } => name.clone(),
        }
    }

    /// The seed of a simulated director: FNV-1a of its name, stable across runs and builds.
    pub fn seed(name: &str) -> u64 {
        name.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        })
    }
}

impl FromStr for Target {
    type Err = TargetError;

    fn from_str(text: &str) -> Result<Target, TargetError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(TargetError::Empty(text.into()));
        }
        if text == "local" {
            return Ok(Target::Local);
        }
        let Some(rest) = text.strip_prefix("sim:") else {
            return Err(TargetError::Unknown(text.into()));
        };
        let (name, role) = match rest.split_once(':') {
            None => (rest, SimRole::Master),
            Some((name, "master")) => (name, SimRole::Master),
            Some((name, "backup")) => (name, SimRole::Backup),
            Some(_) => return Err(TargetError::SimRole(text.into())),
        };
        let ok = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
        if name.is_empty() || name.len() > 64 || !name.chars().all(ok) {
            return Err(TargetError::SimName(text.into()));
        }
        Ok(Target::Sim {
            name: name.into(),
            role,
        })
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Local => f.write_str("local"),
            Target::Sim {
                name,
                role: SimRole::Master,
            } => write!(f, "sim:{name}"),
            Target::Sim {
                name,
                role: SimRole::Backup,
            } => write!(f, "sim:{name}:backup"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_read_back_as_written() {
        for text in ["local", "sim:lb1", "sim:lb2:backup", "sim:a.b-c_d"] {
            let target: Target = text.parse().unwrap();
            assert_eq!(target.to_string(), text);
        }
        assert_eq!(
            "sim:lb1:master".parse::<Target>().unwrap().to_string(),
            "sim:lb1"
        );
    }

    #[test]
    fn bad_targets_say_what_is_allowed() {
        let err = |t: &str| t.parse::<Target>().unwrap_err().to_string();
        assert_eq!(
            err("lb1"),
            "`lb1`: unknown kind of target; allowed: local, sim:NAME[:backup]"
        );
        assert!(err("sim:").contains("needs a name"), "{}", err("sim:"));
        assert!(err("sim:a b").contains("needs a name"));
        assert!(err("sim:lb1:slave").contains("`master` or `backup`"));
        assert!(err("").contains("empty target"));
    }

    #[test]
    fn the_seed_is_the_names_and_differs_between_names() {
        assert_eq!(Target::seed("lb1"), Target::seed("lb1"));
        assert_ne!(Target::seed("lb1"), Target::seed("lb2"));
    }
}
