//! The words of one ipvsadm command line read into its command and its options, still as text,
//! checked against ipvsadm's option table (which command takes which option, with what arity).

use crate::ipvs::model::SyncState;
use crate::ipvs::parse::{self, ParseError, Parsed};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Command {
    AddService,
    EditService,
    DeleteService,
    AddDest,
    EditDest,
    DeleteDest,
    Flush,
    Zero,
    SetTimeouts,
    StartDaemon(SyncState),
    StopDaemon(SyncState),
}

impl Command {
    pub(super) fn name(self) -> &'static str {
        match self {
            Command::AddService => "add-service",
            Command::EditService => "edit-service",
            Command::DeleteService => "delete-service",
            Command::AddDest => "add-server",
            Command::EditDest => "edit-server",
            Command::DeleteDest => "delete-server",
            Command::Flush => "clear",
            Command::Zero => "zero",
            Command::SetTimeouts => "set",
            Command::StartDaemon(_) => "start-daemon",
            Command::StopDaemon(_) => "stop-daemon",
        }
    }
}

/// The options seen on one line, still as text, by their long names.
#[derive(Default)]
pub(super) struct Seen<'a> {
    pub(super) command: Option<Command>,
    options: Vec<(&'static str, Option<&'a str>)>,
    pub(super) positional: Vec<&'a str>,
}

impl<'a> Seen<'a> {
    pub(super) fn get(&self, name: &str) -> Option<Option<&'a str>> {
        self.options
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| *v)
    }

    pub(super) fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    pub(super) fn value(&self, name: &str) -> Option<&'a str> {
        self.get(name).flatten()
    }
}

/// (long name, short letter, takes a value). `persistent` takes an optional one.
const OPTIONS: &[(&str, Option<char>, Arity)] = &[
    ("tcp-service", Some('t'), Arity::One),
    ("udp-service", Some('u'), Arity::One),
    ("sctp-service", None, Arity::One),
    ("fwmark-service", Some('f'), Arity::One),
    ("ipv6", Some('6'), Arity::None),
    ("scheduler", Some('s'), Arity::One),
    ("persistent", Some('p'), Arity::Optional),
    ("netmask", Some('M'), Arity::One),
    ("pe", None, Arity::One),
    ("sched-flags", Some('b'), Arity::One),
    ("ops", Some('o'), Arity::None),
    ("real-server", Some('r'), Arity::One),
    ("masquerading", Some('m'), Arity::None),
    ("gatewaying", Some('g'), Arity::None),
    ("ipip", Some('i'), Arity::None),
    ("weight", Some('w'), Arity::One),
    ("u-threshold", Some('x'), Arity::One),
    ("l-threshold", Some('y'), Arity::One),
    ("tun-type", None, Arity::One),
    ("tun-port", None, Arity::One),
    ("tun-nocsum", None, Arity::None),
    ("tun-csum", None, Arity::None),
    ("tun-remcsum", None, Arity::None),
    ("mcast-interface", None, Arity::One),
    ("syncid", None, Arity::One),
    ("sync-maxlen", None, Arity::One),
    ("mcast-group", None, Arity::One),
    ("mcast-port", None, Arity::One),
    ("mcast-ttl", None, Arity::One),
];

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Arity {
    None,
    One,
    Optional,
}

/// The options each command accepts besides the service (as ipvsadm's option table).
pub(super) fn allowed(cmd: Command) -> &'static [&'static str] {
    const SERVICE: &[&str] = &[
        "scheduler",
        "persistent",
        "netmask",
        "pe",
        "sched-flags",
        "ops",
        "ipv6",
    ];
    const DEST: &[&str] = &[
        "real-server",
        "masquerading",
        "gatewaying",
        "ipip",
        "weight",
        "u-threshold",
        "l-threshold",
        "tun-type",
        "tun-port",
        "tun-nocsum",
        "tun-csum",
        "tun-remcsum",
        "ipv6",
    ];
    match cmd {
        Command::AddService | Command::EditService => SERVICE,
        Command::AddDest | Command::EditDest => DEST,
        Command::DeleteDest => &["real-server", "ipv6"],
        Command::DeleteService | Command::Zero => &["ipv6"],
        Command::Flush | Command::SetTimeouts => &[],
        Command::StartDaemon(_) => &[
            "mcast-interface",
            "syncid",
            "sync-maxlen",
            "mcast-group",
            "mcast-port",
            "mcast-ttl",
        ],
        Command::StopDaemon(_) => &["syncid", "mcast-interface"],
    }
}

const SERVICE_OPTIONS: [&str; 4] = [
    "tcp-service",
    "udp-service",
    "sctp-service",
    "fwmark-service",
];

/// The command and options of one line, each option by its long name; unknown options and
/// missing or unexpected values are refused here.
pub(super) fn scan<'a>(words: &[&'a str]) -> Parsed<Seen<'a>> {
    let mut seen = Seen::default();
    let mut i = 0;
    while i < words.len() {
        let word = words[i];
        i += 1;
        let (name, inline): (String, Option<&'a str>) = if let Some(long) = word.strip_prefix("--")
        {
            match long.split_once('=') {
                Some((n, v)) => (n.to_string(), Some(v)),
                None => (long.to_string(), None),
            }
        } else if word.len() >= 2
            && word.starts_with('-')
            && !word[1..].starts_with(|c: char| c.is_ascii_digit() && word.len() > 2)
        {
            // Short options may be bundled (`-At`); a value may follow in the same word (`-w3`).
            let chars = word[1..].char_indices();
            let mut last = None;
            for (at, c) in chars {
                if let Some(cmd) = short_command(c) {
                    set_command(&mut seen, cmd, word)?;
                    continue;
                }
                let Some((long, arity)) =
                    OPTIONS.iter().find(|o| o.1 == Some(c)).map(|o| (o.0, o.2))
                else {
                    return Err(ParseError::new(
                        "option",
                        word,
                        format!("unknown option -{c}"),
                    ));
                };
                let rest = &word[1 + at + c.len_utf8()..];
                if arity != Arity::None && !rest.is_empty() {
                    last = Some((long, Some(rest)));
                    break;
                }
                last = Some((long, None));
                if arity == Arity::None {
                    push_option(&mut seen, long, None, word)?;
                    last = None;
                }
            }
            match last {
                Some((long, Some(v))) => {
                    push_option(&mut seen, long, Some(v), word)?;
                    continue;
                }
                Some((long, None)) => (long.to_string(), None),
                None => continue,
            }
        } else {
            seen.positional.push(word);
            continue;
        };
        if let Some(cmd) = long_command(&name) {
            let cmd = match cmd {
                LongCommand::Plain(c) => c,
                LongCommand::Daemon(start) => {
                    let text = inline
                        .or_else(|| words.get(i).copied().inspect(|_| i += 1))
                        .unwrap_or("");
                    let state = parse::sync_state(text)?;
                    if start {
                        Command::StartDaemon(state)
                    } else {
                        Command::StopDaemon(state)
                    }
                }
            };
            set_command(&mut seen, cmd, word)?;
            continue;
        }
        let Some(&(long, _, arity)) = OPTIONS.iter().find(|o| o.0 == name) else {
            return Err(ParseError::new("option", word, "is not an ipvsadm option"));
        };
        let value = match arity {
            Arity::None => {
                if inline.is_some() {
                    return Err(ParseError::new(
                        "option",
                        word,
                        format!("--{long} takes no value"),
                    ));
                }
                None
            }
            Arity::One => match inline {
                Some(v) => Some(v),
                None => {
                    let v = words
                        .get(i)
                        .copied()
                        .ok_or_else(|| ParseError::new("option", word, "needs a value"))?;
                    i += 1;
                    Some(v)
                }
            },
            // `-p` takes the next word only when it is not another option, as popt does.
            Arity::Optional => match inline {
                Some(v) => Some(v),
                None => match words.get(i) {
                    Some(v) if !v.starts_with('-') => {
                        i += 1;
                        Some(*v)
                    }
                    _ => None,
                },
            },
        };
        push_option(&mut seen, long, value, word)?;
    }
    Ok(seen)
}

pub(super) enum LongCommand {
    Plain(Command),
    Daemon(bool),
}

pub(super) fn long_command(name: &str) -> Option<LongCommand> {
    Some(LongCommand::Plain(match name {
        "add-service" => Command::AddService,
        "edit-service" => Command::EditService,
        "delete-service" => Command::DeleteService,
        "add-server" => Command::AddDest,
        "edit-server" => Command::EditDest,
        "delete-server" => Command::DeleteDest,
        "clear" => Command::Flush,
        "zero" => Command::Zero,
        "set" => Command::SetTimeouts,
        "start-daemon" => return Some(LongCommand::Daemon(true)),
        "stop-daemon" => return Some(LongCommand::Daemon(false)),
        _ => return None,
    }))
}

pub(super) fn short_command(c: char) -> Option<Command> {
    Some(match c {
        'A' => Command::AddService,
        'E' => Command::EditService,
        'D' => Command::DeleteService,
        'a' => Command::AddDest,
        'e' => Command::EditDest,
        'd' => Command::DeleteDest,
        'C' => Command::Flush,
        'Z' => Command::Zero,
        _ => return None,
    })
}

pub(super) fn set_command(seen: &mut Seen, cmd: Command, word: &str) -> Parsed<()> {
    if seen.command.is_some() {
        return Err(ParseError::new(
            "command",
            word,
            "only one command per line is allowed",
        ));
    }
    seen.command = Some(cmd);
    Ok(())
}

pub(super) fn push_option<'a>(
    seen: &mut Seen<'a>,
    long: &'static str,
    value: Option<&'a str>,
    word: &str,
) -> Parsed<()> {
    if seen.has(long)
        || (SERVICE_OPTIONS.contains(&long) && SERVICE_OPTIONS.iter().any(|s| seen.has(s)))
    {
        return Err(ParseError::new(
            "option",
            word,
            format!("the {long} option is given twice"),
        ));
    }
    seen.options.push((long, value));
    Ok(())
}

pub(super) fn check_allowed(cmd: Command, seen: &Seen) -> Parsed<()> {
    let allowed = allowed(cmd);
    for (name, _) in &seen.options {
        let service_ok = SERVICE_OPTIONS.contains(name)
            && !matches!(
                cmd,
                Command::Flush
                    | Command::SetTimeouts
                    | Command::StartDaemon(_)
                    | Command::StopDaemon(_)
            );
        if !service_ok && !allowed.contains(name) {
            return Err(ParseError::combo(
                "option",
                format!("--{name} is not allowed with the {} command", cmd.name()),
            ));
        }
    }
    Ok(())
}
