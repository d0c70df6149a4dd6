//! `ipvs-tui generate [--check] DIR`: the man pages, shell completions and packaged systemd unit,
//! made from the clap definitions, the built-in keymap (as help `?` lists it) and `persist`'s
//! unit, so none of them can drift from what the program does. assets/generated holds a copy,
//! which the Debian package ships and a test keeps current.

use crate::console::keys::keymap::Keymap;
use crate::setup::persist;
use crate::ui::help;
use clap::{Arg, ArgAction, ArgMatches, Command};
use clap_complete::Shell;
use roff::{Roff, bold, italic, roman};
use std::collections::BTreeSet;
use std::io;
use std::path::{Path, PathBuf};

/// Where the package installs the binary; the packaged unit runs it from there.
pub const INSTALLED_EXE: &str = "/usr/bin/ipvs-tui";

/// The page of the console's keys.
pub const KEYS_PAGE: &str = "ipvs-tui-keys.7";

/// One generated file: its path under the output directory, and its contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    pub path: PathBuf,
    pub contents: Vec<u8>,
}

/// The hidden subcommand that writes or checks the files.
pub fn command() -> Command {
    Command::new("generate")
        .hide(true)
        .about("Write the man pages, shell completions and systemd unit into DIR")
        .arg(
            Arg::new("check")
                .long("check")
                .action(ArgAction::SetTrue)
                .help("Write nothing: exit 1 if DIR differs from a fresh generation"),
        )
        .arg(
            Arg::new("dir")
                .value_name("DIR")
                .required(true)
                .value_parser(clap::value_parser!(PathBuf)),
        )
}

/// Runs `generate` for the program whose command line is `top`; returns the exit status.
pub fn run(matches: &ArgMatches, top: Command) -> i32 {
    let dir = matches.get_one::<PathBuf>("dir").expect("DIR is required");
    let fresh = files(top);
    if matches.get_flag("check") {
        let stale = stale(dir, &fresh);
        if stale.is_empty() {
            println!("generate: {} is current", dir.display());
            return 0;
        }
        for s in &stale {
            eprintln!("generate: {s}");
        }
        eprintln!(
            "ipvs-tui: {} is stale; regenerate it: cargo run -- generate {}",
            dir.display(),
            dir.display()
        );
        return 1;
    }
    match write(dir, &fresh) {
        Ok(()) => {
            println!("generate: {} files in {}", fresh.len(), dir.display());
            0
        }
        Err(e) => {
            eprintln!("ipvs-tui: cannot write {}: {e}", dir.display());
            1
        }
    }
}

/// Every file: man/*.1 (one page per command and subcommand), man/ipvs-tui-keys.7,
/// completions/{ipvs-tui.bash,_ipvs-tui,ipvs-tui.fish} and systemd/ipvs-tui-restore.service.
pub fn files(top: Command) -> Vec<Generated> {
    let mut top = top.disable_help_subcommand(true);
    top.build();
    let mut out = Vec::new();
    let version = top.get_version().unwrap_or_default().to_string();
    man_pages(&top, &version, None, &mut out);
    out.push(Generated {
        path: Path::new("man").join(KEYS_PAGE),
        contents: keys_page(&top, &Keymap::builtin()).into_bytes(),
    });
    let name = top.get_name().to_string();
    for (shell, file) in [
        (Shell::Bash, format!("{name}.bash")),
        (Shell::Zsh, format!("_{name}")),
        (Shell::Fish, format!("{name}.fish")),
    ] {
        let mut buf = Vec::new();
        clap_complete::generate(shell, &mut top.clone(), &name, &mut buf);
        out.push(Generated {
            path: Path::new("completions").join(file),
            contents: buf,
        });
    }
    out.push(Generated {
        path: Path::new("systemd").join(persist::UNIT_NAME),
        contents: packaged_unit().into_bytes(),
    });
    out
}

/// The unit the package ships: `persist`'s, for /etc and the installed binary.
pub fn packaged_unit() -> String {
    let unit = persist::unit(Path::new("/etc"), Path::new(INSTALLED_EXE));
    let body = unit
        .split_once('\n')
        .map_or(unit.as_str(), |(_, rest)| rest);
    format!(
        "# Shipped by the ipvs-tui package, disabled. `ipvs-tui persist` writes the same unit to\n\
         # /etc/systemd/system, which systemd prefers to this one.\n{body}"
    )
}

/// The pages of `cmd` and of its visible subcommands, as clap_mangen's `generate_to` makes them,
/// each with a SEE ALSO section.
fn man_pages(cmd: &Command, version: &str, parent: Option<&str>, out: &mut Vec<Generated>) {
    let name = cmd.get_display_name().unwrap_or(cmd.get_name()).to_string();
    let mut page = Vec::new();
    let version = cmd.get_version().unwrap_or(version);
    clap_mangen::Man::new(cmd.clone())
        .source(format!("ipvs-tui {version}"))
        .date(NO_DATE)
        .render(&mut page)
        .expect("writing to a Vec never fails");
    let mut page =
        undated(&String::from_utf8(page).expect("clap_mangen writes UTF-8")).into_bytes();
    let mut see = Roff::new();
    see.control("SH", ["SEE ALSO"]);
    let mut refs: Vec<(String, &str)> = Vec::new();
    match parent {
        None => {
            refs.push((KEYS_PAGE.trim_end_matches(".7").to_string(), "7"));
            refs.push(("ipvsadm".into(), "8"));
        }
        Some(parent) => refs.push((parent.to_string(), "1")),
    }
    let mut inlines = Vec::new();
    for (n, (page, section)) in refs.iter().enumerate() {
        if n > 0 {
            inlines.push(roman(", "));
        }
        inlines.push(bold(page.as_str()));
        inlines.push(roman(format!("({section})")));
    }
    see.text(inlines);
    page.extend_from_slice(see.to_roff().as_bytes());
    out.push(Generated {
        path: Path::new("man").join(format!("{name}.1")),
        contents: page,
    });
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        man_pages(sub, version, Some(&name), out);
    }
}

/// ipvs-tui-keys(7): the console's keys per layer, in help's order and words, then the marks.
fn keys_page(top: &Command, keymap: &Keymap) -> String {
    let version = top.get_version().unwrap_or_default();
    let mut r = Roff::new();
    r.control(
        "TH",
        [
            "ipvs-tui-keys",
            "7",
            NO_DATE,
            &format!("ipvs-tui {version}"),
            "ipvs-tui",
        ],
    );
    r.control("SH", ["NAME"]);
    r.text([roman("ipvs-tui-keys - the keys of the ipvs-tui console")]);
    r.control("SH", ["DESCRIPTION"]);
    r.text([
        roman("The keys of the full-screen console that "),
        bold("ipvs-tui"),
        roman(
            " opens without a subcommand, as its help (?) lists them: this page is generated \
             from the built-in keymap, the same table as help. Keys are tried in the layer on \
             top (a form, a confirmation, the connections pane) first, then in the layers under \
             it, ",
        ),
        italic("Everywhere"),
        roman(" last."),
    ]);
    r.control("PP", []);
    r.text([
        roman("Bindings in "),
        italic("~/.config/ipvs-tui/keymap.toml"),
        roman(
            " replace these key by key, in the same form as the built-in keymap (installed as \
             an example under /usr/share/doc/ipvs-tui/examples); help in the console shows the \
             keys in force. With ",
        ),
        bold("--read-only"),
        roman(" every key that would change something is gone, from help too."),
    ]);
    r.control("SH", ["KEYS"]);
    for layer in crate::console::keys::hints::help_layers(true, false) {
        let bindings = keymap.bindings(layer);
        if bindings.is_empty() {
            continue;
        }
        r.control("SS", [layer.title()]);
        for b in bindings {
            r.control("TP", []);
            r.text([bold(help::keys(b))]);
            r.text([roman(b.desc.as_str())]);
        }
    }
    r.control("SH", ["ON SCREEN"]);
    for (mark, meaning) in help::MARKS {
        r.control("TP", []);
        r.text([bold(mark)]);
        r.text([roman(meaning)]);
    }
    r.control("SH", ["FILES"]);
    r.control("TP", []);
    r.text([italic("~/.config/ipvs-tui/keymap.toml")]);
    r.text([roman("The user's keys, on top of the built-in ones.")]);
    r.control("TP", []);
    r.text([italic("~/.config/ipvs-tui/theme.toml")]);
    r.text([roman(
        "The colours; with NO_COLOR set the console is monochrome.",
    )]);
    r.control("SH", ["SEE ALSO"]);
    r.text([bold("ipvs-tui"), roman("(1)")]);
    with_fallbacks(&undated(&r.render()))
}

/// Stands for the date in a page's title line: pages carry none, so that generating them again
/// gives the same bytes (the roff crate cannot write the empty argument).
const NO_DATE: &str = "@NO-DATE@";

/// `page` with an empty date argument in its title line.
fn undated(page: &str) -> String {
    page.replacen(NO_DATE, "\"\"", 1)
}

/// `page` with a stand-in for each non-ASCII character that the output device may lack (groff
/// has no ✗ or ▲ for a terminal in the C locale, and warns): arrows are groff's own; these
/// marks become x, ^ and v there, and stay themselves where the device has them.
fn with_fallbacks(page: &str) -> String {
    let used: BTreeSet<char> = page.chars().filter(|c| !c.is_ascii()).collect();
    let defs: String = used
        .into_iter()
        .map(|c| {
            let ascii = match c {
                '✗' => 'x',
                '▲' => '^',
                '▼' => 'v',
                _ => '?',
            };
            let code = u32::from(c);
            format!(".if !c\\[u{code:04X}] .char \\[u{code:04X}] {ascii}\n")
        })
        .collect();
    // After the title line, before any text.
    match page.find("\n.TH ") {
        Some(at) => {
            let end = at + 1 + page[at + 1..].find('\n').map_or(0, |n| n + 1);
            format!("{}{defs}{}", &page[..end], &page[end..])
        }
        None => format!("{defs}{page}"),
    }
}

/// What in `dir` differs from `fresh`, in words: missing, differing and unexpected files.
pub fn stale(dir: &Path, fresh: &[Generated]) -> Vec<String> {
    let mut out = Vec::new();
    for g in fresh {
        match std::fs::read(dir.join(&g.path)) {
            Ok(old) if old == g.contents => {}
            Ok(_) => out.push(format!("{} differs", g.path.display())),
            Err(_) => out.push(format!("{} is missing", g.path.display())),
        }
    }
    let expected: BTreeSet<&Path> = fresh.iter().map(|g| g.path.as_path()).collect();
    for sub in ["man", "completions", "systemd"] {
        let Ok(entries) = std::fs::read_dir(dir.join(sub)) else {
            continue;
        };
        let mut extra: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| Path::new(sub).join(e.file_name()))
            .filter(|p| !expected.contains(p.as_path()))
            .collect();
        extra.sort();
        out.extend(
            extra
                .into_iter()
                .map(|p| format!("{} is not generated any more", p.display())),
        );
    }
    out
}

/// Writes `files` under `dir`, removing generated files that are not in it any more.
pub fn write(dir: &Path, files: &[Generated]) -> io::Result<()> {
    let expected: BTreeSet<&Path> = files.iter().map(|g| g.path.as_path()).collect();
    for sub in ["man", "completions", "systemd"] {
        if let Ok(entries) = std::fs::read_dir(dir.join(sub)) {
            for e in entries.filter_map(Result::ok) {
                if !expected.contains(Path::new(sub).join(e.file_name()).as_path()) {
                    std::fs::remove_file(e.path())?;
                }
            }
        }
    }
    for g in files {
        let path = dir.join(&g.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, &g.contents)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_packaged_unit_runs_what_persist_writes_for_etc() {
        let unit = packaged_unit();
        let persisted = persist::unit(Path::new("/etc"), Path::new(INSTALLED_EXE));
        assert!(persisted.starts_with("# "), "{persisted}");
        let body = |u: &str| {
            u.lines()
                .filter(|l| !l.starts_with('#'))
                .collect::<Vec<_>>()
                .join("\n")
        };
        assert_eq!(body(&unit), body(&persisted));
        assert!(unit.contains("ExecStart=/usr/bin/ipvs-tui restore --boot --dir /etc\n"));
    }

    #[test]
    fn the_keys_page_lists_every_binding_of_the_builtin_keymap() {
        let keymap = Keymap::builtin();
        let page = keys_page(&Command::new("ipvs-tui").version("1"), &keymap);
        for layer in crate::console::keys::hints::help_layers(true, false) {
            for b in keymap.bindings(layer) {
                // The page's own rendering (apostrophes become \*(Aq), after the preamble.
                let rendered = Roff::new().text([roman(b.desc.as_str())]).render();
                let desc = rendered.lines().last().unwrap_or_default();
                assert!(page.contains(desc), "{layer:?}: {}", b.desc);
            }
        }
        assert!(page.contains(".SS Everywhere\n"), "{page}");
    }
}
