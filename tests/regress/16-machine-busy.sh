#!/bin/sh
# 16-machine-busy.sh — what other work took of the machine while a map ran:
# machine_busy in the JSON of run and compare (per row and for the compare),
# "other work" in the text reports; and beside two busy loops a serial run
# sees machine_busy rise and the reports say speedups are low. The loops are
# two: on a machine with more cores they cannot fill it, so that part is
# skipped (with a message). Loose bounds only: the machine is shared.
. tests/regress/lib.sh

J=$TEST_TMP/j.json
"$MPTUTOR" run primes 4x100000 -w 2 --json >"$J"
jq_true "run --json: machine_busy is a share 0..1 (or null if too short), with others' CPU and steal" "$J" \
	"'machine_busy' in j and (j['machine_busy'] is None or 0 <= j['machine_busy'] <= 1) and j['machine_others_cpu_s'] >= 0 and j['machine_steal_s'] >= 0"
"$MPTUTOR" compare primes 8x200000 -w 2 --json >"$J"
jq_true "compare --json: machine_busy for the compare and for each row" "$J" \
	"'machine_busy' in j and all('machine_busy' in r and (r['machine_busy'] is None or 0 <= r['machine_busy'] <= 1) for r in j['runs'])"
jq_true "compare --json: a row of 0.2 s or more is judged (a number, not null)" "$J" \
	"all(r['machine_busy'] is not None for r in j['runs'] if r['startup_s'] + r['wall_s'] + r['teardown_s'] >= 0.25)"
jq_true "compare --json: each row's speedup_machine_busy (itself and its baseline together), null or 0..1" "$J" \
	"all('speedup_machine_busy' in r and (r['speedup_machine_busy'] is None or 0 <= r['speedup_machine_busy'] <= 1) for r in j['runs'])"
"$MPTUTOR" compare primes 8x50000 -w 2 >"$TEST_TMP/t.txt"
check "compare text: an 'others' column" grep -q ' others ' "$TEST_TMP/t.txt"
"$MPTUTOR" run primes 4x50000 -w 2 >"$TEST_TMP/t.txt"
check "run text: 'other work' beside the wall" grep -q 'other work' "$TEST_TMP/t.txt"

cores=$(nproc)
if [ "$cores" -gt 2 ]; then
	ok "busy loops skipped: this machine has $cores cores, more than the 2 loops fill"
else
	# two loops for 8 s at most, killed as soon as the run is over
	timeout 8 sh -c 'while :; do :; done' & l1=$!
	timeout 8 sh -c 'while :; do :; done' & l2=$!
	sleep 0.2
	"$MPTUTOR" run primes 8x800000 -b serial --json >"$J" # about 0.25 s of CPU: judged even on a fast machine
	"$MPTUTOR" run primes 8x800000 -b serial >"$TEST_TMP/t.txt"
	# rows under 0.2 s each on an idle machine, too short alone: judged with their baseline
	"$MPTUTOR" compare primes 8x600000 -w 2 -b serial,process --json >"$TEST_TMP/c.json"
	"$MPTUTOR" compare primes 8x600000 -w 2 -b serial,process >"$TEST_TMP/c.txt"
	kill $l1 $l2 2>/dev/null
	wait $l1 $l2 2>/dev/null
	jq_true "beside two busy loops: machine_busy > 0.2" "$J" \
		"j['machine_busy'] is not None and j['machine_busy'] > 0.2 and j['machine_others_cpu_s'] > 0.2"
	check "beside two busy loops: the text report says speedups are low" \
		grep -q 'busy with other work: speedups are low' "$TEST_TMP/t.txt"
	jq_true "beside two busy loops: a short compare's process speedup is judged busy (> 0.2) over it and its baseline" "$TEST_TMP/c.json" \
		"[r for r in j['runs'] if r['backend'] == 'process'][0]['speedup_machine_busy'] > 0.2"
	check "beside two busy loops: the compare's text notes it beside the process row" \
		grep -q '^  process    the machine was [0-9]*% busy with other work: speedups are low' "$TEST_TMP/c.txt"
fi
finish
