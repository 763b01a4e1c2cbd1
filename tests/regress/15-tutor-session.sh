#!/bin/sh
# 15-tutor-session.sh — the same `compare` line runs the same maps in all
# three front ends: the tutor (its trace lines, MPTUTOR_TRACE_FILE), the
# command line (--json) and the plain REPL (--json) give the same backends
# in the same order with the same workers and chunksize — serial: 1 worker,
# chunksize ceil(100/4) = 25; the others: 4 workers, ceil(100/16) = 7. And a
# compare of two backends lays out two columns, with no serial baseline line.
. "$(dirname "$0")/lib.sh"

TRACE="$TEST_TMP/trace"
WANT="serial 1 25
process 4 7
thread 4 7
gil 4 7"

tmux_start "MPTUTOR_TRACE_FILE=$TRACE $MPTUTOR"
check "the tutor starts" wait_for "mptutor>" 5
tmux_keys "compare square 1..100 -w 4" Enter
check "the compare finishes on screen" wait_for "speedup" 10
n=0
while [ $n -lt 50 ] && [ "$(grep -c '^run ' "$TRACE" 2>/dev/null)" -lt 4 ]; do sleep 0.1; n=$((n + 1)); done
got=$(sed -n 's/^run \([a-z]*\) .* chunksize \([0-9]*\) workers \([0-9]*\)$/\1 \3 \2/p' "$TRACE")
check "the tutor's compare: backends, workers and chunksize in order (got: $(echo $got))" \
	test "$got" = "$WANT"

# two backends: two columns, side by side, and no serial baseline line
tmux_keys "compare square 1..8 -w 2 -b thread,process" Enter
check "the process column is drawn" wait_for "process · 2 workers" 10
check "the thread column is drawn" wait_for "thread · 2 threads" 10
check "no gil column is drawn" sh -c '! tmux -L "$1" capture-pane -p -t t | grep -q "gil · "' _ "$TMUX_SOCK"
check "no serial baseline line without a serial row" \
	sh -c '! tmux -L "$1" capture-pane -p -t t | grep -q "serial baseline"' _ "$TMUX_SOCK"
tmux_keys q
tmux_stop

# the command line
"$MPTUTOR" compare square 1..100 -w 4 --json >"$TEST_TMP/cli.json"
got=$(python3 -c 'import json,sys
for r in json.load(open(sys.argv[1]))["runs"]: print(r["backend"], r["workers"], r["chunksize"])' "$TEST_TMP/cli.json")
check "the command line's compare: the same (got: $(echo $got))" test "$got" = "$WANT"

# the plain REPL
echo "compare square 1..100 -w 4 --json" | "$MPTUTOR" --plain >"$TEST_TMP/plain.out" 2>&1
got=$(python3 -c 'import json,sys
for line in open(sys.argv[1]):
    i = line.find("{ \"task\"")
    if i >= 0:
        for r in json.loads(line[i:])["runs"]: print(r["backend"], r["workers"], r["chunksize"])
        break' "$TEST_TMP/plain.out")
check "the plain REPL's compare: the same (got: $(echo $got))" test "$got" = "$WANT"

finish
