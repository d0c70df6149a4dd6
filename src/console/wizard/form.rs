//! Page 2 of the wizard: only the chosen role's questions, as text fields. The answers are
//! checked as `setup --plan` checks a plan file (see `setup::answers`), as you type and on
//! Enter, each problem under its field; the text typed always stays.

use super::words;
use crate::host::HostState;
use crate::ipvs::model::Snapshot;
use crate::operation::Operation;
use crate::setup::answers::{self, Problem, Question};
use crate::setup::{Plan, Role, net};
use tui_input::{Input, InputRequest};

#[derive(Debug, Clone)]
pub struct WizardField {
    pub question: Question,
    pub input: Input,
    /// Edited, or the form was submitted: its error is shown.
    touched: bool,
    pub error: Option<String>,
}

#[derive(Debug, Clone)]
pub struct WizardForm {
    pub role: Role,
    pub fields: Vec<WizardField>,
    pub focus: usize,
    /// A problem of the plan as a whole (tunl0 missing, a step refused in memory).
    pub error: Option<String>,
}

impl WizardForm {
    /// The role's questions, prefilled: the interface of the default route, tcp, 80, wlc, 0.
    pub fn new(role: Role, host: Option<&HostState>) -> WizardForm {
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
                WizardField {
                    question,
                    input: Input::new(text.to_string()),
                    touched: false,
                    error: None,
                }
            })
            .collect();
        WizardForm {
            role,
            fields,
            focus: 0,
            error: None,
        }
    }

    pub fn next_field(&mut self) {
        self.focus = (self.focus + 1) % self.fields.len();
    }

    pub fn prev_field(&mut self) {
        self.focus = (self.focus + self.fields.len() - 1) % self.fields.len();
    }

    /// Text into the focused field; the fields edited so far are checked again at once.
    pub fn edit(&mut self, req: InputRequest, host: Option<&HostState>, ipvs: Option<&Snapshot>) {
        let Some(field) = self.fields.get_mut(self.focus) else {
            return;
        };
        if field.input.handle(req).is_some_and(|c| c.value) {
            field.touched = true;
            self.error = None;
            self.show(host, ipvs, false);
        }
    }

    /// Every field checked against the plan rules and this host: the plan and its steps, or
    /// `None` with every problem shown (the text stays).
    pub fn submit(
        &mut self,
        host: Option<&HostState>,
        ipvs: Option<&Snapshot>,
    ) -> Option<(Plan, Vec<Operation>)> {
        self.fields.iter_mut().for_each(|f| f.touched = true);
        self.show(host, ipvs, true)
    }

    pub fn error_of(&self, q: Question) -> Option<&str> {
        self.fields
            .iter()
            .find(|f| f.question == q)
            .and_then(|f| f.error.as_deref())
    }

    pub fn help(&self) -> &'static str {
        self.fields
            .get(self.focus)
            .map_or("", |f| words::help(f.question, self.role))
    }

    /// The plan, or its problems: against the host and table when they have been read.
    fn check(
        &self,
        host: Option<&HostState>,
        ipvs: Option<&Snapshot>,
    ) -> Result<(Plan, Vec<Operation>), Vec<Problem>> {
        let answers: Vec<(Question, &str)> = self
            .fields
            .iter()
            .map(|f| (f.question, f.input.value()))
            .collect();
        match host {
            Some(host) => answers::check_on(
                self.role,
                &answers,
                host,
                ipvs.unwrap_or(&Snapshot::default()),
            ),
            None => Err(vec![Problem {
                question: None,
                message: "the host has not been read yet: wait a moment and press Enter again"
                    .into(),
            }]),
        }
    }

    fn show(
        &mut self,
        host: Option<&HostState>,
        ipvs: Option<&Snapshot>,
        submitted: bool,
    ) -> Option<(Plan, Vec<Operation>)> {
        let problems = match self.check(host, ipvs) {
            Ok(ready) => {
                self.fields.iter_mut().for_each(|f| f.error = None);
                return Some(ready);
            }
            Err(problems) => problems,
        };
        for f in &mut self.fields {
            let mine: Vec<&str> = problems
                .iter()
                .filter(|p| p.question == Some(f.question))
                .map(|p| p.message.as_str())
                .collect();
            f.error = (f.touched && !mine.is_empty()).then(|| mine.join("; "));
        }
        if submitted {
            let whole: Vec<&str> = problems
                .iter()
                .filter(|p| {
                    p.question
                        .is_none_or(|q| !self.fields.iter().any(|f| f.question == q))
                })
                .map(|p| p.message.as_str())
                .collect();
            self.error = (!whole.is_empty()).then(|| whole.join("; "));
        }
        None
    }
}
