//! The forms of the console: add or edit a service or real server, set a weight, the connection
//! timeouts and the sync daemons. A form holds what was typed, checks it through `ipvs::parse`
//! as the user types, and turns it into the `IpvsOp`s to apply. Drawing lives in `crate::ui::form`.

mod check;
pub mod confirm;
mod daemon;
mod dest;
mod existing;
mod fields;
mod service;
mod timeouts;
mod view;
mod words;

pub use confirm::Confirm;
pub use fields::{FieldId, Value};
pub use view::FieldView;

use crate::ipvs::IpvsOp;
use crate::ipvs::model::{DestConfig, ServiceConfig, ServiceKey, Snapshot, SyncDaemon, Timeouts};
use crate::ipvs::parse;
use crate::ipvs::stale::Expected;
use check::{Check, Problem};
use fields::Field;
use tui_input::InputRequest;

/// Which form, and what it was opened on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormKind {
    AddService,
    EditService {
        original: ServiceConfig,
    },
    AddDest {
        service: ServiceKey,
    },
    EditDest {
        service: ServiceKey,
        original: DestConfig,
    },
    Weight {
        service: ServiceKey,
        original: DestConfig,
    },
    Timeouts {
        original: Timeouts,
    },
    Daemon,
}

/// A form while open.
#[derive(Debug, Clone)]
pub struct Form {
    kind: FormKind,
    fields: Vec<Field>,
    /// Index into `fields` of the focused one (always a visible, editable field).
    focus: usize,
    /// A problem of the whole form: a combination of fields, a kernel refusal, a stale edit.
    error: Option<String>,
    /// Read-only lines above the fields: the service of a real server, the running daemons.
    context: Vec<String>,
    /// The service a real-server form belongs to.
    service: Option<ServiceConfig>,
}

impl Form {
    pub fn add_service() -> Form {
        Form::new(
            FormKind::AddService,
            service::add_fields(),
            Vec::new(),
            None,
        )
    }

    pub fn edit_service(current: &ServiceConfig) -> Form {
        Form::new(
            FormKind::EditService {
                original: current.clone(),
            },
            service::edit_fields(current),
            Vec::new(),
            None,
        )
    }

    pub fn add_dest(service: &ServiceConfig) -> Form {
        let kind = FormKind::AddDest {
            service: service.key,
        };
        Form::new(
            kind,
            dest::add_fields(service),
            dest::context(service),
            Some(service.clone()),
        )
    }

    pub fn edit_dest(service: &ServiceConfig, current: &DestConfig) -> Form {
        let kind = FormKind::EditDest {
            service: service.key,
            original: *current,
        };
        Form::new(
            kind,
            dest::edit_fields(current),
            dest::context(service),
            Some(service.clone()),
        )
    }

    /// One field: the weight of a real server.
    pub fn weight(service: &ServiceConfig, current: &DestConfig) -> Form {
        let kind = FormKind::Weight {
            service: service.key,
            original: *current,
        };
        Form::new(
            kind,
            dest::weight_fields(current),
            dest::context(service),
            Some(service.clone()),
        )
    }

    /// tcp, tcpfin and udp, filled with the current values.
    pub fn timeouts(current: &Timeouts) -> Form {
        Form::new(
            FormKind::Timeouts { original: *current },
            timeouts::fields(current),
            Vec::new(),
            None,
        )
    }

    /// Start or stop a sync daemon; the running ones are shown above the fields.
    pub fn daemon(current: &[SyncDaemon]) -> Form {
        Form::new(
            FormKind::Daemon,
            daemon::fields(current),
            daemon::context(current),
            None,
        )
    }

    fn new(
        kind: FormKind,
        fields: Vec<Field>,
        context: Vec<String>,
        service: Option<ServiceConfig>,
    ) -> Form {
        let mut form = Form {
            kind,
            fields,
            focus: 0,
            error: None,
            context,
            service,
        };
        form.focus = form.focusable().first().copied().unwrap_or(0);
        form
    }

    pub fn kind(&self) -> &FormKind {
        &self.kind
    }

    pub fn title(&self) -> String {
        let svc = |key: &ServiceKey| words::service_name(key);
        let server = |d: &DestConfig| crate::ipvs::model::AddrPort(d.addr, d.port).to_string();
        match &self.kind {
            FormKind::AddService => "Add a virtual service".into(),
            FormKind::EditService { original } => format!("Edit {}", svc(&original.key)),
            FormKind::AddDest { service } => format!("Add a real server to {}", svc(service)),
            FormKind::EditDest { service, original } => {
                format!("Edit real server {} of {}", server(original), svc(service))
            }
            FormKind::Weight { service, original } => {
                format!("Weight of {} in {}", server(original), svc(service))
            }
            FormKind::Timeouts { .. } => "Connection timeouts".into(),
            FormKind::Daemon => "Connection sync daemons".into(),
        }
    }

    /// Text into the focused field. On a choice, Left/Right (GoToPrevChar/GoToNextChar) cycle the
    /// options and a typed letter picks one; on an on/off field a typed space flips it. Every
    /// field edited so far is checked again at once (errors as you type).
    pub fn edit(&mut self, req: InputRequest) {
        let Some(field) = self.fields.get_mut(self.focus) else {
            return;
        };
        if field.edit(req) {
            field.touched = true;
            self.error = None;
            self.recheck();
        }
    }

    pub fn next_field(&mut self) {
        self.step(1);
    }

    pub fn prev_field(&mut self) {
        self.step(-1);
    }

    fn step(&mut self, by: isize) {
        let order = self.focusable();
        if order.is_empty() {
            return;
        }
        let at = order.iter().position(|&i| i == self.focus).unwrap_or(0) as isize;
        let n = order.len() as isize;
        self.focus = order[((at + by) % n + n) as usize % order.len()];
    }

    /// Indices of the fields Tab moves between: visible and editable, in order.
    fn focusable(&self) -> Vec<usize> {
        (0..self.fields.len())
            .filter(|&i| self.fields[i].focusable() && self.visible(self.fields[i].id))
            .collect()
    }

    /// All visible fields parsed and validated, then checked against `table` (adding what
    /// exists, editing what vanished). On success, the operations to apply; on failure `None`,
    /// with the errors under their fields (and the form), and every typed character kept.
    pub fn submit(&mut self, table: Option<&Snapshot>) -> Option<Vec<IpvsOp>> {
        self.fields.iter_mut().for_each(|f| f.touched = true);
        let (ops, mut problems) = self.check();
        if let (Some(ops), Some(table)) = (&ops, table) {
            problems.extend(existing::problems(ops, table));
        }
        self.show(&problems, true);
        if problems.is_empty() { ops } else { None }
    }

    /// The equivalent ipvsadm command(s), one per line, when the form is valid as it stands.
    pub fn preview(&self) -> Option<String> {
        let ops = self.check().0?;
        Some(
            ops.iter()
                .map(IpvsOp::to_command)
                .collect::<Vec<_>>()
                .join("\n"),
        )
    }

    /// For an edit (service, real server, weight, timeouts): the object as it was when the form
    /// opened, for `ipvs::stale` to compare with the table before applying.
    pub fn expected(&self) -> Option<Expected> {
        match &self.kind {
            FormKind::EditService { original } => Some(Expected::Service(original.clone())),
            FormKind::EditDest { service, original } | FormKind::Weight { service, original } => {
                Some(Expected::Dest {
                    service: *service,
                    dest: *original,
                })
            }
            FormKind::Timeouts { original } => Some(Expected::Timeouts(*original)),
            FormKind::AddService | FormKind::AddDest { .. } | FormKind::Daemon => None,
        }
    }

    /// A refusal from the kernel, or a notice that the object changed, shown in the form.
    pub fn set_error(&mut self, message: impl Into<String>) {
        self.error = Some(message.into());
    }

    /// The field `id` if this form has it and it is shown now.
    fn field(&self, id: FieldId) -> Option<&Field> {
        self.fields
            .iter()
            .find(|f| f.id == id)
            .filter(|_| self.visible(id))
    }

    /// Any field of this form, shown or not (visibility rules read hidden ones too).
    fn any_field(&self, id: FieldId) -> Option<&Field> {
        self.fields.iter().find(|f| f.id == id)
    }

    /// Whether a field applies now, given the others (tunnel fields only for tunnelling, ...).
    pub fn visible(&self, id: FieldId) -> bool {
        self.any_field(id).is_some()
            && match self.kind {
                FormKind::AddService | FormKind::EditService { .. } => service::visible(self, id),
                FormKind::AddDest { .. } | FormKind::EditDest { .. } | FormKind::Weight { .. } => {
                    dest::visible(self, id)
                }
                FormKind::Daemon => daemon::visible(self, id),
                FormKind::Timeouts { .. } => true,
            }
    }

    /// Everything the fields say, without the table: the operations, or what is wrong.
    fn check(&self) -> (Option<Vec<IpvsOp>>, Vec<Problem>) {
        let mut c = Check::new(self);
        let ops = match &self.kind {
            FormKind::AddService => vec![IpvsOp::AddService(service::build(&mut c))],
            FormKind::EditService { .. } => vec![IpvsOp::EditService(service::build(&mut c))],
            FormKind::AddDest { service } => vec![IpvsOp::AddDest {
                service: *service,
                dest: dest::build(&mut c),
            }],
            FormKind::EditDest { service, .. } | FormKind::Weight { service, .. } => {
                vec![IpvsOp::EditDest {
                    service: *service,
                    dest: dest::build(&mut c),
                }]
            }
            FormKind::Timeouts { .. } => vec![IpvsOp::SetTimeouts(timeouts::build(&mut c))],
            FormKind::Daemon => vec![daemon::build(&mut c)],
        };
        // Rules between fields are checked even when some field is wrong (with a stand-in
        // value in its place), so that one submit shows every problem.
        for op in &ops {
            if let Err(e) = parse::validate(op) {
                c.refuse(e);
            }
        }
        let problems = c.problems;
        (Some(ops).filter(|_| problems.is_empty()), problems)
    }

    /// Checks again as the user types: errors on fields already touched.
    fn recheck(&mut self) {
        let (_, problems) = self.check();
        self.show(&problems, false);
    }

    /// Puts each problem under its field (only touched ones while typing), or on the form (also
    /// one whose field is not shown, so that no refusal goes unexplained).
    fn show(&mut self, problems: &[Problem], submitted: bool) {
        let shown: Vec<bool> = self.fields.iter().map(|f| self.visible(f.id)).collect();
        for (f, shown) in self.fields.iter_mut().zip(&shown) {
            f.error = problems
                .iter()
                .find(|p| p.field == Some(f.id) && f.touched && *shown)
                .map(|p| p.message.clone());
        }
        if submitted {
            let on_form = |p: &&Problem| p.field.is_none_or(|id| !self.visible(id));
            let form_level: Vec<&str> = problems
                .iter()
                .filter(on_form)
                .map(|p| p.message.as_str())
                .collect();
            self.error = (!form_level.is_empty()).then(|| form_level.join("; "));
        }
    }
}

#[cfg(test)]
mod tests;
