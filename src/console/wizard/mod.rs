//! The setup wizard (`W`): the role of this machine (page 1), only that role's questions
//! (page 2, checked as `setup --plan` checks a plan file), then the plan as commands with the
//! advice (page 3), applied as ONE change through the console's change path (all or nothing,
//! audited, one undo step); on success the doctor looks at the result. Drawing: `ui::wizard`.

pub mod form;
pub mod words;

use super::action::{Command, Effect};
use super::app::{App, Modal, Nav};
use super::change::{ChangeOutcome, Failure, Origin};
use crate::console::form::Seen;
use crate::console::keys::keymap::Layer;
use crate::console::panes::doctor::DoctorView;
use crate::operation::Operation;
use crate::setup::gather::Ask;
use crate::setup::{Role, plan};
use form::WizardForm;
use tui_input::InputRequest;

/// The page shown.
#[derive(Debug, Clone)]
pub enum Page {
    /// The index into `Role::ALL` of the role under the cursor.
    Role(usize),
    Form(WizardForm),
    Plan {
        form: WizardForm,
        preview: Preview,
    },
}

/// What page 3 shows: the steps not yet in place, the advice, how applying goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview {
    pub ops: Vec<Operation>,
    /// What the doctor is told afterwards: the role, VIP and director of the plan.
    pub ask: Ask,
    pub advice: Vec<String>,
    /// The id of the change on its way, while it applies.
    pub applying: Option<u64>,
    /// Why the last try failed, in words.
    pub error: Option<String>,
    /// The first line of the plan shown (it scrolls when long).
    pub scroll: usize,
}

#[derive(Debug, Clone)]
pub struct Wizard {
    pub page: Page,
}

impl Wizard {
    pub fn layer(&self) -> Layer {
        match self.page {
            Page::Role(_) => Layer::WizardRole,
            Page::Form(_) => Layer::WizardForm,
            Page::Plan { .. } => Layer::WizardPlan,
        }
    }
}

/// The wizard's commands: `W` opens it; the others act on the page shown.
pub fn command(app: &mut App, c: Command) -> Vec<Effect> {
    if c == Command::Wizard {
        if app.director.host_state.is_none() {
            app.flash_error(
                "the host has not been read yet: the wizard checks its answers against it",
            );
            return vec![];
        }
        app.stack.set_modal(Modal::Wizard(Wizard {
            page: Page::Role(0),
        }));
        return vec![];
    }
    let Some(Modal::Wizard(wizard)) = app.stack.take_modal() else {
        return vec![];
    };
    let (next, effects) = step(app, wizard, c);
    if let Some(next) = next {
        app.stack.set_modal(Modal::Wizard(next));
    }
    effects
}

/// Commands the wizard takes while open (the others, such as quit or help, act as anywhere).
pub fn takes(c: Command) -> bool {
    matches!(
        c,
        Command::Up
            | Command::Down
            | Command::PageUp
            | Command::PageDown
            | Command::FormNext
            | Command::FormPrev
            | Command::WizardNext
            | Command::WizardBack
    )
}

fn step(app: &mut App, wizard: Wizard, c: Command) -> (Option<Wizard>, Vec<Effect>) {
    let page =
        match (wizard.page, c) {
            (Page::Role(i), Command::Up | Command::Down | Command::PageUp | Command::PageDown) => {
                let mut nav = Nav {
                    selected: i,
                    offset: 0,
                };
                nav.step(c.rows(Role::ALL.len() as isize), Role::ALL.len());
                Page::Role(nav.selected)
            }
            (Page::Role(i), Command::WizardNext) => Page::Form(WizardForm::answers(
                Role::ALL[i],
                app.director.host_state.as_ref(),
            )),
            (Page::Role(_), Command::WizardBack) => {
                app.flash("setup wizard closed: nothing was changed");
                return (None, vec![]);
            }
            (Page::Form(mut form), Command::FormNext | Command::Down) => {
                form.next_field();
                Page::Form(form)
            }
            (Page::Form(mut form), Command::FormPrev | Command::Up) => {
                form.prev_field();
                Page::Form(form)
            }
            (Page::Form(mut form), Command::WizardNext) => match form.submit_with(&seen(app)) {
                Some((plan, ops)) => {
                    let advice = app
                        .director
                        .host_state
                        .as_ref()
                        .map(|h| plan::advice(&plan, h))
                        .unwrap_or_default();
                    let ask = Ask {
                        role: Some(plan.role),
                        vip: plan.vip,
                        director: plan.director,
                    };
                    Page::Plan {
                        form,
                        preview: Preview {
                            ops,
                            ask,
                            advice,
                            applying: None,
                            error: None,
                            scroll: 0,
                        },
                    }
                }
                None => Page::Form(form),
            },
            (Page::Form(form), Command::WizardBack) => {
                let role = form.validator().role;
                Page::Role(Role::ALL.iter().position(|r| *r == role).unwrap_or(0))
            }
            (Page::Plan { form, preview }, _) if preview.applying.is_some() => {
                app.flash_error(format!(
                    "applying the plan ({} steps): wait for the result",
                    preview.ops.len()
                ));
                Page::Plan { form, preview }
            }
            (
                Page::Plan { form, mut preview },
                Command::Up | Command::Down | Command::PageUp | Command::PageDown,
            ) => {
                let lines = preview.ops.len() + preview.advice.len();
                let mut nav = Nav {
                    selected: preview.scroll,
                    offset: 0,
                };
                nav.step(c.rows(10), lines);
                preview.scroll = nav.selected;
                Page::Plan { form, preview }
            }
            (Page::Plan { form, .. }, Command::WizardBack) => Page::Form(form),
            (Page::Plan { form, preview }, Command::WizardNext) if preview.ops.is_empty() => {
                let advice = if preview.advice.is_empty() {
                    ""
                } else {
                    "; its advice is for you to follow"
                };
                app.flash(format!(
                    "nothing applied: this host needs no change to be a {}{advice}",
                    form.validator().role
                ));
                open_doctor(app, preview.ask.clone());
                return (None, vec![Effect::RunDoctor(preview.ask)]);
            }
            (Page::Plan { form, mut preview }, Command::WizardNext) => {
                let effects =
                    super::operate::submit(app, Origin::Wizard, preview.ops.clone(), None, None);
                match app
                    .director
                    .in_flight
                    .as_ref()
                    .filter(|_| !effects.is_empty())
                {
                    Some(change) => {
                        preview.applying = Some(change.id);
                        preview.error = None;
                    }
                    None => preview.error = Some(
                        "another change is still being applied; press Enter again when it is done"
                            .into(),
                    ),
                }
                return (
                    Some(Wizard {
                        page: Page::Plan { form, preview },
                    }),
                    effects,
                );
            }
            (page, _) => page,
        };
    (Some(Wizard { page }), vec![])
}

/// Text typed into the wizard: a digit chooses a role on page 1; on page 2 it edits the field.
pub fn edit(app: &mut App, req: InputRequest) {
    let Some(Modal::Wizard(wizard)) = app.stack.modal_mut() else {
        return;
    };
    match &mut wizard.page {
        Page::Role(_) => {
            if let InputRequest::InsertChar(c) = req
                && let Some(i) = c
                    .to_digit(10)
                    .and_then(|d| (d as usize).checked_sub(1))
                    .filter(|i| *i < Role::ALL.len())
            {
                wizard.page = Page::Form(WizardForm::answers(
                    Role::ALL[i],
                    app.director.host_state.as_ref(),
                ));
            }
        }
        Page::Form(form) => {
            let seen = Seen {
                table: app.director.snapshot.as_ref(),
                host: app.director.host_state.as_ref(),
            };
            form.edit_with(req, &seen)
        }
        Page::Plan { .. } => {}
    }
}

/// What the answers are checked against: the host and the table as last read.
fn seen(app: &App) -> Seen<'_> {
    Seen {
        table: app.director.snapshot.as_ref(),
        host: app.director.host_state.as_ref(),
    }
}

/// How the wizard's change ended: its id, and on failure why, and whether everything applied
/// before the failing step was undone. None: not the wizard's change.
pub fn outcome_of(o: &ChangeOutcome) -> Option<(u64, Option<(String, bool)>)> {
    let failure = o.result.as_ref().err().map(|f| {
        (
            f.message(&o.change.ops),
            !matches!(f, Failure::Failed(p) if !p.rollback_errors.is_empty()),
        )
    });
    (o.change.origin == Origin::Wizard).then_some((o.change.id, failure))
}

/// The plan's change came back: on success the wizard closes and the doctor opens (the caller
/// runs it); on failure page 3 says why and that nothing was left changed (or what was).
pub fn applied(app: &mut App, (id, failure): (u64, Option<(String, bool)>)) {
    let Some(Modal::Wizard(Wizard {
        page: Page::Plan { preview, .. },
    })) = app.stack.modal_mut()
    else {
        return;
    };
    if preview.applying != Some(id) {
        return;
    }
    preview.applying = None;
    match failure {
        None => {
            let ask = preview.ask.clone();
            app.stack.close_modal();
            open_doctor(app, ask);
        }
        Some((message, clean)) => {
            let state = if clean {
                "Nothing was changed: this host and the IPVS table are as they were."
            } else {
                "This host is NOT as it was."
            };
            preview.error = Some(format!("Not applied: {message}. {state}"));
        }
    }
}

/// The doctor pane, opened to look at the result as the plan's role (`Effect::RunDoctor` runs it).
fn open_doctor(app: &mut App, ask: Ask) {
    // The effect of closing a page other than the connections pane is none.
    let _ = app
        .stack
        .show(crate::console::stack::Page::Doctor(DoctorView {
            findings: None,
            nav: Nav::default(),
            ask,
        }));
}
