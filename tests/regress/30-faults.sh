#!/bin/sh
# 30-faults.sh — worker faults, tried for real many times: a worker SIGKILLed
# from outside at a random moment, and the crash task (SIGSEGV), on the
# process backend. Each trial must end (no hang), report the failure naming
# the item and the signal within 100 ms of the death, get every other item's
# result right, and leave no child behind. Also: mptutor itself SIGKILLed
# mid-run → its workers are gone within 1 s (PR_SET_PDEATHSIG).
. tests/regress/lib.sh
TRIALS=${FAULT_TRIALS:-50}

# check_json FILE KIND: the run's JSON is consistent after a fault of KIND.
check_json() {
	python3 - "$1" "$2" "${3:-0}" <<'PY'
import json, sys
path, kind, kill_unix = sys.argv[1], sys.argv[2], float(sys.argv[3])
r = json.load(open(path))
errs = r["errors"]
fail = {e["item"] for e in errs}
def bad(msg):
    print(msg); sys.exit(1)
if kind == "crash":
    want = {i for i, n in enumerate(r["items"]) if n % 3 == 0}
    if fail != want: bad(f"failed items {sorted(fail)}, wanted {sorted(want)}")
    for e in errs:
        if "SIGSEGV" not in e["message"] or f"item {e['item']}" not in e["message"]:
            bad("message does not name signal and item: " + e["message"])
else:
    if len(errs) != 1: bad(f"{len(errs)} errors, wanted 1: {errs}")
    e = errs[0]
    if "SIGKILL" not in e["message"] or f"item {e['item']}" not in e["message"]:
        bad("message does not name signal and item: " + e["message"])
    if kill_unix and "t_s" in e and "t0_unix_s" in r:
        lat = r["t0_unix_s"] + e["t_s"] - kill_unix
        if lat > 0.1: bad(f"failure reported {lat*1000:.0f} ms after the kill")
for i, (n, res) in enumerate(zip(r["items"], r["results"])):
    if i in fail:
        if res is not None: bad(f"failed item {i} has a result")
    elif res is None: bad(f"item {i} has no result")
    elif kind == "crash" and res != n: bad(f"item {i}: {res} != {n}")
PY
}

hang=0; wrong=0; left=0; slow=0
i=0; tries=0
while [ $i -lt "$TRIALS" ] && [ $tries -lt $((TRIALS * 3)) ]; do
	i=$((i + 1)); tries=$((tries + 1))
	"$MPTUTOR" run spin 6x100 -w 2 -c 1 --json >"$TEST_TMP/k.json" 2>"$TEST_TMP/k.err" &
	pid=$!
	# a random moment inside the map: 10..200 ms
	sleep "0.$(printf '%03d' $(( $(od -An -N2 -tu2 /dev/urandom) % 190 + 10 )))"
	kids=$(children_of $pid)
	victim=$(echo $kids | cut -d' ' -f1)
	if [ -z "$victim" ]; then wait $pid; i=$((i - 1)); continue; fi
	kill_at=$(date +%s.%N)
	if ! kill -KILL "$victim" 2>/dev/null; then # it had already finished: not a trial
		wait $pid; i=$((i - 1)); continue
	fi
	n=0
	while kill -0 $pid 2>/dev/null && [ $n -lt 100 ]; do sleep 0.05; n=$((n + 1)); done
	if kill -0 $pid 2>/dev/null; then hang=$((hang + 1)); kill -KILL $pid; fi
	wait $pid; st=$?
	if [ $st -ne 1 ] || ! msg=$(check_json "$TEST_TMP/k.json" kill "$kill_at"); then
		case $msg in *"ms after the kill"*) slow=$((slow + 1)) ;; *) wrong=$((wrong + 1)) ;; esac
		echo "# trial $i: exit $st: $msg $(head -c 300 "$TEST_TMP/k.err")"
	fi
	left=$((left + $(still_there $kids | wc -l)))
done
[ $hang -eq 0 ] && ok "SIGKILLed worker, $TRIALS trials: 0 hangs" || not_ok "SIGKILLed worker: $hang hangs in $TRIALS trials"
[ $wrong -eq 0 ] && ok "SIGKILLed worker: failure named (item, SIGKILL), other results right" || not_ok "SIGKILLed worker: $wrong of $TRIALS trials reported wrongly"
[ $slow -eq 0 ] && ok "SIGKILLed worker: reported within 100 ms" || not_ok "SIGKILLed worker: $slow of $TRIALS trials reported after 100 ms"
[ $left -eq 0 ] && ok "SIGKILLed worker: no child left" || not_ok "SIGKILLed worker: $left children left"

hang=0; wrong=0
i=0
while [ $i -lt "$TRIALS" ]; do
	i=$((i + 1))
	timeout 10 "$MPTUTOR" run crash 1..12 -w 2 --json >"$TEST_TMP/c.json" 2>"$TEST_TMP/c.err"
	st=$?
	[ $st -eq 124 ] && hang=$((hang + 1))
	if [ $st -ne 1 ] || ! msg=$(check_json "$TEST_TMP/c.json" crash); then
		wrong=$((wrong + 1)); echo "# crash trial $i: exit $st: $msg"
	fi
done
[ $hang -eq 0 ] && ok "crash task, $TRIALS trials: 0 hangs" || not_ok "crash task: $hang hangs"
[ $wrong -eq 0 ] && ok "crash task: items 3,6,9,12 failed by SIGSEGV, the rest right" || not_ok "crash task: $wrong trials wrong"
zombies=$(ps -eo stat=,ppid= | awk -v p=$$ '$1 ~ /^Z/ && $2 == p' | wc -l)
[ "$zombies" -eq 0 ] && ok "no zombies left" || not_ok "$zombies zombies left"

# mptutor SIGKILLed mid-run: its workers must die with it (PR_SET_PDEATHSIG)
"$MPTUTOR" run spin 4x2000 -w 2 >/dev/null 2>&1 &
pid=$!
sleep 0.3
kids=$(children_of $pid)
kill -KILL $pid; wait $pid 2>/dev/null
sleep 1
alive=$(still_running $kids)
[ -n "$kids" ] && [ -z "$alive" ] && ok "mptutor SIGKILLed: its $(echo $kids | wc -w) workers gone within 1 s" \
	|| not_ok "mptutor SIGKILLed: workers [$kids], [$(echo $alive)] still alive after 1 s"
finish
