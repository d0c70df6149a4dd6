//! Stale edits: the object a form opened on, compared with what the table holds when the edit is
//! about to be applied. keepalived, kube-proxy or a colleague with ipvsadm may own the same table,
//! so an edit must never silently overwrite values that changed under the operator.

use crate::ipvs::model::{DestConfig, ServiceConfig, ServiceKey, Snapshot, Timeouts};
use crate::ipvs::rules;

/// What an edit expects to find, as it was when its form opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expected {
    Service(ServiceConfig),
    Dest {
        service: ServiceKey,
        dest: DestConfig,
    },
    Timeouts(Timeouts),
}

/// The object changed or vanished: what happened, in words, and what it is now (the baseline
/// for applying anyway, once the operator has seen the change).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stale {
    pub message: String,
    pub current: Option<Expected>,
}

impl Expected {
    /// Ok when `table` still holds the object exactly as expected.
    pub fn check(&self, table: &Snapshot) -> Result<(), Stale> {
        match self {
            Expected::Service(was) => {
                let Some(now) = table.service(&was.key) else {
                    return Err(vanished(format!("the service {}", was.key)));
                };
                if now.config == *was {
                    return Ok(());
                }
                Err(changed(
                    format!("the service {}", was.key),
                    rules::service_options(was),
                    rules::service_options(&now.config),
                    Expected::Service(now.config.clone()),
                ))
            }
            Expected::Dest { service, dest: was } => {
                let now = table
                    .service(service)
                    .and_then(|s| s.dests.iter().find(|d| d.config.key() == was.key()));
                let Some(now) = now else {
                    return Err(vanished(format!(
                        "the real server {} of {service}",
                        was.key()
                    )));
                };
                if now.config == *was {
                    return Ok(());
                }
                let what = format!("the real server {} of {service}", was.key());
                Err(changed(
                    what,
                    rules::dest_options(service, was, true),
                    rules::dest_options(service, &now.config, true),
                    Expected::Dest {
                        service: *service,
                        dest: now.config,
                    },
                ))
            }
            Expected::Timeouts(was) => {
                if table.timeouts == *was {
                    return Ok(());
                }
                let text =
                    |t: &Timeouts| format!("tcp {} tcpfin {} udp {}", t.tcp, t.tcp_fin, t.udp);
                Err(changed(
                    "the timeouts".into(),
                    text(was),
                    text(&table.timeouts),
                    Expected::Timeouts(table.timeouts),
                ))
            }
        }
    }
}

fn vanished(what: String) -> Stale {
    Stale {
        message: format!("{what} no longer exists: it was deleted since it was shown here"),
        current: None,
    }
}

fn changed(what: String, was: String, now: String, current: Expected) -> Stale {
    Stale {
        message: format!(
            "{what} changed since it was shown here: it was `{was}`, it is now `{now}`"
        ),
        current: Some(current),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ipvs::args::parse_args;
    use crate::ipvs::{IpvsOp, table};

    fn table_of(lines: &[&str]) -> Snapshot {
        let mut t = Snapshot::default();
        for l in lines {
            table::apply(
                &mut t,
                &parse_args(&l.split_whitespace().collect::<Vec<_>>()).unwrap(),
            )
            .unwrap();
        }
        t
    }

    fn service_op(line: &str) -> ServiceConfig {
        match parse_args(&line.split_whitespace().collect::<Vec<_>>()).unwrap() {
            IpvsOp::AddService(s) | IpvsOp::EditService(s) => s,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn an_unchanged_object_passes() {
        let t = table_of(&[
            "-A -t 192.0.2.1:80 -s rr",
            "-a -t 192.0.2.1:80 -r 10.0.0.1:80 -m -w 2",
        ]);
        let svc = t.services[0].config.clone();
        assert_eq!(Expected::Service(svc.clone()).check(&t), Ok(()));
        assert_eq!(
            Expected::Dest {
                service: svc.key,
                dest: t.services[0].dests[0].config
            }
            .check(&t),
            Ok(())
        );
        assert_eq!(Expected::Timeouts(t.timeouts).check(&t), Ok(()));
    }

    #[test]
    fn a_changed_service_says_what_it_was_and_is() {
        let opened = service_op("-A -t 192.0.2.1:80 -s wlc");
        let t = table_of(&["-A -t 192.0.2.1:80 -s rr -p 60"]);
        let stale = Expected::Service(opened).check(&t).unwrap_err();
        assert_eq!(
            stale.message,
            "the service -t 192.0.2.1:80 changed since it was shown here: it was `-t 192.0.2.1:80 -s wlc`, it is now `-t 192.0.2.1:80 -s rr -p 60`"
        );
        assert_eq!(
            stale.current,
            Some(Expected::Service(t.services[0].config.clone()))
        );
    }

    #[test]
    fn a_vanished_real_server_is_named() {
        let t = table_of(&["-A -t 192.0.2.1:80", "-a -t 192.0.2.1:80 -r 10.0.0.1:80 -m"]);
        let mut dest = t.services[0].dests[0].config;
        dest.addr = "10.0.0.9".parse().unwrap();
        let stale = Expected::Dest {
            service: t.services[0].config.key,
            dest,
        }
        .check(&t)
        .unwrap_err();
        assert_eq!(
            stale.message,
            "the real server 10.0.0.9:80 of -t 192.0.2.1:80 no longer exists: it was deleted since it was shown here"
        );
        assert_eq!(stale.current, None);
    }

    #[test]
    fn changed_weight_and_timeouts_are_stale() {
        let t = table_of(&[
            "-A -t 192.0.2.1:80",
            "-a -t 192.0.2.1:80 -r 10.0.0.1:80 -m -w 5",
            "--set 100 20 30",
        ]);
        let mut dest = t.services[0].dests[0].config;
        dest.weight = 1;
        let stale = Expected::Dest {
            service: t.services[0].config.key,
            dest,
        }
        .check(&t)
        .unwrap_err();
        assert!(stale.message.ends_with("it was `-t 192.0.2.1:80 -r 10.0.0.1:80 -m -w 1`, it is now `-t 192.0.2.1:80 -r 10.0.0.1:80 -m -w 5`"), "{}", stale.message);
        let mut timeouts = t.timeouts;
        timeouts.tcp = 900;
        let stale = Expected::Timeouts(timeouts).check(&t).unwrap_err();
        assert_eq!(
            stale.message,
            "the timeouts changed since it was shown here: it was `tcp 900 tcpfin 20 udp 30`, it is now `tcp 100 tcpfin 20 udp 30`"
        );
    }
}
