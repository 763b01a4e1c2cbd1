#!/bin/sh
# 22-plain-walk.sh — the plain tutor with stdin a pipe: commands print their
# reports; Enter runs the page's runnable blocks, asks predictions and
# checkpoints and turns pages; a whole walk through the course reaches its end
# with every lesson done and every answer saved; progress resumes; --lesson
# starts elsewhere; EOF leaves cleanly; no escape codes anywhere.
. tests/regress/lib.sh
export MPTUTOR_LESSONS="$(pwd)/lessons"
n_files=$(ls "$MPTUTOR_LESSONS"/[0-9]*.md | wc -l)
progress="$XDG_STATE_HOME/mptutor/progress.json"
esc=$(printf '\033')

printf 'next\nrun square 1..5\nquit\n' | "$MPTUTOR" --plain >"$TEST_TMP/out" 2>"$TEST_TMP/err"
st=$?
check "piped next/run/quit exits 0 (got $st)" test "$st" -eq 0
check "the first page is printed" grep -q '^== Lesson 1/' "$TEST_TMP/out"
check "next shows page 2" grep -q '^== Lesson 1/.*(page 2/' "$TEST_TMP/out"
check "run prints the results as Python does" grep -qF '[1, 4, 9, 16, 25]' "$TEST_TMP/out"
check "progress is saved with mode 0600" test "$(stat -c %a "$progress" 2>/dev/null)" = 600

: | "$MPTUTOR" --plain >"$TEST_TMP/out" 2>"$TEST_TMP/err"
st=$?
check "EOF on stdin exits 0 (got $st)" test "$st" -eq 0
check "a new session resumes where the last one left off" grep -q '^== Lesson 1/.*(page 2/' "$TEST_TMP/out"

printf '\n' | "$MPTUTOR" --plain --lesson 7 >"$TEST_TMP/out" 2>"$TEST_TMP/err"
check "--lesson 7 starts at lesson 7" grep -q '^== Lesson 7/.*(page 1/' "$TEST_TMP/out"
printf '' | "$MPTUTOR" --plain --lesson pool-map >"$TEST_TMP/out" 2>"$TEST_TMP/err"
check "--lesson NAME finds it by name" grep -q '^== Lesson 6/' "$TEST_TMP/out"
printf '' | "$MPTUTOR" --plain --lesson nosuch >"$TEST_TMP/out" 2>"$TEST_TMP/err"
st=$?
check "--lesson with no such lesson exits 2 (got $st)" test "$st" -eq 2
check "and names what is allowed" grep -q 'allowed' "$TEST_TMP/err"

# a state directory that cannot be made: the tutor works, and says so once
: >"$TEST_TMP/notadir"
printf 'next\nnext\nprev\nquit\n' | XDG_STATE_HOME="$TEST_TMP/notadir" "$MPTUTOR" --plain >"$TEST_TMP/out" 2>"$TEST_TMP/err"
st=$?
check "an unwritable state directory is not fatal (exit $st)" test "$st" -eq 0
check "the pages still turn" grep -q '^== Lesson 1/.*(page 3/' "$TEST_TMP/out"
check "it is said once" test "$(grep -c 'progress' "$TEST_TMP/err")" -eq 1

# replay tells the last run again, in time order
printf 'replay\nrun square 1..3 -w 2\nreplay 1\nquit\n' | "$MPTUTOR" --plain >"$TEST_TMP/out" 2>"$TEST_TMP/err"
check "replay before any run says so" grep -q 'replay: no run yet' "$TEST_TMP/err"
check "replay tells who computed what" grep -q 'w[0-9]* finishes item 2: 9$' "$TEST_TMP/out"
check "and ends with the map done" grep -q 'the map is done: 3 done, 0 failed' "$TEST_TMP/out"

# a checkpoint, answered right then wrong; both kept (lesson 6's last page is its checkpoint)
nexts=$(grep -c '^---$' "$MPTUTOR_LESSONS"/06-*.md)
to_quiz=$(i=0; printf 'lesson 6\n'; while [ $i -lt "$nexts" ]; do printf 'next\n'; i=$((i + 1)); done)
# then Enter asks the checkpoint
{ printf '%s\n\nb\n' "$to_quiz"; printf '%s\n\na\nquit\n' "$to_quiz"; } |
	"$MPTUTOR" --plain >"$TEST_TMP/out" 2>"$TEST_TMP/err"
check "a right answer is told so" grep -q '^Right\.' "$TEST_TMP/out"
check "a wrong one gets the answer" grep -q '^Not quite. The answer: b)' "$TEST_TMP/out"
check "both are explained" test "$(grep -c '^Why: map returns results in the order' "$TEST_TMP/out")" -eq 2
check "the last answer is kept in progress" grep -q '"pool-map:[0-9]*=a:wrong"' "$progress"

# a prediction, shown beside the measurement
printf 'lesson 10\nnext\n\n3\nquit\n' | "$MPTUTOR" --plain >"$TEST_TMP/out" 2>"$TEST_TMP/err"
check "a prediction is asked before its run" grep -q '^Predict: Items 1 to 9' "$TEST_TMP/out"
check "and shown beside the measurement" grep -q '^You predicted: 3\. Measured failed: 3\.' "$TEST_TMP/out"

# the whole course: Enter, and 1 at every question (elsewhere "1" is only an unknown command)
rm -f "$progress"
i=0
while [ $i -lt 400 ]; do printf '\n1\n'; i=$((i + 1)); done >"$TEST_TMP/walk"
printf 'quit\n' >>"$TEST_TMP/walk"
"$MPTUTOR" --plain <"$TEST_TMP/walk" >"$TEST_TMP/out" 2>"$TEST_TMP/err"
st=$?
check "the walk exits 0 (got $st)" test "$st" -eq 0
check "it reaches the end of the course" grep -q "^The end of the course: $n_files of $n_files lessons done" "$TEST_TMP/out"
check "every lesson was shown" test "$(grep -c '^== Lesson [0-9]*/[0-9]*: .*(page 1/' "$TEST_TMP/out")" -eq "$n_files"
n_blocks=$("$MPTUTOR" lessons --blocks | wc -l)
n_pred=$("$MPTUTOR" lessons --check 2>/dev/null | sed -n 's/.* \([0-9]*\) predictions: all good$/\1/p')
# each ▶ line shows twice: on its page, then echoed as it runs; a predicted
# block's once: the page shows it only once the prediction is in, as it runs
check "every runnable block ran ($n_blocks, $n_pred of them predicted)" \
	test "$(grep -c '^▶ ' "$TEST_TMP/out")" -eq $((2 * n_blocks - n_pred))
n_quizzes=$(cat "$MPTUTOR_LESSONS"/[0-9]*.md | grep -c '^```quiz')
check "every checkpoint was asked ($n_quizzes)" test "$(grep -c '^your answer> ' "$TEST_TMP/out")" -eq "$n_quizzes"
check "reports were printed" grep -qF '[1, 4, 9, 16, 25]' "$TEST_TMP/out"
check "progress has every lesson done" test "$(tr -d ' \n' <"$progress" | sed 's/.*"done":\[\([^]]*\)\].*/\1/' | tr ',' '\n' | grep -c .)" -eq "$n_files"
check "progress has the answers" test "$(grep -c ':right"\|:wrong"' "$progress")" -ge "$n_files"
check "no escape codes in the output" sh -c "! grep -q '$esc' '$TEST_TMP/out' '$TEST_TMP/err'"
finish
