//! The user's configuration files (keymap.toml, theme.toml in the XDG config directory) and the
//! one way a mistake in them is reported: the file, the line, what is wrong, and that the
//! defaults are used instead.

pub mod settings;

use std::path::{Path, PathBuf};

/// A mistake in a configuration file, at a line when we know it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{message}", line.map(|l| format!("line {l}: ")).unwrap_or_default())]
pub struct ConfigError {
    pub line: Option<usize>,
    pub message: String,
}

impl ConfigError {
    pub fn at(text: &str, offset: Option<usize>, message: impl Into<String>) -> ConfigError {
        ConfigError {
            line: offset.map(|o| line_of(text, o)),
            message: message.into(),
        }
    }

    /// From a toml parse or type error, with the line its span points at.
    pub fn from_toml(text: &str, e: &toml::de::Error) -> ConfigError {
        ConfigError::at(
            text,
            e.span().map(|s| s.start),
            e.message().trim().to_string(),
        )
    }
}

/// 1-based line of a byte offset.
pub fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// `$XDG_CONFIG_HOME/ipvs-tui/NAME` (or the platform's equivalent), when there is a home.
pub fn user_file(name: &str) -> Option<PathBuf> {
    dirs::config_dir().map(|d| d.join("ipvs-tui").join(name))
}

/// Parses the user's file if there is one. `Ok(None)`: no file. `Err`: a sentence for the
/// operator naming the file, what the console uses `instead`, and the line.
pub fn load<T>(
    path: Option<&Path>,
    instead: &str,
    parse: impl Fn(&str) -> Result<T, ConfigError>,
) -> Result<Option<T>, String> {
    let Some(path) = path else { return Ok(None) };
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(format!(
                "{} is ignored, {instead}: cannot read it: {e}",
                path.display()
            ));
        }
    };
    // What the console does comes first: a long message may be cut on a small screen.
    parse(&text)
        .map(Some)
        .map_err(|e| format!("{} is ignored, {instead}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_counted_from_one() {
        assert_eq!(line_of("a\nb\nc", 0), 1);
        assert_eq!(line_of("a\nb\nc", 2), 2);
        assert_eq!(line_of("a\nb\nc", 99), 3);
    }

    #[test]
    fn a_missing_file_is_no_error_and_a_bad_one_names_the_line() {
        let dir = std::env::temp_dir().join(format!("ipvs-tui-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let parse = |t: &str| {
            t.parse::<u32>()
                .map_err(|_| ConfigError::at(t, Some(0), "not a number"))
        };
        assert_eq!(
            load(
                Some(&dir.join("absent.toml")),
                "the default keys are used",
                parse
            ),
            Ok(None)
        );
        let bad = dir.join("bad.toml");
        std::fs::write(&bad, "x").unwrap();
        let err = load(Some(&bad), "the default keys are used", parse).unwrap_err();
        assert!(
            err.ends_with("bad.toml is ignored, the default keys are used: line 1: not a number"),
            "{err}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
