"""tests/support/echo-pause-term.py PORT PID: the client half of
tests/prog/04b-echo-faults.sh. Connects to the echo server PID on
127.0.0.1:PORT and sends without reading until the server has paused it
(backpressure) and every buffer on the way is full; stops the server
(SIGSTOP); reads all the kernel holds; then sends SIGTERM and SIGCONT
together, so that the queued writes and the signal meet in one poll."""
import os
import select
import signal
import socket
import sys

port, pid = int(sys.argv[1]), int(sys.argv[2])
s = socket.create_connection(("127.0.0.1", port))
s.setblocking(False)
block = b"x" * 65536
# Send until the socket stays unwritable for 3 s.
while True:
    try:
        s.send(block)
        continue
    except BlockingIOError:
        pass
    if not select.select([], [s], [], 3.0)[1]:
        break
os.kill(pid, signal.SIGSTOP)
# Read all that the kernel holds for us, until nothing more comes.
while select.select([s], [], [], 1.0)[0]:
    if not s.recv(1 << 20):
        break
os.kill(pid, signal.SIGTERM)
os.kill(pid, signal.SIGCONT)
