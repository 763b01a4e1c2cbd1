#!/bin/sh
# tests/bench/py_watch.sh — what watching costs a real CPython map: square
# over 100,000 items on Pool(2) and ThreadPool(2), at chunksize 1 and at
# Pool.map's default, in plain CPython against the same map run through
# src/python/mptutor_py.py with a reader draining its events FIFO. The map
# is timed in-process in both (plain: around pool.map; watched: from its B
# to its M event). Figures are printed, not judged. PYTHON (default python3)
# names the interpreter; N the item count.
PYTHON=${PYTHON:-python3}
N=${N:-100000}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SCRIPT=$ROOT/src/python/mptutor_py.py
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT INT TERM
"$PYTHON" -c "for i in range($N): print(i)" >"$TMP/items"

# plain MODE CHUNKSIZE: seconds of the map in plain CPython
plain() {
	"$PYTHON" - "$1" "$2" "$N" <<'PY'
import sys, time
from multiprocessing.pool import Pool, ThreadPool
def square(n):
    return n * n
if __name__ == "__main__":
    mode, c, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    with (Pool if mode == "pool" else ThreadPool)(2) as p:
        t = time.perf_counter()
        r = p.map(square, range(n), None if c == "default" else int(c))
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
	awk '$1 == "B" { b = $2 } $1 == "M" { m = $2 } $1 == "S" { s++ } $1 == "E" { e++ } $1 == "Q" { s += $4; e += $4 }
		END { printf "%.4f %d %d\n", (m - b) / 1e9, s, e }' "$TMP/events"
}

echo "py_watch: square over $N items, 2 workers, $("$PYTHON" -c 'import platform; print(platform.python_version())')"
printf '%-8s %-10s %10s %10s %8s %s\n' mode chunksize plain_s watched_s ratio events
for mode in pool thread; do
	for c in 1 default; do
		# best of 3 each, to see past a noisy machine
		pb=; wb=; ev=
		for k in 1 2 3; do
			p=$(plain "$mode" "$c")
			set -- $(watched "$mode" "$c")
			w=$1; ev="$2 starts, $3 ends"
			pb=$(echo "$pb $p" | awk '{ m = $1; for (i = 2; i <= NF; i++) if ($i < m) m = $i; print m }')
			wb=$(echo "$wb $w" | awk '{ m = $1; for (i = 2; i <= NF; i++) if ($i < m) m = $i; print m }')
		done
		ratio=$(echo "$pb $wb" | awk '{ printf "%.3f", $2 / $1 }')
		printf '%-8s %-10s %10s %10s %8s %s\n' "$mode" "$c" "$pb" "$wb" "$ratio" "$ev"
	done
done
