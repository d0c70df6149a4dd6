//! A plan written back as a plan file: what the console's wizard saves, so the same setup can be
//! repeated with `ipvs-tui setup --plan FILE` (reading it gives the same plan).

use super::Plan;
use crate::ipvs::model::ServiceKey;
use crate::setup::net::host_prefix;
use std::fmt::Write;

impl Plan {
    pub fn to_toml(&self) -> String {
        let mut out = format!("role = \"{}\"\n", self.role);
        if let Some(vip) = self.vip {
            writeln!(out, "vip = \"{vip}\"").unwrap();
            if self.prefix != host_prefix(vip) {
                writeln!(out, "prefix = {}", self.prefix).unwrap();
            }
        }
        for (key, value) in [("interface", &self.interface), ("label", &self.label)] {
            if let Some(v) = value {
                writeln!(out, "{key} = \"{v}\"").unwrap();
            }
        }
        if let Some(d) = self.director {
            writeln!(out, "director = \"{d}\"").unwrap();
        }
        for s in &self.services {
            let ServiceKey::Addr { protocol, port, .. } = s.config.key else {
                continue;
            };
            write!(
                out,
                "\n[[service]]\nprotocol = \"{}\"\nport = {port}\nscheduler = \"{}\"\n",
                protocol.name().to_lowercase(),
                s.config.scheduler
            )
            .unwrap();
            if let Some(p) = s.config.persistence {
                writeln!(out, "persistence = {p}").unwrap();
            }
            for rs in &s.real_servers {
                write!(
                    out,
                    "\n[[service.real_server]]\naddress = \"{}\"\n",
                    rs.dest.addr
                )
                .unwrap();
                if rs.dest.port != port {
                    writeln!(out, "port = {}", rs.dest.port).unwrap();
                }
                writeln!(out, "weight = {}", rs.dest.weight).unwrap();
            }
        }
        out
    }
}
