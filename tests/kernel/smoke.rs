//! Lab smoke tests: boot user-mode Linux and exercise real IPVS (root netns, LVS-NAT, LVS-DR);
//! the lab works from a checkout under /tmp too.
use crate::lab;

#[test]
fn ipvsadm_in_guest() {
    lab::check("smoke.sh", "smoke OK");
}

#[test]
fn lvs_nat() {
    lab::check("nat.sh", "nat OK");
}

#[test]
fn lvs_dr() {
    lab::check("dr.sh", "dr OK");
}

/// The harness never skips: a kernel that cannot start, or a VM that reports no exit status,
/// fails the test with a message that says so.
#[test]
fn lab_failures_are_loud() {
    let msg = |kernel: &str| {
        let lab = lab::Lab::new(&lab::script("smoke.sh")).kernel(kernel);
        let err = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| lab.run()))
            .expect_err("must panic");
        err.downcast_ref::<String>().cloned().unwrap_or_default()
    };
    let m = msg("/nonexistent/linux.uml");
    assert!(
        m.contains("cannot start kernel /nonexistent/linux.uml") && m.contains("user-mode-linux"),
        "{m}"
    );
    let m = msg("/bin/true");
    assert!(
        m.contains("without reporting the script's exit status"),
        "{m}"
    );
}

/// The guest mounts its own tmpfs on /tmp (and /run, /var/tmp, /dev/shm), which once hid a
/// checkout there: "no readable job file". Here guest-init, the script, the binary and the job
/// directory all live under /tmp on the host, and the smoke script still runs.
#[test]
fn a_checkout_under_tmp_runs() {
    let repo = tempfile::Builder::new()
        .prefix("ipvs-tui-lab-")
        .tempdir_in("/tmp")
        .expect("a directory under /tmp");
    let repo = std::fs::canonicalize(repo.path()).unwrap();
    let scripts = repo.join("tests/lab");
    std::fs::create_dir_all(&scripts).unwrap();
    for f in ["guest-init.sh", "smoke.sh"] {
        std::fs::copy(lab::script(f), scripts.join(f)).unwrap();
    }
    let exe = repo.join("ipvs-tui");
    std::fs::hard_link(env!("CARGO_BIN_EXE_ipvs-tui"), &exe)
        .or_else(|_| std::fs::copy(env!("CARGO_BIN_EXE_ipvs-tui"), &exe).map(drop))
        .unwrap();
    lab::Lab::new(&scripts.join("smoke.sh"))
        .repo(&repo)
        .job_root(&repo.join("target/tmp/lab"))
        .env("IPVS_TUI", &exe.display().to_string())
        .check("smoke OK");
}
