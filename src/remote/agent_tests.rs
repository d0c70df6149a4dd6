use super::*;
use crate::backend::Sim;
use crate::host::MemoryHost;
use crate::ipvs::sim::SimBackend;
use crate::operation::audit::read_last;
use std::sync::Arc;

fn agent(read_only: bool, log: &std::path::Path) -> (Agent, Arc<SimBackend>) {
    let sim = Arc::new(SimBackend::demo(1));
    let backend: Rc<dyn Backend> = Rc::new(Sim::new(sim.clone(), MemoryHost::default()));
    let agent = Agent::new(
        backend,
        ConnsFrom::Sim(sim.clone()),
        read_only,
        AuditLog::at(log),
    );
    (agent, sim)
}

/// Feeds `input` to the agent and returns its output lines (the hello first).
async fn exchange(agent: &Agent, input: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    agent.serve(input, &mut out).await.unwrap();
    String::from_utf8(out)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

fn reply(line: &str) -> ReplyLine {
    decode(line.as_bytes(), MAX_REPLY).unwrap()
}

fn request(id: u64, req: Request) -> Vec<u8> {
    encode(&RequestLine { id, req }).unwrap()
}

fn weight_op() -> Operation {
    let table = futures::executor::block_on(SimBackend::demo(1).snapshot()).unwrap();
    let s = &table.services[0];
    crate::ipvs::IpvsOp::EditDest {
        service: s.config.key,
        dest: crate::ipvs::model::DestConfig {
            weight: 77,
            ..s.dests[0].config
        },
    }
    .into()
}

#[tokio::test]
async fn garbage_a_huge_line_and_the_end_of_input() {
    let dir = tempfile::tempdir().unwrap();
    let (agent, sim) = agent(false, &dir.path().join("audit.log"));
    let before = sim.snapshot().await.unwrap();
    let mut input = b"garbage\n\xff\xfe\n{\"id\":7,\"req\":\"launch\"}\n".to_vec();
    input.extend(vec![b'x'; MAX_REQUEST + 10]);
    input.push(b'\n');
    input.extend(request(8, Request::Snapshot));
    // The last line has no newline: the end of input still ends it.
    input.extend(b"{\"id\":9");
    let lines = exchange(&agent, &input).await;
    let hello: Hello<AgentHello> = decode(lines[0].as_bytes(), MAX_REPLY).unwrap();
    assert_eq!(hello.hello.protocol, PROTOCOL);
    assert!(!hello.hello.read_only);
    let all: Vec<ReplyLine> = lines[1..].iter().map(|l| reply(l)).collect();
    assert_eq!(all.len(), 6, "{lines:?}");
    // The snapshot is answered when it is done; the bad lines at once, in order.
    let (snapshot, replies): (Vec<ReplyLine>, Vec<ReplyLine>) =
        all.into_iter().partition(|r| r.id == Some(8));
    assert!(matches!(
        &replies[0],
        ReplyLine {
            id: None,
            body: Body::Error(ProtocolError::Undecodable { .. })
        }
    ));
    assert!(matches!(
        &replies[1].body,
        Body::Error(ProtocolError::Undecodable { .. })
    ));
    assert_eq!(replies[2].id, Some(7), "the id of a bad request is kept");
    assert_eq!(
        replies[3].body,
        Body::Error(ProtocolError::TooLong { limit: MAX_REQUEST })
    );
    assert!(matches!(&snapshot[0].body, Body::Snapshot(Ok(t)) if t.services == before.services));
    assert!(matches!(&replies[4].body, Body::Error(_)));
    assert_eq!(
        sim.snapshot().await.unwrap().services,
        before.services,
        "nothing changed"
    );
}

#[tokio::test]
async fn changes_are_applied_and_audited_with_the_claimed_user() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("audit.log");
    let (agent, sim) = agent(false, &log);
    let mut input = b"{\"hello\":{\"protocol\":1,\"user\":\"alice\",\"program\":\"t\"}}\n".to_vec();
    input.extend(request(1, Request::Apply { op: weight_op() }));
    let lines = exchange(&agent, &input).await;
    assert_eq!(reply(&lines[1]).body, Body::Applied(Ok(())));
    let table = sim.snapshot().await.unwrap();
    assert_eq!(table.services[0].dests[0].config.weight, 77);
    let entries = read_last(&log, 10).unwrap().entries;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].user, "alice (claimed)");
    assert_eq!(entries[0].source, Some(Source::Agent));
}

#[tokio::test]
async fn a_read_only_agent_refuses_and_audits_the_refusal() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("audit.log");
    let (agent, sim) = agent(true, &log);
    let before = sim.snapshot().await.unwrap();
    let mut input = request(1, Request::Apply { op: weight_op() });
    input.extend(request(
        2,
        Request::ApplyBatch {
            ops: vec![weight_op(), weight_op()],
        },
    ));
    let lines = exchange(&agent, &input).await;
    let hello: Hello<AgentHello> = decode(lines[0].as_bytes(), MAX_REPLY).unwrap();
    assert!(hello.hello.read_only);
    let refused = Err(crate::ipvs::Error::Refused(READ_ONLY.into()).into());
    let mut bodies: Vec<(Option<u64>, Body)> = lines[1..]
        .iter()
        .map(|l| reply(l))
        .map(|r| (r.id, r.body))
        .collect();
    bodies.sort_by_key(|b| b.0);
    assert_eq!(bodies[0].1, Body::Applied(refused.clone()));
    assert_eq!(bodies[1].1, Body::Batch(vec![refused]));
    assert_eq!(sim.snapshot().await.unwrap().services, before.services);
    let entries = read_last(&log, 10).unwrap().entries;
    assert_eq!(entries.len(), 2);
    assert!(entries[0].error.as_deref().unwrap().contains("read-only"));
}

#[tokio::test]
async fn a_quiet_poll_sends_almost_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (agent, _sim) = agent(false, &dir.path().join("audit.log"));
    // One at a time, as a client polls (the agent serves overlapping requests in any order);
    // the third asks on a base that is not the last one sent.
    let mut lines = Vec::new();
    for (id, since) in [(1, None), (2, Some(1)), (3, Some(1))] {
        let input = request(
            id,
            Request::Poll {
                watched: Default::default(),
                since,
            },
        );
        let out = exchange(&agent, &input).await;
        lines.push(out[1].clone()); // after the hello
    }
    let polls: Vec<PollAnswer> = lines
        .iter()
        .map(|l| match reply(l).body {
            Body::Poll(Ok(p)) => p,
            other => panic!("{other:?}"),
        })
        .collect();
    assert!(polls[0].full.is_some());
    let delta = polls[1].delta.as_ref().expect("a delta");
    assert!(
        delta.services.is_empty(),
        "the simulator's clock stands still"
    );
    assert!(
        lines[1].len() * 20 < lines[0].len(),
        "{} vs {}",
        lines[1].len(),
        lines[0].len()
    );
    assert!(polls[2].full.is_some());
}

#[tokio::test]
async fn a_closed_output_ends_it_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let (agent, _sim) = agent(false, &dir.path().join("audit.log"));
    let (client, server) = tokio::io::duplex(64);
    drop(client);
    let (read, write) = tokio::io::split(server);
    agent.serve(read, write).await.unwrap();
}
