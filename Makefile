# Three Ways to Run at Once: the one entry point.
#
#   make                 install missing Debian packages, tangle, compile,
#                        render build/book.html and build/book.pdf
#   make check           every test; ends with "N passed, N failed, N skipped"
#   make check-fast      the same without rendering the book first (make test)
#   make html | pdf | epub  one rendering (html: build/book.html and build/html/)
#   make tangle          only the C sources, into tangle/
#   make programs        only the programs, into build/bin/
#   make bench           the measurements, into build/results/
#   make fuzz            run each parser's fuzzer for FUZZ_TIME seconds (60)
#   make check-sanitizers  the tests under ThreadSanitizer, then ASan+UBSan
#   make exercises       copy every exercise's starter into exercises/
#   make exercise EX=2.1 grade your exercises/ex-2.1.c
#   make exercise-hint EX=2.1, make exercise-status, make exercise-reset EX=2.1
#   make clean           remove everything generated (not your exercises/)
#
# B=folder puts the build somewhere else; CC=clang builds with clang.
# The build proper is book/build.mk: it asks pkg-config and noweb questions
# as soon as it is read, so it runs only after the packages are checked.

B ?= build
SUB = $(MAKE) --no-print-directory -f book/build.mk B=$(B)

.PHONY: all deps tangle programs tests html pdf epub check check-sanitizers bench clean \
        exercises exercise exercise-hint exercise-status exercise-reset
all: deps
	@$(SUB) all

deps:
	@book/deps.sh

tangle programs tests html pdf epub check bench: deps
	@$(SUB) $@

# The tests without rendering the book first (make test is the same).
.PHONY: check-fast test
check-fast test: deps
	@$(SUB) check-fast

.PHONY: fuzz reference
fuzz: deps
	@$(SUB) $@

# Make the last full `make bench` the book's reference run (chapter 6).
reference: deps
	@$(SUB) $@

check-sanitizers: deps
	@echo "== ThreadSanitizer =="
	@$(SUB) B=$(B)/tsan SANITIZE=thread check
	@echo "== AddressSanitizer + UndefinedBehaviorSanitizer =="
	@$(SUB) B=$(B)/asan SANITIZE=address,undefined check

# The exercise workspace: starters are tangled, graded against libbook.a.
exercises exercise-status: deps
	@$(SUB) programs >/dev/null
	@book/exercise.sh $(B) $(if $(filter exercises,$@),setup,status)
exercise exercise-hint exercise-reset: deps
	@$(SUB) programs >/dev/null
	@book/exercise.sh $(B) $(if $(filter exercise,$@),check,$(patsubst exercise-%,%,$@)) $(EX)

clean:
	rm -rf build tangle $(filter-out build,$(B))
