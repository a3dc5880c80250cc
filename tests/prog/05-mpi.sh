#!/bin/bash
# Chapter 5, "Beyond one machine": count-mpi and crunch-mpi under mpirun.
# crunch-mpi prints exactly what crunch-seq prints for 1 to 4 ranks (and
# more ranks than pieces), on generated data and on 10,000 stations, with
# shared memory and with TCP only; a rank killed with SIGKILL makes mpirun
# fail with a message, and a restart from the checkpoints completes the
# job to the same bytes; usage errors exit 2 with the usage line.
set -euo pipefail
. "$ROOT/tests/support/lib.sh"
need_programs count-mpi crunch-mpi crunch-seq gen-data
command -v mpirun >/dev/null || { echo "skip: no mpirun (openmpi-bin)"; exit 77; }
# As root, Open MPI wants to be told twice; more ranks than cores need
# oversubscription.  Both as environment variables, as the chapter says.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_rmaps_base_oversubscribe=1
# Under AddressSanitizer, Open MPI's own allocations that it never frees
# are not ours to report: tests/support/lsan-openmpi.supp says which, and
# why the full (slow) unwinder is needed for them to match.
export LSAN_OPTIONS="suppressions=$ROOT/tests/support/lsan-openmpi.supp print_suppressions=0 ${LSAN_OPTIONS:-}"
export ASAN_OPTIONS="${ASAN_OPTIONS:-} fast_unwind_on_malloc=0"
rows=200000
[[ -n ${SANITIZER:-} ]] && rows=30000

same() {     # same LABEL WANT GOT
    cmp -s "$2" "$3" || { echo "FAIL: $1: output differs from crunch-seq" >&2;
        diff <(tr , '\n' < "$2") <(tr , '\n' < "$3") | head >&2; exit 1; }
}
mpi() { mpirun -n "$@"; }

# --help and usage errors, without mpirun and with it.
for p in count-mpi crunch-mpi; do
    expect 0 "$BIN/$p" --help
    grep -q "^Usage: $p " "$TMP/out" || fail "$p --help: $(cat "$TMP/out")"
done
for args in "" "a b" "-x a" "-p 0 a" "-p x a" "-p" "-c"; do
    # shellcheck disable=SC2086
    expect 2 "$BIN/crunch-mpi" $args
    grep -q '^Usage: crunch-mpi ' "$TMP/err" || fail "crunch-mpi $args: $(cat "$TMP/err")"
done
expect 2 "$BIN/count-mpi" -n 0
expect 2 "$BIN/count-mpi" extra
set +e; mpi 2 "$BIN/crunch-mpi" -x a > "$TMP/out" 2> "$TMP/err"; rc=$?; set -e
[[ $rc != 0 ]] || fail "mpirun -n 2 crunch-mpi -x: exit 0"
grep -q '^Usage: crunch-mpi ' "$TMP/err" || fail "mpirun, usage: $(cat "$TMP/err")"

# count-mpi: every rank counts, and names itself.
expect 0 mpi 3 "$BIN/count-mpi" -n 2 -d 0
for r in 0 1 2; do
    grep -qE "^rank $r of 3 runs on [^ ]+ \(pid [1-9][0-9]*\)$" "$TMP/out" \
        || fail "count-mpi: rank $r does not name its host and pid"
    for i in 1 2; do
        grep -qx "rank $r of 3: $i" "$TMP/out" || fail "count-mpi: no 'rank $r of 3: $i'"
    done
done
[[ $(wc -l < "$TMP/out") == 9 ]] || fail "count-mpi: $(cat "$TMP/out")"

# crunch-mpi == crunch-seq, byte for byte.
"$BIN/gen-data" -n $rows -s 11 -o "$TMP/d.txt"
"$BIN/crunch-seq" "$TMP/d.txt" > "$TMP/want"
expect 0 "$BIN/crunch-mpi" "$TMP/d.txt"          # a singleton
same "singleton" "$TMP/want" "$TMP/out"
for n in 1 2 3 4; do
    expect 0 mpi $n "$BIN/crunch-mpi" "$TMP/d.txt"
    same "$n ranks" "$TMP/want" "$TMP/out"
    [[ ! -s $TMP/err ]] || fail "$n ranks wrote to stderr: $(cat "$TMP/err")"
done
expect 0 mpi 3 "$BIN/crunch-mpi" -p 10 "$TMP/d.txt"
same "3 ranks, 10 pieces" "$TMP/want" "$TMP/out"
expect 0 mpi 4 --mca btl tcp,self "$BIN/crunch-mpi" "$TMP/d.txt"
same "4 ranks over TCP" "$TMP/want" "$TMP/out"

# More ranks than pieces, and more pieces than lines.
printf 'b;1.0\na;-2.0\nb;3.0' > "$TMP/three.txt"
"$BIN/crunch-seq" "$TMP/three.txt" > "$TMP/want3"
expect 0 mpi 4 "$BIN/crunch-mpi" -p 2 "$TMP/three.txt"
same "4 ranks, 2 pieces" "$TMP/want3" "$TMP/out"
expect 0 mpi 4 "$BIN/crunch-mpi" -p 9 "$TMP/three.txt"
same "4 ranks, 9 pieces, 3 lines" "$TMP/want3" "$TMP/out"
: > "$TMP/empty.txt"
expect 0 mpi 2 "$BIN/crunch-mpi" "$TMP/empty.txt"
[[ $(cat "$TMP/out") == "{}" ]] || fail "empty file: $(cat "$TMP/out")"

# 10,000 stations; 10,001 are refused by rank 0's merge.
"$BIN/gen-data" -n 20000 -k 10000 -s 5 -o "$TMP/k.txt"
"$BIN/crunch-seq" "$TMP/k.txt" > "$TMP/wantk"
for n in 1 2 3 4; do
    expect 0 mpi $n "$BIN/crunch-mpi" "$TMP/k.txt"
    same "10000 stations, $n ranks" "$TMP/wantk" "$TMP/out"
done
"$BIN/gen-data" -n 10001 -k 10001 -s 5 -o "$TMP/k1.txt"
expect 1 mpi 2 "$BIN/crunch-mpi" "$TMP/k1.txt"
grep -qx "crunch-mpi: $TMP/k1.txt: more than 10000 stations" "$TMP/err" \
    || fail "10001 stations: $(cat "$TMP/err")"

# A malformed line is named by file and line, the file's first one,
# whichever rank found it.
first=$((rows * 9 / 20)) second=$((rows * 11 / 20))
sed "${first}s/;/:/; ${second}s/;/ /" "$TMP/d.txt" > "$TMP/bad.txt"
for n in 1 2 3; do
    expect 1 mpi $n "$BIN/crunch-mpi" "$TMP/bad.txt"
    grep -qx "crunch-mpi: $TMP/bad.txt:$first: malformed line" "$TMP/err" \
        || fail "$n ranks, bad lines $first and $second: $(cat "$TMP/err")"
    [[ ! -s $TMP/out ]] || fail "a result for a bad file"
done
expect 1 mpi 2 "$BIN/crunch-mpi" "$TMP/no-such-file"
grep -q "no-such-file: No such file or directory" "$TMP/err" \
    || fail "missing file: $(cat "$TMP/err")"

# A rank killed with SIGKILL: mpirun kills the job, says so, and fails.
set +e
CRUNCH_MPI_KILL_PIECE=2 mpi 2 "$BIN/crunch-mpi" "$TMP/d.txt" \
    > "$TMP/out" 2> "$TMP/err"; rc=$?
set -e
[[ $rc != 0 ]] || fail "a killed rank: mpirun exited 0"
grep -q "process rank 1 .* exited on signal 9" "$TMP/err" \
    || fail "a killed rank: no message: $(cat "$TMP/err")"
[[ ! -s $TMP/out ]] || fail "a killed rank: a result was printed"

# The same with checkpoints, then a restart on another number of ranks.
mkdir "$TMP/ck"
set +e
CRUNCH_MPI_KILL_PIECE=6 mpi 2 "$BIN/crunch-mpi" -p 8 -c "$TMP/ck" \
    "$TMP/d.txt" > "$TMP/out" 2> "$TMP/err"; rc=$?
set -e
[[ $rc != 0 ]] || fail "killed with checkpoints: mpirun exited 0"
[[ -s $TMP/ck/piece-2-of-8 && -s $TMP/ck/piece-4-of-8 ]] \
    || fail "rank 1's checkpoints before piece 6 are missing: $(ls "$TMP/ck")"
[[ ! -e $TMP/ck/piece-6-of-8 ]] || fail "piece 6 was saved"
saved=$(find "$TMP/ck" -name 'piece-*-of-8' | wc -l)
expect 0 mpi 3 "$BIN/crunch-mpi" -p 8 -c "$TMP/ck" "$TMP/d.txt"
same "restart from checkpoints" "$TMP/want" "$TMP/out"
grep -qx "crunch-mpi: $saved of 8 pieces read from checkpoints" "$TMP/err" \
    || fail "restart ($saved saved): $(cat "$TMP/err")"
[[ $(find "$TMP/ck" -name 'piece-*-of-8' | wc -l) == 8 ]] \
    || fail "after the restart: $(ls "$TMP/ck")"
[[ -z $(find "$TMP/ck" -name '*.tmp') ]] || fail "temporary files left"
# A third run reads everything back, with one rank.
expect 0 "$BIN/crunch-mpi" -p 8 -c "$TMP/ck" "$TMP/d.txt"
same "all from checkpoints" "$TMP/want" "$TMP/out"
grep -qx "crunch-mpi: 8 of 8 pieces read from checkpoints" "$TMP/err" \
    || fail "all from checkpoints: $(cat "$TMP/err")"
# A checkpoint that is not one is refused, never merged.
printf 'junk' > "$TMP/ck/piece-3-of-8"
expect 1 "$BIN/crunch-mpi" -p 8 -c "$TMP/ck" "$TMP/d.txt"
grep -q "piece-3-of-8: not a checkpoint" "$TMP/err" || fail "junk: $(cat "$TMP/err")"
expect 1 "$BIN/crunch-mpi" -p 8 -c "$TMP/no/such/dir" "$TMP/d.txt"
grep -q "cannot create .*No such file or directory" "$TMP/err" \
    || fail "missing folder: $(cat "$TMP/err")"
echo "ok: count-mpi, crunch-mpi ($rows rows)"
