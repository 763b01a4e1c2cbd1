#!/bin/sh
# 20-lessons.sh — `mptutor lessons`: the course listed a line each with what
# is done; `lessons --check` passes on the real course and names file:line
# for each problem in a broken copy (exit 2); bad options and a missing
# lesson directory are usage errors; a corrupt progress file is set aside.
. tests/regress/lib.sh
LESSONS=$(pwd)/lessons
export MPTUTOR_LESSONS="$LESSONS"
n_files=$(ls "$LESSONS"/[0-9]*.md | wc -l)

expect_status 0 "lessons exits 0" "$MPTUTOR" lessons
check "lessons lists every lesson file ($n_files)" test "$(grep -c '^ *[0-9][0-9]*  ' "$TEST_TMP/out")" -eq "$n_files"
check "lesson 1 is listed with its title" grep -q '^ 1  What multiprocessing is' "$TEST_TMP/out"
check "nothing is done yet" sh -c "! grep -q 'done' '$TEST_TMP/out'"

expect_status 0 "lessons --check passes on the course" "$MPTUTOR" lessons --check
check "--check ends with a summary line" grep -q "$n_files lessons, .* runnable blocks, .* quizzes, .* predictions: all good" "$TEST_TMP/out"

# a broken copy: a bad task, a quiz with no right answer, a predict with nothing to run
bad="$TEST_TMP/bad"
mkdir -p "$bad"
cp "$LESSONS"/*.md "$bad"/
f="$bad/06-pool-map.md"
run_line=$(grep -n '^run square 1..5 -w 4 -c 1$' "$f" | head -1 | cut -d: -f1)
sed -i 's/^run square 1\.\.5 -w 4 -c 1$/run squares 1..5 -w 4 -c 1/' "$f"
sed -i 's/^- \[x\] \[9, 1, 4\]$/- [ ] [9, 1, 4]/' "$f"
quiz_line=$(grep -n '^```quiz' "$f" | tail -1 | cut -d: -f1)
printf '\n```predict\nWhat now?\nnumber\nmeasure: wall\n```\n' >> "$f"
pred_line=$(grep -n '^```predict' "$f" | tail -1 | cut -d: -f1)
printf '# Broken\n\n```quiz\n- [x] only\n```\n' > "$bad/99-broken.md"

MPTUTOR_LESSONS="$bad" expect_status 2 "lessons --check exits 2 on a broken copy" "$MPTUTOR" lessons --check
cat "$TEST_TMP/out" "$TEST_TMP/err" > "$TEST_TMP/all"
check "the bad task is named at its block's line ($((run_line - 1)))" \
	grep -q "06-pool-map.md:$((run_line - 1)): .*squares" "$TEST_TMP/all"
check "the quiz with no right choice at line $quiz_line" grep -q "06-pool-map.md:$quiz_line: quiz: no right choice" "$TEST_TMP/all"
check "the predict with no run after it at line $pred_line" grep -q "06-pool-map.md:$pred_line: predict: not followed" "$TEST_TMP/all"
check "the question-less quiz of a new file" grep -q "99-broken.md:3: quiz: no question" "$TEST_TMP/all"
check "no summary line when there are problems" sh -c "! grep -q 'all good' '$TEST_TMP/all'"
MPTUTOR_LESSONS="$bad" expect_status 0 "plain lessons still lists a broken course" "$MPTUTOR" lessons
check "and says where to look" grep -q "lessons --check" "$TEST_TMP/err"

expect_status 2 "an unknown option is a usage error" "$MPTUTOR" lessons --frobnicate
check "which names what is allowed" grep -q -- "--check" "$TEST_TMP/err"
MPTUTOR_LESSONS=/nonexistent/lessons expect_status 2 "no lesson directory is a usage error" "$MPTUTOR" lessons
check "which says where it looked" grep -q 'MPTUTOR_LESSONS' "$TEST_TMP/err"

# progress shows: a lesson done, where the learner is
mkdir -p "$XDG_STATE_HOME/mptutor"
printf '{"version":1,"lesson":"pool-map","page":1,"done":["what-is-multiprocessing"],"answers":[]}\n' \
	> "$XDG_STATE_HOME/mptutor/progress.json"
expect_status 0 "lessons with progress exits 0" "$MPTUTOR" lessons
check "a finished lesson says done" grep -q '^ 1  What multiprocessing is .*done' "$TEST_TMP/out"
check "the current lesson says so" grep -q '^ 6  .*you are here' "$TEST_TMP/out"

printf '{"lesson": "pool-map", "page": ' > "$XDG_STATE_HOME/mptutor/progress.json"
expect_status 0 "a corrupt progress file is not fatal" "$MPTUTOR" lessons
check "it is reported" grep -q 'corrupt' "$TEST_TMP/err"
check "and set aside as progress.corrupt" test -f "$XDG_STATE_HOME/mptutor/progress.corrupt"
finish
