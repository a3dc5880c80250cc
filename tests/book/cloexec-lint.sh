#!/bin/bash
# Issue 14: every descriptor a program of the book opens is close-on-exec
# (STYLE.md 11). bench-mem and bench-switch opened pipes, sockets and
# accepted connections without it. This checks the tangled C of every
# chapter (exercise starters and solutions included): pipe() rather than
# pipe2(..., O_CLOEXEC) or frame_pipe, socket() or accept() without
# SOCK_CLOEXEC, open() without O_CLOEXEC, fopen() without "e".
set -euo pipefail
: "${ROOT:?}"
. "$ROOT/tests/support/lib.sh"
cd "$ROOT"
[[ -d tangle ]] || { echo "skip: nothing tangled yet"; exit 77; }
# A call passes if its line, or the next (an fcntl setting FD_CLOEXEC),
# says CLOEXEC.
bad=$(awk '
    function flag() {
        if (held != "" && held !~ /CLOEXEC/ && $0 !~ /CLOEXEC/)
            print where ": " held
        held = ""
    }
    { flag() }
    /^[ \t]*(\/\*|\*)/ { next }
    /(^|[^a-z_0-9])(pipe|accept|socket|open|fopen)\(/ &&
        !/fopen\([^,]*, *"[a-z+]*e[a-z+]*"/ && !/[^a-z_]type[^a-z_]/ {
        held = $0; where = FILENAME ":" FNR
    }
    END { $0 = ""; flag() }' tangle/*/*.c)
[[ -z $bad ]] || fail "descriptors opened without close-on-exec:
$bad"
echo "ok"
