#!/bin/bash
# The diagrams (issue 17): fetch-uv's state machine is drawn from the
# code and agrees with the chapter's table of states, and a change to the
# code shows in the drawing (and makes the table disagree); the modules
# diagram has an arrow for every #include of a module; every figure is
# referred to and every diagram shown; a broken dot file stops the build.
set -uo pipefail
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
if [ -z "${TMP:-}" ]; then TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT; fi
. "$ROOT/tests/support/lib.sh"
command -v dot >/dev/null || { echo "SKIP: no Graphviz (dot)"; exit 77; }
cd "$ROOT" || exit 1
fsm=tangle/04a-eventloop/fetch-uv.c
[ -f "$fsm" ] || fail "$fsm is not tangled (make tangle)"
check() {   # check WHAT CMD...: CMD must succeed
    local what=$1 out; shift
    if out=$("$@" 2>&1); then echo "ok   $what"; else bad "$what: $out"; fi
}

# 1. The code and the table of states in chapter 4 agree.
check "fetch-uv: code and table agree" \
    python3 tests/book/diagrams.py fsm-table "$fsm" chapters/04a-eventloop.nw

# 2. A state added to the code appears in the drawing, with its arrows,
#    and the table (not updated) no longer agrees.
sed -e 's/^\( *\)FETCH_WRITING,/\1FETCH_HANDSHAKE,    \/* TLS under way *\/\n&/' \
    -e 's/f->state = FETCH_WRITING;    status = start_write(f);   break;/f->state = FETCH_HANDSHAKE; status = start_tls(f); break;\n    case FETCH_HANDSHAKE:\n        &/' \
    "$fsm" > "$TMP/fsm-added.c"
grep -q 'case FETCH_HANDSHAKE' "$TMP/fsm-added.c" || fail "the test's edit of $fsm did not apply"
python3 book/fsm-dot.py "$TMP/fsm-added.c" fetch_state fetch_advance fetch_finish > "$TMP/added.dot" ||
    bad "fsm-dot.py failed on a fetch-uv with one more state"
for want in 'FETCH_HANDSHAKE \[label=<<b>HANDSHAKE</b>' \
            'FETCH_CONNECTING -> FETCH_HANDSHAKE \[.*label=" start_tls"' \
            'FETCH_HANDSHAKE -> FETCH_WRITING \[.*label=" start_write"' \
            'FETCH_HANDSHAKE -> FETCH_FAILED'; do
    if grep -q "$want" "$TMP/added.dot"; then echo "ok   added state drawn: $want"
    else bad "added state: no line matching '$want' in the dot"; fi
done
if out=$(python3 tests/book/diagrams.py fsm-table "$TMP/fsm-added.c" chapters/04a-eventloop.nw); then
    bad "the table agreed with a fetch-uv that has one more state"
elif grep -q 'HANDSHAKE' <<<"$out"; then echo "ok   the table disagrees: $(head -n 1 <<<"$out")"
else bad "the disagreement does not name HANDSHAKE: $out"; fi

# 3. What the extractor cannot read stops it, with a message.
sed 's/enum fetch_state {/enum fetch_phase {/' "$fsm" > "$TMP/fsm-noenum.c"
sed 's/f->state = FETCH_WRITING;/f->state = FETCH_WRITTEN;/' "$fsm" > "$TMP/fsm-typo.c"
for c in "noenum:cannot find enum fetch_state" \
         "typo:FETCH_WRITTEN is not a state of enum fetch_state"; do
    f=$TMP/fsm-${c%%:*}.c want=${c#*:}
    if out=$(python3 book/fsm-dot.py "$f" fetch_state fetch_advance fetch_finish 2>&1); then
        bad "fsm-dot.py accepted $f"
    elif grep -qF "$want" <<<"$out"; then echo "ok   fsm-dot.py refuses: $out"
    else bad "fsm-dot.py on $f: expected '$want', got: $out"; fi
done

# 4. The modules diagram: every #include "M.h" of a module (read here with
#    grep) is an arrow, and nothing else is.
mk=$BUILD/tangle.mk
[ -f "$mk" ] || mk=build/tangle.mk
read -ra progs <<<"$(sed -n 's/^PROGRAM_SRCS := //p' "$mk")"
read -ra mods <<<"$(sed -n 's/^MODULE_SRCS := //p' "$mk")"
declare -A is_mod=()
for m in "${mods[@]}"; do m=${m##*/}; is_mod[${m%.c}]=1; done
want=$(for f in "${progs[@]}" "${mods[@]}"; do
    me=${f##*/}; me=${me%.c}
    sed -n 's/^#include "\(.*\)\.h"/\1/p' "$f" | while read -r h; do
        [[ -n ${is_mod[$h]:-} && $h != "$me" ]] && echo "$me $h"
    done
done | sort -u)
got=$(python3 book/modules-dot.py --edges --programs "${progs[@]}" --modules "${mods[@]}" | sort -u)
if [ "$want" = "$got" ]; then echo "ok   modules: $(wc -l <<<"$got") uses, as the #include lines say"
else bad "modules: the drawing's uses differ from the #include lines: $(diff <(echo "$want") <(echo "$got") | head)"; fi

# 5. Every figure is referred to; every diagram drawn is shown, and only
#    diagrams that are drawn.
mapfile -t drawn < <(make --no-print-directory -s -f book/build.mk B="${BUILD:-build}" print-diagrams)
check "figures referred to, diagrams shown (${drawn[*]})" \
    python3 tests/book/diagrams.py figures chapters/*.nw --diagrams "${drawn[@]}"

# 6. A dot file with an error, or one dot only warns about, stops the
#    build; a good one is drawn, without a DOCTYPE.
dir=$TMP/build-dot
mkdir -p "$dir/chapters" "$dir/dia"
ln -s "$ROOT/book" "$dir/book"
printf '# A chapter\n\n<<note.txt>>=\nhello\n@\n' > "$dir/chapters/01-a.nw"
echo 'digraph g { a -> b; }' > "$dir/dia/good.dot"
echo 'digraph g { a -> ; }' > "$dir/dia/broken.dot"
echo 'digraph g { a [shape=nosuchshape]; }' > "$dir/dia/warns.dot"
for c in good:0 broken:1 warns:1; do
    name=${c%%:*} want=${c#*:}
    out=$(cd "$dir" && make --no-print-directory -f book/build.mk B=build \
          DIAGRAM_SRC=dia "build/diagrams/$name.svg" 2>&1); rc=$?
    if [ "$want" = 0 ] && [ $rc = 0 ] && [ -s "$dir/build/diagrams/$name.svg" ]; then
        echo "ok   $name.dot is drawn"
        # EPUB 3 forbids the external DTD dot names (epubcheck OPF-073).
        ! grep -q '<!DOCTYPE' "$dir/build/diagrams/$name.svg" ||
            bad "$name.svg still has dot's DOCTYPE (EPUB 3 refuses it)"
    elif [ "$want" = 1 ] && [ $rc != 0 ] && [ ! -e "$dir/build/diagrams/$name.svg" ]; then
        echo "ok   $name.dot stops the build: $(grep -m1 'Error\|Warning' <<<"$out")"
    else
        bad "$name.dot: make exited $rc (expected $([ "$want" = 0 ] && echo success || echo failure)): $out"
    fi
done
checks_done diagrams
