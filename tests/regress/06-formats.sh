#!/bin/sh
# 06-formats.sh — the csv and chrome formats and -o FILE with the real binary:
# a crash run's Chrome trace read back by Python (a slice per item on its
# worker's pid and tid, the failures marked, metadata); a compare as one CSV
# table that Python's csv module reads; a report to a file, whole, and an
# unwritable -o refused before the map with exit 2.
. tests/regress/lib.sh

T=$TEST_TMP/trace.json
C=$TEST_TMP/table.csv

expect_status 1 "run crash 1..10 --format chrome -o F exits 1 (items failed)" \
	"$MPTUTOR" run crash 1..10 -w 2 --format chrome -o "$T"
check "run crash --format chrome -o F: nothing on stdout" test ! -s "$TEST_TMP/out"
jq_true "chrome: one X slice per item, named by it, on a worker's real pid" "$T" \
	"len([e for e in j['traceEvents'] if e['ph'] == 'X' and e.get('cat','').startswith('item')]) == 10 and all(any(e['ph'] == 'X' and e['name'] in ('crash(%d)' % n, 'crash(%d) failed' % n) for e in j['traceEvents']) for n in range(1, 11))"
jq_true "chrome: the items 3, 6, 9 failed, each with an instant carrying its error" "$T" \
	"sorted(e['args']['item'] for e in j['traceEvents'] if e['ph'] == 'X' and e['cat'] == 'item,failed') == [3, 6, 9] and len([e for e in j['traceEvents'] if e['ph'] == 'i' and 'SIGSEGV' in e['args']['message']]) == 3"
jq_true "chrome: process workers' slices on their own pids (tid == pid), each named" "$T" \
	"all(e['pid'] == e['tid'] and e['pid'] != j['metadata']['pid'] for e in j['traceEvents'] if e['ph'] == 'X' and e.get('cat','').startswith('item')) and {e['pid'] for e in j['traceEvents'] if e['ph'] == 'X' and e.get('cat','').startswith('item')} <= {e['pid'] for e in j['traceEvents'] if e['ph'] == 'M' and e['name'] == 'process_name'}"
jq_true "chrome: a replaced worker's items are on the new pid (more pids than workers)" "$T" \
	"len({e['pid'] for e in j['traceEvents'] if e['ph'] == 'X' and e.get('cat','').startswith('item')}) > 2"
jq_true "chrome: metadata names the task, backend, workers, chunksize and machine" "$T" \
	"j['metadata']['task'] == 'crash' and j['metadata']['backend'] == 'process' and j['metadata']['workers'] == 2 and j['metadata']['chunksize'] >= 1 and j['metadata']['cpus_online'] >= 1 and 'kernel' in j['metadata']"

"$MPTUTOR" run spin 4x30 -w 2 -b gil --format chrome >"$T"
jq_true "chrome -b gil: GIL held and wait slices, busy counters" "$T" \
	"any(e['ph'] == 'X' and e['name'] == 'GIL held' for e in j['traceEvents']) and any(e['ph'] == 'X' and e['name'] == 'GIL wait' for e in j['traceEvents']) and any(e['ph'] == 'C' for e in j['traceEvents'])"

"$MPTUTOR" run spin 4x100 -w 2 -b py-thread --format chrome >"$T"
jq_true "chrome -b py-thread: the real GIL sampled, held and wait slices on a GIL track for each thread" "$T" \
	"len({e['tid'] for e in j['traceEvents'] if e['ph'] == 'X' and e.get('cat') == 'gil'}) == 2 and all(any(e['ph'] == 'X' and e['name'] == n and e['tid'] == t for e in j['traceEvents']) for n in ('GIL held', 'GIL wait') for t in {e['tid'] for e in j['traceEvents'] if e['ph'] == 'X' and e.get('cat') == 'gil'})"

"$MPTUTOR" compare square 1..20 -w 2 --format chrome >"$T"
jq_true "chrome compare: the thread runs each in a pid of their own" "$T" \
	"len({e['pid'] for e in j['traceEvents'] if e['ph'] == 'X' and e.get('cat') == 'item'}) >= 4 and j['metadata']['backends'] == 'serial,process,thread,gil'"

expect_status 0 "compare square 1..20 --format csv exits 0" "$MPTUTOR" compare square 1..20 -w 2 --format csv
cp "$TEST_TMP/out" "$C"
check "compare --format csv: 20 item rows per backend, workers rows, one header" python3 -c '
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
items = [r for r in rows if r["record"] == "item"]
for b in ("serial", "process", "thread", "gil"):
    mine = [r for r in items if r["backend"] == b]
    assert len(mine) == 20, (b, len(mine))
    assert [int(r["result"]) for r in mine] == [n * n for n in range(1, 21)], b
    assert all(r["status"] == "done" and float(r["end_s"]) >= float(r["start_s"]) for r in mine)
assert len([r for r in rows if r["record"] == "worker"]) == 1 + 2 + 2 + 2
assert open(sys.argv[1], "rb").read().count(b"\r\n") == len(rows) + 1
' "$C"

"$MPTUTOR" run crash 1..6 -w 2 --format csv >"$C" 2>/dev/null
check "run crash --format csv: the failed items carry their quoted error" python3 -c '
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1], newline="")) if r["record"] == "item"]
bad = [r for r in rows if r["status"] == "failed"]
assert [r["item"] for r in bad] == ["3", "6"], bad
assert all("SIGSEGV" in r["error"] and r["result"] == "" for r in bad)
' "$C"

"$MPTUTOR" process print 0..3 --format csv >"$C"
check "process --format csv: a process row per Process, an output row per line" python3 -c '
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
assert len([r for r in rows if r["record"] == "process"]) == 4
assert sorted(r["text"] for r in rows if r["record"] == "output") == ["0", "1", "2", "3"]
' "$C"
"$MPTUTOR" process print 0..3 --format chrome >"$T"
jq_true "process --format chrome: a named track per Process" "$T" \
	"len([e for e in j['traceEvents'] if e['ph'] == 'M' and e['name'] == 'process_name' and e['args']['name'].startswith('Process')]) == 4"

# -o FILE: the report there, whole; an old file replaced; an unwritable path refused first
echo old >"$TEST_TMP/r.json"
expect_status 0 "run --json -o FILE exits 0" "$MPTUTOR" run square 1..5 --json -o "$TEST_TMP/r.json"
jq_true "run --json -o FILE: the report replaced the old file" "$TEST_TMP/r.json" "j['results'] == [1, 4, 9, 16, 25]"
"$MPTUTOR" compare square 1..4 --output="$TEST_TMP/c.txt" >"$TEST_TMP/out"
check "compare --output=FILE: the text report in the file, not on stdout" \
	sh -c "grep -q '^square: 4 items' '$TEST_TMP/c.txt' && test ! -s '$TEST_TMP/out'"
expect_status 2 "run -o /nonexistent/x exits 2" "$MPTUTOR" run spin 1x3000 -o /nonexistent/x
check "-o /nonexistent/x: the message names the path and why" \
	grep -q "cannot write the report to /nonexistent/x: No such file or directory" "$TEST_TMP/err"
start=$(date +%s)
"$MPTUTOR" run spin 1x3000 -o /nonexistent/x 2>/dev/null
check "-o /nonexistent/x: refused before the 3 s map runs" test $(($(date +%s) - start)) -lt 2
"$MPTUTOR" run square 1..5 --format csv -o /dev/null
check "-o /dev/null: written in place, still a device" test -c /dev/null
expect_status 2 "process -o DIR exits 2" "$MPTUTOR" process hello -o "$TEST_TMP"
check "no temporary file left beside the reports" sh -c "! ls '$TEST_TMP' | grep -q '\.[A-Za-z0-9]\{6\}\$'"
exit $TESTS_FAILED
