# shellcheck shell=bash
# practise.sh [racy|solution]: sourced, as a hidden command, by the blocks
# of chapter 1's practice session ({#practise-1} to {#practise-3}) that
# tests/support/transcripts.py replays in the project folder.
#
# It sets the reader up: the exercises go to a scratch folder (SCRATCH,
# set by the runner), and "make" builds into the test's BUILD folder, as
# the reader types it (not as a sub-make of make check: its level would
# show in make's messages).  With an argument it also makes the reader's
# edit before the block: the body of exercises/ex-2.2.c, below the
# statement the starter opens with, becomes the reference solution of
# exercise 2.2 (solution), or the solution with a racy progress counter
# (racy): it counts every passage through the barrier in a global,
# outside the mutex.  The count does not change what barrier_wait
# returns, so the tests cannot see it; ThreadSanitizer can.
export EXERCISES_DIR=$SCRATCH/exercises
unset MAKELEVEL MAKEFLAGS MFLAGS
make() { command make --no-print-directory B="$BUILD" "$@"; }

practise_edit() {
    local mine=$EXERCISES_DIR/ex-2.2.c solution body header
    solution=$(notangle -R'ex-2.2-solution.c' chapters/92-solutions-threads.nw) || return 1
    case $1 in
      solution) body=$solution ;;
      racy) body=$(python3 "$(dirname "${BASH_SOURCE[0]}")/racy-edit.py" \
                "$solution") || return 1 ;;
      *) echo "practise.sh: racy or solution, not '$1'" >&2; return 2 ;;
    esac
    header=$(sed -n '1,/^ \*\/$/p' "$mine")
    printf '%s\n%s\n' "$header" "$body" > "$mine"
}
if [[ $# -gt 0 ]]; then practise_edit "$1"; fi
