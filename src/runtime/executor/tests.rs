//! The executor: work on a director done in the order started, the audit log read at once.

use super::*;
use crate::backend::Sim;
use crate::console::change::{Change, Origin};
use crate::host::MemoryHost;
use crate::ipvs::args::parse_args;
use crate::ipvs::sim::SimBackend;

fn change(id: u64, line: &str) -> Effect {
    let op = parse_args(&line.split_whitespace().collect::<Vec<_>>()).unwrap();
    Effect::Apply(Change {
        id,
        origin: Origin::Key,
        ops: vec![op.into()],
        expect: None,
        undo_of: None,
    })
}

/// Changes started back to back are applied one after the other, in order: the second reads
/// the table the first left (here: the service it adds), and the doctor after them both.
#[test]
fn work_on_the_director_is_done_in_the_order_started() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    tokio::task::LocalSet::new().block_on(&runtime, async {
        let director = Rc::new(Sim::new(SimBackend::new(1), MemoryHost::default()));
        let mut executor = Executor::new(director.clone(), Policy::default());
        assert!(executor.start(change(1, "-A -t 192.0.2.1:80")).is_none());
        assert!(
            executor
                .start(change(2, "-a -t 192.0.2.1:80 -r 10.0.0.2:80 -m"))
                .is_none()
        );
        executor.start(Effect::RunDoctor(Default::default()));
        for id in [1, 2] {
            let Some(Action::Applied(outcome)) = executor.next().await else {
                panic!("change {id}: no outcome")
            };
            assert_eq!(outcome.change.id, id);
            assert!(outcome.result.is_ok(), "{:?}", outcome.result);
        }
        assert!(matches!(
            executor.next().await,
            Some(Action::DoctorRead(Ok(_)))
        ));
        let table = director.snapshot().await.unwrap();
        assert_eq!(table.services[0].dests.len(), 1);
    });
}

#[test]
fn the_audit_log_is_read_at_once() {
    let director = Rc::new(Sim::new(SimBackend::new(1), MemoryHost::default()));
    let mut executor = Executor::new(director, Policy::default());
    let missing = std::path::PathBuf::from("/nonexistent/ipvs-tui/audit.log");
    assert!(matches!(
        executor.start(Effect::ReadAudit(missing)),
        Some(Action::AuditRead(_))
    ));
    assert!(executor.start(Effect::Quit).is_none(), "the loop's");
}
