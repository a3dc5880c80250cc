# shellcheck shell=bash
# mpi-setup.sh [data]: sourced, as a hidden command (before=), by the
# shown runs of chapter 5 after {#count-mpi-run}, which
# tests/support/transcripts.py replays in one scratch folder, in order
# (group=mpi).
#
# It sets what the chapter's first run exports and every later run
# assumes: Open MPI's consent to run as root, and oversubscription (more
# ranks than cores).  With "data", it also makes the files those runs
# read, m.txt and crunch-seq's answer seq.out, as {#crunch-mpi-run} does,
# if that run has not (a block replayed alone, with --only).
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_rmaps_base_oversubscribe=1
if [[ ${1:-} == data && ! ( -s m.txt && -s seq.out ) ]]; then
    gen-data -n 1000000 -s 1 -o m.txt && crunch-seq m.txt > seq.out
fi
