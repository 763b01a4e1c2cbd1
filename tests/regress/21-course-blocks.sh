#!/bin/sh
# 21-course-blocks.sh — every runnable block of every lesson, run headless
# through the command line as a learner's Enter would run it: each must
# succeed (status 0; 1 only for the crash demos, where failure is the point),
# and quickly.
. tests/regress/lib.sh
export MPTUTOR_LESSONS="$(pwd)/lessons"
"$MPTUTOR" lessons --blocks >"$TEST_TMP/blocks" 2>"$TEST_TMP/err"
n=$(wc -l <"$TEST_TMP/blocks")
check "lessons --blocks lists the runnable blocks ($n)" test "$n" -ge 20
while IFS= read -r line; do
	where=${line%%: *}
	cmd=${line#*: }
	want=0
	case $cmd in *" crash "*) want=1 ;; esac
	t0=$(date +%s%N)
	# shellcheck disable=SC2086 # the command's words, as the REPL splits them
	"$MPTUTOR" $cmd >"$TEST_TMP/out" 2>"$TEST_TMP/err" </dev/null
	got=$?
	ms=$(( ($(date +%s%N) - t0) / 1000000 ))
	if [ "$got" -eq "$want" ]; then
		ok "$where: $cmd (exit $got, $ms ms)"
	else
		not_ok "$where: $cmd (exit $got, wanted $want)"
		sed 's/^/#   /' "$TEST_TMP/err" | head -3
	fi
	# a lesson step must be quick enough for a class (5 s, with room for a busy machine)
	if [ "$ms" -gt 15000 ]; then not_ok "$where: $cmd took $ms ms"; fi
done <"$TEST_TMP/blocks"
finish
