//! Several directors seen together, as plain data: the alarms that only show across directors
//! (two VRRP masters, a VIP bound twice, a silent sync daemon), how well a backup's connection
//! table follows its master's, and how two tables differ. No UI: the console and `compare`
//! draw and print what these functions return.

pub mod alarms;
pub mod compare;
pub mod sync;

#[cfg(test)]
mod tests;

use crate::host::HostState;
use crate::ipvs::label::service_conns;
use crate::ipvs::model::Snapshot;
use crate::owners::keepalived::VrrpInstance;

/// What is known of one director, as the functions here need it.
#[derive(Debug, Clone, Copy)]
pub struct Seen<'a> {
    /// The name the operator knows it by (its host name or target).
    pub name: &'a str,
    /// Its table as last read (None: never read).
    pub table: Option<&'a Snapshot>,
    /// Its host as last read: the addresses bound.
    pub host: Option<&'a HostState>,
    /// keepalived's VRRP instances there (empty where keepalived is absent or unread).
    pub vrrp: &'a [VrrpInstance],
}

/// Connection entries of a table, active and inactive, as ipvsadm counts them.
pub fn conns(table: &Snapshot) -> u64 {
    table
        .services
        .iter()
        .map(|s| {
            let (active, inactive) = service_conns(s);
            active + inactive
        })
        .sum()
}
