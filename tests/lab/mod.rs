//! Kernel-test lab: boots user-mode Linux (real IPVS) and runs a bash script inside it.
//! A module of the `kernel` test binary (tests/kernel/main.rs); see tests/lab/guest-init.sh and
//! tests/lab/net.sh. `Lab::check` is how a test runs a guest script and judges it.
#![allow(dead_code)]

use std::io::Read;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, mpsc};
use std::time::{Duration, Instant};

/// Overrides: LAB_KERNEL (kernel binary), LAB_TIMEOUT (seconds), LAB_MEM (e.g. 512M),
/// LAB_KEEP=1 (keep target/tmp/lab/<job> after a passing run), LAB_VMS (how many VMs may run at
/// once; default: one per core, as libtest runs one test per core).
const DEFAULT_KERNEL: &str = "/usr/bin/linux.uml";
/// Generous: a slow guest is not a failure (the corpus halves take ~4 min each on a busy 2-core
/// machine in a debug build); a hung one still fails, loudly.
const DEFAULT_TIMEOUT_SECS: u64 = 600;
/// The guest must not use AVX: with the XSTATE fallback (see `xstate_filter`) UML restores only the
/// fxsave part of the registers after a page fault, so YMM/ZMM upper halves come back zeroed. Without
/// these, static busybox segfaults, python3/perl crash, and memmove (its AVX variant is chosen through
/// the AVX_Fast_Unaligned_Load preference even with -AVX2) leaves NUL bytes in copied data.
const GLIBC_TUNABLES: &str = "glibc.cpu.hwcaps=-AVX512F,-AVX512VL,-AVX512BW,-AVX512DQ,-AVX512CD,-AVX2,-AVX,-ERMS,-FSRM,-XSAVEC,-AVX_Fast_Unaligned_Load,-RTM";
const BEGIN_MARKER: &str = "@@LAB_BEGIN@@";
const EXIT_MARKER: &str = "@@LAB_EXIT=";

/// Result of one guest script: its exit status, its combined stdout/stderr, and the whole
/// console (kernel + UML messages included).
#[derive(Debug)]
pub struct LabRun {
    pub status: i32,
    pub output: String,
    pub console: String,
}

/// Runs tests/lab/`name` in a fresh VM and checks it as [`Lab::check`] does; returns its output.
pub fn check(name: &str, ok: &str) -> String {
    Lab::new(&script(name)).check(ok)
}

/// Path of a file under tests/lab/.
pub fn script(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/lab")
        .join(name)
}

/// One VM job; `run`/`run_ok` are the short forms.
pub struct Lab {
    script: PathBuf,
    repo: PathBuf,
    job_root: PathBuf,
    args: Vec<String>,
    env: Vec<(String, String)>,
    timeout: Duration,
    kernel: String,
}

impl Lab {
    pub fn new(script: &Path) -> Lab {
        let secs = std::env::var("LAB_TIMEOUT").ok().map(|s| {
            s.parse::<u64>()
                .unwrap_or_else(|_| panic!("lab: LAB_TIMEOUT={s:?} is not a number of seconds"))
        });
        Lab {
            script: script.to_path_buf(),
            repo: env!("CARGO_MANIFEST_DIR").into(),
            job_root: Path::new(env!("CARGO_TARGET_TMPDIR")).join("lab"),
            args: Vec::new(),
            env: vec![
                ("IPVS_TUI".into(), env!("CARGO_BIN_EXE_ipvs-tui").into()),
                ("LAB_REPO".into(), env!("CARGO_MANIFEST_DIR").into()),
            ],
            timeout: Duration::from_secs(secs.unwrap_or(DEFAULT_TIMEOUT_SECS)),
            kernel: std::env::var("LAB_KERNEL").unwrap_or_else(|_| DEFAULT_KERNEL.into()),
        }
    }

    pub fn args(mut self, args: &[&str]) -> Lab {
        self.args.extend(args.iter().map(|a| a.to_string()));
        self
    }

    /// Extra environment variable for the guest script.
    pub fn env(mut self, key: &str, value: &str) -> Lab {
        self.env.push((key.into(), value.into()));
        self
    }

    pub fn timeout(mut self, timeout: Duration) -> Lab {
        self.timeout = timeout;
        self
    }

    /// Kernel binary (default: $LAB_KERNEL or /usr/bin/linux.uml).
    pub fn kernel(mut self, path: &str) -> Lab {
        self.kernel = path.into();
        self
    }

    /// The checkout the guest works in (LAB_REPO, and where guest-init.sh is read from).
    pub fn repo(mut self, dir: &Path) -> Lab {
        self.repo = dir.to_path_buf();
        self.env.retain(|(k, _)| k != "LAB_REPO");
        self.env("LAB_REPO", &dir.display().to_string())
    }

    /// Where the job directory is made (default: target/tmp/lab).
    pub fn job_root(mut self, dir: &Path) -> Lab {
        self.job_root = dir.to_path_buf();
        self
    }

    /// The one way a lab test ends: runs the job, prints the guest's output, and panics unless
    /// the script exited with status 0 and printed the line `ok` (its last `echo "... OK"`). The
    /// panic lists the failing checks (FAIL lines, and panics of a test binary run in the guest)
    /// first, then the whole output. Returns the output.
    pub fn check(self, ok: &str) -> String {
        let script = self.script.display().to_string();
        let r = self.run();
        println!("{}", r.output);
        if r.status != 0 || !r.output.lines().any(|l| l.trim() == ok) {
            let fails: Vec<&str> = r
                .output
                .lines()
                .filter(|l| l.contains("FAIL") || l.contains("panicked"))
                .collect();
            panic!(
                "{script} failed (exit status {}, line {ok:?} {}); failing checks:\n{}\n\nwhole guest output:\n{}",
                r.status,
                if r.output.lines().any(|l| l.trim() == ok) {
                    "printed"
                } else {
                    "missing"
                },
                fails.join("\n"),
                r.output
            );
        }
        r.output
    }

    /// Boots the VM, waits for it, and returns the script's result. Panics (never skips) when
    /// the VM cannot start, times out, or ends without reporting the script's exit status.
    pub fn run(self) -> LabRun {
        let kernel = self.kernel.clone();
        let mem = std::env::var("LAB_MEM").unwrap_or_else(|_| "512M".into());
        let init = self.repo.join("tests/lab/guest-init.sh");
        assert!(
            self.script.is_file(),
            "lab: guest script {} does not exist",
            self.script.display()
        );
        let dir = job_dir(&self.job_root, &self.script);
        let job = dir.join("job.sh");
        std::fs::write(&job, self.job_file(&dir)).expect("lab: cannot write job file");
        let host_dirs = self.host_dirs(&dir);
        for p in [&init, &dir].into_iter().chain(&host_dirs) {
            // The kernel command line is split on whitespace; LAB_HOST_DIRS on ':' and the
            // guest's mount options on ','.
            assert!(
                !p.to_string_lossy()
                    .contains(|c: char| c.is_whitespace() || c == ':' || c == ','),
                "lab: path {} contains whitespace, ':' or ','",
                p.display()
            );
        }
        let host_dirs: Vec<String> = host_dirs.iter().map(|d| d.display().to_string()).collect();

        let mut cmd = Command::new(&kernel);
        cmd.args([
            format!("mem={mem}"),
            // Guest root = host / via hostfs, read-only so the guest cannot write host files.
            "root=/dev/root".into(),
            "rootfstype=hostfs".into(),
            "rootflags=/".into(),
            "ro".into(),
            // quiet: console shows only errors and worse; guest-init reports segfaults from dmesg.
            "quiet".into(),
            "noreboot".into(),
            "con=null".into(),
            "ssl=null".into(),
            "con0=fd:0,fd:1".into(),
            // Per-job umid dir (pid file + mconsole socket) instead of ~/.uml, so VMs never collide.
            "umid=vm".into(),
            format!("uml_dir={}", dir.display()),
            format!("init={}", init.display()),
            // Unknown NAME=value parameters become the environment of init.
            format!("LAB_JOB={}", job.display()),
            format!("LAB_HOST_DIRS={}", host_dirs.join(":")),
            format!("GLIBC_TUNABLES={GLIBC_TUNABLES}"),
        ]);
        if shm_too_small(&mem) {
            // UML backs guest RAM with a file in /dev/shm (64M in Docker): use the job dir instead.
            cmd.env("TMPDIR", &dir);
        }
        let (reader, writer) = std::io::pipe().expect("lab: pipe");
        cmd.stdin(Stdio::null())
            .stdout(writer.try_clone().expect("lab: pipe"))
            .stderr(writer)
            .process_group(0); // so a timeout can kill UML's helper processes too
        let filter = xstate_filter();
        // SAFETY: pre_exec runs between fork and exec, where only async-signal-safe calls are
        // sound: the closure only makes two prctl calls (no allocation, no locks), and the
        // filter it points the kernel at is owned by the closure, alive until the call returns.
        unsafe {
            cmd.pre_exec(move || {
                let prog = libc::sock_fprog {
                    len: filter.len() as u16,
                    filter: filter.as_ptr() as *mut _,
                };
                if libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0
                    || libc::prctl(
                        libc::PR_SET_SECCOMP,
                        libc::SECCOMP_MODE_FILTER,
                        &prog as *const _,
                    ) != 0
                {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }

        let _slot = vm_slot();
        let started = Instant::now();
        let mut child = cmd.spawn().unwrap_or_else(|e| {
            panic!("lab: cannot start kernel {kernel}: {e} (install Debian package user-mode-linux, or set LAB_KERNEL)")
        });
        drop(cmd); // closes our copies of the pipe's write end
        let console_buf = Arc::new(Mutex::new(Vec::new()));
        let (done_tx, done_rx) = mpsc::channel();
        let buf = console_buf.clone();
        std::thread::spawn(move || {
            let mut reader = reader;
            let mut chunk = [0u8; 8192];
            while let Ok(n) = reader.read(&mut chunk) {
                if n == 0 {
                    break;
                }
                buf.lock().unwrap().extend_from_slice(&chunk[..n]);
            }
            let _ = done_tx.send(());
        });

        let pid = nix::unistd::Pid::from_raw(child.id() as libc::pid_t);
        let timed_out = loop {
            use nix::sys::wait::{Id, WaitPidFlag, WaitStatus, waitid};
            // WNOWAIT: the exited leader stays a zombie, so its pid (= our process group id) cannot be reused yet.
            let flags = WaitPidFlag::WEXITED | WaitPidFlag::WNOHANG | WaitPidFlag::WNOWAIT;
            if matches!(waitid(Id::Pid(pid), flags), Ok(s) if s != WaitStatus::StillAlive) {
                break false;
            }
            if started.elapsed() > self.timeout {
                break true;
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        let _ = nix::sys::signal::killpg(pid, nix::sys::signal::Signal::SIGKILL);
        let exit = child.wait().expect("lab: wait for kernel");
        let _ = done_rx.recv_timeout(Duration::from_secs(5));
        let console = String::from_utf8_lossy(&console_buf.lock().unwrap()).replace('\r', "");
        let _ = std::fs::write(dir.join("console.log"), &console);
        let elapsed = started.elapsed().as_secs_f64();

        let what = format!(
            "lab: VM for {} (job dir {})",
            self.script.display(),
            dir.display()
        );
        if timed_out {
            panic!(
                "{what} timed out after {} s (set LAB_TIMEOUT to change). Console:\n{console}",
                self.timeout.as_secs()
            );
        }
        let Some(status) = parse_status(&console) else {
            panic!(
                "{what} ended ({exit}, after {elapsed:.1} s) without reporting the script's exit status: boot or guest-init failed. Console:\n{console}"
            );
        };
        let output = match console.find(BEGIN_MARKER) {
            Some(i) => console[i + BEGIN_MARKER.len()..].trim_start_matches('\n'),
            None => &console[..],
        };
        let output = output[..output.rfind(EXIT_MARKER).unwrap_or(output.len())].to_string();
        if status == 0 && std::env::var_os("LAB_KEEP").is_none() {
            let _ = std::fs::remove_dir_all(&dir);
        }
        LabRun {
            status,
            output,
            console,
        }
    }
}

mod guest;
use guest::{job_dir, parse_status, shm_too_small, vm_slot, xstate_filter};
