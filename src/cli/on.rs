//! `--on TARGET`: where a subcommand runs. Here, it is this host's kernel; there, a director
//! reached through its agent, read and changed through the same `Backend` calls.

use super::commands::{EXIT_FAILED, Failure};
use crate::backend::{Backend, Kernel};
use crate::ipvs::Error;
use crate::operation::audit::{Context, Source};
use crate::remote::Remote;
use std::rc::Rc;

#[derive(Clone, Default)]
pub enum On {
    #[default]
    Here,
    There(Rc<Remote>),
}

impl On {
    /// The director's IPVS table and host; here, connected to IPVS now.
    pub async fn ipvs(&self) -> Result<Rc<dyn Backend>, Error> {
        Ok(match self {
            On::Here => Rc::new(Kernel::connect().await?),
            On::There(r) => r.clone(),
        })
    }

    /// The director's host; here, without connecting to IPVS (a real server need not have it).
    pub fn host(&self) -> Rc<dyn Backend> {
        match self {
            On::Here => Rc::new(Kernel::default()),
            On::There(r) => r.clone(),
        }
    }

    /// Who changes what, for the audit log kept here: the director's host name when there.
    pub fn context(&self) -> Context {
        let mut context = Context::current(Source::Cli);
        if let On::There(r) = self {
            context.host = format!("{} (via {})", r.host_name(), r.name());
        }
        context
    }

    /// Where the changes go, for messages: "this host", or the director's host name.
    pub fn place(&self) -> String {
        match self {
            On::Here => "this host".into(),
            On::There(r) => r.host_name(),
        }
    }

    /// " on HOST (via TARGET)" for a director elsewhere; nothing here.
    pub fn on_place(&self) -> String {
        match self {
            On::Here => String::new(),
            On::There(r) => format!(" on {} (via {})", r.host_name(), r.name()),
        }
    }

    pub fn is_here(&self) -> bool {
        matches!(self, On::Here)
    }

    /// For a subcommand that works on this host only.
    pub fn here_only(&self, what: &str) -> Result<(), Failure> {
        if self.is_here() {
            return Ok(());
        }
        eprintln!("ipvs-tui: {what} does not support --on yet; run it on the director itself");
        Err(Failure::Reported(super::EXIT_USAGE))
    }
}

/// Connects to `spec`'s agent, or says why it cannot (exit 1).
pub async fn connect(spec: &crate::remote::DirectorSpec) -> Result<On, Failure> {
    match crate::remote::connect(spec).await {
        Ok(r) => Ok(On::There(r)),
        Err(e) => {
            eprintln!("ipvs-tui: {e}");
            Err(Failure::Reported(EXIT_FAILED))
        }
    }
}
