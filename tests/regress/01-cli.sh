#!/bin/sh
# 01-cli.sh — the headless commands with the real binary: run on every
# backend, --unordered, compare, tasks, captured output, the counter's
# separate memory, --repeat, --format, --help/--version, and the text reports.
. tests/regress/lib.sh

J=$TEST_TMP/j.json

for b in process thread gil serial; do
	expect_status 0 "run square 1..5 -b $b exits 0" "$MPTUTOR" run square 1..5 -b "$b" --json
	cp "$TEST_TMP/out" "$J"
	jq_true "run square 1..5 -b $b: results [1,4,9,16,25]" "$J" \
		"j['results'] == [1,4,9,16,25] and j['items'] == [1,2,3,4,5] and j['backend'] == '$b'"
	jq_true "run square -b $b: per_worker and events describe the map" "$J" \
		"len(j['per_worker']) == j['workers'] and sorted(e['item'] for e in j['events']) == [0,1,2,3,4] and j['errors'] == [] and j['ordered'] is True"
done

"$MPTUTOR" run square 1..40 -w 3 -c 2 --json >"$J"
jq_true "run -w 3 -c 2: the options reach the engine" "$J" \
	"j['workers'] == 3 and j['chunksize'] == 2 and sum(w['tasks'] for w in j['per_worker']) == 40"
jq_true "process workers are other processes; pid is mptutor's" "$J" \
	"all(w['pid'] != j['pid'] for w in j['per_worker'])"
"$MPTUTOR" run square 1..40 -w 3 -b thread --json >"$J"
jq_true "thread workers live in mptutor's process" "$J" \
	"all(w['pid'] == j['pid'] for w in j['per_worker'])"

"$MPTUTOR" run square 1..30 -w 2 --unordered --json >"$J"
jq_true "--unordered: results are a permutation, in the order given by \"order\"" "$J" \
	"j['ordered'] is False and sorted(j['results']) == [n*n for n in range(1,31)] and [j['items'][i]**2 for i in j['order']] == j['results']"

expect_status 0 "compare primes 8x30000 -w 2 exits 0" "$MPTUTOR" compare primes 8x30000 -w 2 --json
cp "$TEST_TMP/out" "$J"
jq_true "compare: 4 runs (serial, process, thread, gil), results_match true" "$J" \
	"[r['backend'] for r in j['runs']] == ['serial','process','thread','gil'] and all(r['results_match'] for r in j['runs']) and j['workers'] == 2 and len(j['items']) == 8"
jq_true "compare: speedup is serial wall / this wall" "$J" \
	"all(abs(r['speedup'] - j['runs'][0]['wall_s'] / r['wall_s']) < 0.01 * r['speedup'] + 0.001 for r in j['runs'])"

"$MPTUTOR" tasks >"$TEST_TMP/tasks"
n=$(wc -l <"$TEST_TMP/tasks")
check "tasks lists 9 tasks ($n lines)" test "$n" -eq 9
for t in square hello print primes spin sleep counter crash; do
	grep -q "^$t " "$TEST_TMP/tasks" || not_ok "tasks lists $t"
done

"$MPTUTOR" run hello 1..3 --json >"$J" 2>"$TEST_TMP/err"
jq_true "hello: each worker's line is captured in output[]" "$J" \
	"[o['text'] for o in j['output']] == ['Worker process is running.'] * 3 and j['results'] == [None, None, None]"
"$MPTUTOR" run print 0..3 -w 4 -b thread --json >"$J"
jq_true "print: the numbers are captured, not printed around the report" "$J" \
	"sorted(o['text'] for o in j['output']) == ['0','1','2','3']"
check "print --json: stdout is one JSON document" python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$J"

"$MPTUTOR" run counter 4x1000 -w 2 --json >"$J"
jq_true "counter on process: each worker counts in its own copy; parent's counter stays 0" "$J" \
	"j['parent_counter'] == 0"
"$MPTUTOR" run counter 4x1000 -w 2 -b gil --json >"$J"
jq_true "counter on gil threads: the parent's counter is the threads' (> 0)" "$J" \
	"j['parent_counter'] > 0"
"$MPTUTOR" run counter 4x1000 -b serial --json >"$J"
jq_true "counter on serial: the parent counted every addition (4000)" "$J" \
	"j['parent_counter'] == 4000"

"$MPTUTOR" run print 0..3 -w 4 --repeat 5 --json >"$J"
jq_true "--repeat 5: the orders seen add up to 5 runs" "$J" \
	"j['repeat']['runs'] == 5 and sum(o['count'] for o in j['repeat']['orders']) == 5 and all(sorted(o['order']) == [0,1,2,3] for o in j['repeat']['orders'])"
"$MPTUTOR" run print 0..3 -w 4 --repeat 3 >"$TEST_TMP/text"
check "--repeat text: an 'orders seen in 3 runs' line" grep -q "^orders seen in 3 runs" "$TEST_TMP/text"

# --format NAME: json is what --json gives, text the default; run, compare and process
"$MPTUTOR" run square 1..5 -w 2 --format json >"$J"
jq_true "run --format json: the JSON report" "$J" \
	"j['results'] == [1,4,9,16,25] and j['workers'] == 2 and j['backend'] == 'process'"
"$MPTUTOR" run square 1..5 -w 2 --format=json --repeat 2 >"$J"
jq_true "run --format=json --repeat 2: the orders under 'repeat'" "$J" \
	"j['results'] == [1,4,9,16,25] and j['repeat']['runs'] == 2"
"$MPTUTOR" compare square 1..8 -w 2 -b serial,thread --format json >"$J"
jq_true "compare --format json: a row per backend" "$J" \
	"[r['backend'] for r in j['runs']] == ['serial','thread'] and all(r['results_match'] for r in j['runs'])"
"$MPTUTOR" process print 0..3 --repeat 3 --format json >"$J"
jq_true "process --format json --repeat 3: every Process, and the orders" "$J" \
	"len(j['processes']) == 4 and j['repeat']['runs'] == 3 and sorted(j['items']) == [0,1,2,3]"
"$MPTUTOR" run square 1..5 -b thread --format text >"$TEST_TMP/text"
check "run --format text: the text report" grep -q "^results: \[1, 4, 9, 16, 25\]$" "$TEST_TMP/text"
"$MPTUTOR" run square 1..5 -b thread --json --format text >"$TEST_TMP/text"
check "--json then --format text: the last one given wins" grep -q "^square on thread: " "$TEST_TMP/text"

"$MPTUTOR" run square 1..100 -b thread >"$TEST_TMP/text"
check "text report: the Python list is cut, head and tail kept" \
	grep -q '^results: \[1, 4, 9, .*, \.\.\., .*9801, 10000\] (100 items)$' "$TEST_TMP/text"
check "text report: a header naming task, backend, workers" \
	grep -q '^square on thread: [0-9]* workers\?, chunksize [0-9]*, 100 items' "$TEST_TMP/text"
"$MPTUTOR" run square >"$TEST_TMP/text"
check "run square with the default ITEMS prints [1, 4, 9, 16, 25]" \
	grep -q '^results: \[1, 4, 9, 16, 25\]$' "$TEST_TMP/text"
"$MPTUTOR" compare square 1..8 -w 2 >"$TEST_TMP/text"
check "compare text: one row per backend (a busy machine's notes beside them are not rows)" \
	sh -c "grep -cE '^  (serial|process|thread|gil) .*(\(reference\)|(yes|no) \([a-z-]+\))\$' '$TEST_TMP/text' | grep -qx 4"

# --- one Process, not a pool ----------------------------------------------
expect_status 0 "process hello exits 0" "$MPTUTOR" process hello --json
cp "$TEST_TMP/out" "$J"
jq_true "process hello: a child of mptutor ran, printed, exited 0 and was joined" "$J" \
	"j['pid'] != j['parent_pid'] and j['exit_code'] == 0 and [o['text'] for o in j['output']] == ['Worker process is running.'] and 0 <= j['started_s'] <= j['exited_s'] <= j['joined_s']"
"$MPTUTOR" process square 7 --join-after 300 --json >"$J"
jq_true "process --join-after 300: joined no sooner than 300 ms, result 49" "$J" \
	"j['joined_s'] >= 0.3 and j['exited_s'] < j['joined_s'] and j['result'] == 49"
expect_status 1 "process crash 3 exits 1 (the child died)" "$MPTUTOR" process crash 3 --json
cp "$TEST_TMP/out" "$J"
jq_true "process crash 3: exit_code -11 (SIGSEGV)" "$J" "j['exit_code'] == -11"
"$MPTUTOR" process square 5 >"$TEST_TMP/text"
check "process text: the Process(target=...) line and the result" \
	sh -c "grep -q '^Process(target=square, args=(5,)): pid' '$TEST_TMP/text' && grep -q '^result: 25$' '$TEST_TMP/text'"

expect_status 0 "--help exits 0" "$MPTUTOR" --help
check "--help shows every command" sh -c "grep -q 'mptutor run' '$TEST_TMP/out' && grep -q 'mptutor compare' '$TEST_TMP/out' && grep -q -- '--workers' '$TEST_TMP/out'"
expect_status 0 "--version exits 0" "$MPTUTOR" --version
check "--version names the version" grep -q '^mptutor [0-9]' "$TEST_TMP/out"
expect_status 0 "help run exits 0" "$MPTUTOR" help run

finish
