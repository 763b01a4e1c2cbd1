#!/bin/sh
# 14-tutor-process.sh — the tutor's `process` command in a real terminal
# (tmux, 120x40): one Process drawn as it lives (its pid, a zombie while it
# is not joined, then joined with exit code 0), four Processes printing with
# the output orders tallied over --repeat, Ctrl-C killing and reaping the
# children of a long one, and no child left after quit; the same drawn live
# with -b py-process (the interpreter's own Processes, zombies until joined).
. "$(dirname "$0")/lib.sh"

tmux_start "$MPTUTOR"'; echo TUTOR-EXIT-$?'
check "the tutor starts" wait_for "mptutor>" 5
pid=$(tutor_pid)

# one Process, joined 1.5 s after its start: a zombie until then
tmux_keys "process hello 1 --join-after 1500" Enter
check "the Process's column is titled" wait_for "one Process, not a pool" 5
check "its pid is shown" wait_for "pid " 2
kid=$(tmux_screen | sed -n 's/.*p0 (1,) *pid \([0-9][0-9]*\).*/\1/p' | head -1)
check "the pid shown is a number ($kid)" test -n "$kid"
check "it is a zombie while not joined" wait_for "zombie" 2
check "the kernel says Z while not joined" wait_for "zombie Z" 2
check "the pid is the tutor's child, a zombie in ps" \
	test "$(ps -o stat= -p "$kid" 2>/dev/null | cut -c1)" = Z
check "the program's output is shown" wait_for "Worker process is running." 2
check "then it is joined with exit code 0" wait_for "joined · exit 0" 5
check "the join is told in the story" wait_for "p.join() reaps it" 2
check "after the join the pid is gone" sh -c '! kill -0 "$1" 2>/dev/null' _ "$kid"

# four Processes started in a loop, ten times: the orders tallied
tmux_keys "process print 0..3 --repeat 10" Enter
check "four Processes are drawn" wait_for "4 Processes, not a pool" 5
check "the tally reaches ten runs" wait_for "output orders seen in 10 of 10 runs" 10
sum=$(tmux_screen | sed -n 's/^.*│  *\([0-3] [0-3] [0-3] [0-3]\)  *×\([0-9][0-9]*\) .*$/\2/p' |
	awk '{s += $1} END {print s + 0}')
check "the counts of the orders add up to 10 (got $sum)" test "$sum" = 10
check "the message line sums it up" wait_for "10 runs; output orders seen:" 2
check "no child is left after the runs" test -z "$(children_of "$pid")"

# Ctrl-C during a long Process: killed and reaped, the tutor goes on
tmux_keys "process spin 4000" Enter
check "a long Process is running" wait_for "running" 5
sleep 0.3
check "the Process is a child of the tutor" test -n "$(children_of "$pid")"
tmux_keys C-c
check "Ctrl-C cancels it" wait_for "process cancelled; every child killed and reaped" 5
check "it is drawn killed" wait_for "killed (signal 9)" 2
check "no child is left after Ctrl-C" test -z "$(children_of "$pid")"
check "the tutor is alive after Ctrl-C" kill -0 "$pid"

# quit in the middle of a zombie's life: no child left
tmux_keys "process hello 1 --join-after 3000" Enter
check "a zombie is waiting for its join" wait_for "zombie Z" 5
kids=$(children_of "$pid")
tmux_keys q
check "q quits with status 0" wait_for "TUTOR-EXIT-0" 5
left=$(still_there $kids)
check "no child is left after quit (had: $(echo $kids))" test -z "$left"

# -b py-process: the interpreter's Processes drawn live, zombies until joined
if command -v python3 >/dev/null 2>&1; then
	tmux_start "$MPTUTOR"'; echo TUTOR-EXIT-$?'
	check "the tutor starts again" wait_for "mptutor>" 5
	pid=$(tutor_pid)
	tmux_keys "process print 0..3 -b py-process --join-after 1500" Enter
	check "py-process: four Processes are drawn" wait_for "4 Processes, not a pool" 10
	check "py-process: the parent is the interpreter" wait_for "parent: Python 3" 5
	check "py-process: zombies while not joined (Z from /proc)" wait_for "zombie Z" 5
	check "py-process: the output arrives" wait_for "in the order written (4 lines)" 10
	check "py-process: then each is joined with exit code 0" wait_for "joined · exit 0" 5
	check "py-process: done" wait_for "every child joined or reaped" 5
	tmux_keys "process sleep 5000,5000 -b py-process" Enter
	check "py-process: a long pair is running" wait_for "running" 10
	# the interpreter, then its two Processes (slow to come under a sanitizer)
	kids= n=0
	while [ -z "$kids" ] && [ $n -lt 100 ]; do
		sleep 0.1
		n=$((n + 1))
		py=$(children_of "$pid" | head -1)
		[ -n "$py" ] && kids=$(children_of "$py")
	done
	tmux_keys C-c
	check "py-process: Ctrl-C cancels it" wait_for "process cancelled; every child killed and reaped" 5
	sleep 0.3
	left=$(still_running $py $kids)
	check "py-process: nothing left after Ctrl-C (had: $py $(echo $kids))" \
		sh -c 'test -n "$1" && test -z "$2"' _ "$kids" "$left"
	tmux_keys q
	check "q quits with status 0" wait_for "TUTOR-EXIT-0" 5
else
	ok "# skip: no python3 for -b py-process"
fi

finish
