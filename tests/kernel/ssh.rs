//! Lab tests of issue 13: directors over real OpenSSH (tests/lab/ssh_lib.sh): `--on ssh:` and
//! `--on netns:` against ipvsadm in each director's namespace, a read-only forced command,
//! sshd killed mid-session.
use crate::lab;

#[test]
fn directors_over_ssh() {
    lab::check("ssh.sh", "ssh OK");
}
