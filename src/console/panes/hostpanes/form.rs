//! The host forms: bind a VIP (address[/prefix], interface, optional label) and set a sysctl.
//! Checked through `host::parse` as you type, and against the host as it was read (an interface
//! that is not there, an address already bound), so a mistake is named before anything is sent.

use crate::console::form::{Field, Fields, Form, Problem, Seen, Validator};
use crate::host::{self, HostOp, HostState, SysctlInfo};

/// A host form while open.
pub type HostForm = Form<Host>;

/// The fields of the host forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HostField {
    Address,
    Interface,
    Label,
    Value,
}

#[derive(Debug, Clone)]
pub enum HostFormKind {
    Bind,
    Sysctl {
        info: &'static SysctlInfo,
        name: String,
    },
}

/// The validator of a host form: which one, and the host as read when it opened.
#[derive(Debug, Clone)]
pub struct Host {
    kind: HostFormKind,
    host: HostState,
}

impl Form<Host> {
    /// Bind a VIP; the interface starts as `dev` (the selected link).
    pub fn bind(host: &HostState, dev: &str) -> HostForm {
        let fields = vec![
            Field::text(HostField::Address, ""),
            Field::text(HostField::Interface, dev),
            Field::text(HostField::Label, ""),
        ];
        let kind = HostFormKind::Bind;
        let host = host.clone();
        Form::new(Host { kind, host }, fields, Vec::new())
    }

    /// Set the sysctl `name` (of `info`), starting from its current value.
    pub fn sysctl(
        host: &HostState,
        info: &'static SysctlInfo,
        name: &str,
        current: &str,
    ) -> HostForm {
        let fields = vec![Field::text(HostField::Value, current)];
        let context = vec![name.to_string(), format!("now {current}")];
        let kind = HostFormKind::Sysctl {
            info,
            name: name.to_string(),
        };
        let host = host.clone();
        Form::new(Host { kind, host }, fields, context)
    }
}

impl Host {
    fn link_names(&self) -> String {
        let names: Vec<&str> = self.host.links.iter().map(|l| l.name.as_str()).collect();
        names.join(", ")
    }
}

impl Validator for Host {
    type Id = HostField;
    type Output = HostOp;
    const WIDTH: u16 = 90;
    const KEYS: &'static str = "Tab next field · Enter apply · Esc cancel";

    fn title(&self) -> String {
        match &self.kind {
            HostFormKind::Bind => "Bind a VIP".into(),
            HostFormKind::Sysctl { name, .. } => format!("Set {name}"),
        }
    }

    fn label(&self, _: Fields<'_, HostField>, id: HostField) -> &'static str {
        match id {
            HostField::Address => "address",
            HostField::Interface => "interface",
            HostField::Label => "label",
            HostField::Value => "value",
        }
    }

    fn placeholder(&self, id: HostField) -> &'static str {
        match id {
            HostField::Address => "required, e.g. 192.0.2.100 or 2001:db8::100",
            HostField::Label => "none",
            HostField::Interface | HostField::Value => "required",
        }
    }

    fn help(&self, _: Fields<'_, HostField>, id: HostField) -> String {
        match (id, &self.kind) {
            (HostField::Address, _) => {
                "The VIP: IPv4 or IPv6, /32 or /128 unless you give a /PREFIX".into()
            }
            (HostField::Interface, _) => format!(
                "The interface to bind it to: {} (lo on a DR/TUN real server)",
                self.link_names()
            ),
            (HostField::Label, _) => {
                "Optional IPv4 label: the interface name, ':' and a suffix, e.g. eth0:1".into()
            }
            (HostField::Value, HostFormKind::Sysctl { info, .. }) => format!(
                "{}: the value {}",
                info.explanation,
                host::parse::describe(&info.allowed)
            ),
            (HostField::Value, HostFormKind::Bind) => String::new(),
        }
    }

    /// The change the fields describe, or every problem: under a field or for the form.
    fn check(
        &self,
        fields: Fields<'_, HostField>,
        _: &Seen,
    ) -> Result<HostOp, Vec<Problem<HostField>>> {
        let mut problems = Vec::new();
        let mut fail = |field: HostField, message: String| {
            problems.push(Problem {
                field: Some(field),
                message,
            })
        };
        let text = |id: HostField| fields.typed(id).trim();
        let op = match &self.kind {
            HostFormKind::Bind => {
                let addr = host::parse::vip(text(HostField::Address))
                    .map_err(|e| fail(HostField::Address, e.to_string()))
                    .ok();
                let dev = host::parse::interface(text(HostField::Interface))
                    .map_err(|e| fail(HostField::Interface, e.to_string()))
                    .ok();
                if let Some(dev) = &dev
                    && self.host.link(dev).is_none()
                {
                    let names = self.link_names();
                    let message =
                        format!("interface {dev} does not exist here; the interfaces are {names}");
                    fail(HostField::Interface, message);
                }
                let label = match (text(HostField::Label), &dev, addr) {
                    ("", _, _) => None,
                    (l, Some(dev), Some((addr, _))) => host::parse::label(l, dev, addr)
                        .map_err(|e| fail(HostField::Label, e.to_string()))
                        .ok(),
                    _ => None,
                };
                match (addr, dev) {
                    (Some((addr, prefix)), Some(dev)) => Some(HostOp::AddAddr {
                        dev,
                        addr,
                        prefix,
                        label,
                    }),
                    _ => None,
                }
            }
            HostFormKind::Sysctl { info, name } => {
                host::parse::sysctl_value(info, name, text(HostField::Value))
                    .map(|value| HostOp::SetSysctl {
                        name: name.clone(),
                        value,
                    })
                    .map_err(|e| fail(HostField::Value, e.to_string()))
                    .ok()
            }
        };
        // What the kernel would refuse given the host as read (already bound, a sysctl it lacks).
        if let Some(op) = &op
            && problems.is_empty()
            && let Err(e) = host::memory::apply(&mut self.host.clone(), op)
        {
            problems.push(Problem {
                field: None,
                message: e.to_string(),
            });
        }
        match op {
            Some(op) if problems.is_empty() => Ok(op),
            _ => Err(problems),
        }
    }

    fn preview(&self, op: &HostOp) -> Option<String> {
        Some(op.to_command())
    }
}
