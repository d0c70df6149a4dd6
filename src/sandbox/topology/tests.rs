//! Unit tests of the labs' names, addresses and steps.

use super::*;
use crate::setup::Plan;

#[test]
fn names_round_trip_and_others_are_not_ours() {
    for kind in Kind::ALL {
        for member in MEMBERS {
            let name = netns(kind, member);
            assert!(name.starts_with(PREFIX), "{name}");
            assert_eq!(parse_netns(&name), Some((kind, member)));
        }
    }
    assert_eq!(netns(Kind::Nat, "director"), "ipvstui-sb-nat-director");
    for other in [
        "blue",
        "ipvstui-sb-",
        "ipvstui-sb-xyz-client",
        "ipvstui-sbnat-rs1",
        "x-ipvstui-sb-nat-rs1",
    ] {
        assert_eq!(parse_netns(other), None, "{other}");
    }
}

#[test]
fn every_step_stays_inside_the_sandbox_namespaces() {
    for kind in Kind::ALL {
        let lab = Lab::of(kind);
        for step in lab.steps() {
            match &step {
                Step::Ip(args) => {
                    let text = args.join(" ");
                    // Either makes a namespace, or names one for every link it makes or changes.
                    let ours = args
                        .iter()
                        .filter(|a| a.starts_with(PREFIX))
                        .all(|a| parse_netns(a).is_some_and(|(k, _)| k == kind));
                    assert!(ours, "{text}");
                    assert!(
                        args.starts_with(&["netns".into(), "add".into()])
                            || args[0] == "-n"
                            || text.matches(" netns ").count() == 2,
                        "{text}"
                    );
                }
                Step::Host { ns, op } => {
                    assert_eq!(parse_netns(ns).map(|(k, _)| k), Some(kind));
                    crate::host::parse::validate(op).unwrap();
                }
                Step::Plan { ns, toml } => {
                    assert_eq!(parse_netns(ns).map(|(k, _)| k), Some(kind));
                    let plan = Plan::parse(toml).unwrap_or_else(|e| panic!("{toml}\n{e:?}"));
                    assert_eq!(plan.vip, Some(IpAddr::V4(lab.vip)));
                }
            }
        }
    }
}

#[test]
fn the_director_plan_comes_last_with_rr_over_both_real_servers() {
    for kind in Kind::ALL {
        let lab = Lab::of(kind);
        let steps = lab.steps();
        let Some(Step::Plan { ns, toml }) = steps.last() else {
            panic!("{kind}: the last step is not the director's plan");
        };
        assert_eq!(ns, &lab.netns("director"));
        let plan = Plan::parse(toml).unwrap();
        assert_eq!(plan.role.name(), format!("{kind}-director"));
        assert_eq!(plan.services.len(), 1);
        let service = &plan.services[0];
        assert_eq!(service.config.scheduler, "rr");
        let rs: Vec<IpAddr> = service.real_servers.iter().map(|r| r.dest.addr).collect();
        let want: Vec<IpAddr> = lab
            .real_servers
            .iter()
            .map(|(_, ip)| IpAddr::V4(*ip))
            .collect();
        assert_eq!(rs, want);
    }
}

#[test]
fn nat_real_servers_route_through_the_director() {
    let lab = Lab::of(Kind::Nat);
    let inside = IpAddr::V4(lab.director_in.unwrap());
    let routes = lab
        .steps()
        .into_iter()
        .filter(|s| {
            matches!(s, Step::Host { op: HostOp::ReplaceDefaultRoute { via, .. }, .. } if *via == inside)
        })
        .count();
    assert_eq!(routes, 2);
    assert_eq!(Lab::of(Kind::Dr).director_in, None);
}

#[test]
fn commands_read_like_a_shell_session() {
    let steps = Lab::of(Kind::Dr).steps();
    let text: Vec<String> = steps.iter().map(Step::to_command).collect();
    assert_eq!(text[0], "ip netns add ipvstui-sb-dr-client");
    assert!(text.contains(
        &"ip link add eth0 netns ipvstui-sb-dr-rs1 type veth peer name rs1 netns ipvstui-sb-dr-director".to_string()
    ));
    assert!(text.contains(
        &"ip netns exec ipvstui-sb-dr-director ip addr add 198.51.100.1/24 dev br0".to_string()
    ));
}
