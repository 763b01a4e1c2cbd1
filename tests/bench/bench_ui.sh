#!/bin/bash
# bench_ui.sh — the cost of watching: the same map run headless and under
# the full-screen tutor (in a detached tmux terminal) must take the same wall
# time (goal: within 3%); the idle tutor must use < 1% of a core; the first
# frame must be drawn within 50 ms of start. Figures are printed, not
# asserted: machines are noisy. The tutor's figures come from the trace named
# by MPTUTOR_TRACE_FILE ("first_frame ...", "run BACKEND wall_s S ...").
#
# The trace is a FIFO the bench blocks on with `read`: while a map runs the
# bench itself must use no CPU. (Polling a trace file with grep every 50 ms
# costs a few % of a core in fork+exec, and that alone read as +3.7%.)
#   MPTUTOR=./mptutor  REPS=5  TASK="spin 8x150 -w 2"  BACKENDS="process thread gil"
#   COLS_BENCH=120 ROWS_BENCH=40
MPTUTOR=${MPTUTOR:-./mptutor}
case $MPTUTOR in /*) ;; *) MPTUTOR=$(pwd)/$MPTUTOR ;; esac
REPS=${REPS:-5}
TASK=${TASK:-spin 8x150 -w 2}
BACKENDS=${BACKENDS:-process thread gil}
command -v tmux >/dev/null 2>&1 || { echo "bench_ui: tmux is needed (apt-get install tmux)"; exit 0; }
tmp=$(mktemp -d)
sock="mptutor-bench-$$"
trap 'tmux -L "$sock" kill-server 2>/dev/null; exec 3>&-; rm -rf "$tmp"' EXIT INT TERM
export XDG_STATE_HOME="$tmp/state"
mkfifo "$tmp/trace"
exec 3<>"$tmp/trace" # read-write: opening never blocks, and the tutor's open finds a reader

# wait_trace PREFIX: block until the tutor writes a trace line starting with
# PREFIX (60 s at most); the line in $line
wait_trace() {
	while IFS= read -r -t 60 line <&3; do
		case $line in "$1"*) return 0 ;; esac
	done
	echo "bench_ui: no '$1' from the tutor within 60 s" >&2
	return 1
}

# median of the numbers on stdin
median() { sort -g | awk '{a[NR]=$1} END {if (NR == 0) print "nan"; else if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

# start the tutor in tmux with a trace file; its pid in $tpid
start_tutor() {
	tmux -L "$sock" -f /dev/null new-session -d -s b -x ${COLS_BENCH:-120} -y ${ROWS_BENCH:-40} \
		"env TERM=xterm-256color LANG=C.UTF-8 XDG_STATE_HOME=$XDG_STATE_HOME MPTUTOR_TRACE_FILE=$tmp/trace $MPTUTOR; sleep 30"
	wait_trace first_frame || exit 1
	first_frame=$line
	tpid=$(ps -o pid= --ppid "$(tmux -L "$sock" display -p -t b '#{pane_pid}')" | tr -d ' ' | head -1)
}
stop_tutor() { tmux -L "$sock" send-keys -t b q; sleep 0.3; tmux -L "$sock" kill-server 2>/dev/null; sleep 0.2; }

echo "bench_ui: the cost of watching (medians of $REPS runs of: run $TASK -b B, at ${COLS_BENCH:-120}x${ROWS_BENCH:-40})"

# 1. wall time: headless vs under the tutor, alternating, for each backend
start_tutor
for b in $BACKENDS; do
	: >"$tmp/headless"; : >"$tmp/tutor"
	for i in $(seq "$REPS"); do
		# to a file first: a reader started in a pipe beside the run (python's
		# start-up alone is ~0.1 s of CPU) would take a core from the workers
		# shellcheck disable=SC2086
		"$MPTUTOR" run $TASK -b "$b" --json >"$tmp/run.json"
		sed -n 's/.*"wall_s": *\([0-9.e-]*\).*/\1/p' "$tmp/run.json" | head -1 >>"$tmp/headless"
		tmux -L "$sock" send-keys -t b "run $TASK -b $b" Enter
		wait_trace "run " || exit 1
		echo "$line" | awk '{print $4}' >>"$tmp/tutor"
	done
	h=$(median <"$tmp/headless"); t=$(median <"$tmp/tutor")
	awk -v b="$b" -v h="$h" -v t="$t" 'BEGIN { d = (t - h) / h * 100;
		printf "  %-8s wall headless %.4f s, in tutor %.4f s: %+.1f%%  (goal: within 3%%) %s\n",
		b, h, t, d, (d <= 3 && d >= -3) ? "ok" : "MISSED" }'
done

# 2. the idle tutor's CPU over 5 s
hz=$(getconf CLK_TCK)
s1=$(awk '{print $14 + $15}' /proc/"$tpid"/stat)
sleep 5
s2=$(awk '{print $14 + $15}' /proc/"$tpid"/stat)
awk -v a="$s1" -v b="$s2" -v hz="$hz" 'BEGIN { p = (b - a) / hz / 5 * 100;
	printf "  idle CPU        %.2f%% of a core over 5 s  (goal: < 1%%) %s\n", p, p < 1 ? "ok" : "MISSED" }'
stop_tutor

# 3. first frame: from ui_main's start, and from launch
: >"$tmp/ff"; : >"$tmp/ffl"
for i in $(seq "$REPS"); do
	t0=$(date +%s.%N)
	start_tutor
	echo "$first_frame" | awk -v t0="$t0" '{print $3 * 1000 >> "'"$tmp/ff"'"; print ($2 - t0) * 1000 >> "'"$tmp/ffl"'"}'
	stop_tutor
done
f=$(median <"$tmp/ff"); fl=$(median <"$tmp/ffl")
awk -v f="$f" -v fl="$fl" 'BEGIN {
	printf "  first frame     median %.1f ms after the tutor starts (goal: < 50 ms) %s\n", f, f < 50 ? "ok" : "MISSED";
	printf "                  median %.1f ms after launch through tmux\n", fl }'
