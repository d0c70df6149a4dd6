//! The host forms: bind a VIP (address[/prefix], interface, optional label) and set a sysctl.
//! Checked through `host::parse` as you type, and against the host as it was read (an interface
//! that is not there, an address already bound), so a mistake is named before anything is sent.

use crate::host::{self, HostOp, HostState, SysctlInfo};
use tui_input::{Input, InputRequest};

#[derive(Debug, Clone)]
pub enum HostFormKind {
    Bind,
    Sysctl {
        info: &'static SysctlInfo,
        name: String,
    },
}

#[derive(Debug, Clone)]
pub struct HostField {
    pub label: &'static str,
    pub input: Input,
    /// What an empty field means.
    pub placeholder: &'static str,
    pub help: String,
    /// Edited, or the form was submitted: its error is shown.
    touched: bool,
    pub error: Option<String>,
}

impl HostField {
    fn new(
        label: &'static str,
        text: &str,
        placeholder: &'static str,
        help: impl Into<String>,
    ) -> HostField {
        HostField {
            label,
            input: Input::new(text.to_string()),
            placeholder,
            help: help.into(),
            touched: false,
            error: None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct HostForm {
    pub kind: HostFormKind,
    pub fields: Vec<HostField>,
    pub focus: usize,
    /// A problem of the whole change (the kernel's refusal, an address already bound).
    pub error: Option<String>,
    /// Read-only lines above the fields.
    pub context: Vec<String>,
    /// The host as read when the form opened.
    host: HostState,
}

const ADDRESS: usize = 0;
const DEVICE: usize = 1;
const LABEL: usize = 2;

impl HostForm {
    /// Bind a VIP; the interface starts as `dev` (the selected link).
    pub fn bind(host: &HostState, dev: &str) -> HostForm {
        let names: Vec<&str> = host.links.iter().map(|l| l.name.as_str()).collect();
        let fields = vec![
            HostField::new(
                "address",
                "",
                "required, e.g. 192.0.2.100 or 2001:db8::100",
                "The VIP: IPv4 or IPv6, /32 or /128 unless you give a /PREFIX",
            ),
            HostField::new(
                "interface",
                dev,
                "required",
                format!(
                    "The interface to bind it to: {} (lo on a DR/TUN real server)",
                    names.join(", ")
                ),
            ),
            HostField::new(
                "label",
                "",
                "none",
                "Optional IPv4 label: the interface name, ':' and a suffix, e.g. eth0:1",
            ),
        ];
        HostForm {
            kind: HostFormKind::Bind,
            fields,
            focus: 0,
            error: None,
            context: Vec::new(),
            host: host.clone(),
        }
    }

    /// Set the sysctl `name` (of `info`), starting from its current value.
    pub fn sysctl(
        host: &HostState,
        info: &'static SysctlInfo,
        name: &str,
        current: &str,
    ) -> HostForm {
        let help = format!(
            "{}: the value {}",
            info.explanation,
            host::parse::describe(&info.allowed)
        );
        let fields = vec![HostField::new("value", current, "required", help)];
        let context = vec![name.to_string(), format!("now {current}")];
        HostForm {
            kind: HostFormKind::Sysctl {
                info,
                name: name.to_string(),
            },
            fields,
            focus: 0,
            error: None,
            context,
            host: host.clone(),
        }
    }

    pub fn title(&self) -> String {
        match &self.kind {
            HostFormKind::Bind => "Bind a VIP".into(),
            HostFormKind::Sysctl { name, .. } => format!("Set {name}"),
        }
    }

    pub fn edit(&mut self, req: InputRequest) {
        let Some(field) = self.fields.get_mut(self.focus) else {
            return;
        };
        if field.input.handle(req).is_some_and(|c| c.value) {
            field.touched = true;
            self.error = None;
            self.show(false);
        }
    }

    pub fn next_field(&mut self) {
        self.focus = (self.focus + 1) % self.fields.len();
    }

    pub fn prev_field(&mut self) {
        self.focus = (self.focus + self.fields.len() - 1) % self.fields.len();
    }

    /// Every field checked; the change, or `None` with the errors shown and the text kept.
    pub fn submit(&mut self) -> Option<HostOp> {
        self.fields.iter_mut().for_each(|f| f.touched = true);
        self.show(true)
    }

    /// The command it will run, when every field is valid.
    pub fn preview(&self) -> Option<String> {
        let (op, problems) = self.check();
        op.filter(|_| problems.is_empty()).map(|op| op.to_command())
    }

    pub fn set_error(&mut self, message: impl Into<String>) {
        self.error = Some(message.into());
    }

    /// The focused field's explanation.
    pub fn help(&self) -> &str {
        self.fields.get(self.focus).map_or("", |f| f.help.as_str())
    }

    fn show(&mut self, submitted: bool) -> Option<HostOp> {
        let (op, problems) = self.check();
        for (i, f) in self.fields.iter_mut().enumerate() {
            f.error = problems
                .iter()
                .find(|(at, _)| *at == Some(i) && f.touched)
                .map(|(_, m)| m.clone());
        }
        let whole: Vec<&str> = problems
            .iter()
            .filter(|(at, _)| at.is_none())
            .map(|(_, m)| m.as_str())
            .collect();
        if submitted {
            self.error = (!whole.is_empty()).then(|| whole.join("; "));
        }
        op.filter(|_| problems.is_empty())
    }

    /// The change the fields describe, and every problem: under a field (its index) or for the form.
    fn check(&self) -> (Option<HostOp>, Vec<(Option<usize>, String)>) {
        let mut problems = Vec::new();
        let text = |i: usize| self.fields[i].input.value().trim();
        let op = match &self.kind {
            HostFormKind::Bind => {
                let addr = host::parse::vip(text(ADDRESS))
                    .map_err(|e| problems.push((Some(ADDRESS), e.to_string())))
                    .ok();
                let dev = host::parse::interface(text(DEVICE))
                    .map_err(|e| problems.push((Some(DEVICE), e.to_string())))
                    .ok();
                if let Some(dev) = &dev
                    && self.host.link(dev).is_none()
                {
                    let names: Vec<&str> =
                        self.host.links.iter().map(|l| l.name.as_str()).collect();
                    problems.push((
                        Some(DEVICE),
                        format!(
                            "interface {dev} does not exist here; the interfaces are {}",
                            names.join(", ")
                        ),
                    ));
                }
                let label = match (text(LABEL), &dev, addr) {
                    ("", _, _) => None,
                    (l, Some(dev), Some((addr, _))) => host::parse::label(l, dev, addr)
                        .map_err(|e| problems.push((Some(LABEL), e.to_string())))
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
            HostFormKind::Sysctl { info, name } => host::parse::sysctl_value(info, name, text(0))
                .map(|value| HostOp::SetSysctl {
                    name: name.clone(),
                    value,
                })
                .map_err(|e| problems.push((Some(0), e.to_string())))
                .ok(),
        };
        // What the kernel would refuse given the host as read (already bound, a sysctl it lacks).
        if let Some(op) = &op
            && problems.is_empty()
            && let Err(e) = host::memory::apply(&mut self.host.clone(), op)
        {
            problems.push((None, e.to_string()));
        }
        (op, problems)
    }
}
