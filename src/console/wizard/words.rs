//! The wizard's words: what each role is, and what each question takes (shown under the form).

use crate::setup::Role;
use crate::setup::answers::Question;

/// One line per role, in the order of `Role::ALL` (the digits 1-6 choose them).
pub fn role_line(role: Role) -> &'static str {
    match role {
        Role::NatDirector => {
            "director for LVS-NAT: rewrites addresses; the real servers reply through it"
        }
        Role::DrDirector => {
            "director for LVS-DR: forwards by MAC address to real servers on its own LAN"
        }
        Role::TunDirector => {
            "director for LVS-TUN: tunnels (IP-in-IP) to real servers anywhere routed"
        }
        Role::DrRealServer => {
            "real server for LVS-DR: VIP on lo, ARP settings so it never answers for the VIP"
        }
        Role::TunRealServer => {
            "real server for LVS-TUN: VIP on tunl0 (ipip), ARP and rp_filter settings"
        }
        Role::NatRealServer => {
            "real server for LVS-NAT: advice only (its gateway must be the director)"
        }
    }
}

/// What an empty field means.
pub fn placeholder(q: Question, role: Role) -> &'static str {
    match q {
        Question::Label if role == Role::DrRealServer => "default: lo:0",
        Question::Label => "none",
        Question::Interface if !role.is_director() => "none: only all and lo get the ARP settings",
        Question::Persistence => "0: none",
        Question::RealServers => "required, e.g. 10.10.0.11, 10.10.0.12:8080 3",
        Question::Director => "required, e.g. 10.10.0.1",
        Question::Vip => "required, e.g. 192.0.2.100",
        _ => "required",
    }
}

/// What a question takes, in a line a newcomer can act on.
pub fn help(q: Question, role: Role) -> &'static str {
    match (q, role) {
        (Question::Vip, Role::DrRealServer | Role::TunRealServer) => {
            "The VIP the director serves, IPv4 (e.g. 192.0.2.100): bound here as /32 on lo (DR) or tunl0 (TUN)"
        }
        (Question::Vip, _) => {
            "The virtual IP clients connect to, IPv4 or IPv6 (e.g. 192.0.2.100 or 2001:db8::100); bound as /32 or /128"
        }
        (Question::Interface, Role::NatDirector) => {
            "Where the VIP is bound: the outside interface, facing the clients (an interface of this host)"
        }
        (Question::Interface, Role::DrDirector | Role::TunDirector) => {
            "Where the VIP is bound: the interface facing the clients (an interface of this host)"
        }
        (Question::Interface, _) => {
            "The interface facing the clients: its arp_ignore/arp_announce (and rp_filter) are set too; empty: none"
        }
        (Question::Label, Role::DrRealServer) => {
            "Optional label of the VIP's address: starts with lo, e.g. lo:0 (15 characters at most); empty: lo:0"
        }
        (Question::Label, Role::TunRealServer) => {
            "Optional label of the VIP's address: starts with tunl0, e.g. tunl0:0 (15 characters at most)"
        }
        (Question::Label, _) => {
            "Optional label of the VIP's address: starts with the interface name, e.g. eth0:vip (15 characters at most)"
        }
        (Question::Protocol, _) => "tcp, udp or sctp",
        (Question::Port, _) => {
            "The port clients connect to, 1-65535 (0: every port, only with persistence)"
        }
        (Question::Scheduler, _) => {
            "How new connections are shared: rr, wrr, lc, wlc (default), sh, mh, ... (a loaded ip_vs_* module)"
        }
        (Question::Persistence, _) => {
            "Seconds a client stays with its real server, 1-2678400; 0: no persistence"
        }
        (Question::RealServers, Role::NatDirector) => {
            "ADDR[:PORT][ WEIGHT], comma-separated, e.g. 10.10.0.11, 10.10.0.12:8080 3 ([IPv6]:PORT); port: the service's, weight 0-2147483647 (1)"
        }
        (Question::RealServers, _) => {
            "ADDR[ WEIGHT], comma-separated, e.g. 10.10.0.11, 10.10.0.12 3; the port stays the service's (DR/TUN keep it); weight 0-2147483647 (1)"
        }
        (Question::Director, _) => {
            "The director's inside address, on this server's network: it must be this server's default gateway"
        }
    }
}
