#!/bin/bash
# book/bench.sh BUILD [--quick]: run the benchmarks (make bench).  The
# orchestration is bench/run (Python), beside bench/collect and
# bench/report, so that the way from a measurement to a table is one
# language; this wrapper stays for the Makefile and old habits.
exec "$(dirname "$0")/../bench/run" "$@"
