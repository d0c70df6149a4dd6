//! Where a director is and how its agent is started: `local`, `netns:NAME`,
//! `ssh:[USER@]HOST[:PORT]` or `exec:COMMAND`, and the directors named in config.toml; and
//! `sim:NAME[:backup]`, a simulated director the console runs in its own process.

use serde::Deserialize;
use std::fmt;
use std::str::FromStr;

/// The agent's command when none is configured: `ipvs-tui agent` on the far side's PATH.
pub const DEFAULT_COMMAND: &str = "ipvs-tui agent";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// This host, through an agent of this very program.
    Local,
    /// A network namespace of this host (`ip netns exec NAME`).
    Netns(String),
    /// Another host, through the system's `ssh` (the user's keys, agent, config and known_hosts).
    Ssh {
        user: Option<String>,
        host: String,
        port: Option<u16>,
    },
    /// Any command whose standard input and output speak the protocol (`sh -c COMMAND`).
    Exec(String),
    /// A simulated director (`sim:NAME[:backup]`): the demo's table with traffic seeded from its
    /// name, so the same name gives the same director every time (see `backend::sim::named`).
    Sim { name: String, role: SimRole },
}

/// The role a simulated director plays in its pair: a master binds the VIPs and runs the
/// master sync daemon; a backup binds none and runs the backup sync daemon.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SimRole {
    Master,
    Backup,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "target {text:?}: {reason}; a target is local, netns:NAME, ssh:[USER@]HOST[:PORT], exec:COMMAND, sim:NAME[:backup] or a director's name from config.toml"
)]
pub struct TargetError {
    pub text: String,
    pub reason: String,
}

impl FromStr for Target {
    type Err = TargetError;

    fn from_str(text: &str) -> Result<Target, TargetError> {
        let bad = |reason: &str| TargetError {
            text: text.to_string(),
            reason: reason.to_string(),
        };
        if text == "local" {
            return Ok(Target::Local);
        }
        let Some((kind, rest)) = text.split_once(':') else {
            return Err(bad("unknown kind of target"));
        };
        match kind {
            "netns" if rest.is_empty() || rest.contains(char::is_whitespace) => {
                Err(bad("a namespace name has no spaces and is not empty"))
            }
            "netns" => Ok(Target::Netns(rest.to_string())),
            "exec" if rest.trim().is_empty() => Err(bad("the command is empty")),
            "exec" => Ok(Target::Exec(rest.to_string())),
            "ssh" => ssh(rest).map_err(|r| bad(&r)),
            "sim" => sim(rest).map_err(|r| bad(&r)),
            _ => Err(bad(&format!("unknown kind {kind:?}"))),
        }
    }
}

/// `NAME[:master|:backup]`.
fn sim(rest: &str) -> Result<Target, String> {
    let (name, role) = match rest.split_once(':') {
        None => (rest, SimRole::Master),
        Some((name, "master")) => (name, SimRole::Master),
        Some((name, "backup")) => (name, SimRole::Backup),
        Some((_, role)) => {
            return Err(format!(
                "a simulated director's role is master or backup, not {role:?}"
            ));
        }
    };
    let ok = |c: char| c.is_ascii_alphanumeric() || "._-".contains(c);
    if name.is_empty() || name.len() > 64 || !name.chars().all(ok) {
        return Err(format!(
            "a simulated director's name {name:?} is 1 to 64 letters, digits, . - or _"
        ));
    }
    Ok(Target::Sim {
        name: name.to_string(),
        role,
    })
}

fn ssh(rest: &str) -> Result<Target, String> {
    let (user, hostport) = match rest.rsplit_once('@') {
        Some(("", h)) => return Err(format!("no user before @ in {h:?}")),
        Some((u, h)) => (Some(u.to_string()), h),
        None => (None, rest),
    };
    // [v6]:port, v6 alone (several colons), host:port, host.
    let (host, port) = if let Some(inner) = hostport.strip_prefix('[') {
        let (host, after) = inner
            .split_once(']')
            .ok_or("an IPv6 address in [ ] lacks its ]")?;
        match after.strip_prefix(':') {
            Some(p) => (host, Some(p)),
            None if after.is_empty() => (host, None),
            None => return Err(format!("{after:?} after the ]")),
        }
    } else if hostport.matches(':').count() == 1 {
        let (h, p) = hostport.split_once(':').unwrap_or((hostport, ""));
        (h, Some(p))
    } else {
        (hostport, None)
    };
    let valid = |s: &str| {
        !s.is_empty()
            && !s.starts_with('-')
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "._-:%".contains(c))
    };
    if !valid(host) {
        return Err(format!(
            "host {host:?} must be a name or address (letters, digits, . - _ :), not starting with -"
        ));
    }
    if let Some(u) = &user
        && (u.starts_with('-') || u.contains(char::is_whitespace))
    {
        return Err(format!("user {u:?} must not start with - or hold spaces"));
    }
    let port = match port {
        Some(p) => Some(
            p.parse::<u16>()
                .ok()
                .filter(|p| *p > 0)
                .ok_or(format!("port {p:?} must be a number from 1 to 65535"))?,
        ),
        None => None,
    };
    Ok(Target::Ssh {
        user,
        host: host.to_string(),
        port,
    })
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Local => f.write_str("local"),
            Target::Netns(n) => write!(f, "netns:{n}"),
            Target::Ssh { user, host, port } => {
                f.write_str("ssh:")?;
                if let Some(u) = user {
                    write!(f, "{u}@")?;
                }
                match (host.contains(':'), port) {
                    (true, Some(p)) => write!(f, "[{host}]:{p}"),
                    (false, Some(p)) => write!(f, "{host}:{p}"),
                    (_, None) => f.write_str(host),
                }
            }
            Target::Exec(c) => write!(f, "exec:{c}"),
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

/// A director: its name (the target's text when it has none), where it is, and its agent's
/// command on the far side (for `ssh:`, `netns:` and `local`; `exec:` is its own command).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectorSpec {
    pub name: String,
    pub target: Target,
    pub command: Option<String>,
}

impl DirectorSpec {
    pub fn of(target: Target) -> DirectorSpec {
        DirectorSpec {
            name: target.to_string(),
            target,
            command: None,
        }
    }

    /// The program and arguments that start this director's agent.
    pub fn argv(&self) -> Vec<String> {
        let this = || {
            std::env::current_exe()
                .map(|p| p.display().to_string())
                .unwrap_or_else(|_| "ipvs-tui".into())
        };
        let own = |prefix: Vec<String>| match &self.command {
            Some(c) => [prefix, vec!["sh".into(), "-c".into(), c.clone()]].concat(),
            None => [prefix, vec![this(), "agent".into()]].concat(),
        };
        match &self.target {
            Target::Local => own(Vec::new()),
            Target::Netns(n) => own(vec!["ip".into(), "netns".into(), "exec".into(), n.clone()]),
            Target::Exec(c) => vec!["sh".into(), "-c".into(), c.clone()],
            // The console runs its simulated directors itself; through an agent, the demo.
            Target::Sim { .. } => vec![this(), "--demo".into(), "agent".into()],
            Target::Ssh { user, host, port } => {
                let mut argv: Vec<String> = [
                    "ssh",
                    "-T",
                    "-e",
                    "none",
                    "-o",
                    "BatchMode=yes",
                    "-o",
                    "ConnectTimeout=10",
                    "-o",
                    "ServerAliveInterval=10",
                ]
                .map(String::from)
                .to_vec();
                if let Some(p) = port {
                    argv.extend(["-p".into(), p.to_string()]);
                }
                if let Some(u) = user {
                    argv.extend(["-l".into(), u.clone()]);
                }
                argv.push("--".into());
                argv.push(host.clone());
                argv.push(self.command.clone().unwrap_or(DEFAULT_COMMAND.into()));
                argv
            }
        }
    }
}

/// `[[director]]` in config.toml.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DirectorEntry {
    pub name: String,
    pub target: String,
    pub command: Option<String>,
}

/// `TEXT` as a director: a name from `configured`, else a target.
pub fn resolve(text: &str, configured: &[DirectorEntry]) -> Result<DirectorSpec, TargetError> {
    if let Some(d) = configured.iter().find(|d| d.name == text) {
        let target = d.target.parse::<Target>().map_err(|e| TargetError {
            text: e.text,
            reason: format!("{} (director {:?} in config.toml)", e.reason, d.name),
        })?;
        return Ok(DirectorSpec {
            name: d.name.clone(),
            target,
            command: d.command.clone(),
        });
    }
    text.parse().map(DirectorSpec::of)
}

#[cfg(test)]
#[path = "target_tests.rs"]
mod tests;

/// `TEXT` as a director, with the names of the user's config.toml; a config file that cannot
/// be read is mentioned only when TEXT is not a target by itself.
pub fn resolve_with_config(text: &str) -> Result<DirectorSpec, String> {
    let file = crate::config::user_file("config.toml");
    let loaded = crate::config::load(
        file.as_deref(),
        "no director names are known",
        crate::config::settings::Settings::parse,
    );
    let (directors, problem) = match loaded {
        Ok(settings) => (settings.map(|s| s.directors).unwrap_or_default(), None),
        Err(problem) => (Vec::new(), Some(problem)),
    };
    resolve(text, &directors).map_err(|e| match problem {
        Some(p) => format!("{e} ({p})"),
        None => e.to_string(),
    })
}
