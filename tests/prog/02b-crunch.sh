#!/bin/bash
# Chapter 2, "No GIL here": crunch-seq and crunch-threads, and gen-data
# (the workloads appendix) that makes their files.
# The crunchers must agree byte for byte with each other and with an
# independent aggregator (tests/support/agg.py), reject malformed input
# with file:line, and behave as every program of the book does.
set -euo pipefail
. "$ROOT/tests/support/lib.sh"
need_programs gen-data crunch-seq crunch-threads
command -v python3 >/dev/null || { echo "skip: no python3"; exit 77; }
AGG=$ROOT/tests/support/agg.py
rows=200000
[[ -n ${SANITIZER:-} ]] && rows=30000

same() {  # same LABEL WANT GOT
    cmp -s "$2" "$3" || { echo "FAIL: $1: output differs" >&2;
        diff <(tr , '\n' < "$2") <(tr , '\n' < "$3") | head >&2; exit 1; }
}

# --help and usage errors.
check_cli crunch-seq "" "a b" "-x a"
check_cli crunch-threads "-w 0 a" "-w 257 a" "-w x a" "-w" "-p 0 a" "-p x a"
check_cli gen-data "-o -" "-n 10" "-n -1 -o -" "-n 10 -k 0 -o -"
# One usage error, one message: getopt must not print one of its own
# (issue 14: crunch-seq -w 2 printed two).
expect 2 "$BIN/crunch-seq" -w 2
[[ $(cat "$TMP/err") == "crunch-seq: unknown option -w
Usage: crunch-seq FILE" ]] || fail "crunch-seq -w 2: stderr: $(cat "$TMP/err")"

# gen-data is deterministic, and the same on every machine.
"$BIN/gen-data" -n 1000 -s 7 -o "$TMP/a"
"$BIN/gen-data" -n 1000 -s 7 -o - > "$TMP/b"
cmp -s "$TMP/a" "$TMP/b" || fail "gen-data -s 7 twice: different files"
"$BIN/gen-data" -n 1000 -s 8 -o "$TMP/c"
cmp -s "$TMP/a" "$TMP/c" && fail "gen-data -s 7 and -s 8: same file"
sum=$(sha256sum < "$TMP/a" | cut -d' ' -f1)
[[ $sum == 95750e0029654e43ce3277dc04968440de10a4f6f61374fdbd9a6c4a9a3ce132 ]] \
    || fail "gen-data -n 1000 -s 7: sha256 $sum differs from the book's"
"$BIN/gen-data" -n 0 -o "$TMP/empty"
[[ ! -s $TMP/empty ]] || fail "gen-data -n 0 wrote something"

# The crunchers agree with each other and with agg.py.
"$BIN/gen-data" -n $rows -s 42 -o "$TMP/d.txt"
"$BIN/crunch-seq" "$TMP/d.txt" > "$TMP/want"
python3 "$AGG" "$TMP/d.txt" > "$TMP/agg"
same "crunch-seq vs agg.py" "$TMP/agg" "$TMP/want"
[[ $(grep -o '=' "$TMP/want" | wc -l) == 495 ]] \
    || fail "expected 495 stations"
for w in 1 2 3 8; do
    expect 0 "$BIN/crunch-threads" -w $w "$TMP/d.txt"
    same "crunch-threads -w $w" "$TMP/want" "$TMP/out"
    [[ ! -s $TMP/err ]] || fail "-w $w wrote to stderr: $(cat "$TMP/err")"
done
# One piece per thread, fewer pieces than threads, many small pieces.
for wp in "2 2" "4 1" "3 3" "2 97" "8 1000"; do
    # shellcheck disable=SC2086  # the arguments are split on purpose
    set -- $wp
    expect 0 "$BIN/crunch-threads" -w "$1" -p "$2" "$TMP/d.txt"
    same "crunch-threads -w $1 -p $2" "$TMP/want" "$TMP/out"
done

# Two bad lines, one late in the first half, one early in the second:
# with -p 2 both threads find one, and the earlier must be reported, as
# crunch-seq reports it, whichever thread found it.
first=$((rows * 9 / 20)) second=$((rows * 11 / 20))
sed "${first}s/;/:/; ${second}s/;/ /" "$TMP/d.txt" > "$TMP/d2.txt"
for cmd in crunch-seq "crunch-threads -w 2 -p 2" "crunch-threads -w 2" \
           "crunch-threads -w 3 -p 500"; do
    # shellcheck disable=SC2086  # the command is split on purpose
    expect 1 $BIN/$cmd "$TMP/d2.txt"
    grep -qx "${cmd%% *}: $TMP/d2.txt:$first: malformed line" "$TMP/err" \
        || fail "$cmd, bad lines $first and $second: $(cat "$TMP/err")"
done

# Malformed input names the file and the line.
bad() {  # bad LINE CONTENT: a file whose line LINE is bad
    local line=$1; printf '%b' "$2" > "$TMP/bad.txt"
    for cmd in crunch-seq "crunch-threads -w 1" "crunch-threads -w 3"; do
        # shellcheck disable=SC2086  # the command is split on purpose
        expect 1 $BIN/$cmd "$TMP/bad.txt"
        local p=${cmd%% *}
        grep -qx "$p: $TMP/bad.txt:$line: malformed line" "$TMP/err" \
            || fail "$cmd on '$2': $(cat "$TMP/err")"
        [[ ! -s $TMP/out ]] || fail "$cmd printed a result for '$2'"
    done
}
bad 2 'a;1.0\nno semicolon\nb;2.0\n'
bad 3 'a;1.0\nb;2.0\nc;1.25\n'
bad 1 'a;12\n'
bad 1 'a;100.0\n'
bad 2 'a;1.0\nb;x\n'
bad 2 'a;1.0\n;2.0\n'
bad 1 'a;1.0\r\n'
bad 4 'a;1.0\nb;1.0\nc;1.0\nd;1.0 junk\ne;1.0\n'
bad 2 "a;1.0\n$(printf 'n%.0s' {1..101});1.0\n"
bad 5 'a;1.0\nb;1.0\nc;1.0\nd;1.0\nno semicolon and no newline'

# Documented behaviour: empty file, last line without newline, long names.
: > "$TMP/empty.txt"
for cmd in crunch-seq "crunch-threads -w 4"; do
    # shellcheck disable=SC2086  # the command is split on purpose
    expect 0 $BIN/$cmd "$TMP/empty.txt"
    [[ $(cat "$TMP/out") == "{}" ]] || fail "$cmd on empty: $(cat "$TMP/out")"
done
printf 'b;1.0\na;-2.0' > "$TMP/nonl.txt"
for cmd in crunch-seq "crunch-threads -w 2"; do
    # shellcheck disable=SC2086  # the command is split on purpose
    expect 0 $BIN/$cmd "$TMP/nonl.txt"
    [[ $(cat "$TMP/out") == "{a=-2.0/-2.0/-2.0, b=1.0/1.0/1.0}" ]] \
        || fail "$cmd without final newline: $(cat "$TMP/out")"
done
long=$(printf 'ü%.0s' {1..50})      # 100 bytes
printf '%s;1.0\n%s;3.0\n' "$long" "$long" > "$TMP/long.txt"
expect 0 "$BIN/crunch-seq" "$TMP/long.txt"
[[ $(cat "$TMP/out") == "{$long=1.0/2.0/3.0}" ]] || fail "100-byte name"

# 10,000 stations work; 10,001 are refused.
"$BIN/gen-data" -n 20000 -k 10000 -s 5 -o "$TMP/k10000.txt"
"$BIN/crunch-seq" "$TMP/k10000.txt" > "$TMP/want"
[[ $(grep -o '=' "$TMP/want" | wc -l) == 10000 ]] || fail "not 10000 stations"
python3 "$AGG" "$TMP/k10000.txt" > "$TMP/agg"
same "10000 stations vs agg.py" "$TMP/agg" "$TMP/want"
expect 0 "$BIN/crunch-threads" -w 3 "$TMP/k10000.txt"
same "crunch-threads, 10000 stations" "$TMP/want" "$TMP/out"
"$BIN/gen-data" -n 10001 -k 10001 -s 5 -o "$TMP/k10001.txt"
for cmd in crunch-seq "crunch-threads -w 1" "crunch-threads -w 2"; do
    # shellcheck disable=SC2086  # the command is split on purpose
    expect 1 $BIN/$cmd "$TMP/k10001.txt"
    grep -qx "${cmd%% *}: $TMP/k10001.txt: more than 10000 stations" \
        "$TMP/err" || fail "$cmd, 10001 stations: $(cat "$TMP/err")"
done

# Runtime failures: exit 1 with strerror.
for cmd in crunch-seq "crunch-threads -w 2"; do
    # shellcheck disable=SC2086  # the command is split on purpose
    expect 1 $BIN/$cmd "$TMP/no-such-file"
    grep -q "no-such-file: No such file or directory" "$TMP/err" \
        || fail "$cmd, missing file: $(cat "$TMP/err")"
    # shellcheck disable=SC2086  # the command is split on purpose
    expect 1 $BIN/$cmd "$TMP"
    grep -q "Is a directory" "$TMP/err" || fail "$cmd, dir: $(cat "$TMP/err")"
    if [[ -w /dev/full ]]; then
        rc=0
        # shellcheck disable=SC2086  # the command is split on purpose
        $BIN/$cmd "$TMP/d.txt" > /dev/full 2> "$TMP/err" || rc=$?
        [[ $rc == 1 ]] || fail "$cmd > /dev/full exited $rc"
    fi
done
expect 1 "$BIN/gen-data" -n 10 -o "$TMP/no/such/dir"
grep -q "No such file or directory" "$TMP/err" || fail "gen-data: $(cat "$TMP/err")"
echo "ok: gen-data, crunch-seq, crunch-threads ($rows rows)"
