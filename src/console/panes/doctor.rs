//! The doctor pane (`H`): the doctor of `setup` run by the executor on the table and host
//! the console works on, its findings listed (severity, what, why), and a finding's fix applied as
//! a change after a confirmation showing its commands. It runs again after every change.

use crate::console::action::{Command, Effect};
use crate::console::app::{App, Modal, Nav};
use crate::console::form::Confirm;
use crate::console::stack::Page;
use crate::setup::doctor::Finding;
use crate::setup::gather::{Ask, GatherError};

/// The pane while open.
#[derive(Debug, Clone)]
pub struct DoctorView {
    /// None while the doctor runs; the findings, or why the facts could not be gathered.
    pub findings: Option<Result<Vec<Finding>, GatherError>>,
    pub nav: Nav,
    /// What the doctor is told: the role, VIP and director the wizard set up (else recognised).
    pub ask: Ask,
}

/// Rows a page key moves.
const PAGE: isize = 10;

pub fn command(app: &mut App, c: Command) -> Vec<Effect> {
    match c {
        // Open (and run), or close.
        Command::Doctor if app.stack.doctor().is_some() => return app.stack.close_page(),
        Command::Doctor => {
            let mut effects = app.stack.show(Page::Doctor(DoctorView {
                findings: None,
                nav: Nav::default(),
                ask: Ask::default(),
            }));
            effects.push(Effect::RunDoctor(Ask::default()));
            return effects;
        }
        Command::DoctorFix => fix(app),
        _ => {}
    }
    vec![]
}

/// The findings came back.
pub fn read(app: &mut App, findings: Result<Vec<Finding>, GatherError>) {
    if let Some(view) = app.stack.doctor_mut() {
        let len = findings.as_ref().map_or(0, Vec::len);
        view.nav.selected = view.nav.selected.min(len.saturating_sub(1));
        view.findings = Some(findings);
    }
}

pub fn movement(app: &mut App, c: Command) {
    let Some(view) = app.stack.doctor_mut() else {
        return;
    };
    let len = view
        .findings
        .as_ref()
        .and_then(|f| f.as_ref().ok())
        .map_or(0, Vec::len);
    view.nav.step(c.rows(PAGE), len);
}

/// The selected finding, if the doctor has answered.
pub fn selected(app: &App) -> Option<&Finding> {
    let view = app.stack.doctor()?;
    view.findings
        .as_ref()?
        .as_ref()
        .ok()?
        .get(view.nav.selected)
}

fn fix(app: &mut App) {
    let Some(finding) = selected(app).cloned() else {
        app.flash_error("no finding selected");
        return;
    };
    if finding.fix.is_empty() {
        let advice = finding
            .advice
            .as_deref()
            .map(|a| format!(": {a}"))
            .unwrap_or_default();
        app.flash_error(format!("no change fixes this one from here{advice}"));
        return;
    }
    let title = format!("Fix: {}?", finding.what);
    app.stack
        .set_modal(Modal::Confirm(Confirm::new(title, finding.fix, None)));
}
