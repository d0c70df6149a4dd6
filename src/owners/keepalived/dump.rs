//! The shape shared by keepalived's text dumps: `------< Name >------` sections of indented
//! `key = value` lines, and the error that says what could not be read.

use serde::{Deserialize, Serialize};

/// Why a dump file could not be read. The format is not promised stable between keepalived
/// versions, so every failure names the file and what was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum DumpError {
    #[error("{file} is empty")]
    Empty { file: String },
    #[error(
        "{file} does not start with keepalived's \"Global definitions\" section: not a keepalived dump, or a format ipvs-tui does not know"
    )]
    NotADump { file: String },
    #[error("{file} has no \"{section}\" section")]
    MissingSection { file: String, section: String },
    #[error("{file} is cut short ({what}): keepalived may still be writing it")]
    Truncated { file: String, what: String },
    #[error("{file} line {line}: {what}")]
    Unreadable {
        file: String,
        line: usize,
        what: String,
    },
}

/// One line of a dump: its number (from 1), indentation and text without it.
#[derive(Debug, Clone, Copy)]
pub struct Line<'a> {
    pub no: usize,
    pub indent: usize,
    pub text: &'a str,
}

impl<'a> Line<'a> {
    /// `key = value` (the value may be empty), split at the first ` = `.
    pub fn kv(&self) -> Option<(&'a str, &'a str)> {
        let (k, v) = self
            .text
            .split_once(" = ")
            .or_else(|| self.text.strip_suffix(" =").map(|k| (k, "")))?;
        Some((k.trim(), v.trim()))
    }

    /// The section a `------< Name >------` line opens.
    pub fn banner(&self) -> Option<&'a str> {
        self.text.strip_prefix("------< ")?.strip_suffix(" >------")
    }
}

/// A dump split into its top-level sections, checked to be whole.
pub struct Dump<'a> {
    pub file: &'a str,
    pub sections: Vec<(&'a str, Vec<Line<'a>>)>,
}

impl<'a> Dump<'a> {
    /// Splits `text` into sections. A file that is empty, does not open with the global
    /// definitions, or ends in the middle of a line is refused.
    pub fn parse(file: &'a str, text: &'a str) -> Result<Dump<'a>, DumpError> {
        if text.trim().is_empty() {
            return Err(DumpError::Empty { file: file.into() });
        }
        if !text.ends_with('\n') {
            return Err(DumpError::Truncated {
                file: file.into(),
                what: "its last line has no end".into(),
            });
        }
        let mut sections: Vec<(&str, Vec<Line>)> = Vec::new();
        for (i, raw) in text.lines().enumerate() {
            let text = raw.trim_start();
            let line = Line {
                no: i + 1,
                indent: raw.len() - text.len(),
                text: text.trim_end(),
            };
            if line.text.is_empty() {
                continue;
            }
            match (line.indent, line.banner()) {
                (0, Some(name)) => sections.push((name, Vec::new())),
                _ => match sections.last_mut() {
                    Some((_, lines)) => lines.push(line),
                    None => return Err(DumpError::NotADump { file: file.into() }),
                },
            }
        }
        if sections.first().map(|s| s.0) != Some("Global definitions") {
            return Err(DumpError::NotADump { file: file.into() });
        }
        Ok(Dump { file, sections })
    }

    pub fn section(&self, name: &str) -> Option<&[Line<'a>]> {
        self.sections
            .iter()
            .find(|s| s.0 == name)
            .map(|s| s.1.as_slice())
    }

    /// True when `name` is the file's last section (so a block missing its end may be cut short).
    pub fn is_last(&self, name: &str) -> bool {
        self.sections.last().map(|s| s.0) == Some(name)
    }

    /// `Router ID` of the global definitions.
    pub fn router_id(&self) -> Option<String> {
        self.section("Global definitions")?
            .iter()
            .find_map(|l| match l.kv() {
                Some(("Router ID", v)) if !v.is_empty() => Some(v.to_string()),
                _ => None,
            })
    }

    pub fn unreadable(&self, line: &Line, what: impl Into<String>) -> DumpError {
        DumpError::Unreadable {
            file: self.file.into(),
            line: line.no,
            what: what.into(),
        }
    }

    /// A block that lacks `what`: cut short when it is the last block of the last section,
    /// else a shape this parser does not know.
    pub fn missing(&self, at_end: bool, line: &Line, what: &str) -> DumpError {
        if at_end {
            DumpError::Truncated {
                file: self.file.into(),
                what: format!("the block at line {} has no {what}", line.no),
            }
        } else {
            self.unreadable(line, format!("this block has no {what}"))
        }
    }
}

/// Splits lines into blocks, each opened by a line for which `opens` is true (lines before the
/// first opener are dropped).
pub fn blocks<'a, 'b>(
    lines: &'b [Line<'a>],
    opens: impl Fn(&Line<'a>) -> bool,
) -> Vec<&'b [Line<'a>]> {
    let starts: Vec<usize> = (0..lines.len()).filter(|&i| opens(&lines[i])).collect();
    starts
        .iter()
        .enumerate()
        .map(|(n, &s)| &lines[s..starts.get(n + 1).copied().unwrap_or(lines.len())])
        .collect()
}

/// The value of the first `key = value` line of `lines` with this key.
pub fn value<'a>(lines: &[Line<'a>], key: &str) -> Option<&'a str> {
    lines.iter().find_map(|l| match l.kv() {
        Some((k, v)) if k == key => Some(v),
        _ => None,
    })
}

/// Like [`value`], for lines shaped `KEY is VALUE` (`Inhibit on failure is ON`).
pub fn value_is<'a>(lines: &[Line<'a>], key: &str) -> Option<&'a str> {
    lines
        .iter()
        .find_map(|l| l.text.strip_prefix(key)?.strip_prefix(" is "))
}

/// keepalived's booleans: 1/0, yes/no, true/false, on/off, enabled/disabled.
pub fn boolean(v: &str) -> Option<bool> {
    match v.to_ascii_lowercase().as_str() {
        "1" | "yes" | "true" | "on" | "enabled" => Some(true),
        "0" | "no" | "false" | "off" | "disabled" => Some(false),
        _ => None,
    }
}
