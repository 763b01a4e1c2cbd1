#!/bin/sh
# 03-killed-worker.sh — when workers die and when mptutor is told to stop:
# the crash task's SIGSEGVs, a worker SIGKILLed from outside, and SIGINT /
# SIGTERM / SIGHUP to a running map. Failures are reported per item, the
# other items complete, the exit status says what happened, and no worker
# outlives mptutor.
. tests/regress/lib.sh

J=$TEST_TMP/j.json

# --- the crash task: items 3, 6, 9 kill their worker --------------------------
expect_status 1 "run crash 1..10 exits 1 (some items failed)" "$MPTUTOR" run crash 1..10 --json
cp "$TEST_TMP/out" "$J"
jq_true "crash: errors for items 3, 6 and 9, killed by SIGSEGV" "$J" \
	"sorted(j['items'][e['item']] for e in j['errors']) == [3,6,9] and all('killed by SIGSEGV' in e['message'] for e in j['errors'])"
jq_true "crash: the other items' results are right, the failed ones null" "$J" \
	"j['results'] == [None if n % 3 == 0 else n for n in range(1, 11)]"
"$MPTUTOR" run crash 1..10 >"$TEST_TMP/text" 2>&1
check "crash text report: [1, 2, None, 4, 5, None, 7, 8, None, 10]" \
	grep -qF 'results: [1, 2, None, 4, 5, None, 7, 8, None, 10]' "$TEST_TMP/text"

# --- a worker SIGKILLed from outside ----------------------------------------
"$MPTUTOR" run spin 6x300 -w 2 --json >"$J" 2>"$TEST_TMP/err" &
pid=$!
kids=$(wait_children $pid)
sleep 0.4
victim=$(echo $kids | cut -d' ' -f1)
[ -n "$victim" ] && kill -KILL "$victim"
wait $pid
st=$?
check "a worker SIGKILLed mid-map: exit 1 (status $st)" test "$st" -eq 1
jq_true "the killed worker's item fails with 'killed by SIGKILL'" "$J" \
	"len(j['errors']) == 1 and 'killed by SIGKILL' in j['errors'][0]['message']"
jq_true "the other five items complete" "$J" \
	"sum(1 for r in j['results'] if r is not None) == 5"
check "no worker left after the map" sh -c "! ps -o pid= --ppid $pid >/dev/null 2>&1"

# --- mptutor told to stop --------------------------------------------------
for sig in INT TERM HUP; do
	case $sig in INT) want=130 ;; TERM) want=143 ;; HUP) want=129 ;; esac
	"$MPTUTOR" run spin 8x500 -w 2 >"$TEST_TMP/out" 2>"$TEST_TMP/err" &
	pid=$!
	kids=$(wait_children $pid)
	sleep 0.2
	t0=$(date +%s%N)
	kill -"$sig" "$pid"
	wait $pid
	st=$?
	t1=$(date +%s%N)
	ms=$(( (t1 - t0) / 1000000 ))
	check "SIG$sig to a running map: exit $want (got $st)" test "$st" -eq "$want"
	check "SIG$sig: mptutor gone in ${ms} ms (< 1000)" test "$ms" -lt 1000
	sleep 0.1
	if [ -n "$kids" ] && [ -n "$(still_there $kids)" ]; then not_ok "SIG$sig: workers $kids left behind"; else
		ok "SIG$sig: no worker left behind ($kids)"; fi
	check "SIG$sig: a message on stderr says it was stopped" grep -q "stopped by SIG$sig" "$TEST_TMP/err"
done

# Ctrl-C typed in a real terminal reaches the whole process group: workers
# ignore it, mptutor cancels the map, reaps them and exits 130
tmux_start "$MPTUTOR" run spin 8x1000 -w 2
me=$(wait_children "$(tmux_pane_pid)")
kids=$(wait_children "$me")
sleep 0.8
if tmux_keys C-c && wait_for "EXITED-130" 3; then
	ok "Ctrl-C in a terminal: exit 130"
else
	not_ok "Ctrl-C in a terminal: exit 130"
	tmux_screen | sed 's/^/#   /' | grep -v '^#   $' | tail -5
fi
check "Ctrl-C in a terminal: the message names SIGINT" wait_for "stopped by SIGINT" 1
if [ -n "$me" ] && [ -n "$kids" ] && [ -z "$(still_there $me $kids)" ]; then
	ok "Ctrl-C in a terminal: mptutor ($me) and its workers ($kids) gone"
else
	not_ok "Ctrl-C in a terminal: mptutor '$me' and workers '$kids': one is missing or left"
fi

# one Process told to stop: its child is killed and reaped too
"$MPTUTOR" process spin 3000 >/dev/null 2>&1 &
pid=$!
kids=$(wait_children $pid)
kill -TERM $pid
wait $pid
check "SIGTERM to process spin 3000: exit 143" test $? -eq 143
sleep 0.1
if [ -n "$kids" ] && [ -n "$(still_there $kids)" ]; then not_ok "process: child $kids left behind"; else
	ok "process: no child left behind ($kids)"; fi

# the same on threads: nothing to reap, but it must stop promptly too
"$MPTUTOR" run spin 8x500 -w 2 -b gil >/dev/null 2>&1 &
pid=$!
sleep 0.3
kill -INT $pid
wait $pid
check "SIGINT to a gil map: exit 130" test $? -eq 130

finish
