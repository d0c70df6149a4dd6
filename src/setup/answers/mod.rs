//! A plan given as answers to questions (one text per question, as the console's wizard asks
//! them), written as the plan file `setup --plan` reads, and every problem the plan parser, the
//! host checks or a step's validation finds traced back to the question it concerns: one set of
//! rules and words for the wizard and the command line.

mod check;

pub use check::{Problem, check, check_on, question_of_step};

use super::plan_file::PlanError;
use super::role::Role;
use std::fmt::Write;

/// What the wizard asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Question {
    Vip,
    Interface,
    Label,
    Protocol,
    Port,
    Scheduler,
    Persistence,
    RealServers,
    Director,
}

const DIRECTOR: &[Question] = &[
    Question::Vip,
    Question::Interface,
    Question::Label,
    Question::Protocol,
    Question::Port,
    Question::Scheduler,
    Question::Persistence,
    Question::RealServers,
];
const REAL_SERVER: &[Question] = &[Question::Vip, Question::Interface, Question::Label];
const NAT_REAL_SERVER: &[Question] = &[Question::Director];

impl Question {
    /// The questions `role` asks, in order.
    pub fn for_role(role: Role) -> &'static [Question] {
        match role {
            Role::NatDirector | Role::DrDirector | Role::TunDirector => DIRECTOR,
            Role::DrRealServer | Role::TunRealServer => REAL_SERVER,
            Role::NatRealServer => NAT_REAL_SERVER,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Question::Vip => "VIP",
            Question::Interface => "interface",
            Question::Label => "label",
            Question::Protocol => "protocol",
            Question::Port => "port",
            Question::Scheduler => "scheduler",
            Question::Persistence => "persistence",
            Question::RealServers => "real servers",
            Question::Director => "director",
        }
    }

    /// The plan key the answer is written to; None for the real servers (a table each).
    fn key(self) -> Option<&'static str> {
        match self {
            Question::Vip => Some("vip"),
            Question::Interface => Some("interface"),
            Question::Label => Some("label"),
            Question::Protocol => Some("protocol"),
            Question::Port => Some("port"),
            Question::Scheduler => Some("scheduler"),
            Question::Persistence => Some("persistence"),
            Question::Director => Some("director"),
            Question::RealServers => None,
        }
    }

    /// An empty answer leaves the key out (its default applies) instead of being checked.
    fn optional(self, role: Role) -> bool {
        match self {
            Question::Label | Question::Persistence => true,
            Question::Interface => !role.is_director(),
            _ => false,
        }
    }
}

/// One entry of the real-server answer, `ADDR[:PORT][ WEIGHT]` (IPv6 with a port: `[ADDR]:PORT`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerEntry<'a> {
    pub address: &'a str,
    pub port: Option<&'a str>,
    pub weight: Option<&'a str>,
}

/// The entries of a comma-separated real-server answer; empty entries are skipped. What follows
/// the first space is the weight, as typed, for the plan parser to judge.
pub fn entries(text: &str) -> Vec<ServerEntry<'_>> {
    text.split(',')
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .map(entry)
        .collect()
}

fn entry(text: &str) -> ServerEntry<'_> {
    let (target, weight) = match text.split_once(char::is_whitespace) {
        Some((t, w)) => (t, Some(w.trim())),
        None => (text, None),
    };
    let (address, port) = if let Some(rest) = target.strip_prefix('[')
        && let Some((v6, after)) = rest.split_once(']')
    {
        (v6, after.strip_prefix(':'))
    } else if target.matches(':').count() == 1 {
        let (a, p) = target.split_once(':').unwrap_or((target, ""));
        (a, Some(p))
    } else {
        (target, None)
    };
    ServerEntry {
        address,
        port,
        weight,
    }
}

/// The plan file written from the answers, and which question each of its lines came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub text: String,
    /// The question of each line (line 1 first).
    lines: Vec<Option<Question>>,
    /// The line of each real-server entry's address, in order.
    entry_lines: Vec<usize>,
}

/// Writes `answers` for `role` as a plan file. Every answer is a TOML string, so that whatever
/// was typed reaches the plan parser's own checks (and messages) unchanged.
pub fn write(role: Role, answers: &[(Question, &str)]) -> Written {
    let mut w = Written {
        text: String::new(),
        lines: Vec::new(),
        entry_lines: Vec::new(),
    };
    w.line(None, format!("role = {}", quoted(role.name())));
    let answer = |q: Question| {
        answers
            .iter()
            .find(|(a, _)| *a == q)
            .map_or("", |(_, t)| t.trim())
    };
    let asked = Question::for_role(role);
    let top = |q: &&Question| {
        !matches!(
            q,
            Question::Protocol
                | Question::Port
                | Question::Scheduler
                | Question::Persistence
                | Question::RealServers
        )
    };
    for &q in asked.iter().filter(top) {
        if let Some(key) = q
            .key()
            .filter(|_| !(q.optional(role) && answer(q).is_empty()))
        {
            w.line(Some(q), format!("{key} = {}", quoted(answer(q))));
        }
    }
    if asked.contains(&Question::RealServers) {
        // The service's own line stands for the real servers: its error is that there are none.
        w.line(Some(Question::RealServers), "[[service]]".into());
        for q in [
            Question::Protocol,
            Question::Port,
            Question::Scheduler,
            Question::Persistence,
        ] {
            if let Some(key) = q
                .key()
                .filter(|_| !(q.optional(role) && answer(q).is_empty()))
            {
                w.line(Some(q), format!("{key} = {}", quoted(answer(q))));
            }
        }
        for e in entries(answer(Question::RealServers)) {
            w.line(
                Some(Question::RealServers),
                "[[service.real_server]]".into(),
            );
            w.entry_lines.push(w.lines.len() + 1);
            w.line(
                Some(Question::RealServers),
                format!("address = {}", quoted(e.address)),
            );
            for (key, value) in [("port", e.port), ("weight", e.weight)] {
                if let Some(v) = value {
                    w.line(
                        Some(Question::RealServers),
                        format!("{key} = {}", quoted(v)),
                    );
                }
            }
        }
    }
    w
}

fn quoted(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

impl Written {
    fn line(&mut self, question: Option<Question>, text: String) {
        writeln!(self.text, "{text}").expect("writing to a String");
        self.lines.push(question);
    }

    /// The question a problem of this plan concerns; None: the plan as a whole (the role).
    pub fn question_of(&self, e: &PlanError) -> Option<Question> {
        e.line
            .and_then(|l| self.lines.get(l.checked_sub(1)?).copied().flatten())
    }

    /// The problem in the wizard's words: a real server another one repeats is named by its
    /// place in the list (`entry 1`), not by a line of a file the user never saw.
    pub fn message_of(&self, e: &PlanError) -> String {
        let mut message = e.message.clone();
        for (n, line) in self.entry_lines.iter().enumerate() {
            message = message.replace(&format!("at line {line}"), &format!("as entry {}", n + 1));
        }
        message
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::setup::Plan;
    use Question::*;

    #[test]
    fn real_server_entries_take_a_port_and_a_weight_and_ipv6_in_brackets() {
        let e = entries(
            " 10.10.0.11, 10.10.0.12:8080 3,, [2001:db8::1]:80 2, 2001:db8::2 ,10.0.0.1 4 5",
        );
        let shown: Vec<(&str, Option<&str>, Option<&str>)> =
            e.iter().map(|e| (e.address, e.port, e.weight)).collect();
        assert_eq!(
            shown,
            [
                ("10.10.0.11", None, None),
                ("10.10.0.12", Some("8080"), Some("3")),
                ("2001:db8::1", Some("80"), Some("2")),
                ("2001:db8::2", None, None),
                ("10.0.0.1", None, Some("4 5")),
            ]
        );
    }

    #[test]
    fn answers_written_as_a_plan_read_back_as_the_plan_they_say() {
        let answers = [
            (Vip, "192.0.2.10"),
            (Interface, "eth0"),
            (Label, ""),
            (Protocol, "udp"),
            (Port, "53"),
            (Scheduler, "rr"),
            (Persistence, "0"),
            (RealServers, "10.0.0.2, 10.0.0.3:5353 7"),
        ];
        let w = write(Role::NatDirector, &answers);
        let plan = Plan::parse(&w.text).unwrap_or_else(|e| panic!("{e:?}\n{}", w.text));
        assert_eq!(
            plan.to_toml(),
            "role = \"nat-director\"\nvip = \"192.0.2.10\"\ninterface = \"eth0\"\n\n[[service]]\nprotocol = \"udp\"\nport = 53\nscheduler = \"rr\"\n\n[[service.real_server]]\naddress = \"10.0.0.2\"\nweight = 1\n\n[[service.real_server]]\naddress = \"10.0.0.3\"\nport = 5353\nweight = 7\n"
        );
        let rs = write(
            Role::DrRealServer,
            &[(Vip, "192.0.2.10"), (Interface, ""), (Label, "")],
        );
        assert_eq!(
            rs.text, "role = \"dr-real-server\"\nvip = \"192.0.2.10\"\n",
            "empty optional answers are left out"
        );
        let quotes = write(Role::NatRealServer, &[(Director, "a\"b\\c")]);
        assert_eq!(
            Plan::parse(&quotes.text).unwrap_err()[0].message,
            "director \"a\"b\\c\": must be an IPv4 or IPv6 address such as 192.0.2.100"
        );
    }
}
