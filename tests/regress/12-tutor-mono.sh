#!/bin/sh
# 12-tutor-mono.sh — the tutor readable anywhere: --ascii draws only ASCII,
# a non-UTF-8 locale falls back to ASCII by itself, and --no-color / NO_COLOR
# draw no colour at all while bold and reverse still mark what matters.
. "$(dirname "$0")/lib.sh"

# only_ascii: the screen has no byte outside printable ASCII
only_ascii() { ! tmux_screen | LC_ALL=C grep -q '[^ -~]'; }

tmux_start "$MPTUTOR --ascii"
check "--ascii: the tutor starts" wait_for "mptutor>" 5
tmux_keys "compare square 1..8 -w 2" Enter
check "--ascii: compare finishes" wait_for "gil | threads + GIL | 2" 10
wait_for "speedup" 10
check "--ascii: only ASCII on screen" only_ascii
check "--ascii: the legend reads" wait_for "X failed" 2
tmux_keys q
wait_for "EXITED-0" 5

tmux -L "$TMUX_SOCK" kill-server 2>/dev/null
sleep 0.5
tmux_start "LANG=C LC_ALL=C $MPTUTOR"
check "C locale: the tutor starts" wait_for "mptutor>" 5
tmux_keys "run square 1..5 -w 2" Enter
check "C locale: results shown" wait_for "[1, 4, 9, 16, 25]" 10
check "C locale: only ASCII on screen" only_ascii
tmux_keys q
wait_for "EXITED-0" 5

tmux -L "$TMUX_SOCK" kill-server 2>/dev/null
sleep 0.5
tmux_start "NO_COLOR=1 $MPTUTOR"
wait_for "mptutor>" 5
tmux_keys "run square 1..5 -w 2" Enter
wait_for "[1, 4, 9, 16, 25]" 10
# with -e the pane shows its SGR codes: no foreground colours, but bold is there
sgr=$(tmux -L "$TMUX_SOCK" capture-pane -e -p -t t)
check "NO_COLOR: no colour codes" sh -c '! printf "%s" "$1" | grep -Eq "\[([0-9;]*;)?(3[0-7]|38;5;[0-9]+|9[0-7])m"' _ "$sgr"
check "NO_COLOR: bold still marks titles and figures" sh -c 'printf "%s" "$1" | grep -q "\[1m"' _ "$sgr"
tmux_keys q
wait_for "EXITED-0" 5

finish
