#!/bin/bash
# Every parser's fuzzer (tests/fuzz) for a few seconds, from its seed
# corpus: each checks its parser's contract, not only crashes.
# make fuzz runs them longer.
set -euo pipefail
if [[ -n ${SANITIZER:-} ]]; then
    echo "the fuzzers are built with their own sanitizers (ASan+UBSan)," \
         "in the plain build only"
    exit 77
fi
if ! ls "$BUILD"/fuzz/fuzz-* >/dev/null 2>&1; then
    echo "no fuzzers built: clang's libFuzzer runtime is not installed" \
         "(Debian: clang libclang-rt-14-dev)"
    exit 77
fi
"$ROOT"/tests/fuzz/run.sh "$BUILD" "${FUZZ_CHECK_TIME:-3}"
