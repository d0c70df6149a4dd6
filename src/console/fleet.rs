//! Several directors in one console: which one is shown, how an action reaches the director it
//! belongs to, and going from one to another.
//!
//! `App.director` is the director shown, with `App.tables` as the operator arranged them; the
//! others wait in `App.fleet` with their own tables. An action tagged for a director that is not
//! shown (`Action::On`: its poll, the outcome of its change, the clock) is handled by `update`
//! with that director swapped in, its own tables and an empty page stack, so the same code that
//! serves the shown director serves it too, and nothing it does reaches the screen's dialogs.
//! The effects it returns carry its id (`Effect::On`): the runtime sends them to its executor.

use super::action::{Action, Effect};
use super::app::{App, Flash, Parked};
use super::director::Director;
use super::stack::Page;
use crate::ipvs::model::Watched;

impl App {
    /// Every director of the console, by id: the shown one and the parked ones.
    pub fn directors(&self) -> Vec<&Director> {
        let mut all: Vec<&Director> = std::iter::once(&self.director)
            .chain(self.fleet.iter().map(|p| &p.director))
            .collect();
        all.sort_by_key(|d| d.id);
        all
    }

    /// What director `id`'s poll reads afresh: the services it drains from, and on the one
    /// shown, the service whose real servers are on screen.
    pub fn watched(&self, id: usize) -> Watched {
        let focus = if id == self.director.id {
            self.current_service().map(|s| s.config.key)
        } else {
            None
        };
        let draining = self
            .directors()
            .into_iter()
            .find(|d| d.id == id)
            .map(Director::draining)
            .unwrap_or_default();
        Watched { focus, draining }
    }

    /// The console has more than one director: the header names which one is shown, and the
    /// directors page lists them.
    pub fn is_fleet(&self) -> bool {
        !self.fleet.is_empty()
    }

    /// Adds a director beside the others (its id is its place: the next one).
    pub fn add_director(&mut self, mut director: Director) {
        director.id = self.fleet.len() + 1;
        self.fleet.push(Parked {
            director,
            tables: Default::default(),
        });
    }
}

/// The director `id` and its tables take the screen; the one shown is parked with its tables.
/// Overlays close (a form belongs to the director it was opened on) and the tables page shows.
pub fn switch(app: &mut App, id: usize) -> Vec<Effect> {
    let mut effects = app.stack.show(Page::Tables);
    app.stack.overlays.clear();
    if app.director.id == id {
        return effects;
    }
    let Some(i) = app.fleet.iter().position(|p| p.director.id == id) else {
        return effects;
    };
    let parked = &mut app.fleet[i];
    std::mem::swap(&mut app.director, &mut parked.director);
    std::mem::swap(&mut app.tables, &mut parked.tables);
    app.rebuild();
    app.flash(format!("on {}", app.director.host));
    effects.push(Effect::PollNow);
    effects
}

/// `action` on the director `id`: the shown one, or a parked one swapped in for the time of it.
/// Its effects come back tagged with `id`.
pub fn on(app: &mut App, id: usize, action: Action) -> Vec<Effect> {
    if app.director.id == id {
        return tag(id, super::update(app, action));
    }
    let mut fleet = std::mem::take(&mut app.fleet);
    let Some(i) = fleet.iter().position(|p| p.director.id == id) else {
        app.fleet = fleet;
        return vec![];
    };
    let parked = &mut fleet[i];
    std::mem::swap(&mut app.director, &mut parked.director);
    std::mem::swap(&mut app.tables, &mut parked.tables);
    let stack = std::mem::take(&mut app.stack);
    let flash = app.flash.take();
    let effects = super::update(app, action);
    let said = app.flash.take();
    app.stack = stack;
    std::mem::swap(&mut app.director, &mut parked.director);
    std::mem::swap(&mut app.tables, &mut parked.tables);
    // What a parked director says is said with its name, over what the screen said.
    app.flash = match said {
        Some(f) => Some(Flash {
            text: format!("{}: {}", parked.director.host, f.text),
            ..f
        }),
        None => flash,
    };
    app.fleet = fleet;
    tag(id, effects)
}

/// The clock reaches every parked director too (keepalived's cadence, drains' deadlines).
pub fn tick_parked(app: &mut App, action: &Action) -> Vec<Effect> {
    let ids: Vec<usize> = app.fleet.iter().map(|p| p.director.id).collect();
    ids.into_iter()
        .flat_map(|id| on(app, id, action.clone()))
        .collect()
}

fn tag(id: usize, effects: Vec<Effect>) -> Vec<Effect> {
    effects
        .into_iter()
        .map(|e| match e {
            Effect::On(..) | Effect::Quit | Effect::ClearScreen | Effect::Suspend => e,
            e => Effect::On(id, Box::new(e)),
        })
        .collect()
}
