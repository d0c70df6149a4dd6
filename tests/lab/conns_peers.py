# Guest-side helper for tests/lab/conns_states.sh: TCP and SCTP peers that leave connections in
# chosen states, for a bounded time (they exit after LIFETIME seconds).
#   serve FAMILY PROTO ADDR PORT MODE   MODE hold: accept and keep each connection open;
#                                        close: accept and close at once (the server's FIN first)
#   connect FAMILY PROTO ADDR PORT N MODE   MODE hold: keep N connections open; halfclose: send
#                                        FIN (shutdown write) and keep them; brief: connect with a
#                                        1 s timeout and move on (for servers that never answer)
# FAMILY 4|6, PROTO tcp|sctp.
import socket, sys, time

LIFETIME = 240
role, fam, proto, addr, port = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
af = socket.AF_INET6 if fam == "6" else socket.AF_INET
ipproto = socket.IPPROTO_SCTP if proto == "sctp" else socket.IPPROTO_TCP
held = []
if role == "serve":
    mode = sys.argv[6]
    s = socket.socket(af, socket.SOCK_STREAM, ipproto)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(128)
    s.settimeout(1)
    end = time.time() + LIFETIME
    while time.time() < end:
        try:
            c, _ = s.accept()
        except socket.timeout:
            continue
        if mode == "close":
            c.close()
        else:
            held.append(c)
else:
    n, mode = int(sys.argv[6]), sys.argv[7]
    for _ in range(n):
        c = socket.socket(af, socket.SOCK_STREAM, ipproto)
        c.settimeout(1)
        try:
            c.connect((addr, port))
            if mode == "halfclose":
                c.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        held.append(c)
    print("connected", flush=True)
    time.sleep(LIFETIME)
