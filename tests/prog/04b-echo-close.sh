#!/bin/bash
# Issue 14, program 2: echo-uv stopped by SIGTERM while a paused client
# has a write that completed in the same turn of the loop. libuv reports
# that write during the close with status 0, and the server must not take
# status 0 to mean the handle is open (the old code resumed reading on the
# closing handle: UV_EINVAL, exit 1). A socket pair cannot be made to free
# its buffer between two writes of one callback, so the test drives echo-
# uv's own functions into that state (tests/support/echo-uv-close.c,
# which includes the tangled echo-uv.c) and lets libuv's close run.
set -euo pipefail
. "$ROOT/tests/support/lib.sh"
cc=${BOOK_CC:?run by tests/run from make}
src=$ROOT/tangle/04b-servers/echo-uv.c
lib=${BUILD:?}/libbook.a
[[ -r $src ]] || fail "$src not tangled"
[[ -r $lib ]] || { echo "skip: $lib not built"; exit 77; }
read -ra flags <<<"$BOOK_CFLAGS $BOOK_OPT $BOOK_INCLUDES $BOOK_PKG_CFLAGS"
read -ra libs <<<"$BOOK_LIBS"
san=()
case ${SANITIZER:-} in
    thread) read -ra san <<<"$BOOK_TSAN_FLAGS" ;;
    address*) read -ra san <<<"$BOOK_ASAN_FLAGS" ;;
esac
(cd "$ROOT" && "$cc" "${flags[@]}" "${san[@]}" \
    -Itangle/04b-servers -o "$TMP/echo-uv-close" \
    tests/support/echo-uv-close.c "$lib" "${libs[@]}") ||
    fail "tests/support/echo-uv-close.c does not build"
expect 0 "$TMP/echo-uv-close"
grep -q '^ok: ' "$TMP/out" || fail "no ok line: $(cat "$TMP/out")"
cat "$TMP/out"
