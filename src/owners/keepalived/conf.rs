//! Where keepalived writes its notify FIFOs: `notify_fifo`, `vrrp_notify_fifo` and
//! `lvs_notify_fifo` in `global_defs` of its configuration (the file named by `-f`, and the
//! files it includes), and whether a `*_notify_fifo_script` already reads them.
//!
//! Only what is needed is understood: comments (`#`, `!`), braces, `include` with `*` and `?`
//! in the file name. A line keepalived would read differently (a `$VARIABLE`, an `@instance`
//! condition) makes the answer "cannot tell", never a guess.

use std::path::{Path, PathBuf};

/// The FIFO keywords of `global_defs`, and what each carries.
const FIFOS: [(&str, Carries); 3] = [
    ("notify_fifo", Carries::Both),
    ("vrrp_notify_fifo", Carries::Vrrp),
    ("lvs_notify_fifo", Carries::Checker),
];
/// Files included deeper than this, or more than this many, are not read.
const MAX_DEPTH: usize = 8;
const MAX_FILES: usize = 64;

/// Which of keepalived's processes write to a FIFO.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Carries {
    Vrrp,
    Checker,
    Both,
}

/// What keepalived's configuration says of its notify FIFOs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NotifyConfig {
    /// (keyword, FIFO path), in the order found, each path once.
    pub fifos: Vec<(&'static str, PathBuf)>,
    /// The `*_notify_fifo_script` keywords found: keepalived runs a reader of its own.
    pub scripts: Vec<String>,
    /// The files read (the config and what it includes).
    pub files: Vec<PathBuf>,
}

/// Why the FIFOs cannot be told from the configuration.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfError {
    #[error("cannot read {}: {reason}", path.display())]
    Read { path: PathBuf, reason: String },
    #[error("{} line {line}: {what}", path.display())]
    Unclear {
        path: PathBuf,
        line: usize,
        what: String,
    },
}

impl NotifyConfig {
    /// Which processes the FIFOs carry: (VRRP, checker).
    pub fn carries(&self) -> (bool, bool) {
        let has = |want: Carries| {
            self.fifos.iter().any(|(k, _)| {
                FIFOS
                    .iter()
                    .any(|(name, c)| name == k && (*c == want || *c == Carries::Both))
            })
        };
        (has(Carries::Vrrp), has(Carries::Checker))
    }
}

/// Reads `config` and the files it includes.
pub fn read(config: &Path) -> Result<NotifyConfig, ConfError> {
    let mut found = NotifyConfig::default();
    let mut depth = 0i32;
    scan(config, 0, &mut depth, &mut found)?;
    Ok(found)
}

/// Scans one file; `depth` counts the braces open across files (an include may sit in a block).
fn scan(
    path: &Path,
    level: usize,
    depth: &mut i32,
    found: &mut NotifyConfig,
) -> Result<(), ConfError> {
    if level > MAX_DEPTH || found.files.len() >= MAX_FILES {
        return Err(ConfError::Unclear {
            path: path.to_path_buf(),
            line: 0,
            what: format!("includes nested over {MAX_DEPTH} deep or over {MAX_FILES} files"),
        });
    }
    let text = std::fs::read(path).map_err(|e| ConfError::Read {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })?;
    found.files.push(path.to_path_buf());
    let text = String::from_utf8_lossy(&text);
    let mut block: Vec<String> = Vec::new();
    for (n, raw) in text.lines().enumerate() {
        let unclear = |what: String| ConfError::Unclear {
            path: path.to_path_buf(),
            line: n + 1,
            what,
        };
        let words = words(raw);
        let Some(first) = words.first() else {
            continue;
        };
        if first == "include" {
            let pattern = words
                .get(1)
                .ok_or_else(|| unclear("include without a file".into()))?;
            for file in expand(path, pattern) {
                scan(&file, level + 1, depth, found)?;
            }
            continue;
        }
        let in_globals = *depth == 1 && block.last().is_some_and(|b| b == "global_defs");
        let keyword = first.trim_start_matches('@');
        if in_globals && keyword.ends_with("notify_fifo_script") {
            found.scripts.push(keyword.to_string());
        } else if in_globals && let Some((name, _)) = FIFOS.iter().find(|(k, _)| *k == keyword) {
            if first.starts_with('@') || raw.contains('$') {
                return Err(unclear(format!(
                    "{keyword} depends on a condition or a variable"
                )));
            }
            let fifo = words
                .get(1)
                .ok_or_else(|| unclear(format!("{keyword} without a path")))?;
            let fifo = PathBuf::from(fifo.trim_matches('"'));
            if !found.fifos.iter().any(|(_, p)| *p == fifo) {
                found.fifos.push((name, fifo));
            }
        }
        for w in &words {
            match w.as_str() {
                "{" => {
                    *depth += 1;
                    block.push(words[0].clone());
                }
                "}" => {
                    *depth -= 1;
                    block.pop();
                }
                _ => {}
            }
        }
    }
    Ok(())
}

/// The words of a line without its comment; braces are words of their own.
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    for word in line.split_whitespace() {
        if word.starts_with('#') || word.starts_with('!') {
            break;
        }
        let mut current = String::new();
        for c in word.chars() {
            if c == '{' || c == '}' {
                if !current.is_empty() {
                    out.push(std::mem::take(&mut current));
                }
                out.push(c.to_string());
            } else {
                current.push(c);
            }
        }
        if !current.is_empty() {
            out.push(current);
        }
    }
    out
}

/// The files an `include` names, relative to the including file's directory, with `*` and `?`
/// in the file name (not in directories), sorted as keepalived's glob does.
fn expand(from: &Path, pattern: &str) -> Vec<PathBuf> {
    let pattern = Path::new(pattern.trim_matches('"'));
    let full = if pattern.is_absolute() {
        pattern.to_path_buf()
    } else {
        from.parent().unwrap_or(Path::new("/")).join(pattern)
    };
    let Some(name) = full.file_name().and_then(|n| n.to_str()) else {
        return vec![];
    };
    if !name.contains(['*', '?']) {
        return vec![full];
    }
    let dir = full.parent().unwrap_or(Path::new("/"));
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_str().is_some_and(|f| matches(name, f)))
        .map(|e| e.path())
        .collect();
    files.sort();
    files
}

/// Shell-style match of `*` and `?`; a leading dot is matched only by a dot. Greedy, going
/// back to the last `*` on a mismatch: linear-ish, whatever the pattern.
fn matches(pattern: &str, name: &str) -> bool {
    let (p, n): (Vec<char>, Vec<char>) = (pattern.chars().collect(), name.chars().collect());
    if name.starts_with('.') != pattern.starts_with('.') {
        return false;
    }
    let (mut i, mut j) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while j < n.len() {
        match p.get(i) {
            Some('*') => {
                star = Some((i, j));
                i += 1;
            }
            Some(&c) if c == '?' || c == n[j] => {
                i += 1;
                j += 1;
            }
            _ => match star {
                Some((si, sj)) => {
                    i = si + 1;
                    j = sj + 1;
                    star = Some((si, sj + 1));
                }
                None => return false,
            },
        }
    }
    p[i..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fifos_scripts_and_includes() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir(d.join("conf.d")).unwrap();
        std::fs::write(
            d.join("keepalived.conf"),
            "! Configuration\nglobal_defs {\n  router_id x # lvs_notify_fifo /no\n  \
             vrrp_notify_fifo \"/run/ka_vrrp.fifo\" root\n}\ninclude conf.d/*.conf\n\
             vrrp_instance VI { notify_fifo /not/global }\n",
        )
        .unwrap();
        std::fs::write(
            d.join("conf.d/a.conf"),
            "global_defs{\nlvs_notify_fifo /run/ka_lvs.fifo\n}\n",
        )
        .unwrap();
        std::fs::write(
            d.join("conf.d/.hidden.conf"),
            "global_defs {\nnotify_fifo /x\n}\n",
        )
        .unwrap();
        let found = read(&d.join("keepalived.conf")).unwrap();
        assert_eq!(
            found.fifos,
            [
                ("vrrp_notify_fifo", PathBuf::from("/run/ka_vrrp.fifo")),
                ("lvs_notify_fifo", PathBuf::from("/run/ka_lvs.fifo"))
            ]
        );
        assert_eq!(found.carries(), (true, true));
        assert!(found.scripts.is_empty());
        assert_eq!(found.files.len(), 2);

        std::fs::write(
            d.join("conf.d/a.conf"),
            "global_defs {\n lvs_notify_fifo /run/l\n lvs_notify_fifo_script /bin/reader\n}\n",
        )
        .unwrap();
        let found = read(&d.join("keepalived.conf")).unwrap();
        assert_eq!(found.scripts, ["lvs_notify_fifo_script"]);

        std::fs::write(
            d.join("conf.d/a.conf"),
            "global_defs {\n notify_fifo $F\n}\n",
        )
        .unwrap();
        let e = read(&d.join("keepalived.conf")).unwrap_err();
        assert!(
            e.to_string()
                .ends_with("a.conf line 2: notify_fifo depends on a condition or a variable"),
            "{e}"
        );
        let e = read(&d.join("nope.conf")).unwrap_err();
        assert!(matches!(e, ConfError::Read { .. }), "{e}");
    }

    #[test]
    fn an_include_of_itself_stops() {
        let dir = tempfile::tempdir().unwrap();
        let conf = dir.path().join("k.conf");
        std::fs::write(&conf, "include k.conf\n").unwrap();
        assert!(matches!(read(&conf), Err(ConfError::Unclear { .. })));
    }

    proptest::proptest! {
        #![proptest_config(crate::testing::proptest_config())]
        #[test]
        fn arbitrary_configs_never_panic(text in "(global_defs|[{}#!\"$@ \n]|[a-z_/.*]{1,12}){0,40}") {
            let dir = tempfile::tempdir().unwrap();
            let conf = dir.path().join("k.conf");
            std::fs::write(&conf, &text).unwrap();
            let _ = read(&conf);
        }
    }

    #[test]
    fn globs() {
        assert!(matches("*.conf", "a.conf"));
        assert!(!matches("*.conf", ".a.conf"));
        assert!(matches("a?.c*", "ab.conf"));
        assert!(!matches("a?.conf", "a.conf"));
        assert!(matches("*a*b*", "xxaxxbxx"));
        assert!(!matches("*a*b*c", "xxaxxbxx"));
        assert!(!matches(&"*".repeat(40), ".x"));
        assert!(!matches(&format!("{}b", "*a".repeat(30)), &"a".repeat(200)));
    }
}
