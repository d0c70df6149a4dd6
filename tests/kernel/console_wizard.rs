//! Lab test: the classic LVS-NAT and LVS-DR labs built with the console's setup wizard (W) only,
//! driven by keys in tmux, a console in the director's netns and in the real servers' (tests/lab/wizard.sh).
use crate::lab;

fn run(arg: &str) {
    lab::Lab::new(&lab::script("wizard.sh"))
        .args(&[arg])
        .check(&format!("wizard-{arg} OK"));
}

/// LVS-NAT from bare links: W, 1 on the director plans ip_forward, the VIP and the rules (a bad
/// weight refused under its field first), Enter applies them and the doctor finds no problem; W, 6
/// on a real server advises the gateway and changes nothing; with the gateways set as advised,
/// curl from the client through the VIP reaches both real servers; u undoes the whole plan.
#[test]
fn nat_lab_built_with_the_wizard() {
    run("nat");
}

/// LVS-DR from bare links: W, 2 on the director (defaults kept), W, 4 on each real server (VIP on
/// lo, ARP sysctls); curl from the client through the VIP reaches both real servers, the client's
/// ARP entry for the VIP is the director's; u undoes the director's plan.
#[test]
fn dr_lab_built_with_the_wizard() {
    run("dr");
}
