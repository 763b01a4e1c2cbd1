#!/bin/sh
# 31-limits.sh — resource limits and a hostile environment: fork failing
# (RLIMIT_NPROC), mmap failing (RLIMIT_AS), a full disk for the progress and
# history files (RLIMIT_FSIZE), a read-only or missing state dir, TERM unset
# or unknown. Each must give a clear message and a working (or cleanly
# refused) program: never a crash, never a partial pool left behind.
. tests/regress/lib.sh

# not_crashed STATUS: a normal exit (not a signal, not a sanitizer abort)
not_crashed() { [ "$1" -lt 128 ]; }

# --- fork failing: an unprivileged user with a process limit -----------------
# (root ignores RLIMIT_NPROC, so the run is made as nobody)
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null && command -v prlimit >/dev/null; then
	cp "$MPTUTOR" "$TEST_TMP/mptutor" && chmod 755 "$TEST_TMP" "$TEST_TMP/mptutor"
	setpriv --reuid=65534 --regid=65534 --clear-groups \
		prlimit --nproc=6 "$TEST_TMP/mptutor" run square 1..200 -w 40 >"$TEST_TMP/out" 2>"$TEST_TMP/err"
	st=$?
	if [ $st -eq 2 ] && grep -qi 'fork' "$TEST_TMP/err"; then
		ok "fork failing (RLIMIT_NPROC): exit 2, message: $(head -1 "$TEST_TMP/err")"
	else
		not_ok "fork failing: exit $st, stderr: $(head -c 200 "$TEST_TMP/err")"
	fi
	left=$(ps -u 65534 -o pid= | wc -l)
	[ "$left" -eq 0 ] && ok "fork failing: no partial pool left" || not_ok "fork failing: $left processes left"
else
	ok "fork failing: skipped (needs root to drop to nobody) # SKIP"
fi

# --- mmap failing: address-space limits from ample to too small for the arena --
# Every limit must give a result or a clean refusal (exit 2, one message);
# somewhere on the way down the arena's mmap itself must be what fails.
if [ -z "$SANITIZER" ]; then
	bad=0; saw_mmap=0
	for v in 140000 120000 100000 95000 90000 80000 70000 60000 50000; do
		( ulimit -v $v; exec "$MPTUTOR" run square 1..1000000 -w 2 ) >"$TEST_TMP/out" 2>"$TEST_TMP/err"
		st=$?
		if [ $st -eq 2 ] && [ "$(wc -l <"$TEST_TMP/err")" -eq 1 ]; then
			grep -q 'cannot map the shared arena' "$TEST_TMP/err" && saw_mmap=1
		elif [ $st -ne 0 ]; then
			bad=$((bad + 1)); echo "# RLIMIT_AS ${v}k: exit $st: $(head -c 200 "$TEST_TMP/err")"
		fi
	done
	[ $bad -eq 0 ] && ok "memory limits: every run finished or was refused cleanly" || not_ok "memory limits: $bad unclean ends"
	[ $saw_mmap -eq 1 ] && ok "mmap failing: 'cannot map the shared arena', exit 2, nothing left" || not_ok "mmap failing: never reached the arena's mmap"
fi

# --- a full disk for progress/history: writes fail with EFBIG ----------------
# (the output goes through a pipe: the limit applies to files, the report too)
( ulimit -f 0; printf 'next\nquit\n' | "$MPTUTOR" --plain 2>&1; echo "STATUS $?" ) | cat >"$TEST_TMP/out"
st=$(sed -n 's/^STATUS //p' "$TEST_TMP/out")
: >"$TEST_TMP/err"
if [ $st -eq 0 ] && grep -qiE 'progress|save|write' "$TEST_TMP/err" "$TEST_TMP/out"; then
	ok "full disk (RLIMIT_FSIZE=0): works, says progress was not saved"
else
	not_ok "full disk: exit $st, stderr: $(head -c 200 "$TEST_TMP/err")"
fi
ls "$XDG_STATE_HOME"/mptutor/ 2>/dev/null | grep -q '\.tmp' && not_ok "full disk: temp file left behind" || ok "full disk: no temp file left"

# the tutor on a full disk: it works, and says on leaving what it could not keep
mkdir -p "$TEST_TMP/full"
tmux_start "sh -c 'ulimit -f 0; XDG_STATE_HOME=$TEST_TMP/full exec $MPTUTOR'"
if wait_for "mptutor>" 5; then
	tmux_keys "run square 1..5" Enter
	check "full disk, tutor: a run still works" wait_for "[1, 4, 9, 16, 25]" 5
	tmux_keys q
	check "full disk, tutor: clean exit" wait_for "EXITED-0" 5
	check "full disk, tutor: says the history was not kept" wait_for "history not kept" 2
	check "full disk, tutor: says the progress was not saved" wait_for "progress: cannot save" 2
	check "full disk, tutor: no temp file left" sh -c '! ls -a "$1" | grep -q tmp' _ "$TEST_TMP/full/mptutor"
else
	not_ok "full disk, tutor: did not start"
fi
tmux_stop

# --- read-only and missing state dirs ----------------------------------------
for dir in /proc/mptutor-nonexistent "$TEST_TMP/ro"; do
	mkdir -p "$TEST_TMP/ro" && chmod 500 "$TEST_TMP/ro"
	printf 'run square 1..5\nquit\n' | XDG_STATE_HOME=$dir "$MPTUTOR" --plain >"$TEST_TMP/out" 2>"$TEST_TMP/err"
	st=$?
	if [ $st -eq 0 ] && grep -qF '[1, 4, 9, 16, 25]' "$TEST_TMP/out"; then
		ok "state dir $(basename "$dir") not writable: still works"
	else
		not_ok "state dir $dir: exit $st, stderr: $(head -c 200 "$TEST_TMP/err")"
	fi
done

# --- a corrupt progress file is set aside, never fatal -------------------------
mkdir -p "$XDG_STATE_HOME/mptutor"
printf '{"lesson": 3, garbage' >"$XDG_STATE_HOME/mptutor/progress.json"
printf 'quit\n' | "$MPTUTOR" --plain >"$TEST_TMP/out" 2>"$TEST_TMP/err"
st=$?
if [ $st -eq 0 ] && grep -qi 'corrupt' "$TEST_TMP/err" "$TEST_TMP/out" && ls "$XDG_STATE_HOME/mptutor/" | grep -q corrupt; then
	ok "corrupt progress file: reported and set aside"
else
	not_ok "corrupt progress file: exit $st, stderr: $(head -c 200 "$TEST_TMP/err"), files: $(ls "$XDG_STATE_HOME/mptutor/")"
fi

# --- TERM unset or unknown, in a real terminal -----------------------------------
for term in unset no-such-terminal; do
	if [ $term = unset ]; then set -- env -u TERM; else set -- env TERM=$term; fi
	tmux -L "$TMUX_SOCK" -f /dev/null new-session -d -s t -x 100 -y 30 \
		"$* XDG_STATE_HOME=$XDG_STATE_HOME $MPTUTOR; echo EXITED-\$?; sleep 30"
	sleep 1.5
	tmux_keys q Enter
	sleep 0.5
	tmux_keys quit Enter
	if wait_for EXITED- 5 && ! tmux_screen | grep -qE 'EXITED-(1[3-9][0-9]|[2-9][0-9][0-9])'; then
		ok "TERM $term: clean message or plain mode, clean exit ($(tmux_screen | grep -m1 -iE 'term|plain' | cut -c1-70))"
	else
		not_ok "TERM $term: $(tmux_screen | tail -5 | tr '\n' '|')"
	fi
	tmux -L "$TMUX_SOCK" kill-server 2>/dev/null
	sleep 0.5
done
finish
