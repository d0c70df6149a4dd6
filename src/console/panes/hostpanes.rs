//! The host panes: interfaces with their addresses (`i`: bind and unbind a VIP) and the LVS
//! sysctls (`s`: set one). Their keys become host Operations that leave through the same change
//! path as IPVS ones (preview, audit, undo); the poller reads the host beside the table.

pub mod form;
pub mod rows;

use crate::console::action::{Command, Effect};
use crate::console::app::{App, Modal, Nav};
use crate::console::form::Confirm;
use crate::console::stack::Page;
use crate::host::{HostError, HostOp, HostState};
use form::HostForm;

/// Which host pane is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaneKind {
    Interfaces,
    Sysctls,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HostPane {
    pub kind: PaneKind,
    pub nav: Nav,
}

/// Rows a page key moves.
const PAGE: isize = 10;

/// The host as just read by the poller.
pub fn observe(app: &mut App, host: HostState) {
    app.director.host_state = Some(host);
    let len = rows_len(app);
    if let Some(pane) = app.stack.host_pane_mut() {
        pane.nav.selected = pane.nav.selected.min(len.saturating_sub(1));
    }
}

fn rows_len(app: &App) -> usize {
    match (
        app.stack.host_pane().map(|p| p.kind),
        &app.director.host_state,
    ) {
        (Some(PaneKind::Interfaces), Some(h)) => rows::interface_rows(h).len(),
        (Some(PaneKind::Sysctls), Some(h)) => rows::sysctl_rows(h).len(),
        _ => 0,
    }
}

pub fn command(app: &mut App, c: Command) -> Vec<Effect> {
    match c {
        Command::Interfaces => return toggle(app, PaneKind::Interfaces),
        Command::Sysctls => return toggle(app, PaneKind::Sysctls),
        Command::BindVip => bind(app),
        Command::UnbindVip => unbind(app),
        Command::EditSysctl => edit_sysctl(app),
        _ => {}
    }
    vec![]
}

fn toggle(app: &mut App, kind: PaneKind) -> Vec<Effect> {
    match app.stack.host_pane() {
        Some(p) if p.kind == kind => app.stack.close_page(),
        _ => app.stack.show(Page::Host(HostPane {
            kind,
            nav: Nav::default(),
        })),
    }
}

/// Up, down, pages, first and last row of the open pane.
pub fn movement(app: &mut App, c: Command) {
    let len = rows_len(app);
    let Some(pane) = app.stack.host_pane_mut() else {
        return;
    };
    pane.nav.step(c.rows(PAGE), len);
}

fn selected(app: &App) -> usize {
    app.stack.host_pane().map_or(0, |p| p.nav.selected)
}

fn bind(app: &mut App) {
    let Some(host) = &app.director.host_state else {
        app.flash_error("the host has not been read yet");
        return;
    };
    let rows = rows::interface_rows(host);
    // The selected link, else the first that is not loopback (a director's VIPs go there).
    let dev = rows
        .get(selected(app))
        .map(|r| r.link)
        .or_else(|| {
            host.links
                .iter()
                .find(|l| l.kind.as_deref() != Some("loopback"))
        })
        .map_or(String::new(), |l| l.name.clone());
    let form = HostForm::bind(host, &dev);
    app.stack.set_modal(Modal::Host(form));
}

fn unbind(app: &mut App) {
    let Some(host) = &app.director.host_state else {
        app.flash_error("the host has not been read yet");
        return;
    };
    let rows = rows::interface_rows(host);
    let Some((link, addr)) = rows
        .get(selected(app))
        .and_then(|r| Some((r.link, r.addr?)))
    else {
        app.flash_error("select an address to unbind: this interface has none");
        return;
    };
    let services = rows::services_on(app.director.snapshot.as_ref(), addr.addr);
    let why = match services.len() {
        0 => String::new(),
        1 => " Its service gets no more traffic here.".to_string(),
        n => format!(" Its {n} services get no more traffic here."),
    };
    let title = format!(
        "Unbind {}/{} from {}?{why}",
        addr.addr, addr.prefix, link.name
    );
    let op = HostOp::DelAddr {
        dev: link.name.clone(),
        addr: addr.addr,
        prefix: addr.prefix,
    };
    app.stack
        .set_modal(Modal::Confirm(Confirm::new(title, vec![op], None)));
}

fn edit_sysctl(app: &mut App) {
    let Some(host) = &app.director.host_state else {
        app.flash_error("the host has not been read yet");
        return;
    };
    let Some(row) = rows::sysctl_rows(host).into_iter().nth(selected(app)) else {
        return;
    };
    match &row.value {
        Some(value) => {
            let form = HostForm::sysctl(host, row.info, &row.name, value);
            app.stack.set_modal(Modal::Host(form));
        }
        None => app.flash_error(HostError::NoSysctl(row.name.clone()).to_string()),
    }
}

impl App {
    /// The interfaces pane's rows: one per address of each link (None before the host is read).
    pub fn interface_rows(&self) -> Option<Vec<rows::AddrRow<'_>>> {
        self.director.host_state.as_ref().map(rows::interface_rows)
    }

    /// The sysctls pane's rows (None before the host is read).
    pub fn sysctl_rows(&self) -> Option<Vec<rows::SysctlRow>> {
        self.director.host_state.as_ref().map(rows::sysctl_rows)
    }

    /// The services whose VIP is `addr`.
    pub fn services_on(&self, addr: std::net::IpAddr) -> Vec<crate::ipvs::model::ServiceKey> {
        rows::services_on(self.director.snapshot.as_ref(), addr)
    }
}

impl HostPane {
    /// The keymap layer of this pane.
    pub fn layer(&self) -> crate::console::keys::keymap::Layer {
        match self.kind {
            PaneKind::Interfaces => crate::console::keys::keymap::Layer::Interfaces,
            PaneKind::Sysctls => crate::console::keys::keymap::Layer::Sysctls,
        }
    }
}
