//! The man pages, completions and Debian package: assets/generated is what `ipvs-tui generate`
//! gives now; every subcommand of `--help` has its page, which `man -l` renders without a
//! warning; the completions parse in bash, zsh and fish; the .deb (tests/deb.sh, from the debug
//! binary) holds every file in its place and its extracted binary, page and completion work.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const EXE: &str = env!("CARGO_BIN_EXE_ipvs-tui");

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run(cmd: &mut Command) -> Output {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?}: {}\n{}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// The subcommands `--help` lists for `path` (e.g. ["daemon"]), with their own, depth first:
/// ["list", "daemon", "daemon-start", ...] as man page names take them.
fn subcommands(path: &[String]) -> Vec<Vec<String>> {
    let out = run(Command::new(EXE).args(path).arg("--help"));
    let help = String::from_utf8(out.stdout).unwrap();
    let mut found = Vec::new();
    let Some((_, list)) = help.split_once("Commands:\n") else {
        return found;
    };
    for line in list.lines() {
        // Entries are indented two spaces; descriptions that wrap are indented more.
        let Some(rest) = line.strip_prefix("  ") else {
            break;
        };
        if rest.starts_with(' ') {
            continue;
        }
        let mut words = rest.split_whitespace();
        let name = words.next().unwrap().to_string();
        // A doc comment on the wrong variant leaves one without a description.
        assert!(
            words.next().is_some(),
            "{path:?}: {name} has no description"
        );
        if name == "help" {
            continue;
        }
        let mut sub = path.to_vec();
        sub.push(name);
        found.push(sub.clone());
        found.extend(subcommands(&sub));
    }
    found
}

/// `man -l PAGE` as a reader's terminal shows it, in `locale`; fails on any warning.
fn man(page: &Path, locale: &str) -> String {
    let out = run(Command::new("man")
        .args(["--warnings", "-l"])
        .arg(page)
        .env("MANPAGER", "cat")
        .env("MANWIDTH", "80")
        .env("LC_ALL", locale));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.trim().is_empty(),
        "man -l {} ({locale}) warned:\n{stderr}",
        page.display()
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn the_committed_pages_and_completions_are_current() {
    let out = Command::new(EXE)
        .args(["generate", "--check"])
        .arg(root().join("assets/generated"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn every_subcommand_has_a_page_that_man_renders_without_warnings() {
    let dir = tempfile::tempdir().unwrap();
    run(Command::new(EXE).arg("generate").arg(dir.path()));
    let man_dir = dir.path().join("man");
    let subs = subcommands(&[]);
    assert!(subs.len() > 15, "{subs:?}");
    let top = man(&man_dir.join("ipvs-tui.1"), "C.UTF-8");
    assert!(
        top.contains("SYNOPSIS") && top.contains("--read-only"),
        "{top}"
    );
    let mut pages: BTreeSet<String> =
        BTreeSet::from(["ipvs-tui.1".into(), "ipvs-tui-keys.7".into()]);
    for sub in &subs {
        let name = format!("ipvs-tui-{}", sub.join("-"));
        let page = man(&man_dir.join(format!("{name}.1")), "C.UTF-8");
        assert!(page.contains("SYNOPSIS"), "{name}: {page}");
        // The parent's page lists it.
        let parent = match &sub[..sub.len() - 1] {
            [] => top.clone(),
            p => man(
                &man_dir.join(format!("ipvs-tui-{}.1", p.join("-"))),
                "C.UTF-8",
            ),
        };
        assert!(
            parent.contains(&format!("{name}(1)")),
            "{name} is not in its parent's page"
        );
        pages.insert(format!("{name}.1"));
    }
    let on_disk: BTreeSet<String> = std::fs::read_dir(&man_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(
        on_disk, pages,
        "pages without a subcommand, or the other way round"
    );
    // The keys page, also where a terminal has no ✗ or ▲ (C locale).
    for locale in ["C.UTF-8", "C"] {
        let keys = man(&man_dir.join("ipvs-tui-keys.7"), locale);
        for words in ["Everywhere", "Quit", "Ctrl-L", "ON SCREEN", "READ-ONLY"] {
            assert!(keys.contains(words), "{locale}: {words} missing:\n{keys}");
        }
    }
}

#[test]
fn the_completions_parse_in_their_shells_and_name_every_subcommand() {
    let dir = tempfile::tempdir().unwrap();
    run(Command::new(EXE).arg("generate").arg(dir.path()));
    let bash = dir.path().join("completions/ipvs-tui.bash");
    run(Command::new("bash").arg("-n").arg(&bash));
    run(Command::new("zsh")
        .arg("-n")
        .arg(dir.path().join("completions/_ipvs-tui")));
    run(Command::new("fish")
        .arg("--no-execute")
        .arg(dir.path().join("completions/ipvs-tui.fish")));
    let text = std::fs::read_to_string(&bash).unwrap();
    let fish = std::fs::read_to_string(dir.path().join("completions/ipvs-tui.fish")).unwrap();
    let zsh = std::fs::read_to_string(dir.path().join("completions/_ipvs-tui")).unwrap();
    assert!(zsh.starts_with("#compdef ipvs-tui"), "{zsh}");
    for sub in subcommands(&[]).iter().filter(|s| s.len() == 1) {
        assert!(text.contains(&sub[0]), "bash: {sub:?}");
        assert!(
            fish.contains(&format!("-a \"{}\"", sub[0])),
            "fish: {sub:?}"
        );
        assert!(zsh.contains(&format!("'{}:", sub[0])), "zsh: {sub:?}");
    }
    assert!(
        !text.contains("generate"),
        "the hidden generate is not completed"
    );
}

/// What the package must hold, besides its man pages.
const PACKAGED: [&str; 11] = [
    "usr/bin/ipvs-tui",
    "usr/share/man/man1/ipvs-tui.1.gz",
    "usr/share/man/man7/ipvs-tui-keys.7.gz",
    "usr/share/bash-completion/completions/ipvs-tui",
    "usr/share/zsh/vendor-completions/_ipvs-tui",
    "usr/share/fish/vendor_completions.d/ipvs-tui.fish",
    "usr/lib/systemd/system/ipvs-tui-restore.service",
    "usr/share/doc/ipvs-tui/examples/config.toml",
    "usr/share/doc/ipvs-tui/examples/keymap.toml",
    "usr/share/doc/ipvs-tui/examples/theme.toml",
    "usr/share/doc/ipvs-tui/examples/setup-example.toml",
];

#[test]
fn the_debian_package_installs_binary_pages_completions_examples_and_unit() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("out");
    std::fs::create_dir(&out_dir).unwrap();
    // --fast: gzip-level compression of the debug binary; the README's command builds release.
    run(Command::new(root().join("tests/deb.sh"))
        .args(["--binary", EXE, "--fast", "--output"])
        .arg(&out_dir));
    let debs: Vec<PathBuf> = std::fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    let [deb] = debs.as_slice() else {
        panic!("one .deb expected: {debs:?}")
    };
    let tree = dir.path().join("root");
    run(Command::new("dpkg-deb").arg("-x").arg(deb).arg(&tree));

    for path in PACKAGED {
        assert!(tree.join(path).is_file(), "{path} is not in the package");
    }
    let pages = std::fs::read_dir(tree.join("usr/share/man/man1"))
        .unwrap()
        .count();
    let generated = std::fs::read_dir(root().join("assets/generated/man"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().extension() == Some("1".as_ref()))
        .count();
    assert_eq!(pages, generated, "one page per command");

    let version = run(Command::new(tree.join("usr/bin/ipvs-tui")).arg("--version"));
    assert_eq!(
        String::from_utf8_lossy(&version.stdout).trim(),
        format!("ipvs-tui {}", env!("CARGO_PKG_VERSION"))
    );
    let page = man(&tree.join("usr/share/man/man1/ipvs-tui.1.gz"), "C.UTF-8");
    assert!(page.contains("ipvs-tui-list(1)"), "{page}");
    man(
        &tree.join("usr/share/man/man7/ipvs-tui-keys.7.gz"),
        "C.UTF-8",
    );
    run(Command::new("bash")
        .arg("-n")
        .arg(tree.join("usr/share/bash-completion/completions/ipvs-tui")));

    // The unit is shipped, not enabled: no link into a target, no script that enables it.
    let unit =
        std::fs::read_to_string(tree.join("usr/lib/systemd/system/ipvs-tui-restore.service"))
            .unwrap();
    assert!(
        unit.contains("ExecStart=/usr/bin/ipvs-tui restore --boot --dir /etc\n"),
        "{unit}"
    );
    assert!(
        !tree.join("etc").exists(),
        "the package writes nothing under /etc"
    );
    let control = dir.path().join("control");
    run(Command::new("dpkg-deb").arg("-e").arg(deb).arg(&control));
    for script in ["postinst", "preinst", "prerm", "postrm"] {
        assert!(
            !control.join(script).exists(),
            "{script}: the unit must stay disabled"
        );
    }
    let fields = run(Command::new("dpkg-deb")
        .args(["-f"])
        .arg(deb)
        .args(["Depends", "Maintainer"]));
    let fields = String::from_utf8_lossy(&fields.stdout);
    assert!(fields.contains("libc6"), "{fields}");
}
