//! The console's settings file (config.toml in the XDG config directory; documented defaults in
//! assets/config.toml): read-only mode, where the audit log goes, where `P` writes its files,
//! where debug logs go, whether keepalived is asked for its state.

use crate::config::ConfigError;
use serde::Deserialize;
use std::path::PathBuf;

pub const DEFAULT_SETTINGS: &str = include_str!("../../assets/config.toml");

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// No change is offered and the backend refuses changes (as --read-only).
    #[serde(default)]
    pub read_only: bool,
    /// The audit log file, instead of the default location (as --audit-log).
    pub audit_log: Option<PathBuf>,
    /// Where the persist pane (`P`) writes, instead of /etc (as `ipvs-tui persist --dir`).
    pub persist_dir: Option<PathBuf>,
    /// Where debug logs go, for bug reports (as --log-file); none by default.
    pub log_file: Option<PathBuf>,
    /// Ask a running keepalived for its state every 10 s (SIGUSR1 and its dump files).
    #[serde(default = "yes")]
    pub keepalived: bool,
    /// `[[director]]`: directors by name, usable wherever a target is (`--on lb1`).
    #[serde(default, rename = "director")]
    pub directors: Vec<crate::remote::DirectorEntry>,
}

fn yes() -> bool {
    true
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            read_only: false,
            audit_log: None,
            persist_dir: None,
            log_file: None,
            keepalived: true,
            directors: Vec::new(),
        }
    }
}

impl Settings {
    pub fn parse(text: &str) -> Result<Settings, ConfigError> {
        toml::from_str(text).map_err(|e| ConfigError::from_toml(text, &e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_defaults_parse_to_the_defaults() {
        assert_eq!(
            Settings::parse(DEFAULT_SETTINGS).unwrap(),
            Settings::default()
        );
    }

    #[test]
    fn settings_and_mistakes() {
        let s = Settings::parse(
            "read_only = true\naudit_log = \"/tmp/a.log\"\npersist_dir = \"/tmp/etc\"\nlog_file = \"/tmp/l.log\"\nkeepalived = false\n",
        )
        .unwrap();
        assert!(s.read_only);
        assert!(!s.keepalived);
        assert_eq!(s.audit_log, Some(PathBuf::from("/tmp/a.log")));
        assert_eq!(s.persist_dir, Some(PathBuf::from("/tmp/etc")));
        assert_eq!(s.log_file, Some(PathBuf::from("/tmp/l.log")));
        let e = Settings::parse("read_only = true\nreadonly = 1\n").unwrap_err();
        assert_eq!(e.line, Some(2), "{e}");
        assert!(e.message.contains("unknown field"), "{e}");
        let e = Settings::parse("read_only = \"yes\"\n").unwrap_err();
        assert_eq!(e.line, Some(1), "{e}");
    }

    #[test]
    fn directors_by_name() {
        let s = Settings::parse(
            "[[director]]\nname = \"lb1\"\ntarget = \"ssh:root@lb1\"\ncommand = \"sudo -n /usr/local/bin/ipvs-tui agent\"\n\n[[director]]\nname = \"lb2\"\ntarget = \"netns:lb2\"\n",
        )
        .unwrap();
        assert_eq!(s.directors.len(), 2);
        assert_eq!(s.directors[0].target, "ssh:root@lb1");
        assert_eq!(
            s.directors[0].command.as_deref(),
            Some("sudo -n /usr/local/bin/ipvs-tui agent")
        );
        assert_eq!(s.directors[1].command, None);
        let e = Settings::parse("[[director]]\nname = \"lb1\"\nhost = \"lb1\"\n").unwrap_err();
        assert!(e.message.contains("unknown field"), "{e}");
    }
}
