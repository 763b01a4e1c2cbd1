#!/bin/sh
# 10-tutor.sh — the full-screen tutor in a real terminal (tmux, 120x40):
# first screen, a run and its results, compare side by side, resize mid-run
# down to the "too small" notice and back, Ctrl-C cancelling a run, Ctrl-Z
# and SIGCONT, quit restoring the terminal with no child left, history kept.
. "$(dirname "$0")/lib.sh"

# The tutor, followed by the terminal's modes once it has exited.
tmux_start "$MPTUTOR"'; echo TUTOR-EXIT-$?; stty -a | tr " ;" "\n\n" | grep -x -e icanon -e -icanon | sed "s/^/STTY:/"'

check "first screen shows the prompt" wait_for "mptutor>" 5
screen=$(tmux_screen)
check "first screen shows the lesson pane" sh -c 'printf "%s" "$1" | grep -q "Lesson 1/"' _ "$screen"
check "first screen shows the legend" sh -c 'printf "%s" "$1" | grep -q "legend"' _ "$screen"
check "first screen shows the keys" sh -c 'printf "%s" "$1" | grep -qF "n next"' _ "$screen"

# a run and its results, as Python prints the list
tmux_keys "run square 1..5 -w 4" Enter
check "run square 1..5 -w 4 shows [1, 4, 9, 16, 25]" wait_for "[1, 4, 9, 16, 25]" 10
check "the run's column is titled with its backend" wait_for "process · 4 workers" 2
check "each worker has a meter (w3)" sh -c 'tmux -L "$1" capture-pane -p -t t | grep -q "w3 "' _ "$TMUX_SOCK"

# replay with r at an empty prompt
tmux_keys r
check "r replays the last run" wait_for "replaying" 3

# compare: the three columns side by side, and the baseline
tmux_keys C-c "compare square 1..40 -w 2" Enter
check "compare shows the process column" wait_for "process · 2 workers" 10
check "compare shows the thread column" wait_for "thread · 2 threads" 10
check "compare shows the gil column" wait_for "gil · threads + GIL" 10
check "compare shows the serial baseline" wait_for "serial baseline wall" 10
check "compare's columns all finish" wait_for "speedup" 10

# resize mid-run: to 80x24, to a tiny size (notice), and back
tmux_keys "run spin 12x250 -w 2" Enter
check "a long run is going" wait_for "running" 5
tmux_resize 80 24
check "at 80x24 the run is still drawn" wait_for "process · 2 workers" 5
tmux_resize 50 12
check "a tiny terminal shows the notice" wait_for "terminal too small (need 80x24, have 50x12)" 5
tmux_resize 120 40
check "back at 120x40 the run finishes on screen" wait_for "12/12 done" 15
pid=$(tutor_pid)
check "the tutor is alive after the resizes" kill -0 "$pid"

# Ctrl-C during a run cancels the run, not the app
tmux_keys "run spin 40x500 -w 2" Enter
wait_for "running" 5
sleep 0.3
kids=$(children_of "$pid")
check "workers are running as children of the tutor" test -n "$kids"
tmux_keys C-c
check "Ctrl-C cancels the run" wait_for "cancelled" 5
sleep 0.3
check "no worker is left after the cancel" test -z "$(children_of "$pid")"
check "the tutor is alive after Ctrl-C" kill -0 "$pid"
tmux_keys "tasks" Enter
check "the tutor still takes commands after Ctrl-C" wait_for "primes" 5
tmux_keys Escape

# Ctrl-Z stops the tutor; SIGCONT brings the screen back
tmux_keys C-z
n=0
while [ $n -lt 30 ] && [ "$(awk '{print $3}' /proc/"$pid"/stat 2>/dev/null)" != T ]; do sleep 0.1; n=$((n + 1)); done
check "Ctrl-Z suspends the tutor" test "$(awk '{print $3}' /proc/"$pid"/stat 2>/dev/null)" = T
kill -CONT "$pid"
sleep 0.5
tmux_keys "run square 1..3 -w 1" Enter
check "after SIGCONT the tutor draws and runs again" wait_for "[1, 4, 9]" 5

# quit during a run: the terminal restored, no child left
tmux_keys "run spin 40x500 -w 2" Enter
wait_for "running" 5
sleep 0.3
kids=$(children_of "$pid")
tmux_keys C-u q
tmux_keys q
check "q quits with status 0" wait_for "TUTOR-EXIT-0" 5
check "the terminal is back in canonical mode (icanon)" wait_for "STTY:icanon" 5
left=$(still_there $kids)
check "no worker is left after quit (had: $(echo $kids))" test -z "$left"
hist="$XDG_STATE_HOME/mptutor/history"
check "the history is kept" grep -q "run square 1..5 -w 4" "$hist"
check "the history file is private (0600)" test "$(stat -c %a "$hist")" = 600

# SIGTERM: exits, restoring the terminal
tmux -L "$TMUX_SOCK" kill-server 2>/dev/null
sleep 0.5
tmux_start "$MPTUTOR"'; echo TUTOR-EXIT-$?; stty -a | tr " ;" "\n\n" | grep -x -e icanon -e -icanon | sed "s/^/STTY:/"'
wait_for "mptutor>" 5
tmux_keys "run spin 40x500 -w 2" Enter
wait_for "running" 5
pid=$(tutor_pid)
kids=$(children_of "$pid")
kill -TERM "$pid"
check "SIGTERM ends the tutor" wait_for "TUTOR-EXIT-" 5
check "after SIGTERM the terminal is restored" wait_for "STTY:icanon" 5
left=$(still_there $kids)
check "no worker is left after SIGTERM" test -z "$left"

finish
