use super::*;

#[test]
fn targets_parse_and_print_back() {
    for text in [
        "local",
        "netns:lb1",
        "ssh:lb1",
        "ssh:root@lb1",
        "ssh:root@lb1:2222",
        "ssh:[2001:db8::1]:22",
        "ssh:2001:db8::1",
        "exec:sudo -n /usr/local/bin/ipvs-tui agent",
        "sim:lb1",
        "sim:lb2:backup",
    ] {
        let t: Target = text.parse().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(t.to_string(), text, "{t:?}");
    }
    assert_eq!(
        "ssh:alice@lb1:2222".parse::<Target>().unwrap(),
        Target::Ssh {
            user: Some("alice".into()),
            host: "lb1".into(),
            port: Some(2222)
        }
    );
}

#[test]
fn bad_targets_say_what_is_allowed() {
    for (text, why) in [
        ("lb1", "unknown kind of target"),
        ("ftp:lb1", "unknown kind \"ftp\""),
        ("ssh:lb1:0", "port \"0\" must be a number from 1 to 65535"),
        ("ssh:lb1:http", "port \"http\""),
        ("ssh:-oProxyCommand=x", "not starting with -"),
        ("ssh:@lb1", "no user before @"),
        ("netns:", "not empty"),
        ("exec: ", "the command is empty"),
        ("sim:", "a simulated director's name"),
        ("sim:a b", "a simulated director's name"),
        ("sim:lb1:slave", "master or backup, not \"slave\""),
    ] {
        let e = text.parse::<Target>().unwrap_err().to_string();
        assert!(e.contains(why), "{text}: {e}");
        assert!(e.contains("ssh:[USER@]HOST[:PORT]"), "{e}");
    }
}

#[test]
fn the_agent_is_started_the_way_the_target_says() {
    let spec = DirectorSpec::of("ssh:root@lb1:2222".parse().unwrap());
    assert_eq!(
        spec.argv().join(" "),
        "ssh -T -e none -o BatchMode=yes -o ConnectTimeout=10 -o ServerAliveInterval=10 -p 2222 -l root -- lb1 ipvs-tui agent"
    );
    let spec = DirectorSpec {
        command: Some("sudo -n /usr/local/bin/ipvs-tui agent".into()),
        ..DirectorSpec::of("ssh:lb1".parse().unwrap())
    };
    assert!(
        spec.argv()
            .ends_with(&["lb1".into(), "sudo -n /usr/local/bin/ipvs-tui agent".into()])
    );
    let spec = DirectorSpec::of("netns:lb2".parse().unwrap());
    let argv = spec.argv();
    assert_eq!(argv[..4], ["ip", "netns", "exec", "lb2"]);
    assert_eq!(argv[5], "agent");
    let spec = DirectorSpec::of("exec:cat".parse().unwrap());
    assert_eq!(spec.argv(), ["sh", "-c", "cat"]);
}

#[test]
fn names_from_the_config_come_first() {
    let configured = vec![DirectorEntry {
        name: "lb1".into(),
        target: "ssh:root@lb1".into(),
        command: Some("sudo -n ipvs-tui agent".into()),
    }];
    let d = resolve("lb1", &configured).unwrap();
    assert_eq!(d.name, "lb1");
    assert_eq!(d.command.as_deref(), Some("sudo -n ipvs-tui agent"));
    let d = resolve("ssh:lb2", &configured).unwrap();
    assert_eq!(d.name, "ssh:lb2");
    let broken = vec![DirectorEntry {
        name: "lb9".into(),
        target: "lb9".into(),
        command: None,
    }];
    let e = resolve("lb9", &broken).unwrap_err().to_string();
    assert!(e.contains("director \"lb9\" in config.toml"), "{e}");
}
