# tests/regress/lib.sh — helpers shared by the regress tests: TAP-style
# results ("ok - what" / "not ok - what", counted by tests/run.sh), and a
# tmux harness that runs the real binary in a detached 120x40 terminal.
MPTUTOR=${MPTUTOR:-./mptutor}
case $MPTUTOR in /*) ;; *) MPTUTOR=$(pwd)/$MPTUTOR ;; esac
export MPTUTOR
TESTS_FAILED=0

# Fresh state and config dirs, so a run never touches the user's.
TEST_TMP=$(mktemp -d)
export XDG_STATE_HOME="$TEST_TMP/state" XDG_CONFIG_HOME="$TEST_TMP/config" HOME="$TEST_TMP/home"
mkdir -p "$HOME"
TMUX_SOCK="mptutor-test-$$"
cleanup_lib() {
	tmux -L "$TMUX_SOCK" kill-server 2>/dev/null
	left_behind
	rm -rf "$TEST_TMP"
}

# ours_left: processes still running with this test's state dir in their
# environment (an mptutor it started, its workers, its interpreters); the
# search's own grep and subshell are gone by the time each is looked at
ours_left() {
	for e in $(grep -lzxF "XDG_STATE_HOME=$TEST_TMP/state" /proc/[0-9]*/environ 2>/dev/null); do
		p=${e#/proc/}; p=${p%/environ}
		[ "$p" = "$$" ] && continue
		st=$(sed 's/^.*) //' "/proc/$p/stat" 2>/dev/null | cut -c1)
		[ -n "$st" ] && [ "$st" != Z ] && echo "$p"
	done
}

# left_behind: once the test is over (its tmux server gone), nothing it
# started may still run: each one left is a failure, named and killed. One
# held by a sanitizer's leak check (an ASan build's exit: its tracer has it
# under ptrace and both wait on each other) is the sanitizer's, not ours:
# said, and killed. tracer_of PID: the pid tracing it (0: none).
tracer_of() { sed -n 's/^TracerPid:[[:space:]]*//p' "/proc/$1/status" 2>/dev/null; }
left_behind() {
	n=0
	while [ $n -lt 30 ]; do
		left=$(ours_left)
		[ -z "$left" ] && return 0
		sleep 0.1; n=$((n + 1))
	done
	# the leak check's tracers (clones of the traced mptutor, with its
	# environment): not named apart, they go with the one they trace
	tracers=" "
	for p in $left; do
		t=$(tracer_of "$p")
		[ -n "$t" ] && [ "$t" != 0 ] && tracers="$tracers$t "
	done
	for p in $left; do
		case $tracers in *" $p "*) [ "${SANITIZER:-}" = asan ] && continue ;; esac
		cmd=$(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null)
		tracer=$(tracer_of "$p")
		if [ -n "$tracer" ] && [ "$tracer" != 0 ] && [ "${SANITIZER:-}" = asan ]; then
			echo "# left behind in the sanitizer's leak check (traced by $tracer): pid $p $cmd"
			kill -9 "$tracer" 2>/dev/null
		else
			echo "not ok - nothing left running after the test: pid $p $cmd"
		fi
		kill -9 "$p" 2>/dev/null
	done
}
trap cleanup_lib EXIT

ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; TESTS_FAILED=$((TESTS_FAILED + 1)); }

# check DESC COMMAND...: ok if the command succeeds.
check() {
	desc=$1; shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}

# expect_status N DESC COMMAND...: ok if the command exits with N.
expect_status() {
	want=$1; desc=$2; shift 2
	"$@" >"$TEST_TMP/out" 2>"$TEST_TMP/err"
	got=$?
	if [ "$got" -eq "$want" ]; then ok "$desc"; else
		not_ok "$desc (exit $got, wanted $want)"
		sed 's/^/#   /' "$TEST_TMP/err" | head -5
	fi
}

# jq_true DESC FILE EXPR: ok if the Python expression EXPR holds for the JSON
# document j read from FILE (the first 600 bytes of it are shown if not).
jq_true() {
	desc=$1; file=$2; expr=$3
	if python3 -c 'import json,sys
j = json.load(open(sys.argv[1]))
sys.exit(0 if eval(sys.argv[2]) else 1)' "$file" "$expr" 2>"$TEST_TMP/pyerr"; then
		ok "$desc"
	else
		not_ok "$desc"
		sed 's/^/#   /' "$TEST_TMP/pyerr" | tail -3
		head -c 600 "$file" | sed 's/^/#   /'; echo
	fi
}

# children_of PID: pids whose parent is PID (none printed if none).
children_of() { ps -o pid= --ppid "$1" 2>/dev/null | tr -d ' '; }

# wait_children PID: print PID's children once it has some (5 s at most).
wait_children() {
	n=50
	while [ $n -gt 0 ]; do
		c=$(children_of "$1")
		[ -n "$c" ] && { echo $c; return 0; }
		sleep 0.1; n=$((n - 1))
	done
	return 1
}

# still_there PIDS...: print those of PIDS that still exist, zombies included.
still_there() { for p in "$@"; do kill -0 "$p" 2>/dev/null && echo "$p"; done; }

# still_running PIDS...: those of PIDS that exist and are not zombies (an
# orphan is a zombie until init reaps it: that is not a worker left running).
still_running() {
	for p in "$@"; do
		[ -d "/proc/$p" ] && ! grep -q '^State:.*Z' "/proc/$p/status" 2>/dev/null && echo "$p"
	done
}

# --- tmux --------------------------------------------------------------------
# tmux_start [W H] CMD...: start CMD in a detached session "t".
tmux_start() {
	tmux_stop
	w=120; h=40
	case $1 in [0-9]*) w=$1; h=$2; shift 2 ;; esac
	tmux -L "$TMUX_SOCK" -f /dev/null new-session -d -s t -x "$w" -y "$h" \
		"env TERM=xterm-256color LANG=C.UTF-8 XDG_STATE_HOME=$XDG_STATE_HOME HOME=$HOME $*; echo EXITED-\$?; sleep 30"
}
# tmux_stop: end the test's tmux server, and wait until it is really gone.
tmux_stop() {
	tmux -L "$TMUX_SOCK" kill-server 2>/dev/null
	n=30
	while tmux -L "$TMUX_SOCK" has-session 2>/dev/null && [ $n -gt 0 ]; do
		sleep 0.1; n=$((n - 1))
	done
}
tmux_keys() { tmux -L "$TMUX_SOCK" send-keys -t t "$@"; }
tmux_screen() { tmux -L "$TMUX_SOCK" capture-pane -p -t t; }
tmux_resize() { tmux -L "$TMUX_SOCK" resize-window -t t -x "$1" -y "$2" 2>/dev/null ||
	tmux -L "$TMUX_SOCK" resize-pane -t t -x "$1" -y "$2"; }
tmux_pane_pid() { tmux -L "$TMUX_SOCK" display -p -t t '#{pane_pid}'; }
# tutor_pid: the pid of the program the pane runs (the pane shell's child).
tutor_pid() { children_of "$(tmux_pane_pid)" | head -1; }
# wait_for TEXT [SECONDS]: until TEXT is on screen; 1 if it never shows.
wait_for() {
	n=$(( ${2:-5} * 10 ))
	while [ $n -gt 0 ]; do
		tmux_screen | grep -qF -- "$1" && return 0
		sleep 0.1; n=$((n - 1))
	done
	return 1
}

finish() { exit $(( TESTS_FAILED > 0 )); }
