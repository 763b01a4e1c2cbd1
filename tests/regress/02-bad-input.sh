#!/bin/sh
# 02-bad-input.sh — every kind of bad input on the command line: exit status
# 2, a one-line message on stderr naming the problem (and what is allowed),
# nothing on stdout, never a crash, a core dump or a hang.
. tests/regress/lib.sh

# bad NEEDLE ARGS...: mptutor ARGS exits 2 with NEEDLE in stderr, in time.
bad() {
	needle=$1; shift
	timeout 20 "$MPTUTOR" "$@" >"$TEST_TMP/out" 2>"$TEST_TMP/err"
	got=$?
	lines=$(wc -l <"$TEST_TMP/err")
	if [ "$got" -eq 2 ] && grep -qF -- "$needle" "$TEST_TMP/err" && [ "$lines" -eq 1 ] &&
		[ ! -s "$TEST_TMP/out" ]; then
		ok "mptutor $* → 2, \"$needle\""
	else
		not_ok "mptutor $* (exit $got, wanted 2 with \"$needle\" on one stderr line)"
		sed 's/^/#   /' "$TEST_TMP/err" | head -3
	fi
}

bad "unknown task 'sqare'" run sqare
bad "did you mean square?" run sqare 1..5
bad "unknown backend 'fork'" run square -b fork
bad "unknown option --foo for run" run square --foo
bad "allowed: -b/--backend, -w/--workers" run square --foo
bad "unknown option -x" run square -x
bad "unknown backend 'bogus'" compare square -b thread,bogus
bad "1..1024" run square -w 0
bad "1..1024" run square -w -1
bad "'abc' is not a whole number" run square -w abc
bad "'4x' is not a whole number" run square -w 4x
bad "5000 is out of range" run square -w 5000
bad "-c/--chunksize: 0 is out of range" run square -c 0
bad "--switch-interval" run square -b gil --switch-interval 0
bad "--repeat" run print --repeat 0
bad "needs a value" run square -w
bad 'ITEMS: "1..": a range needs two whole numbers' run square 1..
bad 'ITEMS: "5..1": a range must go up' run square 5..1
bad 'ITEMS: "x3"' run square x3
bad "an empty term" run square 1,,2
bad "out of range" run square 99999999999999999999
bad "too many items" run square 1..99999999999
bad "too many items" run square 1000001x1
bad "out of range for square" run square 9999999999
bad "one word too many" run square 1..5 7
bad "needs a TASK" run
bad "only on -b process" run crash -b thread
bad "only on -b process" compare crash
bad "unknown command 'rnu'" rnu square
bad "next is a command of the tutor" next
bad "unknown option --bogus" --bogus
bad "for the tutor, not with a command" --plain run square
bad "tasks takes no arguments" tasks extra
bad '"abc": not a whole number' process hello abc
bad "1..64 items" process print 1..100
bad "--join-after: -1 is out of range" process hello --join-after -1
bad "-w/--workers is not for process" process hello -w 2
bad "unknown format 'bogus' for --format (formats: text, json, csv, chrome, svg, png)" run square --format bogus
bad "unknown format 'bogus' for --format (formats: text, json, csv, chrome, svg, png)" compare square --format bogus
bad "unknown format 'bogus' for --format (formats: text, json, csv, chrome, svg, png)" process hello --format=bogus
bad "did you mean json?" run square --format jsn
bad "option --format needs a value NAME" run square --format

# A huge range is refused at once, without allocating it first: within a
# second of what refusing a small bad range takes (the same binary, so a
# slow start, as under valgrind, counts on both sides).
t0=$(date +%s%N)
"$MPTUTOR" run square 1..0 >/dev/null 2>&1
t1=$(date +%s%N)
"$MPTUTOR" run square 1..999999999999999 >/dev/null 2>&1
t2=$(date +%s%N)
small=$(( (t1 - t0) / 1000000 )) huge=$(( (t2 - t1) / 1000000 ))
check "a huge ITEMS range is refused in under a second more than a small bad one (${huge} ms, ${small} ms)" \
	test $((huge - small)) -lt 1000

# No core dumps left in the working directory.
check "no core file" sh -c '! ls core core.* >/dev/null 2>&1'

finish
