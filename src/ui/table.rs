//! A table that builds only its visible rows: columns sized to what is shown, the least
//! important columns dropped when the window is narrow, the sorted column marked.

use super::format;
use super::theme::Theme;
use crate::console::app::Nav;
use crate::console::view::{Column, SortSpec};
use crate::ipvs::rates::Rate;
use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row, Table};

/// A column as drawn: its title, alignment, and how much it matters (0 = always shown).
pub struct ColumnSpec {
    pub title: &'static str,
    pub right: bool,
    pub priority: u8,
    /// Sorted by this column: Some(descending).
    pub sorted: Option<bool>,
}

/// One visible row: its cells in column order and its own style (before selection).
pub struct RowData {
    pub cells: Vec<Line<'static>>,
    pub style: Style,
}

/// A rate cell: the rate formatted, or `-` while there is none yet.
pub fn rated(rate: Option<Rate>, show: impl Fn(&Rate) -> String) -> Line<'static> {
    Line::from(rate.as_ref().map_or("-".to_string(), show))
}

/// The cell of one of the five rate columns both tables share; None for any other column.
pub fn rate_cell(column: Column, rate: Option<Rate>, exact: bool) -> Option<Line<'static>> {
    let (n, b) = (|v| format::rate(v, exact), |v| format::bytes(v, exact));
    Some(match column {
        Column::Conns => rated(rate, |r| n(r.conns_per_s)),
        Column::InPkts => rated(rate, |r| n(r.inpkts_per_s)),
        Column::OutPkts => rated(rate, |r| n(r.outpkts_per_s)),
        Column::InBytes => rated(rate, |r| b(r.inbytes_per_s)),
        Column::OutBytes => rated(rate, |r| b(r.outbytes_per_s)),
        _ => return None,
    })
}

/// The column headers of a pane, from its spec table, with the sorted column marked.
pub fn column_specs(
    columns: &[Column],
    spec: fn(Column) -> (&'static str, bool, u8),
    sort: &SortSpec,
) -> Vec<ColumnSpec> {
    columns
        .iter()
        .map(|&c| {
            let (title, right, priority) = spec(c);
            ColumnSpec {
                title,
                right,
                priority,
                sorted: (c == sort.column).then_some(sort.descending),
            }
        })
        .collect()
}

/// The first row to show so that the selection is visible and no space is wasted at the end.
pub fn visible_offset(nav: Nav, height: usize, len: usize) -> usize {
    let height = height.max(1);
    let mut offset = nav.offset.min(len.saturating_sub(height));
    if nav.selected < offset {
        offset = nav.selected;
    } else if nav.selected >= offset + height {
        offset = nav.selected + 1 - height;
    }
    offset
}

/// Titles with the sort mark, e.g. `conn/s▼`.
fn title(c: &ColumnSpec) -> String {
    match c.sorted {
        Some(true) => format!("{}▼", c.title),
        Some(false) => format!("{}▲", c.title),
        None => c.title.to_string(),
    }
}

/// Which columns fit in `width` (1 space between columns), most important first, in table order.
fn fit(widths: &[u16], columns: &[ColumnSpec], width: u16) -> Vec<usize> {
    let mut order: Vec<usize> = (0..columns.len()).collect();
    order.sort_by_key(|&i| (columns[i].priority, i));
    let mut shown = Vec::new();
    let mut used = 0u16;
    for i in order {
        let need = widths[i] + u16::from(!shown.is_empty());
        if used + need <= width || columns[i].priority == 0 {
            used += need;
            shown.push(i);
        }
    }
    shown.sort_unstable();
    shown
}

/// Draws a header line and `rows` (already only the visible ones) into `area`; `selected` is
/// the index within `rows`.
pub fn draw(
    f: &mut Frame,
    area: Rect,
    columns: &[ColumnSpec],
    rows: Vec<RowData>,
    selected: Option<(usize, bool)>,
    theme: &Theme,
) {
    let titles: Vec<String> = columns.iter().map(title).collect();
    let mut widths: Vec<u16> = titles
        .iter()
        .map(|t| Line::from(t.as_str()).width() as u16)
        .collect();
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(&row.cells) {
            *w = (*w).max(cell.width() as u16);
        }
    }
    let shown = fit(&widths, columns, area.width);
    let cell = |line: &Line<'static>, c: &ColumnSpec| {
        let line = line.clone();
        Cell::from(if c.right { line.right_aligned() } else { line })
    };
    let header = Row::new(
        shown
            .iter()
            .map(|&i| cell(&Line::from(titles[i].clone()), &columns[i])),
    )
    .style(theme.column);
    let body = rows.into_iter().enumerate().map(|(n, row)| {
        let style = match selected {
            Some((s, true)) if s == n => theme.selected,
            Some((s, false)) if s == n => row.style.patch(theme.selected_unfocused),
            _ => row.style,
        };
        Row::new(shown.iter().map(|&i| cell(&row.cells[i], &columns[i]))).style(style)
    });
    // Packed to the left at their content widths: numbers stay next to what they describe.
    let constraints = shown.iter().map(|&i| Constraint::Length(widths[i]));
    f.render_widget(
        Table::new(body, constraints)
            .header(header)
            .column_spacing(1)
            .flex(Flex::Start),
        area,
    );
}

/// A pane's title line: the name (styled as focused or not), then details, then a warning.
pub fn pane_title(
    f: &mut Frame,
    area: Rect,
    name: String,
    details: Vec<Span<'static>>,
    focused: bool,
    theme: &Theme,
) {
    let mut spans = vec![Span::styled(
        format!(" {name} "),
        if focused {
            theme.pane_focused
        } else {
            theme.pane
        },
    )];
    for d in details {
        spans.push(Span::raw(" "));
        spans.push(d);
    }
    f.render_widget(Line::from(spans), area);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_keep_the_selection_visible() {
        assert_eq!(
            visible_offset(
                Nav {
                    selected: 0,
                    offset: 0
                },
                5,
                100
            ),
            0
        );
        assert_eq!(
            visible_offset(
                Nav {
                    selected: 9,
                    offset: 0
                },
                5,
                100
            ),
            5
        );
        assert_eq!(
            visible_offset(
                Nav {
                    selected: 3,
                    offset: 6
                },
                5,
                100
            ),
            3
        );
        assert_eq!(
            visible_offset(
                Nav {
                    selected: 9,
                    offset: 8
                },
                5,
                10
            ),
            5,
            "no empty rows after the end"
        );
    }

    #[test]
    fn narrow_windows_drop_the_least_important_columns() {
        let spec = |title, priority| ColumnSpec {
            title,
            right: false,
            priority,
            sorted: None,
        };
        let columns = [spec("a", 0), spec("b", 2), spec("c", 1)];
        assert_eq!(fit(&[10, 10, 10], &columns, 32), vec![0, 1, 2]);
        assert_eq!(fit(&[10, 10, 10], &columns, 25), vec![0, 2]);
        assert_eq!(
            fit(&[10, 10, 10], &columns, 5),
            vec![0],
            "the first column always shows"
        );
    }
}
