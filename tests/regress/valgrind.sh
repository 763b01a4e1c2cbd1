#!/bin/sh
# valgrind.sh — the headless commands under valgrind (memcheck): no invalid
# read or write, no leak, in the parent and in forked workers. Run by
# `make valgrind-test` (and by CI).
. tests/regress/lib.sh
if ! command -v valgrind >/dev/null 2>&1; then
	not_ok "valgrind not installed (apt-get install valgrind)"
	finish
fi
VG="valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect --child-silent-after-fork=yes"
vg() { # DESC WANTED-STATUS ARGS...
	desc=$1; want=$2; shift 2
	$VG "$MPTUTOR" "$@" >"$TEST_TMP/out" 2>"$TEST_TMP/err"
	got=$?
	if [ "$got" -eq "$want" ]; then ok "valgrind: $desc"; else
		not_ok "valgrind: $desc (exit $got, wanted $want)"
		grep -E '==[0-9]+==' "$TEST_TMP/err" | head -15 | sed 's/^/#   /'
	fi
}
vg "run square (process)" 0 run square 1..20 -w 2 --json
vg "run square (thread)" 0 run square 1..20 -b thread -w 2
vg "run sleep (gil)" 0 run sleep 4x20 -b gil -w 2
vg "run print (serial)" 0 run print 0..3 -b serial
vg "compare primes" 0 compare primes 4x20000 -w 2 --json
vg "crash: failed items" 1 run crash 1..7 -w 2 --json
vg "repeat" 0 run print 0..3 -w 4 -c 1 --repeat 3
vg "process hello (one Process, joined)" 0 process hello
vg "process print 0..3 (never joined)" 0 process print 0..3 --json
vg "tasks" 0 tasks
vg "bad input" 2 run square 1..x
vg "lessons --check" 0 lessons --check
finish
