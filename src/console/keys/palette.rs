//! The `:` command palette: the commands available now, matched against what is typed.
//!
//! The commands come from the keymap layers under the palette, so a command the keymap does not
//! offer (or that cannot do anything now) is neither a key, nor in help, nor here. The palette
//! adds two words that take an argument, `sort <column>` and `filter <text>`, and only while
//! the keymap offers sorting and filtering.

use crate::console::action::Command;
use crate::console::app::{App, Focus};
use crate::console::keys::Key;
use crate::console::view::{self, Column};
use tui_input::{Input, InputRequest};

/// The palette while open: what is typed and which matching entry is selected.
#[derive(Debug, Clone, Default)]
pub struct Palette {
    pub input: Input,
    pub selected: usize,
}

/// What an entry does when run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Run {
    /// Exactly what its key does.
    Command(Command),
    /// Sort the focused table by this column, in the column's usual first direction.
    Sort(Column),
    /// Set the filter to this text.
    Filter(String),
    /// The word needs an argument: Enter and Tab put this text in the prompt to type it after.
    Complete(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaletteItem {
    pub name: String,
    pub key: Option<Key>,
    pub desc: String,
    pub run: Run,
}

/// The word `sort` takes for each column; the tables' own headers have spaces and slashes.
fn column_name(c: Column) -> &'static str {
    match c {
        Column::Service => "service",
        Column::Scheduler => "sched",
        Column::Persistence | Column::Persist => "persist",
        Column::Active => "active",
        Column::Inactive => "inact",
        Column::Conns => "conns",
        Column::InPkts => "pkts-in",
        Column::OutPkts => "pkts-out",
        Column::InBytes => "bytes-in",
        Column::OutBytes => "bytes-out",
        Column::Address => "server",
        Column::Forward => "forward",
        Column::Weight => "weight",
        Column::Thresholds => "thresholds",
        Column::Share => "share",
        Column::Owner => "owner",
        Column::Health => "health",
        Column::KeepalivedWeight => "keepalived-weight",
    }
}

/// The palette's own commands are not listed in it: they only make sense while typing in it.
fn drives_palette(c: Command) -> bool {
    matches!(
        c,
        Command::Palette | Command::PaletteRun | Command::PaletteComplete | Command::PaletteClose
    )
}

/// Every command available now, once each, with the key of its most specific binding.
fn commands(app: &App) -> Vec<PaletteItem> {
    let mut out: Vec<PaletteItem> = Vec::new();
    for layer in app.base_layers() {
        for b in app.keymap.bindings(layer) {
            if drives_palette(b.command)
                || !app.can(b.command)
                || out.iter().any(|e| e.run == Run::Command(b.command))
            {
                continue;
            }
            out.push(PaletteItem {
                name: b.command.name().to_string(),
                key: b.keys.first().copied(),
                desc: b.desc.clone(),
                run: Run::Command(b.command),
            });
        }
    }
    out
}

/// How well `query` matches: lower is better, `None` is no match. A prefix of the name beats a
/// part of it, which beats a part of the description, which beats the letters in order.
fn score(query: &str, name: &str, desc: &str) -> Option<u8> {
    let (name, desc) = (name.to_lowercase(), desc.to_lowercase());
    let mut letters = name.chars();
    if name.starts_with(query) {
        Some(0)
    } else if name.contains(query) {
        Some(1)
    } else if desc.contains(query) {
        Some(2)
    } else if query.chars().all(|q| letters.any(|c| c == q)) {
        Some(3)
    } else {
        None
    }
}

/// The entries matching what is typed, best first.
pub fn entries(app: &App) -> Vec<PaletteItem> {
    let Some(palette) = app.stack.palette() else {
        return Vec::new();
    };
    let typed = palette.input.value().trim_start();
    let (word, arg) = match typed.split_once(char::is_whitespace) {
        Some((w, a)) => (w.to_lowercase(), Some(a.trim())),
        None => (typed.to_lowercase(), None),
    };
    let commands = commands(app);
    let offered = |c: Command| commands.iter().any(|e| e.run == Run::Command(c));
    let mut out = Vec::new();
    let mut words = Vec::new();
    if offered(Command::SortNext) {
        let (columns, table) = match app.tables.focus {
            Focus::Services => (view::service_columns(app), "services"),
            Focus::Servers => (view::server_columns(app), "real servers"),
        };
        match arg {
            Some(arg) if word == "sort" => {
                let arg = arg.to_lowercase();
                let mut matched: Vec<_> = columns
                    .iter()
                    .filter_map(|&c| score(&arg, column_name(c), "").map(|s| (s, c)))
                    .collect();
                matched.sort_by_key(|(s, _)| *s);
                out.extend(matched.into_iter().map(|(_, c)| PaletteItem {
                    name: format!("sort {}", column_name(c)),
                    key: None,
                    desc: format!("Sort the {table} by {}", column_name(c)),
                    run: Run::Sort(c),
                }));
            }
            _ => words.push(PaletteItem {
                name: "sort <column>".into(),
                key: None,
                desc: format!("Sort the {table} by a column"),
                run: Run::Complete("sort ".into()),
            }),
        }
    }
    if offered(Command::Filter) {
        match arg {
            Some(arg) if word == "filter" && !arg.is_empty() => out.push(PaletteItem {
                name: format!("filter {arg}"),
                key: None,
                desc: "Show only the services matching these words".into(),
                run: Run::Filter(arg.to_string()),
            }),
            _ => words.push(PaletteItem {
                name: "filter <text>".into(),
                key: None,
                desc: "Set the filter to these words".into(),
                run: Run::Complete("filter ".into()),
            }),
        }
    }
    // Command names have underscores where people type spaces ("sort next").
    let query = typed
        .trim_end()
        .to_lowercase()
        .replace(char::is_whitespace, "_");
    let mut matched: Vec<_> = commands
        .into_iter()
        .chain(words)
        .filter_map(|e| score(&query, &e.name, &e.desc).map(|s| (s, e)))
        .collect();
    matched.sort_by_key(|(s, _)| *s);
    out.extend(matched.into_iter().map(|(_, e)| e));
    out
}

impl App {
    /// The palette's entries matching what is typed, best first (none while it is closed).
    pub fn palette_entries(&self) -> Vec<PaletteItem> {
        entries(self)
    }
}

pub fn open(app: &mut App) {
    app.stack.set_palette(Palette::default());
}

/// Typing starts the selection again at the best match.
pub fn edit(app: &mut App, request: InputRequest) {
    if let Some(p) = app.stack.palette_mut()
        && p.input.handle(request).is_some_and(|changed| changed.value)
    {
        p.selected = 0;
    }
}

/// Moves the selection by `delta` entries, clamped to the list.
pub fn step(app: &mut App, delta: isize) {
    let len = entries(app).len();
    if let Some(p) = app.stack.palette_mut() {
        p.selected = (p.selected as isize)
            .saturating_add(delta)
            .clamp(0, len.saturating_sub(1) as isize) as usize;
    }
}

fn selected(app: &App) -> Option<PaletteItem> {
    let p = app.stack.palette()?;
    entries(app).into_iter().nth(p.selected)
}

/// Puts the selected entry's words in the prompt, ready for an argument or Enter.
pub fn complete(app: &mut App) {
    let Some(entry) = selected(app) else { return };
    let text = match entry.run {
        Run::Complete(text) => text,
        _ => entry.name,
    };
    app.stack.set_palette(Palette {
        input: Input::new(text),
        selected: 0,
    });
}

/// The selected entry, closing the palette to run it; a word that still needs its argument is
/// completed instead, and nothing matching leaves the palette open to retype.
pub fn take(app: &mut App) -> Option<Run> {
    match selected(app)?.run {
        Run::Complete(_) => {
            complete(app);
            None
        }
        run => {
            app.stack.close_palette();
            Some(run)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_beat_parts_beat_descriptions_beat_letters_in_order() {
        assert_eq!(score("sort", "sort_next", ""), Some(0));
        assert_eq!(score("next", "sort_next", ""), Some(1));
        assert_eq!(
            score("order", "sort_invert", "invert the sort order"),
            Some(2)
        );
        assert_eq!(score("snx", "sort_next", ""), Some(3));
        assert_eq!(score("xns", "sort_next", ""), None);
    }

    #[test]
    fn an_action_the_keymap_does_not_bind_is_not_offered() {
        use crate::console::app::Source;
        use crate::console::keys::keymap::{DEFAULT_KEYMAP, Keymap};
        let names = |keymap: Keymap| {
            let mut app = App::new(Source::Simulated, "lb1", keymap, std::time::Instant::now());
            open(&mut app);
            entries(&app)
                .into_iter()
                .map(|e| e.name)
                .collect::<Vec<_>>()
        };
        assert!(names(Keymap::builtin()).contains(&"help".to_string()));
        let without_help = DEFAULT_KEYMAP.replace(
            "run = \"help\"\ndesc = \"Show or hide this help\"",
            "run = \"redraw\"\ndesc = \"x\"",
        );
        let shown = names(Keymap::parse(&without_help).unwrap());
        assert!(
            !shown.contains(&"help".to_string()) && shown.contains(&"quit".to_string()),
            "{shown:?}"
        );
    }
}
