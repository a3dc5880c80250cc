#!/bin/sh
# book/deps.sh: make sure the Debian packages the build needs are present.
# Checks each need by what it provides (a command, a pkg-config module, a
# file), installs only the missing packages with apt-get (as root, or
# through sudo without a password), and otherwise names them and fails.
# Usage: book/deps.sh [--check]   (--check only reports, never installs)
set -u

missing=""
need_cmd()  { command -v "$1" >/dev/null 2>&1 || missing="$missing $2"; }
need_pc()   { pkg-config --exists "$1" 2>/dev/null || missing="$missing $2"; }
need_file() { [ -e "$1" ] || missing="$missing $2"; }

need_cmd cc         gcc
# gcc only recommends the C library headers; without recommends they are missing.
need_file /usr/include/stdio.h libc6-dev
need_cmd make       make
need_cmd pkg-config pkg-config
need_cmd notangle   noweb
need_cmd noweave    noweb
need_cmd pandoc     pandoc
need_cmd xelatex    texlive-xetex
need_cmd pdftotext  poppler-utils
need_cmd timeout    coreutils
need_cmd python3    python3
need_cmd gnuplot    gnuplot-nox
# The diagrams (book/diagrams, book/fsm-dot.py) are drawn by Graphviz.
need_cmd dot        graphviz
# make check runs shellcheck on every shell file; CI also builds with clang.
need_cmd shellcheck shellcheck
need_cmd clang      clang
# The processes chapter runs memcheck on crunch-procs and its children.
need_cmd valgrind   valgrind
# The benchmarks read wall, user and system time and peak memory from GNU time.
need_file /usr/bin/time time
# The parsers' fuzzers (tests/fuzz) need clang and its libFuzzer runtime.
if command -v clang >/dev/null 2>&1; then
    ls "$(clang -print-runtime-dir 2>/dev/null)"/libclang_rt.fuzzer-*.a \
        >/dev/null 2>&1 || missing="$missing libclang-rt-14-dev"
else
    missing="$missing clang libclang-rt-14-dev"
fi
# The split HTML book's search index is built with MiniSearch from npm.
need_cmd node       nodejs
need_cmd npm        npm
# tests/book/epubcheck.sh validates the EPUB.
need_file /usr/share/java/epubcheck.jar epubcheck
need_cmd java       default-jre-headless
need_pc  libuv      libuv1-dev
# Chapter 5 runs its programs under Open MPI: mpirun, and mpi.h with its
# library (book/build.mk asks pkg-config for ompi-c's flags).
need_cmd mpirun     openmpi-bin
need_pc  ompi-c     libopenmpi-dev
need_pc  cmocka     libcmocka-dev
# Chapter 4's io_uring programs and exercise use liburing.
need_pc  liburing   liburing-dev
need_file /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf     fonts-dejavu-core
need_file /usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf fonts-dejavu-core
need_file /usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf    fonts-dejavu-core
# Italic and bold-italic serif (emphasis in the prose) are in the extra set.
need_file /usr/share/fonts/truetype/dejavu/DejaVuSerif-Italic.ttf fonts-dejavu-extra
# LaTeX packages that pandoc's template and book/preamble.tex load.
need_sty() {
    if command -v kpsewhich >/dev/null 2>&1; then
        kpsewhich "$1" >/dev/null 2>&1 || missing="$missing $2"
    else
        missing="$missing $2"
    fi
}
need_sty lmodern.sty  lmodern
need_sty framed.sty   texlive-latex-extra
need_sty fvextra.sty  texlive-latex-extra
need_sty xurl.sty     texlive-latex-extra
need_sty fontspec.sty texlive-latex-recommended
# hyperref's links under XeTeX need the ZapfDingbats metrics.
need_sty pzdr.tfm     texlive-fonts-recommended

# Remove duplicates, keep the order.
# shellcheck disable=SC2086  # $missing is a list of words
pkgs=$(printf '%s\n' $missing | awk 'NF && !seen[$0]++' | tr '\n' ' ')
[ -z "$pkgs" ] && exit 0

if [ "${1:-}" = "--check" ]; then
    echo "deps: missing Debian packages: $pkgs" >&2
    exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
    sudo=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo="sudo -n"
else
    echo "deps: these Debian packages are missing: $pkgs" >&2
    echo "deps: install them with:  sudo apt-get install $pkgs" >&2
    exit 1
fi

echo "deps: installing Debian packages: $pkgs"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >/dev/null || { echo "deps: apt-get update failed" >&2; exit 1; }
log=$(mktemp)
# shellcheck disable=SC2086  # $sudo may be empty, $pkgs is a list
if ! $sudo apt-get install -y -q --no-install-recommends $pkgs >"$log" 2>&1; then
    cat "$log" >&2; rm -f "$log"
    echo "deps: apt-get install failed for: $pkgs" >&2; exit 1
fi
rm -f "$log"
exec "$0" --check
