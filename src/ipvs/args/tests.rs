//! Tests of `ipvs::args`.

use super::*;

fn op(line: &str) -> Parsed<IpvsOp> {
    parse_args(&line.split_whitespace().collect::<Vec<_>>())
}

#[test]
fn saved_lines_parse_back_to_the_same_text() {
    for line in [
        "-A -t 192.0.2.1:80 -s rr",
        "-A -t 192.0.2.1:443 -s wlc -p 3600 -M 255.255.255.0",
        "-A -u 192.0.2.1:53 -s sh -o -b sh-fallback,sh-port",
        "-A --sctp-service [2001:db8::1]:80 -s mh -p 360 -M 64 --pe sip -b mh-port",
        "-A -f 7 -6 -s lc",
        "-a -t 192.0.2.1:80 -r 10.0.0.2:8080 -m -w 70000",
        "-a -t 192.0.2.1:80 -r [2001:db8::9]:80 -i -w 1 --tun-type gue --tun-port 6080 --tun-remcsum",
        "-a -t 192.0.2.1:80 -r 10.0.0.3:80 -i -w 0 --tun-type gre --tun-csum",
        "-a -f 7 -r 10.0.0.4:0 -g -w 1",
    ] {
        let parsed = op(line).unwrap_or_else(|e| panic!("{line}: {e}"));
        assert_eq!(parsed.to_command(), format!("ipvsadm {line}"));
    }
}

#[test]
fn defaults_and_fixups_follow_ipvsadm() {
    let IpvsOp::AddService(s) = op("-A -t 192.0.2.1:80 -p").unwrap() else {
        panic!()
    };
    assert_eq!((s.scheduler.as_str(), s.persistence), ("wlc", Some(360)));
    let IpvsOp::AddDest { dest, .. } = op("-a -t 192.0.2.1:80 -r 10.0.0.2:8080").unwrap() else {
        panic!()
    };
    assert_eq!(
        (dest.forward, dest.port, dest.weight),
        (Forward::Route, 80, 1),
        "DR takes the service port"
    );
    let IpvsOp::AddDest { dest, .. } = op("-a -t 192.0.2.1:80 -r 10.0.0.2 -m").unwrap() else {
        panic!()
    };
    assert_eq!(dest.port, 80, "no port means the service port");
    assert!(matches!(op("-Z").unwrap(), IpvsOp::Zero(None)));
    assert!(matches!(
        op("--set 900 120 300").unwrap(),
        IpvsOp::SetTimeouts(Timeouts {
            tcp: 900,
            tcp_fin: 120,
            udp: 300
        })
    ));
    let IpvsOp::StartDaemon(d) =
        op("--start-daemon master --mcast-interface lo --syncid 3").unwrap()
    else {
        panic!()
    };
    assert_eq!((d.mcast_ifn.as_str(), d.sync_id), ("lo", 3));
    assert!(matches!(
        op("-At 192.0.2.1:80 -srr").unwrap(),
        IpvsOp::AddService(_)
    ));
    let IpvsOp::AddService(s) = op("-A -f -1 -s rr").unwrap() else {
        panic!()
    };
    assert_eq!(
        s.key,
        ServiceKey::Fwmark {
            mark: u32::MAX,
            family: Family::Inet
        },
        "ipvsadm's signed save form"
    );
}

#[test]
fn bad_lines_say_what_is_wrong() {
    let cases = [
        (
            "-a -t 192.0.2.1:80 -r 10.0.0.2 -w -3",
            "weight \"-3\": must be a whole number from 0 to 2147483647",
        ),
        (
            "-a -t 192.0.2.1:80 -r 10.0.0.2 -w 2147483648",
            "weight \"2147483648\": must be a whole number from 0 to 2147483647",
        ),
        (
            "-A -t 192.0.2.1:0",
            "port: port 0 (any port) is allowed only for a persistent service",
        ),
        (
            "-A -t 192.0.2.1:80 -o",
            "one-packet scheduling: is only for UDP or fwmark services",
        ),
        (
            "-A -f 0",
            "fwmark \"0\": must be a whole number from 1 to 4294967295",
        ),
        (
            "-A -t 192.0.2.1:80 -p 0",
            "persistence timeout \"0\": must be a whole number from 1 to 2678400",
        ),
        (
            "-A -t 192.0.2.1:80 -w 3",
            "option: --weight is not allowed with the add-service command",
        ),
        (
            "-a -t 192.0.2.1:80 -r 10.0.0.2 -m --tun-type gue",
            "tunnel options: are only for tunnel forwarding (-i)",
        ),
        (
            "-a -t 192.0.2.1:80 -r 10.0.0.2 -i --tun-port 5",
            "tunnel port \"5\": is only for gue tunnels, not ipip",
        ),
        (
            "-a -t 192.0.2.1:80 -r 10.0.0.2 -x 5 -y 6",
            "lower threshold \"6\": must not be above the upper threshold (5)",
        ),
        (
            "-a -t 192.0.2.1:80",
            "real server: the add-server command needs a real server: -r ADDRESS[:PORT]",
        ),
        (
            "--set 1 2",
            "--set \"1 2\": needs exactly three timeouts in seconds: tcp tcpfin udp",
        ),
        (
            "-t 192.0.2.1:80",
            "command \"-t 192.0.2.1:80\": must start with a command: -A, -E, -D, -a, -e, -d, -C, -Z, --set, --start-daemon or --stop-daemon",
        ),
        (
            "-A -A -t 192.0.2.1:80",
            "command \"-A\": only one command per line is allowed",
        ),
        (
            "-A -t 192.0.2.1:80 --bogus",
            "option \"--bogus\": is not an ipvsadm option",
        ),
        (
            "-A -t 192.0.2.1:80 -s sh -b mh-port",
            "scheduler flags \"mh-port\": flag \"mh-port\" is for the mh scheduler, not sh",
        ),
    ];
    for (line, message) in cases {
        assert_eq!(
            op(line).map(|o| o.to_command()).unwrap_err().to_string(),
            message,
            "{line}"
        );
    }
}
