//! Lab test: the full-screen console on a real IPVS (user-mode Linux) with LVS-NAT traffic, read back
//! through tmux and compared with ipvsadm; SIGHUP ends it and leaves the terminal cooked (tests/lab/console.sh).
use crate::lab;

/// The console's screen (service line, real servers with forward, weight, active and inactive
/// connections) equals `ipvsadm -Ln` in the director netns; after SIGHUP the process ends and
/// `stty -a` in its pane is as before (icanon, echo, ...), on the main screen with the cursor shown.
#[test]
fn console_shows_live_nat_table_and_restores_terminal_on_sighup() {
    lab::check("console.sh", "console OK");
}
