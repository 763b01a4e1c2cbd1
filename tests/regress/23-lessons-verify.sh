#!/bin/sh
# 23-lessons-verify.sh — `lessons --verify`: a fixture course whose claims
# hold (exit 0) and one whose claim fails (exit 1), each claim reported with
# held k/3 and the values measured, lesson by lesson; bad expect: lines named
# by `lessons --check` at their lines; then the real course: every block
# `lessons --blocks` lists run, none over 15 s, and its claims reported — a
# warning only while VERIFY_STRICT is 0 (VERIFY_STRICT=1 makes a claim of the
# real course that does not hold 3/3 on this machine fail the test).
. tests/regress/lib.sh
FIX=$(pwd)/tests/fixtures
VERIFY_STRICT=${VERIFY_STRICT:-0}

MPTUTOR_LESSONS="$FIX/course-verify" expect_status 0 "lesson 1's claims all hold (exit 0)" "$MPTUTOR" lessons --verify 1
check "the lesson is headed with its number and title" grep -q '^lesson 1  Claims that hold' "$TEST_TMP/out"
check "a claim held 3/3 with its values and reason" \
	grep -q '^    held     3/3  parent_counter == 0  .*measured 0, 0, 0   # each child adds to its own copy$' "$TEST_TMP/out"
check "a compare's row claim" grep -q 'held     3/3  results_match(process) == 1' "$TEST_TMP/out"
check "a block without claims only has to run" grep -q '^    ran 3/3 (no claims)$' "$TEST_TMP/out"
check "lesson 2 is not run for --verify 1" sh -c "! grep -q 'A claim that fails' '$TEST_TMP/out'"

MPTUTOR_LESSONS="$FIX/course-verify" expect_status 1 "a claim that fails makes --verify exit 1" "$MPTUTOR" lessons --verify
check "the failing claim: NOT HELD 0/3, measured 2 each time" \
	grep -q '^    NOT HELD 0/3  failed == 0  .*measured 2, 2, 2   # wrong on purpose' "$TEST_TMP/out"
check "the true claim beside it held" grep -q '^    held     3/3  failed == 2 ' "$TEST_TMP/out"
check "a process demo's figures" grep -q 'held     3/3  procs == 1' "$TEST_TMP/out"
check "lesson 2 says some did not hold" grep -q '^lesson 2: 2 blocks, 4 claims: SOME DID NOT HOLD$' "$TEST_TMP/out"
check "the closing line counts lessons, blocks and claims" \
	grep -q '^verify: 2 lessons, 5 blocks run 3 times, 9 claims: some did not hold' "$TEST_TMP/out"

MPTUTOR_LESSONS="$FIX/course-verify" expect_status 2 "--verify of no such lesson exits 2" "$MPTUTOR" lessons --verify 9
check "... naming what is allowed" grep -q 'no such lesson (allowed: 1-2' "$TEST_TMP/err"

MPTUTOR_LESSONS="$FIX/course-bad" expect_status 2 "bad expect: lines fail --check" "$MPTUTOR" lessons --check
f=01-bad-expects.md
check "an unknown figure, with the known ones" grep -q "$f:5: unknown figure 'wal_s' (known: wall_s, cpu_s," "$TEST_TMP/out"
check "a compare's figure in a run" grep -q "$f:6: figure 'speedup' is not in a run's report" "$TEST_TMP/out"
check "a bad operator" grep -q "$f:7: expect: bad comparison" "$TEST_TMP/out"
check "a bad number" grep -q "$f:8: expect: 'fast' is not a number" "$TEST_TMP/out"
check "a compare's figure without (BACKEND)" grep -q "$f:14: figure 'wall_s' of a compare names its row" "$TEST_TMP/out"
check "a backend the compare does not run" grep -q "$f:15: wall_s(thread): the compare does not run thread" "$TEST_TMP/out"
check "a figure not in a compare" grep -q "$f:16: figure 'orders' is not in a compare's report" "$TEST_TMP/out"
check "an expect before the command" grep -q "$f:20: mptutor block: an expect: line before the command line" "$TEST_TMP/out"
MPTUTOR_LESSONS="$FIX/course-bad" expect_status 2 "--verify refuses a course with problems" "$MPTUTOR" lessons --verify

# --runs K: how many runs of each block; refused outside 1..10 or without --verify
MPTUTOR_LESSONS="$FIX/course-verify" "$MPTUTOR" lessons --verify --runs 1 >"$TEST_TMP/one" 2>&1
check "--runs 1: each claim judged on one run" grep -q '^    held     1/1  parent_counter == 0 ' "$TEST_TMP/one"
check "--runs 1: the closing line says so" grep -q '^verify: 2 lessons, 5 blocks run 1 time, 9 claims' "$TEST_TMP/one"
MPTUTOR_LESSONS="$FIX/course-verify" expect_status 2 "--runs 0 is refused" "$MPTUTOR" lessons --verify --runs 0
check "... naming what is allowed" grep -q 'runs, 1 to 10' "$TEST_TMP/err"
MPTUTOR_LESSONS="$FIX/course-verify" expect_status 2 "--runs without --verify is refused" "$MPTUTOR" lessons --runs 2

# the real course: a claim that held in none of three runs, with the machine
# not busy with other work (SPOILED says it was), is a demo that does not show
# its page's point here (fail); one that held once or twice is reported (a
# 2-core machine is noisy). Every block runs once (--runs 1); a lesson with a
# claim that did not hold is verified again with three runs, and that verdict
# counts. VERIFY_STRICT=1 verifies the whole course three times and asks for
# 3/3. The ASan stage leaves this part to plain.
if [ "${SANITIZER:-}" = asan ]; then
	finish
	exit $?
fi
if [ "$VERIFY_STRICT" = 1 ]; then
	MPTUTOR_LESSONS=$(pwd)/lessons "$MPTUTOR" lessons --verify >"$TEST_TMP/course" 2>&1
else
	MPTUTOR_LESSONS=$(pwd)/lessons "$MPTUTOR" lessons --verify --runs 1 >"$TEST_TMP/course" 2>&1
fi
rc=$?
echo "# real course: $(tail -1 "$TEST_TMP/course") (exit $rc)"
# each claim that did not hold or block that failed, under its lesson and block
awk '/^lesson [0-9]+ /{l=$0} /^  line /{b=$0} /NOT HELD|FAILED/{print l; print b; print}' \
	"$TEST_TMP/course" | sed 's/^/#   /'
check "the real course ran to its closing line (exit 0 or 1)" \
	sh -c "[ $rc -le 1 ] && tail -1 '$TEST_TMP/course' | grep -q '^verify: '"
check "every block of the real course ran" sh -c "! grep -q '^ *FAILED ' '$TEST_TMP/course'"
# every block, as `lessons --blocks` lists them, was run, each quickly enough
# for a class (5 s meant, 15 s allowed for a busy machine)
MPTUTOR_LESSONS=$(pwd)/lessons "$MPTUTOR" lessons --blocks >"$TEST_TMP/blocks" 2>&1
nb=$(wc -l <"$TEST_TMP/blocks")
nr=$(grep -c '^    took [0-9.]* s a run$' "$TEST_TMP/course")
check "lessons --blocks lists the runnable blocks ($nb), and verify ran each ($nr)" \
	sh -c "[ $nb -ge 20 ] && [ $nb -eq $nr ]"
slowest=$(awk '/^    took / { if ($2 > m) m = $2 } END { print m + 0 }' "$TEST_TMP/course")
check "no block of the real course takes over 15 s a run (slowest: $slowest s)" \
	awk "BEGIN { exit !($slowest <= 15) }"
# the lessons with a claim NOT HELD in the single run, verified three times
again=$(awk '/^lesson [0-9]+  /{n=$2} /^ +NOT HELD /{print n}' "$TEST_TMP/course" | sort -un)
: >"$TEST_TMP/again"
for n in $again; do
	[ "$VERIFY_STRICT" = 1 ] && break
	MPTUTOR_LESSONS=$(pwd)/lessons "$MPTUTOR" lessons --verify "$n" >"$TEST_TMP/one" 2>&1
	cat "$TEST_TMP/one" >>"$TEST_TMP/again"
	echo "# lesson $n again, three runs: $(tail -1 "$TEST_TMP/one")"
	grep -E '^ +NOT HELD ' "$TEST_TMP/one" | sed 's/^/#   /'
done
if [ "$VERIFY_STRICT" = 1 ]; then
	check "every claim of the real course held 3/3 (VERIFY_STRICT=1)" test "$rc" -eq 0
else
	check "every claim of the real course held in at least one of three runs" \
		sh -c "! grep -q 'NOT HELD 0/3' '$TEST_TMP/again'"
fi
finish
