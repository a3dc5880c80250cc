#!/bin/bash
# Tests of book/nw2md, the noweb backend that writes Pandoc Markdown.
#
# Each fixture in tests/book/nw2md/ goes through the same pipeline as the
# book (markup | finduses | noidx | nw2md); the output is checked by
# targeted assertions and, where the exact text matters, against a golden
# file (*.golden.md).  After a deliberate change of the output format,
# regenerate the golden files with
#     NW2MD_UPDATE_GOLDEN=1 tests/book/nw2md.sh
# and review the diff.
#
# Environment (tests/run sets them): BUILD (build folder, holding nw2md),
# TMP (scratch folder), ROOT (the project).  Exit 0 pass, 1 fail, 77 skip.
# shellcheck disable=SC2016,SC2001  # backticks in single quotes are Markdown
set -euo pipefail

ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${BUILD:-$ROOT/build}
case $BUILD in /*) ;; *) BUILD=$PWD/$BUILD ;; esac
if [ -z "${TMP:-}" ]; then
    TMP=$(mktemp -d)
    trap 'rm -rf "$TMP"' EXIT
fi
FIX=$ROOT/tests/book/nw2md
LIB=/usr/lib/noweb

if [ ! -x "$LIB/markup" ] || [ ! -x "$LIB/noidx" ]; then
    echo "SKIP: noweb is not installed ($LIB/markup, $LIB/noidx)"
    exit 77
fi

NW2MD=$BUILD/nw2md
if [ ! -x "$NW2MD" ]; then
    NW2MD=$TMP/nw2md
    # The build's compiler and flags (book/build.mk exports them).
    # shellcheck disable=SC2086  # a list of flags
    "${BOOK_CC:-cc}" ${BOOK_CFLAGS:-} -O2 \
        -o "$NW2MD" "$ROOT/book/nw2md.c"
fi

failures=0
checks=0

fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}

# weave NAME FILE...: run the book's pipeline on fixture files (from the
# fixture folder, so that noidx's labels do not depend on where the
# project lives); output in $TMP/NAME.md, messages in $TMP/NAME.err,
# nw2md's exit status in $TMP/NAME.rc.
weave() {
    local name=$1 rc=0
    shift
    (cd "$FIX" && "$LIB/markup" "$@" | "$LIB/finduses" | "$LIB/noidx" |
        "$NW2MD") >"$TMP/$name.md" 2>"$TMP/$name.err" || rc=$?
    echo "$rc" >"$TMP/$name.rc"
}

# expect_rc NAME RC: the exit status of the last weave NAME.
expect_rc() {
    local got
    got=$(cat "$TMP/$1.rc")
    checks=$((checks + 1))
    if [ "$got" != "$2" ]; then
        fail "$1: expected exit status $2, got $got; stderr:"
        sed 's/^/    /' "$TMP/$1.err"
    fi
}

# has FILE TEXT WHAT: FILE contains the fixed string TEXT.
has() {
    checks=$((checks + 1))
    if ! grep -qF -- "$2" "$1"; then
        fail "$3"
        echo "    expected to find: $2"
        echo "    in $1, which holds (first 40 lines):"
        head -n 40 "$1" | sed 's/^/    | /'
    fi
}

# hasnt FILE TEXT WHAT: FILE does not contain the fixed string TEXT.
hasnt() {
    checks=$((checks + 1))
    if grep -qF -- "$2" "$1"; then
        fail "$3"
        echo "    expected not to find: $2"
        echo "    but found:"
        grep -nF -- "$2" "$1" | head -n 5 | sed 's/^/    | /'
    fi
}

# golden NAME: $TMP/NAME.md equals tests/book/nw2md/NAME.golden.md.
golden() {
    local want=$FIX/$1.golden.md
    checks=$((checks + 1))
    if [ -n "${NW2MD_UPDATE_GOLDEN:-}" ]; then
        cp "$TMP/$1.md" "$want"
        echo "updated $want"
    elif ! diff -u "$want" "$TMP/$1.md" >"$TMP/$1.diff"; then
        fail "$1: output differs from $want (- expected, + got):"
        sed 's/^/    /' "$TMP/$1.diff"
    fi
}

# chunk_text NAME N: the Markdown of chunk number N in $TMP/NAME.md.
chunk_text() {
    awk -v n="$2" '
        /^:::: \{\.chunk( data-lines="[^"]*")?\}$/ { start = 1; next }
        start && /^(`[^`]*`\{=latex\})?\[\[\*\*/ {
            line = $0; sub(/^`[^`]*`\{=latex\}/, "", line)
            inside = index(line, "[[**" n "**]") == 1; start = 0 }
        /^::::$/ { inside = 0 }
        inside && $0 != "" { print }' "$TMP/$1.md"
}

# links_resolve NAME: every link of the HTML and of the LaTeX that pandoc
# makes from $TMP/NAME.md has its target.
links_resolve() {
    local md=$TMP/$1.md html=$TMP/$1.html tex=$TMP/$1.tex missing
    checks=$((checks + 1))
    if ! pandoc --fail-if-warnings --wrap=none -f markdown -t html5 -s \
        --metadata title="$1" "$md" -o "$html" 2>"$TMP/$1.pandoc.err"; then
        fail "$1: pandoc (HTML) failed:"
        sed 's/^/    /' "$TMP/$1.pandoc.err"
        return
    fi
    grep -o 'href="#[^"]*"' "$html" | sed 's/^href="#//; s/"$//' |
        sort -u >"$TMP/$1.hrefs"
    grep -o ' id="[^"]*"' "$html" | sed 's/^ id="//; s/"$//' |
        sort -u >"$TMP/$1.ids"
    missing=$(comm -23 "$TMP/$1.hrefs" "$TMP/$1.ids")
    if [ -n "$missing" ]; then
        fail "$1: HTML links without a target (expected every href=\"#x\" to have an id=\"x\"):"
        echo "$missing" | sed 's/^/    #/'
    fi
    checks=$((checks + 1))
    if [ "$(wc -l <"$TMP/$1.hrefs")" -lt 3 ]; then
        fail "$1: expected links in the HTML, found:"
        sed 's/^/    /' "$TMP/$1.hrefs"
    fi
    checks=$((checks + 1))
    pandoc -f markdown -t latex "$md" -o "$tex"
    missing=$(comm -23 \
        <(grep -o '\\hyperlink{[^}]*}' "$tex" | sed 's/^.hyperlink{//; s/}$//' | sort -u) \
        <(grep -o '\\hypertarget{[^}]*}' "$tex" | sed 's/^.hypertarget{//; s/}$//' | sort -u))
    if [ -n "$missing" ]; then
        fail "$1: LaTeX hyperlinks without a hypertarget:"
        echo "$missing" | sed 's/^/    /'
    fi
}

have_pandoc=yes
command -v pandoc >/dev/null || have_pandoc=

# ---------------------------------------------------------------- basic
# Two files in one pipeline: a chunk continued in the other file, a chunk
# used twice, an empty chunk, identifiers, roots in C, Python, shell, text.
weave basic basic-a.nw basic-b.nw
expect_rc basic 0
golden basic
B=$TMP/basic.md
has "$B" '[[**1**]{.chunk-number} ⟨greet.c⟩ ≡]{#NWb7m6D-4QjPFy-1 .chunk-name}' \
    "basic: the first chunk's header, with its noidx label as anchor"
has "$B" '[[**10**]{.chunk-number} ⟨greet: the helpers⟩ +≡]{#NWbrQFa-3rFSnz-1 .chunk-name}' \
    "basic: a continuation in the second file is marked +≡"
has "$B" 'Continued in [10](#NWbrQFa-3rFSnz-1).' \
    "basic: the first definition links to its continuation in the other file"
has "$B" 'Continued from [2](#NWb7m6D-3rFSnz-1).' \
    "basic: the continuation links back"
chunk_text basic 3 >"$TMP/basic-3.md"
checks=$((checks + 1))
if [ "$(grep -c '^    ⟨greet: say hello 4⟩$' "$TMP/basic-3.md")" != 2 ]; then
    fail "basic: expected the chunk used twice to appear twice, indented, in chunk 3:"
    sed 's/^/    | /' "$TMP/basic-3.md"
fi
has "$TMP/basic-3.md" '[Uses [⟨greet: say hello⟩ 4](#NWb7m6D-3oGMpH-1), [⟨greet: nothing yet⟩ 5](#NWb7m6D-35UyUP-1).]{.nw-print}' \
    "basic: chunk 3 lists each chunk it uses once, for print"
has "$TMP/basic-3.md" '<a class="nw-use" href="#NWb7m6D-3oGMpH-1">⟨greet: say hello<span class="nw-use-number">4</span>⟩</a>' \
    "basic: in the HTML code a chunk use is a link carrying its number"
chunk_text basic 5 >"$TMP/basic-5.md"
has "$TMP/basic-5.md" 'This chunk is empty.' "basic: the empty chunk says so"
hasnt "$TMP/basic-5.md" '.chunk-code' "basic: the empty chunk has no code block"
has "$TMP/basic-5.md" 'Used in [⟨greet: the main program⟩ 3](#NWb7m6D-QiSA3-1).' \
    "basic: the empty chunk links to its user"
has "$B" 'Root chunk (the file [`greet.c`](../tangle/basic-a/greet.c){.tangled}).' "basic: a root says it is a file, linked to the tangled file"
has "$B" 'Defines [`greet`](#NWIX-greet--greet-2Ec).' "basic: @ %def gives a Defines line"
has "$B" 'Uses [`greeted`](#NWbrQFa-3rFSnz-1).' \
    "basic: an identifier used is linked to its definition"
chunk_text basic 7 >"$TMP/basic-7.md"
has "$TMP/basic-7.md" '``` {.python .chunk-code .nw-print}' \
    "basic: a chunk reached only from a .py root is Python"
has "$B" '``` {.bash .chunk-code .nw-print}' "basic: a .sh root is bash"
chunk_text basic 9 >"$TMP/basic-9.md"
has "$TMP/basic-9.md" '``` {.chunk-code .nw-print}' "basic: a .txt root has no language"
has "$B" 'The chunk [⟨greet: the helpers⟩ 2](#NWb7m6D-3rFSnz-1) continues here' \
    "basic: a quoted chunk use in prose becomes a link"
has "$B" '# Index {.unnumbered}' "basic: the index heading"
has "$B" '## Chunks {.unnumbered}' "basic: the chunk index"
has "$B" '## Identifiers {.unnumbered}' "basic: the identifier index"
has "$B" '- ⟨greet: the helpers⟩: defined in [2](#NWb7m6D-3rFSnz-1), [10](#NWbrQFa-3rFSnz-1); used in [1](#NWb7m6D-4QjPFy-1).' \
    "basic: a chunk index entry lists definitions and uses"
has "$B" '- [`greet` (greet.c)]{#NWIX-greet--greet-2Ec}: defined in [2](#NWb7m6D-3rFSnz-1); used in [4](#NWb7m6D-3oGMpH-1).' \
    "basic: an identifier index entry has an anchor, definitions and uses"

# -------------------------------------------------------------- escapes
weave escapes escapes.nw
expect_rc escapes 0
golden escapes
E=$TMP/escapes.md
has "$E" 'In prose, \<\<name>> is written' \
    "escapes: @<< in prose is escaped for pandoc"
has "$E" 'the shift `x << 4` inside backticks' \
    "escapes: @<< inside a backtick span stays as it is"
has "$E" 'Quoted code: `a[i] = b`,' "escapes: [[code]] becomes inline code"
has "$E" 'a backtick ``printf("`")``,' \
    "escapes: the fence is longer than a backtick inside"
has "$E" 'with two ```x ``y`` z```,' \
    "escapes: the fence is longer than the longest backtick run"
has "$E" 'starting with one `` `tick``.' \
    "escapes: code starting with a backtick is padded"
has "$E" 'A quote inside a backtick span: `see [[q]] here`.' \
    "escapes: [[q]] inside a backtick span is written back as typed"
has "$E" 'a fence in prose: [[kept]] and <<kept>> too' \
    "escapes: a fenced block in prose is left as typed"
has "$E" '| `a | b` | bitwise or |' "escapes: quoted code in a table cell"
has "$E" 'Math stays: $x^2 + y_1$.' "escapes: math passes through"
has "$E" 'int shift = 1 << 4;   /* <<not a chunk>> */' \
    "escapes: @<< in code becomes <<"
has "$E" '⟨escapes: the \*star\* and \_under\_ \[bracket\] chunk⟩ ≡]' \
    "escapes: * _ [ ] in a chunk name are escaped"
has "$E" '⟨escapes: x \< y and \`tick\` and \#hash \| pipe \\ slash⟩ ≡]' \
    'escapes: < ` # | \ in a chunk name are escaped'
has "$E" '⟨escapes: the `main` function⟩ ≡]' \
    "escapes: [[code]] in a chunk name becomes inline code"
has "$E" '⟨escapes: the main function 4⟩' \
    "escapes: in a code block a chunk name loses its [[ ]]"
has "$E" '````' "escapes: a code block holding \`\`\` gets a longer fence"

# ----------------------------------------------------------------- tabs
# Made here, not kept as a fixture, so no file in the project has tabs.
printf '# Tabs\n\n<<tabs.c>>=\n\tint a;\nab\tc;\n\t<<tabs: inner>>\n@\n\n<<tabs: inner>>=\nx;\n@\n' \
    >"$TMP/tabs.nw"
(cd "$TMP" && "$LIB/markup" tabs.nw | "$LIB/finduses" | "$LIB/noidx" |
    "$NW2MD") >"$TMP/tabs.md" 2>"$TMP/tabs.err" && echo 0 >"$TMP/tabs.rc" ||
    echo $? >"$TMP/tabs.rc"
expect_rc tabs 0
checks=$((checks + 1))
if grep -q "$(printf '\t')" "$TMP/tabs.md"; then
    fail "tabs: expected no tab in the output, found:"
    grep -n "$(printf '\t')" "$TMP/tabs.md" | cat -A | sed 's/^/    /'
fi
has "$TMP/tabs.md" "$(printf '\n        int a;')" "tabs: a leading tab is 8 columns"
has "$TMP/tabs.md" 'ab      c;' "tabs: a tab after 2 characters goes to column 8"
has "$TMP/tabs.md" '        ⟨tabs: inner 2⟩' "tabs: a use keeps its indentation"

# ------------------------------------------------------------ undefined
weave undefined undefined.nw
expect_rc undefined 1
has "$TMP/undefined.err" 'undefined.nw:4: chunk <<undefined: no such chunk>> is used but never defined (in <<undefined.c>>)' \
    "undefined: the message names the chunk, the file and the line"
checks=$((checks + 1))
if [ -s "$TMP/undefined.md" ]; then
    fail "undefined: expected no output, got:"
    head -n 5 "$TMP/undefined.md" | sed 's/^/    | /'
fi

# ---------------------------------------------------------------- fatal
# markup reports the unescaped << with a @fatal line at the end of its
# output (finduses would drop it, so feed nw2md directly).  The @fatal
# line must win over the complaints its broken input would cause.
rc=0
(cd "$FIX" && "$LIB/markup" fatal.nw | "$NW2MD") >"$TMP/fatal.md" \
    2>"$TMP/fatal.err" || rc=$?
echo "$rc" >"$TMP/fatal.rc"
expect_rc fatal 1
has "$TMP/fatal.err" 'an earlier stage of the pipeline failed:' \
    "fatal: a @fatal line is reported"
rc=0
printf '@file x.nw\n@fatal markup something broke\n' | "$NW2MD" \
    >"$TMP/fatal2.md" 2>"$TMP/fatal2.err" || rc=$?
echo "$rc" >"$TMP/fatal2.rc"
expect_rc fatal2 1
has "$TMP/fatal2.err" 'nw2md: an earlier stage of the pipeline failed: markup something broke' \
    "fatal: the upstream message is passed on"

# ------------------------------------------------------ malformed input
# feed NAME TEXT: nw2md on TEXT (printf format).
feed() {
    local rc=0
    # shellcheck disable=SC2059
    printf "$2" | "$NW2MD" >"$TMP/$1.md" 2>"$TMP/$1.err" || rc=$?
    echo "$rc" >"$TMP/$1.rc"
}
feed not-pipeline 'hello world\n'
expect_rc not-pipeline 1
has "$TMP/not-pipeline.err" "malformed input: line 1: a line must start with '@'" \
    "malformed: a line that is not a pipeline line"
feed empty ''
expect_rc empty 1
has "$TMP/empty.err" 'empty input' "malformed: empty input"
feed no-noidx '@file x.nw\n@begin code 0\n@defn x.c\n@nl\n@end code 0\n'
expect_rc no-noidx 1
has "$TMP/no-noidx.err" 'run noidx before nw2md' \
    "malformed: a pipeline without noidx says what is missing"
feed unbalanced '@end docs 0\n'
expect_rc unbalanced 1
has "$TMP/unbalanced.err" '@end does not match its @begin' \
    "malformed: @end without @begin"
(cd "$FIX" && "$LIB/markup" basic-a.nw | "$LIB/finduses" | "$LIB/noidx") \
    >"$TMP/whole.in"
sed '/^@end code 1$/,$d' "$TMP/whole.in" >"$TMP/truncated.in"
rc=0
"$NW2MD" <"$TMP/truncated.in" >"$TMP/truncated.md" 2>"$TMP/truncated.err" || rc=$?
echo "$rc" >"$TMP/truncated.rc"
expect_rc truncated 1
has "$TMP/truncated.err" 'the input ends inside a chunk' "malformed: truncated input"
feed unknown '@file x.nw\n@frobnicate\n'
expect_rc unknown 1
has "$TMP/unknown.err" 'unknown keyword' "malformed: an unknown keyword"

# ------------------------------------------------------------ arguments
rc=0
"$NW2MD" --help >"$TMP/help.out" 2>&1 || rc=$?
checks=$((checks + 1))
[ "$rc" = 0 ] || fail "--help: expected exit status 0, got $rc"
has "$TMP/help.out" 'Usage: nw2md' "--help prints the usage"
rc=0
"$NW2MD" --bogus </dev/null >/dev/null 2>"$TMP/bogus.err" || rc=$?
checks=$((checks + 1))
[ "$rc" = 2 ] || fail "an unknown argument: expected exit status 2, got $rc"

# --------------------------------------------------------------- pandoc
if [ -n "$have_pandoc" ]; then
    links_resolve basic
    links_resolve escapes
    has "$TMP/escapes.html" 'In prose, &lt;&lt;name&gt;&gt; is written' \
        "pandoc: <<name>> in prose is visible in the HTML"
    has "$TMP/escapes.html" '<span id="NW110URz-1QNxfe-1" class="chunk-name">' \
        "pandoc: the chunk anchor is an HTML id on the chunk name"
    has "$TMP/escapes.html" 'the <code>main</code> function⟩ ≡</span>' \
        "pandoc: [[code]] in a chunk name is code in HTML"
    has "$TMP/basic.html" '<div class="chunk-xref">' \
        "pandoc: the cross-reference lines are a div of class chunk-xref"
    has "$TMP/basic.html" '<h1 class="unnumbered" id="index">Index</h1>' \
        "pandoc: the index is an unnumbered section"
    has "$TMP/escapes.tex" '\protect\hypertarget{NW110URz-1QNxfe-1}' \
        "pandoc: the chunk anchor is a hypertarget in LaTeX"
fi

# ------------------------------------------------------------- boundary
# A file that ends on a line of prose, then a file that starts with a
# heading: the heading must still begin a block of its own (a blank line
# before it), or pandoc would read it as the paragraph's last line.
weave boundary boundary-a.nw boundary-b.nw
expect_rc boundary 0
checks=$((checks + 1))
if ! grep -qx -B1 '# Second chapter' "$TMP/boundary.md" ||
   [ -n "$(grep -x -B1 '# Second chapter' "$TMP/boundary.md" | head -n 1)" ]; then
    fail "boundary: no blank line before the second file's heading:"
    grep -x -B2 '# Second chapter' "$TMP/boundary.md" | sed 's/^/    | /'
fi

# ---------------------------------------------------------------- scope
# Two programs each with its own main and worker; a module included by one
# of them only; identifiers in comments and strings.  A use links to the
# definition in its own program or in a module the program includes.
weave scope scope.nw
expect_rc scope 0
S=$TMP/scope.md
has "$S" '<a class="nw-id" href="#NW4MQ6wt-csSvn-1">worker</a>(<span class="dv">1</span>)' \
    "scope: a.c's main links to a.c's worker, in the code"
has "$S" '<a class="nw-id" href="#NW4MQ6wt-1cpjaV-1">worker</a>(<span class="dv">2</span>) + mod_add(' \
    "scope: b.c's main links to b.c's worker, and not to mod.c's mod_add (b.c does not include mod.h)"
has "$S" 'Uses [`mod_add`](#NW4MQ6wt-3p5urs-1).' \
    "scope: a.c's worker links to mod_add in mod.c, through #include \"mod.h\""
chunk_text scope 6 >"$TMP/scope-6.md"
has "$TMP/scope-6.md" 'Uses [`worker`](#NW4MQ6wt-1cpjaV-1).' \
    "scope: a word in a string is not a use (b's main uses only worker)"
has "$TMP/scope-6.md" 'sp-&gt;worker = st.worker;' \
    "scope: a struct member is not a use of a global name"
chunk_text scope 7 >"$TMP/scope-7.md"
hasnt "$TMP/scope-7.md" 'Uses' "scope: words in comments are not uses"
has "$TMP/scope-7.md" '<span class="co">/* worker, main and mod_add in a comment */</span>' \
    "scope: a comment is coloured as one"
has "$S" '- [`main` (a.c)]{#NWIX-main--a-2Ec}: defined in [3](#NW4MQ6wt-2qBORT-1).' \
    "scope: the index has a main for a.c (found without @ %def) ..."
has "$S" '- [`main` (b.c)]{#NWIX-main--b-2Ec}: defined in [6](#NW4MQ6wt-vWdAF-1).' \
    "scope: ... and one for b.c"
has "$S" '- [`worker` (b.c)]{#NWIX-worker--b-2Ec}: defined in [5](#NW4MQ6wt-1cpjaV-1); used in [6](#NW4MQ6wt-vWdAF-1).' \
    "scope: b.c's worker is used by b.c's main only"

echo "nw2md: $checks checks, $failures failed"
if [ "$failures" -ne 0 ]; then
    exit 1
fi
if [ -z "$have_pandoc" ]; then
    echo "SKIP: pandoc is not installed: links not checked"
    exit 77
fi
exit 0
