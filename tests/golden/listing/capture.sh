# Guest-side script for tests/golden/listing: builds a varied IPVS table with the real ipvsadm in
# user-mode Linux and captures its listings into $O (see README.md there for the boot recipe).
O=${O:-/work/main/target/listing-lab/out}
x() { echo "+ ipvsadm $*"; ipvsadm "$@" || echo "FAILED($?): ipvsadm $*"; }
cap() { n=$1; shift; ipvsadm "$@" > $O/$n.txt 2>&1 || echo "FAILED($?): ipvsadm $*"; }
# same FILE ARGS...: the listing with ARGS must equal FILE (the golden tests rely on it); not kept.
same() { f=$1; shift; ipvsadm "$@" > $O/same.tmp 2>&1; cmp -s $O/same.tmp $O/$f.txt && echo "same: $f = $*" || echo "DIFFERS: $f vs $*"; rm -f $O/same.tmp; }
mkdir -p $O
# sync daemons first: the kernel refuses them once mixed-family real servers exist
cap daemon-none -Ln --daemon
x --start-daemon master --mcast-interface lo
cap daemon-master -Ln --daemon
x --start-daemon backup --mcast-interface lo --syncid 7
cap daemon-both -Ln --daemon
x --stop-daemon master
x --start-daemon master --mcast-interface lo --syncid 3 --sync-maxlen 1000 --mcast-group 239.1.2.3 --mcast-port 9000 --mcast-ttl 5
cap daemon-master-opts -Ln --daemon
x --stop-daemon master
x --stop-daemon backup
x --start-daemon backup --mcast-interface lo --mcast-group ff02::1:3 --syncid 255
cap daemon-backup-v6 -Ln --daemon
x --stop-daemon backup
same daemon-none -Ln --daemon
# IPv4 TCP, addresses far apart (10.x vs 200.x vs 100.x: comparator wrap)
x -A -t 10.0.0.1:80 -s rr
x -a -t 10.0.0.1:80 -r 10.1.0.2:80 -m -w 1
x -a -t 10.0.0.1:80 -r 200.1.0.3:80 -g -w 0
x -a -t 10.0.0.1:80 -r 100.1.0.4:8080 -m -w 70000 -x 100 -y 50
x -a -t 10.0.0.1:80 -r 10.1.0.2:81 -m -w 2147483647 -x 2147483647
x -a -t 10.0.0.1:80 -r 127.0.0.1:80 -g -w 3
x -A -t 200.0.0.1:443 -s wlc -p 600 -M 255.255.255.0
x -a -t 200.0.0.1:443 -r 10.2.0.1 -i
x -a -t 200.0.0.1:443 -r 10.2.0.2 -i --tun-type gue --tun-port 6080
x -a -t 200.0.0.1:443 -r 10.2.0.3 -i --tun-type gue --tun-port 6081 --tun-csum
x -a -t 200.0.0.1:443 -r 10.2.0.4 -i --tun-type gue --tun-port 65535 --tun-remcsum
x -a -t 200.0.0.1:443 -r 10.2.0.5 -i --tun-type gre
x -a -t 200.0.0.1:443 -r 10.2.0.6 -i --tun-type gre --tun-csum
x -a -t 200.0.0.1:443 -r 10.2.0.7 -i --tun-type ipip -w 9
x -a -t 200.0.0.1:443 -r [2001:db8::5]:443 -i
x -A -t 100.0.0.1:80 -s sh -b sh-fallback,sh-port
x -a -t 100.0.0.1:80 -r 10.4.0.1:80 -m
x -A -t 10.0.0.1:0 -s lc -p
x -A -t 128.0.0.1:80 -s rr -b flag-1,flag-3
x -A -t 127.255.255.255:8080 -s sh -b flag-3
x -A -t 0.0.0.1:1 -s rr
x -A -t 255.255.255.254:65535 -s rr -p 2678400 -M 0.0.0.0
x -A --sctp-service 10.0.0.5:3868 -s rr
x -a --sctp-service 10.0.0.5:3868 -r 10.5.0.1:3868 -m -w 4
# IPv4 UDP
x -A -u 10.0.0.1:53 -s rr -o
x -a -u 10.0.0.1:53 -r 10.6.0.1:5353 -m -w 2 -x 10 -y 5
x -A -u 10.0.0.2:5060 -s rr -p 30 --pe sip
x -A -u 200.0.0.2:53 -s mh -b mh-fallback,mh-port
x -A -u 10.0.0.3:5060 -s wrr --pe sip
# IPv6
x -A -t [2001:db8::1]:80 -s wrr
x -a -t [2001:db8::1]:80 -r [2001:db8:1::2]:80 -m -w 5
x -a -t [2001:db8::1]:80 -r [2001:db8:1::3]:8080 -m -w 0 -x 7
x -a -t [2001:db8::1]:80 -r [::2:3]:80 -m
x -a -t [2001:db8::1]:80 -r [fd00::9]:80 -m
x -a -t [2001:db8::1]:80 -r 10.7.0.1:80 -i
x -A -t [2001:db8::1]:443 -s rr -p 120 -M 64
x -A -t [fd00::1]:80 -s rr
x -A -t [::ffff:10.9.9.9]:80 -s rr
x -A -t [2001:db8:aaaa:bbbb:cccc:dddd:eeee:1]:8080 -s rr
x -a -t [2001:db8:aaaa:bbbb:cccc:dddd:eeee:1]:8080 -r [2001:db8:aaaa:bbbb:cccc:dddd:eeee:2]:8080 -m
x -A -u [2001:db8:ffff::1]:53 -s rr -o -p 60 --pe sip
x -A --sctp-service [2001:db8::9]:3868 -s rr
# fwmark
x -A -f 1 -s rr
x -a -f 1 -r 10.3.0.1 -m
x -a -f 1 -r 10.3.0.2:8080 -m -w 3
x -A -f 2 -6 -s rr
x -a -f 2 -6 -r [2001:db8:3::1]:0 -g
x -A -f 2 -s wlc
x -A -f 100 -s rr -p 300 -M 255.255.0.0
x -A -f 101 -6 -s rr -p 300 -M 48
x -A -f 5 -s rr -o
x -A -f 2147483648 -s rr
x -A -f 4294967295 -s rr
x -a -f 4294967295 -r 10.8.0.1 -g
# captures
mkdir -p $O
cap save -Sn
cap list -Ln
cap list-nosort -Ln --nosort
cap list-stats -Ln --stats
same list-stats -Ln --stats --exact
cap list-rate -Ln --rate
same list-rate -Ln --rate --exact
cap list-thresholds -Ln --thresholds
cap list-persistent -Ln --persistent-conn
same list -Ln --exact
cap list-tun-info -Ln --tun-info
same list-stats -Ln --stats --rate
same list-thresholds -Ln --thresholds --persistent-conn
same list-thresholds -Ln --tun-info --thresholds
cap svc-tcp -Ln -t 10.0.0.1:80
cap svc-tcp-stats -Ln -t 200.0.0.1:443 --stats
cap svc-tcp-tun -Ln -t 200.0.0.1:443 --tun-info
cap svc-udp6 -Ln -u [2001:db8:ffff::1]:53
cap svc-fwm6 -Ln -f 2 -6
cap svc-fwm -Ln -f 1 --thresholds
cap svc-sctp -Ln --sctp-service 10.0.0.5:3868 --persistent-conn
cap timeout-default -Ln --timeout
x --set 100 20 30
cap timeout-set -Ln --timeout
ipvsadm -v
echo DONE
