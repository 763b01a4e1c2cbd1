# Makefile — builds mptutor, its tests, benchmarks and fuzzers.
#
#   make            build ./mptutor (installing missing build dependencies and python3 first)
#   make run        build and start the tutor
#   make test       build and run every test; ends with "N passed, N failed"
#   make asan-test  the same suite under AddressSanitizer + UndefinedBehaviorSanitizer
#   make tsan-test  the thread and GIL engine tests under ThreadSanitizer
#   make valgrind-test  the headless regress tests under valgrind
#   make bench      the benchmarks in tests/bench, figures printed
#   make soak       the tutor replaying a compare for SOAK_MINUTES (10): RSS flat, nothing left
#   make fuzz       the libFuzzer harnesses, long runs (FUZZ_RUNS=1000000)
#   make install    PREFIX=/usr/local DESTDIR=
#   make format     clang-format every source and header; make format-check lists what it would change
#
# Every library is found by pkg-config. On a fresh Debian/Ubuntu machine the
# missing -dev packages are installed with apt-get (it says so as it does).

PREFIX    ?= /usr/local
BINDIR    ?= $(PREFIX)/bin
DATADIR   ?= $(PREFIX)/share
MANDIR    ?= $(DATADIR)/man
DESTDIR   ?=
CC        ?= cc
PKG_CONFIG ?= pkg-config
VERSION   := 0.1.0

# pkg-config module -> Debian package that provides it
PKGS      := ncursesw readline libcmark json-c cairo
TEST_PKGS := cmocka
DEB_ncursesw := libncurses-dev
DEB_readline := libreadline-dev
DEB_libcmark := libcmark-dev
DEB_json-c   := libjson-c-dev
DEB_cairo    := libcairo2-dev
# the font of --format svg|png (cairo falls back to "monospace" without it)
PICTURE_FONT := DejaVu Sans Mono
DEB_FONT     := fonts-dejavu-core
DEB_cmocka   := libcmocka-dev

# builds use every core unless a -j was given (the tests themselves run one at a time)
ifeq ($(filter -j%,$(MAKEFLAGS)),)
MAKEFLAGS += -j$(shell nproc 2>/dev/null || echo 1)
endif

BUILD     ?= build
WERROR    ?= $(if $(CI),-Werror,)
CFLAGS    ?= -O2 -g
CFLAGS    += -std=c11 -Wall -Wextra $(WERROR) -pthread
CPPFLAGS  += -D_GNU_SOURCE -Isrc -DMPTUTOR_VERSION='"$(VERSION)"' \
	     -DMPTUTOR_DATADIR='"$(DATADIR)/mptutor"'
LDLIBS    += -pthread -lm
# every symbol bound as the program loads: a forked worker's first calls (prctl,
# sigaction, ...) would otherwise each look their symbol up again in every
# library, page-faulting the tables in: a dozen faults a worker
LDLIBS    += -Wl,-z,now

# pkg-config is only asked once the dependencies are there
PKG_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
TEST_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(TEST_PKGS) 2>/dev/null)
TEST_LIBS   = $(shell $(PKG_CONFIG) --libs $(TEST_PKGS) 2>/dev/null)

# every folder of src/ is part of the program: a new one needs no line here
SRCS      := $(wildcard src/*/*.c)
OBJS      := $(SRCS:%.c=$(BUILD)/%.o)
MAIN_OBJ  := $(BUILD)/src/main.o
LIB       := $(BUILD)/libmptutor.a
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
BENCH_SRCS := $(wildcard tests/bench/*.c)
BENCH_BINS := $(BENCH_SRCS:tests/bench/%.c=$(BUILD)/bench/%)
DEPS_STAMP := $(BUILD)/.deps-ok

.PHONY: FORCE all run test soak asan-test tsan-test valgrind-test asan-build tsan-build unit-bins bench fuzz install uninstall clean deps format format-check

all: mptutor

# --- build dependencies ------------------------------------------------------
deps: $(DEPS_STAMP)

# rerun when this file changes: a dependency added here is installed by the next make
$(DEPS_STAMP): Makefile
	@missing=""; \
	command -v $(PKG_CONFIG) >/dev/null 2>&1 || missing="$$missing pkg-config"; \
	for m in $(PKGS) $(TEST_PKGS); do \
	  $(PKG_CONFIG) --exists $$m 2>/dev/null || case $$m in \
	    ncursesw) missing="$$missing $(DEB_ncursesw)";; \
	    readline) missing="$$missing $(DEB_readline)";; \
	    libcmark) missing="$$missing $(DEB_libcmark)";; \
	    json-c)   missing="$$missing $(DEB_json-c)";; \
	    cairo)    missing="$$missing $(DEB_cairo)";; \
	    cmocka)   missing="$$missing $(DEB_cmocka)";; \
	  esac; \
	done; \
	if command -v fc-list >/dev/null 2>&1 && [ -z "$$(fc-list '$(PICTURE_FONT)' 2>/dev/null)" ]; then \
	  missing="$$missing $(DEB_FONT)"; \
	fi; \
	if [ -n "$$missing" ]; then \
	  if command -v apt-get >/dev/null 2>&1; then \
	    SUDO=; [ "$$(id -u)" -eq 0 ] || SUDO=sudo; \
	    echo "mptutor: installing missing build dependencies with apt-get:$$missing"; \
	    $$SUDO apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing \
	      || { echo "mptutor: apt-get could not install:$$missing" >&2; exit 1; }; \
	  else \
	    echo "mptutor: missing build dependencies:$$missing (install them, then run make again)" >&2; \
	    exit 1; \
	  fi; \
	fi
	@# the py-* backends run python3 (the C ones do not: without apt-get, only a warning)
	@if ! command -v python3 >/dev/null 2>&1; then \
	  if command -v apt-get >/dev/null 2>&1; then \
	    SUDO=; [ "$$(id -u)" -eq 0 ] || SUDO=sudo; \
	    echo "mptutor: installing missing run-time dependency with apt-get: python3 (for -b py-serial, py-process, py-thread)"; \
	    $$SUDO apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends python3 \
	      || { echo "mptutor: apt-get could not install: python3" >&2; exit 1; }; \
	  else \
	    echo "mptutor: python3 is missing (install it for the py-* backends; the C backends work without it)" >&2; \
	  fi; \
	fi
	@mkdir -p $(@D) && touch $@

# Tools the tests drive (tmux for the screen tests); installed the same way.
$(BUILD)/.testdeps-ok: $(DEPS_STAMP)
	@missing=""; \
	for t in tmux:tmux python3:python3 clang:clang valgrind:valgrind; do \
	  cmd=$${t%%:*}; pkg=$${t##*:}; \
	  command -v $$cmd >/dev/null 2>&1 || missing="$$missing $$pkg"; \
	done; \
	if [ -n "$$missing" ] && command -v apt-get >/dev/null 2>&1; then \
	  SUDO=; [ "$$(id -u)" -eq 0 ] || SUDO=sudo; \
	  echo "mptutor: installing missing test tools with apt-get:$$missing"; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing \
	    || echo "mptutor: could not install:$$missing (the tests that need them will fail)" >&2; \
	fi
	@touch $@

# --- the program -------------------------------------------------------------
$(BUILD)/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(PKG_CFLAGS) -MMD -MP -c -o $@ $<

# The lesson directory is compiled in: a stamp holding DATADIR, rewritten only
# when it changes, rebuilds the objects that name it (MPTUTOR_DATADIR) when
# `make install PREFIX=...` asks for another one than the last build did.
DATADIR_STAMP := $(BUILD)/.datadir
DATADIR_OBJS  := $(patsubst %.c,$(BUILD)/%.o,$(shell grep -l MPTUTOR_DATADIR $(SRCS) src/main.c))
$(DATADIR_OBJS): $(DATADIR_STAMP)
$(DATADIR_STAMP): FORCE
	@mkdir -p $(@D)
	@echo '$(DATADIR)' | cmp -s - $@ || echo '$(DATADIR)' >$@
FORCE:

$(LIB): $(OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

mptutor: $(MAIN_OBJ) $(LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(MAIN_OBJ) $(LIB) $(PKG_LIBS) $(LDLIBS)

run: mptutor
	./mptutor

# --- tests -------------------------------------------------------------------
$(BUILD)/tests/%: tests/unit/%.c $(LIB) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(PKG_CFLAGS) $(TEST_CFLAGS) -o $@ $< $(LIB) \
	  $(PKG_LIBS) $(TEST_LIBS) $(LDLIBS)

$(BUILD)/bench/%: tests/bench/%.c $(LIB) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(PKG_CFLAGS) -o $@ $< $(LIB) $(PKG_LIBS) $(LDLIBS)

# make test: the plain build's unit and regress tests, then the unit tests and
# the quick regress scripts under ASan+UBSan (the slow ones, which mostly wait
# on Python, the course and installs, run under ASan in make asan-test), the
# thread/GIL/engine unit tests under TSan, and the headless commands under
# valgrind (make valgrind-test adds the CLI scripts under memcheck) — one
# summary line for all of it, in about ten minutes.
ASAN_FLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
TSAN_FLAGS := -O1 -g -fsanitize=thread
STAGES     ?= plain asan tsan valgrind

test: mptutor $(UNIT_BINS) $(BUILD)/.testdeps-ok
	@case " $(STAGES) " in *" asan "*) $(MAKE) --no-print-directory asan-build;; esac
	@case " $(STAGES) " in *" tsan "*) $(MAKE) --no-print-directory tsan-build;; esac
	@BUILD=$(BUILD) MPTUTOR=./mptutor STAGES="$(STAGES)" QUICK=1 sh tests/run.sh

# Sanitizer builds live in their own build dirs so they never mix with the normal one.
asan-build: $(DEPS_STAMP)
	@$(MAKE) --no-print-directory BUILD=build-asan CFLAGS="$(ASAN_FLAGS)" \
	  LDFLAGS="-fsanitize=address,undefined" build-asan/mptutor unit-bins

tsan-build: $(DEPS_STAMP)
	@$(MAKE) --no-print-directory BUILD=build-tsan CFLAGS="$(TSAN_FLAGS)" \
	  LDFLAGS="-fsanitize=thread" unit-bins

unit-bins: $(UNIT_BINS)

asan-test: asan-build $(BUILD)/.testdeps-ok
	@STAGES=asan sh tests/run.sh

tsan-test: tsan-build
	@STAGES=tsan sh tests/run.sh

valgrind-test: mptutor $(BUILD)/.testdeps-ok
	@STAGES=valgrind MPTUTOR=./mptutor sh tests/run.sh

$(BUILD)/mptutor: $(MAIN_OBJ) $(LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(MAIN_OBJ) $(LIB) $(PKG_LIBS) $(LDLIBS)

# make bench: every bench, then each figure with a goal again, one line each
# (a bench prints "NAME: VALUE (goal ...; baseline ...)"), under the
# machine's cores and the date; the soak for BENCH_SOAK_MINUTES (make soak: 10)
BENCH_SOAK_MINUTES ?= 1
bench: mptutor $(BENCH_BINS)
	@mkdir -p $(BUILD); : >$(BUILD)/bench.log
	@for b in $(BENCH_BINS); do $$b 2>&1 | tee -a $(BUILD)/bench.log || exit 1; done
	@for s in tests/bench/*.sh; do [ -f "$$s" ] && MPTUTOR=./mptutor bash "$$s" 2>&1 | tee -a $(BUILD)/bench.log; done; true
	@SOAK=1 SOAK_MINUTES=$(BENCH_SOAK_MINUTES) MPTUTOR=./mptutor sh tests/regress/60-soak.sh 2>&1 | \
	  sed -n 's/^# soak: .*RSS at start \([0-9]*\) kB, at end \([0-9]*\) kB/soak: RSS \1 kB at the start, \2 kB after $(BENCH_SOAK_MINUTES) min of replays (goal: flat, nothing left; make soak runs 10 min)/p; /^not ok/p' | \
	  tee -a $(BUILD)/bench.log
	@echo; echo "every figure with a goal, $$(date -u +%Y-%m-%d), $$(nproc) cores, $$(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1):"
	@grep -E '\(goal|^soak:' $(BUILD)/bench.log | sed 's/^ */  /'

SOAK_MINUTES ?= 10
soak: mptutor
	@SOAK=1 SOAK_MINUTES=$(SOAK_MINUTES) MPTUTOR=./mptutor sh tests/regress/60-soak.sh

FUZZ_RUNS ?= 1000000
fuzz:
	@FUZZ_RUNS=$(FUZZ_RUNS) sh tests/fuzz/run.sh

# --- install -----------------------------------------------------------------
install: mptutor
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/mptutor/lessons $(DESTDIR)$(MANDIR)/man1 \
	  $(DESTDIR)$(DATADIR)/mptutor/python
	install -m 0755 mptutor $(DESTDIR)$(BINDIR)/mptutor
	install -m 0644 lessons/*.md $(DESTDIR)$(DATADIR)/mptutor/lessons/
	cp -R lessons/exercises lessons/demos $(DESTDIR)$(DATADIR)/mptutor/lessons/
	install -m 0644 src/python/*.py $(DESTDIR)$(DATADIR)/mptutor/python/
	[ ! -f assets/mptutor.1 ] || install -m 0644 assets/mptutor.1 $(DESTDIR)$(MANDIR)/man1/mptutor.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/mptutor $(DESTDIR)$(MANDIR)/man1/mptutor.1
	rm -rf $(DESTDIR)$(DATADIR)/mptutor

# Every C source and header of the tree, discovered as SRCS is: a new folder
# of src/ or tests/ is formatted with no line here.
FORMAT_SRCS := $(wildcard src/*.c src/*.h) $(SRCS) $(wildcard src/*/*.h) \
	       $(wildcard tests/*/*.c tests/*/*.h)

format:
	clang-format -i $(FORMAT_SRCS)

# The files `make format` would change, named and left as they are (status 1 if any).
format-check:
	@bad=0; for f in $(FORMAT_SRCS); do \
	  clang-format "$$f" | cmp -s - "$$f" || { echo "not formatted: $$f"; bad=1; }; \
	done; exit $$bad

clean:
	rm -rf build build-asan build-tsan build-fuzz mptutor

-include $(OBJS:.o=.d) $(MAIN_OBJ:.o=.d)
