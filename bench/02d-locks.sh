#!/bin/bash
# bench/02d-locks.sh: chapter 2's reader-writer locks.  rwlock-table's
# lookups per second with a mutex and with glibc's rwlock, 1 and 2
# readers (5 alternating runs each); then writer starvation: 4 readers
# and a writer making 1000000 updates, with the default rwlock (prefers
# readers) and one that prefers writers (3 runs each), recording the
# share of the updates made while the readers ran.
# Env: BIN (programs), RESULTS (folder for the JSON that bench/collect
# writes; without it, a scratch folder), QUICK (fewer lookups).
set -euo pipefail
BIN=${BIN:-build/bin}
[[ -n ${RESULTS:-} ]] || { RESULTS=$(mktemp -d); scratch=$RESULTS; }
export BIN RESULTS
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"      # record, collect
trap 'rm -rf ${scratch:-}' EXIT
n=500000; runs=5; u=1000000
[[ -n ${QUICK:-} ]] && { n=100000; runs=3; u=200000; }
samples_start 02d-locks
machine
echo "rwlock-table, $n lookups per reader, $runs runs"
for ((i = 0; i < runs; i++)); do
    for lock in mutex rwlock; do
        for w in 1 2; do
            out=$("$BIN/rwlock-table" -l $lock -w $w -n $n)
            rate=$(sed -n 's/.* \([0-9.]*\) M lookups\/s$/\1/p' <<<"$out")
            record 02d-locks name=$lock-$w lock=$lock readers=$w \
                lookups="$n" -- lookups_per_s="$rate"
            echo "$out"
        done
    done
done
echo "writer starvation: 4 readers, $((n / 5)) lookups each, $u updates"
for ((i = 0; i < 3; i++)); do
    for lock in rwlock writer; do
        out=$("$BIN/rwlock-table" -l $lock -w 4 -n $((n / 5)) -u $u)
        during=$(sed -n 's/^writer: [0-9]* updates, \([0-9]*\) while.*/\1/p' \
                 <<<"$out")
        record 02d-locks name=starve-$lock lock=$lock readers=4 \
            updates="$u" -- during_pct="$(awk -v d="$during" -v u="$u" \
                                          'BEGIN {print 100 * d / u}')"
        echo "$out"
    done
done
collect 02d-locks
