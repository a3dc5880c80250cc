#!/bin/bash
# Issue 14: a file that shrinks after the crunchers mapped it. Reading a
# mapped page past the new end of the file raises SIGBUS; every cruncher
# must end with exit status 1 and a message naming the file, not die of
# the signal in silence. A small LD_PRELOAD shim (tests/support/
# shrink-on-map.c) truncates the file right after it is mapped, so the
# test does not depend on timing.
set -euo pipefail
. "$ROOT/tests/support/lib.sh"
need_programs crunch-seq crunch-threads crunch-procs crunch-uv gen-data
cc=${CC:-cc}
command -v "$cc" > /dev/null || { echo "skip: no C compiler"; exit 77; }
"$cc" -shared -fPIC -O2 -o "$TMP/shrink.so" "$ROOT/tests/support/shrink-on-map.c" -ldl
# The sanitizers' runtimes want to be first; the shim only wraps mmap.
export ASAN_OPTIONS="${ASAN_OPTIONS:-} verify_asan_link_order=0"

for to in 0 65536; do   # page-aligned: the rest of a cut page reads as zeros
    for cmd in "crunch-seq" "crunch-threads -w 2" "crunch-procs -w 2" \
               "crunch-uv -w 2"; do
        "$BIN/gen-data" -n 100000 -s 4 -o "$TMP/d.txt"
        st=0
        # shellcheck disable=SC2086  # cmd is a program and its options
        SHRINK_PATH=$TMP/d.txt SHRINK_TO=$to LD_PRELOAD=$TMP/shrink.so \
            "$BIN/"$cmd "$TMP/d.txt" > "$TMP/out" 2> "$TMP/err" || st=$?
        want="${cmd%% *}: $TMP/d.txt: file shrank while being read"
        [[ $st == 1 ]] ||
            fail "$cmd, file cut to $to bytes: exit $st, expected 1; stderr: $(cat "$TMP/err")"
        grep -qxF "$want" "$TMP/err" ||
            fail "$cmd, cut to $to: stderr '$(cat "$TMP/err")', expected '$want'"
        [[ ! -s $TMP/out ]] || fail "$cmd, cut to $to: printed a result"
    done
done
echo "ok"
