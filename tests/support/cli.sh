# tests/support/cli.sh: the command-line conventions every program keeps
# (DESIGN.md, "How every program behaves"), checked the same way for all.
# Sourced by program tests that define fail() and have $BIN and $TMP.
#
# check_cli PROG BAD...: `PROG --help` exits 0 with "Usage: PROG " on
# stdout; each BAD (one string, split into arguments) is a usage error:
# exit 2 and "Usage: PROG " on stderr.
check_cli() {
    local prog=$1 bad rc
    shift
    "$BIN/$prog" --help | grep -q "^Usage: $prog " || fail "$prog --help"
    for bad in "$@"; do
        rc=0
        # shellcheck disable=SC2086  # each BAD is split on purpose
        "$BIN/$prog" $bad > /dev/null 2> "$TMP/cli.err" || rc=$?
        [[ $rc == 2 ]] || fail "$prog $bad: exit $rc, expected 2"
        grep -q "^Usage: $prog " "$TMP/cli.err" ||
            fail "$prog $bad: no usage line on stderr"
    done
}
