#!/bin/bash
# transcripts.sh: every shown run of the book, a {.run #id} block in a
# chapter, is replayed by tests/support/transcripts.py against the
# programs just built, and prints what the book shows (exactly, or apart
# from what the block declares may vary).  Ends with "N checked of M
# shown"; a block marked norun= is listed with its reason.
set -uo pipefail
: "${BIN:?}" "${BUILD:?}" "${ROOT:?}" "${TMP:?}"
cd "$ROOT" || exit 1
exec python3 tests/support/transcripts.py chapters/*.nw
