//! Terminal events to actions: keys through the keymap, text into the filter or the palette, clicks and wheel.

use crate::console::action::Action;
use crate::console::app::App;
use crate::console::keys::Key;
use crossterm::event::{Event, KeyEventKind, MouseButton, MouseEventKind};

/// The action an event stands for in the current context, if any.
pub fn action_for(app: &App, event: &Event) -> Option<Action> {
    match event {
        Event::Key(k) if k.kind != KeyEventKind::Release => {
            if let Some(command) = app.keymap.lookup(&app.layers(), Key::from_event(k)) {
                return Some(Action::Command(command));
            }
            if app.modal.is_some() && app.help.is_none() {
                return tui_input::backend::crossterm::to_input_request(event)
                    .map(Action::ModalEdit);
            }
            if app.palette.is_some() {
                return tui_input::backend::crossterm::to_input_request(event)
                    .map(Action::PaletteEdit);
            }
            if app.help.is_none() && app.conns.as_ref().is_some_and(|p| p.editing) {
                return tui_input::backend::crossterm::to_input_request(event)
                    .map(Action::ConnsFilterEdit);
            }
            if app.filtering {
                return tui_input::backend::crossterm::to_input_request(event)
                    .map(Action::FilterEdit);
            }
            None
        }
        Event::Mouse(m) => match m.kind {
            MouseEventKind::Down(MouseButton::Left) => Some(Action::Click {
                column: m.column,
                row: m.row,
            }),
            MouseEventKind::ScrollDown => Some(Action::Scroll {
                down: true,
                column: m.column,
                row: m.row,
            }),
            MouseEventKind::ScrollUp => Some(Action::Scroll {
                down: false,
                column: m.column,
                row: m.row,
            }),
            _ => None,
        },
        Event::Resize(..) => Some(Action::Resize),
        _ => None,
    }
}
