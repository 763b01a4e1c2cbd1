#!/bin/sh
# 09-recordings.sh — recordings end to end: run/compare/process/sweep --record
# FILE, replay FILE --format json giving the original report (pid aside: it is
# the replaying mptutor's), every report format of a replay, hostile files
# (a sweep's too) refused with exit 2 and the JSON path of what is wrong, the
# 256-worker fixture replayed in the tutor at 120x40 and 80x24, a sweep
# replayed there point by point, and save/export at its prompt (after a sweep too).
. tests/regress/lib.sh
T=$TEST_TMP
FIX=tests/fixtures/recordings

# same_json A B: the two reports equal but for mptutor's own pid
same_json() {
	python3 -c 'import json,sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
for d in (a, b): d.pop("pid", None)
sys.exit(0 if a == b else 1)' "$1" "$2"
}

# --- record, then replay headless -------------------------------------------
for cmd in "run square 1..40 -w 3" "run crash 1..7 -w 2" "run spin 4x3 -b gil -w 2" \
	"compare square 1..30 -w 2" "sweep square 1..60 -w 1..3 -b process,thread" \
	"sweep square 1..30 -w 2,3" "process print 1..3"; do
	$MPTUTOR $cmd --record "$T/r.json" --json >"$T/a.json" 2>/dev/null
	want=$?
	$MPTUTOR replay "$T/r.json" --json >"$T/b.json" 2>"$T/err"
	got=$?
	if [ "$got" -eq "$want" ] && same_json "$T/a.json" "$T/b.json"; then
		ok "$cmd --record: replay --json is the original report (exit $got)"
	else
		not_ok "$cmd --record: replay --json differs (exit $got, wanted $want)"
		head -3 "$T/err" | sed 's/^/#   /'
	fi
done
jq_true "a recording names its format, kind and machine" "$T/r.json" \
	'j["mptutor_recording"] == 1 and j["kind"] == "process" and j["machine"]["cores"] >= 1 and j["recorded_at"].endswith("Z")'

$MPTUTOR compare square 1..30 -w 2 --record "$T/c.json" >/dev/null
for f in text csv chrome; do
	$MPTUTOR compare square 1..30 -w 2 --format $f >/dev/null # the format works on a live one
	expect_status 0 "replay of a compare --format $f" $MPTUTOR replay "$T/c.json" --format $f
done
$MPTUTOR replay "$T/c.json" --format csv -o "$T/c.csv"
check "replay --format csv -o FILE: read by Python's csv module" python3 -c '
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
sys.exit(0 if sum(r["record"] == "item" for r in rows) == 4 * 30 else 1)' "$T/c.csv"
$MPTUTOR replay "$T/c.json" --format png -o "$T/c.png"
check "replay --format png -o FILE: a PNG" sh -c "head -c 8 '$T/c.png' | grep -q PNG"
$MPTUTOR replay "$T/c.json" >"$T/c.txt"
check "replay without a terminal: the text report" grep -q "results match baseline" "$T/c.txt"

python3 -c 'import json,sys
j = json.load(open(sys.argv[1])); j["machine"].update(cores=64, cpus_online=64, cpu_model="Server CPU 64")
json.dump(j, open(sys.argv[2], "w"))' "$T/c.json" "$T/big.json"
$MPTUTOR replay "$T/big.json" --format chrome -o "$T/big-trace.json"
jq_true "a replayed trace names the machine it was recorded on" "$T/big-trace.json" \
	'j["metadata"]["cpu_model"] == "Server CPU 64" and j["metadata"]["cpus_usable"] == 64'

# --- hostile files -------------------------------------------------------------
# bad NAME PYTHON-EDIT MESSAGE: the edited recording is refused with MESSAGE
bad() {
	name=$1 edit=$2 msg=$3
	python3 -c 'import json,sys
j = json.load(open(sys.argv[1]))
exec(sys.argv[2])
open(sys.argv[3], "w").write(json.dumps(j))' "$T/r1.json" "$edit" "$T/bad.json" || { not_ok "$name: cannot make it"; return; }
	$MPTUTOR replay "$T/bad.json" --json >/dev/null 2>"$T/err"
	st=$?
	if [ $st -eq 2 ] && grep -qF -- "$msg" "$T/err" && [ "$(wc -l <"$T/err")" -eq 1 ]; then
		ok "$name: exit 2, '$msg'"
	else
		not_ok "$name: exit $st, wanted 2 and '$msg'"
		sed 's/^/#   /' "$T/err" | head -3
	fi
}
$MPTUTOR run square 1..12 -w 2 --record "$T/r1.json" >/dev/null
bad "a newer format" 'j["mptutor_recording"] = 7' "made by a newer mptutor (format 7, this reads up to 1)"
bad "an older format" 'j["mptutor_recording"] = 0' "format 0 is older than any this mptutor reads"
bad "no recording at all" 'j = {"task": "square"}' 'not an mptutor recording'
bad "a worker out of range" 'j["runs"][0]["events"][5][0] = 9' 'runs[0].events[5].worker: 9 is out of range (allowed -1..1)'
bad "a negative time" 'j["runs"][0]["events"][3][3] = -4.5' 'runs[0].events[3].start_s: -4.5 is out of range'
bad "a wrong type" 'j["request"]["workers"] = "two"' 'request.workers: an integer expected, got a string'
bad "an unknown kind" 'j["kind"] = "sweep2"' "kind: unknown kind 'sweep2' (this reads run, compare, process, sweep)"
bad "a huge count" 'j["request"]["items"] = [1] * 1000001' 'request.items: 1000001 elements (allowed up to 1000000)'
bad "counts that disagree" 'j["runs"][0]["per_worker"].pop()' 'runs[0].per_worker: 1 elements, expected 2'
bad "an error of an item not there" 'j["runs"][0]["errors"] = [{"item": 99, "worker": 0, "message": "x", "t_s": 0}]' 'runs[0].errors[0].item: 99 is out of range'
bad "an unknown task" 'j["request"]["task"] = "rm -rf"' "request.task: 'rm -rf' is no task"
# a sweep's: points out of order, a worker count out of range, backends not its own
$MPTUTOR sweep square 1..12 -w 1..3 -b process,thread --record "$T/r1.json" >/dev/null
jq_true "a sweep's recording: its points with their baselines and the CPUs of its fit" "$T/r1.json" \
	'j["kind"] == "sweep" and len(j["runs"]) == 6 and [p["baseline"] for p in j["sweep"]["points"]] == [0, 0, 0, 3, 3, 3] and j["sweep"]["cpus"] >= 1'
bad "a sweep's points out of order" 'p = j["sweep"]["points"]; p[1], p[2] = p[2], p[1]' 'sweep.points[1].workers: 3 where the sweep'"'"'s order has 2 (out of order'
bad "a sweep's runs out of order" 'r = j["runs"]; r[0], r[1] = r[1], r[0]' 'runs[0].workers: 2 where the sweep'"'"'s point has 1'
bad "a sweep's worker count out of range" 'j["request"]["sweep_workers"][2] = 5000' 'request.sweep_workers[2]: 5000 is out of range (allowed 1..1024)'
bad "a sweep's backends mismatched" 'j["runs"][4]["backend"] = "gil"' 'runs[4]: a run of gil where the sweep'"'"'s point is thread'
bad "a sweep's points not its backends" 'j["request"]["backends"] = ["process", "gil"]' 'sweep.points[3].backend: thread where the sweep'"'"'s order has gil'
$MPTUTOR run square 1..12 -w 2 --record "$T/r1.json" >/dev/null
head -c 300 "$T/r1.json" >"$T/trunc.json"
expect_status 2 "a truncated recording: exit 2" $MPTUTOR replay "$T/trunc.json"
check "... saying truncated" grep -q "trunc.json: truncated" "$T/err"
printf '\001\002garbage' >"$T/garbage.json"
expect_status 2 "bytes that are not JSON: exit 2" $MPTUTOR replay "$T/garbage.json"
check "... saying where" grep -q "not JSON at byte" "$T/err"
expect_status 2 "a missing file: exit 2" $MPTUTOR replay "$T/nope.json"
mkfifo "$T/fifo"
expect_status 2 "a FIFO is refused, not waited on" $MPTUTOR replay "$T/fifo"
expect_status 2 "replay without FILE on the command line" $MPTUTOR replay
expect_status 2 "a bad speed" $MPTUTOR replay "$T/r1.json" 0
expect_status 2 "--record to a directory that is not there: before the map" \
	$MPTUTOR run square 1..3 --record "$T/no/such/dir/r.json"

# --- the tutor: a 256-worker recording at two sizes; save and export -------------
for size in "120 40" "80 24"; do
	set -- $size
	tmux_start "$1" "$2" "$MPTUTOR replay $FIX/run-256-workers.json 400"
	if wait_for "256 workers" 5 && wait_for "more workers" 2 && wait_for "recorded" 2; then
		scr=$(tmux_screen)
		# the meters go in columns: w0 and a later worker on one row
		if echo "$scr" | grep -qE "w0 .* w[0-9]+ " && echo "$scr" | grep -q "condensed: [0-9]* workers a row"; then
			ok "replay of 256 workers at ${1}x$2: meters in columns, timeline rows condensed with a note"
		else
			not_ok "replay of 256 workers at ${1}x$2 lays out badly"
			echo "$scr" | sed 's/^/#   /'
		fi
	else
		not_ok "replay of 256 workers at ${1}x$2: not shown"
		tmux_screen | sed 's/^/#   /'
	fi
	tmux_keys q
	tmux_stop
done

tmux_start "$MPTUTOR"
wait_for "mptutor>" 5
tmux_keys "run square 1..9 -w 2" Enter
wait_for "replays it slowly" 30 || not_ok "the run in the tutor did not end"
tmux_keys "save $T/saved.json" Enter
wait_for "saved to" 10
tmux_keys "export chrome $T/trace.json" Enter
wait_for "exported to" 10
tmux_keys "replay $T/saved.json 5" Enter
wait_for "recorded" 5
check "the tutor's replay FILE says where it was recorded" wait_for "cores" 2
tmux_keys q
tmux_stop
# a sweep: replayed point by point (the chart counts its points as they come), save, export
tmux_start "$MPTUTOR"
wait_for "mptutor>" 5
tmux_keys "sweep square 1..3000 -w 1..4 -b process,thread" Enter
wait_for "8/8 points" 60 || not_ok "the sweep in the tutor did not end"
tmux_keys "save $T/sweep-saved.json" Enter
wait_for "saved to" 10
tmux_keys "export json $T/sweep-export.json" Enter
wait_for "exported to" 10
tmux_keys "replay 40" Enter
wait_for "point by point" 5
if tmux_screen | grep -q "[0-7]/8 points"; then
	ok "the tutor's replay of a sweep goes point by point (the chart has fewer than 8 of them)"
else
	not_ok "the tutor's replay of a sweep shows the finished chart"
	tmux_screen | sed 's/^/#   /'
fi
tmux_keys q
tmux_stop
$MPTUTOR replay "$T/sweep-saved.json" --json >"$T/sweep-replayed.json"
check "the tutor's save FILE after a sweep: replay --json is its export json" \
	same_json "$T/sweep-export.json" "$T/sweep-replayed.json"
jq_true "... a sweep of 8 points with a fit" "$T/sweep-replayed.json" \
	'len(j["points"]) == 8 and len(j["curves"]) == 2'
$MPTUTOR replay "$T/sweep-saved.json" --format png -o "$T/sweep.png"
check "replay of a sweep --format png -o FILE: a PNG" sh -c "head -c 8 '$T/sweep.png' | grep -q PNG"
$MPTUTOR replay "$T/sweep-saved.json" --format csv >"$T/sweep.csv"
check "replay of a sweep --format csv: a point a row" sh -c "[ \$(grep -c '^point' '$T/sweep.csv') -eq 8 ]"

$MPTUTOR replay "$T/saved.json" --json >"$T/s.json"
jq_true "the tutor's save FILE: a recording of its run" "$T/s.json" 'j["results"] == [n * n for n in range(1, 10)]'
jq_true "the tutor's export chrome FILE: a trace" "$T/trace.json" 'len(j["traceEvents"]) > 9'
finish
