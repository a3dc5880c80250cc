#!/bin/bash
# Issue 14: crunch-uv -w 1024 on a tiny file. Every piece costs a station
# table; cutting an 18-byte file into 4 * 1024 pieces took some 260 MB.
# The pieces are now at least a mebibyte (beyond the first), so the run
# needs little more than the pool's 1024 threads. The memory is the
# kernel's count of the process's peak resident set (GNU time's %M), not
# a timing; a sanitizer's shadow memory makes it meaningless there.
set -euo pipefail
: "${BIN:?}" "${TMP:?}"
. "$ROOT/tests/support/lib.sh"
[[ -x $BIN/crunch-uv ]] || { echo "skip: no $BIN/crunch-uv"; exit 77; }
[[ -x /usr/bin/time ]] || { echo "skip: no GNU time"; exit 77; }
[[ -z ${SANITIZER:-} ]] || { echo "skip: memory under a sanitizer"; exit 77; }
printf 'a;1.0\nb;2.0\nc;3.0\n' > "$TMP/tiny.txt"
/usr/bin/time -f '%M' -o "$TMP/rss" "$BIN/crunch-uv" -w 1024 \
    "$TMP/tiny.txt" > "$TMP/out"
[[ $(cat "$TMP/out") == "{a=1.0/1.0/1.0, b=2.0/2.0/2.0, c=3.0/3.0/3.0}" ]] ||
    fail "output: $(cat "$TMP/out")"
rss=$(tail -n 1 "$TMP/rss")
# 1024 threads touch some stack each; 4096 tables would be ten times this.
(( rss < 100000 )) || fail "crunch-uv -w 1024 on 18 bytes: peak RSS $rss KB, expected under 100000 KB"
echo "ok: peak RSS $rss KB"
