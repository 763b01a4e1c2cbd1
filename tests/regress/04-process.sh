#!/bin/sh
# 04-process.sh — the process command with the real binary: the seed's last
# cell (four Processes started in a loop, each printing its number to the same
# stdout, never joined) shows a real output order that varies between runs;
# --repeat counts the orders; one Process's timeline (started < exited <=
# joined) and its zombie before the join; a signal leaves no child behind.
# The same with -b py-process (the installed CPython's own Processes): text
# and JSON name the interpreter, a crash shows SIGSEGV, --repeat counts the
# orders, a recording replays, SIGTERM leaves no Python process; other
# backends are refused with exit 2 naming the two allowed.
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
# -b: only the two Process backends
expect_status 2 "process -b thread: refused" "$MPTUTOR" process print 0..3 -b thread
check "... the message names the allowed: process, py-process" grep -q 'allowed: process, py-process' "$TEST_TMP/err"
expect_status 2 "process -b nosuch: refused" "$MPTUTOR" process print 0..3 -b nosuch

if ! command -v python3 >/dev/null 2>&1; then
	ok "# skip: no python3 for -b py-process"
	finish
fi
expect_status 0 "process print 0..3 -b py-process exits 0" "$MPTUTOR" process print 0..3 -b py-process --json
cp "$TEST_TMP/out" "$J"
jq_true "py-process: four children of the interpreter (its pid the parent), each printed once, joined" "$J" \
	"j['backend'] == 'py-process' and j['interpreter']['implementation'] == 'cpython' and j['parent_pid'] == j['interpreter']['pid'] and len({p['pid'] for p in j['processes']}) == 4 and j['parent_pid'] not in {p['pid'] for p in j['processes']} and sorted(int(o['text']) for o in j['output']) == [0,1,2,3]"
jq_true "py-process: started in order, ran after the start, exited after it ran" "$J" \
	"all(0 <= p['started_s'] <= p['ran_s'] <= p['exited_s'] <= p['reaped_s'] for p in j['processes']) and [p['started_s'] for p in j['processes']] == sorted(p['started_s'] for p in j['processes'])"
# the first child can print before the interpreter's hello line is taken:
# its output must not be lost with the hello wait's (20 runs)
lost=0
for i in $(seq 1 20); do
	"$MPTUTOR" process print 0..3 -b py-process --json >"$J" 2>/dev/null
	python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); sys.exit(0 if sorted(o["text"] for o in j["output"]) == ["0","1","2","3"] else 1)' "$J" || lost=$((lost + 1))
done
check "py-process: every child's line arrives, in 20 runs of 4 ($lost runs lost one)" test "$lost" -eq 0
"$MPTUTOR" process print 0..1 -b py-process --join-after 50 >"$TEST_TMP/text"
check "py-process text: a line per Process and the interpreter named" \
	sh -c "grep -c '^  p[01] ' '$TEST_TMP/text' | grep -qx 2 && grep -q 'run by CPython 3' '$TEST_TMP/text' && grep -q 'join()ed 50 ms' '$TEST_TMP/text'"
expect_status 1 "process crash 0,1 -b py-process: exit 1 (a child died)" "$MPTUTOR" process crash 0,1 -b py-process --json
jq_true "py-process crash 0: killed by SIGSEGV (-11), crash 1 returned 1" "$TEST_TMP/out" \
	"j['processes'][0]['exit_code'] == -11 and j['processes'][1]['exit_code'] == 0 and j['processes'][1]['result'] == 1"
expect_status 0 "process -b py-process --repeat 5" "$MPTUTOR" process print 0..2 -b py-process --repeat 5 --json
jq_true "py-process --repeat 5: 5 runs counted, each order a permutation" "$TEST_TMP/out" \
	"j['repeat']['runs'] == 5 and sum(o['count'] for o in j['repeat']['orders']) == 5 and all(sorted(o['order']) == [0,1,2] for o in j['repeat']['orders'])"
expect_status 0 "process -b py-process --start-method spawn" "$MPTUTOR" process square 3 -b py-process --start-method spawn --json
jq_true "py-process spawn: the start method said, the result 9" "$TEST_TMP/out" \
	"j['interpreter']['start_method'] == 'spawn' and j['result'] == 9"
expect_status 2 "process -b py-process --python /nonexistent/python3: exit 2" \
	"$MPTUTOR" process print 0 -b py-process --python /nonexistent/python3
check "... naming the interpreter" grep -q '/nonexistent/python3' "$TEST_TMP/err"
"$MPTUTOR" process print 0..2 -b py-process --record "$TEST_TMP/p.rec" >/dev/null
expect_status 0 "a py-process recording replays" "$MPTUTOR" replay "$TEST_TMP/p.rec"
check "... naming its interpreter" grep -q 'run by CPython 3' "$TEST_TMP/out"

# SIGTERM while the interpreter's children sleep: no process of its group left
"$MPTUTOR" process sleep 4000,4000,4000 -b py-process --json >"$TEST_TMP/py.json" 2>&1 &
pid=$!
n=0; py=""
while [ $n -lt 200 ]; do
	py=$(children_of $pid | head -1)
	[ -n "$py" ] && [ "$(children_of "$py" | wc -l)" -ge 3 ] && break
	sleep 0.05; n=$((n + 1))
done
kids=$(children_of "$py")
kill -TERM $pid
wait $pid
check "SIGTERM to process -b py-process: exit 143" test $? -eq 143
sleep 0.3
left=$(still_running $py $kids)
[ -n "$kids" ] && [ -z "$left" ] && ok "py-process sleep x3: interpreter and children gone ($(echo $kids | wc -w) children)" \
	|| not_ok "py-process sleep x3: interpreter [$py] children [$kids], left: [$(echo $left)]"
finish
