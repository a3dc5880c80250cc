#!/usr/bin/env python3
"""tests/support/echo-noread.py PORT TOTAL: connect to an echo server on
127.0.0.1:PORT and send up to TOTAL bytes without ever reading; stop when
a send blocks for 2 s (the server stopped reading). Prints the bytes
sent. Used by tests/prog/04b-echo.sh to check backpressure."""
import select, socket, sys
port, total = int(sys.argv[1]), int(sys.argv[2])
s = socket.create_connection(("127.0.0.1", port))
s.setblocking(False)
chunk, sent = b"x" * 65536, 0
while sent < total:
    _, w, _ = select.select([], [s], [], 2.0)
    if not w:
        break                 # blocked for 2 s: the server stopped reading
    try:
        sent += s.send(chunk[: total - sent])
    except BlockingIOError:
        pass
print(sent)
