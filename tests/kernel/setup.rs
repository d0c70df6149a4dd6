//! Lab tests of issue 6 part 2 on a real IPVS: the classic NAT and DR labs built by
//! `ipvs-tui setup --plan`, the doctor on planted mistakes, persist and `restore --boot`.
use crate::lab;

fn run(script: &str, ok: &str) {
    lab::check(script, ok);
}

/// LVS-NAT from an empty director by the example plan: curl through the VIP reaches both real
/// servers; a plan failing midway leaves the host as it was; persist + restore --boot.
#[test]
fn nat_lab_by_setup_plan_then_persist_and_boot_restore() {
    run("setup_nat.sh", "setup-nat OK");
}

/// LVS-DR by plans: each real server (VIP on lo, ARP sysctls), then the director; curl through
/// the VIP reaches both, the client's ARP for the VIP is the director's; an off-subnet DR real
/// server is refused with its line before any change.
#[test]
fn dr_lab_by_setup_plans() {
    run("setup_dr.sh", "setup-dr OK");
}

/// The doctor on the NAT lab: no finding when correct; ip_forward off, VIP not bound, a closed
/// real server port, a NAT real server's wrong gateway each named, and the fixes repair them.
#[test]
fn doctor_on_the_nat_lab() {
    run("setup_doctor.sh", "setup-doctor OK");
}

/// The doctor on the DR lab (and a TUN real server): no finding when correct; arp_ignore unset,
/// the VIP missing on lo or bound on eth0, a real server off-subnet, tunl0 down, rp_filter on
/// tunl0, no ipip module: each named, and the fixes repair them.
#[test]
fn doctor_on_the_dr_lab() {
    run("setup_doctor_dr.sh", "setup-doctor-dr OK");
}

/// LVS-TUN by plans: each real server (VIP on tunl0, ARP sysctls, rp_filter 0; refused while
/// tunl0 is down), then the director (-i); curl through the VIP reaches both.
#[test]
fn tun_lab_by_setup_plans() {
    run("setup_tun.sh", "setup-tun OK");
}
