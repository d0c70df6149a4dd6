//! The words of the IPVS forms: which fields there are, their labels, the options of each
//! choice, the name each field has in `ipvs::parse` errors, and the one-line explanation shown
//! while a field is focused.

use crate::ipvs::model::Family;

/// Every field of the IPVS forms. Forms show the ones that apply; tests and drawing name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldId {
    // A virtual service.
    Kind,
    Address,
    Port,
    Fwmark,
    Family,
    Scheduler,
    SchedFlags,
    Persistent,
    Timeout,
    Netmask,
    Pe,
    OnePacket,
    // A real server.
    Server,
    Method,
    ServerPort,
    TunnelType,
    TunnelPort,
    TunnelCsum,
    Weight,
    UpperThreshold,
    LowerThreshold,
    // Connection timeouts.
    Tcp,
    TcpFin,
    Udp,
    // Sync daemons.
    DaemonAction,
    DaemonRole,
    Interface,
    SyncId,
    MaxLen,
    Group,
    McastPort,
    Ttl,
}
pub const KINDS: &[&str] = &["TCP", "UDP", "SCTP", "firewall mark"];
pub const FAMILIES: &[&str] = &["IPv4", "IPv6"];
pub const METHODS: &[&str] = &[
    "masquerading (NAT, -m)",
    "direct routing (DR, -g)",
    "tunnel (TUN, -i)",
];
pub const TUNNEL_TYPES: &[&str] = &["ipip", "gue", "gre"];
pub const CHECKSUMS: &[&str] = &["nocsum", "csum", "remcsum"];
pub const DAEMON_ACTIONS: &[&str] = &["start", "stop"];
pub const ROLES: &[&str] = &["master", "backup"];

impl FieldId {
    /// The label beside the field (the netmask's depends on the family; see `Ipvs::label`).
    pub fn label(self) -> &'static str {
        use FieldId::*;
        match self {
            Kind => "protocol",
            Address => "virtual address",
            Port | ServerPort => "port",
            McastPort => "multicast port",
            Fwmark => "firewall mark",
            Family => "family",
            Scheduler => "scheduler",
            SchedFlags => "scheduler flags",
            Persistent => "persistence",
            Timeout => "  timeout (s)",
            Netmask => "  netmask",
            Pe => "  engine",
            OnePacket => "one-packet",
            Server => "real server",
            Method => "forwarding",
            TunnelType => "tunnel type",
            TunnelPort => "tunnel port",
            TunnelCsum => "tunnel checksum",
            Weight => "weight",
            UpperThreshold => "upper threshold",
            LowerThreshold => "lower threshold",
            Tcp => "tcp",
            TcpFin => "tcpfin",
            Udp => "udp",
            DaemonAction => "action",
            DaemonRole => "role",
            Interface => "interface",
            SyncId => "syncid",
            MaxLen => "max length",
            Group => "multicast group",
            Ttl => "multicast ttl",
        }
    }

    /// The `field` of the `ipvs::parse::ParseError`s that concern this field.
    pub fn parse_names(self) -> &'static [&'static str] {
        use FieldId::*;
        match self {
            Kind | Family | DaemonAction => &[],
            Address => &["virtual service"],
            Port | ServerPort => &["port"],
            Fwmark => &["fwmark"],
            Scheduler => &["scheduler"],
            SchedFlags => &["scheduler flags"],
            Persistent => &[],
            Timeout => &["persistence timeout"],
            Netmask => &["netmask"],
            Pe => &["persistence engine"],
            OnePacket => &["one-packet scheduling"],
            Server => &["real server"],
            Method => &["forwarding method"],
            TunnelType => &["tunnel type"],
            TunnelPort => &["tunnel port"],
            TunnelCsum => &["tunnel options", "tunnel checksum"],
            Weight => &["weight"],
            UpperThreshold => &["upper threshold"],
            LowerThreshold => &["lower threshold"],
            Tcp => &["tcp timeout"],
            TcpFin => &["tcpfin timeout"],
            Udp => &["udp timeout"],
            DaemonRole => &["sync daemon"],
            Interface => &["interface"],
            SyncId => &["syncid"],
            MaxLen => &["sync maxlen"],
            Group => &["multicast group"],
            McastPort => &["multicast port"],
            Ttl => &["multicast ttl"],
        }
    }
}

/// What an empty text field means, shown in its place: what is required, or the default.
pub fn placeholder(id: FieldId) -> &'static str {
    use FieldId::*;
    match id {
        Address => "required, e.g. 198.51.100.1",
        Fwmark => "required, e.g. 1",
        Server => "required, e.g. 203.0.113.2",
        Netmask => "none: each client on its own",
        Pe => "none",
        TunnelPort => "none (gue needs one)",
        Interface => "required, e.g. eth0",
        SyncId => "default: 255",
        MaxLen => "default: from the MTU",
        Group => "default: 224.0.0.81",
        McastPort => "default: 8848",
        Ttl => "default: 1",
        _ => "required",
    }
}

/// What a field is for, in a line a newcomer can act on; for a choice, what the option shown does.
pub fn help(id: FieldId, shown: &str) -> &'static str {
    use FieldId::*;
    match id {
        Kind => match shown {
            "TCP" => "TCP: the service is an address and port for TCP connections (-t)",
            "UDP" => "UDP: the service is an address and port for UDP datagrams (-u)",
            "SCTP" => {
                "SCTP: the service is an address and port for SCTP associations (--sctp-service)"
            }
            _ => {
                "firewall mark: the service takes the packets iptables/nftables marked with a number (-f)"
            }
        },
        Address => {
            "The virtual IP clients connect to, IPv4 or IPv6 (e.g. 198.51.100.1 or 2001:db8::1)"
        }
        Port => {
            "The port clients connect to, 1-65535; 0 means every port (persistent services only)"
        }
        Fwmark => {
            "The mark number (1-4294967295) your firewall rules set on the packets of this service"
        }
        Family => "Whether the marked packets are IPv4 or IPv6 (-6)",
        Scheduler => scheduler_help(shown),
        SchedFlags => {
            "Space turns the flag under the cursor on or off: fallback skips unavailable servers, port hashes the port too"
        }
        Persistent => {
            "Persistence (-p): the same client keeps going to the same real server for a while"
        }
        Timeout => {
            "How long a client stays with its real server after its last connection, 1-2678400 s (default 360)"
        }
        Netmask => {
            "Clients within this netmask (IPv4) or prefix length (IPv6) share a real server (-M)"
        }
        Pe => {
            "Persistence engine (--pe), e.g. sip to keep SIP calls together by Call-ID; empty for none"
        }
        OnePacket => {
            "One-packet scheduling (-o): schedule every UDP datagram on its own (e.g. for DNS)"
        }
        Server => {
            "The real server's address (-r); IPv4 under an IPv6 service needs tunnel forwarding"
        }
        ServerPort => {
            "The real server's port: masquerading can send to another port than the service's"
        }
        Method => match shown.split(' ').next() {
            Some("masquerading") => {
                "NAT: the director rewrites addresses; replies must route back through it (its gateway)"
            }
            Some("direct") => {
                "DR: same LAN; the server holds the VIP on lo and must not answer ARP for it; port is kept"
            }
            _ => {
                "TUN: packets are encapsulated; the server needs a tunnel interface with the VIP; port is kept"
            }
        },
        TunnelType => match shown {
            "ipip" => "ipip: plain IP-in-IP encapsulation (the kernel's default)",
            "gue" => "gue: Generic UDP Encapsulation to the tunnel port below",
            _ => "gre: Generic Routing Encapsulation",
        },
        TunnelPort => {
            "The UDP port of a gue tunnel on the real server (--tun-port); leave empty for ipip and gre"
        }
        TunnelCsum => {
            "Tunnel checksums: nocsum (none), csum (outer checksum), remcsum (remote checksum offload, gue)"
        }
        Weight => {
            "Share of new connections relative to the other servers; 0 stops new ones (quiesce)"
        }
        UpperThreshold => "The most connections this server takes (-x); 0 means no limit",
        LowerThreshold => {
            "After hitting the upper threshold, take new ones again below this (-y); 0 means none"
        }
        Tcp => "Idle timeout of established TCP connections, in seconds; 0 leaves it unchanged",
        TcpFin => "Timeout of TCP connections after a FIN, in seconds; 0 leaves it unchanged",
        Udp => "Timeout of UDP flows, in seconds; 0 leaves it unchanged",
        DaemonAction => "Start a connection-synchronisation daemon, or stop a running one",
        DaemonRole => {
            "master sends this director's connections; backup receives them from the master"
        }
        Interface => "The network interface the sync messages are sent or received on",
        SyncId => {
            "The id (0-255) that pairs a master with its backups; 0 means any, empty means 255"
        }
        MaxLen => "Largest sync message payload in bytes (1-65507); empty: derived from the MTU",
        Group => "Multicast group of the sync messages; empty: 224.0.0.81 (IPv4)",
        McastPort => "UDP port of the sync messages (1-65535); empty: 8848",
        Ttl => "Multicast TTL of the sync messages (1-255); empty: 1",
    }
}

fn scheduler_help(name: &str) -> &'static str {
    match name {
        "rr" => "rr, round robin: each real server in turn, weights ignored",
        "wrr" => "wrr, weighted round robin: in turn, in proportion to the weights",
        "lc" => "lc, least connection: the real server with the fewest active connections",
        "wlc" => "wlc, weighted least connection (default): fewest active connections per weight",
        "lblc" => {
            "lblc, locality-based least connection: a destination IP sticks to one server (caches)"
        }
        "lblcr" => "lblcr, lblc with replication: a set of servers per destination IP",
        "dh" => "dh, destination hashing: real server chosen by a hash of the destination address",
        "sh" => "sh, source hashing: the same client address always goes to the same server",
        "sed" => "sed, shortest expected delay: the lowest (active connections + 1) / weight",
        "nq" => "nq, never queue: an idle server if there is one, else shortest expected delay",
        "fo" => "fo, weighted failover: the available server with the highest weight takes all",
        "ovf" => {
            "ovf, weighted overflow: highest weight first, until its connections exceed its weight"
        }
        "mh" => {
            "mh, Maglev hashing: consistent hashing of the source; few clients move when servers change"
        }
        "twos" => {
            "twos, weighted random twos choice: of two random servers, the less loaded per weight"
        }
        _ => {
            "The scheduling module: Left/Right pick a known one, or type the name of a loaded module"
        }
    }
}

pub use crate::ipvs::label::service_name;

/// The label of the persistence granularity for a family.
pub fn netmask_label(family: Family) -> &'static str {
    match family {
        Family::Inet => "  netmask",
        Family::Inet6 => "  prefix length",
    }
}
