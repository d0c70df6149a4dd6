//! The rates the console shows: from the RateTracker fed by every shown poll, own (counter
//! deltas over the time they cover) or the kernel's estimator, as chosen with `r`. None at all in
//! the read-only view: /proc/net/ip_vs has no counters, and zeros would claim an idle service.

use super::app::{App, Source};
use crate::ipvs::rates::{DestKey, History, Rate};

impl App {
    /// Rates of service `i` of the snapshot; None while there is no rate yet (own rates need two
    /// counter changes after the service appears or is zeroed).
    pub fn service_rate(&self, i: usize) -> Option<Rate> {
        self.counted()?;
        let service = self.director.snapshot.as_ref()?.services.get(i)?;
        let (rates, key) = (&self.director.rates, &service.config.key);
        if self.exact {
            rates.service_rate(key, self.rate_source)
        } else {
            rates.service_shown(key, self.rate_source)
        }
    }

    /// Rates of real server `j` of service `i`.
    pub fn dest_rate(&self, i: usize, j: usize) -> Option<Rate> {
        self.counted()?;
        let service = self.director.snapshot.as_ref()?.services.get(i)?;
        let dest = service.dests.get(j)?;
        self.dest_rate_of(&DestKey::of(service.config.key, dest))
    }

    /// Rounded numbers show the rate held within its noise (`rates::hold`); exact ones (`x`)
    /// the latest measurement.
    fn dest_rate_of(&self, key: &DestKey) -> Option<Rate> {
        if self.exact {
            self.director.rates.dest_rate(key, self.rate_source)
        } else {
            self.director.rates.dest_shown(key, self.rate_source)
        }
    }

    /// All services together; None when none has a rate yet.
    pub fn total_rate(&self) -> Option<Rate> {
        self.counted()?;
        if self.exact {
            self.director.rates.total_rate(self.rate_source)
        } else {
            self.director.rates.total_shown(self.rate_source)
        }
    }

    /// The current rate of what the detail pane shows (see `selected_history`).
    pub fn selected_rate(&self) -> Option<Rate> {
        self.counted()?;
        let service = self.current_service()?;
        match (self.tables.focus, self.current_dest()) {
            (super::app::Focus::Servers, Some(dest)) => {
                self.dest_rate_of(&DestKey::of(service.config.key, dest))
            }
            _ if self.exact => self
                .director
                .rates
                .service_rate(&service.config.key, self.rate_source),
            _ => self
                .director
                .rates
                .service_shown(&service.config.key, self.rate_source),
        }
    }

    /// The history the detail pane draws: the selected real server's when the real servers have
    /// focus, else the selected service's.
    pub fn selected_history(&self) -> Option<&History> {
        self.counted()?;
        let service = self.current_service()?;
        match (self.tables.focus, self.current_dest()) {
            (super::app::Focus::Servers, Some(dest)) => self
                .director
                .rates
                .dest_history(&DestKey::of(service.config.key, dest), self.rate_source),
            _ => self
                .director
                .rates
                .service_history(&service.config.key, self.rate_source),
        }
    }

    /// Some when the source has counters to make rates of.
    fn counted(&self) -> Option<()> {
        (self.director.source != Source::ReadOnly).then_some(())
    }
}
