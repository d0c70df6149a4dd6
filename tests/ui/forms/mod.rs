//! The forms of the console: a table of bad inputs (each with its exact message, where it shows,
//! the typed text kept and no operation), good inputs with their exact operations and commands,
//! snapshots of every form drawn, and arbitrary keys that never panic nor produce a bad change.

use ipvs_tui::console::form::{Confirm, FieldId, Form, Value};
use ipvs_tui::ipvs::IpvsOp;
use ipvs_tui::ipvs::model::{
    self, Dest, DestConfig, Forward, Protocol, Service, ServiceConfig, ServiceKey, Snapshot, Stats,
    SyncDaemon, SyncState, Timeouts,
};
use ipvs_tui::ipvs::parse;
use ipvs_tui::ui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use std::net::IpAddr;
use tui_input::InputRequest;

// ---------------------------------------------------------------- fixtures

fn ip(text: &str) -> IpAddr {
    text.parse().unwrap()
}

fn svc_key(addr: &str, port: u16) -> ServiceKey {
    ServiceKey::Addr {
        protocol: Protocol::Tcp,
        addr: ip(addr),
        port,
    }
}

/// TCP 198.51.100.1:80, wlc.
fn web() -> ServiceConfig {
    ServiceConfig::new(svc_key("198.51.100.1", 80))
}

/// TCP [2001:db8::1]:443.
fn web6() -> ServiceConfig {
    ServiceConfig::new(svc_key("2001:db8::1", 443))
}

/// TCP 198.51.100.1:0, persistent 600 s.
fn any_port() -> ServiceConfig {
    ServiceConfig {
        persistence: Some(600),
        ..ServiceConfig::new(svc_key("198.51.100.1", 0))
    }
}

fn masq(addr: &str, port: u16, weight: u32) -> DestConfig {
    DestConfig {
        forward: Forward::Masq,
        weight,
        ..DestConfig::new(ip(addr), port)
    }
}

fn dest(config: DestConfig) -> Dest {
    Dest {
        config,
        active_conns: 0,
        inact_conns: 0,
        persist_conns: 0,
        stats: Stats::default(),
    }
}

fn daemon(state: SyncState) -> SyncDaemon {
    SyncDaemon {
        state,
        mcast_ifn: "eth1".into(),
        sync_id: 7,
        sync_maxlen: 0,
        mcast_group: None,
        mcast_port: 0,
        mcast_ttl: 0,
    }
}

/// The table now: web with one real server, fwmark 7, a master daemon.
fn table() -> Snapshot {
    let fwm = ServiceConfig::new(ServiceKey::Fwmark {
        mark: 7,
        family: model::Family::Inet,
    });
    Snapshot {
        services: vec![
            Service {
                config: web(),
                stats: Stats::default(),
                dests: vec![dest(masq("203.0.113.2", 80, 1))].into(),
            },
            Service {
                config: fwm,
                stats: Stats::default(),
                dests: Default::default(),
            },
        ],
        daemons: vec![daemon(SyncState::Master)],
        ..Snapshot::default()
    }
}

fn empty_table() -> Snapshot {
    Snapshot::default()
}

// ---------------------------------------------------------------- typing

/// Tabs to `id` (it must be reachable) and gives it `text`: typed into a text field (after
/// clearing it), the option of that name for a choice, `on`/`off` for a switch.
fn set(form: &mut Form, id: FieldId, text: &str) {
    for _ in 0..40 {
        if form.focused() == Some(id) {
            break;
        }
        form.next_field();
    }
    assert_eq!(
        form.focused(),
        Some(id),
        "{id:?} is reachable with Tab in {}",
        form.title()
    );
    let value = form
        .fields()
        .into_iter()
        .find(|f| f.id == id)
        .unwrap()
        .value
        .clone();
    match value {
        Value::Text(_) | Value::Combo { .. } => {
            form.edit(InputRequest::DeleteLine);
            text.chars()
                .for_each(|c| form.edit(InputRequest::InsertChar(c)));
        }
        Value::Choice { options, .. } => {
            for _ in 0..options.len() {
                if form.value(id).as_deref() == Some(text) {
                    break;
                }
                form.edit(InputRequest::GoToNextChar);
            }
        }
        Value::Switch(on) => {
            if on != (text == "on") {
                form.edit(InputRequest::InsertChar(' '));
            }
        }
        Value::Flags { .. } => {
            // "101": each flag in turn, on where 1.
            for (i, want) in text.chars().enumerate() {
                if want == '1' {
                    form.edit(InputRequest::InsertChar(' '));
                }
                if i < 2 {
                    form.edit(InputRequest::GoToNextChar);
                }
            }
        }
        Value::Fixed(_) => panic!("{id:?} is not editable"),
    }
    if !matches!(value, Value::Flags { .. }) {
        assert_eq!(
            form.value(id).as_deref(),
            Some(text),
            "{id:?} of {}",
            form.title()
        );
    }
}

fn filled(mut form: Form, values: &[(FieldId, &str)]) -> Form {
    for (id, text) in values {
        set(&mut form, *id, text);
    }
    form
}

// ---------------------------------------------------------------- bad inputs

#[derive(Clone, Copy)]
enum Where {
    Field(FieldId),
    Form,
}

struct Bad {
    form: fn() -> Form,
    values: &'static [(FieldId, &'static str)],
    table: fn() -> Snapshot,
    at: Where,
    message: &'static str,
}

use FieldId::*;

macro_rules! sched_msg {
    ($head:literal) => {
        concat!($head, "must be a scheduler name such as rr, wrr, lc, wlc, lblc, lblcr, dh, sh, sed, nq, fo, ovf, mh, twos (1 to 15 letters, digits or _)")
    };
}
macro_rules! ifn_msg {
    ($head:literal) => {
        concat!(
            $head,
            "must be an interface name of 1 to 15 characters without '/', ':' or spaces"
        )
    };
}

fn add_service() -> Form {
    Form::add_service()
}
fn edit_web() -> Form {
    Form::edit_service(&web())
}
fn edit_any_port() -> Form {
    Form::edit_service(&any_port())
}
fn add_to_web() -> Form {
    Form::add_dest(&web())
}
fn add_to_web6() -> Form {
    Form::add_dest(&web6())
}
fn edit_server() -> Form {
    Form::edit_dest(&web(), &masq("203.0.113.2", 80, 1))
}
fn edit_gone_server() -> Form {
    Form::edit_dest(&web(), &masq("203.0.113.9", 80, 1))
}
fn weight_form() -> Form {
    Form::weight(&web(), &masq("203.0.113.2", 80, 1))
}
fn weight_gone() -> Form {
    Form::weight(&web(), &masq("203.0.113.9", 80, 1))
}
fn timeouts() -> Form {
    Form::timeouts(&Timeouts {
        tcp: 900,
        tcp_fin: 120,
        udp: 300,
    })
}
fn daemons() -> Form {
    Form::daemon(&[])
}

// ---------------------------------------------------------------- good inputs

/// Submits against `table` and returns the operations with their preview.
fn good(mut form: Form, table: &Snapshot) -> (Vec<IpvsOp>, String) {
    let preview = form
        .preview()
        .unwrap_or_else(|| panic!("{}: a preview", form.title()));
    let ops = form.submit(Some(table)).unwrap_or_else(|| {
        panic!(
            "{}: accepted, yet {:?} {:?}",
            form.title(),
            form.error(),
            form.fields().iter().map(|f| f.error).collect::<Vec<_>>()
        )
    });
    assert_eq!(
        preview,
        ops.iter()
            .map(IpvsOp::to_command)
            .collect::<Vec<_>>()
            .join("\n"),
        "the preview is the command applied"
    );
    (ops, preview)
}

// ---------------------------------------------------------------- arbitrary keys

// ---------------------------------------------------------------- on screen

/// The form drawn over a blank `width` x `height` screen.
fn render_with(
    width: u16,
    height: u16,
    theme: &Theme,
    draw: impl Fn(&mut ratatui::Frame, &Theme),
) -> (Buffer, Option<(u16, u16)>) {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| draw(f, theme)).unwrap();
    let backend = terminal.backend();
    let cursor = backend
        .cursor_visible()
        .then(|| (backend.cursor_position().x, backend.cursor_position().y));
    (backend.buffer().clone(), cursor)
}

fn text(buffer: &Buffer) -> String {
    let width = buffer.area.width as usize;
    let symbols: Vec<&str> = buffer.content.iter().map(|c| c.symbol()).collect();
    symbols
        .chunks(width)
        .map(|row| row.concat().trim_end().to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The screen's text, then where the cursor is.
fn screen(form: &Form, width: u16, height: u16) -> String {
    let (buffer, cursor) = render_with(width, height, &Theme::builtin(), |f, theme| {
        ipvs_tui::ui::form::draw(f, f.area(), form, theme)
    });
    format!("{}\ncursor: {cursor:?}", text(&buffer))
}

fn confirm_screen(confirm: &Confirm, width: u16, height: u16) -> String {
    let (buffer, cursor) = render_with(width, height, &Theme::builtin(), |f, theme| {
        ipvs_tui::ui::form::draw_confirm(f, f.area(), confirm, theme)
    });
    format!("{}\ncursor: {cursor:?}", text(&buffer))
}

fn focus(mut form: Form, id: FieldId) -> Form {
    while form.focused() != Some(id) {
        form.next_field();
    }
    form
}

fn persistent_sh_service() -> Form {
    filled(
        Form::add_service(),
        &[
            (Address, "198.51.100.1"),
            (Port, "443"),
            (Scheduler, "sh"),
            (SchedFlags, "100"),
            (Persistent, "on"),
            (Timeout, "900"),
            (Netmask, "255.255.255.0"),
        ],
    )
}

mod arbitrary;
mod bad;
mod dests;
mod drawn;
mod screens;
mod services;
