#!/bin/sh
# 04-process.sh — the process command with the real binary: the seed's last
# cell (four Processes started in a loop, each printing its number to the same
# stdout, never joined) shows a real output order that varies between runs;
# --repeat counts the orders; one Process's timeline (started < exited <=
# joined) and its zombie before the join; a signal leaves no child behind.
. tests/regress/lib.sh

J=$TEST_TMP/j.json

expect_status 0 "process print 0..3 exits 0" "$MPTUTOR" process print 0..3 --json
cp "$TEST_TMP/out" "$J"
jq_true "process print 0..3: four children of mptutor, each printed its number once" "$J" \
	"len(j['processes']) == 4 and sorted(int(o['text']) for o in j['output']) == [0,1,2,3] and len({p['pid'] for p in j['processes']}) == 4 and j['parent_pid'] not in {p['pid'] for p in j['processes']}"
jq_true "process print 0..3: never joined; reaped by mptutor after the last exit" "$J" \
	"j['joined'] is False and all(p['joined_s'] is None for p in j['processes']) and min(p['reaped_s'] for p in j['processes']) >= max(p['exited_s'] for p in j['processes'])"
jq_true "process print 0..3: no one Process's pid or exit code stands at the top level for all four" "$J" \
	"'pid' not in j and 'exit_code' not in j and 'item' not in j"
jq_true "process print 0..3: started in the loop's order, each ran after its start" "$J" \
	"[p['started_s'] for p in j['processes']] == sorted(p['started_s'] for p in j['processes']) and all(p['ran_s'] > p['started_s'] for p in j['processes'])"

"$MPTUTOR" process print >"$TEST_TMP/text"
check "process print (default 0..3), text: a line per Process and the reaping said" \
	sh -c "grep -c '^  p[0-3] ' '$TEST_TMP/text' | grep -qx 4 && grep -q 'never calls join()' '$TEST_TMP/text' && grep -q 'reaps them all at the end' '$TEST_TMP/text'"

# the order is the real order of the writes: over 100 runs, it varies (on a
# 2-core machine about a quarter of the runs or more differ from the commonest)
expect_status 0 "process print 0..3 --repeat 100 exits 0" "$MPTUTOR" process print 0..3 --repeat 100 --json
cp "$TEST_TMP/out" "$J"
jq_true "--repeat 100: 100 runs counted, each order a permutation of 0..3" "$J" \
	"j['repeat']['runs'] == 100 and sum(o['count'] for o in j['repeat']['orders']) == 100 and all(sorted(o['order']) == [0,1,2,3] for o in j['repeat']['orders'])"
if [ "$(nproc)" -ge 2 ]; then
	jq_true "--repeat 100 on $(nproc) CPUs: more than one output order seen" "$J" \
		"len(j['repeat']['orders']) >= 2"
else
	ok "# skip: one CPU, the order may well never vary"
fi
"$MPTUTOR" process print 0..3 --repeat 20 >"$TEST_TMP/text"
check "--repeat 20, text: 'orders seen in 20 runs'" grep -q '^orders seen in 20 runs' "$TEST_TMP/text"

# one Process: started < exited <= joined, the exit stamped when it happened
"$MPTUTOR" process spin 50 --json >"$J"
jq_true "process spin 50: started < exited <= joined, exited 50 ms on" "$J" \
	"0 <= j['started_s'] < j['ran_s'] < j['exited_s'] <= j['joined_s'] and j['exited_s'] - j['ran_s'] >= 0.045 and j['joined'] is True"

# join() 600 ms after the start: meanwhile the child is a zombie in ps
"$MPTUTOR" process hello --join-after 600 --json >"$J" &
pid=$!
sleep 0.3
st=$(ps -o stat= --ppid $pid 2>/dev/null | tr -d ' ')
wait $pid
case $st in Z*) ok "process hello --join-after 600: a zombie in ps before the join" ;;
	*) not_ok "process hello --join-after 600: child state '$st' before the join, wanted Z" ;; esac
jq_true "process hello --join-after 600: joined >= 600 ms, after its exit" "$J" \
	"j['joined_s'] >= 0.6 and j['exited_s'] < 0.3"

expect_status 2 "process print 1..65: refused (one Process per item, at most 64)" \
	"$MPTUTOR" process print 1..65
check "... the message names the limit" grep -q '1\.\.64' "$TEST_TMP/err"

# a signal while four children sleep: every one is killed and reaped
"$MPTUTOR" process sleep 3000,3000,3000,3000 >/dev/null 2>&1 &
pid=$!
n=0; while [ "$(children_of $pid | wc -l)" -lt 4 ] && [ $n -lt 50 ]; do sleep 0.02; n=$((n + 1)); done
kids=$(children_of $pid)
kill -TERM $pid
wait $pid
check "SIGTERM to process sleep x4: exit 143" test $? -eq 143
left=$(still_there $kids)
[ -n "$kids" ] && [ -z "$left" ] && ok "process sleep x4: no child left ($(echo $kids | wc -w) reaped)" \
	|| not_ok "process sleep x4: children [$kids], left: [$(echo $left)]"
finish
