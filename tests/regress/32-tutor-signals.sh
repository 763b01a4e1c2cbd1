#!/bin/sh
# 32-tutor-signals.sh — the parent's faults: each of SIGTERM, SIGHUP, SIGINT,
# SIGQUIT sent to the tutor in the middle of a run must end it with the
# terminal restored (icanon back), every worker reaped and the exit status
# 128 + the signal; SIGTSTP then
# SIGCONT must stop the tutor and its workers and bring both back, the run
# still finishing. A tutor SIGKILLed mid-run must not leave workers behind.
. "$(dirname "$0")/lib.sh"

start() {
	tmux_start "$MPTUTOR"'; echo TUTOR-EXIT-$?; stty -a | tr " ;" "\n\n" | grep -x -e icanon -e -icanon | sed "s/^/STTY:/"'
	wait_for "mptutor>" 5
}
stop() { tmux -L "$TMUX_SOCK" kill-server 2>/dev/null; sleep 0.2; }

for sig in TERM HUP INT QUIT; do
	start
	pid=$(tutor_pid)
	tmux_keys "run spin 20x400 -w 2" Enter
	wait_for "running" 5; sleep 0.3
	kids=$(children_of "$pid")
	kill -$sig "$pid"
	if [ "$sig" = INT ]; then
		# SIGINT from outside is Ctrl-C: the run is cancelled, the tutor stays
		check "SIGINT mid-run: the run is cancelled" wait_for "cancelled" 5
		check "SIGINT mid-run: the tutor stays" kill -0 "$pid"
		tmux_keys C-u q
	fi
	check "SIG$sig: the tutor exits" wait_for "TUTOR-EXIT-" 5
	# its status is what a shell reports for a death by the signal (q after a
	# Ctrl-C is a plain quit: 0)
	case $sig in TERM) want=143 ;; HUP) want=129 ;; QUIT) want=131 ;; INT) want=0 ;; esac
	check "SIG$sig: exit status $want" wait_for "TUTOR-EXIT-$want" 2
	check "SIG$sig: terminal restored (icanon)" wait_for "STTY:icanon" 3
	left=$(still_there $kids)
	check "SIG$sig: every worker reaped ($(echo $kids | wc -w) were running)" test -n "$kids" -a -z "$left"
	check "SIG$sig: no core dump, no crash" sh -c '! tmux -L "$1" capture-pane -p -t t | grep -qiE "core dumped|Segmentation|Aborted"' _ "$TMUX_SOCK"
	stop
done

# SIGTSTP / SIGCONT: stop everything, then carry on
start
pid=$(tutor_pid)
tmux_keys "run spin 8x300 -w 2" Enter
wait_for "running" 5; sleep 0.2
kids=$(children_of "$pid")
kill -TSTP "$pid"
sleep 0.5
st=$(ps -o stat= -p "$pid" | cut -c1)
check "SIGTSTP: the tutor is stopped (state $st)" test "$st" = T
kstopped=0; for k in $kids; do [ "$(ps -o stat= -p "$k" | cut -c1)" = T ] && kstopped=$((kstopped + 1)); done
check "SIGTSTP: its workers are stopped too ($kstopped of $(echo $kids | wc -w))" test -n "$kids" -a "$kstopped" -eq "$(echo $kids | wc -w)"
kill -CONT "$pid"; for k in $kids; do kill -CONT "$k" 2>/dev/null; done
check "SIGCONT: the run finishes" wait_for "8/8 done" 15
check "SIGCONT: the screen is back" wait_for "mptutor>" 3
tmux_keys q
check "after SIGCONT: quit restores the terminal" wait_for "STTY:icanon" 5
stop

# SIGKILL: nothing can be restored, but no worker may outlive the tutor
start
pid=$(tutor_pid)
tmux_keys "run spin 8x2000 -w 2" Enter
wait_for "running" 5; sleep 0.3
kids=$(children_of "$pid")
kill -KILL "$pid"
sleep 1
left=$(still_running $kids)
check "SIGKILL: its $(echo $kids | wc -w) workers gone within 1 s" test -n "$kids" -a -z "$left"
stop
finish
