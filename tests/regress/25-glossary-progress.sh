#!/bin/sh
# 25-glossary-progress.sh — `glossary [WORD]` on the command line and at the
# plain prompt (a word, its plural, a word not there: exit 2 with close
# matches); a lesson left with its checkpoint skipped is not done, and
# `lessons` says so; answered on a second walk, it is done.
. tests/regress/lib.sh
export MPTUTOR_LESSONS=$(pwd)/lessons

expect_status 0 "glossary GIL" "$MPTUTOR" glossary GIL
check "the word, then its definition indented" sh -c "head -1 '$TEST_TMP/out' | grep -qx GIL && sed -n 2p '$TEST_TMP/out' | grep -q '^  The global interpreter lock'"
expect_status 0 "a plural and another case find the word" "$MPTUTOR" glossary Zombies
check "... zombie" grep -qx zombie "$TEST_TMP/out"
expect_status 0 "glossary alone lists every word" "$MPTUTOR" glossary
n=$(grep -c '^\*\*' lessons/glossary.md)
check "every definition of lessons/glossary.md ($n)" test "$(grep -c '^[^ ]' "$TEST_TMP/out")" -eq "$n"
expect_status 2 "a word not there exits 2" "$MPTUTOR" glossary forkservr
check "... with its close matches" grep -q "no word 'forkservr'; close: .*forkserver" "$TEST_TMP/err"
printf 'glossary chunksize\nquit\n' | "$MPTUTOR" --plain >"$TEST_TMP/out" 2>&1
check "glossary at the plain prompt" grep -q '^  How many items a pool hands a worker at once' "$TEST_TMP/out"

# a course of one checkpoint, skipped, then answered
course="$TEST_TMP/course"
mkdir -p "$course"
cat >"$course/01-one.md" <<'MD'
# One question

```quiz
Which shares memory?
- [ ] processes
- [x] threads
```

After the question.
MD
cat >"$course/02-two.md" <<'MD'
# Two

The end.
MD
export MPTUTOR_LESSONS="$course"
printf '\n\nnext\nquit\n' | "$MPTUTOR" --plain >"$TEST_TMP/out" 2>&1
check "no spoiler in --plain: the text after the question waits" \
	sh -c "grep -n 'After the question' '$TEST_TMP/out' | head -1 | cut -d: -f1 | { read a; b=\$(grep -n 'your answer>' '$TEST_TMP/out' | head -1 | cut -d: -f1); [ \"\$a\" -gt \"\$b\" ]; }"
check "leaving it skipped is said" grep -q 'Lesson 1 left with 1 of 1 checkpoints skipped' "$TEST_TMP/out"
expect_status 0 "lessons" "$MPTUTOR" lessons
check "lessons shows the checkpoint skipped, not done" grep -q '^ 1  One question .*1 of 1 checkpoint skipped$' "$TEST_TMP/out"
printf 'lesson 1\n\nb\nnext\nquit\n' | "$MPTUTOR" --plain >"$TEST_TMP/out" 2>&1
check "answered, the lesson is done" grep -q 'Lesson 1 done.' "$TEST_TMP/out"
expect_status 0 "lessons" "$MPTUTOR" lessons
check "lessons shows it done" grep -q '^ 1  One question .* done$' "$TEST_TMP/out"
finish
