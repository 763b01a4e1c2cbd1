#!/bin/sh
# 11-tutor-prompt.sh — the tutor's prompt (GNU readline inside curses): tab
# completion of commands and tasks, history with Ctrl-R, the shortcut keys of
# an empty prompt (n, p, Enter) and typing commands that begin with them,
# bad input answered on the message line, help in an overlay.
. "$(dirname "$0")/lib.sh"

tmux_start "$MPTUTOR"
check "the tutor starts" wait_for "mptutor>" 5

tmux_keys "comp" Tab
check "Tab completes a command name" wait_for "mptutor> compare" 3
tmux_keys "prim" Tab
check "Tab completes a task name" wait_for "mptutor> compare primes" 3
tmux_keys C-u "run s" Tab Tab
check "Tab twice lists the choices on the message line" wait_for "sleep  spin  square" 3
tmux_keys C-u

# the shortcuts act at once on an empty prompt; a command's first letters still type
tmux_keys n
check "n shows the next page" wait_for "page 2/" 3
tmux_keys p
check "p shows the previous page" wait_for "page 1/" 3
tmux_keys "next" Enter
check "typing next (which starts with n) goes one page on" wait_for "page 2/" 3
tmux_keys "prev" Enter
check "typing prev goes back" wait_for "page 1/" 3

tmux_keys "run square 1..3 -w 1" Enter
check "a typed run starts (r is not taken as replay)" wait_for "[1, 4, 9]" 10
tmux_keys "run bogus" Enter
check "a bad command is answered on the message line" wait_for "bogus" 3
check "the tutor is alive after bad input" wait_for "mptutor>" 2

tmux_keys C-r "1..3"
check "Ctrl-R searches the history" wait_for "run square 1..3 -w 1" 3
tmux_keys C-g C-u

tmux_keys "?"
check "? shows the help" wait_for "Ctrl-C" 3
check "the help lists the commands" wait_for "compare" 3
tmux_keys Escape

tmux_keys "lesson 2" Enter
check "lesson 2 goes to the second lesson" wait_for "Lesson 2/" 3
tmux_keys "lesson 99" Enter
check "lesson 99 is refused with what is allowed" wait_for "no lesson '99'" 3

tmux_keys q
check "q quits" wait_for "EXITED-0" 5

finish
