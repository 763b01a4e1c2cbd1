#!/bin/sh
# tests/bench/py_watch.sh — what watching costs a real CPython map: square
# over 100,000 items on Pool(2) and ThreadPool(2), at chunksize 1 and at
# Pool.map's default, in plain CPython against the same map watched: run
# through src/python/mptutor_py.py with a reader draining its events FIFO
# (the script alone), and run by mptutor itself (`mptutor run -b py-process|
# py-thread --json`: its FIFO reader, /proc readings and, for py-thread, the
# 1 kHz GIL sampler, all on the same 2 cores). The map is timed in-process in
# all three (plain: around pool.map; watched: from its B to its M event;
# mptutor: wall_s, the same B to M). The runs are interleaved (plain, script,
# mptutor, plain, ...) and each figure is the median of R (default 5), as
# the machine is shared. Beside them, the floor: the plain map with each item
# recording the least a per-item watch in Python must (floor_s; at the
# default chunksize the watch times groups of items instead, below it).
# Figures are printed, not judged; the goal is a ratio <= 1.05. PYTHON
# (default python3) names the interpreter; N the item count; MPTUTOR the
# binary (default ./mptutor at the root).
PYTHON=${PYTHON:-python3}
N=${N:-100000}
R=${R:-5}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
MPTUTOR=${MPTUTOR:-$ROOT/mptutor}
SCRIPT=$ROOT/src/python/mptutor_py.py
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT INT TERM
"$PYTHON" -c "for i in range($N): print(i)" >"$TMP/items"

# plain MODE CHUNKSIZE [floor]: seconds of the map in plain CPython; with
# floor, each item records what the least watch in Python must (two clock
# reads and its index, times and result appended to a list, nothing written):
# the floor under any watched map's ratio
plain() {
	"$PYTHON" - "$1" "$2" "$N" "${3:-}" <<'PY'
import sys, time
from multiprocessing.pool import Pool, ThreadPool
clock = time.monotonic_ns
rec = []
def square(n):
    return n * n
def square_recorded(n, rec=rec, clock=clock):
    t0 = clock()
    r = n * n
    rec += (n, t0, clock(), r)
    return r
if __name__ == "__main__":
    mode, c, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    f = square_recorded if sys.argv[4] == "floor" else square
    with (Pool if mode == "pool" else ThreadPool)(2) as p:
        t = time.perf_counter()
        r = p.map(f, range(n), None if c == "default" else int(c))
        print("%.4f" % (time.perf_counter() - t))
PY
}

# watched MODE CHUNKSIZE: seconds of the map through the script, and the
# count of item start and end events that reached the reader
watched() {
	rm -f "$TMP/fifo"; mkfifo "$TMP/fifo"
	cat "$TMP/fifo" >"$TMP/events" &
	reader=$!
	cs=; [ "$2" = default ] || cs="--chunksize $2"
	"$PYTHON" -u "$SCRIPT" run --mode "$1" --task square --workers 2 $cs \
		--items-file "$TMP/items" --events "$TMP/fifo"
	wait $reader
	awk '$1 == "B" { b = $2 } $1 == "M" { m = $2 } $1 == "S" { s++ } $1 == "E" { e++ }
		$1 == "Q" { s += $4; e += $4 } $1 == "G" { s += $5; e += $5; g += $5 }
		END { printf "%.4f %d %d %d\n", (m - b) / 1e9, s, e, g }' "$TMP/events"
}

# by_mptutor MODE CHUNKSIZE: seconds of the map run by mptutor, and the items
# it saw done
by_mptutor() {
	cs=; [ "$2" = default ] || cs="-c $2"
	b=py-process; [ "$1" = thread ] && b=py-thread
	MPTUTOR_PYTHON=$PYTHON "$MPTUTOR" run square "0..$((N - 1))" -b $b -w 2 $cs --json |
		"$PYTHON" -c 'import json, sys; d = json.load(sys.stdin)
print("%.4f %d" % (d["wall_s"], sum(1 for r in d["results"] if r is not None) + (d["results"][0] is None)))'
}

median() { tr ' ' '\n' | grep . | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

echo "py_watch: square over $N items, 2 workers, $("$PYTHON" -c 'import platform; print(platform.python_version())'), median of $R interleaved runs, load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-7s %-8s %9s %9s %7s %9s %7s %9s %7s  %s\n' mode chunks plain_s floor_s ratio script_s ratio mptutor_s ratio "events (script; mptutor items done)"
for mode in pool thread; do
	for c in 1 default; do
		ps=; fs=; ws=; ms=; ev=
		k=0
		while [ $k -lt "$R" ]; do
			k=$((k + 1))
			ps="$ps $(plain "$mode" "$c")"
			fs="$fs $(plain "$mode" "$c" floor)"
			set -- $(watched "$mode" "$c")
			ws="$ws $1"; ev="$2 starts, $3 ends, $4 in groups"
			set -- $(by_mptutor "$mode" "$c")
			ms="$ms $1"; done_items=$2
		done
		p=$(echo "$ps" | median); f=$(echo "$fs" | median)
		w=$(echo "$ws" | median); m=$(echo "$ms" | median)
		printf '%-7s %-8s %9s %9s %7s %9s %7s %9s %7s  %s; %s\n' "$mode" "$c" "$p" "$f" \
			"$(echo "$p $f" | awk '{ printf "%.3f", $2 / $1 }')" "$w" \
			"$(echo "$p $w" | awk '{ printf "%.3f", $2 / $1 }')" "$m" \
			"$(echo "$p $m" | awk '{ printf "%.3f", $2 / $1 }')" "$ev" "$done_items done"
	done
done
