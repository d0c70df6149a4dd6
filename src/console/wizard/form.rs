//! Page 2 of the wizard: only the chosen role's questions, as text fields. The answers are
//! checked as `setup --plan` checks a plan file (see `setup::answers`), as you type and on
//! Enter, each problem under its field; the text typed always stays.

use super::words;
use crate::console::form::{Field, Fields, Form, Problem, Seen, Validator};
use crate::host::HostState;
use crate::ipvs::model::Snapshot;
use crate::operation::Operation;
use crate::setup::answers::{self, Question};
use crate::setup::{Plan, Role, net};

/// Page 2 while open.
pub type WizardForm = Form<Answers>;

/// The validator of page 2: the role whose questions it asks.
#[derive(Debug, Clone)]
pub struct Answers {
    pub role: Role,
}

impl Form<Answers> {
    /// The role's questions, prefilled: the interface of the default route, tcp, 80, wlc, 0.
    pub fn answers(role: Role, host: Option<&HostState>) -> WizardForm {
        let outside = host.and_then(net::default_route_dev).unwrap_or_default();
        let fields = Question::for_role(role)
            .iter()
            .map(|&question| {
                let text = match question {
                    Question::Interface => outside,
                    Question::Protocol => "tcp",
                    Question::Port => "80",
                    Question::Scheduler => "wlc",
                    Question::Persistence => "0",
                    _ => "",
                };
                Field::text(question, text)
            })
            .collect();
        Form::new(Answers { role }, fields, Vec::new())
    }
}

impl Validator for Answers {
    type Id = Question;
    /// The plan and its steps.
    type Output = (Plan, Vec<Operation>);
    const KEYS: &'static str = "Tab/↓ next · Shift-Tab/↑ previous · Enter check · Esc back";
    const PREVIEW: bool = false;

    fn title(&self) -> String {
        format!("Setup wizard · 2/3 · {}", self.role)
    }

    fn label(&self, _: Fields<'_, Question>, q: Question) -> &'static str {
        q.label()
    }

    fn placeholder(&self, q: Question) -> &'static str {
        words::placeholder(q, self.role)
    }

    fn help(&self, _: Fields<'_, Question>, q: Question) -> String {
        words::help(q, self.role).to_string()
    }

    /// The plan, or its problems: against the host and table when they have been read.
    fn check(
        &self,
        fields: Fields<'_, Question>,
        seen: &Seen,
    ) -> Result<(Plan, Vec<Operation>), Vec<Problem<Question>>> {
        let answers: Vec<(Question, &str)> = fields.0.iter().map(|f| (f.id, f.typed())).collect();
        let Some(host) = seen.host else {
            return Err(vec![Problem {
                field: None,
                message: "the host has not been read yet: wait a moment and press Enter again"
                    .into(),
            }]);
        };
        let empty = Snapshot::default();
        let table = seen.table.unwrap_or(&empty);
        answers::check_on(self.role, &answers, host, table).map_err(|problems| {
            problems
                .into_iter()
                .map(|p| Problem {
                    field: p.question,
                    message: p.message,
                })
                .collect()
        })
    }
}
