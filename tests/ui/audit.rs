//! The audit log pane drawn on ratatui's TestBackend: entries newest first with the selected
//! one's details, an empty log, a missing one; compared with insta snapshots. And the pane in
//! the console: help opened over it (by a user keymap's key) takes the keys, the log does not move.

use crate::screen;

use ipvs_tui::ipvs::Error;
use ipvs_tui::ipvs::args::parse_args;
use ipvs_tui::ipvs::model::Snapshot;
use ipvs_tui::ipvs::{IpvsOp, table};
use ipvs_tui::operation::audit::{Context, Entry, Source, Tail};
use ipvs_tui::ui::panes::audit;
use ipvs_tui::ui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use std::io;
use std::path::Path;

fn op(line: &str) -> IpvsOp {
    parse_args(&line.split_whitespace().collect::<Vec<_>>()).unwrap()
}

/// Six changes one minute apart, from the console and the command line: one refused, one undo.
fn tail() -> Tail {
    let mut state = Snapshot::default();
    let console = Context {
        user: "alice".into(),
        host: "lb1".into(),
        source: Some(Source::Console),
        undo_of: None,
    };
    let cli = Context {
        user: "root".into(),
        source: Some(Source::Cli),
        ..console.clone()
    };
    let changes: [(&str, &Context, Option<&str>); 6] = [
        ("-A -t 198.51.100.1:80 -s rr", &cli, None),
        (
            "-a -t 198.51.100.1:80 -r 203.0.113.2:80 -m -w 3",
            &cli,
            None,
        ),
        (
            "-a -t 198.51.100.1:80 -r 203.0.113.3:80 -m -w 1",
            &console,
            None,
        ),
        ("-A -t 198.51.100.1:80 -s wlc", &console, None),
        (
            "-e -t 198.51.100.1:80 -r 203.0.113.2:80 -m -w 0",
            &console,
            None,
        ),
        (
            "-e -t 198.51.100.1:80 -r 203.0.113.2:80 -m -w 3",
            &console,
            Some("ipvsadm -e -t 198.51.100.1:80 -r 203.0.113.2:80 -m -w 0"),
        ),
    ];
    let t0: jiff::Timestamp = "2026-11-25T14:00:00Z".parse().unwrap();
    let entries = changes
        .iter()
        .enumerate()
        .map(|(i, (line, context, undo_of))| {
            let op = op(line);
            let result = table::apply(&mut Snapshot::clone(&state), &op).map_err(|errno| {
                Error::Kernel {
                    errno,
                    message: "the service already exists".into(),
                }
                .into()
            });
            let context = match undo_of {
                Some(c) => context.undoing(c),
                None => (*context).clone(),
            };
            let entry = Entry::new(
                &op,
                &result,
                &state,
                &context,
                t0 + jiff::SignedDuration::from_secs(60 * i as i64 + 7),
            );
            let _ = table::apply(&mut state, &op);
            entry
        })
        .collect();
    Tail {
        entries,
        unreadable: 2,
    }
}

fn draw(log: &io::Result<Tail>, selected: usize, width: u16, height: u16) -> (Buffer, usize) {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    let mut drawn = 0;
    terminal
        .draw(|f| {
            drawn = audit::draw(
                f,
                f.area(),
                Path::new("/var/log/ipvs-tui/audit.log"),
                log.as_ref(),
                selected,
                &Theme::builtin(),
            )
        })
        .unwrap();
    (terminal.backend().buffer().clone(), drawn)
}

fn text(buffer: &Buffer) -> String {
    let width = buffer.area.width as usize;
    let symbols: Vec<&str> = buffer.content.iter().map(|c| c.symbol()).collect();
    symbols
        .chunks(width)
        .map(|row| row.concat().trim_end().to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn entries_newest_first_with_the_selected_ones_details() {
    let (buffer, selected) = draw(&Ok(tail()), 2, 100, 20);
    assert_eq!(selected, 2);
    let screen = text(&buffer);
    insta::assert_snapshot!(screen);
    // The selected row (third from the top: the refused -A) is drawn in the selection style.
    let row = screen.lines().position(|l| l.contains("FAILED")).unwrap() as u16;
    assert_eq!(buffer[(1, row)].style().bg, Theme::builtin().selected.bg);
    assert!(
        screen.find("14:05:07").unwrap() < screen.find("14:00:07").unwrap(),
        "newest first"
    );
}

#[test]
fn the_selection_stays_in_range_and_in_view() {
    // 6 entries in a window with room for 3 rows and no details: the oldest is scrolled to.
    let (buffer, selected) = draw(&Ok(tail()), 99, 100, 5);
    assert_eq!(selected, 5, "clamped to the oldest entry");
    let screen = text(&buffer);
    insta::assert_snapshot!(screen);
    assert!(
        screen.contains("14:00:07") && !screen.contains("14:05:07"),
        "{screen}"
    );
}

#[test]
fn an_empty_log_and_a_missing_one_say_so() {
    let (buffer, selected) = draw(&Ok(Tail::default()), 3, 100, 8);
    assert_eq!(selected, 0);
    insta::assert_snapshot!("empty", text(&buffer));
    let (buffer, _) = draw(&Err(io::Error::from(io::ErrorKind::NotFound)), 0, 100, 8);
    insta::assert_snapshot!("missing", text(&buffer));
    let (buffer, _) = draw(
        &Err(io::Error::from(io::ErrorKind::PermissionDenied)),
        0,
        100,
        8,
    );
    let screen = text(&buffer);
    assert!(
        screen.contains("cannot be read: permission denied"),
        "{screen}"
    );
}

/// A user keymap binds `?` in the audit log's layer: help opens over the log, j and k scroll
/// help and leave the hidden log's selection where it was; Esc closes help and j moves the log.
#[test]
fn help_bound_in_the_log_layer_opens_over_it_and_nothing_hidden_moves() {
    use ipvs_tui::console::keys::keymap::{Keymap, Layer};
    use ipvs_tui::console::stack::Page;
    use ipvs_tui::console::{Action, App, Source, update};
    let user = Keymap::parse("[[log]]\non = \"?\"\nrun = \"help\"\ndesc = \"Help\"\n").unwrap();
    let now = std::time::Instant::now();
    let mut app = App::new(
        Source::Simulated,
        "lb1",
        Keymap::builtin().overlaid(user),
        now,
    );
    app.director.audit_path = Some("/var/log/ipvs-tui/audit.log".into());
    let selected = |app: &App| app.stack.audit().map(|v| v.selected);

    crate::keys::keys(&mut app, "L");
    assert_eq!(selected(&app), Some(0), "L opens the log");
    update(&mut app, Action::AuditRead(Ok(tail())));
    crate::keys::keys(&mut app, "j");
    screen::screen(&mut app, 100, 30);
    assert_eq!(selected(&app), Some(1));

    crate::keys::keys(&mut app, "?");
    assert_eq!(app.layers(), [Layer::Help]);
    assert!(
        matches!(app.stack.page, Page::Audit(_)),
        "the log stays under help"
    );
    crate::keys::keys(&mut app, "jjj");
    assert_eq!(app.stack.help(), Some(3), "j scrolls help");
    crate::keys::keys(&mut app, "k");
    assert_eq!(app.stack.help(), Some(2));
    let shown = screen::screen(&mut app, 100, 30);
    assert_eq!(selected(&app), Some(1), "the hidden log did not move");
    assert!(shown.contains("Help: keys from keymap.toml"), "{shown}");
    assert!(
        shown.contains("Audit log"),
        "the log is drawn under help: {shown}"
    );

    crate::keys::keys(&mut app, "\x1b");
    assert_eq!(app.stack.help(), None);
    assert_eq!(app.layers(), [Layer::Log]);
    crate::keys::keys(&mut app, "j");
    let shown = screen::screen(&mut app, 100, 30);
    assert_eq!(selected(&app), Some(2), "with help closed, j moves the log");
    assert!(!shown.contains("Help: keys from keymap.toml"), "{shown}");
}
