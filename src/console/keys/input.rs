//! Terminal events to actions: keys through the keymap, text into the filter or the palette, clicks and wheel.

use crate::console::action::Action;
use crate::console::app::App;
use crate::console::keys::Key;
use crate::console::stack::{Overlay, Page};
use crossterm::event::{Event, KeyCode, KeyEventKind, MouseButton, MouseEventKind};

/// The action an event stands for in the current context, if any.
pub fn action_for(app: &App, event: &Event) -> Option<Action> {
    match event {
        Event::Key(k) if k.kind != KeyEventKind::Release => {
            let key = Key::from_event(k);
            if let Some(command) = app.keymap.lookup(&app.layers(), key) {
                return Some(Action::Command(command));
            }
            // Esc pressed twice quickly arrives as one Alt+Esc (ESC ESC): unless bound, an Esc.
            if key.code == KeyCode::Esc
                && key.alt
                && let Some(command) = app.keymap.lookup(&app.layers(), Key { alt: false, ..key })
            {
                return Some(Action::Command(command));
            }
            // A key no layer binds is text for whatever on top takes text.
            let edit = match app.stack.top() {
                Some(Overlay::Modal(_)) => Action::ModalEdit,
                Some(Overlay::Palette(_)) => Action::PaletteEdit,
                Some(Overlay::Filter) => Action::FilterEdit,
                Some(Overlay::Help { .. }) => return None,
                None => match &app.stack.page {
                    Page::Conns(pane) if pane.editing => Action::ConnsFilterEdit,
                    _ => return None,
                },
            };
            tui_input::backend::crossterm::to_input_request(event).map(edit)
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
