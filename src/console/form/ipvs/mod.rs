//! The IPVS forms: add or edit a service or real server, set a weight, the connection timeouts
//! and the sync daemons. Their validator reads the fields through `ipvs::parse` and turns them
//! into the `IpvsOp`s to apply; on Enter it also checks them against the table.

mod check;
mod daemon;
mod dest;
mod existing;
mod service;
mod timeouts;
mod words;

pub use words::FieldId;

use super::{Field, Fields, Form, Problem, Seen, Validator};
use crate::console::stale::Expected;
use crate::ipvs::IpvsOp;
use crate::ipvs::model::{DestConfig, ServiceConfig, ServiceKey, Snapshot, SyncDaemon, Timeouts};
use crate::ipvs::parse;
use check::Check;

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

/// The validator of the IPVS forms: which form, and the service a real-server form belongs to.
#[derive(Debug, Clone)]
pub struct Ipvs {
    kind: FormKind,
    service: Option<ServiceConfig>,
}

impl Form<Ipvs> {
    pub fn add_service() -> Form {
        Form::ipvs(FormKind::AddService, service::add_fields(), None)
    }

    pub fn edit_service(current: &ServiceConfig) -> Form {
        let kind = FormKind::EditService {
            original: current.clone(),
        };
        Form::ipvs(kind, service::edit_fields(current), None)
    }

    pub fn add_dest(service: &ServiceConfig) -> Form {
        let kind = FormKind::AddDest {
            service: service.key,
        };
        Form::ipvs(kind, dest::add_fields(service), Some(service))
    }

    pub fn edit_dest(service: &ServiceConfig, current: &DestConfig) -> Form {
        let kind = FormKind::EditDest {
            service: service.key,
            original: *current,
        };
        Form::ipvs(kind, dest::edit_fields(current), Some(service))
    }

    /// One field: the weight of a real server.
    pub fn weight(service: &ServiceConfig, current: &DestConfig) -> Form {
        let kind = FormKind::Weight {
            service: service.key,
            original: *current,
        };
        Form::ipvs(kind, dest::weight_fields(current), Some(service))
    }

    /// tcp, tcpfin and udp, filled with the current values.
    pub fn timeouts(current: &Timeouts) -> Form {
        let kind = FormKind::Timeouts { original: *current };
        Form::ipvs(kind, timeouts::fields(current), None)
    }

    /// Start or stop a sync daemon; the running ones are shown above the fields.
    pub fn daemon(current: &[SyncDaemon]) -> Form {
        let mut form = Form::ipvs(FormKind::Daemon, daemon::fields(current), None);
        form.context = daemon::context(current);
        form
    }

    /// A real-server form shows its service above the fields.
    fn ipvs(kind: FormKind, fields: Vec<Field<FieldId>>, service: Option<&ServiceConfig>) -> Form {
        let context = service.map(dest::context).unwrap_or_default();
        let service = service.cloned();
        Form::new(Ipvs { kind, service }, fields, context)
    }

    pub fn kind(&self) -> &FormKind {
        &self.validator.kind
    }

    /// All visible fields parsed and validated, then checked against `table` (adding what
    /// exists, editing what vanished). On success, the operations to apply; on failure `None`,
    /// with the errors under their fields (and the form), and every typed character kept.
    pub fn submit(&mut self, table: Option<&Snapshot>) -> Option<Vec<IpvsOp>> {
        self.submit_with(&Seen { table, host: None })
    }

    /// For an edit (service, real server, weight, timeouts): the object as it was when the form
    /// opened, for `console::stale` to compare with the table before applying.
    pub fn expected(&self) -> Option<Expected> {
        match &self.validator.kind {
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
}

impl Validator for Ipvs {
    type Id = FieldId;
    type Output = Vec<IpvsOp>;

    fn title(&self) -> String {
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

    fn label(&self, fields: Fields<'_, FieldId>, id: FieldId) -> &'static str {
        match (id, &self.kind) {
            (FieldId::Netmask, _) => words::netmask_label(service::family(self, fields)),
            (FieldId::Address, FormKind::EditService { .. }) => "virtual service",
            _ => id.label(),
        }
    }

    fn placeholder(&self, id: FieldId) -> &'static str {
        words::placeholder(id)
    }

    fn help(&self, fields: Fields<'_, FieldId>, id: FieldId) -> String {
        let shown = fields.get(id).map(Field::shown).unwrap_or_default();
        words::help(id, &shown).to_string()
    }

    /// Tunnel fields only for tunnelling, persistence details only when persistent, ...
    fn visible(&self, fields: Fields<'_, FieldId>, id: FieldId) -> bool {
        match self.kind {
            FormKind::AddService | FormKind::EditService { .. } => {
                service::visible(self, fields, id)
            }
            FormKind::AddDest { .. } | FormKind::EditDest { .. } | FormKind::Weight { .. } => {
                dest::visible(fields, id)
            }
            FormKind::Daemon => daemon::visible(fields, id),
            FormKind::Timeouts { .. } => true,
        }
    }

    /// The names of the three scheduler flags under the scheduler typed (ipvsadm's `-b` names).
    fn flag_names(&self, fields: Fields<'_, FieldId>) -> [&'static str; 3] {
        match fields.typed(FieldId::Scheduler) {
            "sh" => ["sh-fallback", "sh-port", "flag-3"],
            "mh" => ["mh-fallback", "mh-port", "flag-3"],
            _ => ["flag-1", "flag-2", "flag-3"],
        }
    }

    /// Everything the fields say, without the table: the operations, or what is wrong.
    fn check(
        &self,
        fields: Fields<'_, FieldId>,
        _: &Seen,
    ) -> Result<Vec<IpvsOp>, Vec<Problem<FieldId>>> {
        let mut c = Check::new(self, fields);
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
        if c.problems.is_empty() {
            Ok(ops)
        } else {
            Err(c.problems)
        }
    }

    /// Adding what exists, editing what vanished: against the table, on Enter only.
    fn check_submit(&self, ops: &Vec<IpvsOp>, seen: &Seen) -> Vec<Problem<FieldId>> {
        seen.table
            .map(|table| existing::problems(ops, table))
            .unwrap_or_default()
    }

    /// The equivalent ipvsadm command(s), one per line.
    fn preview(&self, ops: &Vec<IpvsOp>) -> Option<String> {
        Some(
            ops.iter()
                .map(IpvsOp::to_command)
                .collect::<Vec<_>>()
                .join("\n"),
        )
    }
}

#[cfg(test)]
mod tests;
