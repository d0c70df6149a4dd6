//! The persist pane (`P`): the files that restore this setup at boot, each new, unchanged or
//! differing from the disk, the selected one's difference and contents, what the last write did,
//! and the confirmation naming every file a write overwrites.

use crate::console::panes::persist::{PersistView, Planned};
use crate::setup::persist::OnDisk;
use crate::ui::form::centred;
use crate::ui::table::{self, ColumnSpec, RowData};
use crate::ui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

const fn column(title: &'static str, priority: u8) -> ColumnSpec {
    ColumnSpec {
        title,
        right: false,
        priority,
        sorted: None,
    }
}

const COLUMNS: [ColumnSpec; 3] = [
    column(" state", 0),
    column("file", 0),
    column("against the disk", 1),
];
/// Lines of difference shown at most for a differing file.
const DIFF_LINES: usize = 9;

pub fn draw(f: &mut Frame, area: Rect, view: &PersistView, theme: &Theme) {
    let title = format!("Persist to {}", view.dir.display());
    let files = match &view.files {
        None => {
            table::pane_title(f, area, title, vec![], true, theme);
            f.render_widget(
                Line::styled(" reading the table and the host…", theme.dim),
                Rect {
                    y: area.y + 1,
                    height: 1,
                    ..area
                },
            );
            return;
        }
        Some(Err(e)) => {
            table::pane_title(f, area, title, vec![], true, theme);
            f.render_widget(
                Paragraph::new(Line::styled(format!(" {e}"), theme.flash_error))
                    .wrap(Wrap { trim: false }),
                Rect {
                    y: area.y + 1,
                    height: area.height.saturating_sub(1),
                    ..area
                },
            );
            return;
        }
        Some(Ok(files)) => files,
    };
    let to_write = files.iter().filter(|(_, d)| *d != OnDisk::Same).count();
    let summary = match (view.writing, to_write) {
        (true, _) => "writing…".to_string(),
        (false, 0) => "every file is as on disk: nothing to write".to_string(),
        (false, n) => format!("{n} to write; Enter writes (asks first)"),
    };
    table::pane_title(
        f,
        area,
        title,
        vec![Span::styled(summary, theme.dim)],
        true,
        theme,
    );
    let list = Rect {
        y: area.y + 1,
        height: (files.len() as u16 + 1).min(area.height.saturating_sub(1)),
        ..area
    };
    table::draw(
        f,
        list,
        &COLUMNS,
        files.iter().map(|p| row(p, theme)).collect(),
        Some((view.selected, true)),
        theme,
    );
    let mut lines = Vec::new();
    if let Some(written) = &view.written {
        let style = if written.error.is_some() {
            theme.flash_error
        } else {
            theme.flash
        };
        // Said whole: which files were written matters most when a write failed midway.
        let text = crate::ui::format::wrap(
            &written.message(),
            usize::from(area.width).saturating_sub(2).max(20),
        );
        lines.extend(
            text.into_iter()
                .map(|l| Line::styled(format!(" {l}"), style)),
        );
    }
    let Some((file, on_disk)) = files.get(view.selected) else {
        return;
    };
    if let OnDisk::Differs { summary } = on_disk {
        let mut diff = summary.lines();
        lines.push(Line::styled(
            format!(
                " {} differs from the file on disk: {}",
                file.path.display(),
                diff.next().unwrap_or_default()
            ),
            theme.warning,
        ));
        lines.extend(
            diff.take(DIFF_LINES - 1)
                .map(|l| Line::styled(format!(" {l}"), theme.dim)),
        );
    }
    let total = file.contents.lines().count();
    let scroll = view.scroll.min(total.saturating_sub(1));
    lines.push(Line::styled(
        format!(
            " {} ({} lines, from line {}; PageUp/PageDown scroll)",
            file.path.display(),
            total,
            scroll + 1
        ),
        theme.column,
    ));
    lines.extend(
        file.contents
            .lines()
            .skip(scroll)
            .map(|l| Line::raw(format!(" {l}"))),
    );
    let body = Rect {
        y: list.bottom() + 1,
        height: area.bottom().saturating_sub(list.bottom() + 1),
        ..area
    };
    f.render_widget(Paragraph::new(lines), body);
    if view.confirming {
        confirm(f, area, view, files, theme);
    }
}

fn row((file, on_disk): &Planned, theme: &Theme) -> RowData {
    let (state, against) = match on_disk {
        OnDisk::Missing => (Line::raw(" new"), "not there yet".to_string()),
        OnDisk::Same => (
            Line::styled(" unchanged", theme.dim),
            "the same".to_string(),
        ),
        OnDisk::Differs { summary } => (
            Line::styled(" DIFFERS", theme.warning),
            format!(
                "other contents: {}",
                summary.lines().next().unwrap_or_default()
            ),
        ),
    };
    RowData {
        cells: vec![
            state,
            Line::raw(file.path.display().to_string()),
            Line::raw(against),
        ],
        style: Style::default(),
    }
}

/// The confirmation: every file with what Enter does to it.
fn confirm(f: &mut Frame, area: Rect, view: &PersistView, files: &[Planned], theme: &Theme) {
    let mut lines = Vec::new();
    for (file, on_disk) in files {
        let path = file.path.display();
        lines.push(match on_disk {
            OnDisk::Missing => Line::raw(format!(" write      {path} (new)")),
            OnDisk::Same => Line::styled(format!(" leave      {path} (unchanged)"), theme.dim),
            OnDisk::Differs { summary } => Line::styled(
                format!(
                    " OVERWRITE  {path} (it has other contents: {})",
                    summary.lines().next().unwrap_or_default()
                ),
                theme.warning,
            ),
        });
    }
    lines.push(Line::default());
    lines.push(Line::from(vec![
        Span::raw(" "),
        Span::styled("Enter writes · Esc cancels", theme.hint),
    ]));
    let width = lines.iter().map(Line::width).max().unwrap_or(0) as u16 + 3;
    let modal = centred(area, width.max(50), lines.len() as u16 + 2);
    f.render_widget(Clear, modal);
    let overwritten = files
        .iter()
        .filter(|(_, d)| matches!(d, OnDisk::Differs { .. }))
        .count();
    let title = match overwritten {
        0 => format!(" Write these files to {}? ", view.dir.display()),
        n => format!(
            " Write these files to {}, overwriting {n}? ",
            view.dir.display()
        ),
    };
    f.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(
            Block::default()
                .borders(Borders::ALL)
                .title(Line::styled(title, theme.warning)),
        ),
        modal,
    );
}
