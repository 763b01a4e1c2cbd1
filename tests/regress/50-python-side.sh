#!/bin/sh
# 50-python-side.sh — the Python side of the py-* backends run directly
# (src/python/mptutor_py.py, no mptutor): under every interpreter on PATH that
# runs (python3, python3.X, python3.Xt) and each start method it has, the
# results are right, a crash is reported as a death by SIGSEGV, SIGTERM
# mid-map ends it with status 143, and no Python process is left behind after
# any of these (each run carries a tag in its environment, looked for in
# /proc afterwards).
. tests/regress/lib.sh

SCRIPT=src/python/mptutor_py.py
printf '1\n2\n3\n4\n5\n' >"$TEST_TMP/sq"
printf '1\n2\n3\n4\n' >"$TEST_TMP/crash"
printf '500\n500\n500\n500\n500\n500\n500\n500\n' >"$TEST_TMP/spin"
run_no=0

# left TAG: pids of processes whose environment holds TAG (3 s for them to go)
left() {
	n=30
	while :; do
		# environ is NUL-separated: -z matches one whole entry
		l=$(grep -lzx "MPTUTOR_REGRESS_TAG=$1" /proc/[0-9]*/environ 2>/dev/null |
			sed 's|/proc/\([0-9]*\)/environ|\1|' | tr '\n' ' ')
		[ -z "$l" ] || [ $n -le 0 ] && { echo "$l"; return; }
		sleep 0.1; n=$((n - 1))
	done
}

# py_run PY OUT ARGS...: run the script with a fresh tag; sets tag and st
py_run() {
	py=$1; out=$2; shift 2
	run_no=$((run_no + 1)); tag="50-$$-$run_no"
	MPTUTOR_REGRESS_TAG=$tag "$py" -u "$SCRIPT" run "$@" >"$out" 2>"$TEST_TMP/err"
	st=$?
}

# results OUT: the results by index (of E lines, and of the items of Q lines:
# 4 little-endian int64 each in hex, the last the result), space-separated
results() { python3 -c '
import struct, sys
r = {}
for line in open(sys.argv[1]):
    f = line.split()
    if f and f[0] == "E":
        r[int(f[1])] = f[3]
    elif f and f[0] == "Q":
        b = bytes.fromhex(f[4])
        for k in range(int(f[3])):
            i, t0, t1, v = struct.unpack_from("<4q", b, 32 * k)
            r[i] = str(v)
    elif f and f[0] == "G":
        b = bytes.fromhex(f[7])
        for k in range(int(f[4])):
            r[int(f[3]) + k] = str(struct.unpack_from("<q", b, 8 * k)[0])
print(" ".join(r.get(i, "") for i in range(max(r) + 1)) if r else "")' "$1"; }

# nothing_left WHAT: ok if no process of the last run's tag remains
nothing_left() {
	l=$(left "$tag")
	if [ -z "$l" ]; then ok "$1: no Python process left"; else
		not_ok "$1: left behind: $l"
		for p in $l; do kill -KILL "$p" 2>/dev/null; done
	fi
}

# --- the interpreters ----------------------------------------------------------
pys=; seen=
for name in python3 python3.8 python3.9 python3.10 python3.11 python3.12 python3.13 python3.13t \
	python3.14 python3.14t python3.15 python3.15t; do
	command -v "$name" >/dev/null 2>&1 || continue
	exe=$("$name" -c 'import os, sys; assert sys.version_info >= (3, 8); print(os.path.realpath(sys.executable))' 2>/dev/null)
	if [ -z "$exe" ]; then
		echo "# $name is on PATH but does not run (or is older than 3.8): skipped"
		continue
	fi
	case " $seen " in *" $exe "*) continue ;; esac
	seen="$seen $exe"
	pys="$pys $name"
done
check "a python3 on PATH runs" test -n "$pys"

for py in $pys; do
	v=$("$py" -c 'import platform; print(platform.python_version())')
	methods=$("$py" -c 'import multiprocessing as m; print(" ".join(m.get_all_start_methods()))')

	"$py" "$SCRIPT" pythons >"$TEST_TMP/probe" 2>&1
	jq_true "$py ($v): pythons describes it" "$TEST_TMP/probe" \
		"j['version'] == '$v' and j['default_start_method'] in j['start_methods'] and isinstance(j['gil_enabled'], bool)"

	for mode in serial thread; do
		py_run "$py" "$TEST_TMP/o" --mode $mode --task square --workers 2 --items-file "$TEST_TMP/sq"
		r=$(results "$TEST_TMP/o")
		check "$py $mode: square 1..5 is 1 4 9 16 25 (got '$r', status $st)" \
			test "$r" = "1 4 9 16 25" -a "$st" -eq 0
	done
	for m in fork spawn forkserver; do
		case " $methods " in *" $m "*) ;; *)
			echo "# $py has no start method $m: skipped"; continue ;; esac
		what="$py $m"
		py_run "$py" "$TEST_TMP/o" --mode pool --start-method $m --task square --workers 2 \
			--items-file "$TEST_TMP/sq"
		r=$(results "$TEST_TMP/o")
		check "$what: square 1..5 is 1 4 9 16 25 (got '$r', status $st)" \
			test "$r" = "1 4 9 16 25" -a "$st" -eq 0
		check "$what: the hello names the start method" grep -q "^H 1 [a-z]* [^ ]* [01] [01] $m " "$TEST_TMP/o"
		check "$what: the stream ends with D, status 0" sh -c "tail -1 '$TEST_TMP/o' | grep -q '^D [0-9]* 0\$'"
		nothing_left "$what normal end"

		py_run "$py" "$TEST_TMP/o" --mode pool --start-method $m --task crash --workers 2 \
			--chunksize 1 --items-file "$TEST_TMP/crash"
		check "$what: crash exits 1 (got $st)" test "$st" -eq 1
		check "$what: crash reports a worker killed by SIGSEGV" grep -q '^K [0-9]* 11 0 ' "$TEST_TMP/o"
		nothing_left "$what crash"
		if [ $m = forkserver ]; then
			# the exit code is read from the server's socket by two threads (the
			# map loop, the Pool's handler): once in 8 runs it read as 255
			k=0; got=0
			while [ $k -lt 16 ]; do
				k=$((k + 1))
				py_run "$py" "$TEST_TMP/o" --mode pool --start-method $m --task crash \
					--workers 2 --chunksize 1 --items-file "$TEST_TMP/crash"
				grep -q '^K [0-9]* 11 0 ' "$TEST_TMP/o" && got=$((got + 1))
			done
			check "$what: crash names SIGSEGV in $got of 16 more runs (not exit 255)" test "$got" -eq 16
			nothing_left "$what crashes"
		fi

		run_no=$((run_no + 1)); tag="50-$$-$run_no"
		: >"$TEST_TMP/o" # before it starts: the last run's S lines must not count
		MPTUTOR_REGRESS_TAG=$tag "$py" -u "$SCRIPT" run --mode pool --start-method $m --task spin \
			--workers 2 --chunksize 1 --items-file "$TEST_TMP/spin" >"$TEST_TMP/o" 2>"$TEST_TMP/err" &
		pid=$!
		n=100
		while [ $n -gt 0 ] && ! grep -q '^S ' "$TEST_TMP/o"; do sleep 0.1; n=$((n - 1)); done
		kill -TERM $pid
		wait $pid
		st=$?
		check "$what: SIGTERM mid-map exits 143 (got $st)" test "$st" -eq 143
		check "$what: SIGTERM: the stream ends with D, status 143" sh -c "tail -1 '$TEST_TMP/o' | grep -q '^D [0-9]* 143\$'"
		nothing_left "$what SIGTERM"
	done
done

# --- the events FIFO, and bad arguments -----------------------------------------
mkfifo "$TEST_TMP/fifo"
cat "$TEST_TMP/fifo" >"$TEST_TMP/ev" &
reader=$!
py_run python3 "$TEST_TMP/o" --mode pool --task square --workers 2 --items-file "$TEST_TMP/sq" \
	--events "$TEST_TMP/fifo"
wait $reader
r=$(results "$TEST_TMP/ev")
check "events through a FIFO: 1 4 9 16 25 (got '$r'), nothing on stdout" \
	test "$r" = "1 4 9 16 25" -a ! -s "$TEST_TMP/o"
py_run python3 "$TEST_TMP/o" --mode pool --task square --items-file "$TEST_TMP/sq" --events "$TEST_TMP/nofifo"
check "a missing FIFO: status 2, one line on stderr" test "$st" -eq 2 -a "$(wc -l <"$TEST_TMP/err")" -eq 1
py_run python3 "$TEST_TMP/o" --mode pool --task nope --items-file "$TEST_TMP/sq"
check "an unknown task: status 2, one line on stderr" test "$st" -eq 2 -a "$(wc -l <"$TEST_TMP/err")" -eq 1
printf '1\n99999999999\n' >"$TEST_TMP/bad"
py_run python3 "$TEST_TMP/o" --mode serial --task primes --items-file "$TEST_TMP/bad"
check "an item out of range: status 2, the message names line 2" \
	sh -c "test $st -eq 2 && grep -q 'line 2' '$TEST_TMP/err'"

# --- process: one multiprocessing.Process per item ---------------------------------
# lives OUT: "ok" if each Process's events come in order A < R < its item < Z < J
# and each join came JOIN ms or more after its start; else what is wrong
lives() { python3 -c '
import sys
ev = {}
for line in open(sys.argv[1]):
    f = line.split()
    if f and f[0] in "ARZJSE":
        ev.setdefault(int(f[1]), []).append((f[0], f))
bad = []
for k, es in sorted(ev.items()):
    kinds = "".join(e[0] for e in es)
    # A first, Z then J last; the R of the parent (after start returns) may come
    # before or after the S and E of the child, which keep their order
    mid = kinds[1:-2]
    if not (kinds[:1] == "A" and kinds[-2:] == "ZJ" and sorted(mid) in (sorted("RSE"), sorted("RS"))
            and mid.replace("R", "") in ("SE", "S")):
        bad.append("%d: %s" % (k, kinds))
        continue
    d = dict(es)
    if int(d["J"][3]) - int(d["R"][3]) < int(sys.argv[2]) * 1000000:
        bad.append("%d: joined too soon" % k)
print(" ".join(bad) or "ok")' "$1" "$2"; }

for m in $("python3" -c 'import multiprocessing as m; print(" ".join(m.get_all_start_methods()))'); do
	printf '1\n2\n' >"$TEST_TMP/two"
	run_no=$((run_no + 1)); tag="50-$$-$run_no"
	MPTUTOR_REGRESS_TAG=$tag python3 -u "$SCRIPT" process --task hello --items-file "$TEST_TMP/two" \
		--join-after 300 --start-method $m >"$TEST_TMP/o" 2>"$TEST_TMP/err"
	st=$?
	check "process $m: hello 1..2 exits 0 (got $st)" test "$st" -eq 0
	l=$(lives "$TEST_TMP/o" 300)
	check "process $m: created, started, ran, exited, joined after 300 ms, in order ($l)" test "$l" = ok
	check "process $m: each joined with exit code 0" test "$(grep -c '^J [01] 0 ' "$TEST_TMP/o")" -eq 2
	check "process $m: both printed" test "$(grep -c '^O .* Worker process is running\.$' "$TEST_TMP/o")" -eq 2
	nothing_left "process $m"
done
# the zombie phase: exited (Z) but not joined, the kernel shows it as a zombie
printf '4\n' >"$TEST_TMP/one"
python3 -u "$SCRIPT" process --task square --items-file "$TEST_TMP/one" --join-after 2000 \
	--start-method fork >"$TEST_TMP/z" 2>"$TEST_TMP/err" &
pid=$!
n=100
while [ $n -gt 0 ] && ! grep -q '^Z ' "$TEST_TMP/z"; do sleep 0.1; n=$((n - 1)); done
child=$(sed -n 's/^R 0 \([0-9]*\) .*/\1/p' "$TEST_TMP/z")
zs=$(sed 's/^[0-9]* (.*) \(.\).*/\1/' "/proc/$child/stat" 2>/dev/null)
check "process: between its exit and its join the child is a zombie (state '$zs')" test "$zs" = Z
wait $pid
check "process: then it is joined (exit code 0) and gone" \
	sh -c "grep -q '^J 0 0 ' '$TEST_TMP/z' && ! test -e /proc/$child"
printf '3\n' >"$TEST_TMP/one"
python3 -u "$SCRIPT" process --task crash --items-file "$TEST_TMP/one" >"$TEST_TMP/o" 2>"$TEST_TMP/err"
st=$?
check "process crash 3: exit 1, the join says -11 (SIGSEGV)" \
	sh -c "test $st -eq 1 && grep -q '^J 0 -11 ' '$TEST_TMP/o'"
python3 -u "$SCRIPT" process --task square --items-file "$TEST_TMP/one" --join-after 700000 \
	>"$TEST_TMP/o" 2>"$TEST_TMP/err"
check "process --join-after 700000: status 2, naming the range" \
	sh -c "test $? -eq 2 && grep -q '0..600000' '$TEST_TMP/err'"

finish
