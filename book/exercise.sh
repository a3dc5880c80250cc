#!/bin/bash
# book/exercise.sh: the reader's exercise workspace and its grader.
#
#   book/exercise.sh BUILD setup          copy every starter into exercises/ (never overwrites)
#   book/exercise.sh BUILD check EX       grade exercises/ex-EX.c: test, repeated runs, sanitizers
#   book/exercise.sh BUILD hint EX        print the next hint of exercise EX
#   book/exercise.sh BUILD status         every exercise: done / not yet / not started
#   book/exercise.sh BUILD reset EX       restore the starter (the old file is kept as .bak)
#
# The Makefile calls it as make exercises, make exercise EX=2.1,
# make exercise-hint EX=2.1, make exercise-status, make exercise-reset EX=2.1.
set -uo pipefail
build=${1:?usage: book/exercise.sh BUILD setup|check|hint|status|reset [EX]}
cmd=${2:-}
ex=${3:-}
ws=${EXERCISES_DIR:-exercises}
runs=${EXERCISE_RUNS:-5}

bold=$'\e[1m' red=$'\e[31m' green=$'\e[32m' off=$'\e[0m'
[[ -t 1 ]] || bold='' red='' green='' off=''
say()  { printf '%s\n' "$*"; }
fail() { printf '%s%s%s\n' "$red" "$*" "$off" >&2; exit 1; }

# Every exercise, as N.M, sorted by chapter then number.
all_exercises() {
    local f
    for f in tangle/*/ex-*-starter.c; do
        [[ -e $f ]] && echo "$f"
    done | sed 's|.*/ex-\(.*\)-starter\.c|\1|' | sort -t. -k1,1n -k2,2n
}
# The chapter that holds exercise N.M's starter.
chapter_of() {   # chapter_of N.M
    local srcs=(tangle/*/ex-"$1"-starter.c) src
    src=${srcs[0]}
    [[ -e $src ]] && echo "chapters/$(basename "$(dirname "$src")").nw"
}
need_ex() {
    [[ -n $ex ]] || fail "say which exercise: EX=2.1 (the list: make exercise-status)"
    [[ $ex =~ ^[0-9]+\.[0-9]+$ ]] || fail "EX=$ex: expected a number like 2.1"
    nw=$(chapter_of "$ex") || fail "there is no exercise $ex (the list: make exercise-status)"
    test_src=tests/exercises/test-ex-$ex.c
    mine=$ws/ex-$ex.c
}

# The exercise's part of its chapter: from its heading to the next heading.
section_of() {   # section_of N.M NWFILE
    awk -v ex="$1" '
        BEGIN { pat = "^#+ .*Exercise " ex "([^0-9]|$)"; gsub(/\./, "\\.", pat) }
        /^#/ { if (inside) exit; if ($0 ~ pat) { inside = 1; next } }
        inside' "$2"
}
statement_of() {  # prose before the first hint or chunk, without edge blank lines
    section_of "$1" "$2" | awk '/^\*\*Hint/ || /^<</ { exit } { print }' \
        | sed 's/\[\[\([^]]*\)\]\]/\1/g; s/@<</<</g' \
        | sed -e '/./,$!d' | tac | sed -e '/./,$!d' | tac
}
hints_of() {      # one hint per paragraph, separated by a line "%%"
    section_of "$1" "$2" | awk '
        /^<</ { code = 1 } /^@( |$)/ { code = 0; next } code { next }
        /^\*\*Hint/ { if (h) print "%%"; h = 1 }
        h && /^$/ { h = 0; print "%%"; next }
        h { print }' | sed 's/\[\[\([^]]*\)\]\]/\1/g; s/@<</<</g; s/\*\*//g'
}

# The reader's copy: tangled without #line, so messages name this file.
write_starter() {   # write_starter N.M DEST
    local nwf=$1 exn=$2 dest=$3
    {
        echo "/* Exercise $exn (from $nwf).  Write the parts marked TODO."
        echo " *"
        statement_of "$exn" "$nwf" | fold -s -w 72 | sed 's/^/ * /; s/ *$//'
        echo " *"
        echo " * Check your work:  make exercise EX=$exn"
        echo " * A hint:           make exercise-hint EX=$exn"
        echo " * Start again:      make exercise-reset EX=$exn"
        echo " */"
        notangle -R"ex-$exn-starter.c" "$nwf"
    } >"$dest"
}

setup() {
    mkdir -p "$ws"
    local n=0 kept=0 e nwf
    for e in $(all_exercises); do
        nwf=$(chapter_of "$e")
        if [[ -e $ws/ex-$e.c ]]; then kept=$((kept+1)); continue; fi
        write_starter "$nwf" "$e" "$ws/ex-$e.c"
        n=$((n+1))
    done
    say "exercises: $n new starter(s) in $ws/, $kept already there left as they are."
    say "Pick one (make exercise-status lists them), edit $ws/ex-N.M.c, then: make exercise EX=N.M"
}

status_of() {   # done | not yet | not started
    local e=$1 f=$ws/ex-$1.c
    [[ -e $f ]] || { echo "not started"; return; }
    if [[ -e $ws/.done-$e ]] && [[ $(sha1sum <"$f") == $(cat "$ws/.done-$e") ]]; then echo "done"; return; fi
    local nwf tmp
    nwf=$(chapter_of "$e")
    tmp=$(mktemp); write_starter "$nwf" "$e" "$tmp"
    if cmp -s "$tmp" "$f"; then echo "not started"; else echo "not yet"; fi
    rm -f "$tmp"
}

status() {
    local e ch=0 st
    [[ -n $(all_exercises) ]] || { say "No exercises yet."; return; }
    for e in $(all_exercises); do
        if [[ ${e%%.*} != "$ch" ]]; then ch=${e%%.*}; say "Chapter $ch"; fi
        st=$(status_of "$e")
        case $st in
            done) printf '  %s  %sdone%s\n' "$e" "$green" "$off" ;;
            *)    printf '  %s  %s\n' "$e" "$st" ;;
        esac
    done
}

hint() {
    need_ex
    mkdir -p "$ws"
    local seen=0 total
    [[ -e $ws/.hints-$ex ]] && seen=$(cat "$ws/.hints-$ex")
    total=$(hints_of "$ex" "$nw" | grep -c '^%%$')
    [[ $total -gt 0 ]] || { say "Exercise $ex has no hints."; return; }
    local next=$((seen + 1))
    if [[ $next -gt $total ]]; then next=$total; fi
    hints_of "$ex" "$nw" | awk -v k="$next" '/^%%$/ { n++; next } n == k - 1' | fold -s -w 76
    echo "$next" >"$ws/.hints-$ex"
    if [[ $next -lt $total ]]; then say "(hint $next of $total; run it again for the next)"
    else say "(hint $next of $total, the last; the solution is in the book's appendix)"; fi
}

reset() {
    need_ex
    mkdir -p "$ws"
    [[ -e $mine ]] && cp -f "$mine" "$mine.bak" && say "your old file is kept as $mine.bak"
    write_starter "$nw" "$ex" "$mine"
    rm -f "$ws/.done-$ex" "$ws/.hints-$ex"
    say "$mine is the starter again."
}

# ---- grading ---------------------------------------------------------------
# The compiler, flags and sanitizer settings are the build's (book/build.mk
# exports them; run by hand, this asks it), so that `make CC=clang
# exercise` grades with clang.
build_flags() {
    [[ -n ${BOOK_CC:-} ]] && return 0
    local vars
    vars=$(make -s --no-print-directory -f book/build.mk B="$build" print-flags) ||
        fail "could not ask the build for its flags (make -f book/build.mk print-flags)"
    eval "$vars"
}
# Chapter 5's exercises use MPI: their tests get Open MPI's flags too.
mpi_flags() { grep -q '^#include <mpi.h>' "$test_src" && pkg-config --cflags --libs ompi-c; }
# Exercise 4.7 uses io_uring: its test gets liburing's flags.
uring_flags() { grep -q '^#include <liburing.h>' "$test_src" && pkg-config --cflags --libs liburing; }

compile() {   # compile OUT EXTRA-FLAGS...
    local out=$1; shift
    # shellcheck disable=SC2086,SC2046  # the flag lists are split on purpose
    "$BOOK_CC" $BOOK_CFLAGS -g $BOOK_INCLUDES $BOOK_PKG_CFLAGS "$@" \
        -o "$out" "$test_src" "$mine" "$build/libbook.a" $BOOK_LIBS $(mpi_flags) $(uring_flags)
}

# Show the failing test: from the last test cmocka started to the end
# (the test's name, the failed check, its file and line).
explain() {   # explain LOG
    awk '/^\[ RUN/ { buf = "" } { buf = buf $0 "\n" } END { printf "%s", buf }' "$1" \
        | sed 's/^\[ RUN      \] /in test /; s/^\[   LINE   \] --- /at /' \
        | grep -v '^\[==' | head -n 30 | sed 's/^/    /'
}
trim_sanitizer() {   # the sanitizer's report, cut to the lines about the reader's file
    awk -v f="$mine" '
        /^(WARNING|ERROR): .*Sanitizer/ || /runtime error:/ { print; next }
        /^SUMMARY:/ { print; next }
        index($0, f) { print }
        /^  (Read|Write|Previous|Location|Mutex|Thread)/ { print }' "$1" | head -n 25 | sed 's/^/    /'
}

check() {
    need_ex
    [[ -e $mine ]] || fail "there is no $mine yet: run make exercises first"
    [[ -e $test_src ]] || fail "exercise $ex has no test ($test_src)"
    local dir=$build/exercise/$ex log ok=1
    mkdir -p "$dir"; log=$dir/log
    say "${bold}Exercise $ex${off}: checking $mine"

    # 1. It compiles, warnings as errors: a warning is often the bug.
    build_flags
    if ! compile "$dir/plain" -O1 >"$log" 2>&1; then
        say "${red}✗ it does not compile${off} (warnings count as errors):"
        grep -E 'error|warning' "$log" | head -n 15 | sed 's/^/    /'
        say "Fix the first message first; the others often follow from it."
        return 1
    fi
    say "${green}✓${off} compiles cleanly"

    # 2. The test, run several times: each run has its own seed, which the
    #    test uses to vary thread counts and to insert yields and short
    #    sleeps, so a solution that is only lucky fails some run.
    local i seed failed_run=0 rc=0
    for i in $(seq 1 "$runs"); do
        seed=$((RANDOM * 32768 + RANDOM))
        # CMOCKA_TEST_ABORT: a failed check in a thread aborts at once,
        # instead of jumping back into the main thread's stack.  The braces
        # keep the shell's "Aborted" notice out of the reader's way.
        { EX_SEED=$seed CMOCKA_TEST_ABORT=1 timeout -k 5 60 "$dir/plain" >"$log" 2>&1; } 2>/dev/null
        rc=$?
        if [[ $rc != 0 ]]; then failed_run=$i; break; fi
    done
    if [[ $failed_run != 0 ]]; then
        say "${red}✗ the test fails${off} (run $failed_run of $runs, EX_SEED=$seed):"
        explain "$log"
        case $rc in
            124|137) say "    (it ran for 60 s and was stopped: a deadlock, or a thread that waits for a signal nobody sends?)" ;;
            134) ;;   # a failed check: explained above
            *) [[ $rc -gt 128 ]] && say "    (the test died of signal $((rc - 128)): $(kill -l $((rc - 128)) 2>/dev/null))" ;;
        esac
        say "Run it again yourself:  EX_SEED=$seed $dir/plain"
        say "Stuck?  make exercise-hint EX=$ex"
        return 1
    fi
    say "${green}✓${off} the test passes, $runs runs with different schedules"

    # 3. ThreadSanitizer: a race may give the right answer today.
    # shellcheck disable=SC2086
    if compile "$dir/tsan" -O1 $BOOK_TSAN_FLAGS >"$log" 2>&1; then
        if ! { TSAN_OPTIONS=$BOOK_TSAN_OPTIONS EX_SEED=1 CMOCKA_TEST_ABORT=1 timeout -k 5 300 "$dir/tsan" >"$log" 2>&1; } 2>/dev/null; then
            ok=0
            if grep -q 'ThreadSanitizer' "$log"; then
                say "${red}✗ ThreadSanitizer found a problem${off}:"
                trim_sanitizer "$log"
                say "A data race: two threads touch the same memory, one of them writes, and no lock orders them."
                say "Look at the lines of $mine named above: which lock should both accesses hold?"
            else
                say "${red}✗ the test fails under ThreadSanitizer${off}:"; explain "$log"
            fi
        else
            say "${green}✓${off} ThreadSanitizer: no data race"
        fi
    else
        say "(ThreadSanitizer is not available with this compiler: not checked)"
    fi

    # 4. AddressSanitizer + UBSan: memory errors and leaks.
    # shellcheck disable=SC2086
    if compile "$dir/asan" -O1 $BOOK_ASAN_FLAGS >"$log" 2>&1; then
        if ! { ASAN_OPTIONS=$BOOK_ASAN_OPTIONS UBSAN_OPTIONS=$BOOK_UBSAN_OPTIONS EX_SEED=1 CMOCKA_TEST_ABORT=1 timeout -k 5 300 "$dir/asan" >"$log" 2>&1; } 2>/dev/null; then
            ok=0
            say "${red}✗ AddressSanitizer/UBSan found a problem${off}:"
            trim_sanitizer "$log"
        else
            say "${green}✓${off} AddressSanitizer + UBSan: no memory error, no leak"
        fi
    else
        say "(AddressSanitizer is not available with this compiler: not checked)"
    fi

    if [[ $ok == 1 ]]; then
        sha1sum <"$mine" >"$ws/.done-$ex"
        say "${green}${bold}Exercise $ex: done.${off} Compare with the solution in the book's appendix."
        return 0
    fi
    rm -f "$ws/.done-$ex"
    return 1
}

case $cmd in
    setup) setup ;;
    check) check ;;
    hint) hint ;;
    status) status ;;
    reset) reset ;;
    *) fail "usage: book/exercise.sh BUILD setup|check EX|hint EX|status|reset EX" ;;
esac
