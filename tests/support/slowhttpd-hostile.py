"""tests/support/slowhttpd-hostile.py STEP PORT [PID]: the clients of
tests/prog/04b-slowhttpd-faults.sh, against a slowhttpd on
127.0.0.1:PORT started with -i 1000. Exit 0 when the server behaved.

trickle  a request head a byte every 0.2 s, then blank lines: the server
         must close each connection long before the last byte
reset    a request waiting on a 60 s delay, then reset: /stats must show
         it gone well before 60 s
term     two requests waiting and an endless body being written, then
         SIGTERM to PID: every connection must be closed"""
import os
import signal
import socket
import struct
import sys
import time

step, port = sys.argv[1], int(sys.argv[2])


def trickle_one(data, label):
    s = socket.create_connection(("127.0.0.1", port))
    for i, b in enumerate(data):
        try:
            s.send(bytes([b]))
        except (BrokenPipeError, ConnectionResetError):
            print(f"{label}: closed by the server after {i} bytes")
            return
        s.settimeout(0.2)
        try:
            if s.recv(4096) == b"":
                print(f"{label}: closed by the server after {i + 1} bytes")
                return
            sys.exit(f"FAIL: {label}: the server answered after {i + 1} bytes")
        except socket.timeout:
            pass
        except ConnectionResetError:
            print(f"{label}: reset by the server after {i + 1} bytes")
            return
    sys.exit(f"FAIL: {label}: still open after all {len(data)} bytes")


def trickle():
    trickle_one(b"GET /?size=1 HTTP/1.1\r\nHost: x\r\nX-Pad: " + b"p" * 54
                + b"\r\n\r\n", "a head a byte at a time")
    trickle_one(b"\r\n" * 50, "blank lines")


def stats():
    t = socket.create_connection(("127.0.0.1", port))
    t.sendall(b"GET /stats HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    data = b""
    while True:
        d = t.recv(4096)
        if not d:
            break
        data += d
    t.close()
    return data.decode()


def wait_stats(text, tries):
    for _ in range(tries):
        if text in stats():
            return True
        time.sleep(0.1)
    return False


def reset():
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"GET /?delay=60000 HTTP/1.1\r\nHost: x\r\n\r\n")
    if not wait_stats("connections=2 ", 300):
        sys.exit("FAIL: the delayed request never showed in /stats")
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()                         # a reset, not an orderly close
    if not wait_stats("connections=1 ", 300):   # up to 30 s, half the delay
        sys.exit(f"FAIL: the reset connection is still held: {stats()}")
    print("reset during the delay: connection released")


def term():
    pid = int(sys.argv[3])
    conns = []
    for target in ("/?delay=60000", "/?delay=60000", "/?size=1000000000000"):
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(f"GET {target} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        conns.append(s)
    conns[2].recv(4096)               # the body has started
    os.kill(pid, signal.SIGTERM)
    for s in conns:                   # every connection is closed
        s.settimeout(60)
        try:
            while s.recv(1 << 20):
                pass
        except ConnectionResetError:
            pass


{"trickle": trickle, "reset": reset, "term": term}[step]()
