//! The answers checked as a whole: read by the plan parser, checked against this host and the
//! IPVS table (`plan_operations`), each step validated and followed in memory, as `setup --plan`
//! does, with every problem put under the question it concerns.

use super::{Question, entries, write};
use crate::host::{HostOp, HostState};
use crate::ipvs::IpvsOp;
use crate::ipvs::model::Snapshot;
use crate::ipvs::parse::ParseError;
use crate::operation::{Operation, State};
use crate::setup::plan_file::Plan;
use crate::setup::plan_operations;
use crate::setup::role::Role;

/// One thing wrong with the answers: under a question, or for the plan as a whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub question: Option<Question>,
    pub message: String,
}

/// Stand-ins for a VIP the parser refused, so the service's answers are still checked (the
/// parser reads services only under a valid VIP).
const STAND_IN_V4: &str = "192.0.2.254";
const STAND_IN_V6: &str = "2001:db8::fffe";

/// The answers read as a plan by the plan parser, or every problem under its question.
pub fn check(role: Role, answers: &[(Question, &str)]) -> Result<Plan, Vec<Problem>> {
    let written = write(role, answers);
    let errors = match Plan::parse(&written.text) {
        Ok(plan) => return Ok(plan),
        Err(errors) => errors,
    };
    let mut problems: Vec<Problem> = errors
        .iter()
        .map(|e| Problem {
            question: written.question_of(e),
            message: written.message_of(e),
        })
        .collect();
    if problems.iter().any(|p| p.question == Some(Question::Vip))
        && Question::for_role(role).contains(&Question::RealServers)
    {
        let servers = answers
            .iter()
            .find(|(q, _)| *q == Question::RealServers)
            .map_or("", |(_, t)| t);
        let v6 = entries(servers)
            .first()
            .is_some_and(|e| e.address.contains(':'));
        let stand_in = if v6 { STAND_IN_V6 } else { STAND_IN_V4 };
        let mut again: Vec<(Question, &str)> = answers
            .iter()
            .filter(|(q, _)| *q != Question::Vip)
            .copied()
            .collect();
        again.push((Question::Vip, stand_in));
        let rewritten = write(role, &again);
        if let Err(more) = Plan::parse(&rewritten.text) {
            for e in more {
                let question = rewritten.question_of(&e);
                let message = rewritten.message_of(&e);
                let problem = Problem { question, message };
                if question.is_some_and(|q| q != Question::Vip)
                    && !problem.message.contains(stand_in)
                    && !problems.contains(&problem)
                {
                    problems.push(problem);
                }
            }
        }
    }
    Err(problems)
}

/// The question a step's refusal by `Operation::validate` concerns (port 0 without persistence,
/// a weight or threshold out of range): the service's fields, the real servers, the VIP's.
pub fn question_of_step(op: &Operation, e: &ParseError) -> Option<Question> {
    match op {
        Operation::Ipvs(IpvsOp::AddService(_) | IpvsOp::EditService(_)) => match e.field {
            "scheduler" | "scheduler flags" => Some(Question::Scheduler),
            "persistence timeout" | "netmask" | "persistence engine" => Some(Question::Persistence),
            "port" | "virtual service" => Some(Question::Port),
            _ => None,
        },
        Operation::Ipvs(IpvsOp::AddDest { .. } | IpvsOp::EditDest { .. }) => {
            Some(Question::RealServers)
        }
        Operation::Host(HostOp::AddAddr { .. }) => match e.field {
            "label" => Some(Question::Label),
            "interface" => Some(Question::Interface),
            _ => Some(Question::Vip),
        },
        _ => None,
    }
}

/// The answers as a plan and the Operations that bring this host to it (only what is not in
/// place yet), or every problem: the parser's, the host's (an interface it lacks, a VIP bound
/// elsewhere), and a step the parsers or the state followed in memory refuse.
pub fn check_on(
    role: Role,
    answers: &[(Question, &str)],
    host: &HostState,
    ipvs: &Snapshot,
) -> Result<(Plan, Vec<Operation>), Vec<Problem>> {
    let plan = check(role, answers)?;
    let written = write(role, answers);
    let ops = plan_operations(&plan, host, ipvs).map_err(|errors| {
        errors
            .iter()
            .map(|e| Problem {
                question: written.question_of(e),
                message: written.message_of(e),
            })
            .collect::<Vec<_>>()
    })?;
    let mut state = State::new(ipvs.clone(), host.clone());
    for (i, op) in ops.iter().enumerate() {
        if let Err(e) = op.validate() {
            return Err(vec![Problem {
                question: question_of_step(op, &e),
                message: e.to_string(),
            }]);
        }
        if let Err(e) = op.apply_in_memory(&mut state) {
            return Err(vec![Problem {
                question: None,
                message: format!(
                    "step {} of {} ({}) would be refused: {e}",
                    i + 1,
                    ops.len(),
                    op.to_command()
                ),
            }]);
        }
    }
    Ok((plan, ops))
}

#[cfg(test)]
mod tests {
    use super::*;
    use Question::*;

    #[test]
    fn each_problem_goes_back_to_its_question() {
        let answers = [
            (Vip, "192.0.2.300"),
            (Interface, "eth 0"),
            (Label, ""),
            (Protocol, "icmp"),
            (Port, "70000"),
            (Scheduler, "r r"),
            (Persistence, "-1"),
            (RealServers, "10.0.0.2 2147483648, 10.0.0.2"),
        ];
        let problems = check(Role::NatDirector, &answers).unwrap_err();
        let traced: Vec<(Option<Question>, String)> = problems
            .into_iter()
            .map(|p| (p.question, p.message))
            .collect();
        let questions: Vec<Option<Question>> = traced.iter().map(|t| t.0).collect();
        assert_eq!(
            questions,
            [
                Some(Vip),
                Some(Interface),
                Some(Protocol),
                Some(Port),
                Some(Scheduler),
                Some(Persistence),
                Some(RealServers)
            ],
            "under a bad VIP the service is still checked: {traced:?}"
        );
        assert_eq!(
            traced[3].1,
            "port \"70000\": must be a whole number from 0 to 65535"
        );
        assert_eq!(
            traced[6].1,
            "weight \"2147483648\": must be a whole number from 0 to 2147483647"
        );
        let twice = super::write(
            Role::NatDirector,
            &[
                (Vip, "192.0.2.1"),
                (Interface, "eth0"),
                (Port, "80"),
                (Protocol, "tcp"),
                (Scheduler, "wlc"),
                (RealServers, "10.0.0.2, 10.0.0.2"),
            ],
        );
        let e = &Plan::parse(&twice.text).unwrap_err()[0];
        assert_eq!(
            (twice.question_of(e), twice.message_of(e)),
            (
                Some(RealServers),
                "real server 10.0.0.2:80: already listed as entry 1".to_string()
            )
        );
        let none = super::write(
            Role::DrDirector,
            &[
                (Vip, "192.0.2.1"),
                (Interface, "eth0"),
                (Port, "80"),
                (Protocol, "tcp"),
                (Scheduler, "wlc"),
                (RealServers, " "),
            ],
        );
        let e = &Plan::parse(&none.text).unwrap_err()[0];
        assert_eq!(none.question_of(e), Some(RealServers), "{e}");
    }

    #[test]
    fn a_refused_step_goes_back_to_its_question() {
        let e = ParseError::combo(
            "port",
            "port 0 (any port) is allowed only for a persistent service",
        );
        let plan = Plan::parse(
            &super::write(
                Role::DrDirector,
                &[
                    (Vip, "192.0.2.1"),
                    (Interface, "eth0"),
                    (Port, "0"),
                    (Protocol, "tcp"),
                    (Scheduler, "wlc"),
                    (RealServers, "10.0.0.2"),
                ],
            )
            .text,
        )
        .unwrap();
        let op = Operation::Ipvs(IpvsOp::AddService(plan.services[0].config.clone()));
        assert_eq!(question_of_step(&op, &e), Some(Port));
        assert_eq!(
            op.validate().map_err(|e| question_of_step(&op, &e)),
            Err(Some(Port))
        );
    }

    #[test]
    fn against_the_host_an_unknown_interface_is_named_under_its_question_and_a_good_plan_gives_its_steps()
     {
        use crate::host::{Addr, Link};
        let a = |t: &str, prefix| Addr {
            addr: t.parse().unwrap(),
            prefix,
            label: None,
        };
        let link = |index, name: &str, addrs| Link {
            index,
            name: name.into(),
            up: true,
            kind: None,
            addrs,
        };
        let host = HostState {
            links: vec![
                link(1, "lo", vec![a("127.0.0.1", 8)]),
                link(2, "eth0", vec![a("198.51.100.2", 24)]),
            ],
            ..HostState::default()
        };
        let answers = |dev| {
            [
                (Vip, "198.51.100.10"),
                (Interface, dev),
                (Protocol, "tcp"),
                (Port, "80"),
                (Scheduler, "rr"),
                (RealServers, "198.51.100.11 2"),
            ]
        };
        let problems = check_on(
            Role::DrDirector,
            &answers("eth9"),
            &host,
            &Snapshot::default(),
        )
        .unwrap_err();
        assert_eq!(
            problems,
            [Problem {
                question: Some(Interface),
                message: "interface \"eth9\": no such interface on this host (here: lo, eth0)"
                    .into()
            }]
        );
        let (plan, ops) = check_on(
            Role::DrDirector,
            &answers("eth0"),
            &host,
            &Snapshot::default(),
        )
        .unwrap();
        assert_eq!(plan.role, Role::DrDirector);
        let commands: Vec<String> = ops.iter().map(Operation::to_command).collect();
        assert_eq!(
            commands,
            [
                "ip addr add 198.51.100.10/32 dev eth0",
                "ipvsadm -A -t 198.51.100.10:80 -s rr",
                "ipvsadm -a -t 198.51.100.10:80 -r 198.51.100.11:80 -g -w 2"
            ]
        );
    }
}
