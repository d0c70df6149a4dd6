//! Lab smoke tests: boot user-mode Linux and exercise real IPVS (root netns, LVS-NAT, LVS-DR).
use crate::lab;

#[test]
fn ipvsadm_in_guest() {
    let r = lab::run_ok(&lab::script("smoke.sh"), &[]);
    assert!(r.output.contains("smoke OK"), "{}", r.output);
}

#[test]
fn lvs_nat() {
    let r = lab::run_ok(&lab::script("nat.sh"), &[]);
    assert!(r.output.contains("nat OK"), "{}", r.output);
}

#[test]
fn lvs_dr() {
    let r = lab::run_ok(&lab::script("dr.sh"), &[]);
    assert!(r.output.contains("dr OK"), "{}", r.output);
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
