//! Links that drop with a change in flight, end, or were never open: a change is UNKNOWN, a
//! read unreachable with the far side's reason, and the director comes back with its far side.

use super::{EXE, block_on, exec};
use ipvs_tui::backend::Backend;
use ipvs_tui::ipvs::model::Watched;
use ipvs_tui::ipvs::{Error, IpvsOp};
use ipvs_tui::operation::{Operation, OperationError};
use ipvs_tui::remote::{DirectorSpec, Remote, connect};
use std::path::{Path, PathBuf};

/// A far side that says hello, then dies on the first request (and refuses to start again): a
/// change is UNKNOWN, never done or undone; the next read is unreachable, with the reasons.
#[test]
fn a_link_that_drops_in_flight_leaves_the_change_unknown() {
    let hello = r#"{"hello":{"protocol":1,"program":"fake","host":"lb9","ipvs":null,"read_only":false,"capabilities":[]}}"#;
    let dir = tempfile::tempdir().unwrap();
    let once = dir.path().join("once");
    let fake = format!(
        "[ -e {once} ] && {{ echo 'lb9: refused' >&2; exit 255; }}; touch {once}; echo '{hello}'; read client; read request; echo 'lb9: link lost' >&2; exit 1",
        once = once.display()
    );
    block_on(async {
        let remote = connect(&exec(&fake)).await.unwrap();
        assert_eq!(remote.host_name(), "lb9");
        let op: Operation = IpvsOp::Flush.into();
        let e = remote.apply(&op).await.unwrap_err();
        assert!(
            matches!(e, OperationError::Ipvs(Error::Unknown(_))),
            "{e:?}"
        );
        assert!(
            e.to_string().starts_with("UNKNOWN whether it was applied"),
            "{e}"
        );
        let e = remote.snapshot().await.unwrap_err();
        assert!(matches!(e, Error::Unreachable(_)), "{e:?}");
        assert!(e.to_string().contains("lb9: link lost"), "{e}");
        assert!(e.to_string().contains("lb9: refused"), "{e}");
        // Known to be down before sending: not applied, and said so.
        let e = remote.apply(&op).await.unwrap_err();
        assert!(
            matches!(e, OperationError::Ipvs(Error::Unreachable(_))),
            "{e:?}"
        );
    });
}

/// A far side in `dir` that refuses as ssh does unless the file `up` there exists, and otherwise
/// writes its pid to `pid` and serves the demo: the spec, `up` and `pid`.
fn up_while(dir: &Path) -> (DirectorSpec, PathBuf, PathBuf) {
    let (up, pid) = (dir.join("up"), dir.join("pid"));
    let spec = exec(&format!(
        "[ -e {up} ] || {{ echo 'lb9: Connection refused' >&2; exit 255; }}; echo $$ > {pid}; exec {EXE} --demo agent --audit-log {log}",
        up = up.display(),
        pid = pid.display(),
        log = dir.join("audit.log").display()
    ));
    (spec, up, pid)
}

/// A director whose agent died is unreachable, with the reason; tried again at most every
/// RECONNECT_EVERY while it stays down; back, with polls, once its far side is.
#[test]
fn a_director_comes_back_when_its_far_side_does() {
    let dir = tempfile::tempdir().unwrap();
    let (spec, up, pid_file) = up_while(dir.path());
    std::fs::write(&up, "").unwrap();
    block_on(async {
        let remote = connect(&spec).await.unwrap();
        remote.poll(Watched::default()).await.unwrap();
        std::fs::remove_file(&up).unwrap();
        let pid: i32 = std::fs::read_to_string(&pid_file)
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        nix::sys::signal::kill(
            nix::unistd::Pid::from_raw(pid),
            nix::sys::signal::Signal::SIGKILL,
        )
        .unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        let e = remote.poll(Watched::default()).await.unwrap_err();
        assert!(matches!(e, Error::Unreachable(_)), "{e:?}");
        // Started again at once, refused: the reason is the far side's.
        let e = remote.poll(Watched::default()).await.unwrap_err();
        assert!(e.to_string().contains("lb9: Connection refused"), "{e}");
        std::fs::write(&up, "").unwrap();
        // Within RECONNECT_EVERY of the last try: not tried again yet.
        assert!(remote.poll(Watched::default()).await.is_err());
        tokio::time::sleep(ipvs_tui::remote::director::RECONNECT_EVERY).await;
        let table = remote.poll(Watched::default()).await.unwrap();
        assert!(!table.services.is_empty());
        remote.poll(Watched::default()).await.unwrap();
    });
}

/// A director of a fleet down at start-up (`Remote::unreached`): calls say why, named by its
/// target; its link opens once its far side is up and RECONNECT_EVERY has passed.
#[test]
fn a_director_down_at_start_up_is_reached_later() {
    let dir = tempfile::tempdir().unwrap();
    let (spec, up, _) = up_while(dir.path());
    block_on(async {
        let failed = connect(&spec).await.err().expect("its far side is down");
        let remote = Remote::unreached(&spec, &failed);
        assert!(remote.hello().is_none());
        assert_eq!(remote.host_name(), spec.name);
        let e = remote.poll(Watched::default()).await.unwrap_err();
        assert!(matches!(e, Error::Unreachable(_)), "{e:?}");
        assert!(e.to_string().contains("lb9: Connection refused"), "{e}");
        std::fs::write(&up, "").unwrap();
        tokio::time::sleep(ipvs_tui::remote::director::RECONNECT_EVERY).await;
        let table = remote.poll(Watched::default()).await.unwrap();
        assert!(!table.services.is_empty());
        assert_eq!(remote.host_name(), ipvs_tui::sys::host_name());
    });
}
