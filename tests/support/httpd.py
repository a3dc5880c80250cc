#!/usr/bin/env python3
"""tests/support/httpd.py: a small slow HTTP/1.1 server for the fetch tests.

The same interface as the book's slowhttpd (chapter 4), for use until
that exists:

    httpd.py [-a ADDR] [-p PORT] [-i IDLE_MS]

Listens on ADDR (default 127.0.0.1), port PORT (0 = any); the first line
on stdout is the port number alone, then stdout is flushed. Keep-alive.
GET /<anything>?delay=MS&size=N answers after MS ms with 200 and N bytes
of body (Content-Length); &chunked=1 sends the body chunked; &close=1
sends no length and closes after the body; &bad=1 sends a malformed
status line; &truncate=1 promises N bytes and closes after N/2.
GET /stats answers "connections=C max_connections=M requests=R\\n".
Malformed request: 400 and close; header over 8 KiB: 431 and close; an
idle client is closed after IDLE_MS (default 10000). SIGINT and SIGTERM
stop it cleanly (exit 0).
"""
import argparse
import signal
import socket
import socketserver
import sys
import threading
import time
from urllib.parse import parse_qs, urlsplit

HEADER_MAX = 8192
lock = threading.Lock()
stats = {"connections": 0, "max_connections": 0, "requests": 0}


def body_bytes(n):
    pattern = b"0123456789abcdefghijklmnopqrstuvwxyz\n"
    return (pattern * (n // len(pattern) + 1))[:n]


def read_head(rfile):
    """Return the request head's lines, None at EOF, or an int status."""
    lines, total = [], 0
    while True:
        line = rfile.readline(HEADER_MAX + 1)
        if not line:
            return None if not lines and total == 0 else 400
        total += len(line)
        if total > HEADER_MAX:
            return 431
        if line in (b"\r\n", b"\n"):
            if not lines:
                continue            # tolerate empty lines before a request
            return lines
        lines.append(line.rstrip(b"\r\n"))


class Handler(socketserver.StreamRequestHandler):
    def setup(self):
        super().setup()
        self.request.settimeout(self.server.idle)
        with lock:
            stats["connections"] += 1
            stats["max_connections"] = max(stats["max_connections"],
                                           stats["connections"])

    def finish(self):
        with lock:
            stats["connections"] -= 1
        try:
            super().finish()
        except OSError:
            pass

    def handle(self):
        try:
            while self.one_request():
                pass
        except (OSError, socket.timeout):
            pass

    def send(self, data):
        self.wfile.write(data)
        self.wfile.flush()

    def error(self, status, reason):
        self.send(b"HTTP/1.1 %d %s\r\nContent-Length: 0\r\n"
                  b"Connection: close\r\n\r\n" % (status, reason))
        return False

    def one_request(self):
        head = read_head(self.rfile)
        if head is None:
            return False
        if head == 431:
            return self.error(431, b"Request Header Fields Too Large")
        parts = head[0].split(b" ") if head != 400 else []
        if len(parts) != 3 or not parts[2].startswith(b"HTTP/1."):
            return self.error(400, b"Bad Request")
        with lock:
            stats["requests"] += 1
        keep = not any(h.lower().replace(b" ", b"") == b"connection:close"
                       for h in head[1:])
        url = urlsplit(parts[1].decode("latin-1"))
        if url.path == "/stats":
            with lock:
                text = "connections=%d max_connections=%d requests=%d\n" % (
                    stats["connections"], stats["max_connections"],
                    stats["requests"])
            return self.reply(text.encode(), {}, keep)
        q = {k: v[-1] for k, v in parse_qs(url.query).items()}
        try:
            delay = int(q.get("delay", "0"))
            size = int(q.get("size", "0"))
        except ValueError:
            return self.error(400, b"Bad Request")
        if delay > 0:
            time.sleep(delay / 1000)
        return self.reply(body_bytes(size), q, keep)

    def reply(self, body, q, keep):
        if q.get("bad") == "1":
            self.send(b"HTTP/1.1 two hundred OK\r\n\r\n")
            return False
        if q.get("truncate") == "1":
            self.send(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n"
                      % len(body) + body[:len(body) // 2])
            return False
        if q.get("close") == "1":
            self.send(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + body)
            return False
        conn = b"" if keep else b"Connection: close\r\n"
        if q.get("chunked") == "1":
            out = [b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
                   + conn + b"\r\n"]
            for i in range(0, len(body), 1000):
                piece = body[i:i + 1000]
                out.append(b"%x;piece=%d\r\n" % (len(piece), i // 1000)
                           + piece + b"\r\n")
            out.append(b"0\r\nX-Trailer: yes\r\n\r\n")
            self.send(b"".join(out))
        else:
            self.send(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n"
                      % len(body) + conn + b"\r\n" + body)
        return keep


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 1024


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-a", default="127.0.0.1", metavar="ADDR")
    ap.add_argument("-p", type=int, default=8080, metavar="PORT")
    ap.add_argument("-i", type=int, default=10000, metavar="IDLE_MS")
    args = ap.parse_args()
    family = socket.AF_INET6 if ":" in args.a else socket.AF_INET
    Server.address_family = family
    server = Server((args.a, args.p), Handler)
    server.idle = args.i / 1000
    print(server.server_address[1], flush=True)

    def stop(signum, frame):
        threading.Thread(target=server.shutdown, daemon=True).start()
    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    server.serve_forever()
    server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
