#!/bin/sh
# 13-tutor-lesson.sh — the tutor walking a (test) course: the ▶ command
# highlighted and run with Enter, a prediction asked first and set beside
# the measurement, a checkpoint asked and explained, progress kept so the
# next start resumes on the same page, an empty lesson directory said so,
# and a --lesson that names no lesson refused with exit 2.
. "$(dirname "$0")/lib.sh"

export MPTUTOR_LESSONS="$TEST_TMP/lessons"
mkdir -p "$MPTUTOR_LESSONS"
cat >"$MPTUTOR_LESSONS/01-first.md" <<'MD'
# First steps

A first page with *emphasis* and `code`.

```mptutor
run square 1..4 -w 2
```

---

## Predict

```predict
How many items will be done?
number
measure: wall
```

```mptutor
run square 1..6 -w 1
```

```quiz
Which backend shares memory?
- [ ] process
- [x] thread
Why: threads live in one process.
```

Past the question: shared memory.
MD
cat >"$MPTUTOR_LESSONS/02-second.md" <<'MD'
# Second lesson

The end.
MD

start() { tmux_start "env MPTUTOR_LESSONS=$MPTUTOR_LESSONS $MPTUTOR $*"; }
start
check "the lesson's title is shown" wait_for "Lesson 1/2 · First steps" 5
check "the runnable block is marked and highlighted" wait_for "▶ run square 1..4 -w 2  [Enter]" 3
tmux_keys Enter
check "Enter runs the highlighted block" wait_for "[1, 4, 9, 16]" 10
tmux_keys Enter
check "with nothing left to run, Enter turns the page" wait_for "page 2/2" 3
check "no spoilers: the checkpoint is not shown before the prediction" sh -c "! tmux -L $TMUX_SOCK capture-pane -p -t t | grep -q 'Which backend shares'"
check "... and the page says more comes after the answer" wait_for "more of this page after you answer" 3
tmux_keys Enter
check "a prediction is asked before the run" wait_for "your prediction>" 3
tmux_keys "abc" Enter
check "a bad prediction says what is allowed" wait_for "Enter skips" 3
tmux_keys C-u "0.001" Enter
check "then the block runs" wait_for "[1, 4, 9, 16, 25, 36]" 10
check "and the prediction is set beside the measurement" wait_for "You predicted" 10
check "after the run the checkpoint shows" wait_for "Which backend shares memory?" 3
check "... but not what follows it" sh -c "! tmux -L $TMUX_SOCK capture-pane -p -t t | grep -q 'Past the question'"
tmux_keys Enter
check "a checkpoint is asked" wait_for "your answer>" 3
tmux_keys "b" Enter
check "answered, the rest of the page shows" wait_for "Past the question: shared memory." 3
check "a right answer is told right" wait_for "Right." 3
check "and explained" wait_for "threads live in one process" 3
tmux_keys Escape q
check "quit" wait_for "EXITED-0" 5
# the key is the block's number in the lesson: page 1's two blocks, then block 3 of page 2
check "progress is kept" grep -q "first:5=b:right" "$XDG_STATE_HOME/mptutor/progress.json"

tmux -L "$TMUX_SOCK" kill-server 2>/dev/null
sleep 0.5
start
check "the next start resumes on the same page" wait_for "page 2/2" 5
tmux_keys q
wait_for "EXITED-0" 5

tmux -L "$TMUX_SOCK" kill-server 2>/dev/null
sleep 0.5
mkdir -p "$TEST_TMP/none"
tmux_start "env MPTUTOR_LESSONS=$TEST_TMP/none $MPTUTOR"
check "no lessons: the pane says where it looked" wait_for "no lessons found (looked in" 5
tmux_keys "run square 1..5 -w 4" Enter
check "no lessons: commands still run" wait_for "[1, 4, 9, 16, 25]" 10
tmux_keys q
wait_for "EXITED-0" 5

# a --lesson that names no lesson is bad input: said before the screen, exit 2
tmux_start "$MPTUTOR --lesson nosuch"
check "--lesson nosuch: the tutor says what is allowed" wait_for "--lesson nosuch: no such lesson (allowed: 1-2" 5
check "--lesson nosuch: exit 2" wait_for "EXITED-2" 3

finish
