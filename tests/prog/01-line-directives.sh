#!/bin/bash
# 01-line-directives.sh: chapter 1 shows the message GCC gives when a
# format string in ground-demo does not match its argument; the message
# names the line of the chapter (thanks to notangle -L and #line) and
# comes from the GR_PRINTF attribute.  tests/support/runs/format-slip.sh
# makes the same slip in a copy of the chapter and compiles it; this test
# checks that the message names the line of the slip.  (That the book
# shows this very message is checked with every other shown run, by
# tests/book/transcripts.sh: the block {#ground-demo-format-error}.)
set -euo pipefail
: "${TMP:?}" "${ROOT:?}"
command -v gcc >/dev/null || { echo "skipped: no gcc"; exit 77; }
nw=chapters/01-introduction.nw
bad_line=$(grep -nF 'say("step %ld of %ld\n", i, steps);' "$ROOT/$nw" | cut -d: -f1)
[[ -n $bad_line ]] || { echo "no step line in $nw"; exit 1; }
got=$(TMPDIR=$TMP "$ROOT/tests/support/runs/format-slip.sh")
[[ $got == "$nw:$bad_line:"*": error: format '%d' expects argument of type 'int'"* ]] ||
    { echo "expected an error at $nw:$bad_line about %d, got:"; echo "  $got"; exit 1; }
echo "ok: $got"
