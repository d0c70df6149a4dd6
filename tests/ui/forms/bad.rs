//! Bad inputs: each with its exact message, where it shows, the typing kept and no operation.

use super::*;

#[rustfmt::skip]
const BAD: &[Bad] = &[
    // The virtual service.
    Bad { form: add_service, values: &[(Address, "192.0.2.300"), (Port, "80")], table: empty_table, at: Where::Field(Address), message: "virtual service \"192.0.2.300\": must be an IPv4 or IPv6 address, e.g. 192.0.2.1 or 2001:db8::1 (the port has its own field)" },
    Bad { form: add_service, values: &[(Address, "10.0.0"), (Port, "80")], table: empty_table, at: Where::Field(Address), message: "virtual service \"10.0.0\": must be an IPv4 or IPv6 address, e.g. 192.0.2.1 or 2001:db8::1 (the port has its own field)" },
    Bad { form: add_service, values: &[(Address, "2001:db8::g1"), (Port, "80")], table: empty_table, at: Where::Field(Address), message: "virtual service \"2001:db8::g1\": must be an IPv4 or IPv6 address, e.g. 192.0.2.1 or 2001:db8::1 (the port has its own field)" },
    Bad { form: add_service, values: &[(Address, "2001:db8:::1"), (Port, "80")], table: empty_table, at: Where::Field(Address), message: "virtual service \"2001:db8:::1\": must be an IPv4 or IPv6 address, e.g. 192.0.2.1 or 2001:db8::1 (the port has its own field)" },
    Bad { form: add_service, values: &[(Address, "198.51.100.1:80"), (Port, "80")], table: empty_table, at: Where::Field(Address), message: "virtual service \"198.51.100.1:80\": must be an IPv4 or IPv6 address, e.g. 192.0.2.1 or 2001:db8::1 (the port has its own field)" },
    Bad { form: add_service, values: &[(Address, "[2001:db8::1]:80"), (Port, "80")], table: empty_table, at: Where::Field(Address), message: "virtual service \"[2001:db8::1]:80\": must be an IPv4 or IPv6 address, e.g. 192.0.2.1 or 2001:db8::1 (the port has its own field)" },
    Bad { form: add_service, values: &[(Address, "fe80::1%eth0"), (Port, "80")], table: empty_table, at: Where::Field(Address), message: "virtual service \"fe80::1%eth0\": must be an IPv4 or IPv6 address, e.g. 192.0.2.1 or 2001:db8::1 (the port has its own field)" },
    Bad { form: add_service, values: &[(Address, ""), (Port, "80")], table: empty_table, at: Where::Field(Address), message: "virtual service: must be an IPv4 or IPv6 address, e.g. 192.0.2.1 or 2001:db8::1 (the port has its own field)" },
    Bad { form: add_service, values: &[(Address, "224.0.0.1"), (Port, "80")], table: empty_table, at: Where::Field(Address), message: "virtual service \"224.0.0.1\": must be a unicast address" },
    Bad { form: add_service, values: &[(Address, "198.51.100.1"), (Port, "65536")], table: empty_table, at: Where::Field(Port), message: "port \"65536\": must be a whole number from 0 to 65535" },
    Bad { form: add_service, values: &[(Address, "198.51.100.1"), (Port, "-1")], table: empty_table, at: Where::Field(Port), message: "port \"-1\": must be a whole number from 0 to 65535" },
    Bad { form: add_service, values: &[(Address, "198.51.100.1"), (Port, "")], table: empty_table, at: Where::Field(Port), message: "port: must be a whole number from 0 to 65535" },
    Bad { form: add_service, values: &[(Address, "198.51.100.1"), (Port, "0")], table: empty_table, at: Where::Field(Port), message: "port: port 0 (any port) is allowed only for a persistent service" },
    Bad { form: add_service, values: &[(Address, "198.51.100.1"), (Port, "80"), (Scheduler, "round-robin")], table: empty_table, at: Where::Field(Scheduler), message: sched_msg!("scheduler \"round-robin\": ") },
    Bad { form: add_service, values: &[(Address, "198.51.100.1"), (Port, "80"), (Scheduler, "")], table: empty_table, at: Where::Field(Scheduler), message: sched_msg!("scheduler: ") },
    Bad { form: add_service, values: &[(Address, "198.51.100.1"), (Port, "80"), (Scheduler, "abcdefghijklmnop")], table: empty_table, at: Where::Field(Scheduler), message: sched_msg!("scheduler \"abcdefghijklmnop\": ") },
    Bad { form: add_service, values: &[(Address, "198.51.100.1"), (Port, "80"), (Persistent, "on"), (Timeout, "0")], table: empty_table, at: Where::Field(Timeout), message: "persistence timeout \"0\": must be a whole number from 1 to 2678400" },
    Bad { form: add_service, values: &[(Address, "198.51.100.1"), (Port, "80"), (Persistent, "on"), (Timeout, "2678401")], table: empty_table, at: Where::Field(Timeout), message: "persistence timeout \"2678401\": must be a whole number from 1 to 2678400" },
    Bad { form: add_service, values: &[(Address, "198.51.100.1"), (Port, "80"), (Persistent, "on"), (Netmask, "255.0.255.0")], table: empty_table, at: Where::Field(Netmask), message: "netmask \"255.0.255.0\": must be a contiguous IPv4 netmask such as 255.255.255.0" },
    Bad { form: add_service, values: &[(Address, "2001:db8::1"), (Port, "443"), (Persistent, "on"), (Netmask, "129")], table: empty_table, at: Where::Field(Netmask), message: "netmask \"129\": must be an IPv6 prefix length from 1 to 128" },
    Bad { form: add_service, values: &[(Address, "2001:db8::1"), (Port, "443"), (Persistent, "on"), (Netmask, "255.255.255.0")], table: empty_table, at: Where::Field(Netmask), message: "netmask \"255.255.255.0\": must be an IPv6 prefix length from 1 to 128" },
    Bad { form: add_service, values: &[(Address, "198.51.100.1"), (Port, "5060"), (Persistent, "on"), (Pe, "s-i-p")], table: empty_table, at: Where::Field(Pe), message: "persistence engine \"s-i-p\": must be a persistence engine name such as sip (1 to 15 letters, digits or _)" },
    Bad { form: add_service, values: &[(Kind, "firewall mark"), (Fwmark, "0")], table: empty_table, at: Where::Field(Fwmark), message: "fwmark \"0\": must be a whole number from 1 to 4294967295" },
    Bad { form: add_service, values: &[(Kind, "firewall mark"), (Fwmark, "4294967296")], table: empty_table, at: Where::Field(Fwmark), message: "fwmark \"4294967296\": must be a whole number from 1 to 4294967295" },
    Bad { form: add_service, values: &[(Kind, "firewall mark"), (Fwmark, "")], table: empty_table, at: Where::Field(Fwmark), message: "fwmark: must be a whole number from 1 to 4294967295" },
    Bad { form: add_service, values: &[(Address, "198.51.100.1"), (Port, "80")], table, at: Where::Field(Address), message: "TCP 198.51.100.1:80 already exists: edit it instead" },
    Bad { form: add_service, values: &[(Kind, "firewall mark"), (Fwmark, "7")], table, at: Where::Field(Fwmark), message: "fwmark 7 (IPv4) already exists: edit it instead" },
    Bad { form: edit_web, values: &[(Scheduler, "rr")], table: empty_table, at: Where::Form, message: "TCP 198.51.100.1:80 no longer exists: it was deleted since this form opened" },
    Bad { form: edit_web, values: &[(Scheduler, "wlc!")], table, at: Where::Field(Scheduler), message: sched_msg!("scheduler \"wlc!\": ") },
    Bad { form: edit_any_port, values: &[(Persistent, "off")], table: empty_table, at: Where::Form, message: "port: port 0 (any port) is allowed only for a persistent service" },
    // Real servers.
    Bad { form: add_to_web, values: &[(Server, "203.0.113.256")], table, at: Where::Field(Server), message: "real server \"203.0.113.256\": must be an IPv4 or IPv6 address, e.g. 192.0.2.1 or 2001:db8::1 (the port has its own field)" },
    Bad { form: add_to_web, values: &[(Server, "")], table, at: Where::Field(Server), message: "real server: must be an IPv4 or IPv6 address, e.g. 192.0.2.1 or 2001:db8::1 (the port has its own field)" },
    Bad { form: add_to_web, values: &[(Server, "255.255.255.255")], table, at: Where::Field(Server), message: "real server \"255.255.255.255\": must be a unicast address" },
    Bad { form: add_to_web, values: &[(Server, "2001:db8::2")], table, at: Where::Field(Server), message: "real server \"2001:db8::2\": is IPv6 but the service is IPv4; mixing families is allowed only for tunnel forwarding" },
    Bad { form: add_to_web6, values: &[(Server, "203.0.113.2"), (Method, "masquerading (NAT, -m)")], table: empty_table, at: Where::Field(Server), message: "real server \"203.0.113.2\": is IPv4 but the service is IPv6; mixing families is allowed only for tunnel forwarding" },
    Bad { form: add_to_web, values: &[(Server, "203.0.113.3"), (Method, "masquerading (NAT, -m)"), (ServerPort, "65536")], table, at: Where::Field(ServerPort), message: "port \"65536\": must be a whole number from 0 to 65535" },
    Bad { form: add_to_web, values: &[(Server, "203.0.113.3"), (Method, "masquerading (NAT, -m)"), (ServerPort, "")], table, at: Where::Field(ServerPort), message: "port: must be a whole number from 0 to 65535" },
    Bad { form: add_to_web, values: &[(Server, "203.0.113.3"), (Weight, "-1")], table, at: Where::Field(Weight), message: "weight \"-1\": must be a whole number from 0 to 2147483647" },
    Bad { form: add_to_web, values: &[(Server, "203.0.113.3"), (Weight, "2147483648")], table, at: Where::Field(Weight), message: "weight \"2147483648\": must be a whole number from 0 to 2147483647" },
    Bad { form: add_to_web, values: &[(Server, "203.0.113.3"), (Weight, "")], table, at: Where::Field(Weight), message: "weight: must be a whole number from 0 to 2147483647" },
    Bad { form: add_to_web, values: &[(Server, "203.0.113.3"), (UpperThreshold, "2147483648")], table, at: Where::Field(UpperThreshold), message: "upper threshold \"2147483648\": must be a whole number from 0 to 2147483647" },
    Bad { form: add_to_web, values: &[(Server, "203.0.113.3"), (UpperThreshold, "5"), (LowerThreshold, "10")], table, at: Where::Field(LowerThreshold), message: "lower threshold \"10\": must not be above the upper threshold (5)" },
    Bad { form: add_to_web, values: &[(Server, "203.0.113.3"), (LowerThreshold, "x")], table, at: Where::Field(LowerThreshold), message: "lower threshold \"x\": must be a whole number from 0 to 2147483647" },
    Bad { form: add_to_web, values: &[(Server, "203.0.113.3"), (Method, "tunnel (TUN, -i)"), (TunnelPort, "6080")], table, at: Where::Field(TunnelPort), message: "tunnel port \"6080\": is only for gue tunnels, not ipip; leave it empty" },
    Bad { form: add_to_web, values: &[(Server, "203.0.113.3"), (Method, "tunnel (TUN, -i)"), (TunnelType, "gre"), (TunnelPort, "6080")], table, at: Where::Field(TunnelPort), message: "tunnel port \"6080\": is only for gue tunnels, not gre; leave it empty" },
    Bad { form: add_to_web, values: &[(Server, "203.0.113.3"), (Method, "tunnel (TUN, -i)"), (TunnelType, "gue")], table, at: Where::Field(TunnelPort), message: "tunnel port: must be a whole number from 1 to 65535" },
    Bad { form: add_to_web, values: &[(Server, "203.0.113.3"), (Method, "tunnel (TUN, -i)"), (TunnelType, "gue"), (TunnelPort, "0")], table, at: Where::Field(TunnelPort), message: "tunnel port \"0\": must be a whole number from 1 to 65535" },
    Bad { form: add_to_web, values: &[(Server, "203.0.113.3"), (Method, "tunnel (TUN, -i)"), (TunnelType, "gre"), (TunnelCsum, "remcsum")], table, at: Where::Field(TunnelCsum), message: "tunnel options: a gre tunnel takes no port and no remote checksum (--tun-remcsum is for gue)" },
    Bad { form: add_to_web, values: &[(Server, "203.0.113.2"), (Method, "masquerading (NAT, -m)")], table, at: Where::Field(Server), message: "real server 203.0.113.2:80 already exists in TCP 198.51.100.1:80: edit it instead" },
    Bad { form: add_to_web, values: &[(Server, "203.0.113.3")], table: empty_table, at: Where::Form, message: "TCP 198.51.100.1:80 no longer exists: it was deleted since this form opened" },
    Bad { form: edit_gone_server, values: &[(Weight, "4")], table, at: Where::Form, message: "real server 203.0.113.9:80 of TCP 198.51.100.1:80 no longer exists: it was deleted since this form opened" },
    Bad { form: edit_server, values: &[(UpperThreshold, "100"), (LowerThreshold, "200")], table, at: Where::Field(LowerThreshold), message: "lower threshold \"200\": must not be above the upper threshold (100)" },
    Bad { form: weight_form, values: &[(Weight, "-1")], table, at: Where::Field(Weight), message: "weight \"-1\": must be a whole number from 0 to 2147483647" },
    Bad { form: weight_form, values: &[(Weight, "2147483648")], table, at: Where::Field(Weight), message: "weight \"2147483648\": must be a whole number from 0 to 2147483647" },
    Bad { form: weight_form, values: &[(Weight, "3.5")], table, at: Where::Field(Weight), message: "weight \"3.5\": must be a whole number from 0 to 2147483647" },
    Bad { form: weight_gone, values: &[(Weight, "0")], table, at: Where::Form, message: "real server 203.0.113.9:80 of TCP 198.51.100.1:80 no longer exists: it was deleted since this form opened" },
    // Timeouts.
    Bad { form: timeouts, values: &[(Tcp, "2678401")], table, at: Where::Field(Tcp), message: "tcp timeout \"2678401\": must be a whole number from 0 to 2678400" },
    Bad { form: timeouts, values: &[(TcpFin, "-5")], table, at: Where::Field(TcpFin), message: "tcpfin timeout \"-5\": must be a whole number from 0 to 2678400" },
    Bad { form: timeouts, values: &[(Udp, "")], table, at: Where::Field(Udp), message: "udp timeout: must be a whole number from 0 to 2678400" },
    // Sync daemons.
    Bad { form: daemons, values: &[(SyncId, "256")], table: empty_table, at: Where::Field(SyncId), message: "syncid \"256\": must be a whole number from 0 to 255" },
    Bad { form: daemons, values: &[(Interface, "eth0123456789abc")], table: empty_table, at: Where::Field(Interface), message: ifn_msg!("interface \"eth0123456789abc\": ") },
    Bad { form: daemons, values: &[(Interface, "eth 0")], table: empty_table, at: Where::Field(Interface), message: ifn_msg!("interface \"eth 0\": ") },
    Bad { form: daemons, values: &[(Interface, "eth0:1")], table: empty_table, at: Where::Field(Interface), message: ifn_msg!("interface \"eth0:1\": ") },
    Bad { form: daemons, values: &[(Interface, "")], table: empty_table, at: Where::Field(Interface), message: ifn_msg!("interface: ") },
    Bad { form: daemons, values: &[(Ttl, "0")], table: empty_table, at: Where::Field(Ttl), message: "multicast ttl \"0\": must be a whole number from 1 to 255" },
    Bad { form: daemons, values: &[(Ttl, "256")], table: empty_table, at: Where::Field(Ttl), message: "multicast ttl \"256\": must be a whole number from 1 to 255" },
    Bad { form: daemons, values: &[(Group, "10.0.0.1")], table: empty_table, at: Where::Field(Group), message: "multicast group \"10.0.0.1\": must be an IPv4 or IPv6 multicast address, e.g. 224.0.0.81" },
    Bad { form: daemons, values: &[(Group, "ff02::zz")], table: empty_table, at: Where::Field(Group), message: "multicast group \"ff02::zz\": must be an IPv4 or IPv6 multicast address, e.g. 224.0.0.81" },
    Bad { form: daemons, values: &[(McastPort, "0")], table: empty_table, at: Where::Field(McastPort), message: "multicast port \"0\": must be a whole number from 1 to 65535" },
    Bad { form: daemons, values: &[(MaxLen, "65508")], table: empty_table, at: Where::Field(MaxLen), message: "sync maxlen \"65508\": must be a whole number from 1 to 65507" },
    Bad { form: daemons, values: &[(DaemonRole, "master")], table, at: Where::Field(DaemonRole), message: "a master sync daemon is already running: stop it first" },
    Bad { form: daemons, values: &[(DaemonAction, "stop"), (DaemonRole, "backup")], table, at: Where::Field(DaemonRole), message: "no backup sync daemon is running" },
];

#[test]
fn every_bad_input_is_refused_with_its_message_where_it_belongs_and_the_typing_kept() {
    assert!(BAD.len() >= 40, "{} rows", BAD.len());
    for (n, row) in BAD.iter().enumerate() {
        let mut form = filled((row.form)(), row.values);
        let ops = form.submit(Some(&(row.table)()));
        let context = format!("row {n}: {} {:?}", form.title(), row.values);
        assert_eq!(ops, None, "{context}: no operation");
        for (id, text) in row.values {
            assert_eq!(
                form.value(*id).as_deref(),
                Some(*text),
                "{context}: {id:?} kept"
            );
        }
        match row.at {
            Where::Field(id) => {
                assert_eq!(
                    form.field_error(id),
                    Some(row.message),
                    "{context}: under {id:?}"
                );
                assert_eq!(form.error(), None, "{context}: nothing for the whole form");
            }
            Where::Form => assert_eq!(
                form.error(),
                Some(row.message),
                "{context}: for the whole form"
            ),
        }
        // A problem of the fields alone (not of the table) leaves nothing to preview.
        if filled((row.form)(), row.values).submit(None).is_none() {
            assert_eq!(form.preview(), None, "{context}: no command to preview");
        }
    }
}
