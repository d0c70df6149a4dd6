//! The guard: a change to an object another manager owns (keepalived, kube-proxy, kube-router)
//! asks first, saying in one sentence what the owner will do with it, and applies on a second
//! Enter. Checked where the operator's change becomes an effect (`operate::submit`, and the
//! start of a drain); read-only mode refuses changes before it.

use super::app::{App, Modal};
use super::form::Confirm;
use super::stale::Expected;
use crate::ipvs::IpvsOp;
use crate::ipvs::label::service_label;
use crate::ipvs::model::ServiceKey;
use crate::operation::Operation;
use crate::owners::Owner;

/// What the operator reads under the owner's sentence.
pub const AGAIN: &str = "Enter applies it anyway; Esc cancels.";

/// The owner of what `ops` change, if any: the first owned service an operation touches.
/// Zeroing counters is not guarded (no owner keeps counters), nor is adding a service.
pub fn owner_of(app: &App, ops: &[Operation]) -> Option<(Owner, ServiceKey)> {
    let known = &app.director.owners;
    let owned = |key: &ServiceKey| known.owner(key).map(|o| (o, *key));
    ops.iter().find_map(|op| match op {
        Operation::Ipvs(op) => match op {
            IpvsOp::EditService(s) => owned(&s.key),
            IpvsOp::DeleteService(key)
            | IpvsOp::AddDest { service: key, .. }
            | IpvsOp::EditDest { service: key, .. }
            | IpvsOp::DeleteDest { service: key, .. } => owned(key),
            IpvsOp::Flush => known
                .view
                .services
                .iter()
                .find_map(|s| s.owner.map(|o| (o, s.key))),
            _ => None,
        },
        Operation::Host(_) => None,
    })
}

/// Whose object this is, as the guard's title says it.
pub fn title(owner: Owner, key: &ServiceKey) -> String {
    format!("{} is managed by {owner}", service_label(key))
}

/// Whether `ops` must wait: they change an owned object and the operator has not yet seen the
/// owner's sentence for exactly these operations. Then the sentence is shown (in the open form
/// or prompt, else in a confirmation carrying `ops`) and the next submit of the same `ops`
/// applies them.
pub fn stops(app: &mut App, ops: &[Operation], expect: Option<&Expected>) -> bool {
    let Some((owner, key)) = owner_of(app, ops) else {
        return false;
    };
    if app.director.guard_ack.as_deref() == Some(ops) {
        app.director.guard_ack = None;
        return false;
    }
    app.director.guard_ack = Some(ops.to_vec());
    let text = format!("{}. {} {AGAIN}", title(owner, &key), owner.guard());
    match app.stack.modal_mut() {
        Some(Modal::Form { form, .. }) => form.set_error(text),
        Some(Modal::Host(form)) => form.set_error(text),
        Some(Modal::Drain(prompt)) => prompt.set_error(text),
        _ => {
            let confirm = Confirm::new(
                format!("{}: apply anyway?", title(owner, &key)),
                ops.to_vec(),
                None,
            )
            .with_note(owner.guard())
            .expecting(expect.cloned());
            app.stack.set_modal(Modal::Confirm(confirm));
        }
    }
    true
}

/// The operator cancelled: the next attempt asks again.
pub fn forget(app: &mut App) {
    app.director.guard_ack = None;
}
