#!/bin/sh
# 60-soak.sh — the tutor left going: a compare replayed again and again (a
# fresh compare every REFRESH replays) for SOAK_MINUTES (default 10). Its RSS
# is printed after the first compare and replay (warm) and at the end, and
# must stay flat (end <= start + max(2 MB, 5%)); after every compare no child
# of the tutor is left, and once it quits nothing of its process group is.
# Skipped unless SOAK=1 (make soak sets it): it takes minutes.
#   SOAK=1  SOAK_MINUTES=10  SOAK_ITEMS="primes 8x20000 -w 2"  REFRESH=10
. "$(dirname "$0")/lib.sh"

if [ "${SOAK:-0}" != 1 ]; then
	ok "soak skipped (SOAK=1 or make soak runs it, SOAK_MINUTES=10)"
	finish
fi
command -v tmux >/dev/null 2>&1 || { ok "soak skipped: no tmux"; finish; }
MIN=${SOAK_MINUTES:-10}
ITEMS=${SOAK_ITEMS:-primes 8x20000 -w 2}
REFRESH=${REFRESH:-10}
trace="$TEST_TMP/trace"
: >"$trace"

rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null; }
# runs_traced: how many maps the tutor has finished so far
runs_traced() { grep -c '^run ' "$trace"; }
# compare_once: type the compare, wait for its 4 maps (60 s at most)
compare_once() {
	want=$(($(runs_traced) + 4))
	tmux_keys "compare $ITEMS" Enter
	n=600
	while [ "$(runs_traced)" -lt $want ] && [ $n -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
	[ "$(runs_traced)" -ge $want ]
}
# replay_once: replay it (about 2 s) and wait until the tutor says it is done
replay_once() {
	tmux_keys "replay 4" Enter
	wait_for "replay done" 15 || return 1
	tmux_keys C-c # clears the message, so the next "replay done" is a new one
	sleep 0.1
}

tmux_start env MPTUTOR_TRACE_FILE="$trace" "$MPTUTOR"
n=100
while ! grep -q '^first_frame' "$trace" && [ $n -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
tpid=$(tutor_pid)
pgid=$(ps -o pgid= -p "$tpid" | tr -d ' ')
check "the tutor started" [ -n "$tpid" ]
check "the first compare finished" compare_once
check "the first replay finished" replay_once
rss0=$(rss_kb "$tpid")
echo "# soak: $MIN min of replays of compare $ITEMS (a fresh compare every $REFRESH); RSS at start ${rss0} kB"
end=$(($(date +%s) + MIN * 60))
loops=0 compares=1 failed=0 left=0
while [ "$(date +%s)" -lt $end ]; do
	replay_once || { failed=$((failed + 1)); tmux_screen | tail -3 | sed 's/^/#   /'; }
	loops=$((loops + 1))
	if [ $((loops % REFRESH)) = 0 ]; then
		compare_once || failed=$((failed + 1))
		compares=$((compares + 1))
		c=$(children_of "$tpid")
		[ -n "$c" ] && left=$((left + 1))
	fi
	[ -d "/proc/$tpid" ] || break
done
rss1=$(rss_kb "$tpid")
echo "# soak: $loops replays, $compares compares; RSS at start ${rss0} kB, at end ${rss1:-gone} kB"
check "the tutor lived through the soak" [ -n "$rss1" ]
check "every replay and compare finished ($failed did not)" [ "$failed" = 0 ]
slack=$((rss0 / 20)); [ $slack -lt 2048 ] && slack=2048
check "RSS flat: end ${rss1:-0} kB <= start ${rss0} kB + ${slack} kB" [ "${rss1:-999999999}" -le $((rss0 + slack)) ]
check "no child of the tutor left after a compare ($left times)" [ "$left" = 0 ]
tmux_keys q
n=50
while [ -d "/proc/$tpid" ] && [ $n -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
check "the tutor quit" [ ! -d "/proc/$tpid" ]
# what is left of its process group: the pane's shell and its sleep only
rest=$(ps -o pid=,args= -g "$pgid" 2>/dev/null | grep -v -e 'sleep 30' -e 'EXITED' -e ' sh -c' -e 'env TERM')
check "nothing of the tutor's left behind" [ -z "$rest" ]
[ -n "$rest" ] && echo "$rest" | sed 's/^/#   /'
tmux_stop
finish
