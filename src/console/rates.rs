//! The per-second rates the tables show and sort by, whatever their source.

use crate::ipvs::model::Stats;

/// Connections, packets and bytes per second, in and out.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Rate {
    pub cps: f64,
    pub inpps: f64,
    pub outpps: f64,
    pub inbps: f64,
    pub outbps: f64,
}

impl Rate {
    /// The kernel's own estimator rates (a slow moving average, refreshed every 2 s).
    pub fn kernel(s: &Stats) -> Rate {
        Rate { cps: s.cps as f64, inpps: s.inpps as f64, outpps: s.outpps as f64, inbps: s.inbps as f64, outbps: s.outbps as f64 }
    }

    pub fn add(&mut self, o: &Rate) {
        self.cps += o.cps;
        self.inpps += o.inpps;
        self.outpps += o.outpps;
        self.inbps += o.inbps;
        self.outbps += o.outbps;
    }
}

use super::app::App;

impl App {
    /// The rates shown for service `i` of the snapshot.
    pub fn service_rate(&self, i: usize) -> Rate {
        self.snapshot.as_ref().and_then(|s| s.services.get(i)).map(|s| Rate::kernel(&s.stats)).unwrap_or_default()
    }

    /// The rates shown for real server `j` of service `i`.
    pub fn dest_rate(&self, i: usize, j: usize) -> Rate {
        let dest = self.snapshot.as_ref().and_then(|s| s.services.get(i)).and_then(|s| s.dests.get(j));
        dest.map(|d| Rate::kernel(&d.stats)).unwrap_or_default()
    }
}
