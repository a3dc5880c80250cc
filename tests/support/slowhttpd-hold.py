#!/usr/bin/env python3
"""tests/support/slowhttpd-hold.py PORT: hold two connections to a
server on 127.0.0.1:PORT, one idle and one waiting on a 60 s delay, for
30 s (the test kills it sooner); prints "holding" once both are
connected and the request is sent. Used by tests/prog/04b-slowhttpd.sh to
stop the server with connections open."""
import socket, sys, time
a = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
b = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
b.sendall(b"GET /?delay=60000 HTTP/1.1\r\n\r\n")
print("holding", flush=True)
time.sleep(30)
