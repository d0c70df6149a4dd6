//! Lab smoke tests: boot user-mode Linux and exercise real IPVS (root netns, LVS-NAT, LVS-DR).
mod lab;

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
