# shellcheck shell=bash
# tests/support/cli.sh: kept for tests not yet moved to tests/support/lib.sh
# (which has check_cli itself); remove once nothing sources it.
# shellcheck source=tests/support/lib.sh
. "${ROOT:?}/tests/support/lib.sh"
