//! A plan written back as a plan file: what the console's wizard saves, so the same setup can be
//! repeated with `ipvs-tui setup --plan FILE` (reading it gives the same plan). Written through
//! serde and toml, so that any label or interface name is quoted and escaped as TOML wants.

use super::Plan;
use crate::ipvs::model::ServiceKey;
use crate::setup::net::host_prefix;
use serde::Serialize;
use std::net::IpAddr;

/// The file's keys, in the order they are written (the order `Plan::parse` documents).
#[derive(Serialize)]
struct PlanOut<'a> {
    role: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    vip: Option<IpAddr>,
    /// Only when it is not the host prefix of the VIP.
    #[serde(skip_serializing_if = "Option::is_none")]
    prefix: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    interface: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    label: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    director: Option<IpAddr>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    service: Vec<ServiceOut>,
}

#[derive(Serialize)]
struct ServiceOut {
    protocol: String,
    port: u16,
    scheduler: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    persistence: Option<u32>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    real_server: Vec<RealServerOut>,
}

#[derive(Serialize)]
struct RealServerOut {
    address: IpAddr,
    /// Only when it differs from the service's port.
    #[serde(skip_serializing_if = "Option::is_none")]
    port: Option<u16>,
    weight: u32,
}

impl Plan {
    pub fn to_toml(&self) -> String {
        let out = PlanOut {
            role: self.role.to_string(),
            vip: self.vip,
            prefix: self
                .vip
                .filter(|&vip| self.prefix != host_prefix(vip))
                .map(|_| self.prefix),
            interface: self.interface.as_deref(),
            label: self.label.as_deref(),
            director: self.director,
            service: self
                .services
                .iter()
                .filter_map(|s| {
                    let ServiceKey::Addr { protocol, port, .. } = s.config.key else {
                        return None;
                    };
                    Some(ServiceOut {
                        protocol: protocol.name().to_lowercase(),
                        port,
                        scheduler: s.config.scheduler.to_string(),
                        persistence: s.config.persistence,
                        real_server: s
                            .real_servers
                            .iter()
                            .map(|rs| RealServerOut {
                                address: rs.dest.addr,
                                port: (rs.dest.port != port).then_some(rs.dest.port),
                                weight: rs.dest.weight,
                            })
                            .collect(),
                    })
                })
                .collect(),
        };
        // Plain strings, numbers and addresses in tables: nothing toml cannot write.
        toml::to_string(&out).expect("a plan always serialises")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_and_backslashes_in_names_round_trip() {
        // A legal interface name and label may hold '"' and '\': written by hand they broke the
        // file; toml escapes them.
        let text = r#"role = "nat-director"
vip = "192.0.2.10"
interface = 'we"i\rd'
label = 'we"i\rd:"v\'

[[service]]
protocol = "tcp"
port = 80
scheduler = "rr"

[[service.real_server]]
address = "10.0.0.2"
weight = 1
"#;
        let plan = Plan::parse(text).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(plan.interface.as_deref(), Some(r#"we"i\rd"#));
        assert_eq!(plan.label.as_deref(), Some(r#"we"i\rd:"v\"#));
        let written = plan.to_toml();
        let again = Plan::parse(&written).unwrap_or_else(|e| panic!("{e:?}\n{written}"));
        assert_eq!(
            (again.interface, again.label, again.services.len()),
            (plan.interface, plan.label, 1),
            "written back:\n{written}"
        );
        assert!(
            written.starts_with("role = \"nat-director\"\nvip = \"192.0.2.10\"\ninterface = "),
            "{written}"
        );
    }
}
