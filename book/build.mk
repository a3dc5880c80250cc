# book/build.mk: the build proper.  The top-level Makefile checks the
# Debian packages first, then runs this file; it is split in two because
# this one asks pkg-config and noweb questions as soon as it is read.
#
# Variables: B (build folder), CC, SANITIZE (thread | address,undefined).

B ?= build
SANITIZE ?=
.DELETE_ON_ERROR:
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
NOWEB := /usr/lib/noweb

CHAPTERS := $(sort $(wildcard chapters/*.nw))

# Quiet by default; V=1 shows every command.
ifeq ($(V),1)
Q :=
say :=
else
Q := @
say = @printf '  %-7s %s\n' $(1) $(2);
endif

# ---- tangling -----------------------------------------------------------
# Including the list makes make tangle first, then read what it found.
$(B)/tangle.mk: $(CHAPTERS) book/tangle.sh
	@mkdir -p $(B)
	@book/tangle.sh $(B)
-include $(B)/tangle.mk

# ---- compiling ----------------------------------------------------------
CSTD     := -std=c17 -D_POSIX_C_SOURCE=200809L
WARN     := -Wall -Wextra -Wpedantic -Werror
# Every function starts on a 64-byte line, so that the same function
# (ds_add, say) runs at the same speed in every program that links it:
# left to where the linker happens to put it, its hot loop ran 12%
# faster in crunch-threads than in crunch-seq (chapter 2, "Measured").
OPT      := -g -O2 -falign-functions=64
UV_CFLAGS  := $(shell pkg-config --cflags libuv)
UV_LIBS    := $(shell pkg-config --libs libuv)
CMOCKA_CFLAGS := $(shell pkg-config --cflags cmocka)
CMOCKA_LIBS   := $(shell pkg-config --libs cmocka)
INCLUDES := $(addprefix -I,$(TANGLE_DIRS))
comma := ,
san_flags = -fsanitize=$(1) -fno-omit-frame-pointer
ifneq ($(SANITIZE),)
SANFLAGS := $(call san_flags,$(SANITIZE))
SANKIND  := $(firstword $(subst $(comma), ,$(SANITIZE)))
OPT      := -g -O1
endif
CFLAGS_ALL = $(CSTD) $(WARN) $(OPT) $(INCLUDES) $(UV_CFLAGS) $(CFLAGS)
LDLIBS_ALL = $(UV_LIBS) -pthread -lrt -lm $(LDLIBS)

# Programs listed in tests/sanitizer-skip.d for this sanitizer are compiled
# without it (their bug is the lesson), but still linked with its runtime.
# (Tests skipped under a sanitizer are another list, read by tests/run:
# tests/sanitizer-skip-tests.d.)
SKIPFILES := $(wildcard tests/sanitizer-skip.d/*.txt)
SAN_SKIP  := $(if $(SANKIND),$(shell awk -v s=$(SANKIND) '$$1==s{print $$2}' /dev/null $(SKIPFILES)))
san_for    = $(if $(filter $(1),$(SAN_SKIP)),,$(SANFLAGS))

OBJ := $(B)/obj
obj_of = $(patsubst tangle/%.c,$(OBJ)/%.o,$(1))

PROGRAMS := $(foreach s,$(PROGRAM_SRCS),$(B)/bin/$(notdir $(basename $(s))))
LIB      := $(B)/libbook.a

# Objects depend on this file too: a change of flags here rebuilds them.
$(OBJ)/%.o: tangle/%.c book/build.mk
	@mkdir -p $(@D)
	$(call say,CC,$<)$(CC) $(CFLAGS_ALL) $(call san_for,$(basename $(notdir $<))) -MMD -MP -c -o $@ $<

$(LIB): $(call obj_of,$(MODULE_SRCS))
	@mkdir -p $(@D)
	@rm -f $@
	$(call say,AR,$@)ar rcs $@ $^

define program_rule
$(B)/bin/$(notdir $(basename $(1))): $(call obj_of,$(1)) $(LIB)
	@mkdir -p $$(@D)
	$$(call say,LD,$$@)$$(CC) $$(SANFLAGS) -o $$@ $$< $(LIB) $$(LDLIBS_ALL)
endef
$(foreach s,$(PROGRAM_SRCS),$(eval $(call program_rule,$(s))))

# ---- tests --------------------------------------------------------------
UNIT_SRCS := $(wildcard tests/unit/test-*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(B)/tests/%,$(UNIT_SRCS))
TEST_CFLAGS = $(CFLAGS_ALL) -Itests/exercises $(CMOCKA_CFLAGS) $(SANFLAGS)

$(B)/tests/%: tests/unit/%.c $(LIB) book/build.mk
	@mkdir -p $(@D)
	$(call say,TEST,$@)$(CC) $(TEST_CFLAGS) -MMD -MP -o $@ $< $(LIB) $(CMOCKA_LIBS) $(LDLIBS_ALL)

# An exercise's test is built twice: with the reference solution (it must
# pass) and with the untouched starter (it must fail).  The starter lives in
# its chapter's folder, the solution in the appendix's.
ex_src = $(firstword $(wildcard tangle/*/$(1)))
define exercise_rule
$(B)/tests/test-$(1)-$(2): tests/exercises/test-$(1).c $(call obj_of,$(call ex_src,$(1)-$(2).c)) $(LIB)
	@mkdir -p $$(@D)
	$$(call say,TEST,$$@)$$(CC) $$(TEST_CFLAGS) -MMD -MP -o $$@ $$< $(call obj_of,$(call ex_src,$(1)-$(2).c)) $(LIB) $$(CMOCKA_LIBS) $$(LDLIBS_ALL)
endef
EX_READY := $(foreach e,$(EXERCISES),$(if $(and $(wildcard tests/exercises/test-$(e).c),$(call ex_src,$(e)-solution.c)),$(e)))
$(foreach e,$(EX_READY),$(foreach k,solution starter,$(eval $(call exercise_rule,$(e),$(k)))))
EX_TESTS := $(foreach e,$(EX_READY),$(B)/tests/test-$(e)-solution $(B)/tests/test-$(e)-starter)

# ---- MPI (chapter 5) ----------------------------------------------------
# A tangled source that includes <mpi.h> (a program, an exercise) and an
# exercise test that does are compiled and linked with Open MPI's flags,
# the ones mpicc would add (pkg-config ompi-c); nothing else sees them.
# "private": the flags are not passed on to prerequisites such as
# libbook.a's objects.
MPI_SRCS  := $(shell grep -l '^\#include <mpi.h>' /dev/null $(PROGRAM_SRCS) \
               $(wildcard tangle/*/ex-*.c tests/exercises/test-ex-*.c) 2>/dev/null)
ifneq ($(MPI_SRCS),)
MPI_CFLAGS := $(shell pkg-config --cflags ompi-c)
MPI_LIBS   := $(shell pkg-config --libs ompi-c)
MPI_OBJS   := $(call obj_of,$(filter tangle/%,$(MPI_SRCS)))
MPI_BINS   := $(foreach s,$(filter $(PROGRAM_SRCS),$(MPI_SRCS)),$(B)/bin/$(notdir $(basename $(s))))
MPI_TESTS  := $(foreach t,$(patsubst tests/exercises/test-%.c,%,$(filter tests/exercises/%,$(MPI_SRCS))),\
                $(B)/tests/test-$(t)-solution $(B)/tests/test-$(t)-starter)
$(MPI_OBJS): private CFLAGS_ALL += $(MPI_CFLAGS)
$(MPI_BINS): private LDLIBS_ALL += $(MPI_LIBS)
$(MPI_TESTS): private TEST_CFLAGS += $(MPI_CFLAGS)
$(MPI_TESTS): private LDLIBS_ALL += $(MPI_LIBS)
endif

# ---- io_uring (chapter 4) -----------------------------------------------
# The same arrangement for liburing: a tangled source or an exercise test
# that includes <liburing.h> is linked with it (pkg-config liburing);
# nothing else is.
URING_SRCS := $(shell grep -l '^\#include <liburing.h>' /dev/null $(PROGRAM_SRCS) \
                $(wildcard tangle/*/ex-*.c tangle/*/ex-*.h tests/exercises/test-ex-*.c) 2>/dev/null)
ifneq ($(URING_SRCS),)
URING_CFLAGS := $(shell pkg-config --cflags liburing)
URING_LIBS   := $(shell pkg-config --libs liburing)
URING_OBJS   := $(call obj_of,$(filter tangle/%.c,$(URING_SRCS)))
URING_BINS   := $(foreach s,$(filter $(PROGRAM_SRCS),$(URING_SRCS)),$(B)/bin/$(notdir $(basename $(s))))
URING_TESTS  := $(foreach t,$(patsubst tests/exercises/test-%.c,%,$(filter tests/exercises/%,$(URING_SRCS))),\
                  $(B)/tests/test-$(t)-solution $(B)/tests/test-$(t)-starter)
$(URING_OBJS): private CFLAGS_ALL += $(URING_CFLAGS)
$(URING_BINS): private LDLIBS_ALL += $(URING_LIBS)
$(URING_TESTS): private TEST_CFLAGS += $(URING_CFLAGS)
$(URING_TESTS): private LDLIBS_ALL += $(URING_LIBS)
endif

# ---- one source of flags for whatever else compiles ----------------------
# The tests (tests/run and what it runs) and the exercise grader
# (book/exercise.sh) compile with the build's compiler, flags and
# sanitizer settings: exported to the tests by `check`, printed for the
# grader by `print-flags` (so `make CC=clang exercise` grades with clang).
export BOOK_CC := $(CC)
export BOOK_CFLAGS := $(CSTD) $(WARN)
export BOOK_OPT := $(OPT)
export BOOK_INCLUDES := $(INCLUDES) -Itests/exercises
export BOOK_PKG_CFLAGS := $(CMOCKA_CFLAGS) $(UV_CFLAGS)
export BOOK_LIBS := $(CMOCKA_LIBS) $(UV_LIBS) -pthread -lrt -lm
export BOOK_TSAN_FLAGS := $(call san_flags,thread)
export BOOK_ASAN_FLAGS := $(call san_flags,address$(comma)undefined)
export BOOK_TSAN_OPTIONS := halt_on_error=1 exitcode=66
export BOOK_ASAN_OPTIONS := detect_leaks=1 abort_on_error=0
export BOOK_UBSAN_OPTIONS := halt_on_error=1 print_stacktrace=1
BOOK_VARS := BOOK_CC BOOK_CFLAGS BOOK_OPT BOOK_INCLUDES BOOK_PKG_CFLAGS \
  BOOK_LIBS BOOK_TSAN_FLAGS BOOK_ASAN_FLAGS BOOK_TSAN_OPTIONS \
  BOOK_ASAN_OPTIONS BOOK_UBSAN_OPTIONS
.PHONY: print-flags
print-flags:
	@$(foreach v,$(BOOK_VARS),echo "export $(v)='$($(v))'";)

# ---- weaving ------------------------------------------------------------
$(B)/nw2md: book/nw2md.c
	@mkdir -p $(@D)
	$(call say,CC,$<)$(CC) $(CSTD) $(WARN) -O2 -o $@ $<

# One pipeline for the whole book: one set of cross-references, one index.
$(B)/book.md: $(CHAPTERS) $(B)/nw2md
	$(call say,WEAVE,$@)$(NOWEB)/markup $(CHAPTERS) | $(NOWEB)/finduses | $(NOWEB)/noidx | $(B)/nw2md > $@

PANDOC_COMMON := --from markdown --metadata-file book/metadata.yaml \
  --lua-filter=book/book.lua --lua-filter=book/reader.lua \
  --metadata=results-dir:$(B)/report \
  --metadata=figures-file:$(B)/report/figures.tsv \
  --number-sections --toc --toc-depth=3 --highlight-style=book/code.theme \
  --metadata=programs-appendix:$(B)/programs.md \
  --fail-if-warnings

# ---- measured figures (issue 11) ------------------------------------------
# `make` never runs a benchmark.  Chapter 6's tables and plots, and every
# figure the prose quotes ([]{.m k="NAME/KEY"}), come from the reference
# run shipped in book/reference-results; after `make bench` the reader's
# own results ($(B)/results) are shown beside them.  `make reference`
# copies a complete full run into book/reference-results.
REFERENCE := book/reference-results
YOURS     := $(if $(wildcard $(B)/results/05-*.json),$(B)/results)
MEASURED  := $(B)/report/figures.tsv
$(MEASURED): $(wildcard $(REFERENCE)/*) $(wildcard $(B)/results/*.json) \
             bench/report bench/benchlib.py
	$(call say,REPORT,$(B)/report)bench/report $(REFERENCE) $(YOURS) $(B)/report >/dev/null

.PHONY: reference
reference:
	@bench/reference $(B)/results $(REFERENCE)

$(B)/book.html: $(B)/book.md $(B)/programs.md book/metadata.yaml book/book.css book/code.theme book/book.lua book/reader.lua book/book.js book/after-body.html $(MEASURED)
	$(call say,PANDOC,$@)pandoc $(PANDOC_COMMON) --to html5 --standalone --self-contained \
	  --include-after-body=book/after-body.html \
	  --css book/book.css --resource-path=.:$(B) -o $@ $<

# The appendix of programs: purpose and --help from the programs themselves.
$(B)/programs.md: book/programs.py $(PROGRAMS)
	$(call say,GEN,$@)python3 book/programs.py $(B)/bin $(PROGRAM_SRCS) > $@

# The split book: a page per chapter, cut from the one page (book/split.py),
# with an offline search index built by MiniSearch (npm, pinned in
# book/package-lock.json; installed into $(B)/npm).
NPM_DIR := $(B)/npm
MINISEARCH := $(NPM_DIR)/node_modules/minisearch/package.json
$(MINISEARCH): book/package.json book/package-lock.json
	@mkdir -p $(NPM_DIR)
	@cp book/package.json book/package-lock.json $(NPM_DIR)/
	$(call say,NPM,$(NPM_DIR))cd $(NPM_DIR) && npm ci --no-audit --no-fund --loglevel=error >/dev/null
	@touch $@

$(B)/html/index.html: $(B)/book.html book/split.py book/book.js book/search-index.js $(MINISEARCH)
	$(call say,SPLIT,$(B)/html)rm -rf $(B)/html.tmp && python3 book/split.py $< $(B)/html.tmp && \
	  node book/search-index.js $(dir $(MINISEARCH)) $(B)/html.tmp >/dev/null && \
	  rm -rf $(B)/html && mv $(B)/html.tmp $(B)/html

# The EPUB 3: the print code blocks (as in the PDF), its own small
# stylesheet; tests/book/epubcheck.sh validates it.
$(B)/book.epub: $(B)/book.md $(B)/programs.md book/metadata.yaml book/epub.css book/code.theme book/book.lua book/reader.lua $(MEASURED)
	$(call say,PANDOC,$@)pandoc $(PANDOC_COMMON) --to epub3 --css book/epub.css \
	  --resource-path=.:$(B) -o $@ $<

# The PDF: pandoc writes the LaTeX, xelatex runs here (not in pandoc's
# temporary folder) so that its log and labels stay in $(B)/tex for
# tests/book/pdf-print.sh.  The title page gives the version (git
# describe), the licence and where the source is.
VERSION := $(shell git describe --always --tags --dirty 2>/dev/null || echo unknown)
SOURCE  := $(shell git remote get-url origin 2>/dev/null)
XELATEX := xelatex -interaction=batchmode -halt-on-error -output-directory=$(B)/tex
$(B)/book.pdf: $(B)/book.md $(B)/programs.md book/metadata.yaml book/preamble.tex book/code.theme book/book.lua book/reader.lua $(MEASURED)
	@mkdir -p $(B)/tex
	@{ echo '\thispagestyle{empty}\vspace*{\fill}\noindent\small'; \
	   echo 'Version $(VERSION), built from the book'"'"'s literate sources.\\[.6em]'; \
	   echo 'The code (everything in the \texttt{.nw} files'"'"' code chunks, and every file outside \texttt{chapters/}) is under the MIT licence; the prose is under Creative Commons Attribution-ShareAlike 4.0 (see \texttt{LICENSE}).\\[.6em]'; \
	   echo 'Source: $(if $(SOURCE),\url{$(SOURCE)},the project'"'"'s git repository) (\texttt{$(VERSION)}); build it with \texttt{make}.'; \
	   echo '\clearpage'; } > $(B)/tex/front.tex
	$(call say,PANDOC,$(B)/tex/book.tex)pandoc $(PANDOC_COMMON) --to latex --standalone \
	  --include-in-header=book/preamble.tex --include-before-body=$(B)/tex/front.tex \
	  --metadata=date:"Version $(VERSION)" --resource-path=.:$(B) -o $(B)/tex/book.tex $<
	$(call say,XELATEX,$@)for pass in 1 2 3; do \
	  $(XELATEX) $(B)/tex/book.tex >/dev/null || { tail -n 30 $(B)/tex/book.log; exit 1; }; \
	  [ $$pass -ge 2 ] && ! grep -q 'Rerun to get' $(B)/tex/book.log && break; \
	done; \
	if grep -q 'Missing character' $(B)/tex/book.log; then \
	  grep 'Missing character' $(B)/tex/book.log | sort | uniq -c | head; exit 1; fi
	@cp $(B)/tex/book.pdf $@

# ---- diagrams (issue 17) -------------------------------------------------
# Every diagram is drawn by Graphviz when the book is built, as SVG (HTML,
# EPUB) and PDF (LaTeX), into $(B)/diagrams; a chapter shows one as
# ![caption](diagrams/NAME.svg){#fig:NAME} (book/book.lua finds the
# folder).  Two are generated from the code, so they cannot drift from it:
# fetch-uv's state machine, read from the tangled enum and step function
# by book/fsm-dot.py, and the modules and the programs that include them
# (book/modules-dot.py).  The others are drawn by hand in
# $(DIAGRAM_SRC)/*.dot.  A dot file with an error, or one that dot warns
# about, stops the build.
DIAGRAM_SRC  ?= book/diagrams
DIAGRAM_DIR  := $(B)/diagrams
HAND_DIAGRAMS := $(patsubst $(DIAGRAM_SRC)/%.dot,%,$(wildcard $(DIAGRAM_SRC)/*.dot))
GEN_DIAGRAMS  := fetch-states modules
FSM_SRC := tangle/04a-eventloop/fetch-uv.c
DIAGRAM_FILES := $(foreach d,$(HAND_DIAGRAMS) $(GEN_DIAGRAMS),\
                   $(DIAGRAM_DIR)/$(d).svg $(DIAGRAM_DIR)/$(d).pdf)
PANDOC_COMMON += --metadata=diagrams-dir:$(DIAGRAM_DIR)

$(DIAGRAM_DIR)/fetch-states.dot: $(FSM_SRC) book/fsm-dot.py
	@mkdir -p $(@D)
	$(call say,GEN,$@)python3 book/fsm-dot.py $< fetch_state fetch_advance fetch_finish > $@
$(DIAGRAM_DIR)/modules.dot: book/modules-dot.py $(PROGRAM_SRCS) $(MODULE_SRCS)
	@mkdir -p $(@D)
	$(call say,GEN,$@)python3 book/modules-dot.py --programs $(PROGRAM_SRCS) --modules $(MODULE_SRCS) > $@

# render_dot FORMAT: dot's errors and warnings both fail the rule.
define render_dot
	@mkdir -p $(@D)
	$(call say,DOT,$@)dot -T$(1) -o $@ $< 2>$@.log || { cat $@.log >&2; rm -f $@.log; exit 1; }; \
	if [ -s $@.log ]; then cat $@.log >&2; echo "$<: dot warned; fix the diagram" >&2; rm -f $@.log; exit 1; fi; \
	rm -f $@.log
	$(if $(filter svg,$(1)),@$(DROP_DOCTYPE) $@)
endef
# dot's SVG names an external DTD, which EPUB 3 forbids (epubcheck
# OPF-073); browsers and pandoc do without it.
DROP_DOCTYPE := sed -i -e '/^<!DOCTYPE svg/{/>$$/d;N;d;}'
$(patsubst %,$(DIAGRAM_DIR)/%.svg,$(HAND_DIAGRAMS)): $(DIAGRAM_DIR)/%.svg: $(DIAGRAM_SRC)/%.dot
	$(call render_dot,svg)
$(patsubst %,$(DIAGRAM_DIR)/%.pdf,$(HAND_DIAGRAMS)): $(DIAGRAM_DIR)/%.pdf: $(DIAGRAM_SRC)/%.dot
	$(call render_dot,pdf)
$(patsubst %,$(DIAGRAM_DIR)/%.svg,$(GEN_DIAGRAMS)): $(DIAGRAM_DIR)/%.svg: $(DIAGRAM_DIR)/%.dot
	$(call render_dot,svg)
$(patsubst %,$(DIAGRAM_DIR)/%.pdf,$(GEN_DIAGRAMS)): $(DIAGRAM_DIR)/%.pdf: $(DIAGRAM_DIR)/%.dot
	$(call render_dot,pdf)

.PHONY: diagrams print-diagrams
diagrams: $(DIAGRAM_FILES) ; @:
print-diagrams:
	@printf '%s\n' $(HAND_DIAGRAMS) $(GEN_DIAGRAMS)
$(B)/book.html $(B)/book.pdf $(B)/book.epub: $(DIAGRAM_FILES)

# ---- targets ------------------------------------------------------------
.PHONY: all tangle programs tests html pdf epub check bench
all: programs html pdf epub ; @:
tangle: $(B)/tangle.mk ; @:
programs: $(PROGRAMS) $(LIB) ; @:
tests: programs $(UNIT_BINS) $(EX_TESTS) $(B)/nw2md ; @:
html: $(B)/book.html $(B)/html/index.html ; @:
pdf: $(B)/book.pdf ; @:
epub: $(B)/book.epub ; @:

# Under a sanitizer the book is not rendered and its tests are not run:
# they test the build and the text, not the programs.
ifeq ($(SANITIZE),)
check: tests html pdf epub
else
check: tests
endif
	@SANITIZER=$(SANKIND) tests/run $(B)

# The tests without rendering the book first: the quick loop after an
# edit, `TESTS=x make check-fast`. The tests that read the rendered book
# (a line "# needs: the rendered book") are reported as skipped.
.PHONY: check-fast
check-fast: tests
	@SANITIZER=$(SANKIND) NOT_RENDERED=1 tests/run $(B)

bench: programs
	@nice -n $(or $(BENCH_NICE),0) bench/run $(B)

-include $(shell find $(B) -name '*.d' 2>/dev/null)

# ---- fuzzing ------------------------------------------------------------
# One libFuzzer harness per parser (tests/fuzz/fuzz-*.c), built with clang
# and its fuzzer runtime when they are installed (book/deps.sh installs
# them); a harness #includes the module's tangled .c file.  make fuzz runs
# each for FUZZ_TIME seconds; make check runs each for a few seconds from
# its seed corpus (tests/prog/fuzz.sh).
FUZZ_CC    ?= clang
FUZZ_RT    := $(wildcard $(shell $(FUZZ_CC) -print-runtime-dir 2>/dev/null)/libclang_rt.fuzzer-*.a)
FUZZ_SRCS  := $(wildcard tests/fuzz/fuzz-*.c)
FUZZ_BINS  := $(patsubst tests/fuzz/%.c,$(B)/fuzz/%,$(FUZZ_SRCS))
FUZZ_FLAGS := $(CSTD) $(WARN) -g -O1 -fsanitize=fuzzer,address,undefined \
  -fno-sanitize-recover=undefined $(INCLUDES) -Itests/fuzz
# fuzz-http-url checks its requests with chapter 4's request parser.
FUZZ_ALSO_fuzz-http-url := $(OBJ)/04b-servers/httpreq.o
$(B)/fuzz/fuzz-http-url: $(FUZZ_ALSO_fuzz-http-url)

$(B)/fuzz/%: tests/fuzz/%.c tests/fuzz/fuzz.h book/build.mk | $(B)/tangle.mk
	@mkdir -p $(@D)
	$(call say,FUZZER,$@)$(FUZZ_CC) $(FUZZ_FLAGS) -MMD -MP -o $@ $< $(FUZZ_ALSO_$*)

.PHONY: fuzzers fuzz
fuzzers: $(if $(FUZZ_RT),$(FUZZ_BINS)) ; @:
FUZZ_TIME ?= 60
fuzz: fuzzers
	@tests/fuzz/run.sh $(B) $(FUZZ_TIME)
ifeq ($(SANITIZE),)
check check-fast: fuzzers
endif

# ---- timelines of real runs (chapter 1, "Seeing a run"; issue 17) --------
# Each timeline is drawn by trace-render.py (tangled from chapter 1) from
# traces that bench/01b-trace.sh took and book/reference-results keeps
# (trace-NAME.trace), into $(B)/report/timeline-NAME.svg and .pdf, where
# the chapters' images results/timeline-NAME.svg find them.  `make` runs
# no program for them.  TIMELINE_NAME lists the panels: -t TITLE options,
# then each panel's trace, panels separated by --.
TRACE_RENDER := tangle/01b-trace/trace-render.py
trace_ref = $(REFERENCE)/trace-$(1).trace
TIMELINE_counting := -t "threads: count-threads" -t "processes: count-procs" \
  -t "one loop: count-timers" $(call trace_ref,count-threads) -- \
  $(call trace_ref,count-procs) -- $(call trace_ref,count-timers)
TIMELINE_blocking := -t "count-timers" -t "count-timers -b 250" \
  $(call trace_ref,count-timers) -- $(call trace_ref,count-timers-b)
TIMELINE_crunch := -t "crunch-threads -w 2" -t "crunch-procs -w 2" \
  -t "crunch-procs, worker killed in task 3" \
  $(call trace_ref,crunch-threads) -- $(call trace_ref,crunch-procs) -- \
  $(call trace_ref,crunch-procs-kill)
TIMELINES := counting blocking crunch
TIMELINE_SVGS := $(foreach t,$(TIMELINES),$(B)/report/timeline-$(t).svg)
$(B)/report/timeline-%.svg: $(TRACE_RENDER) $(wildcard $(REFERENCE)/trace-*.trace) book/build.mk
	@mkdir -p $(@D)
	$(call say,TRACE,$@)python3 $(TRACE_RENDER) -o $(B)/report/timeline-$* $(TIMELINE_$*)
$(B)/book.html $(B)/book.pdf $(B)/book.epub: $(TIMELINE_SVGS)
