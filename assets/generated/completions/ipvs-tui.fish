# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_ipvs_tui_global_optspecs
    string join \n demo read-only on= netns= audit-log= log-file= h/help V/version
end

function __fish_ipvs_tui_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_ipvs_tui_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_ipvs_tui_using_subcommand
    set -l cmd (__fish_ipvs_tui_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c ipvs-tui -n "__fish_ipvs_tui_needs_command" -l on -d 'Open the console on this director; repeat it for several, which opens the directors page (`local`: this host; `sim:NAME[:backup]`: a simulated director seeded from its name)' -r
complete -c ipvs-tui -n "__fish_ipvs_tui_needs_command" -l netns -d 'Work in this network namespace: a name under /run/netns, or a path such as /var/run/docker/netns/ingress_sbox (its IPVS table, /proc/net files and sysctls)' -r
complete -c ipvs-tui -n "__fish_ipvs_tui_needs_command" -l audit-log -d 'Where changes are logged (default: /var/log/ipvs-tui/audit.log as root, else ~/.local/state/ipvs-tui/audit.log)' -r -F
complete -c ipvs-tui -n "__fish_ipvs_tui_needs_command" -l log-file -d 'Append debug logs here, one JSON line each (polls, changes, errors, keepalived exchanges), to attach to a bug report (also `log_file` in config.toml). Off by default' -r -F
complete -c ipvs-tui -n "__fish_ipvs_tui_needs_command" -l demo -d 'Open the console on a simulated IPVS: nothing on this host is read or changed'
complete -c ipvs-tui -n "__fish_ipvs_tui_needs_command" -l read-only -d 'The console offers no change and refuses changes (also `read_only = true` in config.toml)'
complete -c ipvs-tui -n "__fish_ipvs_tui_needs_command" -s h -l help -d 'Print help'
complete -c ipvs-tui -n "__fish_ipvs_tui_needs_command" -s V -l version -d 'Print version'
complete -c ipvs-tui -n "__fish_ipvs_tui_needs_command" -f -a "list" -d 'List the table; the same output as `ipvsadm -Ln` with the same flags'
complete -c ipvs-tui -n "__fish_ipvs_tui_needs_command" -f -a "save" -d 'Print the table as rules; byte-identical to `ipvsadm -Sn`'
complete -c ipvs-tui -n "__fish_ipvs_tui_needs_command" -f -a "restore" -d 'Apply a rules file in `ipvsadm -R` format (stdin by default), all or nothing'
complete -c ipvs-tui -n "__fish_ipvs_tui_needs_command" -f -a "zero" -d 'Zero the counters of one service, or of all services'
complete -c ipvs-tui -n "__fish_ipvs_tui_needs_command" -f -a "flush" -d 'Delete every virtual service and real server'
complete -c ipvs-tui -n "__fish_ipvs_tui_needs_command" -f -a "timeouts" -d 'Show the tcp, tcpfin and udp connection timeouts, or set them (0 leaves one unchanged)'
complete -c ipvs-tui -n "__fish_ipvs_tui_needs_command" -f -a "daemon" -d 'Start, stop or list the connection synchronisation daemons'
complete -c ipvs-tui -n "__fish_ipvs_tui_needs_command" -f -a "setup" -d 'Set this machine up for an LVS role from a plan file (see assets/setup-example.toml): checked as a whole, shown as commands, applied all or nothing, then the doctor runs'
complete -c ipvs-tui -n "__fish_ipvs_tui_needs_command" -f -a "doctor" -d 'Look for the classic LVS mistakes on this host. Exit status 0: no error or warning; 1: some'
complete -c ipvs-tui -n "__fish_ipvs_tui_needs_command" -f -a "persist" -d 'Write the rules, VIPs, sysctls and a systemd unit that restore this setup at boot'
complete -c ipvs-tui -n "__fish_ipvs_tui_needs_command" -f -a "conns" -d 'The connection table (/proc/net/ip_vs_conn): filter, list, group and count'
complete -c ipvs-tui -n "__fish_ipvs_tui_needs_command" -f -a "vip" -d 'Bind or unbind a VIP on an interface (lo included), or list the services\' VIPs and where they are bound'
complete -c ipvs-tui -n "__fish_ipvs_tui_needs_command" -f -a "host" -d 'The interfaces with their state and addresses, and the main routing table'
complete -c ipvs-tui -n "__fish_ipvs_tui_needs_command" -f -a "keepalived" -d 'List the sysctls LVS depends on with their values and what each does, or set some: NAME=VALUE... (checked first, then all or nothing). What keepalived says (VRRP instances; virtual and real servers with their checker health) beside the kernel\'s table, and where the two differ. Exit status 1 when none runs'
complete -c ipvs-tui -n "__fish_ipvs_tui_needs_command" -f -a "sysctl"
complete -c ipvs-tui -n "__fish_ipvs_tui_needs_command" -f -a "sandbox" -d 'A practice LVS lab in network namespaces only (client, director, two real servers), leaving this host\'s IPVS table and interfaces alone: build it, send traffic, remove it'
complete -c ipvs-tui -n "__fish_ipvs_tui_needs_command" -f -a "agent" -d 'Serve this director on standard input and output for a console or command elsewhere (`ipvs-tui --on ssh:HOST ...` runs it over SSH); not for interactive use'
complete -c ipvs-tui -n "__fish_ipvs_tui_needs_command" -f -a "compare" -d 'Compare two directors\' rules: the lines only on A, only on B, and the objects whose settings differ, as ipvsadm lines. Exit status 0: the same; 1: they differ; 2: bad input or a director that cannot be read'
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand list" -s t -l tcp-service -d 'TCP service VIP:PORT' -r
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand list" -s u -l udp-service -d 'UDP service VIP:PORT' -r
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand list" -l sctp-service -d 'SCTP service VIP:PORT' -r
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand list" -s f -l fwmark-service -d 'Firewall-mark service' -r
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand list" -l netns -d 'Work in this network namespace: a name under /run/netns, or a path such as /var/run/docker/netns/ingress_sbox (its IPVS table, /proc/net files and sysctls)' -r
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand list" -l audit-log -d 'Where changes are logged (default: /var/log/ipvs-tui/audit.log as root, else ~/.local/state/ipvs-tui/audit.log)' -r -F
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand list" -l log-file -d 'Append debug logs here, one JSON line each (polls, changes, errors, keepalived exchanges), to attach to a bug report (also `log_file` in config.toml). Off by default' -r -F
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand list" -s 6 -l ipv6 -d 'The fwmark service is IPv6'
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand list" -s n -l numeric -d 'Accepted for ipvsadm habits: output is always numeric'
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand list" -l stats -d 'Counters: connections, packets and bytes in and out'
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand list" -l rate -d 'The kernel\'s rates: connections, packets and bytes per second'
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand list" -l thresholds -d 'Upper and lower connection thresholds'
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand list" -l persistent-conn -d 'Persistent connection counts'
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand list" -s X -l exact -d 'Exact numbers instead of K/M/G/T'
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand list" -l tun-info -d 'Tunnel type, port and checksum of tunnel real servers'
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand list" -l nosort -d 'Keep the kernel\'s order'
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand list" -l timeout -d 'Connection timeouts, as `ipvsadm -L --timeout`'
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand list" -l daemon -d 'Sync daemons, as `ipvsadm -L --daemon`'
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand list" -l json -d 'Every field of the model as JSON'
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand list" -s h -l help -d 'Print help'
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand save" -l netns -d 'Work in this network namespace: a name under /run/netns, or a path such as /var/run/docker/netns/ingress_sbox (its IPVS table, /proc/net files and sysctls)' -r
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand save" -l audit-log -d 'Where changes are logged (default: /var/log/ipvs-tui/audit.log as root, else ~/.local/state/ipvs-tui/audit.log)' -r -F
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand save" -l log-file -d 'Append debug logs here, one JSON line each (polls, changes, errors, keepalived exchanges), to attach to a bug report (also `log_file` in config.toml). Off by default' -r -F
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand save" -s n -l numeric -d 'Accepted for ipvsadm habits: output is always numeric'
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand save" -s h -l help -d 'Print help'
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand restore" -l dir -d 'Where `persist` wrote its files (with --boot)' -r -F
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand restore" -l netns -d 'Work in this network namespace: a name under /run/netns, or a path such as /var/run/docker/netns/ingress_sbox (its IPVS table, /proc/net files and sysctls)' -r
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand restore" -l audit-log -d 'Where changes are logged (default: /var/log/ipvs-tui/audit.log as root, else ~/.local/state/ipvs-tui/audit.log)' -r -F
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand restore" -l log-file -d 'Append debug logs here, one JSON line each (polls, changes, errors, keepalived exchanges), to attach to a bug report (also `log_file` in config.toml). Off by default' -r -F
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand restore" -l boot -d 'At boot: also set the sysctls and bind the VIPs of DIR/ipvs-tui/host.toml (written by `persist`), waiting briefly for their interfaces; what is in place is left alone'
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand restore" -s h -l help -d 'Print help'
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand zero" -s t -l tcp-service -d 'TCP service VIP:PORT' -r
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand zero" -s u -l udp-service -d 'UDP service VIP:PORT' -r
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand zero" -l sctp-service -d 'SCTP service VIP:PORT' -r
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand zero" -s f -l fwmark-service -d 'Firewall-mark service' -r
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand zero" -l netns -d 'Work in this network namespace: a name under /run/netns, or a path such as /var/run/docker/netns/ingress_sbox (its IPVS table, /proc/net files and sysctls)' -r
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand zero" -l audit-log -d 'Where changes are logged (default: /var/log/ipvs-tui/audit.log as root, else ~/.local/state/ipvs-tui/audit.log)' -r -F
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand zero" -l log-file -d 'Append debug logs here, one JSON line each (polls, changes, errors, keepalived exchanges), to attach to a bug report (also `log_file` in config.toml). Off by default' -r -F
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand zero" -s 6 -l ipv6 -d 'The fwmark service is IPv6'
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand zero" -s h -l help -d 'Print help'
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand flush" -l netns -d 'Work in this network namespace: a name under /run/netns, or a path such as /var/run/docker/netns/ingress_sbox (its IPVS table, /proc/net files and sysctls)' -r
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand flush" -l audit-log -d 'Where changes are logged (default: /var/log/ipvs-tui/audit.log as root, else ~/.local/state/ipvs-tui/audit.log)' -r -F
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand flush" -l log-file -d 'Append debug logs here, one JSON line each (polls, changes, errors, keepalived exchanges), to attach to a bug report (also `log_file` in config.toml). Off by default' -r -F
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand flush" -l yes -d 'Confirm: without it nothing is deleted'
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand flush" -s h -l help -d 'Print help'
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand timeouts" -l set -r
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand timeouts" -l netns -d 'Work in this network namespace: a name under /run/netns, or a path such as /var/run/docker/netns/ingress_sbox (its IPVS table, /proc/net files and sysctls)' -r
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand timeouts" -l audit-log -d 'Where changes are logged (default: /var/log/ipvs-tui/audit.log as root, else ~/.local/state/ipvs-tui/audit.log)' -r -F
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand timeouts" -l log-file -d 'Append debug logs here, one JSON line each (polls, changes, errors, keepalived exchanges), to attach to a bug report (also `log_file` in config.toml). Off by default' -r -F
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand timeouts" -s h -l help -d 'Print help'
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand daemon; and not __fish_seen_subcommand_from start stop list" -l netns -d 'Work in this network namespace: a name under /run/netns, or a path such as /var/run/docker/netns/ingress_sbox (its IPVS table, /proc/net files and sysctls)' -r
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand daemon; and not __fish_seen_subcommand_from start stop list" -l audit-log -d 'Where changes are logged (default: /var/log/ipvs-tui/audit.log as root, else ~/.local/state/ipvs-tui/audit.log)' -r -F
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand daemon; and not __fish_seen_subcommand_from start stop list" -l log-file -d 'Append debug logs here, one JSON line each (polls, changes, errors, keepalived exchanges), to attach to a bug report (also `log_file` in config.toml). Off by default' -r -F
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand daemon; and not __fish_seen_subcommand_from start stop list" -s h -l help -d 'Print help'
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand daemon; and not __fish_seen_subcommand_from start stop list" -f -a "start" -d 'Start a master or backup sync daemon'
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand daemon; and not __fish_seen_subcommand_from start stop list" -f -a "stop" -d 'Stop the master or backup sync daemon'
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand daemon; and not __fish_seen_subcommand_from start stop list" -f -a "list" -d 'List the running sync daemons, as `ipvsadm -L --daemon`'
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand daemon; and __fish_seen_subcommand_from start" -l mcast-interface -r
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand daemon; and __fish_seen_subcommand_from start" -l syncid -r
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand daemon; and __fish_seen_subcommand_from start" -l sync-maxlen -r
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand daemon; and __fish_seen_subcommand_from start" -l mcast-group -r
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand daemon; and __fish_seen_subcommand_from start" -l mcast-port -r
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand daemon; and __fish_seen_subcommand_from start" -l mcast-ttl -r
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand daemon; and __fish_seen_subcommand_from start" -l netns -d 'Work in this network namespace: a name under /run/netns, or a path such as /var/run/docker/netns/ingress_sbox (its IPVS table, /proc/net files and sysctls)' -r
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand daemon; and __fish_seen_subcommand_from start" -l audit-log -d 'Where changes are logged (default: /var/log/ipvs-tui/audit.log as root, else ~/.local/state/ipvs-tui/audit.log)' -r -F
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand daemon; and __fish_seen_subcommand_from start" -l log-file -d 'Append debug logs here, one JSON line each (polls, changes, errors, keepalived exchanges), to attach to a bug report (also `log_file` in config.toml). Off by default' -r -F
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand daemon; and __fish_seen_subcommand_from start" -s h -l help -d 'Print help'
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand daemon; and __fish_seen_subcommand_from stop" -l netns -d 'Work in this network namespace: a name under /run/netns, or a path such as /var/run/docker/netns/ingress_sbox (its IPVS table, /proc/net files and sysctls)' -r
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand daemon; and __fish_seen_subcommand_from stop" -l audit-log -d 'Where changes are logged (default: /var/log/ipvs-tui/audit.log as root, else ~/.local/state/ipvs-tui/audit.log)' -r -F
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand daemon; and __fish_seen_subcommand_from stop" -l log-file -d 'Append debug logs here, one JSON line each (polls, changes, errors, keepalived exchanges), to attach to a bug report (also `log_file` in config.toml). Off by default' -r -F
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand daemon; and __fish_seen_subcommand_from stop" -s h -l help -d 'Print help'
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand daemon; and __fish_seen_subcommand_from list" -l netns -d 'Work in this network namespace: a name under /run/netns, or a path such as /var/run/docker/netns/ingress_sbox (its IPVS table, /proc/net files and sysctls)' -r
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand daemon; and __fish_seen_subcommand_from list" -l audit-log -d 'Where changes are logged (default: /var/log/ipvs-tui/audit.log as root, else ~/.local/state/ipvs-tui/audit.log)' -r -F
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand daemon; and __fish_seen_subcommand_from list" -l log-file -d 'Append debug logs here, one JSON line each (polls, changes, errors, keepalived exchanges), to attach to a bug report (also `log_file` in config.toml). Off by default' -r -F
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand daemon; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand setup" -l plan -d 'The plan (TOML): the role of this machine and what it needs' -r -F
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand setup" -l netns -d 'Work in this network namespace: a name under /run/netns, or a path such as /var/run/docker/netns/ingress_sbox (its IPVS table, /proc/net files and sysctls)' -r
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand setup" -l audit-log -d 'Where changes are logged (default: /var/log/ipvs-tui/audit.log as root, else ~/.local/state/ipvs-tui/audit.log)' -r -F
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand setup" -l log-file -d 'Append debug logs here, one JSON line each (polls, changes, errors, keepalived exchanges), to attach to a bug report (also `log_file` in config.toml). Off by default' -r -F
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand setup" -l dry-run -d 'Show the changes only'
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand setup" -s h -l help -d 'Print help'
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand doctor" -l role -d 'nat-director, dr-director, tun-director, dr-real-server, tun-real-server or nat-real-server (default: recognised from the services and the VIPs on lo/tunl0)' -r
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand doctor" -l vip -d 'A real server\'s VIP, when it is not (yet) on lo or tunl0' -r
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand doctor" -l director -d 'A NAT real server\'s director (inside address), which must be its default gateway' -r
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand doctor" -l netns -d 'Work in this network namespace: a name under /run/netns, or a path such as /var/run/docker/netns/ingress_sbox (its IPVS table, /proc/net files and sysctls)' -r
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand doctor" -l audit-log -d 'Where changes are logged (default: /var/log/ipvs-tui/audit.log as root, else ~/.local/state/ipvs-tui/audit.log)' -r -F
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand doctor" -l log-file -d 'Append debug logs here, one JSON line each (polls, changes, errors, keepalived exchanges), to attach to a bug report (also `log_file` in config.toml). Off by default' -r -F
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand doctor" -l json -d 'The findings as JSON'
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand doctor" -l fix -d 'Apply the fixes found (all or nothing, each audited), then look again'
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand doctor" -s h -l help -d 'Print help'
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand persist" -l dir -r -F
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand persist" -l netns -d 'Work in this network namespace: a name under /run/netns, or a path such as /var/run/docker/netns/ingress_sbox (its IPVS table, /proc/net files and sysctls)' -r
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand persist" -l audit-log -d 'Where changes are logged (default: /var/log/ipvs-tui/audit.log as root, else ~/.local/state/ipvs-tui/audit.log)' -r -F
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand persist" -l log-file -d 'Append debug logs here, one JSON line each (polls, changes, errors, keepalived exchanges), to attach to a bug report (also `log_file` in config.toml). Off by default' -r -F
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand persist" -l dry-run -d 'Show the files only'
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand persist" -l force -d 'Overwrite files that exist with other contents'
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand persist" -s h -l help -d 'Print help'
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand conns" -l group-by -d 'Count instead of listing: per real server and state, per state, per client (most first), or per service and state' -r
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand conns" -l limit -d 'Print at most N rows (or groups)' -r
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand conns" -l sort -d 'Order of the rows: expiry (soonest first), client, or state; default: the kernel\'s' -r
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand conns" -l max-rows -d 'Rows held for listing; lines beyond are still counted in --group-by' -r
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand conns" -l file -d 'Read this file (in the format of /proc/net/ip_vs_conn; - for standard input)' -r -F
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand conns" -l services -d 'Services (in the format of /proc/net/ip_vs) whose persistence netmasks tell which masked template holds a client; default: /proc/net/ip_vs when reading the live table' -r -F
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand conns" -l netns -d 'Work in this network namespace: a name under /run/netns, or a path such as /var/run/docker/netns/ingress_sbox (its IPVS table, /proc/net files and sysctls)' -r
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand conns" -l audit-log -d 'Where changes are logged (default: /var/log/ipvs-tui/audit.log as root, else ~/.local/state/ipvs-tui/audit.log)' -r -F
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand conns" -l log-file -d 'Append debug logs here, one JSON line each (polls, changes, errors, keepalived exchanges), to attach to a bug report (also `log_file` in config.toml). Off by default' -r -F
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand conns" -l json -d 'JSON instead of text'
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand conns" -l persistent -d 'Persistence templates only: which real server each client is persisted to. With client:ADDR, where that client is persisted (also through a service\'s netmask, -M)'
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand conns" -s h -l help -d 'Print help'
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand vip; and not __fish_seen_subcommand_from add del list" -l netns -d 'Work in this network namespace: a name under /run/netns, or a path such as /var/run/docker/netns/ingress_sbox (its IPVS table, /proc/net files and sysctls)' -r
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand vip; and not __fish_seen_subcommand_from add del list" -l audit-log -d 'Where changes are logged (default: /var/log/ipvs-tui/audit.log as root, else ~/.local/state/ipvs-tui/audit.log)' -r -F
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand vip; and not __fish_seen_subcommand_from add del list" -l log-file -d 'Append debug logs here, one JSON line each (polls, changes, errors, keepalived exchanges), to attach to a bug report (also `log_file` in config.toml). Off by default' -r -F
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand vip; and not __fish_seen_subcommand_from add del list" -s h -l help -d 'Print help'
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand vip; and not __fish_seen_subcommand_from add del list" -f -a "add" -d 'ADDR[/PREFIX] dev IFACE [label LABEL]: bind an address (default /32 or /128)'
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand vip; and not __fish_seen_subcommand_from add del list" -f -a "del" -d 'ADDR[/PREFIX] dev IFACE: unbind an address, whatever its label'
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand vip; and not __fish_seen_subcommand_from add del list" -f -a "list" -d 'The VIPs of the IPVS services and the interfaces holding them; NOT BOUND where none does'
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand vip; and __fish_seen_subcommand_from add" -l netns -d 'Work in this network namespace: a name under /run/netns, or a path such as /var/run/docker/netns/ingress_sbox (its IPVS table, /proc/net files and sysctls)' -r
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand vip; and __fish_seen_subcommand_from add" -l audit-log -d 'Where changes are logged (default: /var/log/ipvs-tui/audit.log as root, else ~/.local/state/ipvs-tui/audit.log)' -r -F
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand vip; and __fish_seen_subcommand_from add" -l log-file -d 'Append debug logs here, one JSON line each (polls, changes, errors, keepalived exchanges), to attach to a bug report (also `log_file` in config.toml). Off by default' -r -F
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand vip; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help'
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand vip; and __fish_seen_subcommand_from del" -l netns -d 'Work in this network namespace: a name under /run/netns, or a path such as /var/run/docker/netns/ingress_sbox (its IPVS table, /proc/net files and sysctls)' -r
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand vip; and __fish_seen_subcommand_from del" -l audit-log -d 'Where changes are logged (default: /var/log/ipvs-tui/audit.log as root, else ~/.local/state/ipvs-tui/audit.log)' -r -F
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand vip; and __fish_seen_subcommand_from del" -l log-file -d 'Append debug logs here, one JSON line each (polls, changes, errors, keepalived exchanges), to attach to a bug report (also `log_file` in config.toml). Off by default' -r -F
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand vip; and __fish_seen_subcommand_from del" -s h -l help -d 'Print help'
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand vip; and __fish_seen_subcommand_from list" -l netns -d 'Work in this network namespace: a name under /run/netns, or a path such as /var/run/docker/netns/ingress_sbox (its IPVS table, /proc/net files and sysctls)' -r
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand vip; and __fish_seen_subcommand_from list" -l audit-log -d 'Where changes are logged (default: /var/log/ipvs-tui/audit.log as root, else ~/.local/state/ipvs-tui/audit.log)' -r -F
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand vip; and __fish_seen_subcommand_from list" -l log-file -d 'Append debug logs here, one JSON line each (polls, changes, errors, keepalived exchanges), to attach to a bug report (also `log_file` in config.toml). Off by default' -r -F
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand vip; and __fish_seen_subcommand_from list" -l json -d 'As JSON'
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand vip; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand host" -l netns -d 'Work in this network namespace: a name under /run/netns, or a path such as /var/run/docker/netns/ingress_sbox (its IPVS table, /proc/net files and sysctls)' -r
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand host" -l audit-log -d 'Where changes are logged (default: /var/log/ipvs-tui/audit.log as root, else ~/.local/state/ipvs-tui/audit.log)' -r -F
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand host" -l log-file -d 'Append debug logs here, one JSON line each (polls, changes, errors, keepalived exchanges), to attach to a bug report (also `log_file` in config.toml). Off by default' -r -F
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand host" -l json -d 'Links, addresses, routes and the LVS sysctls as JSON'
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand host" -s h -l help -d 'Print help'
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand keepalived" -l pid -d 'The keepalived parent process to ask, when several run in this network namespace' -r
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand keepalived" -l netns -d 'Work in this network namespace: a name under /run/netns, or a path such as /var/run/docker/netns/ingress_sbox (its IPVS table, /proc/net files and sysctls)' -r
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand keepalived" -l audit-log -d 'Where changes are logged (default: /var/log/ipvs-tui/audit.log as root, else ~/.local/state/ipvs-tui/audit.log)' -r -F
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand keepalived" -l log-file -d 'Append debug logs here, one JSON line each (polls, changes, errors, keepalived exchanges), to attach to a bug report (also `log_file` in config.toml). Off by default' -r -F
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand keepalived" -l json -d 'As JSON'
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand keepalived" -s h -l help -d 'Print help'
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand sysctl" -l netns -d 'Work in this network namespace: a name under /run/netns, or a path such as /var/run/docker/netns/ingress_sbox (its IPVS table, /proc/net files and sysctls)' -r
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand sysctl" -l audit-log -d 'Where changes are logged (default: /var/log/ipvs-tui/audit.log as root, else ~/.local/state/ipvs-tui/audit.log)' -r -F
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand sysctl" -l log-file -d 'Append debug logs here, one JSON line each (polls, changes, errors, keepalived exchanges), to attach to a bug report (also `log_file` in config.toml). Off by default' -r -F
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand sysctl" -l json -d 'The list as JSON: name, value (null when this host lacks it), explanation, allowed'
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand sysctl" -s h -l help -d 'Print help'
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand sandbox; and not __fish_seen_subcommand_from nat dr tun traffic status down serve" -l netns -d 'Work in this network namespace: a name under /run/netns, or a path such as /var/run/docker/netns/ingress_sbox (its IPVS table, /proc/net files and sysctls)' -r
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand sandbox; and not __fish_seen_subcommand_from nat dr tun traffic status down serve" -l audit-log -d 'Where changes are logged (default: /var/log/ipvs-tui/audit.log as root, else ~/.local/state/ipvs-tui/audit.log)' -r -F
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand sandbox; and not __fish_seen_subcommand_from nat dr tun traffic status down serve" -l log-file -d 'Append debug logs here, one JSON line each (polls, changes, errors, keepalived exchanges), to attach to a bug report (also `log_file` in config.toml). Off by default' -r -F
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand sandbox; and not __fish_seen_subcommand_from nat dr tun traffic status down serve" -s h -l help -d 'Print help'
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand sandbox; and not __fish_seen_subcommand_from nat dr tun traffic status down serve" -f -a "nat" -d 'Build an LVS-NAT lab: a client and a director on one network, two real servers behind the director (their gateway), the service rr over both (-m)'
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand sandbox; and not __fish_seen_subcommand_from nat dr tun traffic status down serve" -f -a "dr" -d 'Build an LVS-DR lab: client, director and real servers on one segment; the VIP on the real servers\' lo with arp_ignore/arp_announce; the service rr over both (-g)'
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand sandbox; and not __fish_seen_subcommand_from nat dr tun traffic status down serve" -f -a "tun" -d 'Build an LVS-TUN lab: the VIP on the real servers\' tunl0 (ipip); the service rr over both (-i)'
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand sandbox; and not __fish_seen_subcommand_from nat dr tun traffic status down serve" -f -a "traffic" -d 'Send N requests from the client to the VIP; print which real server answered each, and the count per real server'
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand sandbox; and not __fish_seen_subcommand_from nat dr tun traffic status down serve" -f -a "status" -d 'Say which lab is up, with its namespaces, addresses and the commands to use it'
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand sandbox; and not __fish_seen_subcommand_from nat dr tun traffic status down serve" -f -a "down" -d 'Remove the sandbox: every network namespace named ipvstui-sb-* and what runs in it (also what a crashed build left)'
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand sandbox; and not __fish_seen_subcommand_from nat dr tun traffic status down serve" -f -a "serve" -d 'A real server\'s HTTP responder, answering with its name (started by the lab)'
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand sandbox; and __fish_seen_subcommand_from nat" -l netns -d 'Work in this network namespace: a name under /run/netns, or a path such as /var/run/docker/netns/ingress_sbox (its IPVS table, /proc/net files and sysctls)' -r
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand sandbox; and __fish_seen_subcommand_from nat" -l audit-log -d 'Where changes are logged (default: /var/log/ipvs-tui/audit.log as root, else ~/.local/state/ipvs-tui/audit.log)' -r -F
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand sandbox; and __fish_seen_subcommand_from nat" -l log-file -d 'Append debug logs here, one JSON line each (polls, changes, errors, keepalived exchanges), to attach to a bug report (also `log_file` in config.toml). Off by default' -r -F
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand sandbox; and __fish_seen_subcommand_from nat" -l watch -d 'Then open the console on the director\'s namespace'
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand sandbox; and __fish_seen_subcommand_from nat" -s h -l help -d 'Print help'
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand sandbox; and __fish_seen_subcommand_from dr" -l netns -d 'Work in this network namespace: a name under /run/netns, or a path such as /var/run/docker/netns/ingress_sbox (its IPVS table, /proc/net files and sysctls)' -r
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand sandbox; and __fish_seen_subcommand_from dr" -l audit-log -d 'Where changes are logged (default: /var/log/ipvs-tui/audit.log as root, else ~/.local/state/ipvs-tui/audit.log)' -r -F
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand sandbox; and __fish_seen_subcommand_from dr" -l log-file -d 'Append debug logs here, one JSON line each (polls, changes, errors, keepalived exchanges), to attach to a bug report (also `log_file` in config.toml). Off by default' -r -F
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand sandbox; and __fish_seen_subcommand_from dr" -l watch -d 'Then open the console on the director\'s namespace'
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand sandbox; and __fish_seen_subcommand_from dr" -s h -l help -d 'Print help'
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand sandbox; and __fish_seen_subcommand_from tun" -l netns -d 'Work in this network namespace: a name under /run/netns, or a path such as /var/run/docker/netns/ingress_sbox (its IPVS table, /proc/net files and sysctls)' -r
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand sandbox; and __fish_seen_subcommand_from tun" -l audit-log -d 'Where changes are logged (default: /var/log/ipvs-tui/audit.log as root, else ~/.local/state/ipvs-tui/audit.log)' -r -F
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand sandbox; and __fish_seen_subcommand_from tun" -l log-file -d 'Append debug logs here, one JSON line each (polls, changes, errors, keepalived exchanges), to attach to a bug report (also `log_file` in config.toml). Off by default' -r -F
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand sandbox; and __fish_seen_subcommand_from tun" -l watch -d 'Then open the console on the director\'s namespace'
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand sandbox; and __fish_seen_subcommand_from tun" -s h -l help -d 'Print help'
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand sandbox; and __fish_seen_subcommand_from traffic" -l netns -d 'Work in this network namespace: a name under /run/netns, or a path such as /var/run/docker/netns/ingress_sbox (its IPVS table, /proc/net files and sysctls)' -r
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand sandbox; and __fish_seen_subcommand_from traffic" -l audit-log -d 'Where changes are logged (default: /var/log/ipvs-tui/audit.log as root, else ~/.local/state/ipvs-tui/audit.log)' -r -F
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand sandbox; and __fish_seen_subcommand_from traffic" -l log-file -d 'Append debug logs here, one JSON line each (polls, changes, errors, keepalived exchanges), to attach to a bug report (also `log_file` in config.toml). Off by default' -r -F
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand sandbox; and __fish_seen_subcommand_from traffic" -s h -l help -d 'Print help'
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand sandbox; and __fish_seen_subcommand_from status" -l netns -d 'Work in this network namespace: a name under /run/netns, or a path such as /var/run/docker/netns/ingress_sbox (its IPVS table, /proc/net files and sysctls)' -r
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand sandbox; and __fish_seen_subcommand_from status" -l audit-log -d 'Where changes are logged (default: /var/log/ipvs-tui/audit.log as root, else ~/.local/state/ipvs-tui/audit.log)' -r -F
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand sandbox; and __fish_seen_subcommand_from status" -l log-file -d 'Append debug logs here, one JSON line each (polls, changes, errors, keepalived exchanges), to attach to a bug report (also `log_file` in config.toml). Off by default' -r -F
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand sandbox; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help'
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand sandbox; and __fish_seen_subcommand_from down" -l netns -d 'Work in this network namespace: a name under /run/netns, or a path such as /var/run/docker/netns/ingress_sbox (its IPVS table, /proc/net files and sysctls)' -r
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand sandbox; and __fish_seen_subcommand_from down" -l audit-log -d 'Where changes are logged (default: /var/log/ipvs-tui/audit.log as root, else ~/.local/state/ipvs-tui/audit.log)' -r -F
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand sandbox; and __fish_seen_subcommand_from down" -l log-file -d 'Append debug logs here, one JSON line each (polls, changes, errors, keepalived exchanges), to attach to a bug report (also `log_file` in config.toml). Off by default' -r -F
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand sandbox; and __fish_seen_subcommand_from down" -s h -l help -d 'Print help'
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand sandbox; and __fish_seen_subcommand_from serve" -l in -d 'The network namespace to serve in' -r
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand sandbox; and __fish_seen_subcommand_from serve" -l name -r
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand sandbox; and __fish_seen_subcommand_from serve" -l port -r
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand sandbox; and __fish_seen_subcommand_from serve" -l netns -d 'Work in this network namespace: a name under /run/netns, or a path such as /var/run/docker/netns/ingress_sbox (its IPVS table, /proc/net files and sysctls)' -r
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand sandbox; and __fish_seen_subcommand_from serve" -l audit-log -d 'Where changes are logged (default: /var/log/ipvs-tui/audit.log as root, else ~/.local/state/ipvs-tui/audit.log)' -r -F
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand sandbox; and __fish_seen_subcommand_from serve" -l log-file -d 'Append debug logs here, one JSON line each (polls, changes, errors, keepalived exchanges), to attach to a bug report (also `log_file` in config.toml). Off by default' -r -F
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand sandbox; and __fish_seen_subcommand_from serve" -s h -l help -d 'Print help'
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand agent" -l netns -d 'Work in this network namespace: a name under /run/netns, or a path such as /var/run/docker/netns/ingress_sbox (its IPVS table, /proc/net files and sysctls)' -r
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand agent" -l audit-log -d 'Where changes are logged (default: /var/log/ipvs-tui/audit.log as root, else ~/.local/state/ipvs-tui/audit.log)' -r -F
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand agent" -l log-file -d 'Append debug logs here, one JSON line each (polls, changes, errors, keepalived exchanges), to attach to a bug report (also `log_file` in config.toml). Off by default' -r -F
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand agent" -l read-only -d 'Refuse every change, whatever the client asks (for a forced command in authorized_keys: `command="ipvs-tui agent --read-only"`); refusals are audited'
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand agent" -s h -l help -d 'Print help'
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand compare" -l netns -d 'Work in this network namespace: a name under /run/netns, or a path such as /var/run/docker/netns/ingress_sbox (its IPVS table, /proc/net files and sysctls)' -r
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand compare" -l audit-log -d 'Where changes are logged (default: /var/log/ipvs-tui/audit.log as root, else ~/.local/state/ipvs-tui/audit.log)' -r -F
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand compare" -l log-file -d 'Append debug logs here, one JSON line each (polls, changes, errors, keepalived exchanges), to attach to a bug report (also `log_file` in config.toml). Off by default' -r -F
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand compare" -l json -d 'The difference as JSON: {"equal", "only_a", "only_b", "differ": [{"a", "b"}]}'
complete -c ipvs-tui -n "__fish_ipvs_tui_using_subcommand compare" -s h -l help -d 'Print help'
