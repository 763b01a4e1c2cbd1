#!/bin/sh
# 52-python-flood.sh — a Python task printing a flood of output (print over
# 1..200000, hello over 1..100000) stalls neither the map nor the screen:
# headless, the run finishes and every line arrives, each number once; in the
# tutor (tmux), a key typed while the flood runs appears at the prompt while
# the interpreter is still running, and the run then finishes on screen.
. "$(dirname "$0")/lib.sh"

J=$TEST_TMP/flood.json
for b in py-process py-thread; do
	expect_status 0 "run print 1..200000 -b $b --json finishes" \
		"$MPTUTOR" run print 1..200000 -w 2 -b $b --json
	cp "$TEST_TMP/out" "$J"
	jq_true "$b: 200000 output lines, each number once" "$J" \
		"len(j['output']) == 200000 and sorted(int(o['text']) for o in j['output']) == list(range(1, 200001)) and j['n_done'] == 200000"
done
expect_status 0 "run hello 1..100000 -b py-process finishes" \
	"$MPTUTOR" run hello 1..100000 -w 2 -b py-process
check "the text report counts the lines and says where the rest are" \
	sh -c "grep -q '^output (100000 lines):' '$TEST_TMP/out' && grep -q 'more lines (--json has them all)' '$TEST_TMP/out'"

# the tutor: type during the flood
tmux_start "$MPTUTOR"
check "the tutor starts" wait_for "mptutor>" 10
tmux_keys "run print 1..200000 -w 2 -b py-thread" Enter
# wait until the interpreter runs, then type
n=100
while [ $n -gt 0 ] && ! pgrep -P "$(tutor_pid)" -f mptutor_py >/dev/null 2>&1; do
	sleep 0.1; n=$((n - 1))
done
check "the interpreter is running the flood" pgrep -P "$(tutor_pid)" -f mptutor_py
tmux_keys "zqxw"
seen=no
n=50
while [ $n -gt 0 ]; do
	if tmux_screen | grep -q "zqxw"; then
		pgrep -P "$(tutor_pid)" -f mptutor_py >/dev/null 2>&1 && seen=during || seen=after
		break
	fi
	sleep 0.1; n=$((n - 1))
done
check "a key typed during the flood is on screen while it runs (seen: $seen)" test "$seen" = during
check "the run finishes on screen" wait_for "200000" 60
tmux_keys C-u q
tmux_stop
finish
