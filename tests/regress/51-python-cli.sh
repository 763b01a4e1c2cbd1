#!/bin/sh
# 51-python-cli.sh — the py-* backends through mptutor's command line: a JSON
# run names its interpreter, `compare -b py` measures each py row against
# py-serial, a crash is a SIGSEGV per item, --python and --start-method are
# checked, `pythons` lists python3, and no Python process outlives mptutor
# (after a crash, SIGINT or SIGTERM). Each mptutor carries a tag in its
# environment, which its interpreters inherit; /proc is searched for it after.
. tests/regress/lib.sh

J=$TEST_TMP/j.json
run_no=0

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

# tagged: a fresh tag in $tag for the next mptutor
tagged() { run_no=$((run_no + 1)); tag="51-$$-$run_no"; }

# --- a JSON run -------------------------------------------------------------
expect_status 0 "run square 1..5 -b py-process --format json exits 0" \
	"$MPTUTOR" run square 1..5 -b py-process --format json
cp "$TEST_TMP/out" "$J"
jq_true "py-process JSON: results and interpreter.version" "$J" \
	"j['results'] == [1, 4, 9, 16, 25] and j['interpreter']['version'].startswith('3.') and j['interpreter']['gil'] in (True, False)"
jq_true "py-process JSON: start method, start-up, pickled bytes and messages" "$J" \
	"j['interpreter']['start_method'] in ('fork', 'spawn', 'forkserver') and j['interp_startup_s'] > 0 and j['pickled_sent_bytes'] > 0 and j['pickled_recvd_bytes'] > 0 and j['pickled_sent_msgs'] > 0 and 'fault' not in j"
expect_status 0 "run square 1..4 -b py-process --start-method spawn --json" \
	"$MPTUTOR" run square 1..4 -b py-process --start-method spawn --json
cp "$TEST_TMP/out" "$J"
jq_true "--start-method spawn reaches the interpreter" "$J" \
	"j['interpreter']['start_method'] == 'spawn' and j['results'] == [1, 4, 9, 16]"
expect_status 0 "run square 1..4 -b py-thread --python python3 --json" \
	"$MPTUTOR" run square 1..4 -b py-thread --python python3 --json
cp "$TEST_TMP/out" "$J"
jq_true "py-thread JSON: gil_measured, and no model hand-offs" "$J" \
	"isinstance(j['gil_measured'], str) and 'gil_switches' not in j and j['results'] == [1, 4, 9, 16]"
"$MPTUTOR" run square 1..4 -b py-thread >"$TEST_TMP/text" 2>&1
check "py-thread text: the interpreter line" grep -q '^  CPython 3\.[0-9]*\.[0-9]*, ' "$TEST_TMP/text"
check "py-thread text: GIL measured" grep -q '^  GIL measured: ' "$TEST_TMP/text"
check "py-thread text: no 'GIL hand-offs' (the real GIL keeps no log)" \
	sh -c "! grep -q 'GIL hand-offs' '$TEST_TMP/text'"
check "py-thread text: the per-item cost" grep -q '^  per item: .* at chunksize 1' "$TEST_TMP/text"

# --- compare ----------------------------------------------------------------
expect_status 0 "compare square 1..20 -b py --json exits 0" \
	"$MPTUTOR" compare square 1..20 -b py --json
cp "$TEST_TMP/out" "$J"
jq_true "compare -b py: rows py-serial, py-process, py-thread, each against py-serial" "$J" \
	"[r['backend'] for r in j['runs']] == ['py-serial', 'py-process', 'py-thread'] and all(r['baseline'] == 'py-serial' and r['results_match'] for r in j['runs'])"
expect_status 0 "compare square 1..20 -b all --json exits 0" \
	"$MPTUTOR" compare square 1..20 -b all --json
cp "$TEST_TMP/out" "$J"
jq_true "compare -b all: C rows against serial, py rows against py-serial" "$J" \
	"all(r['baseline'] == ('py-serial' if r['backend'].startswith('py-') else 'serial') for r in j['runs']) and len(j['runs']) == 7"

# --- a crash ----------------------------------------------------------------
tagged
MPTUTOR_REGRESS_TAG=$tag "$MPTUTOR" run crash 1..10 -b py-process >"$TEST_TMP/text" 2>&1
st=$?
check "run crash 1..10 -b py-process exits 1 (status $st)" test "$st" -eq 1
check "the crash report names SIGSEGV" grep -q SIGSEGV "$TEST_TMP/text"
l=$(left "$tag")
check "no python process left after the crash${l:+ (left: $l)}" test -z "$l"

# --- bad interpreters and start methods ---------------------------------------
expect_status 2 "--python /nonexistent exits 2" \
	"$MPTUTOR" run square -b py-process --python /nonexistent
check "--python /nonexistent: one line naming the interpreter" \
	sh -c "[ \$(wc -l <'$TEST_TMP/err') -eq 1 ] && grep -q '/nonexistent' '$TEST_TMP/err'"
expect_status 2 "MPTUTOR_PYTHON=/nonexistent exits 2" \
	env MPTUTOR_PYTHON=/nonexistent "$MPTUTOR" run square -b py-thread
check "MPTUTOR_PYTHON=/nonexistent names it" grep -q '/nonexistent' "$TEST_TMP/err"
expect_status 2 "--start-method vfork exits 2" \
	"$MPTUTOR" run square -b py-process --start-method vfork
check "--start-method vfork names the allowed ones" \
	grep -q 'fork, spawn, forkserver' "$TEST_TMP/err"
printf '#!/bin/sh\nexit 3\n' >"$TEST_TMP/broken-python"
chmod +x "$TEST_TMP/broken-python"
expect_status 2 "--python of an interpreter that does not start exits 2" \
	"$MPTUTOR" run square -b py-process --python "$TEST_TMP/broken-python"
check "the broken interpreter is named" grep -q 'broken-python' "$TEST_TMP/err"

# an interpreter older than 3.8: it answers the version probe, fails the script
printf '#!/bin/sh\nfor a; do [ "$a" = -c ] && { printf 3.6; exit 0; }; done\necho "SyntaxError: invalid syntax" >&2\nexit 1\n' \
	>"$TEST_TMP/old-python"
chmod +x "$TEST_TMP/old-python"
expect_status 2 "--python of a Python 3.6 exits 2" \
	"$MPTUTOR" run square 1..3 -b py-thread --python "$TEST_TMP/old-python"
check "... naming it and saying it is too old" \
	sh -c "grep -q 'old-python is Python 3.6: the py-\\* backends need 3.8 or later' '$TEST_TMP/err'"

# --- a free-threaded interpreter, faked -------------------------------------------
# No free-threaded CPython is installed here: python3.13t is this python3 with a
# sitecustomize that answers as a free-threaded build would
# (sys._is_gil_enabled() False, Py_GIL_DISABLED 1), in every process it starts.
FT=$TEST_TMP/ft
mkdir -p "$FT/site"
real=$(python3 -c 'import sys; print(sys.executable)')
cat >"$FT/site/sitecustomize.py" <<'PY'
import sys, sysconfig
sys._is_gil_enabled = lambda: False
_get = sysconfig.get_config_var
sysconfig.get_config_var = lambda name: 1 if name == "Py_GIL_DISABLED" else _get(name)
PY
printf '#!/bin/sh\nPYTHONPATH="%s/site${PYTHONPATH:+:$PYTHONPATH}" exec "%s" "$@"\n' "$FT" "$real" \
	>"$FT/python3.13t"
chmod +x "$FT/python3.13t"
expect_status 0 "pythons with a (faked) python3.13t on PATH" \
	env PATH="$FT:$PATH" "$MPTUTOR" pythons --format json
cp "$TEST_TMP/out" "$J"
jq_true "pythons JSON: python3.13t is free-threaded with the GIL off" "$J" \
	"any(p['path'].endswith('python3.13t') and p['free_threaded'] and not p['gil'] for p in j['pythons'])"
expect_status 0 "pythons text with python3.13t" env PATH="$FT:$PATH" "$MPTUTOR" pythons
check "pythons text says free-threaded, no GIL" grep -q 'free-threaded, no GIL' "$TEST_TMP/out"
expect_status 0 "run spin 4x20 -b py-thread --python python3.13t --json" \
	"$MPTUTOR" run spin 4x20 -w 2 -b py-thread --python "$FT/python3.13t" --json
cp "$TEST_TMP/out" "$J"
jq_true "the run's report: free-threaded, GIL off, no GIL to measure" "$J" \
	"j['interpreter']['free_threaded'] and not j['interpreter']['gil'] and 'without a GIL' in j['gil_measured'] and j['results'] == [20, 20, 20, 20]"
expect_status 0 "the same run as text" \
	"$MPTUTOR" run spin 4x20 -w 2 -b py-thread --python "$FT/python3.13t"
check "text: free-threaded, no GIL" grep -q 'free-threaded, no GIL' "$TEST_TMP/out"

# --- pythons ------------------------------------------------------------------
expect_status 0 "pythons exits 0" "$MPTUTOR" pythons
check "pythons lists python3 with its version and start methods" \
	sh -c "grep -q 'python3.*: CPython 3\.' '$TEST_TMP/out' && grep -q 'start methods: .*(default)' '$TEST_TMP/out'"
expect_status 0 "pythons --format json exits 0" "$MPTUTOR" pythons --format json
cp "$TEST_TMP/out" "$J"
jq_true "pythons JSON: an interpreter with a version, GIL and start methods" "$J" \
	"len(j['pythons']) >= 1 and all(p['version'].startswith('3.') and ('fork' in p['start_methods'] or 'spawn' in p['start_methods']) for p in j['pythons'])"
expect_status 2 "pythons --bogus exits 2" "$MPTUTOR" pythons --bogus
expect_status 1 "pythons with no python on PATH exits 1" env PATH=/nonexistent "$MPTUTOR" pythons
check "... and says none was found" grep -q 'no Python interpreter found' "$TEST_TMP/out"

# --- stopped from outside -----------------------------------------------------
for sig in INT TERM; do
	case $sig in INT) want=130 ;; TERM) want=143 ;; esac
	tagged
	MPTUTOR_REGRESS_TAG=$tag "$MPTUTOR" run spin 8x500 -b py-process >/dev/null 2>&1 &
	pid=$!
	sleep 1.2
	kill -$sig $pid
	wait $pid
	st=$?
	check "SIG$sig to run spin 8x500 -b py-process: exit $want (status $st)" test "$st" -eq $want
	l=$(left "$tag")
	check "no python process left after SIG$sig${l:+ (left: $l)}" test -z "$l"
done

exit $TESTS_FAILED
