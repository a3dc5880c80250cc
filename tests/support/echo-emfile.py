#!/usr/bin/env python3
"""tests/support/echo-emfile.py PORT: 100 clients connect to an echo
server on 127.0.0.1:PORT that may hold only 64 descriptors. Those beyond
the limit must be closed at once (not left hanging), the others served
and still served after; once 20 leave, a new client must be served.
Exit 0 if so. Used by tests/prog/04b-echo.sh."""
import socket, sys, time
port = int(sys.argv[1])
def echo(s, msg):
    s.sendall(msg)
    got = b""
    while len(got) < len(msg):
        b = s.recv(100)
        if not b:
            return "closed"
        got += b
    return "served" if got == msg else "wrong"
def attempt(s, msg):
    try:
        return echo(s, msg)
    except socket.timeout:
        return "hung"
    except OSError:
        return "closed"
socks = []
for i in range(100):
    s = socket.create_connection(("127.0.0.1", port))
    s.settimeout(20)
    socks.append(s)
res = [attempt(s, b"ping %d" % i) for i, s in enumerate(socks)]
served = [s for s, r in zip(socks, res) if r == "served"]
print("served", len(served), "closed", res.count("closed"),
      "hung", res.count("hung"), "wrong", res.count("wrong"))
bad = res.count("hung") + res.count("wrong")
ok = 0 < len(served) < 100 and bad == 0
for s, r in zip(socks, res):
    if r != "served":
        s.close()
for s in served[:20]:
    s.close()
time.sleep(0.5)
for attempt_no in range(50):        # the server sees the closes soon
    new = socket.create_connection(("127.0.0.1", port))
    new.settimeout(20)
    r = attempt(new, b"again")
    if r == "served":
        break
    new.close()
    time.sleep(0.1)
print("a new client after 20 left:", r)
old = [attempt(s, b"more") for s in served[20:]]
print("the old clients:", "all served" if old.count("served") == len(old) else old)
sys.exit(0 if ok and r == "served" and old.count("served") == len(old) else 1)
