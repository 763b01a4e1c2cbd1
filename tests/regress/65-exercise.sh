#!/bin/sh
# 65-exercise.sh — pyrun and the exercises through the real binary: every
# exercise's reference answer passes its checker, its start.py and a wrong
# answer do not (with a reason); `exercise N --check` exit codes; `pyrun` of
# a demo headless with its JSON; a timeout; a script whose Pool workers sleep
# is killed whole on Ctrl-C (in tmux) and on SIGTERM, nothing left; the tutor
# in tmux watching exercise 1 (EDITOR unset) checks it on a save and shows
# the verdict. Processes are found by a tag in their environment.
. tests/regress/lib.sh

FIX=tests/fixtures/exercises
unset EDITOR VISUAL

# left TAG: pids of processes whose environment holds TAG (3 s for them to go)
left() {
	n=30
	while :; do
		l=$(grep -lzx "MPTUTOR_REGRESS_TAG=$1" /proc/[0-9]*/environ 2>/dev/null |
			sed 's|/proc/\([0-9]*\)/environ|\1|' | tr '\n' ' ')
		[ -z "$l" ] || [ $n -le 0 ] && { echo "$l"; return; }
		sleep 0.1; n=$((n - 1))
	done
}

# --- every exercise: reference passes, start.py and a wrong answer do not ---
count=0
for d in lessons/exercises/[0-9][0-9]-*/; do
	name=$(basename "$d"); n=${name%%-*}
	count=$((count + 1))
	expect_status 0 "exercise $n: the reference answer passes" \
		"$MPTUTOR" exercise "$n" --check "$FIX/$name.py"
	grep -q "passed" "$TEST_TMP/out" || not_ok "exercise $n: 'passed' printed"
	expect_status 1 "exercise $n: start.py is not yet right" \
		"$MPTUTOR" exercise "$n" --check "$d/start.py"
	if grep -q "not yet — ..*" "$TEST_TMP/out"; then ok "exercise $n: start.py's reason given"
	else not_ok "exercise $n: start.py's reason given"; cat "$TEST_TMP/out"; fi
	expect_status 1 "exercise $n: a wrong answer is not right" \
		"$MPTUTOR" exercise "$n" --check "$FIX/wrong/$name.py"
done
check "at least eight exercises ($count)" [ "$count" -ge 8 ]
expect_status 2 "--check of a missing file exits 2" "$MPTUTOR" exercise 1 --check "$TEST_TMP/none.py"
grep -q "none.py" "$TEST_TMP/err" && ok "the missing file is named" || not_ok "the missing file is named"
expect_status 2 "an unknown exercise exits 2" "$MPTUTOR" exercise 99 --check "$FIX/01-pool-map.py"
expect_status 2 "--check without N exits 2" "$MPTUTOR" exercise --check "$FIX/01-pool-map.py"
expect_status 0 "exercise lists them" "$MPTUTOR" exercise
grep -q "passed" "$TEST_TMP/out" && ok "the list shows the passes kept" || not_ok "the list shows the passes kept"
expect_status 0 "exercise 1 without an editor says where the file is" "$MPTUTOR" exercise 1
f=$XDG_STATE_HOME/mptutor/exercises/01-pool-map.py
check "the copy is in the state directory" [ -f "$f" ]
grep -qF "$f" "$TEST_TMP/out" && ok "its path is printed" || not_ok "its path is printed"
echo "# mine" >>"$f"
"$MPTUTOR" exercise 1 >/dev/null 2>&1
grep -q "# mine" "$f" && ok "a second exercise 1 keeps the learner's work" || not_ok "a second exercise 1 keeps the learner's work"
expect_status 0 "hint gives the next hint" "$MPTUTOR" hint
grep -q "hint 1/" "$TEST_TMP/out" && ok "hint 1 of N" || not_ok "hint 1 of N"

# --- pyrun headless ----------------------------------------------------------
J=$TEST_TMP/p.json
expect_status 0 "pyrun of a Pool demo exits 0" "$MPTUTOR" pyrun demos/pool_sleep.py --json -- 0.2
cp "$TEST_TMP/out" "$J"
jq_true "pyrun JSON: exit 0, wall and cpu" "$J" 'j["exit"] == 0 and j["wall_s"] > 0 and j["cpu_s"] > 0'
jq_true "pyrun JSON: the main process and its two workers" "$J" \
	'len([p for p in j["processes"] if p["ppid"] == j["processes"][0]["pid"]]) >= 2 and all("cpu_s" in p for p in j["processes"])'
jq_true "pyrun JSON: the output in order" "$J" \
	'[o["text"] for o in j["output"]][-1] == "done" and j["output"][0]["text"].startswith("burning")'
printf 'import time\nprint("start", flush=True)\ntime.sleep(60)\n' >"$TEST_TMP/hang.py"
expect_status 1 "pyrun --timeout 1 ends a hung script" "$MPTUTOR" pyrun "$TEST_TMP/hang.py" --timeout 1 --json
jq_true "the timeout is said, the script killed" "$TEST_TMP/out" 'j["timed_out"] and j["signal"] == "SIGKILL"'
expect_status 2 "pyrun of a missing file exits 2" "$MPTUTOR" pyrun "$TEST_TMP/none.py"
expect_status 2 "pyrun with a bad option exits 2" "$MPTUTOR" pyrun demos/pool_sleep.py --bogus

# --- nothing left behind: SIGTERM, then Ctrl-C in tmux -------------------------
tag="65-$$-term"
MPTUTOR_REGRESS_TAG=$tag "$MPTUTOR" pyrun demos/pool_sleep.py -- 0.1 60 >/dev/null 2>&1 &
mp=$!
sleep 2
before=$(grep -lzx "MPTUTOR_REGRESS_TAG=$tag" /proc/[0-9]*/environ 2>/dev/null | wc -l)
kill -TERM $mp
wait $mp; st=$?
check "SIGTERM: mptutor exits 143 ($st)" [ "$st" -eq 143 ]
l=$(left "$tag")
check "SIGTERM: none of the script's $before processes is left ($l)" [ -z "$l" ]

tag="65-$$-int"
tmux_start env MPTUTOR_REGRESS_TAG=$tag "$MPTUTOR" pyrun demos/pool_sleep.py -- 0.1 60
sleep 2
n=$(grep -lzx "MPTUTOR_REGRESS_TAG=$tag" /proc/[0-9]*/environ 2>/dev/null | wc -l)
check "Ctrl-C: the script and its Pool are running ($n processes)" [ "$n" -ge 3 ]
tmux_keys C-c
wait_for EXITED-130 5 && ok "Ctrl-C: mptutor exits 130" || { not_ok "Ctrl-C: mptutor exits 130"; tmux_screen | tail -3; }
l=$(left "$tag")
check "Ctrl-C: nothing of the script is left ($l)" [ -z "$l" ]
tmux_stop

# --- the tutor's pyrun: the script's processes, each row a sample -------------
tmux_start "$MPTUTOR"
wait_for "mptutor>" 5
tmux_keys "pyrun demos/pool_sleep.py -- 0.1 8" Enter
wait_for "exit 0" 20 && ok "tutor: pyrun of a Pool demo ends, exit 0" || not_ok "tutor: pyrun of a Pool demo ends, exit 0"
tmux_screen | grep -q "rows read from /proc every 0.1 s: cpu s as last read" \
	&& ok "tutor: pyrun's process rows say they are samples, the period named" \
	|| { not_ok "tutor: pyrun's process rows say they are samples, the period named"; tmux_screen | head -12; }
tmux_keys "quit" Enter
tmux_stop

# --- the tutor watches exercise 2's file and checks it on a save ---------------
tmux_start env -u EDITOR -u VISUAL "$MPTUTOR"
wait_for "mptutor>" 5
tmux_keys "exercise 5" Enter
wait_for "Watching it" 5 && ok "tutor: exercise 5 watches the file" || not_ok "tutor: exercise 5 watches the file"
tmux_keys q
sleep 0.3
cp "$FIX/05-queue.py" "$XDG_STATE_HOME/mptutor/exercises/05-queue.py"
if wait_for "05-queue: passed" 30; then ok "tutor: a save is run, checked, and the verdict shown"
else not_ok "tutor: a save is run, checked, and the verdict shown"; tmux_screen | tail -5; fi
tmux_screen | grep -q "exercise 05-queue" && ok "tutor: the exercise's column is drawn" || not_ok "tutor: the exercise's column is drawn"
cp lessons/exercises/05-queue/start.py "$XDG_STATE_HOME/mptutor/exercises/05-queue.py"
if wait_for "05-queue: not yet" 30; then ok "tutor: the next save is checked again (not yet)"
else not_ok "tutor: the next save is checked again"; tmux_screen | tail -5; fi
tmux_keys "quit" Enter
tmux_stop
finish
