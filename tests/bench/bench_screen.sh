#!/bin/bash
# bench_screen.sh — the screen at scale: the tutor (in a detached tmux
# terminal) drawing a live run of 256 workers and one of 1,000,000 items.
# Its frame rate (goal: 20 Hz) is the frames it drew over the session's wall
# time, from its own "screen" trace line; its own CPU (goal: <= 5% of a core)
# is its main thread's, read from /proc/PID/task/PID/stat before the command
# is typed and after the session is over (workers are other processes, or
# other threads of it, and are not counted). Figures are printed, not
# asserted: machines are noisy. The tutor's draw and poll time are printed
# beside, to say where its CPU goes, and its CPU a frame (the figure a busy
# machine disturbs least: the frame rate is what that CPU gets of a core).
#   MPTUTOR=./mptutor  COLS_BENCH=120 ROWS_BENCH=40
#   WORKERS_RUN="spin 512x8 -w 256"  ITEMS_RUN="primes 1000000x300 -w 2"
MPTUTOR=${MPTUTOR:-./mptutor}
case $MPTUTOR in /*) ;; *) MPTUTOR=$(pwd)/$MPTUTOR ;; esac
WORKERS_RUN=${WORKERS_RUN:-spin 512x8 -w 256}
ITEMS_RUN=${ITEMS_RUN:-primes 1000000x300 -w 2}
command -v tmux >/dev/null 2>&1 || { echo "bench_screen: tmux is needed (apt-get install tmux)"; exit 0; }
tmp=$(mktemp -d)
sock="mptutor-bscreen-$$"
trap 'tmux -L "$sock" kill-server 2>/dev/null; exec 3>&-; rm -rf "$tmp"' EXIT INT TERM
export XDG_STATE_HOME="$tmp/state"
mkfifo "$tmp/trace"
exec 3<>"$tmp/trace" # the bench blocks on it: no CPU of its own while the run goes

# wait_trace PREFIX: until the tutor writes a line starting with PREFIX (120 s at most)
wait_trace() {
	while IFS= read -r -t 120 line <&3; do
		case $line in "$1"*) return 0 ;; esac
	done
	echo "bench_screen: no '$1' from the tutor within 120 s" >&2
	return 1
}
# main_ticks PID: utime + stime of the tutor's main thread, in clock ticks
main_ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/task/$1/stat"; }

tmux -L "$sock" -f /dev/null new-session -d -s b -x "${COLS_BENCH:-120}" -y "${ROWS_BENCH:-40}" \
	"env TERM=xterm-256color LANG=C.UTF-8 XDG_STATE_HOME=$XDG_STATE_HOME MPTUTOR_TRACE_FILE=$tmp/trace $MPTUTOR; sleep 30"
wait_trace first_frame || exit 1
tpid=$(ps -o pid= --ppid "$(tmux -L "$sock" display -p -t b '#{pane_pid}')" | tr -d ' ' | head -1)
hz=$(getconf CLK_TCK)

echo "bench_screen: the tutor drawing a live run at ${COLS_BENCH:-120}x${ROWS_BENCH:-40}"
# one NAME COMMAND BASE_HZ BASE_CPU: type it, wait for the session's end, print its figures
one() {
	name=$1; cmd=$2; base_hz=$3; base_cpu=$4
	c0=$(main_ticks "$tpid"); t0=$(date +%s.%N)
	tmux -L "$sock" send-keys -t b "$cmd" Enter
	wait_trace "screen " || exit 1
	t1=$(date +%s.%N); c1=$(main_ticks "$tpid")
	# screen frames N wall_s S cpu_s C draw_s D poll_s P
	set -- $line
	echo "$3 $5 $7 $9 ${11}" | awk -v n="$name" -v cmd="$cmd" -v c0="$c0" -v c1="$c1" \
		-v t0="$t0" -v t1="$t1" -v hz="$hz" -v bhz="$base_hz" -v bpc="$base_cpu" '{
		hzr = $2 > 0 ? $1 / $2 : 0; pc = (c1 - c0) / hz / (t1 - t0) * 100;
		printf "%s frame rate: %.1f Hz (goal >= 20 Hz; baseline %s Hz; %d frames in %.2f s of %s) %s\n",
			n, hzr, bhz, $1, $2, cmd,
			(hzr >= 20 ? "ok" : $2 > 0 && ($1 + 1) / $2 >= 20 ? "ok within one frame of counting" : "MISSED");
		printf "%s tutor CPU: %.1f%% of a core (goal <= 5%%; baseline %s%%; its main thread from /proc, typing to the end; a frame: %.2f ms of its CPU, draw %.1f ms and session poll %.1f ms of wall time) %s\n",
			n, pc, bpc, $1 ? $3 / $1 * 1000 : 0, $1 ? $4 / $1 * 1000 : 0, $1 ? $5 / $1 * 1000 : 0, (pc <= 5 ? "ok" : "MISSED") }'
}
# the baselines: the same bench before the timeline kept its cells and the
# workers of an oversubscribed run were niced (2 cores, machine busy)
one "screen 256 workers" "run $WORKERS_RUN" 1.7 2.9
one "screen 1,000,000 items" "run $ITEMS_RUN" 16.1 23.2
# the same CPU an item: the tutor's work grows with the items it takes and
# places, not with time, so its share of a core is the item rate times this
echo "$c0 $c1 $t0 $t1" | awk -v hz="$hz" -v n=1000000 '{
	cpu = ($2 - $1) / hz; wall = $4 - $3;
	printf "screen 1,000,000 items tutor CPU an item: %.0f ns (its CPU typing to the end over the items); 5%% of a core holds up to %.0f items/s at that, this run did %.0f items/s\n",
		cpu / n * 1e9, 0.05 / (cpu / n), n / wall }'
tmux -L "$sock" send-keys -t b q
sleep 0.3
