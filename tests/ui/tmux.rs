//! The console in a real terminal (tmux), on the simulator: job control. Ctrl-Z gives the shell
//! back in cooked mode; `fg` brings the console back, repainted. The console remembers the
//! terminal's size and follows it when the window is resized, also while it was stopped. The
//! console on a director elsewhere (`--on`), through the demo's agent, and after its link drops.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

pub(crate) struct Tmux {
    socket: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

impl Tmux {
    pub(crate) fn start(width: u16, height: u16) -> Tmux {
        let dir = tempfile::tempdir().unwrap();
        let tmux = Tmux {
            socket: dir.path().join("tmux.sock"),
            _dir: dir,
        };
        let (w, h) = (width.to_string(), height.to_string());
        tmux.run(&[
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-x",
            &w,
            "-y",
            &h,
            "env -i PATH=/usr/bin:/bin TERM=xterm-256color bash --norc --noprofile",
        ]);
        tmux
    }

    pub(crate) fn run(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .arg("-S")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("tmux runs (tests/run.sh installs it)");
        assert!(
            out.status.success(),
            "tmux {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    pub(crate) fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "0"];
        args.extend_from_slice(keys);
        self.run(&args);
    }

    pub(crate) fn screen(&self) -> String {
        self.run(&["capture-pane", "-t", "0", "-p"])
    }

    /// Waits until the visible screen satisfies `ok`; on a timeout, fails with the screen.
    pub(crate) fn wait(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if ok(&screen) {
                return screen;
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "waited 30 s for {what}; the screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .arg("-S")
            .arg(&self.socket)
            .arg("kill-server")
            .output();
    }
}

#[test]
fn ctrl_z_gives_the_shell_back_in_cooked_mode_and_fg_repaints_the_console() {
    let bin = env!("CARGO_BIN_EXE_ipvs-tui");
    assert!(Path::new(bin).exists());
    let tmux = Tmux::start(100, 30);
    tmux.keys(&["PS1='$ '", "Enter", "clear", "Enter"]);
    tmux.keys(&[&format!("{bin} --demo"), "Enter"]);
    tmux.wait("the console", |s| {
        s.contains("SIMULATED") && s.contains("TCP 192.0.2.10:80")
    });

    tmux.keys(&["C-z"]);
    tmux.wait("the shell's stopped-job line", |s| {
        s.contains("Stopped") && !s.contains("SIMULATED")
    });
    tmux.keys(&[
        "stty -a | tr ' ' '\\n' | grep -x -e icanon -e echo -e -icanon -e -echo",
        "Enter",
    ]);
    let shell = tmux.wait("stty's answer", |s| {
        s.lines()
            .any(|l| l.trim() == "icanon" || l.trim() == "-icanon")
    });
    let modes: Vec<&str> = shell
        .lines()
        .map(str::trim)
        .filter(|l| ["icanon", "-icanon", "echo", "-echo"].contains(l))
        .collect();
    assert_eq!(
        modes,
        ["icanon", "echo"],
        "the terminal is cooked while the console is stopped:\n{shell}"
    );

    tmux.keys(&["clear; fg", "Enter"]);
    tmux.wait("the console repainted after fg", |s| {
        s.contains("SIMULATED") && s.contains("TCP 192.0.2.10:80")
    });
    tmux.keys(&["q"]);
    tmux.wait("the shell after quitting", |s| {
        !s.contains("SIMULATED") && s.trim_end().ends_with('$')
    });
    tmux.keys(&["echo exit=$?", "Enter"]);
    tmux.wait("the console to quit with status 0", |s| {
        s.contains("exit=0")
    });
}

/// The hint bar is the last line: the console drew for a terminal of exactly `height` lines.
fn drawn_for(screen: &str, height: usize) -> bool {
    let lines: Vec<&str> = screen.lines().collect();
    lines.len() >= height
        && lines[height - 1].contains("? help")
        && lines[..height - 1].iter().all(|l| !l.contains("? help"))
}

#[test]
fn a_resize_is_followed_while_running_while_stopped_and_after_ctrl_l() {
    let bin = env!("CARGO_BIN_EXE_ipvs-tui");
    assert!(Path::new(bin).is_file());
    let tmux = Tmux::start(100, 30);
    tmux.keys(&["PS1='$ '", "Enter", "clear", "Enter"]);
    tmux.keys(&[&format!("{bin} --demo"), "Enter"]);
    tmux.wait("the console at 100x30", |s| {
        s.contains("SIMULATED") && drawn_for(s, 30)
    });
    tmux.run(&["resize-window", "-t", "0", "-x", "90", "-y", "26"]);
    tmux.wait("the console redrawn at 90x26", |s| drawn_for(s, 26));
    // Resized while stopped: fg repaints at the new size.
    tmux.keys(&["C-z"]);
    tmux.wait("the shell's stopped-job line", |s| {
        s.contains("Stopped") && !s.contains("SIMULATED")
    });
    tmux.run(&["resize-window", "-t", "0", "-x", "100", "-y", "32"]);
    tmux.keys(&["clear; fg", "Enter"]);
    tmux.wait("the console repainted at 100x32 after fg", |s| {
        s.contains("SIMULATED") && drawn_for(s, 32)
    });
    tmux.keys(&["C-l"]);
    tmux.wait("the console after Ctrl-L", |s| {
        s.contains("SIMULATED") && drawn_for(s, 32)
    });
    tmux.keys(&["q"]);
    tmux.wait("the shell after quitting", |s| {
        !s.contains("SIMULATED") && s.trim_end().ends_with('$')
    });
}

/// With `--log-file` the console writes its polls to the file, and nothing to standard error
/// (which would scribble over the screen): no subscriber writes to the terminal.
#[test]
fn with_a_log_file_the_console_writes_nothing_to_stderr() {
    let bin = env!("CARGO_BIN_EXE_ipvs-tui");
    let dir = tempfile::tempdir().unwrap();
    let (log, err) = (dir.path().join("debug.log"), dir.path().join("stderr"));
    let tmux = Tmux::start(100, 30);
    tmux.keys(&["PS1='$ '", "Enter", "clear", "Enter"]);
    let run = format!(
        "{bin} --demo --log-file {} 2>{}",
        log.display(),
        err.display()
    );
    tmux.keys(&[&run, "Enter"]);
    tmux.wait("the console", |s| {
        s.contains("SIMULATED") && s.contains("TCP 192.0.2.10:80")
    });
    // A second poll after 2 s, and a connections read.
    std::thread::sleep(Duration::from_millis(2500));
    tmux.keys(&["c"]);
    tmux.wait("the connections pane", |s| s.contains("matched"));
    tmux.keys(&["c", "q"]);
    tmux.wait("the shell after quitting", |s| {
        !s.contains("SIMULATED") && s.trim_end().ends_with('$')
    });
    assert_eq!(std::fs::read_to_string(&err).unwrap(), "", "stderr");
    let text = std::fs::read_to_string(&log).unwrap();
    let messages: Vec<String> = text
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["message"].to_string())
        .collect();
    for expected in ["\"start\"", "\"poll\"", "\"conns read\"", "\"exit\""] {
        assert!(
            messages.iter().any(|m| m == expected),
            "{expected} in {messages:?}"
        );
    }
    assert!(messages.iter().filter(|m| *m == "\"poll\"").count() >= 2);
}

/// The console with one `--on` opens on that director: here the demo's agent through `exec:`,
/// its table on screen; a weight changed from the console is applied and audited by the agent
/// (with the claimed user); quitting leaves no agent running.
#[test]
fn the_console_on_a_director_elsewhere() {
    let bin = env!("CARGO_BIN_EXE_ipvs-tui");
    let dir = tempfile::tempdir().unwrap();
    let (pid_file, agent_log) = (dir.path().join("pid"), dir.path().join("agent.log"));
    let tmux = Tmux::start(110, 30);
    tmux.keys(&["PS1='$ '", "Enter", "clear", "Enter"]);
    let run = format!(
        "USER=alice {bin} --audit-log {} --on 'exec:echo $$ > {}; exec {bin} --demo agent --audit-log {}'",
        dir.path().join("local.log").display(),
        pid_file.display(),
        agent_log.display()
    );
    tmux.keys(&[&run, "Enter"]);
    tmux.wait("the director's table", |s| {
        s.contains("TCP 192.0.2.10:80") && !s.contains("SIMULATED")
    });
    tmux.keys(&["Tab", "+"]);
    let start = Instant::now();
    while !std::fs::read_to_string(&agent_log)
        .unwrap_or_default()
        .contains("-r 10.0.0.11:80 -m -w 3")
    {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "no weight change in the agent's audit log; the screen:\n{}",
            tmux.screen()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let audit = std::fs::read_to_string(&agent_log).unwrap();
    assert!(audit.contains("\"user\":\"alice (claimed)\""), "{audit}");
    let pid = std::fs::read_to_string(&pid_file).unwrap();
    tmux.keys(&["q"]);
    tmux.wait("the shell after quitting", |s| s.trim_end().ends_with('$'));
    let gone = (0..50).any(|_| {
        let stat =
            std::fs::read_to_string(format!("/proc/{}/stat", pid.trim())).unwrap_or_default();
        if stat.is_empty() || stat.contains(") Z ") {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
        false
    });
    assert!(gone, "the agent {pid} outlived the console");
}

/// A director whose agent dies stays on screen with the reason; the console gets it back by
/// itself once its far side answers again.
#[test]
fn the_console_gets_a_director_back_after_its_link_drops() {
    let bin = env!("CARGO_BIN_EXE_ipvs-tui");
    let dir = tempfile::tempdir().unwrap();
    let (pid_file, up) = (dir.path().join("pid"), dir.path().join("up"));
    std::fs::write(&up, "").unwrap();
    // The far side as a script: the target's text does not hold the words it prints.
    let far = dir.path().join("far.sh");
    std::fs::write(
        &far,
        format!(
            "[ -e {up} ] || {{ echo lb9: link refused >&2; exit 255; }}\necho $$ > {pid}\nexec {bin} --demo agent --audit-log {log}\n",
            up = up.display(),
            pid = pid_file.display(),
            log = dir.path().join("agent.log").display(),
        ),
    )
    .unwrap();
    let tmux = Tmux::start(160, 30);
    tmux.keys(&["PS1='$ '", "Enter", "clear", "Enter"]);
    let run = format!(
        "{bin} --audit-log {} --on 'exec:sh {}'",
        dir.path().join("local.log").display(),
        far.display()
    );
    tmux.keys(&[&run, "Enter"]);
    tmux.wait("the director's table", |s| s.contains("TCP 192.0.2.10:80"));
    std::fs::remove_file(&up).unwrap();
    let pid = std::fs::read_to_string(&pid_file).unwrap();
    let pid = nix::unistd::Pid::from_raw(pid.trim().parse().unwrap());
    nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGKILL).unwrap();
    tmux.wait("the reason it is unreachable", |s| {
        s.contains("POLL FAILED") && s.contains("is unreachable")
    });
    tmux.wait("the far side's own words, once tried again", |s| {
        s.contains("lb9: link refused")
    });
    std::fs::write(&pid_file, "").unwrap();
    std::fs::write(&up, "").unwrap();
    tmux.wait("the director back", |s| {
        !s.contains("POLL FAILED") && s.contains("TCP 192.0.2.10:80")
    });
    assert!(
        !std::fs::read_to_string(&pid_file).unwrap().is_empty(),
        "a new agent"
    );
    tmux.keys(&["q"]);
    tmux.wait("the shell after quitting", |s| s.trim_end().ends_with('$'));
}
